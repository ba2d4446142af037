"""The repurchase ranking: who is expected to buy again soon, when, how likely, and why.

Built for the morning list and the ``reminders`` command on a shop of 100,000 members: two set-based
queries (the members' cached figures, and the categories of each member's last purchase), then plain
Python over the rows with ``domain.reminders`` — no per-member query, no purchase history scan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from statistics import median

from shopdesk.db import sql
from shopdesk.domain.lifecycle import MIN_RHYTHM_MEMBERS, SHOP_TYPE_PRESETS, LifecycleRules, derive_rules
from shopdesk.domain.reminders import (
    Forecast,
    MemberRhythm,
    ReminderKind,
    explain,
    forecast,
)
from shopdesk.services.settings import SHOP_TYPE, get_setting
from shopdesk.services.transactions import guarded


@dataclass(frozen=True, slots=True)
class ReminderView:
    """One member on the ranking, best first. ``score`` is the probability of a purchase in the horizon."""

    member_id: int
    name: str
    phone: str
    expected_date: dt.date
    window_start: dt.date
    window_end: dt.date
    score: float
    reason: str
    kind: ReminderKind
    last_purchase_date: dt.date
    days_since_last: int
    purchase_count: int
    interval_days: int | None


@dataclass(frozen=True, slots=True)
class RankingContext:
    """The shop-wide figures a ranking uses, worked out once per ranking."""

    rules: LifecycleRules
    single_gap_days: int


_MEMBERS_SQL = """
SELECT id, name, phone, purchase_count, first_purchase_at, last_purchase_at, interval_days
FROM member
WHERE archived_at IS NULL AND merged_into_id IS NULL AND reminders_opt_out = ?
  AND last_purchase_at IS NOT NULL AND purchase_count > 0
"""

# The categories of each reachable member's last purchase (the one at ``last_purchase_at``), with
# their cycles; the shortest cycle is what brings the member back first.
_LAST_CATEGORIES_SQL = """
SELECT p.member_id, c.name, c.repurchase_days
FROM member m
JOIN purchase p ON p.member_id = m.id AND p.purchased_at = m.last_purchase_at AND p.refunded_at IS NULL
JOIN purchase_item i ON i.purchase_id = p.id
JOIN category c ON c.id = i.category_id
WHERE m.archived_at IS NULL AND m.merged_into_id IS NULL AND m.reminders_opt_out = ?
"""


def _date(value: object) -> dt.date:
    """A stored timestamp as a date (SQLite gives text, PostgreSQL a datetime)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _last_categories() -> dict[int, tuple[str, int | None]]:
    """Per member, the category of their last purchase that runs out first (name, cycle in days).

    A category without a cycle is kept only when none of that purchase's categories has one, so that the
    explanation can still name what was bought.
    """
    found: dict[int, tuple[str, int | None]] = {}
    for member_id, name, cycle in sql.rows(_LAST_CATEGORIES_SQL, [False]):
        current = found.get(member_id)
        if current is None or (cycle is not None and (current[1] is None or cycle < current[1])):
            found[member_id] = (name, cycle)
    return found


def ranking_context(intervals: list[int], shop_type: str | None) -> RankingContext:
    """Lifecycle rules and the usual gap for one-purchase members, from the shop's own rhythms.

    With enough members who have a rhythm, a first-time buyer is expected back after the shop's median
    rhythm; otherwise after half the shop type's dormancy threshold D1 (the preset's idea of a usual gap).
    """
    shop_median = round(median(intervals)) if intervals else None
    rules = derive_rules(shop_type, shop_median, len(intervals))
    if shop_median is not None and len(intervals) >= MIN_RHYTHM_MEMBERS:
        single_gap = shop_median
    else:
        preset = SHOP_TYPE_PRESETS.get(shop_type or "", LifecycleRules())
        single_gap = max(1, preset.single_dormant_days // 2)
    return RankingContext(rules=rules, single_gap_days=max(1, single_gap))


@guarded
def rank_reminders(
    date: dt.date,
    horizon_days: int = 30,
    limit: int | None = None,
    *,
    due_only: bool = True,
) -> list[ReminderView]:
    """Members ranked by how likely they are to buy in [date, date + horizon_days), most likely first.

    With ``due_only`` (the default) only members whose due window has opened by the end of the horizon
    are listed, overdue ones included; ``due_only=False`` ranks every reachable member who has bought
    (the evaluation measures the whole ranking). Archived, merged and opted-out members are left out.
    Win-back members (dormant or lost by the lifecycle rules) carry ``kind`` WINBACK.
    """
    horizon_days = max(1, int(horizon_days))
    rows = sql.rows(_MEMBERS_SQL, [False])
    categories = _last_categories() if rows else {}
    shop_type = get_setting(SHOP_TYPE)
    context = ranking_context([row[6] for row in rows if row[6]], shop_type)
    horizon_end = date + dt.timedelta(days=horizon_days)
    scored: list[tuple[float, int, MemberRhythm, Forecast, tuple]] = []
    for row in rows:
        member_id, _name, _phone, count, first_at, last_at, interval = row
        last = _date(last_at)
        if last > date:
            continue  # bought after the day ranked: nothing to remind them of on that day
        category = categories.get(member_id)
        rhythm = MemberRhythm(
            last_purchase=last,
            first_purchase=_date(first_at),
            visits=int(count),
            interval_days=interval,
            cycle_days=category[1] if category else None,
            category=category[0] if category else "",
        )
        result = forecast(rhythm, date, horizon_days, context.rules, context.single_gap_days)
        if due_only and result.window_start >= horizon_end:
            continue
        scored.append((result.probability, member_id, rhythm, result, row))
    scored.sort(key=lambda item: (-item[0], item[1]))
    if limit is not None:
        scored = scored[: max(0, limit)]
    return [_view(rhythm, result, row) for _score, _id, rhythm, result, row in scored]


def _view(rhythm: MemberRhythm, result: Forecast, row: tuple) -> ReminderView:
    member_id, name, phone, count, _first, _last, interval = row
    return ReminderView(
        member_id=member_id,
        name=name,
        phone=phone or "",
        expected_date=result.expected_date,
        window_start=result.window_start,
        window_end=result.window_end,
        score=result.probability,
        reason=explain(rhythm, result),
        kind=result.kind,
        last_purchase_date=rhythm.last_purchase,
        days_since_last=result.days_since_last,
        purchase_count=int(count),
        interval_days=interval,
    )

