"""Recording and refunding purchases, keeping each member's cached figures exact in the same transaction."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NewType

from peewee import JOIN

from shopdesk.db import sql
from shopdesk.db.member_months import add_category_sales, add_to_member_month, refresh_member_months
from shopdesk.db.models import Category, Member, Purchase, PurchaseItem, Staff, database_proxy, now
from shopdesk.domain.rhythm import median_interval_days
from shopdesk.errors import ConflictError, NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.services import (
    auto_tags,
    coupon_redemption,
    coupon_rules,
    followups,
    loyalty,
    member_rescore,
    points,
)
from shopdesk.services.audit import record_audit
from shopdesk.services.purchase_history import read_history
from shopdesk.services.sale_rules import SaleRules, load_sale_rules
from shopdesk.services.transactions import atomic, guarded

PurchaseId = NewType("PurchaseId", int)
MAX_QTY = 9999
# Counters sharing a PostgreSQL base may disagree on the time by a few minutes; a day ahead was a
# date picked by mistake (tomorrow), which a day-wide allowance used to accept.
CLOCK_SKEW = dt.timedelta(minutes=10)


@dataclass(slots=True)
class PurchaseItemInput:
    amount_fen: int
    category_id: int | None = None
    name: str = ""
    qty: int = 1


@dataclass(slots=True)
class PurchaseInput:
    """A sale as the checkout or an import describes it. ``amount_fen`` may be left out when items are given.

    ``uid`` identifies the sale across retries: saving the same uid twice records it once.
    """

    member_id: int | None
    amount_fen: int | None = None
    paid_fen: int | None = None
    purchased_at: dt.datetime | None = None
    items: Sequence[PurchaseItemInput] = ()
    staff_id: int | None = None
    note: str = ""
    uid: str | None = None
    points_to_use: int = 0
    coupon_id: int | None = None


@dataclass(frozen=True, slots=True)
class PurchaseItemView:
    category_id: int | None
    category_name: str
    name: str
    qty: int
    amount_fen: int


@dataclass(frozen=True, slots=True)
class PurchaseView:
    id: PurchaseId
    member_id: int | None
    purchased_at: dt.datetime
    amount_fen: int
    paid_fen: int
    staff_name: str
    note: str
    refunded_at: dt.datetime | None
    refund_reason: str
    items: tuple[PurchaseItemView, ...] = field(default=())
    points_used: int = 0
    points_discount_fen: int = 0
    coupon_id: int | None = None
    coupon_discount_fen: int = 0

    @property
    def refunded(self) -> bool:
        return self.refunded_at is not None


def _validate(data: PurchaseInput) -> tuple[int, int | None, dt.datetime]:
    for item in data.items:
        if item.amount_fen is None or item.amount_fen < 0:
            raise ValidationError("items", _("Amount cannot be negative."))
        if not (1 <= item.qty <= MAX_QTY):
            raise ValidationError("items", _("Quantity should be between 1 and 9999."))
    categories = sorted({item.category_id for item in data.items if item.category_id is not None})
    if categories:
        found = sql.rows(f"SELECT id FROM category WHERE id IN ({sql.marks(len(categories))})", categories)
        if len(found) != len(categories):
            raise ValidationError("items", _("This category does not exist."))
    items_total = sum(item.amount_fen for item in data.items)
    amount = data.amount_fen if data.amount_fen is not None else items_total
    if amount is None or amount < 0:
        raise ValidationError("amount", _("Amount cannot be negative."))
    if amount == 0:
        raise ValidationError("amount", _("Amount should be more than zero."))
    if data.items and items_total != amount:
        raise ValidationError("items", _("The items do not add up to the amount."))
    paid = data.paid_fen
    if paid is not None and (paid < 0 or paid > amount):
        raise ValidationError("paid", _("The amount paid should be between zero and the amount."))
    if data.points_to_use < 0:
        raise ValidationError("points", _("Points to use cannot be negative."))
    when = (data.purchased_at or now()).replace(microsecond=0)
    if when > now() + CLOCK_SKEW:
        raise ValidationError("purchased_at", _("The purchase date is in the future."))
    if data.staff_id is not None and not sql.rows("SELECT 1 FROM staff WHERE id = ?", [data.staff_id]):
        raise ValidationError("staff", _("This member of staff does not exist."))
    return amount, paid, when


def record_purchase(data: PurchaseInput, *, actor: str = "") -> PurchaseId:
    """Record a sale (for a member, or a walk-in when ``member_id`` is None) and everything it changes:
    figures, monthly sums, points, tier, rewards, coupon rules, follow-ups and automatic tags.

    This is the counter's most frequent action, so it is written for speed: the rules are read in two
    queries, the member's history in one, and each row is written with bare SQL.
    """
    with atomic():
        if data.uid is not None:
            found = sql.rows("SELECT id, member_id FROM purchase WHERE uid = ?", [data.uid])
            if found:
                if found[0][1] != data.member_id:
                    raise ConflictError(_("This sale was saved already for another customer."))
                return PurchaseId(found[0][0])
        amount, paid, when = _validate(data)
        member = None
        rules = load_sale_rules()
        items = [(item.category_id, item.amount_fen) for item in data.items]
        coupon_off = points_off = 0
        if data.member_id is not None:
            member = points.lock_member(data.member_id, for_sale=True)
            if member.archived_at is not None:
                raise ConflictError(_("This member is archived; restore them before recording a purchase."))
            if data.coupon_id is not None:
                coupon_off, stacks = coupon_redemption.check_coupon(
                    data.coupon_id, member.id, amount, items, today=when.date()
                )
                if data.points_to_use and not stacks:
                    raise ConflictError(_("This coupon cannot be combined with points."))
            points_off = loyalty.points_deduction(
                member, amount - coupon_off, data.points_to_use, when, rules.points
            )
        elif data.points_to_use or data.coupon_id is not None:
            raise ValidationError("member", _("Points and coupons need a member; this is a walk-in sale."))
        due = amount - coupon_off - points_off
        if paid is None:
            paid = due
        elif paid > due:
            raise ValidationError("paid", _("The amount paid is more than what is left after discounts."))
        sale = loyalty.SaleFacts(
            id=_insert_purchase(data, amount, paid, when, member is not None, points_off, coupon_off),
            purchased_at=when,
            amount_fen=amount,
            paid_fen=paid,
            points_used=data.points_to_use if member is not None else 0,
        )
        if member is not None and data.coupon_id is not None:
            coupon_redemption.redeem_for_purchase(data.coupon_id, sale.id, coupon_off, when)
        if data.items:
            _insert_items(sale.id, data.items)
            add_category_sales(sale.id)
        if member is not None:
            _apply_to_member(member, sale, items, rules, actor)
        return PurchaseId(sale.id)


def _insert_purchase(
    data: PurchaseInput,
    amount: int,
    paid: int,
    when: dt.datetime,
    for_member: bool,
    points_off: int,
    coupon_off: int,
) -> int:
    stamp = sql.datetime_param(when)
    return sql.insert(
        "purchase",
        {
            "uid": data.uid or uuid.uuid4().hex,
            "member_id": data.member_id,
            "purchased_at": stamp,
            "amount_fen": amount,
            "paid_fen": paid,
            "staff_id": data.staff_id,
            "note": (data.note or "").strip()[:500],
            "created_at": sql.datetime_param(now()),
            "refund_reason": "",
            "points_used": data.points_to_use if for_member else 0,
            "points_discount_fen": points_off,
            "coupon_discount_fen": coupon_off,
            "coupon_id": data.coupon_id if for_member else None,
        },
    )


def _insert_items(purchase_id: int, items: Sequence[PurchaseItemInput]) -> None:
    PurchaseItem.insert_many(
        [
            {
                "purchase": purchase_id,
                "category": item.category_id,
                "name": (item.name or "")[:60],
                "qty": item.qty,
                "amount_fen": item.amount_fen,
            }
            for item in items
        ]
    ).execute()


def _apply_to_member(
    member: points.LockedMember,
    sale: loyalty.SaleFacts,
    items: Sequence[tuple[int | None, int]],
    rules: SaleRules,
    actor: str,
) -> None:
    """Everything a sale changes for its member, from one read of their purchases."""
    history = read_history(member.id)
    earlier_first = member.first_purchase_at
    member.purchase_count = history.count
    member.balance_deferred = True  # written with the figures below
    loyalty.apply_purchase(member, sale, items, rules, history, actor)
    coupon_rules.on_purchase(member.id, sale.paid_fen, sale.purchased_at.date(), rules.coupon_rules)
    if member.open_followups:
        followups.close_on_purchase(member.id, sale.id, sale.purchased_at)
    today = now().date()
    scores = member_rescore.scores_for(history, rules.scores, today) if rules.scores else None
    columns: dict[str, object] = {
        "purchase_count": history.count,
        "total_spent_fen": history.total_fen,
        "first_purchase_at": sql.datetime_param(history.first),  # type: ignore[arg-type]
        "last_purchase_at": sql.datetime_param(history.last),  # type: ignore[arg-type]
        "interval_days": history.interval_days,
        "points_balance": member.points_balance,
    }
    if scores is not None:
        columns.update(
            lifecycle=scores.lifecycle,
            rfm_r=scores.rfm_r,
            rfm_f=scores.rfm_f,
            rfm_m=scores.rfm_m,
            rfm_segment=scores.rfm_segment,
        )
    assignments = ", ".join(f"{name} = ?" for name in columns)
    sql.run(f"UPDATE member SET {assignments} WHERE id = ?", [*columns.values(), member.id])
    if earlier_first is None or sale.purchased_at >= earlier_first:
        add_to_member_month(member.id, sale.purchased_at, sale.paid_fen, history.first)  # type: ignore[arg-type]
    else:  # a sale dated before the first one moves the member's first month
        refresh_member_months([member.id])
    tags_synced = scores is not None and member_rescore.sync_tags(
        member.id,
        member.held_tag_ids,
        rules.auto_tag_ids,
        scores,
        member.birth_month,
        history,
        rules.scores,  # type: ignore[arg-type]
        today,
    )
    if not tags_synced:
        auto_tags.recompute_auto_tags(today, member_ids=[member.id])


_RECOMPUTE_SQL = """
UPDATE member SET
  purchase_count = (SELECT COUNT(*) FROM purchase p
                    WHERE p.member_id = member.id AND p.refunded_at IS NULL),
  total_spent_fen = (SELECT COALESCE(SUM(p.paid_fen), 0) FROM purchase p
                     WHERE p.member_id = member.id AND p.refunded_at IS NULL),
  first_purchase_at = (SELECT MIN(p.purchased_at) FROM purchase p
                       WHERE p.member_id = member.id AND p.refunded_at IS NULL),
  last_purchase_at = (SELECT MAX(p.purchased_at) FROM purchase p
                      WHERE p.member_id = member.id AND p.refunded_at IS NULL)
"""


def recompute_intervals(member_ids: Sequence[int] | None = None) -> None:
    """Store each member's median days between purchase days (all members when ``member_ids`` is None).

    Streams the purchases ordered by member, so a million of them take a couple of seconds.
    """
    query = (
        Purchase.select(Purchase.member, Purchase.purchased_at)
        .where(Purchase.refunded_at.is_null() & Purchase.member.is_null(False))
        .order_by(Purchase.member)
    )
    if member_ids is not None:
        if not member_ids:
            return
        query = query.where(Purchase.member.in_(list(member_ids)))
    intervals: dict[int, int | None] = dict.fromkeys(member_ids or (), None)
    for member_id, group in itertools.groupby(query.tuples().iterator(), key=lambda row: row[0]):
        intervals[member_id] = median_interval_days(sql.read_datetime(when) for _, when in group)  # type: ignore[misc]
    with atomic():
        if member_ids is None:
            Member.update(interval_days=None).execute()
        by_value: dict[int | None, list[int]] = {}
        for member_id, days in intervals.items():
            by_value.setdefault(days, []).append(member_id)
        for days, ids in by_value.items():
            for start in range(0, len(ids), 500):
                Member.update(interval_days=days).where(Member.id.in_(ids[start : start + 500])).execute()


def recompute_member_figures(member_ids: Sequence[int] | None = None) -> None:
    """Recompute cached figures from the purchases (all members when ``member_ids`` is None), set-based."""
    sql, params = _RECOMPUTE_SQL, []
    if member_ids is not None:
        if not member_ids:
            return
        param = database_proxy.param
        sql += " WHERE member.id IN ({})".format(", ".join([param] * len(member_ids)))
        params = list(member_ids)
    with atomic():
        database_proxy.execute_sql(sql, params)


def refund_purchase(purchase_id: int, reason: str = "", *, actor: str = "") -> None:
    """Refund a whole purchase: it stays on record, marked refunded, and leaves the member's figures."""
    with atomic():
        purchase = Purchase.get_or_none(Purchase.id == purchase_id)
        if purchase is None:
            raise NotFoundError(_("This purchase no longer exists."))
        if purchase.refunded_at is not None:
            raise ConflictError(_("This purchase was refunded already."))
        Purchase.update(refunded_at=now(), refund_reason=(reason or "").strip()[:500]).where(
            Purchase.id == purchase_id
        ).execute()
        if purchase.member_id is not None:
            loyalty.reverse_purchase(points.lock_member(purchase.member_id), purchase_id, actor)
            coupon_redemption.restore_for_refund(purchase_id)
            recompute_member_figures([purchase.member_id])
            recompute_intervals([purchase.member_id])
            auto_tags.recompute_auto_tags(member_ids=[purchase.member_id])
            refresh_member_months([purchase.member_id])
        add_category_sales(purchase_id, -1)
        record_audit("purchase.refund", f"purchase:{purchase_id}", {"reason": reason}, actor=actor)


def _views(query: object) -> list[PurchaseView]:
    purchases = list(query)  # type: ignore[call-overload]
    items: dict[int, list[PurchaseItemView]] = {}
    if purchases:
        item_rows = (
            PurchaseItem.select(PurchaseItem, Category.name.alias("category_name"))
            .join(Category, JOIN.LEFT_OUTER)
            .where(PurchaseItem.purchase.in_([p.id for p in purchases]))
            .order_by(PurchaseItem.id)
            .objects()
        )
        for row in item_rows:
            items.setdefault(row.purchase_id, []).append(
                PurchaseItemView(row.category_id, row.category_name or "", row.name, row.qty, row.amount_fen)
            )
    return [
        PurchaseView(
            id=PurchaseId(p.id),
            member_id=p.member_id,
            purchased_at=p.purchased_at,
            amount_fen=p.amount_fen,
            paid_fen=p.paid_fen,
            staff_name=p.staff_name or "",
            note=p.note,
            refunded_at=p.refunded_at,
            refund_reason=p.refund_reason,
            items=tuple(items.get(p.id, ())),
            points_used=p.points_used,
            points_discount_fen=p.points_discount_fen,
            coupon_id=p.coupon_id,
            coupon_discount_fen=p.coupon_discount_fen,
        )
        for p in purchases
    ]


def _base_query() -> object:
    return (
        Purchase.select(Purchase, Staff.name.alias("staff_name"))
        .join(Staff, JOIN.LEFT_OUTER, on=(Purchase.staff == Staff.id))
        .objects()
    )


@guarded
def get_purchase(purchase_id: int) -> PurchaseView:
    """One purchase with its items."""
    views = _views(_base_query().where(Purchase.id == purchase_id))  # type: ignore[attr-defined]
    if not views:
        raise NotFoundError(_("This purchase no longer exists."))
    return views[0]


@guarded
def list_member_purchases(
    member_id: int, *, after: tuple[dt.datetime, int] | None = None, limit: int = 50
) -> list[PurchaseView]:
    """A member's purchases, newest first, ``limit`` at a time; pass the last (time, id) seen to go on."""
    query = _base_query().where(Purchase.member == member_id)  # type: ignore[attr-defined]
    if after is not None:
        when, last_id = after
        query = query.where(
            (Purchase.purchased_at < when) | ((Purchase.purchased_at == when) & (Purchase.id < last_id))
        )
    return _views(query.order_by(Purchase.purchased_at.desc(), Purchase.id.desc()).limit(limit))
