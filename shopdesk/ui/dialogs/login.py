"""The login: pick who you are, type your PIN; after wrong PINs the wait before the next try counts down."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, QTimer
from PySide6.QtGui import QRegularExpressionValidator, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from shopdesk.errors import ShopDeskError, StorageError
from shopdesk.i18n import _, ngettext
from shopdesk.services.accounts import list_accounts, login, wait_seconds
from shopdesk.services.session import Role, Session
from shopdesk.services.settings import shop_name
from shopdesk.ui.errors import report_error
from shopdesk.ui.style import char_width, scaled_font
from shopdesk.ui.tasks import BaseTaskRunner

ERROR_STYLE = "QLabel#loginError { color: #cf1322; }"
WAIT_STYLE = (
    "QLabel#loginWait { background: #fff7e6; border: 1px solid #ffd591; border-radius: 6px;"
    " padding: 6px 10px; color: #ad4e00; }"
)


def role_label(role: Role) -> str:
    return _("Owner") if role is Role.OWNER else _("Clerk")


class LoginDialog(QDialog):
    """Who is using the till: a staff member with a PIN. ``session`` is set once the PIN was right."""

    def __init__(
        self, parent: QWidget | None, runner: BaseTaskRunner, *, locked: bool = False, quit_text: str = ""
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.session: Session | None = None
        self.remaining = 0
        self.setObjectName("loginDialog")
        self.setWindowTitle(_("Log in"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.setStyleSheet(ERROR_STYLE + WAIT_STYLE)
        unit = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.setContentsMargins(round(unit * 1.8), round(unit * 1.4), round(unit * 1.8), unit)
        layout.setSpacing(round(unit * 0.7))

        self.heading = QLabel(shop_name())
        self.heading.setObjectName("dialogTitle")
        self.heading.setFont(scaled_font(self, 1.4, bold=True))
        layout.addWidget(self.heading)
        subtitle = (
            _("ShopDesk locked itself after a while without use. Log in to carry on.")
            if locked
            else _("Choose your name and type your PIN.")
        )
        self.subtitle = QLabel(subtitle, wordWrap=True)
        self.subtitle.setObjectName("dialogSubtitle")
        layout.addWidget(self.subtitle)

        form = QFormLayout()
        form.setHorizontalSpacing(unit)
        form.setVerticalSpacing(round(unit * 0.6))
        self.staff = QComboBox()
        self.staff.setMinimumWidth(char_width(self) * 28)
        for account in list_accounts():
            if account.active and account.has_pin:
                self.staff.addItem(
                    _("{name} ({role})").format(name=account.name, role=role_label(account.role)),
                    account.staff_id,
                )
        form.addRow(_("Staff"), self.staff)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), self.pin))
        self.pin.setPlaceholderText(_("4 to 8 digits"))
        self.pin.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(_("PIN"), self.pin)
        layout.addLayout(form)

        self.error = QLabel(wordWrap=True)
        self.error.setObjectName("loginError")
        self.error.setVisible(False)
        layout.addWidget(self.error)
        self.wait = QLabel(wordWrap=True)
        self.wait.setObjectName("loginWait")
        self.wait.setVisible(False)
        layout.addWidget(self.wait)
        self.note = QLabel(_("The PIN guards the app, not the shop's data file."), wordWrap=True)
        self.note.setObjectName("fieldHint")
        layout.addWidget(self.note)
        self.note.setMinimumWidth(char_width(self) * 50)  # sentences on one or two lines, not four

        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton(_("Log in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.login_button.setProperty("primary", True)
        self.login_button.setDefault(True)
        self.quit_button = self.buttons.addButton(
            quit_text or _("Quit"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.staff.currentIndexChanged.connect(self._staff_changed)
        self.pin.textEdited.connect(lambda _text: self.error.setVisible(False))
        self._staff_changed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    # Logging in -------------------------------------------------------------------------------------

    def staff_id(self) -> int | None:
        return self.staff.currentData()

    def submit(self) -> None:
        staff_id = self.staff_id()
        if staff_id is None or self.remaining > 0 or not self.login_button.isEnabled():
            return
        if len(self.pin.text()) < 4:
            self._show_error(_("A PIN is 4 to 8 digits."))
            return
        self._set_busy(True)
        self.runner.run(login, staff_id, self.pin.text(), on_done=self._logged_in, on_error=self._refused)

    def _logged_in(self, session: Session) -> None:
        self._set_busy(False)
        self.session = session
        self.pin.clear()
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.pin.clear()
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(exc, StorageError) or not isinstance(exc, ShopDeskError):
            report_error(self, exc)
            return
        self._show_error(str(exc))
        self._staff_changed()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    # The wait after wrong PINs ----------------------------------------------------------------------

    def _staff_changed(self, *_args: object) -> None:
        staff_id = self.staff_id()
        self.remaining = wait_seconds(staff_id) if staff_id is not None else 0
        if self.remaining > 0:
            if self.error.text() != _("Wrong PIN."):
                self.error.setVisible(False)  # the countdown below says it
            self.timer.start()
        else:
            self.timer.stop()
        self._show_wait()

    def tick(self) -> None:
        """One second passed (the timer calls this; tests may too)."""
        self.remaining = max(0, self.remaining - 1)
        if self.remaining == 0:
            self.timer.stop()
        self._show_wait()

    def _show_wait(self) -> None:
        waiting = self.remaining > 0
        if waiting:
            self.wait.setText(
                ngettext(
                    "Too many wrong PINs. Try again in {seconds} second.",
                    "Too many wrong PINs. Try again in {seconds} seconds.",
                    self.remaining,
                ).format(seconds=self.remaining)
            )
        self.wait.setVisible(waiting)
        self.login_button.setEnabled(not waiting and self.staff.count() > 0)
        self.pin.setEnabled(not waiting)

    def _set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        self.staff.setEnabled(not busy)

    # ------------------------------------------------------------------------------------------------

    @classmethod
    def ask(
        cls, parent: QWidget | None, runner: BaseTaskRunner, *, locked: bool = False, quit_text: str = ""
    ) -> Session | None:
        """Show the login until the right PIN is typed; None when the person chose to quit."""
        dialog = cls(parent, runner, locked=locked, quit_text=quit_text)
        try:
            dialog.exec()
            return dialog.session
        finally:
            dialog.timer.stop()
            dialog.deleteLater()
