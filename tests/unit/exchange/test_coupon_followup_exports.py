"""Coupon and follow-up exports on SQLite and PostgreSQL: values and types read back with openpyxl,
statuses in words, real dates, ¥ amounts, masking, formula-like text kept as text, filters, and CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from shopdesk.db.models import AuditLog, Coupon, FollowupTask
from shopdesk.domain.coupons import CouponStatus
from shopdesk.domain.followups import Outcome, TaskKind
from shopdesk.errors import UserError
from shopdesk.exchange.coupon_export import CouponFilter, export_coupons
from shopdesk.exchange.exporting import MemberScope
from shopdesk.exchange.followup_export import export_followups
from shopdesk.i18n import setup_i18n
from shopdesk.services import session
from shopdesk.services.catalog import create_staff
from shopdesk.services.coupon_templates import TemplateInput, create_template
from shopdesk.services.coupons import issue_coupon, issue_coupons, void_coupon
from shopdesk.services.followups import add_manual_task, record_outcome, snooze_task
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.progress import CancelledError
from shopdesk.services.purchases import PurchaseInput, record_purchase
from shopdesk.services.tags import bulk_tag, create_tag

EVIL_REASON = "=cmd|' /C calc'!A0"
TODAY = dt.date.today()


def _rows(path: Path) -> tuple[list[str], list[dict[str, openpyxl.cell.Cell]]]:
    """The header and each row as {title: cell}."""
    sheet = openpyxl.load_workbook(path).active
    titles = [cell.value for cell in sheet[1]]
    return titles, [dict(zip(titles, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def _csv(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").splitlines()


# -- coupons ----------------------------------------------------------------------------------------------


@pytest.fixture
def coupons(db: object) -> dict[str, int]:
    """Four coupons: used on a ¥150 sale, voided with a formula-like reason, expired, and unused."""
    zhang = create_member(MemberInput(name="张三", phone="13800138000"))
    evil = create_member(MemberInput(name="=1+1", phone="13900139000"))
    wang = create_member(MemberInput(name="王五", phone="13700137000"))
    off = create_template(TemplateInput("满100减20", "threshold", value_fen=20_00, threshold_fen=100_00))
    gift = create_template(TemplateInput("生日礼", "gift", gift_name="面膜", valid_days=30))
    used = issue_coupon(off, zhang)
    record_purchase(PurchaseInput(member_id=zhang, amount_fen=150_00, coupon_id=used))
    voided = issue_coupon(off, evil)
    void_coupon(voided, EVIL_REASON)
    expired = issue_coupon(gift, wang, today=dt.date(2020, 1, 1))
    vip = create_tag("VIP")
    bulk_tag([zhang], vip)
    batch = issue_coupons(gift, [zhang], source="tag", label="VIP").batch_id
    unused = Coupon.get(Coupon.batch == batch).id
    Coupon.update(issued_at=dt.datetime(2020, 1, 1, 9, 30)).where(Coupon.id == expired).execute()
    return {
        "off": off,
        "gift": gift,
        "used": used,
        "voided": voided,
        "expired": expired,
        "unused": unused,
        "zhang": zhang,
    }


def test_coupon_export_types_and_values(coupons: dict[str, int], tmp_path: Path) -> None:
    result = export_coupons(tmp_path / "coupons.xlsx")
    assert (result.rows, result.file_format, result.masked) == (4, "xlsx", False)
    titles, rows = _rows(tmp_path / "coupons.xlsx")
    assert titles == [
        "Code",
        "Coupon template",
        "Terms",
        "Name",
        "Phone",
        "Issued on",
        "Valid from",
        "Valid until",
        "Status",
        "Used on",
        "Sale amount",
        "Money off",
        "Void reason",
        "Issued to",
    ]
    used, voided, expired, unused = rows  # in the order they were issued
    assert used["Code"].value == Coupon.get_by_id(coupons["used"]).code and used["Code"].data_type == "s"
    assert (used["Coupon template"].value, used["Terms"].value) == ("满100减20", "¥20.00 off from ¥100.00")
    assert (used["Name"].value, used["Phone"].value, used["Status"].value) == ("张三", "13800138000", "Used")
    assert used["Issued on"].is_date and used["Issued on"].value.date() == TODAY
    assert used["Valid from"].is_date and used["Valid from"].value == dt.datetime.combine(TODAY, dt.time())
    assert used["Valid from"].number_format == "yyyy-mm-dd"
    assert used["Used on"].is_date and isinstance(used["Used on"].value, dt.datetime)
    assert (used["Sale amount"].value, used["Money off"].value) == (150, 20)
    assert "¥" in used["Sale amount"].number_format and "¥" in used["Money off"].number_format
    assert used["Issued to"].value == "Issued by hand"
    # Formula-like text is a text cell Excel shows and never runs.
    assert voided["Name"].value == "=1+1" and voided["Name"].data_type == "s" and voided["Name"].quotePrefix
    assert voided["Void reason"].value == EVIL_REASON and voided["Void reason"].quotePrefix
    assert (voided["Status"].value, voided["Sale amount"].value, voided["Money off"].value) == (
        "Void",
        None,
        None,
    )
    assert (expired["Status"].value, expired["Terms"].value) == ("Expired", "Gift: 面膜")
    assert expired["Issued on"].value == dt.datetime(2020, 1, 1, 9, 30)
    assert expired["Valid until"].value == dt.datetime(2020, 1, 30)
    assert (unused["Status"].value, unused["Used on"].value, unused["Issued to"].value) == (
        "Unused",
        None,
        "Tag: VIP",
    )
    entry = AuditLog.get(AuditLog.action == "export.coupons")
    assert entry.target == "coupons.xlsx"


def test_coupon_export_as_the_coupons_page_filters_it(coupons: dict[str, int], tmp_path: Path) -> None:
    def codes(**kwargs: object) -> list[str]:
        export_coupons(tmp_path / "c.csv", **kwargs)
        return [line.split(",")[0] for line in _csv(tmp_path / "c.csv")[1:]]

    code = {key: Coupon.get_by_id(coupons[key]).code for key in ("used", "voided", "expired", "unused")}
    for status, key in (
        (CouponStatus.USED, "used"),
        (CouponStatus.VOID, "voided"),
        (CouponStatus.EXPIRED, "expired"),
        (CouponStatus.UNUSED, "unused"),
    ):
        assert codes(coupons=CouponFilter(status=status)) == [code[key]]
    assert codes(coupons=CouponFilter(template_id=coupons["gift"])) == [code["expired"], code["unused"]]
    assert codes(coupons=CouponFilter(text="张")) == [code["used"], code["unused"]]  # part of the name
    assert codes(coupons=CouponFilter(text="9000")) == [code["voided"]]  # the phone's last digits
    assert codes(coupons=CouponFilter(text=code["expired"].lower())) == [code["expired"]]
    assert codes(coupons=CouponFilter(text="%")) == []  # a wildcard is a character, not "anything"
    assert codes(coupons=CouponFilter(status=CouponStatus.UNUSED, template_id=coupons["off"])) == []
    # The CLI's filters: a tag or a segment of members, and the issue date.
    assert codes(scope=MemberScope(tag="VIP")) == [code["used"], code["unused"]]
    assert codes(until=dt.date(2020, 1, 1)) == [code["expired"]]
    assert codes(since=dt.date(2020, 1, 2)) == [code["used"], code["voided"], code["unused"]]
    assert codes(scope=MemberScope(member_ids=[])) == []
    with pytest.raises(UserError, match="no tag called"):
        export_coupons(tmp_path / "x.csv", scope=MemberScope(tag="nope"))


def test_coupon_csv_masks_phones_and_guards_formulas(coupons: dict[str, int], tmp_path: Path) -> None:
    result = export_coupons(tmp_path / "c.csv", mask_phones=True)
    assert result.masked
    lines = _csv(tmp_path / "c.csv")
    assert "138****8000" in lines[1] and "13800138000" not in "\n".join(lines)
    assert ",150.00,20.00," in lines[1]  # money as plain numbers
    assert f"'{EVIL_REASON}" in lines[2] and ",'=1+1," in lines[2]
    assert lines[3].split(",")[5:8] == ["2020-01-01 09:30:00", "2020-01-01", "2020-01-30"]


def test_coupon_export_in_chinese_and_for_clerks(coupons: dict[str, int], tmp_path: Path) -> None:
    setup_i18n("zh_CN")
    export_coupons(tmp_path / "zh.xlsx")
    titles, rows = _rows(tmp_path / "zh.xlsx")
    assert titles[0] == "券码"
    assert [row[titles[8]].value for row in rows] == ["已使用", "作废", "已过期", "未使用"]
    assert rows[0][titles[2]].value == "满¥100.00减¥20.00"
    setup_i18n("en")
    session.set_current(session.Session(None, "小叶", session.Role.CLERK))
    try:
        with pytest.raises(UserError, match="Only the owner"):
            export_coupons(tmp_path / "clerk.xlsx")
    finally:
        session.set_current(None)


# -- follow-ups -------------------------------------------------------------------------------------------


@pytest.fixture
def followups(db: object) -> dict[str, int]:
    """Three tasks: a manual one done (reached), a birthday with a formula-like note, one put off."""
    staff = create_staff("小叶")
    zhang = create_member(MemberInput(name="张三", phone="13800138000", staff_id=staff))
    evil = create_member(MemberInput(name="=1+1", phone="13900139000"))
    wang = create_member(MemberInput(name="王五", phone="13700137000"))
    done = add_manual_task(zhang, TODAY, "Ask about the cream", staff_id=staff)
    record_outcome(done, Outcome.CONTACTED, "Likes it")
    birthday = FollowupTask.create(
        member=evil,
        kind=TaskKind.BIRTHDAY.value,
        key=f"birthday:{evil}:2024",
        list_date=dt.date(2024, 3, 5),
        due_date=dt.date(2024, 3, 8),
        reason="Birthday in 3 days (3/8)",
        note=EVIL_REASON,
    ).id
    later = add_manual_task(wang, TODAY, "Return the umbrella")
    snooze_task(later, TODAY + dt.timedelta(days=3))
    vip = create_tag("VIP")
    bulk_tag([zhang, wang], vip)
    return {"done": done, "birthday": birthday, "later": later}


def test_followup_export_types_and_values(followups: dict[str, int], tmp_path: Path) -> None:
    result = export_followups(tmp_path / "f.xlsx")
    assert result.rows == 3
    titles, rows = _rows(tmp_path / "f.xlsx")
    assert titles == [
        "List date",
        "Name",
        "Phone",
        "Reason for contact",
        "Details",
        "Due date",
        "Status",
        "Result",
        "Result recorded",
        "Put off until",
        "Staff",
        "Note",
    ]
    birthday, done, later = rows  # by list date
    assert birthday["List date"].is_date and birthday["List date"].value == dt.datetime(2024, 3, 5)
    assert birthday["List date"].number_format == "yyyy-mm-dd"
    assert (birthday["Reason for contact"].value, birthday["Details"].value) == (
        "Birthday",
        "Birthday in 3 days (3/8)",
    )
    assert birthday["Due date"].value == dt.datetime(2024, 3, 8)
    assert (birthday["Status"].value, birthday["Result"].value, birthday["Staff"].value) == (
        "To contact",
        None,
        None,
    )
    assert birthday["Name"].value == "=1+1" and birthday["Name"].quotePrefix
    assert birthday["Note"].value == EVIL_REASON and birthday["Note"].data_type == "s"
    assert birthday["Note"].quotePrefix
    assert (done["Reason for contact"].value, done["Details"].value) == ("Manual task", "Ask about the cream")
    assert (done["Status"].value, done["Result"].value, done["Staff"].value) == ("Done", "Reached", "小叶")
    assert done["Result recorded"].is_date and done["Result recorded"].value.date() == TODAY
    assert (done["Note"].value, done["Phone"].value) == ("Likes it", "13800138000")
    assert (later["Status"].value, later["Put off until"].value) == (
        "Put off",
        dt.datetime.combine(TODAY + dt.timedelta(days=3), dt.time()),
    )
    assert AuditLog.get(AuditLog.action == "export.followups").target == "f.xlsx"


def test_followup_filters_masking_and_csv(followups: dict[str, int], tmp_path: Path) -> None:
    def names(**kwargs: object) -> list[str]:
        export_followups(tmp_path / "f.csv", **kwargs)
        return [line.split(",")[1] for line in _csv(tmp_path / "f.csv")[1:]]

    assert names(since=dt.date(2024, 3, 5), until=dt.date(2024, 3, 5)) == ["'=1+1"]
    assert names(since=dt.date(2024, 3, 6)) == ["张三", "王五"]
    assert names(until=dt.date(2024, 3, 4)) == []
    assert names(scope=MemberScope(tag="VIP")) == ["张三", "王五"]
    result = export_followups(tmp_path / "m.csv", mask_phones=True)
    assert result.masked
    lines = _csv(tmp_path / "m.csv")
    assert lines[1].startswith("2024-03-05,'=1+1,139****9000,Birthday,")
    assert lines[1].endswith(f",'{EVIL_REASON}")
    assert "13800138000" not in "\n".join(lines)
    setup_i18n("zh_CN")
    export_followups(tmp_path / "zh.csv")
    zh = _csv(tmp_path / "zh.csv")
    assert zh[0].startswith("清单日期,姓名,手机号,联系原因")
    assert zh[0].endswith(",状态,结果,结果记录时间,改期至,导购,备注")
    assert [line.split(",")[6:8] for line in zh[1:]] == [["待联系", ""], ["完成", "联系上"], ["已改期", ""]]


class _CancelAtOnce:
    """A progress the user cancels at its first report."""

    def __init__(self) -> None:
        self.steps: list[tuple[int, int]] = []

    def step(self, done: int, total: int, message: str = "") -> None:
        self.steps.append((done, total))

    def cancelled(self) -> bool:
        return True


def test_a_cancelled_export_leaves_no_file(coupons: dict[str, int], tmp_path: Path) -> None:
    (tmp_path / "old.xlsx").write_bytes(b"the previous export")
    for export in (export_coupons, export_followups):
        progress = _CancelAtOnce()
        with pytest.raises(CancelledError):
            export(tmp_path / "old.xlsx", progress=progress)
        assert progress.steps and progress.steps[-1][1] == progress.steps[-1][0]
        assert (tmp_path / "old.xlsx").read_bytes() == b"the previous export"
    assert [path.name for path in tmp_path.glob("*.xlsx")] == ["old.xlsx"]  # no temporary file either
    assert not AuditLog.select().where(AuditLog.action.startswith("export.")).exists()
