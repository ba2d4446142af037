"""Version 4: coupon templates, issuing batches and issued coupons; purchases record the coupon used."""

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

    class Purchase(Base):
        pass

    class CouponTemplate(Base):
        name = CharField(max_length=40)
        kind = CharField(max_length=12)
        value_fen = IntegerField(default=0)
        threshold_fen = IntegerField(default=0)
        pay_percent = IntegerField(default=100)
        cap_fen = IntegerField(null=True)
        gift_name = CharField(max_length=60, default="")
        valid_from = DateField(null=True)
        valid_until = DateField(null=True)
        valid_days = IntegerField(null=True)
        category_ids = TextField(default="[]")
        per_member_limit = IntegerField(null=True)
        stacks_with_points = BooleanField(default=True)
        paused = BooleanField(default=False)
        created_at = DateTimeField(default=dt.datetime.now)

    class CouponBatch(Base):
        template = ForeignKeyField(CouponTemplate, on_delete="CASCADE")
        label = CharField(max_length=80, default="")
        source = CharField(max_length=60, default="manual")
        issued_count = IntegerField(default=0)
        operator = CharField(max_length=60, default="")
        created_at = DateTimeField(default=dt.datetime.now)

    class Coupon(Base):
        code = CharField(max_length=16, unique=True)
        template = ForeignKeyField(CouponTemplate, on_delete="CASCADE")
        member = ForeignKeyField(Member, on_delete="CASCADE")
        batch = ForeignKeyField(CouponBatch, null=True, on_delete="SET NULL")
        issued_at = DateTimeField(default=dt.datetime.now)
        valid_from = DateField()
        valid_until = DateField(index=True)
        status = CharField(max_length=8, default="unused")
        used_at = DateTimeField(null=True)
        purchase = ForeignKeyField(Purchase, null=True, on_delete="SET NULL")
        discount_fen = IntegerField(default=0)
        void_reason = TextField(default="")
        voided_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("member", "status"), False),)

    db.create_tables([CouponTemplate, CouponBatch, Coupon], safe=False)
    for ddl in (
        "ALTER TABLE purchase ADD COLUMN coupon_id INTEGER REFERENCES coupon (id) ON DELETE SET NULL",
        "ALTER TABLE purchase ADD COLUMN coupon_discount_fen INTEGER NOT NULL DEFAULT 0",
    ):
        db.execute_sql(ddl)
