"""How dates, times, money and counts look on screen (exports keep real values; this is for people)."""

from __future__ import annotations

import datetime as dt

from shopdesk.domain.money import format_money
from shopdesk.i18n import _, ngettext

__all__ = ["format_count", "format_date", "format_datetime", "format_money", "relative_day"]


def format_date(value: dt.date | dt.datetime | None) -> str:
    """``2024-05-01``: the form a shop's ledgers and Excel sheets use; empty for no date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat()


def format_datetime(value: dt.datetime | None) -> str:
    """``2024-05-01 14:30``: seconds say nothing at the counter."""
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M")


def relative_day(value: dt.date | dt.datetime | None, today: dt.date | None = None) -> str:
    """``Today``, ``Yesterday``, ``42 days ago``: how long ago, in the words a clerk would say."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    today = today or dt.date.today()
    days = (today - value).days
    if days == 0:
        return _("Today")
    if days == 1:
        return _("Yesterday")
    if days < 0:
        return ngettext("In {n} day", "In {n} days", -days).format(n=-days)
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)


def format_count(value: int) -> str:
    """``12,345``: thousands separated, as in the money column."""
    return f"{value:,}"
