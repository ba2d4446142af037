"""Optional accounts: the owner and clerks log in with a PIN.

PINs are stored salted and hashed with scrypt (``hashlib.scrypt``, memory-hard), never in clear and never
logged. After three wrong PINs each further attempt waits longer (30 s, 1 min, 2 min … up to an hour).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from shopdesk.db.models import Staff, now
from shopdesk.errors import NotFoundError, UserError, ValidationError
from shopdesk.i18n import _, ngettext
from shopdesk.services.audit import record_audit
from shopdesk.services.session import Permission, Role, Session, require, set_current
from shopdesk.services.settings import get_setting, set_setting
from shopdesk.services.transactions import atomic, guarded

ENABLED_KEY = "accounts_enabled"
IDLE_KEY = "lock_after_idle_minutes"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
FREE_ATTEMPTS = 3
MAX_DELAY = dt.timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class AccountView:
    staff_id: int
    name: str
    role: Role
    has_pin: bool
    active: bool


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(candidate.hex(), digest)


def _check_pin(pin: str) -> None:
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValidationError("pin", _("A PIN is 4 to 8 digits."))


@guarded
def accounts_enabled() -> bool:
    return bool(get_setting(ENABLED_KEY, False))


@guarded
def idle_minutes() -> int:
    """Minutes without use after which the app locks (0: never)."""
    return int(get_setting(IDLE_KEY, 10))


def enable_accounts(enabled: bool, *, idle_lock_minutes: int = 10) -> None:
    """Turn accounts on or off; turning them on needs an owner with a PIN first."""
    require(Permission.SETTINGS)
    with atomic():
        if (
            enabled
            and not Staff.select()
            .where((Staff.role == Role.OWNER.value) & (Staff.pin_hash != "") & Staff.active)
            .exists()
        ):
            raise UserError(_("Set up the owner's PIN before turning accounts on."))
        set_setting(ENABLED_KEY, bool(enabled))
        set_setting(IDLE_KEY, max(0, int(idle_lock_minutes)))
        record_audit("accounts.enable" if enabled else "accounts.disable", "settings")


def set_account(staff_id: int, role: Role, pin: str | None = None, *, actor: str = "") -> None:
    """Give a member of staff a role and (optionally a new) PIN."""
    require(Permission.SETTINGS)
    if pin is not None:
        _check_pin(pin)
    with atomic():
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise NotFoundError(_("This member of staff does not exist."))
        values: dict[str, object] = {"role": Role(role).value}
        if pin is not None:
            values.update(pin_hash=hash_pin(pin), failed_pins=0, locked_until=None)
        Staff.update(values).where(Staff.id == staff_id).execute()
        record_audit(
            "accounts.role",
            f"staff:{staff_id}",
            {"role": Role(role).value, "pin_changed": pin is not None},
            actor=actor,
        )


@guarded
def list_accounts() -> list[AccountView]:
    return [
        AccountView(s.id, s.name, Role(s.role), bool(s.pin_hash), s.active)
        for s in Staff.select().order_by(Staff.role != Role.OWNER.value, Staff.id)
    ]


def _delay(failures: int) -> dt.timedelta:
    if failures < FREE_ATTEMPTS:
        return dt.timedelta(0)
    return min(dt.timedelta(seconds=30 * 2 ** (failures - FREE_ATTEMPTS)), MAX_DELAY)


def login(staff_id: int, pin: str, *, at: dt.datetime | None = None) -> Session:
    """Check a PIN and start a session; wrong PINs make the next attempt wait longer."""
    at = at or now()
    refusal: str | None = None
    with atomic():  # a wrong PIN is counted and committed before the refusal is raised
        staff = Staff.get_or_none((Staff.id == staff_id) & Staff.active)
        if staff is None or not staff.pin_hash:
            raise UserError(_("This account cannot log in; ask the owner to set a PIN."))
        locked = staff.locked_until
        if locked is not None and not isinstance(locked, dt.datetime):
            locked = dt.datetime.fromisoformat(str(locked))
        if locked is not None and locked > at:
            seconds = int((locked - at).total_seconds()) + 1
            raise UserError(
                ngettext(
                    "Too many wrong PINs. Try again in {seconds} second.",
                    "Too many wrong PINs. Try again in {seconds} seconds.",
                    seconds,
                ).format(seconds=seconds)
            )
        if pin_matches(pin, staff.pin_hash):
            Staff.update(failed_pins=0, locked_until=None).where(Staff.id == staff_id).execute()
            record_audit("login", f"staff:{staff_id}", actor=staff.name)
        else:
            failures = staff.failed_pins + 1
            wait = _delay(failures)
            Staff.update(failed_pins=failures, locked_until=at + wait if wait else None).where(
                Staff.id == staff_id
            ).execute()
            record_audit("login.failed", f"staff:{staff_id}", actor=staff.name)
            refusal = _("Wrong PIN.")
    if refusal is not None:
        raise UserError(refusal)
    session = Session(staff.id, staff.name, Role(staff.role))
    set_current(session)
    return session


@guarded
def wait_seconds(staff_id: int, *, at: dt.datetime | None = None) -> int:
    """How long this person must wait before the next PIN attempt (0: they may try now)."""
    at = at or now()
    locked = Staff.select(Staff.locked_until).where(Staff.id == staff_id).scalar()
    if locked is None:
        return 0
    if not isinstance(locked, dt.datetime):
        locked = dt.datetime.fromisoformat(str(locked))
    return max(0, int((locked - at).total_seconds()) + 1) if locked > at else 0


def logout() -> None:
    set_current(None)
