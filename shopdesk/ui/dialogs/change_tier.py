"""Changing a member's tier by hand (手动调整等级), or giving a hand-set tier back to the spending rule;
the reason is kept in the tier history."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QWidget

from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.services import session
from shopdesk.services.members import get_member
from shopdesk.services.session import Permission
from shopdesk.services.tiers import (
    TierView,
    list_tiers,
    member_tier_state,
    release_manual_tier,
    set_tier_manually,
    tier_rules,
)
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import MEMBERS, POINTS
from shopdesk.ui.formatting import format_money
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner

# The tier combo's data for "give the tier back to the spending rule" (tier ids are ints, "No tier" None).
AUTOMATIC = "automatic"
# A tier change shows in the members table's tier filter and in the detail panel's tier chip and tab.
TIER_CHANGES = frozenset({MEMBERS, POINTS})
# The note on what the choice means: a calm information box (the theme has none yet).
NOTE_STYLE = (
    "QLabel#tierNote { background: #e6f4ff; border: 1px solid #91caff; border-radius: 6px;"
    " padding: 6px 10px; color: #262626; }"
)


def change_tier_allowed() -> bool:
    """The owner changes tiers, as they adjust points (a clerk sees the action disabled, with the reason)."""
    return session.can(Permission.ADJUST_POINTS)


def change_tier_not_allowed_tip() -> str:
    return _("Only the owner can change a member's tier. Ask the owner to log in.")


def tier_choice_text(tier: TierView) -> str:
    """``金卡 · from ¥3,000.00``: the threshold says what the tier normally takes."""
    if tier.threshold_fen <= 0:
        return tier.name
    return _("{tier} · from {amount}").format(tier=tier.name, amount=format_money(tier.threshold_fen))


def manual_note(yearly_review: bool) -> str:
    """What setting a tier by hand means (the rule of ``upgrade_for_spending`` and ``review_tiers``)."""
    if yearly_review:
        return _(
            "A tier set by hand stays until it is changed here: purchases no longer raise it and the "
            "yearly review leaves it alone."
        )
    return _("A tier set by hand stays until it is changed here: purchases no longer raise it.")


class ChangeTierDialog(FormDialog):
    """Pick a tier (or "No tier", or back to the spending rule) and give a reason."""

    def __init__(self, parent: QWidget | None, runner: BaseTaskRunner, member_id: int) -> None:
        detail = get_member(member_id)
        self.state = member_tier_state(member_id)
        self.tiers = list_tiers()
        self.yearly_review = bool(tier_rules().get("yearly_review"))
        names = {tier.id: tier.name for tier in self.tiers}
        held = names.get(self.state.tier_id) if self.state.tier_id is not None else None
        reached = self.state.reached.name if self.state.reached is not None else _("No tier")
        if self.state.manual:
            subtitle = (
                _("{name} is {tier} now, set by hand; their spending reaches {reached}.")
                if held
                else _("{name} has no tier now, set by hand; their spending reaches {reached}.")
            ).format(name=detail.name, tier=held, reached=reached)
        else:
            subtitle = (
                _("{name} is {tier} now, reached by spending.") if held else _("{name} has no tier now.")
            ).format(name=detail.name, tier=held)
        # Two lines rather than two sentences joined by a space (Chinese puts none after "。").
        subtitle += "\n" + _("The change and its reason are kept in the tier history.")
        super().__init__(parent, runner, _("Change tier"), subtitle)
        self.member_id = member_id
        self.member_name = detail.name
        self.saved = False
        self.form.setMinimumWidth(char_width(self) * 64)

        self.tier = QComboBox()
        self.tier.setObjectName("tierChoice")
        if self.state.manual:
            self.tier.addItem(_("Follow spending ({tier})").format(tier=reached), AUTOMATIC)
            self.tier.insertSeparator(1)
        for tier in self.tiers:
            self.tier.addItem(tier_choice_text(tier), tier.id)
        self.tier.addItem(_("No tier"), None)
        self.tier.setMinimumWidth(char_width(self) * 28)
        self.form.add_row("tier", _("Tier"), self.tier, required=True)

        self.reason = QLineEdit(
            maxLength=200, placeholderText=_("For example: long-standing customer, agreed with the owner")
        )
        self.form.add_row("reason", _("Reason"), self.reason, required=True)

        # What the choice means, below the form: a wrapped label inside a form row is measured too short
        # and squeezes the fields (see ``widgets.form``), so it lives in the dialog's own column.
        self.note = QLabel()
        self.note.setObjectName("tierNote")
        self.note.setStyleSheet(NOTE_STYLE)
        self.note.setWordWrap(True)
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self.form) + 1, self.note)

        index = self.tier.findData(self.state.tier_id)
        self.tier.setCurrentIndex(index if index >= 0 else self.tier.count() - 1)
        self.tier.currentIndexChanged.connect(self._update_note)
        self._update_note()
        self.first_field = self.tier
        self.set_tab_order((self.tier, self.reason))
        if not change_tier_allowed():
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(change_tier_not_allowed_tip())

    def choice(self) -> int | str | None:
        """A tier id, None for "No tier", or ``AUTOMATIC``."""
        return self.tier.currentData()

    def _update_note(self, *_args: object) -> None:
        if self.choice() == AUTOMATIC:
            reached = self.state.reached
            self.note.setText(
                _(
                    "The tier goes back to {tier}, the one the spending reaches, and purchases raise it "
                    "again."
                ).format(tier=reached.name)
                if reached is not None
                else _("The spending reaches no tier yet: purchases set the tier again once they reach one.")
            )
        else:
            self.note.setText(manual_note(self.yearly_review))

    def save(self) -> None:
        choice = self.choice()
        if self.state.manual and choice == self.state.tier_id:
            raise ValidationError(
                "tier", _("{name} already has this tier. Choose another one.").format(name=self.member_name)
            )
        reason = " ".join(self.reason.text().split())
        if not reason:
            raise ValidationError("reason", _("Please give a reason for changing the tier."))
        operator = session.current().operator
        if choice == AUTOMATIC:
            self.run_save(
                partial(release_manual_tier, operator=operator),
                self.member_id,
                reason,
                changes=TIER_CHANGES,
                on_done=self._done,
            )
        else:
            self.run_save(
                partial(set_tier_manually, operator=operator),
                self.member_id,
                choice,
                reason,
                changes=TIER_CHANGES,
                on_done=self._done,
            )

    def _done(self, _result: object) -> None:
        self.saved = True
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner, member_id: int) -> bool:
        """Show the dialog; True once a change is saved."""
        dialog = cls(parent, runner, member_id)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved
        finally:
            dialog.deleteLater()
