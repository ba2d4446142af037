"""The Members page: the table of members (searched from the top bar), the selected member's details on
the right, and an empty state that says what to do when the shop has no members yet."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopdesk.i18n import _, ngettext
from shopdesk.services.member_search import SearchKind, classify, search_member_ids
from shopdesk.services.members import MemberId, MemberInput
from shopdesk.services.segments import SegmentFilter
from shopdesk.ui.dialogs.bulk_tag import BulkTagDialog
from shopdesk.ui.dialogs.member_edit import MemberEditDialog
from shopdesk.ui.dialogs.record_purchase import RecordPurchaseDialog
from shopdesk.ui.errors import report_error
from shopdesk.ui.events import DATABASE, MEMBERS, PURCHASES, TAGS, AppEvents
from shopdesk.ui.icons import icon
from shopdesk.ui.models.member_table import CHIPS_ROLE, COLUMN_ORDERS, Column, MemberTableModel
from shopdesk.ui.screens.base import Screen
from shopdesk.ui.screens.member_detail import MemberDetailPanel
from shopdesk.ui.state import restore_header, restore_splitter, save_header, save_splitter
from shopdesk.ui.style import char_width, row_height
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.empty_state import EmptyState
from shopdesk.ui.widgets.filter_panel import FilterPanel
from shopdesk.ui.widgets.tag_chips import TagChipsDelegate

SPLITTER_KEY = "members/splitter"
HEADER_KEY = "members/table_header"
# Column widths in digits: wide enough for "2024-05-01", "¥12,345.00", "138 0013 8000" and the titles.
COLUMN_CHARS = {
    Column.NAME: 12,
    Column.PHONE: 15,
    Column.LAST_PURCHASE: 15,
    Column.PURCHASES: 11,
    Column.TOTAL_SPENT: 13,
    Column.JOINED: 12,
    Column.STAFF: 10,
    Column.TAGS: 24,
}


class MembersScreen(Screen):
    """Members table + detail panel; ``demo_requested`` asks the window to open the demo shop."""

    DETAIL_DELAY_MS = 60  # holding the Down key should not load every member it passes

    demo_requested = Signal()
    clear_search_requested = Signal()

    def __init__(self, runner: BaseTaskRunner, events: AppEvents, parent: QWidget | None = None) -> None:
        super().__init__(runner, events, parent)
        self.setObjectName("membersScreen")
        unit = self.fontMetrics().height()
        layout, header = self.start_page(_("Members"), with_count=True)
        header.addStretch()
        # Tags and segments (issue 6): the filter panel toggle and the bulk actions on a selection.
        self.filter_button = QPushButton(_("Filter"))
        self.filter_button.setCheckable(True)
        self.filter_button.setToolTip(_("Show the filter panel: tags, tier, lifecycle, value, spending…"))
        self.filter_button.toggled.connect(self._toggle_filters)
        header.addWidget(self.filter_button)
        self.bulk_button = QPushButton(_("Bulk actions"))
        self.bulk_button.setToolTip(_("Tag, untag or reassign the selected members or the whole list"))
        self.bulk_button.clicked.connect(self.bulk_actions)
        header.addWidget(self.bulk_button)
        self.new_button = QPushButton(icon("add"), _("New member"))
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip(_("Add a member (Ctrl+N)"))
        self.new_button.clicked.connect(lambda: self.new_member())
        header.addWidget(self.new_button)
        self.filters = FilterPanel(runner)
        self.filters.hide()
        self.filters.filter_changed.connect(self._apply_segment)

        self.model = MemberTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("membersTable")
        self.table.setModel(self.model)
        self._setup_table()

        self.no_results = EmptyState(
            "no-results",
            "",
            _("Search by phone, the last 4 digits of the phone, the name, or pinyin initials such as zs."),
        )
        self.no_results.add_button(_("Add as a new member"), self._new_from_search, primary=True)
        self.results = QStackedWidget()
        self.results.addWidget(self.table)
        self.results.addWidget(self.no_results)

        self.detail = MemberDetailPanel(runner)
        self.detail.edit_requested.connect(self.open_member)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("membersSplitter")
        self.splitter.setChildrenCollapsible(False)
        # The filter panel sits above the list only, so the page needs no more height than the details.
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(round(unit * 0.6))
        left_layout.addWidget(self.filters)
        left_layout.addWidget(self.results, 1)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.empty = EmptyState(
            "empty-members",
            _("No members yet"),
            _(
                "Add your first member with their mobile number, or open the demo shop to look around with "
                "sample members and purchases. Your own data stays separate."
            ),
        )
        self.empty.add_button(_("New member"), lambda: self.new_member(), primary=True)
        self.empty.add_button(_("Import from Excel"), self.import_excel)
        self.empty.add_button(_("Open the demo shop"), self.demo_requested.emit)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)

        self._search_serial = 0  # searches asked for
        self._search_done = 0  # the newest search whose results are shown
        self._waiting: list[Callable[[], None]] = []  # Enter or Down pressed while a search ran
        self._detail_timer = QTimer(self, singleShot=True, interval=self.DETAIL_DELAY_MS)
        self._detail_timer.timeout.connect(self.sync_detail)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._detail_timer.start())
        self.model.modelReset.connect(self._update_indicator)

        if not restore_splitter(SPLITTER_KEY, self.splitter):
            char = char_width(self)
            self.splitter.setSizes([char * 120, char * 66])
        self._reload(None)

    def _setup_table(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setCornerButtonEnabled(False)
        table.setTabKeyNavigation(False)  # Tab leaves the table, as in a form
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)
        table.activated.connect(self._activated)
        table.setItemDelegateForColumn(Column.TAGS, TagChipsDelegate(CHIPS_ROLE, table))
        rows = table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring over 100k rows
        rows.setDefaultSectionSize(row_height(self))
        columns = table.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setSectionsMovable(True)
        columns.setStretchLastSection(True)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        char = char_width(self)
        for column, chars in COLUMN_CHARS.items():
            columns.resizeSection(column, char * chars)
        restored = restore_header(HEADER_KEY, columns)
        section, order = columns.sortIndicatorSection(), columns.sortIndicatorOrder()
        if restored and 0 <= section < len(Column) and Column(section) in COLUMN_ORDERS:
            self.model.apply_sort(section, order)
        self._update_indicator()
        table.setSortingEnabled(True)
        columns.sortIndicatorChanged.connect(lambda *_: self._update_indicator())

    # Loading ----------------------------------------------------------------------------------------

    def _reload(self, keep_id: int | None) -> None:
        """Re-run the query, then select ``keep_id`` (or the first row) so the details show someone."""
        self.model.reload()
        self._after_reload(keep_id)

    def _after_reload(self, keep_id: int | None) -> None:
        count = self.model.rowCount()
        text = self.model.search_text()
        filtered = self.model.segment() is not None
        self.filter_button.setText(
            _("Filter ({n})").format(n=self.model.segment().condition_count()) if filtered else _("Filter")
        )
        if count == 0 and not text and not filtered:
            self.pages.setCurrentWidget(self.empty)
            self.count_label.clear()
            self.new_button.hide()
            self.detail.show_member(None)
            return
        self.pages.setCurrentWidget(self.splitter)
        self.new_button.show()
        if text or filtered:
            self.count_label.setText(ngettext("{n} match", "{n} matches", count).format(n=f"{count:,}"))
        else:
            self.count_label.setText(ngettext("{n} member", "{n} members", count).format(n=f"{count:,}"))
        if count == 0:
            if text:
                self.no_results.title.setText(_("No member matches “{text}”").format(text=text))
            else:
                self.no_results.title.setText(_("No member matches these conditions"))
            self.results.setCurrentWidget(self.no_results)
            self.detail.show_member(None)
            return
        self.results.setCurrentWidget(self.table)
        row = self.model.row_of(keep_id) if keep_id is not None else None
        self.select_row(row if row is not None else 0)
        self.sync_detail()

    def _update_indicator(self) -> None:
        """Show the model's real order on the header (none while sorted by relevance)."""
        header = self.table.horizontalHeader()
        column = self.model.sort_column()
        header.blockSignals(True)
        header.setSortIndicatorShown(column >= 0)
        header.setSortIndicator(column, self.model.sort_order())
        header.blockSignals(False)
        header.viewport().update()

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        self.table.selectRow(row)
        self.table.scrollTo(index)

    def current_member_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.member_id(index.row()) if index.isValid() else None

    def sync_detail(self) -> None:
        """Show the current member's details now (normally a short moment after the selection moves)."""
        self._detail_timer.stop()
        member_id = self.current_member_id()
        if member_id != self.detail.member_id():
            self.detail.show_member(member_id)

    # Screen -----------------------------------------------------------------------------------------

    def set_search(self, text: str) -> bool:
        """Run the search on the DB lane, so typing never waits for a slow query; the newest wins."""
        query = self.model.search_query(text)
        self._search_serial += 1
        serial = self._search_serial

        def found(ids: list[MemberId]) -> None:
            if serial != self._search_serial:
                return  # an older search; a newer one is on its way
            self.model.show_ids(query, ids)
            self._after_reload(None)
            self._search_finished()

        def failed(exc: BaseException) -> None:
            if serial == self._search_serial:
                self._waiting.clear()
                self._search_finished()
            report_error(self, exc)

        self.runner.run(search_member_ids, query, on_done=found, on_error=failed, parent=self)
        return True

    def searching(self) -> bool:
        """True while a search runs on the DB lane."""
        return self._search_serial != self._search_done

    def _search_finished(self) -> None:
        self._search_done = self._search_serial
        waiting, self._waiting = self._waiting, []
        for action in waiting:
            action()

    def refresh(self) -> None:
        keep = self.current_member_id()
        self._reload(keep)
        self.detail.refresh()

    def on_changes(self, changes: set[str], initiator: object) -> None:
        if changes & {TAGS, DATABASE}:
            self.filters.reload_choices()
        if changes & {MEMBERS, TAGS, DATABASE}:
            self.refresh()
        elif PURCHASES in changes:
            self.detail.refresh()

    def open_current(self) -> None:
        if self.searching():
            self._waiting.append(self.open_current)  # Enter right after typing: open the new best match
            return
        if self.model.rowCount() == 0:
            return
        if not self.table.currentIndex().isValid():
            self.select_row(0)
        member_id = self.current_member_id()
        if member_id is not None:
            self.open_member(member_id)

    def focus_results(self) -> None:
        if self.searching():
            self._waiting.append(self.focus_results)
            return
        if self.model.rowCount() == 0:
            return
        if not self.table.currentIndex().isValid():
            self.select_row(0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def new_item(self) -> bool:
        self.new_member()
        return True

    def save_state(self) -> None:
        save_splitter(SPLITTER_KEY, self.splitter)
        save_header(HEADER_KEY, self.table.horizontalHeader())
        self.detail.save_state()

    # Actions ----------------------------------------------------------------------------------------

    def open_member(self, member_id: int) -> None:
        """The member dialog for ``member_id`` (the list refreshes through ``changes_applied``)."""
        MemberEditDialog.ask(self, self.runner, member_id)

    def import_excel(self) -> None:
        """The import wizard, from the empty state (the shop's members arrive from a spreadsheet)."""
        from shopdesk.ui.dialogs.import_wizard import ImportWizard

        ImportWizard.ask(self, self.runner)

    def new_member(self, initial: MemberInput | None = None) -> None:
        """The member dialog for a new member; the new member is then selected."""
        member_id = MemberEditDialog.ask(self, self.runner, None, initial=initial)
        if member_id is None:
            return
        if self.model.row_of(member_id) is None and self.model.search_text():
            self.clear_search_requested.emit()
        row = self.model.row_of(member_id)
        if row is not None:
            self.select_row(row)
            self.sync_detail()

    def record_purchase(self) -> bool:
        """F2: record a purchase for the selected member."""
        member_id = self.current_member_id()
        if member_id is None:
            return False
        RecordPurchaseDialog.ask(self, self.runner, member_id)
        return True

    def _new_from_search(self) -> None:
        kind, term = classify(self.model.search_text())
        if kind is SearchKind.PHONE:
            self.new_member(MemberInput(name="", phone=term))
        elif kind is SearchKind.NAME:
            self.new_member(MemberInput(name=term, phone=""))
        else:
            self.new_member()

    def _activated(self, index: QModelIndex) -> None:
        member_id = self.model.member_id(index.row())
        if member_id is not None:
            self.open_member(member_id)

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        member_id = self.model.member_id(index.row()) if index.isValid() else None
        if member_id is None:
            return
        menu = QMenu(self)
        menu.addAction(icon("edit"), _("Edit member…"), lambda: self.open_member(member_id))
        menu.addAction(_("Record purchase…"), self.record_purchase)
        menu.addSeparator()
        count = len(self.selected_member_ids())
        menu.addAction(
            ngettext("Bulk actions on {n} member…", "Bulk actions on {n} members…", count).format(n=count),
            self.bulk_actions,
        )
        menu.exec(self.table.viewport().mapToGlobal(position))

    # Tags and segments --------------------------------------------------------------------------------

    def selected_member_ids(self) -> list[int]:
        """The members of the selected rows, top to bottom."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [mid for mid in (self.model.member_id(row) for row in rows) if mid is not None]

    def bulk_actions(self) -> None:
        """The bulk dialog for the selection or the whole list (the list refreshes through events)."""
        BulkTagDialog.ask(self, self.runner, self.selected_member_ids(), self.model.member_ids())

    def _toggle_filters(self, shown: bool) -> None:
        self.filters.setVisible(shown)
        if shown:
            self.filters.tags_any.setFocus()

    def show_segment(self, segment: SegmentFilter) -> None:
        """Open the filter panel with ``segment``'s conditions (a saved segment, say) and apply them."""
        self.filter_button.setChecked(True)
        self.filters.set_segment(segment)

    def _apply_segment(self, segment: SegmentFilter) -> None:
        self.model.set_segment(segment)
        self.set_search(self.model.search_text())
