"""The dashboard as an A4 PDF report: the KPI table and every chart, for the shopkeeper's folder (no Qt).

Charts are the page's own (``reports.dashboard_charts``), rendered to PNG with matplotlib's Agg backend and
placed with reportlab. Page 1 carries the shop, the period and the KPIs with the first chart; each later
page holds two charts, so the page count is known from the chart count. Text uses the follow-up sheet's
fonts (reportlab's built-in CID font for Chinese, Helvetica for Latin runs), so no font file is needed.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shopdesk.domain.dates import spoken_date, spoken_period
from shopdesk.i18n import _
from shopdesk.reports.dashboard_charts import CHARTS, ChartSpec, kpi_cards, render
from shopdesk.reports.followup_sheet import (
    GREY,
    HEADER_FILL,
    INK,
    PDF_FONT,
    _markup,
    _numbered_canvas,
    _register_font,
    _replaced_on_success,
)

if TYPE_CHECKING:
    from shopdesk.services.dashboard import Dashboard

MARGIN_MM = 14
CHART_HEIGHT_MM = 98
CHARTS_PER_PAGE = 2
KPI_COLUMNS = 2  # pairs of (title, figure) per table row
PNG_DPI = 200


def expected_pages(charts: int = len(CHARTS)) -> int:
    """Page 1 has the first chart; the rest go two to a page."""
    return 1 + -(-max(charts - 1, 0) // CHARTS_PER_PAGE)


def period_text(board: Dashboard, today: dt.date | None = None) -> str:
    return spoken_period(board.period.start, board.period.end, today)


def write_dashboard_pdf(
    board: Dashboard, shop_name: str, path: str | os.PathLike[str], today: dt.date | None = None
) -> int:
    """Write the report for ``board`` to ``path`` (replaced only when complete); returns the page count."""
    target = Path(path)
    with _replaced_on_success(target) as temporary:
        pages = _Writer(board, shop_name, today or dt.date.today()).write(temporary)
    return pages


class _Writer:
    def __init__(self, board: Dashboard, shop_name: str, today: dt.date) -> None:
        self.board = board
        self.shop_name = shop_name
        self.today = today

    def write(self, path: Path) -> int:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

        _register_font()
        margin = MARGIN_MM * mm
        width, height = A4
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
            pageTemplates=[PageTemplate("report", [frame])],
            title=_("Dashboard report"),
            author=self.shop_name,
            creator="ShopDesk",
        )
        canvas_class = _numbered_canvas(self._footer, self._running_head)
        document.build(self._story(width - 2 * margin), canvasmaker=canvas_class)
        return canvas_class.pages

    def _footer(self, page: int, pages: int) -> str:
        return _("Page {page} of {pages}").format(page=page, pages=pages)

    def _running_head(self, page: int) -> str:
        return "" if page == 1 else f"{self.shop_name} — {period_text(self.board, self.today)}"

    def _styles(self) -> dict[str, Any]:
        from reportlab.lib.colors import HexColor
        from reportlab.lib.enums import TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        base = ParagraphStyle("base", fontName=PDF_FONT, fontSize=10, leading=13, textColor=HexColor(INK))
        return {
            "shop": ParagraphStyle("shop", parent=base, fontSize=19, leading=23),
            "date": ParagraphStyle("date", parent=base, fontSize=11, leading=14, alignment=TA_RIGHT),
            "title": ParagraphStyle("title", parent=base, fontSize=13, leading=17),
            "chart": ParagraphStyle("chart", parent=base, fontSize=12, leading=16),
            "hint": ParagraphStyle("hint", parent=base, fontSize=8.5, leading=11, textColor=HexColor(GREY)),
            "kpi": ParagraphStyle("kpi", parent=base, fontSize=9, leading=12, textColor=HexColor(GREY)),
            "value": ParagraphStyle("value", parent=base, fontSize=14, leading=17, alignment=TA_RIGHT),
        }

    def _story(self, frame_width: float) -> list[Any]:
        from reportlab.lib.colors import HexColor
        from reportlab.lib.units import mm
        from reportlab.platypus import HRFlowable, PageBreak, Paragraph, Spacer, Table, TableStyle

        styles = self._styles()
        generated = _("Printed {date}").format(date=spoken_date(self.today, with_year=True))
        head = Table(
            [
                [
                    Paragraph(_markup(self.shop_name, bold=True), styles["shop"]),
                    Paragraph(_markup(generated), styles["date"]),
                ],
                [
                    Paragraph(
                        _markup(
                            _("Dashboard report: {period}").format(period=period_text(self.board, self.today))
                        ),
                        styles["title"],
                    ),
                    "",
                ],
            ],
            colWidths=[frame_width * 0.65, frame_width * 0.35],
        )
        head.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ]
            )
        )
        story: list[Any] = [
            head,
            Spacer(1, 2 * mm),
            HRFlowable(width="100%", color=HexColor(INK)),
            Spacer(1, 4 * mm),
        ]

        cells = []
        for card in kpi_cards(self.board):
            cells.append(
                [
                    Paragraph(_markup(card.title), styles["chart"]),
                    Paragraph(_markup(card.hint), styles["hint"]),
                ]
            )
            cells.append(Paragraph(_markup(card.value, bold=True), styles["value"]))
        per_row = 2 * KPI_COLUMNS
        rows = [cells[index : index + per_row] for index in range(0, len(cells), per_row)]
        rows[-1] += [""] * (per_row - len(rows[-1]))
        gap = 6 * mm
        label_width = (frame_width - gap) / KPI_COLUMNS * 0.58
        value_width = (frame_width - gap) / KPI_COLUMNS - label_width
        table = Table(
            [[*row[:2], "", *row[2:]] for row in rows],
            colWidths=[label_width, value_width, gap, label_width, value_width],
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("BACKGROUND", (0, 0), (1, -1), HexColor(HEADER_FILL)),
                    ("BACKGROUND", (3, 0), (4, -1), HexColor(HEADER_FILL)),
                    ("LINEBELOW", (0, 0), (1, -1), 1.5, HexColor("#FFFFFF")),
                    ("LINEBELOW", (3, 0), (4, -1), 1.5, HexColor("#FFFFFF")),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        story += [table, Spacer(1, 6 * mm)]
        for index, spec in enumerate(CHARTS):
            if index and (index - 1) % CHARTS_PER_PAGE == 0:
                story.append(PageBreak())
            story += self._chart(spec, frame_width, styles)
        return story

    def _chart(self, spec: ChartSpec, frame_width: float, styles: dict[str, Any]) -> list[Any]:
        from reportlab.lib.units import mm
        from reportlab.platypus import Image, KeepTogether, Paragraph, Spacer

        width_in = frame_width / 72
        height_in = CHART_HEIGHT_MM * mm / 72
        figure = render(spec, self.board, width_in, height_in)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=PNG_DPI, facecolor="white")
        buffer.seek(0)
        image = Image(buffer, width=frame_width, height=CHART_HEIGHT_MM * mm)
        return [
            KeepTogether(
                [
                    Paragraph(_markup(_(spec.title), bold=True), styles["chart"]),
                    Paragraph(_markup(_(spec.hint)), styles["hint"]),
                    Spacer(1, 2 * mm),
                    image,
                    Spacer(1, 6 * mm),
                ]
            )
        ]
