"""What every export shares: who may export, which members and days, phone masking, the audit entry.

Exports are sensitive (a file of phone numbers leaves the shop), so each one checks the permission of
the person logged in (``check_export``), masks phones when asked or when that person may not see them in
full, and ends with ``finish_export``, which writes the file and leaves an entry in the audit log with
the row count. The exports of things that happened on a day (purchases, points, coupons, follow-ups)
filter their rows with ``date_range_condition`` and ``member_scope_condition``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from peewee import Database

from shopdesk.domain.phones import mask_phone
from shopdesk.errors import UserError
from shopdesk.exchange import storage
from shopdesk.exchange.writers import Column, Kind, file_format, write_table
from shopdesk.i18n import _
from shopdesk.services import session
from shopdesk.services.audit import record_audit
from shopdesk.services.progress import Progress
from shopdesk.services.transactions import atomic

FETCH = 2_000


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What was written where."""

    path: Path
    rows: int
    file_format: str
    masked: bool


@dataclass(frozen=True, slots=True)
class ExportFile:
    """The file an export writes, its format, and whether its phones are masked (``check_export``)."""

    path: Path
    file_format: str
    masked: bool


@dataclass(frozen=True, slots=True)
class MemberScope:
    """Which members an export covers: all, a list of ids (in that order), a tag, or a saved segment."""

    member_ids: Sequence[int] | None = None
    tag: str | None = None
    segment: str | None = None
    include_archived: bool = False


def check_export(path: str | os.PathLike[str], mask_phones: bool) -> ExportFile:
    """The file to write, after the permission check; clerks always get masked phones."""
    session.require(session.Permission.EXPORT)
    target = Path(path)
    kind = file_format(target)
    masked = mask_phones or not session.can(session.Permission.FULL_PHONES)
    return ExportFile(target, kind, masked)


def phone_text(masked: bool) -> object:
    """A function giving a phone as exported: whole, or 138****8000."""
    if masked:
        return lambda phone: mask_phone(phone) if phone else phone
    return lambda phone: phone


def resolve_scope(db: Database, scope: MemberScope) -> tuple[list[int] | None, str, list[object]]:
    """(ordered ids or None, extra SQL condition on ``m``, its parameters) for the member query."""
    ids: list[int] | None = list(scope.member_ids) if scope.member_ids is not None else None
    condition, params = "", []
    if scope.segment:
        from shopdesk.services.segments import find_segment, segment_member_ids

        saved = find_segment(scope.segment)
        if saved is None:
            raise UserError(_("There is no saved segment called {name}.").format(name=scope.segment))
        segment_ids = segment_member_ids(saved.filter)
        ids = segment_ids if ids is None else [i for i in ids if i in set(segment_ids)]
    if scope.tag:
        row = db.execute_sql(f"SELECT id FROM tag WHERE name = {db.param}", (scope.tag.strip(),)).fetchone()
        if row is None:
            raise UserError(_("There is no tag called {name}.").format(name=scope.tag))
        condition = f" AND m.id IN (SELECT member_id FROM member_tag WHERE tag_id = {db.param})"
        params = [row[0]]
    if not scope.include_archived:
        condition += " AND m.archived_at IS NULL"
    return ids, condition, params


def date_range_condition(
    db: Database, column: str, since: dt.date | None, until: dt.date | None, *, column_is_date: bool = False
) -> tuple[str, list[object]]:
    """SQL condition (`` AND …``) and parameters keeping the rows of ``column`` from ``since`` to ``until``,
    both days included (either may be None: no limit on that side).

    A timestamp column is compared with midnight of ``since`` and, so that all of the last day counts,
    with midnight of the day after ``until``; a date column with the two days themselves.
    """
    condition, params = "", []
    if since is not None:
        condition += f" AND {column} >= {db.param}"
        params.append(since.isoformat() if column_is_date else _midnight(since))
    if until is not None:
        if column_is_date:
            condition += f" AND {column} <= {db.param}"
            params.append(until.isoformat())
        else:
            condition += f" AND {column} < {db.param}"
            params.append(_midnight(until + dt.timedelta(days=1)))
    return condition, params


def _midnight(day: dt.date) -> str | None:
    return storage.timestamp(dt.datetime.combine(day, dt.time()))


def member_scope_condition(db: Database, scope: MemberScope | None, column: str) -> tuple[str, list[object]]:
    """SQL condition (`` AND …``) and parameters keeping the rows whose member (``column``, with the
    member joined as ``m``) is in ``scope``; every row when ``scope`` is None.

    Archived members count: their purchases, points, coupons and follow-ups are still the shop's history.
    """
    if scope is None:
        return "", []
    ids, condition, params = resolve_scope(db, dataclasses.replace(scope, include_archived=True))
    if ids is None:
        return condition, list(params)
    if not ids:
        return " AND 1 = 0", []
    # A temporary list of ids would be neater; an IN list of literal integers is portable and safe (they
    # are ints), and SQLite and PostgreSQL both take tens of thousands of them.
    members = ", ".join(str(int(member_id)) for member_id in ids)
    return f" AND {column} IN ({members})" + condition, list(params)


def stream(db: Database, sql: str, params: Sequence[object]) -> Iterator[tuple]:
    """Rows of ``sql`` a page at a time (the whole result never sits in memory)."""
    cursor = db.execute_sql(sql, list(params))
    while True:
        page = cursor.fetchmany(FETCH)
        if not page:
            return
        yield from page


def stream_ids(db: Database, sql: str, params: Sequence[object], ids: Sequence[int]) -> Iterator[tuple]:
    """Rows of ``sql`` (with an ``{ids}`` IN list on the first column) in the order of ``ids``."""
    for part in storage.chunks(ids):
        marks = ", ".join([db.param] * len(part))
        rows = {row[0]: row for row in db.execute_sql(sql.format(ids=marks), [*part, *params]).fetchall()}
        for member_id in part:
            row = rows.get(member_id)
            if row is not None:
                yield row


def finish_export(
    export: ExportFile,
    action: str,
    columns: Iterable[tuple[str, str, Kind]],
    rows: Iterable[Sequence[object]],
    *,
    total: int,
    sheet_title: str,
    message: str,
    progress: Progress | None,
    actor: str,
) -> ExportResult:
    """Write ``rows`` under ``columns`` (key, untranslated title, kind), then leave the audit entry
    ``action``: every export ends this way, so none can write a file without its audit entry."""
    out = [Column(key, _(title), kind) for key, title, kind in columns]
    count = write_table(
        export.path, out, rows, sheet_title=sheet_title, total=total, progress=progress, message=message
    )
    audit_export(action, export.path, out, count, export.masked, actor)
    return ExportResult(export.path, count, export.file_format, export.masked)


def audit_export(
    action: str, target: Path, columns: Sequence[Column], rows: int, masked: bool, actor: str
) -> None:
    """The audit entry of an export (after the file is written: a failed export leaves none)."""
    with atomic():
        record_audit(
            action,
            target.name[:60],
            {"rows": rows, "masked": masked, "columns": [column.key for column in columns]},
            actor=actor or session.current().operator,
        )
