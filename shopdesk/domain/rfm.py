"""RFM scoring: recency, frequency and monetary scores 1–5 by quintile, and the eight classic segments.

Quintiles follow SQL's ``NTILE(5)``: the members who bought at least once are sorted by a value (higher
is better: more recent, more purchases, more spent) and cut into five buckets whose sizes differ by at
most one. A score is then given by *cut-offs* (the highest value of buckets 1–4) rather than by bucket,
so two members with the same value always get the same score; ties at a border go to the lower score
(a shop where half the members bought once gives them all F = 1). Keeping the cut-offs also lets one
member be re-scored after a purchase without ranking the whole shop again.

High/low split for the segments: a score of 3 or more is "high". Scores are already relative to the
shop (quintiles), so a fixed middle is stable from day to day and easy to explain ("top three fifths");
splitting at the mean score would move the border whenever the tie structure changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shopdesk.i18n import N_, _

BUCKETS = 5
HIGH_SCORE = 3


class RfmSegment(StrEnum):
    """The value stored in ``member.rfm_segment`` (short: the column holds 20 characters)."""

    IMPORTANT_VALUE = "imp_value"  # R high, F high, M high
    IMPORTANT_DEVELOPMENT = "imp_develop"  # R high, F low, M high
    IMPORTANT_RETENTION = "imp_retain"  # R low, F high, M high
    IMPORTANT_WINBACK = "imp_winback"  # R low, F low, M high
    GENERAL_VALUE = "gen_value"  # R high, F high, M low
    GENERAL_DEVELOPMENT = "gen_develop"  # R high, F low, M low
    GENERAL_RETENTION = "gen_retain"  # R low, F high, M low
    GENERAL_WINBACK = "gen_winback"  # R low, F low, M low


SEGMENT_LABELS: dict[RfmSegment, str] = {
    RfmSegment.IMPORTANT_VALUE: N_("Important value customer"),
    RfmSegment.IMPORTANT_DEVELOPMENT: N_("Important development customer"),
    RfmSegment.IMPORTANT_RETENTION: N_("Important retention customer"),
    RfmSegment.IMPORTANT_WINBACK: N_("Important win-back customer"),
    RfmSegment.GENERAL_VALUE: N_("General value customer"),
    RfmSegment.GENERAL_DEVELOPMENT: N_("General development customer"),
    RfmSegment.GENERAL_RETENTION: N_("General retention customer"),
    RfmSegment.GENERAL_WINBACK: N_("General win-back customer"),
}

# (R high, F high, M high) -> segment
SEGMENT_BY_SPLIT: dict[tuple[bool, bool, bool], RfmSegment] = {
    (True, True, True): RfmSegment.IMPORTANT_VALUE,
    (True, False, True): RfmSegment.IMPORTANT_DEVELOPMENT,
    (False, True, True): RfmSegment.IMPORTANT_RETENTION,
    (False, False, True): RfmSegment.IMPORTANT_WINBACK,
    (True, True, False): RfmSegment.GENERAL_VALUE,
    (True, False, False): RfmSegment.GENERAL_DEVELOPMENT,
    (False, True, False): RfmSegment.GENERAL_RETENTION,
    (False, False, False): RfmSegment.GENERAL_WINBACK,
}


def segment_label(value: str | None) -> str:
    """The translated name of a segment ("" for none, the code itself for an unknown one)."""
    if not value:
        return ""
    try:
        return _(SEGMENT_LABELS[RfmSegment(value)])
    except ValueError:
        return value


def ntile_sizes(count: int, buckets: int = BUCKETS) -> list[int]:
    """How many rows ``NTILE(buckets)`` puts in each bucket: the first ``count % buckets`` get one more."""
    if count <= 0:
        return []
    base, extra = divmod(count, buckets)
    sizes = [base + (1 if i < extra else 0) for i in range(buckets)]
    return [size for size in sizes if size]


def cutoff_ranks(count: int, buckets: int = BUCKETS) -> list[int]:
    """The 1-based ranks (in ascending order) of the last row of each bucket but the last."""
    ranks: list[int] = []
    end = 0
    for size in ntile_sizes(count, buckets)[:-1]:
        end += size
        ranks.append(end)
    return ranks


def quintile_cutoffs(values: Sequence[int]) -> tuple[int, ...]:
    """The highest value of each bucket but the last, as ``NTILE(5) OVER (ORDER BY value)`` cuts them.

    Fewer than five values make fewer buckets, hence fewer cut-offs (and lower top scores).
    """
    ordered = sorted(values)
    return tuple(ordered[rank - 1] for rank in cutoff_ranks(len(ordered)))


def score(value: int, cutoffs: Sequence[int]) -> int:
    """1 plus the number of cut-offs ``value`` is strictly above (ties go to the lower score)."""
    return 1 + sum(1 for cutoff in cutoffs if value > cutoff)


def is_high(value: int, cutoffs: Sequence[int]) -> bool:
    """True when ``value`` scores ``HIGH_SCORE`` or more."""
    return score(value, cutoffs) >= HIGH_SCORE


def recency_value(days_since_last: int) -> int:
    """Recency as a value where higher is better (a purchase today beats one last month)."""
    return -days_since_last


def segment_for(r: int, f: int, m: int) -> RfmSegment:
    """The classic segment of three scores."""
    return SEGMENT_BY_SPLIT[(r >= HIGH_SCORE, f >= HIGH_SCORE, m >= HIGH_SCORE)]


@dataclass(frozen=True, slots=True)
class RfmCutoffs:
    """The shop's cut-offs for each dimension. ``r`` is on ``recency_value`` (minus days since)."""

    r: tuple[int, ...] = ()
    f: tuple[int, ...] = ()
    m: tuple[int, ...] = ()

    @classmethod
    def from_values(
        cls, days_since: Sequence[int], counts: Sequence[int], spent_fen: Sequence[int]
    ) -> RfmCutoffs:
        return cls(
            quintile_cutoffs([recency_value(d) for d in days_since]),
            quintile_cutoffs(counts),
            quintile_cutoffs(spent_fen),
        )

    def scores(self, days_since: int, count: int, spent_fen: int) -> tuple[int, int, int]:
        """(R, F, M) for one member who bought at least once."""
        return score(recency_value(days_since), self.r), score(count, self.f), score(spent_fen, self.m)

    def as_dict(self) -> dict[str, list[int]]:
        return {"r": list(self.r), "f": list(self.f), "m": list(self.m)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RfmCutoffs:
        return cls(*(tuple(int(v) for v in data.get(key, ())) for key in ("r", "f", "m")))
