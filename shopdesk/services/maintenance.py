"""Work that runs when the shop opens and once a day: points expiry, the yearly tier review,
birthday coupons.

Each job is idempotent, so running it on every start and again at midnight is safe.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shopdesk.services import coupon_rules, points, tiers
from shopdesk.services.settings import get_setting, set_setting

LAST_REVIEW_KEY = "tier_review_year"


@dataclass(frozen=True, slots=True)
class DailyReport:
    points_expired: int
    tiers_reviewed: int
    birthday_coupons: int


def run_daily_jobs(today: dt.date | None = None) -> DailyReport:
    """Expire points whose last day has passed; on the first run of a new year, review tiers if asked."""
    today = today or dt.date.today()
    expired = points.run_expiry(today)
    reviewed = 0
    if tiers.tier_rules().get("yearly_review") and get_setting(LAST_REVIEW_KEY) != today.year:
        reviewed = tiers.review_tiers(today)
        set_setting(LAST_REVIEW_KEY, today.year)
    birthday = coupon_rules.issue_birthday_coupons(today)
    return DailyReport(expired, reviewed, birthday)
