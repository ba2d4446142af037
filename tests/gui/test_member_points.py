"""The member detail's header, Points and Referrals tabs, and the Adjust points / Redeem gift dialogs."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from shopdesk.domain.points import ExpiryPolicy, PointsRules
from shopdesk.services import session
from shopdesk.services.gifts import GiftInput, create_gift, list_gifts
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.points import list_ledger, points_summary, redeem_gift, save_points_rules
from shopdesk.services.purchases import PurchaseInput, record_purchase, refund_purchase
from shopdesk.services.session import Role, Session
from shopdesk.services.tiers import ensure_default_tiers
from shopdesk.ui.dialogs.adjust_points import AdjustPointsDialog
from shopdesk.ui.dialogs.redeem_gift import RedeemGiftDialog
from shopdesk.ui.models.points_ledger import LedgerColumn, LedgerModel, LotColumn, LotsModel
from shopdesk.ui.models.referees import RefereeColumn
from shopdesk.ui.screens.member_detail import NEGATIVE, MemberDetailPanel
from shopdesk.ui.screens.member_tabs import DETAIL_TABS

NOW = dt.datetime.now().replace(microsecond=0)


@pytest.fixture
def panel(qtbot, shop, runner) -> MemberDetailPanel:
    panel = MemberDetailPanel(runner)
    qtbot.addWidget(panel)
    panel.resize(520, 760)
    panel.show()
    return panel


@pytest.fixture
def clerk():
    session.set_current(Session(7, "小美", Role.CLERK))
    yield
    session.set_current(None)


def member(name: str = "王丽", phone: str = "13800138000", **extra) -> int:
    return create_member(MemberInput(name=name, phone=phone, **extra))


def buy(member_id: int, yuan: int, days_ago: int = 0, **extra) -> int:
    when = NOW - dt.timedelta(days=days_ago)
    return record_purchase(
        PurchaseInput(member_id=member_id, amount_fen=yuan * 100, purchased_at=when, **extra)
    )


def points_tab(panel: MemberDetailPanel):
    panel.tabs.setCurrentWidget(panel.tab("points"))
    return panel.tab("points")


def test_purchases_come_first_and_every_registered_tab_is_there(panel):
    assert DETAIL_TABS[0].key == "purchases"
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == [spec.title for spec in DETAIL_TABS]


def test_only_the_tab_in_front_is_loaded(panel):
    member_id = member()
    buy(member_id, 100)
    panel.show_member(member_id)
    tab = panel.tab("points")
    assert tab.ledger_model.rowCount() == 0  # hidden: not read yet
    points_tab(panel)
    assert tab.ledger_model.rowCount() == 1


def test_points_tab_lists_every_lot_with_its_own_expiry(qtmodeltester, panel):
    member_id = member()
    save_points_rules(PointsRules(expiry=ExpiryPolicy.DAYS, expiry_n=20))
    buy(member_id, 120, days_ago=5)  # expires in 15 days
    save_points_rules(PointsRules(expiry=ExpiryPolicy.DAYS, expiry_n=300))
    buy(member_id, 80, days_ago=1)  # expires in 299 days
    panel.show_member(member_id)
    tab = points_tab(panel)

    lots = tab.lots_model
    qtmodeltester.check(lots)
    assert lots.rowCount() == 2
    first = (NOW - dt.timedelta(days=5)).date() + dt.timedelta(days=20)
    second = (NOW - dt.timedelta(days=1)).date() + dt.timedelta(days=300)
    expiries = [lots.data(lots.index(row, LotColumn.EXPIRES)) for row in range(2)]
    assert expiries[0].startswith(first.isoformat()) and expiries[1].startswith(second.isoformat())
    assert lots.data(lots.index(0, LotColumn.EXPIRES), Qt.ItemDataRole.ForegroundRole) is not None  # soon
    assert lots.data(lots.index(1, LotColumn.EXPIRES), Qt.ItemDataRole.ForegroundRole) is None
    assert lots.data(lots.index(0, LotColumn.LEFT)) == "120"
    assert "Usable <b>200</b>" in tab.figures.text()
    assert "Expiring within 30 days <b>120</b>" in tab.figures.text()

    tab.view_picker.setCurrentIndex(tab.view_picker.findText("Lots and expiry"))
    assert tab.views.currentWidget() is tab.lots


def test_ledger_pages_in_as_it_scrolls_and_filters_by_kind(qtmodeltester, panel, monkeypatch):
    member_id = member()
    for day in range(7):
        buy(member_id, 10 + day, days_ago=30 - day)
    create_gift(GiftInput("护手霜", 5))
    gift = list_gifts()[0]
    redeem_gift(member_id, gift.id)
    monkeypatch.setattr(LedgerModel, "PAGE_SIZE", 3)
    model = LedgerModel()
    model.set_member(member_id)
    assert model.rowCount() == 3 and model.canFetchMore()
    newest = model.line(0)
    assert newest.kind == "gift"
    assert model.data(model.index(0, LedgerColumn.POINTS)) == "-5"
    assert model.data(model.index(0, LedgerColumn.ENTRY)) == "Gift redeemed: 护手霜 × 1"
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 8
    assert [model.line(row).id for row in range(8)] == [line.id for line in list_ledger(member_id)]
    assert not model.canFetchMore()
    qtmodeltester.check(model)

    panel.show_member(member_id)
    tab = points_tab(panel)
    model = tab.ledger_model
    tab.view_picker.setCurrentIndex(tab.view_picker.findText("Used"))
    while model.canFetchMore():
        model.fetchMore()
    assert [model.line(row).kind for row in range(model.rowCount())] == ["gift"]
    tab.view_picker.setCurrentIndex(tab.view_picker.findText("Expired"))
    assert model.rowCount() == 0
    assert tab.views.currentWidget() is tab.ledger_empty
    assert tab.ledger_empty.text() == "No entries of this kind."


def test_tier_chip_and_progress_to_the_next_tier(panel):
    ensure_default_tiers()  # Regular 0, Silver ¥1,000, Gold ¥3,000, Diamond ¥8,000
    member_id = member()
    buy(member_id, 680)
    panel.show_member(member_id)
    tab = points_tab(panel)
    assert panel.tier_chip.text() == "Regular" and panel.tier_chip.isVisibleTo(panel)
    assert tab.tier_label.text() == "Regular · Spend ¥320.00 more to reach Silver"
    assert (tab.tier_bar.value(), tab.tier_bar.maximum()) == (680_00, 1000_00)

    buy(member_id, 9000)
    panel.refresh()
    assert panel.tier_chip.text() == "Diamond"
    assert tab.tier_label.text() == "Diamond: the highest tier"


def test_without_tiers_the_chip_hides_and_the_tab_says_where_to_set_them(panel):
    member_id = member()
    panel.show_member(member_id)
    tab = points_tab(panel)
    assert not panel.tier_chip.isVisibleTo(panel)
    assert "Settings" in tab.tier_label.text()
    assert tab.ledger_empty.text().startswith("No points yet.")


def test_a_points_debt_shows_in_red_and_blocks_redeeming(panel):
    member_id = member()
    purchase = buy(member_id, 100)  # earns 100 points
    create_gift(GiftInput("面膜", 100))
    redeem_gift(member_id, list_gifts()[0].id)
    buy(member_id, 10)  # 10 more points
    refund_purchase(purchase, "退货")  # takes back 100 points of which 90 were spent
    assert points_summary(member_id).balance == -90
    panel.show_member(member_id)
    tab = points_tab(panel)
    assert panel.tile_points.value.text() == "-90"
    assert panel.tile_points.value.property("negative") is True
    assert NEGATIVE in panel.tile_points.value.styleSheet()
    assert not tab.redeem_button.isEnabled()
    assert "above zero" in tab.redeem_button.toolTip()
    assert "Balance -90" in tab.figures.text()


def test_adjusting_needs_a_reason_and_updates_the_panel(qtbot, panel, runner, monkeypatch):
    member_id = member()
    buy(member_id, 100)
    panel.show_member(member_id)
    tab = points_tab(panel)

    def fill(cls, parent, runner, member_id):
        dialog = cls(parent, runner, member_id)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.focusWidget() is dialog.points  # the first field has the focus
        qtbot.keyClicks(dialog.points, "30")
        assert dialog.preview.text() == "130"
        dialog.submit()
        assert dialog.form.error_text("reason") == "Please give a reason for the adjustment."
        dialog.remove.setChecked(True)
        dialog.points.setValue(500)
        dialog.reason.setText("补录旧卡积分")
        assert dialog.preview.text() == "-400"
        dialog.submit()
        assert dialog.form.error_text("amount") == "Only 100 points can be removed now."
        dialog.points.setValue(40)
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.new_balance

    monkeypatch.setattr(AdjustPointsDialog, "ask", classmethod(fill))
    qtbot.mouseClick(tab.adjust_button, Qt.MouseButton.LeftButton)

    [entry, _earned] = list_ledger(member_id)
    assert (entry.kind, entry.amount, entry.reason) == ("adjust", -40, "补录旧卡积分")
    # The change was announced on the events: the header and the ledger followed.
    assert panel.tile_points.value.text() == "60"
    assert tab.ledger_model.line(0).id == entry.id


def test_a_clerk_cannot_adjust_points(panel, clerk):
    member_id = member()
    buy(member_id, 100)
    panel.show_member(member_id)
    tab = points_tab(panel)
    assert not tab.adjust_button.isEnabled()
    assert tab.adjust_button.toolTip() == "Only the owner can adjust points. Ask the owner to log in."
    assert tab.redeem_button.isEnabled()  # redeeming a gift is a clerk's job


def test_a_clerk_who_opens_the_dialog_anyway_cannot_save(qtbot, runner, shop, clerk):
    member_id = member()
    dialog = AdjustPointsDialog(None, runner, member_id)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()


def test_redeeming_a_gift_checks_points_and_takes_stock(qtbot, panel, monkeypatch):
    member_id = member()
    buy(member_id, 250)
    create_gift(GiftInput("护手霜", 100, stock=5))
    create_gift(GiftInput("保温杯", 1000))
    panel.show_member(member_id)
    tab = points_tab(panel)

    def choose(cls, parent, runner, member_id):
        dialog = cls(parent, runner, member_id)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.gift.currentText() == "护手霜 · 100 points · 5 left"  # the dearest they can take
        dialog.quantity.setValue(3)
        assert dialog.cost.text() == "300 points: 50 more than can be used now"
        dialog.submit()
        assert dialog.form.error_text("quantity") == "Only 250 points can be used now."
        dialog.quantity.setValue(2)
        assert dialog.cost.text() == "200 points, 50 left after"
        dialog.submit()
        return dialog.new_balance

    monkeypatch.setattr(RedeemGiftDialog, "ask", classmethod(choose))
    qtbot.mouseClick(tab.redeem_button, Qt.MouseButton.LeftButton)

    assert points_summary(member_id).balance == 50
    assert [gift.stock for gift in list_gifts() if gift.name == "护手霜"] == [3]
    assert panel.tile_points.value.text() == "50"
    assert tab.ledger_model.line(0).kind == "gift"


def test_redeem_dialog_without_gifts_says_where_to_add_them(qtbot, runner, shop):
    member_id = member()
    buy(member_id, 100)
    dialog = RedeemGiftDialog(None, runner, member_id)
    qtbot.addWidget(dialog)
    assert not dialog.gift.isEnabled() and "Points page" in dialog.gift.currentText()
    assert not dialog.save_button.isEnabled()


def test_referrals_tab_lists_referees_and_their_reward(qtmodeltester, panel):
    save_points_rules(PointsRules(referrer_points=200, referee_points=100))
    referrer = member()
    bought = member("李娜", "13900139000", referrer_id=referrer)
    member("张敏", "13700137000", referrer_id=referrer)
    buy(bought, 50)
    panel.show_member(referrer)
    panel.tabs.setCurrentWidget(panel.tab("referrals"))
    tab = panel.tab("referrals")
    qtmodeltester.check(tab.model)
    rewards = {
        tab.model.data(tab.model.index(row, RefereeColumn.NAME)): tab.model.data(
            tab.model.index(row, RefereeColumn.REWARD)
        )
        for row in range(tab.model.rowCount())
    }
    assert rewards == {"李娜": "+200 points", "张敏": "Waiting for a first purchase"}
    assert tab.summary.text() == "Brought in 2 people; 1 bought something; 200 reward points earned."
    assert "200 points" in tab.rules.text()
    assert panel.tile_referrals.value.text() == "2 people"


def test_referrals_tab_explains_how_to_record_a_referral(panel):
    member_id = member()
    panel.show_member(member_id)
    panel.tabs.setCurrentWidget(panel.tab("referrals"))
    tab = panel.tab("referrals")
    assert tab.views.currentWidget() is tab.empty
    assert "has not brought anyone in yet" in tab.empty.text()
    assert "Referral rewards are off" in tab.rules.text()


def test_lot_and_ledger_models_pass_the_model_tester_when_empty(qtmodeltester, shop):
    ledger, lots = LedgerModel(), LotsModel()
    ledger.set_member(None)
    lots.load(None)
    qtmodeltester.check(ledger)
    qtmodeltester.check(lots)
