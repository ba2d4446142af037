"""Members from a spreadsheet: plan (check every row, change nothing), then apply in one transaction.

Rules, as a shop switching to ShopDesk expects them:
- rows with the same phone are one member: the first row's values stand, later rows fill its blanks,
  tags from every row are kept;
- a member the shop knows already is filled in (blanks only), overwritten, or left alone, as the user
  picks; a new member needs a name;
- points become an opening balance (one ledger entry, once per member), never a bare number;
- staff named in the file that the shop does not know yet are added, and so are new tags;
- with invalid rows nothing is imported unless the user chooses to skip them; a cancel or an error
  rolls the whole import back.

100,000 members import in a few seconds: values are checked in Python, pinyin comes from a per-name
cache, rows go to the database through ``db.bulk`` with ids reserved up front (see ``storage``).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from operator import itemgetter

from shopdesk.db import bulk
from shopdesk.db.database import current_database
from shopdesk.db.models import now
from shopdesk.domain.birthdays import Birthday
from shopdesk.domain.members import NOTES_MAX
from shopdesk.domain.pinyin import name_pinyin
from shopdesk.domain.points import EntryKind, lot_expiry
from shopdesk.errors import UserError
from shopdesk.exchange import coerce, storage
from shopdesk.exchange.coerce import CellError
from shopdesk.exchange.gc_pause import gc_paused
from shopdesk.exchange.headers import MEMBER_FIELDS, HeaderMatch, column_letter
from shopdesk.exchange.plan import (
    ImportPlan,
    add_reading_notes,
    find_header,
    phone_from_content,
    read_source,
    reject_record,
    row_list,
    scan_rows,
    sort_errors,
)
from shopdesk.exchange.readers import RawSheet
from shopdesk.exchange.refs import StaffBook, TagBook, TierBook
from shopdesk.i18n import _, ngettext
from shopdesk.services import session
from shopdesk.services.audit import record_audit
from shopdesk.services.progress import Progress, report
from shopdesk.services.transactions import atomic, guarded

# Fields whose cells repeat (a handful of sources, tiers and clerks over 100,000 rows): each distinct
# value is converted once.
_CACHED = frozenset({"name", "gender", "birthday", "source", "tier", "points", "tags", "staff", "referrer"})
# fmt: off
_MEMBER_COLUMNS = (
    "id", "phone", "phone_rev", "name", "name_pinyin", "name_initials", "gender", "birth_year", "birth_month",
    "birth_day", "source", "staff_id", "notes", "created_at", "updated_at", "archived_at", "tier_id",
    "tier_manual", "points_balance", "purchase_count", "total_spent_fen", "referrer_id",
)
_ENTRY_COLUMNS = (
    "id", "member_id", "kind", "amount", "balance_after", "key", "operator", "reason", "created_at",
)
_NO_BIRTHDAY = (None, None, None)
# What a new member's row is made of, in this order (a field without a column is None).
_INSERTED = (
    "phone", "name", "gender", "birthday", "source", "staff", "notes", "joined", "archived", "tier", "points",
)
_LOT_COLUMNS = ("member_id", "entry_id", "earned_on", "available_from", "expires_on", "original", "remaining")
_UPDATED = (
    "name", "gender", "birth_year", "birth_month", "birth_day", "source", "staff_id", "notes", "tier_id",
    "created_at", "archived_at",
)
# fmt: on
_UPDATE_SQL = (
    "UPDATE member SET "
    + ", ".join(f"{column} = ?" for column in (*_UPDATED, "name_pinyin", "name_initials", "updated_at"))
    + " WHERE id = ?"
)


class ExistingPolicy(StrEnum):
    """What to do with a member the shop already has."""

    FILL = "fill"  # only fill what their record leaves blank
    OVERWRITE = "overwrite"  # replace with what the file says (blank cells change nothing)
    SKIP = "skip"  # leave them as they are


@dataclass(frozen=True, slots=True)
class MemberImportResult:
    """What an import did (``applied`` is False when invalid rows stopped it: nothing was written)."""

    applied: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_existing: int = 0
    merged: int = 0
    rejected: int = 0
    points_members: int = 0
    points_total: int = 0
    tags_added: int = 0
    staff_created: int = 0
    warnings: tuple[str, ...] = ()

    @property
    def imported(self) -> int:
        return self.created + self.updated


# -- planning -------------------------------------------------------------------------------------------


@guarded
def plan_member_import(
    source: str | os.PathLike[str] | RawSheet,
    *,
    sheet: str | int | None = None,
    mapping: dict[int, str | None] | None = None,
    header_row: int | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> ImportPlan:
    """Read and check a members sheet against the shop without changing anything.

    ``mapping`` (column index → field key or None) replaces the detected mapping, as corrected by the
    user; ``header_row`` (0-based) forces where the column names are.
    """
    with gc_paused():
        return _plan(source, sheet, mapping, header_row, progress, today)


def _plan(
    source: str | os.PathLike[str] | RawSheet,
    sheet: str | int | None,
    mapping: dict[int, str | None] | None,
    header_row: int | None,
    progress: Progress | None,
    today: dt.date | None,
) -> ImportPlan:
    if not isinstance(source, RawSheet):
        _warm_pinyin()
    raw, file_name = read_source(source, sheet, MEMBER_FIELDS)
    header = find_header(raw, MEMBER_FIELDS, mapping=mapping, header_row=header_row, file_name=file_name)
    guessed = None
    if mapping is None:
        header, guessed = phone_from_content(raw, header)
    lunar = _lunar_birthday_column(header) if mapping is None else None
    if lunar is not None:
        header = replace(header, mapping={c: k for c, k in header.mapping.items() if c != lunar})
    plan = ImportPlan("members", file_name, raw, header, MEMBER_FIELDS)
    if guessed is not None:
        plan.notes.append(guessed)
    if lunar is not None:
        plan.notes.append(
            _(
                "Column {column} ({title}) holds lunar-calendar birthdays; ShopDesk keeps birthdays by the "
                "solar calendar, so it was left out. Choose it as the birthday column to import the dates "
                "as they are written."
            ).format(column=column_letter(lunar), title=header.titles[lunar])
        )
    if plan.missing_required:
        return plan  # nothing can be checked without a phone; the mapping step asks for the column
    add_reading_notes(plan)
    stamp = now()
    today = today or stamp.date()
    tiers = TierBook.load()
    converters: dict[str, Callable[[object], object]] = {
        "phone": coerce.phone,
        "name": coerce.name,
        "gender": coerce.gender,
        "birthday": lambda value: coerce.birthday(value, today),
        "source": coerce.source,
        "tier": tiers.resolve,
        "points": coerce.points,
        "tags": coerce.tags,
        "staff": coerce.name,
        "referrer": coerce.name,
        "referrer_phone": lambda value: str(coerce.phone(value)),
        "notes": coerce.notes,
        "joined": _past(stamp),
        "archived": _past(stamp),
    }
    by_phone: dict[str, dict] = {}
    rows = scan_rows(plan, converters, progress, cached=_CACHED)
    several: list[int] = []
    several_phones = coerce.SeveralPhones
    for row_number, record in rows:
        phone = record["phone"]
        if phone.__class__ is several_phones:
            phone = _keep_other_phones(record, phone)
            several.append(row_number)
        earlier = by_phone.get(phone)
        if earlier is None:
            record["_row"] = row_number
            by_phone[phone] = record
        else:
            _merge(earlier, record)
            plan.merged_rows += 1
    if several:
        plan.notes.append(
            ngettext(
                "{count} row gives several phones in one cell: the first is the member's phone, the others "
                "were added to their notes (row {rows}).",
                "{count} rows give several phones in one cell: the first is the member's phone, the others "
                "were added to their notes (rows {rows}).",
                len(several),
            ).format(count=len(several), rows=row_list(several))
        )
    _check_against_shop(plan, list(by_phone.values()))
    sort_errors(plan)
    return plan


def _lunar_birthday_column(header: HeaderMatch) -> int | None:
    """The birthday column when its title says the dates are lunar (生日(农历), 阴历生日)."""
    column = header.column_of("birthday")
    if column is not None and any(word in header.titles[column] for word in ("农历", "阴历")):
        return column
    return None


def _keep_other_phones(record: dict, phones: coerce.SeveralPhones) -> str:
    """Make the first phone of a cell the member's, and keep the others in their notes."""
    phone = record["phone"] = str(phones)
    line = _("Other phones: {phones}").format(phones="、".join(phones.others))
    notes = record.get("notes")
    combined = f"{notes}\n{line}" if notes else line
    if len(combined) <= NOTES_MAX:
        record["notes"] = combined
    return phone


def _warm_pinyin() -> None:
    """Load pypinyin's dictionaries (about a second) on a thread while python-calamine parses the file.

    The parser lets go of Python's lock while it works, so the two overlap instead of adding up.
    """
    if "pypinyin" not in sys.modules:
        threading.Thread(target=name_pinyin, args=("张",), name="pinyin-warm-up", daemon=True).start()


def _past(stamp: dt.datetime) -> Callable[[object], dt.datetime]:
    """A converter to a date-time not in the future and not before 1990 (when a member joined or was
    archived); a whole-second date cell, the common case, goes straight to the checks."""
    latest = stamp + coerce.CLOCK_SKEW
    earliest = coerce.EARLIEST_PURCHASE
    date_time = coerce.date_time

    def past(value: object) -> dt.datetime:
        if value.__class__ is dt.datetime and not value.microsecond:  # type: ignore[attr-defined]
            moment: dt.datetime = value  # type: ignore[assignment]
        else:
            moment = date_time(value)
        if moment > latest:
            raise CellError(_("This date is in the future."))
        if moment < earliest:
            raise CellError(_("This date is too long ago; please check it."))
        return moment

    return past


def _merge(first: dict, later: dict) -> None:
    """Fold a later row of the same phone into the first: blanks are filled, tags are united."""
    for key, value in later.items():
        if value is None:
            continue
        if key == "tags":
            first["tags"] = tuple(dict.fromkeys((*(first.get("tags") or ()), *value)))
        elif first.get(key) is None:
            first[key] = value


def _check_against_shop(plan: ImportPlan, records: list[dict]) -> None:
    """Count members the shop knows; reject new members without a name; find referrers given by name."""
    db = current_database()
    known = storage.member_ids_by_phone(db, [record["phone"] for record in records])
    in_file = {record["phone"] for record in records}
    by_name = [r for r in records if r.get("referrer") is not None and r.get("referrer_phone") is None]
    named: dict[str, set[str]] = {}
    if by_name:
        for record in records:
            if record.get("name") is not None:
                named.setdefault(record["name"], set()).add(record["phone"])
        for name, phones in _unique_names(db, {record["referrer"] for record in by_name}).items():
            named.setdefault(name, set()).update(phones)
    referrer_phones = {r["referrer_phone"] for r in records if r.get("referrer_phone") is not None}
    known_referrers = storage.member_ids_by_phone(db, sorted(referrer_phones - in_file))
    kept: list[dict] = []
    unknown_referrers = 0
    for record in records:
        phone = record["phone"]
        if record.get("name") is None and phone not in known:
            reject_record(plan, record, "name", _("Name is required for a new member."))
            continue
        referrer = record.get("referrer_phone")
        if referrer is not None:
            if referrer == phone:
                reject_record(plan, record, "referrer_phone", _("A member cannot refer themselves."))
                continue
            if referrer not in in_file and referrer not in known_referrers:
                record["referrer_phone"] = None
                unknown_referrers += 1
        elif record.get("referrer") is not None:
            candidates = named.get(record["referrer"], set()) - {phone}
            if not candidates:
                unknown_referrers += 1
            elif len(candidates) > 1:
                reason = _("Several members are called {name}; give the referrer's phone instead.")
                reject_record(plan, record, "referrer", reason.format(name=record["referrer"]))
                continue
            else:
                record["referrer_phone"] = next(iter(candidates))
        kept.append(record)
    plan.records = kept
    if unknown_referrers:
        plan.notes.append(
            ngettext(
                "{count} referrer is neither a member of the shop nor in the file; that member is imported "
                "without a referrer.",
                "{count} referrers are neither members of the shop nor in the file; those members are "
                "imported without a referrer.",
                unknown_referrers,
            ).format(count=unknown_referrers)
        )
    plan.existing = sum(1 for record in kept if record["phone"] in known)
    new_staff = StaffBook.load().unknown(
        record["staff"] for record in kept if record.get("staff") is not None
    )
    if new_staff:
        plan.notes.append(
            ngettext(
                "A new member of staff will be added: {names}.",
                "New staff will be added: {names}.",
                len(new_staff),
            ).format(names="、".join(new_staff))
        )


def _unique_names(db: object, names: set[str]) -> dict[str, list[str]]:
    """``{name: [phones]}`` of the shop's members called by ``names`` (to find referrers by name)."""
    found: dict[str, list[str]] = {}
    names = {name for name in names if name}
    for part in storage.chunks(sorted(names)):
        marks = ", ".join([db.param] * len(part))  # type: ignore[attr-defined]
        sql = f"SELECT name, phone FROM member WHERE phone IS NOT NULL AND name IN ({marks})"
        for name, phone in db.execute_sql(sql, list(part)).fetchall():  # type: ignore[attr-defined]
            found.setdefault(name, []).append(phone)
    return found


# -- applying -------------------------------------------------------------------------------------------


def apply_member_import(
    plan: ImportPlan,
    *,
    existing: ExistingPolicy | str = ExistingPolicy.FILL,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    actor: str = "",
) -> MemberImportResult:
    """Write the plan's members in one transaction.

    With invalid rows and ``skip_invalid`` False nothing is written (``applied`` is False). A cancel
    through ``progress`` raises CancelledError and leaves the shop as it was.
    """
    if plan.kind != "members":
        raise ValueError("not a members plan")
    session.require(session.Permission.IMPORT)
    plan.check_runnable()
    policy = ExistingPolicy(existing)
    if plan.invalid_rows and not skip_invalid:
        return MemberImportResult(applied=False, merged=plan.merged_rows, rejected=plan.invalid_rows)
    actor = actor or session.current().operator
    with gc_paused(), atomic():
        writer = _Writer(plan, policy, progress, actor)
        result = writer.run()
        record_audit(
            "import.members",
            plan.file_name[:60],
            {
                "created": result.created,
                "updated": result.updated,
                "merged": result.merged,
                "rejected": result.rejected,
                "policy": policy.value,
            },
            actor=actor,
        )
    return result


def import_members(
    path: str | os.PathLike[str],
    *,
    existing: ExistingPolicy | str = ExistingPolicy.FILL,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    actor: str = "",
) -> tuple[ImportPlan, MemberImportResult]:
    """Plan and apply in one go (the CLI and the bench); the plan carries the row errors."""
    plan = plan_member_import(path, progress=progress)
    return plan, apply_member_import(
        plan, existing=existing, skip_invalid=skip_invalid, progress=progress, actor=actor
    )


class _Writer:
    """One application of a plan, inside the caller's transaction."""

    def __init__(
        self, plan: ImportPlan, policy: ExistingPolicy, progress: Progress | None, actor: str
    ) -> None:
        self.plan = plan
        self.policy = policy
        self.progress = progress
        self.actor = actor
        self.db = current_database()
        self.stamp = now()
        self.stamp_text = storage.timestamp(self.stamp)
        self.pinyin: dict[str, tuple[str, str]] = {}
        self.warnings: list[str] = []
        self.total = max(len(plan.records), 1)

    def _pinyin(self, name: str) -> tuple[str, str]:
        found = self.pinyin.get(name)
        if found is None:
            full, initials = name_pinyin(name)
            found = self.pinyin[name] = (full[:120], initials[:30])
        return found

    def _pinyin_of(self, names: list[str]) -> dict[str, tuple[str, str]]:
        """Pinyin of each distinct name among ``names`` (a shop's 100,000 names hold ~30,000 distinct)."""
        pinyin = self._pinyin
        return {name: pinyin(name) for name in dict.fromkeys(names)}

    def run(self) -> MemberImportResult:
        db, plan = self.db, self.plan
        report(self.progress, 0, self.total, _("Saving members…"))
        storage.lock_for_ids(db, "member", "points_entry")
        phones = [record["phone"] for record in plan.records]
        phones += [
            record["referrer_phone"] for record in plan.records if record.get("referrer_phone") is not None
        ]
        ids = storage.member_ids_by_phone(db, phones)
        staff = StaffBook.load()
        staff_created = staff.create_missing(
            record["staff"] for record in plan.records if record.get("staff") is not None
        )
        new = [record for record in plan.records if record["phone"] not in ids]
        old = [record for record in plan.records if record["phone"] in ids]
        created = self._insert(new, ids, staff)
        skipped = 0
        if self.policy is ExistingPolicy.SKIP:
            skipped, old = len(old), []
        changed = self._update(old, ids, staff)
        changed |= self._referrers(old, ids)
        granted, points_total = self._points(new, old, ids, created)
        tagged, tags_added = self._tags([*new, *old], ids, created)
        updated = {member_id for member_id in changed | granted | tagged if member_id not in created}
        return MemberImportResult(
            applied=True,
            created=len(created),
            updated=len(updated),
            unchanged=len(old) - len(updated),
            skipped_existing=skipped,
            merged=plan.merged_rows,
            rejected=plan.invalid_rows,
            points_members=len(granted),
            points_total=points_total,
            tags_added=tags_added,
            staff_created=staff_created,
            warnings=tuple(self.warnings),
        )

    # -- new members ------------------------------------------------------------------------------

    def _insert(self, records: list[dict], ids: dict[str, int], staff: StaffBook) -> range:
        """Insert the new members (ids reserved up front, in file order) and note their ids in ``ids``.

        Referrers are written with the rows: a referrer among the new members is inserted before the
        members they brought (foreign keys are checked row by row), and a circle of referrals within
        the file is broken with a warning. Returns the range of the new ids.
        """
        if not records:
            return range(0)
        db = self.db
        first = storage.reserve_ids(db, "member")
        created = range(first, first + len(records))
        ids.update(zip([record["phone"] for record in records], created))  # noqa: B905 - same length
        referrers = self._new_referrers(records, ids)
        stamp_text = self.stamp_text
        pinyin = self._pinyin_of([record["name"] for record in records])
        staff_ids = {name: staff.id_of(name) for name in {record.get("staff") for record in records} if name}
        staff_ids[None] = None
        timestamp = storage.timestamp
        referrer_of = referrers.get
        rows = []
        append = rows.append
        ordered = _referrers_first(records, referrers, ids)
        for (
            phone,
            name,
            gender,
            birthday,
            source,
            staff_name,
            notes,
            joined,
            archived,
            tier,
            points,
        ) in _values(ordered, _INSERTED):
            member_id = ids[phone]
            # fmt: off
            append((
                member_id, phone, phone[::-1], name, *pinyin[name], gender or "",
                *((birthday.year, birthday.month, birthday.day) if birthday else _NO_BIRTHDAY),
                source or "store", staff_ids[staff_name], notes or "",
                timestamp(joined) if joined else stamp_text, stamp_text,
                timestamp(archived) if archived else None, tier, False,
                points or 0, 0, 0, referrer_of(member_id),
            ))
            # fmt: on
        total = self.total

        def on_batch(done: int) -> None:
            report(self.progress, done, total, _("Saving members…"))

        with storage.indexes_rebuilt(db, "member", len(rows)):
            bulk.bulk_insert(db, "member", _MEMBER_COLUMNS, rows, on_batch=on_batch)
        bulk.sync_id_sequence(db, "member")
        # A new member's tier comes with their record, as a form sets it; the tier history starts with
        # the first change (the import's audit entry says where the record came from).
        return created

    def _new_referrers(self, records: list[dict], ids: dict[str, int]) -> dict[int, int]:
        """``{new member id: referrer id}``, without the links that close a circle within the file."""
        links = {
            ids[r["phone"]]: self._referrer_id(r, ids) for r in records if r.get("referrer_phone") is not None
        }
        circular = 0
        for member_id in list(links):
            if _in_circle(member_id, links):
                del links[member_id]
                circular += 1
        self._warn_circles(circular)
        return links

    def _warn_circles(self, count: int) -> None:
        if count:
            self.warnings.append(
                ngettext(
                    "{count} referrer was left out: it would make a circle of referrals.",
                    "{count} referrers were left out: they would make circles of referrals.",
                    count,
                ).format(count=count)
            )

    # -- existing members -------------------------------------------------------------------------

    def _update(self, records: list[dict], ids: dict[str, int], staff: StaffBook) -> set[int]:
        """Fill in or overwrite existing members; returns the ids of those whose record changed."""
        if not records:
            return set()
        db = self.db
        current: dict[int, dict] = {}
        for part in storage.chunks([ids[record["phone"]] for record in records]):
            marks = ", ".join([db.param] * len(part))
            cursor = db.execute_sql(
                f"SELECT id, {', '.join(_UPDATED)} FROM member WHERE id IN ({marks})", list(part)
            )
            for row in cursor.fetchall():
                current[row[0]] = dict(zip(_UPDATED, (_text_time(value) for value in row[1:]), strict=True))
        overwrite = self.policy is ExistingPolicy.OVERWRITE
        updates, tier_changes = [], []
        for record in records:
            member_id = ids[record["phone"]]
            before = current[member_id]
            after = dict(before)
            for key, value in self._wanted(record, staff).items():
                if key == "birthday":  # one value: never a year from the file with a day from the record
                    if overwrite or before["birth_month"] is None:
                        after["birth_year"], after["birth_month"], after["birth_day"] = value
                elif overwrite or before[key] in (None, ""):
                    after[key] = value
            if after == before:
                continue
            full, initials = self._pinyin(after["name"])
            updates.append((*(after[key] for key in _UPDATED), full, initials, self.stamp_text, member_id))
            if after["tier_id"] != before["tier_id"]:
                tier_changes.append((member_id, before["tier_id"], after["tier_id"]))
        storage.execute_many(db, _UPDATE_SQL, updates)
        self._tier_changes(tier_changes)
        report(self.progress, self.total, self.total, _("Saving members…"))
        return {row[-1] for row in updates}

    def _wanted(self, record: dict, staff: StaffBook) -> dict[str, object]:
        """What the file says about an existing member, by column (a key is absent when it says nothing)."""
        wanted: dict[str, object] = {}
        for key in ("name", "gender", "notes"):
            if record.get(key):
                wanted[key] = record[key]
        if record.get("birthday") is not None:
            birthday: Birthday = record["birthday"]
            wanted["birthday"] = (birthday.year, birthday.month, birthday.day)
        if record.get("staff") is not None:
            wanted["staff_id"] = staff.id_of(record["staff"])
        if record.get("tier") is not None:
            wanted["tier_id"] = record["tier"]
        if self.policy is ExistingPolicy.OVERWRITE:
            # Every member has a source and a joining date, and none is archived by filling blanks:
            # only overwriting changes these.
            if record.get("source") is not None:
                wanted["source"] = record["source"]
            for key, column in (("joined", "created_at"), ("archived", "archived_at")):
                if record.get(key) is not None:
                    wanted[column] = storage.timestamp(record[key])
        return wanted

    def _tier_changes(self, changes: list[tuple[int, int | None, int | None]]) -> None:
        rows = [
            (member_id, old, new, _("Imported"), self.actor, self.stamp_text)
            for member_id, old, new in changes
        ]
        with storage.indexes_rebuilt(self.db, "tier_change", len(rows)):
            bulk.bulk_insert(
                self.db,
                "tier_change",
                ("member_id", "from_tier_id", "to_tier_id", "reason", "operator", "created_at"),
                rows,
            )

    # -- links ------------------------------------------------------------------------------------

    def _referrers(self, old: list[dict], ids: dict[str, int]) -> set[int]:
        """Set the referrers the file gives existing members (new ones got theirs when inserted).

        A link that would make a circle of referrals is left out with a warning.
        """
        linked = [record for record in old if record.get("referrer_phone") is not None]
        if not linked:
            return set()
        current = storage.lookup(
            self.db,
            "SELECT id, referrer_id FROM member WHERE id IN ({marks})",
            [ids[record["phone"]] for record in linked],
        )
        wanted: dict[int, int] = {}
        for record in linked:
            member_id = ids[record["phone"]]
            referrer_id = self._referrer_id(record, ids)
            before = current.get(member_id)
            if (before is None or self.policy is ExistingPolicy.OVERWRITE) and before != referrer_id:
                wanted[member_id] = referrer_id
        if not wanted:
            return set()
        parents = dict(
            self.db.execute_sql("SELECT id, referrer_id FROM member WHERE referrer_id IS NOT NULL").fetchall()
        )
        parents.update(wanted)
        circular = [member_id for member_id in wanted if _in_circle(member_id, parents)]
        for member_id in circular:
            del wanted[member_id]
            parents[member_id] = None
        self._warn_circles(len(circular))
        storage.execute_many(
            self.db,
            "UPDATE member SET referrer_id = ? WHERE id = ?",
            [(referrer, member) for member, referrer in wanted.items()],
        )
        return set(wanted)

    @staticmethod
    def _referrer_id(record: dict, ids: dict[str, int]) -> int:
        referrer_id = ids.get(record["referrer_phone"])
        if referrer_id is None:  # known when planned, gone since
            raise UserError(_("No member has the phone {phone}.").format(phone=record["referrer_phone"]))
        return referrer_id

    def _points(
        self, new: list[dict], old: list[dict], ids: dict[str, int], created: range
    ) -> tuple[set[int], int]:
        """Opening balances: set-based for new members, through the points service for existing ones."""
        from shopdesk.services import points as ledger

        rules = ledger.points_rules()
        today = self.stamp.date()
        reason = _("Opening balance (imported)")
        granted: set[int] = set()
        total = 0
        new_points = [(ids[record["phone"]], record["points"]) for record in new if record.get("points")]
        if new_points:
            self._opening_entries(created, len(new_points), reason, today, lot_expiry(today, rules))
            granted.update(member_id for member_id, _amount in new_points)
            total += sum(amount for _member_id, amount in new_points)
        already = 0
        for record in old:
            amount = record.get("points")
            if not amount:
                continue
            member_id = ids[record["phone"]]
            entry = ledger.reward(
                ledger.lock_member(member_id),
                EntryKind.OPENING,
                amount,
                f"opening:{member_id}",
                rules=rules,
                today=today,
                reason=reason,
                operator=self.actor,
            )
            if entry:
                granted.add(member_id)
                total += amount
            else:
                already += 1
        if already:
            self.warnings.append(
                ngettext(
                    "{count} member had an opening points balance already; their points were left as "
                    "they are.",
                    "{count} members had an opening points balance already; their points were left as "
                    "they are.",
                    already,
                ).format(count=already)
            )
        return granted, total

    def _opening_entries(
        self, created: range, count: int, reason: str, today: dt.date, expires: dt.date | None
    ) -> None:
        """One opening ledger entry and one lot per new member with points, written by the database.

        The new members' rows already hold their balances (``points_balance``); the entries are selected
        from them in id order and take ids from a range reserved here, so each lot can name its entry.
        """
        db = self.db
        postgres = storage.is_postgres(db)
        mark = db.param
        first = storage.reserve_ids(db, "points_entry")
        stamp: object = self.stamp.replace(microsecond=0) if postgres else self.stamp_text
        with storage.indexes_rebuilt(db, "points_entry", count):
            db.execute_sql(
                f"INSERT INTO points_entry ({', '.join(_ENTRY_COLUMNS)})"
                f" SELECT {mark} - 1 + ROW_NUMBER() OVER (ORDER BY m.id), m.id, {mark}, m.points_balance,"
                f" m.points_balance, {mark} || m.id, {mark}, {mark}, {mark}"
                f" FROM member m WHERE m.id >= {mark} AND m.id < {mark} AND m.points_balance > 0",
                (
                    first,
                    EntryKind.OPENING.value,
                    "opening:",
                    self.actor,
                    reason,
                    stamp,
                    *(created.start, created.stop),
                ),
            )
        bulk.sync_id_sequence(db, "points_entry")

        def day(value: dt.date | None) -> tuple[str, list[object]]:
            if value is None:
                return ("CAST(NULL AS DATE)" if postgres else "NULL"), []
            return mark, [value if postgres else value.isoformat()]

        earned_sql, earned = day(today)
        expires_sql, expiry = day(expires)
        available_sql, _none = day(None)
        with storage.indexes_rebuilt(db, "points_lot", count):
            db.execute_sql(
                f"INSERT INTO points_lot ({', '.join(_LOT_COLUMNS)})"
                f" SELECT e.member_id, e.id, {earned_sql}, {available_sql}, {expires_sql}, e.amount, e.amount"
                f" FROM points_entry e WHERE e.id >= {mark} ORDER BY e.id",
                (*earned, *expiry, first),
            )

    def _tags(self, records: list[dict], ids: dict[str, int], created: range) -> tuple[set[int], int]:
        wanted = [
            (ids[record["phone"]], name)
            for record in records
            if record.get("tags")
            for name in record["tags"]
        ]
        if not wanted:
            return set(), 0
        added, automatic = TagBook.load().attach(wanted, self.actor, fresh=created)
        if automatic:
            self.warnings.append(
                _("ShopDesk sets these tags itself, so the file's values were left out: {names}.").format(
                    names="、".join(automatic)
                )
            )
        return {member_id for member_id, _tag in added}, len(added)


def _values(records: list[dict], keys: tuple[str, ...]) -> list[tuple]:
    """``keys`` of each record as a tuple: one C call per record when every record has every key (rows
    of a sheet that maps them all), else None for the missing ones."""
    try:
        return list(map(itemgetter(*keys), records))
    except KeyError:
        return [tuple(record.get(key) for key in keys) for record in records]


def _text_time(value: object) -> object:
    if isinstance(value, dt.datetime):
        return storage.timestamp(value)
    if isinstance(value, str):
        return value[:19]
    return value


def _referrers_first(records: list[dict], referrers: dict[int, int], ids: dict[str, int]) -> list[dict]:
    """``records`` ordered so that a referrer among them comes before the members they brought."""
    depth: dict[int, int] = {}

    def depth_of(member_id: int) -> int:
        chain = []
        current: int | None = member_id
        while current is not None and current not in depth:
            chain.append(current)
            current = referrers.get(current)
        level = depth.get(current, -1) if current is not None else -1
        for node in reversed(chain):
            level += 1
            depth[node] = level
        return depth[member_id]

    if all(referrer < member for member, referrer in referrers.items()):
        return records  # ids follow the file, and every referrer comes earlier in it
    return sorted(records, key=lambda record: depth_of(ids[record["phone"]]))


def _in_circle(start: int, parents: dict[int, int | None]) -> bool:
    seen = {start}
    current = parents.get(start)
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False
