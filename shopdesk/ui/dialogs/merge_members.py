"""Duplicate members: the suggested pairs, the two records side by side, Merge, and Undo of recent merges.

A merge moves the dropped member's purchases, points, coupons, tags, follow-ups and referrals to the kept
member in one transaction (``services.merge``) and archives the dropped one; it can be undone from the
list at the bottom, so the dialog does not ask "are you sure" before merging, only before undoing.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk.domain.members import GENDER_LABELS, Gender
from shopdesk.domain.phones import format_phone
from shopdesk.errors import NotFoundError
from shopdesk.i18n import N_, _
from shopdesk.services import session
from shopdesk.services.members import MemberDetail, get_member
from shopdesk.services.merge import DuplicatePair, list_merges, merge_members, suggest_duplicates, undo_merge
from shopdesk.services.points import points_summary
from shopdesk.services.tiers import member_tier_progress
from shopdesk.ui import prompts
from shopdesk.ui.dialogs.base import titled_layout
from shopdesk.ui.errors import report_error
from shopdesk.ui.events import COUPONS, FOLLOWUPS, MEMBERS, POINTS, PURCHASES, TAGS
from shopdesk.ui.formatting import format_count, format_date, format_money
from shopdesk.ui.models.duplicates import DuplicatesModel, MergeColumn, MergesModel, PairColumn
from shopdesk.ui.state import restore_geometry, save_geometry
from shopdesk.ui.style import char_width, row_height, scaled_font
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.tables import read_only_table

GEOMETRY_KEY = "dialogs/merge_members"
MERGE_CHANGES = frozenset({MEMBERS, PURCHASES, POINTS, COUPONS, TAGS, FOLLOWUPS})
DIFFERENT = "#d46b08"  # values that differ between the two records
EMPTY = "#bfbfbf"
# Profile fields, where a difference means "check which is right"; figures differ between any two records.
PROFILE_KEYS = frozenset({"phone", "gender", "birthday", "staff", "referrer", "notes"})
COMPARED = (
    ("phone", N_("Phone")),
    ("gender", N_("Gender")),
    ("birthday", N_("Birthday")),
    ("joined", N_("Joined")),
    ("purchases", N_("Purchases")),
    ("spent", N_("Total spent")),
    ("last", N_("Last purchase")),
    ("points", N_("Points")),
    ("tier", N_("Tier")),
    ("staff", N_("Staff")),
    ("referrer", N_("Referred by")),
    ("notes", N_("Notes")),
)


def member_facts(detail: MemberDetail) -> dict[str, str]:
    """What the comparison shows of one member, as text."""
    birthday = detail.birthday.as_text() if detail.birthday is not None else ""
    tier = member_tier_progress(detail.id).current
    return {
        "phone": format_phone(detail.phone),
        "gender": _(GENDER_LABELS[Gender(detail.gender)]) if detail.gender else "",
        "birthday": birthday,
        "joined": format_date(detail.created_at),
        "purchases": format_count(detail.purchase_count),
        "spent": format_money(detail.total_spent_fen),
        "last": format_date(detail.last_purchase_at) if detail.last_purchase_at else "",
        "points": format_count(points_summary(detail.id).balance),
        "tier": tier.name if tier is not None else "",
        "staff": detail.staff_name,
        "referrer": detail.referrer_name,
        "notes": detail.notes,
    }


def default_keep(first: MemberDetail, second: MemberDetail) -> int:
    """The record to keep unless the owner says otherwise: more purchases, then the older one."""
    if first.purchase_count != second.purchase_count:
        return first.id if first.purchase_count > second.purchase_count else second.id
    return min(first.id, second.id)


class Comparison(QFrame):
    """Two members side by side with a "Keep this record" choice on each; differing values stand out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        unit = self.fontMetrics().height()
        grid = QGridLayout(self)
        grid.setContentsMargins(unit, unit, unit, unit)
        grid.setHorizontalSpacing(unit)
        grid.setVerticalSpacing(round(unit * 0.35))
        self.keep_group = QButtonGroup(self)
        self.keep_buttons: list[QRadioButton] = []
        self.titles: list[QLabel] = []
        for side in range(2):
            title = QLabel()
            title.setFont(scaled_font(self, 1.15, bold=True))
            title.setWordWrap(True)
            button = QRadioButton(_("Keep this record"))
            self.keep_group.addButton(button, side)
            grid.addWidget(title, 0, side + 1)
            grid.addWidget(button, 1, side + 1)
            self.titles.append(title)
            self.keep_buttons.append(button)
        self.values: dict[str, tuple[QLabel, QLabel]] = {}
        for row, (key, title) in enumerate(COMPARED, start=2):
            caption = QLabel(_(title))
            caption.setObjectName("factCaption")
            caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(caption, row, 0)
            pair = []
            for side in range(2):
                value = QLabel(wordWrap=True)
                value.setObjectName("factValue")
                value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(value, row, side + 1)
                pair.append(value)
            self.values[key] = (pair[0], pair[1])
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(COMPARED) + 2, 1)
        self.ids: tuple[int, int] | None = None

    def show_pair(self, first: MemberDetail, second: MemberDetail) -> None:
        self.ids = (first.id, second.id)
        facts = (member_facts(first), member_facts(second))
        for side, detail in enumerate((first, second)):
            self.titles[side].setText(_("{name} (no. {id})").format(name=detail.name, id=detail.id))
        for key, (left, right) in self.values.items():
            a, b = facts[0][key], facts[1][key]
            differ = a != b and key in PROFILE_KEYS
            for label, text in ((left, a), (right, b)):
                label.setText(text or "—")
                label.setStyleSheet(
                    f"color: {DIFFERENT};" if differ and text else ("color: #bfbfbf;" if not text else "")
                )
        keep = default_keep(first, second)
        self.keep_buttons[0 if keep == first.id else 1].setChecked(True)

    def keep_and_drop(self) -> tuple[int, int] | None:
        if self.ids is None:
            return None
        side = self.keep_group.checkedId()
        first, second = self.ids
        return (first, second) if side == 0 else (second, first)


class MergeMembersDialog(QDialog):
    """Pairs on the left, the comparison on the right, recent merges below."""

    def __init__(self, parent: QWidget | None, runner: BaseTaskRunner) -> None:
        super().__init__(parent)
        self.runner = runner
        self.merged = 0
        layout, _heading, _intro = titled_layout(
            self,
            _("Merge duplicate members"),
            _(
                "These members are probably the same person. Choose the record to keep: the other one's "
                "purchases, points, coupons, tags, follow-ups and referrals move to it, and the other one is "
                "archived. A merge can be undone from the list at the bottom."
            ),
            spacing=0.7,
        )
        unit = self.fontMetrics().height()
        char = char_width(self)

        self.pairs_model = DuplicatesModel(self)
        self.pairs = read_only_table(self)
        self.pairs.setObjectName("duplicatePairs")
        self.pairs.setModel(self.pairs_model)
        header = self.pairs.horizontalHeader()
        header.resizeSection(PairColumn.NAME, char * 10)
        header.resizeSection(PairColumn.PHONES, char * 30)
        self.pairs.selectionModel().selectionChanged.connect(self._pair_selected)
        self.no_pairs = QLabel(
            _(
                "No likely duplicates. Members with the same name and birthday, or the same name and phones "
                "one digit apart, would be listed here."
            ),
            wordWrap=True,
        )
        self.no_pairs.setObjectName("historyEmpty")
        self.no_pairs.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.pairs_stack = QStackedWidget()
        self.pairs_stack.addWidget(self.pairs)
        self.pairs_stack.addWidget(self.no_pairs)

        self.comparison = Comparison()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.comparison, 1)
        merge_row = QHBoxLayout()
        self.merge_note = QLabel(wordWrap=True)
        self.merge_note.setObjectName("fieldHint")
        merge_row.addWidget(self.merge_note, 1)
        self.merge_button = QPushButton(_("Merge"))
        self.merge_button.setProperty("primary", True)
        self.merge_button.setDefault(True)  # Enter merges the pair shown (and a merge can be undone)
        self.merge_button.setEnabled(False)
        self.merge_button.clicked.connect(self.merge_selected)
        merge_row.addWidget(self.merge_button, 0, Qt.AlignmentFlag.AlignTop)
        right_layout.addLayout(merge_row)
        self.comparison.keep_group.idToggled.connect(self._update_note)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.pairs_stack)
        splitter.addWidget(right)
        splitter.setSizes([char * 72, char * 72])
        layout.addWidget(splitter, 3)

        recent = QHBoxLayout()
        recent_title = QLabel(_("Recent merges"))
        recent_title.setObjectName("sectionTitle")
        recent_title.setFont(scaled_font(self, 1.1, bold=True))
        recent.addWidget(recent_title)
        recent.addStretch()
        self.undo_button = QPushButton(_("Undo merge"))
        self.undo_button.setEnabled(False)
        self.undo_button.setToolTip(_("Give the merged member back their own record, purchases and points"))
        self.undo_button.clicked.connect(self.undo_selected)
        recent.addWidget(self.undo_button)
        layout.addLayout(recent)
        self.merges_model = MergesModel(self)
        self.merges = read_only_table(self)
        self.merges.setObjectName("recentMerges")
        self.merges.setModel(self.merges_model)
        header = self.merges.horizontalHeader()
        header.resizeSection(MergeColumn.WHEN, char * 18)
        header.resizeSection(MergeColumn.KEPT, char * 22)
        header.resizeSection(MergeColumn.DROPPED, char * 22)
        self.merges.selectionModel().selectionChanged.connect(self._merge_selected)
        self.merges.setMinimumHeight(row_height(self) * 4)
        layout.addWidget(self.merges, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.resize(char * 156, unit * 42)
        restore_geometry(GEOMETRY_KEY, self)
        self.reload()

    # Loading ----------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Look for pairs on the DB lane (a self-join over every name), and list recent merges."""
        self.runner.run(suggest_duplicates, on_done=self._show_pairs, parent=self)
        self.merges_model.set_rows(list_merges())
        self._merge_selected()

    def _show_pairs(self, pairs: list[DuplicatePair]) -> None:
        self.pairs_model.set_rows(pairs)
        self.pairs_stack.setCurrentWidget(self.pairs if pairs else self.no_pairs)
        if pairs:
            self.pairs.selectRow(0)
            self.pairs.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._pair_selected()

    def _pair_selected(self, *_args: QItemSelection) -> None:
        rows = self.pairs.selectionModel().selectedRows()
        pair = self.pairs_model.pair(rows[0].row()) if rows else None
        if pair is None:
            self.comparison.setEnabled(False)
            self.merge_button.setEnabled(False)
            self.merge_note.setText(_("Choose a pair on the left."))
            return
        try:
            first, second = get_member(pair.first_id), get_member(pair.second_id)
        except NotFoundError:
            self.reload()
            return
        self.comparison.setEnabled(True)
        self.comparison.show_pair(first, second)
        self.merge_button.setEnabled(True)
        self._update_note()

    def _update_note(self, *_args: object) -> None:
        choice = self.comparison.keep_and_drop()
        if choice is None:
            return
        keep, drop = choice
        side_of = {member_id: side for side, member_id in enumerate(self.comparison.ids or ())}
        self.merge_note.setText(
            _("No. {drop} will be archived and everything it holds moves to no. {keep}.").format(
                drop=drop, keep=keep
            )
        )
        self.merge_button.setToolTip(self.comparison.titles[side_of[keep]].text())

    def _merge_selected(self, *_args: QItemSelection) -> None:
        merge = self._selected_merge()
        self.undo_button.setEnabled(merge is not None and not merge.undone)

    def _selected_merge(self):
        rows = self.merges.selectionModel().selectedRows()
        return self.merges_model.merge(rows[0].row()) if rows else None

    # Actions ----------------------------------------------------------------------------------------

    def merge_selected(self) -> None:
        choice = self.comparison.keep_and_drop()
        if choice is None:
            return
        keep, drop = choice
        self.merge_button.setEnabled(False)
        self.runner.run(
            partial(merge_members, operator=session.current().operator),
            keep,
            drop,
            changes=MERGE_CHANGES,
            initiator=self,
            on_done=self._merged,
            on_error=self._failed,
            parent=self,
        )

    def _merged(self, _merge_id: int) -> None:
        self.merged += 1
        self.reload()
        if self.merges_model.rowCount():
            self.merges.selectRow(0)

    def _failed(self, exc: BaseException) -> None:
        self.merge_button.setEnabled(True)
        report_error(self, exc)

    def undo_selected(self) -> None:
        merge = self._selected_merge()
        if merge is None or merge.undone:
            return
        if not prompts.confirm(
            self,
            _("Undo the merge of {dropped} into {kept}?").format(
                dropped=merge.dropped_name, kept=merge.kept_name
            ),
            _(
                "Both records come back as they were before the merge, each with its own purchases and "
                "points."
            ),
            _("Undo merge"),
        ):
            return
        self.runner.run(
            partial(undo_merge, operator=session.current().operator),
            merge.id,
            changes=MERGE_CHANGES,
            initiator=self,
            on_done=lambda _result: self.reload(),
            parent=self,
        )

    def done(self, result: int) -> None:
        save_geometry(GEOMETRY_KEY, self)
        super().done(result)

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner) -> int:
        """Show the dialog; the number of merges made while it was open."""
        dialog = cls(parent, runner)
        try:
            dialog.exec()
            return dialog.merged
        finally:
            dialog.deleteLater()
