"""Settings → Accounts: PIN login on or off, each staff member's role and PIN, idle lock, the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopdesk.errors import ValidationError
from shopdesk.i18n import N_, _
from shopdesk.services import session
from shopdesk.services.accounts import (
    AccountView,
    accounts_enabled,
    enable_accounts,
    idle_minutes,
    list_accounts,
    set_account,
)
from shopdesk.services.audit import AuditEntry, list_audit
from shopdesk.services.catalog import create_staff
from shopdesk.services.session import Permission, Role
from shopdesk.ui.dialogs.login import role_label
from shopdesk.ui.events import SETTINGS
from shopdesk.ui.formatting import format_datetime
from shopdesk.ui.options import register_options_page
from shopdesk.ui.options.base import OptionsPage
from shopdesk.ui.style import char_width, row_height
from shopdesk.ui.tasks import BaseTaskRunner

AUDIT_PAGE = 100
ACTION_LABELS: dict[str, str] = {
    "login": N_("Logged in"),
    "login.failed": N_("Wrong PIN"),
    "accounts.enable": N_("Turned accounts on"),
    "accounts.disable": N_("Turned accounts off"),
    "accounts.role": N_("Changed a role or PIN"),
    "member.create": N_("Added a member"),
    "member.update": N_("Edited a member"),
    "member.archive": N_("Archived a member"),
    "member.unarchive": N_("Brought a member back"),
    "member.delete": N_("Erased a member's personal data"),
    "member.export": N_("Exported a member's data"),
    "member.consent": N_("Changed marketing consent"),
    "member.bulk_staff": N_("Reassigned members"),
    "points.adjust": N_("Adjusted points"),
    "points.rules": N_("Changed the points rules"),
    "purchase.refund": N_("Refunded a purchase"),
    "coupon.void": N_("Voided a coupon"),
    "data.repair": N_("Repaired the data"),
    "reminders.export": N_("Exported reminders"),
    "tiers.save": N_("Changed the tiers"),
    "tiers.rules": N_("Changed the tier rules"),
}
TARGET_LABELS: dict[str, str] = {
    "member": N_("Member #{id}"),
    "staff": N_("Staff #{id}"),
    "purchase": N_("Purchase #{id}"),
    "coupon": N_("Coupon #{id}"),
}
Index = QModelIndex | QPersistentModelIndex


def action_label(action: str) -> str:
    """The words for an audit action (an unknown one is shown as recorded)."""
    label = ACTION_LABELS.get(action)
    return _(label) if label else action


def target_label(target: str) -> str:
    kind, _sep, ident = target.partition(":")
    label = TARGET_LABELS.get(kind)
    return _(label).format(id=ident) if label and ident else target


class AuditLogModel(QAbstractTableModel):
    """The audit log, newest first, fetched a page at a time as the view scrolls (read-only)."""

    AT, ACTOR, ACTION, TARGET = range(4)
    HEADERS = (N_("When"), N_("Who"), N_("What"), N_("Whom"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[AuditEntry] = []
        self._more = False

    def reload(self) -> None:
        self.beginResetModel()
        self.entries = list_audit(AUDIT_PAGE, 0)
        self._more = len(self.entries) == AUDIT_PAGE
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self.entries = []
        self._more = False
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's default argument
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        page = list_audit(AUDIT_PAGE, len(self.entries))
        self._more = len(page) == AUDIT_PAGE
        if page:
            start = len(self.entries)
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self.entries.extend(page)
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                format_datetime(entry.at),
                entry.actor or _("Owner"),
                action_label(entry.action),
                target_label(entry.target),
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.ACTION:
            return entry.action
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.HEADERS):
            return _(self.HEADERS[section])
        return None


@dataclass(slots=True)
class StaffRow:
    account: AccountView
    role: QComboBox
    pin: QLineEdit
    status: QLabel


def store_accounts(changes: list[tuple[int, Role, str | None]], enabled: bool, idle: int, actor: str) -> None:
    """Roles and PINs first (turning accounts on needs the owner's PIN), then the switch and the lock."""
    for staff_id, role, pin in changes:
        set_account(staff_id, role, pin, actor=actor)
    enable_accounts(enabled, idle_lock_minutes=idle)


class AccountsOptionsPage(OptionsPage):
    """Off by default: a one-person shop needs no login. The owner sees the audit log here."""

    NAME = "accounts"
    TITLE = N_("Accounts and PINs")
    SORT_ORDER = 70
    FIELD_ALIASES = {"pin": "staff"}  # noqa: RUF012 - as in OptionsPage

    def __init__(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        char = char_width(self)
        form = self.form
        self.add_section(
            _("Login"),
            _(
                "With accounts on, everyone logs in with a PIN. Clerks cannot change settings, import or "
                "export, adjust points, delete members or see full phone numbers. A PIN guards the app, "
                "not the shop's data file."
            ),
        )
        self.enabled = QCheckBox(_("Staff log in with a PIN"))
        self.enabled.toggled.connect(self.mark_changed)
        form.add_row("enabled", _("Accounts"), self.enabled)
        self.idle = QSpinBox()
        self.idle.setRange(0, 240)
        self.idle.setSuffix(_(" minutes"))
        self.idle.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.idle.setMinimumWidth(char * 14)
        self.idle.setMaximumWidth(char * 20)
        self.idle.valueChanged.connect(self.mark_changed)
        form.add_row(
            "idle",
            _("Lock after"),
            self.idle,
            hint=_("Without use for this long, ShopDesk hides the shop and asks for a PIN. 0: never."),
        )

        self.add_section(_("Staff"), _("Type a new PIN (4 to 8 digits) only to set or change it."))
        self.staff_box = QWidget()
        self.staff_grid = QGridLayout(self.staff_box)
        self.staff_grid.setContentsMargins(0, 0, 0, 0)
        self.staff_grid.setHorizontalSpacing(char * 2)
        form.add_row("staff", "", self.staff_box)
        add_box = QWidget()
        add_row = QHBoxLayout(add_box)
        add_row.setContentsMargins(0, 0, 0, 0)
        self.new_staff = QLineEdit()
        self.new_staff.setPlaceholderText(_("Name"))
        self.new_staff.setMaxLength(30)
        self.new_staff.setMaximumWidth(char * 24)
        self.add_staff_button = QPushButton(_("Add staff"))
        self.add_staff_button.clicked.connect(self.add_staff)
        self.new_staff.returnPressed.connect(self.add_staff)
        add_row.addWidget(self.new_staff)
        add_row.addWidget(self.add_staff_button)
        add_row.addStretch()
        form.add_row("new_staff", _("New staff member"), add_box)
        self.rows: list[StaffRow] = []

        self.add_section(
            _("Audit log"),
            _(
                "Exports, imports, adjustments, deletions, restores, logins and role changes. Nobody can "
                "edit it."
            ),
        )
        self.audit_model = AuditLogModel(self)
        self.audit = QTableView()
        self.audit.setObjectName("auditTable")
        self.audit.setModel(self.audit_model)
        self.audit.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.audit.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.audit.verticalHeader().hide()
        self.audit.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.audit.verticalHeader().setDefaultSectionSize(row_height(self))
        self.audit.setShowGrid(False)
        self.audit.setAlternatingRowColors(True)
        self.audit.setTabKeyNavigation(False)
        header = self.audit.horizontalHeader()
        header.setHighlightSections(False)
        for column, chars in ((AuditLogModel.AT, 18), (AuditLogModel.ACTOR, 12), (AuditLogModel.ACTION, 26)):
            header.resizeSection(column, char * chars)
        header.setStretchLastSection(True)
        self.audit.setMinimumWidth(char * 80)
        self.audit.setFixedHeight(row_height(self) * 10)
        self.audit_hidden = QLabel(_("Only the owner can read the audit log."))
        self.audit_hidden.setObjectName("fieldHint")
        audit_box = QWidget()
        audit_column = QVBoxLayout(audit_box)
        audit_column.setContentsMargins(0, 0, 0, 0)
        audit_column.addWidget(self.audit)
        audit_column.addWidget(self.audit_hidden)
        form.add_row("audit", "", audit_box)
        self.first_field = self.enabled

    # Loading and saving -----------------------------------------------------------------------------

    def load(self) -> None:
        self.enabled.setChecked(accounts_enabled())
        self.idle.setValue(idle_minutes())
        self._fill_staff(list_accounts())
        owner = session.can(Permission.AUDIT_LOG)
        self.audit.setVisible(owner)
        self.audit_hidden.setVisible(not owner)
        if owner:
            self.audit_model.reload()
        else:
            self.audit_model.clear()

    def _fill_staff(self, accounts: list[AccountView]) -> None:
        while self.staff_grid.count():
            item = self.staff_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows = []
        if not accounts:
            empty = QLabel(_("No staff yet: add the owner first, then each clerk."))
            empty.setObjectName("fieldHint")
            self.staff_grid.addWidget(empty, 0, 0, 1, 4)
            return
        char = char_width(self)
        for column, title in enumerate((_("Name"), _("Role"), _("New PIN"), _("PIN"))):
            caption = QLabel(title)
            caption.setObjectName("fieldHint")
            self.staff_grid.addWidget(caption, 0, column)
        for number, account in enumerate(accounts, start=1):
            name = QLabel(account.name if account.active else _("{name} (left)").format(name=account.name))
            role = QComboBox()
            for choice in (Role.OWNER, Role.CLERK):
                role.addItem(role_label(choice), choice.value)
            role.setCurrentIndex(role.findData(account.role.value))
            role.currentIndexChanged.connect(self.mark_changed)
            pin = QLineEdit()
            pin.setEchoMode(QLineEdit.EchoMode.Password)
            pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), pin))
            pin.setPlaceholderText(_("Keep the PIN") if account.has_pin else _("Set a PIN"))
            pin.setMaximumWidth(char * 18)
            pin.textEdited.connect(self.mark_changed)
            status = QLabel(_("Has a PIN") if account.has_pin else _("No PIN yet"))
            status.setObjectName("fieldHint")
            for column, widget in enumerate((name, role, pin, status)):
                self.staff_grid.addWidget(widget, number, column)
            self.rows.append(StaffRow(account, role, pin, status))
        self.staff_grid.setColumnStretch(4, 1)

    def changes(self) -> list[tuple[int, Role, str | None]]:
        """The rows whose role or PIN was edited, checked (a ``ValidationError`` on ``staff``)."""
        found = []
        for row in self.rows:
            role = Role(row.role.currentData())
            pin = row.pin.text() or None
            if pin is not None and not 4 <= len(pin) <= 8:
                raise ValidationError(
                    "staff", _("{name}: a PIN is 4 to 8 digits.").format(name=row.account.name)
                )
            if pin is not None or role is not row.account.role:
                found.append((row.account.staff_id, role, pin))
        return found

    def save(self) -> None:
        changes = self.changes()
        if self.enabled.isChecked() and not any(
            Role(row.role.currentData()) is Role.OWNER and (row.account.has_pin or row.pin.text())
            for row in self.rows
        ):
            raise ValidationError("enabled", _("Give the owner a PIN before turning accounts on."))
        self.store(
            store_accounts, changes, self.enabled.isChecked(), self.idle.value(), session.current().operator
        )

    def add_staff(self) -> None:
        name = self.new_staff.text().strip()
        if not name:
            self.form.show_error("new_staff", _("Type the staff member's name."))
            return
        self.runner.run(
            create_staff, name, changes={SETTINGS}, initiator=self, on_done=self._staff_added, parent=self
        )

    def _staff_added(self, _staff_id: int) -> None:
        self.new_staff.clear()
        self.form.clear_errors()
        if self.dirty:  # keep the edits in progress: only the staff list is read again
            self._fill_staff(list_accounts())
        else:
            self.reload()


register_options_page(AccountsOptionsPage)
