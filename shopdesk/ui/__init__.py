"""The desktop app: the only package that imports PySide6; widgets call services, never build queries."""

from __future__ import annotations

import sys

import PySide6.QtCore  # noqa: F401  (first: PySide6 installs its import hook here, see below)


def _skip_pyside_source_scan_of_loaded_modules() -> None:
    """Tell PySide6 that the modules loaded before it do not use its ``__feature__`` syntax.

    Once imported, PySide6 replaces ``__import__``: the first time any module is named in an import
    statement after that, it reads the module's whole source to see whether it mentions PySide6 (for its
    opt-in ``from __feature__ import snake_case``; napari#8584 describes the cost). That was ~25 ms of
    start-up here, half of it for modules loaded before PySide6 (the standard library, Peewee, the
    services), which cannot use it. They are recorded as the scan would find them (-1, "not using
    PySide"). The table is PySide's own: if a later version moves it, this does nothing.
    """
    feature = sys.modules.get("shibokensupport.feature")
    table = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return
    for name in list(sys.modules):
        if not name.startswith(("PySide6", "shiboken", "__", "shopdesk.ui")):
            table.setdefault(name, -1)


_skip_pyside_source_scan_of_loaded_modules()
