"""Issued coupons (优惠券) to .xlsx or .csv: one row per coupon, in the order they were issued.

Each row says what the coupon is (its template and terms in words, 满¥100.00减¥20.00), whose it is, when
it was issued and how long it lasts (real dates), its status as the Coupons page shows it ("expired" is
an unused coupon past its last day, worked out for ``today``), and, once used, the sale it was used on
and the money it took off. The GUI passes the Coupons page's filters (status, template, search text), so
the file holds what the page shows; the CLI filters by member tag or segment and by issue date.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from peewee import Database

from shopdesk.db.database import current_database
from shopdesk.db.models import CouponTemplate, now
from shopdesk.domain.coupons import CouponStatus, describe, normalize_code, status_on
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
from shopdesk.services.coupon_templates import view_of
from shopdesk.services.progress import Progress
from shopdesk.services.transactions import guarded

# The same words as the Coupons page's status column.
STATUS_LABELS: dict[CouponStatus, str] = {
    CouponStatus.UNUSED: N_("Unused"),
    CouponStatus.USED: N_("Used"),
    CouponStatus.EXPIRED: N_("Expired"),
    CouponStatus.VOID: N_("Void"),
}
COLUMNS = (
    ("code", N_("Code"), Kind.TEXT),
    ("template", N_("Coupon template"), Kind.TEXT),
    ("terms", N_("Terms"), Kind.TEXT),
    ("name", N_("Name"), Kind.TEXT),
    ("phone", N_("Phone"), Kind.TEXT),
    ("issued_at", N_("Issued on"), Kind.DATETIME),
    ("valid_from", N_("Valid from"), Kind.DATE),
    ("valid_until", N_("Valid until"), Kind.DATE),
    ("status", N_("Status"), Kind.TEXT),
    ("used_at", N_("Used on"), Kind.DATETIME),
    ("sale_amount", N_("Sale amount"), Kind.MONEY),
    ("discount", N_("Money off"), Kind.MONEY),
    ("void_reason", N_("Void reason"), Kind.TEXT),
    ("batch", N_("Issued to"), Kind.TEXT),
)
_FROM = (
    " FROM coupon c JOIN member m ON m.id = c.member_id LEFT JOIN purchase p ON p.id = c.purchase_id"
    " LEFT JOIN coupon_batch b ON b.id = c.batch_id WHERE 1 = 1"
)
_SELECT = (
    "SELECT c.code, c.template_id, m.name, m.phone, c.issued_at, c.valid_from, c.valid_until, c.status,"
    " c.used_at, p.amount_fen, c.discount_fen, c.void_reason, b.source, b.label" + _FROM
)


@dataclass(frozen=True, slots=True)
class CouponFilter:
    """The Coupons page's filters: a status (expired is derived), a template, a code / name / phone tail."""

    status: CouponStatus | None = None
    template_id: int | None = None
    text: str = ""


def batch_text(source: str | None, label: str | None) -> str | None:
    """How a batch was issued, in words, as the Coupons page says it (never a code like ``rule:…``)."""
    if source is None:
        return None
    label = label or ""
    if source.startswith("rule:"):
        return label or _("Issued by a rule")
    if source == "segment":
        return _("Segment: {name}").format(name=label)
    if source == "tag":
        return _("Tag: {name}").format(name=label)
    return label or _("Issued by hand")


@guarded
def export_coupons(
    path: str | os.PathLike[str],
    *,
    scope: MemberScope | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    coupons: CouponFilter | None = None,
    today: dt.date | None = None,
    mask_phones: bool = False,
    progress: Progress | None = None,
    actor: str = "",
) -> ExportResult:
    """Write the coupons of the members in ``scope`` (all when None) issued from ``since`` to ``until``."""
    export = check_export(path, mask_phones)
    today = today or now().date()
    db = current_database()
    days, day_params = date_range_condition(db, "c.issued_at", since, until)
    page, page_params = _page_condition(db, coupons or CouponFilter(), today)
    members, member_params = member_scope_condition(db, scope, "c.member_id")
    condition, params = days + page + members, day_params + page_params + member_params
    total = int(db.execute_sql("SELECT COUNT(*)" + _FROM + condition, params).fetchone()[0])
    templates = {row.id: view_of(row) for row in CouponTemplate.select()}
    names = {key: template.name for key, template in templates.items()}
    terms = {key: describe(template.terms, template.gift_name) for key, template in templates.items()}
    labels = {status: _(label) for status, label in STATUS_LABELS.items()}
    phone = phone_text(export.masked)
    rows = (
        [
            code,
            names.get(template_id),
            terms.get(template_id),
            name,
            phone(number) if number else None,
            issued_at,
            valid_from,
            valid_until,
            labels[status_on(status, _day(valid_until), today)],
            used_at,
            amount if status == CouponStatus.USED else None,
            discount if status == CouponStatus.USED else None,
            void_reason or None,
            batch_text(source, label),
        ]
        for (
            code,
            template_id,
            name,
            number,
            issued_at,
            valid_from,
            valid_until,
            status,
            used_at,
            amount,
            discount,
            void_reason,
            source,
            label,
        ) in stream(db, _SELECT + condition + " ORDER BY c.id", params)
    )
    return finish_export(
        export,
        "export.coupons",
        COLUMNS,
        rows,
        total=total,
        sheet_title=_("Coupons"),
        message=_("Exporting coupons…"),
        progress=progress,
        actor=actor,
    )


def _day(value: object) -> dt.date:
    """A date column as SQLite (text) or PostgreSQL (date) returns it."""
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _page_condition(db: Database, coupons: CouponFilter, today: dt.date) -> tuple[str, list[object]]:
    """SQL condition and parameters for the Coupons page's filters."""
    condition, params = "", []
    mark = db.param
    status = coupons.status
    if status is CouponStatus.EXPIRED:
        condition += f" AND c.status = 'unused' AND c.valid_until < {mark}"
        params.append(today.isoformat())
    elif status is CouponStatus.UNUSED:
        condition += f" AND c.status = 'unused' AND c.valid_until >= {mark}"
        params.append(today.isoformat())
    elif status is not None:
        condition += f" AND c.status = {mark}"
        params.append(status.value)
    if coupons.template_id is not None:
        condition += f" AND c.template_id = {mark}"
        params.append(int(coupons.template_id))
    text = coupons.text.strip()
    if text:
        # As the page's search box: the whole code, part of the name, or the phone's last digits.
        pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        condition += (
            f" AND (c.code = {mark} OR m.name LIKE {mark} ESCAPE '\\' OR m.phone LIKE {mark} ESCAPE '\\')"
        )
        params.extend([normalize_code(text), f"%{pattern}%", f"%{pattern}"])
    return condition, params
