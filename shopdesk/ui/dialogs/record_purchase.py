"""Recording a past purchase for a member (补录): amount, category, staff, the date it was made and a note.

Sales at the counter go through the checkout (coupons, points); this form is for entering a sale made
earlier, from a paper receipt or a day the computer was off.
"""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QDialog, QLineEdit, QWidget

from shopdesk.domain.phones import format_phone
from shopdesk.i18n import _
from shopdesk.services.catalog import list_categories, list_staff
from shopdesk.services.members import get_member
from shopdesk.services.purchases import PurchaseId, PurchaseInput, PurchaseItemInput, record_purchase
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import MEMBERS, PURCHASES
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.money_edit import MoneyEdit


class RecordPurchaseDialog(FormDialog):
    """One sale for one member; saving the same dialog twice records the sale once (a fixed uid)."""

    def __init__(
        self,
        parent: QWidget | None,
        runner: BaseTaskRunner,
        member_id: int,
        *,
        now: dt.datetime | None = None,
    ) -> None:
        member = get_member(member_id)
        super().__init__(
            parent,
            runner,
            _("Record a past purchase"),
            _("For {name} ({phone}).").format(name=member.name, phone=format_phone(member.phone)),
        )
        self.member_id = member_id
        self.uid = uuid.uuid4().hex
        self.saved_id: PurchaseId | None = None
        self.form.setMinimumWidth(char_width(self) * 66)
        now = (now or dt.datetime.now()).replace(second=0, microsecond=0)

        self.amount = MoneyEdit()
        self.amount.setMaximumWidth(char_width(self) * 20)
        self.category = QComboBox()
        self.category.addItem(_("Not specified"), None)
        for category in list_categories():
            self.category.addItem(category.name, category.id)
        self.staff = QComboBox()
        self.staff.addItem(_("Unassigned"), None)
        for staff in list_staff():
            self.staff.addItem(staff.name, staff.id)
        self.staff.setCurrentIndex(max(0, self.staff.findData(member.staff_id)))
        self.purchased_at = QDateTimeEdit(QDateTime(now))
        self.purchased_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.purchased_at.setCalendarPopup(True)
        self.purchased_at.setMaximumDateTime(QDateTime(now + dt.timedelta(days=1)))
        self.note = QLineEdit(maxLength=500, placeholderText=_("Optional, for example: bought as a gift"))

        self.form.add_row("amount", _("Amount (¥)"), self.amount, required=True)
        self.form.add_row("items", _("Category"), self.category)
        self.form.add_row("staff", _("Served by"), self.staff)
        self.form.add_row("purchased_at", _("Date and time"), self.purchased_at)
        self.form.add_row("note", _("Note"), self.note)
        self.first_field = self.amount
        self.set_tab_order([self.amount, self.category, self.staff, self.purchased_at, self.note])

    def purchase_input(self) -> PurchaseInput:
        """The sale the form describes (ValidationError on the amount field when it is empty or zero)."""
        amount = self.amount.fen()
        category_id = self.category.currentData()
        items = (
            [PurchaseItemInput(amount_fen=amount, category_id=category_id)] if category_id is not None else []
        )
        return PurchaseInput(
            member_id=self.member_id,
            amount_fen=amount,
            purchased_at=self.purchased_at.dateTime().toPython().replace(microsecond=0),
            items=items,
            staff_id=self.staff.currentData(),
            note=self.note.text(),
            uid=self.uid,
        )

    def save(self) -> None:
        self.run_save(
            record_purchase, self.purchase_input(), changes={MEMBERS, PURCHASES}, on_done=self._saved
        )

    def _saved(self, purchase_id: object) -> None:
        self.saved_id = PurchaseId(int(purchase_id))  # type: ignore[call-overload]
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner, member_id: int) -> PurchaseId | None:
        """Show the dialog; the id of the purchase recorded, or None when cancelled."""
        dialog = cls(parent, runner, member_id)
        try:
            return dialog.saved_id if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
