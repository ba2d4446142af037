"""What the short-task dialogs share: a form with inline errors, Save/Cancel, and saving on the DB lane.

Enter saves (Save is the default button), Esc cancels, the first field has the focus. A save runs on the
task runner; while it runs the buttons are disabled, so a double Enter cannot save twice. A
``ValidationError`` lands under its field and the dialog stays open; other errors are reported by kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLayout, QVBoxLayout, QWidget

from shopdesk.errors import ValidationError
from shopdesk.ui.errors import report_error
from shopdesk.ui.style import scaled_font
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.form import Form


def titled_layout(
    dialog: QDialog, title: str, subtitle: str = "", *, spacing: float = 0.8
) -> tuple[QVBoxLayout, QLabel, QLabel]:
    """Start ``dialog`` as every ShopDesk dialog looks (window title, no "?" button, the ``formDialog``
    margins, a large heading and a wrapped subtitle, hidden when empty); ``spacing`` is in lines.
    Returns the layout to add the body to, the heading and the subtitle."""
    dialog.setWindowTitle(title)
    dialog.setObjectName("formDialog")
    dialog.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
    layout = QVBoxLayout(dialog)
    unit = dialog.fontMetrics().height()
    layout.setContentsMargins(round(unit * 1.5), unit, round(unit * 1.5), unit)
    layout.setSpacing(round(unit * spacing))
    heading = QLabel(title)
    heading.setObjectName("dialogTitle")
    heading.setFont(scaled_font(dialog, 1.3, bold=True))
    layout.addWidget(heading)
    subtitle_label = QLabel(subtitle, wordWrap=True)
    subtitle_label.setObjectName("dialogSubtitle")
    layout.addWidget(subtitle_label)
    subtitle_label.setVisible(bool(subtitle))  # once in the layout: shown alone it would be a window
    return layout, heading, subtitle_label


class FormDialog(QDialog):
    """A titled form with Save and Cancel; subclasses fill ``self.form`` and implement ``save``."""

    def __init__(
        self, parent: QWidget | None, runner: BaseTaskRunner, title: str, subtitle: str = ""
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        layout, self.heading, self.subtitle = titled_layout(self, title, subtitle)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grows when error messages appear
        self.form = Form(self)
        layout.addWidget(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.first_field: QWidget | None = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.first_field is not None:
            self.first_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_tab_order(self, widgets: Iterable[QWidget]) -> None:
        """Tab follows reading order: ``widgets`` top to bottom; the button box (created first) follows
        the last of them, as the focus chain is a ring."""
        for first, second in pairwise(widgets):
            QWidget.setTabOrder(first, second)

    def submit(self) -> None:
        """Check the form and save it (the subclass's ``save``); errors stay inline."""
        if not self.save_button.isEnabled():
            return
        self.form.clear_errors()
        try:
            self.save()
        except ValidationError as error:
            self.show_error(error)

    def show_error(self, error: ValidationError) -> None:
        """Put the message under its field (the dialog grows to make room: see ``SetMinimumSize``)."""
        self.form.show_validation_error(error)

    def save(self) -> None:
        raise NotImplementedError

    def run_save(
        self, fn: Callable[..., Any], *args: Any, changes: Iterable[str], on_done: Callable[[Any], None]
    ) -> None:
        """Run ``fn(*args)`` on the DB lane; ``on_done(result)`` once it is saved."""
        self._set_busy(True)

        def done(result: Any) -> None:
            self._set_busy(False)
            on_done(result)

        self.runner.run(
            fn, *args, changes=changes, initiator=self, on_done=done, on_error=self._failed, parent=self
        )

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ValidationError):
            self.show_error(exc)
        else:
            report_error(self, exc)

    def _set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        self.form.setEnabled(not busy)
