"""The reminder ranking on hand-built shops (SQLite and PostgreSQL): who is listed, in what order, with
which dates and reason; and the fast set-based path agreeing member by member with the domain forecast."""

from __future__ import annotations

import datetime as dt
from itertools import count

import pytest

from shopdesk.db.models import Member, Purchase, PurchaseItem
from shopdesk.domain.lifecycle import LifecycleRules
from shopdesk.domain.reminders import MemberRhythm, ReminderKind, explain, forecast
from shopdesk.services import catalog, members, purchases
from shopdesk.services.auto_tags import lifecycle_rules
from shopdesk.services.members import MemberInput
from shopdesk.services.privacy import set_consent
from shopdesk.services.purchases import PurchaseInput, PurchaseItemInput
from shopdesk.services.reminders import rank_reminders, single_gap_days
from shopdesk.services.settings import SHOP_TYPE, set_setting

TODAY = dt.date(2025, 6, 10)
DAY = dt.timedelta(days=1)
_phones = count()


def _member(name: str) -> int:
    return members.create_member(MemberInput(name=name, phone=f"1390000{next(_phones) % 10_000:04d}"))


def _buy(member_id: int, day: dt.date, *categories: int) -> int:
    items = [PurchaseItemInput(50_00, category) for category in categories]
    when = dt.datetime.combine(day, dt.time(15, 30))
    return purchases.record_purchase(
        PurchaseInput(member_id=member_id, amount_fen=50_00 * max(1, len(categories)), purchased_at=when,
                      items=items)
    )


def _regular(name: str, last_days_ago: int, every: int, visits: int, *categories: int) -> int:
    """A member who came ``visits`` times ``every`` days apart, the last time ``last_days_ago`` days ago."""
    member_id = _member(name)
    for visit in reversed(range(visits)):
        _buy(member_id, TODAY - (last_days_ago + visit * every) * DAY, *categories)
    return member_id


def _ids(views) -> list[int]:
    return [view.member_id for view in views]


def test_an_empty_shop_has_nobody_to_remind(db: object) -> None:
    _member("还没买过")
    assert rank_reminders(TODAY) == []
    assert rank_reminders(TODAY, due_only=False) == []


def test_members_due_in_the_horizon_are_listed_with_when_and_why(db: object) -> None:
    cream = catalog.create_category("面霜", 45)
    due = _regular("到期", 28, 30, 4, cream)
    _regular("刚买过", 2, 30, 4, cream)
    overdue = _regular("久未来", 100, 10, 5)  # more than twice their rhythm: win-back, not repurchase
    (view,) = rank_reminders(TODAY, horizon_days=7)
    assert view.member_id == due
    assert (view.name, view.phone) == ("到期", Member.get_by_id(due).phone)
    assert view.kind is ReminderKind.REPURCHASE
    assert view.reason == "Last bought 面霜 28 days ago; usually buys again about every 30 days"
    assert view.last_purchase_date == TODAY - 28 * DAY
    assert view.expected_date == TODAY + 2 * DAY
    assert view.window_start <= view.expected_date <= view.window_end
    assert (view.days_since_last, view.purchase_count, view.interval_days) == (28, 4, 30)
    month = {v.member_id: v.score for v in rank_reminders(TODAY, horizon_days=30)}
    assert 0.0 < view.score < month[due] < 1.0  # a week catches the next visit less surely than a month
    everyone = {v.member_id: v for v in rank_reminders(TODAY, horizon_days=7, due_only=False)}
    assert len(everyone) == 3
    assert everyone[overdue].kind is ReminderKind.WINBACK
    assert everyone[overdue].reason == (
        "No purchase for 100 days, although they used to come about every 10 days"
    )


def test_the_most_likely_buyers_come_first_and_limit_keeps_the_best(db: object) -> None:
    soon = _regular("快到了", 9, 10, 8)
    later = _regular("还早", 15, 30, 8)
    unsure = _regular("只来过两次", 9, 10, 2)
    ranking = rank_reminders(TODAY, horizon_days=7)
    assert _ids(ranking) == [soon, unsure, later]
    scores = [view.score for view in ranking]
    assert scores == sorted(scores, reverse=True)
    assert _ids(rank_reminders(TODAY, horizon_days=7, limit=1)) == [soon]
    assert rank_reminders(TODAY, horizon_days=7, limit=0) == []


def test_members_who_cannot_be_contacted_or_bought_later_are_left_out(db: object) -> None:
    kept = _regular("留下", 25, 30, 4)
    archived = _regular("已归档", 25, 30, 4)
    refused = _regular("不要提醒", 25, 30, 4)
    merged = _regular("被合并", 25, 30, 4)
    future = _regular("之后买过", 25, 30, 4)
    members.archive_member(archived)
    set_consent(refused, marketing=True, reminders=False)
    Member.update(merged_into=kept, archived_at=dt.datetime(2025, 1, 1)).where(Member.id == merged).execute()
    _buy(future, TODAY + 3 * DAY)
    assert _ids(rank_reminders(TODAY, horizon_days=30, due_only=False)) == [kept]


def test_the_category_that_runs_out_first_explains_the_reminder(db: object) -> None:
    lipstick = catalog.create_category("口红", 90)
    mask = catalog.create_category("面膜", 20)
    untimed = catalog.create_category("赠品")
    member_id = _member("买了三样")
    _buy(member_id, TODAY - 18 * DAY, lipstick, mask, untimed)
    (view,) = rank_reminders(TODAY, horizon_days=7)
    assert view.reason == "Bought 面膜 once, 18 days ago; it usually runs out after about 20 days"
    assert view.expected_date == TODAY + 2 * DAY


def test_a_refunded_last_purchase_does_not_speak_for_the_member(db: object) -> None:
    mask = catalog.create_category("面膜", 20)
    perfume = catalog.create_category("香水", 180)
    member_id = _member("退过货")
    _buy(member_id, TODAY - 15 * DAY, mask)
    refunded = _buy(member_id, TODAY - 5 * DAY, perfume)
    purchases.refund_purchase(refunded, "过敏")
    (view,) = rank_reminders(TODAY, horizon_days=7)
    assert view.last_purchase_date == TODAY - 15 * DAY
    assert view.reason.startswith("Bought 面膜 once, 15 days ago")


def test_one_time_buyers_without_a_category_follow_the_shop(db: object) -> None:
    set_setting(SHOP_TYPE, "bakery")  # few regulars yet: the preset says when a bakery customer returns
    member_id = _member("第一次来")
    _buy(member_id, TODAY - 9 * DAY)
    preset_gap = LifecycleRules(single_dormant_days=21).single_dormant_days // 2
    assert single_gap_days([], "bakery") == preset_gap
    assert single_gap_days([7] * 40, "bakery") == 7  # enough regulars: the shop's own median rhythm
    (view,) = rank_reminders(TODAY, horizon_days=7)
    assert view.member_id == member_id
    assert view.reason == (
        f"Bought once, 9 days ago; customers here usually come back after about {preset_gap} days"
    )
    assert view.expected_date == TODAY - 9 * DAY + preset_gap * DAY


def test_the_fast_ranking_agrees_with_the_forecast_of_each_member(db: object) -> None:
    """Every member of a small varied shop: the set-based path gives what ``domain.forecast`` gives from
    the member's own rows."""
    cycles = {name: catalog.create_category(name, days) for name, days in
              (("面包", 5), ("蛋糕", 60), ("饮品", 7), ("礼盒", None))}
    ids = list(cycles.values())
    for index in range(24):
        visits = 1 + index % 6
        _regular(f"会员{index}", 1 + (index * 7) % 90, 2 + index % 9, visits, ids[index % 4],
                 *([ids[(index + 1) % 4]] if index % 3 == 0 else []))
    ranking = rank_reminders(TODAY, horizon_days=14, due_only=False)
    assert len(ranking) == 24
    rules = lifecycle_rules()
    intervals = [m.interval_days for m in Member.select() if m.interval_days]
    single_gap = single_gap_days(intervals, None)
    for view in ranking:
        member = Member.get_by_id(view.member_id)
        last = (
            Purchase.select().where(Purchase.member == member.id, Purchase.refunded_at.is_null())
            .order_by(Purchase.purchased_at.desc()).first()
        )
        bought = [item.category for item in PurchaseItem.select().where(PurchaseItem.purchase == last.id)]
        # the category that runs out first; without cycles, any (the one with the smallest id)
        chosen = min(bought, key=lambda c: (c.repurchase_days or 9_999, c.id), default=None)
        rhythm = MemberRhythm(
            member.last_purchase_at.date(), member.first_purchase_at.date(), member.purchase_count,
            member.interval_days, chosen.repurchase_days if chosen else None, chosen.name if chosen else "",
        )
        expected = forecast(rhythm, TODAY, 14, rules, single_gap)
        assert view.score == pytest.approx(expected.probability)
        assert (view.expected_date, view.window_start, view.window_end, view.kind) == (
            expected.expected_date, expected.window_start, expected.window_end, expected.kind
        )
        assert view.reason == explain(rhythm, expected)
