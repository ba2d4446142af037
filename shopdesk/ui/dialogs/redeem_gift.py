"""Exchanging a member's points for a gift from the catalogue (积分兑换礼品)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QSpinBox, QWidget

from shopdesk.errors import ValidationError
from shopdesk.i18n import _, ngettext
from shopdesk.services import session
from shopdesk.services.gifts import GiftView, list_gifts
from shopdesk.services.members import get_member
from shopdesk.services.points import points_summary, redeem_gift
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import POINTS
from shopdesk.ui.formatting import format_count
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner

NEGATIVE = "#cf1322"
MAX_QUANTITY = 99


def gift_text(gift: GiftView) -> str:
    """``Hand cream · 500 points · 12 left``: what the clerk needs to pick one."""
    if gift.stock is None:
        return _("{gift} · {points} points").format(gift=gift.name, points=format_count(gift.points_cost))
    return _("{gift} · {points} points · {stock} left").format(
        gift=gift.name, points=format_count(gift.points_cost), stock=format_count(gift.stock)
    )


class RedeemGiftDialog(FormDialog):
    """Pick a gift and a quantity; the cost and the balance after are shown before redeeming."""

    def __init__(self, parent: QWidget | None, runner: BaseTaskRunner, member_id: int) -> None:
        detail = get_member(member_id)
        summary = points_summary(member_id)
        self.gifts = list_gifts()
        if summary.balance < 0:
            subtitle = _(
                "{name}'s balance is {balance} points: a refund took back points already spent. Gifts can "
                "be redeemed again once the balance is above zero."
            ).format(name=detail.name, balance=format_count(summary.balance))
        else:
            subtitle = _("{name} can use {usable} points now.").format(
                name=detail.name, usable=format_count(summary.usable)
            )
        super().__init__(parent, runner, _("Redeem a gift"), subtitle)
        self.member_id = member_id
        self.usable = summary.usable if summary.balance > 0 else 0
        self.new_balance: int | None = None
        self.form.setMinimumWidth(char_width(self) * 64)
        self.save_button.setText(_("Redeem"))

        self.gift = QComboBox()
        for gift in self.gifts:
            self.gift.addItem(gift_text(gift), gift.id)
        if not self.gifts:
            self.gift.addItem(_("No gifts yet: add them on the Points page"), None)
            self.gift.setEnabled(False)
        self.form.add_row("gift", _("Gift"), self.gift, required=True)

        self.quantity = QSpinBox()
        self.quantity.setRange(1, MAX_QUANTITY)
        self.quantity.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.quantity.setMaximumWidth(char_width(self) * 10)
        self.form.add_row("quantity", _("Quantity"), self.quantity)

        self.cost = QLabel()
        self.cost.setObjectName("fieldHint")
        self.form.add_row("cost", _("Cost"), self.cost)

        self.gift.currentIndexChanged.connect(self._update_cost)
        self.quantity.valueChanged.connect(self._update_cost)
        self.first_field = self.gift if self.gifts else None
        self.set_tab_order((self.gift, self.quantity))
        self._select_first_affordable()
        self._update_cost()
        self.save_button.setEnabled(bool(self.gifts) and summary.balance > 0)

    def selected_gift(self) -> GiftView | None:
        gift_id = self.gift.currentData()
        return next((gift for gift in self.gifts if gift.id == gift_id), None)

    def _select_first_affordable(self) -> None:
        """Start on the dearest gift the member can take (the one they usually came for)."""
        affordable = [i for i, gift in enumerate(self.gifts) if gift.points_cost <= self.usable]
        if affordable:
            self.gift.setCurrentIndex(affordable[-1])

    def _update_cost(self, *_args: object) -> None:
        gift = self.selected_gift()
        if gift is None:
            self.cost.setText("—")
            return
        total = gift.points_cost * self.quantity.value()
        short = total > self.usable
        self.cost.setText(
            _("{points} points, {left} left after").format(
                points=format_count(total), left=format_count(self.usable - total)
            )
            if not short
            else _("{points} points: {missing} more than can be used now").format(
                points=format_count(total), missing=format_count(total - self.usable)
            )
        )
        self.cost.setStyleSheet(f"color: {NEGATIVE};" if short else "")

    def save(self) -> None:
        gift = self.selected_gift()
        if gift is None:
            raise ValidationError("gift", _("Choose a gift."))
        quantity = self.quantity.value()
        if gift.stock is not None and gift.stock < quantity:
            raise ValidationError(
                "quantity",
                ngettext("Only {n} left in stock.", "Only {n} left in stock.", gift.stock).format(
                    n=format_count(gift.stock)
                ),
            )
        if gift.points_cost * quantity > self.usable:
            raise ValidationError(
                "quantity",
                ngettext(
                    "Only {n} point can be used now.", "Only {n} points can be used now.", self.usable
                ).format(n=format_count(self.usable)),
            )
        self.run_save(
            partial(redeem_gift, operator=session.current().operator),
            self.member_id,
            gift.id,
            quantity,
            changes={POINTS},
            on_done=self._done,
        )

    def _done(self, balance: int) -> None:
        self.new_balance = balance
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner, member_id: int) -> int | None:
        """Show the dialog; the new balance once a gift was redeemed, None when cancelled."""
        dialog = cls(parent, runner, member_id)
        try:
            return dialog.new_balance if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
