"""优惠券, the sidebar page: the shop's coupon templates with their figures, and every coupon issued.

Templates tab: the list on the left (pause or resume, edit, issue to a segment or a tag); on the right the
chosen template's figures (issued, used, expired, redemption rate, sales with the coupons, dormant members
brought back) and the same figures per issuing batch, read on the DB lane. Issued tab: every coupon, newest
first, filtered by status, template, or a code / member name / phone's last digits; an unused coupon can be
voided with a reason, and Export saves the coupons shown as Excel or CSV (the export dialog, with these
filters). A shop without templates sees what to do first instead of empty tables.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk.domain.coupons import CouponKind, CouponStatus
from shopdesk.errors import ShopDeskError
from shopdesk.exchange.coupon_export import CouponFilter
from shopdesk.i18n import _, ngettext
from shopdesk.services import session
from shopdesk.services.coupon_stats import BatchFigures, CouponFigures, batch_figures, template_figures
from shopdesk.services.coupon_templates import TemplateView, list_templates, set_template_paused
from shopdesk.services.coupons import CouponView
from shopdesk.ui.dialogs.coupon_template import CouponTemplateDialog
from shopdesk.ui.dialogs.issue_coupons import IssueCouponsDialog, result_text
from shopdesk.ui.dialogs.void_coupon import VoidCouponDialog
from shopdesk.ui.errors import report_error
from shopdesk.ui.events import COUPONS, DATABASE, MEMBERS, PURCHASES, AppEvents
from shopdesk.ui.formatting import format_count, format_money
from shopdesk.ui.icons import icon
from shopdesk.ui.screens.base import Screen
from shopdesk.ui.screens.member_detail import StatTile
from shopdesk.ui.state import restore_header, restore_splitter, save_header, save_splitter
from shopdesk.ui.style import char_width, scaled_font
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.coupon_list import (
    STATUS_LABELS,
    BatchColumn,
    BatchTableModel,
    CouponColumn,
    IssuedCouponModel,
    TemplateColumn,
    TemplateTableModel,
    kind_label,
    rate_text,
    validity_text,
)
from shopdesk.ui.widgets.empty_state import EmptyState
from shopdesk.ui.widgets.tables import read_only_table

WATCHED = frozenset({COUPONS, PURCHASES, MEMBERS, DATABASE})
SPLITTER_KEY = "coupons/splitter"
TEMPLATES_HEADER_KEY = "coupons/templates_header"
ISSUED_HEADER_KEY = "coupons/issued_header"
SEARCH_DELAY_MS = 250
PAGE_STYLE = """
QTabWidget#couponTabs::pane { border: none; }
QTabWidget#couponTabs > QTabBar::tab {
    background: transparent; color: #595959; border: none; border-bottom: 2px solid transparent;
    padding: 6px 12px; margin-right: 4px;
}
QTabWidget#couponTabs > QTabBar::tab:selected { color: #1677FF; border-bottom: 2px solid #1677FF; }
QTabWidget#couponTabs > QTabBar::tab:hover { color: #4096ff; }
QLabel#statusChip { border-radius: 8px; padding: 0 6px; }
QLabel#statusChip[paused="false"] { background: #f6ffed; color: #389e0d; border: 1px solid #b7eb8f; }
QLabel#statusChip[paused="true"] { background: #fafafa; color: #8c8c8c; border: 1px solid #d9d9d9; }
QLabel#pageNotice { color: #389e0d; }
"""


def _table(parent: QWidget, model: QAbstractItemModel) -> QTableView:
    """The app's read-only list; the coupon lists also scroll by the pixel and put a column title at the
    left unless the model aligns it."""
    table = read_only_table(parent, model)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


def _panel() -> tuple[QFrame, QVBoxLayout]:
    panel = QFrame()
    panel.setObjectName("detailPanel")
    layout = QVBoxLayout(panel)
    unit = panel.fontMetrics().height()
    layout.setContentsMargins(unit, round(unit * 0.8), unit, unit)
    layout.setSpacing(round(unit * 0.5))
    return panel, layout


def _load_figures(template_id: int) -> tuple[int, CouponFigures, list[BatchFigures]]:
    """A template's figures and its batches' (on the DB lane: the dormant check reads each use)."""
    return template_id, template_figures(template_id), batch_figures(template_id)


class CouponsScreen(Screen):
    """Templates with their figures, and the coupons issued; ``tabs`` switches between them."""

    def __init__(self, runner: BaseTaskRunner, events: AppEvents, parent: QWidget | None = None) -> None:
        super().__init__(runner, events, parent)
        self.setObjectName("couponsScreen")
        self.setStyleSheet(PAGE_STYLE)
        unit = self.fontMetrics().height()
        self._stale = False
        self._figures_serial = 0

        layout, header = self.start_page(_("Coupons"), with_count=True)
        header.addSpacing(unit)
        self.notice = QLabel()
        self.notice.setObjectName("pageNotice")
        self.notice.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens
        header.addWidget(self.notice, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch()
        self.issue_button = QPushButton(_("Issue to a group…"))
        self.issue_button.setToolTip(_("Give a coupon to every member of a saved segment or a tag"))
        self.issue_button.clicked.connect(lambda: self.issue())
        header.addWidget(self.issue_button)
        self.new_button = QPushButton(icon("add"), _("New template"))
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip(_("Make a new kind of coupon (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_template)
        header.addWidget(self.new_button)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("couponTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setDrawBase(False)
        self.templates_page = self._build_templates_page(unit)
        self.issued_page = self._build_issued_page(unit)
        self.tabs.addTab(self.templates_page, _("Templates"))
        self.tabs.addTab(self.issued_page, _("Issued coupons"))
        self.tabs.currentChanged.connect(lambda _index: self._load_issued_if_needed())

        self.empty = EmptyState(
            "empty-coupons",
            _("No coupons yet"),
            _(
                "Make a coupon template first: money off from an amount, money off with no minimum, a "
                "discount, or a gift. Then give it to members at the checkout, or to a tag or a segment."
            ),
        )
        self.empty.add_button(_("New template"), self.new_template, primary=True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.tabs)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)
        self._issued_loaded = False
        self.refresh()

    # Building ---------------------------------------------------------------------------------------

    def _build_templates_page(self, unit: int) -> QWidget:
        char = char_width(self)
        self.templates_model = TemplateTableModel(self)
        list_panel, list_layout = _panel()
        self.templates = _table(self, self.templates_model)
        self.templates.setObjectName("templatesTable")
        columns = self.templates.horizontalHeader()
        for column, chars in {
            TemplateColumn.NAME: 14,
            TemplateColumn.TERMS: 26,
        }.items():
            columns.resizeSection(column, char * chars)
        restore_header(TEMPLATES_HEADER_KEY, columns)
        self.templates.selectionModel().currentRowChanged.connect(lambda *_: self._show_current_template())
        self.templates.activated.connect(
            lambda index: self.edit_template(self.templates_model.template(index.row()))
        )
        list_layout.addWidget(self.templates)

        detail, column = _panel()
        self.detail = detail
        title_row = QHBoxLayout()
        self.detail_name = QLabel()
        self.detail_name.setObjectName("detailName")
        self.detail_name.setFont(scaled_font(self, 1.3, bold=True))
        self.detail_name.setMinimumWidth(char * 6)  # a long name may be cut when narrow, never widen the page
        self.detail_status = QLabel()
        self.detail_status.setObjectName("statusChip")
        title_row.addWidget(self.detail_name)
        title_row.addWidget(self.detail_status, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addStretch()
        self.edit_button = QPushButton(icon("edit"), _("Edit"))
        self.edit_button.clicked.connect(lambda: self.edit_template(self.current_template()))
        self.pause_button = QPushButton(_("Pause"))
        self.pause_button.clicked.connect(self.toggle_paused)
        self.issue_this_button = QPushButton(_("Issue…"))
        self.issue_this_button.setToolTip(_("Give this coupon to every member of a saved segment or a tag"))
        self.issue_this_button.clicked.connect(lambda: self.issue(self.current_template()))
        for button in (self.edit_button, self.pause_button, self.issue_this_button):
            title_row.addWidget(button)
        column.addLayout(title_row)
        self.detail_terms = QLabel(wordWrap=True)
        self.detail_terms.setObjectName("factCaption")
        column.addWidget(self.detail_terms)

        tiles = QGridLayout()
        tiles.setSpacing(round(unit * 0.5))
        self.tile_issued = StatTile(_("Issued"))
        self.tile_used = StatTile(_("Used"))
        self.tile_expired = StatTile(_("Expired unused"))
        self.tile_rate = StatTile(_("Redemption rate"))
        self.tile_sales = StatTile(_("Sales with coupons"))
        self.tile_back = StatTile(_("Dormant members back"))
        for position, tile in enumerate(
            (
                self.tile_issued,
                self.tile_used,
                self.tile_expired,
                self.tile_rate,
                self.tile_sales,
                self.tile_back,
            )
        ):
            tiles.addWidget(tile, position // 3, position % 3)
        for index in range(3):
            tiles.setColumnStretch(index, 1)
        for tile in self._tiles():  # long captions may be cut in a narrow window, never widen it
            tile.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            tile.caption.setMinimumWidth(char * 8)
        column.addLayout(tiles)
        batches_title = QLabel(_("By issuing batch"))
        batches_title.setObjectName("sectionTitle")
        batches_title.setFont(scaled_font(self, 1.05, bold=True))
        column.addSpacing(unit // 3)
        column.addWidget(batches_title)
        self.batches_model = BatchTableModel(self)
        self.batches = _table(self, self.batches_model)
        self.batches.setObjectName("batchesTable")
        widths = {BatchColumn.DATE: 13, BatchColumn.BATCH: 14, BatchColumn.ISSUED: 8, BatchColumn.USED: 8}
        widths.update({BatchColumn.RATE: 10, BatchColumn.SALES: 13})
        for batch_column, chars in widths.items():
            self.batches.horizontalHeader().resizeSection(batch_column, char * chars)
        self.batches_empty = QLabel(_("No coupons issued from this template yet."))
        self.batches_empty.setObjectName("historyEmpty")
        self.batches_empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.batches_stack = QStackedWidget()
        self.batches_stack.addWidget(self.batches)
        self.batches_stack.addWidget(self.batches_empty)
        column.addWidget(self.batches_stack, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(list_panel)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        if not restore_splitter(SPLITTER_KEY, self.splitter):
            self.splitter.setSizes([char * 70, char * 100])
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, round(unit * 0.5), 0, 0)
        page_layout.addWidget(self.splitter)
        return page

    def _build_issued_page(self, unit: int) -> QWidget:
        char = char_width(self)
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, round(unit * 0.5), 0, 0)
        column.setSpacing(round(unit * 0.5))
        filters = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.addItem(_("All statuses"), None)
        for status, label in STATUS_LABELS.items():
            self.status_filter.addItem(_(label), status.value)
        self.template_filter = QComboBox()
        self.template_filter.setMinimumWidth(char * 16)
        self.search = QLineEdit()
        self.search.setObjectName("couponSearch")
        self.search.setPlaceholderText(_("Code, member name or the phone's last digits"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setMinimumWidth(char * 14)  # room for Export and Void in an 800-pixel window
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.filter_issued)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.filter_issued)
        self.status_filter.currentIndexChanged.connect(self.filter_issued)
        self.template_filter.currentIndexChanged.connect(self.filter_issued)
        self.void_button = QPushButton(_("Void…"))
        self.void_button.setProperty("danger", True)
        self.void_button.setToolTip(_("Cancel the selected unused coupon, with a reason"))
        self.void_button.setEnabled(False)
        self.void_button.clicked.connect(self.void_selected)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.template_filter)
        self.export_button = QPushButton(_("Export…"))
        self.export_button.setToolTip(_("Save the coupons shown as an Excel or CSV file"))
        self.export_button.setEnabled(session.can(session.Permission.EXPORT))
        self.export_button.clicked.connect(self.export_issued)
        filters.addWidget(self.search, 1)
        filters.addStretch()
        filters.addWidget(self.export_button)
        filters.addWidget(self.void_button)
        column.addLayout(filters)

        self.issued_model = IssuedCouponModel(self)
        self.issued = _table(self, self.issued_model)
        self.issued.setObjectName("issuedTable")
        widths = {
            CouponColumn.CODE: 15,
            CouponColumn.MEMBER: 13,
            CouponColumn.COUPON: 18,
            CouponColumn.VALID_UNTIL: 13,
            CouponColumn.STATUS: 11,
            CouponColumn.USED_AT: 18,
        }
        for issued_column, chars in widths.items():
            self.issued.horizontalHeader().resizeSection(issued_column, char * chars)
        restore_header(ISSUED_HEADER_KEY, self.issued.horizontalHeader())
        self.issued.selectionModel().currentRowChanged.connect(lambda *_: self._update_void_button())
        self.issued_empty = QLabel()
        self.issued_empty.setObjectName("historyEmpty")
        self.issued_empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.issued_stack = QStackedWidget()
        self.issued_stack.addWidget(self.issued)
        self.issued_stack.addWidget(self.issued_empty)
        column.addWidget(self.issued_stack, 1)
        return page

    # Loading ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the templates again (keeping the one chosen) and, once shown, the issued coupons."""
        self._stale = False
        keep = self.current_template()
        templates = list_templates()
        self.templates_model.set_templates(templates)
        self._fill_template_filter(templates)
        if not templates:
            self.pages.setCurrentWidget(self.empty)
            self.count_label.clear()
            self.issue_button.hide()
            self.new_button.hide()
            self._show_template(None)
            return
        self.pages.setCurrentWidget(self.tabs)
        self.issue_button.show()
        self.new_button.show()
        paused = sum(1 for template in templates if template.paused)
        text = ngettext("{n} template", "{n} templates", len(templates)).format(
            n=format_count(len(templates))
        )
        if paused:
            text = _("{templates}, {paused} paused").format(templates=text, paused=format_count(paused))
        self.count_label.setText(text)
        row = self.templates_model.row_of(keep.id) if keep is not None else None
        self.show_template_row(row if row is not None else 0)
        self._issued_loaded = False
        self._load_issued_if_needed()

    def _fill_template_filter(self, templates: list[TemplateView]) -> None:
        chosen = self.template_filter.currentData()
        self.template_filter.blockSignals(True)
        self.template_filter.clear()
        self.template_filter.addItem(_("All coupons"), None)
        for template in templates:
            self.template_filter.addItem(template.name, template.id)
        self.template_filter.setCurrentIndex(max(0, self.template_filter.findData(chosen)))
        self.template_filter.blockSignals(False)

    def _load_issued_if_needed(self) -> None:
        if not self._issued_loaded and self.tabs.currentWidget() is self.issued_page:
            self.filter_issued()

    def filter_issued(self) -> None:
        """Show the issued coupons the filters ask for (the newest first)."""
        self._search_timer.stop()
        self._issued_loaded = True
        status = self.status_filter.currentData()
        self.issued_model.set_filter(
            status=CouponStatus(status) if status else None,
            template_id=self.template_filter.currentData(),
            text=self.search.text(),
        )
        has_rows = self.issued_model.rowCount() > 0
        filtered = bool(status or self.template_filter.currentData() or self.search.text().strip())
        self.issued_empty.setText(
            _("No coupon matches these filters.")
            if filtered
            else _("No coupons issued yet. Give one at the checkout, or use Issue to a group.")
        )
        self.issued_stack.setCurrentWidget(self.issued if has_rows else self.issued_empty)
        if has_rows:
            self.issued.selectRow(0)
        self._update_void_button()

    def show_template_row(self, row: int) -> None:
        index = self.templates_model.index(row, 0)
        if index.isValid():
            self.templates.setCurrentIndex(index)
            self.templates.selectRow(row)
        self._show_current_template()

    def current_template(self) -> TemplateView | None:
        index = self.templates.currentIndex()
        return self.templates_model.template(index.row()) if index.isValid() else None

    def _show_current_template(self) -> None:
        self._show_template(self.current_template())

    def _show_template(self, template: TemplateView | None) -> None:
        for widget in (self.edit_button, self.pause_button, self.issue_this_button):
            widget.setEnabled(template is not None)
        if template is None:
            self.detail_name.clear()
            self.detail_status.hide()
            self.detail_terms.clear()
            return
        self.detail_name.setText(template.name)
        self.detail_status.setText(_("Paused") if template.paused else _("Active"))
        self.detail_status.setProperty("paused", template.paused)
        self.detail_status.style().unpolish(self.detail_status)
        self.detail_status.style().polish(self.detail_status)
        self.detail_status.show()
        self.pause_button.setText(_("Resume") if template.paused else _("Pause"))
        self.pause_button.setToolTip(
            _("Issue this coupon again, by hand and by rules")
            if template.paused
            else _("Stop issuing this coupon; coupons already issued stay usable")
        )
        self.issue_this_button.setEnabled(not template.paused)
        self.detail_terms.setText(self._terms_text(template))
        for tile in self._tiles():
            tile.set("…")
        self._figures_serial += 1
        serial = self._figures_serial

        def loaded(result: tuple[int, CouponFigures, list[BatchFigures]]) -> None:
            if serial == self._figures_serial:
                self._show_figures(*result)

        self.runner.run(_load_figures, template.id, on_done=loaded, parent=self)

    @staticmethod
    def _terms_text(template: TemplateView) -> str:
        parts = [template.description, validity_text(template)]
        if template.kind is not CouponKind.GIFT:  # a gift's description names its kind already
            parts.insert(0, kind_label(template.kind))
        if template.per_member_limit:
            parts.append(
                ngettext(
                    "at most {n} per member", "at most {n} per member", template.per_member_limit
                ).format(n=template.per_member_limit)
            )
        if template.category_ids:
            parts.append(_("only for some categories"))
        parts.append(_("with points") if template.stacks_with_points else _("not with points"))
        return " · ".join(parts)

    def _tiles(self) -> tuple[StatTile, ...]:
        return (
            self.tile_issued,
            self.tile_used,
            self.tile_expired,
            self.tile_rate,
            self.tile_sales,
            self.tile_back,
        )

    def _show_figures(self, template_id: int, figures: CouponFigures, batches: list[BatchFigures]) -> None:
        current = self.current_template()
        if current is None or current.id != template_id:
            return
        self.tile_issued.set(
            format_count(figures.issued), _("{n} voided").format(n=format_count(figures.void))
        )
        self.tile_used.set(format_count(figures.used))
        self.tile_expired.set(format_count(figures.expired))
        self.tile_rate.set(
            rate_text(figures.redemption_rate), _("Used, of the coupons issued and not voided")
        )
        self.tile_sales.set(
            format_money(figures.sales_fen), _("What customers paid in the sales that used these coupons")
        )
        self.tile_back.set(
            format_count(figures.brought_back),
            _("Members who used one of these coupons after more than 90 days without buying"),
        )
        self.batches_model.set_batches(batches)
        self.batches_stack.setCurrentWidget(self.batches if batches else self.batches_empty)

    def _update_void_button(self) -> None:
        coupon = self.current_coupon()
        self.void_button.setEnabled(coupon is not None and coupon.status is CouponStatus.UNUSED)

    def current_coupon(self) -> CouponView | None:
        index = self.issued.currentIndex()
        return self.issued_model.coupon(index.row()) if index.isValid() else None

    # Screen -----------------------------------------------------------------------------------------

    def on_changes(self, changes: set[str], initiator: object) -> None:
        if not changes & WATCHED:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def activated(self) -> None:
        if self._stale:
            self.refresh()

    def new_item(self) -> bool:
        self.new_template()
        return True

    def save_state(self) -> None:
        save_splitter(SPLITTER_KEY, self.splitter)
        save_header(TEMPLATES_HEADER_KEY, self.templates.horizontalHeader())
        save_header(ISSUED_HEADER_KEY, self.issued.horizontalHeader())

    # Actions ----------------------------------------------------------------------------------------

    def new_template(self) -> None:
        template_id = CouponTemplateDialog.ask(self, self.runner)
        if template_id is not None:
            self._select_template(template_id)

    def edit_template(self, template: TemplateView | None) -> None:
        if template is not None and CouponTemplateDialog.ask(self, self.runner, template.id) is not None:
            self._select_template(template.id)

    def _select_template(self, template_id: int) -> None:
        self.refresh()  # the change was announced already; make sure the list has it before choosing it
        row = self.templates_model.row_of(template_id)
        if row is not None:
            self.tabs.setCurrentWidget(self.templates_page)
            self.show_template_row(row)

    def toggle_paused(self) -> None:
        template = self.current_template()
        if template is None:
            return
        self.runner.run(
            set_template_paused,
            template.id,
            not template.paused,
            actor=session.current().operator,
            changes={COUPONS},
            initiator=self,
            on_error=lambda exc: report_error(self, exc),
            parent=self,
        )

    def issue(self, template: TemplateView | None = None) -> None:
        """Issue a template to a segment or a tag; the result is said at the top of the page."""
        result = IssueCouponsDialog.ask(self, self.runner, template.id if template is not None else None)
        if result is not None:
            self.notice.setText(result_text(result))

    def issued_filter(self) -> CouponFilter:
        """The Issued tab's filters, for an export of what it shows."""
        status = self.status_filter.currentData()
        return CouponFilter(
            status=CouponStatus(status) if status else None,
            template_id=self.template_filter.currentData(),
            text=self.search.text().strip(),
        )

    def export_issued(self) -> None:
        """The export dialog on coupons, with the Issued tab's filters."""
        from shopdesk.ui.dialogs.export_dialog import COUPONS, ExportDialog

        try:
            session.require(session.Permission.EXPORT)
        except ShopDeskError as exc:
            report_error(self, exc)
            return
        ExportDialog.ask(self, self.runner, what=COUPONS, coupons=self.issued_filter())

    def void_selected(self) -> None:
        coupon = self.current_coupon()
        if coupon is not None and coupon.status is CouponStatus.UNUSED:
            VoidCouponDialog.ask(self, self.runner, coupon)
