"""Closing time (收工录入): type in the outcomes ticked on the printed sheet, row by row, keyboard only.

The rows are in the order of the printed sheet. Digit keys 1–4 set the row's outcome and move on; 0 or
Delete clears it; Enter or Down moves on without changing it; Ctrl+Enter saves every outcome at once.
Rows already worked on screen show their outcome and are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableView,
    QWidget,
)

from shopdesk.domain.followups import OUTCOME_LABELS, Outcome, TaskStatus
from shopdesk.domain.phones import mask_phone
from shopdesk.i18n import N_, _, ngettext
from shopdesk.services import session
from shopdesk.services.followups import TaskView, record_outcome
from shopdesk.ui.dialogs.base import titled_layout
from shopdesk.ui.errors import report_error
from shopdesk.ui.events import FOLLOWUPS
from shopdesk.ui.style import char_width, row_height
from shopdesk.ui.tasks import BaseTaskRunner

AnyIndex = QModelIndex | QPersistentModelIndex
KEYS: tuple[Outcome, ...] = (Outcome.CONTACTED, Outcome.NO_ANSWER, Outcome.NOT_INTERESTED, Outcome.PURCHASED)
COLUMNS = (N_("No."), N_("Member"), N_("Phone"), N_("Reason"), N_("Result"))
RESULT = len(COLUMNS) - 1
CHOSEN = QColor("#1677FF")
MUTED = QColor("#8c8c8c")


class ClosingModel(QAbstractTableModel):
    """The day's tasks with the outcome typed for each (None: not typed)."""

    def __init__(self, tasks: Sequence[TaskView], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = list(tasks)
        self.chosen: dict[int, Outcome] = {}

    def editable(self, row: int) -> bool:
        return 0 <= row < len(self.tasks) and self.tasks[row].status is TaskStatus.OPEN

    def set_outcome(self, row: int, outcome: Outcome | None) -> bool:
        if not self.editable(row):
            return False
        task_id = self.tasks[row].id
        if outcome is None:
            self.chosen.pop(task_id, None)
        else:
            self.chosen[task_id] = outcome
        index = self.index(row, RESULT)
        self.dataChanged.emit(index, index)
        return True

    def outcome(self, row: int) -> Outcome | None:
        task = self.tasks[row]
        return task.outcome if task.status is TaskStatus.DONE else self.chosen.get(task.id)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.tasks)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if section == 0 else Qt.AlignmentFlag.AlignLeft
            return horizontal | Qt.AlignmentFlag.AlignVCenter
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.tasks):
            return None
        row, column = index.row(), index.column()
        task = self.tasks[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(row + 1)
            if column == 1:
                return task.member_name
            if column == 2:
                return mask_phone(task.phone)
            if column == 3:
                return task.reason
            outcome = self.outcome(row)
            if outcome is None:
                return _("Put off") if task.status is TaskStatus.SNOOZED else "—"
            label = _(OUTCOME_LABELS[outcome])
            return label if task.status is TaskStatus.DONE else f"{KEYS.index(outcome) + 1}  {label}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole:
            if not self.editable(row):
                return QBrush(MUTED)
            if column == RESULT and task.id in self.chosen:
                return QBrush(CHOSEN)
        return None


class ClosingTable(QTableView):
    """Digits pick the outcome, Enter and Down go to the next row that still needs one."""

    save_requested = Signal()  # Ctrl+Enter

    def __init__(self, model: ClosingModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.closing = model
        self.setModel(model)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentIndex().row()
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and modifiers == Qt.KeyboardModifier.ControlModifier:
            self.save_requested.emit()
            return
        if modifiers == Qt.KeyboardModifier.NoModifier:
            if Qt.Key.Key_1 <= key <= Qt.Key.Key_4:
                if self.closing.set_outcome(row, KEYS[key - Qt.Key.Key_1]):
                    self.next_row()
                return
            if key in (Qt.Key.Key_0, Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.closing.set_outcome(row, None)
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
                self.next_row()
                return
        super().keyPressEvent(event)

    def next_row(self) -> None:
        """Move to the next row that can take an outcome (stay on the last one)."""
        start = self.currentIndex().row()
        for row in range(start + 1, self.closing.rowCount()):
            if self.closing.editable(row):
                self.go_to(row)
                return

    def go_to(self, row: int) -> None:
        self.setCurrentIndex(self.closing.index(row, RESULT))
        self.scrollTo(self.closing.index(row, 0))


class ClosingEntryDialog(QDialog):
    """The day's list in the printed order; Ctrl+Enter (or 保存) records every outcome typed."""

    def __init__(self, parent: QWidget | None, runner: BaseTaskRunner, tasks: Sequence[TaskView]) -> None:
        super().__init__(parent)
        self.runner = runner
        self.saved = 0
        keys = "   ".join(
            _("{key} {outcome}").format(key=number, outcome=_(OUTCOME_LABELS[outcome]))
            for number, outcome in enumerate(KEYS, start=1)
        )
        layout, _heading, self.legend = titled_layout(
            self,
            _("Enter today's results"),
            _(
                "Type the result ticked on the printed sheet for each row: {keys}. "
                "0 clears a row, Enter skips it, Ctrl+Enter saves."
            ).format(keys=keys),
            spacing=0.6,
        )
        unit = self.fontMetrics().height()
        char = char_width(self)

        self.model = ClosingModel(tasks, self)
        self.table = ClosingTable(self.model)
        self.table.save_requested.connect(self.save)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(row_height(self))
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column, chars in ((0, 5), (1, 12), (2, 15), (3, 46), (4, 16)):
            header.resizeSection(column, char * chars)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumSize(char * 100, unit * 20)
        layout.addWidget(self.table, 1)
        self.model.dataChanged.connect(self._update_count)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setProperty("primary", True)
        self.save_button.setAutoDefault(False)  # Enter moves down the list; Ctrl+Enter saves
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(sequence), self, activated=self.save)
        self._update_count()
        first = next((row for row in range(self.model.rowCount()) if self.model.editable(row)), 0)
        if self.model.rowCount():
            self.table.go_to(first)
        self.table.setFocus()

    def _update_count(self, *_args: object) -> None:
        count = len(self.model.chosen)
        self.save_button.setText(
            ngettext("Save {count} result", "Save {count} results", count).format(count=count)
            if count
            else _("Save")
        )
        self.save_button.setEnabled(count > 0)

    def save(self) -> None:
        """Record every outcome typed, in one job on the DB lane."""
        chosen = dict(self.model.chosen)
        if not chosen or not self.save_button.isEnabled():
            return
        self.buttons.setEnabled(False)
        operator = session.current().operator

        def record() -> int:
            for task_id, outcome in chosen.items():
                record_outcome(task_id, outcome, operator=operator)
            return len(chosen)

        def done(count: int) -> None:
            self.saved = count
            self.accept()

        def failed(exc: object) -> None:
            self.buttons.setEnabled(True)
            report_error(self, exc)  # type: ignore[arg-type]

        self.runner.run(
            record, changes={FOLLOWUPS}, initiator=self, on_done=done, on_error=failed, parent=self
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner, tasks: Sequence[TaskView]) -> int:
        """Show the dialog; how many outcomes were saved."""
        dialog = cls(parent, runner, tasks)
        try:
            dialog.exec()
            return dialog.saved
        finally:
            dialog.deleteLater()
