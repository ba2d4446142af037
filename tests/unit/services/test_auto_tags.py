"""Automatic tags on SQLite and PostgreSQL: lifecycle and RFM boundaries on hand-built members, the SQL
agreeing with the domain rules, birthday and high-value tags, idempotence, protection and progress."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from shopdesk.db import sql
from shopdesk.db.models import Member, MemberTag, Tag
from shopdesk.domain.lifecycle import Lifecycle, LifecycleRules, classify
from shopdesk.domain.rfm import RfmCutoffs, RfmSegment, segment_for
from shopdesk.errors import UserError, ValidationError
from shopdesk.services import auto_tags, tags
from shopdesk.services.auto_tags import (
    KIND_BIRTHDAY,
    KIND_HIGH_VALUE,
    KIND_LIFECYCLE,
    KIND_RFM,
    recompute_auto_tags,
    save_lifecycle_overrides,
)
from shopdesk.services.members import MemberInput, archive_member, create_member
from shopdesk.services.progress import CancelledError
from shopdesk.services.purchases import PurchaseInput, record_purchase, refund_purchase
from shopdesk.services.settings import SHOP_TYPE, set_setting

TODAY = dt.date.today()
RULES = {
    "new_days": 30,
    "dormant_factor_percent": 200,
    "min_dormant_days": 7,
    "single_dormant_days": 60,
    "lost_days": 180,
}
_phones = itertools.count(13800000000)


def at(days_ago: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(hour, minute))


def hand_built(
    first: int | None = None,
    last: int | None = None,
    interval: int | None = None,
    count: int | None = None,
    spent: int = 0,
    *,
    hour: int = 12,
    **fields: object,
) -> int:
    """A member whose cached figures are written directly (the figures the jobs read)."""
    if count is None:
        count = 0 if last is None else 1
    return Member.create(
        name="测试",
        phone=str(next(_phones)),
        first_purchase_at=None if first is None else at(first, hour),
        last_purchase_at=None if last is None else at(last, hour),
        interval_days=interval,
        purchase_count=count,
        total_spent_fen=spent,
        **fields,
    ).id


def buy(member_id: int, fen: int, days_ago: int) -> int:
    return record_purchase(PurchaseInput(member_id=member_id, amount_fen=fen, purchased_at=at(days_ago)))


def auto_tag_names(member_id: int) -> set[tuple[str, str]]:
    query = (
        Tag.select(Tag.auto_kind, Tag.auto_key)
        .join(MemberTag)
        .where((MemberTag.member == member_id) & Tag.auto_kind.is_null(False))
    )
    return set(query.tuples())


def member(member_id: int) -> Member:
    return Member.get_by_id(member_id)


# ---- lifecycle ------------------------------------------------------------------------------------------


def test_each_lifecycle_boundary_on_hand_built_members(db) -> None:
    save_lifecycle_overrides(RULES)
    cases = {
        hand_built(): Lifecycle.PROSPECT,
        hand_built(29, 29): Lifecycle.NEW,
        hand_built(30, 30): Lifecycle.ACTIVE,
        hand_built(60, 60): Lifecycle.ACTIVE,
        hand_built(61, 61): Lifecycle.DORMANT,
        hand_built(300, 40, 20, 5): Lifecycle.ACTIVE,
        hand_built(300, 41, 20, 5): Lifecycle.DORMANT,
        hand_built(300, 7, 1, 50): Lifecycle.ACTIVE,
        hand_built(300, 8, 1, 50): Lifecycle.DORMANT,
        hand_built(400, 180, 100, 3): Lifecycle.ACTIVE,
        hand_built(400, 181, 100, 3): Lifecycle.LOST,
        hand_built(29, 20, 1, 3): Lifecycle.NEW,
    }
    recompute_auto_tags(TODAY)
    for member_id, expected in cases.items():
        assert member(member_id).lifecycle == expected.value, member_id
        tagged = {key for kind, key in auto_tag_names(member_id) if kind == KIND_LIFECYCLE}
        assert tagged == (set() if expected is Lifecycle.PROSPECT else {expected.value})


def test_the_sql_case_agrees_with_the_domain_rule(db) -> None:
    rules = LifecycleRules(
        new_days=30, dormant_factor_percent=150, min_dormant_days=7, single_dormant_days=45, lost_days=120
    )
    save_lifecycle_overrides(rules.as_dict())
    built = []
    day_choices = (0, 1, 6, 7, 8, 22, 23, 29, 30, 31, 44, 45, 46, 119, 120, 121, 300)
    for first, last, interval, hour in itertools.product(
        (0, 29, 30, 31, 300), day_choices, (None, 1, 15, 30, 100), (0, 23)
    ):
        if last > first:
            continue
        built.append(
            (hand_built(first, last, interval, hour=hour), at(first, hour), at(last, hour), interval)
        )
    recompute_auto_tags(TODAY)
    stored = dict(Member.select(Member.id, Member.lifecycle).tuples())
    for member_id, first, last, interval in built:
        assert stored[member_id] == classify(first, last, interval, TODAY, rules).value, (
            first,
            last,
            interval,
        )


def test_lifecycle_follows_the_calendar_and_keeps_the_tag_date(db) -> None:
    save_lifecycle_overrides(RULES)
    member_id = hand_built(300, 10, 20, 5)
    recompute_auto_tags(TODAY)
    assert member(member_id).lifecycle == "active"
    later = TODAY + dt.timedelta(days=31)  # 41 days since the last purchase
    report = recompute_auto_tags(later)
    assert member(member_id).lifecycle == "dormant"
    assert report.added >= 1 and report.removed >= 1
    row = (
        MemberTag.select(MemberTag.created_at)
        .join(Tag)
        .where((MemberTag.member == member_id) & (Tag.auto_key == "dormant"))
        .get()
    )
    again = recompute_auto_tags(later)
    assert (again.added, again.removed, again.changed) == (0, 0, 0)
    still = (
        MemberTag.select(MemberTag.created_at)
        .join(Tag)
        .where((MemberTag.member == member_id) & (Tag.auto_key == "dormant"))
        .get()
    )
    assert still.created_at == row.created_at  # "dormant since" survives daily runs


def test_defaults_come_from_the_shop_type_then_from_the_shop_rhythm(db) -> None:
    set_setting(SHOP_TYPE, "bakery")
    assert auto_tags.lifecycle_rules().single_dormant_days == 21
    for _ in range(30):
        hand_built(300, 5, 45, 6)
    assert auto_tags.compute_derived_rules().single_dormant_days == 90
    report = recompute_auto_tags(TODAY)
    assert (report.rules.single_dormant_days, report.rules.lost_days) == (90, 270)
    assert auto_tags.lifecycle_rules().single_dormant_days == 90
    save_lifecycle_overrides({"lost_days": 200})
    assert auto_tags.lifecycle_rules() == LifecycleRules(single_dormant_days=90, lost_days=200)
    save_lifecycle_overrides({"lost_days": None})
    assert auto_tags.lifecycle_rules().lost_days == 270


def test_lifecycle_overrides_are_checked(db) -> None:
    with pytest.raises(ValidationError):
        save_lifecycle_overrides({"lost_days": 0})
    with pytest.raises(ValidationError):
        save_lifecycle_overrides({"nonsense": 3})
    with pytest.raises(ValidationError):
        save_lifecycle_overrides({"single_dormant_days": 100, "lost_days": 90})


# ---- RFM ------------------------------------------------------------------------------------------------


def _ntile_cutoffs_in_sql(today: dt.date) -> RfmCutoffs:
    """The reference: NTILE(5) windows in the database itself."""
    days = sql.days_since("last_purchase_at")
    found = []
    for value in (f"(0 - {days})", "purchase_count", "total_spent_fen"):
        params = [sql.date_param(today)] if "?" in value else []
        rows = sql.rows(
            f"SELECT b, MAX(v) FROM (SELECT {value} AS v, NTILE(5) OVER (ORDER BY {value}) AS b FROM member"
            " WHERE archived_at IS NULL AND last_purchase_at IS NOT NULL) q GROUP BY b ORDER BY b",
            params * 2,
        )
        found.append(tuple(int(v) for _b, v in rows[:-1]))
    return RfmCutoffs(*found)


def test_rfm_scores_each_boundary_on_five_members(db) -> None:
    ids = [hand_built(400, 50 - 10 * i, None, i + 1, 1000 * (i + 1)) for i in range(5)]
    report = recompute_auto_tags(TODAY)
    assert report.cutoffs == RfmCutoffs((-50, -40, -30, -20), (1, 2, 3, 4), (1000, 2000, 3000, 4000))
    for score, member_id in enumerate(ids, start=1):
        row = member(member_id)
        assert (row.rfm_r, row.rfm_f, row.rfm_m) == (score, score, score)
    assert [member(i).rfm_segment for i in ids] == ["gen_winback", "gen_winback"] + ["imp_value"] * 3


def test_every_segment_from_hand_built_scores(db) -> None:
    # Ten buyers: values 1..10 make two members per quintile; pick the scores by the rank given.
    def rank_member(r: int, f: int, m: int) -> int:
        return hand_built(400, 100 - r * 10, None, f, m * 100)

    filler = [rank_member(v, v, v) for v in range(1, 11)]
    assert filler
    wanted = {
        RfmSegment.IMPORTANT_VALUE: (9, 9, 9),
        RfmSegment.IMPORTANT_DEVELOPMENT: (9, 2, 9),
        RfmSegment.IMPORTANT_RETENTION: (2, 9, 9),
        RfmSegment.IMPORTANT_WINBACK: (2, 2, 9),
        RfmSegment.GENERAL_VALUE: (9, 9, 2),
        RfmSegment.GENERAL_DEVELOPMENT: (9, 2, 2),
        RfmSegment.GENERAL_RETENTION: (2, 9, 2),
        RfmSegment.GENERAL_WINBACK: (2, 2, 2),
    }
    members = {segment: rank_member(*values) for segment, values in wanted.items()}
    recompute_auto_tags(TODAY)
    for segment, member_id in members.items():
        assert member(member_id).rfm_segment == segment.value
        assert {key for kind, key in auto_tag_names(member_id) if kind == KIND_RFM} == {segment.value}


def test_rfm_in_sql_agrees_with_the_domain_and_with_ntile(db) -> None:
    specs = []
    for i in range(37):  # ties on purpose: few distinct days, counts and amounts
        specs.append((400, (i * 7) % 11 * 9, None, 1 + (i * 5) % 4, 1000 * ((i * 3) % 6)))
    ids = [hand_built(*spec) for spec in specs]
    hand_built()  # a prospect: not scored
    gone = hand_built(400, 3, None, 50, 999_999)
    Member.update(archived_at=at(1)).where(Member.id == gone).execute()
    report = recompute_auto_tags(TODAY)
    expected_cutoffs = RfmCutoffs.from_values(
        [spec[1] for spec in specs], [spec[3] for spec in specs], [spec[4] for spec in specs]
    )
    assert report.cutoffs == expected_cutoffs == _ntile_cutoffs_in_sql(TODAY)
    for member_id, spec in zip(ids, specs, strict=True):
        r, f, m = expected_cutoffs.scores(spec[1], spec[3], spec[4])
        row = member(member_id)
        assert (row.rfm_r, row.rfm_f, row.rfm_m, row.rfm_segment) == (r, f, m, segment_for(r, f, m).value)
    assert member(gone).rfm_segment is None and member(gone).lifecycle is None
    assert auto_tag_names(gone) == set()


def test_one_member_after_a_purchase_reuses_the_shop_cutoffs(db) -> None:
    ids = [hand_built(400, 50 - 10 * i, None, i + 1, 1000 * (i + 1)) for i in range(5)]
    full = recompute_auto_tags(TODAY)
    newcomer = create_member(MemberInput(name="新人", phone="13900000001"))
    buy(newcomer, 100_000, 0)
    single = recompute_auto_tags(TODAY, [newcomer])
    assert single.cutoffs == full.cutoffs and single.members == 1
    row = member(newcomer)
    assert (row.lifecycle, row.rfm_r, row.rfm_f, row.rfm_m) == ("new", 5, 1, 5)
    assert row.rfm_segment == "imp_develop"
    assert ("lifecycle", "new") in auto_tag_names(newcomer)
    assert member(ids[0]).rfm_r == 1  # the others were left alone


# ---- birthday and high value ----------------------------------------------------------------------------


def test_birthday_this_month(db) -> None:
    this_month = hand_built(birth_month=TODAY.month, birth_day=1)
    other_month = hand_built(birth_month=TODAY.month % 12 + 1, birth_day=1)
    unknown = hand_built()
    recompute_auto_tags(TODAY)
    assert (KIND_BIRTHDAY, "this_month") in auto_tag_names(this_month)
    assert (KIND_BIRTHDAY, "this_month") not in auto_tag_names(other_month)
    assert (KIND_BIRTHDAY, "this_month") not in auto_tag_names(unknown)
    next_month = (TODAY.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    recompute_auto_tags(next_month)
    assert (KIND_BIRTHDAY, "this_month") not in auto_tag_names(this_month)
    assert (KIND_BIRTHDAY, "this_month") in auto_tag_names(other_month)


def test_high_value_is_the_top_tenth_by_spending_in_twelve_months(db) -> None:
    spenders = [create_member(MemberInput(name="顾客", phone=str(13700000000 + i))) for i in range(20)]
    for rank, member_id in enumerate(spenders):
        buy(member_id, 1000 * (rank + 1), 10)
    old_rich = create_member(MemberInput(name="老客", phone="13600000000"))
    buy(old_rich, 10_000_000, 400)  # more than a year ago: does not count
    refunded = create_member(MemberInput(name="退货", phone="13600000001"))
    refund_purchase(buy(refunded, 10_000_000, 5))
    report = recompute_auto_tags(TODAY)
    assert report.high_value_min_fen == 19_000
    tagged = set(auto_tags.member_ids_with_auto_tag(KIND_HIGH_VALUE, "top10"))
    assert tagged == set(spenders[-2:])
    buy(spenders[0], 18_500, 1)  # now ties the threshold: 19,500 >= 19,000
    recompute_auto_tags(TODAY, [spenders[0]])
    assert (KIND_HIGH_VALUE, "top10") in auto_tag_names(spenders[0])


# ---- the tags themselves --------------------------------------------------------------------------------


def test_automatic_tags_are_created_once_and_cannot_be_changed_by_hand(db) -> None:
    manual = tags.create_tag("Active customer")  # an existing name: the automatic one steps aside
    recompute_auto_tags(TODAY)
    recompute_auto_tags(TODAY)
    automatic = [t for t in tags.list_tags() if t.is_auto]
    assert len(automatic) == 4 + 8 + 2
    names = {(t.auto_kind, t.auto_key): t.name for t in automatic}
    assert names[(KIND_LIFECYCLE, "active")] == "Active customer (automatic)"
    assert names[(KIND_RFM, "imp_value")] == "Important value customer"
    assert names[(KIND_BIRTHDAY, "this_month")] == "Birthday this month"
    assert names[(KIND_HIGH_VALUE, "top10")] == "High value"
    auto_id = next(t.id for t in automatic if t.auto_key == "dormant")
    member_id = hand_built()
    for action in (
        lambda: tags.rename_tag(auto_id, "x"),
        lambda: tags.recolor_tag(auto_id, "#FFFFFF"),
        lambda: tags.set_tag_group(auto_id, "x"),
        lambda: tags.delete_tag(auto_id),
        lambda: tags.merge_tags(auto_id, manual),
        lambda: tags.merge_tags(manual, auto_id),
        lambda: tags.tag_member(member_id, auto_id),
        lambda: tags.untag_member(member_id, auto_id),
        lambda: tags.bulk_tag([member_id], auto_id),
        lambda: tags.bulk_untag([member_id], auto_id),
    ):
        with pytest.raises(UserError, match="automatic tag"):
            action()


def test_archiving_a_member_drops_their_automatic_tags(db) -> None:
    member_id = hand_built(10, 10, None, 1, 500, birth_month=TODAY.month)
    recompute_auto_tags(TODAY)
    assert {kind for kind, _key in auto_tag_names(member_id)} == {KIND_LIFECYCLE, KIND_RFM, KIND_BIRTHDAY}
    archive_member(member_id)
    recompute_auto_tags(TODAY)
    assert auto_tag_names(member_id) == set()
    assert member(member_id).lifecycle is None


def test_progress_is_reported_and_cancel_rolls_back(db) -> None:
    member_id = hand_built(10, 10)

    class Recorder:
        def __init__(self, cancel_at: int | None = None) -> None:
            self.steps: list[tuple[int, int]] = []
            self.cancel_at = cancel_at

        def step(self, done: int, total: int, message: str = "") -> None:
            self.steps.append((done, total))

        def cancelled(self) -> bool:
            return self.cancel_at is not None and len(self.steps) >= self.cancel_at

    stopper = Recorder(cancel_at=3)
    with pytest.raises(CancelledError):
        recompute_auto_tags(TODAY, progress=stopper)
    assert member(member_id).lifecycle is None
    assert not Tag.select().exists()
    recorder = Recorder()
    recompute_auto_tags(TODAY, progress=recorder)
    assert recorder.steps[-1][0] == recorder.steps[-1][1]
    assert member(member_id).lifecycle == "new"


def test_an_empty_shop_and_an_empty_id_list(db) -> None:
    report = recompute_auto_tags(TODAY)
    assert (report.members, report.added, report.high_value_min_fen) == (0, 0, None)
    assert report.cutoffs == RfmCutoffs()
    assert recompute_auto_tags(TODAY, []).members == 0


def test_scores_for_the_detail_panel_and_the_once_a_day_run(db) -> None:
    member_id = hand_built(10, 10, None, 1, 500)
    assert auto_tags.refresh_auto_tags_daily(TODAY) is not None
    assert auto_tags.refresh_auto_tags_daily(TODAY) is None  # done for today
    scores = auto_tags.member_scores(member_id)
    assert (scores.lifecycle, scores.lifecycle_label) == ("new", "New customer")
    assert (scores.rfm_r, scores.rfm_f, scores.rfm_m) == (1, 1, 1)
    assert (scores.rfm_segment, scores.rfm_segment_label) == ("gen_winback", "General win-back customer")
    assert auto_tags.refresh_auto_tags_daily(TODAY + dt.timedelta(days=1)) is not None
    with pytest.raises(UserError):
        auto_tags.member_scores(999_999)
