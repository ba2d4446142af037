"""Member tiers through the services: the tier list, upgrades at the crossing purchase, progress, manual
overrides and the yearly review; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.db.models import AuditLog, Member, PointsEntry, Tier
from shopdesk.errors import ValidationError
from shopdesk.services import tiers
from shopdesk.services.members import MemberInput, archive_member, create_member
from shopdesk.services.purchases import PurchaseInput, record_purchase, refund_purchase
from shopdesk.services.tiers import TierInput

T0 = dt.datetime(2024, 3, 1, 10, 0)
DAY = dt.timedelta(days=1)


@pytest.fixture
def member(db: object) -> int:
    return create_member(MemberInput(name="张三", phone="13800138000"))


@pytest.fixture
def ladder(db: object) -> dict[str, int]:
    """Regular from the first fen, Silver from ¥1,000, Gold from ¥3,000, Diamond from ¥8,000."""
    tiers.save_tiers(
        [
            TierInput("Regular", 0),
            TierInput("Silver", 1000_00, 110),
            TierInput("Gold", 3000_00, 120, "free gift wrapping"),
            TierInput("Diamond", 8000_00, 150),
        ]
    )
    return {tier.name: tier.id for tier in tiers.list_tiers()}


def _buy(member_id: int, fen: int, when: dt.datetime = T0) -> int:
    return record_purchase(PurchaseInput(member_id=member_id, amount_fen=fen, purchased_at=when))


def _tier(member_id: int) -> int | None:
    return Member.get_by_id(member_id).tier_id


def _history(member_id: int) -> list[tuple[str, str, str]]:
    """(from, to, reason) of every tier change, oldest first."""
    return [(c.from_name, c.to_name, c.reason) for c in reversed(tiers.tier_history(member_id))]


# ---- the list ------------------------------------------------------------------------------------------


def test_the_list_is_ordered_by_threshold_and_edited_in_place(db: object) -> None:
    tiers.save_tiers([TierInput("Gold", 3000_00, 120), TierInput(" Silver  card ", 1000_00, 110, " perks ")])
    listed = tiers.list_tiers()
    assert [(t.name, t.threshold_fen, t.multiplier_percent, t.perks) for t in listed] == [
        ("Silver card", 1000_00, 110, "perks"),
        ("Gold", 3000_00, 120, ""),
    ]
    silver, gold = listed
    tiers.save_tiers([TierInput("Silver", 1500_00, 115, id=silver.id), TierInput("Diamond", 8000_00, 150)])
    listed = tiers.list_tiers()
    assert [(t.id == silver.id, t.name, t.threshold_fen) for t in listed] == [
        (True, "Silver", 1500_00),
        (False, "Diamond", 8000_00),
    ]
    assert Tier.get_by_id(gold.id).active is False  # retired, kept for the history
    assert AuditLog.select().where(AuditLog.action == "tiers.save").count() == 2


@pytest.mark.parametrize(
    "entries",
    [
        [TierInput("", 0)],
        [TierInput("Gold", 0), TierInput(" Gold ", 100)],
        [TierInput("Silver", 100), TierInput("Gold", 100)],
        [TierInput("Silver", -1)],
        [TierInput("Silver", 0, 99)],
        [TierInput("Silver", 0, 1001)],
    ],
)
def test_an_impossible_list_is_refused_and_nothing_changes(ladder: dict[str, int], entries: list) -> None:
    before = tiers.list_tiers()
    with pytest.raises(ValidationError):
        tiers.save_tiers(entries)
    assert tiers.list_tiers() == before


def test_a_new_shop_gets_the_four_usual_tiers_once(db: object) -> None:
    tiers.ensure_default_tiers()
    tiers.ensure_default_tiers()
    assert [(t.name, t.threshold_fen, t.multiplier_percent) for t in tiers.list_tiers()] == [
        ("Regular", 0, 100),
        ("Silver", 1000_00, 110),
        ("Gold", 3000_00, 120),
        ("Diamond", 8000_00, 150),
    ]


def test_the_rules_default_to_lifetime_spending_without_review(db: object) -> None:
    assert tiers.tier_rules() == {"basis": "lifetime", "yearly_review": False}
    tiers.save_tier_rules(tiers.BASIS_12_MONTHS, True)
    assert tiers.tier_rules() == {"basis": "12_months", "yearly_review": True}
    with pytest.raises(ValidationError):
        tiers.save_tier_rules("forever", True)


# ---- upgrades ------------------------------------------------------------------------------------------


def test_the_purchase_that_crosses_a_threshold_upgrades(member: int, ladder: dict[str, int]) -> None:
    assert _tier(member) is None
    _buy(member, 500_00, T0)
    assert _tier(member) == ladder["Regular"]
    _buy(member, 400_00, T0 + DAY)
    assert _tier(member) == ladder["Regular"]
    progress = tiers.member_tier_progress(member)
    assert (progress.current.name, progress.next.name, progress.missing_fen) == ("Regular", "Silver", 100_00)

    crossing = _buy(member, 100_00, T0 + 2 * DAY)  # exactly ¥1,000 in all
    assert _tier(member) == ladder["Silver"]
    progress = tiers.member_tier_progress(member)
    assert (progress.current.name, progress.next.name, progress.missing_fen) == ("Silver", "Gold", 2000_00)
    assert progress.thresholds == (0, 1000_00, 3000_00, 8000_00)
    # The crossing purchase earns at the old rate; the next one at Silver's 110 %.
    assert PointsEntry.get(PointsEntry.key == f"purchase:{crossing}:earn").amount == 100
    after = _buy(member, 100_00, T0 + 3 * DAY)
    assert PointsEntry.get(PointsEntry.key == f"purchase:{after}:earn").amount == 110
    assert _history(member) == [
        ("", "Regular", "First purchase"),
        ("Regular", "Silver", "Spending reached the threshold"),
    ]


def test_a_big_purchase_jumps_straight_to_the_tier_it_reaches(member: int, ladder: dict[str, int]) -> None:
    _buy(member, 5000_00)
    assert _tier(member) == ladder["Gold"]
    assert _history(member) == [("", "Gold", "Spending reached the threshold")]
    progress = tiers.member_tier_progress(member)
    assert (progress.next.name, progress.missing_fen) == ("Diamond", 3000_00)


def test_the_top_tier_has_nothing_left_to_reach(member: int, ladder: dict[str, int]) -> None:
    _buy(member, 9000_00)
    progress = tiers.member_tier_progress(member)
    assert (progress.current.name, progress.next, progress.missing_fen) == ("Diamond", None, 0)


def test_a_refund_does_not_downgrade_until_the_review(member: int, ladder: dict[str, int]) -> None:
    sale = _buy(member, 1200_00)
    refund_purchase(sale)
    assert _tier(member) == ladder["Silver"]
    progress = tiers.member_tier_progress(member)  # the tier held; the next step is the one above it
    assert (progress.current.name, progress.next.name, progress.missing_fen) == ("Silver", "Gold", 3000_00)
    assert tiers.review_tiers(T0.date()) == 1
    assert _tier(member) == ladder["Regular"]  # reached from the first fen


def test_without_tiers_purchases_leave_the_member_without_one(member: int) -> None:
    _buy(member, 9000_00)
    assert _tier(member) is None
    progress = tiers.member_tier_progress(member)
    assert (progress.current, progress.next, progress.missing_fen) == (None, None, 0)


def test_the_last_12_months_basis_ignores_older_spending(member: int, ladder: dict[str, int]) -> None:
    tiers.save_tier_rules(tiers.BASIS_12_MONTHS, False)
    _buy(member, 800_00, dt.datetime(2023, 1, 10, 12, 0))
    _buy(member, 300_00, dt.datetime(2024, 3, 1, 12, 0))  # ¥1,100 in all, ¥300 within the year
    assert _tier(member) == ladder["Regular"]
    assert tiers.spending_basis_fen(member, dt.date(2024, 3, 1)) == 300_00
    progress = tiers.member_tier_progress(member, dt.date(2024, 3, 1))
    assert (progress.next.name, progress.missing_fen) == ("Silver", 700_00)
    _buy(member, 700_00, dt.datetime(2024, 3, 2, 12, 0))
    assert _tier(member) == ladder["Silver"]


# ---- manual override -----------------------------------------------------------------------------------


def test_a_manual_tier_needs_a_reason_and_an_existing_tier(member: int, ladder: dict[str, int]) -> None:
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="reason"):
            tiers.set_tier_manually(member, ladder["Gold"], reason)
    with pytest.raises(ValidationError):
        tiers.set_tier_manually(member, max(ladder.values()) + 1, "VIP")
    tiers.save_tiers([TierInput("Regular", 0, id=ladder["Regular"])])  # the others retire
    with pytest.raises(ValidationError):
        tiers.set_tier_manually(member, ladder["Gold"], "VIP")
    assert _tier(member) is None
    assert Member.get_by_id(member).tier_manual is False
    assert _history(member) == []


def test_purchases_and_the_review_leave_a_manual_tier_alone(member: int, ladder: dict[str, int]) -> None:
    tiers.set_tier_manually(member, ladder["Gold"], " owner's friend ", operator="店长")
    assert (_tier(member), Member.get_by_id(member).tier_manual) == (ladder["Gold"], True)
    change = tiers.tier_history(member)[0]
    assert (change.to_name, change.reason, change.operator) == ("Gold", "owner's friend", "店长")
    assert AuditLog.select().where(AuditLog.action == "tiers.override").count() == 1

    sale = _buy(member, 9000_00)  # would reach Diamond
    assert _tier(member) == ladder["Gold"]
    assert PointsEntry.get(PointsEntry.key == f"purchase:{sale}:earn").amount == 9000 * 120 // 100
    assert tiers.review_tiers(T0.date() + 400 * DAY) == 0
    assert _tier(member) == ladder["Gold"]
    progress = tiers.member_tier_progress(member)
    assert (progress.current.name, progress.next, progress.missing_fen) == ("Gold", None, 0)

    tiers.set_tier_manually(member, None, "left the club")
    assert _tier(member) is None
    assert _history(member)[-1] == ("Gold", "", "left the club")


def test_a_manual_tier_promises_no_upgrade_and_may_be_no_tier(member: int, ladder: dict[str, int]) -> None:
    _buy(member, 1500_00)
    tiers.set_tier_manually(member, ladder["Regular"], "family")
    progress = tiers.member_tier_progress(member)  # purchases no longer raise it: no next step
    assert (progress.current.name, progress.next, progress.missing_fen) == ("Regular", None, 0)
    state = tiers.member_tier_state(member)
    assert (state.tier_id, state.manual, state.reached.name, state.spent_fen) == (
        ladder["Regular"],
        True,
        "Silver",
        1500_00,
    )
    tiers.set_tier_manually(member, None, "staff account")
    progress = tiers.member_tier_progress(member)  # not the Silver that the spending reaches
    assert (progress.current, progress.next) == (None, None)


def test_releasing_a_manual_tier_sets_the_tier_the_spending_reaches(
    member: int, ladder: dict[str, int]
) -> None:
    _buy(member, 1500_00)
    tiers.set_tier_manually(member, ladder["Diamond"], "opening offer", operator="店长")
    for reason in ("", "  "):
        with pytest.raises(ValidationError, match="reason"):
            tiers.release_manual_tier(member, reason)
    assert tiers.member_tier_state(member).manual is True

    assert tiers.release_manual_tier(member, " offer  over ", operator="店长") == ladder["Silver"]
    assert (_tier(member), Member.get_by_id(member).tier_manual) == (ladder["Silver"], False)
    change = tiers.tier_history(member)[0]
    assert (change.from_name, change.to_name, change.reason, change.operator) == (
        "Diamond",
        "Silver",
        "Back to automatic: offer over",
        "店长",
    )
    assert AuditLog.select().where(AuditLog.action == "tiers.release").count() == 1
    progress = tiers.member_tier_progress(member)
    assert (progress.next.name, progress.missing_fen) == ("Gold", 1500_00)
    with pytest.raises(ValidationError, match="already follows"):
        tiers.release_manual_tier(member, "again")

    _buy(member, 1500_00, T0 + DAY)  # automatic again: the purchase that crosses Gold raises it
    assert _tier(member) == ladder["Gold"]


def test_releasing_keeps_a_line_in_the_history_when_the_tier_stays(
    member: int, ladder: dict[str, int]
) -> None:
    _buy(member, 3500_00)
    tiers.set_tier_manually(member, ladder["Gold"], "keep Gold whatever the review says")
    tiers.release_manual_tier(member, "review again")
    assert _tier(member) == ladder["Gold"]
    assert _history(member)[-1] == ("Gold", "Gold", "Back to automatic: review again")
    without_spending = create_member(MemberInput(name="李四", phone="13900139000"))
    tiers.set_tier_manually(without_spending, ladder["Silver"], "trial")
    # Regular starts at ¥0: reached without a purchase, as the yearly review would set it.
    assert tiers.release_manual_tier(without_spending, "trial over") == ladder["Regular"]
    tiers.save_tiers([TierInput("Silver", 1000_00, 110, id=ladder["Silver"])])
    tiers.set_tier_manually(without_spending, ladder["Silver"], "trial")
    assert tiers.release_manual_tier(without_spending, "trial over") is None  # nothing reached
    assert _tier(without_spending) is None


def test_a_clerk_cannot_change_or_release_a_tier(member: int, ladder: dict[str, int]) -> None:
    from shopdesk.errors import UserError
    from shopdesk.services.session import Role, Session, set_current

    tiers.set_tier_manually(member, ladder["Gold"], "VIP")
    set_current(Session(7, "小美", Role.CLERK))
    with pytest.raises(UserError):
        tiers.set_tier_manually(member, ladder["Silver"], "asked nicely")
    with pytest.raises(UserError):
        tiers.release_manual_tier(member, "asked nicely")
    set_current(None)
    assert (_tier(member), Member.get_by_id(member).tier_manual) == (ladder["Gold"], True)


# ---- yearly review -------------------------------------------------------------------------------------


def test_the_yearly_review_downgrades_on_the_last_12_months(member: int, ladder: dict[str, int]) -> None:
    tiers.save_tier_rules(tiers.BASIS_12_MONTHS, True)
    _buy(member, 3500_00, dt.datetime(2023, 1, 10, 12, 0))
    assert _tier(member) == ladder["Gold"]
    assert tiers.review_tiers(dt.date(2023, 12, 31)) == 0  # still within the year
    _buy(member, 1200_00, dt.datetime(2023, 6, 1, 12, 0))
    assert tiers.review_tiers(dt.date(2024, 3, 1)) == 1  # only ¥1,200 within the year
    assert _tier(member) == ladder["Silver"]
    assert tiers.review_tiers(dt.date(2024, 3, 1)) == 0
    assert tiers.review_tiers(dt.date(2024, 7, 1)) == 1  # nothing within the year
    assert _tier(member) == ladder["Regular"]
    assert _history(member) == [
        ("", "Gold", "Spending reached the threshold"),
        ("Gold", "Silver", "Yearly tier review"),
        ("Silver", "Regular", "Yearly tier review"),
    ]


def test_the_review_sets_members_who_bought_before_the_tiers_existed(member: int) -> None:
    _buy(member, 1500_00)
    archived = create_member(MemberInput(name="李四", phone="13900139000"))
    _buy(archived, 1500_00)
    archive_member(archived)
    tiers.save_tiers([TierInput("Regular", 0), TierInput("Silver", 1000_00, 110)])
    assert tiers.review_tiers(T0.date()) == 1
    assert tiers.member_tier_progress(member).current.name == "Silver"
    assert _tier(archived) is None  # archived members are left out
