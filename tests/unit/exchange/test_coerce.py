"""Cell values to field values: every phone, date, birthday and amount form shops send, and the reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.domain.birthdays import Birthday
from shopdesk.exchange import coerce
from shopdesk.exchange.coerce import CellError

NOW = dt.datetime(2024, 5, 1, 12, 0)


@pytest.mark.parametrize(
    "value",
    [
        "13800138000",
        13800138000,
        13800138000.0,
        "13800138000.0",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+8613800138000",
        "008613800138000",
        "8613800138000",
        "１３８００１３８０００",
        "（138）0013-8000",
        " 13800138000 ",
    ],
)
def test_phone_forms(value: object) -> None:
    assert coerce.phone(value) == "13800138000"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1380013800", "11 digits"),
        ("23800138000", "11 digits"),
        ("138001380001", "11 digits"),
        ("1.38001E+10", "Excel shortened"),
        ("phone", "11 digits"),
    ],
)
def test_wrong_phones_say_why(value: object, reason: str) -> None:
    with pytest.raises(CellError, match=reason):
        coerce.phone(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2023, 5, 1, 14, 30), dt.datetime(2023, 5, 1, 14, 30)),
        (dt.datetime(2023, 5, 1, 14, 30, 0, 600_000), dt.datetime(2023, 5, 1, 14, 30, 1)),
        (dt.date(2023, 5, 1), dt.datetime(2023, 5, 1)),
        (45047, dt.datetime(2023, 5, 1)),
        (45047.5, dt.datetime(2023, 5, 1, 12, 0)),
        ("45047", dt.datetime(2023, 5, 1)),
        ("2023/5/1", dt.datetime(2023, 5, 1)),
        ("2023-05-01", dt.datetime(2023, 5, 1)),
        ("2023.5.1", dt.datetime(2023, 5, 1)),
        ("2023年5月1日", dt.datetime(2023, 5, 1)),
        ("２０２３年５月１日", dt.datetime(2023, 5, 1)),
        ("20230501", dt.datetime(2023, 5, 1)),
        (20230501, dt.datetime(2023, 5, 1)),
        ("2023/5/1 14:30", dt.datetime(2023, 5, 1, 14, 30)),
        ("2023-05-01 14:30:15", dt.datetime(2023, 5, 1, 14, 30, 15)),
        ("2023-05-01T14:30:15", dt.datetime(2023, 5, 1, 14, 30, 15)),
        ("2023年5月1日 14时30分", dt.datetime(2023, 5, 1, 14, 30)),
        ("2023年5月1日14:30", dt.datetime(2023, 5, 1, 14, 30)),
    ],
)
def test_date_forms(value: object, expected: dt.datetime) -> None:
    assert coerce.date_time(value) == expected


@pytest.mark.parametrize("value", ["2023-02-30", "yesterday", "5/1", True, -3, "2023-13-01"])
def test_wrong_dates(value: object) -> None:
    with pytest.raises(CellError):
        coerce.date_time(value)


def test_purchase_dates_are_neither_ancient_nor_future() -> None:
    assert coerce.purchase_time("2024-05-01 12:05", NOW) == dt.datetime(2024, 5, 1, 12, 5)  # clock skew
    with pytest.raises(CellError, match="future"):
        coerce.purchase_time("2024-05-02", NOW)
    with pytest.raises(CellError, match="too long ago"):
        coerce.purchase_time("1980-01-01", NOW)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(1990, 3, 9), Birthday(3, 9, 1990)),
        (dt.datetime(1990, 3, 9), Birthday(3, 9, 1990)),
        ("1990-03-09", Birthday(3, 9, 1990)),
        ("1990/3/9", Birthday(3, 9, 1990)),
        ("1990年3月9日", Birthday(3, 9, 1990)),
        ("3月9日", Birthday(3, 9)),
        ("03-09", Birthday(3, 9)),
        (32941, Birthday(3, 9, 1990)),
    ],
)
def test_birthday_forms(value: object, expected: Birthday) -> None:
    assert coerce.birthday(value, dt.date(2024, 5, 1)) == expected


def test_wrong_birthdays() -> None:
    with pytest.raises(CellError, match="not a real date"):
        coerce.birthday("2月30日")
    with pytest.raises(CellError, match="year looks wrong"):
        coerce.birthday("2030-01-01", dt.date(2024, 5, 1))
    with pytest.raises(CellError, match="future"):
        coerce.birthday("2024-12-01", dt.date(2024, 5, 1))


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        (128, 12800),
        (128.5, 12850),
        ("¥1,280.00", 128000),
        ("1280元", 128000),
        ("￥88", 8800),
        ("1，280", 128000),
    ],
)
def test_money_forms(value: object, fen: int) -> None:
    assert coerce.money(value) == fen


def test_wrong_money() -> None:
    with pytest.raises(CellError, match="number"):
        coerce.money("about 100")
    with pytest.raises(CellError, match="negative"):
        coerce.money(-5)


@pytest.mark.parametrize(("value", "points"), [(120, 120), (120.0, 120), ("1,200", 1200), ("120分", 120)])
def test_points(value: object, points: int) -> None:
    assert coerce.points(value) == points


@pytest.mark.parametrize(
    ("value", "reason"), [(1.5, "whole"), (-1, "negative"), ("lots", "whole"), (True, "whole")]
)
def test_wrong_points(value: object, reason: str) -> None:
    with pytest.raises(CellError, match=reason):
        coerce.points(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [("女", "F"), ("男", "M"), ("F", "F"), ("male", "M"), ("Female", "F"), ("未知", ""), ("先生", "M")],
)
def test_genders(value: str, code: str) -> None:
    assert coerce.gender(value) == code


def test_wrong_gender() -> None:
    with pytest.raises(CellError, match="女 or 男"):
        coerce.gender("cat")


def test_tags_are_split_trimmed_and_deduplicated() -> None:
    assert coerce.tags("敏感肌、VIP, 敏感肌；新客 / 老客") == ("敏感肌", "VIP", "新客", "老客")
    with pytest.raises(CellError, match="too long"):
        coerce.tags("x" * 31)


def test_names_and_text() -> None:
    assert coerce.name("  张  三 ") == "张 三"
    assert coerce.name(123.0) == "123"
    with pytest.raises(CellError, match="too long"):
        coerce.name("张" * 31)
    with pytest.raises(CellError, match="too long"):
        coerce.text("x" * 11, 10)
    assert coerce.quantity("2") == 2
    with pytest.raises(CellError, match="1 to 9999"):
        coerce.quantity(0)


def test_sources() -> None:
    assert coerce.source("朋友圈") == "moments"
    assert coerce.source("抖音") == "douyin"
    assert coerce.source("随便") == "other"
