"""The members one member brought in (转介绍), with whether each has bought and what the referrer earned."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from shopdesk.i18n import N_, _
from shopdesk.services.referrals import RefereeView
from shopdesk.ui.formatting import format_count, format_date

AnyIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
MEMBER_ID_ROLE = Qt.ItemDataRole.UserRole + 2
REWARDED = QColor("#389e0d")
WAITING = QColor("#8c8c8c")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class RefereeColumn(IntEnum):
    NAME = 0
    JOINED = 1
    FIRST_PURCHASE = 2
    REWARD = 3


REFEREE_TITLES: dict[RefereeColumn, str] = {
    RefereeColumn.NAME: N_("Name"),
    RefereeColumn.JOINED: N_("Joined"),
    RefereeColumn.FIRST_PURCHASE: N_("First purchase"),
    RefereeColumn.REWARD: N_("Reward"),
}


def reward_status(referee: RefereeView) -> str:
    """``+200 points``, ``Waiting for a first purchase`` or ``No reward`` (rules were off at the time)."""
    if referee.reward_points:
        return _("+{points} points").format(points=format_count(referee.reward_points))
    if referee.first_purchase_at is None:
        return _("Waiting for a first purchase")
    return _("No reward")


class RefereesModel(QAbstractTableModel):
    """A short list (a member brings in a handful of people), loaded whole."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[RefereeView, ...] = ()

    def set_referees(self, referees: list[RefereeView] | tuple[RefereeView, ...]) -> None:
        self.beginResetModel()
        self._rows = tuple(referees)
        self.endResetModel()

    def referee(self, row: int) -> RefereeView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(RefereeColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(RefereeColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(REFEREE_TITLES[RefereeColumn(section)])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        referee = self._rows[index.row()]
        column = RefereeColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column == RefereeColumn.NAME:
                return referee.name
            if column == RefereeColumn.JOINED:
                return format_date(referee.joined)
            if column == RefereeColumn.FIRST_PURCHASE:
                return format_date(referee.first_purchase_at) if referee.first_purchase_at else "—"
            return reward_status(referee)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT
        if role == Qt.ItemDataRole.ForegroundRole and column == RefereeColumn.REWARD:
            return QBrush(REWARDED if referee.reward_points else WAITING)
        if role == MEMBER_ID_ROLE:
            return referee.member_id
        if role == SORT_ROLE:
            return {
                RefereeColumn.NAME: referee.name,
                RefereeColumn.JOINED: referee.joined.isoformat(),
                RefereeColumn.FIRST_PURCHASE: referee.first_purchase_at.isoformat()
                if referee.first_purchase_at
                else "",
                RefereeColumn.REWARD: referee.reward_points,
            }[column]
        return None
