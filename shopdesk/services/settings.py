"""Shop settings stored in the database (shared by every counter): shop name, shop type, rules."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from shopdesk.db import sql
from shopdesk.db.models import Setting
from shopdesk.services.transactions import atomic, guarded

SHOP_NAME = "shop_name"
SHOP_TYPE = "shop_type"


@guarded
def get_setting(key: str, default: Any = None) -> Any:
    """The stored value of ``key``, or ``default`` when it was never set."""
    row = Setting.get_or_none(Setting.key == key)
    return default if row is None else json.loads(row.value)


def get_settings(keys: Sequence[str]) -> dict[str, Any]:
    """The stored values of several keys in one query (missing keys are left out): a sale reads five
    sets of rules, and five round trips cost more than the sale's own writes."""
    if not keys:
        return {}
    found = sql.rows(f"SELECT key, value FROM setting WHERE key IN ({sql.marks(len(keys))})", list(keys))
    return {key: json.loads(value) for key, value in found}


def set_setting(key: str, value: Any) -> None:
    """Store ``value`` (anything JSON can hold) under ``key``."""
    with atomic():
        encoded = json.dumps(value, ensure_ascii=False)
        updated = Setting.update(value=encoded).where(Setting.key == key).execute()
        if not updated:
            Setting.insert(key=key, value=encoded).execute()


def shop_name() -> str:
    """The shop's name as shown on the window, printouts and exports."""
    from shopdesk.i18n import _

    return str(get_setting(SHOP_NAME) or _("My shop"))
