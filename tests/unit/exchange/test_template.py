"""The blank import template (drop-downs, instructions) and the invalid-row report, read back."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from shopdesk.errors import UserError
from shopdesk.exchange.member_import import import_members, plan_member_import
from shopdesk.exchange.report import write_report
from shopdesk.exchange.template import write_template
from shopdesk.services.catalog import create_category, create_staff
from shopdesk.services.tiers import TierInput, save_tiers

from .sheets import MESSY_MEMBERS, xlsx


def _list_values(workbook: openpyxl.Workbook, formula: str) -> list[str]:
    sheet_name, cells = formula.lstrip("=").split("!")
    first, last = cells.replace("$", "").split(":")
    return [cell.value for (cell,) in workbook[sheet_name][f"{first}:{last}"]]


def test_members_template_has_drop_downs_and_instructions(db: object, tmp_path: Path) -> None:
    save_tiers([TierInput("普通", 0), TierInput("=金卡", 300_000)])
    create_staff("小叶")
    path = write_template(tmp_path / "template.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Members", "Instructions", "Lists"]
    assert workbook["Lists"].sheet_state == "hidden"
    sheet = workbook["Members"]
    titles = [cell.value for cell in sheet[1]]
    assert titles[:3] == ["Phone", "Name", "Gender"] and "Archived" not in titles
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].number_format == "@"  # phones stay text in Excel
    lists = {}
    for validation in sheet.data_validations.dataValidation:
        column = titles[openpyxl.utils.column_index_from_string(str(validation.sqref).split(":")[0][0]) - 1]
        lists[column] = _list_values(workbook, validation.formula1)
    assert lists["Tier"] == ["普通", "=金卡"]
    assert workbook["Lists"]["A1"].data_type == "s"  # a tier named like a formula stays text
    assert "WeChat Moments" in lists["Source"] and lists["Gender"] == ["Female", "Male"]
    assert lists["Staff"] == ["小叶"]
    instructions = [row[0].value for row in workbook["Instructions"].iter_rows() if row[0].value]
    assert instructions[0] == "How to fill in this template"
    assert "Phone" in instructions and any("opening balance" in text for text in instructions)


def test_a_filled_in_template_imports(db: object, tmp_path: Path) -> None:
    save_tiers([TierInput("普通", 0)])
    path = write_template(tmp_path / "template.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Members"]
    sheet["A2"], sheet["B2"], sheet["C2"], sheet["F2"] = "13800138000", "张三", "Female", "普通"
    workbook.save(path)
    plan, result = import_members(path)
    assert plan.errors == [] and result.created == 1


def test_purchases_template(db: object, tmp_path: Path) -> None:
    create_category("面霜")
    workbook = openpyxl.load_workbook(write_template(tmp_path / "p.xlsx", "purchases"))
    sheet = workbook["Purchases"]
    assert [cell.value for cell in sheet[1]][:4] == ["Phone", "Name", "Date", "Amount"]
    [validation, *_staff] = sheet.data_validations.dataValidation
    assert _list_values(workbook, validation.formula1) == ["面霜"]
    with pytest.raises(UserError, match=r"\.xlsx"):
        write_template(tmp_path / "p.csv")


def test_the_report_lists_every_invalid_cell(db: object, tmp_path: Path) -> None:
    rows = [*MESSY_MEMBERS, ["13900139000", "李四", "2月30日", None, "-3", None, None, None]]
    plan = plan_member_import(xlsx(tmp_path / "m.xlsx", rows))
    # No tiers in this shop: 金卡 and 银卡会员 are unknown, so 张三's first row is out and his second
    # row, without a name, would be a new member.
    assert write_report(plan, tmp_path / "report.xlsx") == 6
    sheet = openpyxl.load_workbook(tmp_path / "report.xlsx").active
    assert [cell.value for cell in sheet[1]] == ["Row", "Column", "Column name", "Value", "Reason"]
    found = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[:2] for row in found] == [[4, "D"], [6, "D"], [10, "B"], [11, "A"], [14, "C"], [14, "E"]]
    assert found[2][4] == "Name is required for a new member."
    assert found[3][3] == "1380013800" and "11 digits" in found[3][4]
    assert "no tier called 金卡" in found[0][4]
    with pytest.raises(UserError, match="Excel file"):
        write_report(plan, tmp_path / "report.csv")
