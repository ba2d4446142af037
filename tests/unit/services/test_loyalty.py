"""What a purchase does for loyalty: points spent as money, points earned (tier × birthday, no-earn
categories), replayed saves, refunds, visit and referral rewards; exact numbers, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.db.models import Member, PointsEntry, Purchase
from shopdesk.domain.points import PointsRules
from shopdesk.errors import ConflictError, ValidationError
from shopdesk.services import loyalty, points
from shopdesk.services.catalog import create_category
from shopdesk.services.members import MemberInput, create_member, get_member, update_member
from shopdesk.services.purchases import PurchaseInput, PurchaseItemInput, record_purchase, refund_purchase
from shopdesk.services.referrals import referees_of
from shopdesk.services.tiers import TierInput, list_tiers, save_tiers

T0 = dt.datetime(2024, 3, 1, 10, 0)
DAY = dt.timedelta(days=1)


@pytest.fixture
def member(db: object) -> int:
    return create_member(MemberInput(name="张三", phone="13800138000"))


def _rules(**fields: object) -> PointsRules:
    rules = PointsRules(**fields)  # type: ignore[arg-type]
    points.save_points_rules(rules)
    return rules


def _buy(member_id: int | None, fen: int | None, when: dt.datetime = T0, **fields: object) -> int:
    return record_purchase(PurchaseInput(member_id=member_id, amount_fen=fen, purchased_at=when, **fields))


def _balance(member_id: int) -> int:
    return Member.get_by_id(member_id).points_balance


def _ledger(member_id: int) -> list[tuple[str, int]]:
    """(kind, amount) of the member's ledger, oldest first."""
    return [(line.kind, line.amount) for line in reversed(points.list_ledger(member_id, limit=1000))]


def _entries(purchase_id: int) -> dict[str, int]:
    """The ledger keys a purchase wrote (``earn``, ``redeem``, ``refund_earn`` …) and their amounts."""
    prefix = f"purchase:{purchase_id}:"
    return {
        key[len(prefix) :]: amount
        for key, amount in PointsEntry.select(PointsEntry.key, PointsEntry.amount)
        .where(PointsEntry.key.startswith(prefix))
        .tuples()
    }


def _consistent(*member_ids: int) -> None:
    for member_id in member_ids:
        assert _balance(member_id) == points.ledger_sum(member_id)
        summary = points.points_summary(member_id, T0.date())
        assert sum(lot.remaining for lot in summary.lots) == max(summary.balance, 0)


# ---- earning -------------------------------------------------------------------------------------------


def test_earning_with_the_gold_tier_and_the_birthday_month(db: object) -> None:
    _rules(points_per_yuan=1, birthday_multiplier_percent=200)
    save_tiers([TierInput("Regular", 0), TierInput("Silver", 1000_00, 110), TierInput("Gold", 3000_00, 120)])
    gold = next(tier.id for tier in list_tiers() if tier.name == "Gold")
    member = create_member(MemberInput(name="王芳", phone="13800138001", birthday="1990-03-09"))
    plain = create_member(MemberInput(name="李四", phone="13800138002", birthday="1985-03-20"))

    first = _buy(member, 3000_00, dt.datetime(2024, 2, 10, 15, 0))  # February, no tier yet: 100 %
    assert _entries(first) == {"earn": 3000}
    assert Member.get_by_id(member).tier_id == gold  # the crossing purchase upgrades, earns at the old rate

    quoted = loyalty.quote(member, 128_50, when=dt.datetime(2024, 3, 5, 11, 0))
    assert (quoted.multiplier_percent, quoted.points_to_earn) == (240, 308)
    march = _buy(member, 128_50, dt.datetime(2024, 3, 5, 11, 0))  # Gold 120 % × birthday 200 % = 240 %
    assert _entries(march) == {"earn": 308}  # 128.50 × 2.4 = 308.4, rounded down
    april = _buy(member, 128_50, dt.datetime(2024, 4, 5, 11, 0))  # Gold only
    assert _entries(april) == {"earn": 154}  # 128.50 × 1.2 = 154.2
    assert _balance(member) == 3000 + 308 + 154

    birthday_only = _buy(plain, 128_50, dt.datetime(2024, 3, 5, 11, 0))
    assert _entries(birthday_only) == {"earn": 257}  # 128.50 × 2 = 257
    _consistent(member, plain)


def test_the_earn_rate_applies_per_whole_yuan_actually_paid(member: int) -> None:
    _rules(points_per_yuan=3)
    sale = _buy(member, 100_00, paid_fen=88_99)  # a discount at the counter: ¥88.99 × 3 = 266.97
    assert _entries(sale) == {"earn": 266}
    assert _entries(_buy(member, 33)) == {}  # ¥0.33 × 3 = 0.99 points: nothing, and no empty entry


def test_categories_that_earn_nothing_are_left_out_pro_rata(member: int) -> None:
    cream = create_category("面霜")
    tobacco = create_category("烟酒")
    _rules(no_earn_category_ids=frozenset({tobacco}))
    mixed = _buy(member, None, items=[PurchaseItemInput(80_00, cream), PurchaseItemInput(20_00, tobacco)])
    assert _entries(mixed) == {"earn": 80}
    only_tobacco = _buy(member, None, items=[PurchaseItemInput(20_00, tobacco)])
    assert _entries(only_tobacco) == {}
    _consistent(member)


@pytest.fixture
def rich(member: int) -> int:
    """A member with 10,000 points that never expire."""
    points.grant_opening_balance(member, 10_000, today=T0.date())
    return member


def test_the_categories_example_with_points(rich: int) -> None:
    cream = create_category("面霜")
    tobacco = create_category("烟酒")
    _rules(no_earn_category_ids=frozenset({tobacco}))
    # Points pay ¥20 of ¥100: ¥80 paid, of which 80 % earns: 64 points.
    sale = _buy(
        rich,
        None,
        items=[PurchaseItemInput(80_00, cream), PurchaseItemInput(20_00, tobacco)],
        points_to_use=2000,
    )
    assert _entries(sale) == {"redeem": -2000, "earn": 64}
    assert _balance(rich) == 10_000 - 2000 + 64


# ---- points as money -----------------------------------------------------------------------------------


def test_100_points_pay_one_yuan_up_to_half_the_sale_in_exact_fen(rich: int) -> None:
    quoted = loyalty.quote(rich, 99_99, points_to_use=99_999, when=T0)
    assert (quoted.usable_points, quoted.max_points) == (10_000, 4999)  # half of ¥99.99 is ¥49.99(5)
    assert (quoted.points_value_fen, quoted.payable_fen, quoted.points_to_earn) == (4999, 5000, 50)
    with pytest.raises(ConflictError, match="At most 4999 points"):
        _buy(rich, 99_99, points_to_use=5000)
    assert Purchase.select().count() == 0
    sale = _buy(rich, 99_99, points_to_use=4999)
    row = Purchase.get_by_id(sale)
    assert (row.amount_fen, row.points_used, row.points_discount_fen, row.paid_fen) == (
        9999,
        4999,
        4999,
        5000,
    )
    assert _entries(sale) == {"redeem": -4999, "earn": 50}
    assert _balance(rich) == 10_000 - 4999 + 50
    _consistent(rich)


def test_another_rate_still_takes_whole_fen(rich: int) -> None:
    _rules(redeem_points_per_yuan=50, redeem_cap_percent=30)  # 1 point = 2 fen
    sale = _buy(rich, 100_00, points_to_use=1500)  # the cap: 30 % of ¥100 = ¥30 = 1500 points
    row = Purchase.get_by_id(sale)
    assert (row.points_discount_fen, row.paid_fen) == (30_00, 70_00)
    with pytest.raises(ConflictError, match="At most 1500 points"):
        _buy(rich, 100_00, points_to_use=1501)


def test_a_sale_cannot_take_more_points_than_the_member_has(member: int) -> None:
    points.grant_opening_balance(member, 300, today=T0.date())
    with pytest.raises(ConflictError, match=r"At most 300 points can be used on this sale \(balance 300\)"):
        _buy(member, 100_00, points_to_use=301)
    assert _ledger(member) == [("opening", 300)]
    assert get_member(member).purchase_count == 0


def test_points_and_the_amount_paid_must_agree(rich: int) -> None:
    with pytest.raises(ValidationError, match="after discounts"):
        _buy(rich, 100_00, paid_fen=99_00, points_to_use=200)
    with pytest.raises(ValidationError):
        _buy(rich, 100_00, points_to_use=-1)
    with pytest.raises(ValidationError, match="walk-in"):
        _buy(None, 100_00, points_to_use=100)
    assert _ledger(rich) == [("opening", 10_000)]


# ---- each purchase credits once ------------------------------------------------------------------------


def test_saving_the_same_sale_twice_credits_and_debits_once(rich: int) -> None:
    data = PurchaseInput(
        member_id=rich, amount_fen=100_00, purchased_at=T0, uid="till1-0001", points_to_use=1000
    )
    first = record_purchase(data)
    again = record_purchase(data)
    assert first == again
    assert Purchase.select().count() == 1
    assert _entries(first) == {"redeem": -1000, "earn": 90}
    assert _balance(rich) == 10_000 - 1000 + 90
    assert get_member(rich).purchase_count == 1
    other = create_member(MemberInput(name="李四", phone="13900139000"))
    with pytest.raises(ConflictError, match="another customer"):
        record_purchase(PurchaseInput(member_id=other, amount_fen=100_00, purchased_at=T0, uid="till1-0001"))
    _consistent(rich, other)


def test_a_refund_reverses_exactly_what_was_earned_and_spent(rich: int) -> None:
    sale = _buy(rich, 100_00, points_to_use=500)  # ¥5 off, ¥95 paid: 95 points
    assert _balance(rich) == 10_000 - 500 + 95
    refund_purchase(sale, "wrong size")
    assert _entries(sale) == {"redeem": -500, "earn": 95, "refund_earn": -95, "refund_redeem": 500}
    assert _balance(rich) == 10_000
    lots = points.points_summary(rich, T0.date()).lots
    assert [(lot.original, lot.remaining) for lot in lots] == [(10_000, 10_000)]
    _consistent(rich)


def test_a_refund_is_refused_the_second_time(rich: int) -> None:
    sale = _buy(rich, 100_00, points_to_use=500)
    refund_purchase(sale)
    ledger = _ledger(rich)
    with pytest.raises(ConflictError, match="refunded already"):
        refund_purchase(sale)
    assert _ledger(rich) == ledger
    assert _balance(rich) == 10_000


# ---- visit reward --------------------------------------------------------------------------------------


def _visit_rewards(member_id: int) -> list[int | None]:
    """The purchases that paid a visit reward, oldest first."""
    return [
        row.purchase_id
        for row in PointsEntry.select()
        .where((PointsEntry.member == member_id) & (PointsEntry.kind == "visit_reward"))
        .order_by(PointsEntry.id)
    ]


def test_the_third_visit_within_30_days_is_rewarded_once(member: int) -> None:
    _rules(visit_reward_count=3, visit_reward_days=30, visit_reward_points=50)
    _buy(member, 10_00, T0)
    _buy(member, 10_00, T0 + 10 * DAY)
    third = _buy(member, 10_00, T0 + 20 * DAY)
    assert _visit_rewards(member) == [third]
    assert _balance(member) == 30 + 50
    _buy(member, 10_00, T0 + 25 * DAY)  # the fourth in the same 30 days
    _buy(member, 10_00, T0 + 35 * DAY)  # again three in 30 days (10, 20, 35), but the reward was paid
    assert _visit_rewards(member) == [third]
    # Much later, a new run of three visits earns a new reward.
    _buy(member, 10_00, T0 + 100 * DAY)
    _buy(member, 10_00, T0 + 105 * DAY)
    later = _buy(member, 10_00, T0 + 110 * DAY)
    assert _visit_rewards(member) == [third, later]
    assert _balance(member) == 8 * 10 + 2 * 50
    _consistent(member)


def test_refunded_visits_do_not_count(member: int) -> None:
    _rules(visit_reward_count=3, visit_reward_days=30, visit_reward_points=50)
    _buy(member, 10_00, T0)
    refund_purchase(_buy(member, 10_00, T0 + DAY))
    _buy(member, 10_00, T0 + 2 * DAY)
    assert _visit_rewards(member) == []
    fourth = _buy(member, 10_00, T0 + 3 * DAY)
    assert _visit_rewards(member) == [fourth]


def test_refunding_the_rewarded_visit_takes_the_reward_back_and_the_next_visit_earns_it(member: int) -> None:
    _rules(visit_reward_count=3, visit_reward_days=30, visit_reward_points=50)
    _buy(member, 10_00, T0)
    _buy(member, 10_00, T0 + DAY)
    third = _buy(member, 10_00, T0 + 2 * DAY)
    assert _balance(member) == 30 + 50
    refund_purchase(third, "returned")
    assert _ledger(member)[-2:] == [("refund", -10), ("refund", -50)]
    assert _balance(member) == 20
    again = _buy(member, 10_00, T0 + 3 * DAY)  # the third live visit in the window again
    assert _visit_rewards(member) == [third, again]
    assert _balance(member) == 30 + 50
    _consistent(member)


def test_no_visit_reward_while_it_is_switched_off(member: int) -> None:
    _rules(visit_reward_count=3, visit_reward_days=30, visit_reward_points=0)
    for day in range(4):
        _buy(member, 10_00, T0 + day * DAY)
    assert _visit_rewards(member) == []


# ---- referral reward -----------------------------------------------------------------------------------


def test_a_referral_is_rewarded_once_on_the_referees_first_purchase(db: object) -> None:
    _rules(referrer_points=100, referee_points=50)
    referrer = create_member(MemberInput(name="李四", phone="13900139000"))
    referee = create_member(MemberInput(name="王五", phone="13700137000", referrer_id=referrer))
    assert _ledger(referrer) == []
    first = _buy(referee, 10_00)
    assert _ledger(referee) == [("earn", 10), ("referral", 50)]
    assert _ledger(referrer) == [("referral", 100)]
    assert PointsEntry.get(PointsEntry.key == f"referral:{referee}:referrer").purchase_id == first
    _buy(referee, 10_00, T0 + DAY)
    refund_purchase(first)
    _buy(referee, 10_00, T0 + 2 * DAY)  # first live purchase again, but the referral was rewarded
    assert _balance(referrer) == 100
    assert [kind for kind, _ in _ledger(referee)].count("referral") == 1
    assert [(view.member_id, view.reward_points) for view in referees_of(referrer)] == [(referee, 100)]
    _consistent(referrer, referee)


def test_a_second_referee_earns_the_referrer_a_second_reward(db: object) -> None:
    _rules(referrer_points=100, referee_points=0)
    referrer = create_member(MemberInput(name="李四", phone="13900139000"))
    one = create_member(MemberInput(name="王五", phone="13700137000", referrer_id=referrer))
    two = create_member(MemberInput(name="赵六", phone="13600136000", referrer_id=referrer))
    _buy(one, 10_00)
    _buy(two, 10_00)
    assert _ledger(referrer) == [("referral", 100), ("referral", 100)]
    assert _ledger(two) == [("earn", 10)]


def test_a_referrer_named_after_the_first_purchase_is_not_rewarded(db: object) -> None:
    _rules(referrer_points=100, referee_points=50)
    referrer = create_member(MemberInput(name="李四", phone="13900139000"))
    late = create_member(MemberInput(name="王五", phone="13700137000"))
    _buy(late, 10_00)
    data = MemberInput(name="王五", phone="13700137000", referrer_id=referrer)
    update_member(late, data)
    _buy(late, 10_00, T0 + DAY)
    assert _ledger(referrer) == []
    assert _ledger(late) == [("earn", 10), ("earn", 10)]
