"""Likely duplicate members (pairs to merge) and recent merges (to undo), as small table models."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from shopdesk.domain.phones import format_phone
from shopdesk.i18n import N_, _
from shopdesk.services.merge import DuplicatePair, MergeView
from shopdesk.ui.formatting import format_datetime

AnyIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
MUTED = QColor("#8c8c8c")
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class PairColumn(IntEnum):
    NAME = 0
    PHONES = 1
    REASON = 2


PAIR_TITLES: dict[PairColumn, str] = {
    PairColumn.NAME: N_("Name"),
    PairColumn.PHONES: N_("Phones"),
    PairColumn.REASON: N_("Why they look alike"),
}


class _SmallTable(QAbstractTableModel):
    """A list loaded whole (a few hundred rows at most)."""

    titles: ClassVar[tuple[str, ...]] = ()  # N_-marked, one per column

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple = ()

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.titles)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.titles):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self.titles[section])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT
        return None


class DuplicatesModel(_SmallTable):
    """Suggested pairs: the shared name, both phones, and the reason (same birthday, a one-digit slip)."""

    titles = tuple(PAIR_TITLES.values())

    def pair(self, row: int) -> DuplicatePair | None:
        return self.row(row)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        pair: DuplicatePair = self._rows[index.row()]
        column = PairColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if column == PairColumn.NAME:
                return pair.name
            if column == PairColumn.PHONES:
                return _("{first} / {second}").format(
                    first=format_phone(pair.first_phone), second=format_phone(pair.second_phone)
                )
            return pair.reason
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT
        return None


class MergeColumn(IntEnum):
    WHEN = 0
    KEPT = 1
    DROPPED = 2
    STATUS = 3


MERGE_TITLES: dict[MergeColumn, str] = {
    MergeColumn.WHEN: N_("Merged on"),
    MergeColumn.KEPT: N_("Record kept"),
    MergeColumn.DROPPED: N_("Record merged in"),
    MergeColumn.STATUS: N_("Status"),
}


class MergesModel(_SmallTable):
    """Recent merges, newest first; an undone merge stays listed, greyed."""

    titles = tuple(MERGE_TITLES.values())

    def merge(self, row: int) -> MergeView | None:
        return self.row(row)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        merge: MergeView = self._rows[index.row()]
        column = MergeColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column == MergeColumn.WHEN:
                return format_datetime(merge.created_at)
            if column == MergeColumn.KEPT:
                return _("{name} (no. {id})").format(name=merge.kept_name, id=merge.kept_id)
            if column == MergeColumn.DROPPED:
                return _("{name} (no. {id})").format(name=merge.dropped_name, id=merge.dropped_id)
            return _("Undone") if merge.undone else _("Merged")
        if role == SORT_ROLE:
            return merge.id
        if role == Qt.ItemDataRole.ForegroundRole and merge.undone:
            return QBrush(MUTED)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT
        return None
