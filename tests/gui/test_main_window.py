"""The main window: shortcuts, remembered layout, status bar, and switching to the demo shop."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from shopdesk.services.members import MemberInput, count_members, create_member
from shopdesk.services.settings import SHOP_NAME, set_setting
from shopdesk.ui import main_window as main_window_module
from shopdesk.ui.dialogs.member_edit import MemberEditDialog
from shopdesk.ui.main_window import MainWindow
from shopdesk.ui.models.member_table import Column
from shopdesk.ui.screens.registry import SCREENS


def open_window(qtbot, target, runner, events) -> MainWindow:
    window = MainWindow(target, runner, events)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


@pytest.fixture
def window(qtbot, shop, runner, events) -> MainWindow:
    return open_window(qtbot, shop, runner, events)


def test_only_working_pages_are_in_the_sidebar(window):
    titles = [window.nav.item(row).text() for row in range(window.nav.count())]
    assert titles == [spec.title for spec in SCREENS]
    assert titles[0] == "Today's follow-ups" and titles[-1] == "Settings"
    assert window.current_screen() is window.screen_for("followups")


def test_a_page_is_built_the_first_time_it_is_needed(window):
    assert list(window.screens) == ["followups"]  # the first page (and the one with a badge)
    members = window.screen_for("members")  # asked for: built, not shown
    assert window.screens["members"] is members
    assert window.current_screen() is window.screen_for("followups")
    points = window.switch_to("points")  # visited: built and shown
    assert window.current_screen() is points is window.screens["points"]
    assert window.specs[window.nav.currentRow()].key == "points"
    with pytest.raises(KeyError):
        window.screen_for("no such page")


def test_status_bar_shows_the_shop_and_the_database(window, shop):
    assert window.shop_label.text() == "My shop"
    assert window.database_label.text() == f"Data: {shop}"
    set_setting(SHOP_NAME, "悦己美妆")
    window.refresh()
    assert window.shop_label.text() == "悦己美妆"
    assert window.windowTitle() == "悦己美妆 - ShopDesk"


def test_ctrl_f_focuses_the_search_box(qtbot, window):
    window.screen_for("members").table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.search_box


def test_ctrl_n_opens_a_new_member_dialog(qtbot, window, monkeypatch):
    asked: list[int | None] = []
    monkeypatch.setattr(
        MemberEditDialog,
        "ask",
        classmethod(lambda cls, parent, runner, member_id=None, **kw: asked.append(member_id)),
    )
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked == [None]


def test_f5_reads_the_members_again(qtbot, window):
    screen = window.switch_to("members")
    create_member(MemberInput(name="王丽", phone="13800138000"))  # e.g. saved at another counter
    assert screen.model.rowCount() == 0
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert screen.model.rowCount() == 1


def test_alt_number_switches_pages(qtbot, window):
    window.nav.setCurrentRow(-1)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert window.nav.currentRow() == 0


def test_window_splitter_and_columns_are_remembered(qtbot, shop, runner, events, add_members):
    add_members(2)
    first = open_window(qtbot, shop, runner, events)
    # Inside the offscreen screen (800 x 800), or restoring would rightly shrink it to fit.
    first.resize(max(first.minimumSizeHint().width(), 720), 700)
    size = first.size()
    assert size.width() <= 800
    members = first.screen_for("members")
    members.table.horizontalHeader().resizeSection(Column.NAME, 201)
    members.splitter.setSizes([700, 380])
    sizes = members.splitter.sizes()
    first.close()

    second = open_window(qtbot, shop, runner, events)
    again = second.screen_for("members")
    assert second.size() == size
    assert again.table.horizontalHeader().sectionSize(Column.NAME) == 201
    assert again.splitter.sizes() == sizes


def test_the_chosen_sort_is_remembered(qtbot, shop, runner, events, add_members):
    add_members(3)
    first = open_window(qtbot, shop, runner, events)
    first.screen_for("members").table.sortByColumn(Column.JOINED, Qt.SortOrder.AscendingOrder)
    first.close()
    second = open_window(qtbot, shop, runner, events)
    assert second.screen_for("members").model.sort_column() == Column.JOINED


def test_open_demo_builds_the_demo_shop_and_switches_to_it(qtbot, window, tmp_path, monkeypatch):
    demo = tmp_path / "data" / "demo.db"
    monkeypatch.setattr(main_window_module, "demo_database_path", lambda: demo)
    monkeypatch.setattr(main_window_module, "DEMO_MEMBERS", 30)
    members = window.screen_for("members")
    assert members.pages.currentWidget() is members.empty

    buttons = {button.text(): button for button in members.empty.findChildren(type(members.new_button))}
    with qtbot.waitSignal(members.demo_requested, timeout=1000):
        buttons["Open the demo shop"].click()

    assert window.target == str(demo)
    assert count_members() > 0
    assert members.pages.currentWidget() is members.splitter
    assert members.model.rowCount() == count_members()
    assert window.database_label.text() == f"Data: {demo}"
    window.open_demo()  # already there: nothing is rebuilt
    assert window.target == str(demo)


def test_a_database_that_cannot_be_opened_is_reported_and_the_old_one_kept(window, shop, tmp_path, messages):
    assert window.switch_database(str(tmp_path)) is False  # a folder, not a shop file
    assert [message.kind for message in messages] == ["storage"]
    assert window.target == shop
    assert count_members() == 0  # the old database still answers


def test_f2_and_the_top_bar_button_open_the_checkout(qtbot, window, add_members, monkeypatch):
    from shopdesk.ui.dialogs.checkout import CheckoutDialog

    add_members(2)
    window.refresh()
    asked: list[object] = []
    monkeypatch.setattr(
        CheckoutDialog,
        "ask",
        classmethod(lambda cls, parent, runner, **kw: asked.append(kw.get("member_id"))),
    )
    qtbot.keyClick(window, Qt.Key.Key_F2)
    window.checkout_button.click()
    assert asked == [None, None]  # the customer is found in the checkout, not taken from the list behind
