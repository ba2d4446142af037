"""Random sequences of sales, refunds, redemptions, gifts, adjustments, expiry runs and clock jumps keep
the points ledger sound after every step, on SQLite and PostgreSQL (a fresh database per example).

Checked after every step: the cached balance equals the ledger sum and each entry's ``balance_after``
the running sum; no lot is below zero or above what it was given; the lots hold ``max(balance, 0)``.
Checked by the steps: a redemption never spends more than the usable balance (more is refused with
ConflictError and changes nothing), and takes exactly what the spend order says; a sale earns exactly
what the rules say, once; a refund reverses exactly what its sale earned and spent, once; expiry takes
only lots past their last day, and running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from shopdesk.db.database import close_database, open_database
from shopdesk.db.models import Gift, Member, PointsEntry, PointsLot, PointsUse, Tier
from shopdesk.domain.birthdays import Birthday
from shopdesk.domain.points import (
    ExpiryPolicy,
    Lot,
    PointsRules,
    allocate,
    combined_multiplier,
    earned_points,
    max_redeemable_points,
    points_value_fen,
)
from shopdesk.errors import ConflictError
from shopdesk.services import points
from shopdesk.services.catalog import create_category
from shopdesk.services.gifts import GiftInput, create_gift
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.purchases import PurchaseInput, PurchaseItemInput, record_purchase, refund_purchase
from shopdesk.services.tiers import TierInput, list_tiers, save_tiers, set_tier_manually
from shopdesk.services.transactions import atomic

START = dt.datetime(2019, 1, 7, 9, 0)  # the simulated clock stays in the past: sales cannot be in the future
# The default keeps the suite fast; SHOPDESK_POINTS_EXAMPLES=500 searches deeper (a few minutes).
SETTINGS = settings(
    max_examples=int(os.environ.get("SHOPDESK_POINTS_EXAMPLES", "25")),
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value)[:10])


def _usable(member_id: int, today: dt.date) -> int:
    """Points the member may spend today, worked out here from the rows (not by the service)."""
    if Member.get_by_id(member_id).points_balance <= 0:
        return 0
    total = 0
    for lot in PointsLot.select().where(PointsLot.member == member_id):
        available, expires = _date(lot.available_from), _date(lot.expires_on)
        if (available is None or available <= today) and (expires is None or expires >= today):
            total += lot.remaining
    return total


def _lots(member_id: int) -> list[Lot]:
    return [
        Lot(row.id, row.remaining, _date(row.expires_on), _date(row.available_from))
        for row in PointsLot.select().where((PointsLot.member == member_id) & (PointsLot.remaining > 0))
    ]


def _state() -> tuple:
    """Everything points-related, to show that a refused action changed nothing."""
    entries = list(PointsEntry.select(PointsEntry.id).order_by(PointsEntry.id).tuples())
    lots = list(PointsLot.select(PointsLot.id, PointsLot.remaining).order_by(PointsLot.id).tuples())
    balances = list(Member.select(Member.id, Member.points_balance).order_by(Member.id).tuples())
    stock = list(Gift.select(Gift.id, Gift.stock).order_by(Gift.id).tuples())
    return entries, lots, balances, stock


def _purchase_entries(purchase_id: int) -> dict[str, int]:
    prefix = f"purchase:{purchase_id}:"
    return {
        key[len(prefix) :]: amount
        for key, amount in PointsEntry.select(PointsEntry.key, PointsEntry.amount)
        .where(PointsEntry.key.startswith(prefix))
        .tuples()
    }


@dataclass(frozen=True)
class Sale:
    who: int
    fen: int
    basket: str  # plain (no items), cream, tobacco (earns nothing), mixed
    use: str  # points: none, some, most (the cap or the balance), over (more than allowed)
    share: int
    days_later: int  # the clock moves on to the sale; the daily expiry run may come first
    expiry_first: bool


@dataclass(frozen=True)
class Spending:
    who: int
    how: str  # gift, share (of the usable points, 120 % at times), amount, add
    gift: int
    quantity: int
    share: int
    amount: int


WHO = st.sampled_from([0, 0, 0, 1, 2])  # mostly the same member, so that actions meet
SALES = st.builds(
    Sale,
    who=WHO,
    fen=st.integers(1, 800_00),
    basket=st.sampled_from(["plain", "cream", "tobacco", "mixed"]),
    use=st.sampled_from(["none", "some", "most", "most", "over"]),
    share=st.integers(1, 100),
    days_later=st.sampled_from([0, 0, 1, 4, 12, 30]),
    expiry_first=st.booleans(),
)
SPENDINGS = st.builds(
    Spending,
    who=WHO,
    how=st.sampled_from(["gift", "share", "share", "amount", "add"]),
    gift=st.integers(0, 1),
    quantity=st.integers(1, 3),
    share=st.sampled_from([40, 100, 100, 120]),
    amount=st.integers(1, 400),
)
JUMPS = st.tuples(st.sampled_from([1, 3, 8, 20, 45, 120]), st.integers(0, 23), st.booleans())


class PointsMachine(RuleBasedStateMachine):
    """One shop: three members (plain; Gold by hand with a birthday; referred by the first), two
    categories (one earns nothing), two gifts, a clock that only moves forward.

    Hypothesis orders rules by their number of arguments, then by name, and favours the first: every
    rule takes one argument, so ``buy`` comes first. Each example starts with a few sales, so that
    refunds, replays and spending have something to work on whichever rules Hypothesis enables.
    """

    def __init__(self, fresh_target: Callable[[], str]) -> None:
        super().__init__()
        open_database(fresh_target())
        self.clock = START
        self.members: list[int] = []
        self.gifts: list[int] = []
        self.sales: dict[int, PurchaseInput] = {}  # every sale recorded
        self.live: list[int] = []  # sales not refunded

    def teardown(self) -> None:
        close_database()

    @property
    def today(self) -> dt.date:
        return self.clock.date()

    # ---- set-up ----------------------------------------------------------------------------------------

    @initialize(
        rate=st.sampled_from([1, 2]),
        expiry=st.sampled_from([*ExpiryPolicy, ExpiryPolicy.DAYS]),
        expiry_n=st.sampled_from([1, 7, 30]),
        holding=st.sampled_from([0, 0, 3, 10]),
        cap=st.sampled_from([30, 50, 100, 100]),
        visit=st.booleans(),
        referral=st.booleans(),
        birth_month=st.integers(1, 12),
        opening=st.lists(st.sampled_from([0, 0, 100, 500]), min_size=3, max_size=3),
        history=st.lists(SALES, min_size=1, max_size=4),
    )
    def set_up_shop(
        self,
        rate: int,
        expiry: ExpiryPolicy,
        expiry_n: int,
        holding: int,
        cap: int,
        visit: bool,
        referral: bool,
        birth_month: int,
        opening: list[int],
        history: list[Sale],
    ) -> None:
        self.cream = create_category("面霜")
        self.tobacco = create_category("烟酒")
        self.rules = PointsRules(
            points_per_yuan=rate,
            no_earn_category_ids=frozenset({self.tobacco}),
            birthday_multiplier_percent=200,
            redeem_points_per_yuan=100,
            redeem_cap_percent=cap,
            expiry=expiry,
            expiry_n=expiry_n if expiry is ExpiryPolicy.DAYS else 1 + expiry_n % 3,  # months: 2 or 1
            holding_days=holding,
            visit_reward_count=3 if visit else 0,
            visit_reward_days=30,
            visit_reward_points=40 if visit else 0,
            referrer_points=100 if referral else 0,
            referee_points=50 if referral else 0,
        )
        points.save_points_rules(self.rules)
        save_tiers(
            [TierInput("Regular", 0), TierInput("Silver", 500_00, 110), TierInput("Gold", 1500_00, 120)]
        )
        gold = next(tier.id for tier in list_tiers() if tier.name == "Gold")
        plain = create_member(MemberInput(name="张三", phone="13800138000"))
        vip = create_member(MemberInput(name="王芳", phone="13800138001", birthday=Birthday(birth_month, 9)))
        set_tier_manually(vip, gold, "owner's friend")
        referee = create_member(MemberInput(name="李四", phone="13800138002", referrer_id=plain))
        self.members = [plain, vip, referee]
        for member, amount in zip(self.members, opening, strict=True):
            points.grant_opening_balance(member, amount, today=self.today)  # 0 grants nothing
            points.grant_opening_balance(member, 1000, today=self.today)  # ignored after a real grant
            assert Member.get_by_id(member).points_balance == (amount or 1000)
        self.gifts = [
            create_gift(GiftInput("发夹", points_cost=30, stock=3)),
            create_gift(GiftInput("保温杯", points_cost=150)),
        ]
        for sale in history:  # every example starts with sales to spend, refund and replay
            self.buy(sale)

    # ---- sales -----------------------------------------------------------------------------------------

    @rule(sale=SALES)
    def buy(self, sale: Sale) -> None:
        """A sale, with or without points; asking for more points than allowed is refused."""
        member = self.members[sale.who]
        self._time_passes(dt.timedelta(days=sale.days_later, minutes=7), sale.expiry_first)
        usable = _usable(member, self.today)
        fen = sale.fen
        most = max_redeemable_points(fen, usable, self.rules)
        wanted = {"none": 0, "some": most * sale.share // 100, "most": most, "over": most + sale.share}[
            sale.use
        ]
        items: list[PurchaseItemInput] = []
        if sale.basket == "cream":
            items = [PurchaseItemInput(fen, self.cream)]
        elif sale.basket == "tobacco":
            items = [PurchaseItemInput(fen, self.tobacco)]
        elif sale.basket == "mixed":
            items = [PurchaseItemInput(fen - fen // 3, self.cream), PurchaseItemInput(fen // 3, self.tobacco)]
        data = PurchaseInput(
            member_id=member,
            amount_fen=fen,
            purchased_at=self.clock,
            items=items,
            points_to_use=wanted,
            uid=uuid.uuid4().hex,
        )
        if sale.use == "over":
            before = _state()
            with pytest.raises(ConflictError):
                record_purchase(data)
            assert _state() == before, "a refused sale changed the points"
            return

        row = Member.get_by_id(member)
        tier_percent = Tier.get_by_id(row.tier_id).multiplier_percent if row.tier_id else 100
        birthday = row.birth_month == self.clock.month
        purchase_id = record_purchase(data)
        self.sales[purchase_id] = data
        self.live.append(purchase_id)

        paid = fen - points_value_fen(wanted, self.rules)
        earning = sum(item.amount_fen for item in items if item.category_id != self.tobacco) if items else fen
        multiplier = combined_multiplier(tier_percent, birthday, self.rules)
        earn = earned_points(paid * earning // fen, self.rules, multiplier)
        expected = {}
        if wanted:
            expected["redeem"] = -wanted
        if earn:
            expected["earn"] = earn
        assert _purchase_entries(purchase_id) == expected

    @precondition(lambda self: self.sales)
    @rule(choice=st.tuples(st.integers(0, 1000), st.booleans()))
    def refund_or_replay(self, choice: tuple[int, bool]) -> None:
        """A sale is refunded (if not yet), or its save is retried."""
        pick, refund = choice
        if refund and self.live:
            self._refund(self.live.pop(pick % len(self.live)))
        else:
            self._replay(sorted(self.sales)[pick % len(self.sales)])

    def _refund(self, purchase_id: int) -> None:
        """A refund reverses exactly what the sale earned and spent; a second refund is refused."""
        before = _purchase_entries(purchase_id)
        refund_purchase(purchase_id, "returned")
        expected = dict(before)
        if "earn" in before:
            expected["refund_earn"] = -before["earn"]
        if "redeem" in before:
            expected["refund_redeem"] = -before["redeem"]
        assert _purchase_entries(purchase_id) == expected
        state = _state()
        with pytest.raises(ConflictError):
            refund_purchase(purchase_id, "again")
        assert _state() == state

    def _replay(self, purchase_id: int) -> None:
        """A retried save, and the ledger steps of a sale run again with the sale's own figures."""
        before = _state()
        data = self.sales[purchase_id]
        assert record_purchase(data) == purchase_id
        entries = _purchase_entries(purchase_id)
        when = data.purchased_at or START
        with atomic():
            member = points.lock_member(data.member_id or 0)
            points.spend_for_purchase(member, purchase_id, -entries.get("redeem", 0), when, "replay")
            points.earn_for_purchase(member, purchase_id, entries.get("earn", 0), when, self.rules, "replay")
        assert _state() == before, "a replayed sale changed the points"

    # ---- redemptions and adjustments -------------------------------------------------------------------

    @rule(spending=SPENDINGS)
    def redeem_or_adjust(self, spending: Spending) -> None:
        """A gift; points taken off by hand (a share of what is usable, more than all of it at times, or
        a number of points); or points added by hand (a debt is paid off first)."""
        member = self.members[spending.who]
        if spending.how == "add":
            balance = Member.get_by_id(member).points_balance
            new = points.adjust_points(member, spending.amount, "goodwill", today=self.today)
            assert new == balance + spending.amount
            return
        if spending.how == "gift":
            gift_id = self.gifts[spending.gift]
            gift = Gift.get_by_id(gift_id)
            self._check_spending(
                member,
                lambda: points.redeem_gift(member, gift_id, spending.quantity, today=self.today),
                gift.points_cost * spending.quantity,
                refused=gift.stock is not None and gift.stock < spending.quantity,
            )
            return
        usable = _usable(member, self.today)
        wanted = max(1, usable * spending.share // 100) if spending.how == "share" else spending.amount
        self._check_spending(
            member,
            lambda: points.adjust_points(member, -wanted, "correction", today=self.today),
            wanted,
            refused=False,
        )

    def _check_spending(
        self, member: int, spend: Callable[[], object], points_wanted: int, refused: bool
    ) -> None:
        """Run a redemption; it succeeds exactly when allowed and takes what the spend order says."""
        usable = _usable(member, self.today)
        lots = _lots(member)
        before = _state()
        balance = Member.get_by_id(member).points_balance
        if refused or points_wanted > usable:
            with pytest.raises(ConflictError):
                spend()
            assert _state() == before, "a refused redemption changed the points"
            return
        spend()
        assert Member.get_by_id(member).points_balance == balance - points_wanted
        entry = PointsEntry.select().where(PointsEntry.member == member).order_by(PointsEntry.id.desc()).get()
        assert entry.amount == -points_wanted
        taken = sorted(
            PointsUse.select(PointsUse.lot, PointsUse.amount).where(PointsUse.entry == entry).tuples()
        )
        assert taken == sorted(allocate(lots, points_wanted, self.today))

    # ---- the clock and expiry ------------------------------------------------------------------------

    @rule(jump=JUMPS)
    def time_passes(self, jump: tuple[int, int, bool]) -> None:
        """The clock jumps; the expiry run (on opening, and daily) may follow."""
        days, hours, expire = jump
        self._time_passes(dt.timedelta(days=days, hours=hours), expire)

    def _time_passes(self, delta: dt.timedelta, expire: bool) -> None:
        new_day = (self.clock + delta).date() != self.today
        self.clock += delta
        if expire and new_day:
            self._expiry_runs()

    def _expiry_runs(self) -> None:
        today = self.today
        lots = {row.id: row for row in PointsLot.select()}
        expired = points.run_expiry(today)
        due = 0
        for row in PointsLot.select():
            old = lots[row.id]
            expires = _date(row.expires_on)
            if expires is None or expires >= today:
                assert row.remaining == old.remaining, "expiry took points from a lot still valid"
            else:
                assert row.remaining == 0
                due += old.remaining
        assert expired == due
        state = _state()
        assert points.run_expiry(today) == 0
        assert _state() == state, "a second expiry run changed something"

    # ---- after every step ------------------------------------------------------------------------------

    @invariant()
    def the_ledger_and_the_lots_agree(self) -> None:
        for member in self.members:
            balance = Member.get_by_id(member).points_balance
            running = 0
            for amount, after in (
                PointsEntry.select(PointsEntry.amount, PointsEntry.balance_after)
                .where(PointsEntry.member == member)
                .order_by(PointsEntry.id)
                .tuples()
            ):
                running += amount
                assert after == running
            assert balance == running == points.ledger_sum(member)
            lots = list(PointsLot.select().where(PointsLot.member == member))
            assert all(0 <= lot.remaining <= lot.original for lot in lots)
            assert sum(lot.remaining for lot in lots) == max(balance, 0)
        assert not Gift.select().where(Gift.stock < 0).exists()
        assert not PointsUse.select().where(PointsUse.amount <= 0).exists()


def _empty_pg_schema(url: str) -> None:
    """As ``tests/conftest.py`` does for each test: drop and recreate the public schema."""
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    conn.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_random_points_histories_keep_the_ledger_sound(
    backend: str, pg_url: str | None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if backend == "postgres" and not pg_url:
        pytest.skip("SHOPDESK_TEST_PG_URL is not set")

    def fresh_target() -> str:
        if backend == "sqlite":
            return str(Path(tmp_path_factory.mktemp("points")) / "shop.db")
        assert pg_url is not None
        _empty_pg_schema(pg_url)
        return pg_url

    run_state_machine_as_test(lambda: PointsMachine(fresh_target), settings=SETTINGS)
