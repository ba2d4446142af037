"""Version 9: drop four indexes another index already covers (its leading column).

Each sale writes a purchase, a ledger entry and often a tag row; every index on those tables is one
more page written and synced per sale. ``purchase (member_id)`` is the start of
``purchase (member_id, purchased_at)``, ``points_entry (member_id)`` of ``(member_id, created_at)``,
``member_tag (member_id)`` of its primary key ``(member_id, tag_id)`` and ``followup_task (member_id)``
of ``(member_id, status)``: look-ups by member (and foreign-key checks) use the longer index.
"""

from __future__ import annotations

from peewee import Database
from playhouse.migrate import SchemaMigrator

REDUNDANT = (
    "purchase_member_id",
    "points_entry_member_id",
    "member_tag_member_id",
    "followup_task_member_id",
)


def up(migrator: SchemaMigrator, db: Database) -> None:
    for name in REDUNDANT:
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
