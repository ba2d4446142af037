"""Versioned schema migrations, run on open: one step per version, each in its own transaction.

Each step is a module ``mNNNN_name.py`` with ``up(migrator, db)``. Steps never import the current models:
they declare frozen copies, so an old step keeps building exactly the schema it built when it was written.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from peewee import Database, PostgresqlDatabase
from playhouse.migrate import SchemaMigrator

from shopdesk.db.migrations import (
    m0001_initial,
    m0002_points,
    m0003_member_merge,
    m0004_coupons,
    m0005_tags,
    m0006_followups,
    m0007_safety,
    m0008_member_month,
    m0009_redundant_indexes,
)
from shopdesk.errors import StorageError
from shopdesk.i18n import _

STEPS: list[ModuleType] = [
    m0001_initial,
    m0002_points,
    m0003_member_merge,
    m0004_coupons,
    m0005_tags,
    m0006_followups,
    m0007_safety,
    m0008_member_month,
    m0009_redundant_indexes,
]
HEAD = len(STEPS)

BeforeMigrate = Callable[[int, int], None]


def schema_version(db: Database) -> int:
    """The version of the schema in ``db``; 0 for an empty database."""
    if not db.table_exists("schema_version"):
        return 0
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(db: Database, target: int | None = None, before: BeforeMigrate | None = None) -> int:
    """Bring ``db`` to ``target`` (default: the newest version) and return the version reached.

    ``before(old, new)`` runs once before the first step (the app backs the file up there). Two copies of
    the app opening the same PostgreSQL base at once take turns on an advisory lock.
    """
    target = HEAD if target is None else target
    version = schema_version(db)
    if version > HEAD:
        raise StorageError(
            _("This shop was saved by a newer version of ShopDesk."),
            _("Please install the newest ShopDesk to open it."),
        )
    if version >= target:
        return version
    if before is not None:
        before(version, target)
    migrator = SchemaMigrator.from_database(db)
    for step_version in range(version + 1, target + 1):
        with db.atomic():
            if isinstance(db, PostgresqlDatabase):
                db.execute_sql("SELECT pg_advisory_xact_lock(7426001)")
            if schema_version(db) >= step_version:
                continue  # another copy of the app got here first
            STEPS[step_version - 1].up(migrator, db)
            db.execute_sql("DELETE FROM schema_version")
            db.execute_sql(f"INSERT INTO schema_version (version) VALUES ({int(step_version)})")
    return target
