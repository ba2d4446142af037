"""A form whose fields show their own error message underneath, as ``ValidationError.field`` names it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from shopdesk.errors import ValidationError
from shopdesk.ui.style import char_width

REQUIRED_MARK = '<span style="color:#ff4d4f">*</span>&nbsp;'


class Form(QWidget):
    """Rows of label + field; ``show_error(field, message)`` puts the message under that field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.layout_.setVerticalSpacing(round(self.fontMetrics().height() * 0.6))
        self.layout_.setHorizontalSpacing(char_width(self) * 2)
        self._fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self.general_error = _error_label()
        self.layout_.addRow(self.general_error)

    def add_row(
        self, key: str, label: str, field: QWidget, *, required: bool = False, hint: str = ""
    ) -> QWidget:
        """Add ``field`` under ``key`` (the name services use in ``ValidationError.field``)."""
        caption = QLabel((REQUIRED_MARK if required else "") + label.replace("&", "&&"))
        caption.setTextFormat(Qt.TextFormat.RichText if required else Qt.TextFormat.PlainText)
        caption.setBuddy(field)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setObjectName("fieldHint")
            column.addWidget(hint_label)
        error = _error_label()
        column.addWidget(error)
        self.layout_.insertRow(self.layout_.rowCount() - 1, caption, box)
        self._fields[key] = field
        self._errors[key] = error
        return field

    def field(self, key: str) -> QWidget:
        return self._fields[key]

    def show_error(self, key: str, message: str) -> None:
        """Show ``message`` under ``key``'s field and focus it; unknown keys show below the form."""
        label = self._errors.get(key)
        if label is None:
            self.general_error.setText(message)
            self.general_error.show()
            return
        label.setText(message)
        label.show()
        field = self._fields[key]
        _set_invalid(field, True)
        field.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_validation_error(self, error: ValidationError) -> None:
        self.show_error(error.field, error.message)

    def error_text(self, key: str) -> str:
        """The message shown under ``key`` ('' when none): what a test or a screen reader reads."""
        label = self._errors.get(key, self.general_error)
        return label.text() if not label.isHidden() else ""

    def clear_errors(self) -> None:
        for key, label in self._errors.items():
            label.hide()
            label.clear()
            _set_invalid(self._fields[key], False)
        self.general_error.hide()
        self.general_error.clear()


def _error_label() -> QLabel:
    # One line, no word wrap: a wrapped label inside a form reports the wrong height and gets clipped,
    # and every message is one short sentence that fits the field's width.
    label = QLabel()
    label.setObjectName("fieldError")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def _set_invalid(widget: QWidget, invalid: bool) -> None:
    """Flag the field for the stylesheet's red border (``[invalid="true"]``)."""
    if bool(widget.property("invalid")) == invalid:
        return
    for target in (widget, *widget.findChildren(QWidget)):
        target.setProperty("invalid", invalid)
        target.style().unpolish(target)
        target.style().polish(target)
