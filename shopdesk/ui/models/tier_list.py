"""The tier list as Settings edits it: name, spending threshold, points multiplier and perks, in place."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from shopdesk.domain.money import format_money, parse_money
from shopdesk.errors import ValidationError
from shopdesk.i18n import N_, _
from shopdesk.services.tiers import TierInput, TierView

AnyIndex = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
MIN_MULTIPLIER, MAX_MULTIPLIER = 100, 1000


class TierColumn(IntEnum):
    NAME = 0
    THRESHOLD = 1
    MULTIPLIER = 2
    PERKS = 3


TIER_TITLES: dict[TierColumn, str] = {
    TierColumn.NAME: N_("Tier"),
    TierColumn.THRESHOLD: N_("Spending to reach it"),
    TierColumn.MULTIPLIER: N_("Points multiplier"),
    TierColumn.PERKS: N_("Perks"),
}


def multiplier_text(percent: int) -> str:
    """``×1.2`` for 120 %."""
    return f"×{percent / 100:g}"


def parse_multiplier(text: str) -> int:
    """``1.2``, ``×1.2`` or ``x1.2`` → 120 (percent); ValidationError outside ×1–×10."""
    cleaned = str(text).strip().lstrip("×xX*").strip()
    try:
        percent = round(float(cleaned) * 100)
    except ValueError:
        raise ValidationError("multiplier", _("Enter a multiplier such as 1.2.")) from None
    if not MIN_MULTIPLIER <= percent <= MAX_MULTIPLIER:
        raise ValidationError("multiplier", _("A points multiplier should be between 1× and 10×."))
    return percent


class TierListModel(QAbstractTableModel):
    """Editable rows of ``TierInput`` (new rows have no id); ``tiers()`` hands them to ``save_tiers``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TierInput] = []
        self.last_error = ""  # why the last edit was refused (shown under the table)

    def set_tiers(self, tiers: list[TierView]) -> None:
        self.beginResetModel()
        self._rows = [TierInput(t.name, t.threshold_fen, t.multiplier_percent, t.perks, t.id) for t in tiers]
        self.endResetModel()

    def tiers(self) -> list[TierInput]:
        return [TierInput(t.name, t.threshold_fen, t.multiplier_percent, t.perks, t.id) for t in self._rows]

    def add_tier(self) -> int:
        """Append a tier above the highest one; returns its row."""
        top = max((t.threshold_fen for t in self._rows), default=-1_000_00)
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(TierInput(_("New tier"), top + 1_000_00, 100))
        self.endInsertRows()
        return row

    def remove_tier(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(TierColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(TierColumn):
            return None
        column = TierColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return _(TIER_TITLES[column])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in (TierColumn.THRESHOLD, TierColumn.MULTIPLIER) else _LEFT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        tier = self._rows[index.row()]
        column = TierColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TierColumn.NAME:
                return tier.name
            if column == TierColumn.THRESHOLD:
                return format_money(tier.threshold_fen)
            if column == TierColumn.MULTIPLIER:
                return multiplier_text(tier.multiplier_percent)
            return tier.perks
        if role == Qt.ItemDataRole.EditRole:
            if column == TierColumn.NAME:
                return tier.name
            if column == TierColumn.THRESHOLD:
                return format_money(tier.threshold_fen, symbol=False).replace(",", "")
            if column == TierColumn.MULTIPLIER:
                return f"{tier.multiplier_percent / 100:g}"
            return tier.perks
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in (TierColumn.THRESHOLD, TierColumn.MULTIPLIER) else _LEFT
        return None

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        tier = self._rows[index.row()]
        column = TierColumn(index.column())
        try:
            if column == TierColumn.NAME:
                name = " ".join(str(value or "").split())
                if not name:
                    raise ValidationError("name", _("Every tier needs a name."))
                tier.name = name
            elif column == TierColumn.THRESHOLD:
                tier.threshold_fen = parse_money(value, "threshold")
            elif column == TierColumn.MULTIPLIER:
                tier.multiplier_percent = parse_multiplier(str(value))
            else:
                tier.perks = str(value or "").strip()
        except ValidationError as error:
            self.last_error = error.message
            return False
        self.last_error = ""
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True
