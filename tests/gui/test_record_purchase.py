"""Recording and refunding purchases from the detail panel; figures are checked through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QDialog

from shopdesk.services.members import MemberInput, create_member, get_member
from shopdesk.services.purchases import PurchaseInput, get_purchase, list_member_purchases, record_purchase
from shopdesk.ui.dialogs.checkout import CheckoutDialog
from shopdesk.ui.dialogs.record_purchase import RecordPurchaseDialog
from shopdesk.ui.dialogs.refund_purchase import RefundPurchaseDialog
from shopdesk.ui.models.member_table import Column
from shopdesk.ui.models.purchase_history import HistoryColumn, PurchaseHistoryModel
from shopdesk.ui.screens.members import MembersScreen


@pytest.fixture
def screen(qtbot, shop, runner, events) -> MembersScreen:
    screen = MembersScreen(runner, events)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    return screen


def show(screen: MembersScreen, member_id: int) -> None:
    screen.refresh()
    screen.select_row(screen.model.row_of(member_id))
    screen.sync_detail()


def test_the_record_button_opens_the_checkout_for_the_member_shown(qtbot, screen, monkeypatch):
    member_id = create_member(MemberInput(name="王丽", phone="13800138000"))
    show(screen, member_id)

    def pay(cls, parent, runner, *, member_id=None):
        dialog = cls(parent, runner, member_id=member_id)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.member_id() == member_id  # the checkout starts on the member shown
        dialog.amount.setText("88")
        dialog.submit()
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.saved_id

    monkeypatch.setattr(CheckoutDialog, "ask", classmethod(pay))
    qtbot.mouseClick(screen.detail.record_button, Qt.MouseButton.LeftButton)
    assert get_member(member_id).total_spent_fen == 88_00
    assert screen.detail.history_model.rowCount() == 1


def test_record_a_past_purchase_from_the_detail_panel(qtbot, screen, staff_and_categories, monkeypatch):
    staff_id, category_id = staff_and_categories
    member_id = create_member(MemberInput(name="王丽", phone="13800138000", staff_id=staff_id))
    show(screen, member_id)

    def fill_and_save(cls, parent, runner, member_id):
        dialog = cls(parent, runner, member_id)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.staff.currentData() == staff_id  # the member's own clerk by default
        when = dialog.purchased_at.dateTime().toPython()
        assert abs(when - dt.datetime.now()) < dt.timedelta(minutes=2)  # defaults to now
        qtbot.keyClicks(dialog.amount, "128.5")
        dialog.category.setCurrentIndex(dialog.category.findData(category_id))
        dialog.note.setText("送给妈妈")
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.saved_id

    monkeypatch.setattr(RecordPurchaseDialog, "ask", classmethod(fill_and_save))
    screen.detail.past_purchase_action.trigger()

    member = get_member(member_id)
    assert (member.purchase_count, member.total_spent_fen) == (1, 12850)
    [purchase] = list_member_purchases(member_id)
    assert purchase.staff_name == "小美"
    assert purchase.note == "送给妈妈"
    assert [item.category_name for item in purchase.items] == ["面霜"]
    # The page followed the change: the panel, its history and the table row.
    assert screen.detail.tile_total.value.text() == "¥128.50"
    assert screen.detail.history_model.rowCount() == 1
    row = screen.model.row_of(member_id)
    assert screen.model.data(screen.model.index(row, Column.TOTAL_SPENT)) == "¥128.50"


def test_an_empty_or_zero_amount_is_refused_inline(qtbot, runner, shop):
    member_id = create_member(MemberInput(name="王丽", phone="13800138000"))
    dialog = RecordPurchaseDialog(None, runner, member_id)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert dialog.form.error_text("amount") == "Amount is required, for example 128.00."
    dialog.amount.setText("0")
    dialog.submit()
    assert dialog.form.error_text("amount") == "Amount should be more than zero."
    assert get_member(member_id).purchase_count == 0


def test_a_future_date_is_refused_under_the_date(qtbot, runner, shop):
    member_id = create_member(MemberInput(name="王丽", phone="13800138000"))
    dialog = RecordPurchaseDialog(None, runner, member_id)
    qtbot.addWidget(dialog)
    dialog.amount.setText("99")
    dialog.purchased_at.setDateTime(QDateTime(dt.datetime.now() + dt.timedelta(hours=20)))
    dialog.submit()
    assert dialog.form.error_text("purchased_at") != ""
    assert get_member(member_id).purchase_count == 0


def test_saving_the_same_dialog_twice_records_one_sale(qtbot, runner, shop):
    member_id = create_member(MemberInput(name="王丽", phone="13800138000"))
    dialog = RecordPurchaseDialog(None, runner, member_id)
    qtbot.addWidget(dialog)
    dialog.amount.setText("50")
    dialog.save()
    dialog.save()
    assert get_member(member_id).purchase_count == 1


def test_refund_from_the_history_asks_why_and_updates_the_figures(qtbot, screen, monkeypatch):
    member_id = create_member(MemberInput(name="王丽", phone="13800138000"))
    record_purchase(PurchaseInput(member_id=member_id, amount_fen=10000))
    record_purchase(PurchaseInput(member_id=member_id, amount_fen=5000))
    show(screen, member_id)
    panel = screen.detail
    assert not panel.refund_button.isEnabled()
    panel.history.selectRow(0)
    assert panel.refund_button.isEnabled()

    def give_reason(cls, parent, runner, purchase):
        dialog = cls(parent, runner, purchase)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.submit()
        assert dialog.form.error_text("reason") == "Please say why, for example: returned unopened."
        qtbot.keyClicks(dialog.reason, "allergy")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        return dialog.refunded

    monkeypatch.setattr(RefundPurchaseDialog, "ask", classmethod(give_reason))
    refunded = panel.history_model.purchase(0)
    panel.refund_button.click()

    assert get_purchase(refunded.id).refund_reason == "allergy"
    member = get_member(member_id)
    assert member.purchase_count == 1
    assert panel.tile_count.value.text() == "1"
    assert panel.history_model.data(panel.history_model.index(0, HistoryColumn.NOTE)) == "Refunded"
    panel.history.selectRow(0)
    assert not panel.refund_button.isEnabled()  # a refunded purchase cannot be refunded again


def test_history_pages_in_as_it_scrolls_and_passes_the_model_tester(qtmodeltester, shop):
    member_id = create_member(MemberInput(name="王丽", phone="13800138000"))
    start = dt.datetime(2025, 1, 1, 10, 0)
    for day in range(120):
        record_purchase(
            PurchaseInput(
                member_id=member_id, amount_fen=1000 + day, purchased_at=start + dt.timedelta(days=day)
            )
        )
    model = PurchaseHistoryModel()
    model.set_member(member_id)
    assert model.rowCount() == PurchaseHistoryModel.PAGE_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 120
    assert not model.canFetchMore()
    dates = [model.purchase(row).purchased_at for row in range(120)]
    assert dates == sorted(dates, reverse=True)
    qtmodeltester.check(model)
