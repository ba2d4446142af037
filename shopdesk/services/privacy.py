"""Personal data (PIPL): erasing a member on request, exporting one member's data, marketing consent.

Erasing keeps the sales (the shop's figures stay right) but removes everything that identifies the person:
name, phone, birthday, notes, contact notes and purchase notes. With SQLite's ``secure_delete`` on, the
old values are overwritten in the file; older backups still hold them until they rotate out, which the
app tells the owner.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from shopdesk.db.models import (
    ContactLog,
    Coupon,
    FollowupTask,
    Member,
    MemberTag,
    PointsEntry,
    Purchase,
    Tag,
    now,
)
from shopdesk.errors import NotFoundError
from shopdesk.i18n import _
from shopdesk.services.audit import record_audit
from shopdesk.services.session import Permission, require
from shopdesk.services.transactions import atomic, guarded


@dataclass(frozen=True, slots=True)
class Consent:
    marketing: bool  # may receive offers (bulk coupons)
    reminders: bool  # may be contacted for follow-ups


@guarded
def get_consent(member_id: int) -> Consent:
    """What the member agreed to, for the member dialog's two checkboxes."""
    row = (
        Member.select(Member.marketing_consent, Member.reminders_opt_out)
        .where(Member.id == member_id)
        .tuples()
        .first()
    )
    if row is None:
        raise NotFoundError(_("This member no longer exists."))
    return Consent(bool(row[0]), not row[1])


def set_consent(member_id: int, marketing: bool, reminders: bool = True, *, actor: str = "") -> None:
    """Record whether the member agrees to offers (bulk coupons) and to reminders (follow-ups)."""
    with atomic():
        if (
            not Member.update(marketing_consent=marketing, reminders_opt_out=not reminders, updated_at=now())
            .where(Member.id == member_id)
            .execute()
        ):
            raise NotFoundError(_("This member no longer exists."))
        record_audit(
            "member.consent",
            f"member:{member_id}",
            {"marketing": marketing, "reminders": reminders},
            actor=actor,
        )


def delete_member(member_id: int, *, actor: str = "") -> None:
    """Erase a member's personal data and archive the record; purchases and figures stay."""
    require(Permission.DELETE_MEMBERS)
    with atomic():
        member = Member.get_or_none(Member.id == member_id)
        if member is None or member.deleted_at is not None:
            raise NotFoundError(_("This member no longer exists."))
        stamp = now()
        Member.update(
            name=_("Deleted member #{id}").format(id=member_id)[:30],
            phone=None,
            phone_rev=None,
            name_pinyin="",
            name_initials="",
            gender="",
            birth_year=None,
            birth_month=None,
            birth_day=None,
            notes="",
            marketing_consent=False,
            reminders_opt_out=True,
            archived_at=stamp,
            deleted_at=stamp,
            updated_at=stamp,
        ).where(Member.id == member_id).execute()
        Purchase.update(note="").where(Purchase.member == member_id).execute()
        ContactLog.delete().where(ContactLog.member == member_id).execute()
        FollowupTask.update(status="dropped", note="", reason="").where(
            FollowupTask.member == member_id
        ).execute()
        Coupon.update(status="void", void_reason=_("Member deleted"), voided_at=stamp).where(
            (Coupon.member == member_id) & (Coupon.status == "unused")
        ).execute()
        record_audit("member.delete", f"member:{member_id}", actor=actor)


@guarded
def export_member_data(member_id: int) -> dict:
    """Everything the shop holds about one member, as plain data (for a data request)."""
    require(Permission.EXPORT)
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        raise NotFoundError(_("This member no longer exists."))

    def value(v: object) -> object:
        return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v

    profile = {
        key: value(getattr(member, key))
        for key in (
            "id",
            "name",
            "phone",
            "gender",
            "birth_year",
            "birth_month",
            "birth_day",
            "source",
            "notes",
            "created_at",
            "marketing_consent",
            "reminders_opt_out",
            "points_balance",
            "purchase_count",
            "total_spent_fen",
            "first_purchase_at",
            "last_purchase_at",
        )
    }
    purchases = [
        {
            "id": p.id,
            "at": value(p.purchased_at),
            "amount_fen": p.amount_fen,
            "paid_fen": p.paid_fen,
            "note": p.note,
            "refunded_at": value(p.refunded_at),
        }
        for p in Purchase.select().where(Purchase.member == member_id).order_by(Purchase.purchased_at)
    ]
    ledger = [
        {
            "at": value(e.created_at),
            "kind": e.kind,
            "amount": e.amount,
            "balance_after": e.balance_after,
            "reason": e.reason,
        }
        for e in PointsEntry.select().where(PointsEntry.member == member_id).order_by(PointsEntry.id)
    ]
    coupon_rows = [
        {"code": c.code, "status": c.status, "valid_until": value(c.valid_until), "used_at": value(c.used_at)}
        for c in Coupon.select().where(Coupon.member == member_id).order_by(Coupon.id)
    ]
    tags = [t.name for t in Tag.select().join(MemberTag).where(MemberTag.member == member_id)]
    contacts = [
        {"at": value(c.created_at), "kind": c.kind, "outcome": c.outcome, "note": c.note}
        for c in ContactLog.select().where(ContactLog.member == member_id).order_by(ContactLog.id)
    ]
    record_audit("member.export", f"member:{member_id}")
    return {
        "member": profile,
        "purchases": purchases,
        "points": ledger,
        "coupons": coupon_rows,
        "tags": tags,
        "contacts": contacts,
    }


def export_member_file(member_id: int, path: str | os.PathLike[str]) -> Path:
    """Write ``export_member_data`` to ``path`` as readable JSON (UTF-8, Chinese kept as is)."""
    data = export_member_data(member_id)
    target = Path(path).expanduser()
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return target
