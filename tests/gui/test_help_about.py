"""Help: F1 opens the user guide from resources/help; About names the version and the database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from shopdesk import __version__
from shopdesk.resources import resource_path
from shopdesk.ui.dialogs import about as about_module
from shopdesk.ui.dialogs.about import AboutDialog
from shopdesk.ui.dialogs.help import HelpDialog, guide_path, guide_text
from shopdesk.ui.main_window import MainWindow

REPOSITORY = Path(__file__).resolve().parents[2]


def test_the_guide_walks_the_day_and_the_docs_link_to_the_one_copy() -> None:
    text = guide_text("zh_CN")
    for topic in ("今日跟进", "收银登记", "优惠券", "导出", "备份"):
        assert topic in text
    assert guide_path("zh_CN") == resource_path("help", "user-guide.zh-CN.md")
    assert guide_path("en") == guide_path("zh_CN")  # no English guide yet: the shop's own language
    docs = (REPOSITORY / "docs" / "user-guide.zh-CN.md").read_text(encoding="utf-8")
    assert "../resources/help/user-guide.zh-CN.md" in docs


def test_f1_opens_the_guide_once(qtbot, shop, runner, events) -> None:
    window = MainWindow(shop, runner, events)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(HelpDialog)
    assert dialog is not None and dialog.isVisible()
    assert "收银登记" in dialog.browser.toPlainText()
    assert "#" not in dialog.browser.toPlainText().splitlines()[0]  # Markdown rendered, not shown raw
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert len(window.findChildren(HelpDialog)) == 1


def test_about_names_the_version_and_the_database(qtbot, shop, monkeypatch) -> None:
    dialog = AboutDialog(shop)
    qtbot.addWidget(dialog)
    shown = [label.text() for label in dialog.values.values()]
    assert __version__ in shown
    assert str(Path(shop)) in shown


def test_about_hides_a_servers_password() -> None:
    facts = dict(about_module.about_facts("postgresql://shop:secret@10.0.0.2/shop"))
    assert "secret" not in " ".join(facts.values())


def test_the_help_menu_opens_about(qtbot, shop, runner, events, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(AboutDialog, "ask", classmethod(lambda cls, parent, target: opened.append(target)))
    window = MainWindow(shop, runner, events)
    qtbot.addWidget(window)
    help_menu = [action.menu() for action in window.menuBar().actions() if action.menu()][-1]
    about = next(action for action in help_menu.actions() if action.text() == "About ShopDesk")
    about.trigger()
    assert opened == [shop]
