"""The first-run wizard (开店向导): shop name, shop type, points rule, then how to begin.

Shown once, when a shop has no name and no members. Finishing stores the answers through
``services.setup.apply_shop_setup`` (one transaction on the DB lane); the last page's choice — start
empty, import an existing sheet, or look around the demo shop — is carried out by the main window.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from shopdesk.domain.shop_types import SHOP_TYPE_KEYS, SHOP_TYPE_PRESETS
from shopdesk.errors import ShopDeskError, ValidationError
from shopdesk.i18n import N_, _, ngettext
from shopdesk.services.setup import SetupResult, apply_shop_setup, needs_first_run
from shopdesk.ui.errors import report_error
from shopdesk.ui.events import SETTINGS
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner

if TYPE_CHECKING:
    from shopdesk.ui.main_window import MainWindow

MAX_NAME = 60
# (points per yuan, label): the common choices; the full rules are under Settings.
POINTS_CHOICES: tuple[tuple[int, str], ...] = (
    (1, N_("1 point for every ¥1 spent (most shops)")),
    (2, N_("2 points for every ¥1 spent")),
    (10, N_("10 points for every ¥1 spent")),
    (0, N_("No points for now")),
)


class Start(StrEnum):
    EMPTY = "empty"
    IMPORT = "import"
    DEMO = "demo"


START_CHOICES: tuple[tuple[Start, str, str], ...] = (
    (Start.EMPTY, N_("Start with an empty shop"), N_("Add members as customers come in.")),
    (
        Start.IMPORT,
        N_("Import an existing sheet"),
        N_("Bring in the members you already keep in Excel or a CSV file."),
    ),
    (
        Start.DEMO,
        N_("Look around the demo shop first"),
        N_("A made-up shop with 2,000 members; your own shop stays empty and separate."),
    ),
)


@dataclass(frozen=True, slots=True)
class FirstRunAnswer:
    setup: SetupResult
    start: Start


class NamePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Welcome to ShopDesk"))
        self.setSubTitle(
            _("Three quick questions and your shop is ready. You can change every answer later.")
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("What is your shop called?")))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("shopName")
        self.name_edit.setMaxLength(MAX_NAME)
        self.name_edit.setPlaceholderText(_("For example: Qingxin Tea House"))
        self.name_edit.setMinimumWidth(char_width(self) * 40)
        layout.addWidget(self.name_edit)
        hint = QLabel(_("The name appears on the window, on printed lists and on exports."))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.error_label = QLabel()
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        layout.addStretch()
        self.registerField("shop_name*", self.name_edit)
        self.name_edit.textChanged.connect(lambda _text: self.error_label.hide())

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def isComplete(self) -> bool:
        return bool(self.name_edit.text().strip())


class TypePage(QWizardPage):
    """One radio button per shop type, and the categories it will bring, so the choice is concrete."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("What kind of shop is it?"))
        self.setSubTitle(
            _("ShopDesk fills in the usual categories and how often customers buy them again, so reminders "
              "work from day one.")
        )
        layout = QGridLayout(self)
        layout.setHorizontalSpacing(char_width(self) * 4)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for row, key in enumerate(SHOP_TYPE_KEYS):
            button = QRadioButton(_(SHOP_TYPE_PRESETS[key].label))
            button.setObjectName(f"shopType_{key}")
            self.group.addButton(button, row)
            self.buttons[key] = button
            layout.addWidget(button, row, 0)
        self.preview = QLabel()
        self.preview.setObjectName("shopTypePreview")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview.setMinimumWidth(char_width(self) * 44)
        layout.addWidget(self.preview, 0, 1, len(SHOP_TYPE_KEYS), 1)
        layout.setColumnStretch(1, 1)
        layout.setRowStretch(len(SHOP_TYPE_KEYS), 1)
        self.group.idToggled.connect(self._toggled)
        self.buttons["cosmetics"].setChecked(True)

    def shop_type(self) -> str:
        return SHOP_TYPE_KEYS[max(0, self.group.checkedId())]

    def set_shop_type(self, key: str) -> None:
        self.buttons[key].setChecked(True)

    def _toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._show_preview()

    def _show_preview(self) -> None:
        preset = SHOP_TYPE_PRESETS[self.shop_type()]
        lines = []
        for category in preset.categories:
            if category.repurchase_days:
                cycle = ngettext(
                    "bought again after about {days} day", "bought again after about {days} days",
                    category.repurchase_days,
                ).format(days=category.repurchase_days)
            else:
                cycle = _("no usual cycle")
            name = _escape(_(category.name))
            lines.append(_("<b>{category}</b>: {cycle}").format(category=name, cycle=_escape(cycle)))
        heading = _("Categories you will start with:")
        self.preview.setText(f"<p>{_escape(heading)}</p><p>{'<br>'.join(lines)}</p>")


class PointsPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("How do members earn points?"))
        self.setSubTitle(_("Pick the usual rule; redeeming, expiry and tier bonuses are under Settings."))
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        for index, (_rate, label) in enumerate(POINTS_CHOICES):
            button = QRadioButton(_(label))
            button.setObjectName(f"points_{index}")
            self.group.addButton(button, index)
            layout.addWidget(button)
        self.group.button(0).setChecked(True)
        layout.addStretch()

    def points_per_yuan(self) -> int:
        return POINTS_CHOICES[max(0, self.group.checkedId())][0]


class StartPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("How would you like to begin?"))
        self.setSubTitle(_("Whatever you choose, your shop is set up when you press Start."))
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        for index, (start, label, detail) in enumerate(START_CHOICES):
            button = QRadioButton(_(label))
            button.setObjectName(f"start_{start.value}")
            self.group.addButton(button, index)
            layout.addWidget(button)
            note = QLabel(_(detail))
            note.setObjectName("hint")
            note.setWordWrap(True)
            note.setIndent(char_width(self) * 4)
            layout.addWidget(note)
        self.group.button(0).setChecked(True)
        layout.addStretch()

    def start(self) -> Start:
        return START_CHOICES[max(0, self.group.checkedId())][0]


class FirstRunWizard(QWizard):
    """The four pages; Finish (labelled Start) saves on the DB lane and closes once it is stored."""

    def __init__(self, parent: QWidget | None, runner: BaseTaskRunner) -> None:
        super().__init__(parent)
        self.runner = runner
        self.answer: FirstRunAnswer | None = None
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(_("Set up your shop"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Start"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Later"))
        self.name_page = NamePage()
        self.type_page = TypePage()
        self.points_page = PointsPage()
        self.start_page = StartPage()
        for page in (self.name_page, self.type_page, self.points_page, self.start_page):
            self.addPage(page)
        self.resize(char_width(self) * 96, self.fontMetrics().height() * 30)

    def accept(self) -> None:
        """Store the answers first; the wizard closes only once they are saved."""
        if not self.button(QWizard.WizardButton.FinishButton).isEnabled():
            return  # a double Enter while saving
        self._set_busy(True)
        start = self.start_page.start()

        def saved(result: SetupResult) -> None:
            self._set_busy(False)
            self.answer = FirstRunAnswer(result, start)
            super(FirstRunWizard, self).accept()

        self.runner.run(
            apply_shop_setup,
            self.field("shop_name"),
            self.type_page.shop_type(),
            self.points_page.points_per_yuan(),
            changes={SETTINGS},
            initiator=self,
            on_done=saved,
            on_error=self._failed,
            parent=self,
        )

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ValidationError) and exc.field == "name":
            while self.currentPage() is not self.name_page:
                self.back()
            self.name_page.show_error(str(exc))
        else:
            report_error(self, exc)

    def _set_busy(self, busy: bool) -> None:
        for which in (QWizard.WizardButton.FinishButton, QWizard.WizardButton.BackButton):
            self.button(which).setEnabled(not busy)

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner) -> FirstRunAnswer | None:
        """Run the wizard; the stored answers, or None when the owner chose Later."""
        wizard = cls(parent, runner)
        try:
            wizard.exec()
            return wizard.answer
        finally:
            wizard.deleteLater()


def offer_first_run(window: MainWindow) -> FirstRunAnswer | None:
    """At start: the wizard for a brand-new shop, then the chosen way to begin (import or the demo)."""
    try:
        if not needs_first_run():
            return None
    except ShopDeskError as exc:  # a locked or broken database is explained, never fatal here
        report_error(window, exc)
        return None
    answer = FirstRunWizard.ask(window, window.runner)
    if answer is None:
        return None
    if answer.start is Start.IMPORT:
        window.import_data()
    elif answer.start is Start.DEMO:
        window.open_demo()
    return answer


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
