"""Coupon figures per template and per issuing batch: issued, used, expired, redemption rate, sales made
with the coupons, and how many dormant members they brought back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Case, fn

from shopdesk.db.models import Coupon, CouponBatch, Purchase, now
from shopdesk.services.transactions import guarded

# A coupon "brought back" a member whose previous purchase was this long before the one it was used in.
DORMANT_DAYS = 90


@dataclass(frozen=True, slots=True)
class CouponFigures:
    issued: int
    used: int
    expired: int
    void: int
    sales_fen: int  # what customers paid in the purchases that used these coupons (refunds excluded)
    brought_back: int  # used by members whose previous purchase was long overdue

    @property
    def redemption_rate(self) -> float:
        """Used as a share of the coupons issued and not voided."""
        live = self.issued - self.void
        return self.used / live if live else 0.0


@dataclass(frozen=True, slots=True)
class BatchFigures:
    batch_id: int
    label: str
    source: str
    created_at: dt.datetime
    figures: CouponFigures


def _figures(condition: object, today: dt.date) -> CouponFigures:
    counts = (
        Coupon.select(
            fn.COUNT(Coupon.id),
            fn.SUM(Case(None, [(Coupon.status == "used", 1)], 0)),
            fn.SUM(Case(None, [((Coupon.status == "unused") & (Coupon.valid_until < today), 1)], 0)),
            fn.SUM(Case(None, [(Coupon.status == "void", 1)], 0)),
        )
        .where(condition)
        .tuples()
        .first()
    )
    issued, used, expired, void = (int(value or 0) for value in counts)
    uses = list(
        Purchase.select(Purchase.member, Purchase.purchased_at, Purchase.paid_fen)
        .join(Coupon, on=(Purchase.coupon == Coupon.id))
        .where(condition & Purchase.refunded_at.is_null())
        .tuples()
    )
    sales = sum(paid for _, _, paid in uses)
    brought_back = 0
    for member_id, when, _ in uses:
        previous = (
            Purchase.select(fn.MAX(Purchase.purchased_at))
            .where(
                (Purchase.member == member_id)
                & Purchase.refunded_at.is_null()
                & (Purchase.purchased_at < when)
            )
            .scalar()
        )
        if previous is None:
            continue
        gap = (_as_datetime(when) - _as_datetime(previous)).days
        if gap > DORMANT_DAYS:
            brought_back += 1
    return CouponFigures(issued, used, expired, void, sales, brought_back)


def _as_datetime(value: object) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


@guarded
def template_figures(template_id: int, today: dt.date | None = None) -> CouponFigures:
    """Figures for every coupon issued from a template."""
    return _figures(Coupon.template == template_id, today or now().date())


@guarded
def batch_figures(template_id: int, today: dt.date | None = None) -> list[BatchFigures]:
    """Figures for each batch of a template, newest first."""
    today = today or now().date()
    batches = CouponBatch.select().where(CouponBatch.template == template_id).order_by(CouponBatch.id.desc())
    return [
        BatchFigures(b.id, b.label, b.source, b.created_at, _figures(Coupon.batch == b.id, today))
        for b in batches
    ]
