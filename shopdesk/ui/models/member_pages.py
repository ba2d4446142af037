"""A member's list read a page at a time as it scrolls (keyset paging), shared by the purchase history and
the points ledger: a member with years of history opens as fast as a new one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex

AnyIndex = QModelIndex | QPersistentModelIndex


class MemberPagesModel(QAbstractTableModel):
    """Append-only list: ``canFetchMore``/``fetchMore`` read the page after the last row shown.

    Subclasses set ``COLUMNS`` and implement ``read_page``; ``row_at`` gives a row's service object."""

    PAGE_SIZE = 50
    COLUMNS: int = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._member_id: int | None = None
        self._rows: list[Any] = []
        self._complete = True

    def read_page(self, member_id: int, last: Any | None) -> list[Any]:
        """Up to ``PAGE_SIZE`` rows of ``member_id`` after ``last`` (None: from the start)."""
        raise NotImplementedError

    def set_member(self, member_id: int | None) -> None:
        """Show ``member_id``'s list from its first page (None empties the list)."""
        self.beginResetModel()
        self._member_id = member_id
        self._rows = []
        self._complete = member_id is None
        self.endResetModel()
        if member_id is not None:
            self.fetchMore(QModelIndex())

    def row_at(self, row: int) -> Any | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        if parent.isValid() or self._complete or self._member_id is None:
            return
        page = self.read_page(self._member_id, self._rows[-1] if self._rows else None)
        self._complete = len(page) < self.PAGE_SIZE
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.COLUMNS
