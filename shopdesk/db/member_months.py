"""Pre-summed sales for the dashboard: each member's purchases by month (``member_month``) and each
category's sales by day (``category_day``), refreshed with every purchase and refund.

The dashboard's monthly figures — new versus returning customers and their sales, repurchase rate by
month — become a scan of a small covering index. A member's rows are recomputed from their purchases
(a handful of rows), so backdated sales and refunds stay exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from peewee import Database, PostgresqlDatabase

from shopdesk.db.models import database_proxy


def month_of(column: str, db: Database) -> str:
    """SQL for the ``YYYY-MM`` month of a timestamp column."""
    if isinstance(db, PostgresqlDatabase):
        return f"to_char({column}, 'YYYY-MM')"
    return f"substr({column}, 1, 7)"


def _insert_select(db: Database, where: str) -> str:
    return (
        "INSERT INTO member_month (member_id, month, orders, paid_fen, first_month) "
        f"SELECT p.member_id, {month_of('p.purchased_at', db)}, COUNT(*), SUM(p.paid_fen), "
        f"{month_of('p.purchased_at', db)} = {month_of('m.first_purchase_at', db)} "
        "FROM purchase p JOIN member m ON m.id = p.member_id "
        f"WHERE p.refunded_at IS NULL AND {where} "
        f"GROUP BY p.member_id, {month_of('p.purchased_at', db)}, {month_of('m.first_purchase_at', db)}"
    )


def refresh_member_months(member_ids: Sequence[int]) -> None:
    """Recompute the monthly rows of these members (call inside the transaction that changed them)."""
    if not member_ids:
        return
    db = database_proxy.obj
    marks = ", ".join([db.param] * len(member_ids))
    db.execute_sql(f"DELETE FROM member_month WHERE member_id IN ({marks})", list(member_ids))
    db.execute_sql(_insert_select(db, f"p.member_id IN ({marks})"), list(member_ids))


def add_to_member_month(member_id: int, when: dt.datetime, paid_fen: int, first: dt.datetime) -> None:
    """Fold one new sale into its month's row (a sale not dated before the member's first purchase, whose
    ``first`` purchase is then unchanged or is this one): an upsert instead of recomputing the member."""
    db = database_proxy.obj
    month = when.strftime("%Y-%m")
    param = db.param
    db.execute_sql(
        "INSERT INTO member_month (member_id, month, orders, paid_fen, first_month) "
        f"VALUES ({param}, {param}, 1, {param}, {param}) ON CONFLICT (member_id, month) "
        "DO UPDATE SET orders = member_month.orders + 1,"
        " paid_fen = member_month.paid_fen + excluded.paid_fen",
        [member_id, month, paid_fen, month == first.strftime("%Y-%m")],
    )


def rebuild_member_months(db: Database | None = None) -> None:
    """Recompute every member's monthly rows (after an import, a demo build, or a data repair)."""
    db = db or database_proxy.obj
    with db.atomic():
        db.execute_sql("DELETE FROM member_month")
        db.execute_sql(_insert_select(db, "p.member_id IS NOT NULL"))


def _day_of(column: str, db: Database) -> str:
    if isinstance(db, PostgresqlDatabase):
        return f"CAST({column} AS DATE)"
    return f"substr({column}, 1, 10)"


def add_category_sales(purchase_id: int, sign: int = 1) -> None:
    """Add (or, with ``sign=-1``, remove) a purchase's items to the category-by-day sums."""
    db = database_proxy.obj
    param = db.param
    rows = db.execute_sql(
        f"SELECT COALESCE(i.category_id, 0), {_day_of('p.purchased_at', db)}, SUM(i.amount_fen) "
        f"FROM purchase_item i JOIN purchase p ON p.id = i.purchase_id WHERE p.id = {param} GROUP BY 1, 2",
        [purchase_id],
    ).fetchall()
    for category_id, day, amount in rows:
        db.execute_sql(
            f"INSERT INTO category_day (category_id, day, amount_fen) VALUES ({param}, {param}, {param}) "
            "ON CONFLICT (day, category_id) "
            "DO UPDATE SET amount_fen = category_day.amount_fen + excluded.amount_fen",
            [category_id, day, sign * int(amount)],
        )


def rebuild_category_days(db: Database | None = None) -> None:
    """Recompute the category-by-day sums from the live purchases."""
    db = db or database_proxy.obj
    with db.atomic():
        db.execute_sql("DELETE FROM category_day")
        db.execute_sql(
            "INSERT INTO category_day (category_id, day, amount_fen) "
            f"SELECT COALESCE(i.category_id, 0), {_day_of('p.purchased_at', db)}, SUM(i.amount_fen) "
            "FROM purchase_item i JOIN purchase p ON p.id = i.purchase_id WHERE p.refunded_at IS NULL "
            f"GROUP BY COALESCE(i.category_id, 0), {_day_of('p.purchased_at', db)}"
        )
