"""Everything a sale's side effects depend on, read once at the start of the sale's transaction.

A sale applies the points rules, the tier list and rule, the next-visit coupon rule and the shop-wide
figures and tags of the automatic tags. Read one by one they were a dozen queries per sale; here they are
two (the settings rows in one ``IN`` query, the tiers and automatic tags in another), inside the sale's
transaction, so a counter sharing the shop always works with the rules as they are now.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from shopdesk.db import sql
from shopdesk.domain.lifecycle import LifecycleRules
from shopdesk.domain.points import PointsRules
from shopdesk.domain.points import Tier as TierRule
from shopdesk.domain.rfm import RfmCutoffs
from shopdesk.services import auto_tags, coupon_rules, points, tiers

_KEYS = [
    points.RULES_KEY,
    tiers.RULES_KEY,
    coupon_rules.RULES_KEY,
    auto_tags.STATE_KEY,
    auto_tags.OVERRIDES_KEY,
]


@dataclass(frozen=True, slots=True)
class ScoreRules:
    """The stored shop-wide figures that re-score one member (kept by the daily full run)."""

    lifecycle: LifecycleRules
    cutoffs: RfmCutoffs
    high_value_min_fen: int | None


@dataclass(frozen=True, slots=True)
class SaleRules:
    points: PointsRules
    tier_basis: str
    tiers: tuple[TierRule, ...]  # active tiers, lowest threshold first
    multipliers: dict[int, int]  # every tier's points multiplier (a retired tier keeps its own)
    coupon_rules: coupon_rules.CouponRules
    scores: ScoreRules | None  # None until the first full run of the automatic tags
    auto_tag_ids: dict[tuple[str, str], int]  # the automatic tags by (kind, key)

    def tier_multiplier(self, tier_id: int | None) -> int:
        """The points multiplier (percent) of a member's tier."""
        return self.multipliers.get(tier_id, 100) if tier_id is not None else 100


_parsed: tuple[tuple, SaleRules] | None = None  # the rows last read and what they meant


def load_sale_rules() -> SaleRules:
    """The rules in force now (call inside the sale's transaction).

    The rows are read every time (another counter may have changed them); they are only parsed again
    when they differ from the last sale's, which is almost never.
    """
    global _parsed
    stored_rows = sql.rows(f"SELECT key, value FROM setting WHERE key IN ({sql.marks(len(_KEYS))})", _KEYS)
    # The tiers and the automatic tags in one query (kind, id, then tier or tag columns).
    listed = sql.rows(
        "SELECT 'tier', id, name, threshold_fen, multiplier_percent, perks, active FROM tier"
        " UNION ALL SELECT 'tag', id, auto_kind, NULL, NULL, auto_key, NULL FROM tag"
        " WHERE auto_kind IS NOT NULL ORDER BY 1, 4, 2"
    )
    read = (tuple(sorted(stored_rows)), tuple(listed))
    if _parsed is not None and _parsed[0] == read:
        return _parsed[1]
    tier_rows = [row[1:] for row in listed if row[0] == "tier"]
    tag_rows = [row[1:] for row in listed if row[0] == "tag"]
    rules = _parse({key: json.loads(value) for key, value in stored_rows}, tier_rows, tag_rows)
    _parsed = (read, rules)
    return rules


def _parse(stored: dict, tier_rows: list[tuple], tag_rows: list[tuple]) -> SaleRules:
    basis = (stored.get(tiers.RULES_KEY) or {}).get("basis", tiers.BASIS_LIFETIME)
    return SaleRules(
        points=PointsRules.from_dict(stored.get(points.RULES_KEY)),
        tier_basis=basis,
        tiers=tuple(TierRule(*row[:5]) for row in tier_rows if row[5]),
        multipliers={row[0]: row[3] or 100 for row in tier_rows},
        coupon_rules=coupon_rules.rules_from_stored(stored.get(coupon_rules.RULES_KEY)),
        scores=_score_rules(stored.get(auto_tags.STATE_KEY), stored.get(auto_tags.OVERRIDES_KEY)),
        auto_tag_ids={(kind, key): tag_id for tag_id, kind, _t, _m, key, _a in tag_rows},
    )


def _score_rules(state: dict | None, overrides: dict | None) -> ScoreRules | None:
    state = state or {}
    if any(key not in state for key in ("lifecycle", "rfm", "high_value_min_fen")):
        return None
    return ScoreRules(
        LifecycleRules.from_dict(state["lifecycle"]).with_overrides(overrides or {}),
        RfmCutoffs.from_dict(state["rfm"]),
        state["high_value_min_fen"],
    )
