"""Recording a sale through the core against a bare ``sqlite3`` transaction writing the same two rows.

Both run on one private copy of the shop (the cache stays pristine), alternately, with the pragmas the
app uses, so both pay the same fsync per commit (``synchronous=FULL``): the ratio is the core's overhead
(validation, Peewee, and every side effect the later features hang on a purchase).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path

from shopdesk.bench.context import BenchContext
from shopdesk.bench.registry import Measurement, metric
from shopdesk.bench.timing import median, paired_samples

PURCHASES = 200
QUICK_PURCHASES = 20
WARM_UP = 5

INSERT_SQL = """
INSERT INTO purchase (uid, member_id, purchased_at, amount_fen, paid_fen, staff_id, note, created_at,
                      refunded_at, refund_reason)
VALUES (?, ?, ?, ?, ?, NULL, '', ?, NULL, '')
"""
UPDATE_SQL = """
UPDATE member SET
  purchase_count = purchase_count + 1,
  total_spent_fen = total_spent_fen + ?1,
  first_purchase_at = CASE WHEN first_purchase_at IS NULL OR first_purchase_at > ?2 THEN ?2
                           ELSE first_purchase_at END,
  last_purchase_at = CASE WHEN last_purchase_at IS NULL OR last_purchase_at < ?2 THEN ?2
                          ELSE last_purchase_at END
WHERE id = ?3
"""


def bare_connection(path: Path) -> sqlite3.Connection:
    """A plain ``sqlite3`` connection with the app's pragmas, in autocommit mode (we say BEGIN ourselves)."""
    from shopdesk.db.database import BUSY_TIMEOUT_SECONDS, SQLITE_PRAGMAS

    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    for name, value in SQLITE_PRAGMAS.items():
        connection.execute(f"PRAGMA {name} = {value}")
    return connection


def bare_purchase(connection: sqlite3.Connection, member_id: int, amount_fen: int) -> None:
    """One sale the shortest way: BEGIN IMMEDIATE; one INSERT; one UPDATE; COMMIT."""
    when = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute(INSERT_SQL, (uuid.uuid4().hex, member_id, when, amount_fen, amount_fen, when))
        connection.execute(UPDATE_SQL, (amount_fen, when, member_id))
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


@metric("record_purchase", unit="ms", max_ratio=3, order=30)
def record_purchase(context: BenchContext) -> Measurement:
    """Median time of one sale for a real member, through ``services.purchases.record_purchase``."""
    from shopdesk.services.purchases import PurchaseInput
    from shopdesk.services.purchases import record_purchase as record

    rng = context.rng("purchases")
    count = context.repeat(PURCHASES, QUICK_PURCHASES)
    members = [sample.id for sample in context.member_samples(count + WARM_UP)]
    sales = [(members[index % len(members)], rng.randrange(500, 100_000)) for index in range(count + WARM_UP)]
    path = context.copy_shop("record_purchase")
    with context.database(path) as database:
        bare = bare_connection(path)
        try:
            before = _count(database)

            def service(sale: object) -> object:
                member_id, amount = sale  # type: ignore[misc]
                return record(PurchaseInput(member_id=member_id, amount_fen=amount))

            def baseline(sale: object) -> None:
                member_id, amount = sale  # type: ignore[misc]
                bare_purchase(bare, member_id, amount)

            for sale in sales[:WARM_UP]:
                service(sale)
                baseline(sale)
            service_times, baseline_times, _ = paired_samples(sales[WARM_UP:], service, baseline)
            written = _count(database) - before
        finally:
            bare.close()
    if written != 2 * len(sales):
        raise AssertionError(f"expected {2 * len(sales)} new purchases, found {written}")
    return Measurement(
        value=median(service_times) * 1000,
        baseline=median(baseline_times) * 1000,
        notes=[f"{count} sales each way on a copy of the shop; synchronous=FULL (one fsync per sale)"],
    )


def _count(database: object) -> int:
    return database.execute_sql("SELECT count(*) FROM purchase").fetchone()[0]  # type: ignore[attr-defined]


BARE_COUPON_SQL = """
UPDATE coupon SET status = 'used', used_at = ?, purchase_id = ?, discount_fen = ?
WHERE id = ? AND status = 'unused'
"""
BARE_POINTS_SQL = """
INSERT INTO points_entry (member_id, kind, amount, balance_after, purchase_id, key, operator, reason,
                          created_at)
VALUES (?, 'redeem', ?, 0, ?, ?, '', '', ?)
"""
COUPON_OFF_FEN = 5_00
POINTS_USED = 100


def bare_checkout(connection: sqlite3.Connection, member_id: int, amount_fen: int, coupon_id: int) -> None:
    """A sale with a coupon and points the shortest way: the purchase, the member's figures and balance,
    the coupon marked used and one ledger entry, in one transaction."""
    when = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
    connection.execute("BEGIN IMMEDIATE")
    try:
        purchase_id = connection.execute(
            INSERT_SQL, (uuid.uuid4().hex, member_id, when, amount_fen, amount_fen - COUPON_OFF_FEN, when)
        ).lastrowid
        connection.execute(UPDATE_SQL, (amount_fen - COUPON_OFF_FEN, when, member_id))
        connection.execute(
            "UPDATE member SET points_balance = points_balance - ? WHERE id = ?", (POINTS_USED, member_id)
        )
        connection.execute(BARE_COUPON_SQL, (when, purchase_id, COUPON_OFF_FEN, coupon_id))
        connection.execute(
            BARE_POINTS_SQL, (member_id, -POINTS_USED, purchase_id, f"bare:{purchase_id}:redeem", when)
        )
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


@metric("checkout_coupon_points", unit="ms", max_ratio=3, order=31)
def checkout_coupon_points(context: BenchContext) -> Measurement:
    """Median time of a checkout that uses a ¥5 coupon and 100 points, through ``record_purchase``,
    against bare SQL writing the purchase, the member, the coupon and one ledger entry."""
    from shopdesk.domain.coupons import CouponKind
    from shopdesk.services.coupon_templates import TemplateInput, create_template
    from shopdesk.services.coupons import issue_coupons
    from shopdesk.services.points import adjust_points
    from shopdesk.services.purchases import PurchaseInput
    from shopdesk.services.purchases import record_purchase as record

    rng = context.rng("checkout")
    count = context.repeat(PURCHASES, QUICK_PURCHASES)
    members = [sample.id for sample in context.member_samples(count + WARM_UP)]
    path = context.copy_shop("checkout_coupon_points")
    with context.database(path) as database:
        template = create_template(
            TemplateInput(
                name="bench ¥5", kind=CouponKind.CASH.value, value_fen=COUPON_OFF_FEN, valid_days=30
            )
        )
        for _round in range(2):  # one coupon for the service's sale, one for the bare one
            issue_coupons(template, members, source="bench")
        coupons: dict[int, list[int]] = {}
        for coupon_id, member_id in database.execute_sql(  # type: ignore[attr-defined]
            "SELECT id, member_id FROM coupon WHERE template_id = ? ORDER BY id", [template]
        ).fetchall():
            coupons.setdefault(member_id, []).append(coupon_id)
        for member_id in members:
            adjust_points(member_id, 2 * POINTS_USED, "bench")
        sales = [(member_id, rng.randrange(50_00, 1000_00)) for member_id in members]
        bare = bare_connection(path)
        try:

            def service(sale: object) -> object:
                member_id, amount = sale  # type: ignore[misc]
                return record(
                    PurchaseInput(
                        member_id=member_id,
                        amount_fen=amount,
                        coupon_id=coupons[member_id][0],
                        points_to_use=POINTS_USED,
                    )
                )

            def baseline(sale: object) -> None:
                member_id, amount = sale  # type: ignore[misc]
                bare_checkout(bare, member_id, amount, coupons[member_id][1])

            for sale in sales[:WARM_UP]:
                service(sale)
                baseline(sale)
            service_times, baseline_times, _ = paired_samples(sales[WARM_UP:], service, baseline)
            used = database.execute_sql(  # type: ignore[attr-defined]
                "SELECT COUNT(*) FROM coupon WHERE template_id = ? AND status = 'used'", [template]
            ).fetchone()[0]
        finally:
            bare.close()
    if used != 2 * len(sales):
        raise AssertionError(f"expected {2 * len(sales)} coupons used, found {used}")
    return Measurement(
        value=median(service_times) * 1000,
        baseline=median(baseline_times) * 1000,
        notes=[f"{count} checkouts each way, each with a ¥5 coupon and {POINTS_USED} points"],
    )
