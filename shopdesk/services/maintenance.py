"""Work that runs when the shop opens and once a day: points expiry, the yearly tier review, lifecycle
and RFM tags, birthday and win-back coupons, and today's follow-up list.

Each job is idempotent, so running it on every start and again at midnight is safe.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shopdesk.services import auto_tags, coupon_rules, followups, points, tiers
from shopdesk.services.settings import get_setting, set_setting

LAST_REVIEW_KEY = "tier_review_year"


@dataclass(frozen=True, slots=True)
class DailyReport:
    points_expired: int
    tiers_reviewed: int
    birthday_coupons: int
    winback_coupons: int
    followups_added: int


def run_daily_jobs(today: dt.date | None = None) -> DailyReport:
    """Expire points, review tiers once a year (if asked), recompute automatic tags, issue the coupons the
    rules call for, and add today's follow-ups. Each step is idempotent."""
    today = today or dt.date.today()
    expired = points.run_expiry(today)
    reviewed = 0
    if tiers.tier_rules().get("yearly_review") and get_setting(LAST_REVIEW_KEY) != today.year:
        reviewed = tiers.review_tiers(today)
        set_setting(LAST_REVIEW_KEY, today.year)
    auto_tags.refresh_auto_tags_daily(today)
    birthday = coupon_rules.issue_birthday_coupons(today)
    dormant = auto_tags.member_ids_with_auto_tag("lifecycle", "dormant")
    winback = coupon_rules.issue_winback_coupons(dormant, today)
    added = followups.build_list(today).created
    return DailyReport(expired, reviewed, birthday, winback, added)
