"""The member dialog: create or edit a member record, or archive the member."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from shopdesk.domain.dates import spoken_date
from shopdesk.domain.members import GENDER_LABELS, NAME_MAX, SOURCE_LABELS, Source
from shopdesk.domain.phones import format_phone
from shopdesk.i18n import _
from shopdesk.services import session
from shopdesk.services.catalog import list_staff
from shopdesk.services.members import (
    MemberDetail,
    MemberId,
    MemberInput,
    archive_member,
    create_member,
    get_member,
)
from shopdesk.services.members import update_member as update_member_record
from shopdesk.services.privacy import Consent, get_consent, set_consent
from shopdesk.ui import prompts
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import MEMBERS
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.birthday_edit import BirthdayEdit
from shopdesk.ui.widgets.member_picker import MemberPicker

ARCHIVED = 2  # the dialog's result code after the member was archived


class MemberEditDialog(FormDialog):
    """Name, phone, gender, birthday, source, referrer, staff and notes; Save checks them in the service."""

    def __init__(
        self,
        parent: QWidget | None,
        runner: BaseTaskRunner,
        member_id: int | None = None,
        *,
        initial: MemberInput | None = None,
    ) -> None:
        self.member_id = member_id
        self.detail: MemberDetail | None = get_member(member_id) if member_id is not None else None
        title = _("New member") if self.detail is None else _("Edit member")
        subtitle = (
            _("A member is known by their mobile phone; only the name and the phone are required.")
            if self.detail is None
            else _("Joined on {date}.").format(date=spoken_date(self.detail.created_at))
        )
        super().__init__(parent, runner, title, subtitle)
        self.saved_id: MemberId | None = None
        width = char_width(self)
        self.form.setMinimumWidth(width * 80)

        self.name = QLineEdit(maxLength=NAME_MAX, placeholderText=_("For example 王丽"))
        self.phone = QLineEdit(maxLength=20, placeholderText=_("11-digit mobile, for example 13800138000"))
        self.gender = QComboBox()
        for gender, label in GENDER_LABELS.items():
            self.gender.addItem(_(label), gender.value)
        self.birthday = BirthdayEdit()
        self.source = QComboBox()
        for source, label in SOURCE_LABELS.items():
            self.source.addItem(_(label), source.value)
        self.referrer = MemberPicker()
        self.referrer.exclude_id = member_id
        self.staff = QComboBox()
        self.staff.addItem(_("Unassigned"), None)
        for staff in list_staff():
            self.staff.addItem(staff.name, staff.id)
        self.notes = QPlainTextEdit(placeholderText=_("Skin type, preferences, what they asked about…"))
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + width * 2)

        form = self.form
        form.add_row("name", _("Name"), self.name, required=True)
        form.add_row("phone", _("Phone"), self.phone, required=True)
        form.add_row("gender", _("Gender"), self.gender)
        form.add_row(
            "birthday",
            _("Birthday"),
            self.birthday,
            hint=_("Leave the year unknown if they only tell you the day."),
        )
        form.add_row("source", _("Came from"), self.source)
        form.add_row("referrer", _("Referred by"), self.referrer)
        form.add_row("staff", _("Staff"), self.staff)
        form.add_row("notes", _("Notes"), self.notes)
        self.marketing = QCheckBox(_("Agrees to receive offers (coupons sent to many members)"))
        self.reminders = QCheckBox(_("Agrees to be contacted for reminders and follow-ups"))
        self.consent = get_consent(member_id) if member_id is not None else Consent(True, True)
        self.marketing.setChecked(self.consent.marketing)
        self.reminders.setChecked(self.consent.reminders)
        form.add_row("marketing", _("Consent"), self.marketing)
        form.add_row("reminders", "", self.reminders)
        self.first_field = self.name

        self.archive_button: QPushButton | None = None
        if self.detail is not None:
            self.archive_button = self.buttons.addButton(_("Archive"), QDialogButtonBox.ButtonRole.ResetRole)
            self.archive_button.setProperty("danger", True)
            self.archive_button.setToolTip(_("Hide this member from lists and searches; purchases are kept."))
            self.archive_button.clicked.connect(self.archive)
            self._load(self.detail.as_input(), self.detail.referrer_name)
        elif initial is not None:
            self._load(initial, "")
        self.set_tab_order(
            [
                self.name,
                self.phone,
                self.gender,
                *self.birthday.focus_chain(),
                self.source,
                self.referrer,
                self.staff,
                self.notes,
                self.marketing,
                self.reminders,
            ]
        )

    def _load(self, data: MemberInput, referrer_name: str) -> None:
        self.name.setText(data.name)
        self.phone.setText(format_phone(data.phone) if data.phone else "")
        self.gender.setCurrentIndex(max(0, self.gender.findData(data.gender or "")))
        self.birthday.set_value(data.birthday if not isinstance(data.birthday, str) else None)
        self.source.setCurrentIndex(max(0, self.source.findData(data.source or Source.STORE.value)))
        if data.referrer_id is not None:
            self.referrer.set_member(data.referrer_id, referrer_name)
        self.staff.setCurrentIndex(max(0, self.staff.findData(data.staff_id)))
        self.notes.setPlainText(data.notes)

    def member_input(self) -> MemberInput:
        """What the form says (ValidationError for a half-filled birthday or an unpicked referrer)."""
        return MemberInput(
            name=self.name.text(),
            phone=self.phone.text(),
            gender=self.gender.currentData(),
            birthday=self.birthday.value(),
            source=self.source.currentData(),
            referrer_id=self.referrer.member_id(),
            staff_id=self.staff.currentData(),
            notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        data = self.member_input()
        if self.member_id is None:
            self.run_save(create_member, data, changes={MEMBERS}, on_done=self._saved)
        else:
            member_id = self.member_id
            self.run_save(
                update_member_record,
                member_id,
                data,
                changes={MEMBERS},
                on_done=lambda _r: self._saved(member_id),
            )

    def _saved(self, member_id: object) -> None:
        self.saved_id = MemberId(int(member_id))  # type: ignore[call-overload]
        self.member_id = self.saved_id  # should the consent fail, Save again updates, never duplicates
        wanted = Consent(self.marketing.isChecked(), self.reminders.isChecked())
        if wanted == self.consent:
            self.accept()
            return
        self.consent = wanted  # a second Save after a failure here does not store it twice
        self.run_save(
            partial(set_consent, actor=session.current().operator),
            self.saved_id,
            wanted.marketing,
            wanted.reminders,
            changes={MEMBERS},
            on_done=lambda _r: self.accept(),
        )

    def archive(self) -> None:
        """Archive after a confirmation, since the member then disappears from lists and searches."""
        if self.member_id is None or self.detail is None:
            return
        if not prompts.confirm(
            self,
            _("Archive {name}?").format(name=self.detail.name),
            _("They will no longer appear in lists and searches. Their purchases stay on record."),
            _("Archive"),
        ):
            return
        self.run_save(
            archive_member, self.member_id, changes={MEMBERS}, on_done=lambda _r: self.done(ARCHIVED)
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        runner: BaseTaskRunner,
        member_id: int | None = None,
        *,
        initial: MemberInput | None = None,
    ) -> MemberId | None:
        """Show the dialog; the id of the member saved, or None when cancelled or archived."""
        dialog = cls(parent, runner, member_id, initial=initial)
        try:
            result = dialog.exec()
            return dialog.saved_id if result == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
