"""What the member detail panel expects of one of its tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from shopdesk.ui.tasks import BaseTaskRunner


class MemberTab(QWidget):
    """One section of the member detail panel.

    The panel calls ``show_member`` only while the tab is visible (a hidden tab is loaded when it is
    brought to the front), so a tab may read what it needs on the GUI thread without slowing down the
    member list. ``watches`` names the change flags (``ui.events``) that make the tab stale besides the
    member and purchase changes the Members page already passes on.
    """

    watches: frozenset[str] = frozenset()

    def __init__(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner

    def show_member(self, member_id: int | None) -> None:
        """Show ``member_id`` (None: nobody; a member that no longer exists shows nothing either)."""
        raise NotImplementedError

    def save_state(self) -> None:
        """Remember column widths (called when the window closes)."""
