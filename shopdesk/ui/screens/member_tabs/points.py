"""积分: the member's points — usable, held, expiring soon, every lot's expiry, tier progress and history,
the ledger, and the Adjust points / Redeem gift / Change tier actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk.domain.dates import spoken_date
from shopdesk.errors import NotFoundError
from shopdesk.i18n import _
from shopdesk.services.points import PointsSummary, points_summary
from shopdesk.services.tiers import (
    BASIS_12_MONTHS,
    member_tier_progress,
    member_tier_state,
    tier_rules,
)
from shopdesk.ui.dialogs.adjust_points import AdjustPointsDialog, adjust_allowed, not_allowed_tip
from shopdesk.ui.dialogs.change_tier import (
    ChangeTierDialog,
    change_tier_allowed,
    change_tier_not_allowed_tip,
)
from shopdesk.ui.dialogs.redeem_gift import RedeemGiftDialog
from shopdesk.ui.events import POINTS, SETTINGS
from shopdesk.ui.formatting import format_count, format_money
from shopdesk.ui.models.points_ledger import KIND_FILTERS, LedgerColumn, LedgerModel, LotColumn, LotsModel
from shopdesk.ui.models.tier_history import TierHistoryColumn, TierHistoryModel
from shopdesk.ui.screens.member_tabs.base import MemberTab
from shopdesk.ui.state import restore_header, save_header
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.tables import read_only_table

LEDGER_HEADER_KEY = "members/points_ledger_header"
LOTS_HEADER_KEY = "members/points_lots_header"
TIER_HISTORY_HEADER_KEY = "members/tier_history_header"
SOON = "#d46b08"
NEGATIVE = "#cf1322"
LOTS_VIEW = "lots"
TIERS_VIEW = "tiers"
# The shared theme has no progress bar or link button yet: a thin accent bar, and a borderless blue
# "Change tier…" that sits on the tier line without weighing as much as the buttons below.
PROGRESS_STYLE = """
QProgressBar#tierProgress { border: none; background: #f0f0f0; border-radius: 3px; }
QProgressBar#tierProgress::chunk { background: #1677FF; border-radius: 3px; }
QPushButton#changeTierLink { border: none; background: transparent; color: #1677FF; padding: 0 2px; }
QPushButton#changeTierLink:hover { color: #4096ff; text-decoration: underline; }
QPushButton#changeTierLink:focus { text-decoration: underline; }
QPushButton#changeTierLink:disabled { color: #bfbfbf; }
"""



def tier_progress_text(current: str | None, following: str | None, missing_fen: int) -> str:
    """ "再消费 ¥320 升级金卡", or that the top is reached, or that the shop has no tiers."""
    if following is not None:
        return _("Spend {amount} more to reach {tier}").format(
            amount=format_money(missing_fen), tier=following
        )
    if current is not None:
        return _("{tier}: the highest tier").format(tier=current)
    return _("The shop has no tiers yet. Set them up in Settings → Points and tiers.")


def manual_tier_text(tier: str | None) -> str:
    """ "金卡（手动设定）": a tier set by hand promises no upgrade; the line says how it was set instead."""
    if tier is None:
        return _("No tier (set by hand)")
    return _("{tier} (set by hand)").format(tier=tier)


class PointsTab(MemberTab):
    """Figures and tier on top; below, the ledger (filtered by kind, paged) or the lots with their expiry."""

    watches = frozenset({POINTS, SETTINGS})

    def __init__(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setStyleSheet(PROGRESS_STYLE)
        unit = self.fontMetrics().height()
        char = char_width(self)
        self._member_id: int | None = None
        self.summary: PointsSummary | None = None
        self.has_tiers = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, round(unit * 0.5), 0, 0)
        layout.setSpacing(round(unit * 0.45))

        self.figures = QLabel()
        self.figures.setObjectName("pointsFigures")
        self.figures.setWordWrap(True)
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.figures)

        tier_line = QHBoxLayout()
        tier_line.setSpacing(round(unit * 0.4))
        self.tier_label = QLabel()
        self.tier_label.setObjectName("tierProgressText")
        self.tier_label.setWordWrap(True)
        self.change_tier_button = QPushButton(_("Change tier…"))
        self.change_tier_button.setObjectName("changeTierLink")
        self.change_tier_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.change_tier_button.clicked.connect(self.change_tier)
        tier_line.addWidget(self.tier_label, 1)
        tier_line.addWidget(self.change_tier_button, 0, Qt.AlignmentFlag.AlignTop)
        self.tier_bar = QProgressBar()
        self.tier_bar.setObjectName("tierProgress")
        self.tier_bar.setTextVisible(False)
        self.tier_bar.setFixedHeight(max(4, unit // 3))
        layout.addLayout(tier_line)
        layout.addWidget(self.tier_bar)

        # One selector for what the table shows: the ledger (all or some kinds of entries), the lots or the
        # tier history. A second row of switches would leave the narrow panel no room for the table.
        actions = QHBoxLayout()
        actions.setSpacing(round(unit * 0.4))
        self.view_picker = QComboBox()
        self.view_picker.setObjectName("pointsView")
        self.view_picker.setToolTip(
            _("The ledger, some kinds of entries only, the lots with their expiry, or the tier history")
        )
        for title, kinds in KIND_FILTERS:
            self.view_picker.addItem(_(title), kinds)
        self.view_picker.insertSeparator(self.view_picker.count())
        self.view_picker.addItem(_("Lots and expiry"), LOTS_VIEW)
        self.view_picker.insertSeparator(self.view_picker.count())
        self.view_picker.addItem(_("Tier history"), TIERS_VIEW)
        self.view_picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.view_picker.setMinimumContentsLength(6)
        self.view_picker.currentIndexChanged.connect(self._view_changed)
        actions.addWidget(self.view_picker)
        actions.addStretch()
        self.adjust_button = QPushButton(_("Adjust points"))
        self.adjust_button.clicked.connect(self.adjust_points)
        self.redeem_button = QPushButton(_("Redeem gift"))
        self.redeem_button.clicked.connect(self.redeem_gift)
        actions.addWidget(self.adjust_button)
        actions.addWidget(self.redeem_button)
        layout.addLayout(actions)

        self.ledger_model = LedgerModel(self)
        self.ledger = read_only_table(self)
        self.ledger.setObjectName("pointsLedger")
        self.ledger.setModel(self.ledger_model)
        header = self.ledger.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(LedgerColumn.ENTRY, QHeaderView.ResizeMode.Stretch)
        date_width = char * 13  # "2026-11-13" and the cell padding
        header.resizeSection(LedgerColumn.DATE, date_width)
        header.resizeSection(LedgerColumn.POINTS, char * 9)
        header.resizeSection(LedgerColumn.BALANCE, char * 9)
        restore_header(LEDGER_HEADER_KEY, header)
        self.ledger_empty = QLabel()
        self.ledger_empty.setObjectName("historyEmpty")
        self.ledger_empty.setWordWrap(True)
        self.ledger_empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.lots_model = LotsModel(self)
        self.lots = read_only_table(self)
        self.lots.setObjectName("pointsLots")
        self.lots.setModel(self.lots_model)
        header = self.lots.horizontalHeader()
        header.resizeSection(LotColumn.EARNED, date_width)
        header.resizeSection(LotColumn.LEFT, char * 14)
        restore_header(LOTS_HEADER_KEY, header)
        self.lots_empty = QLabel(
            _("No points to spend. Points earned on purchases appear here with their expiry.")
        )
        self.lots_empty.setObjectName("historyEmpty")
        self.lots_empty.setWordWrap(True)
        self.lots_empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.tier_history_model = TierHistoryModel(self)
        self.tier_history = read_only_table(self)
        self.tier_history.setObjectName("tierHistory")
        self.tier_history.setModel(self.tier_history_model)
        header = self.tier_history.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TierHistoryColumn.CHANGE, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(TierHistoryColumn.DATE, date_width)
        header.resizeSection(TierHistoryColumn.OPERATOR, char * 10)  # "林店长" and the cell padding
        restore_header(TIER_HISTORY_HEADER_KEY, header)
        self.tier_history_empty = QLabel(
            _(
                "No tier changes yet. The tier changes when spending reaches a threshold, at the yearly "
                "review, or by hand with Change tier…"
            )
        )
        self.tier_history_empty.setObjectName("historyEmpty")
        self.tier_history_empty.setWordWrap(True)
        self.tier_history_empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.views = QStackedWidget()
        for widget in (
            self.ledger,
            self.ledger_empty,
            self.lots,
            self.lots_empty,
            self.tier_history,
            self.tier_history_empty,
        ):
            self.views.addWidget(widget)
        layout.addWidget(self.views, 1)
        self._update_permissions()

    # Showing ----------------------------------------------------------------------------------------

    def show_member(self, member_id: int | None) -> None:
        self._member_id = member_id
        self.summary = None
        if member_id is not None:
            try:
                self.summary = points_summary(member_id)
            except NotFoundError:
                self._member_id = None
        if self.summary is None:
            self.figures.clear()
            self.tier_label.clear()
            self.tier_bar.hide()
            self.ledger_model.set_member(None)
            self.lots_model.set_lots(())
            self.tier_history_model.set_changes(())
            self._update_actions()
            self._show_view()
            return
        self._fill_figures(self.summary)
        self._fill_tier(self._member_id)
        self.ledger_model.set_member(self._member_id)
        self.lots_model.set_lots(self.summary.lots)
        self.tier_history_model.load(self._member_id)
        self._update_actions()
        self._show_view()

    def _fill_figures(self, summary: PointsSummary) -> None:
        """One line: usable, held, expiring within 30 days (and when), the balance if it is a debt."""
        parts = []
        if summary.balance < 0:
            parts.append(
                f'<span style="color:{NEGATIVE}">'
                + _("Balance {points}: a refund took back points already spent").format(
                    points=format_count(summary.balance)
                )
                + "</span>"
            )
        parts.append(_("Usable {points}").format(points=f"<b>{format_count(summary.usable)}</b>"))
        if summary.held:
            parts.append(_("Held {points}").format(points=f"<b>{format_count(summary.held)}</b>"))
        if summary.expiring_soon:
            soon = _("Expiring within 30 days {points}").format(
                points=f"<b>{format_count(summary.expiring_soon)}</b>"
            )
            parts.append(f'<span style="color:{SOON}">{soon}</span>')
        elif summary.next_expiry is not None:
            parts.append(_("Next expiry {date}").format(date=spoken_date(summary.next_expiry)))
        else:
            parts.append(_("No expiry"))
        self.figures.setText(" · ".join(parts))
        if summary.expiring_soon and summary.next_expiry is not None:
            self.figures.setToolTip(
                _("The first of them expire on {date}.").format(date=spoken_date(summary.next_expiry))
            )
        else:
            self.figures.setToolTip("")

    def _fill_tier(self, member_id: int) -> None:
        progress = member_tier_progress(member_id)
        state = member_tier_state(member_id)
        self.has_tiers = bool(progress.thresholds)
        basis = (
            _("Tiers count the spending of the last 12 months.")
            if tier_rules().get("basis") == BASIS_12_MONTHS
            else _("Tiers count all spending since the member joined.")
        )
        if state.manual:
            self.tier_label.setText(manual_tier_text(progress.current.name if progress.current else None))
            reached = state.reached.name if state.reached is not None else _("No tier")
            self.tier_label.setToolTip(
                _(
                    "Set by hand: purchases no longer raise this tier. Their spending reaches {tier}; "
                    "Change tier… can give the tier back to the spending rule."
                ).format(tier=reached)
            )
            self.tier_bar.hide()
            return
        current = progress.current.name if progress.current is not None else None
        following = progress.next.name if progress.next is not None else None
        text = tier_progress_text(current, following, progress.missing_fen)
        if current is not None and following is not None:
            text = _("{tier} · {progress}").format(tier=current, progress=text)
        self.tier_label.setText(text)
        self.tier_label.setToolTip(basis)
        if progress.next is None:
            self.tier_bar.setVisible(progress.current is not None)
            self.tier_bar.setRange(0, 1)
            self.tier_bar.setValue(1)
            return
        start = progress.current.threshold_fen if progress.current is not None else 0
        span = max(1, progress.next.threshold_fen - start)
        reached = max(0, min(span, span - progress.missing_fen))
        # QProgressBar holds an int: scale yuan-sized spans down so a large threshold cannot overflow.
        scale = max(1, span // 1_000_000)
        self.tier_bar.setRange(0, span // scale)
        self.tier_bar.setValue(reached // scale)
        self.tier_bar.show()

    def showing_lots(self) -> bool:
        return self.view_picker.currentData() == LOTS_VIEW

    def showing_tier_history(self) -> bool:
        return self.view_picker.currentData() == TIERS_VIEW

    def show_tier_history(self) -> None:
        """Bring the tier history to the front (after a change, to show it recorded)."""
        self.view_picker.setCurrentIndex(self.view_picker.findData(TIERS_VIEW))

    def _showing_ledger(self) -> bool:
        return not self.showing_lots() and not self.showing_tier_history()

    def _show_view(self) -> None:
        if self.showing_tier_history():
            empty = self.tier_history_model.rowCount() == 0
            self.views.setCurrentWidget(self.tier_history_empty if empty else self.tier_history)
        elif self._showing_ledger():
            empty = self.ledger_model.rowCount() == 0
            if empty:
                filtered = bool(self.view_picker.currentData())
                self.ledger_empty.setText(
                    _("No entries of this kind.")
                    if filtered
                    else _("No points yet. Purchases earn points once the member buys something.")
                )
            self.views.setCurrentWidget(self.ledger_empty if empty else self.ledger)
        else:
            self.views.setCurrentWidget(self.lots_empty if self.lots_model.rowCount() == 0 else self.lots)

    def _view_changed(self, *_args: object) -> None:
        if self._showing_ledger():
            self.ledger_model.set_kinds(tuple(self.view_picker.currentData() or ()))
        self._show_view()

    def _update_permissions(self) -> None:
        allowed = adjust_allowed()
        self.adjust_button.setToolTip(
            _("Add or remove points by hand, with a reason") if allowed else not_allowed_tip()
        )
        self.change_tier_button.setToolTip(
            _("Set this member's tier by hand, with a reason, or give it back to the spending rule")
            if change_tier_allowed()
            else change_tier_not_allowed_tip()
        )

    def _update_actions(self) -> None:
        shown = self.summary is not None
        self._update_permissions()
        self.adjust_button.setEnabled(shown and adjust_allowed())
        # Without tiers there is nothing to choose: the tier line says where to set them up.
        self.change_tier_button.setVisible(shown and self.has_tiers)
        self.change_tier_button.setEnabled(shown and change_tier_allowed())
        can_redeem = shown and self.summary.balance > 0 and self.summary.usable > 0
        self.redeem_button.setEnabled(can_redeem)
        if not shown or can_redeem:
            self.redeem_button.setToolTip(_("Exchange points for a gift from the catalogue"))
        elif self.summary.balance < 0:
            self.redeem_button.setToolTip(
                _("Gifts can be redeemed again once the points balance is above zero.")
            )
        else:
            self.redeem_button.setToolTip(_("No points can be used now."))

    # Actions ----------------------------------------------------------------------------------------

    def adjust_points(self) -> None:
        if self._member_id is not None and adjust_allowed():
            AdjustPointsDialog.ask(self, self.runner, self._member_id)

    def change_tier(self) -> None:
        if self._member_id is None or not change_tier_allowed():
            return
        if ChangeTierDialog.ask(self, self.runner, self._member_id):
            # The Members page refreshes the panel on the change; read again for a panel shown alone.
            self.show_member(self._member_id)
            self.show_tier_history()

    def redeem_gift(self) -> None:
        if self._member_id is not None:
            RedeemGiftDialog.ask(self, self.runner, self._member_id)

    def save_state(self) -> None:
        save_header(LEDGER_HEADER_KEY, self.ledger.horizontalHeader())
        save_header(LOTS_HEADER_KEY, self.lots.horizontalHeader())
        save_header(TIER_HISTORY_HEADER_KEY, self.tier_history.horizontalHeader())
