"""Bulk actions on many members: add a tag, remove a tag, or hand them to another member of staff.

The action applies either to the selected rows or to the whole search result, in one transaction (the
service does it set-based, 500 ids per statement) on the DB lane behind a progress dialog.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from PySide6.QtWidgets import QButtonGroup, QComboBox, QDialog, QRadioButton, QVBoxLayout, QWidget

from shopdesk.errors import ValidationError
from shopdesk.i18n import _, ngettext
from shopdesk.services import session
from shopdesk.services.catalog import list_staff
from shopdesk.services.progress import CancelledError
from shopdesk.services.tags import BulkResult, bulk_assign_staff, bulk_tag, bulk_untag, list_tags
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import MEMBERS, TAGS
from shopdesk.ui.formatting import format_count
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner, JobProgress


class BulkAction(StrEnum):
    ADD_TAG = "add_tag"
    REMOVE_TAG = "remove_tag"
    ASSIGN_STAFF = "assign_staff"


def apply_bulk(
    action: BulkAction, member_ids: Sequence[int], target: int | None, *, progress: JobProgress | None = None
) -> BulkResult:
    """Run one bulk action (on the DB lane); ``target`` is the tag or the staff id (None: nobody)."""
    total = len(member_ids)
    if progress is not None:
        progress.step(0, total, _("Updating members…"))
        if progress.cancelled():
            raise CancelledError()
    actor = session.current().operator
    if action is BulkAction.ADD_TAG:
        assert target is not None
        result = bulk_tag(member_ids, target, actor=actor)
    elif action is BulkAction.REMOVE_TAG:
        assert target is not None
        result = bulk_untag(member_ids, target, actor=actor)
    else:
        result = bulk_assign_staff(member_ids, target, actor=actor)
    if progress is not None:
        progress.step(total, total, "")
    return result


def result_text(action: BulkAction, result: BulkResult) -> str:
    """One sentence saying what happened, for the status bar or a message."""
    n = format_count(result.changed)
    if action is BulkAction.ADD_TAG:
        return ngettext("Tagged {n} member.", "Tagged {n} members.", result.changed).format(n=n)
    if action is BulkAction.REMOVE_TAG:
        return ngettext(
            "Removed the tag from {n} member.", "Removed the tag from {n} members.", result.changed
        ).format(n=n)
    return ngettext("Reassigned {n} member.", "Reassigned {n} members.", result.changed).format(n=n)


class BulkTagDialog(FormDialog):
    """What to do, with which tag or staff member, and to whom (the selection or every result)."""

    def __init__(
        self,
        parent: QWidget | None,
        runner: BaseTaskRunner,
        selected_ids: Sequence[int],
        result_ids: Sequence[int],
    ) -> None:
        super().__init__(parent, runner, _("Bulk actions"))
        self.selected_ids = list(selected_ids)
        self.result_ids = list(result_ids)
        self.outcome: BulkResult | None = None
        self.done_text = ""
        self.form.setMinimumWidth(char_width(self) * 56)
        self.save_button.setText(_("Apply"))

        self.action = QComboBox()
        self.action.addItem(_("Add a tag"), BulkAction.ADD_TAG)
        self.action.addItem(_("Remove a tag"), BulkAction.REMOVE_TAG)
        self.action.addItem(_("Assign to a member of staff"), BulkAction.ASSIGN_STAFF)
        self.form.add_row("action", _("Action"), self.action)

        self.tag = QComboBox()
        tags = list_tags(include_auto=False, with_counts=False)
        for tag in tags:
            self.tag.addItem(f"{tag.group} · {tag.name}" if tag.group else tag.name, tag.id)
        self.form.add_row(
            "tag", _("Tag"), self.tag,
            hint="" if tags else _("No tags yet: create one on the Tags and segments page first."),
        )
        self.staff = QComboBox()
        for staff in list_staff():
            self.staff.addItem(staff.name, staff.id)
        self.staff.addItem(_("Nobody (unassigned)"), None)
        self.form.add_row("staff", _("Staff"), self.staff)

        scope = QWidget()
        column = QVBoxLayout(scope)
        column.setContentsMargins(0, 0, 0, 0)
        self.selected_radio = QRadioButton(
            ngettext("The {n} selected member", "The {n} selected members", len(self.selected_ids)).format(
                n=format_count(len(self.selected_ids))
            )
        )
        self.all_radio = QRadioButton(
            ngettext(
                "Every member in the list ({n})", "Every member in the list ({n})", len(self.result_ids)
            ).format(n=format_count(len(self.result_ids)))
        )
        self.scope = QButtonGroup(self)
        self.scope.addButton(self.selected_radio)
        self.scope.addButton(self.all_radio)
        column.addWidget(self.selected_radio)
        column.addWidget(self.all_radio)
        (self.selected_radio if self.selected_ids else self.all_radio).setChecked(True)
        self.selected_radio.setEnabled(bool(self.selected_ids))
        self.form.add_row("members", _("Apply to"), scope)

        self.action.currentIndexChanged.connect(lambda _index: self._show_target())
        self._show_target()
        self.first_field = self.action
        self.set_tab_order([self.action, self.tag, self.staff, self.selected_radio, self.all_radio])

    def _show_target(self) -> None:
        staff = self.action.currentData() is BulkAction.ASSIGN_STAFF
        self.form.layout_.setRowVisible(self.staff.parentWidget(), staff)
        self.form.layout_.setRowVisible(self.tag.parentWidget(), not staff)

    def chosen_ids(self) -> list[int]:
        return self.selected_ids if self.selected_radio.isChecked() else self.result_ids

    def save(self) -> None:
        action = BulkAction(self.action.currentData())
        if action is BulkAction.ASSIGN_STAFF:
            target = self.staff.currentData()
        else:
            target = self.tag.currentData()
            if target is None:
                raise ValidationError("tag", _("Choose a tag (create one on the Tags and segments page)."))
        ids = self.chosen_ids()
        if not ids:
            raise ValidationError("members", _("There are no members to apply this to."))
        self._set_busy(True)

        def done(result: BulkResult) -> None:
            self._set_busy(False)
            self.outcome = result
            self.done_text = result_text(action, result)
            self.accept()

        self.runner.run(
            apply_bulk,
            action,
            ids,
            target,
            changes={MEMBERS, TAGS},
            initiator=self,
            on_done=done,
            on_error=self._failed,
            progress_label=_("Updating {n} members…").format(n=format_count(len(ids))),
            parent=self,
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        runner: BaseTaskRunner,
        selected_ids: Sequence[int],
        result_ids: Sequence[int],
    ) -> BulkResult | None:
        """Show the dialog; the result once applied, None when cancelled."""
        dialog = cls(parent, runner, selected_ids, result_ids)
        try:
            return dialog.outcome if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
