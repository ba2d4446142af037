"""Version 8: what each member bought each month and each category sold each day, kept up to date, so the
dashboard reads pre-summed rows instead of a million purchases; and a covering index for period sales."""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    for ddl in (
        "CREATE TABLE member_month ("
        " member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE CASCADE,"
        " month VARCHAR(7) NOT NULL,"
        " orders INTEGER NOT NULL,"
        " paid_fen BIGINT NOT NULL,"
        " first_month BOOLEAN NOT NULL,"
        " PRIMARY KEY (member_id, month))",
        "CREATE INDEX member_month_summary ON member_month (month, first_month, paid_fen, orders)",
        # Sales in a period are read from the index alone (no look-up of each purchase row).
        "CREATE INDEX purchase_sales ON purchase (purchased_at, refunded_at, member_id, paid_fen)",
        "DROP INDEX purchase_purchased_at",
        # Sales by category and day (category 0: items without a category), for the dashboard.
        "CREATE TABLE category_day ("
        " category_id INTEGER NOT NULL,"
        " day DATE NOT NULL,"
        " amount_fen BIGINT NOT NULL,"
        " PRIMARY KEY (day, category_id))",
    ):
        db.execute_sql(ddl)
    # Filled here with the SQL of the day (not ``db.member_months``, which may change with later versions).
    pg = isinstance(db, PostgresqlDatabase)

    def month(column: str) -> str:
        return f"to_char({column}, 'YYYY-MM')" if pg else f"substr({column}, 1, 7)"

    day = "CAST(p.purchased_at AS DATE)" if pg else "substr(p.purchased_at, 1, 10)"
    db.execute_sql(
        "INSERT INTO member_month (member_id, month, orders, paid_fen, first_month) "
        f"SELECT p.member_id, {month('p.purchased_at')}, COUNT(*), SUM(p.paid_fen), "
        f"{month('p.purchased_at')} = {month('m.first_purchase_at')} "
        "FROM purchase p JOIN member m ON m.id = p.member_id "
        "WHERE p.refunded_at IS NULL AND p.member_id IS NOT NULL "
        f"GROUP BY p.member_id, {month('p.purchased_at')}, {month('m.first_purchase_at')}"
    )
    db.execute_sql(
        "INSERT INTO category_day (category_id, day, amount_fen) "
        f"SELECT COALESCE(i.category_id, 0), {day}, SUM(i.amount_fen) "
        "FROM purchase_item i JOIN purchase p ON p.id = i.purchase_id WHERE p.refunded_at IS NULL "
        f"GROUP BY COALESCE(i.category_id, 0), {day}"
    )
