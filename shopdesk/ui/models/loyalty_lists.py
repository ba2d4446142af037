"""The Points page's three short lists: the gift catalogue, the referral leaderboard and the members whose
points expire soon. Each is loaded whole (a shop has a few dozen gifts, the top referrers, a few hundred
expiring members at most) and sorts on typed values through ``SORT_ROLE``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from shopdesk.domain.phones import format_phone
from shopdesk.i18n import N_, _
from shopdesk.services.gifts import GiftView
from shopdesk.services.points_expiring import ExpiringPoints
from shopdesk.services.referrals import ReferrerRank
from shopdesk.ui.formatting import format_count, format_date, relative_day

AnyIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
MUTED = QColor("#8c8c8c")
SOON = QColor("#d46b08")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
Row = TypeVar("Row")


class Col(Generic[Row]):
    """One column: its N_ title, the text of a row, the typed sort value, whether it is a number."""

    def __init__(
        self,
        title: str,
        text: Callable[[Row], str],
        sort: Callable[[Row], Any],
        *,
        number: bool = False,
    ) -> None:
        self.title, self.text, self.sort, self.number = title, text, sort, number


class ListModel(QAbstractTableModel, Generic[Row]):
    """A whole list of dataclass rows shown through ``columns``."""

    columns: ClassVar[Sequence[Col]] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[Row, ...] = ()

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def item(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(column.title)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.number else _LEFT
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.number else _LEFT
        if role == ID_ROLE:
            return getattr(row, "id", None) or getattr(row, "member_id", None)
        return self.extra(row, index.column(), role)

    def extra(self, row: Row, column: int, role: int) -> Any:
        """Further roles (colours, tooltips) for a subclass."""
        return None


def _stock(gift: GiftView) -> str:
    return _("No limit") if gift.stock is None else format_count(gift.stock)


class GiftsModel(ListModel[GiftView]):
    """The whole catalogue, gifts withdrawn from offer included (greyed)."""

    columns = (
        Col(N_("Gift"), lambda g: g.name, lambda g: g.name),
        Col(N_("Points"), lambda g: format_count(g.points_cost), lambda g: g.points_cost, number=True),
        Col(N_("In stock"), _stock, lambda g: -1 if g.stock is None else g.stock, number=True),
        Col(N_("Status"), lambda g: _("On offer") if g.active else _("Withdrawn"), lambda g: g.active),
    )

    def extra(self, row: GiftView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if not row.active:
                return QBrush(MUTED)
            if column == 2 and row.stock == 0:
                return QBrush(SOON)
        if role == Qt.ItemDataRole.ToolTipRole and row.active and row.stock == 0:
            return _("Out of stock: members cannot redeem it until you add stock.")
        return None


class LeaderboardModel(ListModel[ReferrerRank]):
    """Members who brought in the most customers."""

    columns = (
        Col(N_("Name"), lambda r: r.name, lambda r: r.name),
        Col(N_("Brought in"), lambda r: format_count(r.referees), lambda r: r.referees, number=True),
        Col(
            N_("Have bought"),
            lambda r: format_count(r.buying_referees),
            lambda r: r.buying_referees,
            number=True,
        ),
        Col(
            N_("Reward points"),
            lambda r: format_count(r.reward_points),
            lambda r: r.reward_points,
            number=True,
        ),
    )


class ExpiringModel(ListModel[ExpiringPoints]):
    """Members to remind before their points lapse, the soonest first."""

    columns = (
        Col(N_("Name"), lambda e: e.name, lambda e: e.name),
        Col(N_("Phone"), lambda e: format_phone(e.phone), lambda e: e.phone),
        Col(N_("Expiring"), lambda e: format_count(e.points), lambda e: e.points, number=True),
        Col(
            N_("First expiry"),
            lambda e: _("{date} ({when})").format(
                date=format_date(e.first_expiry), when=relative_day(e.first_expiry)
            ),
            lambda e: e.first_expiry.toordinal(),
        ),
    )

    def extra(self, row: ExpiringPoints, column: int, role: int) -> Any:
        soon = (row.first_expiry - dt.date.today()).days <= 7
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and soon:
            return QBrush(SOON)
        return None
