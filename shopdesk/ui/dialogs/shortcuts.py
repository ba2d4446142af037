"""Help → Keyboard shortcuts: the keys that work today, so the counter can be run without a mouse."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from shopdesk.i18n import N_, _
from shopdesk.ui.style import char_width

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+F", N_("Search members")),
    ("Ctrl+N", N_("New member")),
    ("F2", N_("Checkout: record a sale at the counter")),
    ("Enter", N_("Open the selected member")),
    ("↓", N_("From the search box to the list")),
    ("F5", N_("Refresh")),
    ("Alt+1", N_("Members")),
    ("Esc", N_("Close a dialog without saving")),
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(char_width(self) * 4)
        for row, (keys, action) in enumerate(SHORTCUTS):
            key_label = QLabel(keys)
            key_label.setObjectName("shortcutKey")
            grid.addWidget(key_label, row, 0, Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(QLabel(_(action)), row, 1)
        layout.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> None:
        dialog = cls(parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
