"""Optional accounts: PINs hashed (never stored or logged in clear), growing delays, clerk limits."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from shopdesk.db.models import AuditLog, Staff
from shopdesk.errors import UserError
from shopdesk.services import accounts, catalog, members, points, privacy
from shopdesk.services.members import MemberInput
from shopdesk.services.session import Permission, Role, can, current, set_current

PIN = "482915"


def _owner_and_clerk() -> tuple[int, int]:
    owner = catalog.create_staff("老板")
    clerk = catalog.create_staff("小王")
    accounts.set_account(owner, Role.OWNER, PIN)
    accounts.set_account(clerk, Role.CLERK, "1357")
    return owner, clerk


def test_pins_are_never_stored_or_logged_in_clear(db, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    owner, _clerk = _owner_and_clerk()
    accounts.login(owner, PIN)
    stored = Staff.get_by_id(owner).pin_hash
    assert stored.startswith("scrypt$") and PIN not in stored
    rows = (
        db.execute_sql("SELECT * FROM staff").fetchall()
        + db.execute_sql("SELECT * FROM audit_log").fetchall()
    )
    assert all(PIN not in str(value) for row in rows for value in row)
    assert PIN not in caplog.text
    assert accounts.pin_matches(PIN, stored) and not accounts.pin_matches("000000", stored)


def test_wrong_pins_make_the_next_attempt_wait_longer(db) -> None:
    owner, _clerk = _owner_and_clerk()
    start = dt.datetime(2026, 1, 1, 9, 0, 0)
    for attempt in range(3):
        with pytest.raises(UserError, match="Wrong PIN"):
            accounts.login(owner, "0000", at=start + dt.timedelta(seconds=attempt))
    with pytest.raises(UserError, match="Try again in"):
        accounts.login(owner, PIN, at=start + dt.timedelta(seconds=10))
    accounts.login(owner, PIN, at=start + dt.timedelta(seconds=40))  # after the 30 s wait
    assert Staff.get_by_id(owner).failed_pins == 0
    for attempt in range(4):
        with pytest.raises(UserError):
            accounts.login(owner, "0000", at=start + dt.timedelta(minutes=10, seconds=attempt * 120))
    locked = Staff.get_by_id(owner).locked_until
    assert locked is not None
    assert AuditLog.select().where(AuditLog.action == "login.failed").count() >= 6


def test_a_clerk_cannot_do_what_only_the_owner_may(db) -> None:
    owner, clerk = _owner_and_clerk()
    member = members.create_member(MemberInput(name="张三", phone="13800138000"))
    accounts.enable_accounts(True)
    assert accounts.accounts_enabled()
    accounts.login(clerk, "1357")
    assert current().role is Role.CLERK
    for permission in Permission:
        assert not can(permission)
    with pytest.raises(UserError, match="owner"):
        points.adjust_points(member, 100, "gift")
    with pytest.raises(UserError, match="owner"):
        privacy.delete_member(member)
    with pytest.raises(UserError, match="owner"):
        accounts.enable_accounts(False)
    accounts.logout()
    accounts.login(owner, PIN)
    assert points.adjust_points(member, 100, "gift") == 100
    set_current(None)


def test_accounts_need_an_owner_pin_first(db) -> None:
    clerk = catalog.create_staff("小王")
    accounts.set_account(clerk, Role.CLERK, "1357")
    with pytest.raises(UserError):
        accounts.enable_accounts(True)
    with pytest.raises(Exception, match="4 to 8 digits"):
        accounts.set_account(clerk, Role.CLERK, "12ab")
