"""Finding members: one indexed query that returns ordered ids for the members table.

What the shopkeeper types decides how to search:
- digits: the phone; an exact number first, then numbers ending with the digits (the "last four"),
  then numbers containing them;
- Latin letters: pinyin initials (``zs``) or full pinyin (``zhangsan``) from the start of the name,
  initials that match exactly first;
- anything else (Chinese): the name; the exact name first, then names starting with it, then names
  containing it.
Sorting by a column replaces the relevance order. Prefix tests are written as ranges so that SQLite and
PostgreSQL both use their indexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from peewee import Case, Expression

from shopdesk.db.models import Member
from shopdesk.domain.phones import clean_phone
from shopdesk.services.members import MemberId
from shopdesk.services.segments import SegmentFilter
from shopdesk.services.transactions import guarded, raw_rows

_DIGITS = re.compile(r"^\d+$")
_LATIN = re.compile(r"^[a-z]+$")


class MemberOrder(StrEnum):
    """Orders the members table offers."""

    RELEVANCE = "relevance"
    NAME = "name"
    PHONE = "phone"
    LAST_PURCHASE = "last_purchase"
    TOTAL_SPENT = "total_spent"
    PURCHASE_COUNT = "purchase_count"
    JOINED = "joined"


class SearchKind(StrEnum):
    ALL = "all"
    PHONE = "phone"
    PINYIN = "pinyin"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class MemberQuery:
    """What the members table shows: the typed text, which members, in which order."""

    text: str = ""
    order: MemberOrder = MemberOrder.RELEVANCE
    descending: bool = True
    include_archived: bool = False
    segment: SegmentFilter | None = None  # extra conditions from the filter panel or a saved segment


def classify(text: str) -> tuple[SearchKind, str]:
    """How ``text`` will be searched, and the normalised term."""
    stripped = "".join(text.split())
    if not stripped:
        return SearchKind.ALL, ""
    digits = clean_phone(stripped)
    if _DIGITS.match(digits):
        return SearchKind.PHONE, digits
    lowered = stripped.lower()
    if _LATIN.match(lowered):
        return SearchKind.PINYIN, lowered
    return SearchKind.NAME, " ".join(text.split())


def _prefix(column: object, prefix: str) -> Expression:
    """``column`` starts with ``prefix``, as a range an index can serve (prefix is ASCII here)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (column >= prefix) & (column < upper)  # type: ignore[operator]


def _match(kind: SearchKind, term: str) -> tuple[Expression | None, Case | None]:
    """The WHERE condition and the relevance rank for a classified term."""
    if kind is SearchKind.PHONE:
        condition = Member.phone.contains(term)
        rank = Case(None, [(Member.phone == term, 0), (_prefix(Member.phone_rev, term[::-1]), 1)], 2)
        return condition, rank
    if kind is SearchKind.PINYIN:
        initials = _prefix(Member.name_initials, term)
        condition = initials | _prefix(Member.name_pinyin, term)
        rank = Case(
            None, [(Member.name_initials == term, 0), (initials, 1), (Member.name_pinyin == term, 0)], 2
        )
        return condition, rank
    if kind is SearchKind.NAME:
        condition = Member.name.contains(term)
        rank = Case(None, [(Member.name == term, 0), (Member.name.startswith(term), 1)], 2)
        return condition, rank
    return None, None


_SORT_COLUMNS = {
    MemberOrder.NAME: (Member.name_pinyin, Member.name),
    MemberOrder.PHONE: (Member.phone,),
    MemberOrder.LAST_PURCHASE: (Member.last_purchase_at,),
    MemberOrder.TOTAL_SPENT: (Member.total_spent_fen,),
    MemberOrder.PURCHASE_COUNT: (Member.purchase_count,),
    MemberOrder.JOINED: (Member.created_at,),
}


def build_search_query(query: MemberQuery) -> object:
    """The Peewee query behind ``search_member_ids`` (the benchmark prints its SQL)."""
    kind, term = classify(query.text)
    condition, rank = _match(kind, term)
    select = Member.select(Member.id)
    if not query.include_archived:
        select = select.where(Member.archived_at.is_null())
    if condition is not None:
        if kind in (SearchKind.PHONE, SearchKind.NAME):
            # A substring test scans: let SQLite scan the narrow phone or name index for the matching ids,
            # then read only those rows (twice as fast as testing every full row at 100,000 members).
            condition = Member.id.in_(Member.select(Member.id).where(condition))
        select = select.where(condition)
    segment_condition = query.segment.condition() if query.segment is not None else None
    if segment_condition is not None:
        select = select.where(segment_condition)
    order = query.order
    if order is MemberOrder.RELEVANCE and rank is None:
        order = MemberOrder.LAST_PURCHASE
    ordering: list[object] = []
    if order is MemberOrder.RELEVANCE:
        ordering = [rank, Member.last_purchase_at.desc(nulls="LAST")]
    else:
        for column in _SORT_COLUMNS[order]:
            # Only nullable columns say where NULLs go; an extra clause would stop SQLite using the index.
            nulls = {"nulls": "LAST"} if column.null else {}
            ordering.append(column.desc(**nulls) if query.descending else column.asc(**nulls))
    ordering.append(Member.id.desc() if query.descending else Member.id.asc())
    return select.order_by(*ordering)


@guarded
def search_member_ids(query: MemberQuery | str = "") -> list[MemberId]:
    """Ids of the members matching ``query``, best match (or chosen order) first."""
    if isinstance(query, str):
        query = MemberQuery(text=query)
    return [row[0] for row in raw_rows(build_search_query(query))]
