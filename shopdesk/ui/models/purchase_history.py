"""A member's purchases, newest first, fetched 50 at a time as the list scrolls (keyset paging)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from shopdesk.i18n import N_, _, pgettext
from shopdesk.services.purchases import PurchaseView, list_member_purchases
from shopdesk.ui.formatting import format_date, format_datetime, format_money, relative_day
from shopdesk.ui.models.member_pages import AnyIndex, MemberPagesModel

PURCHASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
MUTED = QColor("#8c8c8c")
REFUNDED = QColor("#cf1322")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class HistoryColumn(IntEnum):
    """Four columns fit the narrow detail panel; who served the sale is in each row's tooltip."""

    DATE = 0
    AMOUNT = 1
    WHAT = 2
    NOTE = 3


HISTORY_TITLES: dict[HistoryColumn, str] = {
    HistoryColumn.DATE: N_("Date"),
    HistoryColumn.AMOUNT: N_("Paid"),
    HistoryColumn.WHAT: N_("Category"),
    HistoryColumn.NOTE: N_("Note"),
}


class PurchaseHistoryModel(MemberPagesModel):
    """The purchases, newest first; each page continues after the last (time, id) shown."""

    COLUMNS = len(HistoryColumn)

    def reload(self) -> None:
        self.set_member(self._member_id)

    def purchase(self, row: int) -> PurchaseView | None:
        return self.row_at(row)

    def read_page(self, member_id: int, last: PurchaseView | None) -> list[PurchaseView]:
        after = (last.purchased_at, last.id) if last is not None else None
        return list_member_purchases(member_id, after=after, limit=self.PAGE_SIZE)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HistoryColumn):
            return None
        column = HistoryColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return _(HISTORY_TITLES[column])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column is HistoryColumn.AMOUNT else _LEFT
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        purchase = self._rows[index.row()]
        column = HistoryColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(purchase, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column is HistoryColumn.AMOUNT else _LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(purchase)
        if role == Qt.ItemDataRole.ForegroundRole and purchase.refunded:
            return QBrush(REFUNDED if column is HistoryColumn.NOTE else MUTED)
        if role == Qt.ItemDataRole.FontRole and purchase.refunded and column is HistoryColumn.AMOUNT:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == PURCHASE_ID_ROLE:
            return purchase.id
        return None


def _display(purchase: PurchaseView, column: HistoryColumn) -> str:
    if column is HistoryColumn.DATE:
        return format_date(purchase.purchased_at)
    if column is HistoryColumn.AMOUNT:
        return format_money(purchase.paid_fen)
    if column is HistoryColumn.WHAT:
        names = [
            item.category_name or item.name for item in purchase.items if item.category_name or item.name
        ]
        # TRANSLATORS: the separator between category names in one purchase ("、" in Chinese).
        return pgettext("list separator", ", ").join(dict.fromkeys(names)) if names else "—"
    if purchase.refunded:
        return _("Refunded")
    return purchase.note


def _tooltip(purchase: PurchaseView) -> str:
    """When, how long ago, who served it, the note, and the refund if there was one."""
    lines = [
        _("{time} ({ago})").format(
            time=format_datetime(purchase.purchased_at), ago=relative_day(purchase.purchased_at)
        )
    ]
    if purchase.staff_name:
        lines.append(_("Served by {name}").format(name=purchase.staff_name))
    if purchase.note:
        lines.append(purchase.note)
    if purchase.refunded:
        lines.append(
            _("Refunded on {date}: {reason}").format(
                date=format_datetime(purchase.refunded_at),
                reason=purchase.refund_reason or _("no reason given"),
            )
        )
    return "\n".join(lines)
