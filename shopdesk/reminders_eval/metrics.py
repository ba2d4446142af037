"""Precision@k and recall@k of a ranking against who really bought, and the two simple baselines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

KS = (100, 500, 1000)


@dataclass(frozen=True, slots=True)
class AtK:
    """Precision and recall of the top ``k`` of one ranking."""

    k: int
    hits: int
    precision: float
    recall: float


def at_k(ranking: Sequence[int], buyers: Collection[int], k: int) -> AtK:
    """Of the first ``k`` ranked ids, how many bought: over k (precision) and over all buyers (recall).

    A ranking shorter than ``k`` still divides by k: the places it left empty are places without a buyer.
    """
    hits = sum(1 for member_id in ranking[:k] if member_id in buyers)
    precision = hits / k if k else 0.0
    recall = hits / len(buyers) if buyers else 0.0
    return AtK(k, hits, precision, recall)


def rank_by_recency(last_day: Mapping[int, dt.date], visits: Mapping[int, int]) -> list[int]:
    """Most recent buyers first (then the more frequent, then by id): "whoever came last comes again"."""
    return sorted(last_day, key=lambda m: (-last_day[m].toordinal(), -visits[m], m))


def rank_by_frequency(last_day: Mapping[int, dt.date], visits: Mapping[int, int]) -> list[int]:
    """Most purchase days first (then the more recent, then by id): "regulars come again"."""
    return sorted(last_day, key=lambda m: (-visits[m], -last_day[m].toordinal(), m))
