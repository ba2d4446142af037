"""The ``reminders`` listing as a file: CSV for any tool, .xlsx with real dates and numbers for Excel.

Phones are written in full: the file is for the staff who call the members. Writing one is an export of
member data, so it is recorded in the audit log.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Sequence

from shopdesk.domain.reminders import KIND_LABELS
from shopdesk.i18n import _
from shopdesk.services.audit import record_audit
from shopdesk.services.reminders import ReminderView
from shopdesk.services.transactions import atomic


def _header() -> list[str]:
    return [
        _("Rank"), _("Phone"), _("Name"), _("Expected date"), _("Due from"), _("Due until"), _("Score (%)"),
        _("Kind"), _("Reason"), _("Last purchase"), _("Purchases"),
    ]


def _cells(rank: int, item: ReminderView) -> list[object]:
    return [
        rank, item.phone, item.name, item.expected_date, item.window_start, item.window_end,
        round(100 * item.score, 1), _(KIND_LABELS[item.kind]), item.reason, item.last_purchase_date,
        item.purchase_count,
    ]


def write_reminders(
    reminders: Sequence[ReminderView], path: str | os.PathLike[str], kind: str, day: dt.date, horizon: int
) -> None:
    """Write the ranked ``reminders`` to ``path`` (``kind`` is ".csv" or ".xlsx") and audit the export."""
    if kind == ".xlsx":
        _write_xlsx(reminders, path, day, horizon)
    else:
        _write_csv(reminders, path)
    with atomic():
        details = {"date": day.isoformat(), "horizon": horizon, "rows": len(reminders)}
        record_audit("reminders.export", str(path), details)


def _write_csv(reminders: Sequence[ReminderView], path: str | os.PathLike[str]) -> None:
    # utf-8-sig: Excel on a Chinese Windows reads UTF-8 without a BOM as GBK and garbles the names.
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(_header())
        for rank, item in enumerate(reminders, start=1):
            cells = _cells(rank, item)
            writer.writerow([
                value.isoformat() if isinstance(value, dt.date) else _formula_safe(value) for value in cells
            ])


def _formula_safe(value: object) -> object:
    """Text that Excel would run as a formula (a name starting with =) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _write_xlsx(
    reminders: Sequence[ReminderView], path: str | os.PathLike[str], day: dt.date, horizon: int
) -> None:
    import xlsxwriter  # imported here: the CLI starts without it

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    try:
        sheet = workbook.add_worksheet(_("Reminders"))
        bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        text = workbook.add_format({"num_format": "@"})
        title = _("Members expected to buy from {date} in the next {days} days").format(
            date=day.isoformat(), days=horizon
        )
        sheet.write(0, 0, title, workbook.add_format({"bold": True, "font_size": 13}))
        sheet.write_row(2, 0, _header(), bold)
        for row, item in enumerate(reminders, start=3):
            for column, value in enumerate(_cells(row - 2, item)):
                if isinstance(value, dt.date):
                    sheet.write_datetime(row, column, dt.datetime.combine(value, dt.time()), date)
                elif column == 1:
                    sheet.write_string(row, column, str(value), text)  # a phone, never a number
                elif isinstance(value, str):
                    sheet.write_string(row, column, value)
                else:
                    sheet.write_number(row, column, value)
        for column, width in enumerate((6, 14, 10, 12, 12, 12, 9, 10, 60, 12, 9)):
            sheet.set_column(column, column, width)
        sheet.freeze_panes(3, 0)
        if reminders:
            sheet.autofilter(2, 0, 2 + len(reminders), len(_header()) - 1)
    finally:
        workbook.close()
