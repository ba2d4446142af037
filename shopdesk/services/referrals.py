"""Referrals (转介绍): who brought whom, whether the reward was paid, and the leaderboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, Case, fn

from shopdesk.db.models import Member, PointsEntry
from shopdesk.services.transactions import guarded


@dataclass(frozen=True, slots=True)
class RefereeView:
    member_id: int
    name: str
    joined: dt.datetime
    first_purchase_at: dt.datetime | None
    reward_points: int  # what the referrer earned for this referee (0: not yet)


@dataclass(frozen=True, slots=True)
class ReferrerRank:
    member_id: int
    name: str
    referees: int
    buying_referees: int  # referees who made a first purchase
    reward_points: int


@guarded
def referees_of(member_id: int) -> list[RefereeView]:
    """The members this member brought in, newest first, with the reward status of each."""
    rewards = {
        int(key.split(":")[1]): amount
        for key, amount in PointsEntry.select(PointsEntry.key, PointsEntry.amount)
        .where((PointsEntry.member == member_id) & PointsEntry.key.startswith("referral:"))
        .tuples()
        if key.endswith(":referrer")
    }
    query = (
        Member.select(Member.id, Member.name, Member.created_at, Member.first_purchase_at)
        .where(Member.referrer == member_id)
        .order_by(Member.created_at.desc(), Member.id.desc())
    )
    return [
        RefereeView(mid, name, created, first, rewards.get(mid, 0))
        for mid, name, created, first in query.tuples()
    ]


@guarded
def referral_leaderboard(limit: int = 20) -> list[ReferrerRank]:
    """Members who brought in the most customers (then the most buying ones)."""
    Referee = Member.alias()
    buying = fn.SUM(Case(None, [(Referee.first_purchase_at.is_null(False), 1)], 0))
    query = (
        Member.select(Member.id, Member.name, fn.COUNT(Referee.id), buying)
        .join(Referee, JOIN.INNER, on=(Referee.referrer == Member.id))
        .where(Member.archived_at.is_null())
        .group_by(Member.id, Member.name)
        .order_by(fn.COUNT(Referee.id).desc(), buying.desc(), Member.id)
        .limit(limit)
    )
    rows = list(query.tuples())
    points = dict(
        PointsEntry.select(PointsEntry.member, fn.SUM(PointsEntry.amount))
        .where(
            (PointsEntry.kind == "referral")
            & PointsEntry.key.endswith(":referrer")
            & PointsEntry.member.in_([row[0] for row in rows] or [0])
        )
        .group_by(PointsEntry.member)
        .tuples()
    )
    return [
        ReferrerRank(mid, name, count, int(buy or 0), int(points.get(mid, 0)))
        for mid, name, count, buy in rows
    ]
