"""Screenshots of the Members page and the member dialog (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tests/gui/screenshots.py [--lang zh_CN] [--out docs/screenshots]

Builds a small demo shop in a temporary folder, opens the main window on it with the real stylesheet and
Qt's own translations, and saves ``members.png`` and ``member_dialog.png`` (plus the empty shop, the
purchase dialog and a validation error, to look at but not committed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="zh_CN")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--extra", default=None, help="folder for the screenshots that are not committed")
    parser.add_argument("--members", type=int, default=600)
    args = parser.parse_args()
    out = Path(args.out)
    extra = Path(args.extra) if args.extra else Path(tempfile.gettempdir()) / "shopdesk-screenshots"
    out.mkdir(parents=True, exist_ok=True)
    extra.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings

    from shopdesk.i18n import setup_i18n

    language = setup_i18n(args.lang)
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        from shopdesk.db.database import close_database, open_database
        from shopdesk.services.demo_shop import build_demo_shop
        from shopdesk.ui import application
        from shopdesk.ui.dialogs.member_edit import MemberEditDialog
        from shopdesk.ui.dialogs.record_purchase import RecordPurchaseDialog
        from shopdesk.ui.main_window import MainWindow
        from shopdesk.ui.style import apply_style
        from shopdesk.ui.tasks import SyncTaskRunner

        app = application._application()
        application._install_qt_translator(app, language)
        apply_style(app)

        empty = str(Path(folder) / "empty.db")
        open_database(empty)
        runner = SyncTaskRunner()
        window = MainWindow(empty, runner)
        window.resize(1280, 800)
        window.show()
        _settle(app)
        window.grab().save(str(extra / "empty.png"))
        window.close()
        close_database()

        target = str(Path(folder) / "demo.db")
        build_demo_shop(target, args.members, seed=7)
        open_database(target)
        window = MainWindow(target, runner)
        window.resize(1280, 800)
        window.show()
        _settle(app)
        window.grab().save(str(out / "main_window.png"))  # opens on today's follow-ups
        members = window.switch_to("members")
        members.select_row(2)
        members.sync_detail()
        _settle(app)
        window.grab().save(str(out / "members.png"))

        window.search_box.setText("13")
        window.search_box.flush()
        _settle(app)
        window.grab().save(str(extra / "search.png"))

        member_id = members.current_member_id()
        dialog = MemberEditDialog(window, runner, member_id)
        dialog.show()
        _settle(app)
        dialog.grab().save(str(out / "member_dialog.png"))
        dialog.phone.setText("1380013")
        dialog.submit()
        _settle(app)
        dialog.grab().save(str(extra / "member_dialog_error.png"))
        dialog.close()

        new = MemberEditDialog(window, runner, None)
        new.show()
        _settle(app)
        new.grab().save(str(extra / "member_dialog_new.png"))
        new.close()

        purchase = RecordPurchaseDialog(window, runner, member_id)
        purchase.show()
        _settle(app)
        purchase.grab().save(str(extra / "record_purchase.png"))
        purchase.close()
        window.close()
        close_database()
    print(f"saved {out / 'members.png'}, {out / 'member_dialog.png'}; more in {extra}")
    return 0


def _settle(app: object) -> None:
    for _ in range(5):
        app.processEvents()  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(main())
