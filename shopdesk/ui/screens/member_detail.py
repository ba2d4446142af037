"""The selected member at a glance: profile, figures, purchase history, and Record purchase / Refund.

It answers "who is this customer and what did they buy" without leaving the Members page. Reads are
indexed point reads on the GUI thread; recording and refunding go through the dialogs and the DB lane,
and the panel refreshes when ``changes_applied`` says members or purchases changed.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopdesk.domain.members import GENDER_LABELS, Gender, source_label
from shopdesk.domain.phones import format_phone
from shopdesk.errors import NotFoundError
from shopdesk.i18n import _
from shopdesk.services.members import MemberDetail, get_member
from shopdesk.ui.dialogs.record_purchase import RecordPurchaseDialog
from shopdesk.ui.dialogs.refund_purchase import RefundPurchaseDialog
from shopdesk.ui.formatting import format_count, format_date, format_datetime, format_money, relative_day
from shopdesk.ui.icons import icon
from shopdesk.ui.models.purchase_history import HistoryColumn, PurchaseHistoryModel
from shopdesk.ui.state import restore_header, save_header
from shopdesk.ui.style import char_width, row_height, scaled_font
from shopdesk.ui.tasks import BaseTaskRunner

HISTORY_HEADER_KEY = "members/history_header"


class StatTile(QFrame):
    """One figure with its caption (Purchases: 12); the tooltip can say more."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statTile")
        layout = QVBoxLayout(self)
        margin = char_width(self)
        layout.setContentsMargins(round(margin * 1.5), margin, round(margin * 1.5), margin)
        layout.setSpacing(0)
        self.caption = QLabel(caption)
        self.caption.setObjectName("statCaption")
        self.value = QLabel("")
        self.value.setObjectName("statValue")
        self.value.setFont(scaled_font(self, 1.15, bold=True))
        layout.addWidget(self.caption)
        layout.addWidget(self.value)

    def set(self, value: str, tooltip: str = "") -> None:
        self.value.setText(value)
        self.setToolTip(tooltip)


class MemberDetailPanel(QFrame):
    """Shows one member; ``edit_requested`` asks the screen to open the member dialog."""

    edit_requested = Signal(int)

    def __init__(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self.runner = runner
        self.detail: MemberDetail | None = None
        unit = self.fontMetrics().height()
        self._stack = QStackedLayout(self)

        self.placeholder = QLabel(_("Select a member to see their details and purchases."), wordWrap=True)
        self.placeholder.setObjectName("detailPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack.addWidget(self.placeholder)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(unit, unit, unit, unit)
        layout.setSpacing(round(unit * 0.7))
        self._stack.addWidget(content)

        header = QHBoxLayout()
        header.setSpacing(round(unit * 0.7))
        self.avatar = QLabel()
        self.avatar.setObjectName("avatar")
        self.avatar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side = round(unit * 2.6)
        self.avatar.setFixedSize(side, side)
        self.avatar.setFont(scaled_font(self, 1.4, bold=True))
        self.avatar.setStyleSheet(f"border-radius: {side // 2}px;")
        header.addWidget(self.avatar)
        names = QVBoxLayout()
        names.setSpacing(0)
        self.name = QLabel()
        self.name.setObjectName("detailName")
        self.name.setFont(scaled_font(self, 1.4, bold=True))
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.phone = QLabel()
        self.phone.setObjectName("detailPhone")
        self.phone.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        names.addStretch()
        names.addWidget(self.name)
        names.addWidget(self.phone)
        names.addStretch()
        header.addLayout(names, 1)
        self.edit_button = QPushButton(icon("edit"), _("Edit"))
        self.edit_button.setToolTip(_("Edit this member's record (Enter in the list)"))
        self.edit_button.clicked.connect(self._edit)
        header.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)

        tiles = QGridLayout()
        tiles.setSpacing(round(unit * 0.5))
        self.tile_count = StatTile(_("Purchases"))
        self.tile_total = StatTile(_("Total spent"))
        self.tile_average = StatTile(_("Average order"))
        self.tile_last = StatTile(_("Last purchase"))
        for position, tile in enumerate(
            (self.tile_count, self.tile_total, self.tile_average, self.tile_last)
        ):
            tiles.addWidget(tile, position // 2, position % 2)
        layout.addLayout(tiles)

        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(unit)
        self.facts.setVerticalSpacing(round(unit * 0.3))
        self._fact_labels: dict[str, QLabel] = {}
        for row, (key, caption) in enumerate(
            (
                ("birthday", _("Birthday")),
                ("source", _("Came from")),
                ("referrer", _("Referred by")),
                ("staff", _("Staff")),
                ("joined", _("Joined")),
                ("notes", _("Notes")),
            )
        ):
            caption_label = QLabel(caption)
            caption_label.setObjectName("factCaption")
            caption_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            value = QLabel(wordWrap=True)
            value.setObjectName("factValue")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addWidget(caption_label, row, 0)
            self.facts.addWidget(value, row, 1)
            self._fact_labels[key] = value
        self.facts.setColumnStretch(1, 1)
        layout.addLayout(self.facts)

        self.record_button = QPushButton(icon("purchase"), _("Record purchase"))
        self.record_button.setObjectName("recordPurchase")
        self.record_button.setProperty("primary", True)
        self.record_button.setToolTip(_("Enter a sale for this member (F2)"))
        self.record_button.clicked.connect(self.record_purchase)
        layout.addWidget(self.record_button)

        history_header = QHBoxLayout()
        self.history_title = QLabel(_("Purchase history"))
        self.history_title.setObjectName("sectionTitle")
        self.history_title.setFont(scaled_font(self, 1.1, bold=True))
        history_header.addWidget(self.history_title)
        history_header.addStretch()
        self.refund_button = QPushButton(icon("refund"), _("Refund…"))
        self.refund_button.setToolTip(_("Refund the selected purchase"))
        self.refund_button.setEnabled(False)
        self.refund_button.clicked.connect(self.refund_selected)
        history_header.addWidget(self.refund_button)
        layout.addLayout(history_header)

        self.history_model = PurchaseHistoryModel(self)
        self.history = QTableView()
        self.history.setObjectName("historyTable")
        self.history.setModel(self.history_model)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        self.history.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.history.verticalHeader().setDefaultSectionSize(row_height(self))
        self.history.setShowGrid(False)
        self.history.setAlternatingRowColors(True)
        self.history.setWordWrap(False)
        header_view = self.history.horizontalHeader()
        header_view.setHighlightSections(False)
        header_view.setStretchLastSection(True)
        char = char_width(self)
        for column, chars in ((HistoryColumn.DATE, 12), (HistoryColumn.AMOUNT, 11), (HistoryColumn.WHAT, 14)):
            header_view.resizeSection(column, char * chars)
        restore_header(HISTORY_HEADER_KEY, header_view)
        self.history.selectionModel().selectionChanged.connect(self._history_selection_changed)
        self.history_empty = QLabel(_("No purchases yet. Use Record purchase when they buy something."))
        self.history_empty.setObjectName("historyEmpty")
        self.history_empty.setWordWrap(True)
        layout.addWidget(self.history_empty)
        layout.addWidget(self.history, 1)

        self.setMinimumWidth(char * 46)
        self.show_member(None)

    # Showing ----------------------------------------------------------------------------------------

    def member_id(self) -> int | None:
        return self.detail.id if self.detail is not None else None

    def show_member(self, member_id: int | None) -> None:
        """Show ``member_id`` (None, or a member that no longer exists, shows the placeholder)."""
        detail = None
        if member_id is not None:
            try:
                detail = get_member(member_id)
            except NotFoundError:
                detail = None
        same = detail is not None and self.detail is not None and detail.id == self.detail.id
        self.detail = detail
        if detail is None:
            self.history_model.set_member(None)
            self._stack.setCurrentWidget(self.placeholder)
            return
        self._fill(detail)
        selected = self._selected_purchase_id() if same else None
        self.history_model.set_member(detail.id)
        if selected is not None:
            self._select_purchase(selected)
        self._update_history_state()
        self._stack.setCurrentIndex(1)

    def refresh(self) -> None:
        self.show_member(self.member_id())

    def _fill(self, detail: MemberDetail) -> None:
        self.avatar.setText(detail.name[:1].upper())
        self.name.setText(detail.name)
        gender = _(GENDER_LABELS[Gender(detail.gender)]) if detail.gender else ""
        phone = format_phone(detail.phone)
        self.phone.setText(_("{phone} · {gender}").format(phone=phone, gender=gender) if gender else phone)
        self.tile_count.set(format_count(detail.purchase_count))
        self.tile_total.set(format_money(detail.total_spent_fen))
        average = detail.total_spent_fen // detail.purchase_count if detail.purchase_count else None
        self.tile_average.set(format_money(average) if average is not None else "—")
        if detail.last_purchase_at is not None:
            self.tile_last.set(
                relative_day(detail.last_purchase_at), format_datetime(detail.last_purchase_at)
            )
        else:
            self.tile_last.set("—", _("No purchase yet"))
        birthday = detail.birthday
        if birthday is None:
            birthday_text = ""
        elif birthday.year:
            birthday_text = _("{date} (age {age})").format(
                date=birthday.as_text(), age=birthday.age_on(dt.date.today())
            )
        else:
            birthday_text = _("{date} (year unknown)").format(date=birthday.as_text())
        self._set_fact("birthday", birthday_text)
        self._set_fact("source", source_label(detail.source))
        self._set_fact("referrer", detail.referrer_name)
        self._set_fact("staff", detail.staff_name)
        self._set_fact(
            "joined",
            _("{date} ({ago})").format(
                date=format_date(detail.created_at), ago=relative_day(detail.created_at)
            ),
        )
        self._set_fact("notes", detail.notes)
        self.record_button.setEnabled(detail.archived_at is None)

    def _set_fact(self, key: str, text: str) -> None:
        label = self._fact_labels[key]
        label.setText(text or "—")
        label.setProperty("empty", not text)
        label.style().unpolish(label)
        label.style().polish(label)

    def _update_history_state(self) -> None:
        empty = self.history_model.rowCount() == 0
        self.history_empty.setVisible(empty)
        self.history.setVisible(not empty)
        self._history_selection_changed()

    # Actions ----------------------------------------------------------------------------------------

    def _edit(self) -> None:
        if self.detail is not None:
            self.edit_requested.emit(self.detail.id)

    def record_purchase(self) -> None:
        """Open the Record purchase dialog for the member shown (the table refreshes on save)."""
        if self.detail is not None:
            RecordPurchaseDialog.ask(self, self.runner, self.detail.id)

    def refund_selected(self) -> None:
        """Refund the purchase selected in the history, after asking why."""
        purchase = self.history_model.purchase(self._selected_row())
        if purchase is not None and not purchase.refunded:
            RefundPurchaseDialog.ask(self, self.runner, purchase)

    def _selected_row(self) -> int:
        rows = self.history.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _selected_purchase_id(self) -> int | None:
        purchase = self.history_model.purchase(self._selected_row())
        return purchase.id if purchase is not None else None

    def _select_purchase(self, purchase_id: int) -> None:
        for row in range(self.history_model.rowCount()):
            purchase = self.history_model.purchase(row)
            if purchase is not None and purchase.id == purchase_id:
                self.history.selectRow(row)
                return

    def _history_selection_changed(self, *_args: QItemSelection) -> None:
        purchase = self.history_model.purchase(self._selected_row())
        self.refund_button.setEnabled(purchase is not None and not purchase.refunded)

    def save_state(self) -> None:
        save_header(HISTORY_HEADER_KEY, self.history.horizontalHeader())
