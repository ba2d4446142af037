"""Evaluation data: a shop's purchases to a CSV sheet, and the two generated shops the README measures.

The sheet has one row per purchase that was not refunded: member id, phone, date, amount in yuan and
the categories bought (joined by "、"), the same columns ``sheet.read_purchases`` reads back.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from shopdesk.db.database import close_database, open_database
from shopdesk.db.sql import rows
from shopdesk.reminders_eval.sheet import CATEGORY_SEPARATOR

HEADER = ("member_id", "phone", "date", "amount", "category")

_PURCHASES_SQL = """
SELECT p.id, p.member_id, m.phone, p.purchased_at, p.paid_fen
FROM purchase p JOIN member m ON m.id = p.member_id
WHERE p.refunded_at IS NULL
ORDER BY p.id
"""
_ITEMS_SQL = """
SELECT i.purchase_id, c.name
FROM purchase_item i JOIN category c ON c.id = i.category_id
ORDER BY i.purchase_id, i.id
"""


@dataclass(frozen=True, slots=True)
class EvalShop:
    """A generated shop for the evaluation: how it is built and where its purchases are written."""

    name: str
    shop_type: str
    seed: int
    purchases_per_member: int = 10


# Two shops with different rhythms: the app's demo shop (cosmetics, ten purchases per member in 18 months:
# weeks to months between visits, eleven categories) and a bakery (thirty purchases per member: days to
# weeks between visits, a few fast categories and cakes for birthdays).
EVAL_SHOPS = (EvalShop("cosmetics", "cosmetics", 1, 10), EvalShop("bakery", "bakery", 7, 30))


def export_purchases(target: str | os.PathLike[str], out: str | os.PathLike[str]) -> int:
    """Write the purchases of the shop at ``target`` to the CSV ``out``; return how many rows."""
    open_database(target)
    try:
        categories: dict[int, list[str]] = {}
        for purchase_id, name in rows(_ITEMS_SQL):
            names = categories.setdefault(purchase_id, [])
            if name not in names:
                names.append(name)
        purchases = rows(_PURCHASES_SQL)
    finally:
        close_database()
    with open(out, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for purchase_id, member_id, phone, when, paid in purchases:
            stamp = when.isoformat(sep=" ") if isinstance(when, dt.datetime) else str(when)
            writer.writerow((
                member_id, phone or "", stamp, f"{paid / 100:.2f}",
                CATEGORY_SEPARATOR.join(categories.get(purchase_id, ())),
            ))
    return len(purchases)


def generate_eval_shop(
    folder: str | os.PathLike[str], shop: EvalShop, members: int, today: dt.date
) -> Path:
    """Build one generated shop in ``folder`` (its ``today`` fixed, so it is the same every time) and
    export its purchases; return the CSV's path. An existing CSV is reused."""
    from shopdesk.services.demo_shop import build_demo_shop

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{shop.name}-{members}x{shop.purchases_per_member}-s{shop.seed}-purchases.csv"
    if out.exists():
        return out
    database = out.with_name(out.name.replace("-purchases.csv", ".db"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    build_demo_shop(
        str(database), members, purchases=members * shop.purchases_per_member, seed=shop.seed,
        shop_type=shop.shop_type, today=today,
    )
    export_purchases(database, out)
    return out
