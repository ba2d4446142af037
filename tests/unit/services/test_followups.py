"""Today's follow-up list on hand-built shops: each kind, one contact a day, caps, snoozes, outcomes and
purchases closing reminders — on SQLite and PostgreSQL.

Every test builds the list for a fixed day in the past (purchases cannot be dated in the future), with
only the kinds it is about switched on, so that each assertion names exactly the tasks expected.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from shopdesk.db.models import Category, ContactLog, FollowupTask, Member, Purchase, now
from shopdesk.domain.followups import FollowupSettings, Outcome, TaskKind, TaskStatus
from shopdesk.domain.points import ExpiryPolicy, PointsRules
from shopdesk.errors import ConflictError, NotFoundError, ValidationError
from shopdesk.services import catalog, coupons, followups, members, points, purchases
from shopdesk.services.coupon_templates import TemplateInput, create_template
from shopdesk.services.members import MemberInput
from shopdesk.services.privacy import set_consent
from shopdesk.services.purchases import PurchaseInput, PurchaseItemInput

TODAY = dt.date(2025, 6, 10)
DAY = dt.timedelta(days=1)
_phones = iter(range(10_000))


# ---- a hand-built shop ----------------------------------------------------------------------------------


def _only(*kinds: TaskKind, capacity: int = 30, **per_kind: dict) -> FollowupSettings:
    """Switch on ``kinds`` alone; ``per_kind`` overrides a kind's settings (``birthday={"days": 5}``)."""
    settings = FollowupSettings(capacity=capacity)
    for kind, values in settings.kinds.items():
        values.enabled = kind in kinds
        for name, value in per_kind.get(kind.value, {}).items():
            setattr(values, name, value)
    followups.save_followup_settings(settings)
    return settings


def _member(name: str = "张三", *, birthday: str | None = None, staff_id: int | None = None) -> int:
    phone = f"1380000{next(_phones):04d}"
    return members.create_member(MemberInput(name=name, phone=phone, birthday=birthday, staff_id=staff_id))


def _buy(member_id: int, day: dt.date, *, category_id: int | None = None, fen: int = 100_00) -> int:
    items = [PurchaseItemInput(fen, category_id, "")] if category_id else []
    when = dt.datetime.combine(day, dt.time(15, 30))
    return purchases.record_purchase(
        PurchaseInput(member_id=member_id, amount_fen=fen, purchased_at=when, items=items)
    )


def _dormant(*member_ids: int) -> None:
    """What the daily auto-tag job does for members long past their rhythm."""
    Member.update(lifecycle="dormant").where(Member.id.in_(member_ids)).execute()


def _listed(day: dt.date = TODAY) -> list[tuple[int, TaskKind]]:
    """(member, kind) of the day's open tasks, in the order of the list."""
    return [(task.member_id, task.kind) for task in followups.todays_tasks(day, include_done=False)]


def _task_of(member_id: int, day: dt.date = TODAY) -> followups.TaskView:
    (task,) = [task for task in followups.todays_tasks(day) if task.member_id == member_id]
    return task


def _statuses() -> list[tuple[int, str, str]]:
    return [(t.member_id, t.kind, t.status) for t in FollowupTask.select().order_by(FollowupTask.id)]


# ---- building the list ----------------------------------------------------------------------------------


def test_building_the_list_twice_creates_no_duplicates(db: object) -> None:
    _only(*[kind for kind in TaskKind if kind is not TaskKind.REPURCHASE])
    birthday = _member("生日", birthday="1990-06-12")
    newcomer = _member("新客")
    _buy(newcomer, TODAY - DAY)
    sleeper = _member("沉睡")
    _buy(sleeper, TODAY - 200 * DAY)
    _dormant(sleeper)

    first = followups.build_list(TODAY)
    assert (first.created, first.open_today) == (3, 3)
    rows = _statuses()
    again = followups.build_list(TODAY)
    assert (again.created, again.closed, again.open_today) == (0, 0, 3)
    assert _statuses() == rows
    assert sorted(_listed()) == sorted(
        [(birthday, TaskKind.BIRTHDAY), (newcomer, TaskKind.NEW_MEMBER), (sleeper, TaskKind.WINBACK)]
    )


def test_working_part_of_the_list_and_building_again_the_same_day_adds_nobody(db: object) -> None:
    """The capacity is for the day: contacts already made today count, so reopening the app adds none."""
    _only(TaskKind.BIRTHDAY, capacity=3)
    for index in range(6):
        _member(f"客{index}", birthday="1990-06-11")
    assert followups.build_list(TODAY).created == 3
    done = followups.todays_tasks(TODAY)[:2]
    for task in done:
        followups.record_outcome(task.id, Outcome.CONTACTED)
    again = followups.build_list(TODAY)
    assert again.created == 0
    assert len(followups.todays_tasks(TODAY)) == 3
    assert followups.open_task_count(TODAY) == 1


def test_the_next_day_lists_those_the_caps_left_out(db: object) -> None:
    """Win-back has no date of its own: members cut by yesterday's cap come first today.

    The most recently lapsed come first: they are the likeliest to come back.
    """
    _only(TaskKind.WINBACK, winback={"daily_cap": 2})
    sleepers = [_member(f"睡{index}") for index in range(5)]
    for offset, member_id in enumerate(sleepers):
        _buy(member_id, TODAY - (300 - offset) * DAY)
    _dormant(*sleepers)

    assert followups.build_list(TODAY).created == 2
    assert {member for member, _kind in _listed()} == set(sleepers[3:])
    for task in followups.todays_tasks(TODAY):
        followups.record_outcome(task.id, Outcome.NOT_INTERESTED)
    assert followups.build_list(TODAY + DAY).created == 2
    assert {member for member, _kind in _listed(TODAY + DAY)} == set(sleepers[1:3])
    for task in followups.todays_tasks(TODAY + DAY, include_done=False):
        followups.record_outcome(task.id, Outcome.CONTACTED)
    assert followups.build_list(TODAY + 2 * DAY).created == 1
    assert _listed(TODAY + 2 * DAY) == [(sleepers[0], TaskKind.WINBACK)]
    assert followups.build_list(TODAY + 3 * DAY).created == 0  # everyone was contacted once


def test_an_open_task_is_carried_over_and_its_member_gets_no_second_one(db: object) -> None:
    _only(TaskKind.BIRTHDAY, TaskKind.WINBACK)
    member_id = _member("老客", birthday="1990-06-12")
    _buy(member_id, TODAY - 200 * DAY)
    followups.build_list(TODAY)
    assert _listed() == [(member_id, TaskKind.BIRTHDAY)]
    _dormant(member_id)
    assert followups.build_list(TODAY + DAY).created == 0
    (task,) = followups.todays_tasks(TODAY + DAY)
    assert task.carried_over and task.kind is TaskKind.BIRTHDAY


# ---- each kind, on a shop built for it ------------------------------------------------------------------


def test_birthdays_in_the_next_days_today_included(db: object) -> None:
    _only(TaskKind.BIRTHDAY, birthday={"days": 3})
    today = _member("今天", birthday="1990-06-10")
    in_three = _member("三天后", birthday="06-13")
    _member("四天后", birthday="1985-06-14")
    _member("昨天", birthday="1990-06-09")
    _member("无生日")
    followups.build_list(TODAY)
    assert sorted(_listed()) == [(today, TaskKind.BIRTHDAY), (in_three, TaskKind.BIRTHDAY)]
    assert _task_of(today).reason == "Birthday today"
    assert _task_of(in_three).reason == "Birthday in 3 days (6/13)"
    assert _task_of(in_three).due_date == dt.date(2025, 6, 13)


def test_birthdays_across_the_new_year(db: object) -> None:
    _only(TaskKind.BIRTHDAY, birthday={"days": 3})
    eve = dt.date(2024, 12, 30)
    new_year = _member("元旦", birthday="1990-01-01")
    second = _member("二号", birthday="01-02")
    third = _member("三号", birthday="01-03")
    _member("前天", birthday="12-29")
    followups.build_list(eve)
    assert sorted(_listed(eve)) == [(new_year, TaskKind.BIRTHDAY), (second, TaskKind.BIRTHDAY)]
    assert _task_of(new_year, eve).due_date == dt.date(2025, 1, 1)
    for task in followups.todays_tasks(eve):
        followups.record_outcome(task.id, Outcome.CONTACTED)
    # the next day brings 1月3日 into the window; the same birthday is not listed twice, but next year's is
    followups.build_list(dt.date(2024, 12, 31))
    assert _listed(dt.date(2024, 12, 31)) == [(third, TaskKind.BIRTHDAY)]
    assert followups.build_list(dt.date(2025, 12, 30)).created == 2


@pytest.mark.parametrize(
    ("today", "days", "expected_due"),
    [
        (dt.date(2025, 2, 26), 2, dt.date(2025, 2, 28)),  # no 2月29日 in 2025: celebrated on the 28th
        (dt.date(2025, 2, 28), 0, dt.date(2025, 2, 28)),
        (dt.date(2025, 2, 25), 2, None),
        (dt.date(2025, 3, 1), 3, None),  # already celebrated on the 28th
        (dt.date(2024, 2, 27), 1, None),  # 2024 has a 29th: not yet
        (dt.date(2024, 2, 27), 2, dt.date(2024, 2, 29)),
    ],
)
def test_a_birthday_on_29_february(
    db: object, today: dt.date, days: int, expected_due: dt.date | None
) -> None:
    _only(TaskKind.BIRTHDAY, birthday={"days": days})
    leapling = _member("闰日", birthday="2000-02-29")
    followups.build_list(today)
    if expected_due is None:
        assert _listed(today) == []
    else:
        assert _listed(today) == [(leapling, TaskKind.BIRTHDAY)]
        assert _task_of(leapling, today).due_date == expected_due


def test_coupons_expiring_in_the_next_days(db: object) -> None:
    _only(TaskKind.COUPON_EXPIRY, coupon_expiry={"days": 3})
    soon = create_template(
        TemplateInput(
            name="满100减20",
            kind="threshold",
            value_fen=20_00,
            threshold_fen=100_00,
            valid_until=TODAY + 3 * DAY,
            valid_days=None,
        )
    )
    later = create_template(
        TemplateInput(
            name="满200减50",
            kind="threshold",
            value_fen=50_00,
            threshold_fen=200_00,
            valid_until=TODAY + 4 * DAY,
            valid_days=None,
        )
    )
    past = create_template(
        TemplateInput(name="旧券", kind="cash", value_fen=10_00, valid_until=TODAY - DAY, valid_days=None)
    )
    holder, late, voided, expired = (_member(name) for name in ("持券", "晚到期", "作废", "已过期"))
    issued_on = TODAY - 10 * DAY
    coupons.issue_coupon(soon, holder, today=issued_on)
    coupons.issue_coupon(later, late, today=issued_on)
    coupons.void_coupon(coupons.issue_coupon(soon, voided, today=issued_on), "issued by mistake")
    coupons.issue_coupon(past, expired, today=issued_on)

    followups.build_list(TODAY)
    assert _listed() == [(holder, TaskKind.COUPON_EXPIRY)]
    task = _task_of(holder)
    assert task.due_date == TODAY + 3 * DAY
    assert task.reason == "Coupon expires on 6/13: ¥20.00 off from ¥100.00"


def test_points_expiring_in_the_next_days(db: object) -> None:
    _only(TaskKind.POINTS_EXPIRY, points_expiry={"days": 14})
    points.save_points_rules(PointsRules(expiry=ExpiryPolicy.DAYS, expiry_n=30))
    soon, later, spent, gone = (_member(name) for name in ("快过期", "晚过期", "已用完", "已过期"))
    points.adjust_points(soon, 120, "opening", today=TODAY - 20 * DAY)  # expires TODAY + 10
    points.adjust_points(soon, 30, "opening", today=TODAY - 25 * DAY)  # expires TODAY + 5
    points.adjust_points(later, 100, "opening", today=TODAY - 10 * DAY)  # expires TODAY + 20
    points.adjust_points(spent, 100, "opening", today=TODAY - 20 * DAY)
    points.adjust_points(spent, -100, "gift", today=TODAY - 19 * DAY)
    points.adjust_points(gone, 100, "opening", today=TODAY - 31 * DAY)  # expired yesterday

    followups.build_list(TODAY)
    assert _listed() == [(soon, TaskKind.POINTS_EXPIRY)]
    task = _task_of(soon)
    assert task.due_date == TODAY + 5 * DAY
    assert task.reason == "150 points expire by 6/15"


def test_win_back_of_dormant_members(db: object) -> None:
    _only(TaskKind.WINBACK)
    sleeper, awake, never = _member("沉睡"), _member("活跃"), _member("从未购买")
    _buy(sleeper, TODAY - 120 * DAY)
    _buy(awake, TODAY - 10 * DAY)
    _dormant(sleeper, never)
    Member.update(lifecycle="active").where(Member.id == awake).execute()

    followups.build_list(TODAY)
    assert _listed() == [(sleeper, TaskKind.WINBACK)]
    assert _task_of(sleeper).reason == "Has not been back for 120 days; invite them back"


def test_new_members_are_called_the_day_after_and_a_week_after_their_first_purchase(db: object) -> None:
    _only(TaskKind.NEW_MEMBER)
    by_offset = {}
    for offset in (0, 1, 2, 6, 7, 8):
        by_offset[offset] = _member(f"新客{offset}")
        _buy(by_offset[offset], TODAY - offset * DAY)
    _buy(by_offset[7], TODAY - 2 * DAY)  # came back since: still their first week's call

    followups.build_list(TODAY)
    assert sorted(_listed()) == sorted(
        [(by_offset[1], TaskKind.NEW_MEMBER), (by_offset[7], TaskKind.NEW_MEMBER)]
    )
    assert _task_of(by_offset[1]).reason == "First purchase yesterday: ask how they like it"
    assert _task_of(by_offset[7]).reason == "First purchase 7 days ago: a friendly check-in"
    # the next day: the day-1 member of yesterday is not called again; today's day-1 member is
    for task in followups.todays_tasks(TODAY):
        followups.record_outcome(task.id, Outcome.CONTACTED)
    followups.build_list(TODAY + DAY)
    assert sorted(_listed(TODAY + DAY)) == sorted(
        [(by_offset[0], TaskKind.NEW_MEMBER), (by_offset[6], TaskKind.NEW_MEMBER)]
    )


def test_a_care_call_after_buying_a_category_that_wants_one(db: object) -> None:
    _only(TaskKind.POST_PURCHASE)
    cream = catalog.create_category("面霜", 45)
    mask = catalog.create_category("面膜", 20)
    Category.update(care_days=3).where(Category.id == cream).execute()
    buyer, early, other, refunded = (_member(name) for name in ("买面霜", "两天前", "买面膜", "退货"))
    purchase = purchases.record_purchase(
        PurchaseInput(
            member_id=buyer,
            purchased_at=dt.datetime.combine(TODAY - 3 * DAY, dt.time(11)),
            items=[PurchaseItemInput(200_00, cream, "雪花霜"), PurchaseItemInput(80_00, cream, "晚霜")],
        )
    )
    _buy(early, TODAY - 2 * DAY, category_id=cream)
    _buy(other, TODAY - 3 * DAY, category_id=mask)
    purchases.refund_purchase(_buy(refunded, TODAY - 3 * DAY, category_id=cream), "wrong size")

    followups.build_list(TODAY)
    assert _listed() == [(buyer, TaskKind.POST_PURCHASE)]
    assert _task_of(buyer).reason == "Bought 面霜 3 days ago: ask how it works for them"
    assert FollowupTask.get(FollowupTask.member == buyer).key == f"post_purchase:{purchase}:{cream}"


def test_manual_tasks_appear_on_their_day(db: object) -> None:
    _only()
    staff = catalog.create_staff("小王")
    member_id = _member("李四", staff_id=staff)
    later = followups.add_manual_task(
        member_id, TODAY + 2 * DAY, "  Tell her the  new serum arrived ", today=TODAY
    )
    overdue = followups.add_manual_task(_member("王五"), TODAY - 3 * DAY, "Return the umbrella", today=TODAY)

    followups.build_list(TODAY)
    assert [task.id for task in followups.todays_tasks(TODAY)] == [overdue]
    followups.build_list(TODAY + 2 * DAY)
    tasks = {task.id: task for task in followups.todays_tasks(TODAY + 2 * DAY)}
    assert set(tasks) == {later, overdue}
    assert tasks[later].reason == "Tell her the new serum arrived"
    assert tasks[later].kind is TaskKind.MANUAL and tasks[later].staff_name == "小王"
    assert tasks[overdue].carried_over

    with pytest.raises(ValidationError):
        followups.add_manual_task(member_id, TODAY, "   ", today=TODAY)
    with pytest.raises(NotFoundError):
        followups.add_manual_task(99_999, TODAY, "Call", today=TODAY)


# ---- one contact a day, caps, consent -------------------------------------------------------------------


def test_one_contact_per_member_a_day_mentioning_their_other_occasions(db: object) -> None:
    _only(TaskKind.BIRTHDAY, TaskKind.COUPON_EXPIRY, TaskKind.WINBACK)
    template = create_template(
        TemplateInput(name="生日券", kind="cash", value_fen=30_00, valid_until=TODAY + DAY, valid_days=None)
    )
    member_id = _member("赵六", birthday="1990-06-12")
    _buy(member_id, TODAY - 150 * DAY)
    _dormant(member_id)
    coupons.issue_coupon(template, member_id, today=TODAY - 5 * DAY)

    followups.build_list(TODAY)
    assert _listed() == [(member_id, TaskKind.COUPON_EXPIRY)]  # the most important reason
    reason = _task_of(member_id).reason
    assert reason.startswith("Coupon expires on 6/11: ¥30.00 off; also: ")
    assert "Birthday in 2 days (6/12)" in reason and "Has not been back for 150 days" in reason
    dropped = [(kind, status) for member, kind, status in _statuses() if status == TaskStatus.DROPPED]
    assert sorted(dropped) == [("birthday", "dropped"), ("winback", "dropped")]

    followups.record_outcome(_task_of(member_id).id, Outcome.CONTACTED)
    assert followups.build_list(TODAY + DAY).created == 0  # not re-listed tomorrow


def test_each_kind_has_a_daily_cap(db: object) -> None:
    _only(TaskKind.BIRTHDAY, birthday={"days": 5, "daily_cap": 2})
    by_day = {day: _member(f"六月{day}日", birthday=f"06-{day}") for day in (14, 10, 12, 15)}
    followups.build_list(TODAY)
    assert sorted(member for member, _kind in _listed()) == sorted([by_day[10], by_day[12]])  # soonest


def test_the_day_has_a_capacity_filled_by_priority(db: object) -> None:
    _only(TaskKind.BIRTHDAY, TaskKind.WINBACK, TaskKind.NEW_MEMBER, capacity=3)
    sleepers = [_member(f"睡{index}") for index in range(2)]
    for member_id in sleepers:
        _buy(member_id, TODAY - 200 * DAY)
    _dormant(*sleepers)
    newcomers = [_member(f"新{index}") for index in range(2)]
    for member_id in newcomers:
        _buy(member_id, TODAY - DAY)
    birthday = _member("寿星", birthday="06-10")

    result = followups.build_list(TODAY)
    assert (result.created, result.open_today) == (3, 3)
    # birthday (65) before new-member care (55) before win-back (40)
    assert sorted(_listed()) == sorted(
        [(birthday, TaskKind.BIRTHDAY)] + [(m, TaskKind.NEW_MEMBER) for m in newcomers]
    )
    assert followups.open_task_count(TODAY) == 3


def test_members_who_said_no_to_reminders_or_are_archived_are_skipped(db: object) -> None:
    _only(TaskKind.BIRTHDAY)
    willing = _member("愿意", birthday="06-10")
    refused = _member("拒绝", birthday="06-10")
    archived = _member("归档", birthday="06-10")
    set_consent(refused, marketing=True, reminders=False)
    members.archive_member(archived)
    followups.build_list(TODAY)
    assert _listed() == [(willing, TaskKind.BIRTHDAY)]


def test_settings_are_kept_and_the_capacity_must_be_sensible(db: object) -> None:
    settings = _only(TaskKind.BIRTHDAY, capacity=12, birthday={"days": 6})
    assert followups.followup_settings() == settings
    for capacity in (0, 1001):
        with pytest.raises(ValidationError):
            followups.save_followup_settings(FollowupSettings(capacity=capacity))


# ---- working the list -----------------------------------------------------------------------------------


def test_outcomes_go_to_the_members_contact_history(db: object) -> None:
    _only(TaskKind.BIRTHDAY)
    staff = catalog.create_staff("小王")
    member_id = _member("钱七", birthday="06-10", staff_id=staff)
    followups.build_list(TODAY)
    task = _task_of(member_id)
    assert task.staff_name == "小王"
    assert [t.id for t in followups.todays_tasks(TODAY, staff_id=staff)] == [task.id]
    assert followups.todays_tasks(TODAY, staff_id=staff + 1) == []

    followups.record_outcome(task.id, Outcome.NO_ANSWER, "  line busy ", operator="小王")
    done = _task_of(member_id)
    assert (done.status, done.outcome, done.note) == (TaskStatus.DONE, Outcome.NO_ANSWER, "line busy")
    assert followups.todays_tasks(TODAY, include_done=False) == []
    assert followups.open_task_count(TODAY) == 0

    followups.reopen_task(task.id)  # marked by mistake
    followups.record_outcome(task.id, "contacted", operator="小王")
    history = followups.member_contacts(member_id)
    assert [(c.kind, c.outcome, c.note, c.operator) for c in history] == [
        ("birthday", Outcome.CONTACTED, "", "小王"),
        ("birthday", Outcome.NO_ANSWER, "line busy", "小王"),
    ]
    assert ContactLog.select().where(ContactLog.task == task.id).count() == 2
    with pytest.raises(NotFoundError):
        followups.record_outcome(99_999, Outcome.CONTACTED)


def test_a_snoozed_task_comes_back_on_its_day(db: object) -> None:
    _only(TaskKind.BIRTHDAY, birthday={"days": 7})
    member_id = _member("孙八", birthday="06-15")
    followups.build_list(TODAY)
    task = _task_of(member_id)
    followups.snooze_task(task.id, TODAY + 3 * DAY, "on holiday", today=TODAY)
    assert followups.todays_tasks(TODAY, include_done=False) == []
    snoozed = _task_of(member_id)
    assert (snoozed.status, snoozed.note) == (TaskStatus.SNOOZED, "on holiday")

    for day in (TODAY + DAY, TODAY + 2 * DAY):
        assert followups.build_list(day).created == 0
        assert _listed(day) == []
    followups.build_list(TODAY + 3 * DAY)
    back = followups.todays_tasks(TODAY + 3 * DAY)
    assert [(t.id, t.status, t.list_date) for t in back] == [(task.id, TaskStatus.OPEN, TODAY + 3 * DAY)]
    assert FollowupTask.select().count() == 1

    with pytest.raises(ValidationError):
        followups.snooze_task(task.id, TODAY + 3 * DAY, today=TODAY + 3 * DAY)
    followups.record_outcome(task.id, Outcome.CONTACTED)
    with pytest.raises(ConflictError):
        followups.snooze_task(task.id, TODAY + 9 * DAY, today=TODAY + 3 * DAY)


def test_a_purchase_closes_the_members_win_back_task_but_not_the_others(db: object) -> None:
    _only(TaskKind.WINBACK, TaskKind.BIRTHDAY)
    sleeper = _member("回头客")
    _buy(sleeper, TODAY - 200 * DAY)
    _dormant(sleeper)
    birthday = _member("寿星", birthday="06-10")
    followups.build_list(TODAY)
    winback, celebrated = _task_of(sleeper), _task_of(birthday)

    purchase_id = _buy(sleeper, TODAY)
    _buy(birthday, TODAY)
    closed = FollowupTask.get_by_id(winback.id)
    assert (closed.status, closed.outcome, closed.closing_purchase_id) == ("done", "purchased", purchase_id)
    assert FollowupTask.get_by_id(celebrated.id).status == "open"
    assert _listed() == [(birthday, TaskKind.BIRTHDAY)]
    assert _task_of(sleeper).outcome is Outcome.PURCHASED  # shown as worked today


def test_a_purchase_recorded_behind_the_lists_back_closes_the_reminder_on_the_next_build(db: object) -> None:
    """An import writes purchases in bulk and then recomputes the figures; the list notices."""
    _only(TaskKind.WINBACK)
    sleeper = _member("导入")
    _buy(sleeper, TODAY - 200 * DAY)
    _dormant(sleeper)
    followups.build_list(TODAY)
    # the list was built this morning; the import ran afterwards
    FollowupTask.update(created_at=now() - dt.timedelta(hours=3)).execute()
    Purchase.create(
        uid=uuid.uuid4().hex, member=sleeper, purchased_at=now(), amount_fen=50_00, paid_fen=50_00
    )
    purchases.recompute_member_figures([sleeper])
    result = followups.build_list(TODAY)
    assert (result.created, result.closed) == (0, 1)
    assert _task_of(sleeper).outcome is Outcome.PURCHASED


# ---- repurchase reminders -------------------------------------------------------------------------------


def _regular(
    name: str, last_days_ago: int, *, every: int = 30, visits: int = 3, category: int | None = None
) -> int:
    """A member who came ``visits`` times, ``every`` days apart, the last time ``last_days_ago`` days ago."""
    member_id = _member(name)
    for visit in reversed(range(visits)):
        _buy(member_id, TODAY - (last_days_ago + visit * every) * DAY, category_id=category)
    return member_id


def test_repurchase_reminders_for_members_due_to_buy_again(db: object) -> None:
    _only(TaskKind.REPURCHASE)
    cream = catalog.create_category("面霜", 45)
    due = _regular("到期", 30, category=cream)
    _regular("刚买过", 2, category=cream)
    _regular("久未来", 100, every=10)  # long overdue: win-back, not repurchase
    refused = _regular("不要提醒", 30, category=cream)
    set_consent(refused, marketing=True, reminders=False)

    followups.build_list(TODAY)
    assert _listed() == [(due, TaskKind.REPURCHASE)]
    task = _task_of(due)
    assert task.reason == "Last bought 面霜 30 days ago; usually buys again about every 30 days"
    assert not task.suggest_incentive
    assert FollowupTask.get_by_id(task.id).key == f"repurchase:{due}:{TODAY - 30 * DAY}:1"
    assert followups.build_list(TODAY).created == 0


def test_a_purchase_closes_the_members_repurchase_reminder(db: object) -> None:
    _only(TaskKind.REPURCHASE)
    member_id = _regular("到期", 30)
    followups.build_list(TODAY)
    task = _task_of(member_id)
    purchase_id = _buy(member_id, TODAY)
    closed = FollowupTask.get_by_id(task.id)
    assert (closed.status, closed.outcome, closed.closing_purchase_id) == ("done", "purchased", purchase_id)
    assert _listed() == []
    assert followups.build_list(TODAY + DAY).created == 0  # just bought: not due any more


def test_after_two_unanswered_reminders_the_next_one_suggests_a_coupon(db: object) -> None:
    _only(TaskKind.REPURCHASE)
    member_id = _regular("不接电话", 30)
    attempts = []
    for offset in range(3):
        day = TODAY + offset * DAY
        assert followups.build_list(day).created == 1
        (task,) = followups.todays_tasks(day, include_done=False)
        attempts.append((FollowupTask.get_by_id(task.id).attempt, task.suggest_incentive))
        followups.record_outcome(task.id, Outcome.NO_ANSWER)
    assert attempts == [(1, False), (2, False), (3, True)]
    last = FollowupTask.select().order_by(FollowupTask.id.desc()).first()
    assert last.reason.endswith("2 reminders went unanswered: offer a coupon.")
    # the incentive was the last try for this purchase; win-back takes over later
    assert followups.build_list(TODAY + 3 * DAY).created == 0
    assert [c.outcome for c in followups.member_contacts(member_id)] == [Outcome.NO_ANSWER] * 3


def test_a_reminder_answered_is_not_repeated(db: object) -> None:
    _only(TaskKind.REPURCHASE)
    reached, refused = _regular("接了", 30), _regular("不需要", 30)
    followups.build_list(TODAY)
    followups.record_outcome(_task_of(reached).id, Outcome.CONTACTED)
    followups.record_outcome(_task_of(refused).id, Outcome.NOT_INTERESTED)
    assert followups.build_list(TODAY + DAY).created == 0
    assert followups.build_list(TODAY + 2 * DAY).created == 0


def test_regulars_who_come_every_few_days_get_no_repurchase_reminder(db) -> None:
    from shopdesk.services import followups as service
    from shopdesk.services.members import MemberInput, create_member
    from shopdesk.services.purchases import PurchaseInput, record_purchase

    today = dt.date.today()
    regular = create_member(MemberInput(name="常客", phone="13800009999"))
    for days_ago in (15, 12, 9, 6, 3):
        when = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(9))
        record_purchase(PurchaseInput(member_id=regular, amount_fen=20_00, purchased_at=when))
    from shopdesk.services.reminders import rank_reminders

    assert regular in {r.member_id for r in rank_reminders(today, horizon_days=7)}  # due by the model
    assert regular not in {c.member_id for c in service._repurchase(today, 7)}  # but not worth a call
