"""Precision and recall at k, and the two baselines' orders."""

from __future__ import annotations

import datetime as dt

from shopdesk.reminders_eval.metrics import at_k, rank_by_frequency, rank_by_recency


def test_precision_divides_by_k_and_recall_by_all_buyers() -> None:
    ranking = [5, 3, 9, 1]
    buyers = {3, 1, 7}
    assert at_k(ranking, buyers, 2) == at_k([5, 3], buyers, 2)
    two = at_k(ranking, buyers, 2)
    assert (two.hits, two.precision, two.recall) == (1, 0.5, 1 / 3)
    short = at_k(ranking, buyers, 10)  # a ranking shorter than k: its empty places hold no buyer
    assert (short.hits, short.precision, short.recall) == (2, 0.2, 2 / 3)
    assert at_k(ranking, set(), 2).recall == 0.0


def test_the_baselines_break_ties_by_the_other_figure_then_by_id() -> None:
    day = dt.date(2026, 5, 1)
    last = {1: day, 2: day, 3: day - dt.timedelta(days=1), 4: day - dt.timedelta(days=9)}
    visits = {1: 2, 2: 5, 3: 9, 4: 5}
    assert rank_by_recency(last, visits) == [2, 1, 3, 4]
    assert rank_by_frequency(last, visits) == [3, 2, 4, 1]
