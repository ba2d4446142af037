"""Portable SQL helpers for the few set-based statements written by hand (SQLite and PostgreSQL).

Hand-written SQL here uses ``?`` placeholders; ``run`` and ``rows`` turn them into the driver's own
(``%s`` for psycopg2). Date arithmetic differs between the two engines, so it lives here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from peewee import Database, PostgresqlDatabase

from shopdesk.db.models import database_proxy

T = TypeVar("T")
# Ids per IN (…) list: far below SQLite's oldest limit of 999 bound parameters per statement.
CHUNK = 500


def current() -> Database:
    """The database the services use now (the object behind the proxy)."""
    db = database_proxy.obj
    if db is None:
        raise RuntimeError("open_database() has not been called")
    return db


def is_postgres(db: Database | None = None) -> bool:
    return isinstance(db or current(), PostgresqlDatabase)


def prepare(sql: str, db: Database | None = None) -> str:
    """``sql`` with its ``?`` placeholders written for the current driver."""
    db = db or current()
    return sql.replace("?", db.param) if db.param != "?" else sql


def run(sql: str, params: Sequence[Any] = ()) -> int:
    """Execute one statement (``?`` placeholders) and return how many rows it changed."""
    cursor = current().execute_sql(prepare(sql), list(params))
    return max(cursor.rowcount, 0)


def rows(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    """Execute one query (``?`` placeholders) and return its rows as tuples."""
    return current().execute_sql(prepare(sql), list(params)).fetchall()


_INSERTS: dict[tuple[str, tuple[str, ...], str], str] = {}


def insert(table: str, values: dict[str, Any]) -> int:
    """Insert one row and return its id, without Peewee's query building.

    ``Model.create`` spends ~0.3 ms compiling SQL; a sale writes half a dozen rows, so its hot path
    writes them here (dates and timestamps given through ``date_param``/``datetime_param``).
    """
    db = current()
    key = (table, tuple(values), db.param)
    text = _INSERTS.get(key)
    if text is None:
        returning = " RETURNING id" if is_postgres(db) else ""
        columns = ", ".join(values)
        text = prepare(f"INSERT INTO {table} ({columns}) VALUES ({marks(len(values))}){returning}", db)
        _INSERTS[key] = text
    cursor = db.execute_sql(text, list(values.values()))
    return int(cursor.fetchone()[0]) if is_postgres(db) else int(cursor.lastrowid)


def marks(count: int) -> str:
    """``?, ?, ?`` for an IN list of ``count`` values."""
    return ", ".join(["?"] * count)


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in slices short enough for one statement's bound parameters."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def days_since(column: str) -> str:
    """SQL for the whole days from the date of ``column`` (a timestamp) to a ``?`` date parameter.

    Pass ``date_param(today)`` for the placeholder. SQLite stores Peewee timestamps as text, so it goes
    through Julian day numbers of the two dates (exact: both are midnights); PostgreSQL subtracts dates.
    """
    if is_postgres():
        return f"(CAST(? AS DATE) - CAST({column} AS DATE))"
    return f"CAST(julianday(?) - julianday(date({column})) AS INTEGER)"


def date_param(value: dt.date) -> object:
    """A date as a bound parameter both drivers compare correctly with stored values."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return value if is_postgres() else value.isoformat()


def datetime_param(value: dt.datetime) -> object:
    """A timestamp as a bound parameter, in the text form Peewee stores in SQLite."""
    value = value.replace(microsecond=0)
    return value if is_postgres() else value.isoformat(sep=" ")


def read_datetime(value: object) -> dt.datetime | None:
    """A timestamp read with bare SQL: PostgreSQL gives a datetime, SQLite Peewee's text form."""
    if value is None or isinstance(value, dt.datetime):
        return value  # type: ignore[return-value]
    return dt.datetime.fromisoformat(str(value))


def read_date(value: object) -> dt.date | None:
    """A date read with bare SQL (a date, a timestamp, or their text form)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def differs(left: str, right: str) -> str:
    """Null-safe "not equal" (``IS DISTINCT FROM``; older SQLite spells it ``IS NOT``)."""
    if is_postgres():
        return f"({left}) IS DISTINCT FROM ({right})"
    return f"({left}) IS NOT ({right})"


def scanned(column: Any) -> Any:
    """``column`` for a WHERE clause that should not pick an index on SQLite (``+column``).

    SQLite has no statistics on value ranges, so a broad condition ("spent more than ¥500", "bought in
    the last 30 days") on an indexed column makes it walk the index and look up half the table row by
    row, three times slower than reading the table once. PostgreSQL estimates well and gets the column.
    """
    if is_postgres():
        return column
    from peewee import SQL, NodeList

    return NodeList((SQL("+"), column), glue="")
