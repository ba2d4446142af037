"""The gift catalogue (积分兑换礼品): items a member can take for points."""

from __future__ import annotations

from dataclasses import dataclass

from shopdesk.db.models import Gift
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.services.audit import record_audit
from shopdesk.services.transactions import atomic, guarded


@dataclass(frozen=True, slots=True)
class GiftView:
    id: int
    name: str
    points_cost: int
    stock: int | None  # None: unlimited
    active: bool


@dataclass(slots=True)
class GiftInput:
    name: str
    points_cost: int
    stock: int | None = None
    active: bool = True


def _clean(data: GiftInput) -> dict:
    name = " ".join((data.name or "").split())
    if not name:
        raise ValidationError("name", _("Name is required."))
    if len(name) > 60:
        raise ValidationError("name", _("Name is too long (at most 60 characters)."))
    if data.points_cost is None or data.points_cost <= 0:
        raise ValidationError("points_cost", _("A gift should cost at least 1 point."))
    if data.stock is not None and data.stock < 0:
        raise ValidationError("stock", _("Stock cannot be negative."))
    return {"name": name, "points_cost": data.points_cost, "stock": data.stock, "active": data.active}


@guarded
def list_gifts(*, active_only: bool = True) -> list[GiftView]:
    """The catalogue, cheapest first."""
    query = Gift.select().order_by(Gift.points_cost, Gift.id)
    if active_only:
        query = query.where(Gift.active == True)  # noqa: E712 - peewee expression
    return [GiftView(g.id, g.name, g.points_cost, g.stock, g.active) for g in query]


def create_gift(data: GiftInput, *, actor: str = "") -> int:
    with atomic():
        gift = Gift.create(**_clean(data))
        record_audit("gift.create", f"gift:{gift.id}", {"name": gift.name}, actor=actor)
        return gift.id


def update_gift(gift_id: int, data: GiftInput, *, actor: str = "") -> None:
    with atomic():
        if not Gift.update(**_clean(data)).where(Gift.id == gift_id).execute():
            raise NotFoundError(_("This gift is not available."))
        record_audit("gift.update", f"gift:{gift_id}", actor=actor)
