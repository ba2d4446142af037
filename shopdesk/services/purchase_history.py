"""A member's live purchases, read once per sale: their figures, rhythm and recent spending.

A sale needs the member's count, spending, first and last purchase, buying rhythm, spending over the
last 12 months (tier basis, high-value tag) and the visits of the last few weeks (visit reward). All of
them come from the same few rows, so the sale reads them in one indexed query instead of one per use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shopdesk.db import sql
from shopdesk.domain.rhythm import median_interval_days


@dataclass(frozen=True, slots=True)
class PurchaseHistory:
    """(time, paid fen) of every purchase not refunded, oldest first."""

    sales: tuple[tuple[dt.datetime, int], ...]
    interval_days: int | None  # the median days between purchase days (``domain.rhythm``)

    @property
    def count(self) -> int:
        return len(self.sales)

    @property
    def total_fen(self) -> int:
        return sum(paid for _when, paid in self.sales)

    @property
    def first(self) -> dt.datetime | None:
        return self.sales[0][0] if self.sales else None

    @property
    def last(self) -> dt.datetime | None:
        return self.sales[-1][0] if self.sales else None

    def spent_since(self, since: dt.datetime) -> int:
        return sum(paid for when, paid in self.sales if when >= since)

    def times_within(self, after: dt.datetime, until: dt.datetime) -> list[dt.datetime]:
        """Purchase times in ``(after, until]``."""
        return [when for when, _paid in self.sales if after < when <= until]


def read_history(member_id: int) -> PurchaseHistory:
    """The member's live purchases (inside the caller's transaction, after the new sale is written)."""
    found = sql.rows(
        "SELECT purchased_at, paid_fen FROM purchase WHERE member_id = ? AND refunded_at IS NULL"
        " ORDER BY purchased_at",
        [member_id],
    )
    sales = tuple((sql.read_datetime(when), int(paid)) for when, paid in found)
    return PurchaseHistory(sales, median_interval_days(when for when, _paid in sales))  # type: ignore[misc]
