"""The points ledger through the services: lots, spend order, refusals, debt, expiry, holding, gifts,
adjustments and idempotent keys; worked examples with exact numbers, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import IntegrityError

from shopdesk.db.models import AuditLog, Gift, Member, PointsEntry, PointsLot, PointsUse
from shopdesk.domain.points import EntryKind, ExpiryPolicy, PointsRules
from shopdesk.errors import ConflictError, NotFoundError, ValidationError
from shopdesk.services import points
from shopdesk.services.gifts import GiftInput, create_gift
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.purchases import PurchaseInput, record_purchase, refund_purchase
from shopdesk.services.transactions import atomic

T0 = dt.datetime(2024, 3, 1, 10, 0)
D0 = T0.date()
DAY = dt.timedelta(days=1)


@pytest.fixture
def member(db: object) -> int:
    return create_member(MemberInput(name="张三", phone="13800138000"))


def _rules(**fields: object) -> PointsRules:
    rules = PointsRules(**fields)  # type: ignore[arg-type]
    points.save_points_rules(rules)
    return rules


def _buy(member_id: int, fen: int, when: dt.datetime = T0, **fields: object) -> int:
    return record_purchase(PurchaseInput(member_id=member_id, amount_fen=fen, purchased_at=when, **fields))


def _balance(member_id: int) -> int:
    return Member.get_by_id(member_id).points_balance


def _lots(member_id: int) -> list[tuple[dt.date | None, int]]:
    """(expires_on, remaining) of every lot still holding points, in spend order."""
    return [(lot.expires_on, lot.remaining) for lot in points.points_summary(member_id, D0).lots]


def _kinds(member_id: int) -> list[tuple[str, int]]:
    """(kind, amount) of the member's ledger, oldest first."""
    return [(line.kind, line.amount) for line in reversed(points.list_ledger(member_id, limit=1000))]


def _assert_consistent(member_id: int) -> None:
    balance = _balance(member_id)
    assert balance == points.ledger_sum(member_id)
    lots = list(PointsLot.select().where(PointsLot.member == member_id))
    assert all(lot.remaining >= 0 for lot in lots)
    assert sum(lot.remaining for lot in lots) == max(balance, 0)


# ---- rules ---------------------------------------------------------------------------------------------


def test_rules_default_until_saved_and_round_trip(db: object) -> None:
    assert points.points_rules() == PointsRules()
    rules = _rules(
        points_per_yuan=2,
        no_earn_category_ids=frozenset({7, 3}),
        expiry=ExpiryPolicy.END_OF_NEXT_YEAR,
        holding_days=7,
        visit_reward_count=3,
        visit_reward_points=50,
    )
    assert points.points_rules() == rules


@pytest.mark.parametrize(
    "fields",
    [
        {"points_per_yuan": -1},
        {"redeem_points_per_yuan": -100},
        {"redeem_cap_percent": 101},
        {"redeem_cap_percent": -1},
        {"holding_days": -1},
        {"expiry_n": -1},
    ],
)
def test_impossible_rules_are_refused(db: object, fields: dict) -> None:
    with pytest.raises(ValidationError):
        points.save_points_rules(PointsRules(**fields))
    assert points.points_rules() == PointsRules()


# ---- spending order ------------------------------------------------------------------------------------


def test_redemption_takes_the_lot_expiring_soonest_first_and_never_expiring_lots_last(member: int) -> None:
    _rules(expiry=ExpiryPolicy.NEVER)
    points.grant_opening_balance(member, 100, today=D0)  # never expires
    _rules(expiry=ExpiryPolicy.MONTHS, expiry_n=12)
    _buy(member, 100_00, T0)  # 100 points until 2025-03-01
    _rules(expiry=ExpiryPolicy.DAYS, expiry_n=30)
    _buy(member, 200_00, T0 + 10 * DAY)  # 200 points until 2024-04-10: earned later, expires sooner
    assert _lots(member) == [(dt.date(2024, 4, 10), 200), (dt.date(2025, 3, 1), 100), (None, 100)]

    gift = create_gift(GiftInput("保温杯", points_cost=250))
    assert points.redeem_gift(member, gift, today=D0 + 20 * DAY) == 150
    assert _lots(member) == [(dt.date(2025, 3, 1), 50), (None, 100)]
    entry = PointsEntry.get(PointsEntry.kind == "gift")
    taken = {use.lot.expires_on: use.amount for use in PointsUse.select().where(PointsUse.entry == entry)}
    assert taken == {dt.date(2024, 4, 10): 200, dt.date(2025, 3, 1): 50}

    assert points.adjust_points(member, -100, "broken cup replaced", today=D0 + 21 * DAY) == 50
    assert _lots(member) == [(None, 50)]
    _assert_consistent(member)


def test_over_redemption_is_refused_never_clamped(member: int) -> None:
    points.grant_opening_balance(member, 100, today=D0)
    before = _kinds(member)
    with pytest.raises(ConflictError, match="Only 100 points can be used now"):
        points.adjust_points(member, -101, "too many", today=D0)
    gift = create_gift(GiftInput("围巾", points_cost=60, stock=5))
    with pytest.raises(ConflictError):
        points.redeem_gift(member, gift, 2, today=D0)
    assert _kinds(member) == before
    assert _balance(member) == 100
    assert Gift.get_by_id(gift).stock == 5
    assert points.adjust_points(member, -100, "all of them", today=D0) == 0
    with pytest.raises(ConflictError, match="not positive"):
        points.adjust_points(member, -1, "one more", today=D0)
    _assert_consistent(member)


def test_a_refund_of_spent_points_leaves_a_debt_that_blocks_redemption_and_is_paid_first(
    member: int,
) -> None:
    first = _buy(member, 100_00)  # earns 100
    gift = create_gift(GiftInput("发夹", points_cost=80))
    assert points.redeem_gift(member, gift, today=D0) == 20
    refund_purchase(first, "returned")  # takes back 100: 20 from the lot, 80 become a debt
    assert _balance(member) == -80
    assert _lots(member) == []
    assert points.points_summary(member, D0).usable == 0
    with pytest.raises(ConflictError, match="not positive"):
        points.adjust_points(member, -1, "try", today=D0)
    with pytest.raises(ConflictError):
        points.redeem_gift(member, gift, today=D0)
    with pytest.raises(ConflictError):
        _buy(member, 10_00, T0 + DAY, points_to_use=1)

    _buy(member, 50_00, T0 + 2 * DAY)  # 50 points pay off part of the debt, no lot
    assert _balance(member) == -30
    assert _lots(member) == []
    points.adjust_points(member, 100, "apology", today=D0 + 3 * DAY)  # 30 pay the rest, 70 into a lot
    assert _balance(member) == 70
    assert _lots(member) == [(None, 70)]
    assert _kinds(member) == [
        ("earn", 100),
        ("gift", -80),
        ("refund", -100),
        ("earn", 50),
        ("adjust", 100),
    ]
    _assert_consistent(member)


# ---- expiry --------------------------------------------------------------------------------------------


def test_expiry_takes_only_lots_past_their_last_day_and_is_idempotent(member: int) -> None:
    _rules(expiry=ExpiryPolicy.DAYS, expiry_n=30)
    _buy(member, 100_00, T0)  # until 2024-03-31
    _buy(member, 40_00, T0 + 20 * DAY)  # until 2024-04-20
    assert points.run_expiry(dt.date(2024, 3, 31)) == 0  # the last day is still a usable day
    assert _balance(member) == 140
    assert points.run_expiry(dt.date(2024, 4, 1)) == 100
    assert _balance(member) == 40
    assert _lots(member) == [(dt.date(2024, 4, 20), 40)]
    entries = PointsEntry.select().count()
    assert points.run_expiry(dt.date(2024, 4, 1)) == 0
    assert points.run_expiry(dt.date(2024, 4, 20)) == 0
    assert PointsEntry.select().count() == entries
    assert _kinds(member)[-1] == ("expire", -100)
    _assert_consistent(member)


def test_expiry_of_a_partly_spent_lot_takes_what_is_left(member: int) -> None:
    _rules(expiry=ExpiryPolicy.END_OF_MONTH)
    _buy(member, 100_00, T0)
    points.adjust_points(member, -30, "used at the counter", today=D0)
    assert points.run_expiry(dt.date(2024, 4, 1)) == 70
    assert _balance(member) == 0
    _assert_consistent(member)


def test_points_given_back_to_an_expired_lot_expire_again(member: int) -> None:
    """A refund returns spent points to their lot; if that lot has expired meanwhile, the next expiry
    run takes them again (it used to fail on the expire entry's unique key)."""
    _rules(expiry=ExpiryPolicy.DAYS, expiry_n=10)
    _buy(member, 100_00, T0)  # 100 points until 2024-03-11
    small = _buy(member, 1_00, T0 + DAY, points_to_use=50)  # ¥0.50 off, ¥0.50 paid: earns nothing
    assert _balance(member) == 50
    assert points.run_expiry(dt.date(2024, 3, 12)) == 50
    refund_purchase(small)
    assert _balance(member) == 50
    assert points.run_expiry(dt.date(2024, 3, 13)) == 50
    assert _balance(member) == 0
    assert points.run_expiry(dt.date(2024, 3, 13)) == 0
    assert [kind for kind, _ in _kinds(member)] == ["earn", "redeem", "expire", "refund", "expire"]
    _assert_consistent(member)


def test_expiry_covers_every_member(db: object) -> None:
    _rules(expiry=ExpiryPolicy.DAYS, expiry_n=1)
    members = [create_member(MemberInput(name=f"会员{i}", phone=f"1380013{i:04d}")) for i in range(40)]
    for number, member_id in enumerate(members):
        points.adjust_points(member_id, number + 1, "welcome", today=D0)
    assert points.run_expiry(D0 + 5 * DAY) == sum(range(1, 41))
    assert Member.select().where(Member.points_balance != 0).count() == 0
    assert points.run_expiry(D0 + 5 * DAY) == 0


# ---- holding period ------------------------------------------------------------------------------------


def test_fresh_points_are_held_until_the_holding_period_is_over(member: int) -> None:
    _rules(holding_days=7)
    points.grant_opening_balance(member, 20, today=D0)  # not from a purchase: usable at once
    _buy(member, 100_00, T0)
    summary = points.points_summary(member, D0)
    assert (summary.balance, summary.usable, summary.held) == (120, 20, 100)
    assert points.points_summary(member, D0 + 6 * DAY).usable == 20
    with pytest.raises(ConflictError, match="Only 20 points"):
        points.adjust_points(member, -21, "too early", today=D0 + 6 * DAY)
    with pytest.raises(ConflictError):
        _buy(member, 100_00, T0 + 3 * DAY, points_to_use=21)
    summary = points.points_summary(member, D0 + 7 * DAY)
    assert (summary.usable, summary.held) == (120, 0)
    assert points.adjust_points(member, -120, "now it is fine", today=D0 + 7 * DAY) == 0
    _assert_consistent(member)


# ---- idempotent keys -----------------------------------------------------------------------------------


def test_earning_or_spending_again_for_the_same_purchase_changes_nothing(member: int) -> None:
    points.grant_opening_balance(member, 1000, today=D0)
    purchase = _buy(member, 100_00, T0, points_to_use=300)  # ¥3 off, ¥97 paid: earns 97
    assert _balance(member) == 1000 - 300 + 97
    rules = points.points_rules()
    with atomic():
        row = points.lock_member(member)
        points.earn_for_purchase(row, purchase, 97, T0, rules, "replay")
        points.earn_for_purchase(row, purchase, 500, T0, rules, "replay with another figure")
        points.spend_for_purchase(row, purchase, 300, T0, "replay")
    assert _balance(member) == 797
    assert _kinds(member) == [("opening", 1000), ("redeem", -300), ("earn", 97)]
    _assert_consistent(member)


def test_the_ledger_refuses_a_second_entry_with_the_same_key(member: int) -> None:
    purchase = _buy(member, 100_00)
    with pytest.raises(IntegrityError), atomic():
        PointsEntry.create(
            member=member, kind="earn", amount=100, balance_after=200, key=f"purchase:{purchase}:earn"
        )
    assert _balance(member) == 100
    _assert_consistent(member)


def test_reversing_a_purchase_twice_reverses_it_once(member: int) -> None:
    points.grant_opening_balance(member, 1000, today=D0)
    purchase = _buy(member, 100_00, T0, points_to_use=300)
    with atomic():
        row = points.lock_member(member)
        points.reverse_purchase(row, purchase, D0, "")
        points.reverse_purchase(row, purchase, D0, "")
    assert _balance(member) == 1000
    assert _kinds(member) == [
        ("opening", 1000),
        ("redeem", -300),
        ("earn", 97),
        ("refund", -97),
        ("refund", 300),
    ]
    _assert_consistent(member)


def test_the_opening_balance_is_granted_once(member: int) -> None:
    points.grant_opening_balance(member, 500, reason="old card", today=D0)
    points.grant_opening_balance(member, 500, reason="imported twice", today=D0)
    points.grant_opening_balance(member, 0)
    assert _kinds(member) == [("opening", 500)]
    assert points.list_ledger(member)[0].reason == "old card"


# ---- adjustments and gifts -----------------------------------------------------------------------------


def test_an_adjustment_needs_a_reason_and_an_amount(member: int) -> None:
    with pytest.raises(ValidationError, match="reason"):
        points.adjust_points(member, 10, "   ")
    with pytest.raises(ValidationError):
        points.adjust_points(member, 0, "nothing")
    with pytest.raises(ValidationError):
        points.adjust_points(member, points.MAX_ADJUST + 1, "far too many")
    with pytest.raises(NotFoundError):
        points.adjust_points(member + 99, 10, "nobody")
    assert _kinds(member) == []


def test_an_adjustment_is_a_ledger_line_with_its_reason_and_an_audit_record(member: int) -> None:
    _rules(expiry=ExpiryPolicy.END_OF_NEXT_YEAR)
    assert points.adjust_points(member, 30, " birthday gift ", operator="店长", today=D0) == 30
    line = points.list_ledger(member)[0]
    assert (line.kind, line.amount, line.balance_after, line.operator, line.reason) == (
        "adjust",
        30,
        30,
        "店长",
        "birthday gift",
    )
    assert _lots(member) == [(dt.date(2025, 12, 31), 30)]
    assert AuditLog.select().where(AuditLog.action == "points.adjust").count() == 1
    assert points.adjust_points(member, -10, "typo", today=D0) == 20
    _assert_consistent(member)


def test_a_gift_costs_its_points_times_the_quantity_and_takes_stock(member: int) -> None:
    points.grant_opening_balance(member, 1000, today=D0)
    mug = create_gift(GiftInput("马克杯", points_cost=300, stock=2))
    assert points.redeem_gift(member, mug, 2, operator="小叶", today=D0) == 400
    assert Gift.get_by_id(mug).stock == 0
    line = points.list_ledger(member)[0]
    assert (line.kind, line.amount, line.reason, line.operator) == ("gift", -600, "马克杯 × 2", "小叶")
    with pytest.raises(ConflictError, match="stock"):
        points.redeem_gift(member, mug, today=D0)
    with pytest.raises(ValidationError):
        points.redeem_gift(member, mug, 0, today=D0)
    hidden = create_gift(GiftInput("旧款", points_cost=10, active=False))
    with pytest.raises(NotFoundError):
        points.redeem_gift(member, hidden, today=D0)
    assert _balance(member) == 400
    _assert_consistent(member)


# ---- reading -------------------------------------------------------------------------------------------


def test_the_summary_shows_every_lot_and_what_expires_within_30_days(member: int) -> None:
    _rules(expiry=ExpiryPolicy.DAYS, expiry_n=40, holding_days=3)
    _buy(member, 100_00, T0)  # until 04-10, held until 03-04
    _buy(member, 50_00, T0 + 20 * DAY)  # until 04-30, held until 03-24
    summary = points.points_summary(member, dt.date(2024, 3, 22))
    assert (summary.balance, summary.usable, summary.held) == (150, 100, 50)
    assert summary.expiring_soon == 100  # 04-10 is within 30 days of 03-22, 04-30 is not
    assert summary.next_expiry == dt.date(2024, 4, 10)
    assert [
        (lot.earned_on, lot.available_from, lot.expires_on, lot.original, lot.remaining)
        for lot in summary.lots
    ] == [
        (D0, dt.date(2024, 3, 4), dt.date(2024, 4, 10), 100, 100),
        (dt.date(2024, 3, 21), dt.date(2024, 3, 24), dt.date(2024, 4, 30), 50, 50),
    ]


def test_the_ledger_pages_newest_first_and_filters_by_kind(member: int) -> None:
    for number in range(1, 6):
        points.adjust_points(member, number, f"step {number}", today=D0)
    _buy(member, 10_00)
    first = points.list_ledger(member, limit=4)
    assert [line.amount for line in first] == [10, 5, 4, 3]
    rest = points.list_ledger(member, before_id=first[-1].id, limit=4)
    assert [line.amount for line in rest] == [2, 1]
    assert [line.balance_after for line in rest] == [3, 1]
    assert [line.amount for line in points.list_ledger(member, kinds=[EntryKind.EARN.value])] == [10]
    assert points.ledger_sum(member) == 25
