"""The desktop app: the only package that imports PySide6; widgets call services, never build queries."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (first: PySide6 installs its import hook here, see below)

# Modules that may use PySide6's ``__feature__`` syntax: PySide6's own, ours that import Qt, and the
# script run (``__main__``); ``__feature__`` is PySide6's.
_MAY_USE_PYSIDE = ("PySide6", "shiboken", "shopdesk.ui", "__main__", "__feature__")


def _feature_table() -> dict[str, int] | None:
    table = getattr(sys.modules.get("shibokensupport.feature"), "pyside_feature_dict", None)
    return table if isinstance(table, dict) else None


class _NotUsingPySide(MetaPathFinder):
    """Records each module found from now on outside ``_MAY_USE_PYSIDE`` as not using PySide6 (finds none)."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        table = _feature_table()
        if table is not None and not fullname.startswith(_MAY_USE_PYSIDE):
            table.setdefault(fullname, -1)
        return None


def _skip_pyside_source_scans() -> None:
    """Tell PySide6 which modules do not use its ``__feature__`` syntax, so it need not read their source.

    Once imported, PySide6 replaces ``__import__``: the first time any module is named in an import
    statement after that, it reads the module's whole source to see whether it mentions PySide6 (for its
    opt-in ``from __feature__ import snake_case``; napari#8584 describes the cost). That was ~30 ms of
    start-up here, nearly all for modules that cannot use it: the standard library, Peewee, and our
    layers below ``shopdesk.ui`` (only ``shopdesk.ui`` imports Qt). Those are recorded as the scan would
    find them (-1, "not using PySide"): the ones loaded already, and the ones found later. A module that
    does ``from __feature__ import …`` still gets its own entry from PySide6, which overwrites ours. The
    table is PySide6's own: if a later version moves it, this does nothing.
    """
    table = _feature_table()
    if table is None:
        return
    for name in list(sys.modules):
        if not name.startswith(_MAY_USE_PYSIDE):
            table.setdefault(name, -1)
    sys.meta_path.insert(0, _NotUsingPySide())


_skip_pyside_source_scans()
