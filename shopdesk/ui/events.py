"""One app-wide signal that tells every screen what data changed, so screens never call each other.

Work that changes data (run by ``ui.tasks``) ends by emitting ``changes_applied`` with a set of flags;
each screen looks at the flags and refreshes only when it shows that kind of data. ``initiator`` is the
widget that asked for the change, so it can skip a refresh it already did itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

# Change flags: what kind of data a piece of work touched.
MEMBERS = "members"
PURCHASES = "purchases"
POINTS = "points"
COUPONS = "coupons"
TAGS = "tags"
FOLLOWUPS = "followups"
SETTINGS = "settings"
DATABASE = "database"  # another database was opened: everything is stale
EVERYTHING = frozenset({MEMBERS, PURCHASES, POINTS, COUPONS, TAGS, FOLLOWUPS, SETTINGS, DATABASE})


class AppEvents(QObject):
    """Carrier of ``changes_applied(changes: set[str], initiator: object)``."""

    changes_applied = Signal(object, object)

    def announce(self, changes: Iterable[str], initiator: object = None) -> None:
        """Tell every screen that ``changes`` happened (nothing is emitted for an empty set)."""
        flags = set(changes)
        if flags:
            self.changes_applied.emit(flags, initiator)


_events: AppEvents | None = None


def app_events() -> AppEvents:
    """The one AppEvents of this process (created on first use, in the GUI thread)."""
    global _events
    if _events is None:
        _events = AppEvents()
    return _events
