"""Coupon maths in fen and the code alphabet, with worked examples."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.domain.coupons import (
    CODE_ALPHABET,
    CouponKind,
    CouponStatus,
    CouponTerms,
    discount_fen,
    eligible_amount,
    is_valid_code,
    new_code,
    normalize_code,
    status_on,
    validity,
)


def test_threshold_cash_off_needs_the_threshold() -> None:
    terms = CouponTerms(CouponKind.THRESHOLD, value_fen=20_00, threshold_fen=100_00)
    assert discount_fen(terms, 99_99) == 0
    assert discount_fen(terms, 100_00) == 20_00
    assert discount_fen(terms, 350_00) == 20_00


def test_no_threshold_cash_off_never_exceeds_the_sale() -> None:
    terms = CouponTerms(CouponKind.CASH, value_fen=10_00)
    assert discount_fen(terms, 6_50) == 6_50
    assert discount_fen(terms, 58_00) == 10_00


@pytest.mark.parametrize(
    ("eligible", "pay_percent", "cap", "expected"),
    [
        (100_00, 88, None, 12_00),  # 8.8折 on ¥100 → ¥12 off
        (99_99, 88, None, 11_99),  # ¥11.9988 off, rounded down to the fen
        (12_345, 95, None, 6_17),  # 9.5折 on ¥123.45: ¥6.1725 → ¥6.17
        (1_000_00, 80, 50_00, 50_00),  # 8折 on ¥1000 is ¥200, capped at ¥50
        (1, 50, None, 0),
    ],
)
def test_percent_off_rounds_down_and_respects_the_cap(
    eligible: int, pay_percent: int, cap: int | None, expected: int
) -> None:
    terms = CouponTerms(CouponKind.PERCENT, pay_percent=pay_percent, cap_fen=cap)
    assert discount_fen(terms, eligible) == expected


def test_gift_coupon_takes_no_money_off() -> None:
    assert discount_fen(CouponTerms(CouponKind.GIFT), 100_00) == 0


def test_category_limited_coupons_count_only_their_categories() -> None:
    terms = CouponTerms(CouponKind.THRESHOLD, 20_00, 100_00, category_ids=frozenset({1}))
    assert eligible_amount(terms, 150_00, [(1, 90_00), (2, 60_00)]) == 90_00
    assert eligible_amount(terms, 150_00, [(2, 150_00)]) is None
    assert eligible_amount(terms, 150_00, []) is None
    assert eligible_amount(CouponTerms(CouponKind.CASH, 5_00), 150_00, []) == 150_00


def test_validity_counts_the_issue_day_or_uses_fixed_dates() -> None:
    issued = dt.date(2025, 5, 1)
    assert validity(issued, None, None, 30) == (issued, dt.date(2025, 5, 30))
    assert validity(issued, dt.date(2025, 6, 1), dt.date(2025, 6, 30), None) == (
        dt.date(2025, 6, 1),
        dt.date(2025, 6, 30),
    )
    assert status_on("unused", dt.date(2025, 5, 30), dt.date(2025, 5, 31)) is CouponStatus.EXPIRED
    assert status_on("unused", dt.date(2025, 5, 30), dt.date(2025, 5, 30)) is CouponStatus.UNUSED
    assert status_on("used", dt.date(2025, 5, 1), dt.date(2025, 6, 1)) is CouponStatus.USED


def test_codes_avoid_ambiguous_characters_and_catch_typos() -> None:
    assert not set("01OIL") & set(CODE_ALPHABET)
    code = new_code()
    assert len(code) == 8 and is_valid_code(code)
    assert is_valid_code(f" {code[:4].lower()}-{code[4:]} ")
    for position in range(len(code)):
        for replacement in CODE_ALPHABET:
            if replacement != code[position]:
                typo = code[:position] + replacement + code[position + 1 :]
                assert not is_valid_code(typo), typo
    swapped = code[1] + code[0] + code[2:]
    assert code[0] == code[1] or not is_valid_code(swapped)
    assert normalize_code(" ab-cd ") == "ABCD"
    assert not is_valid_code("0000000")
