"""First-run setup: turn three answers (name, shop type, points rate) into a shop ready to work in."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from shopdesk.db.models import Category, Member
from shopdesk.domain.shop_types import SHOP_TYPE_PRESETS
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.services import message_templates, tiers
from shopdesk.services.points import points_rules, save_points_rules
from shopdesk.services.settings import SHOP_NAME, SHOP_TYPE, get_setting, set_setting
from shopdesk.services.transactions import atomic, guarded

MAX_POINTS_PER_YUAN = 100


@dataclass(frozen=True, slots=True)
class SetupResult:
    shop_name: str
    shop_type: str
    categories_added: int
    categories_updated: int


@guarded
def needs_first_run() -> bool:
    """True for a brand-new shop: no name chosen yet and nobody on the books (an import counts as set up)."""
    return not get_setting(SHOP_NAME) and not Member.select().exists()


def apply_shop_setup(name: str, shop_type: str, points_per_yuan: int = 1, *, actor: str = "") -> SetupResult:
    """Store the shop's name and type and give it the type's categories, tiers, templates and points rate.

    All in one transaction, so a failure leaves the shop as it was and the wizard can simply be shown again.
    Categories the shop already has (same name) keep their id and get the preset's cycles; running it twice
    adds nothing new.
    """
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("name", _("Shop name is required."))
    if len(name) > 60:
        raise ValidationError("name", _("Shop name should be at most 60 characters."))
    preset = SHOP_TYPE_PRESETS.get(shop_type)
    if preset is None:
        raise ValidationError("shop_type", _("Choose a shop type."))
    if not (0 <= points_per_yuan <= MAX_POINTS_PER_YUAN):
        raise ValidationError(
            "points_per_yuan",
            _("Points per yuan should be between 0 and {maximum}.").format(maximum=MAX_POINTS_PER_YUAN),
        )
    added = updated = 0
    with atomic():
        set_setting(SHOP_NAME, name)
        set_setting(SHOP_TYPE, shop_type)
        order = Category.select().count()
        for spec in preset.categories:
            label = _(spec.name)[:30]
            existing = Category.get_or_none(Category.name == label)
            if existing is None:
                Category.create(
                    name=label,
                    repurchase_days=spec.repurchase_days,
                    care_days=spec.care_days,
                    sort_order=order,
                )
                order += 1
                added += 1
            else:
                Category.update(
                    repurchase_days=spec.repurchase_days, care_days=spec.care_days, active=True
                ).where(Category.id == existing.id).execute()
                updated += 1
        tiers.ensure_default_tiers()
        message_templates.ensure_default_templates()
        save_points_rules(dataclasses.replace(points_rules(), points_per_yuan=points_per_yuan), actor=actor)
    return SetupResult(name, shop_type, added, updated)
