"""The points ledger (积分流水) to .xlsx or .csv: every change of points, oldest first, with its reason."""

from __future__ import annotations

import datetime as dt
import os

from shopdesk.db.database import current_database
from shopdesk.domain.points import EntryKind
from shopdesk.exchange import storage
from shopdesk.exchange.exporting import (
    ExportResult,
    MemberScope,
    audit_export,
    check_export,
    phone_text,
    resolve_scope,
    stream,
)
from shopdesk.exchange.writers import Column, Kind, write_table
from shopdesk.i18n import N_, _
from shopdesk.services.progress import Progress
from shopdesk.services.transactions import guarded

KIND_LABELS: dict[EntryKind, str] = {
    EntryKind.EARN: N_("Earned on a purchase"),
    EntryKind.REDEEM: N_("Used on a purchase"),
    EntryKind.GIFT: N_("Gift redeemed"),
    EntryKind.ADJUST: N_("Adjustment"),
    EntryKind.EXPIRE: N_("Expired"),
    EntryKind.REFUND: N_("Refund"),
    EntryKind.VISIT_REWARD: N_("Visit reward"),
    EntryKind.REFERRAL: N_("Referral reward"),
    EntryKind.BIRTHDAY: N_("Birthday reward"),
    EntryKind.OPENING: N_("Opening balance"),
}
COLUMNS = (
    ("date", N_("Date"), Kind.DATETIME),
    ("phone", N_("Phone"), Kind.TEXT),
    ("name", N_("Name"), Kind.TEXT),
    ("kind", N_("Kind"), Kind.TEXT),
    ("points", N_("Points"), Kind.INT),
    ("balance_after", N_("Balance after"), Kind.INT),
    ("reason", N_("Reason"), Kind.TEXT),
    ("operator", N_("Operator"), Kind.TEXT),
)
_SELECT = (
    "SELECT e.created_at, m.phone, m.name, e.kind, e.amount, e.balance_after, e.reason, e.operator"
    " FROM points_entry e JOIN member m ON m.id = e.member_id WHERE 1 = 1"
)


@guarded
def export_points(
    path: str | os.PathLike[str],
    *,
    scope: MemberScope | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    mask_phones: bool = False,
    progress: Progress | None = None,
    actor: str = "",
) -> ExportResult:
    """Write the ledger lines of the members in ``scope`` (all when None) from ``since`` to ``until``."""
    target, kind, masked = check_export(path, mask_phones)
    db = current_database()
    condition, params = "", []
    if since is not None:
        condition += f" AND e.created_at >= {db.param}"
        params.append(storage.timestamp(dt.datetime.combine(since, dt.time())))
    if until is not None:
        condition += f" AND e.created_at < {db.param}"
        params.append(storage.timestamp(dt.datetime.combine(until + dt.timedelta(days=1), dt.time())))
    if scope is not None:
        ids, member_condition, member_params = resolve_scope(
            db, MemberScope(scope.member_ids, scope.tag, scope.segment, include_archived=True)
        )
        if ids is not None:
            condition += " AND e.member_id IN ({})".format(", ".join(str(int(i)) for i in ids) or "NULL")
        condition += member_condition
        params.extend(member_params)
    total = int(
        db.execute_sql(
            "SELECT COUNT(*) FROM points_entry e JOIN member m ON m.id = e.member_id WHERE 1 = 1" + condition,
            params,
        ).fetchone()[0]
    )
    labels = {code.value: _(label) for code, label in KIND_LABELS.items()}
    phone = phone_text(masked)
    rows = (
        [
            when,
            phone(number) if number else None,
            name,
            labels.get(code, code),
            amount,
            balance,
            reason,
            operator,
        ]
        for when, number, name, code, amount, balance, reason, operator in stream(
            db, _SELECT + condition + " ORDER BY e.id", params
        )
    )
    out = [Column(key, _(label), column_kind) for key, label, column_kind in COLUMNS]
    count = write_table(
        target,
        out,
        rows,
        sheet_title=_("Points ledger"),
        total=total,
        progress=progress,
        message=_("Exporting the points ledger…"),
    )
    audit_export("export.points", target, out, count, masked, actor)
    return ExportResult(target, count, kind, masked)
