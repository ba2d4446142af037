"""One evaluation: import before the cut-off, rank four ways, score each against the horizon's buyers.

Nothing after the cut-off is seen by any ranking: the temporary shop holds only earlier purchases, the
category cycles are learnt from them, BG/NBD is fitted on them. The purchases in [cutoff, cutoff +
horizon) only decide who counts as a buyer. Customers whose first purchase falls in the horizon cannot
be ranked by anyone and are left out of the buyers (their number is reported).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shopdesk.db.database import close_database
from shopdesk.i18n import N_, _
from shopdesk.reminders_eval.metrics import KS, AtK, at_k, rank_by_frequency, rank_by_recency
from shopdesk.reminders_eval.sheet import SaleRecord
from shopdesk.reminders_eval.shop import build_shop, customer_key

RANKING = N_("ShopDesk ranking")
RECENCY = N_("Baseline: recency")
FREQUENCY = N_("Baseline: number of purchases")
BGNBD = N_("BG/NBD (expected purchases)")


@dataclass(slots=True)
class Evaluation:
    """The results of one run: per ranking method, precision and recall at each k."""

    cutoff: dt.date
    horizon_days: int
    customers: int
    buyers: int
    new_buyers: int
    purchases_before: int
    has_categories: bool
    results: dict[str, list[AtK]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    bgnbd_params: tuple[float, float, float, float] | None = None


def evaluate(
    records: Sequence[SaleRecord],
    cutoff: dt.date,
    horizon_days: int = 30,
    *,
    shop_type: str | None = None,
    ks: Sequence[int] = KS,
    with_bgnbd: bool = True,
    workdir: str | Path | None = None,
) -> Evaluation:
    """Rank the customers known before ``cutoff`` four ways and measure each on the horizon's buyers."""
    from shopdesk.services.reminders import rank_reminders

    horizon_end = cutoff + dt.timedelta(days=horizon_days)
    with tempfile.TemporaryDirectory(dir=workdir) as folder:
        started = time.perf_counter()
        people = build_shop(Path(folder) / "eval.db", records, cutoff, shop_type=shop_type)
        try:
            import_seconds = time.perf_counter() - started
            started = time.perf_counter()
            ranked = [view.member_id for view in rank_reminders(cutoff, horizon_days, due_only=False)]
            rank_seconds = time.perf_counter() - started
        finally:
            close_database()
    by_key = {key: person.member_id for key, person in people.items()}
    horizon_keys = {
        customer_key(r.customer) for r in records if cutoff <= r.when.date() < horizon_end
    }
    buyers = {by_key[key] for key in horizon_keys if key in by_key}
    last_day = {person.member_id: person.days[-1] for person in people.values()}
    visits = {person.member_id: len(person.days) for person in people.values()}
    evaluation = Evaluation(
        cutoff=cutoff,
        horizon_days=horizon_days,
        customers=len(people),
        buyers=len(buyers),
        new_buyers=len(horizon_keys) - len(buyers),
        purchases_before=sum(1 for r in records if r.when.date() < cutoff),
        has_categories=any(r.categories for r in records),
        seconds={"import": import_seconds, "rank": rank_seconds},
    )
    rankings = {
        RANKING: ranked,
        RECENCY: rank_by_recency(last_day, visits),
        FREQUENCY: rank_by_frequency(last_day, visits),
    }
    if with_bgnbd:
        started = time.perf_counter()
        rankings[BGNBD], evaluation.bgnbd_params = _bgnbd_ranking(list(people.values()), cutoff, horizon_days)
        evaluation.seconds["bgnbd"] = time.perf_counter() - started
    for name, ranking in rankings.items():
        evaluation.results[name] = [at_k(ranking, buyers, k) for k in ks]
    return evaluation


def _bgnbd_ranking(people: list, cutoff: dt.date, horizon_days: int) -> tuple[list[int], tuple]:
    """Customers by BG/NBD's expected purchases in the horizon, fitted on the same pre-cut-off days."""
    from shopdesk.reminders_eval import bgnbd

    ids = [person.member_id for person in people]
    x = [len(person.days) - 1 for person in people]
    t_x = [(person.days[-1] - person.days[0]).days for person in people]
    big_t = [(cutoff - person.days[0]).days for person in people]
    params = bgnbd.fit(x, t_x, big_t)
    expected = bgnbd.conditional_expected_purchases(params, float(horizon_days), x, t_x, big_t)
    order = sorted(range(len(ids)), key=lambda i: (-float(expected[i]), ids[i]))
    return [ids[i] for i in order], (params.r, params.alpha, params.a, params.b)


def markdown_table(evaluation: Evaluation, title: str = "") -> str:
    """The results as a markdown table (precision and recall in %), ready for the README."""
    ks = [item.k for item in next(iter(evaluation.results.values()))]
    header = [_("Ranking")]
    for k in ks:
        header += [f"P@{k}", f"R@{k}"]
    lines = []
    if title:
        lines.append(f"**{title}**")
        lines.append("")
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    best = {k: max(r[i].precision for r in evaluation.results.values()) for i, k in enumerate(ks)}
    for name, results in evaluation.results.items():
        cells = [_(name)]
        for item in results:
            precision = f"{100 * item.precision:.1f}"
            if item.precision == best[item.k]:
                precision = f"**{precision}**"
            cells += [precision, f"{100 * item.recall:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary_line(evaluation: Evaluation) -> str:
    """What was measured, in one sentence."""
    return _(
        "{customers} customers with {purchases} purchases before {cutoff}; {buyers} of them bought in the "
        "{horizon} days from the cut-off ({new} new customers who bought then are not counted)."
    ).format(
        customers=f"{evaluation.customers:,}", purchases=f"{evaluation.purchases_before:,}",
        cutoff=evaluation.cutoff.isoformat(), buyers=f"{evaluation.buyers:,}",
        horizon=evaluation.horizon_days,
        new=f"{evaluation.new_buyers:,}",
    )


def gains(evaluation: Evaluation) -> dict[int, dict[str, float]]:
    """Per k, the ranking's precision minus each other method's, in percentage points."""
    ours = evaluation.results[RANKING]
    result: dict[int, dict[str, float]] = {}
    for index, item in enumerate(ours):
        result[item.k] = {
            name: 100 * (item.precision - results[index].precision)
            for name, results in evaluation.results.items()
            if name != RANKING
        }
    return result


def gains_text(evaluation: Evaluation) -> str:
    """One line per k: by how many points of precision the ranking beats (or trails) each other method."""
    lines = []
    for k, by_method in gains(evaluation).items():
        parts = ", ".join(
            _("{gain} over {method}").format(gain=f"{gain:+.1f}", method=_(name))
            for name, gain in by_method.items()
        )
        lines.append(_("At k = {k}, precision points: {parts}.").format(k=k, parts=parts))
    return "\n".join(lines)
