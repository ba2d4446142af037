"""Today's follow-ups page: the list grouped by reason, working tasks, closing-time entry, paper, badge."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor

from shopdesk.domain.birthdays import Birthday
from shopdesk.domain.dates import spoken_date
from shopdesk.domain.followups import Outcome, TaskKind, TaskStatus
from shopdesk.services.catalog import create_staff
from shopdesk.services.followups import add_manual_task, member_contacts, todays_tasks
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.message_templates import list_templates
from shopdesk.ui import printing
from shopdesk.ui.dialogs.closing_entry import ClosingEntryDialog
from shopdesk.ui.dialogs.manual_task import ManualTaskDialog
from shopdesk.ui.dialogs.message_templates import MessageTemplatesDialog, placeholder_token
from shopdesk.ui.dialogs.snooze import NoteDialog, SnoozeDialog
from shopdesk.ui.models.followup_list import STATUS, FollowupListModel
from shopdesk.ui.screens import followups as followups_module
from shopdesk.ui.screens.followups import FollowupsScreen

TODAY = dt.date.today()


@pytest.fixture
def members(shop, add_members) -> dict[str, int]:
    """A staff member, a birthday tomorrow, and two manual contacts for today (one of them 小美's)."""
    staff = create_staff("小美")
    tomorrow = TODAY + dt.timedelta(days=1)
    ids = {
        "birthday": create_member(
            MemberInput(name="生日张", phone="13900000001", birthday=Birthday(tomorrow.month, tomorrow.day))
        ),
        "manual": create_member(MemberInput(name="手动李", phone="13900000002", staff_id=staff)),
        "third": create_member(MemberInput(name="第三王", phone="13900000003")),
        "staff": staff,
    }
    add_manual_task(ids["manual"], TODAY, "新到的精华，问问要不要留一瓶")
    add_manual_task(ids["third"], TODAY, "回访上次的面霜")
    return ids


@pytest.fixture
def screen(qtbot, members, runner, events) -> FollowupsScreen:
    page = FollowupsScreen(runner, events)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    assert page.loaded
    return page


def rows_of(screen: FollowupsScreen) -> list[tuple[str, str]]:
    return [(task.member_name, task.kind.value) for task in screen.model.tasks()]


def select(screen: FollowupsScreen, name: str) -> None:
    task = next(task for task in screen.model.tasks() if task.member_name == name)
    assert screen.select_task(task.id)
    assert screen.current_task().member_name == name


def test_the_list_is_built_when_shown_and_grouped_by_reason(screen, qtmodeltester):
    qtmodeltester.check(screen.model)
    assert rows_of(screen) == [("生日张", "birthday"), ("手动李", "manual"), ("第三王", "manual")]
    assert screen.model.is_heading(0) and screen.model.task(0) is None
    assert screen.model.data(screen.model.index(0, 0)) == "Birthday (1)"
    assert screen.table.columnSpan(0, 0) == screen.model.columnCount()
    assert screen.model.data(screen.model.index(1, 1)) == "139****0001"  # masked
    assert screen.model.data(screen.model.index(1, STATUS)) == "Due today"
    assert screen.progress_label.text() == "Done 0 / 3"
    assert screen.open_count == 3
    # the first open task is selected and its actions are ready
    assert screen.current_task().member_name == "生日张"
    assert screen.copy_button.isEnabled() and screen.snooze_button.isEnabled()


def test_building_again_adds_nobody(screen):
    screen.refresh()
    assert len(screen.model.tasks()) == 3


def test_working_three_tasks_goes_to_the_contact_history(screen, members, monkeypatch):
    """Acceptance 5: copy a message, mark an outcome, put one off; the history shows the contacts."""
    # 1. Copy the birthday message: the template for birthdays, filled with the member's name.
    select(screen, "生日张")
    screen.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "生日张" in copied
    assert copied == screen.last_message
    birthday_template = next(t for t in list_templates("birthday") if t.kind == "birthday")
    assert "{" not in copied and birthday_template.body.split("{")[0].strip() in copied
    screen.outcome_buttons[Outcome.CONTACTED].click()
    # The list goes on to the next open task; the done one shows its outcome in green.
    assert screen.current_task().member_name == "手动李"
    done = next(t for t in screen.model.tasks() if t.member_name == "生日张")
    assert done.status is TaskStatus.DONE and done.outcome is Outcome.CONTACTED
    row = screen.model.row_of(done.id)
    assert screen.model.data(screen.model.index(row, STATUS)) == "Reached"

    # 2. A manual task (no template of its own): the message still names the member; no answer.
    screen.copy_button.click()
    assert "手动李" in QGuiApplication.clipboard().text()
    screen.outcome_buttons[Outcome.NO_ANSWER].click()

    # 3. Put the third one off to the day after tomorrow, with a note.
    select(screen, "第三王")

    def answer(cls, parent, runner, task):
        dialog = cls(parent, runner, task)
        dialog.set_days(2)
        dialog.note.setText("下午再打")
        dialog.submit()
        return dialog.saved

    monkeypatch.setattr(SnoozeDialog, "ask", classmethod(answer))
    screen.snooze_button.click()
    snoozed = next(t for t in screen.model.tasks() if t.member_name == "第三王")
    assert snoozed.status is TaskStatus.SNOOZED and snoozed.note == "下午再打"
    assert screen.progress_label.text() == "Done 3 / 3"
    assert screen.open_count == 0

    assert [c.outcome for c in member_contacts(members["birthday"])] == [Outcome.CONTACTED]
    assert [c.outcome for c in member_contacts(members["manual"])] == [Outcome.NO_ANSWER]
    assert member_contacts(members["third"]) == []  # putting off is not a contact


def test_a_snoozed_task_comes_back_on_its_day(screen, members):
    task = next(t for t in screen.model.tasks() if t.member_name == "第三王")
    dialog = SnoozeDialog(screen, screen.runner, task, today=TODAY)
    assert dialog.chosen_date() == TODAY + dt.timedelta(days=1)
    dialog.set_days(7)
    dialog.submit()
    assert dialog.saved
    from shopdesk.services.followups import build_list

    later = TODAY + dt.timedelta(days=7)
    build_list(later)
    back = [t for t in todays_tasks(later, include_done=False) if t.member_name == "第三王"]
    assert [(t.kind, t.status) for t in back] == [(TaskKind.MANUAL, TaskStatus.OPEN)]
    assert not [t for t in todays_tasks(TODAY, include_done=False) if t.member_name == "第三王"]


def test_undo_result_puts_the_task_back(screen):
    select(screen, "手动李")
    screen.outcome_buttons[Outcome.NOT_INTERESTED].click()
    select(screen, "手动李")
    assert screen.reopen_button.isVisible() and screen.reopen_button.isEnabled()
    assert not screen.outcome_buttons[Outcome.CONTACTED].isEnabled()
    screen.reopen_button.click()
    assert screen.current_task().status is TaskStatus.OPEN


def test_note_and_filter_by_staff(screen, members, runner):
    select(screen, "手动李")
    dialog = NoteDialog(screen, runner, screen.current_task())
    dialog.note.setPlainText("周末在家")
    dialog.submit()
    assert dialog.saved
    assert screen.current_task().note == "周末在家"
    assert "周末在家" in screen.task_reason.text()

    index = screen.staff_filter.findText("小美")
    assert index > 0
    screen.staff_filter.setCurrentIndex(index)
    assert rows_of(screen) == [("手动李", "manual")]
    assert screen.progress_label.text() == "Done 0 / 1"
    screen.staff_filter.setCurrentIndex(0)
    assert len(screen.model.tasks()) == 3


def test_manual_task_dialog_adds_a_contact(screen, members, runner):
    dialog = ManualTaskDialog(screen, runner)
    dialog.submit()
    assert dialog.form.error_text("member")  # nobody picked
    dialog.member.set_member(members["birthday"], "生日张")
    dialog.submit()
    assert dialog.form.error_text("reason")
    dialog.reason.setText("提醒来取预订的礼盒")
    dialog.submit()
    assert dialog.task_id is not None
    # the page reloads through changes_applied: a planned contact is listed even beside the birthday
    assert ("生日张", "manual") in rows_of(screen)
    assert screen.progress_label.text() == "Done 0 / 4"


def test_closing_entry_is_keyboard_only(qtbot, screen, members, runner, qtmodeltester):
    dialog = ClosingEntryDialog(screen, runner, screen.model.tasks())
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    table = dialog.table
    assert table.currentIndex().row() == 0
    assert not dialog.save_button.isEnabled()
    qtbot.keyClick(table, Qt.Key.Key_2)  # row 1: no answer, then on to row 2
    assert table.currentIndex().row() == 1
    qtbot.keyClick(table, Qt.Key.Key_Return)  # row 2 skipped
    qtbot.keyClick(table, Qt.Key.Key_4)  # row 3: came and bought
    assert table.currentIndex().row() == 2  # the last row: it stays there
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_1)  # row 2: reached, then on to row 3
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_0)  # row 2 cleared again
    assert dialog.save_button.text() == "Save 2 results"
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.saved == 2
    outcomes = {t.member_name: t.outcome for t in screen.model.tasks()}
    assert outcomes == {"生日张": Outcome.NO_ANSWER, "手动李": None, "第三王": Outcome.PURCHASED}
    assert [c.outcome for c in member_contacts(members["third"])] == [Outcome.PURCHASED]
    # done rows are shown but cannot be changed
    again = ClosingEntryDialog(screen, runner, screen.model.tasks())
    qtbot.addWidget(again)
    assert again.table.currentIndex().row() == 1  # the first row still open
    assert not again.model.set_outcome(0, Outcome.CONTACTED)
    assert again.model.data(again.model.index(0, 4)) == "No answer"


def test_print_preview_gets_the_sheet(screen, monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        printing, "print_preview", lambda parent, html, **kw: shown.append((html, kw["title"]))
    )
    screen.print_button.click()
    [(html, title)] = shown
    assert "生日张" in html and "139****0001" in html and spoken_date(TODAY, with_year=True) in title


def test_export_writes_excel_and_pdf(screen, tmp_path, monkeypatch):
    target = tmp_path / "today.xlsx"
    monkeypatch.setattr(followups_module, "choose_export_path", lambda parent, suggested: str(target))
    screen.export_button.click()
    from openpyxl import load_workbook

    values = [cell.value for row in load_workbook(target).active.iter_rows() for cell in row]
    assert "手动李" in values and "139****0002" in values
    pdf = tmp_path / "today"
    monkeypatch.setattr(followups_module, "choose_export_path", lambda parent, suggested: str(pdf))
    screen.export_button.click()
    assert (tmp_path / "today.pdf").read_bytes().startswith(b"%PDF")


def test_message_templates_dialog(qtbot, screen, runner, answers):
    dialog = MessageTemplatesDialog(screen, runner)
    qtbot.addWidget(dialog)
    count = dialog.list.count()
    assert count == len(list_templates()) >= 7  # the defaults
    dialog.new_template()
    dialog.name.setText("新品到店")
    dialog.kind.setCurrentIndex(dialog.kind.findData("manual"))
    dialog.body.setPlainText("您好 ")
    dialog.body.moveCursor(QTextCursor.MoveOperation.End)
    dialog.placeholder_buttons["name"].click()
    assert dialog.body.toPlainText() == "您好 " + placeholder_token("name")
    dialog.save_current()
    assert dialog.list.count() == count + 1
    assert dialog.list.currentItem().text() == "新品到店"
    # the manual task now copies this template
    select(screen, "手动李")
    screen.copy_button.click()
    assert QGuiApplication.clipboard().text() == "您好 手动李"
    dialog.body.setPlainText("")
    dialog.save_current()
    assert dialog.form.error_text("body")
    dialog.delete_current()
    assert dialog.list.count() == count


def test_the_page_comes_first_with_a_badge(qtbot, shop, members, runner, events):
    from shopdesk.ui.main_window import MainWindow

    window = MainWindow(shop, runner, events)
    qtbot.addWidget(window)
    window.show()
    assert window.current_screen() is window.screen_for("followups")
    assert window.nav.item(0).text() == "Today's follow-ups (3)"
    screen = window.screen_for("followups")
    screen.outcome_buttons[Outcome.CONTACTED].click()
    assert window.nav.item(0).text() == "Today's follow-ups (2)"


def test_model_without_tasks(qtmodeltester):
    model = FollowupListModel()
    model.set_tasks([])
    qtmodeltester.check(model)
    assert model.rowCount() == 0
