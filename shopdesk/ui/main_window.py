"""The main window: sidebar of pages, top bar with the member search, status bar with shop and database.

Pages come from ``screens.registry`` (only those that work are listed). The sidebar lists them all at
once, but a page is built the first time it is needed (shown, or asked for with ``screen_for``): building
all seven and importing their modules cost most of the start-up time, for pages most days never open. Pages
with a sidebar badge are built at once, so the count shows before the first visit. The window routes the
top bar's search to the page that can search (Members), owns the app-wide shortcuts, remembers its
geometry, and can switch to another database (the demo shop) in place.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk.db.database import current_database, demo_database_path, describe_target, open_database
from shopdesk.db.models import database_proxy
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _
from shopdesk.services import session
from shopdesk.services.settings import shop_name
from shopdesk.ui.errors import report_error
from shopdesk.ui.events import EVERYTHING, SETTINGS, AppEvents, app_events
from shopdesk.ui.icons import icon
from shopdesk.ui.screens.base import Screen
from shopdesk.ui.screens.registry import SCREENS, ScreenSpec
from shopdesk.ui.state import restore_geometry, save_geometry
from shopdesk.ui.style import char_width, scaled_font
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.search_box import SearchBox

if TYPE_CHECKING:
    from peewee import Database

GEOMETRY_KEY = "main_window/geometry"
DEMO_MEMBERS = 2_000  # big enough to look real, built in a few seconds


class MainWindow(QMainWindow):
    """The app's one window; ``screen_for(key)`` gives a page (``"members"``) to tests and the benchmark.

    ``screens`` holds the pages built so far; ``screen_for`` and ``switch_to`` build a page on demand.
    """

    def __init__(
        self,
        target: str,
        runner: BaseTaskRunner,
        events: AppEvents | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.target = target
        self.runner = runner
        self.events = events or app_events()
        self.setObjectName("mainWindow")
        self.setWindowIcon(icon("app"))
        self.specs: list[ScreenSpec] = list(SCREENS)
        self.screens: dict[str, Screen] = {}  # the pages built so far, by key
        self._nav_items: dict[str, QListWidgetItem] = {}

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self._build_sidebar())
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._build_top_bar())
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        column.addWidget(self.stack, 1)
        row.addLayout(column, 1)
        self.setCentralWidget(central)

        for position, spec in enumerate(self.specs, start=1):
            self._add_nav_item(spec, position)
        for spec in self.specs:
            if spec.badge:
                self.screen_for(spec.key)
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.setCurrentRow(0)

        self._build_status_bar()
        self._build_menus()
        self._build_shortcuts()
        self.events.changes_applied.connect(self._changes_applied)
        self._update_shop()
        self.apply_permissions()
        if not restore_geometry(GEOMETRY_KEY, self):
            self._default_geometry()

    # Building ---------------------------------------------------------------------------------------

    def _build_sidebar(self) -> QWidget:
        sidebar = QFrame()
        sidebar.setObjectName("sidebar")
        unit = self.fontMetrics().height()
        sidebar.setFixedWidth(char_width(self) * 26)
        layout = QVBoxLayout(sidebar)
        layout.setContentsMargins(round(unit * 0.6), unit, round(unit * 0.6), unit)
        layout.setSpacing(round(unit * 0.3))
        brand = QLabel(_("ShopDesk"))
        brand.setObjectName("brand")
        brand.setFont(scaled_font(self, 1.35, bold=True))
        layout.addWidget(brand)
        self.shop_title = QLabel()
        self.shop_title.setObjectName("shopTitle")
        self.shop_title.setWordWrap(True)
        layout.addWidget(self.shop_title)
        layout.addSpacing(unit)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        self.nav.setIconSize(QSize(round(unit * 1.2), round(unit * 1.2)))
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setUniformItemSizes(True)
        layout.addWidget(self.nav, 1)
        return sidebar

    def _build_top_bar(self) -> QWidget:
        bar = QFrame()
        bar.setObjectName("topBar")
        unit = self.fontMetrics().height()
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(unit, round(unit * 0.5), unit, round(unit * 0.5))
        self.search_box = SearchBox()
        self.search_box.setMinimumWidth(char_width(self) * 56)
        self.search_box.setMaximumWidth(char_width(self) * 90)
        self.search_box.search_changed.connect(self.route_search)
        self.search_box.submitted.connect(self._search_submitted)
        self.search_box.move_down.connect(self._search_move_down)
        layout.addWidget(self.search_box, 1)
        layout.addStretch()
        self.checkout_button = QPushButton(icon("purchase"), _("Checkout"))
        self.checkout_button.setObjectName("checkoutButton")
        self.checkout_button.setProperty("primary", True)
        self.checkout_button.setToolTip(_("Record a sale at the counter (F2)"))
        self.checkout_button.clicked.connect(self.record_purchase)
        layout.addWidget(self.checkout_button)
        return bar

    def _add_nav_item(self, spec: ScreenSpec, position: int) -> None:
        item = QListWidgetItem(icon(spec.icon, f"{spec.icon}-active"), _(spec.title))
        item.setToolTip(_("{page} (Alt+{number})").format(page=_(spec.title), number=position))
        self.nav.addItem(item)
        self._nav_items[spec.key] = item

    def _build_screen(self, spec: ScreenSpec) -> Screen:
        """Build the page of ``spec`` (importing its module) and connect it to the window."""
        screen = spec.create(self.runner, self.events, self)
        self.screens[spec.key] = screen
        self.stack.addWidget(screen)
        item = self._nav_items[spec.key]
        demo_requested = getattr(screen, "demo_requested", None)
        if demo_requested is not None:
            demo_requested.connect(self.open_demo)
        clear_search = getattr(screen, "clear_search_requested", None)
        if clear_search is not None:
            clear_search.connect(self.clear_search)
        badge_changed = getattr(screen, "badge_changed", None)
        if badge_changed is not None:  # a count beside the page's name: 今日跟进 (12)
            badge_changed.connect(lambda count, item=item, title=spec.title: _set_badge(item, title, count))
        return screen

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setSizeGripEnabled(True)
        self.shop_label = QLabel()
        self.shop_label.setObjectName("statusShop")
        self.database_label = QLabel()
        self.database_label.setObjectName("statusDatabase")
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status.addPermanentWidget(self.shop_label)
        status.addPermanentWidget(self.database_label, 1)

    def _build_menus(self) -> None:
        shop_menu = self.menuBar().addMenu(_("&Shop"))
        demo = QAction(icon("demo"), _("Open the demo shop"), self)
        demo.triggered.connect(self.open_demo)
        shop_menu.addAction(demo)
        duplicates = QAction(_("Find duplicate members…"), self)
        duplicates.triggered.connect(self.find_duplicates)
        shop_menu.addAction(duplicates)
        shop_menu.addSeparator()
        import_action = QAction(_("Import…"), self)
        import_action.triggered.connect(self.import_data)
        shop_menu.addAction(import_action)
        export_action = QAction(_("Export…"), self)
        export_action.setShortcut(QKeySequence("Ctrl+E"))
        export_action.triggered.connect(self.export_data)
        shop_menu.addAction(export_action)
        self.import_action, self.export_action = import_action, export_action
        template_action = QAction(_("Save the blank import template…"), self)
        template_action.triggered.connect(self.save_import_template)
        shop_menu.addAction(template_action)
        shop_menu.addSeparator()
        quit_action = QAction(_("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        shop_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(_("&Help"))
        guide = QAction(_("User guide"), self)
        guide.setShortcut(QKeySequence.StandardKey.HelpContents)  # F1
        guide.triggered.connect(self.show_help)
        help_menu.addAction(guide)
        shortcuts = QAction(_("Keyboard shortcuts"), self)
        shortcuts.triggered.connect(self.show_shortcuts)
        help_menu.addAction(shortcuts)
        about = QAction(_("About ShopDesk"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def find_duplicates(self) -> None:
        """The duplicates dialog: merge members entered twice, or undo a recent merge."""
        from shopdesk.ui.dialogs.merge_members import MergeMembersDialog

        MergeMembersDialog.ask(self, self.runner)

    def import_data(self) -> None:
        """The import wizard: members or purchases from Excel or CSV."""
        from shopdesk.ui.dialogs.import_wizard import ImportWizard

        if not self._allowed(session.Permission.IMPORT):
            return
        ImportWizard.ask(self, self.runner)

    def export_data(self) -> None:
        """The export dialog; a filtered Members list is offered as "the members in the list now". From the
        Coupons page it starts on coupons (with the Issued tab's filters), from Follow-ups on follow-ups."""
        from shopdesk.ui.dialogs.export_dialog import COUPONS, FOLLOWUPS, MEMBERS, ExportDialog

        if not self._allowed(session.Permission.EXPORT):
            return
        members = self.screens.get("members")  # a page never built has no search or filter to offer
        model = getattr(members, "model", None)
        ids = None
        if model is not None and (model.search_text() or model.segment() is not None):
            ids = model.member_ids()  # searched or filtered: offer exactly the members in the list
        what, coupons = MEMBERS, None
        current = self.current_screen()
        if current is self.screens.get("coupons") and hasattr(current, "issued_filter"):
            what, coupons = COUPONS, current.issued_filter()
        elif current is self.screens.get("followups"):
            what = FOLLOWUPS
        ExportDialog.ask(self, self.runner, ids, what, coupons)

    def _allowed(self, permission: session.Permission) -> bool:
        """False, with the owner-only message, when the person logged in may not do this."""
        try:
            session.require(permission)
        except ShopDeskError as exc:
            report_error(self, exc)
            return False
        return True

    def apply_permissions(self) -> None:
        """Grey out what the person logged in may not do (the services refuse it anyway)."""
        for action, permission in (
            (self.import_action, session.Permission.IMPORT),
            (self.export_action, session.Permission.EXPORT),
        ):
            allowed = session.can(permission)
            action.setEnabled(allowed)
            action.setToolTip("" if allowed else _("Only the owner can do this. Ask the owner to log in."))

    def save_import_template(self) -> None:
        from shopdesk.ui.dialogs.import_wizard import save_template

        save_template(self, self.runner)

    def _build_shortcuts(self) -> None:
        context = Qt.ShortcutContext.WindowShortcut
        bindings = [
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence("Ctrl+N"), self.new_item),
            (QKeySequence("F5"), self.refresh),
            (QKeySequence("F2"), self.record_purchase),
        ]
        for number in range(1, len(self.specs) + 1):
            bindings.append(
                (QKeySequence(f"Alt+{number}"), lambda row=number - 1: self.nav.setCurrentRow(row))
            )
        self.shortcuts: list[QShortcut] = []
        for sequence, slot in bindings:
            shortcut = QShortcut(QKeySequence(sequence), self, context=context)
            shortcut.activated.connect(slot)
            self.shortcuts.append(shortcut)

    def _default_geometry(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() else None
        char = char_width(self)
        width, height = char * 190, self.fontMetrics().height() * 44
        if screen is not None:
            width, height = min(width, round(screen.width() * 0.9)), min(height, round(screen.height() * 0.9))
        self.resize(width, height)
        if screen is not None:
            frame = self.frameGeometry()
            frame.moveCenter(screen.center())
            self.move(frame.topLeft())

    # Pages ------------------------------------------------------------------------------------------

    def screen_for(self, key: str) -> Screen:
        """The page registered under ``key`` (``"members"``), built now if it was not yet; KeyError if the
        sidebar has no such page."""
        screen = self.screens.get(key)
        if screen is None:
            screen = self._build_screen(self.specs[self._row_of(key)])
        return screen

    def has_screen(self, key: str) -> bool:
        """True when the sidebar offers the page ``key`` (built or not)."""
        return any(spec.key == key for spec in self.specs)

    def current_screen(self) -> Screen:
        return self.stack.currentWidget()  # type: ignore[return-value]

    def switch_to(self, key: str) -> Screen:
        self.nav.setCurrentRow(self._row_of(key))
        return self.screen_for(key)

    def _row_of(self, key: str) -> int:
        for row, spec in enumerate(self.specs):
            if spec.key == key:
                return row
        raise KeyError(key)

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        screen = self.screen_for(self.specs[row].key)
        self.stack.setCurrentWidget(screen)
        screen.activated()

    def route_search(self, text: str) -> None:
        """The top bar's search goes to the current page if it searches, else to Members."""
        if self.current_screen().set_search(text):
            return
        if self.has_screen("members"):
            self.switch_to("members").set_search(text)

    def clear_search(self) -> None:
        self.search_box.clear()
        self.search_box.flush()

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _search_submitted(self) -> None:
        self.current_screen().open_current()

    def _search_move_down(self) -> None:
        self.current_screen().focus_results()

    def new_item(self) -> None:
        """Ctrl+N: what the current page creates, else a new member."""
        if not self.current_screen().new_item() and self.has_screen("members"):
            self.switch_to("members").new_item()

    def record_purchase(self) -> None:
        """F2 or the top bar's button: the checkout, for whoever is at the counter (found there, not taken
        from the page behind, whose selected member is rarely the customer in front of the shopkeeper)."""
        from shopdesk.ui.dialogs.checkout import CheckoutDialog

        CheckoutDialog.ask(self, self.runner)

    def refresh(self) -> None:
        self.current_screen().refresh()
        self._update_shop()

    # Shop and database ------------------------------------------------------------------------------

    def _update_shop(self) -> None:
        name = shop_name()
        self.setWindowTitle(_("{shop} - ShopDesk").format(shop=name))
        self.shop_title.setText(name)
        self.shop_label.setText(name)
        where = describe_target(self.target)
        self.database_label.setText(_("Data: {where}").format(where=where))
        self.database_label.setToolTip(where)

    def _changes_applied(self, changes: set[str], _initiator: object) -> None:
        if SETTINGS in changes:
            self._update_shop()
            self.apply_permissions()  # someone else may have logged in after the idle lock

    def switch_database(self, target: str) -> bool:
        """Use the database at ``target`` from now on; every page reloads. False (reported) on failure."""
        old = database_proxy.obj
        try:
            open_database(target)
        except ShopDeskError as exc:
            if old is not None:
                database_proxy.initialize(old)
            report_error(self, exc)
            return False
        if old is not current_database():
            _close_here(old)
        self.target = target
        self.clear_search()
        self._update_shop()
        self.events.announce(EVERYTHING, self)
        return True

    def open_demo(self) -> None:
        """Switch to the demo shop, building it first (with progress) when it does not exist yet."""
        target = str(demo_database_path())
        elsewhere = describe_target(self.target) != describe_target(target)
        if Path(target).exists() and elsewhere and not self.switch_database(target):
            return
        from shopdesk.services.members import count_members

        if Path(target).exists() and count_members(include_archived=True) > 0:
            return
        from shopdesk.services.demo_shop import build_demo_shop  # the demo data is loaded only when needed

        previous = self.target
        original = database_proxy.obj  # the build re-points the proxy from the lane; close this one after

        def built(_summary: object) -> None:
            _close_here(original)
            self.switch_database(target)
            self.statusBar().showMessage(
                _("This is the demo shop; your own data is kept separately."), 10_000
            )

        def failed(exc: object) -> None:
            _close_here(original)
            self.switch_database(previous)
            report_error(self, exc)  # type: ignore[arg-type]

        self.runner.run(
            build_demo_shop,
            target,
            DEMO_MEMBERS,
            progress_label=_("Building the demo shop…"),
            parent=self,
            on_done=built,
            on_error=failed,
        )

    def show_help(self) -> None:
        """F1: the user guide, beside the window."""
        from shopdesk.ui.dialogs.help import HelpDialog

        HelpDialog.show_for(self)

    def show_shortcuts(self) -> None:
        from shopdesk.ui.dialogs.shortcuts import ShortcutsDialog

        ShortcutsDialog.ask(self)

    def _about(self) -> None:
        from shopdesk.ui.dialogs.about import AboutDialog

        AboutDialog.ask(self, self.target)

    # Closing ----------------------------------------------------------------------------------------

    def save_state(self) -> None:
        save_geometry(GEOMETRY_KEY, self)
        for screen in self.screens.values():
            screen.save_state()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.runner.wait(10_000)
        super().closeEvent(event)


def _set_badge(item: QListWidgetItem, title: str, count: int) -> None:
    item.setText(_("{page} ({count})").format(page=_(title), count=count) if count else _(title))


def _close_here(database: Database | None) -> None:
    """Close this thread's connection to ``database`` (Peewee connections are per thread)."""
    if database is not None and not database.is_closed():
        database.close()
