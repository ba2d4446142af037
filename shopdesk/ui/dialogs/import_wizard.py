"""The import wizard (导入): pick a file, fix the column mapping, choose options, see the check, import.

Each step that reads the file or the shop runs on the DB lane: planning reads and checks every row
(nothing is written), applying writes the plan in one transaction with a progress dialog whose Cancel
rolls it all back. The mapping step re-plans from the sheet already read, so the file is opened once.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopdesk.exchange.member_import import (
    ExistingPolicy,
    MemberImportResult,
    apply_member_import,
    plan_member_import,
)
from shopdesk.exchange.plan import ImportPlan
from shopdesk.exchange.purchase_import import (
    PurchaseImportResult,
    apply_purchase_import,
    plan_purchase_import,
)
from shopdesk.exchange.readers import RawSheet
from shopdesk.exchange.report import write_report
from shopdesk.exchange.template import write_template
from shopdesk.i18n import _, ngettext
from shopdesk.services import session
from shopdesk.ui.events import MEMBERS, POINTS, PURCHASES, TAGS
from shopdesk.ui.formatting import format_count
from shopdesk.ui.models.import_preview import ImportErrorsModel, ImportPreviewModel
from shopdesk.ui.style import char_width, row_height, scaled_font
from shopdesk.ui.tasks import BaseTaskRunner

MEMBERS_KIND, PURCHASES_KIND = "members", "purchases"
FILE_FILTER = "Excel / CSV (*.xlsx *.xlsm *.xls *.csv)"


class Step(IntEnum):
    FILE = 0
    MAPPING = 1
    OPTIONS = 2
    CHECK = 3
    SUMMARY = 4


def choose_open_path(parent: QWidget | None, title: str) -> str:
    """The file to import, or "" (tests replace this function instead of showing a file dialog)."""
    start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path, _filter = QFileDialog.getOpenFileName(parent, title, start, FILE_FILTER)
    return path


def choose_save_path(parent: QWidget | None, title: str, suggested: str, file_filter: str) -> str:
    """Where to save a file, or "" (tests replace this function instead of showing a file dialog)."""
    start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path, _filter = QFileDialog.getSaveFileName(parent, title, str(Path(start) / suggested), file_filter)
    return path


def plan_import(
    kind: str,
    source: str | RawSheet,
    *,
    mapping: dict[int, str | None] | None = None,
    header_row: int | None = None,
    create_members: bool = False,
    file_name: str = "",
    progress: object = None,
) -> ImportPlan:
    """Plan a members or purchases import (runs on the DB lane); the plan keeps the file's own name."""
    if kind == MEMBERS_KIND:
        plan = plan_member_import(source, mapping=mapping, header_row=header_row, progress=progress)
    else:
        plan = plan_purchase_import(
            source, mapping=mapping, header_row=header_row, create_members=create_members, progress=progress
        )
    if file_name:
        plan.file_name = file_name
    return plan


def save_template(parent: QWidget | None, runner: BaseTaskRunner, kind: str = MEMBERS_KIND) -> None:
    """Ask where, then save the blank members (or purchases) import template there."""
    suggested = (
        _("Member import template.xlsx") if kind == MEMBERS_KIND else _("Purchase import template.xlsx")
    )
    path = choose_save_path(parent, _("Save the blank import template"), suggested, "Excel (*.xlsx)")
    if not path:
        return
    if not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    runner.run(write_template, path, kind, parent=parent)


def plan_summary(plan: ImportPlan) -> str:
    """``1,200 rows read: 1,190 can be imported, 10 have problems.`` and what merging found."""
    parts = [
        ngettext(
            "{rows} row read: {valid} can be imported, {invalid} has problems.",
            "{rows} rows read: {valid} can be imported, {invalid} have problems.",
            plan.data_rows,
        ).format(
            rows=format_count(plan.data_rows),
            valid=format_count(plan.valid_rows),
            invalid=format_count(plan.invalid_rows),
        )
    ]
    if plan.merged_rows:
        if plan.kind == MEMBERS_KIND:
            text = ngettext(
                "{n} row repeats an earlier phone and is merged into it.",
                "{n} rows repeat an earlier phone and are merged into it.",
                plan.merged_rows,
            )
        else:
            text = ngettext(
                "{n} sale was imported before and will be left out.",
                "{n} sales were imported before and will be left out.",
                plan.merged_rows,
            )
        parts.append(text.format(n=format_count(plan.merged_rows)))
    if plan.kind == MEMBERS_KIND and plan.existing:
        parts.append(
            ngettext(
                "{n} member is in the shop already.", "{n} members are in the shop already.", plan.existing
            ).format(n=format_count(plan.existing))
        )
    return " ".join(parts)


def result_summary(result: MemberImportResult | PurchaseImportResult) -> list[str]:
    """One line per figure of a finished import, for the last step."""
    lines: list[str] = []
    if isinstance(result, MemberImportResult):
        figures = [
            (_("New members"), result.created),
            (_("Members updated"), result.updated),
            (_("Members left as they were"), result.unchanged + result.skipped_existing),
            (_("Rows merged by phone"), result.merged),
            (_("Rows skipped with problems"), result.rejected),
            (_("Members given opening points"), result.points_members),
            (_("Tags given"), result.tags_added),
        ]
        lines.extend(result.warnings)
    else:
        figures = [
            (_("Sales imported"), result.imported),
            (_("Of which refunded"), result.refunded),
            (_("Sales imported before, left out"), result.already_imported),
            (_("New members"), result.members_created),
            (_("Rows skipped with problems"), result.rejected),
        ]
    return [
        _("{label}: {count}").format(label=label, count=format_count(count)) for label, count in figures
    ] + lines


class ImportWizard(QDialog):
    """The five steps on one stack; Back and Next below, Next is the default button (Enter)."""

    def __init__(
        self, parent: QWidget | None, runner: BaseTaskRunner, kind: str = MEMBERS_KIND, path: str = ""
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.plan: ImportPlan | None = None
        self.result_: MemberImportResult | PurchaseImportResult | None = None
        self._planned_kind = ""
        self._planned_create = False
        self._planned_mapping: dict[int, str | None] | None = None
        self.setWindowTitle(_("Import from Excel"))
        self.setObjectName("importWizard")
        char = char_width(self)
        unit = self.fontMetrics().height()
        self.resize(char * 130, unit * 40)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(round(unit * 1.5), unit, round(unit * 1.5), unit)
        layout.setSpacing(round(unit * 0.8))
        self.heading = QLabel()
        self.heading.setObjectName("dialogTitle")
        self.heading.setFont(scaled_font(self, 1.3, bold=True))
        layout.addWidget(self.heading)
        self.steps = QLabel()
        self.steps.setObjectName("dialogSubtitle")
        layout.addWidget(self.steps)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.stack.addWidget(self._build_file_page())
        self.stack.addWidget(self._build_mapping_page())
        self.stack.addWidget(self._build_options_page())
        self.stack.addWidget(self._build_check_page())
        self.stack.addWidget(self._build_summary_page())

        buttons = QHBoxLayout()
        buttons.addStretch()
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        self.back_button = QPushButton(_("Back"))
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton(_("Next"))
        self.next_button.setProperty("primary", True)
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        for button in (self.cancel_button, self.back_button, self.next_button):
            button.setMinimumWidth(char * 12)
            buttons.addWidget(button)
        layout.addLayout(buttons)

        self.members_choice.setChecked(kind == MEMBERS_KIND)
        self.purchases_choice.setChecked(kind != MEMBERS_KIND)
        self.path_edit.setText(path)
        self._go(Step.FILE)

    # -- pages ----------------------------------------------------------------------------------------

    def _build_file_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("What does the file hold?")))
        self.members_choice = QRadioButton(_("Members (phone, name, birthday, tier, points, tags …)"))
        self.purchases_choice = QRadioButton(_("Purchases (phone, date, amount, category …)"))
        self._kind_group = QButtonGroup(page)
        self._kind_group.addButton(self.members_choice)
        self._kind_group.addButton(self.purchases_choice)
        layout.addWidget(self.members_choice)
        layout.addWidget(self.purchases_choice)
        layout.addSpacing(self.fontMetrics().height())
        layout.addWidget(QLabel(_("File (.xlsx or .csv)")))
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(_("Choose the Excel or CSV file to import"))
        self.path_edit.returnPressed.connect(self.next)
        row.addWidget(self.path_edit, 1)
        self.browse_button = QPushButton(_("Choose file…"))
        self.browse_button.clicked.connect(self.browse)
        row.addWidget(self.browse_button)
        layout.addLayout(row)
        hint = QLabel(
            _(
                "Title rows, merged headers and Chinese or English column names are fine: the next step "
                "shows how ShopDesk reads the columns, and you can correct it. Nothing is imported until "
                "the last step."
            ),
            wordWrap=True,
        )
        hint.setObjectName("fieldHint")
        layout.addWidget(hint)
        layout.addSpacing(self.fontMetrics().height())
        template_row = QHBoxLayout()
        template_text = QLabel(_("Starting from scratch? Fill in the blank template, then import it."))
        template_text.setObjectName("fieldHint")
        template_row.addWidget(template_text)
        self.template_button = QPushButton(_("Save the blank template…"))
        self.template_button.clicked.connect(lambda: save_template(self, self.runner, self.kind()))
        template_row.addWidget(self.template_button)
        template_row.addStretch()
        layout.addLayout(template_row)
        layout.addStretch()
        return page

    def _build_mapping_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.mapping_intro = QLabel(wordWrap=True)
        layout.addWidget(self.mapping_intro)
        self.missing_label = QLabel(wordWrap=True)
        self.missing_label.setObjectName("fieldError")
        layout.addWidget(self.missing_label)
        self.combo_area = QScrollArea()
        self.combo_area.setWidgetResizable(True)
        self.combo_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.combo_host = QWidget()
        self.combo_grid = QGridLayout(self.combo_host)
        self.combo_grid.setContentsMargins(0, 0, 0, 0)
        self.combo_area.setWidget(self.combo_host)
        self.combo_area.viewport().setAutoFillBackground(False)  # the page's colour, not a grey box
        self.combo_host.setAutoFillBackground(False)
        layout.addWidget(self.combo_area, 2)
        self.combos: list[QComboBox] = []
        preview_label = QLabel(_("The first rows as they will be read:"))
        layout.addWidget(preview_label)
        self.preview_model = ImportPreviewModel(self)
        self.preview = QTableView()
        self.preview.setObjectName("importPreview")
        self.preview.setModel(self.preview_model)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.verticalHeader().setDefaultSectionSize(row_height(self))
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.horizontalHeader().setDefaultSectionSize(char_width(self) * 16)
        self.preview.setWordWrap(False)
        self.preview.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.preview, 3)
        return page

    def _build_options_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.existing_box = QWidget()
        existing = QVBoxLayout(self.existing_box)
        existing.setContentsMargins(0, 0, 0, 0)
        existing.addWidget(QLabel(_("Members the shop already has (matched by phone):")))
        self.fill_choice = QRadioButton(_("Fill in what their record leaves blank (recommended)"))
        self.overwrite_choice = QRadioButton(
            _("Overwrite with what the file says (empty cells change nothing)")
        )
        self.skip_choice = QRadioButton(_("Leave them as they are"))
        self._existing_group = QButtonGroup(page)
        for button, policy in (
            (self.fill_choice, ExistingPolicy.FILL),
            (self.overwrite_choice, ExistingPolicy.OVERWRITE),
            (self.skip_choice, ExistingPolicy.SKIP),
        ):
            button.setProperty("policy", policy.value)
            self._existing_group.addButton(button)
            existing.addWidget(button)
        self.fill_choice.setChecked(True)
        layout.addWidget(self.existing_box)
        layout.addSpacing(self.fontMetrics().height())
        self.create_members = QCheckBox(_("Create a member for a phone the shop does not know"))
        layout.addWidget(self.create_members)
        self.skip_invalid = QCheckBox(_("Skip rows with problems and import the rest"))
        layout.addWidget(self.skip_invalid)
        hint = QLabel(
            _(
                "Without it, a file with any wrong row imports nothing, so you can fix the file and import "
                "it whole. The next step lists every problem before anything is written."
            ),
            wordWrap=True,
        )
        hint.setObjectName("fieldHint")
        layout.addWidget(hint)
        layout.addStretch()
        return page

    def _build_check_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check_summary = QLabel(wordWrap=True)
        self.check_summary.setFont(scaled_font(self, 1.1, bold=True))
        layout.addWidget(self.check_summary)
        self.check_notes = QLabel(wordWrap=True)
        self.check_notes.setObjectName("fieldHint")
        layout.addWidget(self.check_notes)
        self.check_advice = QLabel(wordWrap=True)
        self.check_advice.setObjectName("fieldError")
        layout.addWidget(self.check_advice)
        self.errors_model = ImportErrorsModel(self)
        self.errors_table = QTableView()
        self.errors_table.setObjectName("importErrors")
        self.errors_table.setModel(self.errors_model)
        self.errors_table.verticalHeader().hide()
        self.errors_table.verticalHeader().setDefaultSectionSize(row_height(self))
        self.errors_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.errors_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.errors_table.horizontalHeader()
        char = char_width(self)
        for column, width in enumerate((8, 20, 18)):
            header.resizeSection(column, char * width)
        header.setStretchLastSection(True)
        layout.addWidget(self.errors_table, 1)
        row = QHBoxLayout()
        row.addStretch()
        self.report_button = QPushButton(_("Save the problems as Excel…"))
        self.report_button.clicked.connect(self.save_report)
        row.addWidget(self.report_button)
        layout.addLayout(row)
        return page

    def _build_summary_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary_title = QLabel()
        self.summary_title.setFont(scaled_font(self, 1.15, bold=True))
        layout.addWidget(self.summary_title)
        self.summary_text = QLabel(wordWrap=True)
        self.summary_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary_text)
        layout.addStretch()
        return page

    # -- navigation -----------------------------------------------------------------------------------

    def kind(self) -> str:
        return MEMBERS_KIND if self.members_choice.isChecked() else PURCHASES_KIND

    def step(self) -> Step:
        return Step(self.stack.currentIndex())

    def _go(self, step: Step) -> None:
        self.stack.setCurrentIndex(step)
        titles = {
            Step.FILE: _("Import from Excel"),
            Step.MAPPING: _("Check the columns"),
            Step.OPTIONS: _("Choose how to import"),
            Step.CHECK: _("Check the rows"),
            Step.SUMMARY: _("Import finished"),
        }
        self.heading.setText(titles[step])
        self.steps.setText(_("Step {step} of {count}").format(step=int(step) + 1, count=len(Step)))
        self.back_button.setVisible(step in (Step.MAPPING, Step.OPTIONS, Step.CHECK))
        self.cancel_button.setVisible(step != Step.SUMMARY)
        self.next_button.setText(
            {Step.CHECK: _("Import"), Step.SUMMARY: _("Done"), Step.OPTIONS: _("Check")}.get(step, _("Next"))
        )
        self._update_next()
        focus = {Step.FILE: self.path_edit, Step.OPTIONS: self.fill_choice}.get(step)
        if step == Step.OPTIONS and not self.existing_box.isVisible():
            focus = self.skip_invalid
        (focus or self.next_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_next(self) -> None:
        step = self.step()
        enabled = True
        if step == Step.MAPPING:
            enabled = self.plan is not None and not self._missing_fields()
        elif step == Step.CHECK:
            enabled = self._can_import()
        self.next_button.setEnabled(enabled)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.step() == Step.FILE:
            self.path_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def back(self) -> None:
        step = self.step()
        if step > Step.FILE and step != Step.SUMMARY:
            self._go(Step(step - 1))

    def next(self) -> None:
        if not self.next_button.isEnabled():
            return
        step = self.step()
        if step == Step.FILE:
            self.read_file()
        elif step == Step.MAPPING:
            self._show_options()
        elif step == Step.OPTIONS:
            self.check()
        elif step == Step.CHECK:
            self.start_import()
        else:
            self.accept()

    def browse(self) -> None:
        path = choose_open_path(self, _("Choose the file to import"))
        if path:
            self.path_edit.setText(path)

    # -- step 1 → 2: read and map ---------------------------------------------------------------------

    def read_file(self) -> None:
        """Read and plan the file with the columns as detected, then show the mapping step."""
        text = self.path_edit.text().strip()
        if not text:
            self.browse()
            text = self.path_edit.text().strip()
            if not text:
                return
        path = Path(text)
        kind = self.kind()
        self._set_busy(True)
        self.runner.run(
            plan_import,
            kind,
            str(path),
            create_members=False,
            file_name=path.name,
            on_done=lambda plan: self._file_read(plan, kind),
            on_error=self._failed,
            progress_label=_("Reading {name}…").format(name=path.name),
            parent=self,
        )

    def _file_read(self, plan: ImportPlan, kind: str) -> None:
        self._set_busy(False)
        self._remember(plan, kind, False, None)
        self._show_mapping(plan)
        self._go(Step.MAPPING)

    def _remember(
        self, plan: ImportPlan, kind: str, create: bool, mapping: dict[int, str | None] | None
    ) -> None:
        self.plan = plan
        self._planned_kind = kind
        self._planned_create = create
        self._planned_mapping = mapping

    def _show_mapping(self, plan: ImportPlan) -> None:
        self.preview_model.set_plan(plan)
        self.mapping_intro.setText(
            _(
                "ShopDesk found the column names of {name} on row {row}. Check that each column goes to the "
                "right field; choose “Not imported” for columns to leave out."
            ).format(name=plan.file_name, row=plan.header.header_row + 1)
        )
        for combo in self.combos:
            combo.deleteLater()
        while self.combo_grid.count():
            item = self.combo_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.combos = []
        per_row = 3
        char = char_width(self)
        for position, column in enumerate(plan.columns):
            label = QLabel(
                _("{letter} {title}").format(letter=column.letter, title=column.title or _("(no name)"))
            )
            label.setToolTip(column.title)
            label.setMinimumWidth(char * 10)
            combo = QComboBox()
            combo.setObjectName(f"mapping_{column.index}")
            combo.addItem(_("Not imported"), None)
            for item in plan.fields:
                text = _(item.label) + (_(" (required)") if item.required else "")
                combo.addItem(text, item.key)
            combo.setCurrentIndex(max(0, combo.findData(column.field)))
            combo.setMinimumWidth(char * 16)
            combo.currentIndexChanged.connect(
                lambda _index, c=column.index, box=combo: self.set_mapping(c, box.currentData())
            )
            label.setBuddy(combo)
            row, slot = divmod(position, per_row)
            self.combo_grid.addWidget(label, row, slot * 2)
            self.combo_grid.addWidget(combo, row, slot * 2 + 1)
            self.combos.append(combo)
        for slot in range(per_row):
            self.combo_grid.setColumnStretch(slot * 2 + 1, 1)
        rows = (len(plan.columns) + per_row - 1) // per_row
        for row in range(rows + 1):
            self.combo_grid.setRowStretch(row, 0)
        self.combo_grid.setRowStretch(rows, 1)  # the combos stay together at the top
        self.combo_grid.setVerticalSpacing(round(self.fontMetrics().height() * 0.5))
        self.combo_area.setMaximumHeight(
            (self.fontMetrics().height() * 2 + self.combo_grid.verticalSpacing()) * max(1, min(rows, 5))
        )
        self.preview.resizeColumnsToContents()
        for column in range(self.preview_model.columnCount()):
            width = min(max(self.preview.columnWidth(column), char * 10), char * 28)
            self.preview.setColumnWidth(column, width)
        self._update_missing()

    def set_mapping(self, column: int, key: str | None) -> None:
        """Send ``column`` to field ``key``; a column that fed the same field is set to Not imported."""
        self.preview_model.set_field(column, key)
        mapping = self.preview_model.mapping()
        for combo, index in zip(self.combos, sorted(mapping), strict=True):
            wanted = mapping[index]
            if combo.currentData() != wanted:
                combo.blockSignals(True)
                combo.setCurrentIndex(max(0, combo.findData(wanted)))
                combo.blockSignals(False)
        self._update_missing()

    def _missing_fields(self) -> list[str]:
        if self.plan is None:
            return []
        mapped = set(self.preview_model.mapping().values())
        return [_(item.label) for item in self.plan.fields if item.required and item.key not in mapped]

    def _update_missing(self) -> None:
        missing = self._missing_fields()
        self.missing_label.setVisible(bool(missing))
        if missing:
            self.missing_label.setText(
                ngettext(
                    "No column is set to {fields}: choose the column that holds it.",
                    "No columns are set to {fields}: choose the columns that hold them.",
                    len(missing),
                ).format(fields="、".join(missing))
            )
        self._update_next()

    # -- step 2 → 3 → 4: options, check ----------------------------------------------------------------

    def _show_options(self) -> None:
        members = self._planned_kind == MEMBERS_KIND
        self.existing_box.setVisible(members)
        self.create_members.setVisible(not members)
        self._go(Step.OPTIONS)

    def check(self) -> None:
        """Plan again with the corrected mapping and the options, from the sheet already read."""
        assert self.plan is not None
        mapping = self.preview_model.mapping()
        create = self.create_members.isChecked() and self._planned_kind == PURCHASES_KIND
        planned = {column.index: column.field for column in self.plan.columns}
        if planned == mapping and self._planned_create == create and not self.plan.missing_required:
            self._show_check()  # the plan in hand was made with these very choices
            return
        kind = self._planned_kind
        self._set_busy(True)
        self.runner.run(
            plan_import,
            kind,
            self.plan.sheet,
            mapping=mapping,
            header_row=self.plan.header.header_row,
            create_members=create,
            file_name=self.plan.file_name,
            on_done=lambda plan: self._checked(plan, kind, create, mapping),
            on_error=self._failed,
            progress_label=_("Checking the rows…"),
            parent=self,
        )

    def _checked(self, plan: ImportPlan, kind: str, create: bool, mapping: dict[int, str | None]) -> None:
        self._set_busy(False)
        self._remember(plan, kind, create, mapping)
        self._show_check()

    def _show_check(self) -> None:
        plan = self.plan
        assert plan is not None
        self.check_summary.setText(plan_summary(plan))
        self.check_notes.setText("\n".join(plan.notes))
        self.check_notes.setVisible(bool(plan.notes))
        self.errors_model.set_errors(plan.errors)
        self.errors_table.setVisible(bool(plan.errors))
        self.report_button.setVisible(bool(plan.errors))
        advice = ""
        if plan.valid_rows == 0:
            advice = _("No row can be imported. Fix the file, or go back and check the columns.")
        elif plan.invalid_rows and not self.skip_invalid.isChecked():
            advice = _(
                "Nothing is imported while rows have problems. Fix them in the file and start again, or go "
                "back and choose to skip them."
            )
        self.check_advice.setText(advice)
        self.check_advice.setVisible(bool(advice))
        self._go(Step.CHECK)

    def _can_import(self) -> bool:
        plan = self.plan
        if plan is None or plan.valid_rows <= 0 or plan.missing_required:
            return False
        return not plan.invalid_rows or self.skip_invalid.isChecked()

    def save_report(self) -> None:
        """Save the invalid rows (row, column, value, reason) as an Excel sheet to fix the file from."""
        if self.plan is None:
            return
        stem = Path(self.plan.file_name).stem or "import"
        suggested = _("{name} problems {date}.xlsx").format(name=stem, date=dt.date.today().isoformat())
        path = choose_save_path(self, _("Save the problems"), suggested, "Excel (*.xlsx)")
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        self.runner.run(write_report, self.plan, path, parent=self)

    # -- step 4 → 5: import ---------------------------------------------------------------------------

    def existing_policy(self) -> ExistingPolicy:
        button = self._existing_group.checkedButton()
        return ExistingPolicy(button.property("policy")) if button is not None else ExistingPolicy.FILL

    def start_import(self) -> None:
        """Apply the plan in one transaction on the DB lane, with a progress dialog and Cancel."""
        plan = self.plan
        assert plan is not None
        self._set_busy(True)
        operator = session.current().operator
        if plan.kind == MEMBERS_KIND:
            self.job = self.runner.run(
                apply_member_import,
                plan,
                existing=self.existing_policy(),
                skip_invalid=self.skip_invalid.isChecked(),
                actor=operator,
                changes={MEMBERS, POINTS, TAGS},
                initiator=self,
                on_done=self._imported,
                on_error=self._failed,
                progress_label=_("Importing members…"),
                parent=self,
            )
        else:
            self.job = self.runner.run(
                apply_purchase_import,
                plan,
                skip_invalid=self.skip_invalid.isChecked(),
                actor=operator,
                changes={MEMBERS, PURCHASES},
                initiator=self,
                on_done=self._imported,
                on_error=self._failed,
                progress_label=_("Importing purchases…"),
                parent=self,
            )

    def _imported(self, result: MemberImportResult | PurchaseImportResult) -> None:
        self._set_busy(False)
        self.result_ = result
        if not result.applied:
            self.summary_title.setText(_("Nothing was imported: some rows have problems."))
        elif isinstance(result, MemberImportResult):
            self.summary_title.setText(
                ngettext("{n} member imported.", "{n} members imported.", result.imported).format(
                    n=format_count(result.imported)
                )
            )
        else:
            self.summary_title.setText(
                ngettext("{n} sale imported.", "{n} sales imported.", result.imported).format(
                    n=format_count(result.imported)
                )
            )
        self.summary_text.setText("\n".join(result_summary(result)))
        self._go(Step.SUMMARY)

    # -- shared ---------------------------------------------------------------------------------------

    def _failed(self, exc: BaseException) -> None:
        from shopdesk.ui.errors import report_error

        self._set_busy(False)
        report_error(self, exc)

    def _set_busy(self, busy: bool) -> None:
        self.stack.setEnabled(not busy)
        for button in (self.back_button, self.cancel_button):
            button.setEnabled(not busy)
        if busy:
            self.next_button.setEnabled(False)
        else:
            self._update_next()

    @classmethod
    def ask(
        cls, parent: QWidget | None, runner: BaseTaskRunner, kind: str = MEMBERS_KIND
    ) -> MemberImportResult | PurchaseImportResult | None:
        """Run the wizard; what the import did, or None when it was closed before importing."""
        dialog = cls(parent, runner, kind)
        try:
            dialog.exec()
            return dialog.result_
        finally:
            dialog.deleteLater()
