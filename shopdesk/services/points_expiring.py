"""Members whose points expire soon: the list the Points page shows so the shop can remind them in time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from shopdesk.db.models import Member, PointsLot, now
from shopdesk.services.transactions import guarded

EXPIRING_DAYS = 30


@dataclass(frozen=True, slots=True)
class ExpiringPoints:
    member_id: int
    name: str
    phone: str
    points: int  # points in lots that expire within the window
    first_expiry: dt.date  # the earliest of those lots' last days


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


@guarded
def members_with_expiring_points(
    days: int = EXPIRING_DAYS, *, today: dt.date | None = None, limit: int = 500
) -> list[ExpiringPoints]:
    """Active members holding points that expire between ``today`` and ``days`` later, soonest first
    (then the most points), at most ``limit``. One grouped query over the indexed ``expires_on``."""
    today = today or now().date()
    last = today + dt.timedelta(days=max(days, 0))
    first_expiry = fn.MIN(PointsLot.expires_on)
    points = fn.SUM(PointsLot.remaining)
    query = (
        PointsLot.select(PointsLot.member, Member.name, Member.phone, points, first_expiry)
        .join(Member, on=(PointsLot.member == Member.id))
        .where(
            Member.archived_at.is_null()
            & (PointsLot.remaining > 0)
            & (PointsLot.expires_on >= today)
            & (PointsLot.expires_on <= last)
        )
        .group_by(PointsLot.member, Member.name, Member.phone)
        .order_by(first_expiry, points.desc(), PointsLot.member)
        .limit(limit)
    )
    return [
        ExpiringPoints(member_id, name, phone or "", int(total), _date(first))
        for member_id, name, phone, total, first in query.tuples()
    ]
