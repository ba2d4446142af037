"""Screenshots of the first-run wizard (shop type page) and the user guide (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tools/screenshots/first_run.py [--lang zh_CN]

The wizard is shown to a brand-new shop, so it runs on an empty shop file in a temporary folder (a demo
shop would never see it). Saves ``docs/screenshots/first_run.png`` and ``docs/screenshots/help.png``.
"""

from __future__ import annotations

from _setup import screenshot_parser, screenshot_session, settle


def main() -> int:
    args = screenshot_parser(__doc__, demo=False).parse_args()
    with screenshot_session(args, demo=False, shop_file="shop.db") as session:
        from shopdesk.ui.dialogs.first_run import FirstRunWizard
        from shopdesk.ui.dialogs.help import HelpDialog

        app, out = session.app, session.out
        wizard = FirstRunWizard(None, session.runner)
        wizard.name_page.name_edit.setText("清心茶舍")
        wizard.show()
        wizard.next()
        wizard.type_page.set_shop_type("tea")
        settle(app)
        wizard.grab().save(str(out / "first_run.png"))
        wizard.close()

        guide = HelpDialog()
        guide.resize(960, 720)
        guide.show()
        settle(app)
        guide.grab().save(str(out / "help.png"))
        guide.close()
    print(out / "first_run.png", out / "help.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
