"""Shop settings stored in the database (shared by every counter): shop name, shop type, rules."""

from __future__ import annotations

import json
from typing import Any

from shopdesk.db.models import Setting
from shopdesk.services.transactions import atomic, guarded

SHOP_NAME = "shop_name"
SHOP_TYPE = "shop_type"


@guarded
def get_setting(key: str, default: Any = None) -> Any:
    """The stored value of ``key``, or ``default`` when it was never set."""
    row = Setting.get_or_none(Setting.key == key)
    return default if row is None else json.loads(row.value)


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
