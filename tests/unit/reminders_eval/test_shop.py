"""The temporary shop holds the purchases before the cut-off and nothing after, with the app's figures."""

from __future__ import annotations

import datetime as dt

from shopdesk.db import sql
from shopdesk.db.database import close_database
from shopdesk.reminders_eval.sheet import SaleRecord
from shopdesk.reminders_eval.shop import build_shop, customer_key, histories, learn_cycles

CUTOFF = dt.date(2026, 3, 1)


def _at(day: str, hour: int = 15) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour))


RECORDS = [
    SaleRecord("138 0013 8000", _at("2026-01-02"), 100_00, ("面霜",)),
    SaleRecord("+86 13800138000", _at("2026-01-22"), 50_00, ("面霜", "面膜")),
    SaleRecord("13800138000", _at("2026-01-22", 18), 20_01, ("面膜",)),  # same day: one visit
    SaleRecord("13800138000", _at("2026-02-11"), 30_00, ("面霜",)),
    SaleRecord("13800138000", _at("2026-03-01"), 999_00, ("香水",)),  # on the cut-off: the horizon's
    SaleRecord("VIP-7", _at("2026-02-20"), 10_00, ()),
    SaleRecord("VIP-8", _at("2026-03-05"), 10_00, ()),  # a customer who only appears later
]


def test_customers_are_the_same_however_their_phone_was_typed() -> None:
    assert customer_key("+86 138-0013-8000") == customer_key("13800138000") == "13800138000"
    assert customer_key(" VIP-7 ") == "VIP-7"
    people = histories(RECORDS, CUTOFF)
    assert list(people) == ["13800138000", "VIP-7"]
    phone = people["13800138000"]
    assert phone.days == [dt.date(2026, 1, 2), dt.date(2026, 1, 22), dt.date(2026, 2, 11)]
    assert phone.total_fen == 200_01


def test_category_cycles_are_learnt_from_customers_who_bought_them_twice() -> None:
    records = [
        SaleRecord(f"c{customer}", _at("2026-01-01") + dt.timedelta(days=day), 10_00, ("面包",))
        for customer in range(5) for day in (0, 4 + customer % 2, 10)
    ]
    records.append(SaleRecord("c9", _at("2026-01-01"), 10_00, ("蛋糕",)))
    assert learn_cycles(records, CUTOFF) == {"面包": 5}  # 蛋糕: too few customers to say


def test_the_shop_holds_only_what_came_before_the_cut_off(tmp_path) -> None:
    people = build_shop(tmp_path / "eval.db", RECORDS, CUTOFF, shop_type="cosmetics")
    try:
        phone = people["13800138000"]
        member = sql.rows(
            "SELECT phone, purchase_count, total_spent_fen, interval_days, first_purchase_at, "
            "last_purchase_at FROM member WHERE id = ?", [phone.member_id],
        )[0]
        assert member[:4] == ("13800138000", 4, 200_01, 20)
        assert (str(member[4]), str(member[5])) == ("2026-01-02 15:00:00", "2026-02-11 15:00:00")
        assert sql.rows("SELECT COUNT(*), MAX(purchased_at) FROM purchase")[0] == (5, "2026-02-20 15:00:00")
        assert sql.rows("SELECT name FROM category ORDER BY id") == [("面霜",), ("面膜",)]  # no 香水 yet
        shared = sql.rows(
            "SELECT i.amount_fen FROM purchase_item i JOIN purchase p ON p.id = i.purchase_id "
            "WHERE p.amount_fen = 5000 ORDER BY i.id"
        )
        assert shared == [(25_00,), (25_00,)]
        assert sql.rows("SELECT value FROM setting WHERE key = 'shop_type'") == [('"cosmetics"',)]
    finally:
        close_database()
