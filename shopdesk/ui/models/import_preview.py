"""The import wizard's tables: the first rows of the file under their mapped fields, and the invalid rows."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from shopdesk.exchange.headers import Field, field_label
from shopdesk.exchange.plan import ColumnInfo, ImportPlan, RowError
from shopdesk.i18n import N_, _
from shopdesk.ui.formatting import format_count

AnyIndex = QModelIndex | QPersistentModelIndex
IGNORED = QColor("#8c8c8c")  # a column no field takes is greyed out: it will not be imported
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def column_heading(column: ColumnInfo, fields: Sequence[Field], mapping: dict[int, str | None]) -> str:
    """``B 手机号 → Phone`` or ``F 备用 (not imported)``: what the file calls it and where it goes."""
    key = mapping.get(column.index)
    title = column.title or _("(no name)")
    if key is None:
        return _("{letter} {title}\n(not imported)").format(letter=column.letter, title=title)
    return _("{letter} {title}\n→ {field}").format(
        letter=column.letter, title=title, field=field_label(fields, key)
    )


class ImportPreviewModel(QAbstractTableModel):
    """The preview rows of a plan; the vertical header shows the row numbers Excel shows.

    The mapping is held here (column index → field key or None) so the headers follow the user's
    corrections at once, before the file is checked again.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[ColumnInfo] = []
        self._fields: tuple[Field, ...] = ()
        self._rows: list[tuple[int, list[str]]] = []
        self._mapping: dict[int, str | None] = {}

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        if plan is None:
            self._columns, self._fields, self._rows, self._mapping = [], (), [], {}
        else:
            self._columns = plan.columns
            self._fields = plan.fields
            self._rows = plan.preview()
            self._mapping = {column.index: column.field for column in self._columns}
        self.endResetModel()

    def mapping(self) -> dict[int, str | None]:
        return dict(self._mapping)

    def set_field(self, column: int, key: str | None) -> None:
        """Map ``column`` to field ``key`` (None: not imported); a field another column had is moved."""
        if column not in self._mapping or self._mapping[column] == key:
            return
        if key is not None:
            for other, mapped in self._mapping.items():
                if mapped == key and other != column:
                    self._mapping[other] = None
                    self.headerDataChanged.emit(Qt.Orientation.Horizontal, other, other)
        self._mapping[column] = key
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)
        if self._rows:
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._columns):
            return None
        texts = self._rows[index.row()][1]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return texts[column] if column < len(texts) else ""
        if role == Qt.ItemDataRole.ForegroundRole and self._mapping.get(column) is None:
            return QBrush(IGNORED)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._rows):
                return str(self._rows[section][0])
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(_RIGHT)
            return None
        if not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column_heading(self._columns[section], self._fields, self._mapping)
        if role == Qt.ItemDataRole.ForegroundRole and self._mapping.get(section) is None:
            return QBrush(IGNORED)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_LEFT)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


ERROR_TITLES = (N_("Row"), N_("Column"), N_("Value"), N_("Reason"))


class ImportErrorsModel(QAbstractTableModel):
    """Every invalid cell: the row number, the column (letter and name), the value and why."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._errors: list[RowError] = []

    def set_errors(self, errors: Sequence[RowError]) -> None:
        self.beginResetModel()
        self._errors = list(errors)
        self.endResetModel()

    def error(self, row: int) -> RowError | None:
        return self._errors[row] if 0 <= row < len(self._errors) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._errors)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(ERROR_TITLES)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        error = self.error(index.row()) if index.isValid() else None
        if error is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return format_count(error.row)
            if column == 1:
                if not error.column:
                    return error.title
                return _("{letter} {title}").format(letter=error.column, title=error.title)
            if column == 2:
                return error.value
            if column == 3:
                return error.reason
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if column == 0 else _LEFT)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(ERROR_TITLES):
            if role == Qt.ItemDataRole.DisplayRole:
                return _(ERROR_TITLES[section])
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(_RIGHT if section == 0 else _LEFT)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
