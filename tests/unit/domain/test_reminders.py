"""Expected next purchase, due window, score and reason: the model's shape, its maths against a simulation,
its agreement with the lifecycle rules, and the sentences the shopkeeper reads."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopdesk.domain import reminders
from shopdesk.domain.lifecycle import Lifecycle, LifecycleRules, classify
from shopdesk.domain.reminders import (
    MemberRhythm,
    ReminderKind,
    dropout_probability,
    explain,
    forecast,
    gap_model,
    purchase_probability,
    reason_text,
    stage_of,
)

TODAY = dt.date(2026, 5, 20)
RULES = LifecycleRules()
SHOP_GAP = 30


def _rhythm(since: int, visits: int = 5, interval: int | None = 30, cycle: int | None = None,
            category: str = "", age: int | None = None) -> MemberRhythm:
    last = TODAY - dt.timedelta(days=since)
    first = TODAY - dt.timedelta(days=age if age is not None else since + (visits - 1) * (interval or 0) + 1)
    return MemberRhythm(last, first, visits, interval, cycle, category)


# ---- the expected gap ----------------------------------------------------------------------------------


def test_a_member_who_bought_once_is_expected_after_the_cycle_of_what_they_bought() -> None:
    assert gap_model(1, None, 45, SHOP_GAP).expected_days == 45
    assert gap_model(1, None, None, SHOP_GAP).expected_days == SHOP_GAP


def test_a_long_history_speaks_for_itself_and_a_short_one_leans_on_the_cycle() -> None:
    short = gap_model(2, 20, 60, SHOP_GAP)  # one gap of 20 days, last bought a 60-day product
    assert 20 < short.gap < 60
    assert short.gap == pytest.approx(math.sqrt(20 * 60))  # one gap and the cycle weigh the same
    long = gap_model(12, 20, 60, SHOP_GAP)
    assert long.gap == pytest.approx(20)


def test_the_more_gaps_seen_the_narrower_the_due_window() -> None:
    widths = [gap_model(visits, 30, None, SHOP_GAP) for visits in (2, 3, 6, 20)]
    sigmas = [model.sigma for model in widths]
    assert sigmas == sorted(sigmas, reverse=True)
    assert widths[0].window_high - widths[0].window_low > widths[-1].window_high - widths[-1].window_low
    for model in widths:
        assert model.window_low <= model.expected_days <= model.window_high


def test_members_who_keep_coming_back_are_less_likely_to_have_left() -> None:
    chances = [dropout_probability(visits) for visits in (1, 2, 5, 20, 100)]
    assert chances == sorted(chances, reverse=True)
    assert 0 < chances[-1] < chances[0] < 1


# ---- the score -----------------------------------------------------------------------------------------


def test_the_score_rises_towards_the_due_date_then_fades_as_the_member_stays_away() -> None:
    model = gap_model(8, 30, None, SHOP_GAP)
    scores = [purchase_probability(since, 7, model) for since in range(0, 200)]
    peak = max(range(200), key=scores.__getitem__)
    assert 20 <= peak <= 40
    assert scores[1] < 0.01  # bought yesterday: not due for weeks
    assert scores[150] < scores[peak] / 3  # five months on: more likely gone than due
    assert all(0.0 <= score <= 1.0 for score in scores)


def test_a_longer_horizon_never_lowers_the_score() -> None:
    model = gap_model(4, 20, 45, SHOP_GAP)
    for since in (0, 10, 25, 60):
        scores = [purchase_probability(since, horizon, model) for horizon in (1, 7, 30, 90)]
        assert scores == sorted(scores)


@pytest.mark.parametrize(("since", "horizon"), [(10, 14), (28, 7), (45, 30)])
def test_the_score_is_the_probability_the_model_describes(since: int, horizon: int) -> None:
    """Simulate the model itself: a member who may leave after a purchase, with a log-normal next gap.
    Among those who have not bought for ``since`` days, the share who buy in the horizon is the score."""
    model = gap_model(4, 25, None, SHOP_GAP)
    rng = random.Random(7)
    waiting = bought = 0
    for _trial in range(200_000):
        left = rng.random() < model.dropout
        gap = math.inf if left else model.gap * math.exp(rng.gauss(0.0, model.sigma))
        if gap <= since - 0.5:
            continue  # would have bought already: not a member in this situation
        waiting += 1
        bought += gap <= since + horizon - 0.5
    assert purchase_probability(since, horizon, model) == pytest.approx(bought / waiting, abs=0.01)


# ---- stage and kind ------------------------------------------------------------------------------------


@given(
    since=st.integers(0, 800),
    extra=st.integers(0, 800),
    interval=st.one_of(st.none(), st.integers(1, 400)),
    d1=st.integers(7, 200),
    factor=st.integers(100, 400),
)
def test_the_fast_stage_agrees_with_the_lifecycle_rules(
    since: int, extra: int, interval: int | None, d1: int, factor: int
) -> None:
    rules = LifecycleRules(single_dormant_days=d1, dormant_factor_percent=factor, lost_days=d1 * 3)
    last = TODAY - dt.timedelta(days=since)
    first = last - dt.timedelta(days=extra)
    assert stage_of(since, since + extra, interval, rules) is classify(first, last, interval, TODAY, rules)


def test_long_overdue_members_are_won_back_not_reminded() -> None:
    due = forecast(_rhythm(30, visits=6, interval=30), TODAY, 7, RULES, SHOP_GAP)
    assert (due.kind, due.stage) == (ReminderKind.REPURCHASE, Lifecycle.ACTIVE)
    overdue = forecast(_rhythm(100, visits=6, interval=30), TODAY, 7, RULES, SHOP_GAP)
    assert (overdue.kind, overdue.stage) == (ReminderKind.WINBACK, Lifecycle.DORMANT)
    gone = forecast(_rhythm(400, visits=6, interval=30), TODAY, 7, RULES, SHOP_GAP)
    assert (gone.kind, gone.stage) == (ReminderKind.WINBACK, Lifecycle.LOST)
    once = forecast(_rhythm(RULES.single_dormant_days + 1, visits=1, interval=None), TODAY, 7, RULES, 30)
    assert once.kind is ReminderKind.WINBACK


def test_a_new_customer_is_reminded_even_when_slow_to_come_back() -> None:
    rhythm = _rhythm(20, visits=2, interval=3, age=23)
    assert forecast(rhythm, TODAY, 7, RULES, SHOP_GAP).kind is ReminderKind.REPURCHASE


def test_the_forecast_dates_follow_the_last_purchase() -> None:
    rhythm = _rhythm(10, visits=9, interval=30)
    result = forecast(rhythm, TODAY, 30, RULES, SHOP_GAP)
    assert result.expected_date == rhythm.last_purchase + dt.timedelta(days=30)
    assert result.window_start <= result.expected_date <= result.window_end
    assert result.days_since_last == 10
    assert result.expected_gap_days == 30


def test_constants_changed_for_tuning_take_effect_after_clearing_the_cache(monkeypatch) -> None:
    before = gap_model(1, None, None, SHOP_GAP).sigma
    monkeypatch.setattr(reminders, "PRIOR_SIGMA", 2.0)
    gap_model.cache_clear()
    try:
        assert gap_model(1, None, None, SHOP_GAP).sigma > before
    finally:
        monkeypatch.undo()
        gap_model.cache_clear()


# ---- the reason ----------------------------------------------------------------------------------------


def test_the_reason_names_what_was_bought_and_the_members_rhythm() -> None:
    rhythm = _rhythm(42, visits=6, interval=45, cycle=45, category="面霜")
    assert explain(rhythm, forecast(rhythm, TODAY, 7, RULES, SHOP_GAP)) == (
        "Last bought 面霜 42 days ago; usually buys again about every 45 days"
    )


@pytest.mark.parametrize(
    ("kind", "days", "visits", "interval", "category", "cycle", "expected"),
    [
        (ReminderKind.REPURCHASE, 1, 3, 5, "面包", 5,
         "Last bought 面包 1 day ago; usually buys again about every 5 days"),
        (ReminderKind.REPURCHASE, 9, 4, 10, "", None,
         "Last bought 9 days ago; usually buys again about every 10 days"),
        (ReminderKind.REPURCHASE, 2, 30, 1, "饮品", 7,
         "Last bought 饮品 2 days ago; usually comes in every day"),
        (ReminderKind.REPURCHASE, 1, 30, 1, "", None, "Last bought 1 day ago; usually comes in every day"),
        (ReminderKind.REPURCHASE, 20, 1, None, "面膜", 20,
         "Bought 面膜 once, 20 days ago; it usually runs out after about 20 days"),
        (ReminderKind.REPURCHASE, 1, 1, None, "面膜", 20,
         "Bought 面膜 once, 1 day ago; it usually runs out after about 20 days"),
        (ReminderKind.REPURCHASE, 12, 1, None, "", None,
         "Bought once, 12 days ago; customers here usually come back after about 30 days"),
        (ReminderKind.WINBACK, 95, 6, 30, "面霜", 45,
         "No purchase for 95 days, although they used to come about every 30 days"),
        (ReminderKind.WINBACK, 70, 1, None, "面霜", 45,
         "Bought once, 70 days ago, and has not been back since"),
    ],
)
def test_each_kind_of_member_gets_a_whole_sentence(
    kind: ReminderKind, days: int, visits: int, interval: int | None, category: str, cycle: int | None,
    expected: str,
) -> None:
    assert reason_text(kind, days, visits, interval, category, cycle, 30) == expected
