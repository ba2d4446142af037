"""The backup keeping rule: newest of each recent day, week and month."""

from __future__ import annotations

import datetime as dt

from shopdesk.domain.backups import backups_to_keep


def test_keeps_newest_per_day_week_and_month() -> None:
    start = dt.datetime(2025, 1, 1, 18, 0)
    stamps = [start + dt.timedelta(days=d, hours=h) for d in range(400) for h in (0, 2)]
    keep = backups_to_keep(stamps, daily=14, weekly=8, monthly=12)
    newest = max(stamps)
    assert newest in keep
    days = {stamp.date() for stamp in keep}
    assert all(newest.date() - dt.timedelta(days=d) in days for d in range(14))
    assert len(keep) <= 14 + 8 + 12
    assert all(stamp.hour == 20 for stamp in keep)  # the later backup of each kept day
    months = {(stamp.year, stamp.month) for stamp in keep}
    assert len(months) == 12


def test_few_backups_are_all_kept() -> None:
    stamps = [dt.datetime(2025, 5, d, 9) for d in (1, 2, 3)]
    assert backups_to_keep(stamps) == set(stamps)
