"""Exports on SQLite and PostgreSQL: values and types read back, scopes, masking, formula-safe text, and
the round trip of the demo shop (export → import into an empty shop → export: the same data)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from shopdesk.db.database import close_database, open_database
from shopdesk.db.models import AuditLog, Member, PointsEntry, Tag
from shopdesk.domain.birthdays import Birthday
from shopdesk.errors import UserError
from shopdesk.exchange.exporting import MemberScope
from shopdesk.exchange.member_export import MEMBER_COLUMNS, export_members
from shopdesk.exchange.member_import import import_members
from shopdesk.exchange.points_export import export_points
from shopdesk.exchange.purchase_export import export_purchases
from shopdesk.exchange.purchase_import import import_purchases
from shopdesk.services import points as ledger
from shopdesk.services import session
from shopdesk.services.catalog import create_category, create_staff
from shopdesk.services.demo_shop import build_demo_shop
from shopdesk.services.members import MemberInput, archive_member, create_member
from shopdesk.services.purchases import PurchaseInput, PurchaseItemInput, record_purchase, refund_purchase
from shopdesk.services.segments import SegmentFilter, save_segment
from shopdesk.services.tags import bulk_tag, create_tag
from shopdesk.services.tiers import TierInput, list_tiers, save_tiers, set_tier_manually

DANGEROUS = ["=cmd|' /C calc'!A0", "+86 请回电", "-5 折", "@SUM(A1)", "=1+1", '=HYPERLINK("http://x")']


def _sheet(path: Path) -> list[list[object]]:
    """All cells of the first sheet, as calamine reads them ("" for empty)."""
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return workbook.get_sheet_by_index(0).to_python()
    finally:
        workbook.close()


@pytest.fixture
def shop(db: object) -> dict[str, int]:
    save_tiers([TierInput("普通", 0), TierInput("金卡", 300_000, 120)])
    staff = create_staff("小叶")
    face = create_category("面霜", 45)
    mask = create_category("面膜", 20)
    zhang = create_member(
        MemberInput(
            name="张三",
            phone="13800138000",
            gender="F",
            birthday="1990-03-09",
            source="朋友圈",
            staff_id=staff,
            notes="敏感肌",
        )
    )
    li = create_member(MemberInput(name="李四", phone="13900139000", birthday="3月9日", referrer_id=zhang))
    wang = create_member(MemberInput(name="王五", phone="13700137000"))
    archive_member(wang)
    when = dt.datetime(2024, 3, 1, 10, 0)
    record_purchase(
        PurchaseInput(
            member_id=zhang,
            purchased_at=when,
            staff_id=staff,
            note="首单",
            paid_fen=30_000,
            items=[PurchaseItemInput(12_800, mask, "面膜", 1), PurchaseItemInput(25_600, face, "面霜", 2)],
        )
    )
    refunded = record_purchase(
        PurchaseInput(member_id=zhang, amount_fen=5_000, purchased_at=when + dt.timedelta(days=3))
    )
    refund_purchase(refunded, "过敏")
    record_purchase(PurchaseInput(member_id=li, amount_fen=8_800, purchased_at=when + dt.timedelta(days=5)))
    ledger.grant_opening_balance(li, 500)
    set_tier_manually(zhang, next(t.id for t in list_tiers() if t.name == "金卡"), "老客户")
    vip = create_tag("VIP")
    bulk_tag([zhang, li], vip)
    Tag.create(name="活跃", auto_kind="lifecycle", auto_key="active")
    from shopdesk.db.models import MemberTag

    MemberTag.create(member=zhang, tag=Tag.get(Tag.name == "活跃"))
    return {"zhang": zhang, "li": li, "wang": wang, "staff": staff, "vip": vip}


def test_member_export_types_and_values(shop: dict[str, int], tmp_path: Path) -> None:
    result = export_members(tmp_path / "members.xlsx")
    assert (result.rows, result.file_format, result.masked) == (2, "xlsx", False)
    sheet = openpyxl.load_workbook(tmp_path / "members.xlsx").active
    titles = [cell.value for cell in sheet[1]]
    assert titles[:8] == ["Phone", "Name", "Gender", "Birthday", "Source", "Tier", "Points", "Tags"]
    assert "Automatic tags" in titles and "Archived" not in titles
    row = {title: cell for title, cell in zip(titles, sheet[2], strict=True)}
    assert row["Phone"].value == "13800138000" and row["Phone"].data_type == "s"
    assert (row["Name"].value, row["Gender"].value, row["Source"].value) == (
        "张三",
        "Female",
        "WeChat Moments",
    )
    assert row["Birthday"].value == dt.datetime(1990, 3, 9) and row["Birthday"].is_date
    balance = Member.get_by_id(shop["zhang"]).points_balance
    assert balance > 0  # earned on the purchase
    assert (row["Tier"].value, row["Points"].value) == ("金卡", balance)
    assert row["Tags"].value == "VIP"  # manual tags only; ShopDesk's own go to their own column
    assert "活跃" in row["Automatic tags"].value.split("、")
    assert (row["Staff"].value, row["Notes"].value) == ("小叶", "敏感肌")
    assert row["Purchases"].value == 1 and row["Total spent"].value == 300
    assert "¥" in row["Total spent"].number_format
    assert row["Last purchase"].value == dt.datetime(2024, 3, 1, 10, 0) and row["Last purchase"].is_date
    li = {title: cell.value for title, cell in zip(titles, sheet[3], strict=True)}
    assert (li["Birthday"], li["Points"], li["Referrer"], li["Referrer phone"]) == (
        "03-09",
        Member.get_by_id(shop["li"]).points_balance,
        "张三",
        "13800138000",
    )
    assert AuditLog.get(AuditLog.action == "export.members").target == "members.xlsx"


def test_member_scopes_columns_and_masking(shop: dict[str, int], tmp_path: Path) -> None:
    export_members(tmp_path / "all.csv", scope=MemberScope(include_archived=True), columns=["name", "phone"])
    lines = (tmp_path / "all.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Name,Phone,Archived"
    assert lines[3].startswith("王五,13700137000,20")
    export_members(tmp_path / "vip.csv", scope=MemberScope(tag="VIP"), columns=["name"], mask_phones=True)
    assert (tmp_path / "vip.csv").read_text(encoding="utf-8-sig").splitlines() == ["Name", "张三", "李四"]
    result = export_members(tmp_path / "masked.csv", columns=["phone"], mask_phones=True)
    assert result.masked
    assert (tmp_path / "masked.csv").read_text(encoding="utf-8-sig").splitlines()[1:] == [
        "138****8000",
        "139****9000",
    ]
    export_members(
        tmp_path / "order.csv", scope=MemberScope(member_ids=[shop["li"], shop["zhang"]]), columns=["name"]
    )
    assert (tmp_path / "order.csv").read_text(encoding="utf-8-sig").splitlines()[1:] == ["李四", "张三"]
    save_segment("常客", SegmentFilter(visits_min=1))
    export_members(tmp_path / "segment.csv", scope=MemberScope(segment="常客"), columns=["name"])
    assert (tmp_path / "segment.csv").read_text(encoding="utf-8-sig").splitlines()[1:] == ["张三", "李四"]
    with pytest.raises(UserError, match="no tag called"):
        export_members(tmp_path / "x.csv", scope=MemberScope(tag="nope"))
    with pytest.raises(UserError, match="no saved segment"):
        export_members(tmp_path / "x.csv", scope=MemberScope(segment="nope"))
    with pytest.raises(UserError, match="no member column"):
        export_members(tmp_path / "x.csv", columns=["shoe_size"])


def test_clerks_may_not_export(shop: dict[str, int], tmp_path: Path) -> None:
    session.set_current(session.Session(None, "小叶", session.Role.CLERK))
    try:
        with pytest.raises(UserError, match="Only the owner"):
            export_members(tmp_path / "m.xlsx")
    finally:
        session.set_current(None)
    assert not (tmp_path / "m.xlsx").exists()


def test_purchase_and_points_exports(shop: dict[str, int], tmp_path: Path) -> None:
    assert export_purchases(tmp_path / "p.xlsx").rows == 3
    sheet = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    titles = [cell.value for cell in sheet[1]]
    first = {title: cell.value for title, cell in zip(titles, sheet[2], strict=True)}
    assert first["Date"] == dt.datetime(2024, 3, 1, 10, 0)
    assert (first["Amount"], first["Paid"], first["Category"]) == (384, 300, "面霜")  # the largest line
    assert (first["Items"], first["Staff"], first["Note"]) == ("面膜、面霜 ×2", "小叶", "首单")
    refunded = {title: cell.value for title, cell in zip(titles, sheet[3], strict=True)}
    assert refunded["Refund reason"] == "过敏" and isinstance(refunded["Refunded"], dt.datetime)
    since = export_purchases(tmp_path / "since.csv", since=dt.date(2024, 3, 4), until=dt.date(2024, 3, 6))
    assert since.rows == 2
    li_only = export_purchases(
        tmp_path / "li.csv", scope=MemberScope(member_ids=[shop["li"]]), mask_phones=True
    )
    assert li_only.rows == 1
    assert "139****9000" in (tmp_path / "li.csv").read_text(encoding="utf-8-sig")
    assert export_points(tmp_path / "points.xlsx").rows == PointsEntry.select().count()
    ledger_rows = _sheet(tmp_path / "points.xlsx")
    kinds = [row[3] for row in ledger_rows[1:]]
    assert "Opening balance" in kinds and "Earned on a purchase" in kinds
    opening = next(row for row in ledger_rows[1:] if row[3] == "Opening balance")
    assert (opening[1], opening[2], opening[4]) == ("13900139000", "李四", 500)


def test_formula_like_text_opens_as_text(shop: dict[str, int], tmp_path: Path) -> None:
    for index, text in enumerate(DANGEROUS):
        create_member(MemberInput(name=f"客{index}", phone=f"1350013500{index}", notes=text))
    export_members(tmp_path / "m.xlsx", columns=["phone", "notes"])
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx").active
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    for index, text in enumerate(DANGEROUS):
        cell = cells[f"1350013500{index}"]
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    export_members(tmp_path / "m.csv", columns=["phone", "notes"])
    content = (tmp_path / "m.csv").read_text(encoding="utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in content and "'+86 请回电" in content and "'@SUM(A1)" in content


def test_a_csv_export_imports_again(shop: dict[str, int], tmp_path: Path) -> None:
    create_member(MemberInput(name="赵六", phone="13600136000", notes="=1+2"))
    export_members(tmp_path / "m.csv", columns=["phone", "name", "notes", "birthday"])
    close_database()
    open_database(tmp_path / "other.db")
    try:
        _plan, result = import_members(tmp_path / "m.csv")
        assert result.created == 3
        assert Member.get(Member.phone == "13600136000").notes == "=1+2"
        from shopdesk.services.members import get_member

        assert get_member(Member.get(Member.phone == "13900139000").id).birthday == Birthday(3, 9)
    finally:
        close_database()


# -- the round trip ---------------------------------------------------------------------------------------

# Computed by the daily jobs from the purchases (lifecycle, RFM, automatic tags): not carried by a file.
DERIVED = {"lifecycle", "rfm", "rfm_scores", "auto_tags"}
ROUND_TRIP_COLUMNS = [column.key for column in MEMBER_COLUMNS if column.key not in DERIVED]


def _fresh_shop(target: str, tmp_path: Path) -> str:
    """An empty shop next to ``target``: a new file, or the PostgreSQL schema emptied."""
    close_database()
    if "://" not in target:
        return str(tmp_path / "fresh.db")
    import psycopg2

    connection = psycopg2.connect(target)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connection.close()
    return target


def _export_both(folder: Path) -> tuple[list[list[object]], list[list[object]]]:
    folder.mkdir()
    export_members(
        folder / "members.xlsx", columns=ROUND_TRIP_COLUMNS, scope=MemberScope(include_archived=True)
    )
    export_purchases(folder / "purchases.xlsx")
    return _sheet(folder / "members.xlsx"), _sheet(folder / "purchases.xlsx")


def _comparable(rows: list[list[object]], set_columns: set[str], dropped: set[str]) -> list[list[object]]:
    titles = [str(title) for title in rows[0]]
    keep = [index for index, title in enumerate(titles) if title not in dropped]
    out = []
    for row in rows:
        out.append(
            [
                frozenset(str(row[i]).split("、"))
                if titles[i] in set_columns and row is not rows[0]
                else row[i]
                for i in keep
            ]
        )
    return out


def test_round_trip_of_the_demo_shop(db_target: str, db: object, tmp_path: Path) -> None:
    build_demo_shop(db_target, 300, purchases=1500, seed=5)
    open_database(db_target)
    members_before, purchases_before = _export_both(tmp_path / "before")
    assert len(members_before) == 301 and len(purchases_before) == 1501
    assert any(row[7] for row in members_before[1:]), "the demo shop should have some manual tags"
    assert any(row[6] for row in members_before[1:]), "… and some points"

    target = _fresh_shop(db_target, tmp_path)
    open_database(target)
    from shopdesk.services.tiers import ensure_default_tiers

    ensure_default_tiers()  # the owner sets up the same tiers before importing
    member_plan, members = import_members(tmp_path / "before" / "members.xlsx")
    assert (member_plan.errors, members.created) == ([], 300)
    purchase_plan, purchases = import_purchases(tmp_path / "before" / "purchases.xlsx")
    assert (purchase_plan.errors, purchases.imported) == ([], 1500)

    members_after, purchases_after = _export_both(tmp_path / "after")
    assert _comparable(members_after, {"Tags"}, set()) == _comparable(members_before, {"Tags"}, set())
    # "Items" lists each line of a sale; an import records a sale as one line of its main category.
    assert _comparable(purchases_after, set(), {"Items"}) == _comparable(purchases_before, set(), {"Items"})
