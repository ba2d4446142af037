"""Opening the shop's database: a new one gets the schema, SQLite is set up safely, bad targets explained."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import peewee
import pytest

from shopdesk.db import database
from shopdesk.db.database import (
    close_database,
    current_database,
    describe_target,
    is_postgres,
    open_database,
    resolve_target,
)
from shopdesk.db.migrations import HEAD, schema_version
from shopdesk.db.models import ALL_MODELS, Member, PurchaseItem
from shopdesk.errors import StorageError
from shopdesk.services.members import MemberInput, count_members, create_member


def test_a_new_database_gets_the_newest_schema(db: peewee.Database) -> None:
    assert schema_version(db) == HEAD
    for model in ALL_MODELS:
        assert db.table_exists(model._meta.table_name), model.__name__
    assert current_database() is db
    assert count_members() == 0


def test_a_new_file_and_its_folder_are_created(tmp_path: Path) -> None:
    target = tmp_path / "new folder" / "店铺.db"
    db = open_database(target)
    try:
        assert target.is_file()
        assert schema_version(db) == HEAD
        assert not is_postgres()
    finally:
        close_database()


def test_reopening_keeps_the_data(db_target: str) -> None:
    open_database(db_target)
    create_member(MemberInput(name="张三", phone="13800138000"))
    close_database()
    db = open_database(db_target)
    try:
        assert schema_version(db) == HEAD
        assert count_members() == 1
    finally:
        close_database()


def _pragma(db: peewee.Database, name: str) -> object:
    return db.execute_sql(f"PRAGMA {name}").fetchone()[0]


def test_sqlite_runs_with_wal_full_sync_foreign_keys_and_a_busy_timeout(sqlite_db: peewee.Database) -> None:
    assert _pragma(sqlite_db, "journal_mode") == "wal"
    assert _pragma(sqlite_db, "synchronous") == 2  # FULL: a committed sale survives a power cut
    assert _pragma(sqlite_db, "foreign_keys") == 1
    assert _pragma(sqlite_db, "busy_timeout") == 10_000


def test_the_pragmas_hold_on_another_threads_connection(sqlite_db: peewee.Database) -> None:
    # The GUI runs database work on a worker thread, which gets a connection of its own.
    seen: dict[str, object] = {}

    def work() -> None:
        with sqlite_db.connection_context():
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout"):
                seen[name] = _pragma(sqlite_db, name)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10_000}


def test_foreign_keys_are_enforced(db: peewee.Database) -> None:
    with pytest.raises(peewee.IntegrityError), db.atomic():
        PurchaseItem.insert(purchase=999_999, amount_fen=100, qty=1, name="").execute()


def test_a_folder_is_not_a_shop_file(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as caught:
        open_database(tmp_path)
    assert "is a folder" in caught.value.message
    assert caught.value.advice


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "shop.db"
    garbage = b"these are not the bytes of a database \x00\xff" * 200
    target.write_bytes(garbage)
    with pytest.raises(StorageError) as caught:
        open_database(target)
    assert caught.value.message == "The shop's data file is damaged."
    assert "backup" in caught.value.advice
    assert target.read_bytes() == garbage


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "contacts.db"
    with sqlite3.connect(target) as conn:
        conn.execute("CREATE TABLE contact (name TEXT)")
        conn.execute("INSERT INTO contact VALUES ('someone')")
    conn.close()
    with pytest.raises(StorageError) as caught:
        open_database(target)
    assert "not a ShopDesk" in caught.value.message
    with sqlite3.connect(target) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    conn.close()
    assert tables == ["contact"]


@pytest.mark.parametrize("target", ["/proc/shop.db", "/proc/no-such-folder/shop.db"])
def test_a_place_that_cannot_be_written_is_explained(target: str) -> None:
    # /proc cannot be written even by root, unlike a read-only folder.
    with pytest.raises(StorageError) as caught:
        open_database(target)
    assert caught.value.message.startswith("ShopDesk cannot write to")
    assert "read-only" in caught.value.advice


def test_a_read_only_folder_is_explained(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "shop.db"
    open_database(target)
    close_database()
    os.chmod(target, 0o444)
    os.chmod(folder, 0o555)
    try:
        if os.access(target, os.W_OK) or os.access(folder, os.W_OK):
            pytest.skip("this user (root) may write to read-only files; the /proc case covers it")
        with pytest.raises(StorageError) as caught:
            open_database(target)
        assert caught.value.message.startswith("ShopDesk cannot write to")
    finally:
        os.chmod(folder, 0o755)
        os.chmod(target, 0o644)


def test_a_database_from_a_newer_version_is_refused(db_target: str) -> None:
    db = open_database(db_target)
    db.execute_sql(f"UPDATE schema_version SET version = {HEAD + 1}")
    close_database()
    with pytest.raises(StorageError) as caught:
        open_database(db_target)
    assert caught.value.message == "This shop was saved by a newer version of ShopDesk."
    assert "newest ShopDesk" in caught.value.advice


def test_a_failed_open_leaves_the_current_database_in_place(tmp_path: Path, db_target: str) -> None:
    good = open_database(tmp_path / "good.db")
    newer = open_database(db_target)
    newer.execute_sql(f"UPDATE schema_version SET version = {HEAD + 1}")
    newer.close()
    database.database_proxy.initialize(good)
    with pytest.raises(StorageError):
        open_database(db_target)
    assert current_database() is good
    assert count_members() == 0
    close_database()


def test_an_unsupported_url_is_explained() -> None:
    with pytest.raises(StorageError, match="not supported"):
        open_database("mysql://shop@localhost/shop")


def test_describe_target_hides_the_password() -> None:
    assert describe_target("postgresql://shop:secret@server:5432/shop") == "postgresql://shop:***@server:5432/shop"
    assert describe_target("postgresql://shop@server/shop") == "postgresql://shop@server/shop"
    assert describe_target("~/shop.db") == str(Path.home() / "shop.db")


def test_resolve_target_prefers_the_option_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPDESK_DB", "/env/shop.db")
    assert resolve_target("/option/shop.db") == "/option/shop.db"
    assert resolve_target(None) == "/env/shop.db"
    monkeypatch.delenv("SHOPDESK_DB")
    default = Path(resolve_target(None))
    assert default.name == "shop.db"
    assert default == database.default_database_path()
    assert database.demo_database_path() != default


def test_sqlite_urls_are_files(tmp_path: Path) -> None:
    target = tmp_path / "shop.db"
    db = open_database(f"sqlite:///{target}")
    try:
        assert target.is_file()
        create_member(MemberInput(name="张三", phone="13800138000"))
        assert Member.select().count() == 1
        assert isinstance(db, peewee.SqliteDatabase)
    finally:
        close_database()


def test_close_database_twice_is_harmless(sqlite_db: peewee.Database) -> None:
    close_database()
    close_database()
    assert sqlite_db.is_closed()
