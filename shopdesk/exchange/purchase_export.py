"""Purchases to .xlsx or .csv, one row per sale, oldest first, for the members and dates asked for.

"Category" is the sale's main category (the line with the largest amount), so the sheet imports again
as one row per sale; "Items" lists every line (``面霜 ×2、面膜``) for people to read.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from peewee import Database

from shopdesk.db.database import current_database
from shopdesk.exchange import storage
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

PAGE = 2_000


@dataclass(frozen=True, slots=True)
class PurchaseColumn:
    key: str
    label: str  # N_()
    kind: Kind
    default: bool = True


PURCHASE_COLUMNS: tuple[PurchaseColumn, ...] = (
    PurchaseColumn("date", N_("Date"), Kind.DATETIME),
    PurchaseColumn("phone", N_("Phone"), Kind.TEXT),
    PurchaseColumn("name", N_("Name"), Kind.TEXT),
    PurchaseColumn("amount", N_("Amount"), Kind.MONEY),
    PurchaseColumn("paid", N_("Paid"), Kind.MONEY),
    PurchaseColumn("points_used", N_("Points used"), Kind.INT),
    PurchaseColumn("category", N_("Category"), Kind.TEXT),
    PurchaseColumn("items", N_("Items"), Kind.TEXT),
    PurchaseColumn("staff", N_("Staff"), Kind.TEXT),
    PurchaseColumn("note", N_("Note"), Kind.TEXT),
    PurchaseColumn("refunded_at", N_("Refunded"), Kind.DATETIME),
    PurchaseColumn("refund_reason", N_("Refund reason"), Kind.TEXT),
)
COLUMNS_BY_KEY = {column.key: column for column in PURCHASE_COLUMNS}

_SELECT = (
    "SELECT p.id, p.purchased_at, m.phone, m.name, p.amount_fen, p.paid_fen, p.points_used, s.name, p.note,"
    " p.refunded_at, p.refund_reason FROM purchase p LEFT JOIN member m ON m.id = p.member_id"
    " LEFT JOIN staff s ON s.id = p.staff_id WHERE 1 = 1"
)
_POSITIONS = {
    "date": 1,
    "phone": 2,
    "name": 3,
    "amount": 4,
    "paid": 5,
    "points_used": 6,
    "staff": 7,
    "note": 8,
    "refunded_at": 9,
    "refund_reason": 10,
}


@guarded
def export_purchases(
    path: str | os.PathLike[str],
    *,
    columns: Sequence[str] | None = None,
    scope: MemberScope | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    mask_phones: bool = False,
    progress: Progress | None = None,
    actor: str = "",
) -> ExportResult:
    """Write the sales of the members in ``scope`` (every sale when None) from ``since`` to ``until``."""
    export = check_export(path, mask_phones)
    chosen = []
    for key in columns or [column.key for column in PURCHASE_COLUMNS if column.default]:
        if key not in COLUMNS_BY_KEY:
            raise ValueError(f"unknown purchase column {key!r}")
        chosen.append(COLUMNS_BY_KEY[key])
    db = current_database()
    days, day_params = date_range_condition(db, "p.purchased_at", since, until)
    members, member_params = member_scope_condition(db, scope, "p.member_id")
    condition, params = days + members, day_params + member_params
    total = int(
        db.execute_sql(
            "SELECT COUNT(*) FROM purchase p LEFT JOIN member m ON m.id = p.member_id WHERE 1 = 1"
            + condition,
            params,
        ).fetchone()[0]
    )
    phone = phone_text(export.masked)
    keys = [column.key for column in chosen]
    needs_items = "category" in keys or "items" in keys

    def rows() -> Iterator[list[object]]:
        raw = stream(db, _SELECT + condition + " ORDER BY p.purchased_at, p.id", params)
        while True:
            page = [row for _index, row in zip(range(PAGE), raw, strict=False)]
            if not page:
                return
            lines = _lines(db, [row[0] for row in page]) if needs_items else {}
            for row in page:
                yield [_value(key, row, lines, phone) for key in keys]

    return finish_export(
        export,
        "export.purchases",
        [(column.key, column.label, column.kind) for column in chosen],
        rows(),
        total=total,
        sheet_title=_("Purchases"),
        message=_("Exporting purchases…"),
        progress=progress,
        actor=actor,
    )


def _lines(db: Database, purchase_ids: list[int]) -> dict[int, list[tuple[str, str, int, int]]]:
    """Each purchase's lines as (category, name, quantity, amount), in the order they were entered."""
    found: dict[int, list[tuple[str, str, int, int]]] = {}
    for part in storage.chunks(purchase_ids):
        marks = ", ".join([db.param] * len(part))
        rows = db.execute_sql(
            "SELECT i.purchase_id, c.name, i.name, i.qty, i.amount_fen FROM purchase_item i"
            f" LEFT JOIN category c ON c.id = i.category_id WHERE i.purchase_id IN ({marks}) ORDER BY i.id",
            list(part),
        ).fetchall()
        for purchase_id, category, name, qty, amount in rows:
            found.setdefault(purchase_id, []).append((category or "", name or "", qty, amount))
    return found


def _value(key: str, row: tuple, lines: dict, phone: object) -> object:
    if key == "phone":
        return phone(row[2]) if row[2] else None  # type: ignore[operator]
    if key == "category":
        items = lines.get(row[0])
        if not items:
            return None
        main = max(items, key=lambda line: line[3])  # the first of the largest lines
        return main[0] or None
    if key == "items":
        items = lines.get(row[0])
        if not items:
            return None
        return "、".join(
            (name or category) + (f" ×{qty}" if qty != 1 else "") for category, name, qty, _amount in items
        )
    return row[_POSITIONS[key]]
