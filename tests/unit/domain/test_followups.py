"""The follow-up list's pure rules: kinds and labels, settings that survive storage, and the daily pick."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopdesk.domain.followups import (
    DEFAULT_KIND_SETTINGS,
    KIND_LABELS,
    OUTCOME_LABELS,
    FollowupSettings,
    KindSettings,
    Outcome,
    TaskKind,
    pick_daily,
)


def test_every_kind_and_outcome_has_a_label() -> None:
    assert set(KIND_LABELS) == set(TaskKind)
    assert set(OUTCOME_LABELS) == set(Outcome)
    assert set(DEFAULT_KIND_SETTINGS) == set(TaskKind)


def test_the_sheet_groups_in_the_order_the_shop_works() -> None:
    """UI.md: 复购提醒, 生日, 券将过期, 积分将过期, 沉睡唤醒, 新客关怀 — then care calls and manual tasks."""
    assert list(TaskKind)[:6] == [
        TaskKind.REPURCHASE,
        TaskKind.BIRTHDAY,
        TaskKind.COUPON_EXPIRY,
        TaskKind.POINTS_EXPIRY,
        TaskKind.WINBACK,
        TaskKind.NEW_MEMBER,
    ]


def test_settings_round_trip_through_a_dict() -> None:
    settings = FollowupSettings(capacity=12, unanswered_before_incentive=3)
    settings.kinds[TaskKind.BIRTHDAY] = KindSettings(enabled=False, days=5, daily_cap=4, priority=99)
    again = FollowupSettings.from_dict(settings.as_dict())
    assert again == settings
    assert again.kind(TaskKind.BIRTHDAY) == KindSettings(False, 5, 4, 99)


def test_settings_from_nothing_are_the_defaults_and_each_copy_is_its_own() -> None:
    first, second = FollowupSettings.from_dict(None), FollowupSettings.from_dict({})
    assert first == second == FollowupSettings()
    first.kinds[TaskKind.WINBACK].enabled = False
    assert second.kind(TaskKind.WINBACK).enabled
    assert DEFAULT_KIND_SETTINGS[TaskKind.WINBACK].enabled


def test_stored_settings_from_another_version_are_read_as_far_as_they_make_sense() -> None:
    """An unknown kind or field is ignored; a missing field keeps its default."""
    data = {
        "capacity": "40",
        "kinds": {
            "birthday": {"days": 7, "colour": "red"},
            "horoscope": {"enabled": True},
        },
    }
    settings = FollowupSettings.from_dict(data)
    assert settings.capacity == 40
    assert settings.unanswered_before_incentive == 2
    birthday = settings.kind(TaskKind.BIRTHDAY)
    assert birthday.days == 7
    assert birthday.daily_cap == DEFAULT_KIND_SETTINGS[TaskKind.BIRTHDAY].daily_cap
    assert set(settings.kinds) == set(TaskKind)


def test_pick_keeps_one_candidate_per_member_the_most_important_one() -> None:
    candidates = [
        (1, 50, 0.0),  # member 1: care call
        (1, 80, -2.0),  # member 1: coupon expiring — higher priority wins
        (2, 65, -3.0),  # member 2: birthday in 3 days
        (2, 65, 0.0),  # member 2: birthday today — same priority, better score wins
        (3, 40, 1.0),
    ]
    assert sorted(pick_daily(candidates, 10)) == [1, 3, 4]


def test_pick_ranks_by_priority_then_score_and_stops_at_the_capacity() -> None:
    candidates = [(1, 40, 0.0), (2, 80, 0.0), (3, 80, 5.0), (4, 60, 0.0)]
    assert pick_daily(candidates, 2) == [2, 1]
    assert pick_daily(candidates, 10) == [2, 1, 3, 0]


def test_pick_breaks_ties_by_the_order_the_candidates_came_in() -> None:
    candidates = [(5, 50, 1.0), (6, 50, 1.0), (7, 50, 1.0)]
    assert pick_daily(candidates, 2) == [0, 1]


@pytest.mark.parametrize("capacity", [0, -3])
def test_no_room_picks_nobody(capacity: int) -> None:
    assert pick_daily([(1, 50, 0.0)], capacity) == []


def test_pick_of_nothing_is_nothing() -> None:
    assert pick_daily([], 30) == []


candidate_lists = st.lists(
    st.tuples(st.integers(1, 8), st.integers(0, 100), st.floats(-50, 50, allow_nan=False)), max_size=40
)


@given(candidate_lists, st.integers(0, 12))
def test_pick_invariants(candidates: list[tuple[int, int, float]], capacity: int) -> None:
    picked = pick_daily(candidates, capacity)
    members = [candidates[i][0] for i in picked]
    assert len(members) == len(set(members))  # one contact per member
    assert len(picked) == min(capacity, len({c[0] for c in candidates}))
    for index in picked:  # each member's best candidate
        member, priority, score = candidates[index]
        assert all((p, s) <= (priority, score) for m, p, s in candidates if m == member)
    keys = [candidates[i][1:] for i in picked]
    assert keys == sorted(keys, reverse=True)  # most important first
