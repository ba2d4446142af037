"""Shared fixtures: a fresh shop database on SQLite and, when a server is given, on PostgreSQL.

Set ``SHOPDESK_TEST_PG_URL`` (e.g. ``postgresql://postgres@127.0.0.1:5432/test``) to run every storage
test on PostgreSQL too; without it those cases are skipped. Each test gets an empty schema.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

# No display in CI or on a developer's headless box: Qt draws offscreen unless told otherwise.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch the real user's data folder (backups, notes, the demo shop): point it at a temp dir.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="shopdesk-test-data-")

from urllib.parse import urlsplit, urlunsplit

import pytest

from shopdesk.db.database import close_database, open_database
from shopdesk.i18n import setup_i18n

PG_URL_ENV = "SHOPDESK_TEST_PG_URL"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives Qt widgets as ``gui``, so ``-m "not gui"`` runs the core alone."""
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Tests read messages in English unless they ask for Chinese, and act as the owner."""
    from shopdesk.services.session import set_current

    setup_i18n("en")
    set_current(None)
    yield
    setup_i18n("en")
    set_current(None)


def _worker_database_url(base_url: str, worker: str) -> str:
    """A database of this test worker's own on the same server (created once)."""
    import psycopg2

    parts = urlsplit(base_url)
    name = f"shopdesk_test_{worker}"
    conn = psycopg2.connect(base_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def pg_url() -> str | None:
    base = os.environ.get(PG_URL_ENV)
    if not base:
        return None
    return _worker_database_url(base, os.environ.get("PYTEST_XDIST_WORKER", "main"))


def _empty_pg_schema(url: str) -> None:
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    conn.close()


@pytest.fixture(params=["sqlite", "postgres"])
def db_target(request: pytest.FixtureRequest, tmp_path, pg_url: str | None) -> str:
    """Where a fresh, empty shop database lives for this test: a SQLite file or a PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "shop.db")
    if not pg_url:
        pytest.skip(f"{PG_URL_ENV} is not set")
    _empty_pg_schema(pg_url)
    return pg_url


@pytest.fixture
def db(db_target: str) -> Iterator[object]:
    """An opened, migrated, empty shop database (SQLite and PostgreSQL)."""
    database = open_database(db_target)
    yield database
    close_database()


@pytest.fixture
def sqlite_db(tmp_path) -> Iterator[object]:
    """An opened, migrated, empty SQLite shop (for tests about SQLite itself)."""
    database = open_database(tmp_path / "shop.db")
    yield database
    close_database()
