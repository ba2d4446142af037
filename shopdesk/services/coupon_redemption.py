"""Using a coupon at the checkout: which of a member's coupons apply, best first, and redeeming one
inside the purchase's transaction — or putting it back on refund.

Redeeming re-checks everything in the same transaction and marks the coupon used with a conditional
UPDATE (``WHERE status = 'unused'``): of two counters redeeming one coupon at once, exactly one succeeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace

from shopdesk.db import sql
from shopdesk.db.models import Coupon, CouponTemplate, now
from shopdesk.domain.coupons import CouponKind, discount_fen, eligible_amount
from shopdesk.domain.dates import spoken_date
from shopdesk.domain.money import format_money
from shopdesk.errors import ConflictError, NotFoundError, UserError
from shopdesk.i18n import _
from shopdesk.services.coupon_templates import _date, view_of
from shopdesk.services.coupons import CouponView, member_coupons
from shopdesk.services.transactions import guarded

Items = Sequence[tuple[int | None, int]]


@dataclass(frozen=True, slots=True)
class CouponOption:
    """One of the member's coupons as the checkout shows it."""

    coupon: CouponView
    discount_fen: int
    applicable: bool
    reason: str  # why it does not apply ("" when it does)
    stacks_with_points: bool


def _check(row: Coupon, member_id: int | None, amount_fen: int, items: Items, today: dt.date) -> int:
    """The discount ``row`` gives on this sale, or a UserError saying exactly why it cannot be used."""
    if member_id is None or row.member_id != member_id:
        raise ConflictError(_("This coupon belongs to another member."))
    if row.status == "used":
        raise ConflictError(_("This coupon has been used already."))
    if row.status == "void":
        raise ConflictError(_("This coupon was voided."))
    if _date(row.valid_from) > today:
        raise ConflictError(
            _("This coupon can be used from {date}.").format(date=spoken_date(_date(row.valid_from), today))
        )
    if _date(row.valid_until) < today:
        raise ConflictError(
            _("This coupon expired on {date}.").format(date=spoken_date(_date(row.valid_until), today))
        )
    template = view_of(row.template)
    eligible = eligible_amount(template.terms, amount_fen, items)
    if eligible is None:
        raise ConflictError(
            _("This coupon applies only to certain categories, and this sale has none of them.")
        )
    if template.kind is CouponKind.THRESHOLD and eligible < template.terms.threshold_fen:
        raise ConflictError(
            _("This coupon needs a purchase of at least {threshold}.").format(
                threshold=format_money(template.terms.threshold_fen)
            )
        )
    if template.kind is CouponKind.PERCENT and eligible < template.terms.threshold_fen:
        raise ConflictError(
            _("This coupon needs a purchase of at least {threshold}.").format(
                threshold=format_money(template.terms.threshold_fen)
            )
        )
    return discount_fen(template.terms, eligible)


@guarded
def coupon_options(
    member_id: int, amount_fen: int, items: Items = (), *, today: dt.date | None = None
) -> list[CouponOption]:
    """The member's unused coupons for this sale: those that apply first, biggest discount first, then
    soonest to expire; those that do not apply after, each with its reason."""
    today = today or now().date()
    rows = {
        row.id: row
        for row in Coupon.select(Coupon, CouponTemplate)
        .join(CouponTemplate)
        .where((Coupon.member == member_id) & (Coupon.status == "unused") & (Coupon.valid_until >= today))
    }
    options = []
    for view in member_coupons(member_id, today=today, include_closed=False):
        row = rows.get(view.id)
        if row is None:
            continue
        try:
            off = _check(row, member_id, amount_fen, items, today)
            options.append(CouponOption(view, off, True, "", row.template.stacks_with_points))
        except UserError as error:
            options.append(CouponOption(view, 0, False, error.message, row.template.stacks_with_points))
    options.sort(
        key=lambda o: (
            not o.applicable,
            -o.discount_fen,
            o.coupon.kind is not CouponKind.GIFT,
            o.coupon.valid_until,
            o.coupon.id,
        )
    )
    return options


_TEMPLATE_COLUMNS = [
    *("id", "name", "kind", "value_fen", "threshold_fen", "pay_percent", "cap_fen", "gift_name"),
    *("valid_from", "valid_until", "valid_days", "category_ids", "per_member_limit"),
    *("stacks_with_points", "paused"),
]
_COUPON_SQL = (
    "SELECT c.member_id, c.status, c.valid_from, c.valid_until, "
    + ", ".join(f"t.{column}" for column in _TEMPLATE_COLUMNS)
    + " FROM coupon c JOIN coupon_template t ON t.id = c.template_id WHERE c.id = ?"
)


def check_coupon(
    coupon_id: int, member_id: int | None, amount_fen: int, items: Items = (), *, today: dt.date | None = None
) -> tuple[int, bool]:
    """(discount, stacks with points) for using the coupon on this sale; a UserError when it cannot.

    Read with bare SQL: the checkout calls this for every sale with a coupon, and building the two
    Peewee models cost more than the rest of the sale.
    """
    found = sql.rows(_COUPON_SQL, [coupon_id])
    if not found:
        raise NotFoundError(_("No coupon has this code."))
    member, status, valid_from, valid_until, *template_values = found[0]
    template = SimpleNamespace(**dict(zip(_TEMPLATE_COLUMNS, template_values, strict=True)))
    template.stacks_with_points = bool(template.stacks_with_points)
    template.paused = bool(template.paused)
    row = SimpleNamespace(
        member_id=member, status=status, valid_from=valid_from, valid_until=valid_until, template=template
    )
    off = _check(row, member_id, amount_fen, items, today or now().date())  # type: ignore[arg-type]
    return off, template.stacks_with_points


def redeem_for_purchase(coupon_id: int, purchase_id: int, off_fen: int, when: dt.datetime) -> None:
    """Mark the coupon used by this purchase, inside the transaction that checked it (``check_coupon``).

    The UPDATE only takes a coupon still unused: of two counters that both checked it, one gets it.
    """
    updated = sql.run(
        "UPDATE coupon SET status = 'used', used_at = ?, purchase_id = ?, discount_fen = ?"
        " WHERE id = ? AND status = 'unused'",
        [sql.datetime_param(when), purchase_id, off_fen, coupon_id],
    )
    if updated != 1:
        raise ConflictError(_("This coupon has been used already."))


def restore_for_refund(purchase_id: int, today: dt.date | None = None) -> bool:
    """On refund the coupon comes back if it is still valid; returns True when it did."""
    today = today or now().date()
    row = Coupon.get_or_none((Coupon.purchase == purchase_id) & (Coupon.status == "used"))
    if row is None or _date(row.valid_until) < today:
        return False
    Coupon.update(status="unused", used_at=None, purchase=None, discount_fen=0).where(
        Coupon.id == row.id
    ).execute()
    return True
