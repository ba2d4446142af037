"""Members with points expiring soon: the window, the order, archived members and spent lots left out."""

from __future__ import annotations

import datetime as dt

from shopdesk.domain.points import ExpiryPolicy, PointsRules
from shopdesk.services.members import MemberInput, archive_member, create_member
from shopdesk.services.points import adjust_points, save_points_rules
from shopdesk.services.points_expiring import members_with_expiring_points

TODAY = dt.date(2026, 6, 1)


def test_expiring_points_within_the_window_soonest_first(db):
    save_points_rules(PointsRules(expiry=ExpiryPolicy.DAYS, expiry_n=30))
    soon = create_member(MemberInput(name="王丽", phone="13800138000"))
    later = create_member(MemberInput(name="李娜", phone="13900139000"))
    far = create_member(MemberInput(name="张敏", phone="13700137000"))
    gone = create_member(MemberInput(name="赵雪", phone="13600136000"))
    adjust_points(soon, 100, "old card", today=TODAY - dt.timedelta(days=25))  # expires in 5 days
    adjust_points(soon, 40, "old card", today=TODAY - dt.timedelta(days=20))  # expires in 10 days
    adjust_points(later, 300, "old card", today=TODAY - dt.timedelta(days=10))  # in 20 days
    adjust_points(far, 500, "old card", today=TODAY + dt.timedelta(days=10))  # in 40 days: outside
    adjust_points(gone, 80, "old card", today=TODAY - dt.timedelta(days=25))
    archive_member(gone)

    rows = members_with_expiring_points(30, today=TODAY)

    assert [(row.name, row.points, row.first_expiry) for row in rows] == [
        ("王丽", 140, TODAY + dt.timedelta(days=5)),
        ("李娜", 300, TODAY + dt.timedelta(days=20)),
    ]
    assert rows[0].phone == "13800138000"
    assert members_with_expiring_points(7, today=TODAY)[0].points == 100
    assert members_with_expiring_points(30, today=TODAY, limit=1)[0].name == "王丽"


def test_spent_and_expired_lots_do_not_count(db):
    save_points_rules(PointsRules(expiry=ExpiryPolicy.DAYS, expiry_n=30))
    member = create_member(MemberInput(name="王丽", phone="13800138000"))
    adjust_points(member, 100, "old card", today=TODAY - dt.timedelta(days=40))  # expired 10 days ago
    adjust_points(member, 60, "old card", today=TODAY - dt.timedelta(days=25))
    adjust_points(member, -60, "spent", today=TODAY)  # takes the live lot that expires soonest

    assert members_with_expiring_points(30, today=TODAY) == []
