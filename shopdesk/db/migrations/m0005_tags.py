"""Version 5: tags (manual and automatic), member tags, saved filters, lifecycle and RFM on the member."""

from __future__ import annotations

import datetime as dt

from peewee import (
    AutoField,
    CharField,
    CompositeKey,
    Database,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class Base(Model):
        id = AutoField()

        class Meta:
            database = db
            legacy_table_names = False

    class Member(Base):
        pass

    class Tag(Base):
        name = CharField(max_length=30, unique=True)
        group_name = CharField(max_length=20, default="")
        color = CharField(max_length=9, default="#E6F4FF")
        auto_kind = CharField(max_length=20, null=True)
        auto_key = CharField(max_length=30, null=True)
        sort_order = IntegerField(default=0)
        created_at = DateTimeField(default=dt.datetime.now)

    class MemberTag(Model):
        member = ForeignKeyField(Member, on_delete="CASCADE")
        tag = ForeignKeyField(Tag, on_delete="CASCADE")
        created_at = DateTimeField(default=dt.datetime.now)

        class Meta:
            database = db
            legacy_table_names = False
            primary_key = CompositeKey("member", "tag")

    class SavedFilter(Base):
        name = CharField(max_length=40, unique=True)
        definition = TextField()
        created_at = DateTimeField(default=dt.datetime.now)
        updated_at = DateTimeField(default=dt.datetime.now)

    db.create_tables([Tag, MemberTag, SavedFilter], safe=False)
    for ddl in (
        "ALTER TABLE member ADD COLUMN lifecycle VARCHAR(10)",
        "ALTER TABLE member ADD COLUMN rfm_r SMALLINT",
        "ALTER TABLE member ADD COLUMN rfm_f SMALLINT",
        "ALTER TABLE member ADD COLUMN rfm_m SMALLINT",
        "ALTER TABLE member ADD COLUMN rfm_segment VARCHAR(20)",
        "ALTER TABLE member ADD COLUMN interval_days INTEGER",
        "CREATE INDEX member_lifecycle ON member (lifecycle)",
        "CREATE INDEX member_rfm_segment ON member (rfm_segment)",
    ):
        db.execute_sql(ddl)
