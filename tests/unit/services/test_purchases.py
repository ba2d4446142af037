"""Recording and refunding purchases, and the member figures they keep; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.db.models import AuditLog, Purchase, PurchaseItem, now
from shopdesk.errors import ConflictError, NotFoundError, ValidationError
from shopdesk.services.catalog import create_category, create_staff
from shopdesk.services.members import MemberInput, archive_member, create_member, get_member
from shopdesk.services.purchases import (
    PurchaseInput,
    PurchaseItemInput,
    get_purchase,
    list_member_purchases,
    record_purchase,
    refund_purchase,
)

T0 = dt.datetime(2024, 3, 1, 10, 30)


@pytest.fixture
def member(db: object) -> int:
    return create_member(MemberInput(name="张三", phone="13800138000"))


def _buy(member_id: int | None, fen: int, when: dt.datetime = T0, **fields: object) -> int:
    return record_purchase(PurchaseInput(member_id=member_id, amount_fen=fen, purchased_at=when, **fields))


def _figures(member_id: int) -> tuple:
    detail = get_member(member_id)
    return detail.purchase_count, detail.total_spent_fen, detail.first_purchase_at, detail.last_purchase_at


def test_a_purchase_updates_the_member_figures(member: int) -> None:
    staff = create_staff("小叶")
    purchase_id = _buy(member, 12800, staff_id=staff, note="  first visit ")
    view = get_purchase(purchase_id)
    assert (view.member_id, view.amount_fen, view.paid_fen, view.purchased_at) == (member, 12800, 12800, T0)
    assert (view.staff_name, view.note, view.refunded) == ("小叶", "first visit", False)
    assert view.items == ()
    assert _figures(member) == (1, 12800, T0, T0)


def test_figures_follow_purchases_in_any_date_order(member: int) -> None:
    _buy(member, 1000, T0)
    _buy(member, 2000, T0 - dt.timedelta(days=30))  # entered late: becomes the first purchase
    _buy(member, 3000, T0 + dt.timedelta(days=1))
    _buy(member, 4000, T0 - dt.timedelta(days=1))
    assert _figures(member) == (4, 10000, T0 - dt.timedelta(days=30), T0 + dt.timedelta(days=1))


def test_the_total_counts_what_was_paid(member: int) -> None:
    _buy(member, 10000, paid_fen=8800)  # a discount at the counter
    view = list_member_purchases(member)[0]
    assert (view.amount_fen, view.paid_fen) == (10000, 8800)
    assert _figures(member)[:2] == (1, 8800)


def test_seconds_are_the_finest_time_kept(member: int) -> None:
    purchase_id = _buy(member, 100, T0.replace(second=15, microsecond=123456))
    assert get_purchase(purchase_id).purchased_at == T0.replace(second=15)


def test_the_time_defaults_to_now(member: int) -> None:
    before = now()
    purchase_id = record_purchase(PurchaseInput(member_id=member, amount_fen=100))
    assert before <= get_purchase(purchase_id).purchased_at <= now()


def test_items_give_the_amount_and_are_kept_in_order(member: int) -> None:
    cream = create_category("面霜", repurchase_days=45)
    mask = create_category("面膜", repurchase_days=20)
    purchase_id = record_purchase(
        PurchaseInput(
            member_id=member,
            purchased_at=T0,
            items=[
                PurchaseItemInput(amount_fen=26800, category_id=cream, name="保湿面霜 50ml"),
                PurchaseItemInput(amount_fen=9900, category_id=mask, qty=3),
                PurchaseItemInput(amount_fen=0, name="小样"),  # a free sample
            ],
        )
    )
    view = get_purchase(purchase_id)
    assert view.amount_fen == view.paid_fen == 36700
    assert [(i.category_name, i.name, i.qty, i.amount_fen) for i in view.items] == [
        ("面霜", "保湿面霜 50ml", 1, 26800),
        ("面膜", "", 3, 9900),
        ("", "小样", 1, 0),
    ]
    assert _figures(member)[:2] == (1, 36700)


def test_items_must_add_up_to_the_amount(member: int) -> None:
    with pytest.raises(ValidationError) as caught:
        record_purchase(
            PurchaseInput(member_id=member, amount_fen=10000, items=[PurchaseItemInput(amount_fen=9000)])
        )
    assert caught.value.field == "items"
    matching = PurchaseInput(member_id=member, amount_fen=9000, items=[PurchaseItemInput(amount_fen=9000)])
    assert get_purchase(record_purchase(matching)).amount_fen == 9000


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount_fen": 0}, "amount"),
        ({"amount_fen": -100}, "amount"),
        ({"amount_fen": None}, "amount"),  # neither an amount nor items
        ({"paid_fen": -1}, "paid"),
        ({"paid_fen": 10001}, "paid"),
        ({"items": [PurchaseItemInput(amount_fen=-1)], "amount_fen": None}, "items"),
        ({"items": [PurchaseItemInput(amount_fen=0)], "amount_fen": None}, "amount"),
        ({"items": [PurchaseItemInput(amount_fen=10000, qty=0)]}, "items"),
        ({"items": [PurchaseItemInput(amount_fen=10000, qty=10_000)]}, "items"),
        ({"items": [PurchaseItemInput(amount_fen=10000, category_id=999_999)]}, "items"),
        ({"staff_id": 999_999}, "staff"),
    ],
)
def test_invalid_purchases_are_refused_and_leave_nothing(member: int, fields: dict, field: str) -> None:
    data = PurchaseInput(member_id=member, amount_fen=10000, purchased_at=T0)
    for key, value in fields.items():
        setattr(data, key, value)
    with pytest.raises(ValidationError) as caught:
        record_purchase(data)
    assert caught.value.field == field
    assert Purchase.select().count() == 0
    assert PurchaseItem.select().count() == 0
    assert _figures(member) == (0, 0, None, None)


@pytest.mark.parametrize("ahead", [dt.timedelta(hours=1), dt.timedelta(days=2), dt.timedelta(days=400)])
def test_future_dates_are_refused(member: int, ahead: dt.timedelta) -> None:
    with pytest.raises(ValidationError) as caught:
        _buy(member, 100, now() + ahead)
    assert caught.value.field == "purchased_at"
    assert _figures(member) == (0, 0, None, None)


def test_a_walk_in_sale_touches_no_member(member: int) -> None:
    purchase_id = _buy(None, 5000)
    assert get_purchase(purchase_id).member_id is None
    assert _figures(member) == (0, 0, None, None)
    refund_purchase(purchase_id)
    assert get_purchase(purchase_id).refunded
    assert _figures(member) == (0, 0, None, None)


def test_saving_the_same_sale_twice_records_it_once(member: int) -> None:
    first = _buy(member, 12800, uid="counter1-0001")
    again = _buy(member, 12800, uid="counter1-0001")
    assert first == again
    assert Purchase.select().count() == 1
    assert _figures(member)[:2] == (1, 12800)


def test_a_walk_in_sale_saved_twice_is_recorded_once(db: object) -> None:
    assert _buy(None, 100, uid="walk-in-1") == _buy(None, 100, uid="walk-in-1")
    assert Purchase.select().count() == 1


def test_a_uid_reused_for_another_customer_is_a_conflict(member: int) -> None:
    other = create_member(MemberInput(name="李四", phone="13900139000"))
    _buy(member, 12800, uid="counter1-0001")
    for customer in (other, None):
        with pytest.raises(ConflictError):
            _buy(customer, 12800, uid="counter1-0001")
    assert _figures(other) == (0, 0, None, None)
    assert Purchase.select().count() == 1


def test_a_sale_for_a_missing_member_is_refused(db: object) -> None:
    with pytest.raises(NotFoundError):
        _buy(999_999, 100)
    assert Purchase.select().count() == 0


def test_an_archived_member_cannot_buy(member: int) -> None:
    archive_member(member)
    with pytest.raises(ConflictError):
        _buy(member, 100)
    assert Purchase.select().count() == 0


def test_a_refund_takes_the_sale_out_of_the_figures(member: int) -> None:
    early = _buy(member, 1000, T0 - dt.timedelta(days=10))
    middle = _buy(member, 2000, T0)
    late = _buy(member, 4000, T0 + dt.timedelta(days=10))
    refund_purchase(late, "wrong colour", actor="owner")
    assert _figures(member) == (2, 3000, T0 - dt.timedelta(days=10), T0)
    refund_purchase(early)
    assert _figures(member) == (1, 2000, T0, T0)
    refund_purchase(middle)
    assert _figures(member) == (0, 0, None, None)
    view = get_purchase(late)
    assert view.refunded and view.refund_reason == "wrong colour"
    assert isinstance(view.refunded_at, dt.datetime)
    entry = AuditLog.select().where(AuditLog.action == "purchase.refund").order_by(AuditLog.id).first()
    assert (entry.target, entry.actor) == (f"purchase:{late}", "owner")


def test_a_purchase_is_refunded_once(member: int) -> None:
    purchase_id = _buy(member, 1000)
    refund_purchase(purchase_id)
    with pytest.raises(ConflictError):
        refund_purchase(purchase_id)
    assert _figures(member) == (0, 0, None, None)


def test_refunding_a_missing_purchase(db: object) -> None:
    with pytest.raises(NotFoundError):
        refund_purchase(999_999)
    with pytest.raises(NotFoundError):
        get_purchase(999_999)


def test_a_refunded_sale_saved_again_stays_refunded(member: int) -> None:
    purchase_id = _buy(member, 1000, uid="sale-1")
    refund_purchase(purchase_id)
    assert _buy(member, 1000, uid="sale-1") == purchase_id
    assert _figures(member) == (0, 0, None, None)


def test_purchases_of_an_archived_member_can_be_refunded(member: int) -> None:
    purchase_id = _buy(member, 1000)
    archive_member(member)
    refund_purchase(purchase_id)
    assert _figures(member) == (0, 0, None, None)


def test_list_member_purchases_pages_newest_first_without_gaps_or_repeats(member: int) -> None:
    other = create_member(MemberInput(name="李四", phone="13900139000"))
    _buy(other, 100, T0)
    times = [T0, T0, T0 - dt.timedelta(days=1), T0 + dt.timedelta(hours=1), T0, T0 - dt.timedelta(days=2), T0]
    ids = [_buy(member, 100 * (index + 1), when) for index, when in enumerate(times)]
    expected = [pid for pid, _ in sorted(zip(ids, times, strict=True), key=lambda pair: (pair[1], pair[0]),
                                         reverse=True)]
    seen: list[int] = []
    pages = 0
    after = None
    while True:
        page = list_member_purchases(member, after=after, limit=3)
        if not page:
            break
        pages += 1
        assert len(page) <= 3
        seen.extend(view.id for view in page)
        after = (page[-1].purchased_at, page[-1].id)
    assert seen == expected
    assert pages == 3
    assert [view.id for view in list_member_purchases(member, limit=50)] == expected
    assert list_member_purchases(999_999) == []


def test_list_member_purchases_includes_refunds_and_items(member: int) -> None:
    cream = create_category("面霜")
    kept = record_purchase(
        PurchaseInput(member_id=member, purchased_at=T0, items=[PurchaseItemInput(26800, cream)])
    )
    refunded = _buy(member, 100, T0 - dt.timedelta(days=1))
    refund_purchase(refunded)
    views = list_member_purchases(member)
    assert [(view.id, view.refunded) for view in views] == [(kept, False), (refunded, True)]
    assert views[0].items[0].category_name == "面霜"
