"""The idle lock: after some minutes without a key or a click the window is covered and the PIN asked again.

An application-wide event filter sees every input event; each one restarts a single-shot timer. When it
fires, a cover hides the window's content (so a customer at the counter sees no phone numbers), shortcuts
are swallowed, and the login is shown. Someone else may log in: the screens are told that settings
changed, so permissions are read again. The filter is installed only while the timer runs or the window is
locked: with accounts off, the app's events do not go through Python for nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from shopdesk.i18n import _
from shopdesk.services.accounts import accounts_enabled, idle_minutes
from shopdesk.ui.events import SETTINGS, AppEvents, app_events
from shopdesk.ui.style import char_width, scaled_font
from shopdesk.ui.tasks import BaseTaskRunner

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.InputMethod,
    }
)
COVER_STYLE = (
    "QWidget#lockCover { background: #f5f5f5; }"
    " QLabel#lockTitle { color: #262626; } QLabel#lockText { color: #595959; }"
)


class LockCover(QWidget):
    """What the window shows while locked: a short sentence and the button to log in again."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(COVER_STYLE)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        title = QLabel(_("ShopDesk is locked"), alignment=Qt.AlignmentFlag.AlignCenter)
        title.setObjectName("lockTitle")
        title.setFont(scaled_font(self, 1.5, bold=True))
        layout.addWidget(title)
        text = QLabel(
            _("It locked itself after a while without use. Log in with your PIN to carry on."),
            alignment=Qt.AlignmentFlag.AlignCenter,
            wordWrap=True,
        )
        text.setObjectName("lockText")
        layout.addWidget(text)
        layout.addSpacing(self.fontMetrics().height())
        self.unlock_button = QPushButton(_("Log in"))
        self.unlock_button.setProperty("primary", True)
        self.unlock_button.setMinimumWidth(char_width(self) * 20)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        window.installEventFilter(self)
        self.setGeometry(window.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QResizeEvent) and watched is self.parent():
            self.setGeometry(self.parentWidget().rect())
        return False


class IdleLock(QObject):
    """Locks ``window`` after ``idle_minutes()`` without input (only while accounts are on)."""

    locked = Signal()
    unlocked = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        window: QWidget,
        runner: BaseTaskRunner,
        events: AppEvents | None = None,
        *,
        interval_ms: int | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.runner = runner
        self.events = events or app_events()
        self._fixed_interval = interval_ms
        self.cover: LockCover | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.events.changes_applied.connect(self._changes_applied)
        self._filtering = False
        self.rearm()

    # The timer --------------------------------------------------------------------------------------

    def rearm(self) -> None:
        """Read the setting again and restart the countdown (or stop it: accounts off, or 0 minutes)."""
        interval = self._fixed_interval
        if interval is None:
            minutes = idle_minutes() if accounts_enabled() else 0
            interval = minutes * 60_000
        if interval > 0 and not self.is_locked():
            self.timer.setInterval(interval)
            self.timer.start()
        else:
            self.timer.stop()
        self._filter_events(self.timer.isActive() or self.is_locked())

    def _filter_events(self, on: bool) -> None:
        """Watch the app's events (restart the timer, swallow shortcuts while locked) only when needed."""
        app = QApplication.instance()
        if app is None or on == self._filtering:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._filtering = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.is_locked():
            # Shortcuts (F2, Ctrl+E …) would reach the hidden window: swallow them until unlocked.
            return kind in (QEvent.Type.Shortcut, QEvent.Type.ShortcutOverride)
        if kind in INPUT_EVENTS and self.timer.isActive():
            self.timer.start()
        return False

    def _changes_applied(self, changes: set[str], _initiator: object) -> None:
        if SETTINGS in changes:
            self.rearm()

    # Locking ----------------------------------------------------------------------------------------

    def is_locked(self) -> bool:
        return self.cover is not None

    def lock(self) -> None:
        """Cover the window and ask for a PIN (queued, so the timer's slot returns first)."""
        if self.is_locked():
            return
        self.timer.stop()
        self.cover = LockCover(self.window)
        self._filter_events(True)
        self.cover.unlock_button.clicked.connect(self.ask_login)
        self.cover.show()
        self.cover.raise_()
        self.cover.unlock_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.locked.emit()
        QTimer.singleShot(0, self.ask_login)

    def ask_login(self) -> None:
        from shopdesk.ui.dialogs.login import LoginDialog

        if not self.is_locked():
            return
        session = LoginDialog.ask(self.window, self.runner, locked=True, quit_text=_("Quit ShopDesk"))
        if session is None:
            self.quit_requested.emit()
            return
        self.unlock()

    def unlock(self) -> None:
        if self.cover is not None:
            self.cover.hide()
            self.cover.deleteLater()
            self.cover = None
        self.unlocked.emit()
        self.events.announce({SETTINGS}, self)  # someone else may have logged in: permissions change
        self.rearm()

    def uninstall(self) -> None:
        self._filter_events(False)
        self.timer.stop()
