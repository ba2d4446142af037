"""Privacy in the member dialog and panel: consent, erasing a member, exporting one member's data."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QDialog

from shopdesk.services import session
from shopdesk.services.members import MemberInput, create_member, get_member
from shopdesk.services.privacy import Consent, get_consent
from shopdesk.services.session import Role, Session
from shopdesk.ui import member_privacy
from shopdesk.ui.dialogs.member_edit import MemberEditDialog
from shopdesk.ui.screens.member_detail import MemberDetailPanel

OWNER_ONLY = "Only the owner can do this. Ask the owner to log in."


@pytest.fixture
def clerk():
    session.set_current(Session(7, "小美", Role.CLERK))
    yield
    session.set_current(None)


@pytest.fixture
def panel(qtbot, shop, runner) -> MemberDetailPanel:
    panel = MemberDetailPanel(runner)
    qtbot.addWidget(panel)
    panel.resize(520, 760)
    panel.show()
    return panel


def test_a_new_member_can_refuse_offers_and_reminders(qtbot, runner, shop):
    dialog = MemberEditDialog(None, runner)
    qtbot.addWidget(dialog)
    assert dialog.marketing.isChecked() and dialog.reminders.isChecked()
    dialog.name.setText("王丽")
    dialog.phone.setText("13800138000")
    dialog.marketing.setChecked(False)
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert get_consent(dialog.saved_id) == Consent(marketing=False, reminders=True)


def test_editing_a_member_shows_and_changes_their_consent(qtbot, runner, shop):
    member = create_member(MemberInput(name="王丽", phone="13800138000"))
    dialog = MemberEditDialog(None, runner, member)
    qtbot.addWidget(dialog)
    dialog.reminders.setChecked(False)
    dialog.submit()
    assert get_consent(member) == Consent(marketing=True, reminders=False)
    again = MemberEditDialog(None, runner, member)
    qtbot.addWidget(again)
    assert again.marketing.isChecked() and not again.reminders.isChecked()


def test_erasing_a_member_asks_first_and_mentions_the_backups(panel, answers, messages):
    member = create_member(MemberInput(name="王丽", phone="13800138000", notes="敏感肌"))
    panel.show_member(member)
    answers.append(False)
    panel.erase()
    assert answers.asked == ["Delete 王丽 and erase their personal data?"]
    assert get_member(member).name == "王丽"
    panel.erase()
    erased = get_member(member)
    assert erased.name == f"Deleted member #{member}" and erased.phone in ("", None) and erased.notes == ""
    assert messages == []


def test_one_members_data_goes_to_a_json_file(panel, tmp_path, monkeypatch):
    member = create_member(MemberInput(name="王丽", phone="13800138000"))
    panel.show_member(member)
    target = tmp_path / "wang.json"
    monkeypatch.setattr(member_privacy, "choose_export_path", lambda parent, suggested: str(target))
    panel.export_data()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["member"]["name"], data["member"]["phone"]) == ("王丽", "13800138000")


def test_a_clerk_can_neither_erase_nor_export(panel, clerk, answers, messages):
    member = create_member(MemberInput(name="王丽", phone="13800138000"))
    panel.show_member(member)
    panel._update_privacy_actions()
    assert not panel.erase_action.isEnabled() and not panel.export_data_action.isEnabled()
    panel.erase()
    panel.export_data()
    assert [m.text for m in messages] == [OWNER_ONLY, OWNER_ONLY]
    assert answers.asked == [] and get_member(member).name == "王丽"
