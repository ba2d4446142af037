"""设置, the last sidebar page: a list of sections on the left, the chosen section's page on the right.

Each section is an ``OptionsPage`` from ``ui/options`` (one module each, registered in ``OPTION_MODULES``).
Edits stay in the page until Save (Ctrl+S) stores them on the DB lane or Revert reads them again; pages the
person logged in may not change are shown read-only, with the reason.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk.i18n import _
from shopdesk.services import session
from shopdesk.ui.events import DATABASE, SETTINGS, AppEvents
from shopdesk.ui.options import OptionsPage, option_pages
from shopdesk.ui.screens.base import Screen
from shopdesk.ui.style import char_width, scaled_font
from shopdesk.ui.tasks import BaseTaskRunner

# The section list as a light menu (the shared theme styles only the main sidebar).
NAV_STYLE = """
QListWidget#settingsNav { background: #ffffff; border: 1px solid #e8e8e8; border-radius: 8px; outline: 0;
    padding: 4px; }
QListWidget#settingsNav::item { color: #262626; padding: 7px 10px; margin: 1px 0; border-radius: 6px; }
QListWidget#settingsNav::item:hover { background: #f5f5f5; }
QListWidget#settingsNav::item:selected { background: #e6f4ff; color: #1677FF; }
QLabel#readOnlyNote { background: #fffbe6; border: 1px solid #ffe58f; border-radius: 6px; padding: 6px 10px;
    color: #614700; }
QLabel#unsavedNote { color: #d46b08; }
QScrollArea#settingsPageArea { background: transparent; border: none; }
QWidget#settingsPageBody { background: transparent; }
"""


class SettingsScreen(Screen):
    """Sections on the left; the page, a read-only note when needed, and Save / Revert on the right."""

    def __init__(self, runner: BaseTaskRunner, events: AppEvents, parent: QWidget | None = None) -> None:
        super().__init__(runner, events, parent)
        self.setObjectName("settingsScreen")
        self.setStyleSheet(NAV_STYLE)
        unit = self.fontMetrics().height()
        char = char_width(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit, round(unit * 0.8), unit, unit)
        layout.setSpacing(round(unit * 0.6))
        self.title = QLabel(_("Settings"))
        self.title.setObjectName("pageTitle")
        self.title.setFont(scaled_font(self, 1.45, bold=True))
        layout.addWidget(self.title)

        body = QHBoxLayout()
        body.setSpacing(round(unit * 0.8))
        self.nav = QListWidget()
        self.nav.setObjectName("settingsNav")
        self.nav.setFixedWidth(char * 24)
        body.addWidget(self.nav)

        right = QFrame()
        right.setObjectName("detailPanel")
        column = QVBoxLayout(right)
        column.setContentsMargins(unit, unit, unit, unit)
        column.setSpacing(round(unit * 0.6))
        self.page_title = QLabel()
        self.page_title.setObjectName("sectionTitle")
        self.page_title.setFont(scaled_font(self, 1.25, bold=True))
        column.addWidget(self.page_title)
        self.read_only = QLabel(_("Only the owner can change these settings. Ask the owner to log in."))
        self.read_only.setObjectName("readOnlyNote")
        self.read_only.setWordWrap(True)
        column.addWidget(self.read_only)
        self.stack = QStackedWidget()
        column.addWidget(self.stack, 1)

        footer = QHBoxLayout()
        self.unsaved = QLabel(_("Unsaved changes"))
        self.unsaved.setObjectName("unsavedNote")
        footer.addWidget(self.unsaved)
        footer.addStretch()
        self.revert_button = QPushButton(_("Revert"))
        self.revert_button.setToolTip(_("Throw away the changes on this page"))
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setProperty("primary", True)
        self.save_button.setToolTip(_("Save the changes on this page (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        footer.addWidget(self.revert_button)
        footer.addWidget(self.save_button)
        column.addLayout(footer)
        body.addWidget(right, 1)
        layout.addLayout(body, 1)

        self.pages: list[OptionsPage] = []
        for page_class in option_pages():
            page = page_class(runner)
            area = QScrollArea()
            area.setObjectName("settingsPageArea")
            area.setWidgetResizable(True)
            area.setFrameShape(QFrame.Shape.NoFrame)
            page.setObjectName("settingsPageBody")
            area.setWidget(page)
            self.stack.addWidget(area)
            item = QListWidgetItem(_(page.TITLE))
            item.setData(Qt.ItemDataRole.UserRole, page.NAME)
            self.nav.addItem(item)
            page.changed.connect(self._update_footer)
            page.saved.connect(self._update_footer)
            page.failed.connect(self._update_footer)
            self.pages.append(page)
            page.reload()
        self.nav.currentRowChanged.connect(self._show_page)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        if self.pages:
            self.nav.setCurrentRow(0)

    # Pages ------------------------------------------------------------------------------------------

    def page(self, name: str) -> OptionsPage:
        """The page registered as ``name``."""
        return next(page for page in self.pages if name == page.NAME)

    def current_page(self) -> OptionsPage | None:
        row = self.nav.currentRow()
        return self.pages[row] if 0 <= row < len(self.pages) else None

    def show_page(self, name: str) -> OptionsPage:
        page = self.page(name)
        self.nav.setCurrentRow(self.pages.index(page))
        return page

    def _show_page(self, row: int) -> None:
        if not 0 <= row < len(self.pages):
            return
        self.stack.setCurrentIndex(row)
        page = self.pages[row]
        self.page_title.setText(_(page.TITLE))
        allowed = page.PERMISSION is None or session.can(page.PERMISSION)
        page.setEnabled(allowed)
        self.read_only.setVisible(not allowed)
        self._update_footer()

    def _update_footer(self) -> None:
        page = self.current_page()
        allowed = page is not None and (page.PERMISSION is None or session.can(page.PERMISSION))
        dirty = page is not None and page.dirty
        self.unsaved.setVisible(dirty)
        self.save_button.setEnabled(allowed and dirty)
        self.revert_button.setEnabled(dirty)
        for row, candidate in enumerate(self.pages):
            item = self.nav.item(row)
            title = _(candidate.TITLE)
            item.setText(_("{title} •").format(title=title) if candidate.dirty else title)

    # Actions ----------------------------------------------------------------------------------------

    def save(self) -> None:
        page = self.current_page()
        if page is not None and page.dirty and self.save_button.isEnabled():
            page.submit()

    def revert(self) -> None:
        page = self.current_page()
        if page is not None:
            page.reload()
            self._update_footer()

    # Screen -----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read again every page without unsaved edits (F5)."""
        for page in self.pages:
            if not page.dirty:
                page.reload()
        self._update_footer()

    def on_changes(self, changes: set[str], initiator: object) -> None:
        if changes & {SETTINGS, DATABASE} and initiator not in self.pages:
            self.refresh()

    def activated(self) -> None:
        self._show_page(self.nav.currentRow())  # the person logged in may have changed
