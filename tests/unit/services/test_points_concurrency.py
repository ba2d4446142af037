"""Two counters spending the same points at the same moment: each thread has its own connection (Peewee
connections are per thread, all behind one ``database_proxy``); exactly one wins, the balance never goes
below zero. On PostgreSQL the member row lock decides, on SQLite ``BEGIN IMMEDIATE``."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest

from shopdesk.db.models import Gift, Member, PointsLot, Purchase
from shopdesk.domain.points import PointsRules
from shopdesk.errors import ConflictError
from shopdesk.services import points
from shopdesk.services.gifts import GiftInput, create_gift
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.purchases import PurchaseInput, record_purchase

T0 = dt.datetime(2024, 3, 1, 10, 0)
ROUNDS = 6  # each round is a fresh race; several make an unlocked read-then-write all but certain to show


def _race(database: object, *calls: Callable[[], object]) -> list[object]:
    """Run ``calls`` at once, one thread and one connection each; their results or the errors raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            with database.connection_context():  # type: ignore[attr-defined]
                barrier.wait(timeout=10)
                results[index] = call()
        except BaseException as error:  # reported to the test thread
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a redemption hung"
    return results


def _member_with(points_owned: int, number: int) -> int:
    member = create_member(MemberInput(name=f"会员{number}", phone=f"1380013{number:04d}"))
    points.grant_opening_balance(member, points_owned, today=T0.date())
    return member


def _assert_settled(member_id: int, balance: int) -> None:
    assert Member.get_by_id(member_id).points_balance == balance
    assert points.ledger_sum(member_id) == balance
    lots = [lot.remaining for lot in PointsLot.select().where(PointsLot.member == member_id)]
    assert min(lots) >= 0
    assert sum(lots) == balance


def _one_winner(results: list[object]) -> None:
    failures = [result for result in results if isinstance(result, BaseException)]
    assert len(failures) == 1, results
    assert isinstance(failures[0], ConflictError), failures[0]


REDEMPTIONS: dict[str, Callable[[int, int], Callable[[], object]]] = {
    "adjust": lambda member, _gift: lambda: points.adjust_points(member, -100, "race", today=T0.date()),
    "gift": lambda member, gift: lambda: points.redeem_gift(member, gift, today=T0.date()),
    "purchase": lambda member, _gift: (
        lambda: record_purchase(
            PurchaseInput(member_id=member, amount_fen=300_00, purchased_at=T0, points_to_use=100)
        )
    ),
}


@pytest.mark.parametrize(
    ("first", "second"),
    [("adjust", "adjust"), ("gift", "gift"), ("purchase", "purchase"), ("purchase", "gift")],
)
def test_two_redemptions_of_the_last_points_cannot_both_succeed(db: object, first: str, second: str) -> None:
    # Sales earn nothing here, so the winner's sale cannot give the loser new points to spend.
    points.save_points_rules(PointsRules(points_per_yuan=0))
    gift = create_gift(GiftInput("保温杯", points_cost=100))
    for number in range(ROUNDS):
        member = _member_with(100, number)
        results = _race(db, REDEMPTIONS[first](member, gift), REDEMPTIONS[second](member, gift))
        _one_winner(results)
        _assert_settled(member, 0)
        won = [
            kind
            for kind, result in zip((first, second), results, strict=True)
            if not isinstance(result, BaseException)
        ]
        assert Purchase.select().where(Purchase.member == member).count() == won.count("purchase")


def test_two_members_cannot_both_take_the_last_gift_in_stock(db: object) -> None:
    for number in range(ROUNDS):
        gift = create_gift(GiftInput(f"限量礼盒{number}", points_cost=100, stock=1))
        one, two = _member_with(100, 2 * number), _member_with(100, 2 * number + 1)
        results = _race(
            db,
            lambda m=one, g=gift: points.redeem_gift(m, g, today=T0.date()),
            lambda m=two, g=gift: points.redeem_gift(m, g, today=T0.date()),
        )
        _one_winner(results)
        assert Gift.get_by_id(gift).stock == 0
        balances = sorted(Member.get_by_id(m).points_balance for m in (one, two))
        assert balances == [0, 100]
        _assert_settled(one, Member.get_by_id(one).points_balance)
        _assert_settled(two, Member.get_by_id(two).points_balance)
