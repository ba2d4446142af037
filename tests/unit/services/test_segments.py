"""Segments on SQLite and PostgreSQL: every filter condition, counts, the members-table hook, JSON and
saved segments."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from shopdesk.db.models import Coupon, CouponTemplate, Member, Tier
from shopdesk.errors import ConflictError, NotFoundError, ValidationError
from shopdesk.services import segments, tags
from shopdesk.services.catalog import create_staff
from shopdesk.services.member_search import MemberOrder, MemberQuery, search_member_ids
from shopdesk.services.segments import SegmentFilter, count_segment, segment_member_ids

TODAY = dt.date(2026, 6, 15)
_phones = itertools.count(13800000000)


def at(days_ago: int, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(hour))


def person(name: str, **fields: object) -> int:
    return Member.create(name=name, phone=str(next(_phones)), **fields).id


@pytest.fixture
def shop(db) -> dict[str, object]:
    """Six members who differ in every way a segment can look at."""
    gold = Tier.create(name="金卡", sort_order=2).id
    silver = Tier.create(name="银卡", sort_order=1).id
    anna, ben = create_staff("安娜"), create_staff("小本")
    dry, oily, vip = tags.create_tag("干皮"), tags.create_tag("油皮"), tags.create_tag("VIP")
    m = {
        "a": person(
            "甲",
            tier=gold,
            lifecycle="active",
            rfm_segment="imp_value",
            total_spent_fen=500_00,
            purchase_count=5,
            first_purchase_at=at(300),
            last_purchase_at=at(3),
            birth_month=6,
            source="store",
            staff=anna,
            points_balance=800,
        ),
        "b": person(
            "乙",
            tier=silver,
            lifecycle="dormant",
            rfm_segment="gen_winback",
            total_spent_fen=80_00,
            purchase_count=1,
            first_purchase_at=at(90),
            last_purchase_at=at(90, hour=23),
            birth_month=7,
            source="douyin",
            staff=ben,
            points_balance=80,
        ),
        "c": person(
            "丙",
            lifecycle="new",
            rfm_segment="gen_develop",
            total_spent_fen=120_00,
            purchase_count=2,
            first_purchase_at=at(20),
            last_purchase_at=at(10, hour=0),
            birth_month=6,
            source="referral",
            points_balance=0,
        ),
        "d": person("丁", lifecycle="prospect", source="store", points_balance=0),
        "e": person(
            "戊",
            tier=gold,
            lifecycle="lost",
            rfm_segment="imp_winback",
            total_spent_fen=2_000_00,
            purchase_count=3,
            first_purchase_at=at(500),
            last_purchase_at=at(200),
            source="moments",
            staff=anna,
            points_balance=2_000,
        ),
        "gone": person(
            "己",
            tier=gold,
            lifecycle=None,
            total_spent_fen=900_00,
            purchase_count=9,
            last_purchase_at=at(1),
            archived_at=at(0),
        ),
    }
    tags.bulk_tag([m["a"], m["b"], m["gone"]], dry)
    tags.bulk_tag([m["c"]], oily)
    tags.bulk_tag([m["a"], m["c"], m["e"]], vip)
    template = CouponTemplate.create(
        name="满100减20", kind="threshold", value_fen=20_00, threshold_fen=100_00
    )

    def coupon(member_id: int, code: str, status: str, until: dt.date) -> None:
        Coupon.create(
            code=code,
            template=template,
            member=member_id,
            valid_from=TODAY - dt.timedelta(days=30),
            valid_until=until,
            status=status,
        )

    coupon(m["a"], "A1", "unused", TODAY)  # valid until the end of today
    coupon(m["b"], "B1", "unused", TODAY - dt.timedelta(days=1))  # expired yesterday
    coupon(m["c"], "C1", "used", TODAY + dt.timedelta(days=30))
    coupon(m["e"], "E1", "void", TODAY + dt.timedelta(days=30))
    coupon(m["e"], "E2", "unused", TODAY + dt.timedelta(days=30))
    return {"m": m, "tiers": (gold, silver), "staff": (anna, ben), "tags": (dry, oily, vip)}


def matches(shop: dict, segment: SegmentFilter) -> set[str]:
    by_id = {v: k for k, v in shop["m"].items()}
    ids = segment_member_ids(segment, TODAY)
    assert count_segment(segment, TODAY) == len(ids)
    return {by_id[i] for i in ids}


def test_an_empty_filter_is_every_unarchived_member(shop) -> None:
    assert SegmentFilter().is_empty
    assert matches(shop, SegmentFilter()) == {"a", "b", "c", "d", "e"}


def test_tags_any_all_none(shop) -> None:
    dry, oily, vip = shop["tags"]
    assert matches(shop, SegmentFilter(tags_any=(dry, oily))) == {"a", "b", "c"}
    assert matches(shop, SegmentFilter(tags_all=(dry, vip))) == {"a"}
    assert matches(shop, SegmentFilter(tags_none=(dry, oily))) == {"d", "e"}
    assert matches(shop, SegmentFilter(tags_any=(vip,), tags_none=(oily,))) == {"a", "e"}
    assert matches(shop, SegmentFilter(tags_any=(987_654,))) == set()


def test_tier_lifecycle_rfm_source_and_staff(shop) -> None:
    gold, silver = shop["tiers"]
    anna, _ben = shop["staff"]
    assert matches(shop, SegmentFilter(tier_ids=(gold,))) == {"a", "e"}
    assert matches(shop, SegmentFilter(tier_ids=(silver, None))) == {"b", "c", "d"}
    assert matches(shop, SegmentFilter(lifecycles=("dormant", "lost"))) == {"b", "e"}
    assert matches(shop, SegmentFilter(lifecycles=("prospect",))) == {"d"}
    assert matches(shop, SegmentFilter(rfm_segments=("imp_value", "imp_winback"))) == {"a", "e"}
    assert matches(shop, SegmentFilter(sources=("store",))) == {"a", "d"}
    assert matches(shop, SegmentFilter(staff_ids=(anna,))) == {"a", "e"}
    assert matches(shop, SegmentFilter(staff_ids=(None,))) == {"c", "d"}


def test_spending_visits_and_points_ranges_are_inclusive(shop) -> None:
    assert matches(shop, SegmentFilter(spent_min_fen=120_00, spent_max_fen=500_00)) == {"a", "c"}
    assert matches(shop, SegmentFilter(spent_min_fen=1)) == {"a", "b", "c", "e"}
    assert matches(shop, SegmentFilter(visits_min=2, visits_max=3)) == {"c", "e"}
    assert matches(shop, SegmentFilter(visits_max=0)) == {"d"}
    assert matches(shop, SegmentFilter(points_min=80, points_max=800)) == {"a", "b"}


def test_last_purchase_dates_and_days_since(shop) -> None:
    first = TODAY - dt.timedelta(days=90)
    assert matches(shop, SegmentFilter(last_purchase_from=first, last_purchase_to=first)) == {"b"}
    assert matches(shop, SegmentFilter(last_purchase_from=TODAY - dt.timedelta(days=10))) == {"a", "c"}
    assert matches(shop, SegmentFilter(last_purchase_to=TODAY - dt.timedelta(days=11))) == {"b", "e"}
    # b bought 90 days ago late in the evening, c 10 days ago at midnight: whole days either way.
    assert matches(shop, SegmentFilter(days_since_min=10, days_since_max=90)) == {"b", "c"}
    assert matches(shop, SegmentFilter(days_since_min=11, days_since_max=89)) == set()
    assert matches(shop, SegmentFilter(days_since_max=3)) == {"a"}
    assert matches(shop, SegmentFilter(days_since_min=0)) == {"a", "b", "c", "e"}  # never bought: no


def test_birthday_month(shop) -> None:
    assert matches(shop, SegmentFilter(birth_months=(7,))) == {"b"}
    assert matches(shop, SegmentFilter(birth_months=(6, 7))) == {"a", "b", "c"}
    assert matches(shop, SegmentFilter(birthday_this_month=True)) == {"a", "c"}
    assert matches(shop, SegmentFilter(birthday_this_month=True, birth_months=(7,))) == set()


def test_unused_valid_coupon(shop) -> None:
    assert matches(shop, SegmentFilter(has_unused_coupon=True)) == {"a", "e"}
    assert matches(shop, SegmentFilter(has_unused_coupon=False)) == {"b", "c", "d"}


def test_conditions_combine_with_and(shop) -> None:
    gold, _silver = shop["tiers"]
    _dry, _oily, vip = shop["tags"]
    segment = SegmentFilter(tier_ids=(gold,), tags_any=(vip,), days_since_max=30)
    assert segment.condition_count() == 3
    assert matches(shop, segment) == {"a"}


def test_the_members_table_applies_a_segment(shop) -> None:
    gold, _silver = shop["tiers"]
    m = shop["m"]
    query = MemberQuery(order=MemberOrder.TOTAL_SPENT, segment=SegmentFilter(tier_ids=(gold,)))
    assert search_member_ids(query) == [m["e"], m["a"]]
    assert search_member_ids(MemberQuery(text="甲", segment=SegmentFilter(tier_ids=(gold,)))) == [m["a"]]
    assert search_member_ids(MemberQuery(text="乙", segment=SegmentFilter(tier_ids=(gold,)))) == []
    archived = MemberQuery(include_archived=True, segment=SegmentFilter(tier_ids=(gold,)))
    assert set(search_member_ids(archived)) == {m["a"], m["e"], m["gone"]}
    assert len(search_member_ids(MemberQuery(segment=SegmentFilter()))) == 5


def test_json_round_trip_keeps_every_kind_of_value() -> None:
    segment = SegmentFilter(
        tags_any=(1, 2),
        tags_all=(3,),
        tags_none=(4,),
        tier_ids=(5, None),
        lifecycles=("new",),
        rfm_segments=("imp_value",),
        spent_min_fen=0,
        spent_max_fen=100_00,
        visits_min=0,
        visits_max=3,
        last_purchase_from=dt.date(2026, 1, 1),
        last_purchase_to=dt.date(2026, 2, 1),
        days_since_min=0,
        days_since_max=30,
        birth_months=(1, 12),
        birthday_this_month=True,
        sources=("store",),
        staff_ids=(None, 7),
        has_unused_coupon=False,
        points_min=0,
        points_max=10,
    )
    text = segment.to_json()
    assert SegmentFilter.from_json(text) == segment
    assert '"has_unused_coupon": false' in text and '"visits_min": 0' in text
    assert SegmentFilter.from_json(SegmentFilter().to_json()) == SegmentFilter()
    assert SegmentFilter.from_dict({"lifecycles": ["lost"], "from_the_future": 1}) == SegmentFilter(
        lifecycles=("lost",)
    )


@pytest.mark.parametrize(
    "data",
    [
        {"spent_min_fen": 10, "spent_max_fen": 5},
        {"birth_months": [13]},
        {"lifecycles": ["zombie"]},
        {"rfm_segments": ["champions"]},
        {"visits_min": -1},
        {"tags_any": "1,2"},
        {"last_purchase_from": "yesterday"},
        {"last_purchase_from": "2026-02-01", "last_purchase_to": "2026-01-01"},
    ],
)
def test_nonsense_is_refused(data: dict) -> None:
    with pytest.raises(ValidationError):
        SegmentFilter.from_dict(data)


def test_unreadable_json() -> None:
    with pytest.raises(ValidationError):
        SegmentFilter.from_json("{not json")
    with pytest.raises(ValidationError):
        SegmentFilter.from_json("[1, 2]")


def test_saved_segments_round_trip(shop) -> None:
    gold, _silver = shop["tiers"]
    segment = SegmentFilter(tier_ids=(gold,), days_since_max=30, has_unused_coupon=True)
    segment_id = segments.save_segment(" 金卡 近30天 ", segment)
    saved = segments.get_segment(segment_id)
    assert (saved.name, saved.filter) == ("金卡 近30天", segment)
    assert segments.find_segment("金卡 近30天").id == segment_id
    assert matches(shop, saved.filter) == {"a"}
    with pytest.raises(ConflictError):
        segments.save_segment("金卡 近30天", SegmentFilter())
    assert segments.save_segment("金卡 近30天", SegmentFilter(tier_ids=(gold,)), replace=True) == segment_id
    assert segments.get_segment(segment_id).filter == SegmentFilter(tier_ids=(gold,))
    other = segments.save_segment("沉睡", SegmentFilter(lifecycles=("dormant",)))
    with pytest.raises(ConflictError):
        segments.rename_segment(other, "金卡 近30天")
    segments.rename_segment(other, "唤醒名单")
    segments.update_segment(other, SegmentFilter(lifecycles=("dormant", "lost")))
    assert [(s.name, s.filter.lifecycles) for s in segments.list_segments()] == [
        ("唤醒名单", ("dormant", "lost")),
        ("金卡 近30天", ()),
    ]
    segments.delete_segment(other)
    assert segments.find_segment("唤醒名单") is None
    with pytest.raises(NotFoundError):
        segments.delete_segment(other)
    with pytest.raises(ValidationError):
        segments.save_segment(" ", SegmentFilter())
    with pytest.raises(ValidationError):
        segments.save_segment("坏", SegmentFilter(visits_min=5, visits_max=1))
