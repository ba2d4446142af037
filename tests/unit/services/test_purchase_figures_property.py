"""After any sequence of sales, retries and refunds, every member's cached figures equal the purchases'.

The purchase rows read back must be exactly what the test did, and the expected figures are the test's
own aggregate over them; ``recompute_member_figures`` is not used, since the refund path relies on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from peewee import sort_models

from shopdesk.db.models import ALL_MODELS, Member, Purchase, SchemaVersion, database_proxy
from shopdesk.errors import ConflictError
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.purchases import PurchaseInput, record_purchase, refund_purchase

MEMBERS = 2
BASE = dt.datetime(2024, 1, 1)

# A handful of days and hours, so that equal times (the hardest case for first/last) and sales entered
# out of date order (a late entry of last month's sale) are both common.
_times = st.builds(
    lambda day, hour: BASE + dt.timedelta(days=day, hours=hour),
    st.sampled_from([0, 1, 2, 31, 400]),
    st.sampled_from([9, 15]),
)
_customer = st.sampled_from([*range(MEMBERS), None])  # a walk-in (None) now and then
_sale = st.tuples(
    st.just("sale"),
    _customer,
    st.integers(min_value=1, max_value=500_000),  # amount in fen
    st.integers(min_value=0, max_value=100),  # percent paid (a discount at the counter)
    _times,
)
_refund = st.tuples(st.just("refund"), st.integers(min_value=0, max_value=10_000))
_retry = st.tuples(st.just("retry"), st.integers(min_value=0, max_value=10_000), _customer)
_operations = st.lists(st.one_of(_sale, _sale, _sale, _refund, _retry), min_size=4, max_size=30)

Figures = tuple[int, int, dt.datetime | None, dt.datetime | None]


@dataclass
class Sale:
    uid: str
    member: int | None  # index into the members, None for a walk-in
    amount: int
    paid: int
    when: dt.datetime
    purchase_id: int
    refunded: bool = False


def _empty_shop() -> None:
    """Delete every row but the schema version, children first (the fixture's database is reused)."""
    with database_proxy.atomic():
        for model in reversed(sort_models(ALL_MODELS)):
            if model is not SchemaVersion:
                model.delete().execute()


def _aggregate(rows: list[tuple[int | None, int, dt.datetime]]) -> dict[int, Figures]:
    """(member id, paid, time) of unrefunded sales → figures per member."""
    figures: dict[int, Figures] = {}
    for member_id, paid, when in rows:
        if member_id is None:
            continue
        count, total, first, last = figures.get(member_id, (0, 0, None, None))
        figures[member_id] = (count + 1, total + paid, min(first or when, when), max(last or when, when))
    return figures


class Counter:
    """Plays the operations against the services and remembers what it did."""

    def __init__(self) -> None:
        self.members = [
            create_member(MemberInput(name=f"会员{index}", phone=f"1380000000{index}"))
            for index in range(MEMBERS)
        ]
        self.sales: list[Sale] = []

    def member_id(self, customer: int | None) -> int | None:
        return None if customer is None else self.members[customer]

    def sale(self, number: int, customer: int | None, amount: int, percent: int, when: dt.datetime) -> None:
        paid = amount * percent // 100
        uid = f"sale-{number}"
        data = PurchaseInput(
            member_id=self.member_id(customer), amount_fen=amount, paid_fen=paid, purchased_at=when, uid=uid
        )
        self.sales.append(Sale(uid, customer, amount, paid, when, record_purchase(data)))

    def refund(self, index: int) -> None:
        sale = self.sales[index % len(self.sales)]
        if not sale.refunded:
            refund_purchase(sale.purchase_id, "property test")
            sale.refunded = True
            return
        try:
            refund_purchase(sale.purchase_id)
        except ConflictError:
            return
        raise AssertionError("a sale was refunded twice")

    def retry(self, index: int, customer: int | None) -> None:
        """The counter saves a sale again after a lost connection, maybe for the wrong customer."""
        sale = self.sales[index % len(self.sales)]
        data = PurchaseInput(
            member_id=self.member_id(customer), amount_fen=sale.amount, paid_fen=sale.paid,
            purchased_at=sale.when, uid=sale.uid,
        )
        if customer == sale.member:
            assert record_purchase(data) == sale.purchase_id
            return
        try:
            record_purchase(data)
        except ConflictError:
            return
        raise AssertionError("a sale's uid was reused for another customer")

    def run(self, operations: list[tuple]) -> None:
        for number, (kind, *arguments) in enumerate(operations):
            if kind == "sale":
                self.sale(number, *arguments)
            elif kind == "refund" and self.sales:
                self.refund(*arguments)
            elif kind == "retry" and self.sales:
                self.retry(*arguments)


def _purchase_rows() -> list[tuple[int, int | None, int, dt.datetime, bool]]:
    query = Purchase.select(
        Purchase.id, Purchase.member, Purchase.paid_fen, Purchase.purchased_at, Purchase.refunded_at
    )
    rows = query.tuples()
    return sorted((pid, mid, paid, when, refunded is not None) for pid, mid, paid, when, refunded in rows)


def _cached_figures() -> dict[int, Figures]:
    query = Member.select(
        Member.id, Member.purchase_count, Member.total_spent_fen, Member.first_purchase_at,
        Member.last_purchase_at,
    )
    return {member_id: tuple(figures) for member_id, *figures in query.tuples()}  # type: ignore[misc]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=_operations)
# Always tried, besides the random sequences: sales entered out of date order, then the latest and the
# earliest refunded; equal times, retries for the right and the wrong customer, a refund repeated.
@example(
    operations=[
        ("sale", 0, 1000, 100, BASE + dt.timedelta(days=31)),
        ("sale", 0, 2000, 100, BASE),
        ("sale", 0, 3000, 50, BASE + dt.timedelta(days=400)),
        ("sale", None, 700, 100, BASE + dt.timedelta(days=500)),
        ("refund", 2),
        ("refund", 1),
        ("sale", 1, 500, 100, BASE + dt.timedelta(days=1)),
    ]
)
@example(
    operations=[
        ("sale", 0, 100, 100, BASE),
        ("sale", 0, 200, 0, BASE),
        ("sale", 1, 300, 100, BASE),
        ("retry", 0, 0),
        ("retry", 1, 1),
        ("retry", 2, None),
        ("refund", 0),
        ("refund", 0),
        ("refund", 2),
    ]
)
def test_member_figures_always_equal_a_recomputation(db: object, operations: list[tuple]) -> None:
    _empty_shop()
    counter = Counter()
    counter.run(operations)

    # The purchase rows are what the counter did: one per sale, however often it was saved.
    rows = _purchase_rows()
    assert rows == sorted(
        (sale.purchase_id, counter.member_id(sale.member), sale.paid, sale.when, sale.refunded)
        for sale in counter.sales
    )

    expected = _aggregate([(mid, paid, when) for _, mid, paid, when, refunded in rows if not refunded])
    cached = _cached_figures()
    assert set(cached) == set(counter.members)
    for member_id in counter.members:
        assert cached[member_id] == expected.get(member_id, (0, 0, None, None)), member_id
