"""The points ledger: earning on purchases, redeeming, gifts, adjustments, expiry, refunds, rewards.

Invariants kept by every function here, inside the caller's transaction:
- ``member.points_balance`` equals the sum of the member's ledger entries;
- no lot is below zero, and the lots hold ``max(balance, 0)`` points: a refund of points already spent
  can leave the balance negative (a debt the next earnings pay off first);
- an entry tied to a purchase has a unique key (``purchase:<id>:<kind>``), so a replayed save cannot
  credit or debit twice.
On PostgreSQL the member row is locked (``FOR UPDATE``) first, so two counters redeeming the same
member's last points take turns and the second sees the first's result; SQLite's ``BEGIN IMMEDIATE``
already lets one writer in at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from peewee import fn

from shopdesk.db import sql
from shopdesk.db.database import is_postgres
from shopdesk.db.models import Gift, Member, PointsEntry, PointsLot, PointsUse, now
from shopdesk.domain.followups import TaskStatus
from shopdesk.domain.points import (
    EntryKind,
    Lot,
    PointsRules,
    allocate,
    lot_expiry,
    spend_order,
    usable_balance,
)
from shopdesk.errors import ConflictError, NotFoundError, ValidationError
from shopdesk.i18n import _, ngettext
from shopdesk.services.audit import record_audit
from shopdesk.services.session import Permission, require
from shopdesk.services.settings import get_setting, set_setting
from shopdesk.services.transactions import atomic, guarded

RULES_KEY = "points_rules"
MAX_ADJUST = 10_000_000


@dataclass(frozen=True, slots=True)
class LotView:
    id: int
    earned_on: dt.date
    available_from: dt.date | None
    expires_on: dt.date | None
    original: int
    remaining: int


@dataclass(frozen=True, slots=True)
class PointsSummary:
    """What the member detail shows about points."""

    balance: int
    usable: int
    held: int
    expiring_soon: int  # within 30 days
    next_expiry: dt.date | None
    lots: tuple[LotView, ...]


@dataclass(frozen=True, slots=True)
class LedgerLine:
    id: int
    kind: str
    amount: int
    balance_after: int
    purchase_id: int | None
    operator: str
    reason: str
    created_at: dt.datetime


# ---- rules ---------------------------------------------------------------------------------------------


@guarded
def points_rules() -> PointsRules:
    """The shop's current points rules (defaults until the owner changes them)."""
    return PointsRules.from_dict(get_setting(RULES_KEY))


def save_points_rules(rules: PointsRules, *, actor: str = "") -> None:
    """Store new rules; they apply to sales from now on (existing lots keep their expiry)."""
    require(Permission.SETTINGS)
    if rules.points_per_yuan < 0 or rules.redeem_points_per_yuan < 0:
        raise ValidationError("points_per_yuan", _("Points rates cannot be negative."))
    if not (0 <= rules.redeem_cap_percent <= 100):
        raise ValidationError("redeem_cap_percent", _("The cap should be between 0 and 100 percent."))
    if rules.holding_days < 0 or rules.expiry_n < 0:
        raise ValidationError("holding_days", _("Days cannot be negative."))
    with atomic():
        set_setting(RULES_KEY, rules.as_dict())
        record_audit("points.rules", "settings", rules.as_dict(), actor=actor)


# ---- primitives (call inside a transaction) -----------------------------------------------------------


@dataclass(slots=True)
class LockedMember:
    """The member columns a sale, a refund or a points action works with, read under the row lock.

    A plain record instead of a Peewee ``Member``: building the model costs more than a sale's writes.
    ``points_balance`` and ``tier_id`` follow the changes made in the transaction.
    """

    id: int
    name: str
    archived_at: dt.datetime | None
    points_balance: int
    tier_id: int | None
    tier_manual: bool
    birth_month: int | None
    referrer_id: int | None
    purchase_count: int
    first_purchase_at: dt.datetime | None
    last_purchase_at: dt.datetime | None
    # A sale writes the member row once at its end, balance included; other actions write it per entry.
    balance_deferred: bool = False
    # Read with the row for a sale only (``for_sale``), saving the sale two queries:
    held_tag_ids: frozenset[int] = frozenset()  # every tag the member has
    open_followups: bool = True  # whether a follow-up task is open or snoozed


_LOCK_COLUMNS = (
    "SELECT id, name, archived_at, points_balance, tier_id, tier_manual, birth_month, referrer_id,"
    " purchase_count, first_purchase_at, last_purchase_at"
)
_OPEN_FOLLOWUPS = (
    "EXISTS (SELECT 1 FROM followup_task f WHERE f.member_id = member.id"
    f" AND f.status IN ('{TaskStatus.OPEN.value}', '{TaskStatus.SNOOZED.value}'))"
)


def lock_member(member_id: int, *, for_sale: bool = False) -> LockedMember:
    """The member row, locked for the rest of the transaction on PostgreSQL."""
    postgres = is_postgres()
    text = _LOCK_COLUMNS
    if for_sale:
        tag_list = "string_agg(CAST(tag_id AS TEXT), ',')" if postgres else "group_concat(tag_id)"
        text += f", (SELECT {tag_list} FROM member_tag WHERE member_id = member.id), {_OPEN_FOLLOWUPS}"
    text += " FROM member WHERE id = ?" + (" FOR UPDATE" if postgres else "")
    found = sql.rows(text, [member_id])
    if not found:
        raise NotFoundError(_("This member no longer exists."))
    (mid, name, archived, balance, tier_id, manual, birth_month, referrer, count, first, last) = found[0][:11]
    member = LockedMember(
        mid,
        name,
        sql.read_datetime(archived),
        balance,
        tier_id,
        bool(manual),
        birth_month,
        referrer,
        count,
        sql.read_datetime(first),
        sql.read_datetime(last),
    )
    if for_sale:
        tag_list, open_followups = found[0][11:]
        member.held_tag_ids = frozenset(int(tag) for tag in tag_list.split(",")) if tag_list else frozenset()
        member.open_followups = bool(open_followups)
    return member


@dataclass(frozen=True, slots=True)
class _LotRow:
    id: int
    entry_id: int
    earned_on: dt.date | None
    available_from: dt.date | None
    expires_on: dt.date | None
    original: int
    remaining: int


def _lots(member_id: int) -> list[_LotRow]:
    """The member's lots with points left (bare SQL: every sale that uses points reads them)."""
    found = sql.rows(
        "SELECT id, entry_id, earned_on, available_from, expires_on, original, remaining FROM points_lot"
        " WHERE member_id = ? AND remaining > 0 ORDER BY id",
        [member_id],
    )
    return [
        _LotRow(id_, entry, *(sql.read_date(day) for day in (earned, available, expires)), original, left)
        for id_, entry, earned, available, expires, original, left in found
    ]


def _as_lot(row: _LotRow) -> Lot:
    return Lot(row.id, row.remaining, sql.read_date(row.expires_on), sql.read_date(row.available_from))


def _entry(
    member: LockedMember,
    kind: EntryKind,
    amount: int,
    *,
    purchase_id: int | None = None,
    key: str | None = None,
    operator: str = "",
    reason: str = "",
    when: dt.datetime | None = None,
) -> int:
    """Append a ledger entry and move the cached balance with it; the entry's id."""
    balance = member.points_balance + amount
    entry_id = sql.insert(
        "points_entry",
        {
            "member_id": member.id,
            "kind": kind.value,
            "amount": amount,
            "balance_after": balance,
            "purchase_id": purchase_id,
            "key": key,
            "operator": operator,
            "reason": reason[:500],
            "created_at": sql.datetime_param(when or now()),
        },
    )
    if not member.balance_deferred:
        sql.run("UPDATE member SET points_balance = ? WHERE id = ?", [balance, member.id])
    member.points_balance = balance
    return entry_id


def _take(member_id: int, entry_id: int, plan: Iterable[tuple[int, int]]) -> None:
    """Take the planned points from lots and remember where they came from."""
    for lot_id, amount in plan:
        if amount <= 0:
            continue
        sql.run("UPDATE points_lot SET remaining = remaining - ? WHERE id = ?", [amount, lot_id])
        sql.insert("points_use", {"entry_id": entry_id, "lot_id": lot_id, "amount": amount})


def _credit(
    member: LockedMember,
    kind: EntryKind,
    amount: int,
    *,
    today: dt.date,
    rules: PointsRules,
    purchase_id: int | None = None,
    key: str | None = None,
    operator: str = "",
    reason: str = "",
    holding: bool = False,
    when: dt.datetime | None = None,
) -> int:
    """Add points as a new lot; a negative balance (debt) is paid off first. The entry's id."""
    debt = max(0, -member.points_balance)
    entry_id = _entry(
        member, kind, amount, purchase_id=purchase_id, key=key, operator=operator, reason=reason, when=when
    )
    into_lot = amount - min(debt, amount)
    if into_lot > 0:
        available = today + dt.timedelta(days=rules.holding_days) if holding and rules.holding_days else None
        expires = lot_expiry(today, rules)
        sql.insert(
            "points_lot",
            {
                "member_id": member.id,
                "entry_id": entry_id,
                "earned_on": sql.date_param(today),
                "available_from": None if available is None else sql.date_param(available),
                "expires_on": None if expires is None else sql.date_param(expires),
                "original": into_lot,
                "remaining": into_lot,
            },
        )
    return entry_id


def _debit(
    member: LockedMember,
    kind: EntryKind,
    points: int,
    *,
    today: dt.date,
    purchase_id: int | None = None,
    key: str | None = None,
    operator: str = "",
    reason: str = "",
    when: dt.datetime | None = None,
) -> PointsEntry:
    """Spend ``points`` from usable lots (soonest expiry first); refuse, never clamp, when short."""
    if member.points_balance <= 0:
        raise ConflictError(_("This member's points balance is not positive; points cannot be used."))
    lots = [_as_lot(row) for row in _lots(member.id)]
    available = usable_balance(lots, today)
    if points > available:
        raise ConflictError(
            ngettext(
                "Only {available} point can be used now.",
                "Only {available} points can be used now.",
                available,
            ).format(available=available)
        )
    plan = allocate(lots, points, today)
    entry_id = _entry(
        member, kind, -points, purchase_id=purchase_id, key=key, operator=operator, reason=reason, when=when
    )
    _take(member.id, entry_id, plan)
    return entry_id


def usable_points(member: LockedMember, today: dt.date) -> int:
    """Points the member can spend today (none while the balance is not positive)."""
    if member.points_balance <= 0:
        return 0
    return usable_balance([_as_lot(row) for row in _lots(member.id)], today)


def _claim_key(key: str) -> bool:
    """False when an entry with ``key`` exists already (the action was done before)."""
    return not sql.rows("SELECT 1 FROM points_entry WHERE key = ?", [key])


# ---- purchases (called by services.purchases inside its transaction) ----------------------------------


def spend_for_purchase(
    member: LockedMember, purchase_id: int, points: int, when: dt.datetime, operator: str
) -> None:
    """Redeem ``points`` as money off a purchase (the purchase already carries the deduction)."""
    key = f"purchase:{purchase_id}:redeem"
    if points > 0 and _claim_key(key):
        _debit(
            member,
            EntryKind.REDEEM,
            points,
            today=when.date(),
            purchase_id=purchase_id,
            key=key,
            operator=operator,
            when=when,
        )


def earn_for_purchase(
    member: LockedMember, purchase_id: int, points: int, when: dt.datetime, rules: PointsRules, operator: str
) -> None:
    """Credit the points a purchase earned, once."""
    key = f"purchase:{purchase_id}:earn"
    if points > 0 and _claim_key(key):
        _credit(
            member,
            EntryKind.EARN,
            points,
            today=when.date(),
            rules=rules,
            purchase_id=purchase_id,
            key=key,
            operator=operator,
            holding=True,
            when=when,
        )


def reward(
    member: LockedMember,
    kind: EntryKind,
    points: int,
    key: str,
    *,
    rules: PointsRules,
    today: dt.date,
    purchase_id: int | None = None,
    reason: str = "",
    operator: str = "",
    when: dt.datetime | None = None,
) -> bool:
    """A one-off reward (visit, referral, birthday) under ``key``; False when it was paid before.

    ``when`` dates the entry (default: now); a reward for a purchase carries the purchase's time, which
    the visit reward's once-per-window check compares with.
    """
    if points <= 0 or not _claim_key(key):
        return False
    _credit(
        member,
        kind,
        points,
        today=today,
        rules=rules,
        purchase_id=purchase_id,
        key=key,
        reason=reason,
        operator=operator,
        when=when,
    )
    return True


def reverse_purchase(member: LockedMember, purchase_id: int, today: dt.date, operator: str) -> None:
    """On refund: take back what the purchase earned (points and a visit reward it completed) and give
    back what it spent, each exactly once."""
    earned = PointsEntry.get_or_none(PointsEntry.key == f"purchase:{purchase_id}:earn")
    take_key = f"purchase:{purchase_id}:refund_earn"
    if earned is not None and _claim_key(take_key):
        _take_back(member, earned, today, take_key, operator)
    visit = PointsEntry.get_or_none(PointsEntry.key == f"visit:{purchase_id}")
    if visit is not None and _claim_key(f"visit:{purchase_id}:refund"):
        reason = _("Refund: the visit reward of the purchase taken back")
        _take_back(member, visit, today, f"visit:{purchase_id}:refund", operator, reason)
    spent = PointsEntry.get_or_none(PointsEntry.key == f"purchase:{purchase_id}:redeem")
    give_key = f"purchase:{purchase_id}:refund_redeem"
    if spent is not None and _claim_key(give_key):
        _give_back(member, spent, give_key, operator)


def _take_back(
    member: LockedMember,
    earned: PointsEntry,
    today: dt.date,
    key: str,
    operator: str,
    reason: str = "",
) -> None:
    """Remove earned points: from the purchase's own lot first, then other lots; the rest becomes debt."""
    amount = earned.amount
    rows = {row.id: row for row in _lots(member.id)}
    own = [row for row in rows.values() if row.entry_id == earned.id]
    others = spend_order(_as_lot(row) for row in rows.values() if row.entry_id != earned.id)
    ordered = own + [rows[lot.id] for lot in others]
    plan: list[tuple[int, int]] = []
    left = amount
    for row in ordered:
        if left == 0:
            break
        take = min(row.remaining, left)
        plan.append((row.id, take))
        left -= take
    entry_id = _entry(
        member,
        EntryKind.REFUND,
        -amount,
        purchase_id=earned.purchase_id,
        key=key,
        operator=operator,
        reason=reason or _("Refund: points earned by the purchase taken back"),
    )
    _take(member.id, entry_id, plan)


def _give_back(member: LockedMember, spent: PointsEntry, key: str, operator: str) -> None:
    """Return spent points to the lots they came from (a debt is paid off from them first)."""
    debt = max(0, -member.points_balance)
    _entry(
        member,
        EntryKind.REFUND,
        -spent.amount,
        purchase_id=spent.purchase_id,
        key=key,
        operator=operator,
        reason=_("Refund: points used on the purchase given back"),
    )
    for use in PointsUse.select().where(PointsUse.entry == spent.id):
        paid_off = min(debt, use.amount)
        debt -= paid_off
        if use.amount > paid_off:
            PointsLot.update(remaining=PointsLot.remaining + use.amount - paid_off).where(
                PointsLot.id == use.lot_id
            ).execute()


# ---- actions the shopkeeper takes ---------------------------------------------------------------------


def adjust_points(
    member_id: int, amount: int, reason: str, *, operator: str = "", today: dt.date | None = None
) -> int:
    """Add (positive) or remove (negative) points by hand; a reason is required. Returns the new balance.

    ``today`` (default: the clock's date) decides which lots are usable and when a new lot expires.
    """
    require(Permission.ADJUST_POINTS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", _("Please give a reason for the adjustment."))
    if amount == 0 or abs(amount) > MAX_ADJUST:
        raise ValidationError("amount", _("Enter the number of points to add or remove."))
    with atomic():
        member = lock_member(member_id)
        today = today or now().date()
        if amount > 0:
            _credit(
                member,
                EntryKind.ADJUST,
                amount,
                today=today,
                rules=points_rules(),
                operator=operator,
                reason=reason,
            )
        else:
            _debit(member, EntryKind.ADJUST, -amount, today=today, operator=operator, reason=reason)
        details = {"amount": amount, "reason": reason}
        record_audit("points.adjust", f"member:{member_id}", details, actor=operator)
        return member.points_balance


def grant_opening_balance(
    member_id: int, points: int, *, operator: str = "", reason: str = "", today: dt.date | None = None
) -> None:
    """Carry over the points a member had before ShopDesk (import); once per member."""
    if points <= 0:
        return
    with atomic():
        member = lock_member(member_id)
        reward(
            member,
            EntryKind.OPENING,
            points,
            f"opening:{member_id}",
            rules=points_rules(),
            today=today or now().date(),
            reason=reason or _("Opening balance"),
            operator=operator,
        )


def redeem_gift(
    member_id: int, gift_id: int, quantity: int = 1, *, operator: str = "", today: dt.date | None = None
) -> int:
    """Exchange points for gifts from the catalogue; stock goes down. Returns the new balance."""
    if quantity < 1:
        raise ValidationError("quantity", _("Quantity should be at least 1."))
    with atomic():
        gift = Gift.get_or_none(Gift.id == gift_id)
        if gift is None or not gift.active:
            raise NotFoundError(_("This gift is not available."))
        if gift.stock is not None and gift.stock < quantity:
            raise ConflictError(_("Not enough {gift} in stock.").format(gift=gift.name))
        member = lock_member(member_id)
        _debit(
            member,
            EntryKind.GIFT,
            gift.points_cost * quantity,
            today=today or now().date(),
            operator=operator,
            reason=f"{gift.name} × {quantity}",
        )
        if gift.stock is not None:
            # The stock read above may be stale on PostgreSQL (another counter took the last one since):
            # take stock only where enough is left; the points taken roll back with the error.
            taken = (
                Gift.update(stock=Gift.stock - quantity)
                .where((Gift.id == gift_id) & (Gift.stock >= quantity))
                .execute()
            )
            if not taken:
                raise ConflictError(_("Not enough {gift} in stock.").format(gift=gift.name))
        return member.points_balance


def run_expiry(today: dt.date | None = None) -> int:
    """Expire every lot whose last day is before ``today``; idempotent. Returns the points expired."""
    today = today or now().date()
    total = 0
    with atomic():
        due = (
            PointsLot.select(PointsLot.member)
            .where((PointsLot.remaining > 0) & (PointsLot.expires_on < today))
            .distinct()
            .order_by(PointsLot.member)  # members locked in one order: two counters cannot deadlock
        )
        for (member_id,) in due.tuples():
            member = lock_member(member_id)
            lots = list(
                PointsLot.select()
                .where(
                    (PointsLot.member == member_id)
                    & (PointsLot.remaining > 0)
                    & (PointsLot.expires_on < today)
                )
                .order_by(PointsLot.expires_on, PointsLot.id)
            )
            for lot in lots:
                # A refund can give points back to a lot that expired already; they expire again
                # under a key of their own.
                key, again = f"expire:lot:{lot.id}", 1
                while not _claim_key(key):
                    again += 1
                    key = f"expire:lot:{lot.id}:{again}"
                entry_id = _entry(
                    member,
                    EntryKind.EXPIRE,
                    -lot.remaining,
                    key=key,
                    reason=_("Points expired"),
                )
                _take(member_id, entry_id, [(lot.id, lot.remaining)])
                total += lot.remaining
    return total


# ---- reading ------------------------------------------------------------------------------------------


@guarded
def points_summary(member_id: int, today: dt.date | None = None) -> PointsSummary:
    """Balance, usable and held points, what expires within 30 days, and every open lot."""
    today = today or now().date()
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        raise NotFoundError(_("This member no longer exists."))
    views = sorted(
        (
            LotView(
                row.id,
                sql.read_date(row.earned_on),
                sql.read_date(row.available_from),
                sql.read_date(row.expires_on),
                row.original,
                row.remaining,
            )
            for row in _lots(member_id)
        ),
        key=lambda lot: (lot.expires_on is None, lot.expires_on or dt.date.max, lot.id),
    )
    lots = [Lot(v.id, v.remaining, v.expires_on, v.available_from) for v in views]
    soon = today + dt.timedelta(days=30)
    live = [lot.expires_on for lot in lots if lot.expires_on is not None and lot.expires_on >= today]
    return PointsSummary(
        balance=member.points_balance,
        usable=usable_balance(lots, today),
        held=sum(lot.remaining for lot in lots if lot.available_from and lot.available_from > today),
        expiring_soon=sum(
            lot.remaining for lot in lots if lot.expires_on is not None and today <= lot.expires_on <= soon
        ),
        next_expiry=min(live) if live else None,
        lots=tuple(views),
    )


@guarded
def list_ledger(
    member_id: int, *, kinds: Iterable[str] | None = None, before_id: int | None = None, limit: int = 50
) -> list[LedgerLine]:
    """A member's ledger, newest first, ``limit`` at a time (pass the last id seen to go on)."""
    query = PointsEntry.select().where(PointsEntry.member == member_id)
    if kinds:
        query = query.where(PointsEntry.kind.in_(list(kinds)))
    if before_id is not None:
        query = query.where(PointsEntry.id < before_id)
    return [
        LedgerLine(e.id, e.kind, e.amount, e.balance_after, e.purchase_id, e.operator, e.reason, e.created_at)
        for e in query.order_by(PointsEntry.id.desc()).limit(limit)
    ]


@guarded
def ledger_sum(member_id: int) -> int:
    """The sum of a member's ledger (what the cached balance must equal)."""
    return (
        PointsEntry.select(fn.COALESCE(fn.SUM(PointsEntry.amount), 0))
        .where(PointsEntry.member == member_id)
        .scalar()
    )
