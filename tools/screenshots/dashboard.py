"""Screenshots of the Dashboard page and page 1 of its PDF report (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tools/screenshots/dashboard.py [--lang zh_CN] [--keep /tmp/demo.db]

Builds a demo shop of 2,000 members in a temporary folder (or reuses ``--keep`` if it exists), shows the
page at 1280×800 with the last 90 days, and saves ``docs/screenshots/dashboard.png`` (the top of the page),
``dashboard_charts.png`` (the whole scrolled page) and ``dashboard_pdf.png`` (page 1 of the report, via
``pdftoppm``).
"""

from __future__ import annotations

import subprocess

from _setup import screenshot_parser, screenshot_session, settle


def main() -> int:
    args = screenshot_parser(__doc__).parse_args()
    with screenshot_session(args, seed=1) as session:
        from shopdesk.reports.dashboard_report import write_dashboard_pdf
        from shopdesk.services.settings import shop_name
        from shopdesk.ui.screens.dashboard import DashboardScreen

        app, runner, out = session.app, session.runner, session.out
        screen = DashboardScreen(runner, runner.events)
        screen.resize(1280, 800)
        screen.show()
        settle(app)
        screen.grab().save(str(out / "dashboard.png"))
        body = screen.scroll.widget()
        body.resize(screen.scroll.viewport().width(), body.sizeHint().height())
        settle(app)
        body.grab().save(str(out / "dashboard_charts.png"))
        assert screen.board is not None
        pdf = session.folder / "dashboard.pdf"
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
        screen.close()
    print(f"saved into {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
