"""Finding members by phone, pinyin or name, ranked, filtered and sorted; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.db.models import Member
from shopdesk.services.member_search import MemberOrder, MemberQuery, SearchKind, classify, search_member_ids
from shopdesk.services.members import MemberInput, archive_member, create_member
from shopdesk.services.purchases import PurchaseInput, record_purchase


def _add(name: str, phone: str, purchases: tuple[tuple[str, int], ...] = (), joined: str = "") -> int:
    member_id = create_member(MemberInput(name=name, phone=phone))
    for day, fen in purchases:
        record_purchase(
            PurchaseInput(member_id=member_id, amount_fen=fen, purchased_at=dt.datetime.fromisoformat(day))
        )
    if joined:
        Member.update(created_at=dt.datetime.fromisoformat(joined)).where(Member.id == member_id).execute()
    return member_id


@pytest.fixture
def shop(db: object) -> dict[str, int]:
    """Four live members and an archived one, with purchases that make every order differ."""
    ids = {
        "张三": _add("张三", "13800138000", (("2024-01-10 10:00", 10000), ("2024-03-01 10:00", 5000)),
                   "2023-01-01 09:00"),
        "张三丰": _add("张三丰", "13980001234", (("2024-02-01 10:00", 30000),), "2023-06-01 09:00"),
        "小张三": _add("小张三", "13712345678", (), "2023-03-01 09:00"),
        "赵四": _add("赵四", "15900008000", (("2024-05-01 10:00", 2000),), "2022-01-01 09:00"),
        "李四": _add("李四", "18600008000", (("2023-12-01 10:00", 9900),), "2021-01-01 09:00"),
    }
    archive_member(ids["李四"])
    return ids


def _names(shop: dict[str, int], query: MemberQuery | str) -> list[str]:
    by_id = {member_id: name for name, member_id in shop.items()}
    return [by_id[member_id] for member_id in search_member_ids(query)]


@pytest.mark.parametrize(
    ("text", "kind", "term"),
    [
        ("", SearchKind.ALL, ""),
        ("   ", SearchKind.ALL, ""),
        ("8000", SearchKind.PHONE, "8000"),
        ("138 0013 8000", SearchKind.PHONE, "13800138000"),
        ("+86 138-0013-8000", SearchKind.PHONE, "13800138000"),
        ("１３８", SearchKind.PHONE, "138"),
        ("zs", SearchKind.PINYIN, "zs"),
        ("Zhang San", SearchKind.PINYIN, "zhangsan"),
        ("张三", SearchKind.NAME, "张三"),
        (" 张  三 ", SearchKind.NAME, "张 三"),
        ("a_b", SearchKind.NAME, "a_b"),
        ("50%", SearchKind.NAME, "50%"),
    ],
)
def test_classify(text: str, kind: SearchKind, term: str) -> None:
    assert classify(text) == (kind, term)


def test_last_four_digits_rank_the_phone_tail_before_a_match_inside(shop: dict[str, int]) -> None:
    # 赵四 and 张三 end with 8000 (赵四 bought last), 张三丰's 139-8000-1234 has it inside,
    # 李四 ends with 8000 too but is archived.
    assert _names(shop, "8000") == ["赵四", "张三", "张三丰"]


def test_a_full_phone_finds_its_member_however_it_is_typed(shop: dict[str, int]) -> None:
    for text in ("13800138000", "138 0013 8000", "+86 138-0013-8000", "１３８００１３８０００"):
        assert _names(shop, text) == ["张三"], text


def test_an_exact_phone_comes_before_tails_and_substrings(db: object) -> None:
    # A short number stored as is (an old import) equals the term; others merely end with or contain it.
    ids = {
        "inside": _add("甲", "13812345678"),
        "tail": _add("乙", "13800012345"),
    }
    exact = _add("丙", "13900000000")
    Member.update(phone="12345", phone_rev="54321").where(Member.id == exact).execute()
    ids["exact"] = exact
    assert search_member_ids("12345") == [ids["exact"], ids["tail"], ids["inside"]]


def test_a_phone_substring_anywhere(shop: dict[str, int]) -> None:
    assert set(_names(shop, "0013")) == {"张三"}
    assert set(_names(shop, "1234")) == {"张三丰", "小张三"}
    assert _names(shop, "99999") == []


def test_pinyin_initials(shop: dict[str, int]) -> None:
    # Exact initials first (张三 zs, 赵四 zs, by last purchase), then initials that start with them (zsf).
    assert _names(shop, "zs") == ["赵四", "张三", "张三丰"]
    assert _names(shop, "ZS") == ["赵四", "张三", "张三丰"]
    assert _names(shop, "zsf") == ["张三丰"]
    assert _names(shop, "xzs") == ["小张三"]


def test_full_pinyin(shop: dict[str, int]) -> None:
    assert _names(shop, "zhangsan") == ["张三", "张三丰"]
    assert _names(shop, "zhang san") == ["张三", "张三丰"]
    assert _names(shop, "zhangsanfeng") == ["张三丰"]
    assert _names(shop, "zhaosi") == ["赵四"]
    assert _names(shop, "zhang") == ["张三", "张三丰"]  # pinyin from the start of the name only
    assert _names(shop, "qian") == []


def test_chinese_fragments_of_one_or_two_characters(shop: dict[str, int]) -> None:
    assert _names(shop, "张") == ["张三", "张三丰", "小张三"]  # starts with 张 before contains 张
    assert _names(shop, "三") == ["张三", "张三丰", "小张三"]
    assert _names(shop, "三丰") == ["张三丰"]
    assert _names(shop, "四") == ["赵四"]
    assert _names(shop, "钱") == []


def test_exact_name_before_prefix_before_contains(db: object) -> None:
    contains = _add("小张三", "13700000001", (("2024-06-01 10:00", 100),))  # bought most recently
    prefix = _add("张三丰", "13700000002", (("2024-05-01 10:00", 100),))
    exact = _add("张三", "13700000003")  # never bought
    assert search_member_ids("张三") == [exact, prefix, contains]


def test_archived_members_are_found_only_when_asked(shop: dict[str, int]) -> None:
    assert "李四" not in _names(shop, "")
    assert _names(shop, "李四") == []
    assert _names(shop, MemberQuery("李四", include_archived=True)) == ["李四"]
    assert _names(shop, MemberQuery("18600008000", include_archived=True)) == ["李四"]
    everyone = _names(shop, MemberQuery("", include_archived=True))
    assert sorted(everyone) == sorted(shop)


def test_no_text_lists_everyone_by_last_purchase(shop: dict[str, int]) -> None:
    assert _names(shop, "") == ["赵四", "张三", "张三丰", "小张三"]


@pytest.mark.parametrize(
    ("order", "descending", "expected"),
    [
        (MemberOrder.NAME, False, ["小张三", "张三", "张三丰", "赵四"]),
        (MemberOrder.NAME, True, ["赵四", "张三丰", "张三", "小张三"]),
        (MemberOrder.PHONE, False, ["小张三", "张三", "张三丰", "赵四"]),
        (MemberOrder.PHONE, True, ["赵四", "张三丰", "张三", "小张三"]),
        # Members who never bought come last both ways.
        (MemberOrder.LAST_PURCHASE, True, ["赵四", "张三", "张三丰", "小张三"]),
        (MemberOrder.LAST_PURCHASE, False, ["张三丰", "张三", "赵四", "小张三"]),
        (MemberOrder.TOTAL_SPENT, True, ["张三丰", "张三", "赵四", "小张三"]),
        (MemberOrder.TOTAL_SPENT, False, ["小张三", "赵四", "张三", "张三丰"]),
        # Equal counts (张三丰, 赵四) fall back to the id, in the same direction.
        (MemberOrder.PURCHASE_COUNT, True, ["张三", "赵四", "张三丰", "小张三"]),
        (MemberOrder.PURCHASE_COUNT, False, ["小张三", "张三丰", "赵四", "张三"]),
        (MemberOrder.JOINED, True, ["张三丰", "小张三", "张三", "赵四"]),
        (MemberOrder.JOINED, False, ["赵四", "张三", "小张三", "张三丰"]),
        (MemberOrder.RELEVANCE, True, ["赵四", "张三", "张三丰", "小张三"]),
    ],
)
def test_every_order(shop: dict[str, int], order: MemberOrder, descending: bool, expected: list[str]) -> None:
    assert _names(shop, MemberQuery("", order=order, descending=descending)) == expected


def test_a_chosen_order_replaces_relevance(shop: dict[str, int]) -> None:
    query = MemberQuery("8000", order=MemberOrder.TOTAL_SPENT, descending=True)
    assert _names(shop, query) == ["张三丰", "张三", "赵四"]
    query = MemberQuery("张", order=MemberOrder.NAME, descending=False)
    assert _names(shop, query) == ["小张三", "张三", "张三丰"]


def test_like_wildcards_typed_are_literal(db: object) -> None:
    ids = {
        name: _add(name, f"1370000000{index}")
        for index, name in enumerate(["50%会员", "500会员", "A_B", "AxB", "王\\五", "王五", "%", "_"])
    }

    def found(text: str) -> set[str]:
        return {name for name, member_id in ids.items() if member_id in search_member_ids(text)}

    assert found("50%") == {"50%会员"}
    assert found("%") == {"50%会员", "%"}
    assert found("a_b") == {"A_B"}
    assert found("_") == {"A_B", "_"}
    assert found("王\\") == {"王\\五"}
    assert found("王%五") == set()
