"""Version 3: member merges, kept with what they moved so a merge can be undone (issue 4)."""

from __future__ import annotations

import datetime as dt

from peewee import AutoField, CharField, Database, DateTimeField, ForeignKeyField, Model, TextField
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class Base(Model):
        id = AutoField()

        class Meta:
            database = db
            legacy_table_names = False

    class Member(Base):
        pass

    class MemberMerge(Base):
        kept = ForeignKeyField(Member, on_delete="CASCADE")
        dropped = ForeignKeyField(Member, on_delete="CASCADE")
        snapshot = TextField()
        operator = CharField(max_length=60, default="")
        created_at = DateTimeField(default=dt.datetime.now)
        undone_at = DateTimeField(null=True)

    db.create_tables([MemberMerge], safe=False)
    db.execute_sql(
        "ALTER TABLE member ADD COLUMN merged_into_id INTEGER REFERENCES member (id) ON DELETE SET NULL"
    )
