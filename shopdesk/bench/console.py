"""Progress lines on stderr, so stdout carries only the results table."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from shopdesk.i18n import _


def say(message: str, stream: TextIO | None = None) -> None:
    """Print one progress line at once (the bench runs for minutes; people watch it)."""
    print(message, file=stream or sys.stderr, flush=True)


class ConsoleProgress:
    """A ``services.progress.Progress`` that prints at most one line a second, and the last step."""

    def __init__(self, title: str, *, interval: float = 1.0, stream: TextIO | None = None) -> None:
        self.title = title
        self.interval = interval
        self.stream = stream
        self._last = 0.0
        self._started = time.perf_counter()

    def step(self, done: int, total: int, message: str = "") -> None:
        now = time.perf_counter()
        if now - self._last < self.interval and done < total:
            return
        self._last = now
        percent = 100 * done // total if total else 100
        say(
            _("{title}: {percent}% ({seconds:.0f} s) {message}")
            .format(title=self.title, percent=percent, seconds=now - self._started, message=message)
            .rstrip(),
            self.stream,
        )

    def cancelled(self) -> bool:
        return False
