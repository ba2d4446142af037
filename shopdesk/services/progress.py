"""How long work reports progress and learns it was cancelled, without knowing who is watching.

The GUI passes an object backed by a progress dialog, the CLI one that prints, tests one that records.
"""

from __future__ import annotations

from typing import Protocol

from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _


class Progress(Protocol):
    def step(self, done: int, total: int, message: str = "") -> None:
        """``done`` of ``total`` units are finished; ``message`` says what is going on."""

    def cancelled(self) -> bool:
        """True once the user asked to stop."""


class NullProgress:
    """Progress nobody watches."""

    def step(self, done: int, total: int, message: str = "") -> None:
        pass

    def cancelled(self) -> bool:
        return False


class CancelledError(ShopDeskError):
    """The user cancelled long work; its transaction was rolled back."""

    def __init__(self) -> None:
        super().__init__(_("Cancelled; nothing was changed."))


def report(progress: Progress | None, done: int, total: int, message: str = "") -> None:
    """Report a step and raise CancelledError if the user asked to stop (so the transaction rolls back)."""
    if progress is None:
        return
    progress.step(done, total, message)
    if progress.cancelled():
        raise CancelledError()
