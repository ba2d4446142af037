"""The import wizard: a messy sheet through the mapping step, a column mapped by hand, the check, import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt

from shopdesk.services.members import count_members, find_member_by_phone, get_member
from shopdesk.services.points import ledger_sum
from shopdesk.services.tags import member_tags
from shopdesk.ui.dialogs import import_wizard
from shopdesk.ui.dialogs.import_wizard import ImportWizard, Step
from shopdesk.ui.events import MEMBERS


def messy_sheet(path: Path) -> Path:
    """A title row merged over the columns, a blank row, a column nobody recognises (剩余点数), phones in
    every form, a birthday without a year, a repeated phone and one wrong phone."""
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "2024年 会员名单（门店导出）"
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["手机号码", "姓名", "生日", "剩余点数", "备注", "标签"])
    sheet.append([13800138000, "王丽", dt.datetime(1990, 5, 1), 120, "老客户", "VIP"])
    sheet.append(["138-0013-8001", "李娜", "2023年5月1日", "", "", ""])
    sheet.append(["+86 138 0013 8002", "张敏", "3月9日", 30, "", "面膜"])
    sheet.append(["１３８００１３８００３", "刘静", "", "", "", ""])
    sheet.append(["12345", "陈芳", "", "", "", ""])  # row 8: a phone with too few digits
    sheet.append(["13800138000", "", "", "", "", "复购"])  # the first member again: tags unite
    book.save(path)
    return path


@pytest.fixture
def sheet_path(tmp_path, shop) -> Path:
    return messy_sheet(tmp_path / "会员名单.xlsx")


def _read(wizard: ImportWizard, qtbot) -> None:
    wizard.next()
    assert wizard.step() == Step.MAPPING


def test_messy_sheet_mapped_by_hand_checked_and_imported(
    qtbot, qtmodeltester, runner, events, sheet_path, tmp_path, monkeypatch
):
    wizard = ImportWizard(None, runner, path=str(sheet_path))
    qtbot.addWidget(wizard)
    _read(wizard, qtbot)
    qtmodeltester.check(wizard.preview_model)
    # The header was found under the title row; the preview shows the data rows with Excel's numbers.
    assert wizard.plan.header.header_row == 2
    assert wizard.preview_model.headerData(0, Qt.Orientation.Vertical) == "4"
    assert wizard.preview_model.rowCount() == 6
    points_combo = wizard.combos[3]
    assert points_combo.currentData() is None  # 剩余点数 is not a name ShopDesk knows
    assert "not imported" in wizard.preview_model.headerData(3, Qt.Orientation.Horizontal)
    assert wizard.next_button.isEnabled()

    points_combo.setCurrentIndex(points_combo.findData("points"))
    assert wizard.preview_model.mapping()[3] == "points"
    assert "→" in wizard.preview_model.headerData(3, Qt.Orientation.Horizontal)

    wizard.next()
    assert wizard.step() == Step.OPTIONS
    wizard.next()  # Check, without skipping invalid rows
    assert wizard.step() == Step.CHECK
    qtmodeltester.check(wizard.errors_model)
    assert wizard.plan.invalid_rows == 1
    assert wizard.plan.merged_rows == 1
    assert wizard.errors_model.rowCount() == 1
    error = wizard.errors_model.error(0)
    assert (error.row, error.column) == (8, "A")
    assert wizard.errors_model.data(wizard.errors_model.index(0, 2)) == "12345"
    assert not wizard.next_button.isEnabled()  # one wrong row stops the import unless skipped
    assert wizard.check_advice.isVisibleTo(wizard)

    report = tmp_path / "problems.xlsx"
    monkeypatch.setattr(import_wizard, "choose_save_path", lambda *args: str(report))
    wizard.save_report()
    rows = list(load_workbook(report).active.iter_rows(values_only=True))
    assert rows[1][:2] == (8, "A")

    wizard.back()
    wizard.skip_invalid.setChecked(True)
    wizard.next()
    assert wizard.step() == Step.CHECK
    assert wizard.next_button.isEnabled()
    with qtbot.waitSignal(events.changes_applied) as announced:
        wizard.next()
    assert MEMBERS in announced.args[0]
    assert wizard.step() == Step.SUMMARY
    assert wizard.result_.created == 4
    assert wizard.result_.rejected == 1
    assert count_members() == 4

    wang = find_member_by_phone("13800138000")
    assert get_member(wang).name == "王丽"
    assert ledger_sum(wang) == 120  # the column mapped by hand became the opening balance
    assert {chip.name for chip in member_tags(wang)} >= {"VIP", "复购"}
    assert find_member_by_phone("13800138003") is not None  # full-width digits
    assert get_member(find_member_by_phone("13800138002")).birthday.month == 3
    wizard.next()
    assert wizard.result() == ImportWizard.DialogCode.Accepted


def test_a_required_field_left_unmapped_blocks_the_next_step(qtbot, runner, sheet_path):
    wizard = ImportWizard(None, runner, path=str(sheet_path))
    qtbot.addWidget(wizard)
    _read(wizard, qtbot)
    phone = wizard.combos[0]
    phone.setCurrentIndex(phone.findData(None))
    assert not wizard.next_button.isEnabled()
    assert wizard.missing_label.isVisibleTo(wizard)
    # Setting another column to the phone takes it away from the column that had it.
    wizard.combos[4].setCurrentIndex(wizard.combos[4].findData("phone"))
    assert wizard.next_button.isEnabled()
    wizard.combos[0].setCurrentIndex(wizard.combos[0].findData("phone"))
    assert wizard.combos[4].currentData() is None
    assert wizard.preview_model.mapping()[0] == "phone"


def test_nothing_imported_when_cancelled_before_the_last_step(qtbot, runner, sheet_path):
    wizard = ImportWizard(None, runner, path=str(sheet_path))
    qtbot.addWidget(wizard)
    _read(wizard, qtbot)
    wizard.next()
    wizard.next()
    wizard.reject()
    assert wizard.result_ is None
    assert count_members() == 0


def test_a_file_that_is_not_excel_is_reported_and_the_wizard_stays(qtbot, runner, shop, tmp_path, messages):
    bogus = tmp_path / "members.xlsx"
    bogus.write_bytes(b"\x00\x01 not a spreadsheet at all")
    wizard = ImportWizard(None, runner, path=str(bogus))
    qtbot.addWidget(wizard)
    wizard.next()
    assert wizard.step() == Step.FILE
    assert messages and messages[0].kind == "warning"
    assert wizard.next_button.isEnabled()


def test_purchases_for_unknown_phones_create_members_when_asked(qtbot, runner, shop, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["消费日期", "手机号", "姓名", "消费金额"])
    sheet.append(["2024/5/1", "13900001111", "赵雪", "¥1,280.00"])
    sheet.append(["2024-05-02", "13900002222", "吴燕", "99元"])
    path = tmp_path / "sales.xlsx"
    book.save(path)
    wizard = ImportWizard(None, runner, kind="purchases", path=str(path))
    qtbot.addWidget(wizard)
    _read(wizard, qtbot)
    wizard.next()
    assert wizard.create_members.isVisibleTo(wizard)
    assert not wizard.existing_box.isVisibleTo(wizard)
    wizard.next()
    assert wizard.plan.invalid_rows == 2  # unknown phones without "create members"
    wizard.back()
    wizard.create_members.setChecked(True)
    wizard.next()
    assert wizard.plan.invalid_rows == 0
    wizard.next()
    assert wizard.result_.imported == 2
    assert wizard.result_.members_created == 2
    assert get_member(find_member_by_phone("13900001111")).total_spent_fen == 128_000


def test_blank_template_is_saved_where_chosen(qtbot, runner, shop, tmp_path, monkeypatch):
    target = tmp_path / "template"
    monkeypatch.setattr(import_wizard, "choose_save_path", lambda *args: str(target))
    import_wizard.save_template(None, runner)
    book = load_workbook(tmp_path / "template.xlsx")
    assert len(book.sheetnames) >= 2
