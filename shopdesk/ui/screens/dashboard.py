"""经营看板, the sidebar page: KPI cards and charts that say whether the shop's member work pays off.

The figures come from ``services.dashboard.dashboard`` on the DB lane (never the UI thread) and are drawn
when they arrive. matplotlib is loaded with the first charts, when the page is first shown, so the app's
start does not pay for it. A result that arrives after the period changed again is dropped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from shopdesk.domain.dates import spoken_period
from shopdesk.i18n import N_, _
from shopdesk.reports.dashboard_charts import CHARTS, KpiCard, kpi_cards
from shopdesk.services.dashboard import Dashboard, Period, dashboard
from shopdesk.ui.events import COUPONS, DATABASE, FOLLOWUPS, MEMBERS, POINTS, PURCHASES, SETTINGS, AppEvents
from shopdesk.ui.screens.base import Screen
from shopdesk.ui.style import scaled_font
from shopdesk.ui.tasks import BaseTaskRunner

WATCHED = frozenset({MEMBERS, PURCHASES, POINTS, COUPONS, FOLLOWUPS, SETTINGS, DATABASE})
CUSTOM = 0  # the days of the custom entry: the date fields decide
PERIODS: tuple[tuple[str, int], ...] = (
    (N_("Last 30 days"), 30),
    (N_("Last 90 days"), 90),
    (N_("Last 12 months"), 365),
    (N_("Custom range"), CUSTOM),
)
DEFAULT_PERIOD = 1
KPI_COLUMNS = 5
PDF_FILTER = "PDF (*.pdf)"


def export_report(period_board: Dashboard, path: str, progress: Any = None) -> int:
    """The PDF report of figures already on screen, with the shop's name (run on the DB lane)."""
    from shopdesk.reports.dashboard_report import write_dashboard_pdf
    from shopdesk.services.settings import shop_name

    if progress is not None:
        progress.step(0, 1)
    pages = write_dashboard_pdf(period_board, shop_name(), path)
    if progress is not None:
        progress.step(1, 1)
    return pages


def choose_pdf_path(parent: QWidget | None, suggested: str) -> str:
    """Where to save the report, or "" (tests replace this function instead of showing a file dialog)."""
    from shopdesk.ui.dialogs.import_wizard import choose_save_path

    return choose_save_path(parent, _("Save dashboard report"), suggested, PDF_FILTER)


class KpiTile(QFrame):
    """One figure in large type, its name above and what it counts below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        unit = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit, round(unit * 0.7), unit, round(unit * 0.7))
        layout.setSpacing(round(unit * 0.2))
        self.title = QLabel()
        self.title.setObjectName("fieldHint")
        self.value = QLabel("—")
        self.value.setFont(scaled_font(self, 1.7, bold=True))
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel(wordWrap=True)
        self.hint.setObjectName("fieldHint")
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.hint)
        layout.addStretch()

    def show_card(self, card: KpiCard) -> None:
        self.title.setText(card.title)
        self.value.setText(card.value)
        self.hint.setText(card.hint)
        self.setToolTip(f"{card.title}: {card.value}\n{card.hint}")


class DashboardScreen(Screen):
    """Period selector and export on top, ten KPI tiles, then the charts two to a row (wide ones span)."""

    def __init__(self, runner: BaseTaskRunner, events: AppEvents, parent: QWidget | None = None) -> None:
        super().__init__(runner, events, parent)
        self.setObjectName("dashboardScreen")
        self.board: Dashboard | None = None
        self.charts: list[Any] = []  # ui.charts.ChartCard, built with the first figures
        self._stale = True
        self._generation = 0
        self.job: Any = None  # the last computation's ui.tasks.Job
        unit = self.fontMetrics().height()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(unit, round(unit * 0.8), unit, 0)
        outer.setSpacing(round(unit * 0.6))

        header = QHBoxLayout()
        self.title = QLabel(_("Dashboard"))
        self.title.setObjectName("pageTitle")
        self.title.setFont(scaled_font(self, 1.45, bold=True))
        header.addWidget(self.title)
        header.addSpacing(unit)
        self.period_box = QComboBox()
        for label, days in PERIODS:
            self.period_box.addItem(_(label), days)
        self.period_box.setCurrentIndex(DEFAULT_PERIOD)
        self.period_box.setToolTip(_("Which days the figures count"))
        header.addWidget(self.period_box)
        today = QDate.currentDate()
        self.start_edit = QDateEdit(today.addDays(-89), calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.end_edit = QDateEdit(today, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.to_label = QLabel(_("to"))
        for widget in (self.start_edit, self.to_label, self.end_edit):
            widget.setVisible(False)
            header.addWidget(widget)
        self.status = QLabel()
        self.status.setObjectName("fieldHint")
        header.addWidget(self.status, 1)
        self.pdf_button = QPushButton(_("Export PDF"))
        self.pdf_button.setToolTip(_("Save the dashboard as a PDF report"))
        self.pdf_button.setEnabled(False)
        self.pdf_button.clicked.connect(self.export_pdf)
        header.addWidget(self.pdf_button)
        outer.addLayout(header)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("dashboardBody")
        self.body = QVBoxLayout(body)
        self.body.setContentsMargins(0, 0, 0, unit)
        self.body.setSpacing(round(unit * 0.8))
        tiles = QGridLayout()
        tiles.setSpacing(round(unit * 0.6))
        self.tiles = [KpiTile() for _card in range(10)]
        for index, tile in enumerate(self.tiles):
            tiles.addWidget(tile, index // KPI_COLUMNS, index % KPI_COLUMNS)
        for column in range(KPI_COLUMNS):
            tiles.setColumnStretch(column, 1)
        self.body.addLayout(tiles)
        self.chart_grid = QGridLayout()
        self.chart_grid.setSpacing(round(unit * 0.8))
        self.chart_grid.setColumnStretch(0, 1)
        self.chart_grid.setColumnStretch(1, 1)
        self.body.addLayout(self.chart_grid)
        self.body.addStretch()
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll, 1)

        self.period_box.currentIndexChanged.connect(self._period_chosen)
        self.start_edit.dateChanged.connect(self._custom_changed)
        self.end_edit.dateChanged.connect(self._custom_changed)
        self.setTabOrder(self.period_box, self.start_edit)
        self.setTabOrder(self.start_edit, self.end_edit)
        self.setTabOrder(self.end_edit, self.pdf_button)

    # -- the period

    def period(self) -> Period:
        days = self.period_box.currentData()
        if days == CUSTOM:
            start, end = _date(self.start_edit), _date(self.end_edit)
            return Period(min(start, end), max(start, end))
        return Period.last_days(int(days))

    def set_period(self, index: int) -> None:
        """Choose one of ``PERIODS`` by position (recomputes)."""
        self.period_box.setCurrentIndex(index)

    def _period_chosen(self, _index: int) -> None:
        custom = self.period_box.currentData() == CUSTOM
        for widget in (self.start_edit, self.to_label, self.end_edit):
            widget.setVisible(custom)
        self.refresh()

    def _custom_changed(self, _date: QDate) -> None:
        if self.period_box.currentData() == CUSTOM:
            self.refresh()

    # -- loading

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def activated(self) -> None:
        if self._stale:
            self.refresh()

    def on_changes(self, changes: set[str], initiator: object) -> None:
        if not WATCHED.intersection(changes):
            return
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Compute the figures for the chosen period on the DB lane; draw them when they arrive."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        self.status.setText(_("Counting…"))
        self.job = self.runner.run(
            dashboard,
            self.period(),
            on_done=lambda board: self._arrived(generation, board),
            on_error=lambda exc: self._failed(generation, exc),
            parent=self,
        )

    def _arrived(self, generation: int, board: Dashboard) -> None:
        if generation != self._generation:
            return  # the period changed while this was counted
        self.show_dashboard(board)

    def _failed(self, generation: int, exc: object) -> None:
        from shopdesk.ui.errors import report_error

        if generation == self._generation:
            self.status.setText(_("The figures could not be counted."))
            self._stale = True
        report_error(self, exc)  # type: ignore[arg-type]

    def show_dashboard(self, board: Dashboard) -> None:
        """Fill the tiles and draw every chart from ``board``."""
        self.board = board
        for tile, card in zip(self.tiles, kpi_cards(board), strict=True):
            tile.show_card(card)
        if not self.charts:
            self._build_charts()
        for chart in self.charts:
            chart.show_figures(board)
        self.pdf_button.setEnabled(True)
        if board.kpis.members:
            self.status.setText(spoken_period(board.period.start, board.period.end))
        else:
            self.status.setText(
                _("No members yet: add members or record sales, and the figures appear here.")
            )

    def _build_charts(self) -> None:
        from shopdesk.ui.charts import ChartCard

        row = column = 0
        for spec in CHARTS:
            card = ChartCard(_(spec.title), _(spec.hint), spec.draw, spec.key)
            if spec.wide:
                if column:
                    row, column = row + 1, 0
                self.chart_grid.addWidget(card, row, 0, 1, 2)
                row += 1
            else:
                self.chart_grid.addWidget(card, row, column)
                row, column = (row, 1) if column == 0 else (row + 1, 0)
            self.charts.append(card)

    # -- export

    def export_pdf(self) -> None:
        if self.board is None:
            return
        board = self.board
        suggested = _("Dashboard {start} to {end}.pdf").format(
            start=board.period.start.isoformat(), end=board.period.end.isoformat()
        )
        path = choose_pdf_path(self, suggested)
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.runner.run(
            export_report,
            board,
            path,
            progress_label=_("Writing the dashboard report…"),
            parent=self,
            on_done=lambda pages: self.status.setText(_("Report saved: {path}").format(path=path)),
        )


def _date(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())
