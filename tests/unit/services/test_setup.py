"""First-run setup: a tea shop gets tea categories, tiers, templates and its points rate in one go."""

from __future__ import annotations

import pytest

from shopdesk.db.models import Category
from shopdesk.domain.shop_types import SHOP_TYPE_KEYS, SHOP_TYPE_PRESETS
from shopdesk.errors import ValidationError
from shopdesk.i18n import setup_i18n
from shopdesk.services import catalog, members, message_templates, points, settings, setup, tiers


def test_a_tea_shop_gets_its_categories_tiers_templates_and_points_rate(db) -> None:
    assert setup.needs_first_run()

    result = setup.apply_shop_setup("  清心  茶舍 ", "tea", points_per_yuan=2)

    assert result.shop_name == "清心 茶舍"
    assert settings.get_setting(settings.SHOP_NAME) == "清心 茶舍"
    assert settings.get_setting(settings.SHOP_TYPE) == "tea"
    by_name = {c.name: c for c in catalog.list_categories()}
    assert by_name["Green tea"].repurchase_days == 30
    assert len(by_name) == len(SHOP_TYPE_PRESETS["tea"].categories) == result.categories_added
    assert Category.get(Category.name == "Tea ware").care_days == 14
    assert len(tiers.list_tiers()) == 4
    assert message_templates.list_templates()
    assert points.points_rules().points_per_yuan == 2
    assert not setup.needs_first_run()


def test_running_setup_twice_adds_no_duplicates_and_keeps_other_rules(db) -> None:
    setup.apply_shop_setup("Shop", "bakery")
    rules = points.points_rules()
    templates = len(message_templates.list_templates())

    again = setup.apply_shop_setup("Shop", "bakery", points_per_yuan=0)

    assert again.categories_added == 0
    assert again.categories_updated == len(SHOP_TYPE_PRESETS["bakery"].categories)
    assert len(catalog.list_categories()) == len(SHOP_TYPE_PRESETS["bakery"].categories)
    assert len(message_templates.list_templates()) == templates
    assert points.points_rules().points_per_yuan == 0
    assert points.points_rules().redeem_points_per_yuan == rules.redeem_points_per_yuan


def test_chinese_shop_gets_chinese_category_names(db) -> None:
    setup_i18n("zh_CN")
    setup.apply_shop_setup("茶舍", "tea")
    names = {c.name for c in catalog.list_categories()}
    # Translated when the catalogue has the entry; the English source otherwise — never empty.
    assert len(names) == len(SHOP_TYPE_PRESETS["tea"].categories)
    assert all(names)


@pytest.mark.parametrize(
    ("name", "shop_type", "rate", "field"),
    [("", "tea", 1, "name"), ("x" * 61, "tea", 1, "name"), ("Shop", "zoo", 1, "shop_type"),
     ("Shop", "tea", -1, "points_per_yuan"), ("Shop", "tea", 101, "points_per_yuan")],
)
def test_bad_answers_change_nothing(db, name: str, shop_type: str, rate: int, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        setup.apply_shop_setup(name, shop_type, rate)
    assert caught.value.field == field
    assert settings.get_setting(settings.SHOP_NAME) is None
    assert catalog.list_categories() == []


def test_a_shop_with_members_is_not_a_first_run(db) -> None:
    members.create_member(members.MemberInput(name="王芳", phone="13800138000"))
    assert not setup.needs_first_run()


@pytest.mark.parametrize("shop_type", SHOP_TYPE_KEYS)
def test_every_preset_fits_the_schema(shop_type: str) -> None:
    preset = SHOP_TYPE_PRESETS[shop_type]
    assert preset.categories
    assert len({c.name for c in preset.categories}) == len(preset.categories)
    for category in preset.categories:
        assert len(category.name) <= 30
        assert category.repurchase_days is None or 1 <= category.repurchase_days <= 3650
