"""Coupon rules: what a coupon takes off a sale, and codes that survive being read over the phone.

Kinds: 满减 threshold cash-off (¥20 off from ¥100), 无门槛 cash-off, 折扣 percent-off (8.8折 = pay 88 %,
optionally capped), 兑换券 gift (an item, no money off). All amounts are integer fen; a percent-off
discount is rounded down to the fen, so the customer never pays a fraction of a fen more than the
printed rate.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

# No 0/O, 1/I/L: what is left cannot be misheard or misread.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_BODY_LENGTH = 7


class CouponKind(StrEnum):
    THRESHOLD = "threshold"  # 满减
    CASH = "cash"  # 无门槛
    PERCENT = "percent"  # 折扣
    GIFT = "gift"  # 兑换券


class CouponStatus(StrEnum):
    UNUSED = "unused"
    USED = "used"
    VOID = "void"
    EXPIRED = "expired"  # derived: unused and past its last day


@dataclass(frozen=True, slots=True)
class CouponTerms:
    """What a template promises (the parts that decide the discount)."""

    kind: CouponKind
    value_fen: int = 0
    threshold_fen: int = 0
    pay_percent: int = 100
    cap_fen: int | None = None
    category_ids: frozenset[int] = field(default_factory=frozenset)


def eligible_amount(
    terms: CouponTerms, amount_fen: int, items: Sequence[tuple[int | None, int]]
) -> int | None:
    """The part of the sale the coupon applies to; None when it is limited to categories the sale lacks.

    Without items, a category-limited coupon cannot be checked, so it does not apply.
    """
    if not terms.category_ids:
        return amount_fen
    if not items:
        return None
    total = sum(amount for category, amount in items if category in terms.category_ids)
    return total or None


def discount_fen(terms: CouponTerms, eligible_fen: int) -> int:
    """Money off for ``eligible_fen`` (0 when the threshold is not met or for a gift coupon)."""
    if eligible_fen <= 0:
        return 0
    if terms.kind is CouponKind.GIFT:
        return 0
    if terms.kind is CouponKind.THRESHOLD:
        if eligible_fen < terms.threshold_fen:
            return 0
        return min(terms.value_fen, eligible_fen)
    if terms.kind is CouponKind.CASH:
        return min(terms.value_fen, eligible_fen)
    off = eligible_fen * (100 - terms.pay_percent) // 100
    if terms.cap_fen is not None:
        off = min(off, terms.cap_fen)
    return max(0, off)


def validity(
    issued_on: dt.date, valid_from: dt.date | None, valid_until: dt.date | None, valid_days: int | None
) -> tuple[dt.date, dt.date]:
    """First and last day an issued coupon can be used: fixed dates, or N days counting the issue day."""
    if valid_days:
        return issued_on, issued_on + dt.timedelta(days=valid_days - 1)
    start = valid_from or issued_on
    return start, valid_until or dt.date(9999, 12, 31)


def status_on(status: str, valid_until: dt.date, today: dt.date) -> CouponStatus:
    """The status a person sees: an unused coupon past its last day is expired."""
    if status == CouponStatus.UNUSED and valid_until < today:
        return CouponStatus.EXPIRED
    return CouponStatus(status)


def _check_char(body: str) -> str:
    """A check character (weighted sum mod 31) catching any single wrong or swapped character."""
    total = sum((index + 1) * CODE_ALPHABET.index(char) for index, char in enumerate(body))
    return CODE_ALPHABET[total % len(CODE_ALPHABET)]


def new_code(taken: Iterable[str] = ()) -> str:
    """A fresh random code: 7 characters and a check character, e.g. ``K7QM4XR9``."""
    used = set(taken)
    while True:
        body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_BODY_LENGTH))
        code = body + _check_char(body)
        if code not in used:
            return code


def normalize_code(raw: str) -> str:
    """Upper-case, without spaces or dashes; common misreadings (O→0 is impossible, so o/0 stay wrong)."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def is_valid_code(raw: str) -> bool:
    """True when ``raw`` is a well-formed code whose check character matches."""
    code = normalize_code(raw)
    if len(code) != CODE_BODY_LENGTH + 1 or any(ch not in CODE_ALPHABET for ch in code):
        return False
    return _check_char(code[:-1]) == code[-1]


def describe(terms: CouponTerms, gift_name: str = "") -> str:
    """A short Chinese-style description for lists and receipts, e.g. 满100减20, 8.8折, 无门槛10元."""
    from shopdesk.domain.money import format_money
    from shopdesk.i18n import _

    if terms.kind is CouponKind.THRESHOLD:
        return _("{off} off from {threshold}").format(
            off=format_money(terms.value_fen), threshold=format_money(terms.threshold_fen)
        )
    if terms.kind is CouponKind.CASH:
        return _("{off} off").format(off=format_money(terms.value_fen))
    if terms.kind is CouponKind.PERCENT:
        rate = f"{terms.pay_percent / 10:g}"
        text = _("Pay {percent}% ({rate}/10)").format(rate=rate, percent=terms.pay_percent)
        if terms.cap_fen is not None:
            text += _(", at most {cap} off").format(cap=format_money(terms.cap_fen))
        return text
    return _("Gift: {gift}").format(gift=gift_name)
