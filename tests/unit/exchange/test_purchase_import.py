"""Importing past sales on SQLite and PostgreSQL: figures follow, no points, each sale once, all or none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shopdesk.db.models import Category, Member, PointsEntry, Purchase, PurchaseItem, Staff
from shopdesk.domain.rhythm import median_interval_days
from shopdesk.errors import UserError
from shopdesk.exchange.purchase_import import apply_purchase_import, import_purchases, plan_purchase_import
from shopdesk.services.members import MemberInput, create_member, get_member
from shopdesk.services.progress import CancelledError

from .sheets import csv_bytes, xlsx

HEADER = ["消费记录", None, None, None, None, None, None, None]
COLUMNS = ["手机号", "姓名", "消费日期", "消费金额（元）", "实付", "品类", "导购", "备注"]


def _rows() -> list[list[object]]:
    return [
        HEADER,
        COLUMNS,
        [13800138000, "张三", dt.datetime(2023, 5, 1, 14, 30), 128, 120, "面霜", "小叶", "first"],
        ["138-0013-8000", "张三", "2023/6/1", "¥1,280.00", None, "面膜", "小叶", None],
        ["13800138000", "张三", "2023年6月11日", "88元", None, None, None, "=1+1"],
        ["13900139000", "李四", 45108, 66, None, "面霜", None, None],
        ["1390013900", "王五", "2023-07-01", "88", None, None, None, None],  # a wrong phone
        ["13700137000", "赵六", "2023-07-02", "50", "60", None, None, None],  # paid more than the amount
        ["合计", None, None, 1650, None, None, None, None],
    ]


@pytest.fixture
def members(db: object) -> dict[str, int]:
    return {
        "张三": create_member(MemberInput(name="张三", phone="13800138000")),
        "李四": create_member(MemberInput(name="李四", phone="13900139000")),
    }


def test_plan_counts_and_reasons(members: dict[str, int], tmp_path: Path) -> None:
    plan = plan_purchase_import(xlsx(tmp_path / "p.xlsx", _rows()))
    assert plan.header.data_start == 2
    assert plan.data_rows == 6
    assert len(plan.records) == 4
    assert plan.invalid_rows == 2
    assert [(error.row, error.column) for error in plan.errors] == [(7, "A"), (8, "E")]
    assert "more than the amount" in plan.errors[1].reason


def test_invalid_rows_stop_the_import(members: dict[str, int], tmp_path: Path) -> None:
    result = apply_purchase_import(plan_purchase_import(xlsx(tmp_path / "p.xlsx", _rows())))
    assert not result.applied and result.rejected == 2
    assert Purchase.select().count() == 0


def test_sales_update_figures_but_earn_no_points(members: dict[str, int], tmp_path: Path) -> None:
    plan = plan_purchase_import(xlsx(tmp_path / "p.xlsx", _rows()))
    result = apply_purchase_import(plan, skip_invalid=True)
    assert (result.imported, result.rejected, result.members_updated, result.members_created) == (4, 2, 2, 0)
    assert (result.staff_created, result.categories_created) == (1, 2)
    zhang = get_member(members["张三"])
    assert (zhang.purchase_count, zhang.total_spent_fen) == (3, 12000 + 128000 + 8800)
    assert zhang.first_purchase_at == dt.datetime(2023, 5, 1, 14, 30)
    assert zhang.last_purchase_at == dt.datetime(2023, 6, 11)
    days = [dt.datetime(2023, 5, 1, 14, 30), dt.datetime(2023, 6, 1), dt.datetime(2023, 6, 11)]
    assert Member.get_by_id(members["张三"]).interval_days == median_interval_days(days)
    li = get_member(members["李四"])
    assert (li.purchase_count, li.total_spent_fen, li.last_purchase_at) == (1, 6600, dt.datetime(2023, 7, 1))
    assert PointsEntry.select().count() == 0
    assert Member.get_by_id(members["张三"]).tier_id is None
    first = Purchase.get(Purchase.amount_fen == 12800)
    assert (first.paid_fen, first.note, first.staff.name) == (12000, "first", "小叶")
    assert Purchase.get(Purchase.amount_fen == 8800).note == "=1+1"
    items = {(item.category.name, item.amount_fen) for item in PurchaseItem.select()}
    assert items == {("面霜", 12800), ("面膜", 128000), ("面霜", 6600)}
    assert Category.select().count() == 2 and Staff.select().count() == 1


def test_the_same_file_twice_records_each_sale_once(members: dict[str, int], tmp_path: Path) -> None:
    rows = [COLUMNS, *_rows()[2:6], _rows()[4]]  # the 88元 sale twice on the same day: two sales
    path = xlsx(tmp_path / "p.xlsx", rows)
    first = apply_purchase_import(plan_purchase_import(path))
    assert first.imported == 5
    plan = plan_purchase_import(path)
    assert plan.records == [] and plan.notes
    second = apply_purchase_import(plan)
    assert (second.imported, second.already_imported) == (0, 5)
    assert Purchase.select().count() == 5
    assert get_member(members["张三"]).purchase_count == 4


def test_order_numbers_identify_sales(members: dict[str, int], tmp_path: Path) -> None:
    rows = [
        ["单号", "手机号", "日期", "金额"],
        ["A001", "13800138000", "2023-05-01", 10],
        ["A002", "13800138000", "2023-05-01", 10],
        ["A001", "13900139000", "2023-05-02", 20],
    ]
    plan = plan_purchase_import(xlsx(tmp_path / "p.xlsx", rows))
    [error] = plan.errors
    assert (error.row, error.column) == (4, "A") and "earlier row" in error.reason
    apply_purchase_import(plan, skip_invalid=True)
    assert sorted(p.uid for p in Purchase.select()) == ["import:A001", "import:A002"]


def test_unknown_phones_create_members_only_when_asked(db: object, tmp_path: Path) -> None:
    rows = [
        ["手机号", "姓名", "日期", "金额"],
        ["13800138000", "张三", "2023-05-01", 10],
        ["13900139000", None, "2023-05-02", 20],
    ]
    path = xlsx(tmp_path / "p.xlsx", rows)
    plan = plan_purchase_import(path)
    assert plan.invalid_rows == 2 and "No member has this phone" in plan.errors[0].reason
    plan, result = import_purchases(path, create_members=True)
    assert (result.imported, result.members_created) == (2, 2)
    assert sorted(m.name for m in Member.select()) == ["Member 9000", "张三"]
    assert Member.get(Member.phone == "13800138000").name_initials == "zs"


def test_a_row_without_phone_or_name_is_a_walk_in_sale(members: dict[str, int], tmp_path: Path) -> None:
    rows = [
        ["手机号", "姓名", "日期", "金额", "品类"],
        ["13800138000", "张三", "2023-05-01", 10, "面霜"],
        [None, None, "2023-05-02", 20, "面膜"],  # a customer who gave no number
        [None, "李四", "2023-05-03", 30, None],  # a member's sale without the phone: cannot be placed
    ]
    path = xlsx(tmp_path / "p.xlsx", rows)
    plan = plan_purchase_import(path)
    assert [(error.row, error.column) for error in plan.errors] == [(4, "A")]
    assert "walk-in" in plan.errors[0].reason
    assert any("1 sale has no phone or name" in note for note in plan.notes)
    result = apply_purchase_import(plan, skip_invalid=True)
    assert (result.imported, result.rejected, result.members_updated) == (2, 1, 1)
    walk_in = Purchase.get(Purchase.member.is_null())
    assert (walk_in.amount_fen, walk_in.paid_fen) == (20_00, 20_00)
    assert get_member(members["张三"]).total_spent_fen == 10_00  # the walk-in is nobody's
    items = PurchaseItem.select().where(PurchaseItem.purchase == walk_in.id)
    assert [item.category.name for item in items] == ["面膜"]


def test_refunded_sales_stay_out_of_the_figures(members: dict[str, int], tmp_path: Path) -> None:
    rows = [
        ["手机号", "日期", "金额", "退款时间", "退款原因"],
        ["13800138000", "2023-05-01", 100, None, None],
        ["13800138000", "2023-05-03", 50, "2023-05-04", "过敏"],
        ["13800138000", "2023-05-05", 30, "2023-05-04", None],  # refunded before it was sold
    ]
    plan = plan_purchase_import(xlsx(tmp_path / "p.xlsx", rows))
    assert [error.column for error in plan.errors] == ["D"]
    result = apply_purchase_import(plan, skip_invalid=True)
    assert (result.imported, result.refunded) == (2, 1)
    detail = get_member(members["张三"])
    assert (detail.purchase_count, detail.total_spent_fen) == (1, 10000)
    assert Purchase.get(Purchase.amount_fen == 5000).refund_reason == "过敏"


def test_a_gbk_csv_of_sales(members: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(
        csv_bytes(
            [["手机", "日期", "金额", "商品"], ["13800138000", "2023/5/1 14:30", "￥99", "洗面奶"]], "gbk"
        )
    )
    _plan, result = import_purchases(path)
    assert result.imported == 1
    assert PurchaseItem.get().name == "洗面奶"


def test_a_cancel_writes_nothing(members: dict[str, int], tmp_path: Path) -> None:
    class CancelAtOnce:
        def step(self, done: int, total: int, message: str = "") -> None:
            pass

        def cancelled(self) -> bool:
            return True

    plan = plan_purchase_import(xlsx(tmp_path / "p.xlsx", _rows()))
    with pytest.raises(CancelledError):
        apply_purchase_import(plan, skip_invalid=True, progress=CancelAtOnce())
    assert Purchase.select().count() == 0 and Staff.select().count() == 0
    assert get_member(members["张三"]).purchase_count == 0


def test_missing_columns(db: object, tmp_path: Path) -> None:
    plan = plan_purchase_import(xlsx(tmp_path / "p.xlsx", [["手机号", "姓名"], ["13800138000", "张三"]]))
    assert plan.missing_required == ["Date", "Amount"]
    with pytest.raises(UserError, match="no columns for Date, Amount"):
        apply_purchase_import(plan)


def test_future_sales_are_refused(members: dict[str, int], tmp_path: Path) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    plan = plan_purchase_import(
        xlsx(tmp_path / "p.xlsx", [["手机号", "日期", "金额"], ["13800138000", tomorrow, 10]])
    )
    assert plan.errors[0].reason == "The purchase date is in the future."
