"""Tags and segments in the GUI: bulk tagging from a multi-row selection, the filter panel, chips."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QDialog

from shopdesk.services.catalog import create_staff
from shopdesk.services.segments import SegmentFilter, find_segment
from shopdesk.services.tags import create_tag, member_tags, tag_member
from shopdesk.ui.dialogs.bulk_tag import BulkAction, BulkTagDialog
from shopdesk.ui.models.member_table import CHIPS_ROLE, Column
from shopdesk.ui.screens.members import MembersScreen


def _select_rows(screen: MembersScreen, first: int, last: int) -> None:
    model = screen.model
    selection = QItemSelection(model.index(first, 0), model.index(last, model.columnCount() - 1))
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    screen.table.selectionModel().select(selection, flags)


def _drive_bulk(monkeypatch, action: BulkAction, target_text: str, *, whole_list: bool = False) -> list:
    """Replace ``exec`` so ``ask`` fills the real dialog and presses Apply, as the user would."""
    seen: list[BulkTagDialog] = []

    def fake_exec(dialog: BulkTagDialog) -> int:
        seen.append(dialog)
        dialog.action.setCurrentIndex(dialog.action.findData(action))
        combo = dialog.staff if action is BulkAction.ASSIGN_STAFF else dialog.tag
        combo.setCurrentIndex(combo.findText(target_text))
        (dialog.all_radio if whole_list else dialog.selected_radio).setChecked(True)
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(BulkTagDialog, "exec", fake_exec)
    return seen


def test_tag_fifty_selected_members_then_filter_by_the_tag(
    qtbot, qtmodeltester, runner, events, add_members, monkeypatch
):
    ids = add_members(120)
    vip = create_tag("VIP", "Custom")
    create_tag("Other")
    screen = MembersScreen(runner, events)
    qtbot.addWidget(screen)
    assert screen.model.rowCount() == 120

    _select_rows(screen, 20, 69)
    chosen = screen.selected_member_ids()
    assert len(chosen) == 50
    seen = _drive_bulk(monkeypatch, BulkAction.ADD_TAG, "Custom · VIP")
    screen.bulk_actions()
    assert seen[0].result() == QDialog.DialogCode.Accepted
    assert seen[0].outcome.changed == 50
    assert seen[0].done_text == "Tagged 50 members."

    # The table shows the chip on exactly those rows (chips come with the page, not per row).
    row_of = screen.model.row_of
    assert [chip.name for chip in screen.model.data(screen.model.index(row_of(chosen[0]), Column.TAGS),
                                                    CHIPS_ROLE)] == ["VIP"]
    untouched = next(mid for mid in ids if mid not in chosen)
    assert screen.model.data(screen.model.index(row_of(untouched), Column.TAGS), CHIPS_ROLE) == []

    screen.filter_button.setChecked(True)
    assert screen.filters.isVisibleTo(screen)
    screen.filters.tags_any.set_values([vip])
    screen.filters.apply_now()
    assert sorted(screen.model.member_ids()) == sorted(chosen)
    assert screen.model.rowCount() == 50
    assert screen.filters.count_label.text() == "50 members match."
    assert screen.count_label.text() == "50 matches"
    assert screen.filter_button.text() == "Filter (1)"
    qtmodeltester.check(screen.model)

    # "none of" the tag shows the other 70; clearing shows everyone again.
    screen.filters.set_segment(SegmentFilter(tags_none=(vip,)))
    assert screen.model.rowCount() == 70
    screen.filters.clear()
    assert screen.model.rowCount() == 120
    assert screen.filter_button.text() == "Filter"


def test_bulk_untag_and_reassign_the_whole_filtered_list(qtbot, runner, events, add_members, monkeypatch):
    ids = add_members(30)
    tag = create_tag("Dry skin")
    for member_id in ids[:10]:
        tag_member(member_id, tag)
    clerk = create_staff("小美")
    screen = MembersScreen(runner, events)
    qtbot.addWidget(screen)
    screen.show_segment(SegmentFilter(tags_any=(tag,)))
    assert screen.model.rowCount() == 10

    _drive_bulk(monkeypatch, BulkAction.ASSIGN_STAFF, "小美", whole_list=True)
    screen.bulk_actions()
    assert screen.model.rowCount() == 10
    assert {screen.model.row_at(row).staff_name for row in range(10)} == {"小美"}
    assert screen.model.row_at(0) is not None

    _drive_bulk(monkeypatch, BulkAction.REMOVE_TAG, "Dry skin", whole_list=True)
    screen.bulk_actions()
    assert screen.model.rowCount() == 0
    assert screen.no_results.title.text() == "No member matches these conditions"
    assert all(member_tags(mid) == [] for mid in ids[:10])
    assert clerk


def test_bulk_dialog_without_a_tag_says_what_to_do(qtbot, runner, add_members):
    ids = add_members(3)
    dialog = BulkTagDialog(None, runner, ids[:1], ids)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert dialog.outcome is None
    assert "create one" in dialog.form.error_text("tag")


def test_filter_panel_saves_a_segment_and_loads_it_back(qtbot, runner, events, add_members, monkeypatch):
    ids = add_members(12)
    tag = create_tag("Gold")
    for member_id in ids[:4]:
        tag_member(member_id, tag)
    screen = MembersScreen(runner, events)
    qtbot.addWidget(screen)
    panel = screen.filters
    panel.tags_any.set_values([tag])
    panel.visits.set_bounds(0, 5)
    panel.apply_now()
    assert screen.model.rowCount() == 4
    monkeypatch.setattr(panel, "ask_name", lambda: "金卡客户")
    panel.save_as_segment()
    saved = find_segment("金卡客户")
    assert saved is not None and saved.filter == SegmentFilter(tags_any=(tag,), visits_min=0, visits_max=5)
    assert panel.saved.currentText() == "金卡客户"

    panel.clear()
    assert screen.model.rowCount() == 12
    panel.load_segment(saved.id)
    assert screen.model.rowCount() == 4
    assert panel.tags_any.values() == (tag,)
    assert panel.tags_any.text() == "Gold"
