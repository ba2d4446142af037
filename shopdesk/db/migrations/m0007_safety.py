"""Version 7: accounts (role and PIN per staff member), marketing consent and deletion on the member."""

from __future__ import annotations

from peewee import Database
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    for ddl in (
        "ALTER TABLE staff ADD COLUMN role VARCHAR(10) NOT NULL DEFAULT 'clerk'",
        "ALTER TABLE staff ADD COLUMN pin_hash VARCHAR(200) NOT NULL DEFAULT ''",
        "ALTER TABLE staff ADD COLUMN failed_pins INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE staff ADD COLUMN locked_until TIMESTAMP",
        "ALTER TABLE member ADD COLUMN marketing_consent BOOLEAN NOT NULL DEFAULT TRUE",
        "ALTER TABLE member ADD COLUMN deleted_at TIMESTAMP",
    ):
        db.execute_sql(ddl)
