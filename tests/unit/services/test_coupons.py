"""Coupon templates, issuing, checkout options, redemption checks and refunds, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.domain.coupons import CouponStatus
from shopdesk.domain.points import PointsRules
from shopdesk.errors import ConflictError, NotFoundError, ValidationError
from shopdesk.services import catalog, coupon_redemption, coupon_stats, coupons, members, points, purchases
from shopdesk.services.coupon_templates import TemplateInput, create_template, set_template_paused
from shopdesk.services.members import MemberInput
from shopdesk.services.purchases import PurchaseInput, PurchaseItemInput

TODAY = dt.date.today()


def _member(phone: str = "13800138000", name: str = "张三") -> int:
    return members.create_member(MemberInput(name=name, phone=phone))


def _template(**values: object) -> int:
    base = {"name": "满100减20", "kind": "threshold", "value_fen": 20_00, "threshold_fen": 100_00}
    base.update(values)
    return create_template(TemplateInput(**base))


def _coupon(template_id: int, member_id: int, today: dt.date = TODAY) -> int:
    return coupons.issue_coupon(template_id, member_id, today=today)


def test_template_validation_names_the_field(db) -> None:
    cases = [
        ({"value_fen": 0}, "value"),
        ({"threshold_fen": 10_00}, "threshold"),
        ({"kind": "percent", "pay_percent": 100}, "pay_percent"),
        ({"kind": "gift", "gift_name": " "}, "gift_name"),
        ({"valid_days": None, "valid_until": None}, "valid_until"),
        ({"valid_days": 0}, "valid_days"),
        ({"category_ids": [999]}, "categories"),
        ({"kind": "bogus"}, "kind"),
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as error:
            _template(**values)
        assert error.value.field == field, values


def test_issuing_to_many_is_one_batch_and_respects_the_per_member_limit(db) -> None:
    ids = [_member(f"1380000{i:04d}", f"客{i}") for i in range(30)]
    template = _template(per_member_limit=1)
    first = coupons.issue_coupons(template, ids[:10], label="test")
    assert (first.issued, first.skipped) == (10, 0)
    second = coupons.issue_coupons(template, ids)
    assert (second.issued, second.skipped) == (20, 10)
    codes = {c.code for c in coupons.list_coupons(template_id=template)}
    assert len(codes) == 30
    with pytest.raises(ConflictError):
        coupons.issue_coupon(template, ids[0])
    set_template_paused(template, True)
    with pytest.raises(ConflictError):
        coupons.issue_coupons(template, ids[:1])


def test_issuing_to_a_missing_member_issues_nothing(db) -> None:
    member = _member()
    template = _template()
    with pytest.raises(NotFoundError):
        coupons.issue_coupons(template, [member, 999])
    assert coupons.list_coupons() == []


def test_each_redemption_failure_has_its_own_message(db) -> None:
    owner, other = _member(), _member("13900000000", "李四")
    face = catalog.create_category("面霜", 45)
    lipstick = catalog.create_category("口红", 90)
    template = _template()
    coupon = _coupon(template, owner)
    messages = set()

    def refused(
        member_id: int | None, amount: int, items=(), today: dt.date = TODAY, coupon_id: int = coupon
    ):
        with pytest.raises(ConflictError) as error:
            coupon_redemption.check_coupon(coupon_id, member_id, amount, items, today=today)
        messages.add(error.value.message)
        return error.value.message

    assert "another member" in refused(other, 200_00)
    assert "at least ¥100.00" in refused(owner, 99_00)
    assert "expired" in refused(owner, 200_00, today=TODAY + dt.timedelta(days=31))
    later = create_template(
        TemplateInput(
            "下月券",
            "cash",
            value_fen=5_00,
            valid_days=None,
            valid_from=TODAY + dt.timedelta(days=5),
            valid_until=TODAY + dt.timedelta(days=30),
        )
    )
    assert "from" in refused(owner, 200_00, coupon_id=_coupon(later, owner))
    only_face = _template(name="面霜券", category_ids=[face])
    assert "categories" in refused(owner, 200_00, [(lipstick, 200_00)], coupon_id=_coupon(only_face, owner))
    voided = _coupon(template, owner)
    coupons.void_coupon(voided, "issued by mistake")
    assert "voided" in refused(owner, 200_00, coupon_id=voided)
    purchases.record_purchase(PurchaseInput(member_id=owner, amount_fen=200_00, coupon_id=coupon))
    assert "used already" in refused(owner, 200_00)
    with pytest.raises(NotFoundError):
        coupon_redemption.check_coupon(12345, owner, 200_00)
    assert len(messages) == 7


def test_checkout_options_list_applicable_coupons_best_first(db) -> None:
    member = _member()
    small = _coupon(_template(name="满100减20"), member)
    big = _coupon(_template(name="满300减80", value_fen=80_00, threshold_fen=300_00), member)
    percent = _coupon(_template(name="9折", kind="percent", pay_percent=90), member)
    options = coupon_redemption.coupon_options(member, 150_00)
    assert [(o.coupon.id, o.applicable, o.discount_fen) for o in options] == [
        (small, True, 20_00),
        (percent, True, 15_00),
        (big, False, 0),
    ]
    assert options[2].reason


def test_purchase_with_coupon_and_points_then_refund_is_exact_to_the_fen(db) -> None:
    points.save_points_rules(
        PointsRules(points_per_yuan=1, redeem_points_per_yuan=100, redeem_cap_percent=50)
    )
    member = _member()
    points.adjust_points(member, 1_000, "opening")
    coupon = _coupon(_template(name="8.8折", kind="percent", pay_percent=88, cap_fen=None), member)
    # ¥123.45 → coupon ¥14.81 (12% of 123.45 = 14.814, rounded down) → ¥108.64; 500 points = ¥5.00 → ¥103.64
    purchase = purchases.record_purchase(
        PurchaseInput(member_id=member, amount_fen=123_45, coupon_id=coupon, points_to_use=500)
    )
    view = purchases.get_purchase(purchase)
    assert (view.coupon_discount_fen, view.points_discount_fen, view.paid_fen) == (14_81, 5_00, 103_64)
    assert points.points_summary(member).balance == 1_000 - 500 + 103  # earns on ¥103.64 paid
    assert members.get_member(member).total_spent_fen == 103_64

    purchases.refund_purchase(purchase, "wrong size")
    assert coupons.get_coupon(coupon).status is CouponStatus.UNUSED
    assert points.points_summary(member).balance == 1_000 == points.ledger_sum(member)
    assert members.get_member(member).total_spent_fen == 0


def test_coupon_that_does_not_stack_refuses_points(db) -> None:
    points.save_points_rules(PointsRules(points_per_yuan=1))
    member = _member()
    points.adjust_points(member, 1_000, "opening")
    coupon = _coupon(_template(stacks_with_points=False), member)
    with pytest.raises(ConflictError):
        purchases.record_purchase(
            PurchaseInput(member_id=member, amount_fen=200_00, coupon_id=coupon, points_to_use=100)
        )
    assert coupons.get_coupon(coupon).status is CouponStatus.UNUSED
    assert purchases.list_member_purchases(member) == []


def test_refund_after_the_coupon_expired_keeps_it_used(db) -> None:
    member = _member()
    template = _template(valid_days=1)
    coupon = _coupon(template, member, today=TODAY - dt.timedelta(days=3))
    when = dt.datetime.combine(TODAY - dt.timedelta(days=3), dt.time(10))
    purchase = purchases.record_purchase(
        PurchaseInput(member_id=member, amount_fen=150_00, coupon_id=coupon, purchased_at=when)
    )
    purchases.refund_purchase(purchase)
    assert coupons.get_coupon(coupon).status is CouponStatus.USED


def test_find_by_code_and_figures(db) -> None:
    member = _member()
    template = _template()
    coupon = coupons.get_coupon(_coupon(template, member))
    assert coupons.find_by_code(coupon.code.lower()).id == coupon.id
    with pytest.raises(ValidationError):
        coupons.find_by_code("ABC")
    purchases.record_purchase(
        PurchaseInput(
            member_id=member, amount_fen=150_00, coupon_id=coupon.id, items=[PurchaseItemInput(150_00)]
        )
    )
    _coupon(template, member)
    figures = coupon_stats.template_figures(template)
    assert (figures.issued, figures.used, figures.sales_fen) == (2, 1, 130_00)
    assert figures.redemption_rate == 0.5
    assert [b.figures.issued for b in coupon_stats.batch_figures(template)] == [1, 1]
