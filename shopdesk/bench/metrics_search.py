"""Search metrics: the core member search against one hand-written SQL query returning the same ids.

Terms are drawn from real members of the shop (the last four digits of a phone, a one- or two-character
piece of a name, a name's pinyin initials). Each baseline is the least work a person writing SQL by hand
would do for the same ordered ids: the phone and name searches read only the narrow covering index
(``id IN (SELECT id FROM member WHERE …)``) instead of every whole row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shopdesk.bench.context import BenchContext
from shopdesk.bench.registry import Measurement, metric
from shopdesk.bench.timing import median, p95, paired_samples
from shopdesk.db.database import current_database
from shopdesk.services.member_search import (
    MemberQuery,
    SearchKind,
    build_search_query,
    classify,
    search_member_ids,
)

QUERIES = 200
QUICK_QUERIES = 40
WARM_UP = 5

_ORDER = "last_purchase_at DESC NULLS LAST, id DESC"

PHONE_SQL = f"""
SELECT id FROM member
WHERE id IN (SELECT id FROM member WHERE instr(phone, ?1) > 0) AND archived_at IS NULL
ORDER BY CASE WHEN phone = ?1 THEN 0 WHEN substr(phone, -length(?1)) = ?1 THEN 1 ELSE 2 END, {_ORDER}
"""

NAME_SQL = f"""
SELECT id FROM member
WHERE id IN (SELECT id FROM member WHERE name LIKE '%' || ?1 || '%') AND archived_at IS NULL
ORDER BY CASE WHEN name = ?1 THEN 0 WHEN name LIKE ?1 || '%' THEN 1 ELSE 2 END, {_ORDER}
"""

PINYIN_SQL = f"""
SELECT id FROM member
WHERE archived_at IS NULL
  AND ((name_initials >= ?1 AND name_initials < ?2) OR (name_pinyin >= ?1 AND name_pinyin < ?2))
ORDER BY CASE WHEN name_initials = ?1 THEN 0 WHEN name_initials >= ?1 AND name_initials < ?2 THEN 1
              WHEN name_pinyin = ?1 THEN 0 ELSE 2 END, {_ORDER}
"""


def _after_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix`` (ASCII letters here)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _searched_as(kind: SearchKind, terms: list[str], count: int) -> list[str]:
    """The first ``count`` terms the service will search as ``kind`` (a name may hold Latin letters)."""
    return [term for term in terms if term and classify(term)[0] is kind][:count]


def phone_terms(context: BenchContext, count: int) -> list[str]:
    """The last four digits of real members' phones."""
    terms = [sample.phone[-4:] for sample in context.member_samples(count * 2)]
    return _searched_as(SearchKind.PHONE, terms, count)


def name_terms(context: BenchContext, count: int) -> list[str]:
    """One or two characters cut from real members' names (a surname, a given name's character …)."""
    rng = context.rng("name terms")
    terms = []
    for sample in context.member_samples(count * 2):
        name = "".join(sample.name.split())
        length = min(len(name), rng.choice((1, 2)))
        start = rng.randrange(len(name) - length + 1)
        terms.append(name[start : start + length])
    return _searched_as(SearchKind.NAME, terms, count)


def pinyin_terms(context: BenchContext, count: int) -> list[str]:
    """Real members' pinyin initials (``zs`` for 张三)."""
    terms = [sample.initials for sample in context.member_samples(count * 2)]
    return _searched_as(SearchKind.PINYIN, terms, count)


def _measure_search(
    context: BenchContext, terms: Sequence[str], sql: str, params: Callable[[str], tuple]
) -> Measurement:
    """p95 of the service and of the hand-written SQL over ``terms``, checking both give the same ids."""
    connection = current_database().connection()

    def baseline(term: object) -> list[int]:
        return [row[0] for row in connection.execute(sql, params(str(term))).fetchall()]

    def service(term: object) -> list[int]:
        return list(search_member_ids(str(term)))

    for term in terms[:WARM_UP]:
        service(term)
        baseline(term)
    service_times, baseline_times, results = paired_samples(terms, service, baseline)
    for term, (found, expected) in zip(terms, results, strict=True):
        if found != expected:
            raise AssertionError(
                f"the service and the baseline disagree on {term!r}: "
                f"{len(found)} ids vs {len(expected)} (first {found[:5]} vs {expected[:5]})"
            )
    measurement = Measurement(value=p95(service_times) * 1000, baseline=p95(baseline_times) * 1000)
    ids = sum(len(found) for found, _ in results) / max(1, len(results))
    measurement.notes.append(
        f"{len(terms)} queries, {ids:.0f} ids each on average; median {median(service_times) * 1000:.2f} ms"
        f" vs {median(baseline_times) * 1000:.2f} ms"
    )
    service_sql, service_params = build_search_query(MemberQuery(text=terms[0])).sql()  # type: ignore[attr-defined]
    measurement.notes.append(f"service plan: {_plan(connection, service_sql, service_params)}")
    measurement.notes.append(f"baseline plan: {_plan(connection, sql, params(terms[0]))}")
    return measurement


def _plan(connection: object, sql: str, params: Sequence[object]) -> str:
    """SQLite's query plan in one line: what explains a ratio far from 1."""
    rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()  # type: ignore[attr-defined]
    return "; ".join(str(row[-1]) for row in rows)


@metric("search_phone_tail", unit="ms", max_ratio=1.5, max_value=20, order=10)
def search_phone_tail(context: BenchContext) -> Measurement:
    """The last four digits of a phone: what a clerk types at the counter most often."""
    terms = phone_terms(context, context.repeat(QUERIES, QUICK_QUERIES))
    return _measure_search(context, terms, PHONE_SQL, lambda term: (term,))


@metric("search_name", unit="ms", max_ratio=1.5, max_value=20, order=11)
def search_name(context: BenchContext) -> Measurement:
    """A one- or two-character piece of a Chinese name."""
    terms = name_terms(context, context.repeat(QUERIES, QUICK_QUERIES))
    return _measure_search(context, terms, NAME_SQL, lambda term: (term,))


@metric("search_pinyin", unit="ms", max_ratio=1.5, max_value=20, order=12)
def search_pinyin(context: BenchContext) -> Measurement:
    """Pinyin initials, typed on a keyboard without switching to a Chinese input method."""
    terms = pinyin_terms(context, context.repeat(QUERIES, QUICK_QUERIES))
    return _measure_search(context, terms, PINYIN_SQL, lambda term: (term, _after_prefix(term)))
