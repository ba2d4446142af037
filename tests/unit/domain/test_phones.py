"""Phone numbers as people and spreadsheets type them: normalised, validated with the field named, masked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopdesk.domain.phones import clean_phone, format_phone, is_valid_phone, mask_phone, normalize_phone
from shopdesk.errors import ValidationError


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        " 13800138000 ",
        "138 0013 8000",
        "138-0013-8000",
        "138–0013–8000",
        "(138)00138000",
        "+8613800138000",
        "+86 138 0013 8000",
        "+86-138-0013-8000",
        "008613800138000",
        "0086 138 0013 8000",
        "8613800138000",
        "１３８００１３８０００",
        "＋８６ １３８ ００１３ ８０００",
        "１３８－００１３－８０００",
        "13800138000.0",
        "13800138000.00",
        13800138000,
        13800138000.0,
    ],
)
def test_normalize_phone_accepts_what_people_and_excel_type(raw: object) -> None:
    assert normalize_phone(raw) == "13800138000"


@pytest.mark.parametrize("prefix", ["13", "14", "15", "16", "17", "18", "19"])
def test_every_mainland_mobile_prefix_is_valid(prefix: str) -> None:
    phone = prefix + "012345678"[:9]
    assert normalize_phone(phone) == phone
    assert is_valid_phone(phone)


@pytest.mark.parametrize(
    "raw",
    [
        "12800138000",  # no mobile range starts 12
        "23800138000",
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "13800138000.5",  # a float that is not a whole number
        13800138000.5,
        "1380013800a",
        "phone",
        "+1 415 555 0100",
        "010-12345678",  # a landline
        "1380013800٠",  # an Arabic-Indic zero: a digit to Python, not to the shop's phone system
        float("nan"),
        float("inf"),
    ],
)
def test_normalize_phone_refuses_what_is_not_a_mainland_mobile(raw: object) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert caught.value.field == "phone"
    assert "11 digits" in caught.value.message or "required" in caught.value.message


@pytest.mark.parametrize("raw", [None, "", "   ", float("nan")])
def test_normalize_phone_says_a_missing_phone_is_required(raw: object) -> None:
    with pytest.raises(ValidationError, match="required") as caught:
        normalize_phone(raw)
    assert caught.value.field == "phone"


def test_the_error_names_the_field_it_was_given() -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_phone("123", field="referrer_phone")
    assert caught.value.field == "referrer_phone"
    assert str(caught.value) == "Phone should be 11 digits starting with 1, for example 13800138000."


def test_clean_phone_keeps_partial_numbers_for_searching() -> None:
    assert clean_phone("8000") == "8000"
    assert clean_phone("138-0013") == "1380013"
    assert clean_phone(None) == ""
    assert clean_phone(8000) == "8000"


def test_clean_phone_strips_86_only_from_a_full_number() -> None:
    # "86" at the start of a short search term is part of the number, not a country code.
    assert clean_phone("8612") == "8612"
    assert clean_phone("8613800138000") == "13800138000"


def test_is_valid_phone_never_raises() -> None:
    assert is_valid_phone("+86 138 0013 8000")
    assert not is_valid_phone("hello")
    assert not is_valid_phone(None)


def test_mask_phone_hides_the_middle_four_digits() -> None:
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("12345678") == "****5678"
    assert mask_phone("123") == "123"
    assert mask_phone("") == ""


def test_format_phone_groups_digits_as_read_aloud() -> None:
    assert format_phone("13800138000") == "138 0013 8000"
    assert format_phone("8000") == "8000"


_MOBILES = st.from_regex(r"\A1[3-9][0-9]{9}\Z")


@given(
    phone=_MOBILES,
    prefix=st.sampled_from(["", "+86", "+86 ", "0086", "86", "+86-"]),
    separator=st.sampled_from(["", " ", "-", "–"]),
    full_width=st.booleans(),
)
def test_any_dressed_up_mobile_normalises_back(
    phone: str, prefix: str, separator: str, full_width: bool
) -> None:
    text = prefix + separator.join([phone[:3], phone[3:7], phone[7:]])
    if full_width:
        text = text.translate(str.maketrans("0123456789+", "０１２３４５６７８９＋"))
    assert normalize_phone(text) == phone
    assert mask_phone(phone).endswith(phone[-4:])
