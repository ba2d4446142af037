"""Names in a sheet to the shop's own rows: tiers, staff and tags, looked up once per import.

A sheet names a tier, a clerk or a tag by its text; these books load the shop's list once, resolve
each name in memory and add what is missing (staff and tags; tiers are the owner's choice, so an
unknown tier is an error to fix in the sheet).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Container, Iterable, Sequence

from shopdesk.db import bulk
from shopdesk.db.database import current_database
from shopdesk.db.models import Staff, Tag, Tier, now
from shopdesk.exchange import storage
from shopdesk.exchange.coerce import CellError, cell_text
from shopdesk.i18n import _
from shopdesk.services.audit import record_audit

_MISSING = object()


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


class TierBook:
    """The shop's active tiers by name (金卡, 金卡会员 and Gold all find 金卡 when it is unambiguous)."""

    def __init__(self, tiers: Sequence[tuple[int, str]]) -> None:
        self.tiers = list(tiers)
        self.by_key: dict[str, int] = {}
        for tier_id, name in self.tiers:
            self.by_key.setdefault(_key(name), tier_id)

    @classmethod
    def load(cls) -> TierBook:
        query = Tier.select(Tier.id, Tier.name).where(Tier.active == True).order_by(Tier.threshold_fen)  # noqa: E712
        return cls(list(query.tuples()))

    def resolve(self, value: object) -> int:
        """The id of the tier a cell names; CellError listing the shop's tiers otherwise."""
        key = _key(cell_text(value))
        found = self.by_key.get(key)
        if found is not None:
            return found
        close = {tier_id for tier_id, name in self.tiers if _key(name) in key or key in _key(name)}
        if len(close) == 1:
            return close.pop()
        names = "、".join(name for _tier_id, name in self.tiers) or _("none yet")
        raise CellError(
            _("The shop has no tier called {tier}; its tiers are: {names}.").format(
                tier=cell_text(value), names=names
            )
        )


class StaffBook:
    """The shop's staff by name; names the shop does not know yet can be added."""

    def __init__(self, staff: Iterable[tuple[int, str, bool]]) -> None:
        self.ids: dict[str, int] = {}
        self.by_name: dict[str, object] = {}
        # An active clerk wins over a former one with the same name.
        for staff_id, name, _active in sorted(staff, key=lambda row: (not row[2], row[0])):
            self.ids.setdefault(_key(name), staff_id)

    @classmethod
    def load(cls) -> StaffBook:
        return cls(Staff.select(Staff.id, Staff.name, Staff.active).tuples())

    def unknown(self, names: Iterable[str]) -> list[str]:
        """The names among ``names`` that are nobody on the staff yet, in first-seen order."""
        found: dict[str, str] = {}
        for name in dict.fromkeys(names):
            key = _key(name)
            if key not in self.ids:
                found.setdefault(key, name)
        return list(found.values())

    def create_missing(self, names: Iterable[str]) -> int:
        """Add the unknown names as active staff (inside the caller's transaction); returns how many."""
        missing = self.unknown(names)
        for name in missing:
            self.ids[_key(name)] = Staff.create(name=name[:30], created_at=now()).id
        self.by_name.clear()
        return len(missing)

    def id_of(self, name: str) -> int | None:
        found = self.by_name.get(name, _MISSING)
        if found is _MISSING:
            found = self.by_name[name] = self.ids.get(_key(name))
        return found  # type: ignore[return-value]


class TagBook:
    """The shop's tags by name, through ``services.tags`` (which creates, colours and audits them).

    Automatic tags (lifecycle, RFM …) are kept by ShopDesk itself: a sheet naming one is not obeyed.
    """

    def __init__(self, tags: Iterable[tuple[int, str, str | None]]) -> None:
        self.ids = {name: tag_id for tag_id, name, _auto in tags}
        self.automatic = {name for _tag_id, name, auto in tags if auto is not None}

    @classmethod
    def load(cls) -> TagBook:
        return cls(list(Tag.select(Tag.id, Tag.name, Tag.auto_kind).tuples()))

    def attach(
        self, pairs: Sequence[tuple[int, str]], actor: str = "", fresh: Container[int] = frozenset()
    ) -> tuple[list[tuple[int, int]], list[str]]:
        """Give members manual tags by name, creating missing tags.

        ``fresh`` holds members created in the caller's transaction: they have no tags yet, so only the
        others' tags are looked up. The new pairs are written in one bulk insert, with one audit entry
        per tag as ``services.tags.bulk_tag`` writes it.

        Returns the (member id, tag id) pairs that are new, and the automatic tag names left out.
        """
        from shopdesk.services import tags as tag_service

        db = current_database()
        skipped = sorted({name for _member_id, name in pairs if name in self.automatic})
        pairs = [(member_id, name) for member_id, name in pairs if name not in self.automatic]
        for name in dict.fromkeys(name for _member_id, name in pairs):
            if name not in self.ids:
                self.ids[name] = tag_service.create_tag(name, actor=actor)
        ids = self.ids
        wanted = list(dict.fromkeys([(member_id, ids[name]) for member_id, name in pairs]))
        known = sorted({member_id for member_id, _tag in wanted if member_id not in fresh})
        present: set[tuple[int, int]] = set()
        for part in storage.chunks(known):
            marks = ", ".join([db.param] * len(part))
            rows = db.execute_sql(
                f"SELECT member_id, tag_id FROM member_tag WHERE member_id IN ({marks})", list(part)
            ).fetchall()
            present.update((member_id, tag_id) for member_id, tag_id in rows)
        added = [pair for pair in wanted if pair not in present] if present else wanted
        if not added:
            return added, skipped
        stamp = storage.timestamp(now().replace(microsecond=0))
        rows = sorted([(member_id, tag_id, stamp) for member_id, tag_id in added])
        with storage.indexes_rebuilt(db, "member_tag", len(rows)):
            bulk.bulk_insert(db, "member_tag", ("member_id", "tag_id", "created_at"), rows)
        counts = Counter(tag_id for _member_id, tag_id in added)
        names = {tag_id: name for name, tag_id in ids.items()}
        for tag_id in sorted(counts):
            details = {"name": names[tag_id], "members": counts[tag_id]}
            record_audit("tag.bulk_add", f"tag:{tag_id}", details, actor=actor)
        return added, skipped
