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
_FIRST_BIRTHDAY_SERIAL = 3654  # 1910-01-01: a smaller number is no living customer's birthday
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?e\+?[0-9]+", re.IGNORECASE)
_DATE_TIME = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*T?\s*(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_TAG_SEPARATORS = re.compile(r"[,，、;；|/\n\r]+")
_PHONE_LIST = re.compile(r"[,，、;；|]|\s{2,}|或")
_LANDLINE = re.compile(r"0[1-9][0-9]{8,10}|[2-9][0-9]{6,7}")  # 0571 8888 6666, or 8888 6666 alone
_DIGIT_RUNS = re.compile(r"[0-9]+")
_YEAR_MONTH = re.compile(r"(?:19|20)[0-9]{2}\s*(?:[-/.年]\s*[0-9]{1,2}\s*月?|[01][0-9])")
_LUNAR = re.compile(r"农历|阴历|[初廿卅]|[正腊冬]月")
_MONTH_DAY = re.compile(r"[0-9]{1,2}\s*[-/.月]\s*[0-9]{1,2}\s*[日号]?")
_WEEKDAY = re.compile(r"[(（]?\s*(?:星期|周|礼拜)[一二三四五六日天]\s*[)）]?")
_HALF_DAY = re.compile(r"(上午|下午|晚上|中午|am|pm)\s*", re.IGNORECASE)
_UNIT = re.compile(r"\s*(?:件|个|瓶|支|盒|套|次|份|只|双|张|袋|罐|包|片|条|台|本|组|箱|疗程)$")
_MONEY_WORDS = re.compile(r"cny|人民币|rmb", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff]")
# What people write in a cell that has nothing to say (-, 无, 暂无): a cell a field cannot read that holds one
# of these counts as empty (see plan.scan_rows), and no name is one of them.
PLACEHOLDERS = frozenset(
    {"-", "--", "—", "——", "/", "\\", "无", "暂无", "空", "未填", "未知", "不详", "null", "none", "n/a", "na"}
)
_GENDERS: dict[str, str] = {
    "女": "F",
    "f": "F",
    "female": "F",
    "女士": "F",
    "女性": "F",
    "女生": "F",
    "女的": "F",
    "女孩": "F",
    "woman": "F",
    "w": "F",
    "小姐": "F",
    "男": "M",
    "m": "M",
    "male": "M",
    "男士": "M",
    "男性": "M",
    "男生": "M",
    "男的": "M",
    "男孩": "M",
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
        return _unusual_phone(value, exc.message)


class SeveralPhones(str):
    """The first of several mobiles written in one cell (``13800138000/13900139000``); ``others`` holds
    the rest, for the importer to keep in the member's notes and mention."""

    others: tuple[str, ...]

    def __new__(cls, first: str, others: tuple[str, ...]) -> SeveralPhones:
        value = super().__new__(cls, first)
        value.others = others
        return value


def _unusual_phone(value: object, reason: str) -> str:
    """A phone cell that is not one plain mobile: wrapped for Excel, with a remark, several numbers, a
    landline or a masked number. Returns the mobile to use or raises CellError saying what is wrong."""
    text = unicodedata.normalize("NFKC", cell_text(value)).strip().lstrip("'`‘’").strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    if "*" in text:
        raise CellError(
            _("This phone is hidden ({value}); export the list again with the full numbers.").format(
                value=text
            )
        )
    digits = clean_phone(_PHONE_LIST.sub("/", text))
    if len(digits) >= 22 and len(digits) % 11 == 0:
        phones = tuple(digits[start : start + 11] for start in range(0, len(digits), 11))
        if all(map(_MOBILE.fullmatch, phones)):
            return SeveralPhones(phones[0], phones[1:])
    runs = _DIGIT_RUNS.findall(clean_phone(text))
    if len(runs) == 1 and _MOBILE.fullmatch(runs[0]):
        return runs[0]  # 13800138000(微信同号), 手机:13800138000
    if len(runs) == 1 and _LANDLINE.fullmatch(runs[0]):
        raise CellError(
            _(
                "This is a landline number; members are known by their mobile phone "
                "(11 digits starting with 1)."
            )
        )
    raise CellError(reason)


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
    if not result.isprintable():  # a zero-width space or a direction mark pasted from WeChat
        result = " ".join("".join(c for c in result if unicodedata.category(c) != "Cf").split())
    if not result or result.lower() in PLACEHOLDERS:  # "-" or 无 is no one's name
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
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < _FIRST_BIRTHDAY_SERIAL:
        return _small_number_birthday(value)
    try:
        result = parse_birthday(value, today=today)
    except ValidationError as exc:
        if type(value) is str:
            return _unusual_birthday(value, exc.message, today)
        raise CellError(exc.message) from None
    if result is None:
        raise CellError(_birthday_forms())
    return result


def _birthday_forms() -> str:
    return _("Birthday should look like 1990-03-09, or 3月9日 when the year is unknown.")


def _no_day() -> CellError:
    return CellError(
        _(
            "This birthday has no day (only a year, or a year and month); add the day, "
            "or leave the cell empty."
        )
    )


def _small_number_birthday(value: float) -> Birthday:
    """A number too small to be the date of a living customer: 1990 or 1990.05 typed into a number cell
    (a year, a year and month), or 501 / 1231 for 5月1日 / 12月31日. Read as a date serial these would
    become birthdays in 1900-1909 without anyone noticing."""
    if 1900 <= value < 2100:
        raise _no_day()
    if float(value).is_integer() and 101 <= value <= 1231:
        try:
            return Birthday(int(value) // 100, int(value) % 100)
        except ValueError:
            pass
    raise CellError(_birthday_forms())


def _unusual_birthday(value: str, reason: str, today: dt.date | None) -> Birthday:
    """Text birthdays beyond the domain's forms: ISO with a time (1990-05-01T00:00:00), 0501; and clear
    reasons for a year and month without a day and for a lunar-calendar date."""
    text = unicodedata.normalize("NFKC", value).strip().lstrip("'`‘’").strip()
    if text != value.strip() and text:
        try:
            return birthday(text, today)
        except CellError:
            pass
    if _LUNAR.search(text):
        raise CellError(
            _(
                "This is a lunar-calendar date (农历); ShopDesk keeps birthdays by the solar calendar. "
                "Write the solar date, like 1990-03-09."
            )
        )
    if "T" in text:
        try:
            return birthday(text.split("T", 1)[0], today)
        except CellError:
            pass
    if len(text) == 4 and text.isdigit():
        return _small_number_birthday(int(text))
    if _YEAR_MONTH.fullmatch(text):
        raise _no_day()
    raise CellError(reason)


def source(value: object) -> str:
    """A source code from its code, label or a common Chinese word for it (unknown words: other)."""
    return parse_source(cell_text(value)).value if value is not None else Source.STORE.value


def money(value: object) -> int:
    """Fen from 128, 128.5, ¥1,280.00, 1280元, CNY 99, 人民币99 or a number cell."""
    try:
        return parse_money(value)
    except ValidationError as exc:
        if type(value) is str and _MONEY_WORDS.search(value):
            return money(_MONEY_WORDS.sub("", value))
        raise CellError(exc.message) from None


def is_negative(value: object) -> bool:
    """True for a negative amount (-50, ¥-50, -¥50, (50.00) as accountants write it): a refund line."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value < 0
    text = unicodedata.normalize("NFKC", cell_text(value)).replace("−", "-")
    text = _MONEY_WORDS.sub("", text).strip(" ¥￥元")
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]
    if not text.startswith("-"):
        return False
    try:
        parse_money(text[1:])
    except ValidationError:
        return False
    return True


def points(value: object) -> int:
    """A whole, non-negative number of points (1,200 and 1200分 are fine)."""
    number: object = value
    if type(value) is str:
        cleaned = unicodedata.normalize("NFKC", value).replace(",", "").replace("积分", "").replace("分", "")
        cleaned = "".join(cleaned.split())
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
        unit = _UNIT.search(value) if type(value) is str else None  # 2件, 1瓶, 3 盒
        if unit is None or not unit.start():
            raise CellError(_("Quantity should be a whole number from 1 to 9999.")) from None
        return quantity(value[: unit.start()])
    if not 1 <= number <= MAX_QTY:
        raise CellError(_("Quantity should be a whole number from 1 to 9999."))
    return number


def tags(value: object) -> tuple[str, ...]:
    """Tag names from one cell: separated by commas, 、, semicolons or lines; each at most 30 characters."""
    names: list[str] = []
    text = cell_text(value)
    parts = _TAG_SEPARATORS.split(text)
    if len(parts) == 1 and _CJK.search(text):  # 新客 敏感肌: Chinese tags are separated by spaces too
        parts = text.split()
    for part in parts:
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
        return _unusual_date_time(raw)


def _unusual_date_time(raw: str) -> dt.datetime:
    """Text dates beyond the common forms: ISO 8601 with a zone (web exports), a weekday after the date
    (2023/5/1 星期一), 上午/下午 or AM/PM before the time, an apostrophe that kept it as text in Excel;
    a clear reason for a date without a year."""
    raw = raw.lstrip("'`‘’").strip()
    if "T" in raw:
        try:
            moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:  # the shop's clock, as every other time in ShopDesk
                moment = moment.astimezone().replace(tzinfo=None)
            return _round_second(moment)
    text = _WEEKDAY.sub(" ", raw)
    half = _HALF_DAY.search(text)
    afternoon = half is not None and half.group(1).lower() in ("下午", "晚上", "pm")
    if half is not None:
        text = text[: half.start()] + text[half.end() :]
    text = " ".join(text.split())
    match = _DATE_TIME.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match:
        moment = _build(match.groups())
        if afternoon and moment.hour < 12:
            moment += dt.timedelta(hours=12)
        elif half is not None and not afternoon and moment.hour == 12 and half.group(1).lower() == "am":
            moment -= dt.timedelta(hours=12)
        return moment
    if _MONTH_DAY.fullmatch(text):
        raise CellError(_("The year is missing; write the date like 2023-05-01."))
    raise CellError(_("This is not a date; write it like 2023-05-01."))


def purchase_time(value: object, now: dt.datetime) -> dt.datetime:
    """When a sale happened: a real date, not before 1990 and not in the future."""
    result = date_time(value)
    if result < EARLIEST_PURCHASE:
        raise CellError(_("This date is too long ago for a purchase; please check it."))
    if result > now + CLOCK_SKEW:
        raise CellError(_("The purchase date is in the future."))
    return result
