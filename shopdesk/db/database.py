"""Open the shop's database from a path or a URL, set it up safely, and say where it is.

SQLite (the default, one file on the shop's PC) runs with:
- ``journal_mode=WAL``: readers (the member list) never wait for a writer (the checkout);
- ``synchronous=FULL``: every committed sale is on disk before the checkout says it is saved. NORMAL
  would be faster but can lose the last sales on a power cut; a shop records a few hundred sales a day,
  so an fsync each costs nothing anyone notices, and bulk work (imports, demo) is one transaction anyway;
- ``foreign_keys=ON`` and a 10 s busy timeout, with ``BEGIN IMMEDIATE`` so two writers queue instead of
  failing half-way with SQLITE_BUSY.
PostgreSQL (``postgresql://user@host/db``) is for several counters sharing one member base.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from peewee import Database, PostgresqlDatabase, SqliteDatabase

from shopdesk.db.migrations import BeforeMigrate, migrate
from shopdesk.db.models import database_proxy
from shopdesk.errors import StorageError
from shopdesk.i18n import _

APP_NAME = "ShopDesk"
ENV_DB = "SHOPDESK_DB"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "cache_size": -32_000,  # 32 MB of page cache: the 100k-member tables stay in memory
    "temp_store": "memory",
    "secure_delete": 1,  # erased personal data is overwritten in the file, not just unlinked
}
BUSY_TIMEOUT_SECONDS = 10


def data_dir() -> Path:
    """The user's data folder for ShopDesk (``%LOCALAPPDATA%\\ShopDesk`` on Windows)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    """The shop's own database file."""
    return data_dir() / "shop.db"


def demo_database_path() -> Path:
    """The demo shop, kept apart from the real data."""
    return data_dir() / "demo.db"


def resolve_target(explicit: str | os.PathLike[str] | None = None) -> str:
    """Which database to use: ``--db`` first, then ``SHOPDESK_DB``, then the default file."""
    if explicit:
        return str(explicit)
    return os.environ.get(ENV_DB) or str(default_database_path())


def is_url(target: str) -> bool:
    """True for ``postgresql://…`` (and ``sqlite:///…``) targets, False for plain paths."""
    return "://" in target


def describe_target(target: str) -> str:
    """The database for people to read: the file path, or the server URL without its password."""
    if not is_url(target):
        return str(Path(target).expanduser())
    parts = urlsplit(target)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def _sqlite_path(target: str) -> Path:
    if target.startswith("sqlite:///"):
        return Path(target[len("sqlite:///") :])
    return Path(target).expanduser()


def make_database(target: str) -> Database:
    """A Peewee database for ``target`` (not yet connected, not yet migrated)."""
    if target.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(target)
        params: dict[str, object] = {
            "host": parts.hostname or "localhost",
            "port": parts.port or 5432,
            "user": parts.username or None,
            "password": parts.password or None,
            "connect_timeout": 5,
            "application_name": "shopdesk",
        }
        return PostgresqlDatabase(
            parts.path.lstrip("/") or "shopdesk", **{k: v for k, v in params.items() if v is not None}
        )
    if is_url(target) and not target.startswith("sqlite:///"):
        raise StorageError(
            _("This kind of database is not supported: {target}").format(target=describe_target(target)),
            _("Use a file path, or a postgresql:// address."),
        )
    path = _sqlite_path(target)
    return SqliteDatabase(
        str(path), pragmas=SQLITE_PRAGMAS, timeout=BUSY_TIMEOUT_SECONDS, lock_type="IMMEDIATE"
    )


def open_database(
    target: str | os.PathLike[str],
    *,
    run_migrations: bool = True,
    before_migrate: BeforeMigrate | None = None,
) -> Database:
    """Open (creating if needed) the database at ``target``, migrate it, and make it the current one."""
    target = str(target)
    from shopdesk.db.errors import translate_storage_errors

    with translate_storage_errors(target):
        if not is_url(target) or target.startswith("sqlite:///"):
            path = _sqlite_path(target)
            if path.is_dir():
                raise StorageError(
                    _("{path} is a folder, not a shop file.").format(path=path),
                    _("Choose a file such as shop.db."),
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # a drive unplugged, a folder that cannot be made
                raise StorageError(
                    _("ShopDesk cannot write to {where}.").format(where=path),
                    _("Check that the folder is not read-only and that the drive is plugged in."),
                ) from exc
        previous = database_proxy.obj
        db = make_database(target)
        try:
            db.connect()
            if isinstance(db, SqliteDatabase):
                _check_sqlite_file(db)
            database_proxy.initialize(db)
            if run_migrations:
                migrate(db, before=before_migrate)
        except BaseException:
            # A shop that cannot be used must not become the current one, nor keep a connection open.
            if not db.is_closed():
                db.close()
            if database_proxy.obj is db:
                database_proxy.initialize(previous)
            raise
    return db


def _check_sqlite_file(db: SqliteDatabase) -> None:
    """Fail early, with a clear message, on a file that is not a database or cannot be written."""
    tables = db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    if tables and not any(name == "schema_version" for (name,) in tables):
        # Another program's database: adding the shop's tables to it would spoil it.
        raise StorageError(
            _("{path} is not a ShopDesk shop file.").format(path=db.database),
            _("Choose the shop's own file (such as shop.db), or a new file name to start a new shop."),
        )
    mode = db.execute_sql("PRAGMA journal_mode").fetchone()[0]
    if str(mode).lower() != "wal":
        raise sqlite3.OperationalError("attempt to write a readonly database")


def close_database() -> None:
    """Close the current database's connection in this thread (safe to call twice)."""
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()


def current_database() -> Database:
    """The database the services use now."""
    if database_proxy.obj is None:
        raise RuntimeError("open_database() has not been called")
    return database_proxy.obj


def is_postgres() -> bool:
    """True when the current database is a PostgreSQL server."""
    return isinstance(current_database(), PostgresqlDatabase)
