"""转介绍: who this member brought in, whether each has bought yet, and the reward the member earned."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk.errors import NotFoundError
from shopdesk.i18n import _, ngettext
from shopdesk.services.members import get_member
from shopdesk.services.points import points_rules
from shopdesk.services.referrals import referees_of
from shopdesk.ui.events import POINTS, SETTINGS
from shopdesk.ui.formatting import format_count
from shopdesk.ui.models.referees import RefereeColumn, RefereesModel
from shopdesk.ui.screens.member_tabs.base import MemberTab
from shopdesk.ui.state import restore_header, save_header
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.tables import read_only_table

HEADER_KEY = "members/referees_header"


def rules_text() -> str:
    """What a referral earns under the shop's rules, or that the rewards are off."""
    rules = points_rules()
    if not rules.referrer_points and not rules.referee_points:
        return _("Referral rewards are off. Turn them on in Settings → Points and tiers.")
    return _(
        "When someone they brought in makes a first purchase, this member earns {referrer} points and the "
        "new member {referee}."
    ).format(referrer=format_count(rules.referrer_points), referee=format_count(rules.referee_points))


class ReferralsTab(MemberTab):
    """A sentence of totals, the list of referees, and the shop's referral rule underneath."""

    watches = frozenset({POINTS, SETTINGS})

    def __init__(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        unit = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, round(unit * 0.5), 0, 0)
        layout.setSpacing(round(unit * 0.5))
        self.summary = QLabel(wordWrap=True)
        self.summary.setObjectName("referralSummary")
        layout.addWidget(self.summary)

        self.model = RefereesModel(self)
        self.table = read_only_table(self, self.model)
        self.table.setObjectName("refereesTable")
        header = self.table.horizontalHeader()
        char = char_width(self)
        for column, chars in (
            (RefereeColumn.NAME, 8),
            (RefereeColumn.JOINED, 12),
            (RefereeColumn.FIRST_PURCHASE, 12),
        ):
            header.resizeSection(column, char * chars)
        restore_header(HEADER_KEY, header)
        self.empty = QLabel(wordWrap=True)
        self.empty.setObjectName("historyEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.views = QStackedWidget()
        self.views.addWidget(self.table)
        self.views.addWidget(self.empty)
        layout.addWidget(self.views, 1)

        self.rules = QLabel(wordWrap=True)
        self.rules.setObjectName("fieldHint")
        layout.addWidget(self.rules)

    def show_member(self, member_id: int | None) -> None:
        referees = []
        name = ""
        if member_id is not None:
            try:
                name = get_member(member_id).name
                referees = referees_of(member_id)
            except NotFoundError:
                member_id = None
        self.model.set_referees(referees)
        if member_id is None:
            self.summary.clear()
            self.rules.clear()
            self.views.setCurrentWidget(self.empty)
            self.empty.clear()
            return
        self.rules.setText(rules_text())
        if not referees:
            self.summary.clear()
            self.summary.hide()
            self.empty.setText(
                _(
                    "{name} has not brought anyone in yet. When a new member names {name} as the person who "
                    "referred them (in the member form), they appear here."
                ).format(name=name)
            )
            self.views.setCurrentWidget(self.empty)
            return
        buying = sum(1 for referee in referees if referee.first_purchase_at is not None)
        points = sum(referee.reward_points for referee in referees)
        brought = ngettext("Brought in {n} person", "Brought in {n} people", len(referees)).format(
            n=format_count(len(referees))
        )
        self.summary.setText(
            _("{brought}; {buying} bought something; {points} reward points earned.").format(
                brought=brought, buying=format_count(buying), points=format_count(points)
            )
        )
        self.summary.show()
        self.views.setCurrentWidget(self.table)

    def save_state(self) -> None:
        save_header(HEADER_KEY, self.table.horizontalHeader())
