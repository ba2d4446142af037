"""Screenshots of the first-run wizard (shop type page) and the user guide (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tools/screenshots/first_run.py [--lang zh_CN]

The wizard is shown to a brand-new shop, so it runs on an empty shop file in a temporary folder (a demo
shop would never see it). Saves ``docs/screenshots/first_run.png`` and ``docs/screenshots/help.png``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]


def _settle(app) -> None:
    for _ in range(5):
        app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", default="zh_CN")
    args = parser.parse_args()

    from shopdesk.i18n import setup_i18n

    setup_i18n(args.lang)
    from PySide6.QtWidgets import QApplication

    from shopdesk.db.database import open_database
    from shopdesk.ui.application import _install_qt_translator
    from shopdesk.ui.dialogs.first_run import FirstRunWizard
    from shopdesk.ui.dialogs.help import HelpDialog
    from shopdesk.ui.style import apply_style
    from shopdesk.ui.tasks import SyncTaskRunner

    open_database(str(Path(tempfile.mkdtemp(prefix="shopdesk-first-run-")) / "shop.db"))
    app = QApplication.instance() or QApplication(sys.argv)
    apply_style(app)
    _install_qt_translator(app, args.lang)  # Qt's own buttons (Close) in the same language
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)

    wizard = FirstRunWizard(None, SyncTaskRunner())
    wizard.name_page.name_edit.setText("清心茶舍")
    wizard.show()
    wizard.next()
    wizard.type_page.set_shop_type("tea")
    _settle(app)
    wizard.grab().save(str(out / "first_run.png"))

    guide = HelpDialog()
    guide.resize(960, 720)
    guide.show()
    _settle(app)
    guide.grab().save(str(out / "help.png"))
    print(out / "first_run.png", out / "help.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
