"""Purchases sheets: English or Chinese headers, phones however typed, dates and amounts in any usual
form, rows that cannot be read counted and skipped, CSV and .xlsx."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.errors import UserError
from shopdesk.reminders_eval.sheet import SaleRecord, parse_when, read_purchases


def _write(path, text: str, encoding: str = "utf-8") -> str:
    path.write_text(text, encoding=encoding)
    return str(path)


def test_a_sheet_with_chinese_headers_and_categories(tmp_path) -> None:
    sheet = _write(
        tmp_path / "sales.csv",
        "手机号,消费时间,实付金额,品类\n"
        "138 0013 8000,2026/3/9 18:30,¥268.00,面霜、面膜\n"
        "13800138000,2026-03-20,99,\n",
        encoding="gb18030",
    )
    data = read_purchases(sheet)
    assert data.records == [
        SaleRecord("138 0013 8000", dt.datetime(2026, 3, 9, 18, 30), 268_00, ("面霜", "面膜")),
        SaleRecord("13800138000", dt.datetime(2026, 3, 20, 12, 0), 99_00, ()),
    ]
    assert (data.skipped, data.has_categories) == (0, True)


def test_member_ids_dates_and_amounts_only_with_a_title_row_and_bad_rows(tmp_path) -> None:
    sheet = _write(
        tmp_path / "export.csv",
        "Sales 2026\n"
        "member_id,date,amount\n"
        "7,2026-01-05,12.5\n"
        ",2026-01-06,10\n"  # no customer
        "8,not a date,10\n"
        "9,2026-01-07,lots\n"
        "\n"
        "10,2026年1月8日,3\n",
    )
    data = read_purchases(sheet)
    assert [(r.customer, r.when.date(), r.amount_fen) for r in data.records] == [
        ("7", dt.date(2026, 1, 5), 12_50),
        ("10", dt.date(2026, 1, 8), 3_00),
    ]
    assert (data.skipped, data.has_categories) == (3, False)


def test_an_excel_sheet_with_real_dates_and_numbers(tmp_path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["会员编号", "日期", "金额"])
    sheet.append([12.0, dt.datetime(2026, 2, 1, 9, 15), 88])
    sheet.append([13, dt.date(2026, 2, 2), 8.8])
    path = tmp_path / "sales.xlsx"
    workbook.save(path)
    records = read_purchases(path).records
    assert [(r.customer, r.when, r.amount_fen) for r in records] == [
        ("12", dt.datetime(2026, 2, 1, 9, 15), 88_00),
        ("13", dt.datetime(2026, 2, 2, 12, 0), 8_80),
    ]


def test_a_sheet_without_the_needed_columns_is_refused(tmp_path) -> None:
    with pytest.raises(UserError, match="No header row"):
        read_purchases(_write(tmp_path / "names.csv", "name,phone\n张三,13800138000\n"))
    with pytest.raises(UserError, match="There is no file"):
        read_purchases(tmp_path / "missing.csv")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-09", dt.datetime(2026, 3, 9, 12)),
        ("2026-3-9 7:05", dt.datetime(2026, 3, 9, 7, 5)),
        ("2026.03.09T18:30:15", dt.datetime(2026, 3, 9, 18, 30, 15)),
        (46090, dt.datetime(2026, 3, 9)),  # an Excel serial
        (46090.75, dt.datetime(2026, 3, 9, 18)),
        ("2026-02-30", None),
        ("yesterday", None),
        (None, None),
        (True, None),
    ],
)
def test_purchase_times(raw: object, expected: dt.datetime | None) -> None:
    assert parse_when(raw) == expected
