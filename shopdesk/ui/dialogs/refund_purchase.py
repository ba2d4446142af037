"""Refunding a purchase from a member's history, with the reason kept on record."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QWidget

from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.services.purchases import PurchaseView, refund_purchase
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import MEMBERS, PURCHASES
from shopdesk.ui.formatting import format_datetime, format_money
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner


class RefundPurchaseDialog(FormDialog):
    """Asks why; the refund itself cannot be taken back, so this dialog is also the confirmation."""

    def __init__(self, parent: QWidget | None, runner: BaseTaskRunner, purchase: PurchaseView) -> None:
        super().__init__(
            parent,
            runner,
            _("Refund purchase"),
            _(
                "Refund {amount} of {date}? The purchase stays on record, marked as refunded, and no longer "
                "counts in the member's figures."
            ).format(amount=format_money(purchase.paid_fen), date=format_datetime(purchase.purchased_at)),
        )
        self.purchase = purchase
        self.refunded = False
        self.form.setMinimumWidth(char_width(self) * 66)
        self.save_button.setText(_("Refund"))
        self.save_button.setProperty("primary", False)
        self.save_button.setProperty("danger", True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(False)
        self.reason = QLineEdit(maxLength=500, placeholderText=_("For example: returned unopened"))
        self.form.add_row("reason", _("Reason"), self.reason, required=True)
        self.first_field = self.reason

    def save(self) -> None:
        reason = " ".join(self.reason.text().split())
        if not reason:
            raise ValidationError("reason", _("Please say why, for example: returned unopened."))
        self.run_save(
            refund_purchase, self.purchase.id, reason, changes={MEMBERS, PURCHASES}, on_done=self._done
        )

    def _done(self, _result: object) -> None:
        self.refunded = True
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner, purchase: PurchaseView) -> bool:
        """Show the dialog; True once the purchase was refunded."""
        dialog = cls(parent, runner, purchase)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted and dialog.refunded
        finally:
            dialog.deleteLater()
