"""A member's personal-data requests from the detail panel: export their data to a file, or erase it."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _
from shopdesk.services import session
from shopdesk.services.privacy import delete_member, export_member_file
from shopdesk.ui import prompts
from shopdesk.ui.errors import report_error
from shopdesk.ui.events import COUPONS, FOLLOWUPS, MEMBERS, PURCHASES
from shopdesk.ui.tasks import BaseTaskRunner, Job


def choose_export_path(parent: QWidget | None, suggested: str) -> str:
    """Where to save the JSON file ('' when cancelled); tests replace this."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Export this member's data"), suggested, _("JSON files (*.json)")
    )
    return path


def _allowed(parent: QWidget | None, permission: session.Permission) -> bool:
    try:
        session.require(permission)
    except ShopDeskError as exc:
        report_error(parent, exc)
        return False
    return True


def export_member(parent: QWidget | None, runner: BaseTaskRunner, member_id: int) -> Job | None:
    """Ask where, then write everything the shop holds about the member (a data request under PIPL)."""
    if not _allowed(parent, session.Permission.EXPORT):
        return None
    path = choose_export_path(parent, str(Path.home() / f"member-{member_id}.json"))
    if not path:
        return None
    return runner.run(export_member_file, member_id, path, parent=parent)


def erase_member(parent: QWidget | None, runner: BaseTaskRunner, member_id: int, name: str) -> Job | None:
    """Erase the member's personal data after a confirmation that says what older backups still hold."""
    if not _allowed(parent, session.Permission.DELETE_MEMBERS):
        return None
    if not prompts.confirm(
        parent,
        _("Delete {name} and erase their personal data?").format(name=name),
        _(
            "Their name, phone, birthday, notes and contact notes are erased now; their purchases stay in "
            "the shop's figures without their name. Older backups still hold the data until they rotate "
            "out (monthly backups are kept for a year)."
        ),
        _("Delete"),
    ):
        return None
    return runner.run(
        partial(delete_member, actor=session.current().operator),
        member_id,
        changes={MEMBERS, PURCHASES, COUPONS, FOLLOWUPS},
        parent=parent,
    )
