"""Version 1: members, staff, categories, purchases and their items, settings, audit log.

A frozen copy of the models as they were at version 1; later versions change them with new steps.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    Database,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    PostgresqlDatabase,
    SmallIntegerField,
    TextField,
)
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class Base(Model):
        id = AutoField()

        class Meta:
            database = db
            legacy_table_names = False

    class SchemaVersion(Base):
        version = IntegerField()

    class Setting(Model):
        key = CharField(max_length=100, primary_key=True)
        value = TextField()

        class Meta:
            database = db
            legacy_table_names = False

    class Staff(Base):
        name = CharField(max_length=30)
        phone = CharField(max_length=20, default="")
        active = BooleanField(default=True)
        created_at = DateTimeField(default=dt.datetime.now)

    class Category(Base):
        name = CharField(max_length=30, unique=True)
        repurchase_days = IntegerField(null=True)
        sort_order = IntegerField(default=0)
        active = BooleanField(default=True)
        created_at = DateTimeField(default=dt.datetime.now)

    class Member(Base):
        phone = CharField(max_length=20, null=True, unique=True)
        phone_rev = CharField(max_length=20, null=True, index=True)
        name = CharField(max_length=30, index=True)
        name_pinyin = CharField(max_length=120, default="", index=True)
        name_initials = CharField(max_length=30, default="", index=True)
        gender = CharField(max_length=1, default="")
        birth_year = SmallIntegerField(null=True)
        birth_month = SmallIntegerField(null=True)
        birth_day = SmallIntegerField(null=True)
        source = CharField(max_length=20, default="store")
        referrer = ForeignKeyField("self", null=True, on_delete="SET NULL")
        staff = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
        notes = TextField(default="")
        created_at = DateTimeField(default=dt.datetime.now)
        updated_at = DateTimeField(default=dt.datetime.now)
        archived_at = DateTimeField(null=True)
        purchase_count = IntegerField(default=0)
        total_spent_fen = IntegerField(default=0)
        first_purchase_at = DateTimeField(null=True)
        last_purchase_at = DateTimeField(null=True)

    class Purchase(Base):
        uid = CharField(max_length=40, unique=True)
        member = ForeignKeyField(Member, null=True, on_delete="RESTRICT")
        purchased_at = DateTimeField(index=True)
        amount_fen = IntegerField()
        paid_fen = IntegerField()
        staff = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
        note = TextField(default="")
        created_at = DateTimeField(default=dt.datetime.now)
        refunded_at = DateTimeField(null=True)
        refund_reason = TextField(default="")

        class Meta:
            indexes = ((("member", "purchased_at"), False),)

    class PurchaseItem(Base):
        purchase = ForeignKeyField(Purchase, on_delete="CASCADE")
        category = ForeignKeyField(Category, null=True, on_delete="SET NULL")
        name = CharField(max_length=60, default="")
        qty = IntegerField(default=1)
        amount_fen = IntegerField()

    class AuditLog(Base):
        at = DateTimeField(default=dt.datetime.now, index=True)
        actor = CharField(max_length=60, default="")
        action = CharField(max_length=40)
        target = CharField(max_length=60, default="")
        details = TextField(default="")

    db.create_tables(
        [SchemaVersion, Setting, Staff, Category, Member, Purchase, PurchaseItem, AuditLog], safe=False
    )
    _create_member_list_indexes(db)


def _create_member_list_indexes(db: Database) -> None:
    """Partial, covering indexes for each order of the members table over the members not archived.

    The table reads every id in order (100,000 of them); with these the read is an index scan with no
    table look-ups (measured: 74 ms → 24 ms for 100,000 members on SQLite).
    """
    nulls_last = " NULLS LAST" if isinstance(db, PostgresqlDatabase) else ""
    orders = {
        "last_purchase": f"last_purchase_at DESC{nulls_last}, id DESC",
        "name": "name_pinyin, name, id",
        "total_spent": "total_spent_fen DESC, id DESC",
        "purchase_count": "purchase_count DESC, id DESC",
        "joined": "created_at DESC, id DESC",
    }
    for name, columns in orders.items():
        db.execute_sql(f"CREATE INDEX member_live_{name} ON member ({columns}) WHERE archived_at IS NULL")
