"""A sale's receipt (小票) as data, rendered to HTML for a 58 mm or 80 mm thermal printer or an A5 sheet.

The receipt says what the customer wants to keep: the shop, the time, what was bought, the amount, the
coupon and points taken off, what was paid, and, for a member, the points earned and the balance, points
about to expire, how far the next tier is and how many more visits earn the visit reward ("再来 1 次…").
Phones are masked (138****8000): a receipt is left on counters and in bags.

``services.receipts.receipt_for_purchase`` fills it from the database; the GUI prints ``to_html(paper)``
through ``ui.printing``. The HTML is the subset ``QTextDocument`` understands: tables with attributes,
sizes in points, no CSS layout.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from enum import StrEnum

from shopdesk.domain.dates import spoken_date
from shopdesk.domain.money import format_money
from shopdesk.i18n import N_, _, ngettext

INK = "#000000"  # thermal printers print black or nothing: no greys, no colours
RULE = "<hr/>"


class ReceiptPaper(StrEnum):
    ROLL_58 = "58mm"
    ROLL_80 = "80mm"
    A5 = "a5"


PAPER_LABELS: dict[ReceiptPaper, str] = {
    ReceiptPaper.ROLL_58: N_("58 mm receipt printer"),
    ReceiptPaper.ROLL_80: N_("80 mm receipt printer"),
    ReceiptPaper.A5: N_("A5 sheet"),
}
# Body text size in points: 58 mm paper prints about 16 Chinese characters a line at 8 pt.
_FONT_PT: dict[ReceiptPaper, float] = {ReceiptPaper.ROLL_58: 8, ReceiptPaper.ROLL_80: 9, ReceiptPaper.A5: 10}


@dataclass(frozen=True, slots=True)
class ReceiptItem:
    name: str
    qty: int
    amount_fen: int


@dataclass(frozen=True, slots=True)
class VisitProgress:
    """The visit reward (到店有礼) as this sale leaves it: ``visits`` of ``needed`` purchases within
    ``days`` days, the first of which counts until ``deadline``; ``rewarded`` when this sale earned it."""

    visits: int
    needed: int
    days: int
    points: int
    deadline: dt.date | None
    rewarded: bool = False

    @property
    def to_go(self) -> int:
        return max(0, self.needed - self.visits)

    def text(self) -> str:
        """``Visit reward: +200 points`` or ``Come back 1 more time by 5/30 for 200 bonus points``."""
        if self.rewarded:
            return _("Visit reward earned: +{points} points").format(points=f"{self.points:,}")
        if self.to_go <= 0:
            return ""
        if self.deadline is None:
            return ngettext(
                "Come back {n} more time within {days} days for {points} bonus points",
                "Come back {n} more times within {days} days for {points} bonus points",
                self.to_go,
            ).format(n=self.to_go, days=self.days, points=f"{self.points:,}")
        return ngettext(
            "Come back {n} more time by {date} for {points} bonus points",
            "Come back {n} more times by {date} for {points} bonus points",
            self.to_go,
        ).format(n=self.to_go, date=spoken_date(self.deadline), points=f"{self.points:,}")


@dataclass(frozen=True, slots=True)
class ReceiptMember:
    """What the receipt says about the member and their points after this sale."""

    name: str
    phone: str  # masked
    tier: str = ""
    points_earned: int = 0
    points_balance: int = 0
    expiring_points: int = 0  # within 30 days
    expiring_on: dt.date | None = None  # the first of those days
    next_tier: str = ""
    next_tier_missing_fen: int = 0
    visit: VisitProgress | None = None


@dataclass(frozen=True, slots=True)
class Receipt:
    shop_name: str
    purchase_id: int
    purchased_at: dt.datetime
    amount_fen: int
    paid_fen: int
    items: tuple[ReceiptItem, ...] = field(default=())
    staff_name: str = ""
    coupon_name: str = ""
    coupon_code: str = ""
    coupon_discount_fen: int = 0
    points_used: int = 0
    points_discount_fen: int = 0
    member: ReceiptMember | None = None
    refunded: bool = False

    # ---- content -------------------------------------------------------------------------------------

    def heading(self) -> list[tuple[str, str]]:
        """Caption/value rows under the shop name: time, receipt number, staff, member."""
        rows = [
            (_("Time"), self.purchased_at.strftime("%Y-%m-%d %H:%M")),
            (_("Receipt no."), f"{self.purchase_id:06d}"),
        ]
        if self.staff_name:
            rows.append((_("Served by"), self.staff_name))
        if self.member is not None:
            rows.append((_("Member"), self.member.name))
            rows.append((_("Phone"), self.member.phone))
            if self.member.tier:
                rows.append((_("Tier"), self.member.tier))
        else:
            rows.append((_("Customer"), _("Walk-in")))
        return rows

    def totals(self) -> list[tuple[str, str]]:
        """Amount, what was taken off, and what was paid: the money rows."""
        rows = [(_("Amount"), format_money(self.amount_fen))]
        if self.coupon_name:
            value = f"-{format_money(self.coupon_discount_fen)}" if self.coupon_discount_fen else ""
            rows.append((_("Coupon: {name}").format(name=self.coupon_name), value))
        if self.points_used:
            rows.append(
                (
                    _("Points used: {points}").format(points=f"{self.points_used:,}"),
                    f"-{format_money(self.points_discount_fen)}",
                )
            )
        rows.append((_("Paid"), format_money(self.paid_fen)))
        return rows

    def loyalty(self) -> list[tuple[str, str]]:
        """Points earned and balance, points expiring soon, the next tier (members only)."""
        member = self.member
        if member is None:
            return []
        rows = [
            (_("Points earned"), f"+{member.points_earned:,}"),
            (_("Points balance"), f"{member.points_balance:,}"),
        ]
        if member.expiring_points > 0 and member.expiring_on is not None:
            rows.append(
                (
                    _("Expiring by {date}").format(date=spoken_date(member.expiring_on)),
                    f"{member.expiring_points:,}",
                )
            )
        return rows

    def notes(self) -> list[str]:
        """Sentences under the figures: tier progress and the visit reward."""
        member = self.member
        if member is None:
            return []
        notes = []
        if member.next_tier and member.next_tier_missing_fen > 0:
            notes.append(
                _("Spend {amount} more to reach {tier}").format(
                    amount=format_money(member.next_tier_missing_fen), tier=member.next_tier
                )
            )
        if member.visit is not None and member.visit.text():
            notes.append(member.visit.text())
        return notes

    # ---- rendering ----------------------------------------------------------------------------------

    def to_html(self, paper: ReceiptPaper = ReceiptPaper.ROLL_58) -> str:
        """The receipt for ``paper``, in HTML that ``QTextDocument`` prints as it looks."""
        size = _FONT_PT[paper]
        # Translated outside the f-strings: the catalogue extractor does not look inside them.
        title, refunded, thanks = _("Sales receipt"), _("REFUNDED"), _("Thank you, see you again!")
        parts = [
            "<html><head><meta charset='utf-8'/></head>",
            f"<body style='font-size: {size:g}pt; color: {INK};'>",
            f"<p align='center' style='font-size: {size * 1.35:g}pt; font-weight: bold; margin: 0;'>"
            f"{_e(self.shop_name)}</p>",
            f"<p align='center' style='margin: 0;'>{_e(title)}</p>",
        ]
        if self.refunded:
            parts.append(f"<p align='center' style='font-weight: bold;'>{_e(refunded)}</p>")
        parts.append(_table(self.heading()))
        if self.items:
            parts.append(RULE)
            rows = [
                (_("{name} × {qty}").format(name=item.name, qty=item.qty), format_money(item.amount_fen))
                for item in self.items
            ]
            parts.append(_table(rows))
        parts.append(RULE)
        totals = self.totals()
        parts.append(_table(totals[:-1]))
        label, value = totals[-1]
        parts.append(_table([(label, value)], size=size * 1.25, bold=True))
        loyalty = self.loyalty()
        if loyalty:
            parts.append(RULE)
            parts.append(_table(loyalty))
        for note in self.notes():
            parts.append(f"<p style='margin: 2px 0;'>{_e(note)}</p>")
        parts.append(RULE)
        parts.append(f"<p align='center' style='margin: 0;'>{_e(thanks)}</p>")
        parts.append("</body></html>")
        return "".join(parts)


def _e(text: str) -> str:
    return html.escape(text or "", quote=True)


def _table(rows: list[tuple[str, str]], *, size: float | None = None, bold: bool = False) -> str:
    """Caption on the left, value on the right, across the paper."""
    style = []
    if size is not None:
        style.append(f"font-size: {size:g}pt")
    if bold:
        style.append("font-weight: bold")
    css = f" style='{'; '.join(style)};'" if style else ""
    body = "".join(
        f"<tr><td>{_e(caption)}</td><td align='right'>{_e(value)}</td></tr>" for caption, value in rows
    )
    return f"<table width='100%' cellspacing='0' cellpadding='1'{css}>{body}</table>"
