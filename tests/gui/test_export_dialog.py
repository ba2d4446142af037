"""The export dialog: choices reach the file, clerks get masked phones, and 100,000 members export on the
DB lane with the window responsive, progress reported, and Cancel leaving no file. Coupons (from the
Coupons page, with its filters) and follow-ups export through the same dialog and task runner."""

from __future__ import annotations

import csv
import datetime as dt
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton

from shopdesk.db.models import Coupon, Member
from shopdesk.domain.coupons import CouponStatus
from shopdesk.exchange.coupon_export import CouponFilter
from shopdesk.services import session
from shopdesk.services.coupon_templates import TemplateInput, create_template
from shopdesk.services.coupons import issue_coupon, issue_coupons, void_coupon
from shopdesk.services.followups import add_manual_task
from shopdesk.services.progress import CancelledError
from shopdesk.services.tags import bulk_tag, create_tag
from shopdesk.services.transactions import atomic
from shopdesk.ui.dialogs import export_dialog
from shopdesk.ui.dialogs.export_dialog import (
    COUPONS,
    FOLLOWUPS,
    MEMBERS,
    POINTS,
    PURCHASES,
    TAG,
    ExportDialog,
)
from shopdesk.ui.screens.coupons import CouponsScreen
from shopdesk.ui.tasks import TaskRunner

BIG_SHOP = 100_000


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """Folders the dialog would have opened, instead of opening them."""
    seen: list[Path] = []
    monkeypatch.setattr(export_dialog, "open_folder", seen.append)
    return seen


def test_members_with_a_tag_to_csv_with_chosen_columns_and_masked_phones(
    qtbot, runner, add_members, tmp_path, opened
):
    ids = add_members(5)
    vip = create_tag("VIP")
    bulk_tag(ids[:2], vip)
    dialog = ExportDialog(None, runner)
    qtbot.addWidget(dialog)
    dialog.tag_choice.setChecked(True)
    dialog.tag.setCurrentIndex(dialog.tag.findData("VIP"))
    assert dialog.scope_kind() == TAG
    dialog.file_format.setCurrentIndex(dialog.file_format.findData("csv"))
    assert dialog.path_edit.text().endswith(".csv")
    for row in range(dialog.columns.count()):
        key = dialog.columns.item(row).data(0x0100)
        dialog.set_column(key, key in ("phone", "name"))
    dialog.mask.setChecked(True)
    target = tmp_path / "vip.csv"
    dialog.path_edit.setText(str(target))
    dialog.submit()
    assert dialog.result() == ExportDialog.DialogCode.Accepted
    assert dialog.result_.rows == 2
    assert opened == [target]
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows[0]) == 2
    assert rows[1][0] == "138****0000"


def test_no_columns_ticked_is_an_inline_error(qtbot, runner, shop, tmp_path, opened):
    dialog = ExportDialog(None, runner)
    qtbot.addWidget(dialog)
    for row in range(dialog.columns.count()):
        dialog.set_column(dialog.columns.item(row).data(0x0100), False)
    dialog.path_edit.setText(str(tmp_path / "x.xlsx"))
    dialog.submit()
    assert dialog.form.error_text("columns")
    assert not (tmp_path / "x.xlsx").exists()
    assert opened == []


def test_the_current_list_and_the_points_ledger(qtbot, runner, add_members, tmp_path, opened):
    ids = add_members(3)
    dialog = ExportDialog(None, runner, current_ids=[ids[2], ids[0]])
    qtbot.addWidget(dialog)
    assert dialog.current_choice.isChecked()
    target = tmp_path / "list.xlsx"
    dialog.path_edit.setText(str(target))
    dialog.submit()
    sheet = load_workbook(target).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["13800000002", "13800000000"]

    dialog = ExportDialog(None, runner, what=PURCHASES)
    qtbot.addWidget(dialog)
    dialog.what.setCurrentIndex(dialog.what.findData(POINTS))
    assert dialog.chosen_columns() is None
    assert not dialog.columns.isEnabled()
    dialog.path_edit.setText(str(tmp_path / "ledger.xlsx"))
    dialog.submit()
    assert dialog.result_.rows == 0
    assert (tmp_path / "ledger.xlsx").exists()


def test_clerks_always_export_masked_phones(qtbot, runner, shop):
    session.set_current(session.Session(None, "小美", session.Role.CLERK))
    try:
        dialog = ExportDialog(None, runner)
        qtbot.addWidget(dialog)
        assert dialog.mask.isChecked()
        assert not dialog.mask.isEnabled()
    finally:
        session.set_current(None)


def _bulk_members(count: int) -> None:
    """``count`` members in a few big inserts (creating them one by one would take minutes)."""
    rows = (
        {"phone": f"139{i:08d}", "phone_rev": f"139{i:08d}"[::-1], "name": f"会员{i}"} for i in range(count)
    )
    with atomic():
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 5_000:
                Member.insert_many(batch).execute()
                batch = []
        if batch:
            Member.insert_many(batch).execute()


def test_100k_members_export_reports_progress_keeps_the_window_live_and_cancel_leaves_no_file(
    qtbot, shop, events, tmp_path, opened
):
    _bulk_members(BIG_SHOP)
    runner = TaskRunner(events=events)
    try:
        dialog = ExportDialog(None, runner)
        qtbot.addWidget(dialog)
        target = tmp_path / "all.xlsx"
        dialog.path_edit.setText(str(target))
        ticks: list[float] = []
        timer = QTimer(interval=20)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start()
        steps: list[tuple[int, int]] = []
        dialog.submit()
        job = dialog.job
        job.progressed.connect(lambda done, total, _message: steps.append((done, total)))
        assert not dialog.save_button.isEnabled()  # no second export while this one runs
        with qtbot.waitSignal(job.progressed, timeout=30_000):
            pass
        qtbot.waitUntil(lambda: len(steps) >= 3, timeout=30_000)
        timer.stop()
        assert steps[0][1] == BIG_SHOP
        assert steps[-1][0] > steps[0][0]
        assert len(ticks) >= 3  # the GUI thread kept running its timers while the lane worked
        # Cancel as the user does: the progress dialog's Cancel button.
        progress = dialog.findChild(QProgressDialog)
        assert progress is not None
        cancel = progress.findChild(QPushButton)
        assert cancel is not None
        with qtbot.waitSignal(job.failed, timeout=30_000) as failed:
            cancel.click()
        assert isinstance(failed.args[0], CancelledError)
        assert dialog.save_button.isEnabled()
        assert dialog.result_ is None
        assert opened == []
        assert not target.exists()
        assert list(tmp_path.glob("all*")) == []  # no temporary file left behind either
    finally:
        assert runner.wait(30_000)


# -- coupons and follow-ups -------------------------------------------------------------------------------


def _coupons(member_ids: list[int]) -> tuple[int, int]:
    """Two templates; the first member's coupon is voided (formula-like reason), the others unused."""
    off = create_template(TemplateInput("满100减20", "threshold", value_fen=20_00, threshold_fen=100_00))
    gift = create_template(TemplateInput("生日礼", "gift", gift_name="面膜"))
    issue_coupons(off, member_ids)
    issue_coupon(gift, member_ids[-1])
    void_coupon(Coupon.select().order_by(Coupon.id).first().id, "=cmd|' /C calc'!A0")
    return off, gift


def test_the_coupons_page_exports_the_coupons_it_shows(
    qtbot, runner, events, add_members, tmp_path, opened, monkeypatch
):
    ids = add_members(3)
    off, _gift = _coupons(ids)
    page = CouponsScreen(runner, events)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentWidget(page.issued_page)
    page.status_filter.setCurrentIndex(page.status_filter.findData(CouponStatus.UNUSED.value))
    page.template_filter.setCurrentIndex(page.template_filter.findData(off))
    assert page.issued_model.rowCount() == 2
    target = tmp_path / "coupons.xlsx"
    seen: list[ExportDialog] = []

    def export(cls, parent, runner, current_ids=None, what=MEMBERS, coupons=None):
        dialog = cls(parent, runner, current_ids, what, coupons)
        qtbot.addWidget(dialog)
        seen.append(dialog)
        dialog.path_edit.setText(str(target))
        dialog.submit()
        return dialog.result_

    monkeypatch.setattr(ExportDialog, "ask", classmethod(export))
    page.export_button.click()
    [dialog] = seen
    assert dialog.kind() == COUPONS
    assert dialog.form.layout_.isRowVisible(dialog.coupon_box.parentWidget())
    assert dialog.coupon_status.currentData() == CouponStatus.UNUSED.value
    assert dialog.coupon_template.currentData() == off
    assert dialog.chosen_columns() is None and not dialog.columns.isEnabled()
    assert dialog.columns.count() == 14  # the fixed columns, ticked and greyed
    assert dialog.result_.rows == 2
    assert opened == [target]
    sheet = load_workbook(target).active
    assert [row[8] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Unused", "Unused"]
    assert {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"李丽", "张丽"}


def test_coupons_and_follow_ups_in_the_dialog(qtbot, runner, add_members, tmp_path, opened):
    ids = add_members(2)
    _coupons(ids)
    add_manual_task(ids[0], dt.date.today(), "Ask about the cream")
    dialog = ExportDialog(None, runner)
    qtbot.addWidget(dialog)
    assert [dialog.what.itemData(i) for i in range(dialog.what.count())] == [
        MEMBERS,
        PURCHASES,
        POINTS,
        COUPONS,
        FOLLOWUPS,
    ]
    assert not dialog.form.layout_.isRowVisible(dialog.coupon_box.parentWidget())
    dialog.what.setCurrentIndex(dialog.what.findData(COUPONS))
    assert "Coupons" in dialog.path_edit.text()
    assert dialog.form.layout_.isRowVisible(dialog.coupon_box.parentWidget())
    dialog.mask.setChecked(True)
    dialog.file_format.setCurrentIndex(dialog.file_format.findData("csv"))
    target = tmp_path / "coupons.csv"
    dialog.path_edit.setText(str(target))
    dialog.submit()
    assert dialog.result_.rows == 3 and dialog.result_.masked
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert "138****0000" in lines[1] and "'=cmd|' /C calc'!A0" in lines[1] and ",Void," in lines[1]

    dialog = ExportDialog(None, runner, what=FOLLOWUPS)
    qtbot.addWidget(dialog)
    assert not dialog.form.layout_.isRowVisible(dialog.coupon_box.parentWidget())
    assert dialog.chosen_columns() is None and dialog.coupon_filter() is None
    target = tmp_path / "followups.xlsx"
    dialog.path_edit.setText(str(target))
    dialog.submit()
    assert dialog.result_.rows == 1
    row = next(load_workbook(target).active.iter_rows(min_row=2, values_only=True))
    assert (row[1], row[3], row[4], row[6]) == ("王丽", "Manual task", "Ask about the cream", "To contact")


def test_ctrl_e_on_the_coupons_and_follow_ups_pages(qtbot, shop, runner, events, monkeypatch):
    from shopdesk.ui.main_window import MainWindow

    asked: list[tuple[str, object]] = []
    monkeypatch.setattr(
        ExportDialog,
        "ask",
        classmethod(
            lambda cls, parent, runner, ids=None, what=MEMBERS, coupons=None: asked.append((what, coupons))
        ),
    )
    window = MainWindow(shop, runner, events)
    qtbot.addWidget(window)
    window.show()
    create_template(TemplateInput("满100减20", "threshold", value_fen=20_00, threshold_fen=100_00))
    page = window.switch_to("coupons")
    page.refresh()
    page.status_filter.setCurrentIndex(page.status_filter.findData(CouponStatus.EXPIRED.value))
    page.search.setText("张")
    window.export_data()
    window.switch_to("followups")
    window.export_data()
    window.switch_to("members")
    window.export_data()
    assert asked == [
        (COUPONS, CouponFilter(status=CouponStatus.EXPIRED, template_id=None, text="张")),
        (FOLLOWUPS, None),
        (MEMBERS, None),
    ]


def test_a_coupon_export_runs_on_the_db_lane_with_progress(qtbot, shop, events, tmp_path, opened):
    count = 4_500  # more than two progress steps of 2,000 rows
    _bulk_members(count)
    off = create_template(TemplateInput("满100减20", "threshold", value_fen=20_00, threshold_fen=100_00))
    issue_coupons(off, [member_id for (member_id,) in Member.select(Member.id).tuples()])
    runner = TaskRunner(events=events)
    try:
        dialog = ExportDialog(None, runner, what=COUPONS)
        qtbot.addWidget(dialog)
        target = tmp_path / "coupons.xlsx"
        dialog.path_edit.setText(str(target))
        steps: list[tuple[int, int]] = []
        dialog.submit()
        job = dialog.job
        job.progressed.connect(lambda done, total, _message: steps.append((done, total)))
        assert not dialog.save_button.isEnabled()
        with qtbot.waitSignal(job.finished, timeout=60_000):
            pass
        qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=10_000)
        assert dialog.result_.rows == count
        assert (count, count) in steps and all(total == count for _done, total in steps)
        assert opened == [target]
    finally:
        assert runner.wait(30_000)
