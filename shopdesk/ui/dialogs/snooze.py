"""Putting a follow-up off to another day (改天), and the note on a follow-up (备注)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton, QWidget

from shopdesk.i18n import N_, _
from shopdesk.services.followups import TaskView, set_task_note, snooze_task
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import FOLLOWUPS
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner

QUICK_DAYS = ((1, N_("Tomorrow")), (3, N_("In 3 days")), (7, N_("In a week")))


class SnoozeDialog(FormDialog):
    """A day after today (tomorrow by default, with one-click choices) and an optional note."""

    def __init__(
        self, parent: QWidget | None, runner: BaseTaskRunner, task: TaskView, today: dt.date | None = None
    ) -> None:
        super().__init__(
            parent,
            runner,
            _("Contact another day"),
            _("{name} comes back on the list on the day you choose.").format(name=task.member_name),
        )
        self.task = task
        self.today = today or dt.date.today()
        self.saved = False
        char = char_width(self)
        self.form.setMinimumWidth(char * 56)
        day_row = QWidget()
        row = QHBoxLayout(day_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.until = QDateEdit(calendarPopup=True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.until.setMinimumDate(_qdate(self.today + dt.timedelta(days=1)))
        self.until.setDate(_qdate(self.today + dt.timedelta(days=1)))
        self.until.setMinimumWidth(char * 16)
        row.addWidget(self.until)
        self.quick: list[QPushButton] = []
        for days, label in QUICK_DAYS:
            button = QPushButton(_(label))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, d=days: self.set_days(d))
            row.addWidget(button)
            self.quick.append(button)
        row.addStretch()
        self.form.add_row("until", _("Contact on"), day_row, required=True)
        self.note = QLineEdit(
            task.note, maxLength=200, placeholderText=_("For example: busy, call after 6 pm")
        )
        self.form.add_row("note", _("Note"), self.note)
        self.first_field = self.until
        self.set_tab_order((self.until, *self.quick, self.note))

    def set_days(self, days: int) -> None:
        self.until.setDate(_qdate(self.today + dt.timedelta(days=days)))

    def chosen_date(self) -> dt.date:
        return self.until.date().toPython()

    def save(self) -> None:
        self.run_save(
            lambda: snooze_task(self.task.id, self.chosen_date(), self.note.text(), today=self.today),
            changes={FOLLOWUPS},
            on_done=self._done,
        )

    def _done(self, _result: object) -> None:
        self.saved = True
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner, task: TaskView) -> bool:
        """Show the dialog; True once the follow-up was put off."""
        dialog = cls(parent, runner, task)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved
        finally:
            dialog.deleteLater()


class NoteDialog(FormDialog):
    """The follow-up's note: what the member said, when to call, what to offer."""

    def __init__(self, parent: QWidget | None, runner: BaseTaskRunner, task: TaskView) -> None:
        super().__init__(parent, runner, _("Note on {name}").format(name=task.member_name), task.reason)
        self.task = task
        self.saved = False
        self.form.setMinimumWidth(char_width(self) * 60)
        self.note = QPlainTextEdit(task.note)
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(self.fontMetrics().height() * 6)
        self.form.add_row("note", _("Note"), self.note)
        self.first_field = self.note

    def save(self) -> None:
        self.run_save(
            set_task_note, self.task.id, self.note.toPlainText(), changes={FOLLOWUPS}, on_done=self._done
        )

    def _done(self, _result: object) -> None:
        self.saved = True
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner, task: TaskView) -> bool:
        dialog = cls(parent, runner, task)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved
        finally:
            dialog.deleteLater()


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)
