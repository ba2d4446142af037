"""Today's follow-ups as a table: a heading row per reason (in the order of ``TaskKind``), then its tasks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from shopdesk.domain.dates import spoken_date
from shopdesk.domain.followups import OUTCOME_LABELS, TaskKind, TaskStatus
from shopdesk.domain.phones import mask_phone
from shopdesk.i18n import N_, _
from shopdesk.services.followups import TaskView
from shopdesk.ui.formatting import format_date

AnyIndex = QModelIndex | QPersistentModelIndex
TASK_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = (N_("Member"), N_("Phone"), N_("Reason"), N_("Staff"), N_("Due"), N_("Status"))
NAME, PHONE, REASON, STAFF, DUE, STATUS = range(len(COLUMNS))
# Chip colours (text, background): green done, orange due today, red carried over, grey put off.
DONE = (QColor("#237804"), QColor("#f6ffed"))
DUE_TODAY = (QColor("#ad4e00"), QColor("#fff7e6"))
OVERDUE = (QColor("#a8071a"), QColor("#fff1f0"))
PUT_OFF = (QColor("#595959"), QColor("#f5f5f5"))
HEADING_FILL = QColor("#f0f5ff")


@dataclass(frozen=True, slots=True)
class Heading:
    """The row above a reason's tasks: its label and how many tasks it holds."""

    kind: TaskKind
    title: str
    count: int


def status_text(task: TaskView) -> str:
    """The chip's words: the outcome once done, else whether it is due today or carried over."""
    if task.status is TaskStatus.DONE and task.outcome is not None:
        return _(OUTCOME_LABELS[task.outcome])
    if task.status is TaskStatus.SNOOZED:
        return _("Put off")
    if task.carried_over:
        return _("Overdue")
    return _("Due today")


def status_colours(task: TaskView) -> tuple[QColor, QColor]:
    if task.status is TaskStatus.DONE:
        return DONE
    if task.status is TaskStatus.SNOOZED:
        return PUT_OFF
    return OVERDUE if task.carried_over else DUE_TODAY


class FollowupListModel(QAbstractTableModel):
    """Headings and tasks in one list; ``task(row)`` is None on a heading row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Heading | TaskView] = []
        self.full_phones = False

    def set_tasks(self, tasks: Sequence[TaskView]) -> None:
        """Group ``tasks`` by kind in the order of ``TaskKind``, keeping their order within a kind."""
        by_kind: dict[TaskKind, list[TaskView]] = {}
        for task in tasks:
            by_kind.setdefault(task.kind, []).append(task)
        rows: list[Heading | TaskView] = []
        for kind in TaskKind:
            group = by_kind.get(kind)
            if group:
                rows.append(Heading(kind, group[0].kind_label, len(group)))
                rows.extend(group)
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def tasks(self) -> list[TaskView]:
        return [row for row in self._rows if isinstance(row, TaskView)]

    def task(self, row: int) -> TaskView | None:
        item = self._rows[row] if 0 <= row < len(self._rows) else None
        return item if isinstance(item, TaskView) else None

    def is_heading(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and isinstance(self._rows[row], Heading)

    def row_of(self, task_id: int) -> int | None:
        for row, item in enumerate(self._rows):
            if isinstance(item, TaskView) and item.id == task_id:
                return row
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.is_heading(index.row()):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if isinstance(item, Heading):
            return self._heading_data(item, column, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(item, column, tooltip=role == Qt.ItemDataRole.ToolTipRole)
        if role == TASK_ROLE:
            return item.id
        if column == STATUS and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(status_colours(item)[0])
        if column == STATUS and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(status_colours(item)[1])
        if column == STATUS and role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if column == DUE and role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole and item.status is not TaskStatus.OPEN and column != STATUS:
            return QBrush(QColor("#8c8c8c"))
        return None

    def _heading_data(self, heading: Heading, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole and column == 0:
            return _("{kind} ({count})").format(kind=heading.title, count=heading.count)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(HEADING_FILL)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, task: TaskView, column: int, *, tooltip: bool) -> str:
        if column == NAME:
            return task.member_name
        if column == PHONE:
            return task.phone if self.full_phones else mask_phone(task.phone)
        if column == REASON:
            if tooltip and task.note:
                return _("{reason}\nNote: {note}").format(reason=task.reason, note=task.note)
            return task.reason
        if column == STAFF:
            return task.staff_name
        if column == DUE:
            return format_date(task.due_date)
        if column == STATUS:
            if tooltip and task.carried_over:
                return _("On the list since {date}").format(date=spoken_date(task.list_date))
            return status_text(task)
        return ""


def progress_counts(tasks: Sequence[TaskView]) -> tuple[int, int]:
    """(done, total) of the day's list: snoozed tasks count as handled."""
    done = sum(1 for task in tasks if task.status is not TaskStatus.OPEN)
    return done, len(tasks)


class StatusChipDelegate(QStyledItemDelegate):
    """The status column as a rounded chip in the status colours (green done, orange due, red overdue)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if (
            not isinstance(background, QBrush)
            or not text
            or index.model().flags(index) == Qt.ItemFlag.ItemIsEnabled
        ):
            super().paint(painter, option, index)
            return
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        plain = QStyleOptionViewItem(option)
        self.initStyleOption(plain, index)
        plain.text = ""
        plain.backgroundBrush = QBrush()
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawControl(style.ControlElement.CE_ItemViewItem, plain, painter, option.widget)
        metrics = option.fontMetrics
        width = metrics.horizontalAdvance(text) + metrics.height()
        height = round(metrics.height() * 1.3)
        rect = option.rect
        chip = rect.adjusted(0, 0, 0, 0)
        chip.setWidth(min(width, rect.width() - 4))
        chip.setHeight(min(height, rect.height() - 4))
        chip.moveCenter(rect.center())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
        painter.setPen(
            foreground.color() if isinstance(foreground, QBrush) else option.palette.text().color()
        )
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
