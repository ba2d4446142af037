"""The small service helpers the safety screens use: restoring over a damaged file, the PIN wait, the log."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from shopdesk.db.database import close_database, open_database
from shopdesk.errors import StorageError, UserError
from shopdesk.services import accounts, audit, backup, catalog, members
from shopdesk.services.members import MemberInput
from shopdesk.services.session import Role, set_current


@pytest.fixture(autouse=True)
def nobody_logged_in():
    yield
    set_current(None)


@pytest.fixture
def shop(tmp_path):
    db = open_database(tmp_path / "shop.db")
    backup.set_backup_folder(tmp_path / "backups")
    yield db
    close_database()
    set_current(None)


def test_restore_file_replaces_a_damaged_shop_with_the_newest_good_backup(shop, tmp_path) -> None:
    members.create_member(MemberInput(name="张三", phone="13800138000"))
    backup.create_backup("manual")
    close_database()
    path = tmp_path / "shop.db"
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"shop.db{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"this is not a database any more" * 300)
    with pytest.raises(StorageError) as caught:
        open_database(path)
    assert backup.is_damaged_file_error(caught.value)

    good = backup.newest_good_backup(path)
    assert good is not None
    backup.restore_file(good.path, path)
    open_database(path)
    assert members.count_members() == 1


def test_restore_file_refuses_a_damaged_backup_and_leaves_the_file(shop, tmp_path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"nope" * 100)
    target = tmp_path / "other.db"
    sqlite3.connect(target).close()
    with pytest.raises(StorageError):
        backup.restore_file(garbage, target)
    assert target.stat().st_size == 0


def test_wait_seconds_counts_down_after_too_many_wrong_pins(db) -> None:
    owner = catalog.create_staff("老板")
    accounts.set_account(owner, Role.OWNER, "482915")
    start = dt.datetime(2026, 1, 5, 10, 0, 0)
    assert accounts.wait_seconds(owner, at=start) == 0
    for _attempt in range(accounts.FREE_ATTEMPTS):
        with pytest.raises(UserError):
            accounts.login(owner, "000000", at=start)
    assert accounts.wait_seconds(owner, at=start) == 31
    assert accounts.wait_seconds(owner, at=start + dt.timedelta(seconds=20)) == 11
    assert accounts.wait_seconds(owner, at=start + dt.timedelta(seconds=31)) == 0


def test_list_audit_pages_newest_first_and_is_the_owners_alone(db) -> None:
    owner = catalog.create_staff("老板")
    clerk = catalog.create_staff("小王")
    accounts.set_account(owner, Role.OWNER, "482915")
    accounts.set_account(clerk, Role.CLERK, "1357")
    entries = audit.list_audit(limit=1)
    assert [e.action for e in entries] == ["accounts.role"]
    assert entries[0].target == f"staff:{clerk}" and entries[0].details["role"] == "clerk"
    assert audit.list_audit(limit=5, offset=1)[0].target == f"staff:{owner}"
    accounts.login(clerk, "1357")
    with pytest.raises(UserError):
        audit.list_audit()


def test_consent_reads_back_and_one_members_data_goes_to_a_json_file(shop, tmp_path) -> None:
    import json

    from shopdesk.services import privacy

    member = members.create_member(MemberInput(name="张三", phone="13800138000"))
    assert privacy.get_consent(member) == privacy.Consent(marketing=True, reminders=True)
    privacy.set_consent(member, marketing=False, reminders=False)
    assert privacy.get_consent(member) == privacy.Consent(marketing=False, reminders=False)
    written = privacy.export_member_file(member, tmp_path / "zhang.json")
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data["member"]["name"] == "张三" and data["member"]["marketing_consent"] is False
    assert "张三" in written.read_text(encoding="utf-8")  # readable, not \\u escapes
