"""The checkout (收银登记, F2): find the customer, enter the amount, apply a coupon and points, confirm.

Made for the keyboard and hard to get wrong. The customer field has the focus: a phone's last digits, a
name, pinyin initials or a coupon code list the matches under it (Up/Down move, Enter picks); a phone that
belongs to nobody offers to enrol the customer (the phone, then Enter); an empty field is a walk-in sale.
Then the amount, an optional category, the member's coupons best first (those that do not apply greyed,
with the reason), points to use (capped at what the sale allows), and a summary that follows every key:
amount − coupon − points = payable, points to earn, and how far the next tier is. Enter confirms.

One ``record_purchase`` call records everything in one transaction, with one ``uid`` per dialog, so a
double Enter or a retry after an error cannot record the sale twice. Errors from the service appear in the
dialog, next to the field they concern, and nothing is recorded. After saving, a receipt can be previewed
and printed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QRegularExpressionValidator,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QGraphicsDropShadowEffect,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from shopdesk.domain.coupons import is_valid_code
from shopdesk.domain.phones import format_phone, is_valid_phone, normalize_phone
from shopdesk.domain.points import TierProgress
from shopdesk.errors import StorageError, UserError, ValidationError
from shopdesk.i18n import _, ngettext
from shopdesk.reports.receipt import PAPER_LABELS, ReceiptPaper
from shopdesk.services import session
from shopdesk.services.catalog import list_categories, list_staff
from shopdesk.services.coupon_redemption import coupon_options
from shopdesk.services.coupon_templates import list_templates
from shopdesk.services.coupons import find_by_code, issue_coupon
from shopdesk.services.loyalty import PointsQuote, quote
from shopdesk.services.member_search import MemberQuery, search_member_ids
from shopdesk.services.members import (
    MemberDetail,
    MemberInput,
    create_member,
    find_member_by_phone,
    get_member,
    get_member_rows,
)
from shopdesk.services.points import points_rules, points_summary
from shopdesk.services.purchases import PurchaseId, PurchaseInput, PurchaseItemInput, record_purchase
from shopdesk.services.receipts import receipt_for_purchase
from shopdesk.services.tiers import member_tier_progress
from shopdesk.ui import printing
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.errors import report_error
from shopdesk.ui.events import COUPONS, MEMBERS, POINTS, PURCHASES
from shopdesk.ui.formatting import format_count, format_money, relative_day
from shopdesk.ui.icons import icon
from shopdesk.ui.state import ui_settings
from shopdesk.ui.style import char_width, scaled_font
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.coupon_list import CouponOptionList
from shopdesk.ui.widgets.money_edit import MoneyEdit

SEARCH_DELAY_MS = 150
MAX_SUGGESTIONS = 6
PRINT_KEY = "checkout/print_receipt"
PAPER_KEY = "checkout/receipt_paper"
PAPERS: dict[ReceiptPaper, printing.Paper] = {
    ReceiptPaper.ROLL_58: printing.ROLL_58,
    ReceiptPaper.ROLL_80: printing.ROLL_80,
    ReceiptPaper.A5: printing.A5,
}
# Fields the services name in ValidationError.field and the form rows that show them.
_FIELD_ROWS = {"member": "member", "amount": "amount", "items": "items", "points": "points", "staff": "staff"}
SUMMARY_STYLE = """
QFrame#checkoutSummary { background: #ffffff; border: 1px solid #e8e8e8; border-radius: 8px; }
QLabel#summaryCaption, QLabel#summaryNote { color: #8c8c8c; }
QLabel#summaryValue { color: #262626; }
QLabel#summaryOff { color: #cf1322; }
QLabel#summaryPayable { color: #1677FF; }
QLabel#summaryTier { color: #d46b08; }
QFrame#summaryRule { background: #f0f0f0; border: none; }
QFrame#memberCard { background: #f7f9fc; border: 1px solid #eef1f6; border-radius: 8px; }
QLabel#memberCardName { color: #262626; }
QLabel#memberCardFacts { color: #595959; }
QLabel#tierChip { background: #fff7e6; color: #d46b08; border: 1px solid #ffd591; border-radius: 8px;
    padding: 0 6px; }
QLabel#newChip { background: #f6ffed; color: #389e0d; border: 1px solid #b7eb8f; border-radius: 8px;
    padding: 0 6px; }
QListWidget#customerMatches { background: #ffffff; border: 1px solid #d9d9d9; border-radius: 6px; }
QListWidget#customerMatches::item { padding: 3px 6px; }
QListWidget#customerMatches::item:selected { background: #e6f4ff; color: #262626; }
QPushButton#issueButton { padding: 3px 10px; }
QPushButton#issueButton::menu-indicator { image: none; width: 0; }
"""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One line under the customer field: a member, a member's coupon (found by its code), or a phone to
    enrol as a new member."""

    kind: str  # "member", "coupon" or "enrol"
    label: str
    member_id: int | None = None
    coupon_id: int | None = None
    phone: str = ""


def find_customers(text: str, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """What the customer field offers for ``text`` (runs on the DB lane): a coupon code first, then the
    members the search finds, or the phone to enrol when it belongs to nobody."""
    text = text.strip()
    if not text:
        return []
    found: list[Suggestion] = []
    if is_valid_code(text):
        try:
            coupon = find_by_code(text)
        except UserError:
            coupon = None
        if coupon is not None:
            found.append(
                Suggestion(
                    "coupon",
                    _("Coupon {code}: {coupon}, of {name}").format(
                        code=coupon.code, coupon=coupon.template_name, name=coupon.member_name
                    ),
                    coupon.member_id,
                    coupon.id,
                )
            )
    ids = search_member_ids(MemberQuery(text=text))[:limit]
    for row in get_member_rows(ids):
        found.append(
            Suggestion("member", f"{row.name}    {format_phone(row.phone)}", row.id, phone=row.phone)
        )
    if not ids and is_valid_phone(text) and find_member_by_phone(text) is None:
        phone = normalize_phone(text)
        found.append(
            Suggestion(
                "enrol", _("Enrol {phone} as a new member").format(phone=format_phone(phone)), phone=phone
            )
        )
    return found


def enrol_name(phone: str) -> str:
    """The name a member enrolled at the counter starts with (顾客8000), until someone edits it."""
    return _("Customer {tail}").format(tail=phone[-4:])


class CustomerField(QLineEdit):
    """The customer search: Up/Down move through the matches, Enter picks, Esc clears what was typed."""

    moved = Signal(int)
    chosen = Signal()
    cleared = Signal()
    left = Signal()  # the focus moved on: the matches close

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.left.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.moved.emit(1 if key == Qt.Key.Key_Down else -1)
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.chosen.emit()  # never the dialog's Enter: a half-typed name is not a sale
            event.accept()
            return
        if key == Qt.Key.Key_Escape and self.text():
            self.clear()
            self.cleared.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class PointsEdit(QLineEdit):
    """Points to use: digits only, never more than ``maximum()`` (typing more shows the most allowed);
    Up/Down add or take away ``step`` points (¥1 under the usual rules)."""

    valueChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, step: int = 100) -> None:
        super().__init__(parent)
        self.step = step
        self._maximum = 0
        self._value = 0
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("0")
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,9}"), self))
        self.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.textChanged.connect(self._typed)

    def value(self) -> int:
        return self._value

    def maximum(self) -> int:
        return self._maximum

    def setMaximum(self, maximum: int) -> None:
        """The most points this sale takes; a larger value comes down to it."""
        self._maximum = max(0, maximum)
        if self._value > self._maximum:
            self.setValue(self._maximum)

    def setValue(self, value: int) -> None:
        value = max(0, min(value, self._maximum))
        self.setText(str(value) if value else "")
        self._typed(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = self.step if event.key() == Qt.Key.Key_Up else -self.step
            self.setValue(self._value + step)
            event.accept()
            return
        super().keyPressEvent(event)

    def _typed(self, text: str) -> None:
        value = int(text) if text else 0
        if value > self._maximum:
            self.setText(str(self._maximum) if self._maximum else "")  # calls back with the capped value
            return
        if value != self._value:
            self._value = value
            self.valueChanged.emit(value)


class CheckoutDialog(FormDialog):
    """One sale at the counter; ``saved_id`` is the purchase recorded."""

    def __init__(
        self, parent: QWidget | None, runner: BaseTaskRunner, *, member_id: int | None = None
    ) -> None:
        super().__init__(
            parent,
            runner,
            _("Checkout"),
            _(
                "Find the customer, enter the amount, then press Enter. Leave the customer empty for a "
                "walk-in sale."
            ),
        )
        self.setObjectName("checkoutDialog")
        self.setStyleSheet(SUMMARY_STYLE)
        self.uid = uuid.uuid4().hex
        self.saved_id: PurchaseId | None = None
        self.member: MemberDetail | None = None
        self.tier: TierProgress | None = None
        self.enrolled = False
        self.balance = 0
        self.last_quote: PointsQuote | None = None
        self._coupon_choice: int | str | None = "best"  # "best", or the coupon (None: no coupon) picked
        self._refreshing = False
        self._search_serial = 0
        self._search_done = 0
        self._after_search: list[object] = []
        self.rules = points_rules()
        char = char_width(self)
        unit = self.fontMetrics().height()

        self._build_customer(char)
        self.amount = MoneyEdit()
        self.amount.setFont(scaled_font(self, 1.25, bold=True))
        self.amount.setMaximumWidth(char * 24)
        self.amount.textChanged.connect(self.refresh_quote)
        self.category = QComboBox()
        self.category.addItem(_("Not specified"), None)
        for category in list_categories():
            self.category.addItem(category.name, category.id)
        self.category.currentIndexChanged.connect(self.refresh_quote)
        self.coupons = CouponOptionList()
        self.coupons.setMinimumWidth(char * 54)
        self.coupons.setFixedHeight(self.coupons.preferred_height(3))
        self.coupons.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.coupons.coupon_changed.connect(self._coupon_picked)
        self._build_points(char)
        self.staff = QComboBox()
        self.staff.addItem(_("Unassigned"), None)
        for staff in list_staff():
            self.staff.addItem(staff.name, staff.id)
        if session.current().staff_id is not None:
            self.staff.setCurrentIndex(max(0, self.staff.findData(session.current().staff_id)))
        self.note = QLineEdit(maxLength=500, placeholderText=_("Optional, for example: bought as a gift"))

        self.form.add_row("member", _("Customer"), self.customer_box)
        self.form.add_row("amount", _("Amount (¥)"), self.amount, required=True)
        self.form.add_row("items", _("Category"), self.category)
        self.form.add_row("coupon", _("Coupon"), self.coupons)
        self.form.add_row("points", _("Points"), self.points_box)
        self.form.add_row("staff", _("Served by"), self.staff)
        self.form.add_row("note", _("Note"), self.note)
        self.coupon_caption = self.form.layout_.labelForField(self.coupons.parentWidget())

        self._build_layout(unit, char)
        self._sized = False
        self.save_button.setText(_("Confirm"))
        self.save_button.setToolTip(_("Record the sale (Enter)"))
        self.first_field = self.customer
        self.set_tab_order(
            [
                self.customer,
                self.amount,
                self.category,
                self.coupons,
                self.points,
                self.staff,
                self.note,
                self.print_receipt,
                self.paper,
            ]
        )
        if member_id is not None:
            self.set_member(member_id)
            self.first_field = self.amount
        else:
            self.refresh_quote()

    # Building ---------------------------------------------------------------------------------------

    def _build_customer(self, char: int) -> None:
        self.customer_box = QWidget()
        column = QVBoxLayout(self.customer_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.customer = CustomerField()
        self.customer.setObjectName("customerField")
        self.customer.setPlaceholderText(_("Phone, last 4 digits, name, pinyin initials or coupon code"))
        self.customer.setClearButtonEnabled(True)
        self.customer.setMinimumWidth(char * 54)
        self.customer.textEdited.connect(self._customer_edited)
        self.customer.moved.connect(self._move_match)
        self.customer.chosen.connect(self.choose_match)
        self.customer.cleared.connect(lambda: self._customer_edited(""))
        column.addWidget(self.customer)
        self.customer_box.setFocusProxy(self.customer)  # an error under the field puts the cursor here
        # A drop-down over the rows below, not a row of its own: the dialog keeps its size while typing.
        self.matches = QListWidget(self)
        self.matches.setObjectName("customerMatches")
        self.matches.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the focus; Up/Down move here
        self.matches.itemClicked.connect(lambda item: self._pick(item.data(Qt.ItemDataRole.UserRole)))
        shadow = QGraphicsDropShadowEffect(self.matches)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 4)
        shadow.setColor(QColor(0, 0, 0, 40))
        self.matches.setGraphicsEffect(shadow)
        self.matches.hide()
        self.customer.left.connect(self.matches.hide)
        self.card = self._build_card()
        self.card.hide()
        column.addWidget(self.card)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)

    def _build_card(self) -> QFrame:
        card = QFrame()
        card.setObjectName("memberCard")
        row = QHBoxLayout(card)
        margin = char_width(self)
        row.setContentsMargins(margin, margin // 2, margin, margin // 2)
        text = QVBoxLayout()
        text.setSpacing(0)
        names = QHBoxLayout()
        names.setSpacing(margin)
        self.card_name = QLabel()
        self.card_name.setObjectName("memberCardName")
        self.card_name.setFont(scaled_font(self, 1.1, bold=True))
        self.card_tier = QLabel()
        self.card_tier.setObjectName("tierChip")
        self.card_new = QLabel(_("New member"))
        self.card_new.setObjectName("newChip")
        names.addWidget(self.card_name)
        names.addWidget(self.card_tier)
        names.addWidget(self.card_new)
        names.addStretch()
        self.card_facts = QLabel()
        self.card_facts.setObjectName("memberCardFacts")
        text.addLayout(names)
        text.addWidget(self.card_facts)
        row.addLayout(text, 1)
        self.issue_button = QPushButton(_("Give a coupon…"))
        self.issue_button.setObjectName("issueButton")
        self.issue_button.setToolTip(_("Issue a coupon of one of the shop's templates to this member"))
        self.issue_button.setAutoDefault(False)
        self.issue_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.issue_menu = QMenu(self.issue_button)
        self.issue_menu.aboutToShow.connect(self._fill_issue_menu)
        self.issue_button.setMenu(self.issue_menu)
        row.addWidget(self.issue_button, 0, Qt.AlignmentFlag.AlignVCenter)
        return card

    def _build_points(self, char: int) -> None:
        self.points_box = QWidget()
        row = QHBoxLayout(self.points_box)
        row.setContentsMargins(0, 0, 0, 0)
        self.points = PointsEdit(step=max(1, self.rules.redeem_points_per_yuan))
        self.points.setMinimumWidth(char * 16)
        self.points.setMaximumWidth(char * 20)
        self.points.valueChanged.connect(self.refresh_figures)
        self.use_all = QPushButton(_("Use the most"))
        self.use_all.setAutoDefault(False)
        self.use_all.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.use_all.clicked.connect(lambda: self.points.setValue(self.points.maximum()))
        self.points_hint = QLabel()
        self.points_hint.setObjectName("fieldHint")
        row.addWidget(self.points)
        row.addWidget(self.use_all)
        row.addWidget(self.points_hint, 1)
        self.points_box.setFocusProxy(self.points)

    def _build_summary(self, unit: int, char: int) -> QFrame:
        summary = QFrame()
        summary.setObjectName("checkoutSummary")
        summary.setMinimumWidth(char * 40)
        column = QVBoxLayout(summary)
        column.setContentsMargins(unit, unit, unit, unit)
        column.setSpacing(round(unit * 0.5))
        title = QLabel(_("This sale"))
        title.setObjectName("summaryValue")
        title.setFont(scaled_font(self, 1.1, bold=True))
        column.addWidget(title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(unit)
        grid.setVerticalSpacing(round(unit * 0.4))
        self.sum_amount = self._summary_row(grid, 0, _("Amount"), "summaryValue")
        self.sum_coupon = self._summary_row(grid, 1, _("Coupon"), "summaryOff")
        self.sum_points = self._summary_row(grid, 2, _("Points used"), "summaryOff")
        column.addLayout(grid)
        rule = QFrame()
        rule.setObjectName("summaryRule")
        rule.setFixedHeight(1)
        column.addWidget(rule)
        payable_row = QHBoxLayout()
        caption = QLabel(_("To pay"))
        caption.setObjectName("summaryValue")
        caption.setFont(scaled_font(self, 1.1, bold=True))
        self.sum_payable = QLabel()
        self.sum_payable.setObjectName("summaryPayable")
        self.sum_payable.setFont(scaled_font(self, 1.9, bold=True))
        self.sum_payable.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        payable_row.addWidget(caption, 0, Qt.AlignmentFlag.AlignBottom)
        payable_row.addWidget(self.sum_payable, 1)
        column.addLayout(payable_row)
        loyalty = QGridLayout()
        loyalty.setHorizontalSpacing(unit)
        loyalty.setVerticalSpacing(round(unit * 0.4))
        self.sum_earn = self._summary_row(loyalty, 0, _("Points earned"), "summaryValue")
        self.sum_balance = self._summary_row(loyalty, 1, _("Points after"), "summaryValue")
        column.addLayout(loyalty)
        self.sum_tier = QLabel(wordWrap=True)
        self.sum_tier.setObjectName("summaryTier")
        column.addWidget(self.sum_tier)
        self.sum_note = QLabel(wordWrap=True)
        self.sum_note.setObjectName("summaryNote")
        column.addWidget(self.sum_note)
        column.addStretch()
        return summary

    @staticmethod
    def _summary_row(grid: QGridLayout, row: int, caption: str, value_name: str) -> QLabel:
        caption_label = QLabel(caption)
        caption_label.setObjectName("summaryCaption")
        value = QLabel()
        value.setObjectName(value_name)
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(caption_label, row, 0)
        grid.addWidget(value, row, 1)
        grid.setColumnStretch(1, 1)
        return value

    def _build_layout(self, unit: int, char: int) -> None:
        """The form on the left, the summary on the right, the receipt choice beside the buttons."""
        layout = self.layout()
        index = layout.indexOf(self.form)
        layout.removeWidget(self.form)
        body = QHBoxLayout()
        body.setSpacing(round(unit * 1.2))
        body.addWidget(self.form, 3)
        self.summary = self._build_summary(unit, char)
        body.addWidget(self.summary, 2)
        layout.insertLayout(index, body, 1)

        layout.removeWidget(self.buttons)
        footer = QHBoxLayout()
        self.print_receipt = QCheckBox(_("Print a receipt"))
        self.print_receipt.setChecked(bool(ui_settings().value(PRINT_KEY, False, type=bool)))
        self.paper = QComboBox()
        for paper in ReceiptPaper:
            self.paper.addItem(_(PAPER_LABELS[paper]), paper.value)
        self.paper.setCurrentIndex(
            max(0, self.paper.findData(ui_settings().value(PAPER_KEY, ReceiptPaper.ROLL_58.value)))
        )
        self.paper.setEnabled(self.print_receipt.isChecked())
        self.print_receipt.toggled.connect(self.paper.setEnabled)
        footer.addWidget(self.print_receipt)
        footer.addWidget(self.paper)
        footer.addStretch()
        footer.addWidget(self.buttons)
        layout.addLayout(footer)

    def showEvent(self, event: QShowEvent) -> None:
        if not self._sized:  # as tall as the form needs, wide enough that long hints do not widen it later
            self._sized = True
            self.adjustSize()
            self.resize(max(self.width(), char_width(self) * 140), self.height())
        super().showEvent(event)

    # The customer -----------------------------------------------------------------------------------

    def _customer_edited(self, text: str) -> None:
        if self.member is not None:
            self._clear_member()
        self.form.clear_errors()
        self._search_timer.start()
        if not text.strip():
            self.matches.clear()
            self.matches.hide()

    def searching(self) -> bool:
        """True while typed text waits for its matches (the pause before searching, or the search)."""
        return self._search_timer.isActive() or self._search_serial != self._search_done

    def search_now(self) -> None:
        """Look for the typed text now (normally a moment after typing stops), on the DB lane."""
        self._search_timer.stop()
        text = self.customer.text()
        self._search_serial += 1
        serial = self._search_serial

        def found(suggestions: list[Suggestion]) -> None:
            if serial != self._search_serial:
                return
            self._show_matches(text, suggestions)
            self._search_finished()

        def failed(exc: BaseException) -> None:
            if serial == self._search_serial:
                self._after_search.clear()
                self._search_finished()
            report_error(self, exc)

        self.runner.run(find_customers, text, on_done=found, on_error=failed, parent=self)

    def _search_finished(self) -> None:
        self._search_done = self._search_serial
        waiting, self._after_search = self._after_search, []
        for action in waiting:
            action()  # type: ignore[operator]

    def _show_matches(self, text: str, suggestions: list[Suggestion]) -> None:
        self.matches.clear()
        if not text.strip() or self.member is not None:
            self.matches.hide()
            return
        for suggestion in suggestions:
            item = QListWidgetItem(suggestion.label)
            item.setData(Qt.ItemDataRole.UserRole, suggestion)
            if suggestion.kind == "enrol":
                item.setIcon(icon("add-dark"))
                item.setToolTip(
                    _("Enter adds the customer as a member with this phone; edit the name later.")
                )
            self.matches.addItem(item)
        if not suggestions:
            item = QListWidgetItem(
                _("Nobody matches “{text}”. Clear the field for a walk-in sale.").format(text=text)
            )
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.matches.addItem(item)
        else:
            self.matches.setCurrentRow(0)
        self._place_matches()
        self.matches.show()
        self.matches.raise_()

    def _place_matches(self) -> None:
        """Under the customer field, as wide as it, as tall as the matches."""
        rows = min(max(self.matches.count(), 1), MAX_SUGGESTIONS + 1)
        height = self.matches.sizeHintForRow(0) * rows + 2 * self.matches.frameWidth() + 4
        corner = self.customer.mapTo(self, self.customer.rect().bottomLeft())
        self.matches.setGeometry(corner.x(), corner.y() + 2, self.customer.width(), height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.matches.isHidden():
            self._place_matches()

    def _move_match(self, step: int) -> None:
        if self.searching():
            self.search_now()
        count = self.matches.count()
        if not count or self.matches.isHidden():
            return
        row = self.matches.currentRow()
        self.matches.setCurrentRow(max(0, min(count - 1, row + step)))

    def choose_match(self) -> None:
        """Enter in the customer field: take the highlighted match (once the search for the text is in)."""
        if self.searching():
            self._after_search.append(self.choose_match)
            if self._search_timer.isActive():
                self.search_now()
            return
        if self.member is not None or not self.customer.text().strip():
            self.amount.setFocus(Qt.FocusReason.TabFocusReason)
            return
        item = self.matches.currentItem()
        if item is not None and item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self._pick(item.data(Qt.ItemDataRole.UserRole))

    def _pick(self, suggestion: Suggestion | None) -> None:
        if suggestion is None:
            return
        if suggestion.kind == "enrol":
            self.enrol(suggestion.phone)
            return
        if suggestion.kind == "coupon":
            self._coupon_choice = suggestion.coupon_id
        assert suggestion.member_id is not None
        self.set_member(suggestion.member_id)

    def enrol(self, phone: str) -> None:
        """Add the customer as a member with this phone (the name can be filled in later) and use them."""

        def done(member_id: object) -> None:
            self.enrolled = True
            self.set_member(int(member_id))  # type: ignore[call-overload]

        self.runner.run(
            partial(create_member, actor=session.current().operator),
            MemberInput(name=enrol_name(phone), phone=phone),
            changes={MEMBERS},
            initiator=self,
            on_done=done,
            on_error=self._failed,
            parent=self,
        )

    def set_member(self, member_id: int) -> None:
        """Sell to ``member_id``: show who they are, their coupons and points, and move on to the amount."""
        self.member = get_member(member_id)
        self.tier = member_tier_progress(member_id)
        self.balance = points_summary(member_id).balance
        self.customer.setText(f"{self.member.name}    {format_phone(self.member.phone)}")
        self.customer.setCursorPosition(0)
        self.matches.hide()
        if self.member.staff_id is not None and session.current().staff_id is None:
            self.staff.setCurrentIndex(max(0, self.staff.findData(self.member.staff_id)))
        self._fill_card()
        self.card.show()
        self.refresh_quote()
        self.amount.setFocus(Qt.FocusReason.OtherFocusReason)
        self.amount.selectAll()

    def member_id(self) -> int | None:
        return self.member.id if self.member is not None else None

    def _clear_member(self) -> None:
        self.member = None
        self.tier = None
        self.enrolled = False
        self._coupon_choice = "best"
        self.card.hide()
        self.refresh_quote()

    def _fill_card(self) -> None:
        member = self.member
        assert member is not None
        self.card_name.setText(member.name)
        tier = self.tier.current if self.tier is not None else None
        self.card_tier.setText(tier.name if tier is not None else "")
        self.card_tier.setVisible(tier is not None)
        self.card_new.setVisible(self.enrolled)
        facts = [format_phone(member.phone)]
        if member.last_purchase_at is not None:
            facts.append(_("last visit {ago}").format(ago=relative_day(member.last_purchase_at)))
        else:
            facts.append(_("first purchase"))
        facts.append(
            ngettext("{n} purchase", "{n} purchases", member.purchase_count).format(
                n=format_count(member.purchase_count)
            )
        )
        self.card_facts.setText(" · ".join(facts))

    def _fill_issue_menu(self) -> None:
        self.issue_menu.clear()
        templates = list_templates(include_paused=False)
        if not templates:
            action = self.issue_menu.addAction(_("No coupon templates yet: make one on the Coupons page"))
            action.setEnabled(False)
            return
        for template in templates:
            self.issue_menu.addAction(
                _("{name} ({terms})").format(name=template.name, terms=template.description),
                partial(self.issue, template.id),
            )

    def issue(self, template_id: int) -> None:
        """Give the member a coupon of ``template_id`` now; it is listed (and usable) at once."""
        if self.member is None:
            return
        self.runner.run(
            partial(issue_coupon, operator=session.current().operator),
            template_id,
            self.member.id,
            changes={COUPONS},
            initiator=self,
            on_done=lambda _id: self.refresh_quote(),
            on_error=self._failed,
            parent=self,
        )

    # The figures ------------------------------------------------------------------------------------

    def _amount_fen(self) -> int:
        """The amount typed so far, 0 while it is empty or unfinished."""
        try:
            return self.amount.fen()
        except ValidationError:
            return 0

    def _items(self, amount: int) -> list[tuple[int | None, int]]:
        category_id = self.category.currentData()
        return [(category_id, amount)] if category_id is not None and amount > 0 else []

    def _coupon_picked(self, coupon_id: int | None) -> None:
        self._coupon_choice = coupon_id
        self.refresh_figures()

    def _wanted_coupon(self, options: list) -> int | None:
        if self._coupon_choice != "best":
            return self._coupon_choice  # type: ignore[return-value]
        best = options[0] if options else None
        return best.coupon.id if best is not None and best.applicable and best.discount_fen > 0 else None

    def refresh_quote(self, *_args: object) -> None:
        """Read the member's coupons for the sale as it stands, then the points and the summary."""
        self._refresh(reload_coupons=True)

    def refresh_figures(self, *_args: object) -> None:
        """Points and summary after another coupon or number of points was picked (the list stays)."""
        self._refresh(reload_coupons=False)

    def _refresh(self, *, reload_coupons: bool) -> None:
        if self._refreshing:
            return
        self._refreshing = True
        try:
            if reload_coupons:
                self._reload_coupons()
            self._update_figures()
        finally:
            self._refreshing = False

    def _reload_coupons(self) -> None:
        member_id = self.member_id()
        if member_id is None:
            self.coupons.options_model.no_coupon_text = _("Coupons and points need a member")
            self.coupons.set_options([], None)
            self.coupon_caption.setText(_("Coupon"))
        else:
            amount = self._amount_fen()
            options = coupon_options(member_id, amount, self._items(amount))
            self.coupons.options_model.no_coupon_text = (
                _("Keep the member's coupons for another day") if options else _("No unused coupons")
            )
            self.coupons.set_options(options, self._wanted_coupon(options))
            usable = self.coupons.options_model.usable_count()
            self.coupon_caption.setText(
                ngettext("Coupon ({n} usable)", "Coupons ({n} usable)", usable).format(n=usable)
                if options
                else _("Coupon")
            )
        self.coupons.setEnabled(member_id is not None)

    def _update_figures(self) -> None:
        amount = self._amount_fen()
        items = self._items(amount)
        member_id = self.member_id()
        option = self.coupons.option() if member_id is not None else None
        coupon_off = option.discount_fen if option is not None else 0
        stacks = option.stacks_with_points if option is not None else True
        result = quote(member_id, amount, items, 0, other_discount_fen=coupon_off)
        most = result.max_points if stacks else 0
        self.points.setMaximum(most)  # lowers the value when the sale allows fewer points now
        self.points.setEnabled(most > 0)
        self.use_all.setEnabled(most > 0 and self.points.value() < most)
        result = quote(member_id, amount, items, self.points.value(), other_discount_fen=coupon_off)
        self.last_quote = result
        self._show_points_hint(result, stacks)
        self._show_summary(amount, coupon_off, result)

    def _show_points_hint(self, result: PointsQuote, stacks: bool) -> None:
        if self.member is None:
            text = _("Points need a member")
        elif not stacks:
            text = _("This coupon cannot be combined with points")
        elif result.usable_points <= 0:
            text = _("No points to use yet")
        elif result.max_points <= 0:
            text = _("{usable} usable; enter the amount first").format(
                usable=format_count(result.usable_points)
            )
        else:
            text = _("{usable} usable, at most {most} on this sale ({value} off)").format(
                usable=format_count(result.usable_points),
                most=format_count(result.max_points),
                value=format_money(self._points_value(result.max_points)),
            )
        self.points_hint.setText(text)

    def _points_value(self, points: int) -> int:
        per_yuan = self.rules.redeem_points_per_yuan
        return points * 100 // per_yuan if per_yuan > 0 else 0

    def _show_summary(self, amount: int, coupon_off: int, result: PointsQuote) -> None:
        self.sum_amount.setText(format_money(amount))
        _show_off(self.sum_coupon, coupon_off)
        _show_off(self.sum_points, result.points_value_fen)
        self.sum_payable.setText(format_money(result.payable_fen))
        if self.member is None:
            self.sum_earn.setText("—")
            self.sum_balance.setText("—")
            self.sum_tier.setText("")
            self.sum_note.setText(
                _("Walk-in sale: it counts in the shop's sales, not in a member's figures.")
            )
            return
        earn = f"+{format_count(result.points_to_earn)}"
        if result.multiplier_percent != 100:
            earn = _("{points} (×{rate})").format(points=earn, rate=f"{result.multiplier_percent / 100:g}")
        self.sum_earn.setText(earn)
        self.sum_balance.setText(format_count(self.balance - self.points.value() + result.points_to_earn))
        self.sum_tier.setText(self._tier_text(result.payable_fen))
        self.sum_note.setText(
            _("Earned points can be used after {days} days.").format(days=self.rules.holding_days)
            if self.rules.holding_days
            else ""
        )

    def _tier_text(self, payable_fen: int) -> str:
        """``Spend ¥320.00 more to reach Gold`` after this sale, or that this sale reaches it."""
        progress = self.tier
        if progress is None or progress.next is None:
            return ""
        missing = progress.missing_fen - payable_fen
        if missing <= 0:
            return _("This sale reaches {tier}").format(tier=progress.next.name)
        return _("After this sale: spend {amount} more to reach {tier}").format(
            amount=format_money(missing), tier=progress.next.name
        )

    # Saving -----------------------------------------------------------------------------------------

    def purchase_input(self) -> PurchaseInput:
        """The sale the dialog describes; ValidationError under the field that is not right yet."""
        if self.member is None and self.customer.text().strip():
            raise ValidationError(
                "member", _("Pick the customer from the list, or clear the field for a walk-in sale.")
            )
        amount = self.amount.fen(allow_zero=False)
        category_id = self.category.currentData()
        items = (
            [PurchaseItemInput(amount_fen=amount, category_id=category_id)] if category_id is not None else []
        )
        member_id = self.member_id()
        return PurchaseInput(
            member_id=member_id,
            amount_fen=amount,
            items=items,
            staff_id=self.staff.currentData(),
            note=self.note.text(),
            uid=self.uid,
            points_to_use=self.points.value() if member_id is not None else 0,
            coupon_id=self.coupons.coupon_id() if member_id is not None else None,
        )

    def submit(self) -> None:
        if self.searching():  # the customer was typed a moment ago: judge the sale once the search is in
            self._after_search.append(self.submit)
            if self._search_timer.isActive():
                self.search_now()
            return
        super().submit()

    def save(self) -> None:
        self.run_save(
            partial(record_purchase, actor=session.current().operator),
            self.purchase_input(),
            changes={MEMBERS, PURCHASES, POINTS, COUPONS},
            on_done=self._saved,
        )

    def _saved(self, purchase_id: object) -> None:
        self.saved_id = PurchaseId(int(purchase_id))  # type: ignore[call-overload]
        settings = ui_settings()
        settings.setValue(PRINT_KEY, self.print_receipt.isChecked())
        settings.setValue(PAPER_KEY, self.paper.currentData())
        if self.print_receipt.isChecked():
            self.print_receipt_for(self.saved_id)
        self.accept()

    def print_receipt_for(self, purchase_id: int) -> None:
        """Preview the sale's receipt on the chosen paper (printing is the shopkeeper's choice there)."""
        paper = ReceiptPaper(self.paper.currentData())
        try:
            receipt = receipt_for_purchase(purchase_id)
        except (UserError, StorageError) as exc:
            report_error(self, exc)
            return
        printing.print_preview(self, receipt.to_html(paper), paper=PAPERS[paper], title=_("Receipt"))

    def _failed(self, exc: BaseException) -> None:
        """Errors stay in the dialog, under their field; the figures are read again (a coupon may have been
        used at another counter meanwhile)."""
        self._set_busy(False)
        if isinstance(exc, ValidationError) and exc.field in _FIELD_ROWS:
            self.form.show_error(_FIELD_ROWS[exc.field], exc.message)
        elif isinstance(exc, UserError):
            self.form.show_error("", exc.message)
        else:
            report_error(self, exc)
            return
        self.refresh_quote()

    @classmethod
    def ask(
        cls, parent: QWidget | None, runner: BaseTaskRunner, *, member_id: int | None = None
    ) -> PurchaseId | None:
        """Show the checkout (for ``member_id`` when given); the purchase recorded, or None when cancelled."""
        dialog = cls(parent, runner, member_id=member_id)
        try:
            return dialog.saved_id if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


def _show_off(label: QLabel, fen: int) -> None:
    """Money taken off in red (``-¥20.00``); a grey dash when nothing is."""
    label.setText(f"-{format_money(fen)}" if fen else "—")
    name = "summaryOff" if fen else "summaryValue"
    if label.objectName() != name:
        label.setObjectName(name)
        label.style().unpolish(label)
        label.style().polish(label)
