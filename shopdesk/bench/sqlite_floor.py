"""How long SQLite alone takes to write what a members import wrote: the floor under ``import_members_xlsx``.

The import's baseline only reads the file. Writing 100,000 members also means inserting their rows,
building the member table's indexes, the opening points entries and lots, the tags, and committing;
none of that is ShopDesk's Python. This replays those rows, already made, into a fresh copy of the
schema with the app's pragmas: plain tuples through ``executemany``, the indexes created afterwards (as
the import does), one commit. Foreign keys are off here, so the floor is, if anything, a little low.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from shopdesk.db.database import SQLITE_PRAGMAS

WRITTEN_TABLES = ("member", "points_entry", "points_lot", "member_tag")


def sqlite_write_floor(imported: Path, scratch: Path) -> float:
    """Seconds to write the imported shop's members, points and tags again with bare SQLite."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    source = sqlite3.connect(imported)
    try:
        tables = source.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        marks = ", ".join("?" * len(WRITTEN_TABLES))
        indexes = source.execute(
            "SELECT sql FROM sqlite_master"
            f" WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
            WRITTEN_TABLES,
        ).fetchall()
        rows = {table: source.execute(f'SELECT * FROM "{table}"').fetchall() for table in WRITTEN_TABLES}
    finally:
        source.close()
    target = sqlite3.connect(scratch, isolation_level=None)
    try:
        for name, value in SQLITE_PRAGMAS.items():
            target.execute(f"PRAGMA {name} = {0 if name == 'foreign_keys' else value}")
        for (sql,) in tables:
            target.execute(sql)
        started = time.perf_counter()
        target.execute("BEGIN IMMEDIATE")
        for table, values in rows.items():
            if values:
                marks = ", ".join("?" * len(values[0]))
                target.executemany(f'INSERT INTO "{table}" VALUES ({marks})', values)
        for (sql,) in indexes:
            target.execute(sql)
        target.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        target.close()
