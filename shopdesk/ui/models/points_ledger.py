"""A member's points: the ledger (积分流水, newest first, paged as it scrolls) and the open lots by expiry."""

from __future__ import annotations

import datetime as dt
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from shopdesk.domain.points import EntryKind
from shopdesk.i18n import N_, _
from shopdesk.services.points import LedgerLine, LotView, list_ledger, points_summary
from shopdesk.ui.formatting import format_count, format_date, format_datetime, relative_day
from shopdesk.ui.models.member_pages import AnyIndex, MemberPagesModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # the typed value behind a cell (int, date)
CREDIT = QColor("#389e0d")
DEBIT = QColor("#cf1322")
SOON = QColor("#d46b08")
MUTED = QColor("#8c8c8c")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
EXPIRY_WARNING_DAYS = 30

# Same words as the points export, so the catalogue translates them once.
KIND_LABELS: dict[str, str] = {
    EntryKind.EARN: N_("Earned on a purchase"),
    EntryKind.REDEEM: N_("Used on a purchase"),
    EntryKind.GIFT: N_("Gift redeemed"),
    EntryKind.ADJUST: N_("Adjustment"),
    EntryKind.EXPIRE: N_("Expired"),
    EntryKind.REFUND: N_("Refund"),
    EntryKind.VISIT_REWARD: N_("Visit reward"),
    EntryKind.REFERRAL: N_("Referral reward"),
    EntryKind.BIRTHDAY: N_("Birthday reward"),
    EntryKind.OPENING: N_("Opening balance"),
}

# The ledger's filter: what a shopkeeper asks ("what did she earn?"), not one entry kind at a time.
KIND_FILTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("All entries"), ()),
    (
        N_("Earned"),
        (EntryKind.EARN, EntryKind.VISIT_REWARD, EntryKind.REFERRAL, EntryKind.BIRTHDAY, EntryKind.OPENING),
    ),
    (N_("Used"), (EntryKind.REDEEM, EntryKind.GIFT)),
    (N_("Adjustments"), (EntryKind.ADJUST,)),
    (N_("Expired"), (EntryKind.EXPIRE,)),
    (N_("Refunds"), (EntryKind.REFUND,)),
)


def kind_label(kind: str) -> str:
    """The entry kind in words (an unknown kind from a newer version shows as it is stored)."""
    label = KIND_LABELS.get(kind)
    return _(label) if label else kind


def signed(points: int) -> str:
    """``+120`` / ``-80``: the sign is the point of a ledger line."""
    return f"+{format_count(points)}" if points > 0 else format_count(points)


class LedgerColumn(IntEnum):
    """Four columns fit the narrow detail panel: the entry says its kind and reason in one cell."""

    DATE = 0
    ENTRY = 1
    POINTS = 2
    BALANCE = 3


LEDGER_TITLES: dict[LedgerColumn, str] = {
    LedgerColumn.DATE: N_("Date"),
    LedgerColumn.ENTRY: N_("Entry"),
    LedgerColumn.POINTS: N_("Points"),
    LedgerColumn.BALANCE: N_("Balance"),
}


def entry_text(line: LedgerLine) -> str:
    """``Gift redeemed: hand cream × 1``; the kind alone when there is no reason."""
    if not line.reason:
        return kind_label(line.kind)
    return _("{kind}: {reason}").format(kind=kind_label(line.kind), reason=line.reason)


class LedgerModel(MemberPagesModel):
    """The ledger, newest first; each page continues below the last entry id shown."""

    COLUMNS = len(LedgerColumn)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kinds: tuple[str, ...] = ()

    def set_member(self, member_id: int | None, kinds: tuple[str, ...] | None = None) -> None:
        """Show ``member_id``'s entries of ``kinds`` (empty: every kind; None: keep the filter)."""
        if kinds is not None:
            self._kinds = tuple(kinds)
        super().set_member(member_id)

    def set_kinds(self, kinds: tuple[str, ...]) -> None:
        self.set_member(self._member_id, kinds)

    def line(self, row: int) -> LedgerLine | None:
        return self.row_at(row)

    def read_page(self, member_id: int, last: LedgerLine | None) -> list[LedgerLine]:
        before = last.id if last is not None else None
        return list_ledger(member_id, kinds=self._kinds or None, before_id=before, limit=self.PAGE_SIZE)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(LedgerColumn):
            return None
        column = LedgerColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return _(LEDGER_TITLES[column])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in (LedgerColumn.POINTS, LedgerColumn.BALANCE) else _LEFT
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        line = self._rows[index.row()]
        column = LedgerColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in (LedgerColumn.POINTS, LedgerColumn.BALANCE) else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == LedgerColumn.POINTS:
                return QBrush(CREDIT if line.amount > 0 else DEBIT)
            if column == LedgerColumn.BALANCE and line.balance_after < 0:
                return QBrush(DEBIT)
            if column == LedgerColumn.DATE:
                return QBrush(MUTED)
            return None
        if role == SORT_ROLE:
            return {
                LedgerColumn.DATE: line.id,
                LedgerColumn.ENTRY: entry_text(line),
                LedgerColumn.POINTS: line.amount,
                LedgerColumn.BALANCE: line.balance_after,
            }[column]
        return None

    @staticmethod
    def _text(line: LedgerLine, column: LedgerColumn) -> str:
        if column == LedgerColumn.DATE:
            return format_date(line.created_at)
        if column == LedgerColumn.ENTRY:
            return entry_text(line)
        if column == LedgerColumn.POINTS:
            return signed(line.amount)
        return format_count(line.balance_after)

    @staticmethod
    def _tooltip(line: LedgerLine) -> str:
        parts = [
            _("{when} · {kind} {points}, balance {balance}").format(
                when=format_datetime(line.created_at),
                kind=kind_label(line.kind),
                points=signed(line.amount),
                balance=format_count(line.balance_after),
            )
        ]
        if line.reason:
            parts.append(_("Reason: {reason}").format(reason=line.reason))
        if line.operator:
            parts.append(_("By: {operator}").format(operator=line.operator))
        return "\n".join(parts)


class LotColumn(IntEnum):
    EARNED = 0
    LEFT = 1
    EXPIRES = 2


LOT_TITLES: dict[LotColumn, str] = {
    LotColumn.EARNED: N_("Earned on"),
    LotColumn.LEFT: N_("Points left"),
    LotColumn.EXPIRES: N_("Expires"),
}


class LotsModel(QAbstractTableModel):
    """Every open lot of a member, the soonest expiry first (the order spending takes them)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lots: tuple[LotView, ...] = ()
        self._today = dt.date.today()

    def set_lots(self, lots: tuple[LotView, ...], today: dt.date | None = None) -> None:
        self.beginResetModel()
        self._lots = tuple(lots)
        self._today = today or dt.date.today()
        self.endResetModel()

    def load(self, member_id: int | None) -> None:
        """Read ``member_id``'s lots (None empties the list)."""
        self.set_lots(points_summary(member_id).lots if member_id is not None else ())

    def lot(self, row: int) -> LotView | None:
        return self._lots[row] if 0 <= row < len(self._lots) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._lots)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(LotColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(LotColumn):
            return None
        column = LotColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return _(LOT_TITLES[column])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column == LotColumn.LEFT else _LEFT
        return None

    def _soon(self, lot: LotView) -> bool:
        return lot.expires_on is not None and (lot.expires_on - self._today).days <= EXPIRY_WARNING_DAYS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._lots):
            return None
        lot = self._lots[index.row()]
        column = LotColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column == LotColumn.EARNED:
                return format_date(lot.earned_on)
            if column == LotColumn.LEFT:
                if lot.remaining == lot.original:
                    return format_count(lot.remaining)
                return _("{left} of {original}").format(
                    left=format_count(lot.remaining), original=format_count(lot.original)
                )
            if lot.expires_on is None:
                return _("Never")
            return _("{date} ({when})").format(
                date=format_date(lot.expires_on), when=relative_day(lot.expires_on, self._today)
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            if lot.available_from is not None and lot.available_from > self._today:
                return _("Held until {date}: usable after the holding period.").format(
                    date=format_date(lot.available_from)
                )
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column == LotColumn.LEFT else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == LotColumn.EXPIRES and self._soon(lot):
                return QBrush(SOON)
            if lot.available_from is not None and lot.available_from > self._today:
                return QBrush(MUTED)
            return None
        if role == SORT_ROLE:
            return {
                LotColumn.EARNED: lot.earned_on.toordinal(),
                LotColumn.LEFT: lot.remaining,
                LotColumn.EXPIRES: lot.expires_on.toordinal() if lot.expires_on else dt.date.max.toordinal(),
            }[column]
        return None
