"""Points rules: how many points a sale earns, when a lot expires, which lots a redemption spends.

Points are integers. A member's balance is the sum of their ledger; earned points form lots with an
expiry date, and spending takes the lots that expire soonest first (lots that never expire last), so the
customer loses as little as possible to expiry.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class ExpiryPolicy(StrEnum):
    NEVER = "never"
    DAYS = "days"  # N days after earning
    MONTHS = "months"  # N months after earning
    END_OF_MONTH = "end_of_month"  # the last day of the month earned
    END_OF_NEXT_YEAR = "end_of_next_year"  # 31 December of the following year


class EntryKind(StrEnum):
    """Kinds of ledger entries (积分流水)."""

    EARN = "earn"
    REDEEM = "redeem"
    GIFT = "gift"
    ADJUST = "adjust"
    EXPIRE = "expire"
    REFUND = "refund"
    VISIT_REWARD = "visit_reward"
    REFERRAL = "referral"
    BIRTHDAY = "birthday"
    OPENING = "opening"


@dataclass(frozen=True, slots=True)
class PointsRules:
    """The shop's points settings (Settings → 积分与等级)."""

    points_per_yuan: int = 1
    no_earn_category_ids: frozenset[int] = frozenset()
    birthday_multiplier_percent: int = 100
    redeem_points_per_yuan: int = 100  # 100 points = ¥1
    redeem_cap_percent: int = 50  # at most half of a sale paid with points
    expiry: ExpiryPolicy = ExpiryPolicy.NEVER
    expiry_n: int = 12
    holding_days: int = 0
    visit_reward_count: int = 0  # the Nth purchase …
    visit_reward_days: int = 30  # … within D days …
    visit_reward_points: int = 0  # … earns X points (0: off)
    referrer_points: int = 0
    referee_points: int = 0

    def as_dict(self) -> dict:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["no_earn_category_ids"] = sorted(self.no_earn_category_ids)
        data["expiry"] = self.expiry.value
        return data

    @classmethod
    def from_dict(cls, data: dict | None) -> PointsRules:
        data = dict(data or {})
        known = {key: value for key, value in data.items() if key in cls.__dataclass_fields__}
        if "no_earn_category_ids" in known:
            known["no_earn_category_ids"] = frozenset(int(v) for v in known["no_earn_category_ids"])
        if "expiry" in known:
            known["expiry"] = ExpiryPolicy(known["expiry"])
        return cls(**known)


def earned_points(eligible_fen: int, rules: PointsRules, multiplier_percent: int = 100) -> int:
    """Points earned on ``eligible_fen`` actually paid: whole yuan × rate × multiplier, rounded down."""
    if eligible_fen <= 0 or rules.points_per_yuan <= 0:
        return 0
    return (eligible_fen * rules.points_per_yuan * multiplier_percent) // (100 * 100)


def combined_multiplier(tier_percent: int, birthday: bool, rules: PointsRules) -> int:
    """Tier and birthday-month multipliers compound: 150 % × 200 % = 300 %."""
    percent = tier_percent
    if birthday:
        percent = percent * rules.birthday_multiplier_percent // 100
    return percent


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def lot_expiry(earned_on: dt.date, rules: PointsRules) -> dt.date | None:
    """The last day a lot earned on ``earned_on`` can be used (None: never expires)."""
    if rules.expiry is ExpiryPolicy.NEVER:
        return None
    if rules.expiry is ExpiryPolicy.DAYS:
        return earned_on + dt.timedelta(days=max(rules.expiry_n, 1))
    if rules.expiry is ExpiryPolicy.MONTHS:
        return add_months(earned_on, max(rules.expiry_n, 1))
    if rules.expiry is ExpiryPolicy.END_OF_MONTH:
        return dt.date(
            earned_on.year, earned_on.month, calendar.monthrange(earned_on.year, earned_on.month)[1]
        )
    return dt.date(earned_on.year + 1, 12, 31)


@dataclass(frozen=True, slots=True)
class Lot:
    """Points still available from one earning."""

    id: int
    remaining: int
    expires_on: dt.date | None
    available_from: dt.date | None = None


def spend_order(lots: Iterable[Lot]) -> list[Lot]:
    """Lots in the order spending takes them: soonest expiry first, never-expiring last, oldest first."""
    return sorted(lots, key=lambda lot: (lot.expires_on is None, lot.expires_on or dt.date.max, lot.id))


def usable(lot: Lot, today: dt.date) -> bool:
    """A lot can be spent once its holding period is over and until its expiry day."""
    if lot.remaining <= 0:
        return False
    if lot.available_from is not None and lot.available_from > today:
        return False
    return lot.expires_on is None or lot.expires_on >= today


def allocate(lots: Sequence[Lot], points: int, today: dt.date) -> list[tuple[int, int]]:
    """(lot id, points taken) pairs spending ``points`` from usable lots; ValueError if not enough."""
    if points <= 0:
        raise ValueError("points to spend must be positive")
    taken: list[tuple[int, int]] = []
    left = points
    for lot in spend_order(lot for lot in lots if usable(lot, today)):
        take = min(lot.remaining, left)
        taken.append((lot.id, take))
        left -= take
        if left == 0:
            return taken
    raise ValueError("not enough points")


def usable_balance(lots: Iterable[Lot], today: dt.date) -> int:
    """Points that can be spent today (the balance less held and expired points)."""
    return sum(lot.remaining for lot in lots if usable(lot, today))


def points_value_fen(points: int, rules: PointsRules) -> int:
    """What ``points`` are worth in fen when redeemed as money, rounded down."""
    if rules.redeem_points_per_yuan <= 0:
        return 0
    return points * 100 // rules.redeem_points_per_yuan


def max_redeemable_points(payable_fen: int, usable_points: int, rules: PointsRules) -> int:
    """The most points a sale of ``payable_fen`` may take: the cap, the balance, whole fen only."""
    if rules.redeem_points_per_yuan <= 0 or payable_fen <= 0 or usable_points <= 0:
        return 0
    cap_fen = payable_fen * max(0, min(rules.redeem_cap_percent, 100)) // 100
    by_cap = cap_fen * rules.redeem_points_per_yuan // 100
    return max(0, min(usable_points, by_cap))


@dataclass(frozen=True, slots=True)
class Tier:
    """A level reached by spending (普通, 银卡, 金卡, 钻石)."""

    id: int
    name: str
    threshold_fen: int
    multiplier_percent: int = 100
    perks: str = ""


@dataclass(frozen=True, slots=True)
class TierProgress:
    current: Tier | None
    next: Tier | None
    missing_fen: int = 0
    thresholds: tuple[int, ...] = field(default=())


def tier_for_spending(tiers: Sequence[Tier], spent_fen: int) -> Tier | None:
    """The highest tier whose threshold ``spent_fen`` reaches."""
    reached = [tier for tier in tiers if spent_fen >= tier.threshold_fen]
    return max(reached, key=lambda tier: tier.threshold_fen) if reached else None


def tier_progress(tiers: Sequence[Tier], spent_fen: int) -> TierProgress:
    """Where a member stands: their tier, the next one and how much more spending reaches it."""
    current = tier_for_spending(tiers, spent_fen)
    higher = sorted((t for t in tiers if t.threshold_fen > spent_fen), key=lambda t: t.threshold_fen)
    following = higher[0] if higher else None
    missing = following.threshold_fen - spent_fen if following else 0
    return TierProgress(current, following, missing, tuple(sorted(t.threshold_fen for t in tiers)))


def visit_reward_due(purchase_times: Sequence[dt.datetime], rules: PointsRules) -> bool:
    """True when the newest purchase is the Nth within D days (counting back from it).

    ``purchase_times`` are the member's live purchases in the window, the newest included. A reward is paid
    at most once per window: callers record it under a key so a repeat cannot pay twice.
    """
    if rules.visit_reward_points <= 0 or rules.visit_reward_count <= 1 or not purchase_times:
        return False
    newest = max(purchase_times)
    start = newest - dt.timedelta(days=rules.visit_reward_days)
    return sum(1 for when in purchase_times if start < when <= newest) == rules.visit_reward_count
