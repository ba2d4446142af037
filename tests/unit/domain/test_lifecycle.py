"""Lifecycle stages on hand-built members: every boundary, the precedence, and the derived defaults."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.domain.lifecycle import (
    D1_RANGE,
    D2_RANGE,
    MIN_RHYTHM_MEMBERS,
    SHOP_TYPE_PRESETS,
    Lifecycle,
    LifecycleRules,
    classify,
    days_between,
    derive_rules,
    is_overdue,
    lifecycle_label,
)

TODAY = dt.date(2026, 11, 23)
RULES = LifecycleRules(
    new_days=30, dormant_factor_percent=200, min_dormant_days=7, single_dormant_days=60, lost_days=180
)


def ago(days: int, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=days), dt.time(hour))


def stage(
    first_days: int | None, last_days: int | None, interval: int | None = None, rules: LifecycleRules = RULES
) -> Lifecycle:
    first = None if first_days is None else ago(first_days)
    last = None if last_days is None else ago(last_days)
    return classify(first, last, interval, TODAY, rules)


def test_no_purchase_is_a_prospect() -> None:
    assert stage(None, None) is Lifecycle.PROSPECT


def test_new_means_first_purchase_fewer_than_new_days_ago() -> None:
    assert stage(0, 0) is Lifecycle.NEW
    assert stage(29, 29) is Lifecycle.NEW
    assert stage(30, 30) is Lifecycle.ACTIVE


def test_new_wins_over_overdue_but_not_over_lost() -> None:
    assert stage(29, 20, interval=1) is Lifecycle.NEW
    odd = LifecycleRules(new_days=400, single_dormant_days=60, lost_days=180)
    assert stage(200, 181, rules=odd) is Lifecycle.LOST


def test_one_purchase_day_is_dormant_after_d1() -> None:
    assert stage(60, 60) is Lifecycle.ACTIVE
    assert stage(61, 61) is Lifecycle.DORMANT


def test_lost_after_d2_whatever_the_rhythm() -> None:
    assert stage(400, 180, interval=100) is Lifecycle.ACTIVE
    assert stage(400, 181, interval=100) is Lifecycle.LOST
    assert stage(400, 181) is Lifecycle.LOST


def test_rhythm_member_is_dormant_past_twice_their_interval() -> None:
    assert stage(300, 40, interval=20) is Lifecycle.ACTIVE
    assert stage(300, 41, interval=20) is Lifecycle.DORMANT
    # A slow rhythm keeps a member active well past D1.
    assert stage(300, 100, interval=50) is Lifecycle.ACTIVE
    assert stage(300, 101, interval=50) is Lifecycle.DORMANT


def test_a_fractional_factor_compares_in_whole_numbers() -> None:
    rules = LifecycleRules(dormant_factor_percent=150)
    assert stage(300, 22, interval=15, rules=rules) is Lifecycle.ACTIVE  # 22 * 100 = 2200 < 2250
    assert stage(300, 23, interval=15, rules=rules) is Lifecycle.DORMANT


def test_a_daily_regular_is_not_dormant_after_a_short_break() -> None:
    assert stage(300, 7, interval=1) is Lifecycle.ACTIVE  # 7 days is not more than min_dormant_days
    assert stage(300, 8, interval=1) is Lifecycle.DORMANT


def test_days_are_calendar_days_not_hours() -> None:
    late_yesterday = dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(23, 59))
    assert days_between(late_yesterday, TODAY) == 1
    assert days_between(TODAY, TODAY) == 0
    assert classify(ago(61, hour=23), ago(61, hour=23), None, TODAY, RULES) is Lifecycle.DORMANT
    assert classify(TODAY - dt.timedelta(days=61), TODAY - dt.timedelta(days=61), None, TODAY, RULES) is (
        Lifecycle.DORMANT
    )


def test_is_overdue_alone() -> None:
    assert not is_overdue(60, None, RULES)
    assert is_overdue(61, None, RULES)
    assert not is_overdue(40, 20, RULES)
    assert is_overdue(41, 20, RULES)


def test_derived_rules_follow_the_shop_median_and_are_clamped() -> None:
    assert derive_rules("cosmetics", 45, MIN_RHYTHM_MEMBERS) == LifecycleRules(
        single_dormant_days=90, lost_days=270
    )
    assert derive_rules("bakery", 2, 1000).single_dormant_days == D1_RANGE[0]
    assert derive_rules("bakery", 2, 1000).lost_days == D2_RANGE[0]
    assert derive_rules(None, 400, 1000).single_dormant_days == D1_RANGE[1]
    assert derive_rules(None, 400, 1000).lost_days == D2_RANGE[1]


def test_too_few_repeat_customers_use_the_shop_type_preset() -> None:
    assert derive_rules("bakery", 45, MIN_RHYTHM_MEMBERS - 1) == SHOP_TYPE_PRESETS["bakery"]
    assert derive_rules("pharmacy", None, 0) == SHOP_TYPE_PRESETS["pharmacy"]
    assert derive_rules("unknown", None, 0) == LifecycleRules()
    assert set(SHOP_TYPE_PRESETS) == {"bakery", "tea", "cosmetics", "pharmacy", "clothing"}
    for preset in SHOP_TYPE_PRESETS.values():
        assert preset.lost_days > preset.single_dormant_days


def test_rules_round_trip_and_overrides() -> None:
    rules = LifecycleRules(single_dormant_days=21, lost_days=60)
    assert LifecycleRules.from_dict(rules.as_dict()) == rules
    assert LifecycleRules.from_dict({"lost_days": "90", "future_key": 1}) == LifecycleRules(lost_days=90)
    assert rules.with_overrides({"lost_days": 100, "single_dormant_days": None}) == LifecycleRules(
        single_dormant_days=21, lost_days=100
    )


@pytest.mark.parametrize("value", [stage.value for stage in Lifecycle])
def test_every_stage_has_a_label(value: str) -> None:
    assert lifecycle_label(value)
    assert lifecycle_label(value) != value


def test_label_of_nothing_or_unknown() -> None:
    assert lifecycle_label(None) == ""
    assert lifecycle_label("zombie") == "zombie"
