"""Re-scoring one member after a sale: lifecycle stage, RFM scores and automatic tags, in Python.

``auto_tags.recompute_auto_tags`` does this set-based in SQL for everyone (the daily run) and is the
reference; for the one member of a sale the same rules (``domain.lifecycle.classify``,
``domain.rfm.score``) applied to figures the sale has in hand cost a write only where a tag changes
(the sale reads the member's tags with the member row), instead of eight statements. A test checks both
give the same result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shopdesk.db import sql
from shopdesk.db.models import now
from shopdesk.domain.lifecycle import classify, days_between
from shopdesk.domain.rfm import recency_value, score, segment_for
from shopdesk.services import auto_tags
from shopdesk.services.purchase_history import PurchaseHistory
from shopdesk.services.sale_rules import ScoreRules


@dataclass(frozen=True, slots=True)
class Scores:
    lifecycle: str
    rfm_r: int
    rfm_f: int
    rfm_m: int
    rfm_segment: str


def scores_for(history: PurchaseHistory, rules: ScoreRules, today: dt.date) -> Scores:
    """The stage and scores of a member who bought at least once (``history`` not empty)."""
    first, last = history.first, history.last
    assert first is not None and last is not None
    stage = classify(first, last, history.interval_days, today, rules.lifecycle)
    r = score(recency_value(days_between(last, today)), rules.cutoffs.r)
    f = score(history.count, rules.cutoffs.f)
    m = score(history.total_fen, rules.cutoffs.m)
    return Scores(stage.value, r, f, m, segment_for(r, f, m).value)


def sync_tags(
    member_id: int,
    held_tag_ids: frozenset[int],
    catalogue: dict[tuple[str, str], int],
    scores: Scores,
    birth_month: int | None,
    history: PurchaseHistory,
    rules: ScoreRules,
    today: dt.date,
) -> bool:
    """Make the member's automatic tags match ``scores`` (``held_tag_ids``: every tag they have,
    ``catalogue``: the automatic tags by kind and key); False when an automatic tag does not exist yet
    (the caller then runs the full ``recompute_auto_tags``, which creates it)."""
    if any((spec.kind, spec.key) not in catalogue for spec in auto_tags.AUTO_TAG_SPECS):
        return False
    birthday = catalogue[(auto_tags.KIND_BIRTHDAY, "this_month")]
    high_value = catalogue[(auto_tags.KIND_HIGH_VALUE, "top10")]
    column_kinds = (auto_tags.KIND_LIFECYCLE, auto_tags.KIND_RFM)
    managed = {tag_id for (kind, _key), tag_id in catalogue.items() if kind in column_kinds}
    managed |= {birthday, high_value}
    wanted = {
        catalogue.get((auto_tags.KIND_LIFECYCLE, scores.lifecycle)),
        catalogue.get((auto_tags.KIND_RFM, scores.rfm_segment)),
    }
    if birth_month == today.month:
        wanted.add(birthday)
    minimum = rules.high_value_min_fen
    if minimum is not None and history.spent_since(auto_tags.spend_since(today)) >= minimum:
        wanted.add(high_value)
    wanted.discard(None)
    held = held_tag_ids & managed
    if held - wanted:
        gone = sorted(held - wanted)
        sql.run(
            f"DELETE FROM member_tag WHERE member_id = ? AND tag_id IN ({sql.marks(len(gone))})",
            [member_id, *gone],
        )
    stamp = sql.datetime_param(now())
    for tag_id in sorted(wanted - held):  # type: ignore[type-var]
        sql.run(
            "INSERT INTO member_tag (member_id, tag_id, created_at) VALUES (?, ?, ?)",
            [member_id, tag_id, stamp],
        )
    return True
