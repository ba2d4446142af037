"""The duplicates dialog: suggested pairs, the side-by-side comparison, merging, and undoing a merge."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from shopdesk.domain.birthdays import Birthday
from shopdesk.services.members import MemberInput, create_member, get_member
from shopdesk.services.merge import list_merges
from shopdesk.services.points import points_summary
from shopdesk.services.purchases import PurchaseInput, list_member_purchases, record_purchase
from shopdesk.ui.dialogs.merge_members import MERGE_CHANGES, MergeMembersDialog
from shopdesk.ui.main_window import MainWindow
from shopdesk.ui.models.duplicates import MergeColumn, PairColumn


@pytest.fixture
def twins(shop) -> tuple[int, int]:
    """王丽 entered twice: the same birthday, another phone; the newer record has one purchase."""
    first = create_member(MemberInput(name="王丽", phone="13800138000", birthday=Birthday(3, 9, 1990)))
    record_purchase(PurchaseInput(member_id=first, amount_fen=300_00))
    record_purchase(PurchaseInput(member_id=first, amount_fen=100_00))
    second = create_member(
        MemberInput(name="王丽", phone="13900139000", birthday=Birthday(3, 9, 1990), notes="新卡")
    )
    record_purchase(PurchaseInput(member_id=second, amount_fen=50_00, purchased_at=dt.datetime.now()))
    create_member(MemberInput(name="李娜", phone="13700137000"))  # nobody's twin
    return first, second


@pytest.fixture
def dialog(qtbot, runner, twins) -> MergeMembersDialog:
    dialog = MergeMembersDialog(None, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_pairs_are_suggested_and_compared_side_by_side(qtmodeltester, dialog, twins):
    first, second = twins
    qtmodeltester.check(dialog.pairs_model)
    qtmodeltester.check(dialog.merges_model)
    assert dialog.pairs_model.rowCount() == 1
    model = dialog.pairs_model
    assert model.data(model.index(0, PairColumn.NAME)) == "王丽"
    assert model.data(model.index(0, PairColumn.PHONES)) == "138 0013 8000 / 139 0013 9000"
    assert model.data(model.index(0, PairColumn.REASON)) == "Same name and birthday"
    comparison = dialog.comparison
    assert [label.text() for label in comparison.values["phone"]] == ["138 0013 8000", "139 0013 9000"]
    assert [label.text() for label in comparison.values["purchases"]] == ["2", "1"]
    assert [label.text() for label in comparison.values["notes"]] == ["—", "新卡"]
    # The record with more purchases is kept unless the owner says otherwise.
    assert comparison.keep_and_drop() == (first, second)
    assert dialog.merge_button.isEnabled()
    assert (
        dialog.merge_note.text()
        == f"No. {second} will be archived and everything it holds moves to no. {first}."
    )


def test_merge_moves_everything_to_the_kept_record_and_announces_it(dialog, events, twins, qtbot):
    first, second = twins
    dialog.comparison.keep_buttons[1].setChecked(True)  # keep the newer record this time
    assert dialog.comparison.keep_and_drop() == (second, first)
    with qtbot.waitSignal(events.changes_applied) as signal:
        dialog.merge_button.click()
    assert signal.args[0] == set(MERGE_CHANGES)

    kept = get_member(second)
    assert (kept.purchase_count, kept.total_spent_fen) == (3, 450_00)
    assert get_member(first).archived_at is not None
    assert len(list_member_purchases(second)) == 3
    assert points_summary(second).balance == 450
    assert dialog.merged == 1
    assert dialog.pairs_model.rowCount() == 0 and dialog.pairs_stack.currentWidget() is dialog.no_pairs
    assert dialog.merges_model.rowCount() == 1
    merges = dialog.merges_model
    assert merges.data(merges.index(0, MergeColumn.KEPT)) == f"王丽 (no. {second})"
    assert merges.data(merges.index(0, MergeColumn.STATUS)) == "Merged"
    assert dialog.undo_button.isEnabled()  # the new merge is selected, ready to undo


def test_undo_asks_first_and_restores_both_records(dialog, twins, answers):
    first, second = twins
    dialog.merge_button.click()
    answers.append(False)
    dialog.undo_button.click()
    assert answers.asked == ["Undo the merge of 王丽 into 王丽?"]
    assert get_member(second).archived_at is not None  # said no: nothing changed

    dialog.undo_button.click()
    assert get_member(second).archived_at is None
    assert (get_member(first).purchase_count, get_member(second).purchase_count) == (2, 1)
    assert points_summary(first).balance == 400 and points_summary(second).balance == 50
    [merge] = list_merges()
    assert merge.undone
    merges = dialog.merges_model
    assert merges.data(merges.index(0, MergeColumn.STATUS)) == "Undone"
    dialog.merges.selectRow(0)
    assert not dialog.undo_button.isEnabled()
    assert dialog.pairs_model.rowCount() == 1  # the pair is suggested again


def test_without_duplicates_the_dialog_says_what_it_looks_for(qtbot, runner, shop):
    create_member(MemberInput(name="李娜", phone="13700137000"))
    dialog = MergeMembersDialog(None, runner)
    qtbot.addWidget(dialog)
    assert dialog.pairs_stack.currentWidget() is dialog.no_pairs
    assert "same name and birthday" in dialog.no_pairs.text()
    assert not dialog.merge_button.isEnabled()
    assert not dialog.undo_button.isEnabled()


def test_the_shop_menu_opens_the_dialog(qtbot, shop, runner, events, monkeypatch):
    window = MainWindow(shop, runner, events)
    qtbot.addWidget(window)
    opened = []
    monkeypatch.setattr(
        MergeMembersDialog, "ask", classmethod(lambda cls, parent, runner: opened.append(parent))
    )
    [action] = [
        a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "Find duplicate members…"
    ]
    action.trigger()
    assert opened == [window]


def test_enter_merges_the_pair_shown(qtbot, dialog, twins):
    qtbot.keyClick(dialog.pairs, Qt.Key.Key_Return)
    assert get_member(twins[1]).archived_at is not None
