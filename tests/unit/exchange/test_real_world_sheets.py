"""Sheets as Chinese shops really keep and export them: till and member-card exports (有赞, 微盟, 客如云,
银豹 …), a shopkeeper's own WPS list, CSV in every encoding. Each test says what the shopkeeper expects:
imported right, a row error in words they understand, or one clear note about the whole file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from shopdesk.domain.birthdays import Birthday
from shopdesk.exchange import coerce
from shopdesk.exchange.coerce import CellError
from shopdesk.exchange.member_import import plan_member_import
from shopdesk.exchange.plan import ImportPlan
from shopdesk.exchange.purchase_import import plan_purchase_import
from shopdesk.exchange.readers import read_sheet
from shopdesk.services.members import MemberInput, create_member

from .sheets import csv_bytes, xlsx

TODAY = dt.date(2024, 5, 1)


def _mapped(plan: ImportPlan) -> dict[str, str]:
    """``{column title: field}`` as detected."""
    return {plan.header.titles[column]: key for column, key in plan.header.mapping.items()}


def _by_phone(plan: ImportPlan) -> dict[str, dict]:
    return {record["phone"]: record for record in plan.records}


def _errors(plan: ImportPlan) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.reason) for error in plan.errors]


@pytest.fixture
def members(db: object) -> None:
    for index in range(10):
        create_member(MemberInput(name=f"会员{index}", phone=f"1380013800{index}"))


# -- which columns -------------------------------------------------------------------------------------


def test_a_discount_column_is_not_taken_for_the_amount(members: None, tmp_path: Path) -> None:
    rows = [
        ["订单编号", "支付时间", "手机号", "商品分类", "实付金额", "优惠金额", "订单原价"],
        ["1001", "2023-05-01 10:20:00", "13800138000", "护肤", "90.00", "10.00", "100.00"],
    ]
    plan = plan_purchase_import(xlsx(tmp_path / "美团.xlsx", rows))
    assert _mapped(plan) == {
        "订单编号": "order_no",
        "支付时间": "date",
        "手机号": "phone",
        "商品分类": "category",
        "实付金额": "paid",
        "订单原价": "amount",
    }
    [record] = plan.records
    assert (record["amount"], record["paid"]) == (10000, 9000)


@pytest.mark.parametrize(
    "title", ["储值余额", "累计积分", "赠送积分", "导购工号", "推荐人卡号", "紧急联系人电话", "会员卡号"]
)
def test_columns_that_only_look_like_a_field_are_left_alone(db: object, tmp_path: Path, title: str) -> None:
    rows = [["姓名", "手机号码", title], ["张三", "13800138000", "0001"]]
    plan = plan_member_import(xlsx(tmp_path / "m.xlsx", rows))
    assert _mapped(plan) == {"姓名": "name", "手机号码": "phone"}
    assert not plan.errors


def test_a_card_export_maps_every_column_it_can(db: object, tmp_path: Path) -> None:
    titles = "会员卡号 会员姓名 手机号码 性别 生日 积分余额 储值余额 累计消费 消费次数 最近消费时间 开卡时间"
    row = ["NO.0001", "张三", "13800138000", "女", "1990-05-01", "1,200", "¥100.00", "¥1,280.00", 5]
    row += ["2024-01-02 10:20:00", "2023-05-01 10:20:00", "总店", "", "老客"]
    rows = [[*titles.split(), "开卡门店", "推荐人手机", "备注"], row]
    plan = plan_member_import(xlsx(tmp_path / "有赞.xlsx", rows))
    assert set(_mapped(plan)) == {
        "会员姓名",
        "手机号码",
        "性别",
        "生日",
        "积分余额",
        "开卡时间",
        "推荐人手机",
        "备注",
    }
    [record] = plan.records
    assert (record["points"], record["joined"]) == (1200, dt.datetime(2023, 5, 1, 10, 20))


@pytest.mark.parametrize("title", ["成为会员时间", "办卡日期", "领卡时间", "开通时间", "创建时间"])
def test_more_names_for_the_joining_date(db: object, tmp_path: Path, title: str) -> None:
    plan = plan_member_import(
        xlsx(tmp_path / "m.xlsx", [["姓名", "手机", title], ["张三", "13800138000", "2023.5.1"]])
    )
    assert plan.records[0]["joined"] == dt.datetime(2023, 5, 1)


# -- which sheet, which file ---------------------------------------------------------------------------


def test_the_list_on_a_second_sheet_is_found(db: object, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = "说明"
    cover.append(["本表由系统导出，请勿修改格式"])
    data = workbook.create_sheet("会员列表")
    data.append(["会员姓名", "手机号码"])
    data.append(["张三", "13800138000"])
    workbook.save(tmp_path / "two.xlsx")
    plan = plan_member_import(tmp_path / "two.xlsx")
    assert plan.sheet.name == "会员列表"
    assert [record["phone"] for record in plan.records] == ["13800138000"]
    assert plan.notes == [
        "The list was read from the sheet 会员列表: no column names ShopDesk knows were found on 说明."
    ]
    assert read_sheet(tmp_path / "two.xlsx").name == "说明"  # without a judge, the first with data


def test_a_till_csv_that_wraps_numbers_for_excel(db: object, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes('会员姓名,手机号码,积分\r\n张三,="13800138000","1,200"\r\n'.encode("gbk"))
    plan = plan_member_import(path)
    assert [(record["phone"], record["points"]) for record in plan.records] == [("13800138000", 1200)]


# -- cells ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["'13800138000", '="13800138000"', "13800138000(微信同号)", "手机：13800138000", "`13800138000"],
)
def test_a_phone_wrapped_or_with_a_remark(value: str) -> None:
    assert coerce.phone(value) == "13800138000"


@pytest.mark.parametrize(
    "value", ["13800138000/13900139000", "13800138000，13900139000", "138 0013 8000  139 0013 9000"]
)
def test_several_phones_in_one_cell_give_the_first_and_keep_the_rest(value: str) -> None:
    result = coerce.phone(value)
    assert (result, result.others) == ("13800138000", ("13900139000",))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("0571-88886666", "landline"),
        ("(0571)8888 6666", "landline"),
        ("138****8000", "hidden"),
        ("1.38001380E+10", "Excel shortened"),
        ("13800138000/1390013900", "11 digits"),
    ],
)
def test_phones_that_cannot_be_used_say_why(value: str, reason: str) -> None:
    with pytest.raises(CellError, match=reason):
        coerce.phone(value)


@pytest.mark.parametrize("value", ["1990", 1990, "1990.05", 1990.05, "1990年5月", "1990-05", "199005"])
def test_a_birthday_without_a_day_says_so(value: object) -> None:
    """1990.05 typed into a number cell would otherwise be read as a date serial: 1905-06-12."""
    with pytest.raises(CellError, match="no day"):
        coerce.birthday(value, TODAY)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (501, Birthday(5, 1)),
        ("0501", Birthday(5, 1)),
        (1231, Birthday(12, 31)),
        ("1990-05-01T00:00:00", Birthday(5, 1, 1990)),
    ],
)
def test_more_birthday_forms(value: object, expected: Birthday) -> None:
    assert coerce.birthday(value, TODAY) == expected


@pytest.mark.parametrize("value", ["农历五月初一", "农历5月1日", "腊月初八"])
def test_a_lunar_birthday_is_refused_with_the_reason(value: str) -> None:
    with pytest.raises(CellError, match="lunar"):
        coerce.birthday(value, TODAY)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023/5/1 星期一", dt.datetime(2023, 5, 1)),
        ("2023-05-01(周一) 10:20", dt.datetime(2023, 5, 1, 10, 20)),
        ("2023-5-1 下午2:30", dt.datetime(2023, 5, 1, 14, 30)),
        ("2023-05-01 PM 10:20", dt.datetime(2023, 5, 1, 22, 20)),
        ("2023-05-01 12:05 AM", dt.datetime(2023, 5, 1, 0, 5)),
        ("2023-05-01T10:20", dt.datetime(2023, 5, 1, 10, 20)),
    ],
)
def test_more_date_forms(value: str, expected: dt.datetime) -> None:
    assert coerce.date_time(value) == expected


def test_a_web_export_time_with_a_zone_is_the_shops_clock() -> None:
    utc = coerce.date_time("2023-05-01T02:20:00Z")
    beijing = coerce.date_time("2023-05-01T10:20:00+08:00")
    assert utc == beijing == dt.datetime(2023, 5, 1, 2, 20, tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


@pytest.mark.parametrize("value", ["5月1日", "05-01"])
def test_a_sale_date_without_a_year_says_so(value: str) -> None:
    with pytest.raises(CellError, match="year is missing"):
        coerce.date_time(value)


def test_amounts_quantities_points_tags_and_genders_as_shops_write_them() -> None:
    assert coerce.money("CNY 99") == coerce.money("人民币99元") == 9900
    assert [coerce.is_negative(v) for v in ("-50", "¥-50", "-¥50", "(50.00)", -5, "−30")] == [True] * 6
    assert [coerce.is_negative(v) for v in ("50", "-", "abc", 0)] == [False] * 4
    assert [coerce.quantity(v) for v in ("1件", "2 个", "3瓶", "1盒")] == [1, 2, 3, 1]
    with pytest.raises(CellError, match="1 to 9999"):
        coerce.quantity("件")
    assert [coerce.points(v) for v in ("1200积分", "1 200", "1,200分")] == [1200] * 3
    assert coerce.tags("新客 敏感肌") == ("新客", "敏感肌")
    assert coerce.tags("VIP 老客") == ("VIP", "老客")
    assert coerce.tags("Gold member") == ("Gold member",)  # English tags keep their spaces
    assert coerce.tags("新客，老 客") == ("新客", "老 客")  # with separators, spaces are part of a tag
    assert [coerce.gender(v) for v in ("女生", "男的", "女士", "先生")] == ["F", "M", "F", "M"]
    for placeholder in ("-", "无", "暂无", "N/A"):
        with pytest.raises(CellError, match="Name is required"):
            coerce.name(placeholder)


# -- whole sheets ---------------------------------------------------------------------------------------

# A beauty salon's own WPS list: a merged title, 序号, a heading and the column names again for each
# month, blank rows, a lunar birthday column, and a 合计 line that counts people.
SALON = [
    ["星光美容院会员登记表", None, None, None, None, None],
    ["序号", "顾客", "电话", "生日(农历)", "爱好", "备注"],
    ["一月新会员", None, None, None, None, None],
    [1, "张三", "138 0013 8000", "5月1日", "瑜伽", None],
    [2, "李四", "'13800138001", "1990.05", None, "老客"],
    [3, "王五", "13800138002/13900139002", None, None, "熟客"],
    [None, None, None, None, None, None],
    ["二月新会员", None, None, None, None, None],
    ["序号", "顾客", "电话", "生日(农历)", "爱好", "备注"],
    [4, "赵六", "0571-88886666", None, None, None],
    [5, "钱七", "无", None, None, None],
    [6, "孙八", "13800138005", None, None, None],
    [7, None, None, None, None, None],  # numbered in advance, not filled in
    ["合计：6人", None, None, None, None, None],
]


def test_a_salons_own_list(db: object, tmp_path: Path) -> None:
    plan = plan_member_import(xlsx(tmp_path / "会员登记表.xlsx", SALON, merges=["A1:F1", "A3:F3", "A8:F8"]))
    assert plan.header.header_row == 1
    assert _mapped(plan) == {"顾客": "name", "电话": "phone", "备注": "notes"}  # the lunar column is left out
    records = _by_phone(plan)
    assert sorted(records) == ["13800138000", "13800138001", "13800138002", "13800138005"]
    assert records["13800138002"]["notes"] == "熟客\nOther phones: 13900139002"
    assert type(records["13800138002"]["phone"]) is str
    assert _errors(plan) == [
        (
            10,
            "C",
            "This is a landline number; members are known by their mobile phone (11 digits starting with 1).",
        ),
        (11, "C", "Phone is required."),
    ]
    assert (plan.data_rows, plan.invalid_rows) == (6, 2)
    assert plan.notes == [
        "Column D (生日(农历)) holds lunar-calendar birthdays; ShopDesk keeps birthdays by the solar "
        "calendar, so it was left out. Choose it as the birthday column to import the dates as they are "
        "written.",
        "1 row gives several phones in one cell: the first is the member's phone, the others were added to "
        "their notes (row 6).",
    ]


def test_the_lunar_column_imports_as_written_when_the_user_chooses_it(db: object, tmp_path: Path) -> None:
    rows = [["顾客", "电话", "生日(农历)"], ["张三", "13800138000", "5月1日"]]
    plan = plan_member_import(xlsx(tmp_path / "m.xlsx", rows), mapping={0: "name", 1: "phone", 2: "birthday"})
    assert plan.records[0]["birthday"] == Birthday(5, 1)
    assert not plan.notes


def test_card_numbers_that_are_phones_are_the_phone(members: None, tmp_path: Path) -> None:
    rows = [["会员卡号", "会员姓名", "积分"], *([f"1380013800{i}", f"会员{i}", 10] for i in range(5))]
    plan = plan_member_import(xlsx(tmp_path / "cards.xlsx", rows))
    assert _mapped(plan) == {"会员卡号": "phone", "会员姓名": "name", "积分": "points"}
    assert len(plan.records) == 5
    assert plan.notes == ["Column A (会员卡号) holds phone numbers, so it is read as the phone."]
    sales = [
        ["卡号", "消费时间", "消费金额"],
        ["13800138000", "2023-05-01", 100],
        ["13800138001", "2023-05-02", 50],
    ]
    assert len(plan_purchase_import(xlsx(tmp_path / "sales.xlsx", sales)).records) == 2
    numbers = [["会员卡号", "会员姓名"], ["0001", "张三"], ["0002", "李四"], ["0003", "王五"]]
    assert plan_member_import(xlsx(tmp_path / "numbers.xlsx", numbers)).missing_required == ["Phone"]


def test_a_till_export_of_sales(members: None, tmp_path: Path) -> None:
    rows = [
        [
            "订单号",
            "下单时间",
            "会员手机",
            "会员姓名",
            "商品名称",
            "数量",
            "订单金额",
            "实收金额",
            "支付方式",
        ],
        ["A1", "2023-05-01 10:20:00", "13800138000", "会员0", "面霜", "1件", "¥1,280.00", "1280元", "微信"],
        ["A2", "2023/5/2 星期二", "138 0013 8001", "会员1", "洗面奶", "2支", "RMB 99", 99, "支付宝"],
        ["A3", "2023-5-3 下午2:30", "-", "散客", "口红", 1, "￥199", "￥199", "现金"],
        ["A4", "2023-05-04 10:00:00", "13800138002", "会员2", "退货", 1, "-50", "-50", "现金"],
        ["A5", "5月5日", "13800138003", "会员3", "口红", 1, 199, 199, "现金"],
        ["A6", 45051.5, "13800138004/13900139004", "会员4", "口红", 1, 199, 199, "现金"],
        ["合计", None, None, None, None, 5, "1,724.00", None, None],
    ]
    plan = plan_purchase_import(xlsx(tmp_path / "pos.xlsx", rows))
    got = {record["order_no"]: record for record in plan.records}
    assert sorted(got) == ["A1", "A2", "A3", "A6"]
    assert (got["A1"]["qty"], got["A1"]["amount"], got["A1"]["paid"]) == (1, 128000, 128000)
    assert (got["A2"]["date"], got["A2"]["qty"]) == (dt.datetime(2023, 5, 2), 2)
    assert (got["A3"]["phone"], got["A3"]["name"], got["A3"]["date"]) == (
        None,
        None,
        dt.datetime(2023, 5, 3, 14, 30),
    )
    assert (got["A6"]["phone"], got["A6"]["date"]) == ("13800138004", dt.datetime(2023, 5, 5, 12))
    refund = "A negative amount is a refund. ShopDesk records a refund on the sale itself"
    assert [(row, column, reason[: len(refund)]) for row, column, reason in _errors(plan)] == [
        (5, "G", refund),
        (5, "H", refund),
        (6, "B", "The year is missing; write the date like 2023-05-01."[: len(refund)]),
    ]
    assert "1 row gives several phones in one cell; the first was used (row 7)." in plan.notes
    assert "1 sale has no phone or name: it will be recorded as a walk-in sale." in plan.notes


def test_a_till_that_exports_only_what_was_paid(members: None, tmp_path: Path) -> None:
    rows = [["支付时间", "手机号", "实付金额"], ["2023-05-01 10:20:00", "13800138000", "¥90.00"]]
    plan = plan_purchase_import(xlsx(tmp_path / "paid.xlsx", rows))
    assert _mapped(plan) == {"支付时间": "date", "手机号": "phone", "实付金额": "amount"}
    assert plan.records[0]["amount"] == 9000


# Excel's "Unicode text" (UTF-16, tabs), a European-locale CSV (semicolons), GBK from Chinese Excel.
@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-16", "\t"), ("utf-8-sig", ";"), ("gbk", ","), ("gb18030", ",")]
)
def test_text_exports_of_a_member_card_list(
    db: object, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    rows = [
        ["会员姓名", "手机号码", "性别", "生日", "积分余额", "会员标签", "注册时间"],
        ["张三", "+86 13800138000", "女士", "1990/05/01", "1200分", "VIP 敏感肌", "2023.5.1"],
        ["李四", "8613900139000", "先生", "05-01", "-", "", "20230501"],
        ["王五", "１３７００１３７０００", "F", "1990-5-1 0:00:00", "0", "新客", "2023/05/01 10:20"],
    ]
    path = tmp_path / "members.csv"
    path.write_bytes(csv_bytes(rows, encoding, delimiter))
    plan = plan_member_import(path)
    assert not plan.errors
    records = _by_phone(plan)
    assert records["13800138000"]["tags"] == ("VIP", "敏感肌")
    assert records["13800138000"]["points"] == 1200
    assert records["13900139000"]["points"] is None  # "-" says nothing
    assert records["13900139000"]["birthday"] == Birthday(5, 1)
    assert records["13700137000"]["joined"] == dt.datetime(2023, 5, 1, 10, 20)
    assert [records[p]["gender"] for p in ("13800138000", "13900139000", "13700137000")] == ["F", "M", "F"]


def test_headings_merged_across_the_list_are_not_members(db: object, tmp_path: Path) -> None:
    rows = [
        ["姓名", "手机", "生日"],
        ["一月", None, None],
        ["张三", "13800138000", "1990-05-01"],
        ["二月", None, None],  # not merged: it may be a member whose phone is missing, so it is shown
        ["李四", "13800138001", None],
        ["本页合计", None, None],
    ]
    plan = plan_member_import(xlsx(tmp_path / "m.xlsx", rows, merges=["A2:C2"]))
    assert sorted(_by_phone(plan)) == ["13800138000", "13800138001"]
    assert _errors(plan) == [(4, "B", "Phone is required.")]


def test_a_list_with_a_landline_and_a_mobile_column_reads_the_mobile(db: object, tmp_path: Path) -> None:
    rows = [["姓名", "电话", "手机"], ["张三", "0571-88886666", "13800138000"]]
    plan = plan_member_import(xlsx(tmp_path / "m.xlsx", rows))
    assert _mapped(plan) == {"姓名": "name", "手机": "phone"}
    assert [record["phone"] for record in plan.records] == ["13800138000"]


def test_a_wechat_nickname_is_the_name_only_without_a_name_column(db: object, tmp_path: Path) -> None:
    alone = [["微信昵称", "手机号"], ["小张🌸", "13800138000"]]
    plan = plan_member_import(xlsx(tmp_path / "alone.xlsx", alone))
    assert _mapped(plan) == {"微信昵称": "name", "手机号": "phone"}
    assert plan.records[0]["name"] == "小张🌸"
    both = [["客户昵称", "真实姓名", "手机号"], ["小张🌸", "张三", "13800138000"]]
    assert plan_member_import(xlsx(tmp_path / "both.xlsx", both)).records[0]["name"] == "张三"


def test_zero_width_characters_pasted_from_wechat(db: object, tmp_path: Path) -> None:
    rows = [["\u200b姓名", "\ufeff手机号"], ["张三\u200b", "13800138000\u200b"]]
    plan = plan_member_import(xlsx(tmp_path / "m.xlsx", rows))
    assert [(record["name"], record["phone"]) for record in plan.records] == [("张三", "13800138000")]


def test_an_apostrophe_that_kept_a_value_as_text(db: object, tmp_path: Path) -> None:
    rows = [
        ["姓名", "手机", "生日", "入会日期"],
        ["张三", "'13800138000", "'1990-05-01", "'2023-05-01 10:20"],
    ]
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes(rows, "utf-8-sig"))
    sheet = plan_member_import(xlsx(tmp_path / "m.xlsx", rows))
    for plan in (plan_member_import(path), sheet):
        [record] = plan.records
        assert (record["phone"], record["birthday"], record["joined"]) == (
            "13800138000",
            Birthday(5, 1, 1990),
            dt.datetime(2023, 5, 1, 10, 20),
        )
