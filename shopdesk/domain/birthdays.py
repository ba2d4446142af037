"""Birthdays with an optional year: many customers tell the month and day but not their age."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from shopdesk.errors import ValidationError
from shopdesk.i18n import _

_FULL_WIDTH = str.maketrans("０１２３４５６７８９／－．", "0123456789/-.")
_WITH_YEAR = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NO_YEAR = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True, slots=True)
class Birthday:
    """Month and day, and the year when known."""

    month: int
    day: int
    year: int | None = None

    def __post_init__(self) -> None:
        # 2000 is a leap year, so 2月29日 is accepted without a year.
        dt.date(self.year or 2000, self.month, self.day)

    def as_text(self) -> str:
        """``1990-03-09`` or ``03-09`` when the year is unknown (ISO-like, for tables and exports)."""
        if self.year:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.month:02d}-{self.day:02d}"

    def next_occurrence(self, today: dt.date) -> dt.date:
        """The next date (today included) to celebrate it; 2月29日 falls on 2月28日 in other years."""
        for year in (today.year, today.year + 1):
            day = self.day
            if self.month == 2 and day == 29 and not _is_leap(year):
                day = 28
            candidate = dt.date(year, self.month, day)
            if candidate >= today:
                return candidate
        raise AssertionError("unreachable")

    def age_on(self, today: dt.date) -> int | None:
        """Age in whole years, when the year is known."""
        if not self.year:
            return None
        return today.year - self.year - ((today.month, today.day) < (self.month, self.day))


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _make(field: str, month: int, day: int, year: int | None, today: dt.date) -> Birthday:
    if year is not None and not (1900 <= year <= today.year):
        raise ValidationError(field, _("Birthday year looks wrong; please check it."))
    try:
        birthday = Birthday(month, day, year)
    except ValueError:
        raise ValidationError(field, _("Birthday is not a real date; please check it.")) from None
    if year is not None and dt.date(year, month, day) > today:
        raise ValidationError(field, _("Birthday cannot be in the future."))
    return birthday


def parse_birthday(raw: object, field: str = "birthday", today: dt.date | None = None) -> Birthday | None:
    """A Birthday from a date, ``1990-03-09``, ``1990/3/9``, ``1990年3月9日``, ``3月9日``, ``03-09`` or an
    Excel serial number; None for an empty value; a ValidationError naming ``field`` otherwise."""
    today = today or dt.date.today()
    if raw is None:
        return None
    if isinstance(raw, Birthday):
        return raw
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return _make(field, raw.month, raw.day, raw.year, today)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 1 <= raw < 2_958_466:
            serial_date = _EXCEL_EPOCH + dt.timedelta(days=int(raw))
            return _make(field, serial_date.month, serial_date.day, serial_date.year, today)
        if not (1900_01_01 <= raw <= 9999_12_31 and float(raw).is_integer()):
            raise ValidationError(field, _("Birthday is not a real date; please check it."))
        raw = str(int(raw))  # 19900309 typed into a number cell: read below as 1990-03-09
    text = str(raw).strip().translate(_FULL_WIDTH)
    if not text:
        return None
    if " " in text and ":" in text:  # "1990-03-09 00:00:00" from a spreadsheet
        text = text.split(" ", 1)[0]
    for pattern in (_WITH_YEAR, _COMPACT):
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return _make(field, month, day, year, today)
    match = _NO_YEAR.match(text)
    if match:
        month, day = (int(part) for part in match.groups())
        return _make(field, month, day, None, today)
    raise ValidationError(
        field, _("Birthday should look like 1990-03-09, or 3月9日 when the year is unknown.")
    )
