"""What the main window expects of a page: a title, refresh (F5), search routing and remembered layout."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from shopdesk.ui.events import AppEvents
from shopdesk.ui.tasks import BaseTaskRunner


class Screen(QWidget):
    """A page of the main window. Pages never call each other: they react to ``changes_applied``."""

    def __init__(self, runner: BaseTaskRunner, events: AppEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.events = events
        events.changes_applied.connect(self.on_changes)

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
