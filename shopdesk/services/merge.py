"""Duplicate members: find likely pairs, merge one into the other in one transaction, undo a merge.

A merge moves every row that belongs to the dropped member (purchases, points, tier history, referrals,
and what later features register with ``register_member_reference``) to the kept member, fills the kept
member's blank fields, and archives the dropped one. The ids it moved and the fields it changed are
saved with the merge, so undo puts each row back where it was.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from peewee import CompositeKey, Field, Model, fn

from shopdesk.db.models import (
    ContactLog,
    Coupon,
    FollowupTask,
    Member,
    MemberMerge,
    MemberTag,
    PointsEntry,
    PointsLot,
    Purchase,
    TierChange,
    now,
)
from shopdesk.errors import ConflictError, NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.services.audit import record_audit
from shopdesk.services.auto_tags import recompute_auto_tags
from shopdesk.services.purchases import recompute_member_figures
from shopdesk.services.transactions import atomic, guarded

# Rows that belong to a member, by (model, the field pointing at the member). Features add theirs.
MEMBER_REFERENCES: list[tuple[type[Model], Field]] = [
    (Purchase, Purchase.member),
    (PointsEntry, PointsEntry.member),
    (PointsLot, PointsLot.member),
    (TierChange, TierChange.member),
    (Member, Member.referrer),
    (Coupon, Coupon.member),
    (FollowupTask, FollowupTask.member),
    (ContactLog, ContactLog.member),
    (MemberTag, MemberTag.member),  # keyed by (member, tag): moved by _move_keyed
]
# Profile fields the kept member takes from the dropped one when its own are blank.
FILLED_FIELDS = ("gender", "birth_year", "birth_month", "birth_day", "staff_id", "referrer_id")


def register_member_reference(model: type[Model], field: Field) -> None:
    """Let a feature's member-owned rows (coupons, tags, follow-ups …) follow a merge."""
    if (model, field) not in MEMBER_REFERENCES:
        MEMBER_REFERENCES.append((model, field))


def _other_key(model: type[Model], field: Field) -> Field:
    """For a row keyed by (member, something): the something (e.g. the tag of a member's tag)."""
    names = [name for name in model._meta.primary_key.field_names if name != field.name]
    return model._meta.fields[names[0]]


def _move_keyed(model: type[Model], field: Field, from_id: int, to_id: int) -> list[int]:
    """Move rows keyed by (member, other) that the target does not hold yet; the other keys moved.

    Rows the target already holds (both members had the tag) stay with the dropped member, so an undo
    leaves the kept member exactly as it was.
    """
    other = _other_key(model, field)
    held = model.select(other).where(field == to_id)
    keys = [row[0] for row in model.select(other).where((field == from_id) & other.not_in(held)).tuples()]
    if keys:
        model.update({field: to_id}).where((field == from_id) & other.in_(keys)).execute()
    return keys


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    first_id: int
    second_id: int
    name: str
    first_phone: str
    second_phone: str
    reason: str


@dataclass(frozen=True, slots=True)
class MergeView:
    id: int
    kept_id: int
    kept_name: str
    dropped_id: int
    dropped_name: str
    created_at: dt.datetime
    undone: bool


def _one_digit_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


@guarded
def suggest_duplicates(limit: int = 200) -> list[DuplicatePair]:
    """Pairs that are probably one person: the same name and birthday, or the same name and phones one
    digit apart (a typing slip). Archived members are left out."""
    other = Member.alias()
    live = Member.archived_at.is_null() & other.archived_at.is_null()
    same_name = (
        Member.select(
            Member.id,
            other.id,
            Member.name,
            Member.phone,
            other.phone,
            Member.birth_month,
            Member.birth_day,
            other.birth_month,
            other.birth_day,
        )
        .join(other, on=((other.name == Member.name) & (other.id > Member.id)))
        .where(live)
        .order_by(Member.id, other.id)
    )
    pairs: list[DuplicatePair] = []
    for first, second, name, phone1, phone2, m1, d1, m2, d2 in same_name.tuples().iterator():
        if m1 is not None and (m1, d1) == (m2, d2):
            reason = _("Same name and birthday")
        elif phone1 and phone2 and _one_digit_apart(phone1, phone2):
            reason = _("Same name, phones differ by one digit")
        else:
            continue
        pairs.append(DuplicatePair(first, second, name, phone1 or "", phone2 or "", reason))
        if len(pairs) >= limit:
            break
    return pairs


def _recompute_points_balance(member_id: int) -> None:
    total = (
        PointsEntry.select(fn.COALESCE(fn.SUM(PointsEntry.amount), 0))
        .where(PointsEntry.member == member_id)
        .scalar()
    )
    Member.update(points_balance=total).where(Member.id == member_id).execute()


def _lot_state(member_ids: list[int]) -> dict[str, int]:
    rows = PointsLot.select(PointsLot.id, PointsLot.remaining).where(PointsLot.member.in_(member_ids))
    return {str(lot_id): remaining for lot_id, remaining in rows.tuples()}


def _settle_debt(member_id: int) -> None:
    """After a merge, lots may hold more than a positive balance (one side owed points): trim them."""
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


def merge_members(keep_id: int, drop_id: int, *, operator: str = "") -> int:
    """Merge ``drop_id`` into ``keep_id``; returns the merge's id (for undo)."""
    if keep_id == drop_id:
        raise ValidationError("member", _("Choose two different members to merge."))
    with atomic():
        keep = Member.get_or_none(Member.id == keep_id)
        drop = Member.get_or_none(Member.id == drop_id)
        if keep is None or drop is None:
            raise NotFoundError(_("This member no longer exists."))
        if keep.archived_at is not None or drop.archived_at is not None:
            raise ConflictError(_("Archived members cannot be merged; restore them first."))
        moved: dict[str, list[int]] = {}
        for model, field in MEMBER_REFERENCES:
            key = f"{model._meta.table_name}.{field.column_name}"
            if isinstance(model._meta.primary_key, CompositeKey):
                moved[key] = _move_keyed(model, field, drop_id, keep_id)
                continue
            condition = field == drop_id
            if model is Member:
                condition &= Member.id != keep_id
            ids = [row[0] for row in model.select(model._meta.primary_key).where(condition).tuples()]
            if ids:
                model.update({field: keep_id}).where(model._meta.primary_key.in_(ids)).execute()
            moved[f"{model._meta.table_name}.{field.column_name}"] = ids
        before = {name: getattr(keep, name) for name in (*FILLED_FIELDS, "notes", "tier_id", "tier_manual")}
        lots_before = _lot_state([keep_id, drop_id])
        changes: dict[str, object] = {}
        for name in FILLED_FIELDS:
            if getattr(keep, name) in (None, "") and getattr(drop, name) not in (None, ""):
                changes[name] = getattr(drop, name)
        if changes.get("referrer_id") == keep_id:
            del changes["referrer_id"]
        if drop.notes and drop.notes not in keep.notes:
            changes["notes"] = f"{keep.notes}\n{drop.notes}".strip()
        if keep.referrer_id == drop_id:
            changes["referrer_id"] = None
        drop_tier = drop.tier_id
        if changes:
            Member.update({getattr(Member, k.removesuffix("_id")): v for k, v in changes.items()}).where(
                Member.id == keep_id
            ).execute()
        Member.update(archived_at=now(), merged_into=keep_id, updated_at=now()).where(
            Member.id == drop_id
        ).execute()
        recompute_member_figures([keep_id, drop_id])
        recompute_auto_tags(member_ids=[keep_id, drop_id])  # one lifecycle and RFM tag each again
        _recompute_points_balance(keep_id)
        _recompute_points_balance(drop_id)
        _settle_debt(keep_id)
        snapshot = {
            "moved": moved,
            "kept_before": before,
            "dropped_tier_id": drop_tier,
            "lots_before": lots_before,
        }
        merge = MemberMerge.create(
            kept=keep_id, dropped=drop_id, snapshot=json.dumps(snapshot, default=str), operator=operator
        )
        record_audit(
            "member.merge", f"member:{keep_id}", {"dropped": drop_id, "merge": merge.id}, actor=operator
        )
        return merge.id


def undo_merge(merge_id: int, *, operator: str = "") -> None:
    """Put every moved row back with the dropped member and restore both records."""
    with atomic():
        merge = MemberMerge.get_or_none(MemberMerge.id == merge_id)
        if merge is None:
            raise NotFoundError(_("This merge no longer exists."))
        if merge.undone_at is not None:
            raise ConflictError(_("This merge was undone already."))
        snapshot = json.loads(merge.snapshot)
        keep_id, drop_id = merge.kept_id, merge.dropped_id
        references = {f"{m._meta.table_name}.{f.column_name}": (m, f) for m, f in MEMBER_REFERENCES}
        for key, ids in snapshot["moved"].items():
            if ids and key in references:
                model, field = references[key]
                if isinstance(model._meta.primary_key, CompositeKey):
                    other = _other_key(model, field)
                    model.update({field: drop_id}).where((field == keep_id) & other.in_(ids)).execute()
                    continue
                model.update({field: drop_id}).where(model._meta.primary_key.in_(ids)).execute()
        before = snapshot["kept_before"]
        restored = {getattr(Member, k.removesuffix("_id")): v for k, v in before.items()}
        Member.update(restored).where(Member.id == keep_id).execute()
        Member.update(
            archived_at=None, merged_into=None, tier=snapshot["dropped_tier_id"], updated_at=now()
        ).where(Member.id == drop_id).execute()
        for lot_id, remaining in snapshot["lots_before"].items():
            PointsLot.update(remaining=remaining).where(PointsLot.id == int(lot_id)).execute()
        recompute_member_figures([keep_id, drop_id])
        recompute_auto_tags(member_ids=[keep_id, drop_id])
        _recompute_points_balance(keep_id)
        _recompute_points_balance(drop_id)
        MemberMerge.update(undone_at=now()).where(MemberMerge.id == merge_id).execute()
        record_audit(
            "member.merge_undo", f"member:{keep_id}", {"dropped": drop_id, "merge": merge_id}, actor=operator
        )


@guarded
def list_merges(limit: int = 50) -> list[MergeView]:
    """Recent merges, newest first (the undo list)."""
    kept, dropped = Member.alias(), Member.alias()
    query = (
        MemberMerge.select(
            MemberMerge.id,
            kept.id,
            kept.name,
            dropped.id,
            dropped.name,
            MemberMerge.created_at,
            MemberMerge.undone_at,
        )
        .join(kept, on=(MemberMerge.kept == kept.id))
        .switch(MemberMerge)
        .join(dropped, on=(MemberMerge.dropped == dropped.id))
        .order_by(MemberMerge.id.desc())
        .limit(limit)
    )
    return [
        MergeView(mid, kid, kname, did, dname, created, undone is not None)
        for mid, kid, kname, did, dname, created, undone in query.tuples()
    ]
