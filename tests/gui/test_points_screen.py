"""The Points page: members with points expiring soon, the gift catalogue (add, edit), the leaderboard."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from shopdesk.domain.points import ExpiryPolicy, PointsRules
from shopdesk.services.gifts import GiftInput, create_gift, list_gifts
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.points import adjust_points, save_points_rules
from shopdesk.services.purchases import PurchaseInput, record_purchase
from shopdesk.ui.dialogs.gift_edit import GiftEditDialog
from shopdesk.ui.screens.points import PointsScreen


@pytest.fixture
def screen(qtbot, shop, runner, events) -> PointsScreen:
    screen = PointsScreen(runner, events)
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.show()
    return screen


def texts(card, column: int) -> list[str]:
    model = card.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def test_empty_shop_says_what_each_list_is_for(screen):
    for card in (screen.expiring, screen.gifts, screen.leaderboard):
        assert card.stack.currentWidget() is card.empty and card.empty.text()
    assert screen.add_gift_button.isEnabled() and not screen.edit_gift_button.isEnabled()


def test_lists_fill_from_the_services_and_follow_changes(qtmodeltester, screen, runner):
    save_points_rules(PointsRules(expiry=ExpiryPolicy.DAYS, expiry_n=20, referrer_points=100))
    today = dt.date.today()
    wang = create_member(MemberInput(name="王丽", phone="13800138000"))
    li = create_member(MemberInput(name="李娜", phone="13900139000", referrer_id=wang))
    record_purchase(PurchaseInput(member_id=li, amount_fen=50_00))
    create_gift(GiftInput("护手霜", 300, stock=0))
    create_gift(GiftInput("保温杯", 2000))
    # A change made through the task runner is announced: the page follows it.
    runner.run(adjust_points, wang, 120, "旧卡积分", today=today - dt.timedelta(days=15), changes={"points"})

    assert texts(screen.expiring, 0) == ["王丽", "李娜"]
    assert texts(screen.expiring, 2) == ["220", "50"]  # 王丽: 120 by hand and 100 for bringing in 李娜
    assert "2 members could lose 270 points" in screen.expiring.hint.text()
    assert texts(screen.gifts, 0) == ["护手霜", "保温杯"]
    assert texts(screen.gifts, 2) == ["0", "No limit"]
    assert texts(screen.leaderboard, 0) == ["王丽"]
    assert texts(screen.leaderboard, 3) == ["100"]
    for card in (screen.expiring, screen.gifts, screen.leaderboard):
        qtmodeltester.check(card.model)


def test_a_hidden_page_refreshes_when_it_comes_back(screen, runner):
    screen.hide()
    create_gift(GiftInput("护手霜", 300))
    runner.run(lambda: None, changes={"points"})
    assert screen.gifts.model.rowCount() == 0  # not read while hidden
    screen.show()
    screen.activated()
    assert screen.gifts.model.rowCount() == 1


def test_adding_and_editing_a_gift(qtbot, screen, monkeypatch):
    def fill(cls, parent, runner, gift=None):
        dialog = cls(parent, runner, gift)
        qtbot.addWidget(dialog)
        dialog.show()
        if gift is None:
            dialog.submit()
            assert dialog.form.error_text("name") == "Name is required."
            dialog.name.setText("面膜 3 片装")
            dialog.cost.setValue(600)
            dialog.stock.setValue(25)
        else:
            assert dialog.name.text() == "面膜 3 片装"
            dialog.unlimited.setChecked(True)
            dialog.active.setChecked(False)
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.saved

    monkeypatch.setattr(GiftEditDialog, "ask", classmethod(fill))
    screen.add_gift_button.click()
    [gift] = list_gifts(active_only=False)
    assert (gift.name, gift.points_cost, gift.stock, gift.active) == ("面膜 3 片装", 600, 25, True)
    assert texts(screen.gifts, 0) == ["面膜 3 片装"]

    screen.gifts.table.selectRow(0)
    assert screen.edit_gift_button.isEnabled()
    screen.edit_gift_button.click()
    [gift] = list_gifts(active_only=False)
    assert (gift.stock, gift.active) == (None, False)
    assert texts(screen.gifts, 3) == ["Withdrawn"]
