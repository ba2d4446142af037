"""Bulk writing for imports, inside the caller's transaction: id ranges, table locks, index rebuilds.

Imports insert tens of thousands of rows at once, so they go through ``db.bulk`` (plain tuples to the
DB-API cursor) rather than one Peewee object per row. Rows that others rows point at (members, points
entries) get their ids here, from a range reserved up front; on PostgreSQL the table is locked for the
rest of the transaction first, so no other counter takes an id from that range meanwhile.

Keeping 15 indexes of the member table up to date row by row is most of the cost of inserting 100,000
members into SQLite (about 3 s of 3.5 s). When an import more than doubles a table, its indexes are
dropped before the insert and created again after it, in the same transaction (SQLite's DDL is
transactional: a cancel or a crash restores them with the data). The definitions are taken from the
schema itself, so migrations stay the only place that declares indexes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence

from peewee import Database, PostgresqlDatabase

from shopdesk.db import bulk

REBUILD_MIN_ROWS = 20_000
CHUNK = 500


def is_postgres(db: Database) -> bool:
    return isinstance(db, PostgresqlDatabase)


def lock_for_ids(db: Database, *tables: str) -> None:
    """On PostgreSQL, stop other sessions writing ``tables`` until commit (explicit ids are safe then)."""
    if is_postgres(db):
        for table in tables:
            db.execute_sql(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')


def reserve_ids(db: Database, table: str) -> int:
    """The first id of a free range of ``table``.

    Call ``lock_for_ids`` before, and ``bulk.sync_id_sequence`` after inserting the range.
    """
    return bulk.next_id(db, table)


def count_rows(db: Database, table: str) -> int:
    return int(db.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])


@contextlib.contextmanager
def indexes_rebuilt(db: Database, table: str, adding: int) -> Iterator[None]:
    """Drop ``table``'s indexes around a large insert into a smaller table and create them again after.

    Only on SQLite and only when ``adding`` rows at least doubles the table; otherwise does nothing. On
    an exception the indexes are not recreated here: the transaction's rollback brings them back.
    """
    if is_postgres(db) or adding < REBUILD_MIN_ROWS or adding < count_rows(db, table):
        yield
        return
    indexes = db.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for name, _sql in indexes:
        db.execute_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        db.execute_sql(sql)


def chunks(values: Sequence[object], size: int = CHUNK) -> Iterator[Sequence[object]]:
    """``values`` in slices small enough for an ``IN (…)`` list on both databases."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def lookup(db: Database, sql: str, keys: Iterable[object]) -> dict[object, object]:
    """``{key: value}`` from ``sql`` (selecting key, value with one ``IN ({marks})`` placeholder list)."""
    keys = list(dict.fromkeys(keys))
    found: dict[object, object] = {}
    for part in chunks(keys):
        marks = ", ".join([db.param] * len(part))
        for key, value in db.execute_sql(sql.format(marks=marks), list(part)).fetchall():
            found[key] = value
    return found


def member_ids_by_phone(db: Database, phones: Sequence[str]) -> dict[str, int]:
    """``{phone: member id}`` for the phones the shop knows (one scan when the list is long).

    A phone of a member merged into another leads to the member they were merged into: the record
    that lives on.
    """
    if not phones:
        return {}
    select = "SELECT phone, COALESCE(merged_into_id, id) FROM member WHERE phone"
    if len(phones) > 5_000:
        wanted = set(phones)
        rows = db.execute_sql(select + " IS NOT NULL").fetchall()
        return {phone: member_id for phone, member_id in rows if phone in wanted}
    return lookup(db, select + " IN ({marks})", phones)  # type: ignore[return-value]


def execute_many(db: Database, sql: str, rows: Sequence[Sequence[object]]) -> None:
    """The same statement for each row (``?``-style placeholders are adapted to the driver)."""
    if not rows:
        return
    if db.param != "?":
        sql = sql.replace("?", db.param)
    cursor = db.cursor()
    for part in chunks(rows, 5_000):
        cursor.executemany(sql, list(part))


def timestamp(value: object) -> str | None:
    """A datetime as the text Peewee stores (``YYYY-MM-DD HH:MM:SS``), for bulk rows on both databases."""
    if value is None:
        return None
    return value.isoformat(sep=" ", timespec="seconds")  # type: ignore[attr-defined]
