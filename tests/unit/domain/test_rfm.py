"""RFM scoring: NTILE(5) cut-offs, scores with ties, and the eight segments."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from shopdesk.domain.rfm import (
    HIGH_SCORE,
    SEGMENT_LABELS,
    RfmCutoffs,
    RfmSegment,
    cutoff_ranks,
    ntile_sizes,
    quintile_cutoffs,
    recency_value,
    score,
    segment_for,
    segment_label,
)


def sql_ntile(values: list[int], buckets: int = 5) -> list[tuple[int, int]]:
    """(value, bucket) exactly as SQL's NTILE assigns them over the sorted values (the reference)."""
    ordered = sorted(values)
    count = len(ordered)
    out = []
    small, extra = divmod(count, buckets)
    row = 0
    for bucket in range(1, buckets + 1):
        size = small + (1 if bucket <= extra else 0)
        for _ in range(size):
            out.append((ordered[row], bucket))
            row += 1
    return out


def test_ntile_sizes_match_sql() -> None:
    assert ntile_sizes(12) == [3, 3, 2, 2, 2]
    assert ntile_sizes(10) == [2, 2, 2, 2, 2]
    assert ntile_sizes(3) == [1, 1, 1]
    assert ntile_sizes(0) == []
    assert cutoff_ranks(12) == [3, 6, 8, 10]
    assert cutoff_ranks(3) == [1, 2]


@given(st.lists(st.integers(min_value=-50, max_value=50), max_size=60))
def test_cutoffs_are_the_top_of_each_ntile_bucket(values: list[int]) -> None:
    assigned = sql_ntile(values)
    tops = {}
    for value, bucket in assigned:
        tops[bucket] = max(tops.get(bucket, value), value)
    expected = tuple(tops[b] for b in sorted(tops)[:-1])
    assert quintile_cutoffs(values) == expected


@given(st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=60))
def test_scores_follow_buckets_except_ties_go_to_the_lower_one(values: list[int]) -> None:
    cutoffs = quintile_cutoffs(values)
    lowest_bucket: dict[int, int] = {}
    for value, bucket in sql_ntile(values):
        lowest_bucket.setdefault(value, bucket)
    for value in values:
        assert score(value, cutoffs) == lowest_bucket[value]


def test_distinct_values_get_scores_one_to_five() -> None:
    cutoffs = quintile_cutoffs([10, 20, 30, 40, 50])
    assert cutoffs == (10, 20, 30, 40)
    assert [score(v, cutoffs) for v in (10, 20, 30, 40, 50)] == [1, 2, 3, 4, 5]
    assert score(9, cutoffs) == 1 and score(11, cutoffs) == 2 and score(99, cutoffs) == 5


def test_a_shop_where_most_bought_once_gives_them_all_f_one() -> None:
    counts = [1] * 7 + [2, 3, 5]
    cutoffs = quintile_cutoffs(counts)
    assert score(1, cutoffs) == 1
    assert score(2, cutoffs) == 4
    assert score(5, cutoffs) == 5


def test_fewer_than_five_buyers() -> None:
    assert quintile_cutoffs([]) == ()
    assert quintile_cutoffs([7]) == ()
    assert score(7, ()) == 1
    assert quintile_cutoffs([1, 2, 3]) == (1, 2)


def test_recency_is_higher_for_a_recent_purchase() -> None:
    cutoffs = RfmCutoffs.from_values(days_since=[0, 10, 20, 30, 40], counts=[1] * 5, spent_fen=[100] * 5)
    assert cutoffs.scores(0, 1, 100)[0] == 5
    assert cutoffs.scores(40, 1, 100)[0] == 1
    assert cutoffs.r == tuple(recency_value(d) for d in (40, 30, 20, 10))


def test_segments_split_at_three() -> None:
    expected = {
        (True, True, True): RfmSegment.IMPORTANT_VALUE,
        (True, False, True): RfmSegment.IMPORTANT_DEVELOPMENT,
        (False, True, True): RfmSegment.IMPORTANT_RETENTION,
        (False, False, True): RfmSegment.IMPORTANT_WINBACK,
        (True, True, False): RfmSegment.GENERAL_VALUE,
        (True, False, False): RfmSegment.GENERAL_DEVELOPMENT,
        (False, True, False): RfmSegment.GENERAL_RETENTION,
        (False, False, False): RfmSegment.GENERAL_WINBACK,
    }
    for r, f, m in itertools.product(range(1, 6), repeat=3):
        split = (r >= HIGH_SCORE, f >= HIGH_SCORE, m >= HIGH_SCORE)
        assert segment_for(r, f, m) is expected[split]
    assert segment_for(3, 3, 3) is RfmSegment.IMPORTANT_VALUE
    assert segment_for(2, 2, 2) is RfmSegment.GENERAL_WINBACK


def test_segment_values_fit_the_column_and_have_english_source_names() -> None:
    assert all(len(segment.value) <= 20 for segment in RfmSegment)
    assert SEGMENT_LABELS[RfmSegment.IMPORTANT_VALUE] == "Important value customer"
    assert SEGMENT_LABELS[RfmSegment.GENERAL_WINBACK] == "General win-back customer"
    assert all(len(label) <= 30 for label in SEGMENT_LABELS.values())  # they become tag names
    assert segment_label("imp_value") == "Important value customer"
    assert segment_label(None) == "" and segment_label("x") == "x"


def test_cutoffs_round_trip() -> None:
    cutoffs = RfmCutoffs((-100, -50, -20, -5), (1, 2, 4, 8), (100, 200, 300, 400))
    assert RfmCutoffs.from_dict(cutoffs.as_dict()) == cutoffs
    assert RfmCutoffs.from_dict({}) == RfmCutoffs()
