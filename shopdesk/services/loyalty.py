"""What a purchase does for loyalty, inside the purchase's own transaction: points used and earned,
tier upgrade, visit reward, referral reward; and what a refund undoes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from shopdesk.db import sql
from shopdesk.db.models import Member, Tier
from shopdesk.domain.points import (
    EntryKind,
    PointsRules,
    combined_multiplier,
    earned_points,
    max_redeemable_points,
    points_value_fen,
    visit_reward_due,
)
from shopdesk.errors import ConflictError
from shopdesk.i18n import _
from shopdesk.services import points as ledger
from shopdesk.services.points import LockedMember
from shopdesk.services.purchase_history import PurchaseHistory
from shopdesk.services.sale_rules import SaleRules
from shopdesk.services.tiers import BASIS_12_MONTHS, spending_since, upgrade_for_spending
from shopdesk.services.transactions import guarded


@dataclass(frozen=True, slots=True)
class PointsQuote:
    """What the checkout shows before confirming."""

    usable_points: int
    max_points: int  # the most points this sale may take
    points_value_fen: int  # what the chosen points take off
    payable_fen: int  # what is left to pay
    points_to_earn: int
    multiplier_percent: int


def eligible_fen(
    paid_fen: int, amount_fen: int, items: Sequence[tuple[int | None, int]], rules: PointsRules
) -> int:
    """The part of what was paid that earns points: categories that earn nothing are left out, pro rata."""
    if not items or not rules.no_earn_category_ids or amount_fen <= 0:
        return paid_fen
    earning = sum(amount for category, amount in items if category not in rules.no_earn_category_ids)
    return paid_fen * earning // amount_fen


def _multiplier(member: Member, when: dt.datetime, rules: PointsRules) -> int:
    tier_percent = 100
    if member.tier_id is not None:
        tier_percent = Tier.select(Tier.multiplier_percent).where(Tier.id == member.tier_id).scalar() or 100
    birthday = member.birth_month is not None and member.birth_month == when.month
    return combined_multiplier(tier_percent, birthday, rules)


@guarded
def quote(
    member_id: int | None,
    amount_fen: int,
    items: Sequence[tuple[int | None, int]] = (),
    points_to_use: int = 0,
    *,
    other_discount_fen: int = 0,
    when: dt.datetime | None = None,
) -> PointsQuote:
    """Points figures for a sale being entered: how many points may be used and how many it earns."""
    rules = ledger.points_rules()
    when = when or dt.datetime.now()
    payable = max(0, amount_fen - other_discount_fen)
    if member_id is None:
        return PointsQuote(0, 0, 0, payable, 0, 100)
    member = Member.get_by_id(member_id)
    usable = ledger.usable_points(member, when.date())
    most = max_redeemable_points(payable, usable, rules)
    used = min(max(points_to_use, 0), most)
    value = points_value_fen(used, rules)
    multiplier = _multiplier(member, when, rules)
    earn = earned_points(eligible_fen(payable - value, amount_fen, items, rules), rules, multiplier)
    return PointsQuote(usable, most, value, payable - value, earn, multiplier)


def points_deduction(
    member: LockedMember, payable_fen: int, points: int, when: dt.datetime, rules: PointsRules
) -> int:
    """Fen taken off by ``points``; refuses (never clamps) more than the rules and balance allow."""
    if points <= 0:
        return 0
    usable = ledger.usable_points(member, when.date())
    most = max_redeemable_points(payable_fen, usable, rules)
    if points > most:
        raise ConflictError(
            _("At most {most} points can be used on this sale (balance {usable}).").format(
                most=most, usable=usable
            )
        )
    return points_value_fen(points, rules)


@dataclass(frozen=True, slots=True)
class SaleFacts:
    """What loyalty needs of a sale just written."""

    id: int
    purchased_at: dt.datetime
    amount_fen: int
    paid_fen: int
    points_used: int


def apply_purchase(
    member: LockedMember,
    sale: SaleFacts,
    items: Sequence[tuple[int | None, int]],
    rules: SaleRules,
    history: PurchaseHistory,
    operator: str,
) -> None:
    """After the purchase row is saved: spend, earn, upgrade, reward.

    ``history`` holds the member's live purchases including this one; ``member.purchase_count`` is
    already the count with it.
    """
    when = sale.purchased_at
    points_rules = rules.points
    if sale.points_used:
        ledger.spend_for_purchase(member, sale.id, sale.points_used, when, operator)
    birthday = member.birth_month is not None and member.birth_month == when.month
    multiplier = combined_multiplier(rules.tier_multiplier(member.tier_id), birthday, points_rules)
    earn = earned_points(
        eligible_fen(sale.paid_fen, sale.amount_fen, items, points_rules), points_rules, multiplier
    )
    ledger.earn_for_purchase(member, sale.id, earn, when, points_rules, operator)
    if rules.tier_basis == BASIS_12_MONTHS:
        spent = history.spent_since(spending_since(when.date()))
    else:
        spent = history.total_fen
    upgrade_for_spending(member, rules.tiers, spent, operator)
    _visit_reward(member, sale, history, points_rules, operator)
    _referral_reward(member, sale, points_rules, operator)


def _visit_reward(
    member: LockedMember, sale: SaleFacts, history: PurchaseHistory, rules: PointsRules, operator: str
) -> None:
    if rules.visit_reward_points <= 0 or rules.visit_reward_count <= 1:
        return
    when = sale.purchased_at
    since = when - dt.timedelta(days=rules.visit_reward_days)
    if not visit_reward_due(history.times_within(since, when), rules):
        return
    # A reward taken back by a refund (``visit:<id>:refund``) leaves the window open for the next one.
    paid_before = sql.rows(
        "SELECT 1 FROM points_entry e WHERE e.member_id = ? AND e.kind = ? AND e.created_at > ?"
        " AND NOT EXISTS (SELECT 1 FROM points_entry r WHERE r.key = e.key || ':refund')",
        [member.id, EntryKind.VISIT_REWARD.value, sql.datetime_param(since)],
    )
    if paid_before:
        return
    reason = _("Visit reward: purchase {count} within {days} days").format(
        count=rules.visit_reward_count, days=rules.visit_reward_days
    )
    ledger.reward(
        member,
        EntryKind.VISIT_REWARD,
        rules.visit_reward_points,
        f"visit:{sale.id}",
        rules=rules,
        today=when.date(),
        purchase_id=sale.id,
        reason=reason,
        operator=operator,
        when=when,
    )


def _referral_reward(member: LockedMember, sale: SaleFacts, rules: PointsRules, operator: str) -> None:
    """On a referee's first purchase, reward the referrer and the referee, once each."""
    if member.referrer_id is None or (rules.referrer_points <= 0 and rules.referee_points <= 0):
        return
    if member.purchase_count != 1:
        return
    today = sale.purchased_at.date()
    if rules.referee_points > 0:
        ledger.reward(
            member,
            EntryKind.REFERRAL,
            rules.referee_points,
            f"referral:{member.id}:referee",
            rules=rules,
            today=today,
            purchase_id=sale.id,
            reason=_("Welcome reward for being referred"),
            operator=operator,
            when=sale.purchased_at,
        )
    if rules.referrer_points > 0:
        referrer = ledger.lock_member(member.referrer_id)
        ledger.reward(
            referrer,
            EntryKind.REFERRAL,
            rules.referrer_points,
            f"referral:{member.id}:referrer",
            rules=rules,
            today=today,
            purchase_id=sale.id,
            reason=_("Referral reward: {name} made a first purchase").format(name=member.name),
            operator=operator,
            when=sale.purchased_at,
        )


def reverse_purchase(member: LockedMember, purchase_id: int, operator: str) -> None:
    """On refund: the points earned come back out, the points used go back in."""
    ledger.reverse_purchase(member, purchase_id, dt.date.today(), operator)
