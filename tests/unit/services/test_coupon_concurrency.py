"""The same coupon redeemed at the same moment by two counters: exactly one sale gets it.

PostgreSQL: two threads, each with its own connection. SQLite: two processes on the same file.
"""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from shopdesk.db.database import close_database, open_database
from shopdesk.db.models import database_proxy
from shopdesk.errors import ConflictError
from shopdesk.services import coupons, members, purchases
from shopdesk.services.coupon_templates import TemplateInput, create_template
from shopdesk.services.members import MemberInput
from shopdesk.services.purchases import PurchaseInput


def _shop_with_one_coupon() -> tuple[int, int]:
    member = members.create_member(MemberInput(name="张三", phone="13800138000"))
    template = create_template(TemplateInput("无门槛10元", "cash", value_fen=10_00))
    return member, coupons.issue_coupon(template, member)


def _redeem(member: int, coupon: int) -> str:
    try:
        purchases.record_purchase(PurchaseInput(member_id=member, amount_fen=100_00, coupon_id=coupon))
        return "ok"
    except ConflictError:
        return "refused"


def test_two_connections_on_postgresql(db, db_target: str) -> None:
    if not db_target.startswith("postgresql"):
        pytest.skip("the SQLite variant uses two processes (below)")
    member, coupon = _shop_with_one_coupon()
    close_database()
    barrier = threading.Barrier(2)
    results: list[str] = []

    def counter() -> None:
        with database_proxy.connection_context():
            barrier.wait()
            results.append(_redeem(member, coupon))

    threads = [threading.Thread(target=counter) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["ok", "refused"]
    database_proxy.connect(reuse_if_open=True)
    assert len(purchases.list_member_purchases(member)) == 1


def _counter_process(path: str, member: int, coupon: int, barrier, results) -> None:  # pragma: no cover
    open_database(path)
    barrier.wait()
    results.put(_redeem(member, coupon))
    close_database()


def test_two_processes_on_sqlite(tmp_path) -> None:
    path = str(tmp_path / "shop.db")
    open_database(path)
    member, coupon = _shop_with_one_coupon()
    close_database()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    processes = [
        context.Process(target=_counter_process, args=(path, member, coupon, barrier, results))
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [process.exitcode for process in processes] == [0, 0]
    assert sorted(results.get(timeout=5) for _ in range(2)) == ["ok", "refused"]
    open_database(path)
    try:
        assert len(purchases.list_member_purchases(member)) == 1
    finally:
        close_database()
