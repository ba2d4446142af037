"""The checkout dialog (收银登记): a whole sale from the keyboard, coupons, points, walk-ins, enrolling a
customer, errors kept in the dialog, the receipt; the database is checked through the services."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from shopdesk.domain.coupons import CouponStatus
from shopdesk.domain.points import PointsRules
from shopdesk.services import points
from shopdesk.services.catalog import create_category
from shopdesk.services.coupon_templates import TemplateInput, create_template
from shopdesk.services.coupons import get_coupon, issue_coupon, member_coupons
from shopdesk.services.members import MemberInput, create_member, find_member_by_phone, get_member
from shopdesk.services.points import adjust_points, points_summary
from shopdesk.services.purchases import PurchaseInput, list_member_purchases, record_purchase
from shopdesk.services.tiers import TierInput, save_tiers
from shopdesk.ui import printing
from shopdesk.ui.dialogs import checkout as checkout_module
from shopdesk.ui.dialogs.checkout import CheckoutDialog
from shopdesk.ui.widgets.coupon_list import CouponOptionsModel


@pytest.fixture
def shop_rules(shop) -> None:
    """1 point per yuan, 100 points = ¥1, at most half a sale in points; no tiers unless a test adds them."""
    points.save_points_rules(
        PointsRules(points_per_yuan=1, redeem_points_per_yuan=100, redeem_cap_percent=50)
    )


@pytest.fixture
def member(shop_rules) -> int:
    member_id = create_member(MemberInput(name="王丽", phone="13800138000"))
    adjust_points(member_id, 2_000, "旧会员卡积分")
    return member_id


@pytest.fixture
def coupons(member) -> tuple[int, int, int]:
    """Three coupons for the member: ¥20 off from ¥100, ¥50 off from ¥500 (not reached by ¥300), ¥10 off."""
    big = create_template(TemplateInput("满100减20", "threshold", value_fen=20_00, threshold_fen=100_00))
    huge = create_template(TemplateInput("满500减50", "threshold", value_fen=50_00, threshold_fen=500_00))
    small = create_template(TemplateInput("无门槛10元", "cash", value_fen=10_00))
    return issue_coupon(big, member), issue_coupon(huge, member), issue_coupon(small, member)


def open_dialog(qtbot, runner, **kwargs) -> CheckoutDialog:
    dialog = CheckoutDialog(None, runner, **kwargs)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    return dialog


def press(qtbot, key: Qt.Key) -> None:
    """A key to whatever has the focus, as a person at the keyboard would."""
    qtbot.keyClick(QApplication.focusWidget(), key)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)  # ASCII only: Chinese would abort Qt's test input


def test_a_whole_checkout_with_the_keyboard_only(qtbot, runner, member, coupons):
    """Acceptance 4: find the member, the amount, pick a coupon, confirm; then the database."""
    big, _huge, small = coupons
    dialog = open_dialog(qtbot, runner)
    assert QApplication.focusWidget() is dialog.customer  # the first field has the focus

    type_text(qtbot, "8000")  # the phone's last four digits
    press(qtbot, Qt.Key.Key_Return)  # picks the first match (once the search is in)
    assert dialog.member_id() == member
    assert QApplication.focusWidget() is dialog.amount

    type_text(qtbot, "300")
    assert dialog.coupons.coupon_id() == big  # the best coupon that applies is offered first
    assert dialog.sum_payable.text() == "¥280.00"
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.category
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.coupons
    press(qtbot, Qt.Key.Key_Down)  # the next usable coupon: ¥10 off (¥50 off from ¥500 is greyed)
    assert dialog.coupons.coupon_id() == small
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.points
    type_text(qtbot, "500")
    assert dialog.sum_payable.text() == "¥285.00"  # 300 − 10 − 5
    press(qtbot, Qt.Key.Key_Return)

    assert dialog.result() == QDialog.DialogCode.Accepted
    [sale] = list_member_purchases(member)
    assert (sale.amount_fen, sale.coupon_id, sale.coupon_discount_fen) == (300_00, small, 10_00)
    assert (sale.points_used, sale.points_discount_fen, sale.paid_fen) == (500, 5_00, 285_00)
    assert dialog.saved_id == sale.id
    assert get_coupon(small).status is CouponStatus.USED
    assert get_coupon(big).status is CouponStatus.UNUSED
    assert points_summary(member).balance == 2_000 - 500 + 285
    detail = get_member(member)
    assert (detail.purchase_count, detail.total_spent_fen) == (1, 285_00)


def test_coupons_that_do_not_apply_are_greyed_with_their_reason(qtbot, runner, member, coupons):
    big, huge, small = coupons
    dialog = open_dialog(qtbot, runner, member_id=member)
    dialog.amount.setText("300")
    model = dialog.coupons.options_model
    assert [model.option(row).coupon.id for row in range(1, model.rowCount())] == [big, small, huge]
    row = model.row_of(huge)
    assert not model.flags(model.index(row)) & Qt.ItemFlag.ItemIsEnabled
    assert model.data(model.index(row), Qt.ItemDataRole.ToolTipRole) == (
        "This coupon needs a purchase of at least ¥500.00."
    )
    assert not dialog.coupons.select_coupon(huge)
    assert dialog.coupon_caption.text() == "Coupons (2 usable)"
    dialog.amount.setText("600")  # now the ¥50 coupon applies, and is the best
    assert dialog.coupons.coupon_id() == huge


def test_the_clerks_choice_of_coupon_is_kept_while_the_amount_changes(qtbot, runner, member, coupons):
    _big, _huge, small = coupons
    dialog = open_dialog(qtbot, runner, member_id=member)
    dialog.amount.setText("300")
    dialog.coupons.select_coupon(small)
    dialog.amount.setText("320")
    assert dialog.coupons.coupon_id() == small
    dialog.coupons.select_coupon(None)  # no coupon today
    dialog.amount.setText("330")
    assert dialog.coupons.coupon_id() is None
    assert dialog.sum_coupon.text() == "—"


def test_points_are_capped_at_what_the_sale_allows(qtbot, runner, member):
    dialog = open_dialog(qtbot, runner, member_id=member)
    assert not dialog.points.isEnabled()  # no amount yet: no points to use
    dialog.amount.setText("30")  # half of ¥30 = 1,500 points at most
    assert dialog.points.maximum() == 1_500
    dialog.points.setFocus()
    type_text(qtbot, "1800")
    assert dialog.points.value() == 1_500 and dialog.points.text() == "1500"
    assert dialog.points_hint.text() == "2,000 usable, at most 1,500 on this sale (¥15.00 off)"
    assert dialog.sum_payable.text() == "¥15.00"
    dialog.amount.setText("10")  # the cap comes down with the amount
    assert dialog.points.value() == 500
    press(qtbot, Qt.Key.Key_Down)
    assert dialog.points.value() == 400  # Down takes ¥1 of points off
    assert dialog.sum_earn.text() == "+6"  # 10 − 4 paid


def test_a_coupon_that_does_not_stack_with_points_blocks_them(qtbot, runner, member):
    template = create_template(TemplateInput("八八折", "percent", pay_percent=88, stacks_with_points=False))
    coupon = issue_coupon(template, member)
    dialog = open_dialog(qtbot, runner, member_id=member)
    dialog.amount.setText("100")
    assert dialog.coupons.coupon_id() == coupon
    assert not dialog.points.isEnabled()
    assert dialog.points_hint.text() == "This coupon cannot be combined with points"
    assert dialog.sum_payable.text() == "¥88.00"
    dialog.coupons.select_coupon(None)
    assert dialog.points.isEnabled()


def test_a_coupon_code_finds_its_member_and_picks_the_coupon(qtbot, runner, member, coupons):
    _big, _huge, small = coupons
    code = get_coupon(small).code
    dialog = open_dialog(qtbot, runner)
    type_text(qtbot, code.lower())
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.member_id() == member
    type_text(qtbot, "300")
    assert dialog.coupons.coupon_id() == small  # the coupon shown at the counter, not the best one


def test_pinyin_and_arrow_keys_pick_among_several_members(qtbot, runner, shop_rules):
    first = create_member(MemberInput(name="张三", phone="13800000001"))
    second = create_member(MemberInput(name="张珊", phone="13800000002"))
    dialog = open_dialog(qtbot, runner)
    type_text(qtbot, "zs")
    dialog.search_now()
    assert dialog.matches.count() == 2
    press(qtbot, Qt.Key.Key_Down)
    picked = dialog.matches.currentItem().data(Qt.ItemDataRole.UserRole).member_id
    assert picked in (first, second)
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.member_id() == picked
    assert dialog.matches.isHidden()


def test_a_new_phone_enrols_the_customer_in_two_keystrokes(qtbot, runner, shop_rules):
    dialog = open_dialog(qtbot, runner)
    type_text(qtbot, "13912345678")
    dialog.search_now()
    assert dialog.matches.item(0).text() == "Enrol 139 1234 5678 as a new member"
    press(qtbot, Qt.Key.Key_Return)
    member_id = find_member_by_phone("13912345678")
    assert member_id is not None and dialog.member_id() == member_id
    assert get_member(member_id).name == "Customer 5678"
    assert not dialog.card_new.isHidden()
    assert QApplication.focusWidget() is dialog.amount
    type_text(qtbot, "88")
    press(qtbot, Qt.Key.Key_Return)
    assert get_member(member_id).purchase_count == 1


def test_a_walk_in_sale_needs_no_customer(qtbot, runner, shop_rules):
    dialog = open_dialog(qtbot, runner)
    press(qtbot, Qt.Key.Key_Return)  # Enter in the empty customer field moves on to the amount
    assert QApplication.focusWidget() is dialog.amount
    type_text(qtbot, "45.5")
    assert not dialog.coupons.isEnabled() and not dialog.points.isEnabled()
    assert dialog.sum_earn.text() == "—"
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.saved_id is not None


def test_what_is_not_right_is_said_under_its_field_and_nothing_is_recorded(qtbot, runner, member):
    dialog = open_dialog(qtbot, runner)
    dialog.submit()
    assert dialog.form.error_text("amount") == "Amount is required, for example 128.00."
    dialog.customer.setText("nobody")  # typed, never picked
    dialog.amount.setText("10")
    dialog.submit()
    assert dialog.form.error_text("member") == (
        "Pick the customer from the list, or clear the field for a walk-in sale."
    )
    assert QApplication.focusWidget() is dialog.customer
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert list_member_purchases(member) == []


def test_a_coupon_used_at_another_counter_meanwhile_is_refused_in_the_dialog(qtbot, runner, member, coupons):
    big, _huge, _small = coupons
    dialog = open_dialog(qtbot, runner, member_id=member)
    dialog.amount.setText("300")
    assert dialog.coupons.coupon_id() == big
    record_purchase(PurchaseInput(member_id=member, amount_fen=100_00, coupon_id=big))  # the other counter
    dialog.submit()
    assert dialog.form.error_text("") == "This coupon has been used already."
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert len(list_member_purchases(member)) == 1  # only the other counter's sale
    assert dialog.coupons.options_model.row_of(big) is None  # the list was read again
    assert dialog.save_button.isEnabled()


def test_confirming_twice_records_one_sale(qtbot, runner, member):
    dialog = open_dialog(qtbot, runner, member_id=member)
    dialog.amount.setText("50")
    dialog.save()
    dialog.save()  # a retry, a second Enter: the same uid
    assert get_member(member).purchase_count == 1


def test_tier_progress_after_the_sale(qtbot, runner, member):
    save_tiers([TierInput("Regular", 0), TierInput("Gold", 1000_00, 120)])
    record_purchase(PurchaseInput(member_id=member, amount_fen=400_00))
    dialog = open_dialog(qtbot, runner, member_id=member)
    assert dialog.card_tier.text() == "Regular"
    dialog.amount.setText("280")
    assert dialog.sum_tier.text() == "After this sale: spend ¥320.00 more to reach Gold"
    dialog.amount.setText("600")
    assert dialog.sum_tier.text() == "This sale reaches Gold"


def test_giving_a_coupon_at_the_counter_lists_it_at_once(qtbot, runner, member):
    create_template(TemplateInput("新客立减", "cash", value_fen=15_00))
    dialog = open_dialog(qtbot, runner, member_id=member)
    dialog.amount.setText("100")
    assert dialog.coupons.options_model.usable_count() == 0
    dialog._fill_issue_menu()
    assert [action.text() for action in dialog.issue_menu.actions()] == ["新客立减 (¥15.00 off)"]
    dialog.issue_menu.actions()[0].trigger()
    [coupon] = member_coupons(member)
    assert dialog.coupons.coupon_id() == coupon.id
    assert dialog.sum_payable.text() == "¥85.00"


def test_the_receipt_is_previewed_after_saving_on_the_chosen_paper(
    qtbot, runner, member, coupons, monkeypatch
):
    shown: list[tuple[str, printing.Paper]] = []
    monkeypatch.setattr(
        printing,
        "print_preview",
        lambda parent, html, *, paper, title="": shown.append((html, paper)) or True,
    )
    dialog = open_dialog(qtbot, runner, member_id=member)
    dialog.print_receipt.setChecked(True)
    dialog.paper.setCurrentIndex(dialog.paper.findData("80mm"))
    dialog.amount.setText("300")
    dialog.submit()
    [(html, paper)] = shown
    assert paper is printing.ROLL_80
    for text in ("王丽", "138****8000", "¥280.00", "满100减20", "-¥20.00"):
        assert text in html, text
    again = open_dialog(qtbot, runner)  # the choice is remembered on this PC
    assert again.print_receipt.isChecked() and again.paper.currentData() == "80mm"


def test_no_receipt_unless_asked(qtbot, runner, member, monkeypatch):
    monkeypatch.setattr(printing, "print_preview", lambda *args, **kwargs: pytest.fail("no receipt wanted"))
    dialog = open_dialog(qtbot, runner, member_id=member)
    dialog.print_receipt.setChecked(False)
    dialog.amount.setText("20")
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_receipt_on_a_58_mm_roll_prints_as_one_page(qtbot, runner, member, tmp_path):
    dialog = open_dialog(qtbot, runner, member_id=member)
    dialog.amount.setText("300")
    dialog.submit()
    from shopdesk.services.receipts import receipt_for_purchase

    html = receipt_for_purchase(dialog.saved_id).to_html()
    target = tmp_path / "receipt.pdf"
    printing.write_pdf(html, target, paper=printing.ROLL_58)
    data = target.read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) == 1
    [box] = re.findall(rb"/MediaBox\s*\[0 0 ([0-9.]+) ([0-9.]+)\]", data)
    assert round(float(box[0]) / 72 * 25.4) == 58  # 58 mm wide, as long as the receipt


def test_ask_returns_the_sale_or_none(qtbot, runner, member, monkeypatch):
    monkeypatch.setattr(CheckoutDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert CheckoutDialog.ask(None, runner, member_id=member) is None
    assert checkout_module.enrol_name("13912345678") == "Customer 5678"


def test_the_coupon_options_model_passes_the_model_tester(qtmodeltester, member, coupons):
    from shopdesk.services.coupon_redemption import coupon_options

    model = CouponOptionsModel()
    model.set_options(coupon_options(member, 300_00))
    assert model.rowCount() == 4
    qtmodeltester.check(model)


def test_a_category_rule_counts_the_sale_category(qtbot, runner, member):
    cream = create_category("面霜", 45)
    other = create_category("口红", 60)
    template = create_template(TemplateInput("面霜券", "cash", value_fen=30_00, category_ids=[cream]))
    coupon = issue_coupon(template, member)
    dialog = open_dialog(qtbot, runner, member_id=member)
    dialog.amount.setText("200")
    assert dialog.coupons.coupon_id() is None  # no category yet: it cannot be checked
    dialog.category.setCurrentIndex(dialog.category.findData(other))
    assert dialog.coupons.coupon_id() is None
    dialog.category.setCurrentIndex(dialog.category.findData(cream))
    assert dialog.coupons.coupon_id() == coupon
    dialog.submit()
    [sale] = list_member_purchases(member)
    assert sale.coupon_id == coupon and [item.category_name for item in sale.items] == ["面霜"]


def test_with_the_real_db_lane_enter_waits_for_the_search_and_the_save(qtbot, shop, events, member, coupons):
    """Typing and pressing Enter at once: the pick waits for the search on the lane, the sale for its save."""
    from shopdesk.ui.tasks import TaskRunner

    lane = TaskRunner(events=events)
    try:
        dialog = open_dialog(qtbot, lane)
        type_text(qtbot, "8000")
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.member_id() == member, timeout=5000)
        assert QApplication.focusWidget() is dialog.amount
        type_text(qtbot, "150")
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)
        [sale] = list_member_purchases(member)
        assert (sale.coupon_discount_fen, sale.paid_fen) == (20_00, 130_00)
    finally:
        assert lane.wait(5000)


def test_escape_clears_the_customer_first_then_closes(qtbot, runner, member):
    dialog = open_dialog(qtbot, runner, member_id=member)
    dialog.customer.setFocus()
    press(qtbot, Qt.Key.Key_Escape)
    assert dialog.member_id() is None and dialog.customer.text() == ""
    assert dialog.card.isHidden() and dialog.isVisible()
    press(qtbot, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()
