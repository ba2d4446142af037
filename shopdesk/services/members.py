"""Member records: create, edit, archive, read one or a page of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NewType

from peewee import JOIN

from shopdesk.db.models import Member, Staff, now
from shopdesk.domain.birthdays import Birthday, parse_birthday
from shopdesk.domain.members import Gender, Source, clean_name, clean_notes, parse_source
from shopdesk.domain.phones import normalize_phone
from shopdesk.domain.pinyin import name_pinyin
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.services import coupon_rules
from shopdesk.services.audit import record_audit
from shopdesk.services.transactions import atomic, guarded, raw_rows

MemberId = NewType("MemberId", int)


@dataclass(slots=True)
class MemberInput:
    """What a form or an import row says about a member; checked by ``create_member``/``update_member``."""

    name: str
    phone: str
    gender: str = ""
    birthday: Birthday | str | None = None
    source: str = Source.STORE.value
    referrer_id: int | None = None
    staff_id: int | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One line of the members table."""

    id: MemberId
    name: str
    phone: str
    gender: str
    birthday: Birthday | None
    source: str
    staff_name: str
    purchase_count: int
    total_spent_fen: int
    last_purchase_at: dt.datetime | None
    created_at: dt.datetime
    archived: bool


@dataclass(frozen=True, slots=True)
class MemberDetail:
    """Everything the member dialog and the detail panel show."""

    id: MemberId
    name: str
    phone: str
    gender: str
    birthday: Birthday | None
    source: str
    referrer_id: int | None
    referrer_name: str
    staff_id: int | None
    staff_name: str
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime
    archived_at: dt.datetime | None
    purchase_count: int
    total_spent_fen: int
    first_purchase_at: dt.datetime | None
    last_purchase_at: dt.datetime | None
    referee_count: int = 0
    extra: dict = field(default_factory=dict)

    def as_input(self) -> MemberInput:
        """The editable fields, to pre-fill a form."""
        return MemberInput(
            name=self.name, phone=self.phone, gender=self.gender, birthday=self.birthday,
            source=self.source, referrer_id=self.referrer_id, staff_id=self.staff_id, notes=self.notes,
        )


def _referrer_chain(member_id: int) -> set[int]:
    """``member_id``, who referred them, who referred that one, and so on (referral rewards walk it)."""
    chain: set[int] = set()
    current: int | None = member_id
    while current is not None and current not in chain:
        chain.add(current)
        current = Member.select(Member.referrer).where(Member.id == current).scalar()
    return chain


def _clean(data: MemberInput, member_id: int | None) -> dict:
    """Validate ``data`` into column values; every problem names its field."""
    name = clean_name(data.name)
    phone = normalize_phone(data.phone)
    birthday = parse_birthday(data.birthday)
    try:
        gender = Gender(data.gender or "")
    except ValueError:
        raise ValidationError("gender", _("Gender should be female, male or not given.")) from None
    existing = Member.select(Member.id, Member.name).where(Member.phone == phone).first()
    if existing is not None and existing.id != member_id:
        raise ValidationError(
            "phone", _("This phone already belongs to {name}.").format(name=existing.name)
        )
    if data.referrer_id is not None:
        if data.referrer_id == member_id:
            raise ValidationError("referrer", _("A member cannot refer themselves."))
        if not Member.select().where(Member.id == data.referrer_id).exists():
            raise ValidationError("referrer", _("The referrer is not a member."))
        if member_id is not None and member_id in _referrer_chain(data.referrer_id):
            raise ValidationError("referrer", _("A member cannot be referred by someone they brought in."))
    if data.staff_id is not None and not Staff.select().where(Staff.id == data.staff_id).exists():
        raise ValidationError("staff", _("This member of staff does not exist."))
    full, initials = name_pinyin(name)
    return {
        "name": name,
        "name_pinyin": full[:120],
        "name_initials": initials[:30],
        "phone": phone,
        "phone_rev": phone[::-1],
        "gender": gender.value,
        "birth_year": birthday.year if birthday else None,
        "birth_month": birthday.month if birthday else None,
        "birth_day": birthday.day if birthday else None,
        "source": parse_source(data.source).value,
        "referrer": data.referrer_id,
        "staff": data.staff_id,
        "notes": clean_notes(data.notes),
    }


def create_member(data: MemberInput, *, actor: str = "") -> MemberId:
    """Save a new member and return their id; ValidationError names the first wrong field."""
    with atomic():
        values = _clean(data, None)
        stamp = now()
        member = Member.create(created_at=stamp, updated_at=stamp, **values)
        record_audit("member.create", f"member:{member.id}", actor=actor)
        coupon_rules.on_member_joined(member.id, stamp.date())
        return MemberId(member.id)


def update_member(member_id: int, data: MemberInput, *, actor: str = "") -> None:
    """Save changes to a member's record (figures are not editable: they follow purchases)."""
    with atomic():
        _require(member_id)
        values = _clean(data, member_id)
        Member.update(updated_at=now(), **values).where(Member.id == member_id).execute()
        record_audit("member.update", f"member:{member_id}", actor=actor)


def archive_member(member_id: int, *, actor: str = "") -> None:
    """Hide a member from lists and searches; their purchases and figures stay."""
    with atomic():
        _require(member_id)
        Member.update(archived_at=now(), updated_at=now()).where(Member.id == member_id).execute()
        record_audit("member.archive", f"member:{member_id}", actor=actor)


def unarchive_member(member_id: int, *, actor: str = "") -> None:
    """Bring an archived member back into lists and searches."""
    with atomic():
        _require(member_id)
        Member.update(archived_at=None, updated_at=now()).where(Member.id == member_id).execute()
        record_audit("member.unarchive", f"member:{member_id}", actor=actor)


def _require(member_id: int) -> Member:
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        raise NotFoundError(_("This member no longer exists."))
    return member


def _birthday(year: int | None, month: int | None, day: int | None) -> Birthday | None:
    return Birthday(month, day, year) if month and day else None


@guarded
def get_member(member_id: int) -> MemberDetail:
    """One member with everything the detail panel shows."""
    member = _require(member_id)
    referrer = Member.get_or_none(Member.id == member.referrer_id) if member.referrer_id else None
    staff = Staff.get_or_none(Staff.id == member.staff_id) if member.staff_id else None
    referees = Member.select().where(Member.referrer == member.id).count()
    return MemberDetail(
        id=MemberId(member.id), name=member.name, phone=member.phone or "", gender=member.gender,
        birthday=_birthday(member.birth_year, member.birth_month, member.birth_day),
        source=member.source, referrer_id=member.referrer_id,
        referrer_name=referrer.name if referrer else "", staff_id=member.staff_id,
        staff_name=staff.name if staff else "", notes=member.notes, created_at=member.created_at,
        updated_at=member.updated_at, archived_at=member.archived_at,
        purchase_count=member.purchase_count, total_spent_fen=member.total_spent_fen,
        first_purchase_at=member.first_purchase_at, last_purchase_at=member.last_purchase_at,
        referee_count=referees,
    )


_ROW_COLUMNS = (
    Member.id, Member.name, Member.phone, Member.gender, Member.birth_year, Member.birth_month,
    Member.birth_day, Member.source, Staff.name, Member.purchase_count, Member.total_spent_fen,
    Member.last_purchase_at, Member.created_at, Member.archived_at,
)


def _as_datetime(value: object) -> dt.datetime | None:
    """SQLite hands back text, PostgreSQL datetimes; rows carry datetimes either way."""
    if value is None or isinstance(value, dt.datetime):
        return value  # type: ignore[return-value]
    return dt.datetime.fromisoformat(str(value))


@guarded
def get_member_rows(ids: Sequence[int]) -> list[MemberRow]:
    """The table rows of ``ids``, in the same order (ids that no longer exist are left out)."""
    if not ids:
        return []
    query = (
        Member.select(*_ROW_COLUMNS)
        .join(Staff, JOIN.LEFT_OUTER, on=(Member.staff == Staff.id))
        .where(Member.id.in_(list(ids)))
    )
    by_id = {}
    for (mid, name, phone, gender, year, month, day, source, staff, count, total, last, created,
         archived) in raw_rows(query):
        by_id[mid] = MemberRow(
            id=MemberId(mid), name=name, phone=phone or "", gender=gender,
            birthday=_birthday(year, month, day), source=source, staff_name=staff or "",
            purchase_count=count, total_spent_fen=total, last_purchase_at=_as_datetime(last),
            created_at=_as_datetime(created), archived=archived is not None,  # type: ignore[arg-type]
        )
    return [by_id[mid] for mid in ids if mid in by_id]


@guarded
def find_member_by_phone(phone: str) -> MemberId | None:
    """The member whose phone is ``phone`` (in any form people type), or None."""
    try:
        normalized = normalize_phone(phone)
    except ValidationError:
        return None
    row = Member.select(Member.id).where(Member.phone == normalized).first()
    return MemberId(row.id) if row else None


@guarded
def count_members(*, include_archived: bool = False) -> int:
    """How many members the shop has."""
    query = Member.select()
    if not include_archived:
        query = query.where(Member.archived_at.is_null())
    return query.count()
