"""标签与分群, the sidebar page: the tag manager (grouped, with member counts) and the saved segments.

Manual tags are created, renamed, recoloured, moved between groups, merged and deleted here; automatic
tags (lifecycle, customer value, birthdays, high value) are listed under their own heading, read-only.
Both lists are read on the DB lane when the page is first shown and after a change, because counting
tags and segments over a large shop can take longer than a frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shopdesk.errors import ValidationError
from shopdesk.i18n import _, ngettext, pgettext
from shopdesk.services import session
from shopdesk.services.segments import (
    SavedSegment,
    count_segment,
    delete_segment,
    list_segments,
    rename_segment,
)
from shopdesk.services.tags import (
    PALETTE,
    TagView,
    create_tag,
    delete_tag,
    list_tag_groups,
    list_tags,
    merge_tags,
    recolor_tag,
    rename_tag,
    set_tag_group,
)
from shopdesk.services.transactions import atomic
from shopdesk.ui import prompts
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import DATABASE, MEMBERS, PURCHASES, TAGS, AppEvents
from shopdesk.ui.formatting import format_count, format_date
from shopdesk.ui.icons import icon
from shopdesk.ui.screens.base import LazyScreen
from shopdesk.ui.state import restore_splitter, save_splitter
from shopdesk.ui.style import char_width, row_height, scaled_font
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.tag_chips import border_for

WATCHED = frozenset({TAGS, MEMBERS, PURCHASES, DATABASE})
SPLITTER_KEY = "tags/splitter"
TAG_ROLE = Qt.ItemDataRole.UserRole + 1
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def swatch(color: str, size: int) -> QIcon:
    """A small rounded square of ``color`` for menus and lists."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(border_for(color))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, size / 4, size / 4)
    painter.end()
    return QIcon(pixmap)


def load_page() -> tuple[list[TagView], list[tuple[SavedSegment, int]]]:
    """Everything the page shows (on the DB lane): tags with counts, segments with counts."""
    segments = [(segment, count_segment(segment.filter)) for segment in list_segments()]
    return list_tags(), segments


def save_tag(tag_id: int | None, name: str, group: str, color: str, *, actor: str = "") -> int:
    """Create a tag, or change a manual tag's name, group and colour in one transaction."""
    if tag_id is None:
        return create_tag(name, group, color, actor=actor)
    with atomic():
        rename_tag(tag_id, name, actor=actor)
        set_tag_group(tag_id, group)
        recolor_tag(tag_id, color)
    return tag_id


class TagEditDialog(FormDialog):
    """Name, group and colour of a manual tag (new or existing)."""

    def __init__(self, parent: QWidget | None, runner: BaseTaskRunner, tag: TagView | None) -> None:
        super().__init__(parent, runner, _("New tag") if tag is None else _("Edit tag"))
        self.tag = tag
        self.saved_id: int | None = None
        self.form.setMinimumWidth(char_width(self) * 44)
        self.name = QLineEdit(tag.name if tag else "")
        self.name.setPlaceholderText(_("For example 敏感肌 or 爱喝乌龙"))
        self.form.add_row("name", pgettext("the name of a thing", "Name"), self.name, required=True)
        self.group = QComboBox()
        self.group.setEditable(True)
        self.group.addItem("")
        self.group.addItems(list_tag_groups())
        self.group.setCurrentText(tag.group if tag else "")
        self.group.lineEdit().setPlaceholderText(_("No group"))
        self.form.add_row("group", _("Group"), self.group, hint=_("Pick one or type a new group."))
        self.color = QComboBox()
        size = self.fontMetrics().height()
        for color in PALETTE:
            self.color.addItem(swatch(color, size), color, color)
        if tag is not None:
            index = self.color.findData(tag.color)
            if index < 0:
                self.color.addItem(swatch(tag.color, size), tag.color, tag.color)
                index = self.color.count() - 1
            self.color.setCurrentIndex(index)
        self.form.add_row("color", _("Colour"), self.color)
        self.first_field = self.name
        self.set_tab_order([self.name, self.group, self.color])

    def save(self) -> None:
        if not self.name.text().strip():
            raise ValidationError("name", _("Tag name is required."))
        self.run_save(
            save_tag,
            None if self.tag is None else self.tag.id,
            self.name.text(),
            self.group.currentText(),
            self.color.currentData(),
            changes={TAGS},
            on_done=self._done,
        )

    def _done(self, tag_id: int) -> None:
        self.saved_id = tag_id
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner, tag: TagView | None = None) -> int | None:
        """Show the dialog; the tag's id once saved, None when cancelled."""
        dialog = cls(parent, runner, tag)
        try:
            return dialog.saved_id if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


def _tree(columns: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setColumnCount(len(columns))
    tree.setHeaderLabels(columns)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tree.header().setStretchLastSection(False)
    tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    tree.headerItem().setTextAlignment(1, _RIGHT)
    return tree


class Section(QFrame):
    """A white card: a title, a hint, buttons on the right, and a list."""

    def __init__(self, title: str, hint: str, tree: QTreeWidget) -> None:
        super().__init__()
        self.setObjectName("detailPanel")
        unit = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit, round(unit * 0.8), unit, unit)
        layout.setSpacing(round(unit * 0.5))
        self.buttons = QHBoxLayout()
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        heading.setFont(scaled_font(self, 1.1, bold=True))
        # A long title may be cut when the window is narrow; it must not widen the window's minimum.
        heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.buttons.addWidget(heading, 1)
        layout.addLayout(self.buttons)
        self.hint = QLabel(hint, wordWrap=True)
        self.hint.setObjectName("fieldHint")
        layout.addWidget(self.hint)
        self.tree = tree
        layout.addWidget(tree, 1)
        self.empty = QLabel(wordWrap=True)
        self.empty.setObjectName("historyEmpty")
        self.empty.hide()
        layout.addWidget(self.empty)

    def add_button(self, text: str, slot: Callable[[], Any], *, primary: bool = False) -> QPushButton:
        button = QPushButton(text)
        if primary:
            button.setProperty("primary", True)
        button.clicked.connect(lambda: slot())
        self.buttons.addWidget(button)
        return button


class TagsScreen(LazyScreen):
    """Tag manager on the left, saved segments on the right."""

    watches = WATCHED

    def __init__(self, runner: BaseTaskRunner, events: AppEvents, parent: QWidget | None = None) -> None:
        super().__init__(runner, events, parent)
        self.setObjectName("tagsScreen")
        layout, header = self.start_page(_("Tags and segments"), with_count=True)
        header.addStretch()
        self.new_button = QPushButton(icon("add"), _("New tag"))
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip(_("Create a tag (Ctrl+N)"))
        self.new_button.clicked.connect(lambda: self.new_tag())
        header.addWidget(self.new_button)

        self.tags = _tree([_("Tag"), _("Members"), _("Kind")])
        self.tags.setObjectName("tagTree")
        self.tags.setRootIsDecorated(True)
        self.tags.itemSelectionChanged.connect(self._update_buttons)
        self.tags.itemActivated.connect(lambda item, _column: self.edit_tag())
        self.tags.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tags.customContextMenuRequested.connect(self._tag_menu)
        self.tag_section = Section(
            _("Tags"),
            _(
                "Tag members one by one in their details, or many at once with Bulk actions on the Members "
                "page. Automatic tags are kept up to date by ShopDesk and cannot be changed by hand."
            ),
            self.tags,
        )
        self.edit_button = self.tag_section.add_button(_("Edit"), self.edit_tag)
        # Recolouring is in the Edit dialog and in the right-click menu, to keep the row of buttons short.
        self.color_menu = QMenu(_("Colour"), self)
        size = self.fontMetrics().height()
        for color in PALETTE:
            self.color_menu.addAction(swatch(color, size), color, lambda c=color: self.recolor(c))
        self.merge_button = self.tag_section.add_button(_("Merge into…"), self.merge_tag)
        self.delete_button = self.tag_section.add_button(_("Delete"), self.delete_tag)

        self.segments = _tree([_("Segment"), _("Members"), _("Conditions"), _("Updated")])
        self.segments.setObjectName("segmentList")
        self.segments.itemSelectionChanged.connect(self._update_buttons)
        self.segment_section = Section(
            _("Saved segments"),
            _(
                "A segment is a saved filter: make one with Filter on the Members page, then use it for "
                "exports, coupons and follow-ups. Counts are for today."
            ),
            self.segments,
        )
        self.rename_segment_button = self.segment_section.add_button(_("Rename"), self.rename_segment)
        self.delete_segment_button = self.segment_section.add_button(_("Delete"), self.delete_segment)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tag_section)
        self.splitter.addWidget(self.segment_section)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        if not restore_splitter(SPLITTER_KEY, self.splitter):
            char = char_width(self)
            self.splitter.setSizes([char * 90, char * 70])
        layout.addWidget(self.splitter, 1)

        char = char_width(self)
        self.tags.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.tags.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.tags.setColumnWidth(1, char * 10)
        self.tags.setColumnWidth(2, char * 10)
        for column, chars in ((1, 10), (2, 10), (3, 12)):
            self.segments.header().setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.segments.setColumnWidth(column, char * chars)
        for tree in (self.tags, self.segments):
            tree.setIconSize(tree.iconSize().expandedTo(self.fontMetrics().boundingRect("M").size()))
            tree.setMinimumHeight(row_height(self) * 4)

        self._tag_views: dict[int, TagView] = {}
        self._segment_views: dict[int, SavedSegment] = {}
        self._serial = 0
        self._update_buttons()

    # Loading ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read tags and segments with their counts on the DB lane (the newest request wins)."""
        self._stale = False
        self._serial += 1
        serial = self._serial

        def loaded(result: tuple[list[TagView], list[tuple[SavedSegment, int]]]) -> None:
            if serial == self._serial:
                self.show_data(*result)

        self.runner.run(load_page, on_done=loaded, parent=self)

    def show_data(self, tags: list[TagView], segments: list[tuple[SavedSegment, int]]) -> None:
        keep_tag, keep_segment = self.current_tag_id(), self.current_segment_id()
        self._tag_views = {tag.id: tag for tag in tags}
        self._segment_views = {segment.id: segment for segment, _count in segments}
        manual = [tag for tag in tags if not tag.is_auto]
        self.count_label.setText(
            ngettext("{n} tag", "{n} tags", len(manual)).format(n=format_count(len(manual)))
            + " · "
            + ngettext("{n} segment", "{n} segments", len(segments)).format(n=format_count(len(segments)))
        )
        size = self.fontMetrics().height()
        self.tags.clear()
        groups: dict[str, list[TagView]] = {}
        for tag in manual:
            groups.setdefault(tag.group, []).append(tag)
        ordered = sorted(groups, key=lambda name: (name == "", name))
        sections = [(name or _("No group"), groups[name]) for name in ordered]
        auto = [tag for tag in tags if tag.is_auto]
        if auto:
            sections.append((_("Automatic tags"), auto))
        for title, members in sections:
            parent = QTreeWidgetItem(
                [
                    title,
                    ngettext("{n} tag", "{n} tags", len(members)).format(n=format_count(len(members))),
                    "",
                ]
            )
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            parent.setTextAlignment(1, _RIGHT)
            parent.setForeground(1, QColor("#8c8c8c"))
            self.tags.addTopLevelItem(parent)
            for tag in members:
                item = QTreeWidgetItem(
                    [tag.name, format_count(tag.member_count), _("Automatic") if tag.is_auto else _("Manual")]
                )
                item.setData(0, TAG_ROLE, tag.id)
                item.setIcon(0, swatch(tag.color, size))
                item.setTextAlignment(1, _RIGHT)
                if tag.is_auto:
                    item.setForeground(2, QColor("#8c8c8c"))
                    item.setToolTip(0, _("Kept up to date by ShopDesk; it cannot be changed by hand."))
                parent.addChild(item)
                if tag.id == keep_tag:
                    self.tags.setCurrentItem(item)
        self.tags.expandAll()
        self.tag_section.empty.setText(
            _("No tags of your own yet. Press New tag to make one, for example 敏感肌 in the group 肤质.")
        )
        self.tag_section.empty.setVisible(not manual)

        self.segments.clear()
        for segment, count in segments:
            item = QTreeWidgetItem(
                [
                    segment.name,
                    format_count(count),
                    format_count(segment.filter.condition_count()),
                    format_date(segment.updated_at) if segment.updated_at else "",
                ]
            )
            item.setData(0, TAG_ROLE, segment.id)
            for column in (1, 2):
                item.setTextAlignment(column, _RIGHT)
            self.segments.addTopLevelItem(item)
            if segment.id == keep_segment:
                self.segments.setCurrentItem(item)
        self.segment_section.empty.setText(
            _(
                "No saved segments yet. On the Members page, press Filter, choose conditions, then Save as "
                "segment."
            )
        )
        self.segment_section.empty.setVisible(not segments)
        self._update_buttons()

    def new_item(self) -> bool:
        self.new_tag()
        return True

    def save_state(self) -> None:
        save_splitter(SPLITTER_KEY, self.splitter)

    # Selection --------------------------------------------------------------------------------------

    def current_tag(self) -> TagView | None:
        item = self.tags.currentItem()
        tag_id = item.data(0, TAG_ROLE) if item is not None and item.isSelected() else None
        return self._tag_views.get(tag_id) if tag_id is not None else None

    def current_tag_id(self) -> int | None:
        tag = self.current_tag()
        return tag.id if tag else None

    def select_tag(self, tag_id: int) -> None:
        for index in range(self.tags.topLevelItemCount()):
            parent = self.tags.topLevelItem(index)
            for child in range(parent.childCount()):
                item = parent.child(child)
                if item.data(0, TAG_ROLE) == tag_id:
                    self.tags.setCurrentItem(item)
                    return

    def current_segment_id(self) -> int | None:
        item = self.segments.currentItem()
        return item.data(0, TAG_ROLE) if item is not None and item.isSelected() else None

    def _update_buttons(self) -> None:
        tag = self.current_tag()
        editable = tag is not None and not tag.is_auto
        for button in (self.edit_button, self.merge_button, self.delete_button):
            button.setEnabled(editable)
        why = _("Automatic tags are kept up to date by ShopDesk and cannot be changed by hand.")
        self.edit_button.setToolTip(why if tag is not None and tag.is_auto else "")
        has_segment = self.current_segment_id() is not None
        self.rename_segment_button.setEnabled(has_segment)
        self.delete_segment_button.setEnabled(has_segment)

    # Tag actions ------------------------------------------------------------------------------------

    def new_tag(self) -> None:
        tag_id = TagEditDialog.ask(self, self.runner, None)
        if tag_id is not None:
            self.select_tag(tag_id)

    def edit_tag(self) -> None:
        tag = self.current_tag()
        if tag is not None and not tag.is_auto:
            TagEditDialog.ask(self, self.runner, tag)

    def recolor(self, color: str) -> None:
        tag = self.current_tag()
        if tag is not None and not tag.is_auto:
            self.runner.run(recolor_tag, tag.id, color, changes={TAGS, MEMBERS}, initiator=self, parent=self)

    def ask_merge_target(self, tag: TagView) -> int | None:
        """Which tag ``tag`` goes into (tests replace this instead of showing the list)."""
        others = [t for t in self._tag_views.values() if not t.is_auto and t.id != tag.id]
        if not others:
            return None
        names = [t.name for t in others]
        name, ok = QInputDialog.getItem(
            self,
            _("Merge tags"),
            _("Give every member tagged “{name}” this tag instead, then delete “{name}”:").format(
                name=tag.name
            ),
            names,
            0,
            False,
        )
        return others[names.index(name)].id if ok and name in names else None

    def merge_tag(self) -> None:
        tag = self.current_tag()
        if tag is None or tag.is_auto:
            return
        target = self.ask_merge_target(tag)
        if target is None:
            return
        self.runner.run(
            merge_tags,
            tag.id,
            target,
            actor=session.current().operator,
            changes={TAGS, MEMBERS},
            initiator=self,
            parent=self,
        )

    def delete_tag(self) -> None:
        tag = self.current_tag()
        if tag is None or tag.is_auto:
            return
        if not prompts.confirm(
            self,
            _("Delete the tag “{name}”?").format(name=tag.name),
            ngettext(
                "It is taken off {n} member. Saved segments that name it keep working without it.",
                "It is taken off {n} members. Saved segments that name it keep working without it.",
                tag.member_count,
            ).format(n=format_count(tag.member_count)),
            _("Delete"),
        ):
            return
        self.runner.run(
            delete_tag,
            tag.id,
            actor=session.current().operator,
            changes={TAGS, MEMBERS},
            initiator=self,
            parent=self,
        )

    def _tag_menu(self, position: Any) -> None:
        tag = self.current_tag()
        if tag is None or tag.is_auto:
            return
        menu = QMenu(self)
        menu.addAction(_("Edit…"), self.edit_tag)
        menu.addMenu(self.color_menu)
        menu.addAction(_("Merge into…"), self.merge_tag)
        menu.addAction(_("Delete…"), self.delete_tag)
        menu.exec(self.tags.viewport().mapToGlobal(position))

    # Segment actions --------------------------------------------------------------------------------

    def ask_segment_name(self, current: str) -> str | None:
        """The new name of a segment (tests replace this)."""
        name, ok = QInputDialog.getText(self, _("Rename segment"), _("New name:"), text=current)
        return name if ok else None

    def rename_segment(self) -> None:
        segment = self._segment_views.get(self.current_segment_id() or -1)
        if segment is None:
            return
        name = self.ask_segment_name(segment.name)
        if name:
            self.runner.run(rename_segment, segment.id, name, changes={TAGS}, initiator=self, parent=self)

    def delete_segment(self) -> None:
        segment = self._segment_views.get(self.current_segment_id() or -1)
        if segment is None:
            return
        if prompts.confirm(
            self,
            _("Delete the segment “{name}”?").format(name=segment.name),
            _("Only the saved conditions are deleted; the members are not touched."),
            _("Delete"),
        ):
            self.runner.run(delete_segment, segment.id, changes={TAGS}, initiator=self, parent=self)
