"""What the main window expects of a page: a title, refresh (F5), search routing and remembered layout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from shopdesk.ui.events import AppEvents
from shopdesk.ui.style import scaled_font
from shopdesk.ui.tasks import BaseTaskRunner


class Screen(QWidget):
    """A page of the main window. Pages never call each other: they react to ``changes_applied``."""

    def __init__(self, runner: BaseTaskRunner, events: AppEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.events = events
        events.changes_applied.connect(self.on_changes)

    def start_page(self, title: str, *, with_count: bool = False) -> tuple[QVBoxLayout, QHBoxLayout]:
        """The top of a page as the pages share it: the page margins, and a header row with the large
        title (``self.title``) and, ``with_count``, the small figure beside it (``self.count_label``).
        The header row is already in the layout; the page adds its buttons to it."""
        unit = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit, round(unit * 0.8), unit, unit)
        layout.setSpacing(round(unit * 0.6))
        header = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setObjectName("pageTitle")
        self.title.setFont(scaled_font(self, 1.45, bold=True))
        header.addWidget(self.title)
        if with_count:
            header.addSpacing(unit // 2)
            self.count_label = QLabel()
            self.count_label.setObjectName("pageCount")
            header.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(header)
        return layout, header

    def on_changes(self, changes: set[str], initiator: object) -> None:
        """Data changed somewhere; refresh what this page shows of it."""

    def refresh(self) -> None:
        """Read everything again (F5)."""

    def activated(self) -> None:
        """The page was brought to the front."""

    def set_search(self, text: str) -> bool:
        """Filter by the top bar's search text; False when this page has nothing to search."""
        return False

    def open_current(self) -> None:
        """Enter in the search box: open the best match."""

    def focus_results(self) -> None:
        """Down in the search box: move into the results."""

    def new_item(self) -> bool:
        """Ctrl+N; False when this page creates nothing."""
        return False

    def record_purchase(self) -> bool:
        """F2: record a purchase for the member in focus; False when this page has none."""
        return False

    def save_state(self) -> None:
        """Remember splitters and column widths (called when the window closes)."""


class LazyScreen(Screen):
    """A page that reads its data when it is seen: a change in ``watches`` refreshes it at once when it is
    on screen, and only marks it stale otherwise, so hidden pages cost nothing while the shop works.
    ``refresh`` must clear ``_stale``."""

    watches: frozenset[str] = frozenset()

    def __init__(self, runner: BaseTaskRunner, events: AppEvents, parent: QWidget | None = None) -> None:
        super().__init__(runner, events, parent)
        self._stale = True  # read when first shown, not while the window starts

    def on_changes(self, changes: set[str], initiator: object) -> None:
        if changes & self.watches:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def activated(self) -> None:
        if self._stale:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.activated()
