"""Who is using the app, and what they may do.

Accounts are optional: with them off (the default for a one-person shop) everyone is the owner. With them
on, a clerk cannot change settings, import or export, adjust points, delete members, restore backups, read
the audit log or see full phone numbers on exports and prints. The command line acts as the owner: a PIN
guards the app, not the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shopdesk.errors import UserError
from shopdesk.i18n import _


class Role(StrEnum):
    OWNER = "owner"
    CLERK = "clerk"


class Permission(StrEnum):
    SETTINGS = "settings"
    IMPORT = "import"
    EXPORT = "export"
    ADJUST_POINTS = "adjust_points"
    DELETE_MEMBERS = "delete_members"
    FULL_PHONES = "full_phones"
    AUDIT_LOG = "audit_log"
    BACKUP_RESTORE = "backup_restore"


CLERK_PERMISSIONS: frozenset[Permission] = frozenset()


@dataclass(frozen=True, slots=True)
class Session:
    staff_id: int | None
    name: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return self.role is Role.OWNER or permission in CLERK_PERMISSIONS

    @property
    def operator(self) -> str:
        """How the audit log and the ledger name this person."""
        return self.name


OWNER_WITHOUT_ACCOUNTS = Session(None, "", Role.OWNER)
_current: Session = OWNER_WITHOUT_ACCOUNTS


def current() -> Session:
    return _current


def set_current(session: Session | None) -> None:
    """Log a person in (or out, with None: back to the owner-without-accounts default)."""
    global _current
    _current = session or OWNER_WITHOUT_ACCOUNTS


def can(permission: Permission) -> bool:
    return _current.can(permission)


def require(permission: Permission) -> None:
    """Refuse, with a clear message, what the person logged in may not do."""
    if not _current.can(permission):
        raise UserError(_("Only the owner can do this. Ask the owner to log in."))
