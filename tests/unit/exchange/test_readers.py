"""Reading spreadsheet files: workbook and CSV kinds, encodings, and every way a file can be unusable."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from shopdesk.errors import UserError
from shopdesk.exchange import readers
from shopdesk.exchange.readers import decode_text, list_sheets, read_sheet, sniff_delimiter

from .sheets import csv_bytes, xlsx

ROWS = [["手机号", "姓名", "积分"], ["13800138000", "张三", 10], ["13900139000", "李四", None]]


def test_xlsx_keeps_row_numbers_types_and_merged_ranges(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "m.xlsx",
        [["会员名单"], [], ["手机号", "姓名", "生日"], [13800138000, "张三", dt.date(1990, 3, 9)]],
        merges=["A1:C1"],
    )
    sheet = read_sheet(path)
    assert sheet.file_format == "xlsx"
    assert sheet.name == "会员"
    assert sheet.rows[0][0] == "会员名单"
    assert sheet.rows[2][:3] == ["手机号", "姓名", "生日"]
    phone, name, birthday = sheet.rows[3][:3]
    assert (phone, name) == (13800138000.0, "张三")
    assert birthday in (dt.date(1990, 3, 9), dt.datetime(1990, 3, 9))
    assert (0, 0, 0, 2) in sheet.merged


def test_the_first_visible_sheet_with_data_is_read(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "空白"
    hidden = workbook.create_sheet("隐藏")
    hidden.append(["手机号"])
    hidden.sheet_state = "hidden"
    data = workbook.create_sheet("会员")
    data.append(["手机号", "姓名"])
    workbook.save(tmp_path / "w.xlsx")
    assert read_sheet(tmp_path / "w.xlsx").name == "会员"
    assert list_sheets(tmp_path / "w.xlsx") == ["空白", "会员"]
    assert read_sheet(tmp_path / "w.xlsx", sheet="空白").is_empty
    with pytest.raises(UserError, match="no sheet"):
        read_sheet(tmp_path / "w.xlsx", sheet="nope")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_in_every_encoding_excel_and_chinese_tools_write(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes(ROWS, encoding, delimiter="\t" if encoding == "utf-16" else ","))
    sheet = read_sheet(path)
    assert sheet.file_format == "csv"
    assert sheet.rows[:3] == [
        ["手机号", "姓名", "积分"],
        ["13800138000", "张三", "10"],
        ["13900139000", "李四", ""],
    ]


def test_gb18030_characters_outside_gbk_are_read(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes([["姓名"], ["𠀾李"]], "gb18030"))
    _text, encoding = decode_text(path.read_bytes())
    assert encoding == "gb18030"
    assert read_sheet(path).rows[1] == ["𠀾李"]


def test_delimiter_is_sniffed() -> None:
    assert sniff_delimiter(["a;b;c", "1;2;3"]) == ";"
    assert sniff_delimiter(["a\tb", "1\t2,5"]) == "\t"
    assert sniff_delimiter(["手机号,姓名", '13800138000,"张,三"']) == ","


def test_csv_formula_escape_is_undone(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes("备注\n'=1+2\n'not a formula\n".encode())
    assert [row[0] for row in read_sheet(path).rows] == ["备注", "=1+2", "'not a formula"]


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.xlsx").write_bytes(b"")
    with pytest.raises(UserError, match="empty"):
        read_sheet(tmp_path / "e.xlsx")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="There is no file"):
        read_sheet(tmp_path / "nope.xlsx")
    with pytest.raises(UserError, match="folder"):
        read_sheet(tmp_path)


def test_a_file_that_is_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(UserError, match="not an Excel or CSV file"):
        read_sheet(path)


def test_a_web_page_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "导出.xls"
    path.write_text("<html><body><table><tr><td>手机号</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(UserError, match="web page"):
        read_sheet(path)


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hello")
    with pytest.raises(UserError, match="zip file"):
        read_sheet(path)


def test_a_corrupt_workbook(tmp_path: Path) -> None:
    good = xlsx(tmp_path / "good.xlsx", ROWS)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(UserError, match="damaged"):
        read_sheet(broken)


def test_a_workbook_whose_sheet_xml_is_garbage(tmp_path: Path) -> None:
    good = xlsx(tmp_path / "good.xlsx", ROWS)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b"<worksheet><sheetData><row><c r='A1' t='s'><v>99</v></c></row"
            target.writestr(info, data)
    with pytest.raises(UserError, match="damaged"):
        read_sheet(bad)


def test_a_password_protected_workbook(tmp_path: Path) -> None:
    # Excel wraps an encrypted .xlsx in an OLE2 compound file with these two streams.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le")
    path = tmp_path / "locked.xlsx"
    path.write_bytes(header + directory + b"\x00" * 4096)
    with pytest.raises(UserError, match="password"):
        read_sheet(path)


def test_an_old_format_container_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    with pytest.raises(UserError, match=r"damaged|password"):
        read_sheet(path)


def test_a_zip_bomb_is_not_opened(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (40 * 1024 * 1024))
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(UserError, match="far more data"):
        read_sheet(path)


def test_a_file_over_the_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 10)
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes(ROWS, "utf-8"))
    with pytest.raises(UserError, match="too big"):
        read_sheet(path)


def test_rows_over_the_cap_are_cut_and_flagged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_ROWS", 2)
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes(ROWS, "utf-8"))
    sheet = read_sheet(path)
    assert len(sheet.rows) == 2 and sheet.truncated
    xlsx_sheet = read_sheet(xlsx(tmp_path / "m.xlsx", ROWS))
    assert len(xlsx_sheet.rows) == 2 and xlsx_sheet.truncated


def test_openpyxl_reads_when_calamine_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_calamine(name: str, *args: object, **kwargs: object) -> object:
        if name == "python_calamine":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_calamine)
    path = xlsx(tmp_path / "m.xlsx", ROWS)
    sheet = read_sheet(path)
    assert sheet.rows[1][:2] == ["13800138000", "张三"]
    assert list_sheets(path) == ["会员"]
