"""标签, a member detail tab: the member's tag chips (automatic first); add and remove manual tags."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from shopdesk.errors import NotFoundError
from shopdesk.i18n import _
from shopdesk.services.members import get_member
from shopdesk.services.tags import list_tags, member_tags, tag_member, untag_member
from shopdesk.ui.events import TAGS
from shopdesk.ui.screens.member_tabs.base import MemberTab
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.tag_chips import FlowChips


class TagsTab(MemberTab):
    """Chips with a × on manual tags, and a drop-down of the manual tags the member does not have yet."""

    watches = frozenset({TAGS})

    def __init__(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        unit = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, round(unit * 0.6), 0, 0)
        layout.setSpacing(round(unit * 0.6))
        self.chips = FlowChips(removable=True)
        self.chips.placeholder = _("No tags yet.")
        self.chips.remove_requested.connect(self.remove_tag)
        layout.addWidget(self.chips)

        row = QHBoxLayout()
        self.choice = QComboBox()
        self.choice.setObjectName("addTagChoice")
        self.choice.setMinimumContentsLength(12)
        row.addWidget(self.choice, 1)
        self.add_button = QPushButton(_("Add tag"))
        self.add_button.clicked.connect(self.add_chosen)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.hint = QLabel(wordWrap=True)
        self.hint.setObjectName("fieldHint")
        layout.addWidget(self.hint)
        layout.addStretch()
        self._member_id: int | None = None

    def show_member(self, member_id: int | None) -> None:
        chips = []
        if member_id is not None:
            try:
                get_member(member_id)
                chips = member_tags(member_id)
            except NotFoundError:
                member_id = None
        self._member_id = member_id
        self.chips.set_chips(chips)
        have = {chip.id for chip in chips}
        available = [tag for tag in list_tags(include_auto=False, with_counts=False) if tag.id not in have]
        self.choice.clear()
        for tag in available:
            self.choice.addItem(f"{tag.group} · {tag.name}" if tag.group else tag.name, tag.id)
        enabled = member_id is not None and bool(available)
        self.choice.setEnabled(enabled)
        self.add_button.setEnabled(enabled)
        if member_id is None:
            self.hint.clear()
        elif not available and not have:
            self.hint.setText(_("The shop has no tags yet: create them on the Tags and segments page."))
        else:
            self.hint.setText(
                _("Grey-edged chips are automatic tags: ShopDesk keeps them up to date after each purchase.")
            )

    def add_chosen(self) -> None:
        tag_id = self.choice.currentData()
        if self._member_id is None or tag_id is None:
            return
        member_id = self._member_id
        self.runner.run(
            tag_member, member_id, tag_id, changes={TAGS}, initiator=self, parent=self,
            on_done=lambda _changed: self.show_member(self._member_id),
        )

    def remove_tag(self, tag_id: int) -> None:
        if self._member_id is None:
            return
        member_id = self._member_id
        self.runner.run(
            untag_member, member_id, tag_id, changes={TAGS}, initiator=self, parent=self,
            on_done=lambda _changed: self.show_member(self._member_id),
        )
