"""Birthdays with or without a year, from typed text, dates and Excel serials; the next one to celebrate."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.domain.birthdays import Birthday, parse_birthday
from shopdesk.errors import ValidationError

TODAY = dt.date(2026, 5, 20)


@pytest.mark.parametrize(
    "raw",
    [
        "1990-03-09",
        "1990-3-9",
        "1990/3/9",
        "1990.03.09",
        "1990年3月9日",
        "1990年03月09号",
        "1990 年 3 月 9 日",
        "19900309",
        "１９９０－０３－０９",
        "1990-03-09 00:00:00",
        dt.date(1990, 3, 9),
        dt.datetime(1990, 3, 9, 0, 0),
        32941,  # the Excel serial of 1990-03-09
        32941.0,
        32941.75,  # a date-time serial: the time of day is dropped
        19900309,  # typed into a number cell
        19900309.0,
    ],
)
def test_birthdays_with_a_year(raw: object) -> None:
    assert parse_birthday(raw, today=TODAY) == Birthday(3, 9, 1990)


@pytest.mark.parametrize("raw", ["3月9日", "3月9号", "03-09", "3-9", "3/9", "03.09", "３月９日"])
def test_birthdays_without_a_year(raw: str) -> None:
    birthday = parse_birthday(raw, today=TODAY)
    assert birthday == Birthday(3, 9)
    assert birthday.year is None


def test_known_excel_serials() -> None:
    assert parse_birthday(36526, today=TODAY) == Birthday(1, 1, 2000)
    assert parse_birthday(45292, today=TODAY) == Birthday(1, 1, 2024)


def test_february_29() -> None:
    assert parse_birthday("2月29日", today=TODAY) == Birthday(2, 29)
    assert parse_birthday("2000-02-29", today=TODAY) == Birthday(2, 29, 2000)
    with pytest.raises(ValidationError, match="not a real date"):
        parse_birthday("2001-02-29", today=TODAY)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_means_no_birthday(raw: object) -> None:
    assert parse_birthday(raw, today=TODAY) is None


def test_a_birthday_passes_through() -> None:
    birthday = Birthday(12, 24)
    assert parse_birthday(birthday) is birthday


@pytest.mark.parametrize("raw", ["2月30日", "13-01", "0-10", "1990-04-31", "1990-13-01"])
def test_impossible_dates_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError, match="not a real date") as caught:
        parse_birthday(raw, today=TODAY)
    assert caught.value.field == "birthday"


@pytest.mark.parametrize("raw", ["2026-05-21", dt.date(2026, 12, 1), "2030-01-01", 46500])
def test_future_birthdays_are_refused(raw: object) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_birthday(raw, today=TODAY)
    assert caught.value.field == "birthday"


def test_today_is_not_the_future() -> None:
    assert parse_birthday("2026-05-20", today=TODAY) == Birthday(5, 20, 2026)


@pytest.mark.parametrize(
    "raw", ["1899-12-31", "0990-03-09", 1, 0, -5, 3_000_000, 19901309, 19900309.5, float("nan"), float("inf")]
)
def test_implausible_years_are_refused(raw: object) -> None:
    with pytest.raises(ValidationError):
        parse_birthday(raw, today=TODAY)


@pytest.mark.parametrize("raw", ["hello", "1990", "3月", "1990-03", True])
def test_unreadable_text_explains_the_format(raw: object) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_birthday(raw, field="member_birthday", today=TODAY)
    assert caught.value.field == "member_birthday"
    assert "1990-03-09" in caught.value.message


def test_as_text() -> None:
    assert Birthday(3, 9, 1990).as_text() == "1990-03-09"
    assert Birthday(3, 9).as_text() == "03-09"


def test_the_constructor_refuses_impossible_dates() -> None:
    with pytest.raises(ValueError):
        Birthday(2, 30)
    with pytest.raises(ValueError):
        Birthday(2, 29, 2001)


@pytest.mark.parametrize(
    ("birthday", "today", "expected"),
    [
        (Birthday(5, 20), TODAY, dt.date(2026, 5, 20)),  # today counts
        (Birthday(5, 21), TODAY, dt.date(2026, 5, 21)),
        (Birthday(5, 19), TODAY, dt.date(2027, 5, 19)),
        (Birthday(1, 1, 1990), dt.date(2026, 12, 31), dt.date(2027, 1, 1)),
        (Birthday(2, 29), dt.date(2027, 1, 10), dt.date(2027, 2, 28)),  # not a leap year
        (Birthday(2, 29), dt.date(2027, 3, 1), dt.date(2028, 2, 29)),  # the next one is
        (Birthday(2, 29), dt.date(2028, 2, 29), dt.date(2028, 2, 29)),
        (Birthday(2, 29), dt.date(2099, 3, 1), dt.date(2100, 2, 28)),  # 2100 is not a leap year
        (Birthday(2, 28), dt.date(2028, 2, 28), dt.date(2028, 2, 28)),
    ],
)
def test_next_occurrence(birthday: Birthday, today: dt.date, expected: dt.date) -> None:
    assert birthday.next_occurrence(today) == expected


def test_age_on() -> None:
    birthday = Birthday(3, 9, 1990)
    assert birthday.age_on(dt.date(2026, 3, 8)) == 35
    assert birthday.age_on(dt.date(2026, 3, 9)) == 36
    assert Birthday(3, 9).age_on(TODAY) is None
