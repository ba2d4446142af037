"""Database errors the environment causes become StorageError with advice; our own bugs stay as they are."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import peewee
import pytest

from shopdesk.db.database import open_database
from shopdesk.db.errors import storage_error_for, translate_storage_errors
from shopdesk.errors import StorageError, ValidationError
from shopdesk.services.catalog import create_category


def test_a_locked_sqlite_file_is_explained(tmp_path: Path) -> None:
    target = tmp_path / "shop.db"
    writer = sqlite3.connect(target, isolation_level=None)
    writer.execute("CREATE TABLE t (x)")
    writer.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(target, timeout=0)
    try:
        with pytest.raises(StorageError) as caught, translate_storage_errors(str(target)):
            other.execute("INSERT INTO t VALUES (1)")
        assert caught.value.message == "The shop's data is busy in another window or on another computer."
        assert "Close the other copy" in caught.value.advice
        assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    finally:
        other.close()
        writer.execute("ROLLBACK")
        writer.close()


def test_a_full_database_is_explained(tmp_path: Path) -> None:
    # max_page_count makes SQLite report exactly what a full disk reports.
    conn = sqlite3.connect(tmp_path / "shop.db")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.execute("PRAGMA max_page_count = 3")
    try:
        with pytest.raises(StorageError) as caught, translate_storage_errors():
            for _ in range(1000):
                conn.execute("INSERT INTO t VALUES (?)", ("x" * 1000,))
        assert caught.value.message == "The disk is full; nothing was saved."
    finally:
        conn.close()


def test_an_unreachable_server_is_explained() -> None:
    with pytest.raises(StorageError) as caught:
        open_database("postgresql://postgres@127.0.0.1:1/shop")  # nothing listens on port 1
    assert caught.value.message == "The database server cannot be reached."
    assert "network" in caught.value.advice


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("database is locked", "The shop's data is busy in another window or on another computer."),
        ("attempt to write a readonly database", "ShopDesk cannot write to the shop's data file."),
        ("unable to open database file", "ShopDesk cannot write to the shop's data file."),
        ("[Errno 28] No space left on device", "The disk is full; nothing was saved."),
        ("database disk image is malformed", "The shop's data file is damaged."),
        ("file is not a database", "The shop's data file is damaged."),
        ("could not connect to server: Connection refused", "The database server cannot be reached."),
        ("server closed the connection unexpectedly", "The database server cannot be reached."),
    ],
)
def test_storage_error_for(text: str, message: str) -> None:
    error = storage_error_for(peewee.OperationalError(text))
    assert error is not None
    assert error.message == message
    assert error.advice
    assert str(error) == f"{error.message} {error.advice}"


def test_the_place_is_named_when_known() -> None:
    error = storage_error_for(sqlite3.OperationalError("attempt to write a readonly database"), "D:/shop.db")
    assert error is not None and error.message == "ShopDesk cannot write to D:/shop.db."


@pytest.mark.parametrize(
    "exc",
    [
        peewee.OperationalError("no such column: nonsense"),
        peewee.ProgrammingError("syntax error at or near SELEKT"),
        # Integrity errors are about the data, even when the data says "locked" or "busy".
        peewee.IntegrityError("duplicate key value violates unique constraint\nDETAIL: Key (name)=(Locked)"),
        sqlite3.IntegrityError("UNIQUE constraint failed: category.name"),
    ],
)
def test_our_own_bugs_and_data_conflicts_are_not_storage_errors(exc: Exception) -> None:
    assert storage_error_for(exc) is None
    with pytest.raises(type(exc)), translate_storage_errors():
        raise exc


def test_other_exceptions_pass_through_untouched() -> None:
    with pytest.raises(KeyError), translate_storage_errors():
        raise KeyError("locked")


@pytest.mark.parametrize("name", ["Locked cabinet", "Busy bee", "Read-only set"])
def test_a_duplicate_name_that_mentions_locks_is_still_a_duplicate(db: peewee.Database, name: str) -> None:
    # PostgreSQL repeats the clashing value in its message; the value must not pass for a storage problem.
    create_category(name)
    with pytest.raises(ValidationError) as caught:
        create_category(name)
    assert caught.value.field == "name"
