"""The receipt: its content as data, its HTML per paper, and what the database puts on it (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.domain.points import ExpiryPolicy, PointsRules
from shopdesk.errors import NotFoundError
from shopdesk.reports.receipt import Receipt, ReceiptItem, ReceiptMember, ReceiptPaper, VisitProgress
from shopdesk.services import points
from shopdesk.services.catalog import create_category, create_staff
from shopdesk.services.coupon_templates import TemplateInput, create_template
from shopdesk.services.coupons import issue_coupon
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.purchases import PurchaseInput, PurchaseItemInput, record_purchase, refund_purchase
from shopdesk.services.receipts import receipt_for_purchase, visit_progress
from shopdesk.services.settings import SHOP_NAME, set_setting
from shopdesk.services.tiers import TierInput, save_tiers

WHEN = dt.datetime(2026, 5, 1, 14, 30)


def _receipt(**fields: object) -> Receipt:
    values: dict[str, object] = {
        "shop_name": "悦己美妆",
        "purchase_id": 42,
        "purchased_at": WHEN,
        "amount_fen": 300_00,
        "paid_fen": 272_00,
        "items": (ReceiptItem("面霜", 1, 300_00),),
        "staff_name": "小美",
        "coupon_name": "满100减20",
        "coupon_code": "K7QM4XR9",
        "coupon_discount_fen": 20_00,
        "points_used": 800,
        "points_discount_fen": 8_00,
        "member": ReceiptMember(
            name="王丽",
            phone="138****8000",
            tier="Gold",
            points_earned=326,
            points_balance=1_234,
            expiring_points=120,
            expiring_on=dt.date(2026, 5, 31),
            next_tier="Diamond",
            next_tier_missing_fen=320_00,
            visit=VisitProgress(2, 3, 30, 200, dt.date(2026, 5, 30)),
        ),
    }
    values.update(fields)
    return Receipt(**values)  # type: ignore[arg-type]


def test_a_member_receipt_says_what_was_paid_earned_and_what_comes_next() -> None:
    receipt = _receipt()
    assert receipt.heading() == [
        ("Time", "2026-05-01 14:30"),
        ("Receipt no.", "000042"),
        ("Served by", "小美"),
        ("Member", "王丽"),
        ("Phone", "138****8000"),
        ("Tier", "Gold"),
    ]
    assert receipt.totals() == [
        ("Amount", "¥300.00"),
        ("Coupon: 满100减20", "-¥20.00"),
        ("Points used: 800", "-¥8.00"),
        ("Paid", "¥272.00"),
    ]
    assert receipt.loyalty() == [
        ("Points earned", "+326"),
        ("Points balance", "1,234"),
        ("Expiring by 5/31", "120"),
    ]
    assert receipt.notes() == [
        "Spend ¥320.00 more to reach Diamond",
        "Come back 1 more time by 5/30 for 200 bonus points",
    ]


def test_a_walk_in_receipt_has_no_points_and_no_member() -> None:
    receipt = _receipt(member=None, coupon_name="", coupon_discount_fen=0, points_used=0, paid_fen=300_00)
    assert ("Customer", "Walk-in") in receipt.heading()
    assert receipt.totals() == [("Amount", "¥300.00"), ("Paid", "¥300.00")]
    assert receipt.loyalty() == [] and receipt.notes() == []
    assert "Points" not in receipt.to_html()


def test_a_gift_coupon_is_named_without_money_off() -> None:
    receipt = _receipt(coupon_name="生日礼", coupon_discount_fen=0)
    assert ("Coupon: 生日礼", "") in receipt.totals()


@pytest.mark.parametrize(
    ("progress", "text"),
    [
        (
            VisitProgress(1, 3, 30, 200, dt.date(2026, 5, 30)),
            "Come back 2 more times by 5/30 for 200 bonus points",
        ),
        (
            VisitProgress(3, 3, 30, 200, dt.date(2026, 5, 30), rewarded=True),
            "Visit reward earned: +200 points",
        ),
        (VisitProgress(4, 3, 30, 200, dt.date(2026, 5, 30)), ""),  # rewarded earlier in the window
        (VisitProgress(0, 2, 15, 50, None), "Come back 2 more times within 15 days for 50 bonus points"),
    ],
)
def test_visit_progress_sentences(progress: VisitProgress, text: str) -> None:
    assert progress.text() == text


@pytest.mark.parametrize("paper", list(ReceiptPaper))
def test_html_has_every_line_and_escapes_what_people_typed(paper: ReceiptPaper) -> None:
    receipt = _receipt(shop_name="A&B <美妆>")
    page = receipt.to_html(paper)
    assert "A&amp;B &lt;美妆&gt;" in page and "<美妆>" not in page
    for text in (
        "面霜 × 1",
        "-¥20.00",
        "-¥8.00",
        "¥272.00",
        "+326",
        "1,234",
        "Spend ¥320.00 more to reach Diamond",
    ):
        assert text in page, text
    assert "138****8000" in page and "13800138000" not in page


def test_paper_decides_the_type_size() -> None:
    receipt = _receipt()
    assert "font-size: 8pt" in receipt.to_html(ReceiptPaper.ROLL_58)
    assert "font-size: 10pt" in receipt.to_html(ReceiptPaper.A5)


def test_a_refunded_sale_says_so() -> None:
    assert "REFUNDED" in _receipt(refunded=True).to_html()
    assert "REFUNDED" not in _receipt().to_html()


# ---- from the database ---------------------------------------------------------------------------------


def test_receipt_for_a_sale_with_a_coupon_points_and_a_category(db) -> None:
    set_setting(SHOP_NAME, "悦己美妆")
    points.save_points_rules(
        PointsRules(points_per_yuan=1, redeem_points_per_yuan=100, redeem_cap_percent=50)
    )
    save_tiers([TierInput("Regular", 0), TierInput("Gold", 3000_00, 100)])
    staff = create_staff("小美")
    cream = create_category("面霜", 45)
    member = create_member(MemberInput(name="王丽", phone="13800138000"))
    now = dt.datetime.now().replace(microsecond=0)
    record_purchase(
        PurchaseInput(member_id=member, amount_fen=1000_00, purchased_at=now - dt.timedelta(days=3))
    )
    template = create_template(TemplateInput("满100减20", "threshold", value_fen=20_00, threshold_fen=100_00))
    coupon = issue_coupon(template, member)
    sale = record_purchase(
        PurchaseInput(
            member_id=member,
            amount_fen=300_00,
            purchased_at=now,
            items=[PurchaseItemInput(300_00, cream)],
            staff_id=staff,
            coupon_id=coupon,
            points_to_use=500,
        )
    )
    receipt = receipt_for_purchase(sale)
    assert receipt.shop_name == "悦己美妆"
    assert (receipt.amount_fen, receipt.coupon_discount_fen, receipt.points_discount_fen) == (
        300_00,
        20_00,
        5_00,
    )
    assert receipt.paid_fen == 275_00
    assert receipt.items == (ReceiptItem("面霜", 1, 300_00),)
    assert receipt.staff_name == "小美"
    assert receipt.coupon_name == "满100减20" and len(receipt.coupon_code) == 8
    assert receipt.member is not None
    assert receipt.member.phone == "138****8000"
    assert receipt.member.points_earned == 275
    assert receipt.member.points_balance == 1000 - 500 + 275
    assert (receipt.member.tier, receipt.member.next_tier) == ("Regular", "Gold")
    assert receipt.member.next_tier_missing_fen == 3000_00 - 1000_00 - 275_00
    assert receipt.member.visit is None  # the shop has no visit reward
    assert not receipt.refunded


def test_receipt_shows_points_expiring_within_30_days(db) -> None:
    points.save_points_rules(PointsRules(points_per_yuan=1, expiry=ExpiryPolicy.DAYS, expiry_n=20))
    member = create_member(MemberInput(name="王丽", phone="13800138000"))
    sale = record_purchase(PurchaseInput(member_id=member, amount_fen=150_00))
    receipt = receipt_for_purchase(sale)
    assert receipt.member is not None
    assert receipt.member.expiring_points == 150
    assert receipt.member.expiring_on == dt.date.today() + dt.timedelta(days=20)


def test_visit_progress_counts_the_window_and_marks_the_rewarding_sale(db) -> None:
    points.save_points_rules(PointsRules(visit_reward_count=3, visit_reward_days=30, visit_reward_points=200))
    member = create_member(MemberInput(name="王丽", phone="13800138000"))
    start = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=10)
    first = record_purchase(PurchaseInput(member_id=member, amount_fen=50_00, purchased_at=start))
    progress = visit_progress(member, first, start)
    assert progress == VisitProgress(1, 3, 30, 200, (start + dt.timedelta(days=29)).date(), False)
    second_at = start + dt.timedelta(days=4)
    record_purchase(PurchaseInput(member_id=member, amount_fen=50_00, purchased_at=second_at))
    third_at = start + dt.timedelta(days=8)
    third = record_purchase(PurchaseInput(member_id=member, amount_fen=50_00, purchased_at=third_at))
    progress = visit_progress(member, third, third_at)
    assert progress is not None and progress.rewarded and progress.visits == 3
    assert receipt_for_purchase(third).notes() == ["Visit reward earned: +200 points"]


def test_a_walk_in_sale_and_a_refunded_sale(db) -> None:
    walk_in = record_purchase(PurchaseInput(member_id=None, amount_fen=88_00))
    receipt = receipt_for_purchase(walk_in)
    assert receipt.member is None and receipt.paid_fen == 88_00 and receipt.items == ()
    refund_purchase(walk_in, "changed mind")
    assert receipt_for_purchase(walk_in).refunded
    with pytest.raises(NotFoundError):
        receipt_for_purchase(walk_in + 1000)
