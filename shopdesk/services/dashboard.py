"""The dashboard's figures (经营看板), computed by SQL aggregates: is the private-domain work paying off?

Everything here is plain data for the page, the PDF report and the tests; the charts are drawn elsewhere.
Sales are what customers paid, refunds excluded; "member" sales are those with a member on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from shopdesk.db import sql
from shopdesk.services.points import points_rules
from shopdesk.services.transactions import guarded

FOLLOWUP_WINDOW_DAYS = 7


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date  # first day, included
    end: dt.date  # last day, included

    @classmethod
    def last_days(cls, days: int, today: dt.date | None = None) -> Period:
        today = today or dt.date.today()
        return cls(today - dt.timedelta(days=days - 1), today)

    def bounds(self) -> tuple[object, object]:
        """[start, end + 1 day) as timestamp parameters."""
        start = dt.datetime.combine(self.start, dt.time())
        stop = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())
        return sql.datetime_param(start), sql.datetime_param(stop)


@dataclass(frozen=True, slots=True)
class Kpis:
    members: int
    new_members: int
    active_members: int  # members who bought in the period
    repurchase_rate: float  # buyers in the period who had bought before it, over buyers
    average_order_fen: int  # 客单价 over all sales
    member_sales_share: float
    sales_fen: int
    member_sales_fen: int
    orders: int
    followup_conversion: float  # contacted members who bought within 7 days, over contacted members
    contacted_members: int
    coupon_redemption_rate: float  # coupons issued in the period and used, over those not voided
    coupons_issued: int
    points_owed_fen: int  # outstanding points as money
    points_expiring_next_month: int


@dataclass(frozen=True, slots=True)
class MonthRow:
    month: str  # 2025-05
    new_members: int
    sales_fen: int
    new_customers: int
    new_customer_sales_fen: int
    returning_customers: int
    returning_sales_fen: int
    repurchase_rate: float


@dataclass(frozen=True, slots=True)
class Dashboard:
    period: Period
    kpis: Kpis
    months: tuple[MonthRow, ...]
    lifecycle: dict[str, int]
    tiers: dict[str, int]
    rfm_segments: dict[str, int]
    funnel: tuple[tuple[str, int], ...]
    categories: tuple[tuple[str, int], ...]
    sources: dict[str, int]
    top_referrers: tuple[tuple[str, int], ...] = field(default=())


def _month(column: str) -> str:
    if sql.is_postgres():
        return f"to_char({column}, 'YYYY-MM')"
    return f"substr({column}, 1, 7)"


def _one(query: str, params: list) -> tuple:
    return sql.rows(query, params)[0]


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass(frozen=True, slots=True)
class _Census:
    """One pass over the member table: totals and the distributions the charts need."""

    members: int
    bought: int
    bought_again: int
    new_members: int
    active_since_start: int  # last purchase on or after the period's start
    returning_since_start: int  # … who had bought before it
    points_outstanding: int
    lifecycle: dict[str, int]
    tiers: dict[int | None, int]
    sources: dict[str, int]
    rfm_segments: dict[str, int]


def _census(period: Period) -> _Census:
    start, stop = period.bounds()
    rows = sql.rows(
        "SELECT COALESCE(lifecycle, 'prospect'), tier_id, source, rfm_segment, COUNT(*), "
        "SUM(CASE WHEN purchase_count >= 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN purchase_count >= 2 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN created_at >= ? AND created_at < ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN last_purchase_at >= ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN last_purchase_at >= ? AND first_purchase_at < ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN points_balance > 0 THEN points_balance ELSE 0 END) "
        "FROM member WHERE archived_at IS NULL GROUP BY 1, 2, 3, 4",
        [start, stop, start, start, start],
    )
    totals = [0] * 7
    lifecycle: dict[str, int] = {}
    tiers: dict[int | None, int] = {}
    sources: dict[str, int] = {}
    segments: dict[str, int] = {}
    for stage, tier, source, segment, *numbers in rows:
        count = int(numbers[0])
        totals = [a + int(b or 0) for a, b in zip(totals, numbers, strict=True)]
        lifecycle[str(stage)] = lifecycle.get(str(stage), 0) + count
        tiers[tier] = tiers.get(tier, 0) + count
        sources[str(source)] = sources.get(str(source), 0) + count
        if segment:
            segments[str(segment)] = segments.get(str(segment), 0) + count
    return _Census(*totals, lifecycle, tiers, sources, segments)


def kpis(period: Period, today: dt.date | None = None, census: _Census | None = None) -> Kpis:
    today = today or dt.date.today()
    census = census or _census(period)
    start, stop = period.bounds()
    live = "p.refunded_at IS NULL"
    orders, sales, member_sales = _one(
        f"SELECT COUNT(*), COALESCE(SUM(p.paid_fen), 0), "
        f"COALESCE(SUM(CASE WHEN p.member_id IS NOT NULL THEN p.paid_fen ELSE 0 END), 0) "
        f"FROM purchase p WHERE {live} AND p.purchased_at >= ? AND p.purchased_at < ?",
        [start, stop],
    )
    if period.end >= today:
        # Everyone whose last purchase falls in the period bought in it: the census has them.
        active, returning = census.active_since_start, census.returning_since_start
    else:
        active, returning = _one(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN m.first_purchase_at < ? THEN 1 ELSE 0 END), 0) "
            f"FROM member m WHERE EXISTS (SELECT 1 FROM purchase p WHERE p.member_id = m.id AND {live} "
            "AND p.purchased_at >= ? AND p.purchased_at < ?)",
            [start, start, stop],
        )
    contacted, converted = _followup_conversion(period)
    issued, used, void = _one(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'used' THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN status = 'void' THEN 1 ELSE 0 END), 0) FROM coupon "
        "WHERE issued_at >= ? AND issued_at < ?",
        [start, stop],
    )
    rules = points_rules()
    first_next = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    after_next = (first_next + dt.timedelta(days=32)).replace(day=1)
    (expiring,) = _one(
        "SELECT COALESCE(SUM(remaining), 0) FROM points_lot WHERE remaining > 0 AND expires_on >= ? "
        "AND expires_on < ?",
        [sql.date_param(first_next), sql.date_param(after_next)],
    )
    per_point = 100 / rules.redeem_points_per_yuan if rules.redeem_points_per_yuan else 0
    return Kpis(
        members=census.members,
        new_members=census.new_members,
        active_members=int(active),
        repurchase_rate=_ratio(int(returning), int(active)),
        average_order_fen=int(sales) // int(orders) if orders else 0,
        member_sales_share=_ratio(int(member_sales), int(sales)),
        sales_fen=int(sales),
        member_sales_fen=int(member_sales),
        orders=int(orders),
        followup_conversion=_ratio(converted, contacted),
        contacted_members=contacted,
        coupon_redemption_rate=_ratio(int(used), int(issued) - int(void)),
        coupons_issued=int(issued),
        points_owed_fen=int(census.points_outstanding * per_point),
        points_expiring_next_month=int(expiring),
    )


def _followup_conversion(period: Period) -> tuple[int, int]:
    """(members contacted in the period, of whom bought within 7 days after their first contact)."""
    start, stop = period.bounds()
    contacts = sql.rows(
        "SELECT member_id, MIN(created_at) FROM contact_log WHERE outcome <> 'purchased' "
        "AND created_at >= ? AND created_at < ? GROUP BY member_id",
        [start, stop],
    )
    converted = 0
    for member_id, first in contacts:
        first_at = first if isinstance(first, dt.datetime) else dt.datetime.fromisoformat(str(first))
        until = first_at + dt.timedelta(days=FOLLOWUP_WINDOW_DAYS)
        (bought,) = _one(
            "SELECT COUNT(*) FROM purchase WHERE member_id = ? AND refunded_at IS NULL "
            "AND purchased_at >= ? AND purchased_at < ?",
            [member_id, sql.datetime_param(first_at), sql.datetime_param(until)],
        )
        converted += 1 if bought else 0
    return len(contacts), converted


def months(last: int = 12, today: dt.date | None = None) -> list[MonthRow]:
    """The last ``last`` calendar months (oldest first): new members, sales, new vs returning customers.

    A member is a new customer in the month of their first purchase and returning in later months.
    Member figures come from ``member_month``; walk-in sales are added to the month's sales.
    """
    today = today or dt.date.today()
    first = today.replace(day=1)
    for _ in range(last - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    keys = []
    cursor = first
    while cursor <= today:
        keys.append(f"{cursor:%Y-%m}")
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    since = sql.datetime_param(dt.datetime.combine(first, dt.time()))
    joined = dict(
        sql.rows(
            f"SELECT {_month('created_at')}, COUNT(*) FROM member WHERE created_at >= ? GROUP BY 1", [since]
        )
    )
    walk_in = dict(
        sql.rows(
            f"SELECT {_month('purchased_at')}, SUM(paid_fen) FROM purchase WHERE member_id IS NULL "
            "AND refunded_at IS NULL AND purchased_at >= ? GROUP BY 1",
            [since],
        )
    )
    by_month: dict[str, dict[bool, tuple[int, int]]] = {}
    for month, is_first, people, fen in sql.rows(
        "SELECT month, first_month, COUNT(*), SUM(paid_fen) FROM member_month WHERE month >= ? "
        "GROUP BY month, first_month",
        [keys[0]],
    ):
        by_month.setdefault(str(month), {})[bool(is_first)] = (int(people), int(fen or 0))
    rows = []
    for key in keys:
        new_people, new_fen = by_month.get(key, {}).get(True, (0, 0))
        old_people, old_fen = by_month.get(key, {}).get(False, (0, 0))
        rows.append(
            MonthRow(
                key,
                int(joined.get(key, 0)),
                new_fen + old_fen + int(walk_in.get(key, 0) or 0),
                new_people,
                new_fen,
                old_people,
                old_fen,
                _ratio(old_people, new_people + old_people),
            )
        )
    return rows


def _counts(query: str, params: list | None = None) -> dict[str, int]:
    return {str(key) if key is not None else "": int(count) for key, count in sql.rows(query, params or [])}


@guarded
def dashboard(period: Period, today: dt.date | None = None) -> Dashboard:
    """Every figure the dashboard page shows, for ``period``."""
    today = today or dt.date.today()
    census = _census(period)
    tier_names = dict(sql.rows("SELECT id, name FROM tier"))
    (referrers_count,) = _one(
        "SELECT COUNT(DISTINCT referrer_id) FROM member WHERE referrer_id IS NOT NULL", []
    )
    categories = sql.rows(
        "SELECT COALESCE(c.name, ''), SUM(d.amount_fen) FROM category_day d "
        "LEFT JOIN category c ON c.id = d.category_id WHERE d.day >= ? AND d.day <= ? "
        "GROUP BY 1 ORDER BY 2 DESC",
        [sql.date_param(period.start), sql.date_param(period.end)],
    )
    referrers = sql.rows(
        "SELECT m.name, COUNT(r.id) FROM member m JOIN member r ON r.referrer_id = m.id "
        "WHERE m.archived_at IS NULL GROUP BY m.id, m.name ORDER BY 2 DESC, m.id LIMIT 10"
    )
    return Dashboard(
        period=period,
        kpis=kpis(period, today, census),
        months=tuple(months(12, today)),
        lifecycle=census.lifecycle,
        tiers={str(tier_names.get(tier, "")): count for tier, count in census.tiers.items()},
        rfm_segments=census.rfm_segments,
        funnel=(
            ("acquired", census.members),
            ("first_purchase", census.bought),
            ("repurchase", census.bought_again),
            ("referred", int(referrers_count)),
        ),
        categories=tuple((str(name), int(fen or 0)) for name, fen in categories),
        sources=census.sources,
        top_referrers=tuple((str(name), int(count)) for name, count in referrers),
    )
