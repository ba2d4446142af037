"""Every dashboard figure on a hand-built shop with a known answer (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.db.models import Member
from shopdesk.domain.followups import Outcome
from shopdesk.domain.points import PointsRules
from shopdesk.services import catalog, coupons, dashboard, followups, members, points, purchases, tiers
from shopdesk.services.coupon_templates import TemplateInput, create_template
from shopdesk.services.members import MemberInput
from shopdesk.services.purchases import PurchaseInput, PurchaseItemInput

TODAY = dt.date.today()


def _at(days_ago: int, hour: int = 11) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(hour))


def _buy(member_id: int | None, fen: int, days_ago: int, category: int | None = None) -> int:
    items = [PurchaseItemInput(fen, category)] if category else []
    return purchases.record_purchase(
        PurchaseInput(
            member_id=member_id, amount_fen=None if items else fen, items=items, purchased_at=_at(days_ago)
        )
    )


@pytest.fixture
def shop(db) -> dict:
    """Four members and a walk-in, with purchases inside and outside a 30-day period."""
    points.save_points_rules(PointsRules(points_per_yuan=1, redeem_points_per_yuan=100))
    tiers.ensure_default_tiers()
    cream = catalog.create_category("面霜", 45)
    mask = catalog.create_category("面膜", 20)
    old = members.create_member(MemberInput(name="老客", phone="13800000001", source="store"))
    new = members.create_member(
        MemberInput(name="新客", phone="13800000002", source="douyin", referrer_id=old)
    )
    idle = members.create_member(MemberInput(name="沉睡", phone="13800000003", source="store"))
    never = members.create_member(MemberInput(name="未购", phone="13800000004", source="moments"))
    # Members joined "today" by default; move the older ones' join dates back.
    Member.update(created_at=_at(400)).where(Member.id.in_([old, idle])).execute()
    _buy(old, 100_00, 200, cream)  # before the period
    _buy(old, 300_00, 10, cream)  # in the period: a returning buyer
    _buy(new, 50_00, 5, mask)  # in the period: first purchase ever
    _buy(new, 70_00, 2, mask)
    _buy(idle, 80_00, 120)  # dormant, outside the period
    _buy(None, 20_00, 3)  # a walk-in sale
    refunded = _buy(new, 999_00, 1)
    purchases.refund_purchase(refunded)
    return {"old": old, "new": new, "idle": idle, "never": never, "cream": cream, "mask": mask}


def test_kpis_for_the_last_30_days(shop) -> None:
    figures = dashboard.dashboard(dashboard.Period.last_days(30)).kpis
    assert figures.members == 4
    assert figures.new_members == 2  # 新客 and 未购 joined today
    assert figures.active_members == 2  # 老客 and 新客 bought in the period
    assert figures.repurchase_rate == pytest.approx(0.5)  # only 老客 had bought before
    assert figures.orders == 4 and figures.sales_fen == 440_00  # the refund does not count
    assert figures.average_order_fen == 110_00
    assert figures.member_sales_fen == 420_00
    assert figures.member_sales_share == pytest.approx(420 / 440)
    # points: 100 + 300 + 50 + 70 + 80 = 600 points outstanding (the refunded sale's were taken back)
    assert figures.points_owed_fen == 6_00


def test_followup_conversion_and_coupon_redemption(shop) -> None:
    task_a = followups.add_manual_task(shop["idle"], TODAY, "唤醒")
    task_b = followups.add_manual_task(shop["never"], TODAY, "首购邀请")
    followups.record_outcome(task_a, Outcome.CONTACTED)
    followups.record_outcome(task_b, Outcome.NO_ANSWER)
    template = create_template(TemplateInput("券", "cash", value_fen=10_00))
    coupon = coupons.issue_coupon(template, shop["idle"])
    coupons.issue_coupon(template, shop["never"])
    purchases.record_purchase(PurchaseInput(member_id=shop["idle"], amount_fen=50_00, coupon_id=coupon))
    figures = dashboard.dashboard(dashboard.Period.last_days(30)).kpis
    assert figures.contacted_members == 2
    assert figures.followup_conversion == pytest.approx(0.5)
    assert figures.coupons_issued == 2
    assert figures.coupon_redemption_rate == pytest.approx(0.5)


def test_distributions_funnel_categories_sources_referrers(shop) -> None:
    board = dashboard.dashboard(dashboard.Period.last_days(30))
    assert dict(board.funnel) == {"acquired": 4, "first_purchase": 3, "repurchase": 2, "referred": 1}
    assert dict(board.categories) == {"面霜": 300_00, "面膜": 120_00}
    assert board.sources == {"store": 2, "douyin": 1, "moments": 1}
    assert board.top_referrers == (("老客", 1),)
    assert sum(board.tiers.values()) == 4
    assert sum(board.lifecycle.values()) == 4


def test_months_split_new_and_returning_customers(shop) -> None:
    rows = {row.month: row for row in dashboard.months(12)}
    this_month = f"{TODAY:%Y-%m}"
    expected_new = sum(
        fen
        for fen, days in ((50_00, 5), (70_00, 2))
        if f"{TODAY - dt.timedelta(days=days):%Y-%m}" == this_month
    )
    row = rows[this_month]
    assert row.new_customer_sales_fen == expected_new
    assert row.new_members == 2
    total = sum(r.sales_fen for r in rows.values())
    assert (
        total
        == 100_00 * (f"{TODAY - dt.timedelta(days=200):%Y-%m}" in rows) + 300_00 + 120_00 + 80_00 + 20_00
    )
    assert 0.0 <= row.repurchase_rate <= 1.0


def test_a_custom_period_in_the_past(shop) -> None:
    period = dashboard.Period(TODAY - dt.timedelta(days=130), TODAY - dt.timedelta(days=100))
    figures = dashboard.dashboard(period).kpis
    assert (figures.orders, figures.sales_fen, figures.active_members) == (1, 80_00, 1)
    assert figures.repurchase_rate == 0.0
