"""Mainland mobile numbers: normalising what people and spreadsheets type, validating, masking."""

from __future__ import annotations

import re
import unicodedata

from shopdesk.errors import ValidationError
from shopdesk.i18n import _

_SEPARATORS = re.compile(r"[\s\-–—()（）.·_/]")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII only: \d would also accept other scripts' digits


def clean_phone(raw: object) -> str:
    """Strip what Excel and people add around a phone: spaces, dashes, ``+86``, full-width digits, ``.0``.

    Returns the digits left (possibly not a valid mobile). Numbers read from Excel as floats or ints are
    accepted too.
    """
    if raw is None:
        return ""
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            return ""
        raw = int(raw) if raw.is_integer() else raw
    # NFKC folds what a Chinese keyboard types full-width (１３８, ＋８６, －, （）) to ASCII.
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".", 1)[0]
    text = _SEPARATORS.sub("", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    return text


def normalize_phone(raw: object, field: str = "phone") -> str:
    """The 11-digit mainland mobile number in ``raw``, or a ValidationError naming ``field``."""
    text = clean_phone(raw)
    if not text:
        raise ValidationError(field, _("Phone is required, for example 13800138000."))
    if not _MOBILE.match(text):
        raise ValidationError(
            field, _("Phone should be 11 digits starting with 1, for example 13800138000.")
        )
    return text


def is_valid_phone(raw: object) -> bool:
    """True when ``raw`` normalises to a valid mainland mobile number."""
    return bool(_MOBILE.match(clean_phone(raw)))


def mask_phone(phone: str) -> str:
    """138****8000: enough for the shopkeeper to recognise, not enough to call."""
    if len(phone) == 11:
        return f"{phone[:3]}****{phone[7:]}"
    if len(phone) > 4:
        return "*" * (len(phone) - 4) + phone[-4:]
    return phone


def format_phone(phone: str) -> str:
    """138 0013 8000: the grouping people read aloud."""
    if len(phone) == 11:
        return f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    return phone
