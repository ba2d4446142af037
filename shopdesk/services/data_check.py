"""“Check data”: compare every cached figure with what it is derived from, report, and repair.

- member figures (count, total spent, first and last purchase) against the purchases;
- points balances against the ledger, and the lots against the balance;
- coupons against purchases (a used coupon points at a live purchase that points back at it).
Repairs recompute from the source of truth (purchases, the ledger), in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import JOIN, fn

from shopdesk.db.member_months import rebuild_category_days, rebuild_member_months
from shopdesk.db.models import Coupon, Member, PointsEntry, PointsLot, Purchase, database_proxy
from shopdesk.i18n import _, ngettext
from shopdesk.services.audit import record_audit
from shopdesk.services.purchases import recompute_intervals, recompute_member_figures
from shopdesk.services.transactions import atomic, guarded


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # figures / points / lots / coupons
    member_id: int | None
    detail: str


@dataclass(frozen=True, slots=True)
class CheckReport:
    findings: tuple[Finding, ...]
    members_checked: int

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        if self.ok:
            return ngettext(
                "All good: {count} member checked.",
                "All good: {count} members checked.",
                self.members_checked,
            ).format(count=self.members_checked)
        return ngettext("{count} problem found.", "{count} problems found.", len(self.findings)).format(
            count=len(self.findings)
        )


def _figure_findings() -> list[Finding]:
    live = Purchase.refunded_at.is_null()
    sums = (
        Purchase.select(
            Purchase.member.alias("member_id"),
            fn.COUNT(Purchase.id).alias("n"),
            fn.SUM(Purchase.paid_fen).alias("total"),
            fn.MIN(Purchase.purchased_at).alias("first"),
            fn.MAX(Purchase.purchased_at).alias("last"),
        )
        .where(live & Purchase.member.is_null(False))
        .group_by(Purchase.member)
        .alias("sums")
    )
    query = Member.select(
        Member.id,
        Member.purchase_count,
        Member.total_spent_fen,
        Member.first_purchase_at,
        Member.last_purchase_at,
        sums.c.n,
        sums.c.total,
        sums.c.first,
        sums.c.last,
    ).join(sums, JOIN.LEFT_OUTER, on=(Member.id == sums.c.member_id))
    findings = []
    for mid, count, total, first, last, n, real_total, real_first, real_last in query.tuples().iterator():
        expected = (n or 0, real_total or 0, _text(real_first), _text(real_last))
        if (count, total, _text(first), _text(last)) != expected:
            findings.append(
                Finding(
                    "figures",
                    mid,
                    _("Cached purchase figures differ from the purchases: {had} instead of {want}.").format(
                        had=f"{count}/{total}", want=f"{expected[0]}/{expected[1]}"
                    ),
                )
            )
    return findings


def _text(value: object) -> str | None:
    return None if value is None else str(value)[:19]


def _points_findings() -> list[Finding]:
    ledger = (
        PointsEntry.select(PointsEntry.member.alias("member_id"), fn.SUM(PointsEntry.amount).alias("total"))
        .group_by(PointsEntry.member)
        .alias("ledger")
    )
    lots = (
        PointsLot.select(
            PointsLot.member.alias("member_id"),
            fn.SUM(PointsLot.remaining).alias("held"),
            fn.MIN(PointsLot.remaining).alias("lowest"),
        )
        .group_by(PointsLot.member)
        .alias("lots")
    )
    query = (
        Member.select(Member.id, Member.points_balance, ledger.c.total, lots.c.held, lots.c.lowest)
        .join(ledger, JOIN.LEFT_OUTER, on=(Member.id == ledger.c.member_id))
        .switch(Member)
        .join(lots, JOIN.LEFT_OUTER, on=(Member.id == lots.c.member_id))
    )
    findings = []
    for mid, balance, total, held, lowest in query.tuples().iterator():
        total, held = total or 0, held or 0
        if balance != total:
            findings.append(
                Finding(
                    "points",
                    mid,
                    _("Points balance {balance} differs from the ledger's {total}.").format(
                        balance=balance, total=total
                    ),
                )
            )
        if (lowest is not None and lowest < 0) or held != max(total, 0):
            findings.append(
                Finding(
                    "lots",
                    mid,
                    _("Points lots hold {held} points for a balance of {total}.").format(
                        held=held, total=total
                    ),
                )
            )
    return findings


def _coupon_findings() -> list[Finding]:
    findings = []
    used_without_sale = (
        Coupon.select(Coupon.id, Coupon.member, Coupon.code)
        .join(Purchase, JOIN.LEFT_OUTER, on=(Coupon.purchase == Purchase.id))
        .where((Coupon.status == "used") & (Purchase.id.is_null() | Purchase.refunded_at.is_null(False)))
    )
    for _cid, member_id, code in used_without_sale.tuples():
        findings.append(
            Finding(
                "coupons",
                member_id,
                _("Coupon {code} is marked used but no live sale used it.").format(code=code),
            )
        )
    unlinked = (
        Purchase.select(Purchase.id, Purchase.member)
        .join(Coupon, on=(Purchase.coupon == Coupon.id))
        .where(
            Purchase.refunded_at.is_null() & ((Coupon.status != "used") | (Coupon.purchase != Purchase.id))
        )
    )
    for pid, member_id in unlinked.tuples():
        findings.append(
            Finding(
                "coupons",
                member_id,
                _("Purchase #{id} used a coupon that is not marked used by it.").format(id=pid),
            )
        )
    return findings


@guarded
def check_data() -> CheckReport:
    """Compare every cached figure with its source; nothing is changed."""
    findings = _figure_findings() + _points_findings() + _coupon_findings()
    return CheckReport(tuple(findings), Member.select().count())


def repair_data(*, actor: str = "") -> CheckReport:
    """Recompute what can be recomputed (figures, rhythms, balances, lots, coupon links) in one transaction
    and return the check after repairing."""
    with atomic():
        recompute_member_figures()
        recompute_intervals()
        rebuild_member_months()
        rebuild_category_days()
        database_proxy.execute_sql(
            "UPDATE member SET points_balance = "
            "(SELECT COALESCE(SUM(e.amount), 0) FROM points_entry e WHERE e.member_id = member.id)"
        )
        _repair_lots()
        _repair_coupons()
        record_audit("data.repair", "shop", actor=actor)
    return check_data()


def _repair_lots() -> None:
    """Bring each member's lots to max(balance, 0): trim the soonest-expiring excess, or top up with a lot
    that never expires when the lots hold too little."""
    import datetime as dt

    for finding in _points_findings():
        if finding.kind != "lots" or finding.member_id is None:
            continue
        member_id = finding.member_id
        PointsLot.update(remaining=0).where(
            (PointsLot.member == member_id) & (PointsLot.remaining < 0)
        ).execute()
        balance = Member.select(Member.points_balance).where(Member.id == member_id).scalar()
        lots = list(
            PointsLot.select()
            .where((PointsLot.member == member_id) & (PointsLot.remaining > 0))
            .order_by(PointsLot.expires_on.is_null(False), PointsLot.expires_on, PointsLot.id)
        )
        excess = sum(lot.remaining for lot in lots) - max(balance, 0)
        for lot in lots:
            if excess <= 0:
                break
            take = min(lot.remaining, excess)
            PointsLot.update(remaining=lot.remaining - take).where(PointsLot.id == lot.id).execute()
            excess -= take
        if excess < 0:
            entry = (
                PointsEntry.select()
                .where(PointsEntry.member == member_id)
                .order_by(PointsEntry.id.desc())
                .first()
            )
            if entry is not None:
                PointsLot.create(
                    member=member_id,
                    entry=entry.id,
                    earned_on=dt.date.today(),
                    original=-excess,
                    remaining=-excess,
                )


def _repair_coupons() -> None:
    # A used coupon without a live sale is given back; a live sale's coupon is marked used by it.
    stale = (
        Coupon.select(Coupon.id)
        .join(Purchase, JOIN.LEFT_OUTER, on=(Coupon.purchase == Purchase.id))
        .where((Coupon.status == "used") & (Purchase.id.is_null() | Purchase.refunded_at.is_null(False)))
    )
    ids = [cid for (cid,) in stale.tuples()]
    if ids:
        Coupon.update(status="unused", purchase=None, used_at=None, discount_fen=0).where(
            Coupon.id.in_(ids)
        ).execute()
    for pid, coupon_id, when, off in (
        Purchase.select(Purchase.id, Purchase.coupon, Purchase.purchased_at, Purchase.coupon_discount_fen)
        .where(Purchase.refunded_at.is_null() & Purchase.coupon.is_null(False))
        .tuples()
    ):
        Coupon.update(status="used", purchase=pid, used_at=when, discount_fen=off).where(
            Coupon.id == coupon_id
        ).execute()
