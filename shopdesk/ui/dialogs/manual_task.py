"""A follow-up planned by hand (手动任务): who, on which day, and what about."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QLineEdit, QWidget

from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.services.catalog import list_staff
from shopdesk.services.followups import add_manual_task
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import FOLLOWUPS
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.member_picker import MemberPicker


class ManualTaskDialog(FormDialog):
    """Member (picked by phone or name), day (today by default), reason, and the staff who calls."""

    def __init__(self, parent: QWidget | None, runner: BaseTaskRunner, today: dt.date | None = None) -> None:
        super().__init__(
            parent,
            runner,
            _("New follow-up"),
            _("The member appears on the follow-up list on the day you choose."),
        )
        self.today = today or dt.date.today()
        self.task_id: int | None = None
        char = char_width(self)
        self.form.setMinimumWidth(char * 64)
        self.member = MemberPicker(field="member")
        self.form.add_row("member", _("Member"), self.member, required=True)
        self.due = QDateEdit(calendarPopup=True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setMinimumDate(QDate(self.today.year, self.today.month, self.today.day))
        self.due.setDate(QDate(self.today.year, self.today.month, self.today.day))
        self.due.setMaximumWidth(char * 18)
        self.form.add_row("due_date", _("Contact on"), self.due, required=True)
        self.reason = QLineEdit(
            maxLength=200, placeholderText=_("For example: tell her the new serum has arrived")
        )
        self.form.add_row("reason", _("About"), self.reason, required=True)
        self.staff = QComboBox()
        self.staff.addItem(_("The member's own staff"), None)
        for person in list_staff():
            self.staff.addItem(person.name, person.id)
        self.form.add_row("staff", _("Staff"), self.staff)
        self.first_field = self.member
        self.set_tab_order((self.member, self.due, self.reason, self.staff))

    def save(self) -> None:
        member_id = self.member.member_id()
        if member_id is None:
            raise ValidationError("member", _("Pick the member to contact."))
        self.run_save(
            lambda: add_manual_task(
                member_id,
                self.due.date().toPython(),
                self.reason.text(),
                staff_id=self.staff.currentData(),
                today=self.today,
            ),
            changes={FOLLOWUPS},
            on_done=self._done,
        )

    def _done(self, task_id: int) -> None:
        self.task_id = task_id
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner) -> int | None:
        """Show the dialog; the new follow-up's id, or None when cancelled."""
        dialog = cls(parent, runner)
        try:
            return dialog.task_id if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
