"""Message templates (话术): text the clerk copies into WeChat or SMS, filled from the member's record.

Placeholders may be written in Chinese or English: {姓名}/{name}, {积分}/{points}, {优惠券}/{coupon},
{上次购买}/{last_purchase}, {店名}/{shop}, {导购}/{staff}, {生日}/{birthday}, {等级}/{tier}.
Unknown placeholders are left as typed, so a typo shows instead of breaking the message.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from shopdesk.db.models import MessageTemplate, now
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import N_, _, current_language
from shopdesk.services.transactions import atomic, guarded

PLACEHOLDERS: dict[str, str] = {
    "name": "姓名",
    "points": "积分",
    "coupon": "优惠券",
    "last_purchase": "上次购买",
    "shop": "店名",
    "staff": "导购",
    "birthday": "生日",
    "tier": "等级",
}
PLACEHOLDER_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "points": N_("Points balance"),
    "coupon": N_("Best unused coupon"),
    "last_purchase": N_("Last purchase"),
    "shop": N_("Shop name"),
    "staff": N_("Staff"),
    "birthday": N_("Birthday"),
    "tier": N_("Tier"),
}
_PATTERN = re.compile(r"\{([^{}]{1,20})\}")
_BY_NAME = {**{en: en for en in PLACEHOLDERS}, **{zh: en for en, zh in PLACEHOLDERS.items()}}

DEFAULT_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    (
        "repurchase",
        N_("Time to stock up"),
        N_(
            "Hi {name}, this is {shop}. Your {last_purchase} may be running low; come by and we will set one "
            "aside for you. You have {points} points to use."
        ),
    ),
    (
        "birthday",
        N_("Birthday wishes"),
        N_(
            "Happy birthday, {name}! Everyone at {shop} wishes you a wonderful year. "
            "A birthday gift is waiting for you in the shop."
        ),
    ),
    (
        "coupon_expiry",
        N_("Coupon about to expire"),
        N_("Hi {name}, your coupon ({coupon}) at {shop} expires soon. Don't let it go to waste!"),
    ),
    (
        "points_expiry",
        N_("Points about to expire"),
        N_(
            "Hi {name}, some of your {points} points at {shop} expire soon. Come and use them for a gift or "
            "money off."
        ),
    ),
    (
        "winback",
        N_("We miss you"),
        N_(
            "Hi {name}, it has been a while since we saw you at {shop}. We have new arrivals you may like; "
            "come and have a look."
        ),
    ),
    (
        "new_member",
        N_("Welcome check-in"),
        N_(
            "Hi {name}, thank you for choosing {shop}! How do you like your {last_purchase}? Message me any "
            "time. — {staff}"
        ),
    ),
    (
        "post_purchase",
        N_("After-purchase care"),
        N_(
            "Hi {name}, how is your {last_purchase} working for you? "
            "Tell us if there is anything we can help with. — {staff}"
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class TemplateView:
    id: int
    name: str
    kind: str
    body: str
    is_default: bool


def _localize(text: str) -> str:
    """Show placeholders in the shopkeeper's language: {name} becomes {姓名} in Chinese."""
    if current_language() != "zh_CN":
        return text
    return _PATTERN.sub(lambda m: "{" + PLACEHOLDERS.get(m.group(1), m.group(1)) + "}", text)


def ensure_default_templates() -> None:
    """Give a new shop the default templates, in its language (once)."""
    with atomic():
        if MessageTemplate.select().exists():
            return
        for kind, name, body in DEFAULT_TEMPLATES:
            MessageTemplate.create(name=_(name), kind=kind, body=_localize(_(body)), is_default=True)


@guarded
def list_templates(kind: str | None = None) -> list[TemplateView]:
    """Templates (those for ``kind`` first when given)."""
    rows = [
        TemplateView(t.id, t.name, t.kind, t.body, t.is_default)
        for t in MessageTemplate.select().order_by(MessageTemplate.id)
    ]
    if kind:
        rows.sort(key=lambda t: t.kind != kind)
    return rows


def save_template(template_id: int | None, name: str, kind: str, body: str) -> int:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("name", _("Name is required."))
    if not (body or "").strip():
        raise ValidationError("body", _("The message is empty."))
    with atomic():
        if template_id is None:
            return MessageTemplate.create(name=name[:40], kind=kind, body=body.strip(), created_at=now()).id
        if (
            not MessageTemplate.update(name=name[:40], kind=kind, body=body.strip())
            .where(MessageTemplate.id == template_id)
            .execute()
        ):
            raise NotFoundError(_("This message template no longer exists."))
        return template_id


def delete_template(template_id: int) -> None:
    with atomic():
        MessageTemplate.delete().where(MessageTemplate.id == template_id).execute()


def render(body: str, values: dict[str, str]) -> str:
    """Fill ``body``'s placeholders (Chinese or English names) from ``values`` keyed by English name."""

    def fill(match: re.Match[str]) -> str:
        key = _BY_NAME.get(match.group(1).strip())
        if key is None or key not in values:
            return match.group(0)
        return values[key]

    return _PATTERN.sub(fill, body)


@guarded
def message_for(member_id: int, body: str, today: dt.date | None = None) -> str:
    """``body`` filled in for one member: name, points, best coupon, last purchase, shop, staff …"""
    from shopdesk.db.models import Member, PurchaseItem, Staff, Tier
    from shopdesk.db.models import Purchase as PurchaseRow
    from shopdesk.services.coupons import member_coupons
    from shopdesk.services.settings import shop_name

    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        raise NotFoundError(_("This member no longer exists."))
    last_item = (
        PurchaseItem.select(PurchaseItem.name, PurchaseItem.category)
        .join(PurchaseRow)
        .where((PurchaseRow.member == member_id) & PurchaseRow.refunded_at.is_null())
        .order_by(PurchaseRow.purchased_at.desc(), PurchaseItem.id.desc())
        .first()
    )
    last_purchase = ""
    if last_item is not None:
        last_purchase = last_item.name or (last_item.category.name if last_item.category_id else "")
    usable = member_coupons(member_id, today=today, include_closed=False)
    values = {
        "name": member.name,
        "points": str(member.points_balance),
        "coupon": usable[0].description if usable else "",
        "last_purchase": last_purchase or _("purchase"),
        "shop": shop_name(),
        "staff": Staff.get_by_id(member.staff_id).name if member.staff_id else "",
        # a month and day in a sentence: 3/9 in English, 3月9日 in the Chinese catalogue
        "birthday": (
            _("{month}/{day}").format(month=member.birth_month, day=member.birth_day)
            if member.birth_month
            else ""
        ),
        "tier": Tier.get_by_id(member.tier_id).name if member.tier_id else "",
    }
    return render(body, values)
