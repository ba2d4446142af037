"""The member search box: filters as you type, but only once typing pauses (debounced)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from shopdesk.i18n import _
from shopdesk.ui.icons import icon


class SearchBox(QLineEdit):
    """Emits ``search_changed`` ~250 ms after the last keystroke, ``submitted`` on Enter (after a flush)
    and ``move_down`` on the Down key, so the results can take the focus."""

    DEBOUNCE_MS = 250

    search_changed = Signal(str)
    submitted = Signal()
    move_down = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setPlaceholderText(_("Search members by phone, last 4 digits, name or pinyin initials"))
        self.setToolTip(_("Search members (Ctrl+F)"))
        self.setClearButtonEnabled(True)
        self.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self._emitted = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        self.textChanged.connect(self._timer.start)
        self.returnPressed.connect(self._submit)

    def flush(self) -> None:
        """Emit the pending search now (Enter does this, so it never acts on stale results)."""
        self._timer.stop()
        text = self.text()
        if text != self._emitted:
            self._emitted = text
            self.search_changed.emit(text)

    def pending(self) -> bool:
        """True while a search waits for typing to pause."""
        return self._timer.isActive()

    def _submit(self) -> None:
        self.flush()
        self.submitted.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.flush()
            self.move_down.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)
