"""Version 8: what each member bought each month and each category sold each day, kept up to date, so the
dashboard reads pre-summed rows instead of a million purchases; and a covering index for period sales."""

from __future__ import annotations

from peewee import Database
from playhouse.migrate import SchemaMigrator

from shopdesk.db.member_months import rebuild_category_days, rebuild_member_months


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
    rebuild_member_months(db)
    rebuild_category_days(db)
