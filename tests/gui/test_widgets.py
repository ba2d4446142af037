"""Small widgets and formatting: debounced search, money input, birthday lists, relative days."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from shopdesk.domain.birthdays import Birthday
from shopdesk.errors import ValidationError
from shopdesk.ui.formatting import format_date, format_datetime, relative_day
from shopdesk.ui.widgets.birthday_edit import BirthdayEdit
from shopdesk.ui.widgets.money_edit import MoneyEdit
from shopdesk.ui.widgets.search_box import SearchBox


def test_search_box_waits_for_typing_to_pause_and_emits_once(qtbot):
    box = SearchBox()
    qtbot.addWidget(box)
    emitted: list[str] = []
    box.search_changed.connect(emitted.append)
    with qtbot.waitSignal(box.search_changed, timeout=2000):
        qtbot.keyClicks(box, "138")
        assert emitted == []
    assert emitted == ["138"]


def test_enter_flushes_the_pending_search_before_submitting(qtbot):
    box = SearchBox()
    qtbot.addWidget(box)
    events: list[str] = []
    box.search_changed.connect(lambda text: events.append(f"search:{text}"))
    box.submitted.connect(lambda: events.append("submit"))
    qtbot.keyClicks(box, "zs")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert events == ["search:zs", "submit"]
    assert not box.pending()


def test_down_moves_to_the_results_and_escape_clears(qtbot):
    box = SearchBox()
    qtbot.addWidget(box)
    moved: list[bool] = []
    box.move_down.connect(lambda: moved.append(True))
    qtbot.keyClicks(box, "wl")
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert moved == [True]
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == ""


def test_money_edit_reads_fen_and_refuses_what_is_not_money(qtbot):
    edit = MoneyEdit()
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "1a28.567")  # the letter and the third decimal are not accepted
    assert edit.text() == "128.56"
    assert edit.fen() == 12856
    edit.set_fen(123450)
    assert edit.text() == "1234.50"
    edit.clear()
    with pytest.raises(ValidationError) as raised:
        edit.fen()
    assert raised.value.field == "amount"


def test_birthday_edit_with_and_without_a_year(qtbot):
    edit = BirthdayEdit(today=dt.date(2026, 1, 1))
    qtbot.addWidget(edit)
    assert edit.value() is None
    edit.set_value(Birthday(3, 9, 1990))
    assert edit.value() == Birthday(3, 9, 1990)
    edit.year.setCurrentIndex(0)  # "Year unknown"
    assert edit.value() == Birthday(3, 9, None)
    edit.set_value(None)
    edit.year.setCurrentIndex(edit.year.findData(1990))
    with pytest.raises(ValidationError):
        edit.value()


def test_relative_days_are_said_the_way_a_clerk_would():
    today = dt.date(2026, 5, 1)
    assert relative_day(dt.datetime(2026, 5, 1, 9, 30), today) == "Today"
    assert relative_day(dt.date(2026, 4, 30), today) == "Yesterday"
    assert relative_day(dt.date(2026, 3, 20), today) == "42 days ago"
    assert relative_day(dt.date(2026, 5, 2), today) == "In 1 day"
    assert relative_day(None, today) == ""
    assert format_date(dt.datetime(2024, 5, 1, 8, 0)) == "2024-05-01"
    assert format_datetime(dt.datetime(2024, 5, 1, 8, 5, 59)) == "2024-05-01 08:05"
