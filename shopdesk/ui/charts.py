"""matplotlib charts inside Qt: a card with a title, a hint, the canvas and a button to save it as PNG.

The drawing itself lives in ``reports.dashboard_charts`` (shared with the PDF report); this module only
embeds it. matplotlib costs about a second to import, so it is imported when the first card is built
(when a page with charts is first shown), never when the app starts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from shopdesk.errors import UserError
from shopdesk.i18n import _
from shopdesk.ui.errors import report_error
from shopdesk.ui.style import scaled_font

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PNG_FILTER = "PNG (*.png)"
PNG_DPI = 150


def choose_png_path(parent: QWidget | None, suggested: str) -> str:
    """Where to save a chart, or "" (tests replace this function instead of showing a file dialog)."""
    start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Save chart as picture"), str(Path(start) / suggested), PNG_FILTER
    )
    return path


def new_canvas(figure: Figure, parent: QWidget | None = None) -> QWidget:
    """A Qt canvas for ``figure`` (imports matplotlib's Qt backend, which follows the loaded PySide6)."""
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    canvas = FigureCanvasQTAgg(figure)
    canvas.setParent(parent)
    return canvas


class ChartCard(QFrame):
    """One chart of a page: redrawn by ``show_figures``; right-click or 导出图片 saves it as PNG."""

    def __init__(
        self,
        title: str,
        hint: str,
        draw: Callable[[Figure, object], None],
        file_stem: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from shopdesk.reports.dashboard_charts import new_figure

        self.setObjectName("detailPanel")
        self.draw = draw
        self.file_stem = file_stem
        self.drawn = False
        unit = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit, round(unit * 0.8), unit, unit)
        layout.setSpacing(round(unit * 0.3))
        header = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setObjectName("sectionTitle")
        self.title.setFont(scaled_font(self, 1.1, bold=True))
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header.addWidget(self.title, 1)
        self.export_button = QPushButton(_("Save picture"))
        self.export_button.setToolTip(_("Save this chart as a PNG picture"))
        self.export_button.clicked.connect(self.export_png)
        header.addWidget(self.export_button)
        layout.addLayout(header)
        self.hint = QLabel(hint, wordWrap=True)
        self.hint.setObjectName("fieldHint")
        layout.addWidget(self.hint)
        self.figure = new_figure()
        self.canvas = new_canvas(self.figure, self)
        self.canvas.setMinimumHeight(unit * 16)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.canvas.customContextMenuRequested.connect(self._menu)
        layout.addWidget(self.canvas, 1)

    def show_figures(self, figures: object) -> None:
        """Draw the chart afresh from the page's figures."""
        self.figure.clear()
        self.draw(self.figure, figures)
        self.canvas.draw_idle()
        self.drawn = True

    def export_png(self) -> None:
        path = choose_png_path(self, f"{self.file_stem}.png")
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        try:
            self.figure.savefig(path, dpi=PNG_DPI, format="png", facecolor="white")
        except OSError as exc:
            message = _("The picture could not be saved: {reason}").format(reason=exc.strerror or exc)
            report_error(self, UserError(message))

    def _menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(_("Save as picture…"), self.export_png)
        menu.popup(self.canvas.mapToGlobal(position))
