"""Message templates (话术): placeholders in Chinese or English, filled from the member's record, and the
defaults a new shop gets — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.db.models import Member, MessageTemplate, Tier
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import setup_i18n
from shopdesk.services import catalog, coupons, members, points, purchases, tiers
from shopdesk.services.coupon_templates import TemplateInput, create_template
from shopdesk.services.members import MemberInput
from shopdesk.services.message_templates import (
    DEFAULT_TEMPLATES,
    PLACEHOLDERS,
    delete_template,
    ensure_default_templates,
    list_templates,
    message_for,
    render,
    save_template,
)
from shopdesk.services.purchases import PurchaseInput, PurchaseItemInput
from shopdesk.services.settings import SHOP_NAME, set_setting

TODAY = dt.date(2025, 6, 10)
VALUES = {"name": "王芳", "points": "320", "shop": "小美护肤"}


# ---- filling placeholders (no database) -----------------------------------------------------------------


def test_chinese_and_english_placeholders_fill_alike() -> None:
    assert (
        render("{姓名}您好，{店名}提醒您：您有{积分}积分。", VALUES)
        == "王芳您好，小美护肤提醒您：您有320积分。"
    )
    assert render("Hi {name}, {shop} here: you have {points} points.", VALUES) == (
        "Hi 王芳, 小美护肤 here: you have 320 points."
    )
    assert render("{name}／{ 姓名 }", VALUES) == "王芳／王芳"


def test_every_placeholder_has_a_chinese_name() -> None:
    assert len(set(PLACEHOLDERS.values())) == len(PLACEHOLDERS)
    body = "".join("{" + chinese + "}" for chinese in PLACEHOLDERS.values())
    values = {english: f"<{english}>" for english in PLACEHOLDERS}
    assert render(body, values) == "".join(f"<{english}>" for english in PLACEHOLDERS)


def test_a_typo_or_a_missing_value_shows_as_typed() -> None:
    """A message with a visible {性名} is better than a message that fails to copy."""
    assert render("{性名}您好 {优惠券} {}", VALUES) == "{性名}您好 {优惠券} {}"
    assert render("{{姓名}}", VALUES) == "{王芳}"
    assert render("没有占位符", VALUES) == "没有占位符"


# ---- filling from a member's record ---------------------------------------------------------------------


@pytest.fixture
def customer(db: object) -> int:
    """王芳 of 小美护肤: staff 小李, 金卡, a coupon, points, and a purchase of 雪花霜 (a refund after it)."""
    set_setting(SHOP_NAME, "小美护肤")
    staff = catalog.create_staff("小李")
    cream = catalog.create_category("面霜", 45)
    member_id = members.create_member(
        MemberInput(name="王芳", phone="13800138000", birthday="1990-03-09", staff_id=staff)
    )
    tiers.ensure_default_tiers()
    gold = Tier.select().order_by(Tier.sort_order.desc()).first()
    tiers.set_tier_manually(member_id, gold.id, "老顾客")
    template = create_template(
        TemplateInput(
            name="满100减20",
            kind="threshold",
            value_fen=20_00,
            threshold_fen=100_00,
            valid_until=TODAY + dt.timedelta(days=20),
            valid_days=None,
        )
    )
    coupons.issue_coupon(template, member_id, today=TODAY)
    at = dt.datetime.combine(TODAY - dt.timedelta(days=30), dt.time(10))
    purchases.record_purchase(
        PurchaseInput(
            member_id=member_id, purchased_at=at, items=[PurchaseItemInput(128_00, cream, "雪花霜")]
        )
    )
    refunded = purchases.record_purchase(
        PurchaseInput(
            member_id=member_id,
            purchased_at=at + dt.timedelta(days=1),
            items=[PurchaseItemInput(60_00, cream, "退掉的面膜")],
        )
    )
    purchases.refund_purchase(refunded, "过敏")
    points.adjust_points(member_id, 200, "开业赠送", today=TODAY)
    return member_id


def test_a_message_is_filled_from_the_members_record(customer: int) -> None:
    body = (
        "{姓名}您好，我是{店名}的{导购}。您的{上次购买}用得怎么样？"
        "您有{积分}积分、一张{优惠券}，{等级}会员{生日}生日有礼。"
    )
    balance = Member.get_by_id(customer).points_balance  # the 200 given and what the purchase earned
    assert balance > 200
    gold = Tier.select().order_by(Tier.sort_order.desc()).first().name
    assert message_for(customer, body, today=TODAY) == (
        "王芳您好，我是小美护肤的小李。您的雪花霜用得怎么样？"
        f"您有{balance}积分、一张¥20.00 off from ¥100.00，{gold}会员3/9生日有礼。"
    )
    english = "Hi {name}, {staff} from {shop}: how is your {last_purchase}? {points} points, {coupon}."
    assert message_for(customer, english, today=TODAY) == (
        f"Hi 王芳, 小李 from 小美护肤: how is your 雪花霜? {balance} points, ¥20.00 off from ¥100.00."
    )


def test_a_member_with_little_on_record_gets_a_message_without_holes(db: object) -> None:
    member_id = members.create_member(MemberInput(name="新客", phone="13900000000"))
    body = "{姓名}，{店名}欢迎您！{上次购买}/{积分}/[{优惠券}]/[{导购}]/[{生日}]/[{等级}]"
    assert message_for(member_id, body, today=TODAY) == "新客，My shop欢迎您！purchase/0/[]/[]/[]/[]"
    with pytest.raises(NotFoundError):
        message_for(99_999, body, today=TODAY)


def test_the_last_purchase_names_the_category_when_the_item_has_no_name(db: object) -> None:
    tea = catalog.create_category("乌龙茶", 30)
    member_id = members.create_member(MemberInput(name="茶客", phone="13900000001"))
    purchases.record_purchase(
        PurchaseInput(
            member_id=member_id,
            purchased_at=dt.datetime(2025, 6, 1, 9),
            items=[PurchaseItemInput(88_00, tea, "")],
        )
    )
    assert message_for(member_id, "{上次购买}", today=TODAY) == "乌龙茶"


# ---- templates the shop keeps ---------------------------------------------------------------------------


def test_a_new_shop_gets_one_default_template_per_kind_once(db: object) -> None:
    ensure_default_templates()
    ensure_default_templates()
    templates = list_templates()
    assert len(templates) == len(DEFAULT_TEMPLATES)
    assert {t.kind for t in templates} == {kind for kind, _name, _body in DEFAULT_TEMPLATES}
    assert all(t.is_default for t in templates)
    assert list_templates("winback")[0].kind == "winback"


def test_in_chinese_the_default_templates_show_chinese_placeholders(db: object) -> None:
    setup_i18n("zh_CN")
    ensure_default_templates()
    bodies = [t.body for t in list_templates()]
    assert all("{姓名}" in body and "{name}" not in body for body in bodies)
    member_id = members.create_member(MemberInput(name="王芳", phone="13800138000"))
    for body in bodies:
        filled = message_for(member_id, body, today=TODAY)
        assert "{" not in filled and "王芳" in filled


def test_english_default_templates_fill_completely(db: object) -> None:
    ensure_default_templates()
    member_id = members.create_member(MemberInput(name="Amy", phone="13800138000"))
    for template in list_templates():
        assert "{name}" in template.body
        filled = message_for(member_id, template.body, today=TODAY)
        assert "{" not in filled and "Amy" in filled


def test_saving_editing_and_deleting_a_template(db: object) -> None:
    template_id = save_template(None, "  生日  祝福 ", "birthday", "  {姓名}生日快乐！ ")
    (view,) = list_templates()
    assert (view.name, view.kind, view.body, view.is_default) == (
        "生日 祝福",
        "birthday",
        "{姓名}生日快乐！",
        False,
    )
    assert save_template(template_id, "生日", "birthday", "{name}，生日快乐") == template_id
    assert MessageTemplate.get_by_id(template_id).body == "{name}，生日快乐"
    with pytest.raises(ValidationError) as error:
        save_template(None, " ", "birthday", "text")
    assert error.value.field == "name"
    with pytest.raises(ValidationError) as error:
        save_template(template_id, "生日", "birthday", "  ")
    assert error.value.field == "body"
    delete_template(template_id)
    assert list_templates() == []
    with pytest.raises(NotFoundError):
        save_template(template_id, "生日", "birthday", "text")
