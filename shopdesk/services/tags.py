"""Manual tags: create, rename, recolour, group, merge, delete; tag members one by one or by the thousand.

Automatic tags (``auto_kind`` set) belong to ``services.auto_tags``: every change by hand is refused
with a message saying why. Bulk actions run in one transaction with a few set-based statements per 500
ids (INSERT … SELECT, DELETE … IN, UPDATE … IN), never an ORM round trip per member.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from peewee import IntegrityError, fn

from shopdesk.db import sql
from shopdesk.db.models import Member, MemberTag, SavedFilter, Staff, Tag, now
from shopdesk.errors import ConflictError, NotFoundError, UserError, ValidationError
from shopdesk.i18n import N_, _
from shopdesk.services.audit import record_audit
from shopdesk.services.transactions import atomic, guarded

TagId = int
NAME_MAX = 30
GROUP_MAX = 20
# Soft pastel backgrounds that keep dark chip text readable (Ant Design's "-1" shades, roughly).
PALETTE: tuple[str, ...] = (
    "#E6F4FF",  # blue
    "#F6FFED",  # green
    "#FFF7E6",  # orange
    "#FFF0F6",  # magenta
    "#F9F0FF",  # purple
    "#E6FFFB",  # cyan
    "#FFFBE6",  # gold
    "#FFF1F0",  # red
    "#F0F5FF",  # geek blue
    "#FCFFE6",  # lime
    "#FFF2E8",  # volcano
    "#F5F5F5",  # grey
)
# Groups a shop usually wants, offered before it has made its own.
DEFAULT_GROUPS: tuple[str, ...] = (N_("Skin type"), N_("Preferences"), N_("Source"), N_("Custom"))
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$")


@dataclass(frozen=True, slots=True)
class TagView:
    """One tag as the tag manager lists it."""

    id: TagId
    name: str
    group: str
    color: str
    auto_kind: str | None
    auto_key: str | None
    sort_order: int
    member_count: int = 0

    @property
    def is_auto(self) -> bool:
        return self.auto_kind is not None


@dataclass(frozen=True, slots=True)
class TagChip:
    """What a chip in the members table or the detail panel needs."""

    id: TagId
    name: str
    color: str
    is_auto: bool


@dataclass(frozen=True, slots=True)
class BulkResult:
    """``changed`` members were (un)tagged; ``unchanged`` already were, or no longer exist."""

    changed: int
    unchanged: int


# ---- checks ---------------------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise ValidationError("name", _("Tag name is required."))
    if len(cleaned) > NAME_MAX:
        raise ValidationError(
            "name", _("Tag name should be at most {count} characters.").format(count=NAME_MAX)
        )
    return cleaned


def _clean_group(group: str) -> str:
    cleaned = " ".join((group or "").split())
    if len(cleaned) > GROUP_MAX:
        raise ValidationError(
            "group", _("Group name should be at most {count} characters.").format(count=GROUP_MAX)
        )
    return cleaned


def _clean_color(color: str) -> str:
    cleaned = (color or "").strip()
    if not _COLOR.match(cleaned):
        raise ValidationError("color", _("Choose a colour such as #E6F4FF."))
    return cleaned.upper()


def _tag(tag_id: int) -> Tag:
    tag = Tag.get_or_none(Tag.id == tag_id)
    if tag is None:
        raise NotFoundError(_("This tag no longer exists."))
    return tag


def _manual_tag(tag_id: int) -> Tag:
    """The tag, if people may change it; automatic tags are refused with the reason."""
    tag = _tag(tag_id)
    if tag.auto_kind is not None:
        raise UserError(
            _(
                "“{name}” is an automatic tag: ShopDesk keeps it up to date and it cannot be changed by hand."
            ).format(name=tag.name)
        )
    return tag


def _check_name_free(name: str, except_id: int | None = None) -> None:
    query = Tag.select().where(Tag.name == name)
    if except_id is not None:
        query = query.where(Tag.id != except_id)
    if query.exists():
        raise ConflictError(_("A tag named “{name}” exists already.").format(name=name))


# ---- tags -----------------------------------------------------------------------------------------------


def create_tag(name: str, group: str = "", color: str | None = None, *, actor: str = "") -> TagId:
    """Add a manual tag and return its id; without a colour, the next one of the pastel palette."""
    name, group = _clean_name(name), _clean_group(group)
    with atomic():
        _check_name_free(name)
        count, highest = Tag.select(fn.COUNT(Tag.id), fn.MAX(Tag.sort_order)).scalar(as_tuple=True)
        chosen = _clean_color(color) if color else PALETTE[int(count or 0) % len(PALETTE)]
        try:
            with atomic():
                tag_id = Tag.create(
                    name=name, group_name=group, color=chosen, sort_order=max(int(highest or 0), 0) + 1
                ).id
        except IntegrityError:
            raise ConflictError(_("A tag named “{name}” exists already.").format(name=name)) from None
        record_audit("tag.create", f"tag:{tag_id}", {"name": name, "group": group}, actor=actor)
        return tag_id


def rename_tag(tag_id: int, name: str, *, actor: str = "") -> None:
    """Give a manual tag a new name (members keep it)."""
    name = _clean_name(name)
    with atomic():
        tag = _manual_tag(tag_id)
        _check_name_free(name, except_id=tag_id)
        Tag.update(name=name).where(Tag.id == tag_id).execute()
        record_audit("tag.rename", f"tag:{tag_id}", {"from": tag.name, "to": name}, actor=actor)


def recolor_tag(tag_id: int, color: str) -> None:
    """Change a manual tag's chip colour (``#RRGGBB``)."""
    color = _clean_color(color)
    with atomic():
        _manual_tag(tag_id)
        Tag.update(color=color).where(Tag.id == tag_id).execute()


def set_tag_group(tag_id: int, group: str) -> None:
    """Move a manual tag to another group ("" for none)."""
    group = _clean_group(group)
    with atomic():
        _manual_tag(tag_id)
        Tag.update(group_name=group).where(Tag.id == tag_id).execute()


def merge_tags(source_id: int, target_id: int, *, actor: str = "") -> int:
    """Give every member of ``source_id`` the tag ``target_id``, then delete ``source_id``.

    Saved filters that named the source tag name the target instead. Returns how many members newly
    got the target tag.
    """
    if source_id == target_id:
        raise ValidationError("tag", _("Choose two different tags to merge."))
    with atomic():
        source, target = _manual_tag(source_id), _manual_tag(target_id)
        moved = sql.run(
            "INSERT INTO member_tag (member_id, tag_id, created_at)"
            " SELECT s.member_id, ?, s.created_at FROM member_tag s WHERE s.tag_id = ?"
            " AND NOT EXISTS (SELECT 1 FROM member_tag x WHERE x.member_id = s.member_id AND x.tag_id = ?)",
            [target_id, source_id, target_id],
        )
        MemberTag.delete().where(MemberTag.tag == source_id).execute()
        Tag.delete().where(Tag.id == source_id).execute()
        _replace_in_saved_filters(source_id, target_id)
        record_audit(
            "tag.merge",
            f"tag:{target_id}",
            {"from": source.name, "into": target.name, "moved": moved},
            actor=actor,
        )
        return moved


def _replace_in_saved_filters(old_id: int, new_id: int) -> None:
    from shopdesk.services.segments import SegmentFilter

    for row in SavedFilter.select():
        segment = SegmentFilter.from_json(row.definition)
        replaced = segment.with_tag_replaced(old_id, new_id)
        if replaced != segment:
            SavedFilter.update(definition=replaced.to_json(), updated_at=now()).where(
                SavedFilter.id == row.id
            ).execute()


def delete_tag(tag_id: int, *, actor: str = "") -> int:
    """Delete a manual tag and take it off every member; returns how many members had it.

    Saved filters naming it keep working: "has the tag" then matches nobody, "has none of" everybody.
    """
    with atomic():
        tag = _manual_tag(tag_id)
        count = MemberTag.delete().where(MemberTag.tag == tag_id).execute()
        Tag.delete().where(Tag.id == tag_id).execute()
        record_audit("tag.delete", f"tag:{tag_id}", {"name": tag.name, "members": count}, actor=actor)
        return int(count)


@guarded
def get_tag(tag_id: int) -> TagView:
    """One tag (without its member count)."""
    tag = _tag(tag_id)
    return TagView(tag.id, tag.name, tag.group_name, tag.color, tag.auto_kind, tag.auto_key, tag.sort_order)


@guarded
def list_tags(*, include_auto: bool = True, with_counts: bool = True) -> list[TagView]:
    """Every tag, automatic ones first, then in the order they were made; with unarchived member counts."""
    where = "" if include_auto else " WHERE auto_kind IS NULL"
    rows = sql.rows(
        "SELECT id, name, group_name, color, auto_kind, auto_key, sort_order"
        f" FROM tag{where} ORDER BY sort_order, id"
    )
    counts: dict[int, int] = {}
    if with_counts:
        # All rows per tag from the tag index, less the few on archived members: no lookup per row.
        for tag_id, count in sql.rows("SELECT tag_id, COUNT(*) FROM member_tag GROUP BY tag_id"):
            counts[tag_id] = int(count)
        archived = sql.rows(
            "SELECT tag_id, COUNT(*) FROM member_tag"
            " WHERE member_id IN (SELECT id FROM member WHERE archived_at IS NOT NULL) GROUP BY tag_id"
        )
        for tag_id, count in archived:
            counts[tag_id] = counts.get(tag_id, 0) - int(count)
    return [TagView(*row, member_count=counts.get(row[0], 0)) for row in rows]


@guarded
def list_tag_groups() -> list[str]:
    """Groups in use, then the usual ones (translated) not used yet, without repeats."""
    used = [
        name
        for (name,) in Tag.select(Tag.group_name)
        .where((Tag.group_name != "") & Tag.auto_kind.is_null())
        .distinct()
        .order_by(Tag.group_name)
        .tuples()
    ]
    groups = list(used)
    for group in DEFAULT_GROUPS:
        if _(group) not in groups:
            groups.append(_(group))
    return groups


# ---- one member -----------------------------------------------------------------------------------------


def _check_member(member_id: int) -> None:
    if not Member.select().where(Member.id == member_id).exists():
        raise NotFoundError(_("This member no longer exists."))


def tag_member(member_id: int, tag_id: int) -> bool:
    """Give one member a manual tag; False when they had it already."""
    with atomic():
        _manual_tag(tag_id)
        _check_member(member_id)
        return _insert_tag([member_id], tag_id) == 1


def untag_member(member_id: int, tag_id: int) -> bool:
    """Take a manual tag off one member; False when they did not have it."""
    with atomic():
        _manual_tag(tag_id)
        removed = (
            MemberTag.delete().where((MemberTag.member == member_id) & (MemberTag.tag == tag_id)).execute()
        )
        return bool(removed)


@guarded
def member_tags(member_id: int) -> list[TagChip]:
    """One member's tags for the detail panel, automatic ones first."""
    return tags_for_members([member_id]).get(member_id, [])


@guarded
def tags_for_members(member_ids: Iterable[int]) -> dict[int, list[TagChip]]:
    """Tags of many members at once (the members table's visible rows), automatic ones first."""
    ids = sorted({int(i) for i in member_ids})
    chips: dict[int, list[TagChip]] = {}
    for chunk in sql.chunks(ids):
        rows = sql.rows(
            "SELECT mt.member_id, t.id, t.name, t.color, t.auto_kind FROM member_tag mt"
            f" JOIN tag t ON t.id = mt.tag_id WHERE mt.member_id IN ({sql.marks(len(chunk))})"
            " ORDER BY mt.member_id, t.sort_order, t.id",
            chunk,
        )
        for member_id, tag_id, name, color, auto_kind in rows:
            chips.setdefault(member_id, []).append(TagChip(tag_id, name, color, auto_kind is not None))
    return chips


# ---- many members ---------------------------------------------------------------------------------------


def _insert_tag(member_ids: Sequence[int], tag_id: int) -> int:
    """Tag the existing members among ``member_ids`` who do not have the tag yet; how many were."""
    stamp = sql.datetime_param(now())
    added = 0
    for chunk in sql.chunks(member_ids):
        added += sql.run(
            "INSERT INTO member_tag (member_id, tag_id, created_at)"
            f" SELECT m.id, ?, ? FROM member m WHERE m.id IN ({sql.marks(len(chunk))})"
            " AND NOT EXISTS (SELECT 1 FROM member_tag x WHERE x.member_id = m.id AND x.tag_id = ?)",
            [tag_id, stamp, *chunk, tag_id],
        )
    return added


def _unique(member_ids: Iterable[int]) -> list[int]:
    return sorted({int(i) for i in member_ids})


def bulk_tag(member_ids: Iterable[int], tag_id: int, *, actor: str = "") -> BulkResult:
    """Give a manual tag to many members in one transaction (a selection or a search result)."""
    ids = _unique(member_ids)
    with atomic():
        tag = _manual_tag(tag_id)
        added = _insert_tag(ids, tag_id)
        record_audit("tag.bulk_add", f"tag:{tag_id}", {"name": tag.name, "members": added}, actor=actor)
    return BulkResult(added, len(ids) - added)


def bulk_untag(member_ids: Iterable[int], tag_id: int, *, actor: str = "") -> BulkResult:
    """Take a manual tag off many members in one transaction."""
    ids = _unique(member_ids)
    removed = 0
    with atomic():
        tag = _manual_tag(tag_id)
        for chunk in sql.chunks(ids):
            removed += sql.run(
                f"DELETE FROM member_tag WHERE tag_id = ? AND member_id IN ({sql.marks(len(chunk))})",
                [tag_id, *chunk],
            )
        record_audit("tag.bulk_remove", f"tag:{tag_id}", {"name": tag.name, "members": removed}, actor=actor)
    return BulkResult(removed, len(ids) - removed)


def bulk_assign_staff(member_ids: Iterable[int], staff_id: int | None, *, actor: str = "") -> BulkResult:
    """Hand many members to another member of staff (``None``: to nobody), e.g. when a clerk leaves."""
    ids = _unique(member_ids)
    changed = 0
    with atomic():
        if staff_id is not None and not Staff.select().where(Staff.id == staff_id).exists():
            raise ValidationError("staff", _("This member of staff does not exist."))
        stamp = sql.datetime_param(now())
        for chunk in sql.chunks(ids):
            changed += sql.run(
                f"UPDATE member SET staff_id = ?, updated_at = ? WHERE id IN ({sql.marks(len(chunk))})"
                f" AND {sql.differs('staff_id', '?')}",
                [staff_id, stamp, *chunk, staff_id],
            )
        record_audit("member.bulk_staff", f"staff:{staff_id}", {"members": changed}, actor=actor)
    return BulkResult(changed, len(ids) - changed)
