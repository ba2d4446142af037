"""Changing a member's tier by hand from the Points tab: the real dialog (reason required, Enter saves,
"No tier", back to the spending rule), the tier line and history afterwards, the Members page refreshed,
and a clerk kept out; the database is checked through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from shopdesk.services import session
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.purchases import PurchaseInput, record_purchase
from shopdesk.services.segments import SegmentFilter
from shopdesk.services.session import Role, Session
from shopdesk.services.tiers import (
    ensure_default_tiers,
    list_tiers,
    member_tier_state,
    save_tier_rules,
    set_tier_manually,
    tier_history,
)
from shopdesk.ui.dialogs.change_tier import AUTOMATIC, ChangeTierDialog
from shopdesk.ui.models.tier_history import TierHistoryColumn, TierHistoryModel
from shopdesk.ui.screens.member_detail import MemberDetailPanel
from shopdesk.ui.screens.members import MembersScreen

NOW = dt.datetime.now().replace(microsecond=0)


@pytest.fixture
def tiers(shop) -> dict[str, int]:
    """Regular from ¥0, Silver from ¥1,000, Gold from ¥3,000, Diamond from ¥8,000."""
    ensure_default_tiers()
    return {tier.name: tier.id for tier in list_tiers()}


@pytest.fixture
def owner():
    session.set_current(Session(1, "林店长", Role.OWNER))
    yield
    session.set_current(None)


@pytest.fixture
def clerk():
    session.set_current(Session(7, "小美", Role.CLERK))
    yield
    session.set_current(None)


@pytest.fixture
def screen(qtbot, runner, events, tiers) -> MembersScreen:
    """The Members page (its filter panel reads the tiers when it is built)."""
    screen = MembersScreen(runner, events)
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.show()
    return screen


def member(name: str = "王丽", phone: str = "13800138000") -> int:
    return create_member(MemberInput(name=name, phone=phone))


def buy(member_id: int, yuan: int) -> None:
    record_purchase(PurchaseInput(member_id=member_id, amount_fen=yuan * 100, purchased_at=NOW))


def open_points(screen: MembersScreen, member_id: int):
    screen.refresh()
    screen.select_row(screen.model.row_of(member_id))
    screen.sync_detail()
    panel = screen.detail
    panel.tabs.setCurrentWidget(panel.tab("points"))
    return panel, panel.tab("points")


def drive(monkeypatch, qtbot, steps) -> list[ChangeTierDialog]:
    """Replace ``ChangeTierDialog.ask`` by the real dialog, shown and driven by ``steps(dialog)``."""
    seen: list[ChangeTierDialog] = []

    def ask(cls, parent, runner, member_id):
        dialog = cls(parent, runner, member_id)
        qtbot.addWidget(dialog)
        dialog.show()
        seen.append(dialog)
        steps(dialog)
        return dialog.result() == QDialog.DialogCode.Accepted and dialog.saved

    monkeypatch.setattr(ChangeTierDialog, "ask", classmethod(ask))
    return seen


def choose(dialog: ChangeTierDialog, text: str) -> None:
    index = dialog.tier.findText(text)
    assert index >= 0, [dialog.tier.itemText(i) for i in range(dialog.tier.count())]
    dialog.tier.setCurrentIndex(index)


def test_changing_the_tier_needs_a_reason_and_refreshes_the_page(qtbot, monkeypatch, screen, tiers, owner):
    member_id = member()
    buy(member_id, 680)  # Regular, ¥320 short of Silver
    other = member("李娜", "13900139000")
    screen.show_segment(SegmentFilter(tier_ids=(tiers["Gold"],)))
    assert screen.model.row_of(member_id) is None  # nobody is Gold yet
    screen.show_segment(SegmentFilter())
    panel, tab = open_points(screen, member_id)
    assert tab.tier_label.text() == "Regular · Spend ¥320.00 more to reach Silver"
    assert tab.change_tier_button.isVisibleTo(tab) and tab.change_tier_button.isEnabled()

    def steps(dialog: ChangeTierDialog) -> None:
        assert dialog.focusWidget() is dialog.tier  # the first field has the focus
        assert dialog.tier.currentText() == "Regular"  # the tier held is selected
        assert [dialog.tier.itemText(i) for i in range(dialog.tier.count())] == [
            "Regular",
            "Silver · from ¥1,000.00",
            "Gold · from ¥3,000.00",
            "Diamond · from ¥8,000.00",
            "No tier",
        ]
        assert "王丽 is Regular now, reached by spending." in dialog.subtitle.text()
        assert dialog.note.text() == (
            "A tier set by hand stays until it is changed here: purchases no longer raise it."
        )
        choose(dialog, "Gold · from ¥3,000.00")
        dialog.submit()
        assert dialog.form.error_text("reason") == "Please give a reason for changing the tier."
        assert dialog.focusWidget() is dialog.reason
        assert dialog.isVisible() and member_tier_state(member_id).tier_id == tiers["Regular"]
        qtbot.keyClicks(dialog.reason, "Opening customer")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # Enter saves
        assert dialog.result() == QDialog.DialogCode.Accepted

    seen = drive(monkeypatch, qtbot, steps)
    qtbot.mouseClick(tab.change_tier_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1

    state = member_tier_state(member_id)
    assert (state.tier_id, state.manual) == (tiers["Gold"], True)
    [change, _first] = tier_history(member_id)
    assert (change.from_name, change.to_name, change.reason, change.operator) == (
        "Regular",
        "Gold",
        "Opening customer",
        "林店长",
    )
    assert member_tier_state(other).manual is False  # only that member

    # The page refreshed on the change: the chip, the tier line (no upgrade promised), the history.
    assert screen.detail.member_id() == member_id
    assert panel.tier_chip.text() == "Gold"
    assert tab.tier_label.text() == "Gold (set by hand)"
    assert "purchases no longer raise this tier" in tab.tier_label.toolTip()
    assert "Regular" in tab.tier_label.toolTip()  # what the spending reaches
    assert not tab.tier_bar.isVisibleTo(tab)
    assert tab.showing_tier_history() and tab.views.currentWidget() is tab.tier_history
    history = tab.tier_history_model
    assert history.data(history.index(0, TierHistoryColumn.CHANGE)) == "Regular → Gold: Opening customer"
    assert history.data(history.index(0, TierHistoryColumn.OPERATOR)) == "林店长"
    assert history.data(history.index(0, TierHistoryColumn.DATE)) == NOW.date().isoformat()
    assert history.data(history.index(1, TierHistoryColumn.CHANGE)) == "No tier → Regular: First purchase"
    # The members table follows too: the tier filter now finds the member.
    screen.show_segment(SegmentFilter(tier_ids=(tiers["Gold"],)))
    assert screen.model.member_ids() == [member_id]


def test_a_tier_set_by_hand_can_go_back_to_the_spending_rule(qtbot, monkeypatch, screen, tiers):
    member_id = member()
    buy(member_id, 1200)  # Silver by spending
    set_tier_manually(member_id, tiers["Diamond"], "Opening offer")
    save_tier_rules("lifetime", True)
    panel, tab = open_points(screen, member_id)
    assert tab.tier_label.text() == "Diamond (set by hand)"
    assert panel.tier_chip.text() == "Diamond"

    def steps(dialog: ChangeTierDialog) -> None:
        assert dialog.tier.currentText() == "Diamond · from ¥8,000.00"
        assert dialog.tier.itemText(0) == "Follow spending (Silver)"
        assert dialog.note.text().endswith("and the yearly review leaves it alone.")
        assert "set by hand; their spending reaches Silver." in dialog.subtitle.text()
        dialog.reason.setText("Offer over")
        dialog.submit()  # the tier it already has
        assert dialog.form.error_text("tier") == "王丽 already has this tier. Choose another one."
        dialog.tier.setCurrentIndex(dialog.tier.findData(AUTOMATIC))
        assert dialog.note.text() == (
            "The tier goes back to Silver, the one the spending reaches, and purchases raise it again."
        )
        dialog.submit()
        assert dialog.result() == QDialog.DialogCode.Accepted

    drive(monkeypatch, qtbot, steps)
    qtbot.mouseClick(tab.change_tier_button, Qt.MouseButton.LeftButton)

    state = member_tier_state(member_id)
    assert (state.tier_id, state.manual) == (tiers["Silver"], False)
    assert tier_history(member_id)[0].reason == "Back to automatic: Offer over"
    assert panel.tier_chip.text() == "Silver"
    assert tab.tier_label.text() == "Silver · Spend ¥1,800.00 more to reach Gold"
    assert tab.tier_bar.isVisibleTo(tab)
    buy(member_id, 1800)  # automatic again: this purchase reaches Gold
    assert member_tier_state(member_id).tier_id == tiers["Gold"]


def test_no_tier_can_be_chosen_by_hand(qtbot, monkeypatch, screen, tiers):
    member_id = member()
    buy(member_id, 1200)
    panel, tab = open_points(screen, member_id)

    def steps(dialog: ChangeTierDialog) -> None:
        choose(dialog, "No tier")
        dialog.reason.setText("Staff account")
        dialog.submit()

    drive(monkeypatch, qtbot, steps)
    qtbot.mouseClick(tab.change_tier_button, Qt.MouseButton.LeftButton)
    state = member_tier_state(member_id)
    assert (state.tier_id, state.manual) == (None, True)
    assert tab.tier_label.text() == "No tier (set by hand)"  # not the Silver the spending reaches
    assert not panel.tier_chip.isVisibleTo(panel)
    buy(member_id, 5000)
    assert member_tier_state(member_id).tier_id is None  # purchases leave it alone


def test_a_clerk_cannot_change_a_tier(qtbot, monkeypatch, screen, tiers, clerk):
    member_id = member()
    buy(member_id, 100)
    _panel, tab = open_points(screen, member_id)
    assert tab.change_tier_button.isVisibleTo(tab)
    assert not tab.change_tier_button.isEnabled()
    assert tab.change_tier_button.toolTip() == (
        "Only the owner can change a member's tier. Ask the owner to log in."
    )
    seen = drive(monkeypatch, qtbot, lambda dialog: None)
    tab.change_tier()  # even if asked directly, nothing opens
    assert seen == []

    dialog = ChangeTierDialog(None, screen.runner, member_id)  # and one opened anyway cannot save
    qtbot.addWidget(dialog)
    choose(dialog, "Gold · from ¥3,000.00")
    dialog.reason.setText("Asked nicely")
    assert not dialog.save_button.isEnabled()
    dialog.submit()
    state = member_tier_state(member_id)
    assert (state.tier_id, state.manual) == (tiers["Regular"], False)


def test_without_tiers_there_is_nothing_to_change(qtbot, runner, shop):
    member_id = member()
    panel = MemberDetailPanel(runner)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_member(member_id)
    panel.tabs.setCurrentWidget(panel.tab("points"))
    tab = panel.tab("points")
    assert "Settings" in tab.tier_label.text()
    assert not tab.change_tier_button.isVisibleTo(tab)


def test_the_tier_history_view_and_its_empty_state(qtbot, qtmodeltester, screen, tiers):
    member_id = member()
    _panel, tab = open_points(screen, member_id)
    tab.view_picker.setCurrentIndex(tab.view_picker.findText("Tier history"))
    assert tab.views.currentWidget() is tab.tier_history_empty
    assert tab.tier_history_empty.text().startswith("No tier changes yet.")

    buy(member_id, 3500)
    set_tier_manually(member_id, tiers["Diamond"], "A very long reason " * 5, operator="林店长")
    screen.refresh()
    assert tab.views.currentWidget() is tab.tier_history
    model = tab.tier_history_model
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    tooltip = model.data(model.index(0, TierHistoryColumn.CHANGE), Qt.ItemDataRole.ToolTipRole)
    assert "Gold → Diamond" in tooltip and "Reason: A very long reason" in tooltip and "By: 林店长" in tooltip

    tab.view_picker.setCurrentIndex(tab.view_picker.findText("All entries"))
    assert tab.views.currentWidget() is tab.ledger  # the ledger is not filtered by the view's name
    assert tab.ledger_model.rowCount() == 1


def test_tier_history_model_passes_the_model_tester_when_empty(qtmodeltester, shop):
    model = TierHistoryModel()
    model.load(None)
    qtmodeltester.check(model)
