"""Settings → Tiers: the tier list (name, threshold, multiplier, perks), what counts, yearly review."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopdesk.i18n import N_, _
from shopdesk.services.tiers import (
    BASIS_12_MONTHS,
    BASIS_LIFETIME,
    TierInput,
    list_tiers,
    save_tier_rules,
    save_tiers,
    tier_rules,
)
from shopdesk.ui.icons import icon
from shopdesk.ui.models.tier_list import TierColumn, TierListModel
from shopdesk.ui.options import register_options_page
from shopdesk.ui.options.base import OptionsPage
from shopdesk.ui.style import char_width, row_height
from shopdesk.ui.tasks import BaseTaskRunner


def store_tier_settings(tiers: list[TierInput], basis: str, yearly_review: bool) -> None:
    """The list first (it has the most to check), then the rules; both need the owner."""
    save_tiers(tiers)
    save_tier_rules(basis, yearly_review)


class TiersOptionsPage(OptionsPage):
    """The list is edited in place (double-click or F2 on a cell); Add and Remove below it."""

    NAME = "tiers"
    TITLE = N_("Tiers")
    SORT_ORDER = 20
    FIELD_ALIASES: ClassVar[dict[str, str]] = {"name": "tiers", "threshold": "tiers", "multiplier": "tiers"}

    def __init__(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        char = char_width(self)
        form = self.form
        self.add_section(
            _("Tier list"),
            _(
                "Members move up at the purchase that reaches a tier's spending. The multiplier applies to "
                "the points they earn; perks are a reminder for the counter."
            ),
        )
        self.model = TierListModel(self)
        self.table = QTableView()
        self.table.setObjectName("tierTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(row_height(self))
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column, chars in ((TierColumn.NAME, 12), (TierColumn.THRESHOLD, 21), (TierColumn.MULTIPLIER, 16)):
            header.resizeSection(column, char * chars)
        self.table.setMinimumWidth(char * 80)
        self.table.setFixedHeight(row_height(self) * 7)
        self.model.dataChanged.connect(self.mark_changed)
        self.model.rowsInserted.connect(self.mark_changed)
        self.model.rowsRemoved.connect(self.mark_changed)
        self.table.itemDelegate().closeEditor.connect(self._edit_finished)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        tiers_box = QWidget()
        column = QVBoxLayout(tiers_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(icon("add-dark"), _("Add tier"))
        self.add_button.clicked.connect(self.add_tier)
        self.remove_button = QPushButton(_("Remove tier"))
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.remove_tier)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        column.addLayout(buttons)
        form.add_row("tiers", "", tiers_box)

        self.add_section(_("How tiers are counted"))
        basis_box = QWidget()
        basis = QVBoxLayout(basis_box)
        basis.setContentsMargins(0, 0, 0, 0)
        self.lifetime = QRadioButton(_("All spending since the member joined"))
        self.last_year = QRadioButton(_("Spending in the last 12 months"))
        self._basis = QButtonGroup(self)
        for button in (self.lifetime, self.last_year):
            self._basis.addButton(button)
            basis.addWidget(button)
            button.toggled.connect(self.mark_changed)
        form.add_row("basis", _("Spending counted"), basis_box)
        self.review = QCheckBox(_("Review tiers once a year; members whose spending dropped move down"))
        self.review.toggled.connect(self.mark_changed)
        form.add_row(
            "yearly_review",
            _("Yearly review"),
            self.review,
            hint=_(
                "Without it a member keeps their tier. Tiers set by hand are never changed by the review."
            ),
        )
        self.first_field = self.table

    def load(self) -> None:
        self.model.set_tiers(list_tiers())
        rules = tier_rules()
        (self.last_year if rules.get("basis") == BASIS_12_MONTHS else self.lifetime).setChecked(True)
        self.review.setChecked(bool(rules.get("yearly_review")))
        self._selection_changed()

    def save(self) -> None:
        basis = BASIS_12_MONTHS if self.last_year.isChecked() else BASIS_LIFETIME
        self.store(store_tier_settings, self.model.tiers(), basis, self.review.isChecked())

    def add_tier(self) -> None:
        row = self.model.add_tier()
        index = self.model.index(row, TierColumn.NAME)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def remove_tier(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.model.remove_tier(rows[0].row())

    def _selection_changed(self, *_args: object) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _edit_finished(self, *_args: object) -> None:
        self.form.clear_errors()
        if self.model.last_error:
            self.form.show_error("tiers", self.model.last_error)
            self.model.last_error = ""


register_options_page(TiersOptionsPage)
