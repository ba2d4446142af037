"""Fast bulk inserts through the raw DB-API cursor, for the demo shop, imports and benchmarks.

Peewee's model inserts build a Python object and an SQL string per row, ~20 µs each; a million purchases
would take minutes. Here the rows are plain tuples: ``executemany`` on SQLite (the statement is prepared
once), ``psycopg2.extras.execute_values`` on PostgreSQL (one statement per page of rows, one round trip).
The caller keeps everything in one transaction; this module only opens a savepoint so that a failure
leaves nothing half-written.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence

from peewee import Database, PostgresqlDatabase

DEFAULT_BATCH = 20_000


def _quote(db: Database, name: str) -> str:
    """An identifier in double quotes, which SQLite and PostgreSQL both read as a name."""
    return '"' + name.replace('"', '""') + '"'



def insert_sql(db: Database, table_name: str, columns: Sequence[str]) -> str:
    """The INSERT statement for one row with the driver's placeholders (``%s`` or ``?``)."""
    names = ", ".join(_quote(db, column) for column in columns)
    if isinstance(db, PostgresqlDatabase):
        return f"INSERT INTO {_quote(db, table_name)} ({names}) VALUES %s"
    marks = ", ".join([db.param] * len(columns))
    return f"INSERT INTO {_quote(db, table_name)} ({names}) VALUES ({marks})"


def bulk_insert(
    db: Database,
    table_name: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    batch: int = DEFAULT_BATCH,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table_name`` and return how many.

    Values go to the driver as they are: on SQLite, date-times as ``YYYY-MM-DD HH:MM:SS`` text (what
    Peewee stores), on PostgreSQL the same text or ``datetime`` objects. ``on_batch(count_so_far)`` runs
    after each batch, so a caller can report progress or cancel by raising.
    """
    sql = insert_sql(db, table_name, columns)
    postgres = isinstance(db, PostgresqlDatabase)
    if postgres:
        from psycopg2.extras import execute_values
    total = 0
    iterator = iter(rows)
    with db.atomic():
        cursor = db.cursor()
        while True:
            chunk = list(itertools.islice(iterator, batch))
            if not chunk:
                break
            if postgres:
                execute_values(cursor, sql, chunk, page_size=2_000)
            else:
                cursor.executemany(sql, chunk)
            total += len(chunk)
            if on_batch is not None:
                on_batch(total)
    return total


def next_id(db: Database, table_name: str) -> int:
    """The first free id of ``table_name`` (bulk inserts assign ids themselves to link rows)."""
    row = db.execute_sql(f"SELECT COALESCE(MAX(id), 0) FROM {_quote(db, table_name)}").fetchone()
    return int(row[0]) + 1


def sync_id_sequence(db: Database, table_name: str) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequence past them (SQLite needs nothing)."""
    if not isinstance(db, PostgresqlDatabase):
        return
    highest = f"SELECT COALESCE(MAX(id), 0) + 1 FROM {_quote(db, table_name)}"
    db.execute_sql(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({highest}), false)", (table_name,))
