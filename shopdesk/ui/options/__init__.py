"""The sections of Settings: one page per module, each registering itself (as Picard's options pages).

To add a section: write ``options/<name>.py`` with an ``OptionsPage`` subclass (``load``/``save``) that ends
with ``register_options_page(YourPage)``, and add its module to ``OPTION_MODULES`` below. ``SORT_ORDER``
places it in the list (points 10, tiers 20; leave gaps).
"""

from __future__ import annotations

from importlib import import_module

from shopdesk.ui.options.base import OptionsPage

OPTION_MODULES: tuple[str, ...] = (
    "shopdesk.ui.options.points",
    "shopdesk.ui.options.tiers",
    "shopdesk.ui.options.accounts",
    "shopdesk.ui.options.backup",
)

_PAGES: list[type[OptionsPage]] = []


def register_options_page(page: type[OptionsPage]) -> type[OptionsPage]:
    """Add ``page`` to Settings (once; usable as a class decorator too)."""
    if page not in _PAGES:
        _PAGES.append(page)
    return page


def option_pages() -> list[type[OptionsPage]]:
    """Every registered page, in ``SORT_ORDER`` (importing the modules registers them)."""
    for module in OPTION_MODULES:
        import_module(module)
    return sorted(_PAGES, key=lambda page: (page.SORT_ORDER, page.NAME))


__all__ = ["OPTION_MODULES", "OptionsPage", "option_pages", "register_options_page"]
