"""The start every screenshot script shares: options, a throwaway settings folder, the styled and translated
application, and a demo shop (built, or copied from ``--keep``) opened for the services.

One place for it, so every picture comes out in the same language, style and kind of shop.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from shopdesk.ui.tasks import SyncTaskRunner

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def screenshot_parser(
    description: str | None = None, *, extra: str | None = None, demo: bool = True
) -> argparse.ArgumentParser:
    """``--lang`` and ``--out``; ``--extra`` (defaulting to ``extra`` in the temp folder) for pictures that
    are not committed; with ``demo``, ``--members`` and ``--keep`` for the demo shop."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--lang", default="zh_CN")
    parser.add_argument("--out", default=str(SCREENSHOTS))
    if extra is not None:
        parser.add_argument("--extra", default=str(Path(tempfile.gettempdir()) / extra))
    if demo:
        parser.add_argument("--members", type=int, default=2000)
        parser.add_argument("--keep", default=None, help="build the demo shop here once and reuse it")
    return parser


@dataclass(frozen=True)
class Session:
    """What a script shoots with; ``folder`` is a temporary folder removed at the end, and ``extra`` (for
    pictures not committed) is that folder too when the script takes no ``--extra``."""

    app: QApplication
    runner: SyncTaskRunner
    out: Path
    extra: Path
    folder: Path
    shop: Path


def settle(app: QCoreApplication) -> None:
    """Let layouts, models and queued signals finish before a grab."""
    for _ in range(5):
        app.processEvents()


@contextmanager
def screenshot_session(
    args: argparse.Namespace, *, demo: bool = True, seed: int = 7, shop_file: str = "demo.db"
) -> Iterator[Session]:
    """Set up and open the shop to shoot: a demo shop of ``args.members`` (seeded with ``seed``) when
    ``demo``, else an empty one; settings and the data folder live in a temporary folder, not the user's."""
    from shopdesk.i18n import setup_i18n

    language = setup_i18n(args.lang)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    extra = Path(args.extra) if getattr(args, "extra", None) else None
    if extra:
        extra.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        os.environ["XDG_DATA_HOME"] = name  # backup-folder notes and the like stay out of the user's data
        from PySide6.QtCore import QSettings

        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, name)

        from shopdesk.db.database import close_database, open_database
        from shopdesk.ui import application
        from shopdesk.ui.style import apply_style
        from shopdesk.ui.tasks import SyncTaskRunner

        app = application._application()
        application._install_qt_translator(app, language)
        apply_style(app)

        shop = folder / shop_file
        if demo:
            _demo_shop(shop, args.members, args.keep, seed)
        open_database(str(shop))
        try:
            yield Session(app, SyncTaskRunner(), out, extra or folder, folder, shop)
        finally:
            close_database()


def _demo_shop(target: Path, members: int, keep: str | None, seed: int) -> None:
    """Copy the kept demo shop to ``target``, or build one there (and keep a copy when asked)."""
    from shopdesk.services.demo_shop import build_demo_shop

    if keep and Path(keep).exists():
        shutil.copy(keep, target)
        return
    build_demo_shop(str(target), members, seed=seed)
    if keep:
        shutil.copy(target, keep)
