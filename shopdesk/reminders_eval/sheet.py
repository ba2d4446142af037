"""A purchases sheet to sale records: one row per purchase with a customer, a date, an amount, a category.

The customer is a phone or a member id (either column, in English or Chinese); the category column is
optional and may name several categories separated by "、". Rows without a customer or a readable date
are counted and skipped: an evaluation is about the ranking, not about cleaning someone's export.
The sheet itself is read by ``shopdesk.exchange.readers`` when that package is installed (it copes with
every Chinese encoding and old Excel file), otherwise by the small CSV/xlsx reader here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from shopdesk.domain.money import parse_money
from shopdesk.errors import UserError, ValidationError
from shopdesk.i18n import _

CATEGORY_SEPARATOR = "、"
_HEADERS: dict[str, tuple[str, ...]] = {
    "phone": ("phone", "mobile", "手机", "手机号", "手机号码", "电话", "联系电话"),
    "member": ("member_id", "member id", "member", "customer", "customer_id", "会员编号", "会员id", "会员号",
               "会员卡号", "顾客"),
    "date": ("date", "purchased_at", "time", "datetime", "日期", "时间", "消费时间", "消费日期", "购买日期",
             "下单时间"),
    "amount": ("amount", "paid", "total", "amount_yuan", "金额", "消费金额", "实付金额", "实收", "支付金额"),
    "category": ("category", "categories", "品类", "类别", "分类", "商品类别"),
}
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_DATE_TEXT = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*[日号])?"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)


@dataclass(frozen=True, slots=True)
class SaleRecord:
    """One purchase of the sheet: who (phone or member id as text), when, how much, what."""

    customer: str
    when: dt.datetime
    amount_fen: int
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SheetData:
    """The records of a sheet and how many rows had to be skipped."""

    records: list[SaleRecord]
    skipped: int
    has_categories: bool


def read_purchases(path: str | os.PathLike[str]) -> SheetData:
    """The purchases of the sheet at ``path`` (CSV, .xlsx). Raises UserError when a column is missing."""
    rows = _raw_rows(Path(path))
    header_index = _find_header(rows)
    if header_index is None:
        raise UserError(
            _("No header row with a customer (phone or member id), a date and an amount was found in {path}.")
            .format(path=path)
        )
    columns = _columns(rows[header_index])
    return parse_rows(rows[header_index + 1 :], columns)


def _raw_rows(path: Path) -> list[list[object]]:
    if not path.exists():
        raise UserError(_("There is no file at {path}.").format(path=path))
    try:
        from shopdesk.exchange.readers import read_sheet
    except ImportError:
        read_sheet = None
    if read_sheet is not None:
        return read_sheet(path).rows
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        message = _("The text of {path} is in an unknown encoding; save it as CSV UTF-8.")
        raise UserError(message.format(path=path))
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]


def _normal(cell: object) -> str:
    return str(cell or "").strip().lower().replace("（", "(").replace("）", ")")


def _columns(header: Sequence[object]) -> dict[str, int]:
    names = [_normal(cell) for cell in header]
    found: dict[str, int] = {}
    for field, aliases in _HEADERS.items():
        for index, name in enumerate(names):
            if name in aliases:
                found[field] = index
                break
    return found


def _find_header(rows: Sequence[Sequence[object]]) -> int | None:
    """The first of the top rows that names a customer column, a date and an amount."""
    for index, row in enumerate(rows[:20]):
        columns = _columns(row)
        if ("phone" in columns or "member" in columns) and "date" in columns and "amount" in columns:
            return index
    return None


def parse_rows(rows: Iterable[Sequence[object]], columns: dict[str, int]) -> SheetData:
    """Records from data rows, given which column holds which field (see ``_HEADERS``)."""
    records: list[SaleRecord] = []
    skipped = 0
    key_columns = [columns[name] for name in ("phone", "member") if name in columns]
    category_column = columns.get("category")
    for row in rows:
        if not any(str(cell or "").strip() for cell in row):
            continue
        customer = next((_cell_text(row, column) for column in key_columns if _cell_text(row, column)), "")
        when = parse_when(_cell(row, columns["date"]))
        try:
            amount = parse_money(_cell(row, columns["amount"]))
        except ValidationError:
            amount = None
        if not customer or when is None or amount is None:
            skipped += 1
            continue
        categories: tuple[str, ...] = ()
        if category_column is not None:
            text = _cell_text(row, category_column)
            categories = tuple(part.strip() for part in text.split(CATEGORY_SEPARATOR) if part.strip())
        records.append(SaleRecord(customer, when, amount, categories))
    has_categories = any(record.categories for record in records)
    return SheetData(records, skipped, has_categories)


def _cell(row: Sequence[object], column: int) -> object:
    return row[column] if column < len(row) else None


def _cell_text(row: Sequence[object], column: int) -> str:
    value = _cell(row, column)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone or an id that Excel stored as a number
    return str(value).strip() if value is not None else ""


def parse_when(value: object) -> dt.datetime | None:
    """A purchase time from a datetime, a date, an Excel serial number or text like 2026-03-09 18:30."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(12))
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value < 2_958_466:
        return (_EXCEL_EPOCH + dt.timedelta(days=float(value))).replace(microsecond=0)
    match = _DATE_TEXT.match(str(value or ""))
    if match is None:
        return None
    year, month, day, hour, minute, second = match.groups()
    try:
        return dt.datetime(
            int(year), int(month), int(day),
            int(hour) if hour else 12, int(minute) if minute else 0, int(second) if second else 0,
        )
    except ValueError:
        return None
