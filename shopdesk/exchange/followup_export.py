"""Follow-up tasks (跟进记录) to .xlsx or .csv: one row per task, by the day it was put on the list.

The day's list (今日跟进) is worked on screen or on paper and then forgotten; this export is its history:
who was to be contacted on which day, why (the reason for contact in words, and the details as the list
showed them), what came of it and when, who was in charge, and the note. The details are stored as
written when the list was built, so they stay in the language of that day.
"""

from __future__ import annotations

import datetime as dt
import os

from shopdesk.db.database import current_database
from shopdesk.domain.followups import KIND_LABELS, OUTCOME_LABELS, TaskStatus
from shopdesk.exchange.exporting import (
    ExportResult,
    MemberScope,
    check_export,
    date_range_condition,
    finish_export,
    member_scope_condition,
    phone_text,
    stream,
)
from shopdesk.exchange.writers import Kind
from shopdesk.i18n import N_, _
from shopdesk.services.progress import Progress
from shopdesk.services.transactions import guarded

STATUS_LABELS: dict[TaskStatus, str] = {
    TaskStatus.OPEN: N_("To contact"),
    TaskStatus.DONE: N_("Done"),
    TaskStatus.SNOOZED: N_("Put off"),
    TaskStatus.DROPPED: N_("Dropped"),
}
COLUMNS = (
    ("list_date", N_("List date"), Kind.DATE),
    ("name", N_("Name"), Kind.TEXT),
    ("phone", N_("Phone"), Kind.TEXT),
    ("kind", N_("Reason for contact"), Kind.TEXT),
    ("reason", N_("Details"), Kind.TEXT),
    ("due_date", N_("Due date"), Kind.DATE),
    ("status", N_("Status"), Kind.TEXT),
    ("outcome", N_("Result"), Kind.TEXT),
    ("outcome_at", N_("Result recorded"), Kind.DATETIME),
    ("snoozed_until", N_("Put off until"), Kind.DATE),
    ("staff", N_("Staff"), Kind.TEXT),
    ("note", N_("Note"), Kind.TEXT),
)
_FROM = (
    " FROM followup_task f JOIN member m ON m.id = f.member_id LEFT JOIN staff s ON s.id = f.staff_id"
    " WHERE 1 = 1"
)
_SELECT = (
    "SELECT f.list_date, m.name, m.phone, f.kind, f.reason, f.due_date, f.status, f.outcome, f.outcome_at,"
    " f.snoozed_until, s.name, f.note" + _FROM
)


@guarded
def export_followups(
    path: str | os.PathLike[str],
    *,
    scope: MemberScope | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    mask_phones: bool = False,
    progress: Progress | None = None,
    actor: str = "",
) -> ExportResult:
    """Write the follow-ups of the members in ``scope`` (all when None) listed from ``since`` to ``until``."""
    export = check_export(path, mask_phones)
    db = current_database()
    days, day_params = date_range_condition(db, "f.list_date", since, until, column_is_date=True)
    members, member_params = member_scope_condition(db, scope, "f.member_id")
    condition, params = days + members, day_params + member_params
    total = int(db.execute_sql("SELECT COUNT(*)" + _FROM + condition, params).fetchone()[0])
    kinds = {code.value: _(label) for code, label in KIND_LABELS.items()}
    outcomes = {code.value: _(label) for code, label in OUTCOME_LABELS.items()}
    statuses = {code.value: _(label) for code, label in STATUS_LABELS.items()}
    phone = phone_text(export.masked)
    rows = (
        [
            list_date,
            name,
            phone(number) if number else None,
            kinds.get(kind_code, kind_code),
            reason or None,
            due_date,
            statuses.get(status, status),
            outcomes.get(outcome, outcome) if outcome else None,
            outcome_at,
            snoozed_until if status == TaskStatus.SNOOZED else None,
            staff,
            note or None,
        ]
        for (
            list_date,
            name,
            number,
            kind_code,
            reason,
            due_date,
            status,
            outcome,
            outcome_at,
            snoozed_until,
            staff,
            note,
        ) in stream(db, _SELECT + condition + " ORDER BY f.list_date, f.id", params)
    )
    return finish_export(
        export,
        "export.followups",
        COLUMNS,
        rows,
        total=total,
        sheet_title=_("Follow-ups"),
        message=_("Exporting follow-ups…"),
        progress=progress,
        actor=actor,
    )
