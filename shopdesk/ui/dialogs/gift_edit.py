"""Adding or editing a gift of the points catalogue: name, points cost, stock (or unlimited), on offer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from shopdesk.i18n import _, pgettext
from shopdesk.services.gifts import GiftInput, GiftView, create_gift, update_gift
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import POINTS
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner

MAX_COST = 10_000_000
MAX_STOCK = 1_000_000


class GiftEditDialog(FormDialog):
    """A gift's four fields; Save checks them in ``services.gifts``."""

    def __init__(self, parent: QWidget | None, runner: BaseTaskRunner, gift: GiftView | None = None) -> None:
        super().__init__(
            parent,
            runner,
            _("New gift") if gift is None else _("Edit gift"),
            _("Members exchange points for gifts on their Points tab; stock goes down with each one."),
        )
        self.gift = gift
        self.saved = False
        char = char_width(self)
        self.form.setMinimumWidth(char * 60)
        self.name = QLineEdit(maxLength=60, placeholderText=_("For example: hand cream sample"))
        self.form.add_row("name", pgettext("the name of a thing", "Name"), self.name, required=True)
        self.cost = QSpinBox()
        self.cost.setRange(0, MAX_COST)
        self.cost.setGroupSeparatorShown(True)
        self.cost.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.cost.setSuffix(_(" points"))
        self.cost.setMaximumWidth(char * 20)
        self.form.add_row("points_cost", _("Points cost"), self.cost, required=True)

        stock_row = QWidget()
        row = QHBoxLayout(stock_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.stock = QSpinBox()
        self.stock.setRange(0, MAX_STOCK)
        self.stock.setGroupSeparatorShown(True)
        self.stock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.stock.setMaximumWidth(char * 14)
        self.unlimited = QCheckBox(_("No stock limit"))
        self.unlimited.toggled.connect(lambda on: self.stock.setEnabled(not on))
        row.addWidget(self.stock)
        row.addWidget(self.unlimited)
        row.addStretch()
        self.form.add_row("stock", _("In stock"), stock_row)
        self.active = QCheckBox(_("On offer (members can redeem it)"))
        self.form.add_row("active", _("Status"), self.active)

        if gift is not None:
            self.name.setText(gift.name)
            self.cost.setValue(gift.points_cost)
            self.unlimited.setChecked(gift.stock is None)
            self.stock.setValue(gift.stock or 0)
            self.active.setChecked(gift.active)
        else:
            self.stock.setValue(10)
            self.active.setChecked(True)
        self.first_field = self.name
        self.set_tab_order((self.name, self.cost, self.stock, self.unlimited, self.active))

    def value(self) -> GiftInput:
        return GiftInput(
            name=self.name.text(),
            points_cost=self.cost.value(),
            stock=None if self.unlimited.isChecked() else self.stock.value(),
            active=self.active.isChecked(),
        )

    def save(self) -> None:
        if self.gift is None:
            self.run_save(create_gift, self.value(), changes={POINTS}, on_done=self._done)
        else:
            self.run_save(update_gift, self.gift.id, self.value(), changes={POINTS}, on_done=self._done)

    def _done(self, _result: object) -> None:
        self.saved = True
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner, gift: GiftView | None = None) -> bool:
        """Show the dialog; True once the gift was saved."""
        dialog = cls(parent, runner, gift)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved
        finally:
            dialog.deleteLater()
