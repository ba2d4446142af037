"""Importing members on SQLite and PostgreSQL: messy sheets, merging, policies, points, tags, all or none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from peewee import IntegrityError

from shopdesk.db.models import (
    AuditLog,
    Member,
    MemberTag,
    PointsEntry,
    PointsLot,
    Staff,
    Tag,
    TierChange,
    database_proxy,
)
from shopdesk.domain.birthdays import Birthday
from shopdesk.domain.points import ExpiryPolicy, PointsRules
from shopdesk.errors import UserError
from shopdesk.exchange import member_import, storage
from shopdesk.exchange.member_import import (
    ExistingPolicy,
    apply_member_import,
    import_members,
    plan_member_import,
)
from shopdesk.exchange.readers import read_sheet
from shopdesk.exchange.refs import TagBook
from shopdesk.services import points as ledger
from shopdesk.services import session
from shopdesk.services.members import MemberInput, create_member, get_member
from shopdesk.services.progress import CancelledError
from shopdesk.services.tiers import TierInput, list_tiers, save_tiers

from .sheets import MESSY_MEMBERS, csv_bytes, xlsx


@pytest.fixture
def tiers(db: object) -> dict[str, int]:
    save_tiers([TierInput("普通", 0), TierInput("银卡", 100_000, 110), TierInput("金卡", 300_000, 120)])
    return {tier.name: tier.id for tier in list_tiers()}


def _member(phone: str) -> Member:
    return Member.get(Member.phone == phone)


def _counts() -> tuple[int, int, int, int]:
    return (
        Member.select().count(),
        PointsEntry.select().count(),
        MemberTag.select().count(),
        Tag.select().count(),
    )


def test_a_messy_sheet_plans_with_counts_and_reasons(tiers: dict[str, int], tmp_path: Path) -> None:
    plan = plan_member_import(xlsx(tmp_path / "messy.xlsx", MESSY_MEMBERS, merges=["A1:H1"]))
    assert plan.header.header_row == 2
    assert plan.data_rows == 8  # blank and 合计 rows are not data
    assert plan.invalid_rows == 1
    assert plan.merged_rows == 1
    assert len(plan.records) == 6
    assert plan.existing == 0
    [error] = plan.errors
    assert (error.row, error.column, error.title, error.value) == (11, "A", "会员手机号*", "1380013800")
    assert "11 digits" in error.reason
    assert error.describe().startswith("Row 11, column A (会员手机号*): ")
    assert plan.preview(2) == [
        (
            4,
            [
                "13800138000",
                "张三",
                "1990-03-09",
                "金卡",
                "1200",
                "敏感肌、VIP",
                "老客户",
                "2022-01-05 10:30",
            ],
        ),
        (5, ["138 0013 8001", "李四", "3月9日", "", "1,200", "VIP", "", "2022/1/6"]),
    ]
    assert [column.field for column in plan.columns] == [
        "phone",
        "name",
        "birthday",
        "tier",
        "points",
        "tags",
        "notes",
        "joined",
    ]


def test_nothing_is_imported_while_rows_are_invalid(tiers: dict[str, int], tmp_path: Path) -> None:
    plan = plan_member_import(xlsx(tmp_path / "messy.xlsx", MESSY_MEMBERS))
    before = _counts()
    result = apply_member_import(plan)
    assert not result.applied and result.rejected == 1 and result.created == 0
    assert _counts() == before


def test_skipping_invalid_rows_imports_every_form(tiers: dict[str, int], tmp_path: Path) -> None:
    plan = plan_member_import(xlsx(tmp_path / "messy.xlsx", MESSY_MEMBERS))
    result = apply_member_import(plan, skip_invalid=True, actor="老板")
    assert result.applied
    assert (result.created, result.updated, result.merged, result.rejected) == (6, 0, 1, 1)
    assert (result.points_members, result.points_total) == (2, 2400)
    phones = [f"1380013800{i}" for i in range(6)]
    assert sorted(m.phone for m in Member.select()) == phones
    zhang = get_member(_member("13800138000").id)
    assert (zhang.name, zhang.birthday, zhang.notes) == ("张三", Birthday(3, 9, 1990), "老客户")
    assert zhang.created_at == dt.datetime(2022, 1, 5, 10, 30)
    assert _member("13800138001").name == "李四"
    assert get_member(_member("13800138001").id).birthday == Birthday(3, 9)
    assert get_member(_member("13800138002").id).birthday == Birthday(12, 1, 1988)
    assert _member("13800138002").notes == '=HYPERLINK("x")'
    assert get_member(_member("13800138003").id).created_at == dt.datetime(2022, 1, 7)  # serial 44568
    assert get_member(_member("13800138004").id).birthday == Birthday(7, 15)
    assert _member("13800138000").tier_id == tiers["金卡"]
    assert _member("13800138002").tier_id == tiers["银卡"]  # 银卡会员
    assert _member("13800138000").name_initials == "zs"
    # Points: an opening balance entry and a lot each, the balance equal to the ledger.
    zhang_id = _member("13800138000").id
    assert ledger.ledger_sum(zhang_id) == _member("13800138000").points_balance == 1200
    entry = PointsEntry.get(PointsEntry.member == zhang_id)
    assert (entry.kind, entry.key, entry.operator) == ("opening", f"opening:{zhang_id}", "老板")
    assert PointsLot.get(PointsLot.member == zhang_id).remaining == 1200
    # Tags from both rows of 张三 were united.
    names = {t.tag.name for t in MemberTag.select().where(MemberTag.member == zhang_id)}
    assert names == {"敏感肌", "VIP", "新客"}
    assert not TierChange.select().where(TierChange.member == zhang_id).exists()  # a new record
    audit = AuditLog.get(AuditLog.action == "import.members")
    assert audit.target == "messy.xlsx" and audit.actor == "老板"


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_a_chinese_excel_csv(db: object, tmp_path: Path, encoding: str) -> None:
    rows = [
        ["手机号", "姓名", "生日", "备注"],
        ["13800138000", "张三", "1990/3/9", "敏感肌"],
        ["13900139000", "李四", "", ""],
    ]
    path = tmp_path / "members.csv"
    path.write_bytes(csv_bytes(rows, encoding))
    plan, result = import_members(path)
    assert plan.sheet.encoding == ("gb18030" if encoding == "gbk" else "utf-8-sig")
    assert result.created == 2
    assert _member("13800138000").notes == "敏感肌"


def test_existing_members_fill_overwrite_or_skip(tiers: dict[str, int], tmp_path: Path) -> None:
    member_id = create_member(MemberInput(name="张三", phone="13800138000", notes="", gender="F"))
    rows = [
        ["手机号", "姓名", "性别", "备注", "生日", "等级", "来源"],
        ["13800138000", "张三丰", "男", "新备注", "3月9日", "金卡", "抖音"],
    ]
    path = xlsx(tmp_path / "m.xlsx", rows)
    plan = plan_member_import(path)
    assert plan.existing == 1

    result = apply_member_import(plan, existing="skip")
    assert (result.created, result.updated, result.skipped_existing) == (0, 0, 1)
    assert get_member(member_id).notes == ""

    result = apply_member_import(plan_member_import(path), existing=ExistingPolicy.FILL)
    detail = get_member(member_id)
    assert (result.updated, detail.name, detail.gender, detail.notes) == (1, "张三", "F", "新备注")
    assert detail.birthday == Birthday(3, 9) and detail.source == "store"
    assert _member("13800138000").tier_id == tiers["金卡"]
    change = TierChange.get(TierChange.member == member_id)
    assert (change.from_tier_id, change.to_tier_id, change.reason) == (None, tiers["金卡"], "Imported")

    result = apply_member_import(plan_member_import(path), existing="fill")
    assert (result.updated, result.unchanged) == (0, 1)

    result = apply_member_import(plan_member_import(path), existing="overwrite")
    detail = get_member(member_id)
    assert (result.updated, detail.name, detail.gender, detail.source) == (1, "张三丰", "M", "douyin")
    assert _member("13800138000").name_pinyin == "zhangsanfeng"


def test_points_are_carried_over_once(db: object, tmp_path: Path) -> None:
    member_id = create_member(MemberInput(name="张三", phone="13800138000"))
    path = xlsx(tmp_path / "m.xlsx", [["手机号", "积分"], ["13800138000", 300]])
    first = apply_member_import(plan_member_import(path))
    assert (first.updated, first.points_total) == (1, 300)
    second = apply_member_import(plan_member_import(path))
    assert second.points_total == 0 and second.warnings
    assert ledger.ledger_sum(member_id) == Member.get_by_id(member_id).points_balance == 300


def test_new_members_opening_balances_match_the_points_service(db: object, tmp_path: Path) -> None:
    """The bulk path writes the entry and the lot that ``grant_opening_balance`` writes for one member."""
    ledger.save_points_rules(PointsRules(expiry=ExpiryPolicy.MONTHS, expiry_n=6))
    known = create_member(MemberInput(name="老王", phone="13700137000"))
    ledger.grant_opening_balance(known, 50, reason="Opening balance (imported)")  # entries exist before
    rows = [
        ["手机号", "姓名", "积分", "标签"],
        ["13800138000", "张三", 300, "VIP、老客"],
        ["13900139000", "李四", None, "VIP"],
        ["13600136000", "赵六", "1,200", None],
    ]
    result = apply_member_import(plan_member_import(xlsx(tmp_path / "m.xlsx", rows)), actor="老板")
    assert (result.created, result.points_members, result.points_total) == (3, 2, 1500)
    assert (result.tags_added, result.updated) == (3, 0)
    for phone, amount in (("13800138000", 300), ("13600136000", 1200)):
        member = _member(phone)
        entry = PointsEntry.get(PointsEntry.member == member.id)
        assert (entry.kind, entry.amount, entry.balance_after) == ("opening", amount, amount)
        assert (entry.key, entry.operator, entry.reason) == (
            f"opening:{member.id}",
            "老板",
            "Opening balance (imported)",
        )
        lot = PointsLot.get(PointsLot.member == member.id)
        reference = PointsLot.get(PointsLot.member == known)
        assert lot.entry_id == entry.id and (lot.original, lot.remaining) == (amount, amount)
        assert (lot.earned_on, lot.available_from, lot.expires_on) == (
            reference.earned_on,
            reference.available_from,
            reference.expires_on,
        )
        assert ledger.ledger_sum(member.id) == member.points_balance == amount
    assert not PointsEntry.select().where(PointsEntry.member == _member("13900139000").id).exists()
    assert len({entry.id for entry in PointsEntry.select()}) == 3
    tagged = {(row.member_id, row.tag.name) for row in MemberTag.select()}
    assert tagged == {
        (_member("13800138000").id, "VIP"),
        (_member("13800138000").id, "老客"),
        (_member("13900139000").id, "VIP"),
    }
    audits = {
        (entry.target, entry.details) for entry in AuditLog.select().where(AuditLog.action == "tag.bulk_add")
    }
    assert len(audits) == 2 and all('"members": ' in details for _target, details in audits)


def test_a_new_member_needs_a_name(db: object, tmp_path: Path) -> None:
    plan = plan_member_import(xlsx(tmp_path / "m.xlsx", [["手机号", "积分"], ["13800138000", 300]]))
    assert plan.invalid_rows == 1
    assert plan.errors[0].reason == "Name is required for a new member."


def test_referrers_by_phone_and_by_name(db: object, tmp_path: Path) -> None:
    create_member(MemberInput(name="老王", phone="13700137000"))
    rows = [
        ["手机号", "姓名", "推荐人", "推荐人手机"],
        ["13800138000", "张三", None, "13900139000"],  # referred by someone further down
        ["13900139000", "李四", "老王", None],  # by name, a member of the shop
        ["13600136000", "赵六", "不认识", None],  # nobody: imported without a referrer
    ]
    plan = plan_member_import(xlsx(tmp_path / "m.xlsx", rows))
    assert plan.invalid_rows == 0 and plan.notes
    result = apply_member_import(plan)
    assert result.created == 3
    assert _member("13800138000").referrer_id == _member("13900139000").id
    assert _member("13900139000").referrer_id == _member("13700137000").id
    assert _member("13600136000").referrer_id is None


def test_circular_referrals_are_left_out(db: object, tmp_path: Path) -> None:
    rows = [
        ["手机号", "姓名", "推荐人手机"],
        ["13800138000", "张三", "13900139000"],
        ["13900139000", "李四", "13800138000"],
    ]
    result = apply_member_import(plan_member_import(xlsx(tmp_path / "m.xlsx", rows)))
    assert result.created == 2 and result.warnings
    referrers = [_member("13800138000").referrer_id, _member("13900139000").referrer_id]
    assert referrers.count(None) == 1


def test_unknown_staff_are_added_and_known_tier_names_only(tiers: dict[str, int], tmp_path: Path) -> None:
    Staff.create(name="小叶")
    rows = [
        ["手机号", "姓名", "导购", "等级"],
        ["13800138000", "张三", "小叶", "金卡"],
        ["13900139000", "李四", "小王", "黑卡"],
    ]
    plan = plan_member_import(xlsx(tmp_path / "m.xlsx", rows))
    [error] = plan.errors
    assert error.column == "D" and "no tier called 黑卡" in error.reason and "金卡" in error.reason
    result = apply_member_import(plan, skip_invalid=True)
    assert (result.created, result.staff_created) == (1, 0)
    rows[2][3] = None
    result = apply_member_import(plan_member_import(xlsx(tmp_path / "m2.xlsx", rows)))
    assert result.staff_created == 1
    assert Staff.get(Staff.name == "小王").active


def test_automatic_tags_are_not_set_by_a_sheet(db: object, tmp_path: Path) -> None:
    Tag.create(name="沉睡", auto_kind="lifecycle", auto_key="dormant")
    rows = [["手机号", "姓名", "标签"], ["13800138000", "张三", "沉睡、手工"]]
    result = apply_member_import(plan_member_import(xlsx(tmp_path / "m.xlsx", rows)))
    assert result.tags_added == 1 and result.warnings
    assert [t.tag.name for t in MemberTag.select()] == ["手工"]


def test_a_cancel_leaves_the_shop_as_it_was(tiers: dict[str, int], tmp_path: Path) -> None:
    class CancelLater:
        def __init__(self) -> None:
            self.steps = 0

        def step(self, done: int, total: int, message: str = "") -> None:
            self.steps += 1

        def cancelled(self) -> bool:
            return self.steps >= 2  # after the members were inserted

    plan = plan_member_import(xlsx(tmp_path / "m.xlsx", MESSY_MEMBERS))
    before = _counts()
    with pytest.raises(CancelledError):
        apply_member_import(plan, skip_invalid=True, progress=CancelLater())
    assert _counts() == before
    assert not AuditLog.select().where(AuditLog.action == "import.members").exists()


def test_a_crash_half_way_leaves_the_shop_as_it_was(
    tiers: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(TagBook, "attach", explode)
    plan = plan_member_import(xlsx(tmp_path / "m.xlsx", MESSY_MEMBERS))
    before = _counts()
    with pytest.raises(RuntimeError):
        apply_member_import(plan, skip_invalid=True)
    assert _counts() == before


def test_a_large_import_rebuilds_the_indexes(
    db: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "REBUILD_MIN_ROWS", 2)
    rows = [["手机号", "姓名"], *[[f"1380013{i:04d}", f"会员{i}"] for i in range(50)]]
    result = apply_member_import(plan_member_import(xlsx(tmp_path / "m.xlsx", rows)))
    assert result.created == 50
    stamp = dt.datetime.now()
    with pytest.raises(IntegrityError), database_proxy.atomic():  # the unique phone index is back
        Member.create(name="x", phone="13800130000", created_at=stamp, updated_at=stamp)
    assert sum(1 for m in Member.select() if m.name_pinyin.startswith("huiyuan")) == 50


def test_files_that_cannot_be_imported(db: object, tmp_path: Path) -> None:
    empty = xlsx(tmp_path / "empty.xlsx", [])
    with pytest.raises(UserError, match="empty"):
        plan_member_import(empty)
    nameless = xlsx(tmp_path / "nameless.xlsx", [["13800138000", "张三"]])
    with pytest.raises(UserError, match="No column names"):
        plan_member_import(nameless)
    (tmp_path / "notes.txt").write_bytes(b"\x00\x01\x02binary" * 100)
    with pytest.raises(UserError, match="not an Excel"):
        plan_member_import(tmp_path / "notes.txt")
    no_phone = plan_member_import(xlsx(tmp_path / "no_phone.xlsx", [["姓名", "生日"], ["张三", "3月9日"]]))
    assert no_phone.missing_required == ["Phone"]
    with pytest.raises(UserError, match="no column for Phone"):
        apply_member_import(no_phone)


def test_the_user_corrects_the_mapping(db: object, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "m.xlsx", [["联系", "客户", "杂项"], ["13800138000", "张三", "x"]])
    with pytest.raises(UserError, match="No column names"):
        plan_member_import(path)
    plan = plan_member_import(read_sheet(path), mapping={0: "phone", 1: "name", 2: None})
    result = apply_member_import(plan)
    assert result.created == 1 and _member("13800138000").name == "张三"
    with pytest.raises(UserError, match="Two columns"):
        plan_member_import(plan.sheet, mapping={0: "phone", 1: "phone"})


def test_clerks_cannot_import(db: object, tmp_path: Path) -> None:
    plan = plan_member_import(xlsx(tmp_path / "m.xlsx", [["手机号", "姓名"], ["13800138000", "张三"]]))
    session.set_current(session.Session(None, "小叶", session.Role.CLERK))
    try:
        with pytest.raises(UserError, match="Only the owner"):
            apply_member_import(plan)
    finally:
        session.set_current(None)
    assert Member.select().count() == 0


def test_repeated_values_are_converted_once(
    db: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    real = member_import.coerce.gender

    def counting(value: object) -> str:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(member_import.coerce, "gender", counting)
    rows = [
        ["手机号", "姓名", "性别"],
        *[[f"1380013{i:04d}", "张三", "女" if i % 2 else "男"] for i in range(40)],
    ]
    plan = plan_member_import(xlsx(tmp_path / "m.xlsx", rows))
    assert len(plan.records) == 40 and sorted(calls) == ["女", "男"]


def test_the_phone_of_a_merged_member_leads_to_the_one_kept(db: object, tmp_path: Path) -> None:
    from shopdesk.services.merge import merge_members

    kept = create_member(MemberInput(name="张三", phone="13800138000"))
    dropped = create_member(MemberInput(name="张三", phone="13800138001"))
    merge_members(kept, dropped)
    rows = [["手机号", "姓名", "备注"], ["13800138001", "张三", "老号码"]]
    result = apply_member_import(plan_member_import(xlsx(tmp_path / "m.xlsx", rows)))
    assert (result.created, result.updated) == (0, 1)
    assert Member.get_by_id(kept).notes == "老号码"
