"""Today's follow-up list (今日跟进): building it, working it, and the member's contact history.

``build_list(today)`` is idempotent: every task has a key naming its occasion (the member's birthday this
year, a coupon, a purchase …), so building twice — on open and again at midnight — adds nothing twice.
The list keeps one contact per member per day (their most important reason), respects each kind's daily
cap and the day's capacity, skips members who opted out, and assigns each task to the member's staff.
A member who buys closes their open repurchase and win-back tasks (outcome: came and bought).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from peewee import JOIN, fn

from shopdesk.db import sql
from shopdesk.db.models import (
    Category,
    ContactLog,
    Coupon,
    CouponTemplate,
    FollowupTask,
    Member,
    PointsLot,
    Purchase,
    PurchaseItem,
    Staff,
    now,
)
from shopdesk.domain.dates import spoken_date
from shopdesk.domain.followups import (
    KIND_LABELS,
    FollowupSettings,
    Outcome,
    TaskKind,
    TaskStatus,
    pick_daily,
)
from shopdesk.errors import ConflictError, NotFoundError, ValidationError
from shopdesk.i18n import _, ngettext
from shopdesk.services.session import Permission, require
from shopdesk.services.settings import get_setting, set_setting
from shopdesk.services.transactions import atomic, guarded

SETTINGS_KEY = "followup_settings"
# Members who come back every few days (bread, milk tea) come by themselves: a reminder is noise to them.
REGULAR_DAYS = 7
REMINDERS_LOOKED_AT = 600
CLOSED_BY_PURCHASE = (TaskKind.REPURCHASE.value, TaskKind.WINBACK.value)


@dataclass(frozen=True, slots=True)
class Candidate:
    member_id: int
    kind: TaskKind
    key: str
    due_date: dt.date
    reason: str
    score: float = 0.0
    attempt: int = 1  # repurchase: the how-many-th reminder for the same last purchase


@dataclass(frozen=True, slots=True)
class TaskView:
    id: int
    member_id: int
    member_name: str
    phone: str
    kind: TaskKind
    kind_label: str
    reason: str
    due_date: dt.date
    list_date: dt.date
    priority: int
    status: TaskStatus
    outcome: Outcome | None
    staff_name: str
    note: str
    suggest_incentive: bool
    carried_over: bool


@dataclass(frozen=True, slots=True)
class BuildResult:
    created: int
    closed: int
    open_today: int


@dataclass(frozen=True, slots=True)
class ContactView:
    id: int
    kind: str
    outcome: Outcome
    note: str
    operator: str
    created_at: dt.datetime


# ---- settings --------------------------------------------------------------------------------------------


@guarded
def followup_settings() -> FollowupSettings:
    return FollowupSettings.from_dict(get_setting(SETTINGS_KEY))


def save_followup_settings(settings: FollowupSettings) -> None:
    require(Permission.SETTINGS)
    if settings.capacity < 1 or settings.capacity > 1000:
        raise ValidationError("capacity", _("The daily capacity should be between 1 and 1000 contacts."))
    with atomic():
        set_setting(SETTINGS_KEY, settings.as_dict())


# ---- candidates, one function per kind ------------------------------------------------------------------


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _reachable() -> object:
    return (
        Member.archived_at.is_null()
        & (Member.reminders_opt_out == False)  # noqa: E712
        & (Member.marketing_consent == True)  # noqa: E712
    )


def _repurchase(today: dt.date, days: int) -> list[Candidate]:
    """Members due to buy again, once per purchase — again after a reminder that went unanswered.

    The key names the last purchase and the attempt (``repurchase:7:2025-05-11:2``): a reminder that
    reached the member, or was mentioned in another contact, is not repeated; one marked "no answer" is
    tried again on a later day, the last try suggesting an incentive (``unanswered_before_incentive``).
    """
    from shopdesk.services.reminders import rank_reminders

    tries = max(followup_settings().unanswered_before_incentive, 0) + 1
    due = [
        reminder
        # The best few hundred are plenty for a day's cap of ~30 after the filters below, and naming only
        # them saves the ranking a third of its time at 100,000 members.
        for reminder in rank_reminders(today, horizon_days=max(days, 1), limit=REMINDERS_LOOKED_AT)
        if reminder.kind == TaskKind.REPURCHASE.value
        and (reminder.interval_days is None or reminder.interval_days >= REGULAR_DAYS)
    ]
    if not due:
        return []
    bases = {r.member_id: f"repurchase:{r.member_id}:{r.last_purchase_date.isoformat()}" for r in due}
    # A reminder for a purchase is listed on or after that purchase's day: the repurchase tasks listed
    # since the oldest of these purchases are all that can match (a few days' worth, one query).
    oldest = min(r.last_purchase_date for r in due)
    unanswered: set[str] = set()
    known: set[str] = set()
    query = FollowupTask.select(FollowupTask.key, FollowupTask.outcome).where(
        (FollowupTask.kind == TaskKind.REPURCHASE.value) & (FollowupTask.list_date >= oldest)
    )
    for key, outcome in query.tuples():
        known.add(key)
        if outcome == Outcome.NO_ANSWER.value:
            unanswered.add(key)
    result = []
    for reminder in due:
        base = bases[reminder.member_id]
        attempt = 1
        while attempt <= tries and f"{base}:{attempt}" in unanswered:
            attempt += 1
        if attempt > tries or f"{base}:{attempt}" in known:
            continue  # every try went unanswered: win-back takes over when the member turns dormant
        result.append(
            Candidate(
                reminder.member_id,
                TaskKind.REPURCHASE,
                f"{base}:{attempt}",
                reminder.expected_date,
                reminder.reason,
                float(reminder.score),
                attempt,
            )
        )
    return result


def _birthdays(today: dt.date, days: int) -> list[Candidate]:
    dates = [today + dt.timedelta(days=offset) for offset in range(max(days, 0) + 1)]
    pairs = {(d.month, d.day): d for d in dates}
    if (2, 28) in pairs and not _leap(pairs[(2, 28)].year):
        pairs[(2, 29)] = pairs[(2, 28)]
    months = sorted({month for month, _ in pairs})
    query = Member.select(Member.id, Member.birth_month, Member.birth_day).where(
        _reachable() & Member.birth_month.in_(months)
    )
    result = []
    for member_id, month, day in query.tuples():
        when = pairs.get((month, day))
        if when is None:
            continue
        ahead = (when - today).days
        reason = (
            _("Birthday today")
            if ahead == 0
            else ngettext(
                "Birthday in {days} day ({date})", "Birthday in {days} days ({date})", ahead
            ).format(days=ahead, date=_("{month}/{day}").format(month=when.month, day=when.day))
        )
        result.append(
            Candidate(
                member_id, TaskKind.BIRTHDAY, f"birthday:{member_id}:{when.year}", when, reason, score=-ahead
            )
        )
    return result


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _coupon_expiry(today: dt.date, days: int) -> list[Candidate]:
    # Imported here: the window opens on today's list, and only building it needs the coupon terms.
    from shopdesk.domain.coupons import describe
    from shopdesk.services.coupon_templates import view_of

    last = today + dt.timedelta(days=max(days, 0))
    query = (
        Coupon.select(Coupon, CouponTemplate)
        .join(CouponTemplate)
        .switch(Coupon)
        .join(Member, on=(Coupon.member == Member.id))
        .where(
            _reachable()
            & (Coupon.status == "unused")
            & (Coupon.valid_until >= today)
            & (Coupon.valid_until <= last)
        )
        .order_by(Coupon.valid_until)
    )
    result = []
    for coupon in query:
        until = _date(coupon.valid_until)
        template = view_of(coupon.template)
        reason = _("Coupon expires on {date}: {coupon}").format(
            coupon=describe(template.terms, template.gift_name), date=spoken_date(until, today)
        )
        result.append(
            Candidate(
                coupon.member_id,
                TaskKind.COUPON_EXPIRY,
                f"coupon_expiry:{coupon.id}",
                until,
                reason,
                score=-(until - today).days,
            )
        )
    return result


def _points_expiry(today: dt.date, days: int) -> list[Candidate]:
    last = today + dt.timedelta(days=max(days, 0))
    query = (
        PointsLot.select(PointsLot.member, fn.MIN(PointsLot.expires_on), fn.SUM(PointsLot.remaining))
        .join(Member, on=(PointsLot.member == Member.id))
        .where(
            _reachable()
            & (PointsLot.remaining > 0)
            & (PointsLot.expires_on >= today)
            & (PointsLot.expires_on <= last)
        )
        .group_by(PointsLot.member)
    )
    result = []
    for member_id, first, total in query.tuples():
        first = _date(first)
        reason = ngettext(
            "{points} point expires by {date}", "{points} points expire by {date}", int(total)
        ).format(points=int(total), date=spoken_date(first, today))
        result.append(
            Candidate(
                member_id,
                TaskKind.POINTS_EXPIRY,
                f"points_expiry:{member_id}:{first.isoformat()}",
                first,
                reason,
                score=float(total),
            )
        )
    return result


def _winback(today: dt.date, days: int) -> list[Candidate]:
    query = Member.select(Member.id, Member.last_purchase_at).where(
        _reachable() & (Member.lifecycle == "dormant")
    )
    result = []
    for member_id, last in query.tuples():
        if last is None:
            continue
        last_day = _date(last)
        gone = (today - last_day).days
        reason = _("Has not been back for {days} days; invite them back").format(days=gone)
        result.append(
            Candidate(
                member_id,
                TaskKind.WINBACK,
                f"winback:{member_id}:{last_day.isoformat()}",
                today,
                reason,
                score=-gone,
            )
        )
    return result


def _new_members(today: dt.date, days: int) -> list[Candidate]:
    result = []
    for offset, label in ((1, "d1"), (max(days, 2), "d7")):
        first_day = today - dt.timedelta(days=offset)
        start = dt.datetime.combine(first_day, dt.time())
        query = Member.select(Member.id).where(
            _reachable()
            & (Member.first_purchase_at >= start)
            & (Member.first_purchase_at < start + dt.timedelta(days=1))
        )
        reason = (
            _("First purchase yesterday: ask how they like it")
            if offset == 1
            else _("First purchase {days} days ago: a friendly check-in").format(days=offset)
        )
        for (member_id,) in query.tuples():
            result.append(
                Candidate(
                    member_id,
                    TaskKind.NEW_MEMBER,
                    f"new_member:{member_id}:{label}",
                    today,
                    reason,
                    score=float(offset == 1),
                )
            )
    return result


def _post_purchase(today: dt.date, days: int) -> list[Candidate]:
    """Care calls for categories that ask for one (``Category.care_days`` after the purchase)."""
    categories = list(
        Category.select(Category.id, Category.name, Category.care_days).where(Category.care_days > 0).tuples()
    )
    result = []
    for category_id, name, care_days in categories:
        day = today - dt.timedelta(days=care_days)
        start = dt.datetime.combine(day, dt.time())
        query = (
            Purchase.select(Purchase.id, Purchase.member)
            .join(PurchaseItem, on=(PurchaseItem.purchase == Purchase.id))
            .switch(Purchase)
            .join(Member, on=(Purchase.member == Member.id))
            .where(
                _reachable()
                & Purchase.refunded_at.is_null()
                & (PurchaseItem.category == category_id)
                & (Purchase.purchased_at >= start)
                & (Purchase.purchased_at < start + dt.timedelta(days=1))
            )
            .distinct()
        )
        reason = _("Bought {category} {days} days ago: ask how it works for them").format(
            category=name, days=care_days
        )
        for purchase_id, member_id in query.tuples():
            result.append(
                Candidate(
                    member_id,
                    TaskKind.POST_PURCHASE,
                    f"post_purchase:{purchase_id}:{category_id}",
                    today,
                    reason,
                )
            )
    return result


FINDERS: dict[TaskKind, Callable[[dt.date, int], list[Candidate]]] = {
    TaskKind.REPURCHASE: _repurchase,
    TaskKind.BIRTHDAY: _birthdays,
    TaskKind.COUPON_EXPIRY: _coupon_expiry,
    TaskKind.POINTS_EXPIRY: _points_expiry,
    TaskKind.WINBACK: _winback,
    TaskKind.NEW_MEMBER: _new_members,
    TaskKind.POST_PURCHASE: _post_purchase,
}


# ---- building the list ----------------------------------------------------------------------------------


def _close_bought(today: dt.date) -> int:
    """Open repurchase and win-back tasks of members who bought since the task was made."""
    stale = (
        FollowupTask.select(FollowupTask.id)
        .join(Member, on=(FollowupTask.member == Member.id))
        .where(
            (FollowupTask.status.in_([TaskStatus.OPEN.value, TaskStatus.SNOOZED.value]))
            & FollowupTask.kind.in_(CLOSED_BY_PURCHASE)
            & (Member.last_purchase_at > FollowupTask.created_at)
        )
    )
    ids = [task_id for (task_id,) in stale.tuples()]
    if ids:
        FollowupTask.update(
            status=TaskStatus.DONE.value, outcome=Outcome.PURCHASED.value, outcome_at=now(), updated_at=now()
        ).where(FollowupTask.id.in_(ids)).execute()
    return len(ids)


def _not_listed_before(found: list[Candidate], wanted: int) -> list[Candidate]:
    """The first ``wanted`` candidates whose occasion never made a task (the best first, as sorted).

    Filtering before capping matters: members cut by yesterday's cap come first today, instead of
    yesterday's chosen ones filling the cap again and being thrown away as known.
    """
    fresh: list[Candidate] = []
    for start in range(0, len(found), 900):
        chunk = found[start : start + 900]
        known = {
            key
            for (key,) in FollowupTask.select(FollowupTask.key)
            .where(FollowupTask.key.in_([c.key for c in chunk]))
            .tuples()
        }
        fresh.extend(c for c in chunk if c.key not in known)
        if len(fresh) >= wanted:
            break
    return fresh[:wanted]


def _load(today: dt.date) -> int:
    """Contacts already on the day's list: open ones (carried over too), and those listed or worked today."""
    start = dt.datetime.combine(today, dt.time())
    return (
        FollowupTask.select()
        .where(
            ((FollowupTask.status == TaskStatus.OPEN.value) & (FollowupTask.list_date <= today))
            | ((FollowupTask.list_date == today) & (FollowupTask.status != TaskStatus.DROPPED.value))
            | (
                (FollowupTask.status == TaskStatus.DONE.value)
                & (FollowupTask.outcome_at >= start)
                & (FollowupTask.outcome_at < start + dt.timedelta(days=1))
            )
        )
        .count()
    )


def build_list(today: dt.date | None = None) -> BuildResult:
    """Add today's new contacts to the list (idempotent); close reminders for members who bought."""
    today = today or now().date()
    settings = followup_settings()
    with atomic():
        closed = _close_bought(today)
        # Snoozed tasks whose day has come are open again.
        FollowupTask.update(status=TaskStatus.OPEN.value, list_date=today, updated_at=now()).where(
            (FollowupTask.status == TaskStatus.SNOOZED.value) & (FollowupTask.snoozed_until <= today)
        ).execute()
        busy = {
            member_id
            for (member_id,) in FollowupTask.select(FollowupTask.member)
            .where((FollowupTask.status == TaskStatus.OPEN.value) | (FollowupTask.list_date == today))
            .tuples()
        }
        open_count = (
            FollowupTask.select()
            .where((FollowupTask.status == TaskStatus.OPEN.value) & (FollowupTask.list_date <= today))
            .count()
        )
        # The caps are per day: what was listed or worked today counts, so building again adds nobody.
        listed_today = dict(
            FollowupTask.select(FollowupTask.kind, fn.COUNT(FollowupTask.id))
            .where((FollowupTask.list_date == today) & (FollowupTask.status != TaskStatus.DROPPED.value))
            .group_by(FollowupTask.kind)
            .tuples()
        )
        candidates: list[Candidate] = []
        room = max(0, settings.capacity - _load(today))
        for kind, finder in FINDERS.items():
            kind_settings = settings.kind(kind)
            room_for_kind = kind_settings.daily_cap - listed_today.get(kind.value, 0)
            if room == 0 or not kind_settings.enabled or room_for_kind <= 0:
                continue  # a full day looks for no one (the reminder ranking alone is a second)
            found = [c for c in finder(today, kind_settings.days) if c.member_id not in busy]
            found.sort(key=lambda c: -c.score)
            candidates.extend(_not_listed_before(found, room_for_kind))
        triples = [(c.member_id, settings.kind(c.kind).priority, c.score) for c in candidates]
        chosen = [candidates[i] for i in pick_daily(triples, room)]
        staff = dict(
            Member.select(Member.id, Member.staff)
            .where(Member.id.in_([c.member_id for c in chosen] or [0]))
            .tuples()
        )
        stamp = now()
        chosen_members = {c.member_id for c in chosen}
        also: dict[int, list[Candidate]] = {}
        for candidate in candidates:
            if candidate.member_id in chosen_members and candidate not in chosen:
                also.setdefault(candidate.member_id, []).append(candidate)
        for candidate in chosen:
            unanswered = candidate.attempt - 1
            incentive = (
                candidate.kind is TaskKind.REPURCHASE
                and settings.unanswered_before_incentive > 0
                and unanswered >= settings.unanswered_before_incentive
            )
            reason = candidate.reason
            if incentive:
                reason = ngettext(
                    "{reason}. {count} reminder went unanswered: offer a coupon.",
                    "{reason}. {count} reminders went unanswered: offer a coupon.",
                    unanswered,
                ).format(reason=reason, count=unanswered)
            others = also.get(candidate.member_id, [])
            if others:
                # One contact a day: mention the member's other occasions in it, and mark them handled.
                reason = _("{reason}; also: {others}").format(
                    reason=reason, others=_("; ").join(other.reason for other in others)
                )
            task = FollowupTask.create(
                member=candidate.member_id,
                kind=candidate.kind.value,
                key=candidate.key,
                list_date=today,
                due_date=candidate.due_date,
                priority=settings.kind(candidate.kind).priority,
                reason=reason[:1000],
                staff=staff.get(candidate.member_id),
                attempt=candidate.attempt,
                suggest_incentive=incentive,
                created_at=stamp,
                updated_at=stamp,
            )
            for other in others:
                FollowupTask.create(
                    member=other.member_id,
                    kind=other.kind.value,
                    key=other.key,
                    list_date=today,
                    due_date=other.due_date,
                    reason=other.reason,
                    status=TaskStatus.DROPPED.value,
                    note=_("Mentioned in follow-up #{id}").format(id=task.id),
                    created_at=stamp,
                    updated_at=stamp,
                )
        return BuildResult(len(chosen), closed, open_count + len(chosen))


# ---- working the list -----------------------------------------------------------------------------------


def _view(row: FollowupTask, today: dt.date) -> TaskView:
    kind = TaskKind(row.kind)
    return TaskView(
        id=row.id,
        member_id=row.member_id,
        member_name=row.member.name,
        phone=row.member.phone or "",
        kind=kind,
        kind_label=_(KIND_LABELS[kind]),
        reason=row.reason,
        due_date=_date(row.due_date),
        list_date=_date(row.list_date),
        priority=row.priority,
        status=TaskStatus(row.status),
        outcome=Outcome(row.outcome) if row.outcome else None,
        staff_name=row.staff.name if row.staff_id and row.staff else "",
        note=row.note,
        suggest_incentive=row.suggest_incentive,
        carried_over=_date(row.list_date) < today,
    )


def _task_query() -> object:
    # Only what a task view shows of its member and staff: a member row has some forty columns, and reading
    # them all for each task was most of the time of loading the day's list.
    return (
        FollowupTask.select(FollowupTask, Member.id, Member.name, Member.phone, Staff.id, Staff.name)
        .join(Member, on=(FollowupTask.member == Member.id))
        .switch(FollowupTask)
        .join(Staff, JOIN.LEFT_OUTER, on=(FollowupTask.staff == Staff.id))
    )


@guarded
def todays_tasks(
    today: dt.date | None = None, *, staff_id: int | None = None, include_done: bool = True
) -> list[TaskView]:
    """Today's list: open tasks (carried over ones included) and, if asked, those worked today."""
    today = today or now().date()
    start = dt.datetime.combine(today, dt.time())
    condition = (FollowupTask.status == TaskStatus.OPEN.value) & (FollowupTask.list_date <= today)
    if include_done:
        condition |= (FollowupTask.status != TaskStatus.OPEN.value) & (FollowupTask.outcome_at >= start)
        condition |= (FollowupTask.status == TaskStatus.SNOOZED.value) & (FollowupTask.updated_at >= start)
    query = _task_query().where(condition)  # type: ignore[attr-defined]
    if staff_id is not None:
        query = query.where(FollowupTask.staff == staff_id)
    order = list(TaskKind)
    rows = [_view(row, today) for row in query]
    rows.sort(key=lambda t: (order.index(t.kind), -t.priority, t.due_date, t.id))
    return rows


@guarded
def open_task_count(today: dt.date | None = None) -> int:
    """How many contacts are left today (the badge on 今日跟进)."""
    today = today or now().date()
    return (
        FollowupTask.select()
        .where((FollowupTask.status == TaskStatus.OPEN.value) & (FollowupTask.list_date <= today))
        .count()
    )


def _task(task_id: int) -> FollowupTask:
    task = FollowupTask.get_or_none(FollowupTask.id == task_id)
    if task is None:
        raise NotFoundError(_("This follow-up no longer exists."))
    return task


def record_outcome(task_id: int, outcome: Outcome | str, note: str = "", *, operator: str = "") -> None:
    """Mark what came of a contact; it goes to the member's contact history."""
    outcome = Outcome(outcome)
    with atomic():
        task = _task(task_id)
        stamp = now()
        FollowupTask.update(
            status=TaskStatus.DONE.value,
            outcome=outcome.value,
            outcome_at=stamp,
            updated_at=stamp,
            note=(note or task.note).strip()[:1000],
        ).where(FollowupTask.id == task_id).execute()
        ContactLog.create(
            member=task.member_id,
            task=task_id,
            kind=task.kind,
            outcome=outcome.value,
            note=(note or "").strip()[:1000],
            operator=operator,
            created_at=stamp,
        )


def reopen_task(task_id: int) -> None:
    """Undo an outcome marked by mistake (the contact stays in the history)."""
    with atomic():
        _task(task_id)
        FollowupTask.update(
            status=TaskStatus.OPEN.value, outcome=None, outcome_at=None, updated_at=now()
        ).where(FollowupTask.id == task_id).execute()


def snooze_task(task_id: int, until: dt.date, note: str = "", *, today: dt.date | None = None) -> None:
    """Put a contact off to a later day; it comes back on the list that morning."""
    today = today or now().date()
    if until <= today:
        raise ValidationError("until", _("Choose a day after today."))
    with atomic():
        task = _task(task_id)
        if task.status == TaskStatus.DONE.value:
            raise ConflictError(_("This follow-up is done already."))
        FollowupTask.update(
            status=TaskStatus.SNOOZED.value,
            snoozed_until=until,
            updated_at=now(),
            note=(note or task.note).strip()[:1000],
        ).where(FollowupTask.id == task_id).execute()


def set_task_note(task_id: int, note: str) -> None:
    with atomic():
        _task(task_id)
        FollowupTask.update(note=(note or "").strip()[:1000], updated_at=now()).where(
            FollowupTask.id == task_id
        ).execute()


def add_manual_task(
    member_id: int,
    due_date: dt.date,
    reason: str,
    *,
    staff_id: int | None = None,
    today: dt.date | None = None,
) -> int:
    """A contact the shopkeeper plans by hand (it appears on the list on its day)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("reason", _("Please say what the contact is about."))
    today = today or now().date()
    with atomic():
        member = Member.get_or_none(Member.id == member_id)
        if member is None:
            raise NotFoundError(_("This member no longer exists."))
        stamp = now()
        return FollowupTask.create(
            member=member_id,
            kind=TaskKind.MANUAL.value,
            key=f"manual:{member_id}:{stamp.isoformat()}:{reason[:20]}",
            list_date=max(due_date, today),
            due_date=due_date,
            priority=followup_settings().kind(TaskKind.MANUAL).priority,
            reason=reason[:500],
            staff=staff_id if staff_id is not None else member.staff_id,
            created_at=stamp,
            updated_at=stamp,
        ).id


def close_on_purchase(member_id: int, purchase_id: int, when: dt.datetime) -> int:
    """A purchase closes the member's open repurchase and win-back tasks (inside its transaction)."""
    open_states = [TaskStatus.OPEN.value, TaskStatus.SNOOZED.value]
    kinds = list(CLOSED_BY_PURCHASE)
    return sql.run(
        "UPDATE followup_task SET status = ?, outcome = ?, outcome_at = ?, closing_purchase_id = ?,"
        f" updated_at = ? WHERE member_id = ? AND status IN ({sql.marks(len(open_states))})"
        f" AND kind IN ({sql.marks(len(kinds))})",
        [
            TaskStatus.DONE.value,
            Outcome.PURCHASED.value,
            sql.datetime_param(when),
            purchase_id,
            sql.datetime_param(now()),
            member_id,
            *open_states,
            *kinds,
        ],
    )


@guarded
def member_contacts(member_id: int, limit: int = 100) -> list[ContactView]:
    """A member's contact history, newest first."""
    query = (
        ContactLog.select().where(ContactLog.member == member_id).order_by(ContactLog.id.desc()).limit(limit)
    )
    return [ContactView(c.id, c.kind, Outcome(c.outcome), c.note, c.operator, c.created_at) for c in query]
