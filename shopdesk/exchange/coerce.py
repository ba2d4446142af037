"""Cell values to field values, with a reason people understand when a cell cannot be used.

Each function takes what the reader found (str, float, int, date, datetime …) and returns the value a
record holds, or raises ``CellError`` whose ``reason`` is already translated. Empty cells never reach
these functions: the importers skip them, so "not given" and "given but wrong" stay apart.

The common case is checked first without regular expressions or Unicode folding (an 11-digit phone
string, a date cell), because an import runs each function a hundred thousand times.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from shopdesk.domain.birthdays import Birthday, parse_birthday
from shopdesk.domain.members import GENDER_LABELS, NAME_MAX, NOTES_MAX, Gender, Source, parse_source
from shopdesk.domain.money import parse_money
from shopdesk.domain.phones import clean_phone, normalize_phone
from shopdesk.errors import ValidationError
from shopdesk.i18n import _

MAX_POINTS = 10_000_000
MAX_QTY = 9999
EARLIEST_PURCHASE = dt.datetime(1990, 1, 1)
CLOCK_SKEW = dt.timedelta(minutes=10)
TAG_MAX = 30
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?e\+?[0-9]+", re.IGNORECASE)
_DATE_TIME = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*T?\s*(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_TAG_SEPARATORS = re.compile(r"[,，、;；|/\n\r]+")
_GENDERS: dict[str, str] = {
    "女": "F",
    "f": "F",
    "female": "F",
    "女士": "F",
    "女性": "F",
    "woman": "F",
    "w": "F",
    "小姐": "F",
    "男": "M",
    "m": "M",
    "male": "M",
    "男士": "M",
    "男性": "M",
    "man": "M",
    "先生": "M",
    "未知": "",
    "保密": "",
    "不详": "",
    "-": "",
    "—": "",
    "unknown": "",
    "u": "",
}


class CellError(Exception):
    """A cell that cannot be used; ``reason`` is the translated explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_blank(value: object) -> bool:
    """True for an empty cell: None, "" or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as text for messages and previews: 13800138000.0 → 13800138000, a date → 2023-05-01."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def phone(value: object) -> str:
    """An 11-digit mainland mobile from text or a number, in the forms Excel and people produce."""
    if type(value) is str and len(value) == 11 and _MOBILE.fullmatch(value):
        return value
    if type(value) is float and value.is_integer():
        value = int(value)
    if type(value) is str and _SCIENTIFIC.fullmatch(value.strip()):
        raise CellError(
            _(
                "Excel shortened this phone to {value}; format the column as text in Excel, type the number "
                "again and save."
            ).format(value=value.strip())
        )
    try:
        return normalize_phone(value)
    except ValidationError as exc:
        raise CellError(exc.message) from None


def phone_or_blank(value: object) -> str:
    """Like ``phone`` but returns "" for a cell holding no digits at all (a walk-in, a dash)."""
    if not clean_phone(value).strip("-—"):
        return ""
    return phone(value)


def text(value: object, limit: int) -> str:
    """Trimmed text of at most ``limit`` characters (numbers lose Excel's ``.0``)."""
    result = value.strip() if type(value) is str else cell_text(value)
    if len(result) > limit:
        raise CellError(
            _("This text is too long ({length} characters; at most {limit}).").format(
                length=len(result), limit=limit
            )
        )
    return result


def name(value: object) -> str:
    """A member's name: spaces tidied, at most 30 characters."""
    result = " ".join(value.split()) if type(value) is str else cell_text(value)
    if not result:
        raise CellError(_("Name is required."))
    if len(result) > NAME_MAX:
        raise CellError(_("Name is too long (at most 30 characters)."))
    return result


def notes(value: object) -> str:
    return text(value, NOTES_MAX)


def gender(value: object) -> str:
    """``F``, ``M`` or "" from 女/男, F/M, female/male and the app's own labels."""
    key = unicodedata.normalize("NFKC", cell_text(value)).strip().lower()
    if key in _GENDERS:
        return _GENDERS[key]
    for code, label in GENDER_LABELS.items():
        if key in (label.lower(), _(label).lower()):
            return Gender(code).value
    raise CellError(_("Gender should be 女 or 男 (F or M), or left empty."))


def birthday(value: object, today: dt.date | None = None) -> Birthday:
    """A birthday with or without its year (``3月9日``), from a date cell, a serial number or text."""
    try:
        result = parse_birthday(value, today=today)
    except ValidationError as exc:
        raise CellError(exc.message) from None
    if result is None:
        raise CellError(_("Birthday should look like 1990-03-09, or 3月9日 when the year is unknown."))
    return result


def source(value: object) -> str:
    """A source code from its code, label or a common Chinese word for it (unknown words: other)."""
    return parse_source(cell_text(value)).value if value is not None else Source.STORE.value


def money(value: object) -> int:
    """Fen from 128, 128.5, ¥1,280.00, 1280元 or a number cell."""
    try:
        return parse_money(value)
    except ValidationError as exc:
        raise CellError(exc.message) from None


def points(value: object) -> int:
    """A whole, non-negative number of points (1,200 and 1200分 are fine)."""
    number: object = value
    if type(value) is str:
        cleaned = unicodedata.normalize("NFKC", value).replace(",", "").replace("分", "").strip()
        try:
            number = float(cleaned) if "." in cleaned else int(cleaned)
        except ValueError:
            raise CellError(_("Points should be a whole number, for example 120.")) from None
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        raise CellError(_("Points should be a whole number, for example 120."))
    if isinstance(number, float):
        if not number.is_integer():
            raise CellError(_("Points should be a whole number, for example 120."))
        number = int(number)
    if number < 0:
        raise CellError(_("Points cannot be negative."))
    if number > MAX_POINTS:
        raise CellError(_("This number of points is too large; please check it."))
    return number


def quantity(value: object) -> int:
    """How many of an item: a whole number from 1 to 9999."""
    try:
        number = points(value)
    except CellError:
        raise CellError(_("Quantity should be a whole number from 1 to 9999.")) from None
    if not 1 <= number <= MAX_QTY:
        raise CellError(_("Quantity should be a whole number from 1 to 9999."))
    return number


def tags(value: object) -> tuple[str, ...]:
    """Tag names from one cell: separated by commas, 、, semicolons or lines; each at most 30 characters."""
    names: list[str] = []
    for part in _TAG_SEPARATORS.split(cell_text(value)):
        tag = " ".join(part.split())
        if not tag or tag in names:
            continue
        if len(tag) > TAG_MAX:
            raise CellError(_("A tag is too long (at most 30 characters): {tag}").format(tag=tag))
        names.append(tag)
    return tuple(names)


def _from_serial(serial: float) -> dt.datetime:
    if not 1 <= serial < 2_958_466:
        raise CellError(_("This is not a date; write it like 2023-05-01."))
    moment_ = _EXCEL_EPOCH + dt.timedelta(days=serial)
    return _round_second(moment_)


def _round_second(value: dt.datetime) -> dt.datetime:
    if value.microsecond:
        value = value.replace(microsecond=0) + dt.timedelta(seconds=value.microsecond >= 500_000)
    return value


def _build(parts: tuple[str | None, ...]) -> dt.datetime:
    year, month, day, hour, minute, second = (int(part) if part else 0 for part in parts)
    try:
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise CellError(_("This date does not exist; please check it.")) from None


def date_time(value: object) -> dt.datetime:
    """A date-time from a date cell, an Excel serial number or text (2023/5/1, 2023年5月1日 14:30 …)."""
    if type(value) is dt.datetime:
        return _round_second(value)
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise CellError(_("This is not a date; write it like 2023-05-01."))
    if isinstance(value, (int, float)):
        if 19000101 <= value <= 21001231 and float(value).is_integer():  # 20230501 typed as a number
            return _build(tuple(str(int(value))[i:j] for i, j in ((0, 4), (4, 6), (6, 8))) + (None,) * 3)
        return _from_serial(float(value))
    raw = unicodedata.normalize("NFKC", cell_text(value)).strip()
    match = _DATE_TIME.fullmatch(raw) or _COMPACT_DATE.fullmatch(raw)
    if match:
        return _build(match.groups())
    try:
        return _from_serial(float(raw))
    except ValueError:
        raise CellError(_("This is not a date; write it like 2023-05-01.")) from None


def purchase_time(value: object, now: dt.datetime) -> dt.datetime:
    """When a sale happened: a real date, not before 1990 and not in the future."""
    result = date_time(value)
    if result < EARLIEST_PURCHASE:
        raise CellError(_("This date is too long ago for a purchase; please check it."))
    if result > now + CLOCK_SKEW:
        raise CellError(_("The purchase date is in the future."))
    return result
