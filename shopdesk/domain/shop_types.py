"""Starting presets per shop type: the categories a new shop of that kind sells, with their rhythms.

The first-run wizard offers these so that a new shop gets repurchase reminders and care calls that make
sense on day one; the owner edits them later. Names are English source text marked with ``N_`` and
translated when the categories are created, so a Chinese shop gets Chinese category names.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopdesk.i18n import N_


@dataclass(frozen=True, slots=True)
class CategoryPreset:
    """One category: how many days until a customer usually buys it again, and when to call after."""

    name: str  # N_() source text
    repurchase_days: int | None
    care_days: int | None = None


@dataclass(frozen=True, slots=True)
class ShopTypePreset:
    key: str
    label: str  # N_() source text
    categories: tuple[CategoryPreset, ...]


SHOP_TYPE_PRESETS: dict[str, ShopTypePreset] = {
    preset.key: preset
    for preset in (
        ShopTypePreset(
            "cosmetics",
            N_("Cosmetics"),
            (
                CategoryPreset(N_("Face cream"), 60, 7),
                CategoryPreset(N_("Serum"), 45, 7),
                CategoryPreset(N_("Cleanser"), 60),
                CategoryPreset(N_("Face mask"), 30),
                CategoryPreset(N_("Sunscreen"), 60),
                CategoryPreset(N_("Makeup"), 90),
            ),
        ),
        ShopTypePreset(
            "tea",
            N_("Tea shop"),
            (
                CategoryPreset(N_("Green tea"), 30),
                CategoryPreset(N_("Black tea"), 45),
                CategoryPreset(N_("Oolong tea"), 45),
                CategoryPreset(N_("Pu'er tea"), 60),
                CategoryPreset(N_("Tea ware"), 365, 14),
                CategoryPreset(N_("Gift box"), 180),
            ),
        ),
        ShopTypePreset(
            "bakery",
            N_("Bakery"),
            (
                CategoryPreset(N_("Bread"), 7),
                CategoryPreset(N_("Pastry"), 14),
                CategoryPreset(N_("Birthday cake"), 365, 2),
                CategoryPreset(N_("Cookies"), 21),
                CategoryPreset(N_("Drinks"), 7),
            ),
        ),
        ShopTypePreset(
            "pharmacy",
            N_("Pharmacy"),
            (
                CategoryPreset(N_("Prescription refill"), 30, 7),
                CategoryPreset(N_("Cold and flu"), 90),
                CategoryPreset(N_("Vitamins and supplements"), 60),
                CategoryPreset(N_("Medical devices"), 365, 14),
                CategoryPreset(N_("Personal care"), 45),
            ),
        ),
        ShopTypePreset(
            "clothing",
            N_("Clothing"),
            (
                CategoryPreset(N_("Tops"), 90),
                CategoryPreset(N_("Trousers and skirts"), 120),
                CategoryPreset(N_("Outerwear"), 180, 14),
                CategoryPreset(N_("Shoes"), 180),
                CategoryPreset(N_("Accessories"), 120),
            ),
        ),
        ShopTypePreset(
            "other",
            N_("Other shop"),
            (
                CategoryPreset(N_("Everyday goods"), 30),
                CategoryPreset(N_("Services"), 60, 7),
                CategoryPreset(N_("Gifts"), 180),
            ),
        ),
    )
}

SHOP_TYPE_KEYS: tuple[str, ...] = tuple(SHOP_TYPE_PRESETS)


def preset_for(shop_type: str) -> ShopTypePreset:
    """The preset of ``shop_type``; an unknown key falls back to "other" rather than failing a first run."""
    return SHOP_TYPE_PRESETS.get(shop_type, SHOP_TYPE_PRESETS["other"])
