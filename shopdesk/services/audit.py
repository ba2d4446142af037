"""The audit log of sensitive actions: written by services, never edited from the app."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from shopdesk.db.models import AuditLog, now
from shopdesk.services.session import Permission, require
from shopdesk.services.transactions import guarded


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: str
    action: str
    target: str
    details: dict


def record_audit(action: str, target: str = "", details: dict | None = None, actor: str = "") -> None:
    """Append one entry (call it inside the transaction of the action it describes)."""
    AuditLog.create(
        at=now(),
        actor=actor,
        action=action,
        target=target,
        details=json.dumps(details or {}, ensure_ascii=False, default=str),
    )


@guarded
def list_audit(limit: int = 200, offset: int = 0) -> list[AuditEntry]:
    """The newest entries first, a page at a time (only the owner reads the log)."""
    require(Permission.AUDIT_LOG)
    rows = AuditLog.select().order_by(AuditLog.id.desc()).limit(limit).offset(offset)
    entries = []
    for row in rows:
        try:
            details = json.loads(row.details) if row.details else {}
        except ValueError:
            details = {}
        at = row.at if isinstance(row.at, dt.datetime) else dt.datetime.fromisoformat(str(row.at))
        entries.append(AuditEntry(row.id, at, row.actor, row.action, row.target, details))
    return entries
