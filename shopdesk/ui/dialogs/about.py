"""Help → About: the version and the database in use, the two facts support asks for first."""

from __future__ import annotations

import platform
import sqlite3

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from shopdesk import __version__
from shopdesk.db.database import data_dir, describe_target
from shopdesk.i18n import _
from shopdesk.ui.icons import pixmap
from shopdesk.ui.style import scaled_font


def about_facts(target: str) -> list[tuple[str, str]]:
    """(label, value) lines: what a support call needs to know, all selectable for copying."""
    return [
        (_("Version:"), __version__),
        (_("Database in use:"), describe_target(target)),
        (_("Data folder:"), str(data_dir())),
        (
            _("Built with:"),
            _("Python {python}, Qt for Python {qt}, SQLite {sqlite}").format(
                python=platform.python_version(), qt=pyside_version, sqlite=sqlite3.sqlite_version
            ),
        ),
    ]


class AboutDialog(QDialog):
    def __init__(self, target: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(_("About ShopDesk"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        unit = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(round(unit * 1.5), unit, round(unit * 1.5), unit)
        layout.setSpacing(round(unit * 0.6))
        logo = QLabel()
        size = unit * 3
        logo.setPixmap(pixmap("app", QSize(size, size), self.devicePixelRatioF()))
        layout.addWidget(logo, 0, Qt.AlignmentFlag.AlignHCenter)
        title = QLabel(_("ShopDesk"))
        title.setFont(scaled_font(self, 1.4, bold=True))
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        summary = QLabel(
            _("Members, purchases, points and follow-ups for a small shop, on your own computer.")
        )
        summary.setWordWrap(True)
        summary.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(summary)
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for label, value in about_facts(target):
            shown = QLabel(value)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, shown)
            self.values[label] = shown
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(unit * 30)

    @classmethod
    def ask(cls, parent: QWidget | None, target: str) -> None:
        dialog = cls(target, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
