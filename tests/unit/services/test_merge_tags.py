"""A member merge moves tags (keyed by member and tag) and undo puts them back; SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from shopdesk.db.models import MemberTag, Tag
from shopdesk.services import merge, tags
from shopdesk.services.auto_tags import recompute_auto_tags
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.purchases import PurchaseInput, record_purchase


def _names(member_id: int, *, auto: bool = False) -> set[str]:
    return {chip.name for chip in tags.member_tags(member_id) if chip.is_auto == auto}


def _lifecycle_tags(member_id: int) -> list[str]:
    query = (
        Tag.select(Tag.auto_key)
        .join(MemberTag)
        .where((MemberTag.member == member_id) & (Tag.auto_kind == "lifecycle"))
    )
    return [key for (key,) in query.tuples()]


def test_merge_moves_tags_keeps_shared_ones_once_and_undo_restores(db) -> None:
    keep = create_member(MemberInput(name="王芳", phone="13800138000"))
    drop = create_member(MemberInput(name="王芳", phone="13800138001"))
    dry, vip, rose = tags.create_tag("干皮"), tags.create_tag("VIP"), tags.create_tag("玫瑰")
    tags.tag_member(keep, dry)
    tags.tag_member(keep, vip)
    tags.tag_member(drop, vip)
    tags.tag_member(drop, rose)
    now = dt.datetime.now().replace(microsecond=0)
    record_purchase(
        PurchaseInput(member_id=keep, amount_fen=100_00, purchased_at=now - dt.timedelta(days=100))
    )
    record_purchase(PurchaseInput(member_id=drop, amount_fen=100_00, purchased_at=now - dt.timedelta(days=2)))
    recompute_auto_tags()
    assert _names(keep) == {"干皮", "VIP"} and _names(drop) == {"VIP", "玫瑰"}

    merge_id = merge.merge_members(keep, drop)

    assert _names(keep) == {"干皮", "VIP", "玫瑰"}
    assert _names(drop) == {"VIP"}  # the kept member had it already: one row each, nothing lost
    assert _lifecycle_tags(keep) == ["active"]  # recomputed right away, not one from each member
    assert _names(drop, auto=True) == set()  # archived members carry no automatic tags

    merge.undo_merge(merge_id)

    assert _names(keep) == {"干皮", "VIP"}
    assert _names(drop) == {"VIP", "玫瑰"}
    assert _lifecycle_tags(keep) == ["dormant"] and _lifecycle_tags(drop) == ["new"]
