"""A money input: digits with at most two decimals, read back as integer fen."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QWidget

from shopdesk.domain.money import format_money, parse_money


class MoneyEdit(QLineEdit):
    """``128.50`` in, ``12850`` fen out; the ¥ sign is in the label, not in the way of typing."""

    def __init__(self, parent: QWidget | None = None, *, field: str = "amount") -> None:
        super().__init__(parent)
        self.field = field
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("0.00")
        self.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,9}([.][0-9]{0,2})?"), self)
        )
        self.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)

    def fen(self, *, allow_zero: bool = False) -> int:
        """The amount in fen; ``ValidationError`` naming this field when it is empty or wrong."""
        return parse_money(self.text(), self.field, allow_zero=allow_zero)

    def set_fen(self, fen: int | None) -> None:
        self.setText("" if fen is None else format_money(fen, symbol=False).replace(",", ""))
