"""Screenshots of the Dashboard page and page 1 of its PDF report (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tools/screenshots/dashboard.py [--lang zh_CN] [--keep /tmp/demo.db]

Builds a demo shop of 2,000 members in a temporary folder (or reuses ``--keep`` if it exists), shows the
page at 1280×800 with the last 90 days, and saves ``docs/screenshots/dashboard.png`` (the top of the page),
``dashboard_charts.png`` (the whole scrolled page) and ``dashboard_pdf.png`` (page 1 of the report, via
``pdftoppm``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
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
    parser.add_argument("--keep", default=None, help="reuse (or create) the demo shop at this path")
    args = parser.parse_args()

    from shopdesk.i18n import setup_i18n

    setup_i18n(args.lang)
    from PySide6.QtWidgets import QApplication

    from shopdesk.db.database import open_database
    from shopdesk.reports.dashboard_report import write_dashboard_pdf
    from shopdesk.services.demo_shop import build_demo_shop
    from shopdesk.services.settings import shop_name
    from shopdesk.ui.events import AppEvents
    from shopdesk.ui.screens.dashboard import DashboardScreen
    from shopdesk.ui.style import apply_style
    from shopdesk.ui.tasks import SyncTaskRunner

    folder = Path(tempfile.mkdtemp(prefix="shopdesk-dashboard-"))
    shop = Path(args.keep) if args.keep else folder / "demo.db"
    if not shop.exists():
        build_demo_shop(str(shop), 2000)
    open_database(str(shop))
    app = QApplication.instance() or QApplication(sys.argv)
    apply_style(app)
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    try:
        events = AppEvents()
        screen = DashboardScreen(SyncTaskRunner(events=events), events)
        screen.resize(1280, 800)
        screen.show()
        _settle(app)
        screen.grab().save(str(out / "dashboard.png"))
        body = screen.scroll.widget()
        body.resize(screen.scroll.viewport().width(), body.sizeHint().height())
        _settle(app)
        body.grab().save(str(out / "dashboard_charts.png"))
        assert screen.board is not None
        pdf = folder / "dashboard.pdf"
        write_dashboard_pdf(screen.board, shop_name(), pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(out / "dashboard_pdf"),
            ],
            check=True,
        )
        print(f"saved into {out}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
