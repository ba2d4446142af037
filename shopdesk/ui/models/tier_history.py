"""A member's tier history (等级变动), newest first: when, from which tier to which, why and by whom."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from shopdesk.i18n import N_, _
from shopdesk.services.tiers import TierChangeView, tier_history
from shopdesk.ui.formatting import format_date, format_datetime

AnyIndex = QModelIndex | QPersistentModelIndex
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
MUTED = QColor("#8c8c8c")  # the date, as in the points ledger


class TierHistoryColumn(IntEnum):
    """Three columns fit the narrow detail panel: the change and its reason share a cell, as in the ledger."""

    DATE = 0
    CHANGE = 1
    OPERATOR = 2


TIER_HISTORY_TITLES: dict[TierHistoryColumn, str] = {
    TierHistoryColumn.DATE: N_("Date"),
    TierHistoryColumn.CHANGE: N_("Change"),
    TierHistoryColumn.OPERATOR: N_("Operator"),
}


def tier_name(name: str) -> str:
    """A tier's name, or "No tier" for none (before the first purchase, or taken away by hand)."""
    return name or _("No tier")


def change_text(change: TierChangeView) -> str:
    """``银卡 → 金卡：消费达到门槛``; the tiers alone when there is no reason."""
    tiers = _("{old} → {new}").format(old=tier_name(change.from_name), new=tier_name(change.to_name))
    if not change.reason:
        return tiers
    return _("{change}: {reason}").format(change=tiers, reason=change.reason)


def change_tooltip(change: TierChangeView) -> str:
    """The whole change (a narrow column cuts long reasons short): when, what, why, who."""
    tiers = _("{old} → {new}").format(old=tier_name(change.from_name), new=tier_name(change.to_name))
    parts = [_("{when} · {change}").format(when=format_datetime(change.created_at), change=tiers)]
    if change.reason:
        parts.append(_("Reason: {reason}").format(reason=change.reason))
    if change.operator:
        parts.append(_("By: {operator}").format(operator=change.operator))
    return "\n".join(parts)


class TierHistoryModel(QAbstractTableModel):
    """Every tier change of one member (a handful per member: read in one go)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._changes: tuple[TierChangeView, ...] = ()

    def set_changes(self, changes: tuple[TierChangeView, ...] | list[TierChangeView]) -> None:
        self.beginResetModel()
        self._changes = tuple(changes)
        self.endResetModel()

    def load(self, member_id: int | None) -> None:
        """Read ``member_id``'s tier history (None empties the list)."""
        self.set_changes(tier_history(member_id) if member_id is not None else ())

    def change(self, row: int) -> TierChangeView | None:
        return self._changes[row] if 0 <= row < len(self._changes) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._changes)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(TierHistoryColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(TierHistoryColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(TIER_HISTORY_TITLES[TierHistoryColumn(section)])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._changes):
            return None
        change = self._changes[index.row()]
        column = TierHistoryColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TierHistoryColumn.DATE:
                return format_date(change.created_at)
            if column == TierHistoryColumn.CHANGE:
                return change_text(change)
            return change.operator
        if role == Qt.ItemDataRole.ToolTipRole:
            return change_tooltip(change)
        if role == Qt.ItemDataRole.ForegroundRole and column == TierHistoryColumn.DATE:
            return QBrush(MUTED)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT
        return None
