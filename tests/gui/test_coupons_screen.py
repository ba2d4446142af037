"""The Coupons page: templates (make, edit, pause), their figures, the issued coupons with filters, voiding,
and issuing to a tag or a segment; the database is checked through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from shopdesk.domain.coupons import CouponKind, CouponStatus
from shopdesk.services.catalog import create_category
from shopdesk.services.coupon_templates import TemplateInput, create_template, get_template, list_templates
from shopdesk.services.coupons import get_coupon, issue_coupon, issue_coupons, list_coupons
from shopdesk.services.privacy import set_consent
from shopdesk.services.purchases import PurchaseInput, record_purchase
from shopdesk.services.segments import SegmentFilter, save_segment
from shopdesk.services.tags import create_tag, tag_member
from shopdesk.ui.dialogs.coupon_template import CouponTemplateDialog
from shopdesk.ui.dialogs.issue_coupons import IssueCouponsDialog, result_text
from shopdesk.ui.dialogs.void_coupon import VoidCouponDialog
from shopdesk.ui.screens.coupons import CouponsScreen
from shopdesk.ui.widgets.coupon_list import BatchColumn, CouponColumn, IssuedCouponModel, TemplateColumn


@pytest.fixture
def screen(qtbot, shop, runner, events) -> CouponsScreen:
    page = CouponsScreen(runner, events)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    return page


def _threshold() -> int:
    return create_template(TemplateInput("满100减20", "threshold", value_fen=20_00, threshold_fen=100_00))


def _cell(model, row: int, column: int) -> str:
    return model.data(model.index(row, column))


def test_an_empty_shop_says_what_to_do_and_the_first_template_is_made(qtbot, screen, monkeypatch):
    assert screen.pages.currentWidget() is screen.empty

    def fill(cls, parent, runner, template_id=None):
        dialog = cls(parent, runner, template_id)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.name.setText("满200减30")
        dialog.kind.setCurrentIndex(dialog.kind.findData("threshold"))
        qtbot.keyClicks(dialog.value, "30")
        qtbot.keyClicks(dialog.threshold, "200")
        qtbot.keyClick(dialog.threshold, Qt.Key.Key_Return)
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.saved_id

    monkeypatch.setattr(CouponTemplateDialog, "ask", classmethod(fill))
    screen.empty.findChildren(type(screen.new_button))[0].click()
    [template] = list_templates()
    assert (template.kind, template.terms.value_fen, template.terms.threshold_fen) == (
        CouponKind.THRESHOLD,
        30_00,
        200_00,
    )
    assert screen.pages.currentWidget() is screen.tabs
    assert screen.current_template().id == template.id
    assert screen.count_label.text() == "1 template"


def test_the_editor_shows_the_fields_of_each_kind_and_says_what_is_wrong(qtbot, runner, shop):
    dialog = CouponTemplateDialog(None, runner)
    qtbot.addWidget(dialog)
    dialog.show()

    def shown(key: str) -> bool:
        return dialog.form.layout_.isRowVisible(dialog.form.field(key).parentWidget())

    assert shown("value") and shown("threshold") and not shown("pay_percent") and not shown("gift_name")
    dialog.kind.setCurrentIndex(dialog.kind.findData("percent"))
    assert shown("pay_percent") and shown("cap") and not shown("value")
    dialog.kind.setCurrentIndex(dialog.kind.findData("gift"))
    assert shown("gift_name") and not shown("threshold")
    dialog.name.setText("礼品券")
    dialog.submit()
    assert dialog.form.error_text("gift_name") == "Name the gift the coupon is exchanged for."

    dialog.kind.setCurrentIndex(dialog.kind.findData("threshold"))
    dialog.value.setText("50")
    dialog.threshold.setText("40")
    dialog.submit()
    assert dialog.form.error_text("threshold") == "The minimum spend should be more than the money off."
    dialog.threshold.setText("300")
    dialog.by_dates.setChecked(True)
    dialog.valid_from.setDate(QDate(2026, 6, 30))
    dialog.valid_until.setDate(QDate(2026, 6, 1))
    dialog.submit()
    assert dialog.form.error_text("validity") == "The last day is before the first day."
    assert list_templates() == []


def test_a_percent_template_with_cap_categories_and_limit_round_trips(qtbot, runner, shop):
    cream = create_category("面霜", 45)
    create_category("口红", 60)
    dialog = CouponTemplateDialog(None, runner)
    qtbot.addWidget(dialog)
    dialog.name.setText("面霜八八折")
    dialog.kind.setCurrentIndex(dialog.kind.findData("percent"))
    dialog.pay_percent.setValue(88)
    dialog.cap.setText("50")
    dict(dialog.category_boxes)[cream].setChecked(True)
    dialog.per_member_limit.setValue(1)
    dialog.stacks.setChecked(False)
    dialog.valid_days.setValue(14)
    dialog.submit()
    template = get_template(dialog.saved_id)
    assert (template.terms.pay_percent, template.terms.cap_fen, template.category_ids) == (
        88,
        50_00,
        (cream,),
    )
    assert (template.per_member_limit, template.stacks_with_points, template.valid_days) == (1, False, 14)

    again = CouponTemplateDialog(None, runner, template.id)  # editing shows what was saved
    qtbot.addWidget(again)
    assert again.current_kind() is CouponKind.PERCENT
    assert (again.pay_percent.value(), again.cap.text(), again.per_member_limit.value()) == (88, "50.00", 1)
    assert dict(again.category_boxes)[cream].isChecked() and not again.stacks.isChecked()
    again.name.setText("面霜 8.8 折")
    again.submit()
    assert get_template(template.id).name == "面霜 8.8 折"


def test_pausing_and_resuming_a_template(screen):
    template_id = _threshold()
    screen.refresh()
    assert screen.pause_button.text() == "Pause"
    screen.pause_button.click()
    assert get_template(template_id).paused
    assert screen.detail_status.text() == "Paused"
    assert _cell(screen.templates_model, 0, TemplateColumn.STATUS) == "Paused"
    assert not screen.issue_this_button.isEnabled()  # a paused template issues nothing
    screen.pause_button.click()
    assert not get_template(template_id).paused


def test_figures_per_template_and_per_batch(screen, add_members):
    ids = add_members(4)
    template_id = _threshold()
    issue_coupons(template_id, ids[:3], label="国庆活动", source="manual")
    coupon = next(c for c in list_coupons(template_id=template_id) if c.member_id == ids[0])
    long_ago = dt.datetime.now() - dt.timedelta(days=200)
    record_purchase(PurchaseInput(member_id=ids[0], amount_fen=80_00, purchased_at=long_ago))
    record_purchase(PurchaseInput(member_id=ids[0], amount_fen=150_00, coupon_id=coupon.id))
    issue_coupon(template_id, ids[3])
    screen.refresh()
    assert screen.tile_issued.value.text() == "4"
    assert screen.tile_used.value.text() == "1"
    assert screen.tile_rate.value.text() == "25.0%"
    assert screen.tile_sales.value.text() == "¥130.00"  # what was paid after the ¥20 off
    assert screen.tile_back.value.text() == "1"  # her previous purchase was 200 days before
    model = screen.batches_model
    assert model.rowCount() == 2
    assert [_cell(model, row, BatchColumn.BATCH) for row in range(2)] == ["Issued by hand", "国庆活动"]
    assert _cell(model, 1, BatchColumn.RATE) == "33.3%"
    assert (
        screen.detail_terms.text()
        == "Spend-and-save · ¥20.00 off from ¥100.00 · 30 days from issue · with points"
    )


def test_issued_coupons_filter_by_status_template_and_search(screen, add_members):
    ids = add_members(3)
    first, second = _threshold(), create_template(TemplateInput("无门槛10元", "cash", value_fen=10_00))
    used = issue_coupon(first, ids[0])
    voided = issue_coupon(first, ids[1])
    expired = issue_coupon(second, ids[2], today=dt.date.today() - dt.timedelta(days=60))
    unused = issue_coupon(second, ids[0])
    record_purchase(PurchaseInput(member_id=ids[0], amount_fen=120_00, coupon_id=used))
    from shopdesk.services.coupons import void_coupon

    void_coupon(voided, "发错了")
    screen.refresh()
    screen.tabs.setCurrentWidget(screen.issued_page)
    model = screen.issued_model
    assert model.rowCount() == 4

    def ids_shown() -> set[int]:
        return {model.coupon(row).id for row in range(model.rowCount())}

    for status, expected in (("used", used), ("void", voided), ("expired", expired), ("unused", unused)):
        screen.status_filter.setCurrentIndex(screen.status_filter.findData(status))
        assert ids_shown() == {expected}, status
    assert _cell(model, 0, CouponColumn.STATUS) == "Unused"
    screen.status_filter.setCurrentIndex(0)
    screen.template_filter.setCurrentIndex(screen.template_filter.findData(first))
    assert ids_shown() == {used, voided}
    screen.template_filter.setCurrentIndex(0)
    screen.search.setText(get_coupon(unused).code.lower())
    screen.filter_issued()
    assert ids_shown() == {unused}
    screen.search.setText("00000001")  # the phone's last digits
    screen.filter_issued()
    assert ids_shown() == {voided}
    screen.search.setText("nobody")
    screen.filter_issued()
    assert screen.issued_stack.currentWidget() is screen.issued_empty
    assert screen.issued_empty.text() == "No coupon matches these filters."


def test_voiding_needs_a_reason_and_only_unused_coupons_can_be_voided(
    qtbot, screen, add_members, monkeypatch
):
    ids = add_members(2)
    template_id = _threshold()
    keep = issue_coupon(template_id, ids[0])
    wrong = issue_coupon(template_id, ids[1])
    screen.refresh()
    screen.tabs.setCurrentWidget(screen.issued_page)
    screen.issued.selectRow(0)  # newest first: the wrong one
    assert screen.current_coupon().id == wrong and screen.void_button.isEnabled()

    def give_reason(cls, parent, runner, coupon):
        dialog = cls(parent, runner, coupon)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.submit()
        assert dialog.form.error_text("reason") == "Please give a reason for voiding the coupon."
        qtbot.keyClicks(dialog.reason, "wrong member")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        return dialog.voided

    monkeypatch.setattr(VoidCouponDialog, "ask", classmethod(give_reason))
    screen.void_button.click()
    voided = get_coupon(wrong)
    assert (voided.status, voided.void_reason) == (CouponStatus.VOID, "wrong member")
    assert get_coupon(keep).status is CouponStatus.UNUSED
    row = next(
        row for row in range(screen.issued_model.rowCount()) if screen.issued_model.coupon(row).id == wrong
    )
    screen.issued.selectRow(row)
    assert not screen.void_button.isEnabled()
    assert screen.issued_model.data(
        screen.issued_model.index(row, CouponColumn.STATUS), Qt.ItemDataRole.ToolTipRole
    ) == ("Voided: wrong member")


def test_issuing_to_a_tag_skips_members_without_consent(qtbot, screen, add_members):
    ids = add_members(4)
    tag = create_tag("老客")
    for member_id in ids[:3]:
        tag_member(member_id, tag)
    set_consent(ids[2], marketing=False)
    template_id = _threshold()
    screen.refresh()
    dialog = IssueCouponsDialog(screen, screen.runner, template_id)
    qtbot.addWidget(dialog)
    assert not dialog.to_segment.isEnabled() and dialog.to_tag.isChecked()  # no saved segments yet
    dialog.tag.setCurrentIndex(dialog.tag.findData(tag))
    assert dialog.count.text() == "3 members at the moment"
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (dialog.result_.issued, dialog.result_.skipped) == (2, 1)
    assert result_text(dialog.result_) == (
        "Issued 2 coupons. 1 member was skipped (no consent to offers, or the limit reached)."
    )
    assert {c.member_id for c in list_coupons(template_id=template_id)} == set(ids[:2])
    assert screen.batches_model.rowCount() == 1  # the page followed the change
    assert screen.batches_model.data(screen.batches_model.index(0, BatchColumn.BATCH)) == "Tag: 老客"


def test_issuing_to_a_saved_segment_from_the_page(qtbot, screen, add_members, monkeypatch):
    ids = add_members(3)
    record_purchase(PurchaseInput(member_id=ids[0], amount_fen=500_00))
    save_segment("大客户", SegmentFilter(spent_min_fen=100_00))
    template_id = _threshold()
    screen.refresh()

    def choose_segment(cls, parent, runner, template_id=None):
        dialog = cls(parent, runner, template_id)
        qtbot.addWidget(dialog)
        assert dialog.to_segment.isChecked()
        assert dialog.count.text() == "1 member at the moment"
        dialog.submit()
        return dialog.result_

    monkeypatch.setattr(IssueCouponsDialog, "ask", classmethod(choose_segment))
    screen.issue_this_button.click()
    assert [c.member_id for c in list_coupons(template_id=template_id)] == [ids[0]]
    assert screen.notice.text() == "Issued 1 coupon."


def test_an_empty_group_is_refused_in_the_dialog(qtbot, screen):
    create_tag("没人")
    _threshold()
    dialog = IssueCouponsDialog(screen, screen.runner)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert dialog.form.error_text("audience") == "Nobody is in this group at the moment."
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_the_issued_list_pages_in_as_it_scrolls(qtmodeltester, shop, add_members, monkeypatch):
    ids = add_members(12)
    issue_coupons(_threshold(), ids)
    monkeypatch.setattr(IssuedCouponModel, "PAGE_SIZE", 5)
    model = IssuedCouponModel()
    model.set_filter()
    assert model.rowCount() == 5 and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 12 and not model.canFetchMore()
    ids_shown = [model.coupon(row).id for row in range(12)]
    assert ids_shown == sorted(ids_shown, reverse=True)
    qtmodeltester.check(model)


def test_the_page_models_pass_the_model_tester(qtmodeltester, screen, add_members):
    ids = add_members(2)
    template_id = _threshold()
    issue_coupons(template_id, ids, label="test")
    create_template(TemplateInput("礼品", "gift", gift_name="面膜"))
    screen.refresh()
    assert screen.templates_model.rowCount() == 2
    qtmodeltester.check(screen.templates_model)
    screen.show_template_row(screen.templates_model.row_of(template_id))
    assert screen.batches_model.rowCount() == 1
    qtmodeltester.check(screen.batches_model)


def test_the_page_is_in_the_sidebar_and_ctrl_n_makes_a_template(qtbot, shop, runner, events, monkeypatch):
    from shopdesk.ui.main_window import MainWindow

    window = MainWindow(shop, runner, events)
    qtbot.addWidget(window)
    titles = [window.nav.item(row).text() for row in range(window.nav.count())]
    assert titles.index("Coupons") == titles.index("Members") + 1
    asked: list[object] = []
    monkeypatch.setattr(CouponTemplateDialog, "ask", classmethod(lambda cls, *args: asked.append(args)))
    window.switch_to("coupons")
    window.new_item()
    assert len(asked) == 1


def test_a_change_elsewhere_refreshes_the_page_when_it_is_shown_again(screen, events):
    screen.hide()
    _threshold()  # e.g. made at another counter, announced by a job
    events.announce({"coupons"})
    assert screen.templates_model.rowCount() == 0
    screen.show()
    screen.activated()
    assert screen.templates_model.rowCount() == 1
