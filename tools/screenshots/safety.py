"""Screenshots of Settings → Backup and data check, and of the login (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tools/screenshots/safety.py [--lang zh_CN] [--keep /tmp/demo.db]

Builds a demo shop in a temporary folder (or reuses ``--keep``), gives it a few backups of earlier days,
and saves ``backup.png`` and ``login.png`` into ``docs/screenshots``.
"""

from __future__ import annotations

import datetime as dt
import shutil

from _setup import screenshot_parser, screenshot_session, settle


def main() -> int:
    args = screenshot_parser().parse_args()
    with screenshot_session(args, seed=1, shop_file="shop.db") as session:
        from shopdesk.services import accounts, backup
        from shopdesk.services.data_check import check_data
        from shopdesk.services.session import Role, set_current
        from shopdesk.ui.dialogs.login import LoginDialog
        from shopdesk.ui.screens.settings import SettingsScreen

        app, runner, out = session.app, session.runner, session.out
        backups = session.folder / "backups"
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

        screen = SettingsScreen(runner, runner.events)
        screen.resize(1280, 800)
        page = screen.show_page("backup")
        page.reload()
        page.table.selectRow(1)
        page.show_report(check_data())
        screen.show()
        settle(app)
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
        settle(app)
        dialog.grab().save(str(out / "login.png"))
        dialog.close()
        set_current(None)
    print(f"saved {out / 'backup.png'} and {out / 'login.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
