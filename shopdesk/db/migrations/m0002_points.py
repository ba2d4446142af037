"""Version 2: points ledger and lots, tiers and their history, the gift catalogue (issue 4).

Frozen copies of the new tables; the member row gains a cached points balance and its tier.
"""

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

    class Member(Base):  # only what the new foreign keys need
        pass

    class Purchase(Base):
        pass

    class Tier(Base):
        name = CharField(max_length=20)
        threshold_fen = IntegerField(default=0)
        multiplier_percent = IntegerField(default=100)
        perks = TextField(default="")
        sort_order = IntegerField(default=0)
        active = BooleanField(default=True)

    class PointsEntry(Base):
        member = ForeignKeyField(Member, on_delete="CASCADE")
        kind = CharField(max_length=20)
        amount = IntegerField()
        balance_after = IntegerField()
        purchase = ForeignKeyField(Purchase, null=True, on_delete="SET NULL")
        key = CharField(max_length=80, null=True, unique=True)
        operator = CharField(max_length=60, default="")
        reason = TextField(default="")
        created_at = DateTimeField(default=dt.datetime.now)

        class Meta:
            indexes = ((("member", "created_at"), False),)

    class PointsLot(Base):
        member = ForeignKeyField(Member, on_delete="CASCADE")
        entry = ForeignKeyField(PointsEntry, on_delete="CASCADE")
        earned_on = DateField()
        available_from = DateField(null=True)
        expires_on = DateField(null=True, index=True)
        original = IntegerField()
        remaining = IntegerField()

    class PointsUse(Base):
        entry = ForeignKeyField(PointsEntry, on_delete="CASCADE")
        lot = ForeignKeyField(PointsLot, on_delete="CASCADE")
        amount = IntegerField()

    class TierChange(Base):
        member = ForeignKeyField(Member, on_delete="CASCADE")
        from_tier = ForeignKeyField(Tier, null=True, on_delete="SET NULL")
        to_tier = ForeignKeyField(Tier, null=True, on_delete="SET NULL")
        reason = TextField(default="")
        operator = CharField(max_length=60, default="")
        created_at = DateTimeField(default=dt.datetime.now)

    class Gift(Base):
        name = CharField(max_length=60)
        points_cost = IntegerField()
        stock = IntegerField(null=True)
        active = BooleanField(default=True)
        created_at = DateTimeField(default=dt.datetime.now)

    db.create_tables([Tier, PointsEntry, PointsLot, PointsUse, TierChange, Gift], safe=False)
    # Plain ALTER TABLE ... ADD COLUMN with a constant default: both databases add it in place, where
    # playhouse's add_column would rebuild SQLite's member table (and needs foreign keys off to do so).
    for ddl in (
        "ALTER TABLE member ADD COLUMN points_balance INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE member ADD COLUMN tier_id INTEGER REFERENCES tier (id) ON DELETE SET NULL",
        "ALTER TABLE member ADD COLUMN tier_manual BOOLEAN NOT NULL DEFAULT FALSE",
        "CREATE INDEX member_tier_id ON member (tier_id)",
        "ALTER TABLE purchase ADD COLUMN points_used INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE purchase ADD COLUMN points_discount_fen INTEGER NOT NULL DEFAULT 0",
    ):
        db.execute_sql(ddl)
