"""Member records through the services: create, edit, archive, read; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from shopdesk.db.models import AuditLog, Member
from shopdesk.domain.birthdays import Birthday
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.services.catalog import create_staff
from shopdesk.services.members import (
    MemberInput,
    archive_member,
    count_members,
    create_member,
    find_member_by_phone,
    get_member,
    get_member_rows,
    unarchive_member,
    update_member,
)


def _member(name: str = "张三", phone: str = "13800138000", **fields: object) -> MemberInput:
    return MemberInput(name=name, phone=phone, **fields)  # type: ignore[arg-type]


def test_create_and_read_back(db: object) -> None:
    staff = create_staff("小叶")
    referrer = create_member(_member("李四", "13900139000"))
    member_id = create_member(
        _member(
            "  张三 ",
            "+86 138-0013-8000",
            gender="F",
            birthday="3月9日",
            source="朋友圈",
            referrer_id=referrer,
            staff_id=staff,
            notes=" likes roses ",
        )
    )
    detail = get_member(member_id)
    assert detail.id == member_id
    assert detail.name == "张三"
    assert detail.phone == "13800138000"
    assert detail.gender == "F"
    assert detail.birthday == Birthday(3, 9)
    assert detail.source == "moments"
    assert (detail.referrer_id, detail.referrer_name) == (referrer, "李四")
    assert (detail.staff_id, detail.staff_name) == (staff, "小叶")
    assert detail.notes == "likes roses"
    assert detail.archived_at is None
    assert (detail.purchase_count, detail.total_spent_fen) == (0, 0)
    assert detail.first_purchase_at is None and detail.last_purchase_at is None
    assert isinstance(detail.created_at, dt.datetime)
    assert get_member(referrer).referee_count == 1
    # The search keys are written with the record.
    row = Member.get_by_id(member_id)
    assert (row.name_pinyin, row.name_initials, row.phone_rev) == ("zhangsan", "zs", "00083100831")


def test_birthday_with_a_year_round_trips(db: object) -> None:
    member_id = create_member(_member(birthday="1990-03-09"))
    assert get_member(member_id).birthday == Birthday(3, 9, 1990)
    assert get_member_rows([member_id])[0].birthday == Birthday(3, 9, 1990)


def test_edit_changes_the_record_and_keeps_the_figures(db: object) -> None:
    member_id = create_member(_member(birthday="1990-03-09"))
    before = get_member(member_id)
    data = before.as_input()
    data.name = "张三丰"
    data.phone = "13900139000"
    data.birthday = None
    data.notes = "moved to Hangzhou"
    update_member(member_id, data)
    after = get_member(member_id)
    assert (after.name, after.phone, after.birthday, after.notes) == (
        "张三丰", "13900139000", None, "moved to Hangzhou",
    )
    assert after.created_at == before.created_at
    assert after.updated_at >= before.updated_at
    assert Member.get_by_id(member_id).name_initials == "zsf"
    assert find_member_by_phone("13800138000") is None
    assert find_member_by_phone("139 0013 9000") == member_id


def test_saving_a_member_unchanged_keeps_their_own_phone(db: object) -> None:
    member_id = create_member(_member())
    update_member(member_id, get_member(member_id).as_input())
    assert get_member(member_id).phone == "13800138000"


def test_a_phone_belongs_to_one_member(db: object) -> None:
    create_member(_member("张三", "13800138000"))
    with pytest.raises(ValidationError) as caught:
        create_member(_member("李四", "138 0013 8000"))
    assert caught.value.field == "phone"
    assert caught.value.message == "This phone already belongs to 张三."
    assert count_members() == 1


def test_editing_to_another_members_phone_is_refused(db: object) -> None:
    create_member(_member("张三", "13800138000"))
    other = create_member(_member("李四", "13900139000"))
    data = get_member(other).as_input()
    data.phone = "13800138000"
    with pytest.raises(ValidationError) as caught:
        update_member(other, data)
    assert caught.value.field == "phone"
    assert get_member(other).phone == "13900139000"


def test_an_archived_members_phone_is_still_taken(db: object) -> None:
    member_id = create_member(_member())
    archive_member(member_id)
    with pytest.raises(ValidationError) as caught:
        create_member(_member("李四"))
    assert caught.value.field == "phone"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "张" * 31}, "name"),
        ({"phone": ""}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"gender": "X"}, "gender"),
        ({"birthday": "2月30日"}, "birthday"),
        ({"birthday": "2999-01-01"}, "birthday"),
        ({"notes": "x" * 2001}, "notes"),
        ({"staff_id": 999_999}, "staff"),
        ({"referrer_id": 999_999}, "referrer"),
    ],
)
def test_invalid_input_names_the_field_and_saves_nothing(db: object, fields: dict, field: str) -> None:
    data = _member()
    for key, value in fields.items():
        setattr(data, key, value)
    with pytest.raises(ValidationError) as caught:
        create_member(data)
    assert caught.value.field == field
    assert str(caught.value)
    assert count_members(include_archived=True) == 0
    assert AuditLog.select().count() == 0


def test_a_member_cannot_refer_themselves(db: object) -> None:
    member_id = create_member(_member())
    data = get_member(member_id).as_input()
    data.referrer_id = member_id
    with pytest.raises(ValidationError) as caught:
        update_member(member_id, data)
    assert caught.value.field == "referrer"
    assert get_member(member_id).referrer_id is None


def test_referrals_cannot_go_round_in_a_circle(db: object) -> None:
    first = create_member(_member("张三", "13800138000"))
    second = create_member(_member("李四", "13900139000", referrer_id=first))
    third = create_member(_member("王五", "13700137000", referrer_id=second))
    data = get_member(first).as_input()
    data.referrer_id = third
    with pytest.raises(ValidationError) as caught:
        update_member(first, data)
    assert caught.value.field == "referrer"
    assert get_member(first).referrer_id is None


def test_an_archived_member_can_still_be_a_referrer(db: object) -> None:
    referrer = create_member(_member("李四", "13900139000"))
    archive_member(referrer)
    member_id = create_member(_member(referrer_id=referrer))
    assert get_member(member_id).referrer_name == "李四"


def test_archive_and_unarchive(db: object) -> None:
    member_id = create_member(_member())
    other = create_member(_member("李四", "13900139000"))
    archive_member(member_id)
    assert get_member(member_id).archived_at is not None
    assert count_members() == 1
    assert count_members(include_archived=True) == 2
    assert get_member_rows([member_id])[0].archived
    unarchive_member(member_id)
    assert get_member(member_id).archived_at is None
    assert count_members() == 2
    assert not get_member_rows([member_id, other])[0].archived


@pytest.mark.parametrize("action", [archive_member, unarchive_member, get_member])
def test_a_missing_member_is_not_found(db: object, action) -> None:
    with pytest.raises(NotFoundError):
        action(424242)


def test_update_of_a_missing_member_is_not_found(db: object) -> None:
    with pytest.raises(NotFoundError):
        update_member(424242, _member())


def test_the_audit_log_records_each_change(db: object) -> None:
    member_id = create_member(_member(), actor="owner")
    update_member(member_id, get_member(member_id).as_input(), actor="小叶")
    archive_member(member_id)
    unarchive_member(member_id)
    entries = list(AuditLog.select().order_by(AuditLog.id))
    assert [entry.action for entry in entries] == [
        "member.create", "member.update", "member.archive", "member.unarchive",
    ]
    assert {entry.target for entry in entries} == {f"member:{member_id}"}
    assert [entry.actor for entry in entries[:2]] == ["owner", "小叶"]
    for entry in entries:
        json.loads(entry.details)
        assert isinstance(entry.at, dt.datetime)


def test_get_member_rows_keeps_the_order_asked_and_drops_missing_ids(db: object) -> None:
    staff = create_staff("小叶")
    a = create_member(_member("张三", "13800138000", staff_id=staff))
    b = create_member(_member("李四", "13900139000"))
    c = create_member(_member("王五", "13700137000"))
    rows = get_member_rows([c, 999_999, a, b])
    assert [row.id for row in rows] == [c, a, b]
    assert [row.name for row in rows] == ["王五", "张三", "李四"]
    assert rows[1].staff_name == "小叶"
    assert rows[0].staff_name == ""
    assert rows[0].last_purchase_at is None
    assert isinstance(rows[0].created_at, dt.datetime)
    assert (rows[0].purchase_count, rows[0].total_spent_fen) == (0, 0)
    assert get_member_rows([]) == []
    assert get_member_rows([999_999]) == []


def test_find_member_by_phone(db: object) -> None:
    member_id = create_member(_member())
    assert find_member_by_phone("13800138000") == member_id
    assert find_member_by_phone("+86 138 0013 8000") == member_id
    assert find_member_by_phone("13900139000") is None
    assert find_member_by_phone("not a phone") is None
