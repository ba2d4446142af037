"""A member's buying rhythm: the median gap between the days they bought, robust to one odd gap."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from statistics import median


def purchase_days(times: Iterable[dt.datetime | dt.date]) -> list[dt.date]:
    """The distinct days of ``times``, in order (two purchases on one day are one visit)."""
    return sorted({t.date() if isinstance(t, dt.datetime) else t for t in times})


def median_interval_days(times: Iterable[dt.datetime | dt.date]) -> int | None:
    """The median number of days between consecutive purchase days, or None with fewer than two days."""
    days = purchase_days(times)
    if len(days) < 2:
        return None
    return max(1, round(median((b - a).days for a, b in itertools.pairwise(days))))
