"""The members table: an ordered id list from one indexed query, rows fetched lazily a page at a time.

Like Anki's browser table, the model never holds 100,000 rows: ``search_member_ids`` returns the ids in
the order asked for (a few MB of ints, one query), ``rowCount()`` is their number, and ``data()`` loads the
page of ~200 rows around the row asked for with ``get_member_rows``. Pages are kept in a small LRU cache,
so scrolling to the end and back costs two page reads, not 500. Sorting and searching re-run the id query.
Page reads are indexed point reads of a few milliseconds and run on the GUI thread, as the view needs the
row now; anything that writes goes to ``ui.tasks``.

This is also what the benchmark measures (``list_first_page``, ``list_scroll_end``)::

    model = MemberTableModel()            # sorted by last purchase, newest first
    model.reload()
    model.row_at(0)                       # first screen: one id query + one page
    model.row_at(model.rowCount() - 1)    # jump to the end: one more page
"""

from __future__ import annotations

from collections import OrderedDict
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from shopdesk.domain.phones import format_phone
from shopdesk.i18n import N_, _
from shopdesk.services.member_search import MemberOrder, MemberQuery, search_member_ids
from shopdesk.services.members import MemberId, MemberRow, get_member_rows
from shopdesk.services.segments import SegmentFilter
from shopdesk.services.tags import TagChip, tags_for_members
from shopdesk.ui.formatting import format_count, format_date, format_money, relative_day

AnyIndex = QModelIndex | QPersistentModelIndex
MEMBER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CHIPS_ROLE = Qt.ItemDataRole.UserRole + 2  # list[TagChip] of the row's member (the Tags column)
MUTED = QColor("#8c8c8c")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class Column(IntEnum):
    NAME = 0
    PHONE = 1
    LAST_PURCHASE = 2
    PURCHASES = 3
    TOTAL_SPENT = 4
    JOINED = 5
    STAFF = 6
    TAGS = 7


COLUMN_TITLES: dict[Column, str] = {
    Column.NAME: N_("Name"),
    Column.PHONE: N_("Phone"),
    Column.LAST_PURCHASE: N_("Last purchase"),
    Column.PURCHASES: N_("Purchases"),
    Column.TOTAL_SPENT: N_("Total spent"),
    Column.JOINED: N_("Joined"),
    Column.STAFF: N_("Staff"),
    Column.TAGS: N_("Tags"),
}
# The order each column sorts by; the staff column is not sortable (no index behind it).
COLUMN_ORDERS: dict[Column, MemberOrder] = {
    Column.NAME: MemberOrder.NAME,
    Column.PHONE: MemberOrder.PHONE,
    Column.LAST_PURCHASE: MemberOrder.LAST_PURCHASE,
    Column.PURCHASES: MemberOrder.PURCHASE_COUNT,
    Column.TOTAL_SPENT: MemberOrder.TOTAL_SPENT,
    Column.JOINED: MemberOrder.JOINED,
}
NUMERIC_COLUMNS = frozenset({Column.PURCHASES, Column.TOTAL_SPENT})


class MemberTableModel(QAbstractTableModel):
    """Members matching the search text, in the chosen order, one row per member."""

    PAGE_SIZE = 200
    MAX_PAGES = 40  # 8,000 cached rows at most: scrolling through 100k members stays in a few MB

    def __init__(self, parent: QObject | None = None, *, include_archived: bool = False) -> None:
        super().__init__(parent)
        self._ids: list[MemberId] = []
        self._positions: dict[int, int] | None = None
        self._rows: dict[int, MemberRow | None] = {}
        self._pages: OrderedDict[int, list[MemberId]] = OrderedDict()
        self._text = ""
        self._order = MemberOrder.LAST_PURCHASE
        self._descending = True
        self._chosen = (MemberOrder.LAST_PURCHASE, True)  # the column order to go back to after a search
        self._include_archived = include_archived
        self._segment: SegmentFilter | None = None  # the filter panel's conditions
        self._chips: dict[int, list[TagChip]] = {}  # fetched with each page, one call per page

    # What is shown -------------------------------------------------------------------------------

    def query(self) -> MemberQuery:
        """The query behind the id list: relevance while searching, unless a column was chosen since."""
        return MemberQuery(
            text=self._text,
            order=self._order,
            descending=self._descending,
            include_archived=self._include_archived,
            segment=self._segment,
        )

    def segment(self) -> SegmentFilter | None:
        return self._segment

    def set_segment(self, segment: SegmentFilter | None) -> None:
        """Filter by ``segment`` from the next query on (None or an empty filter: no filter)."""
        self._segment = None if segment is None or segment.is_empty else segment

    def search_text(self) -> str:
        return self._text

    def set_search(self, text: str) -> None:
        """Show the members matching ``text`` (best match first); empty text shows everyone."""
        query = self.search_query(text)
        if query != self.query():
            self.show_ids(query, search_member_ids(query))

    def search_query(self, text: str) -> MemberQuery:
        """The query that shows ``text``: relevance order while searching, the chosen column otherwise."""
        text = " ".join(text.split())
        order, descending = (MemberOrder.RELEVANCE, True) if text else self._chosen
        return MemberQuery(
            text=text,
            order=order,
            descending=descending,
            include_archived=self._include_archived,
            segment=self._segment,
        )

    def show_ids(self, query: MemberQuery, ids: list[MemberId]) -> None:
        """Show ``ids``, the result of ``query`` run elsewhere (the screen runs searches on the DB lane)."""
        self._text, self._order, self._descending = query.text, query.order, query.descending
        self._segment = query.segment
        self._reset(ids)

    def sort_column(self) -> int:
        """The column whose order is shown, or -1 while sorted by relevance."""
        for column, order in COLUMN_ORDERS.items():
            if order is self._order:
                return int(column)
        return -1

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-run the id query in the order of ``column`` (ignored for columns without an order)."""
        if self.apply_sort(column, order):
            self.reload()

    def apply_sort(self, column: int, order: Qt.SortOrder) -> bool:
        """Choose the order of ``column`` without querying yet; True when the order changed."""
        try:
            new_order = COLUMN_ORDERS[Column(column)]
        except (ValueError, KeyError):
            return False
        descending = order == Qt.SortOrder.DescendingOrder
        self._chosen = (new_order, descending)
        if (new_order, descending) == (self._order, self._descending):
            return False
        self._order, self._descending = new_order, descending
        return True

    def reload(self) -> None:
        """Run the id query again and forget every cached row (after a change, a search or a sort)."""
        self._reset(search_member_ids(self.query()))

    def _reset(self, ids: list[MemberId]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._positions = None
        self._rows.clear()
        self._chips.clear()
        self._pages.clear()
        self.endResetModel()

    def invalidate_rows(self) -> None:
        """Forget cached rows but keep the id list: the same members, maybe with new figures."""
        self._rows.clear()
        self._chips.clear()
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(Column) - 1))

    # Lookups -------------------------------------------------------------------------------------

    def member_ids(self) -> list[MemberId]:
        """Every member shown, in order (the whole result, for bulk actions)."""
        return list(self._ids)

    def member_id(self, row: int) -> MemberId | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, member_id: int) -> int | None:
        """The row showing ``member_id``, or None when the search hides them."""
        if self._positions is None:
            self._positions = {mid: row for row, mid in enumerate(self._ids)}
        return self._positions.get(member_id)

    def row_at(self, row: int) -> MemberRow | None:
        """The member shown on ``row`` (fetching its page when needed); None for a member gone since."""
        member_id = self.member_id(row)
        if member_id is None:
            return None
        if member_id not in self._rows:
            self._fetch_page(row // self.PAGE_SIZE)
        else:
            page = row // self.PAGE_SIZE
            if page in self._pages:
                self._pages.move_to_end(page)
        return self._rows.get(member_id)

    def _fetch_page(self, page: int) -> None:
        ids = self._ids[page * self.PAGE_SIZE : (page + 1) * self.PAGE_SIZE]
        rows = {row.id: row for row in get_member_rows(ids)}
        chips = tags_for_members(ids)  # one batched call per page, never one per row
        for member_id in ids:
            self._rows[member_id] = rows.get(member_id)
            self._chips[member_id] = chips.get(member_id, [])
        self._pages[page] = ids
        while len(self._pages) > self.MAX_PAGES:
            _, old_ids = self._pages.popitem(last=False)
            for member_id in old_ids:
                self._rows.pop(member_id, None)
                self._chips.pop(member_id, None)

    # QAbstractTableModel -------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMN_TITLES[column])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in NUMERIC_COLUMNS else _LEFT
        if role == Qt.ItemDataRole.ToolTipRole and column not in COLUMN_ORDERS:
            return _("This column cannot be sorted.")
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in NUMERIC_COLUMNS else _LEFT
        if role == MEMBER_ID_ROLE:
            return self._ids[index.row()]
        if role == CHIPS_ROLE or (column is Column.TAGS and role == Qt.ItemDataRole.ToolTipRole):
            if self.row_at(index.row()) is None:
                return None
            chips = self._chips.get(self._ids[index.row()], [])
            if role == CHIPS_ROLE:
                return chips
            return "、".join(chip.name for chip in chips) or None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, column)
        if column is Column.LAST_PURCHASE and row.last_purchase_at is None:
            return QBrush(MUTED)
        if column is Column.STAFF and not row.staff_name:
            return QBrush(MUTED)
        return None


def _display(row: MemberRow, column: Column) -> str:
    if column is Column.NAME:
        return row.name
    if column is Column.PHONE:
        return format_phone(row.phone)
    if column is Column.LAST_PURCHASE:
        return format_date(row.last_purchase_at) if row.last_purchase_at else "—"
    if column is Column.PURCHASES:
        return format_count(row.purchase_count)
    if column is Column.TOTAL_SPENT:
        return format_money(row.total_spent_fen)
    if column is Column.JOINED:
        return format_date(row.created_at)
    if column is Column.TAGS:
        return ""  # painted as chips by the view's delegate (CHIPS_ROLE)
    return row.staff_name or _("Unassigned")


def _tooltip(row: MemberRow, column: Column) -> str | None:
    if column is Column.LAST_PURCHASE:
        return relative_day(row.last_purchase_at) if row.last_purchase_at else _("No purchase yet")
    if column is Column.JOINED:
        return relative_day(row.created_at)
    return None
