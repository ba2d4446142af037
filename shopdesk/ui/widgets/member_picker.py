"""Pick a member (the referrer) by typing part of a phone or name and choosing from a short list."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from shopdesk.domain.phones import format_phone
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.services.member_search import MemberQuery, search_member_ids
from shopdesk.services.members import get_member_rows

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class MemberPicker(QLineEdit):
    """A line edit with a pop-up of matching members; ``member_id()`` is set only by picking one."""

    MAX_SUGGESTIONS = 8
    DEBOUNCE_MS = 200

    member_chosen = Signal(object)  # the member id, or None when the choice was cleared

    def __init__(self, parent: QWidget | None = None, *, field: str = "referrer") -> None:
        super().__init__(parent)
        self.field = field
        self.exclude_id: int | None = None
        self._member_id: int | None = None
        self.setPlaceholderText(_("Type a phone or a name, then pick from the list"))
        self.setClearButtonEnabled(True)
        self._model = QStandardItemModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setWidget(self)
        self._completer.activated[QModelIndex].connect(self._picked)
        self._timer = QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.suggest)
        self.textEdited.connect(self._edited)

    def member_id(self) -> int | None:
        """The member picked; ValidationError when text was typed but nobody was picked."""
        if self._member_id is None and self.text().strip():
            raise ValidationError(self.field, _("Pick the member from the list, or leave the field empty."))
        return self._member_id

    def set_member(self, member_id: int | None, label: str = "") -> None:
        self._member_id = member_id
        self.setText(label if member_id is not None else "")

    def suggestions(self) -> list[tuple[int, str]]:
        """(id, label) of the members offered in the pop-up."""
        return [
            (self._model.item(row).data(ID_ROLE), self._model.item(row).text())
            for row in range(self._model.rowCount())
        ]

    def suggest(self) -> None:
        """Search now and open the pop-up with the best matches."""
        self._timer.stop()
        text = self.text().strip()
        self._model.clear()
        if not text:
            self._completer.popup().hide()
            return
        ids = [mid for mid in search_member_ids(MemberQuery(text=text)) if mid != self.exclude_id]
        for row in get_member_rows(ids[: self.MAX_SUGGESTIONS]):
            item = QStandardItem(f"{row.name}  {format_phone(row.phone)}")
            item.setData(row.id, ID_ROLE)
            item.setEditable(False)
            self._model.appendRow(item)
        if self._model.rowCount():
            self._completer.complete()
        else:
            self._completer.popup().hide()

    def pick(self, row: int) -> None:
        """Choose the ``row``-th suggestion (what clicking it or pressing Enter on it does)."""
        self._picked(self._model.index(row, 0))

    def _picked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self._member_id = index.data(ID_ROLE)
        self.setText(index.data())
        self._completer.popup().hide()
        self.member_chosen.emit(self._member_id)

    def _edited(self, _text: str) -> None:
        if self._member_id is not None:
            self._member_id = None
            self.member_chosen.emit(None)
        self._timer.start()
