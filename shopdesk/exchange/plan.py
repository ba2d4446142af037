"""What an import will do before it does it: the mapping, a preview, every invalid cell with its reason.

An import runs in two steps. *Planning* reads the file, finds the header, maps columns to fields,
converts every cell and checks every row against the shop (read-only); the GUI shows the result as a
preview where the user can correct the mapping and see the errors. *Applying* writes the planned
records in one transaction. ``ImportPlan`` is what passes from the first step to the second.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path

from shopdesk.domain.phones import is_valid_phone
from shopdesk.errors import UserError
from shopdesk.exchange.coerce import PLACEHOLDERS, CellError, cell_text, is_blank
from shopdesk.exchange.headers import Field, HeaderMatch, column_letter, detect_header
from shopdesk.exchange.readers import RawSheet, read_sheet
from shopdesk.i18n import _, ngettext
from shopdesk.services.progress import Progress, report

PREVIEW_ROWS = 20
PHONE_SAMPLE_ROWS = 50
PHONE_SHARE = 0.8  # of a column's first cells that are mobiles, for it to be taken as the phone
PROGRESS_EVERY = 5_000
TOTAL_WORDS = frozenset(
    {"合计", "总计", "小计", "合计:", "合计：", "总计:", "总计：", "total", "sum", "subtotal"}
)
_TOTAL_PREFIXES = ("合计", "总计", "小计", "共计", "总合计", "本页合计", "total", "subtotal")

Converter = Callable[[object], object]


@dataclass(frozen=True, slots=True)
class RowError:
    """One reason a row cannot be imported; ``row`` is the row number Excel shows."""

    row: int
    column: str  # the column letter, "" when the problem is the row as a whole
    title: str  # the column's name in the file (or the field's label)
    value: str
    reason: str

    def describe(self) -> str:
        """``Row 7, column B (手机号): Phone should be 11 digits …`` for the console and logs."""
        if self.column:
            return _("Row {row}, column {column} ({title}): {reason}").format(
                row=self.row, column=self.column, title=self.title, reason=self.reason
            )
        return _("Row {row}: {reason}").format(row=self.row, reason=self.reason)


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    """A column of the file as the mapping step shows it."""

    index: int
    letter: str
    title: str
    field: str | None


@dataclass
class ImportPlan:
    """The outcome of planning; ``records`` are the valid rows, merged by phone, as field values."""

    kind: str  # "members" or "purchases"
    file_name: str
    sheet: RawSheet
    header: HeaderMatch
    fields: tuple[Field, ...]
    records: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    data_rows: int = 0  # rows that hold something (blank and total rows are not counted)
    invalid_rows: int = 0
    merged_rows: int = 0  # rows folded into an earlier row with the same phone
    existing: int = 0  # records whose phone the shop knows already (when planned)
    notes: list[str] = field(default_factory=list)  # things worth telling that are not errors

    @property
    def columns(self) -> list[ColumnInfo]:
        return [
            ColumnInfo(index, column_letter(index), title, self.header.mapping.get(index))
            for index, title in enumerate(self.header.titles)
        ]

    @property
    def missing_required(self) -> list[str]:
        """Labels of required fields that no column feeds (the import cannot run without them)."""
        mapped = set(self.header.mapping.values())
        return [_(item.label) for item in self.fields if item.required and item.key not in mapped]

    @property
    def valid_rows(self) -> int:
        return self.data_rows - self.invalid_rows

    def preview(self, limit: int = PREVIEW_ROWS) -> list[tuple[int, list[str]]]:
        """The first data rows as text, with their row numbers, for the mapping step."""
        rows = []
        width = len(self.header.titles)
        for index in range(self.header.data_start, len(self.sheet.rows)):
            cells = self.sheet.rows[index]
            texts = [cell_text(cells[c]) if c < len(cells) else "" for c in range(width)]
            if any(texts):
                rows.append((index + 1, texts))
                if len(rows) >= limit:
                    break
        return rows

    def check_runnable(self) -> None:
        """Raise UserError when required columns are missing (before anything is written)."""
        missing = self.missing_required
        if missing:
            raise UserError(
                ngettext(
                    "The sheet has no column for {fields}. Add it, or choose which column holds it.",
                    "The sheet has no columns for {fields}. Add them, or choose which columns hold them.",
                    len(missing),
                ).format(fields=", ".join(missing))
            )


def read_source(
    source: str | os.PathLike[str] | RawSheet, sheet: str | int | None, fields: Sequence[Field]
) -> tuple[RawSheet, str]:
    """(the sheet, the file's name): without ``sheet``, the first sheet whose column names name
    ``fields`` (a workbook may open on instructions or a summary)."""
    if isinstance(source, RawSheet):
        return source, source.name

    def names_fields(raw: RawSheet) -> bool:
        return detect_header(raw.rows, fields, raw.merged) is not None

    return read_sheet(source, sheet, accept=names_fields), Path(source).name


def add_reading_notes(plan: ImportPlan) -> None:
    """Tell what was not read as the user may expect: sheets passed over, rows past the cap."""
    raw = plan.sheet
    if raw.passed_over:
        note = _(
            "The list was read from the sheet {sheet}: no column names ShopDesk knows were found "
            "on {skipped}."
        )
        plan.notes.append(note.format(sheet=raw.name, skipped="、".join(raw.passed_over)))
    if raw.truncated:
        plan.notes.append(
            _("The sheet is longer than ShopDesk reads at once; only the first rows were read.")
        )


def find_header(
    sheet: RawSheet,
    fields: Sequence[Field],
    *,
    mapping: dict[int, str | None] | None = None,
    header_row: int | None = None,
    file_name: str = "",
) -> HeaderMatch:
    """The header of ``sheet`` (with the user's corrected ``mapping`` when given); UserError if none."""
    if sheet.is_empty:
        raise UserError(
            _("{name} is empty: there is nothing to import.").format(name=file_name or sheet.name)
        )
    header = detect_header(sheet.rows, fields, sheet.merged, header_row=header_row)
    if header is None and mapping is not None:  # names nobody recognised, mapped by hand
        row = header_row or 0
        titles = tuple(cell_text(value) for value in sheet.rows[row])
        header = HeaderMatch(row, row + 1, titles, {})
    if header is None:
        examples = ", ".join(_(item.label) for item in fields if item.required)
        raise UserError(
            _(
                "No column names were found in {name}. The first rows should name the columns, such as "
                "{examples}."
            ).format(name=file_name or sheet.name, examples=examples)
        )
    if mapping is not None:
        keys = {item.key for item in fields}
        chosen: dict[int, str] = {}
        for column, key in mapping.items():
            if key is None:
                continue
            if key not in keys:
                raise ValueError(f"unknown field {key!r}")
            if key in chosen.values():
                raise UserError(
                    _("Two columns are set to {field}; choose one.").format(field=_label(fields, key))
                )
            chosen[column] = key
        header = HeaderMatch(header.header_row, header.data_start, header.titles, chosen)
    return header


def phone_from_content(sheet: RawSheet, header: HeaderMatch) -> tuple[HeaderMatch, str | None]:
    """When no column is named as the phone, the column whose cells are mobile numbers (a 会员卡号 or
    账号 column: many tills use the phone as the card number), with a note saying so; else unchanged."""
    if "phone" in header.mapping.values():
        return header, None
    rows = sheet.rows[header.data_start : header.data_start + PHONE_SAMPLE_ROWS]
    best, best_share = None, 0.0
    for column in range(len(header.titles)):
        if column in header.mapping:
            continue
        cells = [row[column] for row in rows if column < len(row) and not is_blank(row[column])]
        if len(cells) < min(3, len(rows)) or not cells:
            continue
        share = sum(map(is_valid_phone, cells)) / len(cells)
        if share >= PHONE_SHARE and share > best_share:
            best, best_share = column, share
    if best is None:
        return header, None
    note = _("Column {column} ({title}) holds phone numbers, so it is read as the phone.").format(
        column=column_letter(best), title=header.titles[best] or column_letter(best)
    )
    return replace(header, mapping={**header.mapping, best: "phone"}), note


def _label(fields: Sequence[Field], key: str) -> str:
    return next((_(item.label) for item in fields if item.key == key), key)


def scan_rows(
    plan: ImportPlan,
    converters: dict[str, Converter],
    progress: Progress | None = None,
    *,
    cached: frozenset[str] = frozenset(),
    blank_allowed: frozenset[str] = frozenset(),
) -> Iterator[tuple[int, dict]]:
    """Convert each data row of the plan's sheet; yield (row number, values) for rows without errors.

    ``values`` has every mapped field, None where the cell is empty (converters never return None).

    Invalid cells go to ``plan.errors`` (the row counts once in ``plan.invalid_rows``); a cell its field
    cannot read that holds a placeholder (-, 无) is empty. Blank rows, rows with nothing in the mapped
    columns, total rows (合计), the column names repeated and headings merged across the columns are
    passed over. A row missing a required field is invalid.

    The work goes column by column (100,000 rows convert in a fraction of a second): the fields in
    ``cached`` convert each distinct value once (a source column holds a handful of values), so their
    converters must depend on the value alone. Required fields in ``blank_allowed`` must have a column
    but may be empty in a row (the caller decides what an empty one means).
    """
    header = plan.header
    mapped = sorted((column, key) for column, key in header.mapping.items() if key in converters)
    required = [
        item.key
        for item in plan.fields
        if item.required and item.key in header.mapping.values() and item.key not in blank_allowed
    ]
    start = header.data_start
    data = plan.sheet.rows[start:]
    not_records = _NotRecords(plan)
    needed = max((column for column, _key in mapped), default=-1) + 1
    if data and min(map(len, data)) < needed:  # CSV rows can be ragged; calamine's never are
        data = [row if len(row) >= needed else [*row, *[None] * (needed - len(row))] for row in data]
    keys: list[str] = []
    outputs: list[list[object]] = []
    bad_rows: set[int] = set()
    # Columns out of rows: one C-level transposition when most columns are mapped (an export of ours),
    # else each mapped column on its own.
    width_read = min(map(len, data), default=0)
    transposed = list(zip(*data)) if data and 2 * len(mapped) >= width_read else None  # noqa: B905
    for done, (column, key) in enumerate(mapped):
        values = transposed[column] if transposed is not None else list(map(itemgetter(column), data))
        converted = _convert_column(values, converters[key], key in cached)
        if CellError in set(map(type, converted)):  # C speed; the rows are looked for only if needed
            bad_rows.update(i for i, value in enumerate(converted) if value.__class__ is CellError)
        keys.append(key)
        outputs.append(converted)
        if len(data) >= PROGRESS_EVERY:  # a small sheet is checked before anyone could look at a bar
            report(progress, done + 1, len(mapped) + 1, _("Checking the rows…"))
    columns = [column for column, _key in mapped]
    width = len(keys)
    # Rows that need a closer look: an invalid cell, or an empty required field (a blank row, a total row
    # or a row missing a value). Without a required column every row gets the closer look.
    special = set(bad_rows)
    if required:
        for key in required:
            special.update(i for i, value in enumerate(outputs[keys.index(key)]) if value is None)
    else:
        special.update(range(len(data)))
    data_rows = 0
    # This loop runs once per row: it stays lean (a dict per row, C-level checks, no comprehension).
    for offset, cells in enumerate(zip(*outputs)):  # noqa: B905 - every column has one value per row
        if offset not in special:
            data_rows += 1
            yield start + offset + 1, dict(zip(keys, cells))  # noqa: B905
            continue
        record = dict(zip(keys, cells))  # noqa: B905
        bad: list[RowError] | None = None
        if offset in bad_rows:
            if not_records(start + offset, data[offset]):
                continue
            bad = [
                RowError(
                    start + offset + 1,
                    column_letter(column),
                    header.titles[column],
                    cell_text(data[offset][column]),
                    value.reason,  # type: ignore[attr-defined]
                )
                for column, value in zip(columns, cells, strict=True)
                if value.__class__ is CellError
            ]
        elif cells.count(None) == width:
            continue
        missing = None
        for key in required:
            if record[key] is None and not _has_error(bad, header, key):
                missing = [*(missing or []), key]
        if missing:
            if bad is None and not_records(start + offset, data[offset]):
                continue
            bad = bad or []
            for key in missing:
                column = header.column_of(key)
                bad.append(
                    RowError(
                        start + offset + 1,
                        column_letter(column) if column is not None else "",
                        header.titles[column] if column is not None else _label(plan.fields, key),
                        "",
                        _("{field} is required.").format(field=_label(plan.fields, key)),
                    )
                )
        data_rows += 1
        if bad:
            plan.invalid_rows += 1
            plan.errors.extend(bad)
            continue
        yield start + offset + 1, record
    plan.data_rows += data_rows


def _convert_column(values: Sequence[object], convert: Converter, cached: bool) -> list[object]:
    """Each value converted: None for an empty cell, the CellError for one that cannot be used."""
    if cached and bool not in set(map(type, values)):  # True == 1.0 to a dict, not to a person
        table = {value: _convert_one(value, convert) for value in dict.fromkeys(values)}
        return list(map(table.__getitem__, values))
    one = _convert_one
    return [None if value is None or value == "" else one(value, convert) for value in values]


def _convert_one(value: object, convert: Converter) -> object:
    if value is None or value == "" or (value.__class__ is str and value.isspace()):  # type: ignore[attr-defined]
        return None
    try:
        return convert(value)
    except CellError as exc:
        if value.__class__ is str and value.strip().lower() in PLACEHOLDERS:  # type: ignore[attr-defined]
            return None
        return exc


def _has_error(bad: list[RowError] | None, header: HeaderMatch, key: str) -> bool:
    if not bad:
        return False
    column = header.column_of(key)
    return column is not None and any(error.column == column_letter(column) for error in bad)


class _NotRecords:
    """Rows between the records that are not records: a 合计 line, the column names repeated (a list
    pasted together from pages, or from one block per month), a heading merged across the columns
    (一月新会员). Asked only about rows that failed, so it costs nothing on a clean sheet."""

    def __init__(self, plan: ImportPlan) -> None:
        header = plan.header
        self.start = header.data_start
        self.titles = {column: header.titles[column] for column in header.mapping if header.titles[column]}
        self.merged = plan.sheet.merged
        self._headings: set[int] | None = None

    def __call__(self, row_index: int, row: Sequence[object]) -> bool:
        return _is_total_row(row) or self._repeats_header(row) or self._is_heading(row_index, row)

    def _repeats_header(self, row: Sequence[object]) -> bool:
        same = sum(
            1
            for column, title in self.titles.items()
            if column < len(row) and cell_text(row[column]) == title
        )
        return same >= 2 or same == len(self.titles) > 0

    def _is_heading(self, row_index: int, row: Sequence[object]) -> bool:
        filled = [column for column, value in enumerate(row) if not (value is None or value == "")]
        if len(filled) != 1:
            return False
        if self._headings is None:
            self._headings = {(r0, c0) for r0, c0, _r1, c1 in self.merged if c1 > c0}
        return (row_index, filled[0]) in self._headings


def _is_total_row(row: Sequence[object]) -> bool:
    """A "合计" / "Total" line under the data (合计：6人, 本页合计, Total:), which is not a record."""
    for value in row:
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            return False
        text = value.strip().lower().replace(" ", "")
        return text in TOTAL_WORDS or text.startswith(_TOTAL_PREFIXES)
    return False


def reject_record(plan: ImportPlan, record: dict, key: str, reason: str) -> None:
    """Turn a record found wrong after the row scan (a new member without a name …) into a row error."""
    column = plan.header.column_of(key)
    plan.errors.append(
        RowError(
            record["_row"],
            column_letter(column) if column is not None else "",
            plan.header.titles[column] if column is not None else _label(plan.fields, key),
            "",
            reason,
        )
    )
    plan.invalid_rows += 1


def row_list(rows: Sequence[int], limit: int = 10) -> str:
    """Row numbers for a message: ``4, 9, 12`` or ``4, 9, 12 …`` past ``limit``."""
    shown = ", ".join(map(str, rows[:limit]))
    return shown + " …" if len(rows) > limit else shown


def sort_errors(plan: ImportPlan) -> None:
    plan.errors.sort(key=lambda error: (error.row, len(error.column), error.column))
