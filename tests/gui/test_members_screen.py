"""The Members page: search as you type, details of the selected member, empty states, keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shopdesk.services.members import MemberInput, archive_member, create_member, get_member
from shopdesk.services.purchases import PurchaseInput, record_purchase
from shopdesk.ui.dialogs.member_edit import MemberEditDialog
from shopdesk.ui.events import MEMBERS
from shopdesk.ui.main_window import MainWindow
from shopdesk.ui.models.member_table import Column
from shopdesk.ui.screens.members import MembersScreen


@pytest.fixture
def window(qtbot, shop, runner, events) -> MainWindow:
    window = MainWindow(shop, runner, events)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.switch_to("members")  # the window opens on Today's follow-ups
    return window


def members_of(window: MainWindow) -> MembersScreen:
    return window.screen_for("members")  # type: ignore[return-value]


def shown_names(screen: MembersScreen) -> list[str]:
    model = screen.model
    return [model.data(model.index(row, Column.NAME)) for row in range(model.rowCount())]


def capture_ask(monkeypatch) -> list[tuple[int | None, MemberInput | None]]:
    """Replace the member dialog by a recorder of (member_id, initial) it was asked with."""
    calls: list[tuple[int | None, MemberInput | None]] = []

    def ask(cls, parent, runner, member_id=None, *, initial=None):
        calls.append((member_id, initial))

    monkeypatch.setattr(MemberEditDialog, "ask", classmethod(ask))
    return calls


def search(qtbot, window: MainWindow, text: str) -> None:
    """Type ``text`` into the top bar and wait for the debounced search (Chinese via setText)."""
    box = window.search_box
    with qtbot.waitSignal(box.search_changed, timeout=2000):
        if text.isascii():
            box.clear()
            qtbot.keyClicks(box, text)
        else:
            box.setText(text)
        assert box.pending()  # nothing searched while typing


def test_typing_in_the_top_bar_filters_the_members(qtbot, window, add_members):
    add_members(40)
    create_member(MemberInput(name="张三", phone="13912345678"))
    window.refresh()
    screen = members_of(window)
    assert screen.model.rowCount() == 41

    search(qtbot, window, "5678")
    assert shown_names(screen) == ["张三"]
    assert screen.count_label.text() == "1 match"

    search(qtbot, window, "zs")
    assert shown_names(screen) == ["张三"]

    search(qtbot, window, "张三")
    assert shown_names(screen) == ["张三"]
    assert screen.detail.name.text() == "张三"  # the best match is selected and shown

    window.clear_search()
    assert screen.model.rowCount() == 41


def test_no_match_says_so_and_offers_to_add_the_member(qtbot, window, add_members, monkeypatch):
    add_members(3)
    window.refresh()
    screen = members_of(window)
    search(qtbot, window, "13999999999")
    assert screen.results.currentWidget() is screen.no_results
    assert "13999999999" in screen.no_results.title.text()
    calls = capture_ask(monkeypatch)
    screen._new_from_search()
    assert [(member_id, initial.phone) for member_id, initial in calls] == [(None, "13999999999")]


def test_an_empty_shop_shows_what_to_do_next(qtbot, window):
    screen = members_of(window)
    assert screen.pages.currentWidget() is screen.empty
    buttons = {button.text(): button for button in screen.empty.findChildren(type(screen.new_button))}
    assert set(buttons) == {"New member", "Import from Excel", "Open the demo shop"}
    with qtbot.waitSignal(screen.demo_requested, timeout=1000):
        qtbot.mouseClick(buttons["Open the demo shop"], Qt.MouseButton.LeftButton)


def test_the_empty_state_gives_way_to_the_table_once_a_member_exists(qtbot, window, events):
    screen = members_of(window)
    create_member(MemberInput(name="王丽", phone="13800138000"))
    events.announce({MEMBERS})
    assert screen.pages.currentWidget() is screen.splitter
    assert shown_names(screen) == ["王丽"]


def test_selecting_a_member_shows_their_details_and_history(qtbot, window, add_members):
    first, second = add_members(2)
    record_purchase(PurchaseInput(member_id=second, amount_fen=12800, note="生日礼物"))
    window.refresh()
    screen = members_of(window)
    screen.select_row(screen.model.row_of(second))
    screen.sync_detail()
    assert screen.detail.member_id() == second
    assert screen.detail.tile_count.value.text() == "1"
    assert screen.detail.tile_total.value.text() == "¥128.00"
    assert screen.detail.history_model.rowCount() == 1
    screen.select_row(screen.model.row_of(first))
    screen.sync_detail()
    assert screen.detail.history_model.rowCount() == 0
    assert screen.detail.history_empty.isVisibleTo(screen.detail)


def test_enter_on_a_row_opens_the_member_dialog(qtbot, window, add_members, monkeypatch):
    ids = add_members(3)
    window.refresh()
    calls = capture_ask(monkeypatch)
    screen = members_of(window)
    screen.focus_results()
    qtbot.keyClick(screen.table, Qt.Key.Key_Down)
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert calls == [(screen.current_member_id(), None)]
    assert calls[0][0] in ids


def test_enter_in_the_search_box_opens_the_best_match(qtbot, window, add_members, monkeypatch):
    add_members(20)
    wang = create_member(MemberInput(name="王小明", phone="13711112222"))
    window.refresh()
    calls = capture_ask(monkeypatch)
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "2222")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)  # flushes the pending search first
    assert calls == [(wang, None)]


def test_the_list_follows_changes_and_keeps_the_selection(qtbot, window, events, add_members):
    ids = add_members(5)
    window.refresh()
    screen = members_of(window)
    screen.select_row(screen.model.row_of(ids[2]))
    archive_member(ids[4])
    events.announce({MEMBERS})
    assert screen.model.rowCount() == 4
    assert screen.current_member_id() == ids[2]


def test_clicking_a_sortable_header_sorts_and_the_staff_column_does_not(qtbot, window, shop):
    low = create_member(MemberInput(name="低", phone="13800000001"))
    high = create_member(MemberInput(name="高", phone="13800000002"))
    record_purchase(PurchaseInput(member_id=low, amount_fen=100))
    record_purchase(PurchaseInput(member_id=high, amount_fen=100000))
    window.refresh()
    screen = members_of(window)
    header = screen.table.horizontalHeader()
    header.setSortIndicator(Column.TOTAL_SPENT, Qt.SortOrder.AscendingOrder)
    assert [screen.model.member_id(0), screen.model.member_id(1)] == [low, high]
    header.setSortIndicator(Column.STAFF, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == Column.TOTAL_SPENT  # the indicator shows the real order
    assert get_member(high).total_spent_fen == 100000


def test_rows_have_a_fixed_clickable_height(qtbot, window, add_members):
    add_members(3)
    window.refresh()
    table = members_of(window).table
    height = table.verticalHeader().defaultSectionSize()
    assert 24 <= height <= 40
    assert table.rowHeight(2) == height


def test_searches_run_on_the_db_lane_and_enter_waits_for_the_newest(
    qtbot, shop, events, add_members, monkeypatch
):
    from shopdesk.ui.tasks import TaskRunner

    add_members(30)
    wang = create_member(MemberInput(name="王小明", phone="13711112222"))
    runner = TaskRunner(events=events)
    window = MainWindow(shop, runner, events)
    qtbot.addWidget(window)
    window.show()
    calls = capture_ask(monkeypatch)
    screen = members_of(window)

    window.search_box.setText("2222")
    window.search_box.flush()
    assert screen.searching()
    screen.open_current()  # Enter before the results arrived: opens once they are in
    assert calls == []
    qtbot.waitUntil(lambda: not screen.searching(), timeout=5000)
    assert shown_names(screen) == ["王小明"]
    assert calls == [(wang, None)]
    assert runner.wait(5000)
