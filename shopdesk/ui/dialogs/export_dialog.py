"""The export dialog (导出, Ctrl+E): what, which members, which columns, Excel or CSV, masked phones.

What: members, purchases, the points ledger, the coupons issued or the follow-up tasks. Coupons can also be
narrowed by status, template and search text; opened from the Coupons page, these start as the page's
filters, so the file holds what the page shows.

The export streams on the DB lane with a progress dialog; Cancel stops it and leaves no file behind (the
writers write to a temporary file and move it into place only when done). Clerks always get masked
phones: the check box is ticked and locked for them, and the service masks again whatever the box says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSize, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QWidget,
)

from shopdesk.domain.coupons import CouponStatus
from shopdesk.exchange.coupon_export import COLUMNS as COUPON_COLUMNS
from shopdesk.exchange.coupon_export import STATUS_LABELS as COUPON_STATUS_LABELS
from shopdesk.exchange.coupon_export import CouponFilter, export_coupons
from shopdesk.exchange.exporting import ExportResult, MemberScope
from shopdesk.exchange.followup_export import COLUMNS as FOLLOWUP_COLUMNS
from shopdesk.exchange.followup_export import export_followups
from shopdesk.exchange.member_export import MEMBER_COLUMNS, export_members
from shopdesk.exchange.points_export import COLUMNS as POINTS_COLUMNS
from shopdesk.exchange.points_export import export_points
from shopdesk.exchange.purchase_export import PURCHASE_COLUMNS, export_purchases
from shopdesk.i18n import N_, _, ngettext
from shopdesk.services import session
from shopdesk.services.coupon_templates import list_templates
from shopdesk.services.segments import list_segments
from shopdesk.services.tags import list_tags
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.dialogs.import_wizard import choose_save_path
from shopdesk.ui.formatting import format_count
from shopdesk.ui.style import char_width, row_height
from shopdesk.ui.tasks import BaseTaskRunner, Job

MEMBERS, PURCHASES, POINTS = "members", "purchases", "points"
COUPONS, FOLLOWUPS = "coupons", "followups"
WHAT_LABELS = {
    MEMBERS: N_("Members"),
    PURCHASES: N_("Purchases"),
    POINTS: N_("Points ledger"),
    COUPONS: N_("Coupons"),
    FOLLOWUPS: N_("Follow-ups"),
}
FILE_STEMS = WHAT_LABELS
# Kinds whose columns are fixed: the list shows them ticked and greyed, (key, title, kind) as exported.
FIXED_COLUMNS = {POINTS: POINTS_COLUMNS, COUPONS: COUPON_COLUMNS, FOLLOWUPS: FOLLOWUP_COLUMNS}
ALL, CURRENT, SEGMENT, TAG = "all", "current", "segment", "tag"
FORMATS = (("xlsx", N_("Excel (.xlsx)")), ("csv", N_("CSV (.csv)")))


def open_folder(path: Path) -> None:
    """Show the folder holding the exported file (tests replace this function)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def default_folder() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))


def run_export(
    what: str,
    path: str,
    *,
    columns: Sequence[str] | None,
    scope: MemberScope | None,
    mask_phones: bool,
    actor: str,
    progress: object = None,
    coupons: CouponFilter | None = None,
) -> ExportResult:
    """The export the dialog asked for (runs on the DB lane)."""
    if what == MEMBERS:
        return export_members(
            path, columns=columns, scope=scope, mask_phones=mask_phones, progress=progress, actor=actor
        )
    if what == PURCHASES:
        return export_purchases(
            path, columns=columns, scope=scope, mask_phones=mask_phones, progress=progress, actor=actor
        )
    if what == COUPONS:
        return export_coupons(
            path, scope=scope, coupons=coupons, mask_phones=mask_phones, progress=progress, actor=actor
        )
    if what == FOLLOWUPS:
        return export_followups(path, scope=scope, mask_phones=mask_phones, progress=progress, actor=actor)
    return export_points(path, scope=scope, mask_phones=mask_phones, progress=progress, actor=actor)


class ExportDialog(FormDialog):
    """One form: what, who, columns, format, masking, file; 导出 runs it and opens the folder."""

    def __init__(
        self,
        parent: QWidget | None,
        runner: BaseTaskRunner,
        current_ids: Sequence[int] | None = None,
        what: str = MEMBERS,
        coupons: CouponFilter | None = None,
    ) -> None:
        super().__init__(
            parent,
            runner,
            _("Export"),
            _("Save members, sales, the points ledger, coupons or follow-ups as an Excel or CSV file."),
        )
        self.result_: ExportResult | None = None
        self.job: Job | None = None
        self._current_ids = list(current_ids) if current_ids is not None else None
        char = char_width(self)
        self.form.setMinimumWidth(char * 80)
        self.save_button.setText(_("Export"))

        self.what = QComboBox()
        for key, label in WHAT_LABELS.items():
            self.what.addItem(_(label), key)
        self.what.setCurrentIndex(max(0, self.what.findData(what)))

        self.scope_box = QWidget()
        grid = QGridLayout(self.scope_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.all_choice = QRadioButton(_("All members"))
        count = len(self._current_ids) if self._current_ids is not None else 0
        self.current_choice = QRadioButton(
            ngettext("The {n} member in the list now", "The {n} members in the list now", count).format(
                n=format_count(count)
            )
        )
        self.segment_choice = QRadioButton(_("Saved segment"))
        self.tag_choice = QRadioButton(_("Tag"))
        self._scope_group = QButtonGroup(self)
        for button, key in (
            (self.all_choice, ALL),
            (self.current_choice, CURRENT),
            (self.segment_choice, SEGMENT),
            (self.tag_choice, TAG),
        ):
            button.setProperty("scope", key)
            self._scope_group.addButton(button)
        self.segment = QComboBox()
        for segment in list_segments():
            self.segment.addItem(segment.name, segment.name)
        self.tag = QComboBox()
        for tag in list_tags(with_counts=True):
            self.tag.addItem(
                _("{name} ({count})").format(name=tag.name, count=format_count(tag.member_count)), tag.name
            )
        grid.addWidget(self.all_choice, 0, 0, 1, 2)
        grid.addWidget(self.current_choice, 1, 0, 1, 2)
        grid.addWidget(self.segment_choice, 2, 0)
        grid.addWidget(self.segment, 2, 1)
        grid.addWidget(self.tag_choice, 3, 0)
        grid.addWidget(self.tag, 3, 1)
        grid.setColumnStretch(1, 1)
        self.segment.setPlaceholderText(_("No saved segments yet"))
        self.tag.setPlaceholderText(_("No tags yet"))
        self.current_choice.setVisible(self._current_ids is not None)
        self.segment_choice.setEnabled(self.segment.count() > 0)
        self.segment.setEnabled(self.segment.count() > 0)
        self.tag_choice.setEnabled(self.tag.count() > 0)
        self.tag.setEnabled(self.tag.count() > 0)
        if self._current_ids is not None:
            self.current_choice.setChecked(True)
        else:
            self.all_choice.setChecked(True)

        self.columns = QListWidget()
        self.columns.setObjectName("exportColumns")
        self.columns.setFlow(QListWidget.Flow.LeftToRight)  # check boxes in rows of three, not one long list
        self.columns.setWrapping(True)
        self.columns.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.columns.setGridSize(QSize(char * 22, row_height(self)))
        self.columns.setMinimumHeight(row_height(self) * 8 + self.fontMetrics().height() // 2)

        self.coupon_box = self._coupon_filters(coupons or CouponFilter())

        self.file_format = QComboBox()
        for key, label in FORMATS:
            self.file_format.addItem(_(label), key)

        self.mask = QCheckBox(_("Mask phones as 138****8000"))
        if not session.can(session.Permission.FULL_PHONES):
            self.mask.setChecked(True)
            self.mask.setEnabled(False)
            self.mask.setToolTip(_("Your account sees phones masked, so exports mask them too."))

        file_row = QWidget()
        row = QHBoxLayout(file_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.path_edit = QLineEdit()
        row.addWidget(self.path_edit, 1)
        self.browse_button = QPushButton(_("Choose…"))
        self.browse_button.clicked.connect(self.browse)
        row.addWidget(self.browse_button)

        self.form.add_row("what", _("Export"), self.what, required=True)
        self.form.add_row("scope", _("Members"), self.scope_box)
        self.form.add_row("coupons", _("Which coupons"), self.coupon_box)
        self.form.add_row("columns", _("Columns"), self.columns)
        self.form.add_row("format", _("Format"), self.file_format)
        self.form.add_row("mask", _("Phones"), self.mask)
        self.form.add_row("path", _("Save to"), file_row, required=True)

        self.what.currentIndexChanged.connect(self._what_changed)
        self.file_format.currentIndexChanged.connect(self._format_changed)
        self.segment.currentIndexChanged.connect(lambda: self.segment_choice.setChecked(True))
        self.tag.currentIndexChanged.connect(lambda: self.tag_choice.setChecked(True))
        self.first_field = self.what
        self.set_tab_order(
            [
                self.what,
                self.all_choice,
                self.current_choice,
                self.segment_choice,
                self.segment,
                self.tag_choice,
                self.tag,
                self.coupon_status,
                self.coupon_template,
                self.coupon_text,
                self.columns,
                self.file_format,
                self.mask,
                self.path_edit,
                self.browse_button,
            ]
        )
        self._what_changed()

    def _coupon_filters(self, chosen: CouponFilter) -> QWidget:
        """Status, template and search text of the coupons to export (as on the Coupons page)."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.coupon_status = QComboBox()
        self.coupon_status.addItem(_("All statuses"), None)
        for status, label in COUPON_STATUS_LABELS.items():
            self.coupon_status.addItem(_(label), status.value)
        self.coupon_template = QComboBox()
        self.coupon_template.addItem(_("All coupons"), None)
        for template in list_templates():
            self.coupon_template.addItem(template.name, template.id)
        self.coupon_text = QLineEdit(chosen.text)
        self.coupon_text.setPlaceholderText(_("Code, member name or the phone's last digits"))
        self.coupon_text.setClearButtonEnabled(True)
        if chosen.status is not None:
            self.coupon_status.setCurrentIndex(max(0, self.coupon_status.findData(chosen.status.value)))
        if chosen.template_id is not None:
            self.coupon_template.setCurrentIndex(max(0, self.coupon_template.findData(chosen.template_id)))
        row.addWidget(self.coupon_status)
        row.addWidget(self.coupon_template, 1)
        row.addWidget(self.coupon_text, 1)
        return box

    # -- choices --------------------------------------------------------------------------------------

    def kind(self) -> str:
        return self.what.currentData()

    def scope_kind(self) -> str:
        button = self._scope_group.checkedButton()
        return button.property("scope") if button is not None else ALL

    def scope(self) -> MemberScope | None:
        """The members chosen, or None for everyone (sales and ledger lines of every member)."""
        kind = self.scope_kind()
        if kind == CURRENT and self._current_ids is not None:
            return MemberScope(member_ids=self._current_ids)
        if kind == SEGMENT and self.segment.currentData():
            return MemberScope(segment=self.segment.currentData())
        if kind == TAG and self.tag.currentData():
            return MemberScope(tag=self.tag.currentData())
        return None

    def coupon_filter(self) -> CouponFilter | None:
        """The coupons chosen (None unless coupons are exported)."""
        if self.kind() != COUPONS:
            return None
        status = self.coupon_status.currentData()
        return CouponFilter(
            status=CouponStatus(status) if status else None,
            template_id=self.coupon_template.currentData(),
            text=self.coupon_text.text().strip(),
        )

    def chosen_columns(self) -> list[str] | None:
        """The ticked column keys in list order (None for the kinds with fixed columns)."""
        if self.kind() in FIXED_COLUMNS:
            return None
        return [
            self.columns.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.columns.count())
            if self.columns.item(row).checkState() == Qt.CheckState.Checked
        ]

    def set_column(self, key: str, checked: bool) -> None:
        for row in range(self.columns.count()):
            item = self.columns.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def suffix(self) -> str:
        return "." + self.file_format.currentData()

    def _what_changed(self, *_args: object) -> None:
        kind = self.kind()
        self.columns.clear()
        listed = MEMBER_COLUMNS if kind == MEMBERS else PURCHASE_COLUMNS if kind == PURCHASES else ()
        for column in listed:
            item = QListWidgetItem(_(column.label))
            item.setData(Qt.ItemDataRole.UserRole, column.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if column.default else Qt.CheckState.Unchecked)
            self.columns.addItem(item)
        for _key, label, _kind in FIXED_COLUMNS.get(kind, ()):
            item = QListWidgetItem(_(label))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.columns.addItem(item)
        self.columns.setEnabled(kind not in FIXED_COLUMNS)
        self.form.layout_.setRowVisible(self.coupon_box.parentWidget(), kind == COUPONS)
        self.all_choice.setText(_("All members") if kind == MEMBERS else _("Every member"))
        self._suggest_path()

    def _format_changed(self, *_args: object) -> None:
        text = self.path_edit.text().strip()
        if text:
            self.path_edit.setText(str(Path(text).with_suffix(self.suffix())))
        else:
            self._suggest_path()

    def _suggest_path(self) -> None:
        name = _("{what} {date}").format(what=_(FILE_STEMS[self.kind()]), date=dt.date.today().isoformat())
        folder = Path(self.path_edit.text()).parent if self.path_edit.text().strip() else default_folder()
        self.path_edit.setText(str(folder / (name + self.suffix())))

    def browse(self) -> None:
        current = Path(self.path_edit.text().strip() or "export")
        file_filter = "Excel (*.xlsx)" if self.suffix() == ".xlsx" else "CSV (*.csv)"
        path = choose_save_path(self, _("Export to"), current.name, file_filter)
        if path:
            self.path_edit.setText(str(Path(path).with_suffix(self.suffix())))

    # -- export ---------------------------------------------------------------------------------------

    def save(self) -> None:
        from shopdesk.errors import ValidationError

        text = self.path_edit.text().strip()
        if not text:
            raise ValidationError("path", _("Choose where to save the file."))
        path = Path(text)
        if path.suffix.lower() != self.suffix():
            path = path.with_suffix(self.suffix())
        if not path.parent.is_dir():
            raise ValidationError("path", _("The folder {folder} does not exist.").format(folder=path.parent))
        columns = self.chosen_columns()
        if columns is not None and not columns:
            raise ValidationError("columns", _("Tick at least one column."))
        self._set_busy(True)
        self.job = self.runner.run(
            run_export,
            self.kind(),
            str(path),
            columns=columns,
            scope=self.scope(),
            mask_phones=self.mask.isChecked(),
            actor=session.current().operator,
            coupons=self.coupon_filter(),
            initiator=self,
            on_done=self._exported,
            on_error=self._failed,
            progress_label=_("Exporting…"),
            parent=self,
        )

    def _exported(self, result: ExportResult) -> None:
        self._set_busy(False)
        self.result_ = result
        open_folder(result.path)
        self.accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        runner: BaseTaskRunner,
        current_ids: Sequence[int] | None = None,
        what: str = MEMBERS,
        coupons: CouponFilter | None = None,
    ) -> ExportResult | None:
        """Show the dialog; what was written where, or None when it was closed or cancelled."""
        dialog = cls(parent, runner, current_ids, what, coupons)
        try:
            return dialog.result_ if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
