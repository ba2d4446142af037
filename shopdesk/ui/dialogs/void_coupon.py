"""Voiding an issued coupon (作废), with the reason kept on record."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QWidget

from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.services import session
from shopdesk.services.coupons import CouponView, void_coupon
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import COUPONS
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner


class VoidCouponDialog(FormDialog):
    """Asks why; voiding cannot be undone, so this dialog is also the confirmation."""

    def __init__(self, parent: QWidget | None, runner: BaseTaskRunner, coupon: CouponView) -> None:
        super().__init__(
            parent,
            runner,
            _("Void coupon"),
            _(
                "Void {code} ({coupon}) of {name}? It can no longer be used, and this cannot be undone."
            ).format(code=coupon.code, coupon=coupon.template_name, name=coupon.member_name),
        )
        self.coupon = coupon
        self.voided = False
        self.form.setMinimumWidth(char_width(self) * 66)
        self.save_button.setText(_("Void"))
        self.save_button.setProperty("primary", False)
        self.save_button.setProperty("danger", True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(False)
        self.reason = QLineEdit(maxLength=200, placeholderText=_("For example: issued to the wrong member"))
        self.form.add_row("reason", _("Reason"), self.reason, required=True)
        self.first_field = self.reason

    def save(self) -> None:
        reason = " ".join(self.reason.text().split())
        if not reason:
            raise ValidationError("reason", _("Please give a reason for voiding the coupon."))
        self.run_save(
            partial(void_coupon, operator=session.current().operator),
            self.coupon.id,
            reason,
            changes={COUPONS},
            on_done=self._done,
        )

    def _done(self, _result: object) -> None:
        self.voided = True
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner, coupon: CouponView) -> bool:
        """Show the dialog; True once the coupon was voided."""
        dialog = cls(parent, runner, coupon)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted and dialog.voided
        finally:
            dialog.deleteLater()
