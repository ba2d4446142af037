"""Dates in sentences read as people say them, with the year only when it is not this year's."""

from __future__ import annotations

import datetime as dt

from shopdesk.domain.dates import spoken_date, spoken_day, spoken_period
from shopdesk.i18n import setup_i18n

TODAY = dt.date(2026, 11, 23)


def test_this_year_needs_no_year() -> None:
    assert spoken_date(dt.date(2026, 5, 1), TODAY) == "5/1"
    assert spoken_date(dt.datetime(2026, 12, 31, 18, 30), TODAY) == "12/31"


def test_another_year_or_a_heading_says_the_year() -> None:
    assert spoken_date(dt.date(2027, 1, 5), TODAY) == "2027/1/5"
    assert spoken_date(dt.date(2025, 12, 30), TODAY) == "2025/12/30"
    assert spoken_date(TODAY, TODAY, with_year=True) == "2026/11/23"


def test_chinese_dates_read_as_chinese() -> None:
    setup_i18n("zh_CN")
    assert spoken_date(dt.date(2026, 5, 1), TODAY) == "5月1日"
    assert spoken_date(dt.date(2027, 1, 5), TODAY) == "2027年1月5日"
    assert spoken_period(dt.date(2025, 12, 1), dt.date(2026, 11, 23), TODAY) == "2025年12月1日 至 11月23日"


def test_a_day_heading_names_the_weekday() -> None:
    assert spoken_day(TODAY, TODAY) == "Monday, 11/23"
    setup_i18n("zh_CN")
    assert spoken_day(TODAY, TODAY, with_year=True) == "2026年11月23日 星期一"
