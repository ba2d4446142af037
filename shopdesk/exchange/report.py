"""The rows an import could not take, as an Excel sheet the user fixes the source file from."""

from __future__ import annotations

import os
from pathlib import Path

from shopdesk.errors import UserError
from shopdesk.exchange.plan import ImportPlan
from shopdesk.exchange.writers import Column, Kind, file_format, write_table
from shopdesk.i18n import _


def write_report(plan: ImportPlan, path: str | os.PathLike[str]) -> int:
    """Save every invalid cell of ``plan`` (row, column, value, reason) to ``path``; returns the count."""
    target = Path(path)
    if file_format(target) != "xlsx":
        raise UserError(_("The report is an Excel file: choose a name ending in .xlsx."))
    columns = [
        Column("row", _("Row"), Kind.INT),
        Column("column", _("Column"), Kind.TEXT),
        Column("title", _("Column name"), Kind.TEXT),
        Column("value", _("Value"), Kind.TEXT),
        Column("reason", _("Reason"), Kind.TEXT),
    ]
    rows = ([error.row, error.column, error.title, error.value, error.reason] for error in plan.errors)
    return write_table(target, columns, rows, sheet_title=_("Rows not imported"))
