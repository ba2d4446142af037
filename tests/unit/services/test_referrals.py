"""Who referred whom, the reward status per referee, and the leaderboard."""

from __future__ import annotations

import datetime as dt

from shopdesk.domain.points import PointsRules
from shopdesk.services import members, points, purchases, referrals
from shopdesk.services.members import MemberInput
from shopdesk.services.purchases import PurchaseInput


def test_leaderboard_counts_referees_buyers_and_reward_points(db) -> None:
    points.save_points_rules(PointsRules(points_per_yuan=0, referrer_points=100, referee_points=20))
    star = members.create_member(MemberInput(name="林小姐", phone="13800000001"))
    other = members.create_member(MemberInput(name="陈先生", phone="13800000002"))
    brought = [
        members.create_member(MemberInput(name=f"客{i}", phone=f"1390000000{i}", referrer_id=star))
        for i in range(3)
    ]
    members.create_member(MemberInput(name="客9", phone="13900000009", referrer_id=other))
    when = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=1)
    for member_id in brought[:2]:
        purchases.record_purchase(PurchaseInput(member_id=member_id, amount_fen=5000, purchased_at=when))
    purchases.record_purchase(
        PurchaseInput(member_id=brought[0], amount_fen=5000)
    )  # second purchase: no reward

    board = referrals.referral_leaderboard()
    assert [(r.member_id, r.referees, r.buying_referees, r.reward_points) for r in board] == [
        (star, 3, 2, 200),
        (other, 1, 0, 0),
    ]
    status = {r.member_id: r.reward_points for r in referrals.referees_of(star)}
    assert status == {brought[0]: 100, brought[1]: 100, brought[2]: 0}
    assert points.points_summary(brought[0]).balance == 20
