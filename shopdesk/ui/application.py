"""Start the desktop app: QApplication, Qt's own translations, style, the database, the main window.

The CLI calls ``run_gui`` (importing this module lazily) after ``setup_i18n``. Start-up stays fast by
importing nothing heavy here: matplotlib, openpyxl and pypinyin load when a chart, an export or a member
save needs them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from logging.handlers import RotatingFileHandler

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from shopdesk import __version__
from shopdesk.db.database import close_database, data_dir, is_url
from shopdesk.errors import ShopDeskError, StorageError, UserError
from shopdesk.i18n import _
from shopdesk.services.accounts import accounts_enabled
from shopdesk.services.instance_lock import lock_for
from shopdesk.services.shop import on_opened, open_shop
from shopdesk.ui import errors, prompts
from shopdesk.ui.events import EVERYTHING
from shopdesk.ui.formatting import format_datetime
from shopdesk.ui.idle_lock import IdleLock
from shopdesk.ui.state import APPLICATION, ORGANIZATION
from shopdesk.ui.style import apply_style

log = logging.getLogger("shopdesk")


def run_gui(
    target: str,
    *,
    language: str,
    quit_after_show: bool = False,
    on_shown: Callable[[], object] | None = None,
) -> int:
    """Open the app on the database at ``target`` in ``language`` (``zh_CN`` or ``en``); the exit code.

    ``quit_after_show`` quits as soon as the main window has been shown (start-up benchmark, smoke tests).
    ``on_shown`` is called once the window has been shown and painted for the first time.
    A database that cannot be opened is explained in a message box, and the exit code is 1.
    """
    app = _application()
    _install_qt_translator(app, language)
    apply_style(app)
    _setup_logging()
    errors.install_excepthook()
    errors.set_unattended(quit_after_show)
    try:
        return _open_and_run(app, target, quit_after_show, on_shown)
    finally:
        errors.set_unattended(False)


def _open_and_run(
    app: QApplication, target: str, quit_after_show: bool, on_shown: Callable[[], object] | None = None
) -> int:
    lock = lock_for(target)
    try:
        if lock is not None:
            lock.acquire()  # one copy of the app per shop file
        try:
            open_shop(target)  # backs up before a schema upgrade, checks the file is sound
        except StorageError as exc:
            from shopdesk.services.backup import is_damaged_file_error

            if is_url(target) or not is_damaged_file_error(exc) or not _restore_damaged(target):
                raise
            open_shop(target)
    except (StorageError, UserError) as exc:
        if lock is not None:
            lock.release()
        errors.report_error(None, exc)
        return 1
    try:
        return _run_window(app, target, quit_after_show, on_shown)
    finally:
        if lock is not None:
            lock.release()


def _run_window(
    app: QApplication, target: str, quit_after_show: bool, on_shown: Callable[[], object] | None = None
) -> int:
    from shopdesk.ui.main_window import MainWindow
    from shopdesk.ui.tasks import TaskRunner

    crashes = errors.crash_count()
    runner = TaskRunner(app)
    if accounts_enabled() and not quit_after_show:
        from shopdesk.ui.dialogs.login import LoginDialog

        if LoginDialog.ask(None, runner) is None:  # the window is built only for someone logged in
            runner.wait()
            close_database()
            return 0
    runner.hold()  # the first page's load starts once the window has painted (see ``TaskRunner.hold``)
    window = MainWindow(target, runner)
    idle = IdleLock(window, runner)
    idle.quit_requested.connect(window.close)
    window.show()
    # Queued behind the show and first paint events, so they run once the window really appeared.
    QTimer.singleShot(0, runner.release)
    if on_shown is not None:
        QTimer.singleShot(0, on_shown)
    if quit_after_show:
        QTimer.singleShot(0, window.close)
    else:
        # The daily backup and jobs (points expiry, automatic tags, today's follow-ups) off the UI thread,
        # queued after the first page's own load and started after the first paint.
        QTimer.singleShot(0, lambda: runner.run(on_opened, changes=EVERYTHING, parent=window))
        _run_again_after_midnight(window, runner)
        from shopdesk.ui.dialogs.first_run import offer_first_run

        QTimer.singleShot(0, lambda: offer_first_run(window))  # a new shop: name, type, points rule
    code = app.exec()
    idle.uninstall()
    runner.wait()
    window.deleteLater()
    if not quit_after_show and not is_url(target):
        _backup_on_close()
    close_database()
    if quit_after_show and errors.crash_count() > crashes:
        return 1  # a smoke run that hit a bug must not look like a success
    return code


def _restore_damaged(target: str) -> bool:
    """The shop file is damaged: offer the newest good backup in its place. True once it was restored."""
    from shopdesk.services.backup import newest_good_backup, restore_file

    good = newest_good_backup(target)
    if good is None:
        return False
    if not prompts.confirm(
        None,
        _("The shop's data file is damaged."),
        _(
            "ShopDesk can put the newest good backup, taken {when}, in its place. Sales recorded after "
            "that backup are lost."
        ).format(when=format_datetime(good.created_at)),
        _("Restore"),
    ):
        return False
    close_database()  # a file that opened but failed its check is still open here
    restore_file(good.path, target)
    log.warning("The damaged shop file %s was replaced by the backup %s", target, good.path)
    return True


def _run_again_after_midnight(window: QWidget, runner: object) -> None:
    """A shop left open overnight gets the new day's list, expiry and backup a minute after midnight."""
    import datetime as dt

    now = dt.datetime.now()
    next_run = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0, 1))
    timer = QTimer(window)
    timer.setSingleShot(True)

    def run() -> None:
        runner.run(on_opened, changes=EVERYTHING, parent=window)  # type: ignore[attr-defined]
        _run_again_after_midnight(window, runner)

    timer.timeout.connect(run)
    timer.start(int((next_run - now).total_seconds() * 1000))


def _backup_on_close() -> None:
    """The backup taken when the app closes; a failure is logged, never in the way of closing."""
    from shopdesk.services.backup import create_backup

    try:
        create_backup("close")
    except (ShopDeskError, OSError):
        log.warning("The backup on close failed", exc_info=True)


def _application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName(_("ShopDesk"))
    app.setQuitOnLastWindowClosed(True)
    return app


def _install_qt_translator(app: QApplication, language: str) -> None:
    """Qt's own ``qtbase`` catalogue, so Save, Cancel and the standard dialogs speak the same language."""
    for old in getattr(app, "_shopdesk_translators", []):
        app.removeTranslator(old)
    app._shopdesk_translators = []  # type: ignore[attr-defined]  # keeps the translator alive
    if language != "zh_CN":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        app._shopdesk_translators.append(translator)  # type: ignore[attr-defined]
    else:
        log.info("Qt's own %s translations were not found in %s", language, folder)


def _setup_logging() -> None:
    """Warnings and crashes go to ``<data folder>/logs/shopdesk.log`` (the crash dialog names the file)."""
    logger = logging.getLogger("shopdesk")
    if any(isinstance(handler, RotatingFileHandler) for handler in logger.handlers):
        return
    try:
        folder = data_dir() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            folder / "shopdesk.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return  # a read-only profile must not stop the shop from opening
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
