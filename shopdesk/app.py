"""Composition root: which database to open, the demo shop on first use, and the hand-over to the window.

Nothing here imports Qt: the command line calls these for every command, and only ``run_gui`` loads the
GUI package (PySide6 costs most of the start-up time, so ``shopdesk search`` should not pay for it).
"""

from __future__ import annotations

import gc
from pathlib import Path

from shopdesk.db.database import close_database, demo_database_path, open_database, resolve_target
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _
from shopdesk.services.progress import Progress

DEMO_MEMBERS = 2_000  # big enough to feel like a real shop, small enough to build in about a second
DEMO_SEED = 1


def database_target(explicit: str | None = None) -> str:
    """The shop database to use: ``--db`` first, then ``SHOPDESK_DB``, then the file in the data folder."""
    return resolve_target(explicit)


def demo_target(progress: Progress | None = None) -> str:
    """The demo shop, kept apart from the real data; built (2,000 members) the first time it is asked for.

    A build that was interrupted rolled back to an empty file, which is simply built again.
    """
    path = demo_database_path()
    if not _has_members(path):
        from shopdesk.services.demo_shop import build_demo_shop

        build_demo_shop(str(path), DEMO_MEMBERS, seed=DEMO_SEED, progress=progress)
    return str(path)


def _has_members(path: Path) -> bool:
    if not path.exists():
        return False
    db = open_database(path)
    try:
        return db.execute_sql("SELECT 1 FROM member LIMIT 1").fetchone() is not None
    finally:
        close_database()


def run_gui(target: str, language: str, quit_after_show: bool = False) -> int:
    """Open the main window on ``target`` and return the application's exit code.

    ``quit_after_show`` closes the app as soon as the window is first shown (start-up measurements).

    Start-up makes some 50,000 objects that live as long as the app (modules, classes, Qt's enums) and
    hardly any garbage, so the cyclic collector stays off until the window has been painted (it ran about a
    hundred times during start-up, ~15 ms), and then those objects are frozen out of its passes
    (``settle_heap``), so later full collections and the one at exit (~40 ms) skip them. Only the real
    process does this; tests open the window through ``shopdesk.ui.application`` directly.
    """
    gc.disable()
    try:
        try:
            from shopdesk.ui.application import run_gui as run_application
        except ImportError as exc:
            # Typically Qt's system libraries are missing on a bare Linux (libEGL.so.1, libxkbcommon …).
            raise ShopDeskError(
                _("The ShopDesk window cannot start ({error}). On Linux, install Qt's system libraries "
                  "listed in the README.").format(error=exc)
            ) from exc
        return run_application(
            target, language=language, quit_after_show=quit_after_show, on_shown=settle_heap
        )
    finally:
        gc.freeze()  # the process ends next: no collection at exit over what exit frees anyway
        gc.enable()


def settle_heap() -> None:
    """After start-up: keep what start-up made out of the collector's passes, and turn the collector on."""
    gc.freeze()
    gc.enable()
