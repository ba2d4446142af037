"""Check data finds each kind of drift between cached figures and their sources, and repair mends it."""

from __future__ import annotations

from shopdesk.db.models import Coupon, Member, PointsLot
from shopdesk.domain.points import PointsRules
from shopdesk.services import coupons, data_check, members, points, purchases
from shopdesk.services.coupon_templates import TemplateInput, create_template
from shopdesk.services.members import MemberInput
from shopdesk.services.purchases import PurchaseInput


def _shop() -> tuple[int, int, int]:
    points.save_points_rules(PointsRules(points_per_yuan=1))
    member = members.create_member(MemberInput(name="张三", phone="13800138000"))
    template = create_template(TemplateInput("无门槛10元", "cash", value_fen=10_00))
    coupon = coupons.issue_coupon(template, member)
    purchase = purchases.record_purchase(PurchaseInput(member_id=member, amount_fen=100_00, coupon_id=coupon))
    purchases.record_purchase(PurchaseInput(member_id=member, amount_fen=50_00))
    return member, coupon, purchase


def test_a_consistent_shop_checks_clean(db) -> None:
    _shop()
    report = data_check.check_data()
    assert report.ok, report.findings
    assert report.members_checked == 1


def test_drift_is_found_and_repaired(db) -> None:
    member, coupon, _purchase = _shop()
    Member.update(purchase_count=7, total_spent_fen=1, points_balance=999).where(
        Member.id == member
    ).execute()
    PointsLot.update(remaining=-5).where(PointsLot.member == member).execute()
    Coupon.update(status="unused").where(Coupon.id == coupon).execute()

    report = data_check.check_data()
    assert {finding.kind for finding in report.findings} == {"figures", "points", "lots", "coupons"}
    assert not report.ok and report.summary()

    repaired = data_check.repair_data()
    assert repaired.ok, repaired.findings
    detail = members.get_member(member)
    assert (detail.purchase_count, detail.total_spent_fen) == (2, 140_00)
    summary = points.points_summary(member)
    assert summary.balance == points.ledger_sum(member) == 140
    assert sum(lot.remaining for lot in summary.lots) == 140
    assert coupons.get_coupon(coupon).status == "used"
