"""The current Peewee models. Every change here comes with a migration step in ``db/migrations``.

Money is integer fen; points are integers; times are naive local date-times (one shop, one clock).
The member row caches figures derived from purchases (count, total, first and last purchase) so that
lists and searches never aggregate a million purchases; services keep them exact in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DeferredForeignKey,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)

database_proxy = DatabaseProxy()


def now() -> dt.datetime:
    """The current local time to the second (what the shop's clock says)."""
    return dt.datetime.now().replace(microsecond=0)


class BaseModel(Model):
    id = AutoField()

    class Meta:
        database = database_proxy
        legacy_table_names = False


class SchemaVersion(BaseModel):
    """One row: the version the migrations have brought the schema to."""

    version = IntegerField()


class Setting(Model):
    """Shop-wide settings (shop name, shop type, rules), JSON-encoded values by key."""

    key = CharField(max_length=100, primary_key=True)
    value = TextField()

    class Meta:
        database = database_proxy
        legacy_table_names = False


class Staff(BaseModel):
    """A clerk or the owner: who served a purchase and who follows a member up."""

    name = CharField(max_length=30)
    phone = CharField(max_length=20, default="")
    active = BooleanField(default=True)
    role = CharField(max_length=10, default="clerk")  # owner / clerk (accounts are optional)
    pin_hash = CharField(max_length=200, default="")  # scrypt, salted; never the PIN itself
    failed_pins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    created_at = DateTimeField(default=now)


class Category(BaseModel):
    """A product category (面霜, 奶茶 …) with the typical days between two purchases of it."""

    name = CharField(max_length=30, unique=True)
    repurchase_days = IntegerField(null=True)
    sort_order = IntegerField(default=0)
    active = BooleanField(default=True)
    care_days = IntegerField(null=True)  # call the customer this many days after buying it (回访)
    created_at = DateTimeField(default=now)


class Tier(BaseModel):
    """A member level reached by spending (普通, 银卡, 金卡, 钻石), with a points multiplier."""

    name = CharField(max_length=20)
    threshold_fen = IntegerField(default=0)
    multiplier_percent = IntegerField(default=100)
    perks = TextField(default="")
    sort_order = IntegerField(default=0)
    active = BooleanField(default=True)


class Member(BaseModel):
    """A customer the shop knows by phone (会员档案) with figures cached from their purchases."""

    phone = CharField(max_length=20, null=True, unique=True)
    phone_rev = CharField(max_length=20, null=True, index=True)  # reversed, so a tail search is a prefix
    name = CharField(max_length=30, index=True)
    name_pinyin = CharField(max_length=120, default="", index=True)
    name_initials = CharField(max_length=30, default="", index=True)
    gender = CharField(max_length=1, default="")
    birth_year = SmallIntegerField(null=True)
    birth_month = SmallIntegerField(null=True)
    birth_day = SmallIntegerField(null=True)
    source = CharField(max_length=20, default="store")
    referrer = ForeignKeyField("self", null=True, backref="referees", on_delete="SET NULL")
    staff = ForeignKeyField(Staff, null=True, backref="members", on_delete="SET NULL")
    notes = TextField(default="")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    archived_at = DateTimeField(null=True)
    purchase_count = IntegerField(default=0)
    total_spent_fen = IntegerField(default=0)
    first_purchase_at = DateTimeField(null=True)
    last_purchase_at = DateTimeField(null=True)
    # The members table's orders use partial indexes over unarchived members (see m0001_initial).
    points_balance = IntegerField(default=0)  # always the sum of the member's points ledger
    tier = ForeignKeyField(Tier, null=True, backref="members", on_delete="SET NULL", lazy_load=False)
    tier_manual = BooleanField(default=False)  # set by hand (with a reason); purchases leave it alone
    merged_into = ForeignKeyField("self", null=True, backref="+", on_delete="SET NULL", lazy_load=False)
    lifecycle = CharField(max_length=10, null=True)  # new / active / dormant / lost, set by the daily job
    rfm_r = SmallIntegerField(null=True)  # recency, frequency, monetary scores 1-5 by quintile
    rfm_f = SmallIntegerField(null=True)
    rfm_m = SmallIntegerField(null=True)
    rfm_segment = CharField(max_length=20, null=True)
    interval_days = IntegerField(null=True)  # median days between purchase days (the member's rhythm)
    reminders_opt_out = BooleanField(default=False)  # the member asked not to be contacted
    marketing_consent = BooleanField(default=True)  # may receive offers (bulk coupons, follow-ups)
    deleted_at = DateTimeField(null=True)  # personal data erased on request; sales figures kept


class Purchase(BaseModel):  # indexed for sales by period by ``purchase_sales`` (m0008), a covering index
    """One sale. ``amount_fen`` is the price of the goods, ``paid_fen`` what the customer paid.

    ``uid`` is chosen by the caller so that a save retried after a lost connection cannot record the
    sale twice. A refund keeps the row and sets ``refunded_at``; figures count only unrefunded sales.
    """

    uid = CharField(max_length=40, unique=True)
    member = ForeignKeyField(Member, null=True, backref="purchases", index=False, on_delete="RESTRICT")
    purchased_at = DateTimeField()
    amount_fen = IntegerField()
    paid_fen = IntegerField()
    staff = ForeignKeyField(Staff, null=True, backref="purchases", on_delete="SET NULL")
    note = TextField(default="")
    created_at = DateTimeField(default=now)
    refunded_at = DateTimeField(null=True)
    refund_reason = TextField(default="")
    points_used = IntegerField(default=0)  # points redeemed as money off this sale
    points_discount_fen = IntegerField(default=0)  # what those points took off the price
    coupon = DeferredForeignKey("Coupon", null=True, backref="+", on_delete="SET NULL", lazy_load=False)
    coupon_discount_fen = IntegerField(default=0)

    class Meta:
        indexes = ((("member", "purchased_at"), False),)


class PurchaseItem(BaseModel):
    """A line of a purchase: what category, how many, for how much."""

    purchase = ForeignKeyField(Purchase, backref="items", on_delete="CASCADE")
    category = ForeignKeyField(Category, null=True, backref="items", on_delete="SET NULL")
    name = CharField(max_length=60, default="")
    qty = IntegerField(default=1)
    amount_fen = IntegerField()


class AuditLog(BaseModel):
    """Sensitive actions (exports, imports, adjustments, deletions, restores), append-only."""

    at = DateTimeField(default=now, index=True)
    actor = CharField(max_length=60, default="")
    action = CharField(max_length=40)
    target = CharField(max_length=60, default="")
    details = TextField(default="")


class PointsEntry(BaseModel):
    """One line of the points ledger (积分流水). ``key`` makes a purchase's entries impossible to repeat."""

    member = ForeignKeyField(Member, backref="points_entries", index=False, on_delete="CASCADE")
    kind = CharField(max_length=20)
    amount = IntegerField()
    balance_after = IntegerField()
    purchase = ForeignKeyField(Purchase, null=True, backref="points_entries", on_delete="SET NULL")
    key = CharField(max_length=80, null=True, unique=True)
    operator = CharField(max_length=60, default="")
    reason = TextField(default="")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("member", "created_at"), False),)


class PointsLot(BaseModel):
    """Points earned together, spendable from ``available_from`` until ``expires_on``."""

    member = ForeignKeyField(Member, backref="points_lots", on_delete="CASCADE")
    entry = ForeignKeyField(PointsEntry, backref="lots", on_delete="CASCADE")
    earned_on = DateField()
    available_from = DateField(null=True)
    expires_on = DateField(null=True, index=True)
    original = IntegerField()
    remaining = IntegerField()


class PointsUse(BaseModel):
    """How many points a spending entry took from which lot, so a refund can put them back."""

    entry = ForeignKeyField(PointsEntry, backref="uses", on_delete="CASCADE")
    lot = ForeignKeyField(PointsLot, backref="uses", on_delete="CASCADE")
    amount = IntegerField()


class TierChange(BaseModel):
    """Tier history: every upgrade, downgrade and manual override, with its reason."""

    member = ForeignKeyField(Member, backref="tier_changes", on_delete="CASCADE")
    from_tier = ForeignKeyField(Tier, null=True, on_delete="SET NULL")
    to_tier = ForeignKeyField(Tier, null=True, on_delete="SET NULL")
    reason = TextField(default="")
    operator = CharField(max_length=60, default="")
    created_at = DateTimeField(default=now)


class Gift(BaseModel):
    """An item of the gift catalogue, redeemable for points. ``stock`` None means unlimited."""

    name = CharField(max_length=60)
    points_cost = IntegerField()
    stock = IntegerField(null=True)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=now)


class MemberMerge(BaseModel):
    """A merge of two member records; ``snapshot`` lists what moved, so the merge can be undone."""

    kept = ForeignKeyField(Member, on_delete="CASCADE")
    dropped = ForeignKeyField(Member, on_delete="CASCADE")
    snapshot = TextField()
    operator = CharField(max_length=60, default="")
    created_at = DateTimeField(default=now)
    undone_at = DateTimeField(null=True)


class CouponTemplate(BaseModel):
    """A kind of coupon the shop issues: 满100减20, 无门槛10元, 8.8折 (pay_percent 88), 兑换券."""

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
    category_ids = TextField(default="[]")  # JSON list; empty: every category
    per_member_limit = IntegerField(null=True)
    stacks_with_points = BooleanField(default=True)
    paused = BooleanField(default=False)
    created_at = DateTimeField(default=now)


class CouponBatch(BaseModel):
    """One issuing action (to a segment, a tag, a selection, or by a rule), for per-batch figures."""

    template = ForeignKeyField(CouponTemplate, backref="batches", on_delete="CASCADE")
    label = CharField(max_length=80, default="")
    source = CharField(max_length=60, default="manual")
    issued_count = IntegerField(default=0)
    operator = CharField(max_length=60, default="")
    created_at = DateTimeField(default=now)


class Coupon(BaseModel):
    """A coupon issued to a member, with a short code that can be read over the phone."""

    code = CharField(max_length=16, unique=True)
    template = ForeignKeyField(CouponTemplate, backref="coupons", on_delete="CASCADE")
    member = ForeignKeyField(Member, backref="coupons", on_delete="CASCADE")
    batch = ForeignKeyField(CouponBatch, null=True, backref="coupons", on_delete="SET NULL")
    issued_at = DateTimeField(default=now)
    valid_from = DateField()
    valid_until = DateField(index=True)
    status = CharField(max_length=8, default="unused")  # unused / used / void; "expired" is derived
    used_at = DateTimeField(null=True)
    purchase = ForeignKeyField(Purchase, null=True, backref="+", on_delete="SET NULL")
    discount_fen = IntegerField(default=0)
    void_reason = TextField(default="")
    voided_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("member", "status"), False),)


class Tag(BaseModel):
    """A label on members; automatic tags (lifecycle, RFM, birthday month, high value) have ``auto_kind``."""

    name = CharField(max_length=30, unique=True)
    group_name = CharField(max_length=20, default="")
    color = CharField(max_length=9, default="#E6F4FF")
    auto_kind = CharField(max_length=20, null=True)
    auto_key = CharField(max_length=30, null=True)
    sort_order = IntegerField(default=0)
    created_at = DateTimeField(default=now)


class MemberTag(Model):
    member = ForeignKeyField(Member, backref="member_tags", index=False, on_delete="CASCADE")
    tag = ForeignKeyField(Tag, backref="member_tags", on_delete="CASCADE")
    created_at = DateTimeField(default=now)

    class Meta:
        database = database_proxy
        legacy_table_names = False
        primary_key = CompositeKey("member", "tag")


class SavedFilter(BaseModel):
    """A named member filter (分群), its conditions as JSON."""

    name = CharField(max_length=40, unique=True)
    definition = TextField()
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class FollowupTask(BaseModel):
    """One contact on a day's follow-up list (今日跟进). ``key`` keeps the list free of duplicates."""

    member = ForeignKeyField(Member, backref="followups", index=False, on_delete="CASCADE")
    kind = CharField(max_length=20)
    key = CharField(max_length=80, unique=True)
    list_date = DateField(index=True)
    due_date = DateField()
    priority = IntegerField(default=0)
    reason = TextField(default="")
    staff = ForeignKeyField(Staff, null=True, backref="followups", on_delete="SET NULL")
    status = CharField(max_length=10, default="open")  # open / done / snoozed / dropped
    outcome = CharField(max_length=20, null=True)
    outcome_at = DateTimeField(null=True)
    snoozed_until = DateField(null=True)
    attempt = IntegerField(default=1)
    suggest_incentive = BooleanField(default=False)
    closing_purchase = ForeignKeyField(Purchase, null=True, backref="+", on_delete="SET NULL")
    note = TextField(default="")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("member", "status"), False), (("status", "list_date"), False))


class ContactLog(BaseModel):
    """The member's contact history: every call or message and its outcome."""

    member = ForeignKeyField(Member, backref="contacts", on_delete="CASCADE")
    task = ForeignKeyField(FollowupTask, null=True, backref="contacts", on_delete="SET NULL")
    kind = CharField(max_length=20, default="")
    outcome = CharField(max_length=20)
    note = TextField(default="")
    operator = CharField(max_length=60, default="")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("member", "created_at"), False),)


class MessageTemplate(BaseModel):
    """A message to copy into WeChat or SMS (话术), with placeholders such as {姓名}."""

    name = CharField(max_length=40)
    kind = CharField(max_length=20, default="")
    body = TextField()
    is_default = BooleanField(default=False)
    created_at = DateTimeField(default=now)


class MemberMonth(Model):
    """A member's purchases summed by month (kept by ``services.member_months``) for the dashboard."""

    member = ForeignKeyField(Member, on_delete="CASCADE")
    month = CharField(max_length=7)
    orders = IntegerField()
    paid_fen = BigIntegerField()
    first_month = BooleanField()

    class Meta:
        database = database_proxy
        legacy_table_names = False
        primary_key = CompositeKey("member", "month")


ALL_MODELS: list[type[Model]] = [
    SchemaVersion, Setting, Staff, Category, Member, Purchase, PurchaseItem, AuditLog,
    Tier, PointsEntry, PointsLot, PointsUse, TierChange, Gift, MemberMerge,
    CouponTemplate, CouponBatch, Coupon, Tag, MemberTag, SavedFilter,
    FollowupTask, ContactLog, MessageTemplate, MemberMonth,
]
