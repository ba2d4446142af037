"""Excel at shop scale: exporting and importing every member against the fastest well-known writer and reader.

``export_members_xlsx`` exports the members of a private copy of the shop with the default columns; the
baseline writes *the same cells* (read back from that export, so the comparison cannot drift from what the
export really writes) with xlsxwriter in ``constant_memory`` mode, each cell through its typed ``write_*``
call with the same number formats: the least work that produces the same file. A bare openpyxl
write-only loop over the same cells is printed beside it.

``import_members_xlsx`` imports that file into an empty shop (reading, checking every row, pinyin, bulk
insert, index rebuild, commit); the baseline is python-calamine reading the same file's cells. A bare
openpyxl read-only loop is printed beside it, and so is SQLite's own share: the same rows written again with
bare SQL (``sqlite_floor``), a floor no import can go under. Measured and baseline runs alternate.
"""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

from shopdesk.bench.context import BenchContext
from shopdesk.bench.registry import Measurement, metric
from shopdesk.bench.sqlite_floor import sqlite_write_floor
from shopdesk.bench.timing import median, timed

REPEATS = 3
QUICK_REPEATS = 1


def _export_file(context: BenchContext) -> Path:
    return context.workdir / "exchange" / "members-0.xlsx"


def _read_cells(path: Path) -> list[list[object]]:
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return workbook.get_sheet_by_index(0).to_python()
    finally:
        workbook.close()


def _xlsxwriter_baseline(path: Path, cells: list[list[object]], kinds: list[str]) -> None:
    """Write ``cells`` the fastest well-known way: xlsxwriter, constant memory, one typed call per cell."""
    import xlsxwriter

    from shopdesk.exchange.writers import DATE_FORMAT, DATETIME_FORMAT, MONEY_FORMAT

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Members")
    header = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "bottom": 1})
    money = workbook.add_format({"num_format": MONEY_FORMAT})
    date = workbook.add_format({"num_format": DATE_FORMAT})
    moment = workbook.add_format({"num_format": DATETIME_FORMAT})
    formats = [money if kind == "money" else moment if kind == "datetime" else date for kind in kinds]
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    for column, title in enumerate(cells[0]):
        write_string(0, column, str(title), header)
    for row_number, row in enumerate(cells[1:], start=1):
        for column, value in enumerate(row):
            if value == "" or value is None:
                continue
            if value.__class__ is str:
                write_string(row_number, column, value)
            elif value.__class__ is float or value.__class__ is int:
                write_number(row_number, column, value, formats[column] if kinds[column] == "money" else None)
            else:
                write_datetime(row_number, column, value, formats[column])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(cells) - 1, len(cells[0]) - 1)
    workbook.close()


def _openpyxl_write(path: Path, cells: list[list[object]]) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Members")
    for row in cells:
        sheet.append([None if value == "" else value for value in row])
    workbook.save(path)


def _openpyxl_read(path: Path) -> int:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


@metric("export_members_xlsx", unit="s", max_ratio=1.3, order=70)
def export_members_xlsx(context: BenchContext) -> Measurement:
    """Every member with the default columns to .xlsx, against xlsxwriter writing the same cells."""
    from shopdesk.exchange.member_export import columns_for, export_members

    folder = _export_file(context).parent
    folder.mkdir(parents=True, exist_ok=True)
    shop = context.copy_shop("exchange", reuse=True)  # exports write an audit entry: never the cache
    repeats = context.repeat(REPEATS, QUICK_REPEATS)
    kinds = [column.kind.value for column in columns_for(None)]
    measured, baseline = [], []
    with context.database(shop):
        seconds, result = timed(lambda: export_members(folder / "members-0.xlsx"))
        cells = _read_cells(folder / "members-0.xlsx")
        gc.collect()
        for index in range(repeats):
            export = lambda index=index: export_members(folder / f"members-{index + 1}.xlsx")  # noqa: E731
            bare = lambda index=index: _xlsxwriter_baseline(folder / f"baseline-{index}.xlsx", cells, kinds)  # noqa: E731
            first, second = (export, bare) if index % 2 == 0 else (bare, export)
            first_time = timed(first)[0]
            second_time = timed(second)[0]
            measured.append(first_time if first is export else second_time)
            baseline.append(second_time if first is export else first_time)
        openpyxl_seconds = timed(lambda: _openpyxl_write(folder / "openpyxl.xlsx", cells))[0]
    bare_median = median(baseline)
    return Measurement(
        value=median(measured),
        baseline=bare_median,
        notes=[
            f"{result.rows:,} members x {len(kinds)} columns; first export {seconds:.2f} s",
            f"openpyxl write-only, same cells: {openpyxl_seconds:.2f} s "
            f"({openpyxl_seconds / bare_median:.2f}x xlsxwriter)",
        ],
    )


@metric("import_members_xlsx", unit="s", max_ratio=2, order=71)
def import_members_xlsx(context: BenchContext) -> Measurement:
    """That export imported into an empty shop, against python-calamine reading the same file's cells."""
    from shopdesk.db.database import close_database, open_database
    from shopdesk.exchange.member_import import apply_member_import, plan_member_import
    from shopdesk.services.tiers import ensure_default_tiers

    source = _export_file(context)
    if not source.exists():
        export_members_xlsx(context)
    repeats = context.repeat(REPEATS, QUICK_REPEATS)
    folder = context.workdir / "exchange"
    measured, baseline, phases = [], [], []
    created = 0
    with context.database(context.copy_shop("exchange", reuse=True)):
        for index in range(repeats):
            target = folder / f"import-{index}.db"
            close_database()
            open_database(target)  # an empty, migrated shop, made before the clock starts
            ensure_default_tiers()  # the demo shop's tiers, which the file names
            gc.collect()

            def run_import() -> None:
                started = dt.datetime.now()
                plan = plan_member_import(source)
                planned = dt.datetime.now()
                result = apply_member_import(plan)
                if not result.created:
                    problems = "; ".join(error.describe() for error in plan.errors[:3])
                    raise RuntimeError(f"the import imported nothing: {problems}")
                phases.append(
                    ((planned - started).total_seconds(), (dt.datetime.now() - planned).total_seconds())
                )
                nonlocal created
                created = result.created

            read = lambda: _read_cells(source)  # noqa: E731
            if index % 2 == 0:
                measured.append(timed(run_import)[0])
                baseline.append(timed(read)[0])
            else:
                baseline.append(timed(read)[0])
                measured.append(timed(run_import)[0])
        openpyxl_seconds = timed(lambda: _openpyxl_read(source))[0]
        close_database()  # the last import's file is read by a plain connection below
        floor_seconds = sqlite_write_floor(target, folder / "floor.db")
    bare_median = median(baseline)
    plan_seconds = median([plan for plan, _apply in phases])
    apply_seconds = median([apply for _plan, apply in phases])
    return Measurement(
        value=median(measured),
        baseline=bare_median,
        notes=[
            f"{created:,} members; check {plan_seconds:.2f} s + write {apply_seconds:.2f} s",
            f"openpyxl read-only, same file: {openpyxl_seconds:.2f} s "
            f"({openpyxl_seconds / bare_median:.1f}x calamine)",
            f"SQLite alone writing the same rows (bare executemany, the same indexes, commit): "
            f"{floor_seconds:.2f} s; with the read, no import can beat "
            f"{(bare_median + floor_seconds) / bare_median:.2f}x calamine",
        ],
    )
