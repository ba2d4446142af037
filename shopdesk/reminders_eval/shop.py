"""The purchases before a cut-off, imported into a temporary SQLite shop with the app's own schema.

The ranking under test is the app's ``rank_reminders``, so it must read a real shop: members with their
cached figures and rhythm, purchases, items and categories. Rows go in through ``db.bulk`` in one
transaction. A sheet says nothing of category cycles, so each category's cycle is learnt from the same
pre-cut-off purchases (the median, over customers who bought it twice or more, of their median gap between
two purchases of it) — what a shopkeeper would type in from experience.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from shopdesk.db import bulk
from shopdesk.db.database import open_database
from shopdesk.domain.phones import is_valid_phone, normalize_phone
from shopdesk.domain.rhythm import median_interval_days, purchase_days
from shopdesk.reminders_eval.sheet import SaleRecord
from shopdesk.services.settings import SHOP_TYPE, set_setting

# A category's learnt cycle needs this many customers who bought it at least twice.
MIN_CYCLE_CUSTOMERS = 5

_MEMBER_COLUMNS = (
    "id", "phone", "phone_rev", "name", "name_pinyin", "name_initials", "gender", "source", "notes",
    "created_at", "updated_at", "purchase_count", "total_spent_fen", "first_purchase_at", "last_purchase_at",
    "interval_days",
)
_PURCHASE_COLUMNS = (
    "id", "uid", "member_id", "purchased_at", "amount_fen", "paid_fen", "note", "created_at", "refund_reason",
)
_ITEM_COLUMNS = ("purchase_id", "category_id", "name", "qty", "amount_fen")


@dataclass(frozen=True, slots=True)
class History:
    """One customer's purchase days before the cut-off, by member id of the temporary shop."""

    member_id: int
    customer: str
    days: list[dt.date]
    total_fen: int


def customer_key(raw: str) -> str:
    """The same customer however the phone was typed (138 0013 8000, +86…); other ids as they are."""
    return normalize_phone(raw) if is_valid_phone(raw) else raw.strip()


def histories(records: Sequence[SaleRecord], cutoff: dt.date) -> dict[str, History]:
    """Per customer key, the purchases strictly before ``cutoff``; member ids follow the sorted keys."""
    by_customer: dict[str, list[SaleRecord]] = defaultdict(list)
    for record in records:
        if record.when.date() < cutoff:
            by_customer[customer_key(record.customer)].append(record)
    result = {}
    for member_id, key in enumerate(sorted(by_customer), start=1):
        sales = by_customer[key]
        result[key] = History(
            member_id, key, purchase_days(sale.when for sale in sales), sum(s.amount_fen for s in sales)
        )
    return result


def learn_cycles(records: Sequence[SaleRecord], cutoff: dt.date) -> dict[str, int]:
    """Each category's repurchase cycle in days from the purchases before ``cutoff`` (see the docstring)."""
    days: dict[tuple[str, str], set[dt.date]] = defaultdict(set)
    for record in records:
        if record.when.date() < cutoff:
            for category in record.categories:
                days[(category, customer_key(record.customer))].add(record.when.date())
    per_category: dict[str, list[int]] = defaultdict(list)
    for (category, _customer), dates in days.items():
        gap = median_interval_days(dates)
        if gap is not None:
            per_category[category].append(gap)
    return {
        category: max(1, round(median(gaps)))
        for category, gaps in per_category.items()
        if len(gaps) >= MIN_CYCLE_CUSTOMERS
    }


def _stamp(value: dt.datetime) -> str:
    return value.replace(microsecond=0).isoformat(sep=" ")


def build_shop(
    path: str | Path, records: Sequence[SaleRecord], cutoff: dt.date, *, shop_type: str | None = None
) -> dict[str, History]:
    """Create the shop at ``path`` (a new SQLite file) from the purchases before ``cutoff``.

    Returns the customers' histories keyed like ``customer_key``. The database stays open as the current
    one, for the ranking; the caller closes it.
    """
    before = sorted(
        (r for r in records if r.when.date() < cutoff), key=lambda r: (customer_key(r.customer), r.when)
    )
    people = histories(before, cutoff)
    cycles = learn_cycles(before, cutoff)
    db = open_database(path)
    category_ids: dict[str, int] = {}
    for record in before:
        for category in record.categories:
            category_ids.setdefault(category, len(category_ids) + 1)
    with db.atomic():
        created = _stamp(dt.datetime.combine(cutoff, dt.time(0)))
        bulk.bulk_insert(
            db, "category", ("id", "name", "repurchase_days", "sort_order", "active", "created_at"),
            [(cid, name[:30], cycles.get(name), cid, True, created) for name, cid in category_ids.items()],
        )
        member_rows = []
        purchase_rows = []
        item_rows = []
        purchase_id = 1
        for key, sales in itertools.groupby(before, key=lambda r: customer_key(r.customer)):
            sales = list(sales)
            person = people[key]
            phone = key if is_valid_phone(key) else None
            first, last = _stamp(sales[0].when), _stamp(sales[-1].when)
            member_rows.append((
                person.member_id, phone, phone[::-1] if phone else None, key[:30], "", "", "", "store", "",
                first, first, len(sales), person.total_fen, first, last, median_interval_days(person.days),
            ))
            for sale in sales:
                stamp = _stamp(sale.when)
                purchase_rows.append((
                    purchase_id, f"eval-{purchase_id}", person.member_id, stamp, sale.amount_fen,
                    sale.amount_fen, "", stamp, "",
                ))
                item_rows.extend(_items(purchase_id, sale, category_ids))
                purchase_id += 1
        bulk.bulk_insert(db, "member", _MEMBER_COLUMNS, member_rows)
        bulk.bulk_insert(db, "purchase", _PURCHASE_COLUMNS, purchase_rows)
        bulk.bulk_insert(db, "purchase_item", _ITEM_COLUMNS, item_rows)
        if shop_type:
            set_setting(SHOP_TYPE, shop_type)
    db.execute_sql("ANALYZE")
    return people


def _items(purchase_id: int, sale: SaleRecord, category_ids: dict[str, int]) -> list[tuple]:
    """One line per category of the sale, the amount shared out (the first line takes the odd fen)."""
    if not sale.categories:
        return []
    share, odd = divmod(sale.amount_fen, len(sale.categories))
    return [
        (purchase_id, category_ids[name], name[:60], 1, share + (odd if index == 0 else 0))
        for index, name in enumerate(sale.categories)
    ]
