"""What a sale's receipt prints, gathered from the database: the sale, its coupon, and the member's points,
tier and visit-reward progress as the sale left them."""

from __future__ import annotations

import datetime as dt

from shopdesk.db.models import PointsEntry, Purchase, now
from shopdesk.domain.phones import mask_phone
from shopdesk.i18n import _
from shopdesk.reports.receipt import Receipt, ReceiptItem, ReceiptMember, VisitProgress
from shopdesk.services.coupons import get_coupon
from shopdesk.services.members import get_member
from shopdesk.services.points import points_rules, points_summary
from shopdesk.services.purchases import PurchaseView, get_purchase
from shopdesk.services.settings import shop_name
from shopdesk.services.tiers import member_tier_progress
from shopdesk.services.transactions import guarded

EXPIRY_NOTICE_DAYS = 30


@guarded
def receipt_for_purchase(purchase_id: int, *, today: dt.date | None = None) -> Receipt:
    """The receipt of purchase ``purchase_id`` (NotFoundError when it does not exist)."""
    purchase = get_purchase(purchase_id)
    coupon_name = coupon_code = ""
    if purchase.coupon_id is not None:
        coupon = get_coupon(purchase.coupon_id)
        coupon_name, coupon_code = coupon.template_name, coupon.code  # the name the customer was told
    items = tuple(
        ReceiptItem(item.name or item.category_name or _("Goods"), item.qty, item.amount_fen)
        for item in purchase.items
    )
    member = None
    if purchase.member_id is not None:
        member = _member_part(purchase, today or now().date())
    return Receipt(
        shop_name=shop_name(),
        purchase_id=purchase.id,
        purchased_at=purchase.purchased_at,
        amount_fen=purchase.amount_fen,
        paid_fen=purchase.paid_fen,
        items=items,
        staff_name=purchase.staff_name,
        coupon_name=coupon_name,
        coupon_code=coupon_code,
        coupon_discount_fen=purchase.coupon_discount_fen,
        points_used=purchase.points_used,
        points_discount_fen=purchase.points_discount_fen,
        member=member,
        refunded=purchase.refunded,
    )


def _member_part(purchase: PurchaseView, today: dt.date) -> ReceiptMember:
    member_id = purchase.member_id
    assert member_id is not None
    detail = get_member(member_id)
    earned = (
        PointsEntry.select(PointsEntry.amount)
        .where(PointsEntry.key == f"purchase:{purchase.id}:earn")
        .scalar()
    )
    summary = points_summary(member_id, today)
    horizon = today + dt.timedelta(days=EXPIRY_NOTICE_DAYS)
    expiring = [
        lot for lot in summary.lots if lot.expires_on is not None and today <= lot.expires_on <= horizon
    ]
    progress = member_tier_progress(member_id, today)
    return ReceiptMember(
        name=detail.name,
        phone=mask_phone(detail.phone),
        tier=progress.current.name if progress.current is not None else "",
        points_earned=earned or 0,
        points_balance=summary.balance,
        expiring_points=sum(lot.remaining for lot in expiring),
        expiring_on=max((lot.expires_on for lot in expiring), default=None),  # all of them expire by then
        next_tier=progress.next.name if progress.next is not None else "",
        next_tier_missing_fen=progress.missing_fen if progress.next is not None else 0,
        visit=visit_progress(member_id, purchase.id, purchase.purchased_at),
    )


def _as_datetime(value: object) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


@guarded
def visit_progress(member_id: int, purchase_id: int, when: dt.datetime) -> VisitProgress | None:
    """The visit reward ("the Nth purchase within D days earns X points") as the purchase at ``when``
    leaves it; None when the shop has no visit reward.

    A purchase counts while the newest purchase is less than D days after it, so the oldest purchase in the
    window sets the deadline; the day before it is printed, to be safe about the time of day.
    """
    rules = points_rules()
    if rules.visit_reward_points <= 0 or rules.visit_reward_count <= 1:
        return None
    window = dt.timedelta(days=rules.visit_reward_days)
    times = [
        _as_datetime(value)
        for (value,) in Purchase.select(Purchase.purchased_at)
        .where(
            (Purchase.member == member_id)
            & Purchase.refunded_at.is_null()
            & (Purchase.purchased_at > when - window)
            & (Purchase.purchased_at <= when)
        )
        .tuples()
    ]
    rewarded = PointsEntry.select().where(PointsEntry.key == f"visit:{purchase_id}").exists()
    deadline = (min(times) + window - dt.timedelta(days=1)).date() if times else None
    return VisitProgress(
        visits=len(times),
        needed=rules.visit_reward_count,
        days=rules.visit_reward_days,
        points=rules.visit_reward_points,
        deadline=deadline,
        rewarded=rewarded,
    )
