"""Writing sheets: styles, real dates, ¥ numbers, formula-safe text, CSV for Excel, nothing half-written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from shopdesk.domain.birthdays import Birthday
from shopdesk.errors import UserError
from shopdesk.exchange.writers import Column, Kind, csv_text, excel_serial, safe_sheet_title, write_table
from shopdesk.services.progress import CancelledError

COLUMNS = [
    Column("phone", "手机号", Kind.TEXT),
    Column("name", "Name", Kind.TEXT),
    Column("points", "Points", Kind.INT),
    Column("spent", "Total spent", Kind.MONEY),
    Column("joined", "Joined", Kind.DATETIME),
    Column("day", "Day", Kind.DATE),
    Column("birthday", "Birthday", Kind.BIRTHDAY),
]
DANGEROUS = ["=1+2", "+86 138", "-5 points", "@SUM(A1)", "\tTab", "\rReturn", '=HYPERLINK("http://x","y")']


def _rows() -> list[list[object]]:
    return [
        [
            "13800138000",
            "张三",
            120,
            128050,
            "2024-05-01 14:30:15",
            dt.date(2024, 5, 1),
            Birthday(3, 9, 1990),
        ],
        ["13900139000", "李四", 0, 0, dt.datetime(2023, 1, 2, 3, 4, 5), "2023-01-02", Birthday(3, 9)],
        ["13700137000", None, None, None, None, None, None],
        *[[None, text, None, None, None, None, None] for text in DANGEROUS],
    ]


def test_xlsx_is_styled_typed_and_formula_safe(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    assert write_table(path, COLUMNS, _rows(), sheet_title="会员/导出") == 10
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet.title == "会员 导出"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G11"
    header = sheet["A1"]
    assert header.value == "手机号" and header.font.b and header.fill.fgColor.rgb.endswith("DCE6F1")
    assert sheet.column_dimensions["A"].width >= 11  # fitted to 11 digits
    assert sheet["A2"].value == "13800138000" and sheet["A2"].data_type == "s"
    assert sheet["C2"].value == 120
    assert sheet["D2"].value == pytest.approx(1280.5)
    assert "¥" in sheet["D2"].number_format
    assert sheet["D3"].value == 0
    assert sheet["E2"].value == dt.datetime(2024, 5, 1, 14, 30, 15)
    assert sheet["E2"].is_date and sheet["F2"].is_date
    assert sheet["E3"].value == dt.datetime(2023, 1, 2, 3, 4, 5)
    assert sheet["F3"].value == dt.datetime(2023, 1, 2)
    assert sheet["G2"].value == dt.datetime(1990, 3, 9) and sheet["G2"].is_date
    assert sheet["G3"].value == "03-09"
    assert sheet["B4"].value is None and sheet["C4"].value is None  # empty values leave empty cells
    for row, text in enumerate(DANGEROUS, start=5):
        cell = sheet.cell(row=row, column=2)
        # openpyxl leaves OOXML's escape of a carriage return as it is; Excel and calamine unfold it.
        assert cell.value.replace("_x000D_", "\r") == text
        assert cell.data_type == "s"  # text, never a formula
        assert cell.quotePrefix  # and stays text when the cell is edited in Excel


def test_dangerous_text_read_back_with_calamine(tmp_path: Path) -> None:
    import python_calamine

    path = tmp_path / "out.xlsx"
    write_table(path, COLUMNS, _rows(), sheet_title="x")
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert [row[1] for row in rows[4:]] == DANGEROUS


def test_csv_is_utf8_with_bom_and_escapes_formulas(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_table(path, COLUMNS, _rows(), sheet_title="x")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "手机号,Name,Points,Total spent,Joined,Day,Birthday"
    assert lines[1] == "13800138000,张三,120,1280.50,2024-05-01 14:30:15,2024-05-01,1990-03-09"
    assert lines[2] == "13900139000,李四,0,0.00,2023-01-02 03:04:05,2023-01-02,03-09"
    assert lines[4] == ",'=1+2,,,,,"
    assert csv_text(Kind.TEXT, "-5 points") == "'-5 points"
    assert csv_text(Kind.MONEY, -1205) == "-12.05"
    assert csv_text(Kind.INT, -5) == "-5"  # numbers are numbers, never escaped


def test_a_cancelled_export_leaves_the_old_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"previous export")

    class CancelAtOnce:
        def step(self, done: int, total: int, message: str = "") -> None:
            pass

        def cancelled(self) -> bool:
            return True

    rows = ([str(13800000000 + i), "x", i, i, None, None, None] for i in range(5000))
    with pytest.raises(CancelledError):
        write_table(path, COLUMNS, rows, sheet_title="x", progress=CancelAtOnce(), total=5000)
    assert path.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_progress_is_reported(tmp_path: Path) -> None:
    steps: list[tuple[int, int]] = []

    class Recorder:
        def step(self, done: int, total: int, message: str = "") -> None:
            steps.append((done, total))

        def cancelled(self) -> bool:
            return False

    rows = ([str(13800000000 + i), "x", i, i, None, None, None] for i in range(4500))
    write_table(tmp_path / "p.csv", COLUMNS, rows, sheet_title="x", progress=Recorder(), total=4500)
    assert steps == [(2000, 4500), (4000, 4500), (4500, 4500)]


def test_wrong_names_and_places(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"\.xlsx"):
        write_table(tmp_path / "out.pdf", COLUMNS, [], sheet_title="x")
    with pytest.raises(UserError, match="does not exist"):
        write_table(tmp_path / "missing" / "out.xlsx", COLUMNS, [], sheet_title="x")


def test_helpers() -> None:
    assert excel_serial("2023-05-01") == 45047
    assert excel_serial("2023-05-01 12:00:00") == pytest.approx(45047.5)
    assert excel_serial(dt.datetime(2023, 5, 1, 6)) == pytest.approx(45047.25)
    assert excel_serial(None) is None
    assert safe_sheet_title("a" * 40) == "a" * 31
    assert safe_sheet_title("[]") == "Sheet1"
