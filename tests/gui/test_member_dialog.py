"""The member dialog: keyboard-only entry, inline validation, birthday without a year, referrer, archive."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from shopdesk.domain.birthdays import Birthday
from shopdesk.services.member_search import search_member_ids
from shopdesk.services.members import MemberInput, count_members, create_member, get_member
from shopdesk.ui.dialogs.member_edit import ARCHIVED, MemberEditDialog


def open_dialog(qtbot, runner, member_id=None, **kwargs) -> MemberEditDialog:
    dialog = MemberEditDialog(None, runner, member_id, **kwargs)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    return dialog


def test_a_member_is_created_with_the_keyboard_only(qtbot, runner, shop):
    dialog = open_dialog(qtbot, runner)
    assert QApplication.focusWidget() is dialog.name  # the first field has the focus
    qtbot.keyClicks(QApplication.focusWidget(), "Lily Wang")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.phone  # Tab follows reading order
    qtbot.keyClicks(QApplication.focusWidget(), "138-0013-8000")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Enter saves

    assert dialog.result() == QDialog.DialogCode.Accepted
    member = get_member(dialog.saved_id)
    assert (member.name, member.phone) == ("Lily Wang", "13800138000")


def test_tab_visits_the_fields_in_reading_order(qtbot, runner, shop):
    dialog = open_dialog(qtbot, runner)
    visited = [QApplication.focusWidget()]
    for _ in range(9):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    expected = [
        dialog.name,
        dialog.phone,
        dialog.gender,
        dialog.birthday.year,
        dialog.birthday.month,
        dialog.birthday.day,
        dialog.source,
        dialog.referrer,
        dialog.staff,
        dialog.notes,
    ]
    assert visited == expected


def test_a_wrong_phone_is_explained_under_the_phone_field(qtbot, runner, shop):
    dialog = open_dialog(qtbot, runner)
    dialog.name.setText("王丽")
    dialog.phone.setText("1380013")
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)

    assert dialog.isVisible()  # the dialog stays open with what was typed
    expected = "Phone should be 11 digits starting with 1, for example 13800138000."
    assert dialog.form.error_text("phone") == expected
    assert dialog.form.error_text("name") == ""
    assert QApplication.focusWidget() is dialog.phone
    assert count_members() == 0

    dialog.phone.setText("13800138000")
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.form.error_text("phone") == ""


def test_a_phone_used_by_someone_else_names_them(qtbot, runner, shop):
    create_member(MemberInput(name="李娜", phone="13900001111"))
    dialog = open_dialog(qtbot, runner)
    dialog.name.setText("王丽")
    dialog.phone.setText("13900001111")
    dialog.submit()
    assert dialog.form.error_text("phone") == "This phone already belongs to 李娜."


def test_escape_cancels_without_saving(qtbot, runner, shop):
    dialog = open_dialog(qtbot, runner)
    qtbot.keyClicks(dialog.name, "Nobody")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert count_members() == 0


def test_a_birthday_without_a_year_and_other_fields_are_saved(qtbot, runner, staff_and_categories):
    staff_id, _category = staff_and_categories
    dialog = open_dialog(qtbot, runner)
    dialog.name.setText("周敏")
    dialog.phone.setText("13700001234")
    dialog.gender.setCurrentIndex(dialog.gender.findData("F"))
    dialog.birthday.month.setCurrentIndex(dialog.birthday.month.findData(3))
    dialog.birthday.day.setCurrentIndex(dialog.birthday.day.findData(9))
    dialog.source.setCurrentIndex(dialog.source.findData("douyin"))
    dialog.staff.setCurrentIndex(dialog.staff.findData(staff_id))
    dialog.notes.setPlainText("敏感肌")
    dialog.submit()

    member = get_member(dialog.saved_id)
    assert member.birthday == Birthday(3, 9, None)
    assert (member.gender, member.source, member.staff_id) == ("F", "douyin", staff_id)
    assert member.notes == "敏感肌"


def test_half_a_birthday_is_refused_inline(qtbot, runner, shop):
    dialog = open_dialog(qtbot, runner)
    dialog.name.setText("周敏")
    dialog.phone.setText("13700001234")
    dialog.birthday.month.setCurrentIndex(dialog.birthday.month.findData(2))
    dialog.submit()
    assert dialog.form.error_text("birthday") == "Choose both the month and the day, or neither."
    dialog.birthday.day.setCurrentIndex(dialog.birthday.day.findData(30))
    dialog.submit()
    assert dialog.form.error_text("birthday") == "Birthday is not a real date; please check it."
    assert count_members() == 0


def test_the_referrer_is_picked_from_matching_members(qtbot, runner, shop):
    referrer = create_member(MemberInput(name="陈静", phone="13655556666"))
    dialog = open_dialog(qtbot, runner)
    dialog.name.setText("陈雪")
    dialog.phone.setText("13655557777")
    dialog.referrer.setText("6666")
    dialog.referrer.suggest()
    assert dialog.referrer.suggestions() == [(referrer, "陈静  136 5555 6666")]
    dialog.referrer.pick(0)
    dialog.submit()
    assert get_member(dialog.saved_id).referrer_id == referrer


def test_a_referrer_typed_but_not_picked_is_refused(qtbot, runner, shop):
    dialog = open_dialog(qtbot, runner)
    dialog.name.setText("陈雪")
    dialog.phone.setText("13655557777")
    qtbot.keyClicks(dialog.referrer, "nobody")
    dialog.submit()
    assert dialog.form.error_text("referrer") == "Pick the member from the list, or leave the field empty."


def test_editing_shows_the_record_and_saves_changes(qtbot, runner, shop):
    member_id = create_member(MemberInput(name="王丽", phone="13800138000", birthday="1990-03-09"))
    dialog = open_dialog(qtbot, runner, member_id)
    assert dialog.name.text() == "王丽"
    assert dialog.phone.text() == "138 0013 8000"
    assert dialog.birthday.value() == Birthday(3, 9, 1990)
    dialog.name.setText("王丽丽")
    dialog.submit()
    assert dialog.saved_id == member_id
    assert get_member(member_id).name == "王丽丽"


def test_archiving_asks_first_and_hides_the_member(qtbot, runner, shop, answers):
    member_id = create_member(MemberInput(name="王丽", phone="13800138000"))
    dialog = open_dialog(qtbot, runner, member_id)
    answers.append(False)
    dialog.archive_button.click()
    assert dialog.isVisible()
    assert get_member(member_id).archived_at is None
    dialog.archive_button.click()
    assert answers.asked == ["Archive 王丽?", "Archive 王丽?"]
    assert dialog.result() == ARCHIVED
    assert search_member_ids("") == []


def test_a_new_member_dialog_has_no_archive_button(qtbot, runner, shop):
    assert open_dialog(qtbot, runner).archive_button is None
