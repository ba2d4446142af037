"""The repurchase ranking: who is expected to buy again soon, when, how likely, and why.

Built for the morning list and the ``reminders`` command on a shop of 100,000 members: one set-based
query gives every reachable member's cached figures, the days since their first and last purchase and
the category of their last purchase that runs out first; plain Python scores them (``domain.reminders``).
No query per member, no scan of the purchase history; only the members listed get names and reasons.
"""

from __future__ import annotations

import datetime as dt
from statistics import median
from typing import NamedTuple

from shopdesk.db import sql
from shopdesk.domain.lifecycle import MIN_RHYTHM_MEMBERS, SHOP_TYPE_PRESETS, Lifecycle, LifecycleRules
from shopdesk.domain.reminders import (
    ReminderKind,
    gap_model,
    kind_of,
    purchase_probability,
    reason_text,
    stage_of,
)
from shopdesk.services.auto_tags import lifecycle_rules
from shopdesk.services.settings import SHOP_TYPE, get_setting
from shopdesk.services.transactions import guarded

# Up to this many members, names are fetched by lists of ids; beyond, one pass over the table is faster.
_FEW = 5_000
_WINBACK_STAGES = (Lifecycle.DORMANT, Lifecycle.LOST)
# The last purchase's category that runs out first, as one number per member: cycle × 10⁶ + category id
# (a category without a cycle counts as 9999 days), so that MIN() picks it in portable SQL.
_PACK = 1_000_000
_NO_CYCLE = 9_999
_RANKING_SQL = """
SELECT m.id, m.purchase_count, m.interval_days, {since_last}, {since_first},
       MIN(CAST(COALESCE(c.repurchase_days, {no_cycle}) AS BIGINT) * {pack} + i.category_id)
FROM member m
LEFT JOIN purchase p
  ON p.member_id = m.id AND p.purchased_at = m.last_purchase_at AND p.refunded_at IS NULL
LEFT JOIN purchase_item i ON i.purchase_id = p.id
LEFT JOIN category c ON c.id = i.category_id
WHERE m.archived_at IS NULL AND m.merged_into_id IS NULL AND m.reminders_opt_out = ?
  AND m.last_purchase_at IS NOT NULL AND m.purchase_count > 0
GROUP BY m.id
"""


class ReminderView(NamedTuple):
    """One member on the ranking, best first. ``score`` is the probability of a purchase in the horizon.

    A named tuple rather than a dataclass: a ranking of the whole shop builds tens of thousands of them.
    """

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


def single_gap_days(intervals: list[int], shop_type: str | None) -> int:
    """When a member who bought once is expected back, without a category cycle to go by.

    With enough members who have a rhythm, after the shop's median rhythm; otherwise after half the shop
    type's dormancy threshold D1 (the preset's idea of a usual gap).
    """
    if len(intervals) >= MIN_RHYTHM_MEMBERS:
        return max(1, round(median(intervals)))
    preset = SHOP_TYPE_PRESETS.get(shop_type or "", LifecycleRules())
    return max(1, preset.single_dormant_days // 2)


def _members(date: dt.date) -> list[tuple[int, int, int | None, int, int, int | None]]:
    """(id, purchases, rhythm, days since last, days since first, packed category) per reachable member."""
    query = _RANKING_SQL.format(
        since_last=sql.days_since("m.last_purchase_at"),
        since_first=sql.days_since("m.first_purchase_at"),
        no_cycle=_NO_CYCLE,
        pack=_PACK,
    )
    day = sql.date_param(date)
    return sql.rows(query, [day, day, False])


def _names(ids: list[int]) -> dict[int, tuple[str, str]]:
    """Name and phone of each listed member."""
    details: dict[int, tuple[str, str]] = {}
    if len(ids) > _FEW:
        wanted = set(ids)
        for member_id, name, phone in sql.rows("SELECT id, name, phone FROM member"):
            if member_id in wanted:
                details[member_id] = (name, phone or "")
        return details
    for chunk in sql.chunks(ids):
        query = f"SELECT id, name, phone FROM member WHERE id IN ({sql.marks(len(chunk))})"
        for member_id, name, phone in sql.rows(query, chunk):
            details[member_id] = (name, phone or "")
    return details


@guarded
def rank_reminders(
    date: dt.date,
    horizon_days: int = 30,
    limit: int | None = None,
    *,
    due_only: bool = True,
) -> list[ReminderView]:
    """Members ranked by how likely they are to buy in [date, date + horizon_days), most likely first.

    With ``due_only`` (the default) the list holds the repurchase reminders of the period: members whose
    due window opens before its end (overdue ones included) and whom the shop's lifecycle rules do not
    yet call dormant or lost (those are for win-back). ``due_only=False`` ranks every reachable member who
    has bought, win-back ones included with ``kind`` WINBACK (the evaluation measures the whole ranking).
    Archived, merged and opted-out members are never listed; members who bought after ``date`` neither.
    """
    horizon = max(1, int(horizon_days))
    members = _members(date)
    if not members:
        return []
    cycles: dict[int, int | None] = dict(sql.rows("SELECT id, repurchase_days FROM category"))
    rules = lifecycle_rules()
    single_gap = single_gap_days([row[2] for row in members if row[2]], get_setting(SHOP_TYPE))
    scored = []
    for member_id, count, interval, since, age, packed in members:
        if since < 0:
            continue  # bought after the day ranked: nothing to remind them of on that day
        category = None if packed is None else packed % _PACK
        model = gap_model(count, interval, cycles.get(category), single_gap)
        stage = stage_of(since, age, interval, rules)
        if due_only and (model.window_low >= since + horizon or stage in _WINBACK_STAGES):
            continue
        probability = purchase_probability(since, horizon, model)
        scored.append((-probability, member_id, count, interval, since, category, model, stage))
    scored.sort(key=lambda item: (item[0], item[1]))
    if limit is not None:
        scored = scored[: max(0, limit)]
    return _views(date, scored, cycles)


def _views(date: dt.date, scored: list[tuple], cycles: dict[int, int | None]) -> list[ReminderView]:
    """The listed members with names, phones, dates and reasons, in the order of ``scored``."""
    details = _names([item[1] for item in scored])
    category_names = dict(sql.rows("SELECT id, name FROM category")) if scored else {}
    reasons: dict[tuple, str] = {}  # many members share a reason: each text is built once
    day = date.toordinal()
    from_ordinal = dt.date.fromordinal
    views = []
    for negative, member_id, count, interval, since, category, model, stage in scored:
        kind = kind_of(stage)
        # What the sentence depends on: a rhythm of their own, or else the cycle or the usual gap.
        rhythm = interval if count > 1 else None
        key = (kind, since, rhythm, category, None if rhythm else model.expected_days)
        reason = reasons.get(key)
        if reason is None:
            reason = reasons[key] = reason_text(
                kind, since, count, interval, category_names.get(category, ""), cycles.get(category),
                model.expected_days,
            )
        name, phone = details.get(member_id, ("", ""))
        last = day - since
        views.append(
            ReminderView(
                member_id, name, phone, from_ordinal(last + model.expected_days),
                from_ordinal(last + model.window_low), from_ordinal(last + model.window_high), -negative,
                reason, kind, from_ordinal(last), since, count, interval,
            )
        )
    return views
