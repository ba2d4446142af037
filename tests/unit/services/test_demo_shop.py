"""The demo shop: what was asked for, valid data, exact cached figures, the same shop for a seed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from shopdesk.db.database import close_database, open_database
from shopdesk.domain.birthdays import Birthday
from shopdesk.domain.phones import is_valid_phone
from shopdesk.domain.pinyin import name_pinyin
from shopdesk.errors import UserError, ValidationError
from shopdesk.services.demo_shop import HISTORY_DAYS, DemoSummary, build_demo_shop
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.progress import CancelledError
from shopdesk.services.purchases import (
    PurchaseInput,
    recompute_intervals,
    recompute_member_figures,
    record_purchase,
)
from shopdesk.services.settings import SHOP_NAME, SHOP_TYPE, get_setting

TODAY = dt.date(2026, 3, 15)
FIGURES_SQL = (
    "SELECT id, purchase_count, total_spent_fen, first_purchase_at, last_purchase_at, interval_days "
    "FROM member ORDER BY id"
)


def _as_datetime(value: object) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


@pytest.fixture
def shop(db_target: str) -> Iterator[tuple[object, DemoSummary]]:
    """A demo shop of 120 members built on SQLite and PostgreSQL, opened for reading."""
    summary = build_demo_shop(db_target, 120, seed=7, today=TODAY)
    db = open_database(db_target)
    yield db, summary
    close_database()


def _scalar(db: object, sql: str) -> object:
    return db.execute_sql(sql).fetchone()[0]  # type: ignore[attr-defined]


def test_the_shop_has_what_was_asked_for(shop) -> None:
    db, summary = shop
    assert summary.members == _scalar(db, "SELECT COUNT(*) FROM member") == 120
    assert summary.purchases == _scalar(db, "SELECT COUNT(*) FROM purchase") == 1200  # ten per member
    assert summary.items == _scalar(db, "SELECT COUNT(*) FROM purchase_item") >= summary.purchases
    assert summary.refunds == _scalar(db, "SELECT COUNT(*) FROM purchase WHERE refunded_at IS NOT NULL")
    assert 3 <= summary.staff == _scalar(db, "SELECT COUNT(*) FROM staff") <= 5
    assert summary.categories == _scalar(db, "SELECT COUNT(*) FROM category WHERE repurchase_days > 0")
    assert get_setting(SHOP_NAME) == summary.shop_name
    assert get_setting(SHOP_TYPE) == "cosmetics"
    cycles = dict(db.execute_sql("SELECT name, repurchase_days FROM category").fetchall())
    assert cycles["面霜"] == 45 and cycles["面膜"] == 20 and cycles["口红"] == 90


def test_phones_are_unique_valid_mainland_mobiles(shop) -> None:
    db, _summary = shop
    rows = db.execute_sql("SELECT phone, phone_rev FROM member").fetchall()
    phones = [phone for phone, _rev in rows]
    assert len(set(phones)) == len(phones)
    assert all(is_valid_phone(phone) and len(phone) == 11 for phone in phones)
    assert all(rev == phone[::-1] for phone, rev in rows)


def test_cached_figures_equal_a_recomputation_from_the_purchases(shop) -> None:
    db, _summary = shop
    generated = db.execute_sql(FIGURES_SQL).fetchall()
    recompute_member_figures()
    recompute_intervals()
    assert db.execute_sql(FIGURES_SQL).fetchall() == generated
    assert any(row[1] == 0 for row in generated), "some members never bought"
    assert any(row[1] == 1 for row in generated), "some bought once"
    assert max(row[1] for row in generated) >= 15, "some are very loyal"


def test_purchases_add_up_and_lie_in_the_last_18_months(shop) -> None:
    db, _summary = shop
    mismatched = _scalar(db, """
        SELECT COUNT(*) FROM purchase p
        WHERE p.amount_fen != (SELECT SUM(i.amount_fen) FROM purchase_item i WHERE i.purchase_id = p.id)
           OR p.paid_fen > p.amount_fen OR p.paid_fen <= 0
    """)
    assert mismatched == 0
    rows = db.execute_sql("SELECT purchased_at, refunded_at FROM purchase").fetchall()
    start = dt.datetime.combine(TODAY - dt.timedelta(days=HISTORY_DAYS), dt.time())
    end = dt.datetime.combine(TODAY, dt.time())  # nothing today: no sale is ever in the future
    for purchased_at, refunded_at in rows:
        assert start <= _as_datetime(purchased_at) < end
        if refunded_at is not None:
            assert _as_datetime(purchased_at) <= _as_datetime(refunded_at) < end


def test_members_look_like_real_customers(shop) -> None:
    db, _summary = shop
    rows = db.execute_sql(
        "SELECT id, name, name_pinyin, name_initials, birth_year, birth_month, birth_day, referrer_id, "
        "source FROM member ORDER BY id"
    ).fetchall()
    for member_id, name, pinyin, initials, year, month, day, referrer, source in rows:
        assert 2 <= len(name) <= 4
        assert (pinyin, initials) == name_pinyin(name)
        if month is not None:
            Birthday(month, day, year)  # a real date
        if referrer is not None:
            assert referrer < member_id and source == "referral"
    assert any(row[4] is None and row[5] is not None for row in rows), "some birthdays have no year"
    assert any(row[7] is not None for row in rows), "some members were referred"


def test_new_members_and_sales_follow_the_demo(shop) -> None:
    db, _summary = shop
    member_id = create_member(MemberInput(name="测试会员", phone="13912345678"))
    assert member_id == 121
    purchase_id = record_purchase(PurchaseInput(member_id=member_id, amount_fen=9900))
    assert purchase_id == 1201
    assert _scalar(db, f"SELECT purchase_count FROM member WHERE id = {member_id}") == 1


def test_refuses_a_database_that_already_has_members(db_target: str) -> None:
    build_demo_shop(db_target, 5, today=TODAY)
    with pytest.raises(UserError, match="already holds a shop"):
        build_demo_shop(db_target, 5, today=TODAY)
    db = open_database(db_target)
    assert _scalar(db, "SELECT COUNT(*) FROM member") == 5
    close_database()


@pytest.mark.parametrize(("members", "purchases"), [(40, 25), (40, 0), (0, 0), (30, 900), (3, 2000)])
def test_the_number_of_purchases_is_exactly_what_was_asked(tmp_path, members, purchases) -> None:
    target = str(tmp_path / f"demo-{members}-{purchases}.db")
    summary = build_demo_shop(target, members, purchases=purchases, today=TODAY)
    db = open_database(target)
    total = _scalar(db, "SELECT COUNT(*) FROM purchase")
    close_database()
    if purchases <= members * HISTORY_DAYS // 4:
        assert summary.purchases == total == purchases
    else:  # a few members cannot visit more than once a day: as many as fit
        assert 0 < summary.purchases == total <= purchases


def _dump(target: str) -> dict[str, list[tuple]]:
    db = open_database(target)
    tables = {
        table: db.execute_sql(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        for table in ("staff", "category", "member", "purchase", "purchase_item", "setting")
    }
    close_database()
    return tables


def test_the_same_seed_builds_the_same_shop(tmp_path) -> None:
    first, second, other = (str(tmp_path / name) for name in ("a.db", "b.db", "c.db"))
    build_demo_shop(first, 150, seed=3, today=TODAY)
    build_demo_shop(second, 150, seed=3, today=TODAY)
    build_demo_shop(other, 150, seed=4, today=TODAY)
    assert _dump(first) == _dump(second)
    assert _dump(first)["member"] != _dump(other)["member"]


@pytest.mark.parametrize(("shop_type", "category"), [("tea", "普洱"), ("bakery", "面包")])
def test_other_kinds_of_shop(tmp_path, shop_type: str, category: str) -> None:
    target = str(tmp_path / "shop.db")
    summary = build_demo_shop(target, 30, shop_type=shop_type, today=TODAY)
    db = open_database(target)
    names = {row[0] for row in db.execute_sql("SELECT name FROM category").fetchall()}
    assert category in names and "面霜" not in names
    assert get_setting(SHOP_TYPE) == shop_type and get_setting(SHOP_NAME) == summary.shop_name
    close_database()


def test_wrong_arguments_name_their_field(tmp_path) -> None:
    target = str(tmp_path / "shop.db")
    with pytest.raises(ValidationError) as error:
        build_demo_shop(target, 10, shop_type="pharmacy")
    assert error.value.field == "shop_type"
    with pytest.raises(ValidationError) as error:
        build_demo_shop(target, -1)
    assert error.value.field == "members"
    with pytest.raises(ValidationError) as error:
        build_demo_shop(target, 10, purchases=-5)
    assert error.value.field == "purchases"


class _Recorder:
    """Progress that records each step and asks to stop once ``stop_after`` steps were seen."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.steps: list[tuple[int, int]] = []
        self.stop_after = stop_after

    def step(self, done: int, total: int, message: str = "") -> None:
        assert message
        self.steps.append((done, total))

    def cancelled(self) -> bool:
        return self.stop_after is not None and len(self.steps) >= self.stop_after


def test_progress_goes_from_nothing_to_everything(tmp_path) -> None:
    progress = _Recorder()
    build_demo_shop(str(tmp_path / "shop.db"), 4_500, purchases=9_000, progress=progress, today=TODAY)
    done = [step[0] for step in progress.steps]
    rows = 4_500 + 9_000  # members and purchases
    assert done[0] == 0 and done[-1] == rows and done == sorted(done)
    assert len(progress.steps) >= 4  # a step per chunk of members at least
    assert {step[1] for step in progress.steps} == {rows}


def test_cancelling_leaves_the_database_empty(db_target: str) -> None:
    with pytest.raises(CancelledError):
        build_demo_shop(db_target, 4_500, purchases=9_000, progress=_Recorder(stop_after=2), today=TODAY)
    db = open_database(db_target)
    assert _scalar(db, "SELECT COUNT(*) FROM member") == 0
    assert _scalar(db, "SELECT COUNT(*) FROM purchase") == 0
    assert _scalar(db, "SELECT COUNT(*) FROM staff") == 0
    close_database()
    build_demo_shop(db_target, 10, today=TODAY)  # and a new build then works
