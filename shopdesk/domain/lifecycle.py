"""Lifecycle stages (新客 / 活跃 / 沉睡 / 流失): the one definition shared by tags, segments and win-back.

A member is judged against their own rhythm, not a shop-wide calendar: someone who buys bread every
three days is overdue after a week, someone who buys face cream every 45 days is not. Members without a
rhythm yet (one purchase day) are judged against the shop's threshold D1, and everyone is lost after D2.

Precedence, first match wins (the SQL CASE in ``services.auto_tags`` follows the same order):
1. no purchase: prospect;
2. more than ``lost_days`` (D2) since the last purchase: lost;
3. first purchase fewer than ``new_days`` days ago: new (a new customer gets new-customer care even if
   their second visit is slow to come);
4. overdue: more than ``dormant_factor_percent`` % of their own ``interval_days`` since the last
   purchase (and more than ``min_dormant_days``), or, without a rhythm, more than
   ``single_dormant_days`` (D1): dormant;
5. otherwise: active.
All day counts are whole calendar days between dates (a purchase yesterday evening is 1 day ago).
Comparisons use integers only, so Python and SQL can never round a boundary differently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields, replace
from enum import StrEnum
from typing import Any

from shopdesk.i18n import N_, _


class Lifecycle(StrEnum):
    """The stage stored in ``member.lifecycle``."""

    PROSPECT = "prospect"
    NEW = "new"
    ACTIVE = "active"
    DORMANT = "dormant"
    LOST = "lost"


LIFECYCLE_LABELS: dict[Lifecycle, str] = {
    Lifecycle.PROSPECT: N_("Prospect"),
    Lifecycle.NEW: N_("New customer"),
    Lifecycle.ACTIVE: N_("Active customer"),
    Lifecycle.DORMANT: N_("Dormant customer"),
    Lifecycle.LOST: N_("Lost customer"),
}

# Stages that get an automatic tag (a prospect has nothing to tag yet).
TAGGED_STAGES: tuple[Lifecycle, ...] = (Lifecycle.NEW, Lifecycle.ACTIVE, Lifecycle.DORMANT, Lifecycle.LOST)


def lifecycle_label(value: str | None) -> str:
    """The translated name of a stage ("" for none, the code itself for an unknown one)."""
    if not value:
        return ""
    try:
        return _(LIFECYCLE_LABELS[Lifecycle(value)])
    except ValueError:
        return value


@dataclass(frozen=True, slots=True)
class LifecycleRules:
    """The thresholds, in days. ``single_dormant_days`` is D1 and ``lost_days`` is D2."""

    new_days: int = 30
    dormant_factor_percent: int = 200
    min_dormant_days: int = 7
    single_dormant_days: int = 60
    lost_days: int = 180

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> LifecycleRules:
        """Rules from stored settings; unknown keys are ignored, missing ones keep the defaults."""
        known = {f.name for f in fields(cls)}
        values = {k: int(v) for k, v in (data or {}).items() if k in known and v is not None}
        return cls(**values)

    def with_overrides(self, overrides: dict[str, Any] | None) -> LifecycleRules:
        """These rules with the owner's choices on top (None means "keep the derived value")."""
        known = {f.name for f in fields(self)}
        values = {k: int(v) for k, v in (overrides or {}).items() if k in known and v is not None}
        return replace(self, **values)


# Shop-type presets for D1 and D2, used until the shop has enough repeat customers of its own.
SHOP_TYPE_PRESETS: dict[str, LifecycleRules] = {
    "bakery": LifecycleRules(single_dormant_days=21, lost_days=60),
    "tea": LifecycleRules(single_dormant_days=45, lost_days=120),
    "cosmetics": LifecycleRules(single_dormant_days=90, lost_days=270),
    "pharmacy": LifecycleRules(single_dormant_days=60, lost_days=180),
    "clothing": LifecycleRules(single_dormant_days=120, lost_days=365),
}
SHOP_TYPE_LABELS: dict[str, str] = {
    "bakery": N_("Bakery"),
    "tea": N_("Tea shop"),
    "cosmetics": N_("Cosmetics"),
    "pharmacy": N_("Pharmacy"),
    "clothing": N_("Clothing"),
}
# Below this many members with a rhythm, the shop's own median is too noisy: the preset is used.
MIN_RHYTHM_MEMBERS = 30
D1_RANGE = (14, 180)
D2_RANGE = (60, 540)


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return max(bounds[0], min(bounds[1], value))


def derive_rules(
    shop_type: str | None, median_interval_days: int | None, rhythm_members: int
) -> LifecycleRules:
    """Default rules for a shop: D1 = twice its median repurchase interval, D2 = three times D1.

    Both are clamped (D1 to 14–180 days, D2 to 60–540) so one odd shop cannot call everyone lost after a
    week or never. Without enough repeat customers, the preset for the shop's type (or a generic one).
    """
    preset = SHOP_TYPE_PRESETS.get(shop_type or "", LifecycleRules())
    if median_interval_days is None or rhythm_members < MIN_RHYTHM_MEMBERS:
        return preset
    d1 = _clamp(2 * median_interval_days, D1_RANGE)
    d2 = _clamp(3 * d1, D2_RANGE)
    return replace(preset, single_dormant_days=d1, lost_days=d2)


def _as_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def days_between(earlier: dt.date | dt.datetime, today: dt.date) -> int:
    """Whole calendar days from ``earlier`` to ``today`` (0 on the same day)."""
    return (today - _as_date(earlier)).days  # type: ignore[operator]


def is_overdue(days_since_last: int, interval_days: int | None, rules: LifecycleRules) -> bool:
    """True when a member's absence is longer than their rhythm allows (the dormant test alone)."""
    if interval_days is None:
        return days_since_last > rules.single_dormant_days
    return (
        days_since_last * 100 > rules.dormant_factor_percent * interval_days
        and days_since_last > rules.min_dormant_days
    )


def classify(
    first_purchase: dt.date | dt.datetime | None,
    last_purchase: dt.date | dt.datetime | None,
    interval_days: int | None,
    today: dt.date,
    rules: LifecycleRules,
) -> Lifecycle:
    """The lifecycle stage of one member on ``today`` (see the module docstring for the order)."""
    if last_purchase is None:
        return Lifecycle.PROSPECT
    since_last = days_between(last_purchase, today)
    if since_last > rules.lost_days:
        return Lifecycle.LOST
    if first_purchase is not None and days_between(first_purchase, today) < rules.new_days:
        return Lifecycle.NEW
    if is_overdue(since_last, interval_days, rules):
        return Lifecycle.DORMANT
    return Lifecycle.ACTIVE
