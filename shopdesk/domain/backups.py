"""Which backups to keep: like Anki, the newest of each recent day, week and month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def backups_to_keep(
    stamps: Iterable[dt.datetime], *, daily: int = 14, weekly: int = 8, monthly: int = 12
) -> set[dt.datetime]:
    """The backup times to keep: the newest backup, and the newest of each of the ``daily`` most recent
    days, ``weekly`` most recent ISO weeks and ``monthly`` most recent months that have backups."""
    ordered = sorted(set(stamps), reverse=True)
    keep: set[dt.datetime] = set(ordered[:1])
    for period, limit in (
        (lambda t: t.date(), daily),
        (lambda t: t.isocalendar()[:2], weekly),
        (lambda t: (t.year, t.month), monthly),
    ):
        seen: list[object] = []
        for stamp in ordered:
            key = period(stamp)
            if key in seen:
                continue
            if len(seen) >= limit:
                break
            seen.append(key)
            keep.add(stamp)
    return keep
