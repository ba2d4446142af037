"""The child process of ``rss_open_100k``: open the app on a shop, scroll the members table to the end, quit.

Run as ``python -m shopdesk.ui.bench_driver --db PATH``. It creates the QApplication itself so that a
timer can be queued before ``run_gui`` enters the event loop; the timer opens the Members page (pages are
built on their first visit, as when the shopkeeper clicks 会员), finds the members table, jumps to its last
row, paints it, and closes the window. Exit code 3 when the table never shows up.

The last line on stdout is ``peak_rss_bytes=N``, the process's own high-water mark. The parent cannot use
``wait4``'s ``ru_maxrss``: on Linux a child started with vfork inherits the parent's peak across exec.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from shopdesk.bench.peak_memory import print_peak_rss

TABLE_NAME = "membersTable"
POLL_MS = 20
EXIT_NO_TABLE = 3


def main(argv: Sequence[str] | None = None) -> int:
    """Open, scroll to the end, quit; the app's exit code (or ``EXIT_NO_TABLE``)."""
    parser = argparse.ArgumentParser(prog="python -m shopdesk.ui.bench_driver")
    parser.add_argument("--db", required=True)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the members table")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    from shopdesk.app import run_gui
    from shopdesk.i18n import setup_i18n

    setup_i18n("en")
    app = QApplication(sys.argv[:1])
    deadline = time.monotonic() + args.timeout
    outcome = {"code": 0}

    def scroll_to_end() -> None:
        windows = [widget for widget in app.topLevelWidgets() if isinstance(widget, QMainWindow)]
        for window in windows:
            if window.findChild(QTableView, TABLE_NAME) is None and hasattr(window, "switch_to"):
                window.switch_to("members")
        tables = [window.findChild(QTableView, TABLE_NAME) for window in windows]
        table = next((table for table in tables if table is not None), None)
        model = table.model() if table is not None else None
        if model is None or model.rowCount() == 0:
            if time.monotonic() > deadline:
                outcome["code"] = EXIT_NO_TABLE
                app.quit()
            else:
                QTimer.singleShot(POLL_MS, scroll_to_end)
            return
        table.scrollToBottom()
        table.viewport().repaint()  # paints the last screen: the model fetches its page now
        last = model.index(model.rowCount() - 1, 0)
        if model.data(last) is None:
            outcome["code"] = EXIT_NO_TABLE
        for window in windows:
            QTimer.singleShot(0, window.close)

    QTimer.singleShot(0, scroll_to_end)
    code = run_gui(args.db, "en")
    print_peak_rss()
    return code or outcome["code"]


if __name__ == "__main__":
    sys.exit(main())
