"""Version 6: follow-up tasks (today's list), the contact history, and message templates (话术)."""

from __future__ import annotations

import datetime as dt

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    Database,
    DateField,
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

    class Staff(Base):
        pass

    class Purchase(Base):
        pass

    class FollowupTask(Base):
        member = ForeignKeyField(Member, on_delete="CASCADE")
        kind = CharField(max_length=20)
        key = CharField(max_length=80, unique=True)
        list_date = DateField(index=True)
        due_date = DateField()
        priority = IntegerField(default=0)
        reason = TextField(default="")
        staff = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
        status = CharField(max_length=10, default="open")
        outcome = CharField(max_length=20, null=True)
        outcome_at = DateTimeField(null=True)
        snoozed_until = DateField(null=True)
        attempt = IntegerField(default=1)
        suggest_incentive = BooleanField(default=False)
        closing_purchase = ForeignKeyField(Purchase, null=True, on_delete="SET NULL")
        note = TextField(default="")
        created_at = DateTimeField(default=dt.datetime.now)
        updated_at = DateTimeField(default=dt.datetime.now)

        class Meta:
            indexes = ((("member", "status"), False), (("status", "list_date"), False))

    class ContactLog(Base):
        member = ForeignKeyField(Member, on_delete="CASCADE")
        task = ForeignKeyField(FollowupTask, null=True, on_delete="SET NULL")
        kind = CharField(max_length=20, default="")
        outcome = CharField(max_length=20)
        note = TextField(default="")
        operator = CharField(max_length=60, default="")
        created_at = DateTimeField(default=dt.datetime.now)

        class Meta:
            indexes = ((("member", "created_at"), False),)

    class MessageTemplate(Base):
        name = CharField(max_length=40)
        kind = CharField(max_length=20, default="")
        body = TextField()
        is_default = BooleanField(default=False)
        created_at = DateTimeField(default=dt.datetime.now)

    db.create_tables([FollowupTask, ContactLog, MessageTemplate], safe=False)
    db.execute_sql("ALTER TABLE member ADD COLUMN reminders_opt_out BOOLEAN NOT NULL DEFAULT FALSE")
    db.execute_sql("ALTER TABLE category ADD COLUMN care_days INTEGER")
