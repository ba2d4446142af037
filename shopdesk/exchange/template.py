"""A blank import template: the columns an import understands, drop-downs, and an instructions sheet.

Written with openpyxl, which (unlike the streaming writer used for exports) can add data validation:
drop-down lists of the shop's tiers, the sources and genders for members, categories and staff for
purchases. The lists live on a hidden sheet, so a long list of tiers still fits. The phone column is
formatted as text, so Excel keeps all eleven digits instead of showing 1.38E+10.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from shopdesk.domain.members import GENDER_LABELS, SOURCE_LABELS, Gender
from shopdesk.errors import UserError
from shopdesk.exchange.headers import MEMBER_FIELDS, PURCHASE_FIELDS, Field, column_letter
from shopdesk.exchange.writers import display_width, safe_sheet_title
from shopdesk.i18n import _
from shopdesk.services.transactions import guarded

TEMPLATE_ROWS = 2000  # rows given drop-downs and text formatting
HEADER_FILL = "DCE6F1"
REQUIRED_FILL = "FCE4D6"
KINDS = ("members", "purchases")


@guarded
def write_template(path: str | os.PathLike[str], kind: str = "members") -> Path:
    """Save a blank ``members`` or ``purchases`` import template to ``path`` (.xlsx)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind not in KINDS:
        raise ValueError(f"unknown template {kind!r}")
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise UserError(_("A template is an Excel file: choose a name ending in .xlsx."))
    # A template is for members not yet in the shop: whether one is archived is for an export to say.
    fields = [
        item for item in (MEMBER_FIELDS if kind == "members" else PURCHASE_FIELDS) if item.key != "archived"
    ]
    lists = _lists(kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = safe_sheet_title(_("Members") if kind == "members" else _("Purchases"))
    hidden = workbook.create_sheet("Lists")
    hidden.sheet_state = "hidden"
    bold = Font(bold=True)
    next_list = 0  # the hidden sheet's next free column
    for index, item in enumerate(fields, start=1):
        cell = sheet.cell(row=1, column=index)
        _set_text(cell, _(item.label))
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if item.required else HEADER_FILL)
        cell.alignment = Alignment(vertical="center")
        letter = column_letter(index - 1)
        sheet.column_dimensions[letter].width = max(12, display_width(_(item.label)) + 4)
        if item.key in ("phone", "referrer_phone", "order_no"):
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if item.key in lists:
            values = lists[item.key]
            list_column = column_letter(next_list)
            next_list += 1
            for row, value in enumerate(values, start=1):
                _set_text(hidden[f"{list_column}{row}"], value)
            if values:
                validation = DataValidation(
                    type="list",
                    formula1=f"=Lists!${list_column}$1:${list_column}${len(values)}",
                    allow_blank=True,
                    showErrorMessage=False,  # a value not on the list is checked by the import, with a reason
                )
                validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
                sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 22
    _instructions(workbook.create_sheet(safe_sheet_title(_("Instructions")), 1), fields, kind)
    try:
        workbook.save(target)
    except PermissionError:
        raise UserError(
            _("{name} cannot be written: it may be open in Excel. Close it there and try again.").format(
                name=target.name
            )
        ) from None
    return target


def _lists(kind: str) -> dict[str, list[str]]:
    """The drop-down values by field: the shop's own tiers, categories and staff; sources and genders."""
    from shopdesk.db.models import Category, Staff, Tier

    if kind == "members":
        return {
            "tier": [
                name
                for (name,) in Tier.select(Tier.name).where(Tier.active).order_by(Tier.threshold_fen).tuples()
            ],
            "source": [_(label) for label in SOURCE_LABELS.values()],
            "gender": [_(label) for code, label in GENDER_LABELS.items() if code is not Gender.UNKNOWN],
            "staff": [
                name for (name,) in Staff.select(Staff.name).where(Staff.active).order_by(Staff.id).tuples()
            ],
        }
    return {
        "category": [
            name
            for (name,) in Category.select(Category.name)
            .where(Category.active)
            .order_by(Category.sort_order, Category.id)
            .tuples()
        ],
        "staff": [
            name for (name,) in Staff.select(Staff.name).where(Staff.active).order_by(Staff.id).tuples()
        ],
    }


def _instructions(sheet: object, fields: Sequence[Field], kind: str) -> None:
    from openpyxl.styles import Alignment, Font

    if kind == "members":
        rules = [
            _(
                "Fill in one member per row, under the column names of the first sheet; "
                "do not rename the columns."
            ),
            _(
                "Rows with the same phone are merged: the first row's values stand and later rows "
                "fill its blanks."
            ),
            _(
                "Members the shop knows already are matched by phone; you choose whether to fill in "
                "their blanks, overwrite them or leave them alone."
            ),
            _("Points become an opening balance in the points ledger, once per member."),
        ]
    else:
        rules = [
            _("Fill in one sale per row, under the column names of the first sheet."),
            _("Imported sales update each member's figures but earn no points and change no tier."),
            _("Importing the same file again records each sale once."),
        ]
    rules.append(
        _(
            "If a row cannot be imported, ShopDesk says which row, which column and why; nothing is "
            "imported until every row is right, unless you choose to skip the wrong rows."
        )
    )
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    _set_text(sheet.cell(row=1, column=1), _("How to fill in this template"))  # type: ignore[attr-defined]
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)  # type: ignore[attr-defined]
    row = 3
    for rule in rules:
        cell = sheet.cell(row=row, column=1)  # type: ignore[attr-defined]
        _set_text(cell, "• " + rule)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)  # type: ignore[attr-defined]
        cell.alignment = wrap
        sheet.row_dimensions[row].height = 30  # type: ignore[attr-defined]
        row += 1
    row += 1
    for column, title in enumerate((_("Column"), _("Required"), _("What to write"), _("Example")), start=1):
        cell = sheet.cell(row=row, column=column)  # type: ignore[attr-defined]
        _set_text(cell, title)
        cell.font = bold
    for item in fields:
        row += 1
        values = (
            _(item.label),
            _("Yes") if item.required else "",
            _(item.help) if item.help else "",
            item.example,
        )
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column)  # type: ignore[attr-defined]
            _set_text(cell, value)
            cell.alignment = wrap
    for letter, width in zip("ABCD", (18, 10, 70, 18), strict=True):
        sheet.column_dimensions[letter].width = width  # type: ignore[attr-defined]


def _set_text(cell: object, value: str) -> None:
    """Put text in an openpyxl cell as text: openpyxl would otherwise store ``=…`` as a live formula."""
    cell.value = value  # type: ignore[attr-defined]
    if isinstance(value, str) and value:
        cell.data_type = "s"  # type: ignore[attr-defined]
        if value[0] in "=+-@\t\r":
            cell.quotePrefix = True  # type: ignore[attr-defined]
