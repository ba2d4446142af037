"""Showing errors by kind, in one place: what the user can fix, what the environment broke, and our bugs.

- ``UserError`` (a wrong phone, a refunded purchase): a warning with the message, nothing else to do;
- ``StorageError`` (locked, full disk, server gone): the message and the advice on what to do about it;
- ``CancelledError``: the user asked for it, so only a quiet note in the status bar;
- anything else is a bug: it is logged with its traceback and a crash dialog says where the log is.

Every box goes through ``present`` so tests can record messages instead of blocking on a modal box.
"""

from __future__ import annotations

import logging
import sys
import traceback
from dataclasses import dataclass
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from shopdesk.errors import StorageError, UserError
from shopdesk.i18n import _
from shopdesk.services.progress import CancelledError

log = logging.getLogger("shopdesk.ui")


@dataclass(frozen=True, slots=True)
class Message:
    """What a message box would show; ``kind`` is ``warning``, ``storage`` or ``crash``."""

    kind: str
    text: str
    informative: str = ""
    details: str = ""


_unattended = False
_crashes = 0


def set_unattended(unattended: bool) -> None:
    """With nobody at the screen (``--quit-after-show``, benchmarks), messages go to stderr instead of
    a modal box that would wait forever."""
    global _unattended
    _unattended = unattended


def crash_count() -> int:
    """How many bugs were reported in this process (a smoke run checks it stayed the same)."""
    return _crashes


def present(parent: QWidget | None, message: Message) -> None:
    """Show ``message`` in a modal box (tests replace this function to record messages)."""
    if _unattended:
        print(f"ShopDesk: {message.text} {message.informative}".strip(), file=sys.stderr)
        if message.details:
            print(message.details, file=sys.stderr)
        return
    box = QMessageBox(parent)
    box.setWindowTitle(_("ShopDesk"))
    box.setIcon(QMessageBox.Icon.Warning if message.kind == "warning" else QMessageBox.Icon.Critical)
    box.setText(message.text)
    if message.informative:
        box.setInformativeText(message.informative)
    if message.details:
        box.setDetailedText(message.details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def message_for(exc: BaseException) -> Message | None:
    """The message that explains ``exc`` to the shopkeeper (None: say nothing, e.g. a cancel)."""
    if isinstance(exc, CancelledError):
        return None
    if isinstance(exc, StorageError):
        return Message("storage", exc.message, exc.advice)
    if isinstance(exc, UserError):
        return Message("warning", exc.message)
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return Message(
        "crash",
        _("Something went wrong inside ShopDesk; what you were doing may not have been saved."),
        _crash_advice(),
        details,
    )


def log_location() -> str | None:
    """Where the log file is, when there is one (``application`` sets it up)."""
    for handler in logging.getLogger("shopdesk").handlers:
        filename = getattr(handler, "baseFilename", None)
        if filename:
            return str(filename)
    return None


def _crash_advice() -> str:
    path = log_location()
    if path is None:
        return _("Please send the details below to whoever looks after ShopDesk.")
    return _(
        "The details were written to {path}. Please send this file to whoever looks after ShopDesk."
    ).format(path=path)


def report_error(parent: QWidget | None, exc: BaseException) -> None:
    """Tell the user about ``exc`` the way its kind asks for; log it when it is a bug."""
    message = message_for(exc)
    if message is None:
        _status_note(parent, _("Cancelled; nothing was changed."))
        return
    if message.kind == "crash":
        global _crashes
        _crashes += 1
        log.error("Unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    elif message.kind == "storage":
        log.warning("Storage error: %s", exc)
    present(parent, message)


def _status_note(parent: QWidget | None, text: str) -> None:
    window = parent.window() if parent is not None else QApplication.activeWindow()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 5000)


def install_excepthook() -> None:
    """Report exceptions that escape a Qt slot instead of losing them on the console."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        report_error(QApplication.activeWindow(), exc)

    sys.excepthook = hook
