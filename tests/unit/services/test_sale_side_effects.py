"""A sale's fast path against the set-based reference, on SQLite and PostgreSQL.

``record_purchase`` re-scores its member in Python, upserts the monthly row and folds the figures from
one read of the member's purchases. After random sales (backdated ones, birthdays, high spenders,
12-month tier basis) the full SQL jobs (``recompute_auto_tags``, ``recompute_member_figures``,
``recompute_intervals``, ``refresh_member_months``) must find nothing to change.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

from shopdesk.db import sql
from shopdesk.services import auto_tags, data_check, tiers
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.purchases import (
    PurchaseInput,
    recompute_intervals,
    recompute_member_figures,
    record_purchase,
    refund_purchase,
)
from shopdesk.services.settings import set_setting

NOW = dt.datetime.now().replace(microsecond=0)
TODAY = NOW.date()
_phones = itertools.count(13900000000)


def _snapshot() -> tuple[list[tuple], list[tuple], list[tuple]]:
    members = sql.rows(
        "SELECT id, purchase_count, total_spent_fen, first_purchase_at, last_purchase_at, interval_days,"
        " lifecycle, rfm_r, rfm_f, rfm_m, rfm_segment, tier_id FROM member ORDER BY id"
    )
    tag_rows = sql.rows("SELECT member_id, tag_id FROM member_tag ORDER BY member_id, tag_id")
    months = sql.rows(
        "SELECT member_id, month, orders, paid_fen, first_month FROM member_month ORDER BY member_id, month"
    )
    return members, tag_rows, months


def _reference(ids: list[int]) -> None:
    """What the set-based jobs make of the same purchases."""
    from shopdesk.db.member_months import refresh_member_months

    recompute_member_figures(ids)
    recompute_intervals(ids)
    refresh_member_months(ids)
    auto_tags.recompute_auto_tags(TODAY, member_ids=ids)


def test_random_sales_leave_nothing_for_the_reference_jobs(db) -> None:
    rng = random.Random(7)
    ids = [
        create_member(
            MemberInput(
                name=f"会员{n}",
                phone=str(next(_phones)),
                birthday=f"{TODAY.month if n % 4 == 0 else TODAY.month % 12 + 1}月1日",
            )
        )
        for n in range(24)
    ]
    # A history for most members, spread over three years, then the shop-wide figures a day's run keeps.
    for member_id in ids[:20]:
        for _ in range(rng.randrange(1, 6)):
            when = dt.datetime.combine(TODAY - dt.timedelta(days=rng.randrange(1, 1000)), dt.time(10))
            record_purchase(
                PurchaseInput(member_id=member_id, amount_fen=rng.randrange(1_00, 3000_00), purchased_at=when)
            )
    auto_tags.recompute_auto_tags(TODAY)
    for round_ in range(3):
        if round_ == 1:
            set_setting(tiers.RULES_KEY, {"basis": tiers.BASIS_12_MONTHS, "yearly_review": False})
        for member_id in rng.sample(ids, 12):
            days_ago = rng.choice([0, 0, 1, 40, 400, 1200])  # 1200: before their first purchase
            when = NOW - dt.timedelta(days=days_ago, minutes=rng.randrange(0, 600))
            record_purchase(
                PurchaseInput(member_id=member_id, amount_fen=rng.randrange(1_00, 9000_00), purchased_at=when)
            )
        fast = _snapshot()
        _reference(ids)
        assert _snapshot() == fast
    assert data_check.check_data().ok


def test_a_first_sale_and_a_refund_keep_the_months_exact(db) -> None:
    member = create_member(MemberInput(name="李四", phone=str(next(_phones))))
    auto_tags.recompute_auto_tags(TODAY)
    now = NOW
    first = record_purchase(PurchaseInput(member_id=member, amount_fen=100_00, purchased_at=now))
    record_purchase(PurchaseInput(member_id=member, amount_fen=50_00, purchased_at=now))
    months = sql.rows(
        "SELECT month, orders, paid_fen, first_month FROM member_month WHERE member_id = ?", [member]
    )
    assert [(orders, paid, bool(flag)) for _month, orders, paid, flag in months] == [(2, 150_00, True)]
    refund_purchase(first, "wrong item")
    months = sql.rows("SELECT orders, paid_fen FROM member_month WHERE member_id = ?", [member])
    assert months == [(1, 50_00)]
    fast = _snapshot()
    _reference([member])
    assert _snapshot() == fast
