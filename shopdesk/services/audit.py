"""The audit log of sensitive actions: written by services, never edited from the app."""

from __future__ import annotations

import json

from shopdesk.db.models import AuditLog, now


def record_audit(action: str, target: str = "", details: dict | None = None, actor: str = "") -> None:
    """Append one entry (call it inside the transaction of the action it describes)."""
    AuditLog.create(
        at=now(),
        actor=actor,
        action=action,
        target=target,
        details=json.dumps(details or {}, ensure_ascii=False, default=str),
    )
