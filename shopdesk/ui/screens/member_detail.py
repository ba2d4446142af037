"""The selected member at a glance: a header (profile, figures, tier, points) over tabs of sections.

It answers "who is this customer and where do they stand" without leaving the Members page. The header
is always visible; the sections below it (消费记录, 积分, …) are tabs listed in ``member_tabs.DETAIL_TABS``,
and only the tab in front is loaded, so moving through the member list stays quick. Reads are indexed point
reads on the GUI thread; changes go through dialogs and the DB lane. The Members page calls ``refresh`` when
members or purchases change; the panel itself listens for points, coupons, tags and settings changes.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStackedLayout,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk.domain.members import GENDER_LABELS, Gender, source_label
from shopdesk.domain.phones import format_phone
from shopdesk.errors import NotFoundError
from shopdesk.i18n import _, ngettext
from shopdesk.services import session
from shopdesk.services.members import MemberDetail, get_member
from shopdesk.services.points import points_summary
from shopdesk.services.tiers import member_tier_progress
from shopdesk.ui import member_privacy
from shopdesk.ui.dialogs.checkout import CheckoutDialog
from shopdesk.ui.dialogs.record_purchase import RecordPurchaseDialog
from shopdesk.ui.events import DATABASE, MEMBERS, POINTS, PURCHASES, SETTINGS
from shopdesk.ui.formatting import format_count, format_date, format_datetime, format_money, relative_day
from shopdesk.ui.icons import icon
from shopdesk.ui.models.purchase_history import PurchaseHistoryModel
from shopdesk.ui.screens.member_tabs import DETAIL_TABS, MemberTab
from shopdesk.ui.screens.member_tabs.purchases import PurchasesTab
from shopdesk.ui.style import char_width, scaled_font
from shopdesk.ui.tasks import BaseTaskRunner

NEGATIVE = "#cf1322"
# Section tabs as a light underline bar (the shared theme leaves tabs to the platform style).
TABS_STYLE = """
QTabWidget#detailTabs::pane { border: none; border-top: 1px solid #f0f0f0; }
QTabWidget#detailTabs > QTabBar::tab {
    background: transparent; color: #595959; border: none; border-bottom: 2px solid transparent;
    padding: 5px 10px; margin-right: 2px;
}
QTabWidget#detailTabs > QTabBar::tab:selected { color: #1677FF; border-bottom: 2px solid #1677FF; }
QTabWidget#detailTabs > QTabBar::tab:hover { color: #4096ff; }
"""  # a points debt (a refund took back points already spent)
# Flags the Members page already turns into ``refresh()``: the panel does not refresh twice for them.
_PAGE_REFRESHES = frozenset({MEMBERS, PURCHASES, DATABASE})
# Flags that change what the header shows (points balance, tier).
_HEADER_WATCHES = frozenset({POINTS, SETTINGS})


class StatTile(QFrame):
    """One figure with its caption (Purchases: 12); the tooltip can say more."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statTile")
        layout = QVBoxLayout(self)
        margin = char_width(self)
        horizontal, vertical = round(margin * 1.2), round(margin * 0.7)
        layout.setContentsMargins(horizontal, vertical, horizontal, vertical)
        layout.setSpacing(0)
        self.caption = QLabel(caption)
        self.caption.setObjectName("statCaption")
        self.value = QLabel("")
        self.value.setObjectName("statValue")
        self.value.setFont(scaled_font(self, 1.15, bold=True))
        layout.addWidget(self.caption)
        layout.addWidget(self.value)

    def set(self, value: str, tooltip: str = "", *, negative: bool = False) -> None:
        self.value.setText(value)
        self.value.setStyleSheet(f"color: {NEGATIVE};" if negative else "")
        self.value.setProperty("negative", negative)
        self.setToolTip(tooltip)


class TierChip(QLabel):
    """The member's tier as a small rounded label next to the name (hidden when the shop has no tiers)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tierChip")
        pad = max(2, char_width(self) // 2)
        self.setStyleSheet(
            f"QLabel#tierChip {{ background: #fff7e6; color: #d46b08; border: 1px solid #ffd591;"
            f" border-radius: {pad + 3}px; padding: 1px {pad + 2}px; }}"
        )


class MemberDetailPanel(QFrame):
    """Shows one member; ``edit_requested`` asks the screen to open the member dialog."""

    edit_requested = Signal(int)

    def __init__(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self.runner = runner
        self.detail: MemberDetail | None = None
        unit = self.fontMetrics().height()
        self._stack = QStackedLayout(self)

        self.placeholder = QLabel(_("Select a member to see their details and purchases."), wordWrap=True)
        self.placeholder.setObjectName("detailPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack.addWidget(self.placeholder)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(unit, unit, unit, round(unit * 0.6))
        layout.setSpacing(round(unit * 0.6))
        self._stack.addWidget(content)

        layout.addLayout(self._build_identity(unit))
        layout.addLayout(self._build_tiles(unit))
        layout.addLayout(self._build_facts(unit))
        layout.addWidget(self.record_button)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("detailTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.setStyleSheet(TABS_STYLE)
        self._tabs: dict[str, MemberTab] = {}
        self._stale: set[str] = set()
        for spec in DETAIL_TABS:
            tab = spec.create(runner, self.tabs)
            tab.setObjectName(f"{spec.key}Tab")
            self._tabs[spec.key] = tab
            self.tabs.addTab(tab, _(spec.title))
        self.tabs.currentChanged.connect(self._load_current)
        layout.addWidget(self.tabs, 1)

        self.setMinimumWidth(char_width(self) * 46)
        runner.events.changes_applied.connect(self._changes_applied)
        self.show_member(None)

    def _build_identity(self, unit: int) -> QHBoxLayout:
        header = QHBoxLayout()
        header.setSpacing(round(unit * 0.7))
        self.avatar = QLabel()
        self.avatar.setObjectName("avatar")
        self.avatar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side = round(unit * 2.6)
        self.avatar.setFixedSize(side, side)
        self.avatar.setFont(scaled_font(self, 1.4, bold=True))
        self.avatar.setStyleSheet(f"border-radius: {side // 2}px;")
        header.addWidget(self.avatar)
        names = QVBoxLayout()
        names.setSpacing(0)
        name_row = QHBoxLayout()
        name_row.setSpacing(round(unit * 0.5))
        self.name = QLabel()
        self.name.setObjectName("detailName")
        self.name.setFont(scaled_font(self, 1.4, bold=True))
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tier_chip = TierChip()
        name_row.addWidget(self.name)
        name_row.addWidget(self.tier_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        name_row.addStretch()
        self.phone = QLabel()
        self.phone.setObjectName("detailPhone")
        self.phone.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        names.addStretch()
        names.addLayout(name_row)
        names.addWidget(self.phone)
        names.addStretch()
        header.addLayout(names, 1)
        self.record_button = QPushButton(icon("purchase"), _("Record purchase"))
        self.record_button.setObjectName("recordPurchase")
        self.record_button.setProperty("primary", True)
        self.record_button.setToolTip(_("Enter a sale for this member (F2)"))
        self.record_button.clicked.connect(self.record_purchase)
        self.edit_button = QPushButton(icon("edit"), _("Edit"))
        self.edit_button.setToolTip(_("Edit this member's record (Enter in the list)"))
        self.edit_button.clicked.connect(self._edit)
        header.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        self.more_button = QPushButton(_("More"))
        self.more_button.setToolTip(
            _("Enter a past purchase, or export or erase this member's personal data")
        )
        more = QMenu(self.more_button)
        self.past_purchase_action = more.addAction(_("Record a past purchase…"), self.record_past_purchase)
        more.addSeparator()
        self.export_data_action = more.addAction(_("Export this member's data…"), self.export_data)
        self.erase_action = more.addAction(_("Delete member (erase personal data)…"), self.erase)
        more.aboutToShow.connect(self._update_privacy_actions)
        self.more_button.setMenu(more)
        header.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignTop)
        return header

    def _build_tiles(self, unit: int) -> QGridLayout:
        tiles = QGridLayout()
        tiles.setSpacing(round(unit * 0.5))
        self.tile_count = StatTile(_("Purchases"))
        self.tile_total = StatTile(_("Total spent"))
        self.tile_average = StatTile(_("Average order"))
        self.tile_last = StatTile(_("Last purchase"))
        self.tile_points = StatTile(_("Points"))
        self.tile_referrals = StatTile(_("Referred"))
        for position, tile in enumerate(
            (
                self.tile_count,
                self.tile_total,
                self.tile_average,
                self.tile_last,
                self.tile_points,
                self.tile_referrals,
            )
        ):
            tiles.addWidget(tile, position // 3, position % 3)
        for column in range(3):
            tiles.setColumnStretch(column, 1)
        return tiles

    def _build_facts(self, unit: int) -> QGridLayout:
        """Caption/value pairs, two to a row, so the profile leaves room for the tabs."""
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(unit)
        self.facts.setVerticalSpacing(round(unit * 0.3))
        self._fact_labels: dict[str, QLabel] = {}
        facts = (
            ("birthday", _("Birthday")),
            ("source", _("Came from")),
            ("referrer", _("Referred by")),
            ("staff", _("Staff")),
            ("joined", _("Joined")),
            ("notes", _("Notes")),
        )
        for position, (key, caption) in enumerate(facts):
            row, column = position // 2, (position % 2) * 2
            caption_label = QLabel(caption)
            caption_label.setObjectName("factCaption")
            caption_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            value = QLabel(wordWrap=True)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            value.setObjectName("factValue")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addWidget(caption_label, row, column)
            self.facts.addWidget(value, row, column + 1)
            self._fact_labels[key] = value
        self.facts.setColumnStretch(1, 1)
        self.facts.setColumnStretch(3, 1)
        return self.facts

    # Showing ----------------------------------------------------------------------------------------

    def member_id(self) -> int | None:
        return self.detail.id if self.detail is not None else None

    def tab(self, key: str) -> MemberTab:
        """The section registered under ``key`` in ``DETAIL_TABS``."""
        return self._tabs[key]

    def show_member(self, member_id: int | None) -> None:
        """Show ``member_id`` (None, or a member that no longer exists, shows the placeholder)."""
        detail = None
        if member_id is not None:
            try:
                detail = get_member(member_id)
            except NotFoundError:
                detail = None
        self.detail = detail
        self._stale = set(self._tabs)
        if detail is None:
            for tab in self._tabs.values():
                tab.show_member(None)
            self._stale.clear()
            self._stack.setCurrentWidget(self.placeholder)
            return
        self._fill(detail)
        self._stack.setCurrentIndex(1)
        self._load_current()

    def refresh(self) -> None:
        self.show_member(self.member_id())

    def _load_current(self, *_args: object) -> None:
        """Load the tab in front if it is behind the member shown (hidden tabs wait their turn)."""
        tab = self.tabs.currentWidget()
        key = next((key for key, candidate in self._tabs.items() if candidate is tab), None)
        if key is not None and key in self._stale:
            self._stale.discard(key)
            self._tabs[key].show_member(self.member_id())

    def _changes_applied(self, changes: set[str], initiator: object) -> None:
        if self.detail is None or changes & _PAGE_REFRESHES:
            return  # nobody shown, or the Members page refreshes the whole panel
        if changes & _HEADER_WATCHES:
            try:
                self._fill(get_member(self.detail.id))
            except NotFoundError:
                self.show_member(None)
                return
        self._stale |= {key for key, tab in self._tabs.items() if changes & tab.watches}
        self._load_current()

    def _fill(self, detail: MemberDetail) -> None:
        self.detail = detail
        self.avatar.setText(detail.name[:1].upper())
        self.name.setText(detail.name)
        gender = _(GENDER_LABELS[Gender(detail.gender)]) if detail.gender else ""
        phone = format_phone(detail.phone)
        self.phone.setText(_("{phone} · {gender}").format(phone=phone, gender=gender) if gender else phone)
        self.tile_count.set(format_count(detail.purchase_count))
        self.tile_total.set(format_money(detail.total_spent_fen))
        average = detail.total_spent_fen // detail.purchase_count if detail.purchase_count else None
        self.tile_average.set(format_money(average) if average is not None else "—")
        if detail.last_purchase_at is not None:
            self.tile_last.set(
                relative_day(detail.last_purchase_at), format_datetime(detail.last_purchase_at)
            )
        else:
            self.tile_last.set("—", _("No purchase yet"))
        self._fill_loyalty(detail)
        self.tile_referrals.set(
            ngettext("{n} person", "{n} people", detail.referee_count).format(
                n=format_count(detail.referee_count)
            ),
            _("Customers this member brought in"),
        )
        birthday = detail.birthday
        if birthday is None:
            birthday_text = ""
        elif birthday.year:
            birthday_text = _("{date} (age {age})").format(
                date=birthday.as_text(), age=birthday.age_on(dt.date.today())
            )
        else:
            birthday_text = _("{date} (year unknown)").format(date=birthday.as_text())
        self._set_fact("birthday", birthday_text)
        self._set_fact("source", source_label(detail.source))
        self._set_fact("referrer", detail.referrer_name)
        self._set_fact("staff", detail.staff_name)
        self._set_fact(
            "joined",
            _("{date} ({ago})").format(
                date=format_date(detail.created_at), ago=relative_day(detail.created_at)
            ),
        )
        self._set_fact("notes", detail.notes)
        self.record_button.setEnabled(detail.archived_at is None)
        self.past_purchase_action.setEnabled(detail.archived_at is None)

    def _fill_loyalty(self, detail: MemberDetail) -> None:
        """The points balance (red when a refund left a debt) and the tier chip."""
        summary = points_summary(detail.id)
        negative = summary.balance < 0
        if negative:
            tooltip = _(
                "A refund took back points that had already been spent; redeeming waits until the "
                "balance is above zero again."
            )
        elif summary.held:
            tooltip = _("{usable} usable now, {held} still held after recent purchases.").format(
                usable=format_count(summary.usable), held=format_count(summary.held)
            )
        else:
            tooltip = _("{usable} usable now.").format(usable=format_count(summary.usable))
        self.tile_points.set(format_count(summary.balance), tooltip, negative=negative)
        progress = member_tier_progress(detail.id)
        if progress.current is None:
            self.tier_chip.hide()
            return
        self.tier_chip.setText(progress.current.name)
        self.tier_chip.setToolTip(progress.current.perks)
        self.tier_chip.show()

    def _set_fact(self, key: str, text: str) -> None:
        label = self._fact_labels[key]
        label.setText(text or "—")
        label.setProperty("empty", not text)
        label.style().unpolish(label)
        label.style().polish(label)

    # Actions ----------------------------------------------------------------------------------------

    def _edit(self) -> None:
        if self.detail is not None:
            self.edit_requested.emit(self.detail.id)

    def _update_privacy_actions(self) -> None:
        self.export_data_action.setEnabled(session.can(session.Permission.EXPORT))
        self.erase_action.setEnabled(session.can(session.Permission.DELETE_MEMBERS))

    def export_data(self) -> None:
        if self.detail is not None:
            member_privacy.export_member(self, self.runner, self.detail.id)

    def erase(self) -> None:
        if self.detail is not None:
            member_privacy.erase_member(self, self.runner, self.detail.id, self.detail.name)

    def record_purchase(self) -> None:
        """Open the checkout for the member shown, with their coupons and points (as F2 does)."""
        if self.detail is not None:
            CheckoutDialog.ask(self, self.runner, member_id=self.detail.id)

    def record_past_purchase(self) -> None:
        """Enter a sale made earlier (a paper receipt, a day the computer was off), with its date."""
        if self.detail is not None:
            RecordPurchaseDialog.ask(self, self.runner, self.detail.id)

    def refund_selected(self) -> None:
        """Refund the purchase selected in the history, after asking why."""
        self.tabs.setCurrentWidget(self._purchases)
        self._purchases.refund_selected()

    def save_state(self) -> None:
        for tab in self._tabs.values():
            tab.save_state()

    # The purchase history, as callers knew it before it moved into a tab ------------------------------

    @property
    def _purchases(self) -> PurchasesTab:
        return self._tabs["purchases"]  # type: ignore[return-value]

    @property
    def history(self) -> QTableView:
        return self._purchases.history

    @property
    def history_model(self) -> PurchaseHistoryModel:
        return self._purchases.history_model

    @property
    def history_empty(self) -> QLabel:
        return self._purchases.history_empty

    @property
    def refund_button(self) -> QPushButton:
        return self._purchases.refund_button
