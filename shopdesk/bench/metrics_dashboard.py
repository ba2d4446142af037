"""The dashboard's figures at shop scale: ``services.dashboard.dashboard`` for the last 90 days.

The baseline is the cheapest query over the same purchases: one count and sum of the period's sales. The
target is absolute (one second for the whole page's figures); the ratio is there to show the overhead.
"""

from __future__ import annotations

import datetime as dt

from shopdesk.bench.context import BenchContext
from shopdesk.bench.registry import Measurement, metric
from shopdesk.bench.timing import median, timed

PERIOD_DAYS = 90
REPEATS = 5
QUICK_REPEATS = 2
BASELINE_SQL = "SELECT COUNT(*), SUM(paid_fen) FROM purchase WHERE purchased_at >= ?"


def _baseline(since: object) -> tuple:
    from shopdesk.db import sql

    return sql.rows(BASELINE_SQL, [since])[0]


@metric("dashboard_compute", unit="s", max_value=1, order=80)
def dashboard_compute(context: BenchContext) -> Measurement:
    """Every figure of the dashboard page for the last 90 days, as the page's job computes them."""
    from shopdesk.db import sql
    from shopdesk.services.dashboard import Period, dashboard

    period = Period.last_days(PERIOD_DAYS)
    since = sql.datetime_param(dt.datetime.combine(period.start, dt.time()))
    figures = dashboard(period)  # warm the page cache both sides will read
    _baseline(since)
    service_times, baseline_times = [], []
    for _ in range(context.repeat(REPEATS, QUICK_REPEATS)):
        service_times.append(timed(lambda: dashboard(period))[0])
        baseline_times.append(timed(lambda: _baseline(since))[0])
    if figures.kpis.members <= 0:
        raise AssertionError("the dashboard counted no members on the bench shop")
    return Measurement(
        value=median(service_times),
        baseline=median(baseline_times),
        notes=[
            f"last {PERIOD_DAYS} days: {figures.kpis.orders:,} sales, {figures.kpis.members:,} members",
        ],
    )
