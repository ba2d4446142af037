"""Turn driver errors into StorageError with a message and advice the shopkeeper can act on."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

import peewee

from shopdesk.errors import StorageError
from shopdesk.i18n import _


def storage_error_for(exc: BaseException, where: str = "") -> StorageError | None:
    """The StorageError that explains ``exc``, or None when ``exc`` is not the environment's fault."""
    if isinstance(exc, (peewee.IntegrityError, sqlite3.IntegrityError)):
        # About the data (a duplicate, a missing reference), whatever words the clashing value holds:
        # PostgreSQL quotes it, so a category named "Locked cabinet" must not read as a locked database.
        return None
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StorageError(
            _("The shop's data is busy in another window or on another computer."),
            _("Close the other copy of ShopDesk, or wait a moment and try again."),
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text or "permission denied" in text:
        return StorageError(
            _("ShopDesk cannot write to {where}.").format(where=where or _("the shop's data file")),
            _("Check that the folder is not read-only and that the drive is plugged in."),
        )
    if "disk is full" in text or "database or disk is full" in text or "no space left" in text:
        return StorageError(
            _("The disk is full; nothing was saved."),
            _("Free some disk space, then try again."),
        )
    if "malformed" in text or "not a database" in text or "file is encrypted" in text:
        return StorageError(
            _("The shop's data file is damaged."),
            _("Restore the newest backup (Settings → Backup)."),
        )
    if (
        "could not connect" in text
        or "connection refused" in text
        or "server closed the connection" in text
        or "connection already closed" in text
        or "terminating connection" in text
        or "timeout expired" in text
    ):
        error = StorageError(
            _("The database server cannot be reached."),
            _("Check the network and the server; ShopDesk reconnects when it is back."),
        )
        error.connection_lost = True  # type: ignore[attr-defined]
        return error
    return None


@contextlib.contextmanager
def translate_storage_errors(where: str = "") -> Iterator[None]:
    """Re-raise database errors that the environment caused as StorageError; leave bugs alone."""
    try:
        yield
    except (
        peewee.OperationalError,
        peewee.InterfaceError,
        peewee.DatabaseError,
        sqlite3.Error,
        OSError,
    ) as exc:
        error = storage_error_for(exc, where)
        if error is None:
            raise
        if getattr(error, "connection_lost", False):
            _drop_dead_connection()
        raise error from exc


def _drop_dead_connection() -> None:
    """Forget this thread's broken server connection, so the next call connects afresh: when the server is
    back, the app carries on without a restart (what was typed is still in the form, and a sale saved again
    keeps its ``uid``, so it is recorded once)."""
    from shopdesk.db.models import database_proxy

    db = database_proxy.obj
    if db is None:
        return
    conn = db._state.conn
    db._state.reset()  # peewee's per-thread state: closed, no connection, no open transaction
    if conn is not None:
        with contextlib.suppress(Exception):
            conn.close()
