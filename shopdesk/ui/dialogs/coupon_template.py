"""The coupon template editor: kind and value (满100减20, 8.8折, 兑换券…), validity, categories, limits.

Only the fields the chosen kind uses are shown. Coupons already issued keep their own validity when a
template changes, so editing is safe; the service checks everything and names the field that is wrong.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from shopdesk.domain.coupons import CouponKind
from shopdesk.errors import ValidationError
from shopdesk.i18n import _, pgettext
from shopdesk.services import session
from shopdesk.services.catalog import list_categories
from shopdesk.services.coupon_templates import (
    TemplateInput,
    TemplateView,
    create_template,
    get_template,
    update_template,
)
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import COUPONS
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.coupon_list import KIND_LABELS
from shopdesk.ui.widgets.money_edit import MoneyEdit

# The service names these fields; the form shows validity's two ways in one row.
_FIELD_ROWS = {"valid_days": "validity", "valid_until": "validity"}
# Which rows each kind of coupon uses.
_KIND_ROWS = {
    CouponKind.THRESHOLD: {"value", "threshold"},
    CouponKind.CASH: {"value"},
    CouponKind.PERCENT: {"pay_percent", "cap", "threshold"},
    CouponKind.GIFT: {"gift_name"},
}
_OPTIONAL_ROWS = ("value", "threshold", "pay_percent", "cap", "gift_name")
CATEGORY_COLUMNS = 5


class CouponTemplateDialog(FormDialog):
    """New template, or edit one; ``saved_id`` is the template saved."""

    def __init__(
        self, parent: QWidget | None, runner: BaseTaskRunner, template_id: int | None = None
    ) -> None:
        self.template: TemplateView | None = get_template(template_id) if template_id is not None else None
        super().__init__(
            parent,
            runner,
            _("New coupon template") if self.template is None else _("Edit coupon template"),
            _("A template describes a coupon; give it to members at the checkout, or to a tag or a segment.")
            if self.template is None
            else _("Coupons already issued keep their own dates; the change applies to new ones."),
        )
        self.saved_id: int | None = None
        char = char_width(self)
        self.form.setMinimumWidth(char * 80)

        self.name = QLineEdit(maxLength=40, placeholderText=_("For example: 满100减20, 生日券"))
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(_(label), kind.value)
        self.value = MoneyEdit(field="value")
        self.value.setMaximumWidth(char * 20)
        self.threshold = MoneyEdit(field="threshold")
        self.threshold.setMaximumWidth(char * 20)
        self.pay_percent = QSpinBox()
        self.pay_percent.setRange(1, 99)
        self.pay_percent.setValue(88)
        self.pay_percent.setSuffix("%")
        self.pay_percent.setMaximumWidth(char * 20)
        self.cap = MoneyEdit(field="cap")
        self.cap.setMaximumWidth(char * 20)
        self.gift_name = QLineEdit(maxLength=60, placeholderText=_("For example: a sheet mask"))

        validity = QWidget()
        grid = QGridLayout(validity)
        grid.setContentsMargins(0, 0, 0, 0)
        self.by_days = QRadioButton(_("From the day issued, for"))
        self.valid_days = QSpinBox()
        self.valid_days.setRange(1, 3650)
        self.valid_days.setValue(30)
        self.valid_days.setSuffix(_(" days"))
        self.valid_days.setMinimumWidth(char * 14)
        self.by_dates = QRadioButton(_("Fixed dates"))
        today = QDate.currentDate()
        self.valid_from = QDateEdit(today, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.valid_until = QDateEdit(today.addMonths(1), calendarPopup=True, displayFormat="yyyy-MM-dd")
        for edit in (self.valid_from, self.valid_until):
            edit.setMinimumWidth(char * 16)
        self._validity = QButtonGroup(self)
        self._validity.addButton(self.by_days)
        self._validity.addButton(self.by_dates)
        self.by_days.setChecked(True)
        dates = QHBoxLayout()
        dates.addWidget(self.valid_from)
        dates.addWidget(QLabel(_("to")))
        dates.addWidget(self.valid_until)
        dates.addStretch()
        grid.addWidget(self.by_days, 0, 0)
        grid.addWidget(self.valid_days, 0, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.by_dates, 1, 0)
        grid.addLayout(dates, 1, 1)
        grid.setColumnStretch(1, 1)

        self.categories = QWidget()
        boxes = QGridLayout(self.categories)
        boxes.setContentsMargins(0, 0, 0, 0)
        self.category_boxes: list[tuple[int, QCheckBox]] = []
        for position, category in enumerate(list_categories()):
            box = QCheckBox(category.name)
            boxes.addWidget(box, position // CATEGORY_COLUMNS, position % CATEGORY_COLUMNS)
            self.category_boxes.append((category.id, box))
        for column in range(CATEGORY_COLUMNS):
            boxes.setColumnStretch(column, 1)
        self.per_member_limit = QSpinBox()
        self.per_member_limit.setRange(0, 99)
        self.per_member_limit.setSpecialValueText(_("No limit"))
        self.per_member_limit.setMaximumWidth(char * 20)
        self.stacks = QCheckBox(_("Can be used together with points"))
        self.stacks.setChecked(True)

        self.form.add_row("name", pgettext("the name of a thing", "Name"), self.name, required=True)
        self.form.add_row("kind", _("Kind"), self.kind, required=True)
        self.form.add_row("value", _("Money off (¥)"), self.value, required=True)
        self.form.add_row("threshold", _("Minimum spend (¥)"), self.threshold)
        self.form.add_row(
            "pay_percent",
            _("Customer pays"),
            self.pay_percent,
            required=True,
            hint=_("88% is 8.8折: 12% off"),
        )
        self.form.add_row(
            "cap", _("At most off (¥)"), self.cap, hint=_("Optional: the most one coupon takes off")
        )
        self.form.add_row("gift_name", _("Gift"), self.gift_name, required=True)
        self.form.add_row("validity", _("Valid"), validity, required=True)
        self.form.add_row(
            "categories",
            _("Only for"),
            self.categories,
            hint=_("Leave all unticked and the coupon applies to any purchase"),
        )
        self.form.add_row("per_member_limit", _("Per member"), self.per_member_limit)
        self.form.add_row("stacks", "", self.stacks)
        if not self.category_boxes:
            self.form.layout_.setRowVisible(self.categories.parentWidget(), False)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.by_days.toggled.connect(self._validity_changed)
        if self.template is not None:
            self._fill(self.template)
        self._kind_changed()
        self._validity_changed()
        self.first_field = self.name
        self.set_tab_order(
            [
                self.name,
                self.kind,
                self.value,
                self.threshold,
                self.pay_percent,
                self.cap,
                self.gift_name,
                self.by_days,
                self.valid_days,
                self.by_dates,
                self.valid_from,
                self.valid_until,
                *(box for _id, box in self.category_boxes),
                self.per_member_limit,
                self.stacks,
            ]
        )

    def _fill(self, template: TemplateView) -> None:
        self.name.setText(template.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(template.kind.value)))
        terms = template.terms
        if template.kind in (CouponKind.THRESHOLD, CouponKind.CASH):
            self.value.set_fen(terms.value_fen)
        if terms.threshold_fen:
            self.threshold.set_fen(terms.threshold_fen)
        if template.kind is CouponKind.PERCENT:
            self.pay_percent.setValue(terms.pay_percent)
            self.cap.set_fen(terms.cap_fen)
        self.gift_name.setText(template.gift_name)
        if template.valid_days:
            self.valid_days.setValue(template.valid_days)
        else:
            self.by_dates.setChecked(True)
            if template.valid_from is not None:
                self.valid_from.setDate(QDate(template.valid_from))
            if template.valid_until is not None:
                self.valid_until.setDate(QDate(template.valid_until))
        chosen = set(template.category_ids)
        for category_id, box in self.category_boxes:
            box.setChecked(category_id in chosen)
        self.per_member_limit.setValue(template.per_member_limit or 0)
        self.stacks.setChecked(template.stacks_with_points)

    def current_kind(self) -> CouponKind:
        return CouponKind(self.kind.currentData())

    def _kind_changed(self, *_args: object) -> None:
        """Show the rows this kind of coupon uses (the threshold is optional for percent-off)."""
        used = _KIND_ROWS[self.current_kind()]
        for key in _OPTIONAL_ROWS:
            self.form.layout_.setRowVisible(self.form.field(key).parentWidget(), key in used)
        self.form.clear_errors()
        self.adjustSize()

    def _validity_changed(self, *_args: object) -> None:
        by_days = self.by_days.isChecked()
        self.valid_days.setEnabled(by_days)
        self.valid_from.setEnabled(not by_days)
        self.valid_until.setEnabled(not by_days)

    def template_input(self) -> TemplateInput:
        """What the form says, as the service takes it; money fields say when they are not money."""
        kind = self.current_kind()
        value = self.value.fen() if kind in (CouponKind.THRESHOLD, CouponKind.CASH) else 0
        threshold = 0
        if kind is CouponKind.THRESHOLD or (kind is CouponKind.PERCENT and self.threshold.text().strip()):
            threshold = self.threshold.fen()
        cap = self.cap.fen() if kind is CouponKind.PERCENT and self.cap.text().strip() else None
        by_days = self.by_days.isChecked()
        categories = [category_id for category_id, box in self.category_boxes if box.isChecked()]
        return TemplateInput(
            name=self.name.text(),
            kind=kind.value,
            value_fen=value,
            threshold_fen=threshold,
            pay_percent=self.pay_percent.value() if kind is CouponKind.PERCENT else 100,
            cap_fen=cap,
            gift_name=self.gift_name.text() if kind is CouponKind.GIFT else "",
            valid_from=None if by_days else _date(self.valid_from),
            valid_until=None if by_days else _date(self.valid_until),
            valid_days=self.valid_days.value() if by_days else None,
            category_ids=categories,
            per_member_limit=self.per_member_limit.value() or None,
            stacks_with_points=self.stacks.isChecked(),
        )

    def show_error(self, error: ValidationError) -> None:
        self.form.show_error(_FIELD_ROWS.get(error.field, error.field), error.message)

    def save(self) -> None:
        data = self.template_input()
        actor = session.current().operator
        if self.template is None:
            self.run_save(lambda: create_template(data, actor=actor), changes={COUPONS}, on_done=self._saved)
        else:
            template_id = self.template.id
            self.run_save(
                lambda: update_template(template_id, data, actor=actor) or template_id,
                changes={COUPONS},
                on_done=self._saved,
            )

    def _saved(self, template_id: object) -> None:
        self.saved_id = int(template_id)  # type: ignore[call-overload]
        self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, runner: BaseTaskRunner, template_id: int | None = None
    ) -> int | None:
        """Show the editor; the id of the template saved, or None when cancelled."""
        dialog = cls(parent, runner, template_id)
        try:
            return dialog.saved_id if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


def _date(edit: QDateEdit) -> dt.date:
    return edit.date().toPython()
