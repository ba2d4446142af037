"""The gift catalogue: validation, ordering, stock going down on redemption."""

from __future__ import annotations

import pytest

from shopdesk.errors import ConflictError, ValidationError
from shopdesk.services import gifts, members, points
from shopdesk.services.gifts import GiftInput
from shopdesk.services.members import MemberInput


def test_catalogue_validation_and_order(db) -> None:
    with pytest.raises(ValidationError) as error:
        gifts.create_gift(GiftInput("面膜", 0))
    assert error.value.field == "points_cost"
    with pytest.raises(ValidationError):
        gifts.create_gift(GiftInput("  ", 10))
    with pytest.raises(ValidationError):
        gifts.create_gift(GiftInput("面膜", 10, stock=-1))
    mask = gifts.create_gift(GiftInput("面膜", 300, stock=2))
    sample = gifts.create_gift(GiftInput("小样", 100))
    gifts.update_gift(sample, GiftInput("小样", 100, active=False))
    assert [g.id for g in gifts.list_gifts()] == [mask]
    assert [g.id for g in gifts.list_gifts(active_only=False)] == [sample, mask]


def test_redeeming_gifts_spends_points_and_stock(db) -> None:
    member = members.create_member(MemberInput(name="张三", phone="13800138000"))
    points.adjust_points(member, 1000, "opening")
    mask = gifts.create_gift(GiftInput("面膜", 300, stock=2))
    assert points.redeem_gift(member, mask, 2) == 400
    assert gifts.list_gifts()[0].stock == 0
    with pytest.raises(ConflictError):
        points.redeem_gift(member, mask, 1)  # out of stock
    assert points.points_summary(member).balance == 400 == points.ledger_sum(member)
