"""Screenshots of Settings → Backup and data check, and of the login (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tools/screenshots/safety.py [--lang zh_CN] [--members 2000]

Builds a demo shop in a temporary folder, gives it a few backups of earlier days, and saves ``backup.png``
and ``login.png`` into ``docs/screenshots``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
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
    parser.add_argument("--members", type=int, default=2000)
    args = parser.parse_args()

    from shopdesk.i18n import setup_i18n

    setup_i18n(args.lang)
    from PySide6.QtWidgets import QApplication

    from shopdesk.db.database import close_database, open_database
    from shopdesk.services import accounts, backup
    from shopdesk.services.data_check import check_data
    from shopdesk.services.demo_shop import build_demo_shop
    from shopdesk.services.session import Role, set_current
    from shopdesk.ui.dialogs.login import LoginDialog
    from shopdesk.ui.events import AppEvents
    from shopdesk.ui.style import apply_style
    from shopdesk.ui.tasks import SyncTaskRunner

    app = QApplication.instance() or QApplication([])
    apply_style(app)
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_DATA_HOME"] = folder  # keep the backup-folder note out of the user's data folder
        path = Path(folder) / "shop.db"
        build_demo_shop(str(path), args.members)
        open_database(str(path))
        backups = Path(folder) / "backups"
        backup.set_backup_folder(backups)
        made = backup.create_backup("manual")
        now = dt.datetime.now().replace(second=0, microsecond=0)
        for days, hour, reason in (
            (0, 9, "daily"),
            (1, 21, "close"),
            (1, 9, "daily"),
            (2, 21, "close"),
            (3, 9, "daily"),
            (9, 10, "migration"),
            (30, 9, "daily"),
        ):
            when = (now - dt.timedelta(days=days)).replace(hour=hour, minute=2)
            shutil.copy2(made.path, backups / f"shop-{when:%Y%m%d-%H%M%S}-{reason}.db")

        from shopdesk.ui.screens.settings import SettingsScreen

        runner = SyncTaskRunner(events=AppEvents())
        screen = SettingsScreen(runner, runner.events)
        screen.resize(1280, 800)
        page = screen.show_page("backup")
        page.reload()
        page.table.selectRow(1)
        page.show_report(check_data())
        screen.show()
        _settle(app)
        screen.grab().save(str(out / "backup.png"))
        screen.close()

        staff = accounts.list_accounts()
        accounts.set_account(staff[0].staff_id, Role.OWNER, "482915")
        for other in staff[1:3]:
            accounts.set_account(other.staff_id, Role.CLERK, "1357")
        accounts.enable_accounts(True)
        dialog = LoginDialog(None, runner)
        dialog.show()
        dialog.pin.setText("1234")
        _settle(app)
        dialog.grab().save(str(out / "login.png"))
        dialog.close()
        set_current(None)
        close_database()
    print(f"saved {out / 'backup.png'} and {out / 'login.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
