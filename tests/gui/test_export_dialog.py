"""The export dialog: choices reach the file, clerks get masked phones, and 100,000 members export on the
DB lane with the window responsive, progress reported, and Cancel leaving no file."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton

from shopdesk.db.models import Member
from shopdesk.services import session
from shopdesk.services.progress import CancelledError
from shopdesk.services.tags import bulk_tag, create_tag
from shopdesk.services.transactions import atomic
from shopdesk.ui.dialogs import export_dialog
from shopdesk.ui.dialogs.export_dialog import POINTS, PURCHASES, TAG, ExportDialog
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
