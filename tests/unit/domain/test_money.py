"""Money typed or imported becomes integer fen, rounded half up, never negative; fen format back to ¥."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopdesk.domain.money import format_money, parse_money, yuan
from shopdesk.errors import ValidationError


@pytest.mark.parametrize(
    ("raw", "fen"),
    [
        (128, 12800),
        (0, 0),
        ("128", 12800),
        ("128.5", 12850),
        ("128.50", 12850),
        (" 128.05 ", 12805),
        ("¥1,280.00", 128000),
        ("￥1,280", 128000),
        ("1280元", 128000),
        ("1280 元", 128000),
        ("1，280.5", 128050),
        ("RMB 99", 9900),
        ("rmb99.9", 9990),
        ("１２８.５", 12850),
        (".5", 50),
    ],
)
def test_parse_money_reads_typed_amounts(raw: object, fen: int) -> None:
    assert parse_money(raw) == fen


@pytest.mark.parametrize(
    ("raw", "fen"),
    [
        ("12.344", 1234),
        ("12.345", 1235),  # half up, not to even
        ("12.355", 1236),
        ("0.005", 1),
        ("0.004", 0),
        ("2.675", 268),
    ],
)
def test_parse_money_rounds_half_up_to_the_fen(raw: str, fen: int) -> None:
    assert parse_money(raw) == fen


@pytest.mark.parametrize(
    ("raw", "fen"),
    [
        (0.1 + 0.2, 30),  # 0.30000000000000004
        (1.005, 101),  # binary 1.00499999…, but Excel and people meant 1.005
        (2.675, 268),
        (19.99, 1999),
        (128.0, 12800),
        (1e-3, 0),
    ],
)
def test_parse_money_reads_floats_by_their_shortest_repr(raw: float, fen: int) -> None:
    assert parse_money(raw) == fen


@pytest.mark.parametrize("raw", ["-1", "-0.01", -5, -0.5, "¥-12"])
def test_parse_money_refuses_negative_amounts(raw: object) -> None:
    with pytest.raises(ValidationError, match="negative") as caught:
        parse_money(raw)
    assert caught.value.field == "amount"


@pytest.mark.parametrize(
    "raw",
    ["abc", "12.3.4", "1b2", "12rm", "NaN", "Infinity", "1e30", "1e999999999", 1e300, float("inf"), True],
)
def test_parse_money_refuses_what_is_not_an_amount(raw: object) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_money(raw, field="price")
    assert caught.value.field == "price"


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_parse_money_says_an_amount_is_required(raw: object) -> None:
    with pytest.raises(ValidationError, match="required"):
        parse_money(raw)


def test_zero_is_refused_only_when_asked() -> None:
    assert parse_money("0") == 0
    with pytest.raises(ValidationError, match="more than zero"):
        parse_money("0.00", allow_zero=False)
    with pytest.raises(ValidationError, match="more than zero"):
        parse_money("0.004", allow_zero=False)  # rounds to nothing


def test_parse_money_refuses_absurd_amounts() -> None:
    assert parse_money("100000000") == 100_000_000_00
    with pytest.raises(ValidationError, match="too large"):
        parse_money("100000000.01")


@pytest.mark.parametrize(
    ("fen", "text", "bare"),
    [
        (0, "¥0.00", "0.00"),
        (5, "¥0.05", "0.05"),
        (12850, "¥128.50", "128.50"),
        (123450, "¥1,234.50", "1,234.50"),
        (123456789, "¥1,234,567.89", "1,234,567.89"),
        (-1200, "-¥12.00", "-12.00"),
        (-5, "-¥0.05", "-0.05"),
    ],
)
def test_format_money(fen: int, text: str, bare: str) -> None:
    assert format_money(fen) == text
    assert format_money(fen, symbol=False) == bare


def test_yuan_is_exact() -> None:
    assert yuan(12345) == Decimal("123.45")
    assert yuan(1) == Decimal("0.01")
    assert isinstance(yuan(1), Decimal)


@given(st.integers(min_value=0, max_value=100_000_000_00))
def test_formatted_money_reads_back_to_the_same_fen(fen: int) -> None:
    assert parse_money(format_money(fen)) == fen
    assert parse_money(format_money(fen, symbol=False)) == fen
    assert parse_money(str(yuan(fen))) == fen
