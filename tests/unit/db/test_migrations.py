"""Schema migrations: a shop saved at version 1 opens at the newest version with all its data, and the
ladder runs each step once, in its own transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace

import peewee
import pytest

from shopdesk.db import migrations, sql
from shopdesk.db.database import close_database, current_database, open_database
from shopdesk.db.migrations import migrate, schema_version
from shopdesk.db.models import AuditLog
from shopdesk.domain.birthdays import Birthday
from shopdesk.services.catalog import list_categories, list_staff
from shopdesk.services.member_search import MemberQuery, search_member_ids
from shopdesk.services.members import MemberInput, count_members, create_member, get_member, get_member_rows
from shopdesk.services.purchases import (
    PurchaseInput,
    get_purchase,
    list_member_purchases,
    record_purchase,
    refund_purchase,
)
from shopdesk.services.settings import get_setting, shop_name


def _insert(db: peewee.Database, table: str, **values: object) -> int:
    """Insert one row with plain SQL, as version 1 of ShopDesk would have, and return its id."""
    columns = ", ".join(values)
    params = ", ".join([db.param] * len(values))
    db.execute_sql(f"INSERT INTO {table} ({columns}) VALUES ({params})", list(values.values()))
    if "id" in values or table == "setting":
        return 0
    return db.execute_sql(f"SELECT MAX(id) FROM {table}").fetchone()[0]


def _member(db: peewee.Database, **values: object) -> int:
    row = {
        "gender": "", "birth_year": None, "birth_month": None, "birth_day": None, "source": "store",
        "referrer_id": None, "staff_id": None, "notes": "", "created_at": "2023-05-01 09:00:00",
        "updated_at": "2023-05-01 09:00:00", "archived_at": None, "purchase_count": 0, "total_spent_fen": 0,
        "first_purchase_at": None, "last_purchase_at": None,
    }
    row.update(values)
    row["phone_rev"] = str(row["phone"])[::-1]
    return _insert(db, "member", **row)


def _purchase(
    db: peewee.Database, uid: str, member_id: int | None, when: str, amount: int, **values: object
) -> int:
    row = {
        "uid": uid, "member_id": member_id, "purchased_at": when, "amount_fen": amount, "paid_fen": amount,
        "staff_id": None, "note": "", "created_at": when, "refunded_at": None, "refund_reason": "",
    }
    row.update(values)
    return _insert(db, "purchase", **row)


@pytest.fixture
def version_1_shop(db_target: str) -> Iterator[tuple[str, SimpleNamespace]]:
    """A shop created at schema version 1 and filled by version 1's SQL, closed again."""
    db = open_database(db_target, run_migrations=False)
    assert migrate(db, target=1) == 1
    assert schema_version(db) == 1
    ids = SimpleNamespace()
    with db.atomic():
        ids.staff = _insert(db, "staff", name="小叶", phone="", active=True, created_at="2023-01-01 09:00:00")
        ids.cream = _insert(
            db, "category", name="面霜", repurchase_days=45, sort_order=0, active=True,
            created_at="2023-01-01 09:00:00",
        )
        ids.zhang = _member(
            db, name="张三", phone="13800138000", name_pinyin="zhangsan", name_initials="zs", gender="F",
            birth_year=1990, birth_month=3, birth_day=9, source="moments", staff_id=ids.staff,
            notes="likes roses", purchase_count=2, total_spent_fen=38700,
            first_purchase_at="2024-01-10 10:00:00", last_purchase_at="2024-02-10 15:30:00",
        )
        ids.li = _member(
            db, name="李四", phone="13900139000", name_pinyin="lisi", name_initials="ls", birth_month=12,
            birth_day=24, source="referral", referrer_id=ids.zhang, archived_at="2024-03-01 12:00:00",
        )
        ids.first = _purchase(
            db, "v1-1", ids.zhang, "2024-01-10 10:00:00", 26800, staff_id=ids.staff, note="first"
        )
        _insert(db, "purchase_item", purchase_id=ids.first, category_id=ids.cream, name="保湿面霜", qty=1,
                amount_fen=26800)
        ids.second = _purchase(db, "v1-2", ids.zhang, "2024-02-10 15:30:00", 12900, paid_fen=11900)
        ids.refunded = _purchase(
            db, "v1-3", ids.zhang, "2024-01-20 11:00:00", 999, refunded_at="2024-01-21 10:00:00",
            refund_reason="wrong colour",
        )
        ids.walk_in = _purchase(db, "v1-4", None, "2024-01-15 16:00:00", 5000)
        _insert(db, "setting", key="shop_name", value='"小美护肤"')
        _insert(db, "setting", key="custom", value='{"a": [1, 2]}')
        _insert(db, "audit_log", at="2024-03-01 12:00:00", actor="owner", action="member.archive",
                target=f"member:{ids.li}", details="{}")
    close_database()
    yield db_target, ids
    close_database()


def test_a_version_1_shop_opens_at_the_newest_version_with_all_its_data(
    version_1_shop: tuple[str, SimpleNamespace],
) -> None:
    target, ids = version_1_shop
    steps: list[tuple[int, int]] = []
    db = open_database(target, before_migrate=lambda old, new: steps.append((old, new)))
    assert steps == [(1, migrations.HEAD)]
    assert schema_version(db) == migrations.HEAD

    zhang = get_member(ids.zhang)
    assert (zhang.name, zhang.phone, zhang.gender, zhang.source, zhang.notes) == (
        "张三", "13800138000", "F", "moments", "likes roses",
    )
    assert zhang.birthday == Birthday(3, 9, 1990)
    assert (zhang.staff_id, zhang.staff_name, zhang.referee_count) == (ids.staff, "小叶", 1)
    assert (zhang.purchase_count, zhang.total_spent_fen) == (2, 38700)
    assert zhang.first_purchase_at == dt.datetime(2024, 1, 10, 10, 0)
    assert zhang.last_purchase_at == dt.datetime(2024, 2, 10, 15, 30)
    assert zhang.created_at == dt.datetime(2023, 5, 1, 9, 0)

    li = get_member(ids.li)
    assert (li.referrer_id, li.referrer_name, li.birthday) == (ids.zhang, "张三", Birthday(12, 24))
    assert li.archived_at == dt.datetime(2024, 3, 1, 12, 0)
    assert count_members() == 1
    assert count_members(include_archived=True) == 2
    assert [row.name for row in get_member_rows([ids.li, ids.zhang])] == ["李四", "张三"]

    assert search_member_ids("zs") == [ids.zhang]
    assert search_member_ids("8000") == [ids.zhang]
    assert search_member_ids("李四") == []
    assert search_member_ids(MemberQuery("lisi", include_archived=True)) == [ids.li]

    history = list_member_purchases(ids.zhang)
    assert [view.id for view in history] == [ids.second, ids.refunded, ids.first]
    assert [view.refunded for view in history] == [False, True, False]
    assert history[1].refund_reason == "wrong colour"
    assert (history[0].amount_fen, history[0].paid_fen) == (12900, 11900)
    assert [(item.category_name, item.name, item.amount_fen) for item in history[2].items] == [
        ("面霜", "保湿面霜", 26800),
    ]
    assert (history[2].staff_name, history[2].note) == ("小叶", "first")
    assert get_purchase(ids.walk_in).member_id is None
    # Version 8 summed the live purchases by month and by category and day.
    months = sql.rows("SELECT member_id, month, orders, paid_fen, first_month FROM member_month")
    assert [(m, month, orders, paid, bool(first)) for m, month, orders, paid, first in sorted(months)] == [
        (ids.zhang, "2024-01", 1, 26800, True),
        (ids.zhang, "2024-02", 1, 11900, False),
    ]
    assert [(c, str(d)[:10], fen) for c, d, fen in sql.rows("SELECT * FROM category_day")] == [
        (ids.cream, "2024-01-10", 26800),
    ]

    assert get_setting("shop_name") == "小美护肤"
    assert shop_name() == "小美护肤"
    assert get_setting("custom") == {"a": [1, 2]}
    assert [(c.id, c.name, c.repurchase_days) for c in list_categories()] == [(ids.cream, "面霜", 45)]
    assert [(s.id, s.name) for s in list_staff()] == [(ids.staff, "小叶")]
    assert AuditLog.select().where(AuditLog.action == "member.archive").count() == 1

    # The migrated shop keeps working: new rows get fresh ids, figures stay exact.
    newest = record_purchase(
        PurchaseInput(member_id=ids.zhang, amount_fen=1000, purchased_at=dt.datetime(2024, 4, 1, 10, 0))
    )
    refund_purchase(ids.second)
    zhang = get_member(ids.zhang)
    assert (zhang.purchase_count, zhang.total_spent_fen) == (2, 26800 + 1000)
    assert zhang.last_purchase_at == dt.datetime(2024, 4, 1, 10, 0)
    assert newest not in (ids.first, ids.second, ids.refunded, ids.walk_in)
    assert create_member(MemberInput(name="王五", phone="13700137000")) not in (ids.zhang, ids.li)


class FakeStep:
    """A schema step added after today's newest version: makes a table and a row, maybe then fails."""

    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.calls = 0

    def up(self, migrator: object, db: peewee.Database) -> None:
        self.calls += 1
        db.execute_sql("CREATE TABLE fake_extra (id INTEGER PRIMARY KEY)")
        db.execute_sql("INSERT INTO setting (key, value) VALUES ('fake_step', 'true')")
        if self.fail:
            raise RuntimeError("the step failed half-way")


@pytest.fixture
def add_step(monkeypatch: pytest.MonkeyPatch):
    """Append a step to the ladder for this test only."""

    def add(step: FakeStep) -> int:
        steps = [*migrations.STEPS, step]
        monkeypatch.setattr(migrations, "STEPS", steps)
        monkeypatch.setattr(migrations, "HEAD", len(steps))
        return len(steps)

    return add


def test_a_new_step_runs_once_and_bumps_the_version(db_target: str, add_step) -> None:
    old_head = migrations.HEAD
    open_database(db_target)
    close_database()
    step = FakeStep()
    new_head = add_step(step)
    calls: list[tuple[int, int]] = []

    db = open_database(db_target, before_migrate=lambda old, new: calls.append((old, new)))
    assert (step.calls, schema_version(db), calls) == (1, new_head, [(old_head, new_head)])
    assert db.table_exists("fake_extra")
    assert get_setting("fake_step") is True
    close_database()

    db = open_database(db_target, before_migrate=lambda old, new: calls.append((old, new)))
    assert (step.calls, schema_version(db), len(calls)) == (1, new_head, 1)
    close_database()


def test_a_failing_step_rolls_back_and_leaves_the_old_version(db_target: str, add_step) -> None:
    old_head = migrations.HEAD
    open_database(db_target)
    create_member(MemberInput(name="张三", phone="13800138000"))
    close_database()
    step = FakeStep(fail=True)
    add_step(step)

    with pytest.raises(RuntimeError, match="half-way"):
        open_database(db_target)
    assert step.calls == 1

    db = open_database(db_target, run_migrations=False)
    try:
        assert schema_version(db) == old_head
        assert not db.table_exists("fake_extra")
        assert get_setting("fake_step") is None
        assert count_members() == 1
    finally:
        close_database()

    # Once the step is fixed, the shop migrates.
    step.fail = False
    db = open_database(db_target)
    assert (step.calls, schema_version(db)) == (2, old_head + 1)
    assert current_database() is db
    close_database()


def test_migrate_goes_step_by_step_and_never_down(db_target: str) -> None:
    db = open_database(db_target, run_migrations=False)
    try:
        assert schema_version(db) == 0
        assert migrate(db, target=1) == 1
        assert db.table_exists("member")
        assert migrate(db) == migrations.HEAD
        assert migrate(db, target=1) == migrations.HEAD  # nothing to undo
        assert migrate(db) == migrations.HEAD
        assert db.execute_sql("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 1
    finally:
        close_database()


def test_steps_are_numbered_modules_with_an_up_function() -> None:
    assert len(migrations.STEPS) == migrations.HEAD
    for number, step in enumerate(migrations.STEPS, start=1):
        assert step.__name__.rsplit(".", 1)[-1].startswith(f"m{number:04d}_"), step.__name__
        assert callable(step.up)
