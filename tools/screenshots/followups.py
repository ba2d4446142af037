"""Screenshots of Today's follow-ups (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tools/screenshots/followups.py [--lang zh_CN] [--keep /tmp/demo.db]

Builds a demo shop of 2,000 members in a temporary folder (or reuses ``--keep``), works a few of the
day's contacts so every status shows, and writes ``followups.png`` (the page in the main window) and
``closing_entry.png`` (the closing-time entry with results typed) into ``docs/screenshots``; the
message templates, snooze and new-task dialogs go to ``--extra``.
"""

from __future__ import annotations

import sys

from _setup import screenshot_parser, screenshot_session, settle


def main() -> int:
    args = screenshot_parser(extra="shopdesk-followups-shots").parse_args()
    with screenshot_session(args, seed=1) as session:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        from shopdesk.domain.followups import Outcome
        from shopdesk.ui.dialogs.closing_entry import ClosingEntryDialog
        from shopdesk.ui.dialogs.manual_task import ManualTaskDialog
        from shopdesk.ui.dialogs.message_templates import MessageTemplatesDialog
        from shopdesk.ui.dialogs.snooze import SnoozeDialog
        from shopdesk.ui.main_window import MainWindow

        app, runner, out, extra = session.app, session.runner, session.out, session.extra
        window = MainWindow(str(session.shop), runner)
        window.resize(1280, 800)
        window.show()
        screen = window.switch_to("followups")
        settle(app)
        # Work the first few contacts so the chips show every status.
        for outcome in (Outcome.CONTACTED, Outcome.NO_ANSWER, Outcome.PURCHASED):
            screen.mark(outcome)
        settle(app)
        first_open = screen._first_open_row()
        if first_open is not None:
            screen.select_row(first_open)
        settle(app)
        window.grab().save(str(out / "followups.png"))

        dialog = ClosingEntryDialog(window, runner, screen.model.tasks())
        dialog.resize(1000, 640)
        dialog.show()
        settle(app)
        for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_Return, Qt.Key.Key_4, Qt.Key.Key_2):
            QTest.keyClick(dialog.table, key)
        settle(app)
        dialog.grab().save(str(out / "closing_entry.png"))
        dialog.reject()

        templates = MessageTemplatesDialog(window, runner)
        templates.show()
        settle(app)
        templates.grab().save(str(extra / "message_templates.png"))
        templates.reject()
        task = screen.current_task()
        if task is not None:
            snooze = SnoozeDialog(window, runner, task)
            snooze.show()
            settle(app)
            snooze.grab().save(str(extra / "snooze.png"))
            snooze.reject()
        manual = ManualTaskDialog(window, runner)
        manual.show()
        settle(app)
        manual.grab().save(str(extra / "manual_task.png"))
        manual.reject()
        window.close()
    print(f"screenshots in {out} and {extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
