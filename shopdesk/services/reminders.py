"""The repurchase ranking: who is expected to buy again soon, when, how likely, and why.

Built for the morning list and the ``reminders`` command on a shop of 100,000 members, in a few set-based
queries and plain Python over the rows (``domain.reminders``), never a query per member nor a scan of the
purchase history:
1. every reachable member's cached figures, the days since their first and last purchase counted by the
   database;
2. the categories of the last purchase of members with a short history (their cycle weighs in the
   score; a longer history speaks for itself);
3. after ranking, for the members listed only: the categories of their last purchase (named in the
   reason), their names and phones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

from shopdesk.db import sql
from shopdesk.domain.lifecycle import MIN_RHYTHM_MEMBERS, SHOP_TYPE_PRESETS, Lifecycle, LifecycleRules
from shopdesk.domain.reminders import (
    CYCLE_MAX_GAPS,
    ReminderKind,
    forecast_from,
    gap_model,
    purchase_probability,
    reason_text,
    stage_of,
)
from shopdesk.services.auto_tags import lifecycle_rules
from shopdesk.services.settings import SHOP_TYPE, get_setting
from shopdesk.services.transactions import guarded

# Up to this many members, details are fetched by lists of ids; beyond, one pass over the table is faster.
_FEW = 5_000
# Members whose cycle counts in the score: no more purchases than the gaps the cycle is heard for, plus one.
_SHORT_HISTORY = CYCLE_MAX_GAPS + 1
_WINBACK_STAGES = (Lifecycle.DORMANT, Lifecycle.LOST)
_REACHABLE = "m.archived_at IS NULL AND m.merged_into_id IS NULL AND m.reminders_opt_out = ?"


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


def single_gap_days(intervals: list[int], shop_type: str | None) -> int:
    """When a member who bought once is expected back, without a category cycle to go by.

    With enough members who have a rhythm, after the shop's median rhythm; otherwise after half the shop
    type's dormancy threshold D1 (the preset's idea of a usual gap).
    """
    if len(intervals) >= MIN_RHYTHM_MEMBERS:
        return max(1, round(median(intervals)))
    preset = SHOP_TYPE_PRESETS.get(shop_type or "", LifecycleRules())
    return max(1, preset.single_dormant_days // 2)


def _members(date: dt.date) -> list[tuple[int, int, int | None, int, int]]:
    """(id, purchases, rhythm, days since last purchase, days since first) of each reachable member."""
    query = (
        f"SELECT m.id, m.purchase_count, m.interval_days, {sql.days_since('m.last_purchase_at')}, "
        f"{sql.days_since('m.first_purchase_at')} FROM member m WHERE {_REACHABLE} "
        "AND m.last_purchase_at IS NOT NULL AND m.purchase_count > 0"
    )
    day = sql.date_param(date)
    return sql.rows(query, [day, day, False])


def _last_categories(
    condition: str, params: list[object], cycles: dict[int, int | None], found: dict[int, int]
) -> None:
    """Into ``found``: per member matching ``condition``, the category of their last purchase that runs
    out first (or any of them when none has a cycle)."""
    query = (
        "SELECT m.id, i.category_id FROM member m "
        "JOIN purchase p ON p.member_id = m.id AND p.purchased_at = m.last_purchase_at "
        "AND p.refunded_at IS NULL "
        f"JOIN purchase_item i ON i.purchase_id = p.id WHERE {_REACHABLE} AND {condition}"
    )
    for member_id, category in sql.rows(query, [False, *params]):
        if category is None:
            continue
        current = found.get(member_id)
        cycle = cycles.get(category)
        if current is None:
            found[member_id] = category
        elif cycle is not None:
            held = cycles.get(current)
            if held is None or cycle < held:
                found[member_id] = category


def _categories_of(
    ids: Iterable[int], counts: dict[int, int], cycles: dict[int, int | None], found: dict[int, int]
) -> None:
    """Add the last-purchase categories of the listed members with a longer history to ``found``."""
    missing = [member_id for member_id in ids if counts[member_id] > _SHORT_HISTORY]
    if len(missing) > _FEW:
        _last_categories("m.purchase_count > ?", [_SHORT_HISTORY], cycles, found)
        return
    for chunk in sql.chunks(missing):
        _last_categories(f"m.id IN ({sql.marks(len(chunk))})", list(chunk), cycles, found)


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
    categories: dict[int, int] = {}
    _last_categories("m.purchase_count <= ?", [_SHORT_HISTORY], cycles, categories)
    rules = lifecycle_rules()
    single_gap = single_gap_days([row[2] for row in members if row[2]], get_setting(SHOP_TYPE))
    scored: list[tuple[float, int]] = []
    by_id = {}
    for row in members:
        member_id, count, interval, since, age = row
        if since < 0:
            continue  # bought after the day ranked: nothing to remind them of on that day
        model = gap_model(count, interval, cycles.get(categories.get(member_id)), single_gap)
        if due_only and (
            model.window_low >= since + horizon
            or stage_of(since, age, interval, rules) in _WINBACK_STAGES
        ):
            continue
        scored.append((purchase_probability(since, horizon, model), member_id))
        by_id[member_id] = row
    scored.sort(key=lambda item: (-item[0], item[1]))
    if limit is not None:
        scored = scored[: max(0, limit)]
    ids = [member_id for _score, member_id in scored]
    _categories_of(ids, {m: by_id[m][1] for m in ids}, cycles, categories)
    names = dict(sql.rows("SELECT id, name FROM category"))
    details = _names(ids)
    reasons: dict[tuple, str] = {}  # many members share a reason: build each text once
    views = []
    for member_id in ids:
        _id, count, interval, since, age = by_id[member_id]
        category = categories.get(member_id)
        cycle = cycles.get(category)
        model = gap_model(count, interval, cycle, single_gap)
        result = forecast_from(
            date - dt.timedelta(days=since), since, horizon, model, stage_of(since, age, interval, rules)
        )
        key = (result.kind, since, count > 1, interval, category, cycle, result.expected_gap_days)
        reason = reasons.get(key)
        if reason is None:
            reason = reasons[key] = reason_text(
                result.kind, since, count, interval, names.get(category, ""), cycle, result.expected_gap_days
            )
        name, phone = details.get(member_id, ("", ""))
        views.append(
            ReminderView(
                member_id=member_id,
                name=name,
                phone=phone,
                expected_date=result.expected_date,
                window_start=result.window_start,
                window_end=result.window_end,
                score=result.probability,
                reason=reason,
                kind=result.kind,
                last_purchase_date=date - dt.timedelta(days=since),
                days_since_last=since,
                purchase_count=count,
                interval_days=interval,
            )
        )
    return views
