"""Issuing a coupon to every member of a saved segment or a tag (群发优惠券), in one transaction.

The count of members is shown before anything happens. Members who did not agree to receive offers, or
who already hold as many of the template's coupons as allowed, are skipped and counted. The issuing runs
on the DB lane with a progress dialog; cancelling it rolls everything back.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QButtonGroup, QComboBox, QDialog, QGridLayout, QLabel, QRadioButton, QWidget

from shopdesk.errors import ValidationError
from shopdesk.i18n import _, ngettext
from shopdesk.services import session
from shopdesk.services.coupon_templates import list_templates
from shopdesk.services.coupons import IssueResult, issue_coupons
from shopdesk.services.progress import Progress
from shopdesk.services.segments import (
    SegmentFilter,
    count_segment,
    get_segment,
    list_segments,
    segment_member_ids,
)
from shopdesk.services.tags import get_tag, list_tags
from shopdesk.ui.dialogs.base import FormDialog
from shopdesk.ui.events import COUPONS
from shopdesk.ui.formatting import format_count
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner

SEGMENT, TAG = "segment", "tag"


@dataclass(frozen=True, slots=True)
class Audience:
    """Who gets the coupons: a saved segment or a tag, by id."""

    kind: str
    id: int

    def segment(self) -> SegmentFilter:
        if self.kind == TAG:
            return SegmentFilter(tags_any=(self.id,))
        return get_segment(self.id).filter

    def name(self) -> str:
        return get_tag(self.id).name if self.kind == TAG else get_segment(self.id).name


def issue_to_audience(
    template_id: int, audience: Audience, *, operator: str = "", progress: Progress | None = None
) -> IssueResult:
    """One coupon of the template to each member of ``audience`` (runs on the DB lane), as one batch
    named after the segment or tag."""
    member_ids = segment_member_ids(audience.segment())
    if not member_ids:
        raise ValidationError("audience", _("Nobody is in this group at the moment."))
    return issue_coupons(
        template_id,
        member_ids,
        label=audience.name(),
        source=audience.kind,
        operator=operator,
        progress=progress,
        respect_consent=True,
    )


class IssueCouponsDialog(FormDialog):
    """Template, then a segment or a tag; ``result`` says how many were issued and skipped."""

    def __init__(
        self, parent: QWidget | None, runner: BaseTaskRunner, template_id: int | None = None
    ) -> None:
        super().__init__(
            parent,
            runner,
            _("Issue coupons"),
            _(
                "Give one coupon to every member of a saved segment or a tag. Members who did not agree to "
                "receive offers, or who already have as many of these coupons as allowed, are skipped."
            ),
        )
        self.subtitle.setWordWrap(True)
        self.result_: IssueResult | None = None
        char = char_width(self)
        self.form.setMinimumWidth(char * 70)
        self.subtitle.setMaximumWidth(char * 90)
        self.save_button.setText(_("Issue"))

        self.template = QComboBox()
        for template in list_templates(include_paused=False):
            self.template.addItem(
                _("{name} ({terms})").format(name=template.name, terms=template.description), template.id
            )
        if template_id is not None:
            self.template.setCurrentIndex(max(0, self.template.findData(template_id)))

        self.to_segment = QRadioButton(_("Saved segment"))
        self.to_tag = QRadioButton(_("Tag"))
        self._kind = QButtonGroup(self)
        self._kind.addButton(self.to_segment)
        self._kind.addButton(self.to_tag)
        self.segment = QComboBox()
        for segment in list_segments():
            self.segment.addItem(segment.name, segment.id)
        self.tag = QComboBox()
        for tag in list_tags(with_counts=True):
            self.tag.addItem(
                _("{name} ({count})").format(name=tag.name, count=format_count(tag.member_count)), tag.id
            )
        self.count = QLabel()
        self.count.setObjectName("fieldHint")

        audience = QWidget()
        grid = QGridLayout(audience)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.to_segment, 0, 0)
        grid.addWidget(self.segment, 0, 1)
        grid.addWidget(self.to_tag, 1, 0)
        grid.addWidget(self.tag, 1, 1)
        grid.setColumnStretch(1, 1)
        self.form.add_row("template", _("Coupon"), self.template, required=True)
        self.form.add_row("audience", _("Give to"), audience, required=True)
        self.form.add_row("count", _("Members"), self.count)

        if self.segment.count():
            self.to_segment.setChecked(True)
        else:
            self.to_tag.setChecked(True)
        self.to_segment.setEnabled(self.segment.count() > 0)
        self.to_tag.setEnabled(self.tag.count() > 0)
        self.to_segment.toggled.connect(self._update)
        self.segment.currentIndexChanged.connect(self._update)
        self.tag.currentIndexChanged.connect(self._update)
        self.first_field = self.template
        self.set_tab_order([self.template, self.to_segment, self.segment, self.to_tag, self.tag])
        self._update()
        if not self.template.count():
            self.form.show_error("template", _("No active coupon templates: make or resume one first."))
            self.save_button.setEnabled(False)

    def audience(self) -> Audience | None:
        if self.to_segment.isChecked() and self.segment.currentData() is not None:
            return Audience(SEGMENT, self.segment.currentData())
        if self.to_tag.isChecked() and self.tag.currentData() is not None:
            return Audience(TAG, self.tag.currentData())
        return None

    def _update(self, *_args: object) -> None:
        """Enable the chosen list and say how many members it holds now."""
        self.segment.setEnabled(self.to_segment.isChecked())
        self.tag.setEnabled(self.to_tag.isChecked())
        audience = self.audience()
        if audience is None:
            self.count.setText(_("Save a segment or make a tag first, on the Tags and segments page."))
            return
        members = count_segment(audience.segment())
        self.count.setText(
            ngettext("{n} member at the moment", "{n} members at the moment", members).format(
                n=format_count(members)
            )
        )

    def save(self) -> None:
        template_id = self.template.currentData()
        if template_id is None:
            raise ValidationError("template", _("Choose the coupon to issue."))
        audience = self.audience()
        if audience is None:
            raise ValidationError("audience", _("Choose a saved segment or a tag."))
        self._set_busy(True)
        self.runner.run(
            issue_to_audience,
            template_id,
            audience,
            operator=session.current().operator,
            changes={COUPONS},
            initiator=self,
            on_done=self._issued,
            on_error=self._failed,
            progress_label=_("Issuing coupons…"),
            parent=self,
        )

    def _issued(self, result: IssueResult) -> None:
        self._set_busy(False)
        self.result_ = result
        self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, runner: BaseTaskRunner, template_id: int | None = None
    ) -> IssueResult | None:
        """Show the dialog; how many coupons were issued and skipped, or None when cancelled."""
        dialog = cls(parent, runner, template_id)
        try:
            return dialog.result_ if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


def result_text(result: IssueResult) -> str:
    """``Issued 120 coupons; 5 members were skipped.`` for the page's notice."""
    issued = ngettext("Issued {n} coupon.", "Issued {n} coupons.", result.issued).format(
        n=format_count(result.issued)
    )
    if not result.skipped:
        return issued
    skipped = ngettext(
        "{n} member was skipped (no consent to offers, or the limit reached).",
        "{n} members were skipped (no consent to offers, or the limit reached).",
        result.skipped,
    ).format(n=format_count(result.skipped))
    return _("{issued} {skipped}").format(issued=issued, skipped=skipped)
