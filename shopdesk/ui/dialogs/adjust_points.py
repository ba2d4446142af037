"""Adding or removing a member's points by hand (积分调整), with the reason kept in the ledger."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from shopdesk.errors import ValidationError
from shopdesk.i18n import _, ngettext
from shopdesk.services import session
from shopdesk.services.members import get_member
from shopdesk.services.points import MAX_ADJUST, adjust_points, points_summary
from shopdesk.services.session import Permission
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import POINTS
from shopdesk.ui.formatting import format_count
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner

NEGATIVE = "#cf1322"


def adjust_allowed() -> bool:
    """Only the owner adjusts points (a clerk sees the button disabled, with the reason in its tooltip)."""
    return session.can(Permission.ADJUST_POINTS)


def not_allowed_tip() -> str:
    return _("Only the owner can adjust points. Ask the owner to log in.")


class AdjustPointsDialog(FormDialog):
    """Add or remove, how many, and why; the new balance is shown before saving."""

    def __init__(self, parent: QWidget | None, runner: BaseTaskRunner, member_id: int) -> None:
        detail = get_member(member_id)
        summary = points_summary(member_id)
        super().__init__(
            parent,
            runner,
            _("Adjust points"),
            _(
                "{name} has {balance} points ({usable} usable now). The adjustment and its reason stay in "
                "the points ledger."
            ).format(
                name=detail.name, balance=format_count(summary.balance), usable=format_count(summary.usable)
            ),
        )
        self.member_id = member_id
        self.balance = summary.balance
        self.usable = summary.usable
        self.new_balance: int | None = None
        self.form.setMinimumWidth(char_width(self) * 64)
        self.save_button.setText(_("Adjust"))

        direction = QWidget()
        row = QHBoxLayout(direction)
        row.setContentsMargins(0, 0, 0, 0)
        self.add = QRadioButton(_("Add points"))
        self.remove = QRadioButton(_("Remove points"))
        self.add.setChecked(True)
        self._direction = QButtonGroup(self)
        self._direction.addButton(self.add)
        self._direction.addButton(self.remove)
        row.addWidget(self.add)
        row.addWidget(self.remove)
        row.addStretch()
        self.form.add_row("direction", _("Change"), direction)

        self.points = QSpinBox()
        self.points.setRange(0, MAX_ADJUST)
        self.points.setGroupSeparatorShown(True)
        self.points.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.points.setSuffix(_(" points"))
        self.points.setMinimumWidth(char_width(self) * 18)
        self.points.setMaximumWidth(char_width(self) * 24)
        self.form.add_row("amount", _("Points"), self.points, required=True)

        self.reason = QLineEdit(
            maxLength=200, placeholderText=_("For example: points from the old paper card")
        )
        self.form.add_row("reason", _("Reason"), self.reason, required=True)

        self.preview = QLabel()
        self.preview.setObjectName("fieldHint")
        self.form.add_row("preview", _("New balance"), self.preview)

        self.points.valueChanged.connect(self._update_preview)
        self.add.toggled.connect(self._update_preview)
        self.first_field = self.points
        self.set_tab_order((self.add, self.remove, self.points, self.reason))
        self._update_preview()
        if not adjust_allowed():
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(not_allowed_tip())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.points.selectAll()  # typing replaces the 0

    def signed_amount(self) -> int:
        return self.points.value() if self.add.isChecked() else -self.points.value()

    def _update_preview(self, *_args: object) -> None:
        after = self.balance + self.signed_amount()
        self.preview.setText(format_count(after))
        self.preview.setStyleSheet(f"color: {NEGATIVE};" if after < 0 else "")

    def save(self) -> None:
        amount = self.signed_amount()
        if amount == 0:
            raise ValidationError("amount", _("Enter the number of points to add or remove."))
        if amount < 0 and -amount > self.usable:
            raise ValidationError(
                "amount",
                ngettext(
                    "Only {n} point can be removed now.", "Only {n} points can be removed now.", self.usable
                ).format(n=format_count(self.usable)),
            )
        reason = " ".join(self.reason.text().split())
        if not reason:
            raise ValidationError("reason", _("Please give a reason for the adjustment."))
        self.run_save(
            partial(adjust_points, operator=session.current().operator),
            self.member_id,
            amount,
            reason,
            changes={POINTS},
            on_done=self._done,
        )

    def _done(self, balance: int) -> None:
        self.new_balance = balance
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner, member_id: int) -> int | None:
        """Show the dialog; the new balance once saved, None when cancelled."""
        dialog = cls(parent, runner, member_id)
        try:
            return dialog.new_balance if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
