"""A page that says what to do next, with the buttons to do it, instead of a blank table."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from shopdesk.ui.icons import pixmap
from shopdesk.ui.style import char_width, scaled_font


class EmptyState(QWidget):
    """An illustration, a title, one sentence of explanation and a row of buttons, centred."""

    def __init__(self, illustration: str, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self._illustration = illustration
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.picture = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.picture)
        layout.addSpacing(self.fontMetrics().height())
        self.title = QLabel(title, alignment=Qt.AlignmentFlag.AlignCenter)
        self.title.setObjectName("emptyTitle")
        self.title.setFont(scaled_font(self, 1.35, bold=True))
        layout.addWidget(self.title)
        self.text = QLabel(text, alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.text.setObjectName("emptyText")
        self.text.setMaximumWidth(char_width(self) * 90)
        text_row = QHBoxLayout()
        text_row.addStretch()
        text_row.addWidget(self.text)
        text_row.addStretch()
        layout.addLayout(text_row)
        layout.addSpacing(self.fontMetrics().height())
        self.buttons = QHBoxLayout()
        self.buttons.addStretch()
        self.buttons.addStretch()
        layout.addLayout(self.buttons)
        layout.addStretch(3)
        self._render_picture()

    def add_button(self, text: str, slot: Callable[[], object], *, primary: bool = False) -> QPushButton:
        """Add a button (the primary one in the accent colour) before the closing stretch."""
        button = QPushButton(text)
        button.setProperty("primary", primary)
        button.setMinimumWidth(char_width(self) * 20)
        button.clicked.connect(slot)
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        return button

    def set_text(self, text: str) -> None:
        self.text.setText(text)

    def _render_picture(self) -> None:
        height = self.fontMetrics().height() * 6
        size = QSize(round(height * 1.25), height)
        self.picture.setPixmap(pixmap(self._illustration, size, self.devicePixelRatioF()))
