"""消费记录: the member's purchases, newest first, and Refund for the selected one."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk.i18n import _
from shopdesk.ui.dialogs.refund_purchase import RefundPurchaseDialog
from shopdesk.ui.icons import icon
from shopdesk.ui.models.purchase_history import HistoryColumn, PurchaseHistoryModel
from shopdesk.ui.screens.member_tabs.base import MemberTab
from shopdesk.ui.state import restore_header, save_header
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.tables import read_only_table

HISTORY_HEADER_KEY = "members/history_header"


class PurchasesTab(MemberTab):
    """The purchase history (paged in as it scrolls) with a Refund button for the selected sale."""

    def __init__(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        unit = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, round(unit * 0.5), 0, 0)
        layout.setSpacing(round(unit * 0.5))

        bar = QHBoxLayout()
        bar.addStretch()
        self.refund_button = QPushButton(icon("refund"), _("Refund…"))
        self.refund_button.setToolTip(_("Refund the selected purchase"))
        self.refund_button.setEnabled(False)
        self.refund_button.clicked.connect(self.refund_selected)
        bar.addWidget(self.refund_button)
        layout.addLayout(bar)

        self.history_model = PurchaseHistoryModel(self)
        self.history = read_only_table(self, self.history_model)
        self.history.setObjectName("historyTable")
        header_view = self.history.horizontalHeader()
        char = char_width(self)
        for column, chars in ((HistoryColumn.DATE, 13), (HistoryColumn.AMOUNT, 11), (HistoryColumn.WHAT, 12)):
            header_view.resizeSection(column, char * chars)
        restore_header(HISTORY_HEADER_KEY, header_view)
        self.history.selectionModel().selectionChanged.connect(self._selection_changed)
        self.history_empty = QLabel(_("No purchases yet. Use Record purchase when they buy something."))
        self.history_empty.setObjectName("historyEmpty")
        self.history_empty.setWordWrap(True)
        layout.addWidget(self.history_empty)
        layout.addWidget(self.history, 1)
        self._member_id: int | None = None

    def show_member(self, member_id: int | None) -> None:
        """Show ``member_id``'s purchases; the selected purchase stays selected when it is the same member."""
        selected = self._selected_purchase_id() if member_id == self._member_id else None
        self._member_id = member_id
        self.history_model.set_member(member_id)
        if selected is not None:
            self._select_purchase(selected)
        empty = self.history_model.rowCount() == 0
        self.history_empty.setVisible(empty and member_id is not None)
        self.history.setVisible(not empty)
        self._selection_changed()

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

    def _selection_changed(self, *_args: QItemSelection) -> None:
        purchase = self.history_model.purchase(self._selected_row())
        self.refund_button.setEnabled(purchase is not None and not purchase.refunded)

    def save_state(self) -> None:
        save_header(HISTORY_HEADER_KEY, self.history.horizontalHeader())
