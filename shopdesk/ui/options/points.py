"""Settings → Points: earning, using, expiry, holding period, visit reward and referral rewards."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)

from shopdesk.domain.points import ExpiryPolicy, PointsRules, earned_points, points_value_fen
from shopdesk.i18n import N_, _, ngettext
from shopdesk.services.catalog import list_categories
from shopdesk.services.points import points_rules, save_points_rules
from shopdesk.ui.formatting import format_count, format_money
from shopdesk.ui.options import register_options_page
from shopdesk.ui.options.base import OptionsPage
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner

EXPIRY_LABELS: dict[ExpiryPolicy, str] = {
    ExpiryPolicy.NEVER: N_("Never expire"),
    ExpiryPolicy.DAYS: N_("A number of days after they are earned"),
    ExpiryPolicy.MONTHS: N_("A number of months after they are earned"),
    ExpiryPolicy.END_OF_MONTH: N_("At the end of the month they are earned"),
    ExpiryPolicy.END_OF_NEXT_YEAR: N_("At the end of the following year"),
}
EXAMPLE_FEN = 128_50  # the sale the example sentence works out
EXAMPLE_STYLE = (
    "QLabel#rulesExample { background: #e6f4ff; border: 1px solid #bae0ff; border-radius: 6px;"
    " padding: 8px 12px; color: #0958d9; }"
)
LIST_STYLE = (
    "QListWidget#noEarnCategories { border: 1px solid #d9d9d9; border-radius: 6px; background: #ffffff; }"
)


def spin(maximum: int, *, minimum: int = 0, suffix: str = "", chars: int = 14) -> QSpinBox:
    """A right-aligned whole-number field with thousands separators."""
    box = QSpinBox()
    box.setRange(minimum, maximum)
    box.setGroupSeparatorShown(True)
    box.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if suffix:
        box.setSuffix(suffix)
    box.setMinimumWidth(char_width(box) * chars)
    box.setMaximumWidth(char_width(box) * (chars + 6))
    return box


def multiplier_box() -> QDoubleSpinBox:
    """×1.0 to ×10.0 in steps of 0.1 (stored as a percent)."""
    box = QDoubleSpinBox()
    box.setRange(1.0, 10.0)
    box.setDecimals(1)
    box.setSingleStep(0.5)
    box.setPrefix("×")
    box.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    box.setMinimumWidth(char_width(box) * 14)
    box.setMaximumWidth(char_width(box) * 20)
    return box


def rules_example(rules: PointsRules) -> str:
    """One sentence that shows the rules at work on a ¥128.50 sale."""
    if rules.points_per_yuan <= 0:
        earning = _("Purchases earn no points.")
    else:
        points = earned_points(EXAMPLE_FEN, rules)
        earning = ngettext(
            "A {amount} sale earns {points} point.", "A {amount} sale earns {points} points.", points
        ).format(amount=format_money(EXAMPLE_FEN), points=format_count(points))
    if rules.redeem_points_per_yuan <= 0:
        using = _("Points cannot pay for purchases.")
    else:
        using = _("{points} points pay {value}, up to {cap}% of a sale.").format(
            points=format_count(1000),
            value=format_money(points_value_fen(1000, rules)),
            cap=rules.redeem_cap_percent,
        )
    return _("For example: {earning} {using}").format(earning=earning, using=using)


class PointsOptionsPage(OptionsPage):
    """Every field of ``PointsRules``, grouped as the shopkeeper thinks of them."""

    NAME = "points"
    TITLE = N_("Points")
    SORT_ORDER = 10
    FIELD_ALIASES: ClassVar[dict[str, str]] = {"expiry_n": "expiry_n_value"}

    def __init__(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.example = QLabel(wordWrap=True)
        self.example.setObjectName("rulesExample")
        self.example.setStyleSheet(EXAMPLE_STYLE)
        self.layout_.insertWidget(0, self.example)
        form = self.form

        self.add_section(_("Earning points"))
        self.points_per_yuan = spin(1000, chars=12)
        form.add_row(
            "points_per_yuan",
            _("Points for each ¥1 paid"),
            self.points_per_yuan,
            hint=_("On what the member actually pays, after coupons, rounded down. 0 turns earning off."),
        )
        self.no_earn = QListWidget()
        self.no_earn.setObjectName("noEarnCategories")
        self.no_earn.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.no_earn.setMaximumHeight(self.fontMetrics().height() * 7)
        self.no_earn.setMaximumWidth(char_width(self) * 40)
        self.no_earn.setStyleSheet(LIST_STYLE)
        self.no_earn.itemChanged.connect(self.mark_changed)
        self.no_earn_none = QLabel(_("No categories yet: every purchase earns points."))
        self.no_earn_none.setObjectName("fieldHint")
        form.add_row("no_earn_category_ids", _("Categories that earn nothing"), self.no_earn)
        form.add_row("no_earn_none", "", self.no_earn_none)
        self.birthday = multiplier_box()
        form.add_row(
            "birthday_multiplier_percent",
            _("Birthday month"),
            self.birthday,
            hint=_("Points are multiplied in the member's birthday month (×1.0: no extra)."),
        )

        self.add_section(_("Using points"))
        self.redeem_rate = spin(1_000_000, chars=12)
        form.add_row(
            "redeem_points_per_yuan",
            _("Points that pay ¥1"),
            self.redeem_rate,
            hint=_("0: points cannot pay for purchases (gifts only)."),
        )
        self.redeem_cap = spin(100, suffix="%", chars=10)
        form.add_row(
            "redeem_cap_percent",
            _("Cap per purchase"),
            self.redeem_cap,
            hint=_("The most of a sale that points may pay."),
        )

        self.add_section(_("Expiry"))
        self.expiry = QComboBox()
        for policy, label in EXPIRY_LABELS.items():
            self.expiry.addItem(_(label), policy.value)
        form.add_row("expiry", _("Points expire"), self.expiry)
        self.expiry_n = spin(3650, minimum=1, chars=14)
        form.add_row("expiry_n_value", _("After"), self.expiry_n)
        self.holding = spin(365, suffix=_(" days"), chars=12)
        form.add_row(
            "holding_days",
            _("Holding period"),
            self.holding,
            hint=_(
                "Points become usable this many days after the purchase, so buy, earn and refund cannot be "
                "gamed. 0: at once."
            ),
        )

        self.add_section(
            _("Visit reward"), _("Reward regulars: the Nth purchase within a number of days earns points.")
        )
        self.visit_count = spin(20, chars=10)
        form.add_row(
            "visit_reward_count",
            _("Purchase number"),
            self.visit_count,
            hint=_("For example 3: the third purchase."),
        )
        self.visit_days = spin(365, minimum=1, suffix=_(" days"), chars=12)
        form.add_row("visit_reward_days", _("Within"), self.visit_days)
        self.visit_points = spin(1_000_000, suffix=_(" points"), chars=14)
        form.add_row("visit_reward_points", _("Reward"), self.visit_points)
        self.visit_summary = QLabel(wordWrap=True)
        self.visit_summary.setObjectName("fieldHint")
        form.add_row("visit_summary", "", self.visit_summary)

        self.add_section(
            _("Referral rewards"), _("Paid once, when the new member makes their first purchase.")
        )
        self.referrer_points = spin(1_000_000, suffix=_(" points"), chars=14)
        form.add_row("referrer_points", _("The member who referred"), self.referrer_points)
        self.referee_points = spin(1_000_000, suffix=_(" points"), chars=14)
        form.add_row("referee_points", _("The new member"), self.referee_points)

        for box in (
            self.points_per_yuan,
            self.birthday,
            self.redeem_rate,
            self.redeem_cap,
            self.expiry_n,
            self.holding,
            self.visit_count,
            self.visit_days,
            self.visit_points,
            self.referrer_points,
            self.referee_points,
        ):
            box.valueChanged.connect(self.mark_changed)
            box.valueChanged.connect(self._update_hints)
        self.expiry.currentIndexChanged.connect(self.mark_changed)
        self.expiry.currentIndexChanged.connect(self._update_hints)
        self.first_field = self.points_per_yuan

    # Loading and saving -----------------------------------------------------------------------------

    def load(self) -> None:
        rules = points_rules()
        self.points_per_yuan.setValue(rules.points_per_yuan)
        self.no_earn.clear()
        categories = list_categories()
        for category in categories:
            item = QListWidgetItem(category.name)
            item.setData(Qt.ItemDataRole.UserRole, category.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            checked = category.id in rules.no_earn_category_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.no_earn.addItem(item)
        self.no_earn.setVisible(bool(categories))
        self.form.layout_.setRowVisible(self.no_earn_none.parentWidget(), not categories)
        self.birthday.setValue(rules.birthday_multiplier_percent / 100)
        self.redeem_rate.setValue(rules.redeem_points_per_yuan)
        self.redeem_cap.setValue(rules.redeem_cap_percent)
        self.expiry.setCurrentIndex(self.expiry.findData(rules.expiry.value))
        self.expiry_n.setValue(max(1, rules.expiry_n))
        self.holding.setValue(rules.holding_days)
        self.visit_count.setValue(rules.visit_reward_count)
        self.visit_days.setValue(max(1, rules.visit_reward_days))
        self.visit_points.setValue(rules.visit_reward_points)
        self.referrer_points.setValue(rules.referrer_points)
        self.referee_points.setValue(rules.referee_points)
        self._update_hints()

    def rules(self) -> PointsRules:
        """The rules as the fields say now."""
        no_earn = frozenset(
            self.no_earn.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.no_earn.count())
            if self.no_earn.item(row).checkState() == Qt.CheckState.Checked
        )
        return PointsRules(
            points_per_yuan=self.points_per_yuan.value(),
            no_earn_category_ids=no_earn,
            birthday_multiplier_percent=round(self.birthday.value() * 100),
            redeem_points_per_yuan=self.redeem_rate.value(),
            redeem_cap_percent=self.redeem_cap.value(),
            expiry=ExpiryPolicy(self.expiry.currentData()),
            expiry_n=self.expiry_n.value(),
            holding_days=self.holding.value(),
            visit_reward_count=self.visit_count.value(),
            visit_reward_days=self.visit_days.value(),
            visit_reward_points=self.visit_points.value(),
            referrer_points=self.referrer_points.value(),
            referee_points=self.referee_points.value(),
        )

    def save(self) -> None:
        self.store(save_points_rules, self.rules())

    # ------------------------------------------------------------------------------------------------

    def _update_hints(self, *_args: object) -> None:
        policy = ExpiryPolicy(self.expiry.currentData())
        counted = policy in (ExpiryPolicy.DAYS, ExpiryPolicy.MONTHS)
        self.form.layout_.setRowVisible(self.expiry_n.parentWidget(), counted)
        self.expiry_n.setSuffix(_(" days") if policy is ExpiryPolicy.DAYS else _(" months"))
        rules = self.rules()
        self.example.setText(rules_example(rules))
        if rules.visit_reward_points <= 0 or rules.visit_reward_count <= 1:
            self.visit_summary.setText(_("Off: set a purchase number of 2 or more and a reward."))
        else:
            self.visit_summary.setText(
                ngettext(
                    "Purchase number {n} within {days} day earns {points} points, once per period.",
                    "Purchase number {n} within {days} days earns {points} points, once per period.",
                    rules.visit_reward_days,
                ).format(
                    n=rules.visit_reward_count,
                    days=rules.visit_reward_days,
                    points=format_count(rules.visit_reward_points),
                )
            )


register_options_page(PointsOptionsPage)
