"""What a settings page is: a form that loads from the services and saves through the DB lane."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from shopdesk.errors import ValidationError
from shopdesk.services.session import Permission
from shopdesk.ui.errors import report_error
from shopdesk.ui.events import SETTINGS
from shopdesk.ui.style import scaled_font
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.form import Form


class OptionsPage(QWidget):
    """One section of Settings (as Picard's ``OptionsPage``): ``load`` fills the fields from the services,
    ``save`` checks them and stores them on the DB lane, then emits ``saved``.

    Subclasses set ``NAME`` (a stable key), ``TITLE`` (marked with ``N_``), ``SORT_ORDER`` and, when the page
    is not the owner's alone, ``PERMISSION = None``; they call ``mark_changed`` whenever the user edits a
    field, so the Settings page can offer Save and Revert.
    """

    NAME: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    SORT_ORDER: ClassVar[int] = 100
    PERMISSION: ClassVar[Permission | None] = Permission.SETTINGS
    CHANGES: ClassVar[frozenset[str]] = frozenset({SETTINGS})
    # ValidationError fields the services use that this page shows under another field.
    FIELD_ALIASES: ClassVar[dict[str, str]] = {}

    changed = Signal()  # the user edited a field
    saved = Signal()  # the values are stored
    failed = Signal()  # storing failed (the message is shown already)

    def __init__(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.dirty = False
        self._loading = False
        unit = self.fontMetrics().height()
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(unit, unit, unit, unit)
        self.layout_.setSpacing(round(unit * 0.6))
        self.form = Form(self)
        self.form.layout_.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.layout_.addWidget(self.form)
        self.layout_.addStretch()

    # For subclasses ---------------------------------------------------------------------------------

    def add_section(self, title: str, text: str = "") -> None:
        """A bold heading (and a sentence) between groups of fields."""
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        heading.setFont(scaled_font(self, 1.1, bold=True))
        rows = self.form.layout_
        if rows.rowCount() > 1:
            spacer = QLabel()
            spacer.setFixedHeight(self.fontMetrics().height() // 2)
            rows.insertRow(rows.rowCount() - 1, spacer)
        rows.insertRow(rows.rowCount() - 1, heading)
        if text:
            note = QLabel(text, wordWrap=True)
            note.setObjectName("fieldHint")
            rows.insertRow(rows.rowCount() - 1, note)

    def mark_changed(self, *_args: object) -> None:
        """Connect every field's edit signal here."""
        if self._loading or self.dirty:
            return
        self.dirty = True
        self.changed.emit()

    def store(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn(*args)`` on the DB lane; ``saved`` once stored, inline errors otherwise."""
        self.runner.run(
            fn, *args, changes=self.CHANGES, initiator=self, on_done=self._stored, on_error=self._failed
        )

    # The Settings page calls these ------------------------------------------------------------------

    def reload(self) -> None:
        """``load`` without marking the page changed."""
        self._loading = True
        try:
            self.form.clear_errors()
            self.load()
        finally:
            self._loading = False
        self.dirty = False

    def load(self) -> None:
        raise NotImplementedError

    def save(self) -> None:
        """Check the fields (a ``ValidationError`` is shown under its field) and ``store`` them."""
        raise NotImplementedError

    def submit(self) -> None:
        self.form.clear_errors()
        try:
            self.save()
        except ValidationError as error:
            self._show(error)
            self.failed.emit()

    # ------------------------------------------------------------------------------------------------

    def _show(self, error: ValidationError) -> None:
        self.form.show_error(self.FIELD_ALIASES.get(error.field, error.field), error.message)

    def _stored(self, _result: object) -> None:
        self.reload()
        self.saved.emit()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self._show(exc)
        else:
            report_error(self, exc)
        self.failed.emit()
