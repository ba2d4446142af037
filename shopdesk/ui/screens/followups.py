"""今日跟进, the first page: today's contacts grouped by reason, worked one by one, printed or exported.

The list is built (``services.followups.build_list``, idempotent) when the page is first shown and on F5,
on the DB lane. Each action on a task (copy the message, mark an outcome, put off, note) runs there too
and announces ``followups``, which reloads the list; the sidebar badge follows ``badge_changed``. This is
the page the window opens on, so its dialogs and printing are imported when first used, not with the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk.domain.dates import spoken_day
from shopdesk.domain.followups import OUTCOME_LABELS, Outcome, TaskStatus
from shopdesk.i18n import N_, _
from shopdesk.services import session
from shopdesk.services.catalog import StaffView, list_staff
from shopdesk.services.followups import (
    TaskView,
    build_list,
    open_task_count,
    record_outcome,
    reopen_task,
    todays_tasks,
)
from shopdesk.services.message_templates import ensure_default_templates, list_templates, message_for
from shopdesk.services.settings import shop_name
from shopdesk.ui.events import DATABASE, FOLLOWUPS, MEMBERS, PURCHASES, AppEvents
from shopdesk.ui.icons import icon
from shopdesk.ui.models.followup_list import (
    DUE,
    NAME,
    PHONE,
    REASON,
    STAFF,
    STATUS,
    FollowupListModel,
    StatusChipDelegate,
    progress_counts,
)
from shopdesk.ui.screens.base import Screen
from shopdesk.ui.state import restore_header, save_header
from shopdesk.ui.style import char_width, scaled_font
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.empty_state import EmptyState
from shopdesk.ui.widgets.tables import read_only_table

WATCHED = frozenset({FOLLOWUPS, MEMBERS, PURCHASES, DATABASE})
HEADER_KEY = "followups/header"
# The outcome buttons, in the order of the printed sheet's legend and the closing-time digit keys.
OUTCOME_BUTTONS: tuple[Outcome, ...] = (
    Outcome.CONTACTED,
    Outcome.NO_ANSWER,
    Outcome.NOT_INTERESTED,
    Outcome.PURCHASED,
)
FALLBACK_MESSAGE = N_("Hi {name}, this is {shop}. We have something for you; come by when you are free.")
EXPORT_FILTERS = N_("PDF for printing (*.pdf);;Excel workbook (*.xlsx);;CSV (*.csv)")


@dataclass(frozen=True, slots=True)
class DayList:
    """What one load reads: the day's tasks (for the chosen staff), the staff, the open count."""

    day: dt.date
    tasks: list[TaskView]
    staff: list[StaffView]
    open_count: int


def load_day(day: dt.date, staff_id: int | None, *, build: bool) -> DayList:
    """Build the day's list (when asked) and read it: one job on the DB lane."""
    if build:
        build_list(day)
        ensure_default_templates()
    return DayList(day, todays_tasks(day, staff_id=staff_id), list_staff(), open_task_count(day))


def task_message(task: TaskView) -> str:
    """The message for ``task``: its kind's template filled for the member (a plain greeting if none)."""
    templates = list_templates(task.kind.value)
    body = templates[0].body if templates and templates[0].kind == task.kind.value else _(FALLBACK_MESSAGE)
    return message_for(task.member_id, body)


def choose_export_path(parent: QWidget, suggested: str) -> str | None:
    """Ask where to save the export (tests replace this)."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Export today's follow-ups"), suggested, _(EXPORT_FILTERS)
    )
    return path or None


def write_sheet(
    tasks: list[TaskView], day: dt.date, path: str, full_phones: bool, progress: object = None
) -> int:
    """Write the printable sheet to ``path`` (.pdf, .xlsx or .csv); returns pages or rows written."""
    from shopdesk.reports.followup_sheet import build_sheet

    sheet = build_sheet(tasks, shop_name=shop_name(), day=day, full_phones=full_phones)
    if Path(path).suffix.lower() == ".pdf":
        return sheet.to_pdf(path)
    return sheet.write_table(path)


def sheet_html(tasks: list[TaskView], day: dt.date, full_phones: bool) -> tuple[str, str]:
    """(title, HTML) of the printable sheet, for the print preview."""
    from shopdesk.reports.followup_sheet import build_sheet

    sheet = build_sheet(tasks, shop_name=shop_name(), day=day, full_phones=full_phones)
    return sheet.title(), sheet.to_html()


class FollowupsScreen(Screen):
    """The list on top, the selected task's actions below it; print, export and closing entry above."""

    badge_changed = Signal(int)  # open contacts left today: the sidebar shows it beside the page's name

    def __init__(self, runner: BaseTaskRunner, events: AppEvents, parent: QWidget | None = None) -> None:
        super().__init__(runner, events, parent)
        self.setObjectName("followupsScreen")
        self.day = dt.date.today()
        self.loaded = False
        self.loading = False
        self.staff_id: int | None = None
        self.open_count = 0
        self.last_message = ""
        self._select_task: int | None = None
        unit = self.fontMetrics().height()
        char = char_width(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit, round(unit * 0.8), unit, unit)
        layout.setSpacing(round(unit * 0.6))

        header = QHBoxLayout()
        self.title = QLabel(_("Today's follow-ups"))
        self.title.setObjectName("pageTitle")
        self.title.setFont(scaled_font(self, 1.45, bold=True))
        header.addWidget(self.title)
        header.addSpacing(unit // 2)
        self.date_label = QLabel()
        self.date_label.setObjectName("pageCount")
        header.addWidget(self.date_label, 0, Qt.AlignmentFlag.AlignBottom)
        header_buttons = QHBoxLayout(_squeezable(header))
        header_buttons.setContentsMargins(0, 0, 0, 0)
        header_buttons.addStretch()
        self.new_button = QPushButton(icon("add-dark"), _("New task"))
        self.new_button.setToolTip(_("Plan a contact by hand"))
        self.new_button.clicked.connect(self.new_task)
        self.templates_button = QPushButton(_("Messages"))
        self.templates_button.setToolTip(_("Edit the message templates copied for each reason"))
        self.templates_button.clicked.connect(self.edit_templates)
        self.closing_button = QPushButton(_("Enter results"))
        self.closing_button.setToolTip(_("At closing time, type in the results ticked on the printed sheet"))
        self.closing_button.clicked.connect(self.closing_entry)
        self.print_button = QPushButton(_("Print"))
        self.print_button.setToolTip(_("Print today's list on A4 to tick with a pen"))
        self.print_button.clicked.connect(self.print_list)
        self.export_button = QPushButton(_("Export"))
        self.export_button.setToolTip(_("Save today's list as PDF, Excel or CSV"))
        self.export_button.clicked.connect(self.export_list)
        for button in (
            self.new_button,
            self.templates_button,
            self.closing_button,
            self.print_button,
            self.export_button,
        ):
            header_buttons.addWidget(button)
        layout.addLayout(header)

        bar_row = QHBoxLayout()
        bar = QHBoxLayout(_squeezable(bar_row))
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(round(unit * 0.6))
        staff_label = QLabel(_("Staff:"))
        bar.addWidget(staff_label)
        self.staff_filter = QComboBox()
        self.staff_filter.setMinimumWidth(char * 18)
        self.staff_filter.addItem(_("Everyone"), None)
        self.staff_filter.currentIndexChanged.connect(self._staff_changed)
        staff_label.setBuddy(self.staff_filter)
        bar.addWidget(self.staff_filter)
        self.full_phones = QCheckBox(_("Show whole phone numbers"))
        self.full_phones.setToolTip(_("Phones are masked (138****8000) on screen, on paper and in exports"))
        self.full_phones.toggled.connect(self._full_phones_toggled)
        bar.addWidget(self.full_phones)
        bar.addStretch()
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressText")
        bar.addWidget(self.progress_label)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(char * 24)
        self.progress.setMaximumHeight(round(unit * 0.6))
        bar.addWidget(self.progress)
        layout.addLayout(bar_row)

        self.model = FollowupListModel(self)
        self.table = read_only_table(self, self.model)
        self.table.setObjectName("followupsTable")
        self._setup_table()
        self.model.modelReset.connect(self._apply_spans)

        self.actions = self._build_actions()
        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(round(unit * 0.6))
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.actions)

        self.empty = EmptyState(
            "empty-members",
            _("Nobody to contact today"),
            _(
                "The list fills itself each morning with members due to buy again, birthdays, expiring "
                "coupons and points, and new members to welcome. Plan a contact yourself with New task."
            ),
        )
        self.empty.add_button(_("New task"), self.new_task, primary=True)
        self.empty.add_button(_("Refresh"), self.refresh)
        self.loading_label = QLabel(_("Building today's list…"), alignment=Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.loading_label)
        self.pages.addWidget(list_page)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)
        self.full_phones.setVisible(session.can(session.Permission.FULL_PHONES))
        self._update_actions()

    # Building ---------------------------------------------------------------------------------------

    def _setup_table(self) -> None:
        """The list's own look on top of ``read_only_table``: plain rows (group headings span them), the
        reason column takes the spare width, the status is a chip."""
        table = self.table
        table.setAlternatingRowColors(False)
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        char = char_width(self)
        for column, chars in {NAME: 14, PHONE: 15, REASON: 60, STAFF: 10, DUE: 12, STATUS: 14}.items():
            header.resizeSection(column, char * chars)
        header.setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)
        restore_header(HEADER_KEY, header)
        table.setItemDelegateForColumn(STATUS, StatusChipDelegate(table))
        table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        table.doubleClicked.connect(self._double_clicked)

    def _build_actions(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("detailPanel")
        unit = self.fontMetrics().height()
        column = QVBoxLayout(panel)
        column.setContentsMargins(unit, round(unit * 0.6), unit, round(unit * 0.6))
        column.setSpacing(round(unit * 0.4))
        self.task_title = QLabel()
        self.task_title.setFont(scaled_font(self, 1.1, bold=True))
        self.task_reason = QLabel(wordWrap=True)
        self.task_reason.setObjectName("fieldHint")
        self.task_reason.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        column.addWidget(self.task_title)
        column.addWidget(self.task_reason)
        row = QHBoxLayout(_squeezable(column))
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(round(unit * 0.4))
        self.copy_button = QPushButton(_("Copy message"))
        self.copy_button.setProperty("primary", True)
        self.copy_button.setToolTip(_("Copy a message for this member to paste into WeChat"))
        self.copy_button.clicked.connect(self.copy_message)
        row.addWidget(self.copy_button)
        row.addSpacing(unit)
        self.outcome_buttons: dict[Outcome, QPushButton] = {}
        for number, outcome in enumerate(OUTCOME_BUTTONS, start=1):
            button = QPushButton(_(OUTCOME_LABELS[outcome]))
            button.setToolTip(_("Mark the result of the contact ({key})").format(key=number))
            button.clicked.connect(lambda _checked=False, o=outcome: self.mark(o))
            row.addWidget(button)
            self.outcome_buttons[outcome] = button
        row.addSpacing(unit)
        self.snooze_button = QPushButton(icon("calendar"), _("Another day"))
        self.snooze_button.clicked.connect(self.snooze)
        self.note_button = QPushButton(icon("edit"), _("Note"))
        self.note_button.clicked.connect(self.edit_note)
        self.reopen_button = QPushButton(_("Undo result"))
        self.reopen_button.setToolTip(_("Put the task back on the list (the contact stays in the history)"))
        self.reopen_button.clicked.connect(self.reopen)
        self.member_button = QPushButton(icon("members"), _("Open member"))
        self.member_button.clicked.connect(self.open_member)
        for button in (self.snooze_button, self.note_button, self.reopen_button):
            row.addWidget(button)
        row.addStretch()
        row.addWidget(self.member_button)
        return panel

    # Loading ----------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.loaded and not self.loading:
            self.reload(build=True)

    def activated(self) -> None:
        if not self.loaded and not self.loading:
            self.reload(build=True)

    def refresh(self) -> None:
        """F5: build the list again (new day, new purchases) and read it."""
        self.day = dt.date.today()
        self.reload(build=True)

    def on_changes(self, changes: set[str], initiator: object) -> None:
        if self.loaded and changes & WATCHED:
            self.reload(build=DATABASE in changes)

    def reload(self, *, build: bool = False) -> None:
        self.loading = True
        if not self.loaded:
            self.pages.setCurrentWidget(self.loading_label)
        self.runner.run(
            load_day,
            self.day,
            self.staff_id,
            build=build,
            on_done=self._loaded,
            on_error=self._load_failed,
            parent=self,
        )

    def _load_failed(self, exc: object) -> None:
        self.loading = False
        from shopdesk.ui.errors import report_error

        report_error(self, exc)  # type: ignore[arg-type]

    def _loaded(self, result: DayList) -> None:
        self.loading = False
        self.loaded = True
        keep = self._select_task if self._select_task is not None else self.current_task_id()
        self._select_task = None
        self._fill_staff(result.staff)
        self.model.set_tasks(result.tasks)
        self.date_label.setText(spoken_day(result.day))
        done, total = progress_counts(result.tasks)
        self.progress_label.setText(_("Done {done} / {total}").format(done=done, total=total))
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.open_count = result.open_count
        self.badge_changed.emit(result.open_count)
        self.pages.setCurrentIndex(1 if result.tasks else 2)
        row = self.model.row_of(keep) if keep is not None else None
        if row is None:
            row = self._first_open_row()
        if row is not None:
            self.select_row(row)
        self._update_actions()

    def _fill_staff(self, staff: list[StaffView]) -> None:
        self.staff_filter.blockSignals(True)
        self.staff_filter.clear()
        self.staff_filter.addItem(_("Everyone"), None)
        for person in staff:
            self.staff_filter.addItem(person.name, person.id)
        index = self.staff_filter.findData(self.staff_id)
        self.staff_filter.setCurrentIndex(max(index, 0))
        self.staff_filter.blockSignals(False)

    def _apply_spans(self) -> None:
        self.table.clearSpans()
        for row in range(self.model.rowCount()):
            if self.model.is_heading(row):
                self.table.setSpan(row, 0, 1, self.model.columnCount())

    def _staff_changed(self, _index: int) -> None:
        self.staff_id = self.staff_filter.currentData()
        self.reload()

    def _full_phones_toggled(self, on: bool) -> None:
        self.model.full_phones = on
        self.model.set_tasks(self.model.tasks())

    # Selection --------------------------------------------------------------------------------------

    def select_row(self, row: int) -> None:
        self.table.setCurrentIndex(self.model.index(row, NAME))
        self.table.scrollTo(self.model.index(row, NAME))

    def select_task(self, task_id: int) -> bool:
        row = self.model.row_of(task_id)
        if row is None:
            return False
        self.select_row(row)
        return True

    def current_task(self) -> TaskView | None:
        return self.model.task(self.table.currentIndex().row())

    def current_task_id(self) -> int | None:
        task = self.current_task()
        return task.id if task is not None else None

    def _first_open_row(self) -> int | None:
        for row in range(self.model.rowCount()):
            task = self.model.task(row)
            if task is not None and task.status is TaskStatus.OPEN:
                return row
        return None

    def _next_open_after(self, task_id: int) -> int | None:
        """The id of the next open task below ``task_id`` (where the clerk goes after marking it)."""
        tasks = self.model.tasks()
        ids = [t.id for t in tasks]
        start = ids.index(task_id) + 1 if task_id in ids else 0
        for task in tasks[start:] + tasks[:start]:
            if task.status is TaskStatus.OPEN and task.id != task_id:
                return task.id
        return None

    def _update_actions(self) -> None:
        task = self.current_task()
        has = task is not None
        is_open = has and task.status is TaskStatus.OPEN
        self.copy_button.setEnabled(has)
        for button in self.outcome_buttons.values():
            button.setEnabled(is_open)
        self.snooze_button.setEnabled(is_open)
        self.note_button.setEnabled(has)
        self.member_button.setEnabled(has)
        self.reopen_button.setVisible(has and task.status is not TaskStatus.OPEN)
        self.reopen_button.setEnabled(has and task.status is TaskStatus.DONE)
        if task is None:
            self.task_title.setText(_("Pick a member in the list to contact them."))
            self.task_reason.setText("")
            return
        self.task_title.setText(_("{name} · {reason}").format(name=task.member_name, reason=task.kind_label))
        details = task.reason
        if task.note:
            details = _("{reason} — Note: {note}").format(reason=task.reason, note=task.note)
        self.task_reason.setText(details)

    def _double_clicked(self, index: QModelIndex) -> None:
        if self.model.task(index.row()) is not None:
            self.open_member()

    # Working a task ---------------------------------------------------------------------------------

    def copy_message(self) -> None:
        """Fill the task's template for the member and put it on the clipboard."""
        task = self.current_task()
        if task is None:
            return

        def copied(text: str) -> None:
            self.last_message = text
            QGuiApplication.clipboard().setText(text)
            self._status(_("Message for {name} copied: paste it into WeChat.").format(name=task.member_name))

        self.runner.run(task_message, task, on_done=copied, parent=self)

    def mark(self, outcome: Outcome | str) -> None:
        """Record the result of the contact with the selected member, then go to the next one."""
        task = self.current_task()
        if task is None or task.status is not TaskStatus.OPEN:
            return
        self._select_task = self._next_open_after(task.id)
        self.runner.run(
            record_outcome,
            task.id,
            Outcome(outcome),
            operator=session.current().operator,
            changes={FOLLOWUPS},
            initiator=self,
            parent=self,
        )

    def reopen(self) -> None:
        task = self.current_task()
        if task is None:
            return
        self._select_task = task.id
        self.runner.run(reopen_task, task.id, changes={FOLLOWUPS}, initiator=self, parent=self)

    def snooze(self) -> None:
        task = self.current_task()
        if task is None or task.status is not TaskStatus.OPEN:
            return
        self._select_task = self._next_open_after(task.id)
        from shopdesk.ui.dialogs.snooze import SnoozeDialog

        if not SnoozeDialog.ask(self, self.runner, task):
            self._select_task = None

    def edit_note(self) -> None:
        task = self.current_task()
        if task is not None:
            self._select_task = task.id
            from shopdesk.ui.dialogs.snooze import NoteDialog

            NoteDialog.ask(self, self.runner, task)

    def open_member(self) -> None:
        task = self.current_task()
        if task is None:
            return
        from shopdesk.ui.dialogs.member_edit import MemberEditDialog

        MemberEditDialog.ask(self, self.runner, task.member_id)

    def new_task(self) -> None:
        from shopdesk.ui.dialogs.manual_task import ManualTaskDialog

        task_id = ManualTaskDialog.ask(self, self.runner)
        if task_id is not None:
            self._select_task = task_id

    def edit_templates(self) -> None:
        from shopdesk.ui.dialogs.message_templates import MessageTemplatesDialog

        MessageTemplatesDialog.ask(self, self.runner)

    def closing_entry(self) -> None:
        """The closing-time screen over the list as printed (everyone's, in the sheet's order)."""
        from shopdesk.ui.dialogs.closing_entry import ClosingEntryDialog

        ClosingEntryDialog.ask(self, self.runner, self.model.tasks())

    # Paper and files --------------------------------------------------------------------------------

    def sheet_tasks(self) -> list[TaskView]:
        """What goes on paper: the open contacts shown (the chosen staff's, when filtered)."""
        return [task for task in self.model.tasks() if task.status is TaskStatus.OPEN]

    def print_list(self) -> None:
        """Print preview of the A4 sheet, built on the DB lane (it reads the shop's name)."""

        def show(result: tuple[str, str]) -> None:
            from shopdesk.ui import printing

            title, html = result
            printing.print_preview(self, html, paper=printing.A4, title=title)

        self.runner.run(
            sheet_html, self.sheet_tasks(), self.day, self.full_phones.isChecked(), on_done=show, parent=self
        )

    def export_list(self) -> None:
        suggested = _("follow-ups {date}.pdf").format(date=self.day.isoformat())
        path = choose_export_path(self, suggested)
        if not path:
            return
        if Path(path).suffix.lower() not in (".pdf", ".xlsx", ".csv"):
            path += ".pdf"

        def written(_count: int) -> None:
            self._status(_("Saved {file}").format(file=path))

        self.runner.run(
            write_sheet,
            self.sheet_tasks(),
            self.day,
            path,
            self.full_phones.isChecked(),
            progress_label=_("Exporting today's follow-ups…"),
            on_done=written,
            parent=self,
        )

    def _status(self, text: str) -> None:
        window = self.window()
        status_bar = getattr(window, "statusBar", None)
        if callable(status_bar):
            status_bar().showMessage(text, 8_000)

    def save_state(self) -> None:
        save_header(HEADER_KEY, self.table.horizontalHeader())


def _squeezable(layout: QHBoxLayout | QVBoxLayout) -> QWidget:
    """A row of buttons that does not set the window's minimum width (the window may be narrower than a
    row of English labels; the page is laid out for 1280 pixels and up)."""
    holder = QWidget()
    holder.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    layout.addWidget(holder, 1)
    return holder
