"""Duplicate suggestions, merging two members and undoing the merge, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from shopdesk.domain.points import PointsRules
from shopdesk.errors import ConflictError, ValidationError
from shopdesk.services import members, merge, points, purchases
from shopdesk.services.members import MemberInput
from shopdesk.services.purchases import PurchaseInput


def _member(name: str, phone: str, **extra: object) -> int:
    return members.create_member(MemberInput(name=name, phone=phone, **extra))


def _buy(member_id: int, fen: int, days_ago: int = 1) -> int:
    when = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
    return purchases.record_purchase(PurchaseInput(member_id=member_id, amount_fen=fen, purchased_at=when))


def test_suggests_same_name_and_birthday_or_phone_one_digit_apart(db) -> None:
    a = _member("王芳", "13800138000", birthday="3月9日")
    b = _member("王芳", "13800138001")
    c = _member("王芳", "13911112222", birthday="1990-03-09")
    _member("王芳", "13700000000")  # same name only: not suggested
    _member("李娜", "13800138002", birthday="3月9日")  # same birthday only: not suggested
    pairs = {(p.first_id, p.second_id): p.reason for p in merge.suggest_duplicates()}
    assert set(pairs) == {(a, b), (a, c)}
    assert "one digit" in pairs[(a, b)]
    assert "birthday" in pairs[(a, c)]


def test_merge_moves_everything_and_undo_restores_it(db) -> None:
    points.save_points_rules(PointsRules(points_per_yuan=1))
    keep = _member("王芳", "13800138000")
    drop = _member("王芳", "13800138001", birthday="3月9日", notes="喜欢玫瑰味")
    referee = _member("赵敏", "13900000001", referrer_id=drop)
    _buy(keep, 100_00, days_ago=10)
    _buy(drop, 250_00, days_ago=3)

    merge_id = merge.merge_members(keep, drop)

    kept = members.get_member(keep)
    assert (kept.purchase_count, kept.total_spent_fen) == (2, 350_00)
    assert kept.birthday is not None and (kept.birthday.month, kept.birthday.day) == (3, 9)
    assert "玫瑰" in kept.notes
    assert points.points_summary(keep).balance == 350 == points.ledger_sum(keep)
    assert members.get_member(referee).referrer_id == keep
    dropped = members.get_member(drop)
    assert dropped.archived_at is not None and dropped.purchase_count == 0
    assert members.get_member_rows([drop])[0].archived

    merge.undo_merge(merge_id)

    kept = members.get_member(keep)
    dropped = members.get_member(drop)
    assert (kept.purchase_count, kept.total_spent_fen, kept.birthday, kept.notes) == (1, 100_00, None, "")
    assert (dropped.purchase_count, dropped.total_spent_fen, dropped.archived_at) == (1, 250_00, None)
    assert points.points_summary(keep).balance == 100 == points.ledger_sum(keep)
    assert points.points_summary(drop).balance == 250 == points.ledger_sum(drop)
    assert members.get_member(referee).referrer_id == drop
    with pytest.raises(ConflictError):
        merge.undo_merge(merge_id)
    assert merge.list_merges()[0].undone


def test_merge_refuses_the_same_member_or_archived_ones(db) -> None:
    a = _member("王芳", "13800138000")
    b = _member("王芳", "13800138001")
    with pytest.raises(ValidationError):
        merge.merge_members(a, a)
    members.archive_member(b)
    with pytest.raises(ConflictError):
        merge.merge_members(a, b)


def test_merge_with_a_points_debt_keeps_lots_equal_to_the_balance(db) -> None:
    points.save_points_rules(
        PointsRules(points_per_yuan=1, redeem_points_per_yuan=100, redeem_cap_percent=100)
    )
    keep = _member("王芳", "13800138000")
    drop = _member("王芳", "13800138001")
    _buy(keep, 300_00)
    first = _buy(drop, 100_00, days_ago=5)
    purchases.record_purchase(PurchaseInput(member_id=drop, amount_fen=100_00, points_to_use=100))
    purchases.refund_purchase(first)  # the 100 earned points were spent: drop owes 100 (balance -100 + 0)
    assert points.points_summary(drop).balance < 0

    merge_id = merge.merge_members(keep, drop)
    summary = points.points_summary(keep)
    assert summary.balance == points.ledger_sum(keep)
    assert sum(lot.remaining for lot in summary.lots) == max(summary.balance, 0)

    merge.undo_merge(merge_id)
    for member_id in (keep, drop):
        summary = points.points_summary(member_id)
        assert summary.balance == points.ledger_sum(member_id)
        assert sum(lot.remaining for lot in summary.lots) == max(summary.balance, 0)
