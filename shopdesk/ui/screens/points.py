"""积分, the sidebar page: members whose points expire soon, the gift catalogue, the referral leaderboard.

The per-member view of points lives in the member detail (its Points tab); this page is about the shop as
a whole. The two lists that scan many members load on the DB lane; the catalogue is a short read.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk.i18n import _, ngettext
from shopdesk.services.gifts import list_gifts
from shopdesk.services.points_expiring import EXPIRING_DAYS, ExpiringPoints, members_with_expiring_points
from shopdesk.services.referrals import ReferrerRank, referral_leaderboard
from shopdesk.ui.dialogs.gift_edit import GiftEditDialog
from shopdesk.ui.events import DATABASE, MEMBERS, POINTS, PURCHASES, SETTINGS, AppEvents
from shopdesk.ui.formatting import format_count
from shopdesk.ui.icons import icon
from shopdesk.ui.models.loyalty_lists import ExpiringModel, GiftsModel, LeaderboardModel, ListModel
from shopdesk.ui.screens.base import LazyScreen
from shopdesk.ui.state import restore_header, save_header
from shopdesk.ui.style import char_width, scaled_font
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.tables import read_only_table

WATCHED = frozenset({POINTS, MEMBERS, PURCHASES, SETTINGS, DATABASE})
LEADERBOARD_SIZE = 20


class Card(QFrame):
    """A white section with a title, a one-line hint, optional buttons, and a table or its empty text."""

    def __init__(self, title: str, model: ListModel, widths: dict[int, int], key: str) -> None:
        super().__init__()
        self.setObjectName("detailPanel")
        self.key = key
        unit = self.fontMetrics().height()
        char = char_width(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit, round(unit * 0.8), unit, unit)
        layout.setSpacing(round(unit * 0.5))
        header = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setObjectName("sectionTitle")
        self.title.setFont(scaled_font(self, 1.1, bold=True))
        # A long title may be cut when the window is narrow; it must not widen the window's minimum.
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header.addWidget(self.title, 1)
        header.addStretch()
        self.buttons = header
        layout.addLayout(header)
        self.hint = QLabel(wordWrap=True)
        self.hint.setObjectName("fieldHint")
        layout.addWidget(self.hint)

        self.model = model
        self.table = read_only_table(self, model)
        columns = self.table.horizontalHeader()
        for column, chars in widths.items():
            columns.resizeSection(column, char * chars)
        restore_header(key, columns)
        self.empty = QLabel(wordWrap=True)
        self.empty.setObjectName("historyEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)

    def add_button(self, button: QPushButton) -> None:
        self.buttons.addWidget(button)

    def show_rows(self, rows: list, empty_text: str) -> None:
        self.model.set_rows(rows)
        self.empty.setText(empty_text)
        self.stack.setCurrentWidget(self.table if rows else self.empty)

    def save_state(self) -> None:
        save_header(self.key, self.table.horizontalHeader())


class PointsScreen(LazyScreen):
    """Expiring points on the left (what to act on today); gifts and the leaderboard on the right."""

    watches = WATCHED

    def __init__(self, runner: BaseTaskRunner, events: AppEvents, parent: QWidget | None = None) -> None:
        super().__init__(runner, events, parent)
        self.setObjectName("pointsScreen")
        unit = self.fontMetrics().height()
        layout, header = self.start_page(_("Points"))
        header.addStretch()

        self.expiring = Card(
            _("Points expiring within {days} days").format(days=EXPIRING_DAYS),
            ExpiringModel(self),
            {0: 10, 1: 15, 2: 10},
            "points/expiring_header",
        )
        self.gifts = Card(_("Gift catalogue"), GiftsModel(self), {0: 18, 1: 9, 2: 10}, "points/gifts_header")
        self.add_gift_button = QPushButton(icon("add"), _("New gift"))
        self.add_gift_button.clicked.connect(self.new_gift)
        self.edit_gift_button = QPushButton(icon("edit"), _("Edit"))
        self.edit_gift_button.setEnabled(False)
        self.edit_gift_button.clicked.connect(self.edit_gift)
        self.gifts.add_button(self.edit_gift_button)
        self.gifts.add_button(self.add_gift_button)
        self.gifts.hint.setText(_("What members can take for their points. Double-click a gift to edit it."))
        self.gifts.table.doubleClicked.connect(self._gift_activated)
        self.gifts.table.selectionModel().selectionChanged.connect(self._gift_selection_changed)
        self.leaderboard = Card(
            _("Referral leaderboard"),
            LeaderboardModel(self),
            {0: 10, 1: 11, 2: 11},
            "points/leaderboard_header",
        )
        self.leaderboard.hint.setText(_("Members who brought in the most new customers."))

        grid = QGridLayout()
        grid.setSpacing(round(unit * 0.8))
        grid.addWidget(self.expiring, 0, 0, 2, 1)
        grid.addWidget(self.gifts, 0, 1)
        grid.addWidget(self.leaderboard, 1, 1)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 6)
        layout.addLayout(grid, 1)
        self._serial = 0

    # Loading ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the catalogue now; the two member lists on the DB lane (newest request wins)."""
        self._stale = False
        self._load_gifts()
        self._serial += 1
        serial = self._serial

        def loaded(result: tuple[list[ExpiringPoints], list[ReferrerRank]]) -> None:
            if serial == self._serial:
                self._show_lists(*result)

        self.runner.run(_read_lists, on_done=loaded, parent=self)

    def _load_gifts(self) -> None:
        selected = self._selected_gift()
        gifts = list_gifts(active_only=False)
        self.gifts.show_rows(
            gifts, _("No gifts yet. Add the small items members can take for their points, such as samples.")
        )
        if selected is not None:
            for row, gift in enumerate(gifts):
                if gift.id == selected.id:
                    self.gifts.table.selectRow(row)
        self._gift_selection_changed()

    def _show_lists(self, expiring: list[ExpiringPoints], leaders: list[ReferrerRank]) -> None:
        self.expiring.show_rows(
            expiring, _("No points expire in the next {days} days.").format(days=EXPIRING_DAYS)
        )
        if expiring:
            total = sum(row.points for row in expiring)
            self.expiring.hint.setText(
                ngettext(
                    "{n} member could lose {points} points: remind them to use the points soon.",
                    "{n} members could lose {points} points: remind them to use the points soon.",
                    len(expiring),
                ).format(n=format_count(len(expiring)), points=format_count(total))
            )
        else:
            self.expiring.hint.setText(
                _("Points that expire soon show here, so you can remind their owners.")
            )
        self.leaderboard.show_rows(
            leaders,
            _("Nobody has brought in a new member yet. Record who referred a new member in the member form."),
        )

    # Gifts ------------------------------------------------------------------------------------------

    def _selected_gift(self):
        rows = self.gifts.table.selectionModel().selectedRows()
        return self.gifts.model.item(rows[0].row()) if rows else None

    def _gift_selection_changed(self, *_args: object) -> None:
        self.edit_gift_button.setEnabled(self._selected_gift() is not None)

    def _gift_activated(self, index: QModelIndex) -> None:
        gift = self.gifts.model.item(index.row())
        if gift is not None:
            GiftEditDialog.ask(self, self.runner, gift)

    def new_gift(self) -> None:
        GiftEditDialog.ask(self, self.runner, None)

    def edit_gift(self) -> None:
        gift = self._selected_gift()
        if gift is not None:
            GiftEditDialog.ask(self, self.runner, gift)

    def new_item(self) -> bool:
        self.new_gift()
        return True

    def save_state(self) -> None:
        for card in (self.expiring, self.gifts, self.leaderboard):
            card.save_state()


def _read_lists() -> tuple[list[ExpiringPoints], list[ReferrerRank]]:
    """Both member lists in one lane job (each is one grouped query)."""
    return members_with_expiring_points(), referral_leaderboard(LEADERBOARD_SIZE)
