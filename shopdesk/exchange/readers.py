"""Spreadsheet files to raw cells: .xlsx/.xls/.ods through python-calamine, CSV in any Chinese encoding.

The files come from anywhere (an old till's export, a colleague's WeChat), so reading is guarded:
- the kind of file is told from its first bytes, not its name: a zip (xlsx, ods), an OLE2 container (an
  old .xls, or an .xlsx protected with a password, which Excel wraps in OLE2), a web page saved as .xls,
  or plain text (CSV);
- sizes are capped before anything is parsed: the file, each unzipped part (a "zip bomb" expands a few
  KB into gigabytes) and the rows kept;
- python-calamine (Rust) parses ~10× faster than openpyxl and does not expand XML entities; openpyxl
  is the fallback when calamine is missing, and refuses XML bombs because defusedxml is installed.

Cells keep the types the file gives (str, float, int, bool, date, datetime, time); an empty cell is
``""`` or None. ``RawSheet.rows[i][j]`` is the cell on sheet row ``i + 1``, column ``j``: leading empty
rows and columns are kept so that row numbers in messages match what the user sees in Excel.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from shopdesk.errors import UserError
from shopdesk.i18n import _

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_PART_RATIO = 200  # a real sheet's XML compresses ~10×; a bomb hundreds or thousands of times
MAX_ROWS = 2_000_000
MAX_COLUMNS = 300
CSV_SNIFF_LINES = 30

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Excel's password-protected .xlsx is an OLE2 container holding these streams (names in UTF-16).
_ENCRYPTION_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))

XLSX, XLS, ODS, CSV = "xlsx", "xls", "ods", "csv"


@dataclass(frozen=True, slots=True)
class RawSheet:
    """One sheet's cells as read, before any header is recognised."""

    name: str
    rows: list[list[object]]
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (first row, first column, last row, last column)
    file_format: str = XLSX
    encoding: str = ""
    truncated: bool = False  # more rows than MAX_ROWS: the rest was not read
    passed_over: tuple[str, ...] = ()  # sheets with data before this one that ``accept`` turned down

    @property
    def is_empty(self) -> bool:
        return not any(not _blank(cell) for row in self.rows for cell in row)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(
    path: str | os.PathLike[str],
    sheet: str | int | None = None,
    *,
    accept: Callable[[RawSheet], bool] | None = None,
) -> RawSheet:
    """The cells of one sheet of ``path`` (by default the first visible sheet that has data).

    Workbooks often open on a sheet of instructions, a summary or a cover page, with the list on the
    next sheet: without ``sheet``, ``accept`` (does this sheet have the column names we want?) picks
    the first sheet it likes, and the first one with data when it likes none.

    Raises UserError with advice for a file that is missing, too big, empty, damaged, protected with a
    password or not a spreadsheet at all.
    """
    path = Path(path)
    head = _head(path)
    kind = _kind(path, head)
    if kind == CSV:
        return _read_csv(path, path.read_bytes())
    return _read_workbook(path, kind, sheet, accept)


def list_sheets(path: str | os.PathLike[str]) -> list[str]:
    """The names of the visible worksheets of ``path`` (one unnamed sheet for a CSV file)."""
    path = Path(path)
    kind = _kind(path, _head(path))
    if kind == CSV:
        return [path.stem]
    workbook = _open_calamine(path, kind)
    if workbook is None:
        return _openpyxl_sheet_names(path)
    return [meta.name for meta in _visible_sheets(workbook)]


# -- telling what the file is ---------------------------------------------------------------------------


def _head(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise UserError(_("{path} is a folder, not a spreadsheet.").format(path=path))
        if size > MAX_FILE_BYTES:
            raise UserError(
                _(
                    "{name} is too big to import ({size} MB; at most {limit} MB). "
                    "Split it into smaller files."
                ).format(name=path.name, size=size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024))
            )
        with path.open("rb") as handle:
            return handle.read(4096)
    except FileNotFoundError:
        raise UserError(_("There is no file {path}.").format(path=path)) from None
    except PermissionError:
        raise UserError(
            _("{name} cannot be opened: it may be open in Excel. Close it there and try again.").format(
                name=path.name
            )
        ) from None


def _kind(path: Path, head: bytes) -> str:
    if not head:
        raise UserError(_("{name} is empty.").format(name=path.name))
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(path)
    if head.startswith(_OLE2_MAGIC):
        if _is_encrypted_ole2(path):
            raise _password_error(path)
        return XLS
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"mime-version")):
        raise UserError(
            _(
                "{name} is a web page or XML saved with a spreadsheet name, not a real Excel file. "
                "Open it in Excel and save it as an Excel workbook (.xlsx), then import that."
            ).format(name=path.name)
        )
    if _looks_like_text(head):
        return CSV
    raise UserError(
        _("{name} is not an Excel or CSV file. Save the sheet as .xlsx or .csv and try again.").format(
            name=path.name
        )
    )


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return controls <= len(head) // 100


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_UNZIPPED_BYTES or (
                    info.file_size > 10 * 1024 * 1024 and ratio > MAX_PART_RATIO
                ):
                    raise UserError(
                        _(
                            "{name} unpacks to far more data than a spreadsheet holds; it was not opened."
                        ).format(name=path.name)
                    )
    except zipfile.BadZipFile:
        raise _damaged_error(path) from None
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return XLSX
    if "content.xml" in names and "mimetype" in names:
        return ODS
    raise UserError(
        _(
            "{name} is a zip file, not an Excel workbook. Save the sheet as .xlsx or .csv and try again."
        ).format(name=path.name)
    )


def _is_encrypted_ole2(path: Path) -> bool:
    # The directory of a small container sits in its first sectors; 1 MB covers any real one.
    with path.open("rb") as handle:
        start = handle.read(1024 * 1024)
    return any(marker in start for marker in _ENCRYPTION_MARKERS)


def _password_error(path: Path) -> UserError:
    return UserError(
        _(
            "{name} is protected with a password. Open it in Excel, remove the password (File → Info → "
            "Protect Workbook), save it and import it again."
        ).format(name=path.name)
    )


def _damaged_error(path: Path) -> UserError:
    return UserError(
        _(
            "{name} is damaged and cannot be read. Open it in Excel; if it opens, save it again as .xlsx "
            "and import the new file."
        ).format(name=path.name)
    )


# -- workbooks ------------------------------------------------------------------------------------------


def _open_calamine(path: Path, kind: str) -> object | None:
    """A calamine workbook, or None when python-calamine is not installed (openpyxl reads .xlsx then)."""
    try:
        import python_calamine
    except ImportError:
        if kind != XLSX:
            raise UserError(
                _("{name} is an old Excel or OpenDocument file. Save it as .xlsx and try again.").format(
                    name=path.name
                )
            ) from None
        return None
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise _password_error(path) from None
    except (python_calamine.CalamineError, OSError, ValueError):
        raise _damaged_error(path) from None


def _visible_sheets(workbook: object) -> list[object]:
    import python_calamine

    return [
        meta
        for meta in workbook.sheets_metadata  # type: ignore[attr-defined]
        if meta.visible == python_calamine.SheetVisibleEnum.Visible
        and meta.typ == python_calamine.SheetTypeEnum.WorkSheet
    ]


def _read_workbook(
    path: Path, kind: str, sheet: str | int | None, accept: Callable[[RawSheet], bool] | None
) -> RawSheet:
    workbook = _open_calamine(path, kind)
    if workbook is None:
        return _read_openpyxl(path, sheet, accept)
    import python_calamine

    try:
        names = [meta.name for meta in _visible_sheets(workbook)]
        if not names:
            raise UserError(_("{name} has no worksheet to import.").format(name=path.name))
        chooser = _Chooser(accept if sheet is None else None)
        for name in _chosen(names, sheet, path):
            data = workbook.get_sheet_by_name(name)  # type: ignore[attr-defined]
            rows = data.to_python(skip_empty_area=False, nrows=MAX_ROWS + 1)
            truncated = len(rows) > MAX_ROWS
            if truncated:
                del rows[MAX_ROWS:]
            if rows and len(rows[0]) > MAX_COLUMNS:
                rows = [row[:MAX_COLUMNS] for row in rows]
            merged = tuple((r0, c0, r1, c1) for (r0, c0), (r1, c1) in (data.merged_cell_ranges or ()))
            if chooser.take(RawSheet(name, rows, merged, kind, truncated=truncated)):
                break
        return chooser.chosen
    except python_calamine.PasswordError:
        raise _password_error(path) from None
    except (python_calamine.CalamineError, ValueError):
        raise _damaged_error(path) from None
    finally:
        workbook.close()  # type: ignore[attr-defined]


def _chosen(names: list[str], sheet: str | int | None, path: Path) -> list[str]:
    """The sheets to try: the one asked for, or every visible one in order (the first with data wins)."""
    if sheet is None:
        return names
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return [names[sheet]]
    elif sheet in names:
        return [sheet]
    raise UserError(
        _("{name} has no sheet {sheet}; its sheets are: {sheets}.").format(
            name=path.name, sheet=sheet, sheets=", ".join(names)
        )
    )


class _Chooser:
    """Picks a sheet as they are read in order: the first with data that ``accept`` likes."""

    def __init__(self, accept: Callable[[RawSheet], bool] | None) -> None:
        self.accept = accept
        self.first: RawSheet | None = None  # returned when no sheet has data
        self.fallback: RawSheet | None = None  # the first with data, when ``accept`` likes none
        self.liked: RawSheet | None = None
        self.passed_over: list[str] = []

    def take(self, raw: RawSheet) -> bool:
        """Consider one more sheet; True once the choice is made (no need to read further)."""
        if self.first is None:
            self.first = raw
        if raw.is_empty:
            return False
        if self.accept is None or self.accept(raw):
            self.liked = replace(raw, passed_over=tuple(self.passed_over))
            return True
        if self.fallback is None:
            self.fallback = raw
        self.passed_over.append(raw.name)
        return False

    @property
    def chosen(self) -> RawSheet:
        chosen = self.liked or self.fallback or self.first
        assert chosen is not None
        return chosen


def _openpyxl_sheet_names(path: Path) -> list[str]:
    workbook = _load_openpyxl(path)
    try:
        return [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]
    finally:
        workbook.close()


def _load_openpyxl(path: Path) -> object:
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, XML errors) for one cause: a bad file
        raise _damaged_error(path) from None


def _read_openpyxl(
    path: Path, sheet: str | int | None, accept: Callable[[RawSheet], bool] | None
) -> RawSheet:
    workbook = _load_openpyxl(path)
    try:
        sheets = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]  # type: ignore[attr-defined]
        names = [ws.title for ws in sheets]
        if not names:
            raise UserError(_("{name} has no worksheet to import.").format(name=path.name))
        chooser = _Chooser(accept if sheet is None else None)
        for name in _chosen(names, sheet, path):
            worksheet = sheets[names.index(name)]
            rows: list[list[object]] = []
            truncated = False
            for values in worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                if len(rows) >= MAX_ROWS:
                    truncated = True
                    break
                rows.append(list(values))
            if chooser.take(RawSheet(name, rows, (), XLSX, truncated=truncated)):
                break
        return chooser.chosen
    except UserError:
        raise
    except Exception:
        raise _damaged_error(path) from None
    finally:
        workbook.close()  # type: ignore[attr-defined]


# -- CSV ------------------------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a CSV file as Excel and Chinese tools save it.

    A BOM decides (UTF-8 or UTF-16); otherwise strict UTF-8, then GB18030, the superset of GBK and
    GB2312 that Chinese Excel uses for "CSV (逗号分隔)".
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise UserError(
            _(
                "The text of this CSV file is in an unknown encoding. Save it from Excel as "
                '"CSV UTF-8" and try again.'
            )
        ) from None


def sniff_delimiter(lines: list[str]) -> str:
    """The separator that splits the first lines into the most consistent number of columns."""
    best, best_score = ",", 0
    for delimiter in (",", "\t", ";", "|"):
        widths = [
            len(row) for row in csv.reader(lines, delimiter=delimiter) if any(cell.strip() for cell in row)
        ]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = count * width if width > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(path: Path, data: bytes) -> RawSheet:
    text, encoding = decode_text(data)
    lines = text.splitlines()[:CSV_SNIFF_LINES]
    delimiter = sniff_delimiter(lines)
    rows: list[list[object]] = []
    truncated = False
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) >= MAX_ROWS:
                truncated = True
                break
            rows.append([_unescape(cell) for cell in row[:MAX_COLUMNS]])
    except csv.Error:
        raise _damaged_error(path) from None
    return RawSheet(path.stem, rows, (), CSV, encoding=encoding, truncated=truncated)


def _unescape(cell: str) -> str:
    """Undo what CSV exports put around a cell for Excel's sake: the apostrophe before text Excel would
    run as a formula (ours included) or turn into a number ('13800138000, '2023-05-01), and
    ``="13800138000"``, which tills write so that Excel keeps a long number as text instead of showing
    1.38001E+10."""
    if len(cell) > 1:
        if cell[0] == "'" and (cell[1] in "=+-@\t\r" or "0" <= cell[1] <= "9"):
            return cell[1:]
        if cell[0] == "=" and cell[1] == '"' and cell[-1] == '"' and len(cell) > 2:
            return cell[2:-1].replace('""', '"')
    return cell
