"""Names to (full pinyin, initials) for search, with surname readings and compound surnames."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopdesk.domain.pinyin import COMPOUND_SURNAMES, SURNAME_READINGS, name_pinyin


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张三", "zhangsan", "zs"),
        ("李四", "lisi", "ls"),
        ("王小明", "wangxiaoming", "wxm"),
        ("吕布", "lvbu", "lb"),  # ü is typed as v
        ("张 三", "zhangsan", "zs"),
        ("", "", ""),
    ],
)
def test_chinese_names(name: str, full: str, initials: str) -> None:
    assert name_pinyin(name) == (full, initials)


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("曾国藩", "zengguofan", "zgf"),  # not ceng
        ("单田芳", "shantianfang", "stf"),  # not dan
        ("区永", "ouyong", "oy"),  # not qu
        ("解缙", "xiejin", "xj"),  # not jie
        ("仇英", "qiuying", "qy"),  # not chou
        ("查良镛", "zhaliangyong", "zly"),  # not cha
        ("朴槿惠", "piaojinhui", "pjh"),
    ],
)
def test_surnames_use_their_own_reading(name: str, full: str, initials: str) -> None:
    assert name_pinyin(name) == (full, initials)


def test_surname_readings_apply_to_the_first_character_only() -> None:
    # 曾 inside a given name keeps its ordinary reading.
    full, _ = name_pinyin("王曾")
    assert full == "wangceng"


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("欧阳娜娜", "ouyangnana", "oynn"),
        ("司马光", "simaguang", "smg"),
        ("诸葛亮", "zhugeliang", "zgl"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("长孙无忌", "zhangsunwuji", "zswj"),
        ("单于", "chanyu", "cy"),
    ],
)
def test_compound_surnames_are_read_as_a_unit(name: str, full: str, initials: str) -> None:
    assert name_pinyin(name) == (full, initials)


def test_every_listed_surname_reading_is_used() -> None:
    for surname, reading in SURNAME_READINGS.items():
        full, initials = name_pinyin(surname + "一")
        assert full == reading + "yi", surname
        assert initials == reading[0] + "y", surname
    for surname, (first, second) in COMPOUND_SURNAMES.items():
        assert name_pinyin(surname) == (first + second, first[0] + second[0]), surname


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("Amy", "amy", "a"),
        ("AMY", "amy", "a"),
        ("Amy Wang", "amywang", "aw"),  # each Latin word gives an initial
        ("Amy王", "amywang", "aw"),
        ("王Amy", "wangamy", "wa"),
        ("王2号", "wang2hao", "w2h"),
        ("Ａｍｙ", "amy", "a"),  # full-width letters, as a Chinese keyboard types them
        ("José", "jose", "j"),
        ("王-小明", "wangxiaoming", "wxm"),
    ],
)
def test_latin_names(name: str, full: str, initials: str) -> None:
    assert name_pinyin(name) == (full, initials)


def test_a_single_letter_reading_of_a_chinese_character_is_a_syllable() -> None:
    # 阿 reads "a": it must not glue onto a following Latin word as if it were a letter.
    assert name_pinyin("阿Q") == ("aq", "aq")
    assert name_pinyin("阿花") == ("ahua", "ah")


_ASCII_LOWER = re.compile(r"^[a-z0-9]*$")


@given(st.text(max_size=12))
def test_any_name_gives_lower_case_ascii(name: str) -> None:
    full, initials = name_pinyin(name)
    assert _ASCII_LOWER.match(full), full
    assert _ASCII_LOWER.match(initials), initials
    assert len(initials) <= len(full)


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=4))
def test_common_chinese_characters_give_one_initial_each(name: str) -> None:
    full, initials = name_pinyin(name)
    assert len(initials) == len(name)
    assert full.startswith(initials[0])
