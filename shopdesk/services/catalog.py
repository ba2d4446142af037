"""Staff and product categories: the short lists that purchases and members refer to."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import IntegrityError

from shopdesk.db.models import Category, Staff
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.services.transactions import atomic, guarded


@dataclass(frozen=True, slots=True)
class StaffView:
    id: int
    name: str
    active: bool


@dataclass(frozen=True, slots=True)
class CategoryView:
    id: int
    name: str
    repurchase_days: int | None
    active: bool


@guarded
def list_staff(*, active_only: bool = True) -> list[StaffView]:
    """Staff in the order they were added (the owner first, usually)."""
    query = Staff.select().order_by(Staff.id)
    if active_only:
        query = query.where(Staff.active == True)  # noqa: E712 - peewee expression
    return [StaffView(row.id, row.name, row.active) for row in query]


def create_staff(name: str) -> int:
    """Add a member of staff and return their id."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("name", _("Name is required."))
    with atomic():
        return Staff.create(name=name[:30]).id


@guarded
def list_categories(*, active_only: bool = True) -> list[CategoryView]:
    """Categories in the shop's chosen order."""
    query = Category.select().order_by(Category.sort_order, Category.id)
    if active_only:
        query = query.where(Category.active == True)  # noqa: E712 - peewee expression
    return [CategoryView(row.id, row.name, row.repurchase_days, row.active) for row in query]


def create_category(name: str, repurchase_days: int | None = None) -> int:
    """Add a category (with its typical repurchase cycle in days) and return its id."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("name", _("Name is required."))
    if repurchase_days is not None and not (1 <= repurchase_days <= 3650):
        raise ValidationError("repurchase_days", _("Repurchase cycle should be between 1 and 3650 days."))
    with atomic():
        try:
            with atomic():
                order = Category.select().count()
                return Category.create(name=name[:30], repurchase_days=repurchase_days, sort_order=order).id
        except IntegrityError:
            raise ValidationError("name", _("A category with this name exists already.")) from None
