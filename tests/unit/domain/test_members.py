"""What a member record may hold: names, notes, source channels and their labels."""

from __future__ import annotations

import pytest

from shopdesk.domain.members import (
    GENDER_LABELS,
    NAME_MAX,
    NOTES_MAX,
    SOURCE_LABELS,
    Gender,
    Source,
    clean_name,
    clean_notes,
    parse_source,
    source_label,
)
from shopdesk.errors import ValidationError


@pytest.mark.parametrize(
    ("raw", "name"),
    [("张三", "张三"), ("  张三  ", "张三"), ("Amy   Wang", "Amy Wang"), ("张\t三", "张 三"), (123, "123")],
)
def test_clean_name_trims_and_collapses_spaces(raw: object, name: str) -> None:
    assert clean_name(raw) == name


@pytest.mark.parametrize("raw", [None, "", "   ", "\n\t"])
def test_a_name_is_required(raw: object) -> None:
    with pytest.raises(ValidationError, match="required") as caught:
        clean_name(raw)
    assert caught.value.field == "name"


def test_a_name_has_at_most_30_characters() -> None:
    assert clean_name("张" * NAME_MAX) == "张" * NAME_MAX
    with pytest.raises(ValidationError, match="too long") as caught:
        clean_name("张" * (NAME_MAX + 1), field="referrer_name")
    assert caught.value.field == "referrer_name"


def test_clean_notes() -> None:
    assert clean_notes(None) == ""
    assert clean_notes("  likes roses \n") == "likes roses"
    assert clean_notes("x" * NOTES_MAX) == "x" * NOTES_MAX
    with pytest.raises(ValidationError, match="too long") as caught:
        clean_notes("x" * (NOTES_MAX + 1))
    assert caught.value.field == "notes"


@pytest.mark.parametrize(
    ("raw", "source"),
    [
        ("门店", Source.STORE),
        ("到店", Source.STORE),
        ("朋友圈", Source.MOMENTS),
        ("公众号", Source.OFFICIAL_ACCOUNT),
        ("小程序", Source.MINI_PROGRAM),
        ("抖音", Source.DOUYIN),
        ("转介绍", Source.REFERRAL),
        ("老带新", Source.REFERRAL),
        ("其他", Source.OTHER),
        ("其它", Source.OTHER),
        (" 抖音 ", Source.DOUYIN),
        ("store", Source.STORE),
        ("official_account", Source.OFFICIAL_ACCOUNT),
        ("In store", Source.STORE),
        ("wechat moments", Source.MOMENTS),
        ("DOUYIN", Source.DOUYIN),
        ("", Source.STORE),
        (None, Source.STORE),
        ("a flyer", Source.OTHER),
    ],
)
def test_parse_source(raw: object, source: Source) -> None:
    assert parse_source(raw) is source


def test_every_source_and_gender_has_a_label() -> None:
    assert set(SOURCE_LABELS) == set(Source)
    assert set(GENDER_LABELS) == set(Gender)
    for source in Source:
        assert parse_source(source.value) is source
        assert parse_source(SOURCE_LABELS[source]) is source


def test_source_label() -> None:
    assert source_label("referral") == "Referral"
    assert source_label("something_new") == "something_new"
