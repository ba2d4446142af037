"""Feature metrics at shop scale: today's follow-up list, the reminder ranking, automatic tags, a segment
count and issuing a coupon to a segment of 10,000 members.

Writing metrics work on a private copy of the shop; each has an absolute ceiling (what a person feels) and,
where one exists, a baseline doing the least work for the same result.
"""

from __future__ import annotations

import datetime as dt

from shopdesk.bench.context import BenchContext
from shopdesk.bench.registry import Measurement, metric
from shopdesk.bench.timing import median, timed

COUPON_MEMBERS = 10_000


@metric("followups_today", unit="s", max_value=1, order=90)
def followups_today(context: BenchContext) -> Measurement:
    """Building a day's follow-up list (every kind of occasion) on a copy of the shop, three days running."""
    from shopdesk.db.models import FollowupTask
    from shopdesk.services.followups import build_list

    path = context.copy_shop("followups")
    today = dt.date.today()
    times, created = [], 0
    with context.database(path):
        for offset in range(1, context.repeat(3, 2) + 1):
            day = today + dt.timedelta(days=offset)
            # The day before was worked through, so each morning's list starts with the day's full room.
            FollowupTask.update(
                status="done",
                outcome="contacted",
                outcome_at=dt.datetime.combine(day - dt.timedelta(days=1), dt.time(18)),
            ).where(FollowupTask.status == "open").execute()
            seconds, result = timed(lambda day=day: build_list(day))
            times.append(seconds)
            created += result.created
    return Measurement(value=median(times), notes=[f"{created} contacts added over {len(times)} days"])


@metric("reminders_rank", unit="s", max_value=2, order=91)
def reminders_rank(context: BenchContext) -> Measurement:
    """Ranking every member by their chance to buy in the next 30 days (the repurchase reminders)."""
    from shopdesk.services.reminders import rank_reminders

    today = dt.date.today()
    times, listed = [], 0
    for _ in range(context.repeat(3, 1)):
        seconds, rows = timed(lambda: rank_reminders(today, 30))
        times.append(seconds)
        listed = len(rows)
    return Measurement(value=median(times), notes=[f"{listed:,} members due in the next 30 days"])


@metric("auto_tags_all", unit="s", max_value=5, order=92)
def auto_tags_all(context: BenchContext) -> Measurement:
    """Recomputing lifecycle, RFM scores and every automatic tag for all members (the daily run)."""
    from shopdesk.services.auto_tags import recompute_auto_tags

    path = context.copy_shop("auto_tags")
    times = []
    with context.database(path):
        for offset in range(context.repeat(3, 1)):
            seconds, report = timed(
                lambda offset=offset: recompute_auto_tags(dt.date.today() + dt.timedelta(days=offset))
            )
            times.append(seconds)
    return Measurement(
        value=median(times), notes=[f"{report.members:,} members, {report.changed:,} changed last run"]
    )


@metric("segment_count", unit="ms", max_value=200, max_ratio=3, order=93)
def segment_count(context: BenchContext) -> Measurement:
    """Counting a saved filter with three conditions (lifecycle, spending, a tag), as the filter panel."""
    from shopdesk.db import sql
    from shopdesk.services.segments import SegmentFilter, count_segment

    rows = sql.rows("SELECT id FROM tag WHERE auto_kind IS NULL ORDER BY id LIMIT 1") or sql.rows(
        "SELECT id FROM tag ORDER BY id LIMIT 1"
    )
    tag_id = int(rows[0][0]) if rows else 0
    segment = SegmentFilter(lifecycles=("active", "dormant"), spent_min_fen=50_000, tags_any=(tag_id,))
    baseline_sql = (
        "SELECT COUNT(*) FROM member m WHERE m.archived_at IS NULL AND m.lifecycle IN ('active', 'dormant') "
        "AND m.total_spent_fen >= 50000 AND EXISTS (SELECT 1 FROM member_tag t WHERE t.member_id = m.id "
        "AND t.tag_id = ?)"
    )
    expected = count_segment(segment)
    got = int(sql.rows(baseline_sql, [tag_id])[0][0])
    if got != expected:
        raise AssertionError(f"segment count {expected} differs from the hand-written query's {got}")
    values, baselines = [], []
    for _ in range(context.repeat(20, 5)):
        values.append(timed(lambda: count_segment(segment))[0])
        baselines.append(timed(lambda: sql.rows(baseline_sql, [tag_id]))[0])
    return Measurement(
        value=median(values) * 1000, baseline=median(baselines) * 1000, notes=[f"{expected:,} members match"]
    )


@metric("issue_coupons_segment", unit="s", max_value=3, order=94)
def issue_coupons_segment(context: BenchContext) -> Measurement:
    """Issuing a coupon to 10,000 members in one transaction, with unique checked codes."""
    from shopdesk.db.models import Member
    from shopdesk.services.coupon_templates import TemplateInput, create_template
    from shopdesk.services.coupons import issue_coupons

    path = context.copy_shop("coupons")
    with context.database(path):
        ids = [mid for (mid,) in Member.select(Member.id).where(Member.archived_at.is_null()).tuples()]
        members = context.rng("coupons").sample(ids, min(COUPON_MEMBERS, len(ids)))
        template = create_template(TemplateInput("bench", "cash", value_fen=500, valid_days=30))
        seconds, result = timed(lambda: issue_coupons(template, members, label="bench", respect_consent=True))
    return Measurement(value=seconds, notes=[f"{result.issued:,} coupons issued"])
