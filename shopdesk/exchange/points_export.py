"""The points ledger (积分流水) to .xlsx or .csv: every change of points, oldest first, with its reason."""

from __future__ import annotations

import datetime as dt
import os

from shopdesk.db.database import current_database
from shopdesk.domain.points import EntryKind
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
    export = check_export(path, mask_phones)
    db = current_database()
    days, day_params = date_range_condition(db, "e.created_at", since, until)
    members, member_params = member_scope_condition(db, scope, "e.member_id")
    condition, params = days + members, day_params + member_params
    total = int(
        db.execute_sql(
            "SELECT COUNT(*) FROM points_entry e JOIN member m ON m.id = e.member_id WHERE 1 = 1" + condition,
            params,
        ).fetchone()[0]
    )
    labels = {code.value: _(label) for code, label in KIND_LABELS.items()}
    phone = phone_text(export.masked)
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
    return finish_export(
        export,
        "export.points",
        COLUMNS,
        rows,
        total=total,
        sheet_title=_("Points ledger"),
        message=_("Exporting the points ledger…"),
        progress=progress,
        actor=actor,
    )
