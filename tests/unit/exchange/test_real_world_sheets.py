"""Sheets as Chinese shops really keep and export them: till and member-card exports (有赞, 微盟, 客如云,
银豹 …), a shopkeeper's own WPS list, CSV in every encoding. Each test says what the shopkeeper expects:
imported right, a row error in words they understand, or one clear note about the whole file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from shopdesk.exchange.member_import import plan_member_import
from shopdesk.exchange.plan import ImportPlan
from shopdesk.exchange.purchase_import import plan_purchase_import
from shopdesk.exchange.readers import read_sheet
from shopdesk.services.members import MemberInput, create_member

from .sheets import xlsx


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
