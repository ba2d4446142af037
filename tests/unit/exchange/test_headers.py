"""Column names to fields: aliases in Chinese and English, decorations, and finding the header row."""

from __future__ import annotations

import pytest

from shopdesk.exchange.headers import (
    CONTAINED,
    EXACT,
    MEMBER_FIELDS,
    PURCHASE_FIELDS,
    column_letter,
    detect_header,
    match_field,
    normalise_title,
)
from shopdesk.i18n import setup_i18n


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("手机号码（必填）*", "手机号码"),
        ("  Phone No. ", "phoneno"),
        ("金额(元)", "金额"),
        ("ＰＨＯＮＥ", "phone"),
        ("积分：", "积分"),
        ("(元)", "(元)"),
        (None, ""),
    ],
)
def test_titles_are_folded(title: object, expected: str) -> None:
    assert normalise_title(title) == expected


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("手机", "phone"),
        ("手机号", "phone"),
        ("手机号码", "phone"),
        ("电话", "phone"),
        ("Phone", "phone"),
        ("MOBILE", "phone"),
        ("姓名", "name"),
        ("名字", "name"),
        ("Name", "name"),
        ("生日", "birthday"),
        ("Birthday", "birthday"),
        ("等级", "tier"),
        ("tier", "tier"),
        ("积分", "points"),
        ("Points", "points"),
        ("标签", "tags"),
        ("tags", "tags"),
        ("备注", "notes"),
        ("notes", "notes"),
        ("推荐人", "referrer"),
        ("referrer", "referrer"),
        ("导购", "staff"),
        ("staff", "staff"),
        ("来源", "source"),
    ],
)
def test_member_aliases_from_the_issue(title: str, key: str) -> None:
    assert match_field(title, MEMBER_FIELDS) == (key, EXACT)


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("日期", "date"),
        ("消费日期", "date"),
        ("date", "date"),
        ("金额", "amount"),
        ("消费金额", "amount"),
        ("amount", "amount"),
        ("品类", "category"),
        ("商品", "item"),
        ("category", "category"),
        ("实付金额", "paid"),
        ("单号", "order_no"),
    ],
)
def test_purchase_aliases_from_the_issue(title: str, key: str) -> None:
    assert match_field(title, PURCHASE_FIELDS) == (key, EXACT)


def test_a_contained_alias_matches_and_the_longest_wins() -> None:
    assert match_field("客户的手机", MEMBER_FIELDS) == ("phone", CONTAINED)
    assert match_field("推荐人手机号码", MEMBER_FIELDS) == ("referrer_phone", CONTAINED)
    assert match_field("本次实付金额", PURCHASE_FIELDS) == ("paid", CONTAINED)


def test_figures_our_exports_write_are_never_taken_for_fields() -> None:
    assert match_field("Total spent", MEMBER_FIELDS) == (None, 0)
    assert match_field("最近消费", PURCHASE_FIELDS) == (None, 0)
    assert match_field("会员名单里最长的一段话说明", MEMBER_FIELDS) == (None, 0)


def test_labels_in_the_current_language_are_aliases() -> None:
    setup_i18n("zh_CN")
    from shopdesk.i18n import _

    assert match_field(_("Referrer phone"), MEMBER_FIELDS)[0] == "referrer_phone"


def test_header_under_title_rows() -> None:
    rows = [
        ["XX店会员积分表", "", ""],
        ["", "", ""],
        ["手机号", "姓名", "积分"],
        ["13800138000", "张三", 10.0],
    ]
    header = detect_header(rows, MEMBER_FIELDS)
    assert header is not None
    assert (header.header_row, header.data_start) == (2, 3)
    assert header.mapping == {0: "phone", 1: "name", 2: "points"}


def test_header_spread_over_two_rows_with_merged_cells() -> None:
    rows = [
        ["会员信息", "", "", "消费"],
        ["手机号", "姓名", "", ""],
        ["", "", "生日", "积分"],
        ["13800138000", "张三", "3月9日", 10.0],
    ]
    # 手机号 and 姓名 are merged down over rows 2-3; 生日/积分 sit in the second header row.
    merged = [(1, 0, 2, 0), (1, 1, 2, 1), (0, 0, 0, 2)]
    header = detect_header(rows, MEMBER_FIELDS, merged)
    assert header is not None
    assert header.data_start == 3
    assert header.mapping == {0: "phone", 1: "name", 2: "birthday", 3: "points"}


def test_each_field_is_mapped_once() -> None:
    header = detect_header([["手机", "电话", "姓名"]], MEMBER_FIELDS)
    assert header is not None
    assert header.mapping == {0: "phone", 2: "name"}
    assert header.column_of("phone") == 0 and header.column_of("notes") is None


def test_a_sheet_without_column_names() -> None:
    assert detect_header([["13800138000", "张三"], ["13900139000", "李四"]], MEMBER_FIELDS) is None


def test_the_header_row_can_be_forced() -> None:
    header = detect_header([["姓名"], ["手机号", "姓名"]], MEMBER_FIELDS, header_row=1)
    assert header is not None and header.header_row == 1


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
