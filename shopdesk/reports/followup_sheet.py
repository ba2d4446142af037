"""Today's follow-up list as a sheet to tick with a pen: the document as data, then HTML, PDF and rows.

``build_sheet`` groups the day's tasks by kind (in the order of ``TaskKind``) and masks phones
(138****8000) unless asked otherwise. The same sheet is rendered three ways:

- ``to_html()`` for the GUI's print preview: the HTML subset ``QTextDocument`` understands (tables with
  ``<thead>`` so a group's header repeats on the next page, attributes rather than CSS where Qt ignores it);
- ``to_pdf(path)`` with reportlab on A4 portrait: shop name and date on top, a tick box and a blank result
  column per row, "Page 1 of 3" at the bottom. Chinese uses reportlab's built-in CID font STSong-Light,
  which every PDF reader maps to a Song font it has, so no font file ships with the app;
- ``to_rows()`` (with ``COLUMNS``) for Excel and CSV, written by ``write_table(path)``.

Nothing heavy is imported until a PDF or a spreadsheet is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from shopdesk.domain.dates import spoken_date, spoken_day
from shopdesk.domain.followups import KIND_LABELS, OUTCOME_LABELS, Outcome, TaskKind
from shopdesk.domain.phones import mask_phone
from shopdesk.errors import UserError
from shopdesk.i18n import N_, _, ngettext

# Spreadsheet columns: (key, title, writer kind). "done" and "result" are left blank for the clerk.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("kind", N_("Reason for contact"), "text"),
    ("name", N_("Name"), "text"),
    ("phone", N_("Phone"), "text"),
    ("reason", N_("Details"), "text"),
    ("staff", N_("Staff"), "text"),
    ("due", N_("Due date"), "date"),
    ("since", N_("On the list since"), "date"),
    ("done", N_("Done"), "text"),
    ("result", N_("Result"), "text"),
)
# Chinese in reportlab's built-in CID font; Latin letters, digits and ¥ in Helvetica, whose metrics every
# reader matches (a Song font's Latin glyphs are spaced unevenly when a reader substitutes the font).
PDF_FONT = "STSong-Light"
LATIN_FONT = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
INK = "#1F2D3D"
GREY = "#6B7785"
RULE = "#9AA5B1"
HEADER_FILL = "#EEF2F6"
KEEP_TOGETHER_ROWS = 6


class SheetTask(Protocol):
    """What the sheet needs of a task (``services.followups.TaskView`` has it)."""

    member_name: str
    phone: str
    kind: TaskKind
    reason: str
    staff_name: str
    due_date: dt.date
    list_date: dt.date
    carried_over: bool


@dataclass(frozen=True, slots=True)
class SheetRow:
    name: str
    phone: str  # masked unless the owner asked for whole numbers
    reason: str
    staff: str
    due_date: dt.date
    since: dt.date | None  # the day it was first listed, when carried over from an earlier day


@dataclass(frozen=True, slots=True)
class SheetGroup:
    kind: TaskKind
    title: str  # translated
    rows: tuple[SheetRow, ...]


def build_sheet(
    tasks: Iterable[SheetTask], *, shop_name: str, day: dt.date, full_phones: bool = False
) -> FollowupSheet:
    """The day's sheet: tasks grouped by kind in the order of ``TaskKind``, each group in the given order."""
    by_kind: dict[TaskKind, list[SheetRow]] = {}
    for task in tasks:
        phone = task.phone or ""
        by_kind.setdefault(TaskKind(task.kind), []).append(
            SheetRow(
                name=task.member_name,
                phone=phone if full_phones else mask_phone(phone),
                reason=task.reason,
                staff=task.staff_name,
                due_date=task.due_date,
                since=task.list_date if task.carried_over else None,
            )
        )
    groups = tuple(
        SheetGroup(kind, _(KIND_LABELS[kind]), tuple(by_kind[kind])) for kind in TaskKind if kind in by_kind
    )
    return FollowupSheet(shop_name=shop_name, day=day, groups=groups)


@dataclass(frozen=True, slots=True)
class FollowupSheet:
    """The printable list of one day: shop, date, and the contacts grouped by why they are on it."""

    shop_name: str
    day: dt.date
    groups: tuple[SheetGroup, ...]

    @property
    def count(self) -> int:
        return sum(len(group.rows) for group in self.groups)

    # ---- words shared by every rendering ----------------------------------------------------------------

    def title(self) -> str:
        """The document's name (PDF title, sheet name, running head)."""
        return _("Follow-ups for {date}").format(date=spoken_date(self.day, with_year=True))

    def date_line(self) -> str:
        return spoken_day(self.day, with_year=True)

    def summary(self) -> str:
        """The line under the shop's name: what the sheet is and how many contacts it holds."""
        return ngettext(
            "Follow-up list: {count} contact", "Follow-up list: {count} contacts", self.count
        ).format(count=self.count)

    @staticmethod
    def legend() -> str:
        outcomes = " / ".join(_(OUTCOME_LABELS[outcome]) for outcome in Outcome)
        return _("Tick each contact made and write the result: {outcomes}.").format(outcomes=outcomes)

    @staticmethod
    def group_heading(group: SheetGroup) -> str:
        return _("{kind} ({count})").format(kind=group.title, count=len(group.rows))

    def since_note(self, row: SheetRow) -> str:
        return (
            _("On the list since {date}").format(date=spoken_date(row.since, self.day)) if row.since else ""
        )

    @staticmethod
    def headings() -> tuple[str, str, str, str, str]:
        return _("Name"), _("Phone"), _("Reason"), _("Staff"), _("Result")

    def empty_text(self) -> str:
        return _("Nobody to contact on this day.")

    # ---- HTML for QTextDocument ---------------------------------------------------------------------------

    def to_html(self) -> str:
        """The sheet as HTML that ``QTextDocument`` prints well (A4 portrait is the printer's setting)."""
        e = _escape
        name, phone, reason, staff, result = self.headings()
        parts = [
            "<html><head><meta charset='utf-8'/></head>",
            f"<body style='font-size: 10pt; color: {INK};'>",
            "<table width='100%' cellspacing='0' cellpadding='0'><tr>",
            f"<td><span style='font-size: 17pt; font-weight: 600;'>{e(self.shop_name)}</span></td>",
            f"<td align='right' valign='bottom'>{e(self.date_line())}</td>",
            "</tr></table>",
            "<p style='margin-top: 3pt;'><span style='font-size: 12pt; font-weight: 600;'>"
            f"{e(self.summary())}</span><br/>",
            f"<span style='color: {GREY}; font-size: 9pt;'>{e(self.legend())}</span></p>",
        ]
        if not self.groups:
            parts.append(f"<p style='margin-top: 18pt;'>{e(self.empty_text())}</p>")
        for group in self.groups:
            # An empty line for the space above: QTextDocument drops a block's top margin after a table.
            parts.append(
                "<p style='font-size: 7pt;'>&nbsp;</p>"
                "<p style='margin-bottom: 3pt; font-size: 12pt; font-weight: 600;'>"
                f"{e(self.group_heading(group))}</p>"
            )
            parts.append(
                f"<table width='100%' border='1' cellspacing='0' cellpadding='7' "
                f"style='border-collapse: collapse; border-color: {RULE}; border-style: solid;'>"
                f"<thead><tr style='background-color: {HEADER_FILL};'>"
                f"<th width='5%'></th><th width='12%' align='left'>{e(name)}</th>"
                f"<th width='17%' align='left'>{e(phone)}</th><th width='36%' align='left'>{e(reason)}</th>"
                f"<th width='12%' align='left'>{e(staff)}</th><th width='18%' align='left'>{e(result)}</th>"
                "</tr></thead>"
            )
            for row in group.rows:
                note = self.since_note(row)
                note_html = ""
                if note:
                    note_html = f"<br/><span style='color: {GREY}; font-size: 8pt;'>{e(note)}</span>"
                parts.append(
                    "<tr>"
                    "<td align='center' valign='middle' style='font-size: 13pt;'>□</td>"
                    f"<td valign='middle'>{e(row.name)}</td>"
                    f"<td valign='middle' style='white-space: nowrap;'>{e(row.phone)}</td>"
                    f"<td valign='middle'>{e(row.reason)}{note_html}</td>"
                    f"<td valign='middle'>{e(row.staff)}</td><td></td>"
                    "</tr>"
                )
            parts.append("</table>")
        parts.append("</body></html>")
        return "".join(parts)

    # ---- rows for Excel and CSV ---------------------------------------------------------------------------

    def to_rows(self) -> list[list[object]]:
        """One list per contact, values in the order of ``COLUMNS`` (the done and result cells blank)."""
        return [
            [group.title, row.name, row.phone, row.reason, row.staff, row.due_date, row.since, "", ""]
            for group in self.groups
            for row in group.rows
        ]

    def write_table(self, path: str | os.PathLike[str]) -> int:
        """Write the rows to ``path`` (.xlsx or .csv) with the exchange package's writer; returns a count."""
        from shopdesk.exchange.writers import Column, Kind, write_table

        columns = [Column(key, _(title), Kind(kind)) for key, title, kind in COLUMNS]
        # A sheet tab cannot hold "/": the tab takes the ISO date, which Excel users read as well.
        tab = _("Follow-ups for {date}").format(date=self.day.isoformat())
        return write_table(path, columns, self.to_rows(), sheet_title=tab)

    # ---- PDF ----------------------------------------------------------------------------------------------

    def to_pdf(self, path: str | os.PathLike[str]) -> int:
        """Write the sheet as an A4 portrait PDF to ``path``; returns the number of pages."""
        target = Path(path)
        with _replaced_on_success(target) as temporary:
            pages = _PdfWriter(self).write(temporary)
        return pages


def _escape(text: str) -> str:
    return html.escape(text or "", quote=True)


@contextlib.contextmanager
def _replaced_on_success(target: Path) -> Iterator[Path]:
    """Write beside ``target`` and move into place at the end: a failure never leaves half a file."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(_("The folder {folder} does not exist.").format(folder=folder))
    handle, name = tempfile.mkstemp(prefix=".shopdesk-", suffix=target.suffix, dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        try:
            os.replace(temporary, target)
        except PermissionError:
            raise UserError(
                _(
                    "{name} cannot be written: it may be open in another program. Close it and try again."
                ).format(name=target.name)
            ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


class _PdfWriter:
    """Lays the sheet out with reportlab's platypus: a table per group, its header repeated on a new page."""

    # Column widths in mm on A4 (210 mm less two 14 mm margins = 182 mm).
    WIDTHS_MM = (9, 24, 27, 68, 18, 36)
    MARGIN_MM = 14

    def __init__(self, sheet: FollowupSheet) -> None:
        self.sheet = sheet

    def write(self, path: Path) -> int:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

        _register_font()
        margin = self.MARGIN_MM * mm
        width, height = A4
        # A frame without padding, so paragraphs and tables share the same left edge.
        frame = Frame(
            margin,
            margin + 6 * mm,
            width - 2 * margin,
            height - 2 * margin - 6 * mm,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        document = BaseDocTemplate(
            str(path),
            pagesize=A4,
            pageTemplates=[PageTemplate("sheet", [frame])],
            title=self.sheet.title(),
            author=self.sheet.shop_name,
            creator="ShopDesk",
        )
        canvas_class = _numbered_canvas(self._footer_text, self._running_head)
        document.build(self._story(), canvasmaker=canvas_class)
        return canvas_class.pages

    # -- page furniture

    def _footer_text(self, page: int, pages: int) -> str:
        return _("Page {page} of {pages}").format(page=page, pages=pages)

    def _running_head(self, page: int) -> str:
        """Pages after the first carry the shop and the date in small print, in case the sheets part."""
        return "" if page == 1 else f"{self.sheet.shop_name} — {self.sheet.date_line()}"

    # -- content

    def _styles(self) -> dict[str, Any]:
        from reportlab.lib.colors import HexColor
        from reportlab.lib.enums import TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        base = ParagraphStyle(
            "base", fontName=PDF_FONT, fontSize=10, leading=13, textColor=HexColor(INK), wordWrap="CJK"
        )
        return {
            "shop": ParagraphStyle("shop", parent=base, fontSize=19, leading=23),
            "date": ParagraphStyle("date", parent=base, fontSize=11, leading=14, alignment=TA_RIGHT),
            "summary": ParagraphStyle("summary", parent=base, fontSize=12.5, leading=16),
            "legend": ParagraphStyle("legend", parent=base, fontSize=9, leading=12, textColor=HexColor(GREY)),
            "group": ParagraphStyle("group", parent=base, fontSize=12.5, leading=16),
            "head": ParagraphStyle("head", parent=base, fontSize=9, leading=11, textColor=HexColor(GREY)),
            "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=13),
            "note": ParagraphStyle("note", parent=base, fontSize=8, leading=10, textColor=HexColor(GREY)),
        }

    def _story(self) -> list[Any]:
        from reportlab.lib.colors import HexColor
        from reportlab.lib.units import mm
        from reportlab.platypus import HRFlowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

        sheet, styles = self.sheet, self._styles()
        widths = [width * mm for width in self.WIDTHS_MM]
        top = Table(
            [
                [
                    Paragraph(_markup(sheet.shop_name, bold=True), styles["shop"]),
                    Paragraph(_markup(sheet.date_line()), styles["date"]),
                ]
            ],
            colWidths=[sum(widths) * 0.62, sum(widths) * 0.38],
        )
        top.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        story: list[Any] = [
            top,
            HRFlowable(width="100%", thickness=1.2, color=HexColor(INK), spaceBefore=2, spaceAfter=6),
            Paragraph(_markup(sheet.summary(), bold=True), styles["summary"]),
            Spacer(1, 1.2 * mm),
            Paragraph(_markup(sheet.legend()), styles["legend"]),
        ]
        if not sheet.groups:
            story += [Spacer(1, 12 * mm), Paragraph(_markup(sheet.empty_text()), styles["summary"])]
        for group in sheet.groups:
            table = self._group_table(group, widths, styles)
            # A short group is not split: its last rows alone at the top of a page are easily missed.
            story.append(KeepTogether(table) if len(group.rows) <= KEEP_TOGETHER_ROWS else table)
        return story

    def _group_table(self, group: SheetGroup, widths: list[float], styles: dict[str, Any]) -> Any:
        from reportlab.lib.colors import HexColor
        from reportlab.lib.units import mm
        from reportlab.platypus import Paragraph, Table, TableStyle

        # The group's heading is the table's first row, so that it repeats with the column heads when the
        # group runs onto the next page.
        title = [Paragraph(_markup(self.sheet.group_heading(group), bold=True), styles["group"])]
        head = [""] + [Paragraph(_markup(text), styles["head"]) for text in self.sheet.headings()]
        rows: list[list[Any]] = [title + [""] * (len(widths) - 1), head]
        for row in group.rows:
            reason: list[Any] = [Paragraph(_markup(row.reason), styles["cell"])]
            note = self.sheet.since_note(row)
            if note:
                reason.append(Paragraph(_markup(note), styles["note"]))
            rows.append(
                [
                    _tick_box(4.2 * mm),
                    Paragraph(_markup(row.name), styles["cell"]),
                    Paragraph(_markup(row.phone), styles["cell"]),
                    reason,
                    Paragraph(_markup(row.staff), styles["cell"]),
                    "",
                ]
            )
        table = Table(rows, colWidths=widths, repeatRows=2)
        rule = HexColor(RULE)
        table.setStyle(
            TableStyle(
                [
                    ("SPAN", (0, 0), (-1, 0)),
                    ("LEFTPADDING", (0, 0), (-1, 0), 0),
                    ("TOPPADDING", (0, 0), (-1, 0), 16),
                    ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
                    ("BACKGROUND", (0, 1), (-1, 1), HexColor(HEADER_FILL)),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("ALIGN", (0, 2), (0, -1), "CENTER"),
                    ("TOPPADDING", (0, 1), (-1, 1), 3),
                    ("BOTTOMPADDING", (0, 1), (-1, 1), 4),
                    # Rows tall enough to write in by hand (about 10 mm).
                    ("TOPPADDING", (0, 2), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 2), (-1, -1), 8),
                    ("BOX", (0, 1), (-1, -1), 0.8, rule),
                    ("INNERGRID", (0, 1), (-1, -1), 0.4, rule),
                ]
            )
        )
        return table


def _is_latin(char: str) -> bool:
    """True for what Helvetica can show (Windows-1252: Latin letters, digits, ¥, ·, dashes)."""
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _runs(text: str) -> list[tuple[bool, str]]:
    """``text`` cut into (is Latin, part) runs."""
    runs: list[tuple[bool, str]] = []
    for char in text:
        latin = _is_latin(char)
        if runs and runs[-1][0] == latin:
            runs[-1] = (latin, runs[-1][1] + char)
        else:
            runs.append((latin, char))
    return runs


def _markup(text: str, *, bold: bool = False) -> str:
    """Paragraph markup for ``text``: Latin runs in Helvetica, the rest in the paragraph's CJK font."""
    face = LATIN_BOLD if bold else LATIN_FONT
    parts = []
    for latin, part in _runs(text or ""):
        escaped = html.escape(part, quote=False)
        parts.append(f'<font face="{face}">{escaped}</font>' if latin else escaped)
    return "".join(parts)


def _draw_text(canvas: Any, x: float, y: float, text: str, size: float, *, centred: bool = False) -> None:
    """Draw ``text`` on the canvas in runs of Helvetica and the CJK font (footers and running heads)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    runs = [(LATIN_FONT if latin else PDF_FONT, part) for latin, part in _runs(text)]
    if centred:
        x -= sum(stringWidth(part, font, size) for font, part in runs) / 2
    for font, part in runs:
        canvas.setFont(font, size)
        canvas.drawString(x, y, part)
        x += stringWidth(part, font, size)


def _tick_box(size: float) -> Any:
    """An empty square to tick: a one-cell table with a border (no glyph, so every reader shows it)."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Table, TableStyle

    box = Table([[""]], colWidths=[size], rowHeights=[size])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.9, HexColor(INK))]))
    return box


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))


def _numbered_canvas(footer: Any, running_head: Any) -> Any:
    """A canvas class that holds its pages until the end, so each footer can say "Page 2 of 3".

    ``pages`` on the returned class is the page count of the last document saved with it.
    """
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        pages = 0

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            type(self).pages = total
            width, height = A4
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                self.setFillColor(HexColor(GREY))
                _draw_text(self, width / 2, 10 * mm, footer(number, total), 9, centred=True)
                head = running_head(number)
                if head:
                    _draw_text(self, 14 * mm, height - 9 * mm, head, 8.5)
                super().showPage()
            super().save()

    return NumberedCanvas
