"""Coupon templates: the kinds of coupon a shop issues, their value, validity and limits."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from shopdesk.db.models import Category, CouponTemplate
from shopdesk.domain.coupons import CouponKind, CouponTerms, describe
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.services.audit import record_audit
from shopdesk.services.transactions import atomic, guarded


@dataclass(slots=True)
class TemplateInput:
    name: str
    kind: str
    value_fen: int = 0
    threshold_fen: int = 0
    pay_percent: int = 100
    cap_fen: int | None = None
    gift_name: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    valid_days: int | None = 30
    category_ids: Sequence[int] = ()
    per_member_limit: int | None = None
    stacks_with_points: bool = True


@dataclass(frozen=True, slots=True)
class TemplateView:
    id: int
    name: str
    kind: CouponKind
    terms: CouponTerms
    gift_name: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    valid_days: int | None
    per_member_limit: int | None
    stacks_with_points: bool
    paused: bool
    category_ids: tuple[int, ...] = field(default=())

    @property
    def description(self) -> str:
        """满100减20, 8.8折 … (translated)."""
        return describe(self.terms, self.gift_name)


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value)[:10])


def view_of(row: CouponTemplate) -> TemplateView:
    categories = tuple(json.loads(row.category_ids or "[]"))
    terms = CouponTerms(
        CouponKind(row.kind),
        row.value_fen,
        row.threshold_fen,
        row.pay_percent,
        row.cap_fen,
        frozenset(categories),
    )
    return TemplateView(
        row.id,
        row.name,
        CouponKind(row.kind),
        terms,
        row.gift_name,
        _date(row.valid_from),
        _date(row.valid_until),
        row.valid_days,
        row.per_member_limit,
        row.stacks_with_points,
        row.paused,
        categories,
    )


def _clean(data: TemplateInput) -> dict:
    name = " ".join((data.name or "").split())
    if not name:
        raise ValidationError("name", _("Name is required."))
    try:
        kind = CouponKind(data.kind)
    except ValueError:
        raise ValidationError("kind", _("Choose the kind of coupon.")) from None
    values = {
        "name": name[:40],
        "kind": kind.value,
        "value_fen": 0,
        "threshold_fen": 0,
        "pay_percent": 100,
        "cap_fen": None,
        "gift_name": "",
    }
    if kind in (CouponKind.THRESHOLD, CouponKind.CASH):
        if data.value_fen <= 0:
            raise ValidationError("value", _("Enter how much the coupon takes off."))
        values["value_fen"] = data.value_fen
        if kind is CouponKind.THRESHOLD:
            if data.threshold_fen <= data.value_fen:
                raise ValidationError("threshold", _("The minimum spend should be more than the money off."))
            values["threshold_fen"] = data.threshold_fen
    elif kind is CouponKind.PERCENT:
        if not (1 <= data.pay_percent <= 99):
            raise ValidationError("pay_percent", _("The price to pay should be between 1% and 99%."))
        if data.cap_fen is not None and data.cap_fen <= 0:
            raise ValidationError("cap", _("The cap should be more than zero."))
        values["pay_percent"] = data.pay_percent
        values["cap_fen"] = data.cap_fen
        values["threshold_fen"] = max(0, data.threshold_fen)
    else:
        gift = " ".join((data.gift_name or "").split())
        if not gift:
            raise ValidationError("gift_name", _("Name the gift the coupon is exchanged for."))
        values["gift_name"] = gift[:60]
    if data.valid_days is not None:
        if not (1 <= data.valid_days <= 3650):
            raise ValidationError("valid_days", _("Validity should be between 1 and 3650 days."))
        values.update(valid_days=data.valid_days, valid_from=None, valid_until=None)
    else:
        if data.valid_until is None:
            raise ValidationError("valid_until", _("Choose the last day the coupon can be used."))
        if data.valid_from is not None and data.valid_from > data.valid_until:
            raise ValidationError("valid_until", _("The last day is before the first day."))
        values.update(valid_days=None, valid_from=data.valid_from, valid_until=data.valid_until)
    categories = sorted(set(data.category_ids))
    if categories and Category.select().where(Category.id.in_(categories)).count() != len(categories):
        raise ValidationError("categories", _("This category does not exist."))
    if data.per_member_limit is not None and data.per_member_limit < 1:
        raise ValidationError("per_member_limit", _("The limit per member should be at least 1."))
    values.update(
        category_ids=json.dumps(categories),
        per_member_limit=data.per_member_limit,
        stacks_with_points=bool(data.stacks_with_points),
    )
    return values


def create_template(data: TemplateInput, *, actor: str = "") -> int:
    """Save a new coupon template and return its id."""
    with atomic():
        template = CouponTemplate.create(**_clean(data))
        record_audit(
            "coupon_template.create", f"coupon_template:{template.id}", {"name": template.name}, actor=actor
        )
        return template.id


def update_template(template_id: int, data: TemplateInput, *, actor: str = "") -> None:
    """Change a template; coupons already issued keep their own validity."""
    with atomic():
        if not CouponTemplate.update(**_clean(data)).where(CouponTemplate.id == template_id).execute():
            raise NotFoundError(_("This coupon template no longer exists."))
        record_audit("coupon_template.update", f"coupon_template:{template_id}", actor=actor)


def set_template_paused(template_id: int, paused: bool, *, actor: str = "") -> None:
    """A paused template issues nothing (by hand or by rule); issued coupons stay usable."""
    with atomic():
        if not CouponTemplate.update(paused=paused).where(CouponTemplate.id == template_id).execute():
            raise NotFoundError(_("This coupon template no longer exists."))
        record_audit(
            "coupon_template.pause" if paused else "coupon_template.resume",
            f"coupon_template:{template_id}",
            actor=actor,
        )


@guarded
def get_template(template_id: int) -> TemplateView:
    row = CouponTemplate.get_or_none(CouponTemplate.id == template_id)
    if row is None:
        raise NotFoundError(_("This coupon template no longer exists."))
    return view_of(row)


@guarded
def list_templates(*, include_paused: bool = True) -> list[TemplateView]:
    """Templates, newest first."""
    query = CouponTemplate.select().order_by(CouponTemplate.id.desc())
    if not include_paused:
        query = query.where(CouponTemplate.paused == False)  # noqa: E712 - peewee expression
    return [view_of(row) for row in query]
