"""Dates inside sentences, the way people say them: 5月30日, not 2026-05-30.

Tables, exports and file names keep ISO dates (they sort and Excel reads them); a message, a follow-up
reason or a printed heading reads better in words. The year is said only when it is not this year's.
"""

from __future__ import annotations

import datetime as dt

from shopdesk.i18n import N_, _

WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def spoken_date(day: dt.date, today: dt.date | None = None, *, with_year: bool = False) -> str:
    """``5月30日`` (``5/30`` in English); ``2027年5月30日`` in another year than today's, or when asked."""
    if isinstance(day, dt.datetime):
        day = day.date()
    today = today or dt.date.today()
    if with_year or day.year != today.year:
        return _("{year}/{month}/{day}").format(year=day.year, month=day.month, day=day.day)
    return _("{month}/{day}").format(month=day.month, day=day.day)


def spoken_period(start: dt.date, end: dt.date, today: dt.date | None = None) -> str:
    """``11月1日至11月23日``: a period in words, each end with its year only when it is not this year."""
    return _("{start} to {end}").format(start=spoken_date(start, today), end=spoken_date(end, today))


def spoken_day(day: dt.date, today: dt.date | None = None, *, with_year: bool = False) -> str:
    """``11月23日 星期一``: a day with its weekday, for the heading of a day's list."""
    weekday = _(WEEKDAYS[day.weekday()])
    return _("{weekday}, {date}").format(weekday=weekday, date=spoken_date(day, today, with_year=with_year))
