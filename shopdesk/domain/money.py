"""Money is integer fen (分) everywhere; these turn typed or imported amounts into fen and back."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from shopdesk.errors import ValidationError
from shopdesk.i18n import _

Fen = int
_NOISE = re.compile(r"[¥￥,，\s元圆]|(?i:rmb)")  # "RMB" as a word: a stray letter is a typing slip
_MAX_YUAN = Decimal(100_000_000)


def parse_money(raw: object, field: str = "amount", *, allow_zero: bool = True) -> Fen:
    """Fen from ``128``, ``128.5``, ``¥1,280.00``, ``1280元`` or an Excel number; never negative.

    Amounts are rounded half up to the fen; more precision than that is a typing slip, not money.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValidationError(field, _("Amount is required, for example 128.00."))
    if isinstance(raw, bool):
        raise ValidationError(field, _("Amount should be a number, for example 128.00."))
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        text = _NOISE.sub("", str(raw)).replace("，", ",")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError(field, _("Amount should be a number, for example 128.00.")) from None
    if not value.is_finite():
        raise ValidationError(field, _("Amount should be a number, for example 128.00."))
    if value < 0:
        raise ValidationError(field, _("Amount cannot be negative."))
    if value > _MAX_YUAN:  # checked before any arithmetic: "1e30" would overflow Decimal's 28 digits
        raise ValidationError(field, _("Amount is too large; please check it."))
    fen = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if fen == 0 and not allow_zero:
        raise ValidationError(field, _("Amount should be more than zero."))
    return fen


def yuan(fen: Fen) -> Decimal:
    """Fen as an exact yuan Decimal (for Excel cells and arithmetic shown to people)."""
    return Decimal(fen) / 100


def format_money(fen: Fen, *, symbol: bool = True) -> str:
    """¥1,234.50; negative amounts as -¥12.00."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    text = f"{whole:,}.{cents:02d}"
    return f"{sign}¥{text}" if symbol else f"{sign}{text}"
