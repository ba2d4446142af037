"""Screenshots of Today's follow-ups (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tools/screenshots/followups.py [--lang zh_CN] [--keep /tmp/demo.db]

Builds a demo shop of 2,000 members in a temporary folder (or reuses ``--keep``), works a few of the
day's contacts so every status shows, and writes ``followups.png`` (the page in the main window) and
``closing_entry.png`` (the closing-time entry with results typed) into ``docs/screenshots``; the
message templates, snooze and new-task dialogs go to ``--extra``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]


def _settle(app) -> None:
    for _ in range(5):
        app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="zh_CN")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--extra", default=str(Path(tempfile.gettempdir()) / "shopdesk-followups-shots"))
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--keep", default=None, help="build the demo shop here once and reuse it")
    args = parser.parse_args()
    out, extra = Path(args.out), Path(args.extra)
    out.mkdir(parents=True, exist_ok=True)
    extra.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest

    from shopdesk.i18n import setup_i18n

    language = setup_i18n(args.lang)
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        from shopdesk.db.database import open_database
        from shopdesk.domain.followups import Outcome
        from shopdesk.services.demo_shop import build_demo_shop
        from shopdesk.ui import application
        from shopdesk.ui.dialogs.closing_entry import ClosingEntryDialog
        from shopdesk.ui.dialogs.manual_task import ManualTaskDialog
        from shopdesk.ui.dialogs.message_templates import MessageTemplatesDialog
        from shopdesk.ui.dialogs.snooze import SnoozeDialog
        from shopdesk.ui.main_window import MainWindow
        from shopdesk.ui.style import apply_style
        from shopdesk.ui.tasks import SyncTaskRunner

        app = application._application()
        application._install_qt_translator(app, language)
        apply_style(app)

        target = str(Path(folder) / "demo.db")
        if args.keep and Path(args.keep).exists():
            shutil.copy(args.keep, target)
        else:
            build_demo_shop(target, args.members)
            if args.keep:
                shutil.copy(target, args.keep)
        open_database(target)
        runner = SyncTaskRunner()
        window = MainWindow(target, runner)
        window.resize(1280, 800)
        window.show()
        screen = window.switch_to("followups")
        _settle(app)
        # Work the first few contacts so the chips show every status.
        for outcome in (Outcome.CONTACTED, Outcome.NO_ANSWER, Outcome.PURCHASED):
            screen.mark(outcome)
        _settle(app)
        first_open = screen._first_open_row()
        if first_open is not None:
            screen.select_row(first_open)
        _settle(app)
        window.grab().save(str(out / "followups.png"))

        dialog = ClosingEntryDialog(window, runner, screen.model.tasks())
        dialog.resize(1000, 640)
        dialog.show()
        _settle(app)
        for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_Return, Qt.Key.Key_4, Qt.Key.Key_2):
            QTest.keyClick(dialog.table, key)
        _settle(app)
        dialog.grab().save(str(out / "closing_entry.png"))
        dialog.reject()

        templates = MessageTemplatesDialog(window, runner)
        templates.show()
        _settle(app)
        templates.grab().save(str(extra / "message_templates.png"))
        templates.reject()
        task = screen.current_task()
        if task is not None:
            snooze = SnoozeDialog(window, runner, task)
            snooze.show()
            _settle(app)
            snooze.grab().save(str(extra / "snooze.png"))
            snooze.reject()
        manual = ManualTaskDialog(window, runner)
        manual.show()
        _settle(app)
        manual.grab().save(str(extra / "manual_task.png"))
        manual.reject()
        window.close()
    print(f"screenshots in {out} and {extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
