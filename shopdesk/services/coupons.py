"""Issued coupons: issuing to one member or to many in one transaction, finding, listing, voiding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from peewee import JOIN, fn

from shopdesk.db import bulk
from shopdesk.db.models import Coupon, CouponBatch, CouponTemplate, Member, database_proxy, now
from shopdesk.domain.coupons import (
    CouponKind,
    CouponStatus,
    describe,
    is_valid_code,
    new_code,
    normalize_code,
)
from shopdesk.domain.coupons import validity as coupon_validity
from shopdesk.errors import ConflictError, NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.services.audit import record_audit
from shopdesk.services.coupon_templates import TemplateView, _date, view_of
from shopdesk.services.progress import Progress, report
from shopdesk.services.transactions import atomic, guarded

ISSUE_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class CouponView:
    id: int
    code: str
    template_id: int
    template_name: str
    kind: CouponKind
    description: str
    member_id: int
    member_name: str
    valid_from: dt.date
    valid_until: dt.date
    status: CouponStatus
    issued_at: dt.datetime
    used_at: dt.datetime | None
    purchase_id: int | None
    discount_fen: int
    void_reason: str
    batch_id: int | None


@dataclass(frozen=True, slots=True)
class IssueResult:
    batch_id: int
    issued: int
    skipped: int  # members over the template's per-member limit


def _template_for_issue(template_id: int) -> TemplateView:
    row = CouponTemplate.get_or_none(CouponTemplate.id == template_id)
    if row is None:
        raise NotFoundError(_("This coupon template no longer exists."))
    template = view_of(row)
    if template.paused:
        raise ConflictError(_("This coupon template is paused; resume it to issue coupons."))
    return template


def _held_counts(template_id: int, member_ids: Sequence[int]) -> dict[int, int]:
    """How many coupons of the template each member already holds (void ones do not count)."""
    counts: dict[int, int] = {}
    for start in range(0, len(member_ids), ISSUE_CHUNK):
        chunk = list(member_ids[start : start + ISSUE_CHUNK])
        query = (
            Coupon.select(Coupon.member, fn.COUNT(Coupon.id))
            .where((Coupon.template == template_id) & Coupon.member.in_(chunk) & (Coupon.status != "void"))
            .group_by(Coupon.member)
        )
        counts.update(dict(query.tuples()))
    return counts


def issue_coupons(
    template_id: int,
    member_ids: Sequence[int],
    *,
    label: str = "",
    source: str = "manual",
    operator: str = "",
    today: dt.date | None = None,
    progress: Progress | None = None,
    batch_id: int | None = None,
    respect_consent: bool = False,
) -> IssueResult:
    """Issue one coupon of the template to each member, in one transaction (all or nothing).

    ``batch_id`` adds the coupons to an existing batch (rules collect a day's coupons in one batch).
    ``respect_consent`` skips members who did not agree to offers (bulk issuing and rules).

    Members who already hold the template's per-member limit are skipped and counted. Codes are unique:
    drawn at random and checked against the table.
    """
    today = today or now().date()
    unique_ids = list(dict.fromkeys(member_ids))
    with atomic():
        template = _template_for_issue(template_id)
        found = 0
        for start in range(0, len(unique_ids), ISSUE_CHUNK):
            chunk = unique_ids[start : start + ISSUE_CHUNK]
            found += Member.select().where(Member.id.in_(chunk) & Member.archived_at.is_null()).count()
        if found != len(unique_ids):
            raise NotFoundError(_("Some of the chosen members no longer exist or are archived."))
        limit = template.per_member_limit
        held = _held_counts(template_id, unique_ids) if limit else {}
        targets = [mid for mid in unique_ids if not limit or held.get(mid, 0) < limit]
        if respect_consent:
            refused: set[int] = set()
            for start in range(0, len(targets), ISSUE_CHUNK):
                chunk = targets[start : start + ISSUE_CHUNK]
                refused.update(
                    mid
                    for (mid,) in Member.select(Member.id)
                    .where(Member.id.in_(chunk) & (Member.marketing_consent == False))  # noqa: E712
                    .tuples()
                )
            targets = [mid for mid in targets if mid not in refused]
        first, last = coupon_validity(today, template.valid_from, template.valid_until, template.valid_days)
        if last < today:
            raise ConflictError(_("This coupon template's validity has ended."))
        if batch_id is None:
            batch = CouponBatch.create(
                template=template_id,
                label=label[:80],
                source=source,
                issued_count=len(targets),
                operator=operator,
            )
        else:
            batch = CouponBatch.get_by_id(batch_id)
            CouponBatch.update(issued_count=CouponBatch.issued_count + len(targets)).where(
                CouponBatch.id == batch_id
            ).execute()
        stamp = now().isoformat(sep=" ")  # text, as Peewee stores it; both databases read it
        codes: set[str] = set()
        db = database_proxy.obj
        columns = (
            "code",
            "template_id",
            "member_id",
            "batch_id",
            "issued_at",
            "valid_from",
            "valid_until",
            "status",
            "discount_fen",
            "void_reason",
        )
        for start in range(0, len(targets), ISSUE_CHUNK):
            chunk = targets[start : start + ISSUE_CHUNK]
            fresh = [new_code(codes) for _ in chunk]
            clashes = {c for (c,) in Coupon.select(Coupon.code).where(Coupon.code.in_(fresh)).tuples()}
            fresh = [new_code(codes | clashes | set(fresh)) if c in clashes else c for c in fresh]
            codes.update(fresh)
            rows = [
                (
                    code,
                    template_id,
                    member_id,
                    batch.id,
                    stamp,
                    first.isoformat(),
                    last.isoformat(),
                    "unused",
                    0,
                    "",
                )
                for code, member_id in zip(fresh, chunk, strict=True)
            ]
            bulk.bulk_insert(db, "coupon", columns, rows)
            report(progress, min(start + ISSUE_CHUNK, len(targets)), len(targets), _("Issuing coupons"))
        record_audit(
            "coupon.issue",
            f"coupon_batch:{batch.id}",
            {"template": template_id, "issued": len(targets), "source": source},
            actor=operator,
        )
        return IssueResult(batch.id, len(targets), len(unique_ids) - len(targets))


def issue_coupon(
    template_id: int, member_id: int, *, operator: str = "", today: dt.date | None = None
) -> int:
    """Issue one coupon to one member and return its id; the per-member limit is a clear refusal here."""
    with atomic():
        result = issue_coupons(template_id, [member_id], source="manual", operator=operator, today=today)
        if not result.issued:
            raise ConflictError(_("This member already has as many of these coupons as allowed."))
        return Coupon.select(Coupon.id).where(Coupon.batch == result.batch_id).scalar()


def _views(query: object, today: dt.date) -> list[CouponView]:
    result = []
    for row in query:  # type: ignore[attr-defined]
        template = view_of(row.template)
        result.append(
            CouponView(
                id=row.id,
                code=row.code,
                template_id=template.id,
                template_name=template.name,
                kind=template.kind,
                description=describe(template.terms, template.gift_name),
                member_id=row.member_id,
                member_name=row.member.name,
                valid_from=_date(row.valid_from),
                valid_until=_date(row.valid_until),
                status=_status(row.status, _date(row.valid_until), today),
                issued_at=row.issued_at,
                used_at=row.used_at,
                purchase_id=row.purchase_id,
                discount_fen=row.discount_fen,
                void_reason=row.void_reason,
                batch_id=row.batch_id,
            )
        )
    return result


def _status(status: str, valid_until: dt.date | None, today: dt.date) -> CouponStatus:
    from shopdesk.domain.coupons import status_on

    return status_on(status, valid_until or dt.date.max, today)


def _base() -> object:
    return (
        Coupon.select(Coupon, CouponTemplate, Member.id, Member.name)
        .join(CouponTemplate, on=(Coupon.template == CouponTemplate.id))
        .switch(Coupon)
        .join(Member, JOIN.INNER, on=(Coupon.member == Member.id))
    )


@guarded
def find_by_code(code: str, today: dt.date | None = None) -> CouponView:
    """The coupon with ``code`` as typed (case, spaces and dashes ignored); a clear error when wrong."""
    normalized = normalize_code(code)
    if not is_valid_code(normalized):
        raise ValidationError("code", _("This coupon code is not valid; please check it."))
    views = _views(_base().where(Coupon.code == normalized), today or now().date())  # type: ignore[attr-defined]
    if not views:
        raise NotFoundError(_("No coupon has this code."))
    return views[0]


@guarded
def get_coupon(coupon_id: int, today: dt.date | None = None) -> CouponView:
    views = _views(_base().where(Coupon.id == coupon_id), today or now().date())  # type: ignore[attr-defined]
    if not views:
        raise NotFoundError(_("This coupon no longer exists."))
    return views[0]


@guarded
def member_coupons(
    member_id: int, *, today: dt.date | None = None, include_closed: bool = True
) -> list[CouponView]:
    """A member's coupons: usable ones first (soonest to expire first), then used, expired and void."""
    today = today or now().date()
    views = _views(_base().where(Coupon.member == member_id).order_by(Coupon.valid_until, Coupon.id), today)  # type: ignore[attr-defined]
    order = {CouponStatus.UNUSED: 0, CouponStatus.USED: 1, CouponStatus.EXPIRED: 2, CouponStatus.VOID: 3}
    views.sort(key=lambda v: order[v.status])
    if not include_closed:
        views = [v for v in views if v.status is CouponStatus.UNUSED]
    return views


@guarded
def list_coupons(
    *,
    status: CouponStatus | None = None,
    template_id: int | None = None,
    batch_id: int | None = None,
    text: str = "",
    today: dt.date | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[CouponView]:
    """Issued coupons, newest first, filtered by status (expired derived), template, batch, code or member."""
    today = today or now().date()
    query = _base()
    if status is CouponStatus.EXPIRED:
        query = query.where((Coupon.status == "unused") & (Coupon.valid_until < today))  # type: ignore[attr-defined]
    elif status is CouponStatus.UNUSED:
        query = query.where((Coupon.status == "unused") & (Coupon.valid_until >= today))  # type: ignore[attr-defined]
    elif status is not None:
        query = query.where(Coupon.status == status.value)  # type: ignore[attr-defined]
    if template_id is not None:
        query = query.where(Coupon.template == template_id)  # type: ignore[attr-defined]
    if batch_id is not None:
        query = query.where(Coupon.batch == batch_id)  # type: ignore[attr-defined]
    text = text.strip()
    if text:
        code = normalize_code(text)
        query = query.where(  # type: ignore[attr-defined]
            (Coupon.code == code) | Member.name.contains(text) | Member.phone.endswith(text)
        )
    query = query.order_by(Coupon.id.desc()).limit(limit).offset(offset)  # type: ignore[attr-defined]
    return _views(query, today)


def void_coupon(coupon_id: int, reason: str, *, operator: str = "") -> None:
    """Cancel an unused coupon (a reason is required); it can no longer be used."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", _("Please give a reason for voiding the coupon."))
    with atomic():
        updated = (
            Coupon.update(status="void", void_reason=reason[:200], voided_at=now())
            .where((Coupon.id == coupon_id) & (Coupon.status == "unused"))
            .execute()
        )
        if not updated:
            if not Coupon.select().where(Coupon.id == coupon_id).exists():
                raise NotFoundError(_("This coupon no longer exists."))
            raise ConflictError(_("Only an unused coupon can be voided."))
        record_audit("coupon.void", f"coupon:{coupon_id}", {"reason": reason}, actor=operator)
