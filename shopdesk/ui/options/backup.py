"""Settings → Backup and data check: where backups go, back up now, restore one, check and repair the data."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk.i18n import N_, _
from shopdesk.services import session
from shopdesk.services.backup import (
    BackupInfo,
    backup_folder,
    backups_supported,
    create_backup,
    last_backup_at,
    list_backups,
    restore_backup,
)
from shopdesk.services.data_check import CheckReport, check_data, repair_data
from shopdesk.ui import prompts
from shopdesk.ui.events import COUPONS, EVERYTHING, MEMBERS, POINTS, PURCHASES, SETTINGS
from shopdesk.ui.formatting import format_datetime, relative_day
from shopdesk.ui.options import register_options_page
from shopdesk.ui.options.base import OptionsPage
from shopdesk.ui.style import char_width, row_height
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.tables import read_only_table

REASON_LABELS: dict[str, str] = {
    "daily": N_("Daily"),
    "close": N_("On closing"),
    "migration": N_("Before an upgrade"),
    "restore": N_("Before a restore"),
    "import": N_("Before an import"),
    "manual": N_("By hand"),
}
NOTE_STYLE = (
    "QLabel#backupNote { background: #e6f4ff; border: 1px solid #bae0ff; border-radius: 6px;"
    " padding: 6px 10px; color: #0958d9; }"
    " QLabel#checkOk { color: #389e0d; } QLabel#checkProblems { color: #d46b08; }"
)
FINDINGS_SHOWN = 200
Index = QModelIndex | QPersistentModelIndex


def _alignment(right: bool) -> int:
    horizontal = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
    return int(horizontal | Qt.AlignmentFlag.AlignVCenter)


class BackupListModel(QAbstractTableModel):
    """The backups in the folder, newest first: when, why, how big."""

    WHEN, REASON, SIZE = range(3)
    HEADERS = (N_("Taken"), N_("Why"), N_("Size"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backups: list[BackupInfo] = []

    def set_backups(self, backups: list[BackupInfo]) -> None:
        self.beginResetModel()
        self.backups = list(backups)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self.backups)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.backups):
            return None
        info = self.backups[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.WHEN:
                return _("{when} ({relative})").format(
                    when=format_datetime(info.created_at), relative=relative_day(info.created_at)
                )
            if column == self.REASON:
                return _(REASON_LABELS.get(info.reason, N_("Other")))
            return QLocale().formattedDataSize(info.size)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(column == self.SIZE)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        if role == Qt.ItemDataRole.UserRole:
            return info
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return _(self.HEADERS[section])
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _alignment(section == self.SIZE)
        return None


class BackupOptionsPage(OptionsPage):
    """The folder is a setting (Save); backing up, restoring and checking act at once."""

    NAME = "backup"
    TITLE = N_("Backup and data check")
    SORT_ORDER = 80

    def __init__(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setStyleSheet(NOTE_STYLE)
        char = char_width(self)
        form = self.form
        self.server_note = QLabel(
            _(
                "This shop's data is on a PostgreSQL server: back it up there with pg_dump (see the README). "
                "The data check below works all the same."
            ),
            wordWrap=True,
        )
        self.server_note.setObjectName("backupNote")
        self.layout_.insertWidget(0, self.server_note)

        self.add_section(
            _("Backups"),
            _(
                "ShopDesk backs the shop up every day and when it closes, checks every copy, and keeps "
                "14 daily, 8 weekly and 12 monthly ones."
            ),
        )
        folder_box = QWidget()
        folder_row = QHBoxLayout(folder_box)
        folder_row.setContentsMargins(0, 0, 0, 0)
        self.folder = QLineEdit()
        self.folder.setReadOnly(True)
        self.folder.setMinimumWidth(char * 40)
        self.choose_button = QPushButton(_("Choose…"))
        self.choose_button.clicked.connect(self.choose_folder)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_button)
        form.add_row(
            "folder",
            _("Backup folder"),
            folder_box,
            hint=_("A USB drive or a synced folder keeps a copy away from this computer."),
        )
        last_box = QWidget()
        last_row = QHBoxLayout(last_box)
        last_row.setContentsMargins(0, 0, 0, 0)
        self.last = QLabel()
        self.backup_button = QPushButton(_("Back up now"))
        self.backup_button.setProperty("primary", True)
        self.backup_button.clicked.connect(self.back_up_now)
        last_row.addWidget(self.last, 1)
        last_row.addWidget(self.backup_button)
        form.add_row("last", _("Last backup"), last_box)

        self.model = BackupListModel(self)
        self.table = read_only_table(self, self.model)
        self.table.setObjectName("backupTable")
        header = self.table.horizontalHeader()
        header.resizeSection(BackupListModel.WHEN, char * 30)
        header.resizeSection(BackupListModel.REASON, char * 20)
        self.table.setMinimumWidth(char * 72)
        self.table.setFixedHeight(row_height(self) * 8)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.empty = QLabel(_("No backups yet. Press Back up now to make the first one."))
        self.empty.setObjectName("fieldHint")
        list_box = QWidget()
        column = QVBoxLayout(list_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table)
        column.addWidget(self.empty)
        buttons = QHBoxLayout()
        self.restore_button = QPushButton(_("Restore…"))
        self.restore_button.setToolTip(
            _("Put the shop back as it was in the chosen backup (the shop as it is now is backed up first)")
        )
        self.restore_button.clicked.connect(self.restore_selected)
        self.open_folder_hint = QLabel()
        self.open_folder_hint.setObjectName("fieldHint")
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.open_folder_hint, 1)
        column.addLayout(buttons)
        form.add_row("backups", _("Backups kept"), list_box)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.add_section(
            _("Data check"),
            _(
                "Compares each member's figures with the purchases, points balances with the points history, "
                "and coupons with the sales that used them."
            ),
        )
        check_box = QWidget()
        check_column = QVBoxLayout(check_box)
        check_column.setContentsMargins(0, 0, 0, 0)
        check_row = QHBoxLayout()
        self.check_button = QPushButton(_("Check data"))
        self.check_button.clicked.connect(self.check)
        self.repair_button = QPushButton(_("Repair"))
        self.repair_button.setToolTip(_("Recompute the figures from the purchases and the points history"))
        self.repair_button.clicked.connect(self.repair)
        self.repair_button.setVisible(False)
        check_row.addWidget(self.check_button)
        check_row.addWidget(self.repair_button)
        check_row.addStretch()
        check_column.addLayout(check_row)
        self.report = QLabel(_("Not checked yet."), wordWrap=True)
        self.report.setObjectName("fieldHint")
        check_column.addWidget(self.report)
        self.findings = QListWidget()
        self.findings.setObjectName("checkFindings")
        self.findings.setMaximumHeight(self.fontMetrics().height() * 8)
        self.findings.setVisible(False)
        check_column.addWidget(self.findings)
        form.add_row("check", _("Check"), check_box)
        self.first_field = self.choose_button
        self.last_report: CheckReport | None = None

    # Loading and saving -----------------------------------------------------------------------------

    def load(self) -> None:
        supported = backups_supported()
        self.server_note.setVisible(not supported)
        for key in ("folder", "last", "backups"):
            self.form.layout_.setRowVisible(self.form.field(key).parentWidget(), supported)
        if supported:
            self.folder.setText(str(backup_folder()))
            self._load_list()

    def _load_list(self) -> None:
        self._show_last(last_backup_at())
        self.model.set_backups(list_backups())
        self.empty.setVisible(not self.model.backups)
        self.table.setVisible(bool(self.model.backups))
        self._update_buttons()

    def save(self) -> None:
        from shopdesk.services.backup import set_backup_folder

        self.store(set_backup_folder, self.folder.text())

    def set_folder(self, folder: str) -> None:
        """Choose ``folder`` (as the folder dialog does); Save stores it."""
        if folder and folder != self.folder.text():
            self.folder.setText(folder)
            self.mark_changed()

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose the backup folder"), self.folder.text())
        self.set_folder(folder)

    # Backing up and restoring -----------------------------------------------------------------------

    def back_up_now(self) -> None:
        self._set_busy(True)
        self.runner.run(
            create_backup,
            "manual",
            changes={SETTINGS},
            initiator=self,
            on_done=self._backed_up,
            on_error=self._action_failed,
            parent=self,
        )

    def _backed_up(self, info: BackupInfo) -> None:
        self._set_busy(False)
        self._load_list()
        self.open_folder_hint.setText(_("Saved as {name}.").format(name=info.path.name))

    def selected_backup(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.backups[rows[0].row()] if rows else None

    def restore_selected(self) -> None:
        info = self.selected_backup()
        if info is None or not session.can(session.Permission.BACKUP_RESTORE):
            return
        if not prompts.confirm(
            self,
            _("Restore the backup taken {when}?").format(when=format_datetime(info.created_at)),
            _(
                "The shop goes back to how it was then: what was recorded since is replaced. The shop as it "
                "is now is backed up first, so you can come back to it."
            ),
            _("Restore"),
        ):
            return
        self._set_busy(True)
        self.open_folder_hint.setText(_("Restoring…"))
        self.runner.run(
            restore_backup,
            info.path,
            changes=EVERYTHING,  # every page shows data from the restored shop now
            on_done=partial(self._restored, info),
            on_error=self._action_failed,
            parent=self,
        )

    def _restored(self, info: BackupInfo, _safety: BackupInfo) -> None:
        self._set_busy(False)
        self.reload()
        self.open_folder_hint.setText(
            _("Restored the backup taken {when}. The shop as it was just before is kept as a backup.").format(
                when=format_datetime(info.created_at)
            )
        )

    # Checking ---------------------------------------------------------------------------------------

    def check(self) -> None:
        self._set_busy(True)
        self.report.setText(_("Checking…"))
        self.runner.run(check_data, on_done=self.show_report, on_error=self._action_failed, parent=self)

    def repair(self) -> None:
        self._set_busy(True)
        self.report.setText(_("Repairing…"))
        self.runner.run(
            partial(repair_data, actor=session.current().operator),
            changes={MEMBERS, POINTS, COUPONS, PURCHASES},
            on_done=self.show_report,
            on_error=self._action_failed,
            parent=self,
        )

    def show_report(self, report: CheckReport) -> None:
        self._set_busy(False)
        self.last_report = report
        self.report.setText(report.summary())
        self.report.setObjectName("checkOk" if report.ok else "checkProblems")
        self.report.style().unpolish(self.report)
        self.report.style().polish(self.report)
        self.findings.clear()
        for finding in report.findings[:FINDINGS_SHOWN]:
            self.findings.addItem(finding.detail)
        self.findings.setVisible(not report.ok)
        self.repair_button.setVisible(not report.ok)

    # ------------------------------------------------------------------------------------------------

    def _show_last(self, when: dt.datetime | None) -> None:
        if when is None:
            self.last.setText(_("Never"))
        else:
            self.last.setText(
                _("{when} ({relative})").format(when=format_datetime(when), relative=relative_day(when))
            )

    def _action_failed(self, exc: BaseException) -> None:
        from shopdesk.ui.errors import report_error

        self._set_busy(False)
        self.open_folder_hint.setText("")
        if self.report.text() in (_("Checking…"), _("Repairing…")):
            self.report.setText(_("Not checked yet."))
        report_error(self, exc)

    def _set_busy(self, busy: bool) -> None:
        for button in (self.backup_button, self.restore_button, self.check_button, self.repair_button):
            button.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        allowed = session.can(session.Permission.BACKUP_RESTORE)
        self.restore_button.setEnabled(allowed and self.selected_backup() is not None)


register_options_page(BackupOptionsPage)
