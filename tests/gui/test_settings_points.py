"""Settings: the sections list, the points rules page and the tiers page (load, edit, save, revert)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shopdesk.domain.points import ExpiryPolicy, PointsRules
from shopdesk.services import session
from shopdesk.services.catalog import create_category
from shopdesk.services.points import points_rules, save_points_rules
from shopdesk.services.session import Role, Session
from shopdesk.services.tiers import BASIS_12_MONTHS, ensure_default_tiers, list_tiers, tier_rules
from shopdesk.ui.models.tier_list import TierColumn
from shopdesk.ui.options import OPTION_MODULES, option_pages, register_options_page
from shopdesk.ui.options.points import PointsOptionsPage
from shopdesk.ui.screens.registry import SCREENS
from shopdesk.ui.screens.settings import SettingsScreen


@pytest.fixture
def screen(qtbot, shop, runner, events) -> SettingsScreen:
    screen = SettingsScreen(runner, events)
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.show()
    return screen


def nav_titles(screen: SettingsScreen) -> list[str]:
    return [screen.nav.item(row).text() for row in range(screen.nav.count())]


def test_settings_is_last_in_the_sidebar_and_lists_its_sections_in_order(screen):
    assert SCREENS[-1].key == "settings"
    assert nav_titles(screen)[:2] == ["Points", "Tiers"]
    assert [page.NAME for page in screen.pages][:2] == ["points", "tiers"]
    assert len(option_pages()) == len(screen.pages) >= len(OPTION_MODULES)
    register_options_page(PointsOptionsPage)  # registering twice adds nothing
    assert len(option_pages()) == len(screen.pages)


def test_points_page_shows_the_stored_rules(screen):
    save_points_rules(PointsRules(points_per_yuan=2, redeem_points_per_yuan=50, expiry=ExpiryPolicy.NEVER))
    screen.refresh()
    page = screen.show_page("points")
    assert page.points_per_yuan.value() == 2
    assert page.redeem_rate.value() == 50
    assert page.example.text() == (
        "For example: A ¥128.50 sale earns 257 points. 1,000 points pay ¥20.00, up to 50% of a sale."
    )
    assert not page.expiry_n.isVisibleTo(page)  # no number of days for "never"
    assert not screen.save_button.isEnabled() and not screen.unsaved.isVisibleTo(screen)


def test_editing_the_points_rules_then_saving(screen, qtbot):
    noodles = create_category("面膜")
    screen.refresh()
    page = screen.show_page("points")
    page.points_per_yuan.setValue(3)
    assert screen.save_button.isEnabled() and screen.unsaved.isVisibleTo(screen)
    assert nav_titles(screen)[0] == "Points •"
    page.expiry.setCurrentIndex(page.expiry.findData(ExpiryPolicy.DAYS.value))
    assert page.expiry_n.isVisibleTo(page) and page.expiry_n.suffix() == " days"
    page.expiry_n.setValue(90)
    page.holding.setValue(7)
    page.birthday.setValue(2.0)
    page.visit_count.setValue(3)
    page.visit_points.setValue(50)
    assert page.visit_summary.text() == "Purchase number 3 within 30 days earns 50 points, once per period."
    [item] = [page.no_earn.item(row) for row in range(page.no_earn.count())]
    item.setCheckState(Qt.CheckState.Checked)
    page.referrer_points.setValue(200)

    qtbot.keyClick(screen, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    rules = points_rules()
    assert (rules.points_per_yuan, rules.expiry, rules.expiry_n, rules.holding_days) == (
        3,
        ExpiryPolicy.DAYS,
        90,
        7,
    )
    assert rules.birthday_multiplier_percent == 200
    assert (rules.visit_reward_count, rules.visit_reward_days, rules.visit_reward_points) == (3, 30, 50)
    assert rules.no_earn_category_ids == frozenset({noodles})
    assert rules.referrer_points == 200
    assert not page.dirty and not screen.save_button.isEnabled()
    assert nav_titles(screen)[0] == "Points"


def test_revert_throws_the_edits_away(screen):
    page = screen.show_page("points")
    page.redeem_cap.setValue(10)
    screen.revert_button.click()
    assert page.redeem_cap.value() == 50
    assert not page.dirty
    assert points_rules().redeem_cap_percent == 50


def test_a_clerk_sees_the_rules_but_cannot_change_them(screen):
    session.set_current(Session(3, "小美", Role.CLERK))
    try:
        screen.activated()
        page = screen.current_page()
        assert not page.isEnabled()
        assert screen.read_only.isVisibleTo(screen)
        assert not screen.save_button.isEnabled()
    finally:
        session.set_current(None)
    screen.activated()
    assert screen.current_page().isEnabled() and not screen.read_only.isVisibleTo(screen)


def test_the_tier_list_is_edited_in_place_and_saved(qtmodeltester, screen):
    ensure_default_tiers()
    screen.refresh()
    page = screen.show_page("tiers")
    model = page.model
    qtmodeltester.check(model)
    assert [model.data(model.index(row, TierColumn.NAME)) for row in range(4)] == [
        "Regular",
        "Silver",
        "Gold",
        "Diamond",
    ]
    assert model.data(model.index(1, TierColumn.THRESHOLD)) == "¥1,000.00"
    assert model.data(model.index(2, TierColumn.MULTIPLIER)) == "×1.2"
    assert model.data(model.index(1, TierColumn.THRESHOLD), Qt.ItemDataRole.EditRole) == "1000.00"

    assert model.setData(model.index(1, TierColumn.THRESHOLD), "1500")
    assert model.setData(model.index(1, TierColumn.MULTIPLIER), "×1.15")
    assert model.setData(model.index(1, TierColumn.PERKS), "生日礼一份")
    assert not model.setData(model.index(1, TierColumn.MULTIPLIER), "20")  # refused, with the reason
    assert model.last_error == "A points multiplier should be between 1× and 10×."
    page.add_tier()
    row = model.rowCount() - 1
    assert model.setData(model.index(row, TierColumn.NAME), "黑金")
    assert model.data(model.index(row, TierColumn.THRESHOLD)) == "¥9,000.00"  # above the top tier
    page.last_year.setChecked(True)
    page.review.setChecked(True)
    assert screen.save_button.isEnabled()
    screen.save_button.click()

    tiers = list_tiers()
    assert [(t.name, t.threshold_fen, t.multiplier_percent) for t in tiers] == [
        ("Regular", 0, 100),
        ("Silver", 1500_00, 115),
        ("Gold", 3000_00, 120),
        ("Diamond", 8000_00, 150),
        ("黑金", 9000_00, 100),
    ]
    assert tiers[1].perks == "生日礼一份"
    assert tier_rules() == {"basis": BASIS_12_MONTHS, "yearly_review": True}
    assert not page.dirty


def test_two_tiers_on_one_threshold_are_refused_under_the_list(screen):
    ensure_default_tiers()
    screen.refresh()
    page = screen.show_page("tiers")
    page.model.setData(page.model.index(2, TierColumn.THRESHOLD), "1000")  # Gold = Silver
    screen.save_button.click()
    assert page.form.error_text("tiers") == "Each tier needs its own spending threshold, zero or more."
    assert page.dirty and screen.save_button.isEnabled()  # the edits stay for fixing
    assert [t.threshold_fen for t in list_tiers()] == [0, 1000_00, 3000_00, 8000_00]


def test_removing_a_tier_retires_it(screen):
    ensure_default_tiers()
    screen.refresh()
    page = screen.show_page("tiers")
    assert not page.remove_button.isEnabled()
    page.table.selectRow(3)
    page.remove_button.click()
    screen.save_button.click()
    assert [t.name for t in list_tiers()] == ["Regular", "Silver", "Gold"]
