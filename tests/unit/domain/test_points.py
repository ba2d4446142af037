"""Worked examples for the points rules: earning, multipliers, expiry dates, lot allocation, tiers."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.domain.points import (
    ExpiryPolicy,
    Lot,
    PointsRules,
    Tier,
    add_months,
    allocate,
    combined_multiplier,
    earned_points,
    lot_expiry,
    max_redeemable_points,
    points_value_fen,
    tier_progress,
    usable_balance,
    visit_reward_due,
)

D = dt.date


def test_earning_rounds_down_to_whole_points() -> None:
    rules = PointsRules(points_per_yuan=1)
    assert earned_points(12_899, rules) == 128  # ¥128.99 earns 128
    assert earned_points(99, rules) == 0
    assert earned_points(0, rules) == 0


def test_tier_and_birthday_multipliers_compound() -> None:
    rules = PointsRules(points_per_yuan=2, birthday_multiplier_percent=200)
    multiplier = combined_multiplier(150, True, rules)
    assert multiplier == 300
    assert earned_points(10_050, rules, multiplier) == 603  # ¥100.50 × 2 × 3 = 603
    assert combined_multiplier(150, False, rules) == 150


@pytest.mark.parametrize(
    ("policy", "n", "earned", "expected"),
    [
        (ExpiryPolicy.NEVER, 0, D(2025, 3, 1), None),
        (ExpiryPolicy.DAYS, 30, D(2025, 3, 1), D(2025, 3, 31)),
        (ExpiryPolicy.MONTHS, 1, D(2025, 1, 31), D(2025, 2, 28)),
        (ExpiryPolicy.MONTHS, 12, D(2024, 2, 29), D(2025, 2, 28)),
        (ExpiryPolicy.END_OF_MONTH, 0, D(2024, 2, 10), D(2024, 2, 29)),
        (ExpiryPolicy.END_OF_NEXT_YEAR, 0, D(2025, 1, 1), D(2026, 12, 31)),
    ],
)
def test_lot_expiry(policy: ExpiryPolicy, n: int, earned: dt.date, expected: dt.date | None) -> None:
    assert lot_expiry(earned, PointsRules(expiry=policy, expiry_n=n)) == expected


def test_add_months_crosses_years() -> None:
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)


def test_spending_takes_soonest_expiry_first_and_never_expiring_last() -> None:
    lots = [
        Lot(1, 100, None),
        Lot(2, 50, D(2025, 12, 31)),
        Lot(3, 30, D(2025, 6, 30)),
    ]
    assert allocate(lots, 60, D(2025, 5, 1)) == [(3, 30), (2, 30)]
    assert allocate(lots, 150, D(2025, 5, 1)) == [(3, 30), (2, 50), (1, 70)]


def test_expired_and_held_lots_cannot_be_spent() -> None:
    lots = [
        Lot(1, 100, D(2025, 4, 30)),  # expired
        Lot(2, 40, None, available_from=D(2025, 5, 10)),  # still held
        Lot(3, 10, None),
    ]
    today = D(2025, 5, 1)
    assert usable_balance(lots, today) == 10
    with pytest.raises(ValueError):
        allocate(lots, 11, today)
    assert allocate(lots, 50, D(2025, 5, 10)) == [(2, 40), (3, 10)]
    assert usable_balance(lots, D(2025, 5, 10)) == 50


def test_redemption_value_and_cap() -> None:
    rules = PointsRules(redeem_points_per_yuan=100, redeem_cap_percent=50)
    assert points_value_fen(250, rules) == 250  # 250 points = ¥2.50
    # a ¥30 sale may take at most ¥15 = 1500 points; the balance limits further
    assert max_redeemable_points(3_000, 5_000, rules) == 1_500
    assert max_redeemable_points(3_000, 900, rules) == 900
    assert max_redeemable_points(3_000, 900, PointsRules(redeem_points_per_yuan=0)) == 0


def test_tier_progress_says_how_much_more_to_spend() -> None:
    tiers = [Tier(1, "普通", 0), Tier(2, "银卡", 100_000), Tier(3, "金卡", 300_000, 150)]
    progress = tier_progress(tiers, 268_000)
    assert progress.current.name == "银卡"
    assert progress.next.name == "金卡"
    assert progress.missing_fen == 32_000
    top = tier_progress(tiers, 500_000)
    assert top.current.name == "金卡" and top.next is None and top.missing_fen == 0


def test_third_visit_in_thirty_days_is_rewarded_once() -> None:
    rules = PointsRules(visit_reward_count=3, visit_reward_days=30, visit_reward_points=50)
    t = dt.datetime(2025, 5, 1, 10)
    visits = [t, t + dt.timedelta(days=10)]
    assert not visit_reward_due(visits, rules)
    visits.append(t + dt.timedelta(days=20))
    assert visit_reward_due(visits, rules)
    visits.append(t + dt.timedelta(days=25))  # the fourth visit in the window does not pay again
    assert not visit_reward_due(visits, rules)
    assert not visit_reward_due([t, t + dt.timedelta(days=40), t + dt.timedelta(days=45)], rules)


def test_rules_round_trip_through_settings() -> None:
    rules = PointsRules(points_per_yuan=3, no_earn_category_ids=frozenset({4, 2}), expiry=ExpiryPolicy.DAYS)
    assert PointsRules.from_dict(rules.as_dict()) == rules
    assert PointsRules.from_dict({"unknown": 1}) == PointsRules()
