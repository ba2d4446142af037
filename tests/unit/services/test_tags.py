"""Manual tags on SQLite and PostgreSQL: create, rename, recolour, group, merge, delete; one member and
bulk tagging; staff reassignment; chips for many members."""

from __future__ import annotations

import pytest

from shopdesk.db import sql
from shopdesk.db.models import AuditLog, Member, MemberTag
from shopdesk.errors import ConflictError, NotFoundError, ValidationError
from shopdesk.services import tags
from shopdesk.services.catalog import create_staff
from shopdesk.services.members import MemberInput, archive_member, create_member
from shopdesk.services.segments import SegmentFilter, get_segment, save_segment


def _members(count: int, start: int = 0) -> list[int]:
    """``count`` bare members inserted in one statement (bulk tests need thousands)."""
    rows = [(f"会员{i}", str(13000000000 + start + i)) for i in range(count)]
    for chunk in sql.chunks(rows, 400):
        Member.insert_many(chunk, fields=[Member.name, Member.phone]).execute()
    return [m for (m,) in Member.select(Member.id).order_by(Member.id).tuples()][-count:]


def _tag_ids(member_id: int) -> set[int]:
    return {chip.id for chip in tags.member_tags(member_id)}


def test_create_rename_recolour_regroup_and_list(db) -> None:
    dry = tags.create_tag("  干皮 ", group="肤质")
    oily = tags.create_tag("油皮", group="肤质", color="#fff1f0")
    view = tags.get_tag(dry)
    assert (view.name, view.group, view.is_auto) == ("干皮", "肤质", False)
    assert view.color in tags.PALETTE
    assert tags.get_tag(oily).color == "#FFF1F0"
    tags.rename_tag(dry, "干性皮肤")
    tags.recolor_tag(dry, "#F6FFED")
    tags.set_tag_group(dry, "偏好")
    view = tags.get_tag(dry)
    assert (view.name, view.color, view.group) == ("干性皮肤", "#F6FFED", "偏好")
    assert [t.name for t in tags.list_tags()] == ["干性皮肤", "油皮"]
    groups = tags.list_tag_groups()
    assert groups[:2] == ["偏好", "肤质"] and "Custom" in groups
    assert AuditLog.select().where(AuditLog.action == "tag.rename").count() == 1


def test_bad_names_and_colours_are_refused(db) -> None:
    tags.create_tag("VIP")
    with pytest.raises(ValidationError) as empty:
        tags.create_tag("   ")
    assert empty.value.field == "name"
    with pytest.raises(ValidationError):
        tags.create_tag("x" * 31)
    with pytest.raises(ValidationError):
        tags.create_tag("y", group="g" * 21)
    with pytest.raises(ConflictError):
        tags.create_tag(" VIP ")
    other = tags.create_tag("常客")
    with pytest.raises(ConflictError):
        tags.rename_tag(other, "VIP")
    with pytest.raises(ValidationError) as colour:
        tags.recolor_tag(other, "red")
    assert colour.value.field == "color"
    with pytest.raises(NotFoundError):
        tags.rename_tag(9999, "z")


def test_tag_and_untag_one_member(db) -> None:
    member_id = create_member(MemberInput(name="张三", phone="13800138000"))
    vip = tags.create_tag("VIP")
    assert tags.tag_member(member_id, vip) is True
    assert tags.tag_member(member_id, vip) is False
    assert [chip.name for chip in tags.member_tags(member_id)] == ["VIP"]
    assert tags.untag_member(member_id, vip) is True
    assert tags.untag_member(member_id, vip) is False
    with pytest.raises(NotFoundError):
        tags.tag_member(999_999, vip)


def test_bulk_tag_ten_thousand_members_in_one_go(db) -> None:
    ids = _members(10_000)
    vip = tags.create_tag("VIP")
    tags.tag_member(ids[0], vip)
    result = tags.bulk_tag([*ids, *ids[:10], 999_999_999], vip)  # repeats and a missing id
    assert (result.changed, result.unchanged) == (9_999, 2)
    assert MemberTag.select().where(MemberTag.tag == vip).count() == 10_000
    assert AuditLog.select().where(AuditLog.action == "tag.bulk_add").count() == 1
    removed = tags.bulk_untag(ids[:4_000], vip)
    assert (removed.changed, removed.unchanged) == (4_000, 0)
    assert tags.bulk_untag(ids[:10], vip).changed == 0
    counts = {t.id: t.member_count for t in tags.list_tags()}
    assert counts[vip] == 6_000


def test_bulk_reassign_staff_when_a_clerk_leaves(db) -> None:
    leaving, staying = create_staff("小叶"), create_staff("小王")
    ids = _members(5)
    Member.update(staff=leaving).where(Member.id.in_(ids[:3])).execute()
    result = tags.bulk_assign_staff(ids[:4], staying)
    assert (result.changed, result.unchanged) == (4, 0)
    assert tags.bulk_assign_staff(ids[:4], staying).changed == 0
    staff = dict(Member.select(Member.id, Member.staff).tuples())
    assert [staff[i] for i in ids] == [staying] * 4 + [None]
    assert tags.bulk_assign_staff(ids[:2], None).changed == 2
    with pytest.raises(ValidationError):
        tags.bulk_assign_staff(ids, 99_999)


def test_merge_gives_members_of_a_the_tag_b_and_updates_saved_filters(db) -> None:
    a_only, both, b_only = _members(3)
    a, b = tags.create_tag("敏感肌"), tags.create_tag("敏感皮")
    tags.bulk_tag([a_only, both], a)
    tags.bulk_tag([both, b_only], b)
    segment = save_segment("敏感", SegmentFilter(tags_any=(a,), tags_none=(a, b)))
    assert tags.merge_tags(a, b) == 1
    assert _tag_ids(a_only) == _tag_ids(both) == _tag_ids(b_only) == {b}
    assert [t.id for t in tags.list_tags()] == [b]
    assert get_segment(segment).filter == SegmentFilter(tags_any=(b,), tags_none=(b,))
    with pytest.raises(ValidationError):
        tags.merge_tags(b, b)
    with pytest.raises(NotFoundError):
        tags.merge_tags(a, b)


def test_delete_takes_the_tag_off_everyone(db) -> None:
    ids = _members(3)
    vip = tags.create_tag("VIP")
    tags.bulk_tag(ids, vip)
    assert tags.delete_tag(vip) == 3
    assert not MemberTag.select().exists()
    assert tags.list_tags() == []


def test_counts_leave_out_archived_members_and_chips_come_in_one_query(db) -> None:
    first, second, third = _members(3)
    vip, regular = tags.create_tag("VIP"), tags.create_tag("常客")
    tags.bulk_tag([first, second, third], vip)
    tags.tag_member(first, regular)
    archive_member(third)
    assert {t.name: t.member_count for t in tags.list_tags()} == {"VIP": 2, "常客": 1}
    assert {t.name: t.member_count for t in tags.list_tags(with_counts=False)} == {"VIP": 0, "常客": 0}
    chips = tags.tags_for_members([first, second, 999_999])
    assert [c.name for c in chips[first]] == ["VIP", "常客"]
    assert [c.name for c in chips[second]] == ["VIP"]
    assert 999_999 not in chips
