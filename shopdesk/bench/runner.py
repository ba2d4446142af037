"""Run the bench: get the shop, measure each chosen metric against its baseline, print and save results."""

from __future__ import annotations

import gc
import platform
import sqlite3
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from shopdesk.bench.console import say
from shopdesk.bench.context import BenchContext, quick_from_environment
from shopdesk.bench.registry import MetricSpec, load_metrics
from shopdesk.bench.report import Result, failed_result, format_table, result_of, write_json
from shopdesk.bench.shop_cache import ensure_shop
from shopdesk.i18n import _

DEFAULT_MEMBERS = 100_000
PURCHASES_PER_MEMBER = 10


class BenchUsageError(Exception):
    """The bench was asked for something it cannot do (an unknown metric, a shop of no members)."""


@dataclass(frozen=True, slots=True)
class BenchOptions:
    """What to measure: the shop's size and seed, which metrics, and where to write the JSON."""

    members: int = DEFAULT_MEMBERS
    purchases: int | None = None  # None: ten per member
    seed: int = 1
    only: tuple[str, ...] = ()
    json_path: Path | None = None
    quick: bool = False


def options_from_args(args: object) -> BenchOptions:
    """Read the CLI's argparse namespace (``members``, ``purchases``, ``only``, ``json``, ``seed``)."""
    only = getattr(args, "only", None) or ""
    json_path = getattr(args, "json", None)
    return BenchOptions(
        members=int(getattr(args, "members", None) or DEFAULT_MEMBERS),
        purchases=getattr(args, "purchases", None),
        seed=int(getattr(args, "seed", None) or 1),
        only=tuple(name.strip() for name in str(only).split(",") if name.strip()),
        json_path=Path(json_path) if json_path else None,
        quick=quick_from_environment(),
    )


def select_metrics(only: tuple[str, ...]) -> list[MetricSpec]:
    """The metrics named in ``only`` (all when empty); BenchUsageError names any unknown one."""
    metrics = load_metrics()
    if not only:
        return metrics
    known = {spec.name for spec in metrics}
    unknown = [name for name in only if name not in known]
    if unknown:
        raise BenchUsageError(
            _("Unknown metric: {names}. Known metrics: {known}").format(
                names=", ".join(unknown), known=", ".join(spec.name for spec in metrics)
            )
        )
    return [spec for spec in metrics if spec.name in only]


def run(options: BenchOptions) -> list[Result]:
    """Measure the chosen metrics on the cached shop of the chosen size, printing the table at the end."""
    from shopdesk.db.database import close_database, open_database

    metrics = select_metrics(options.only)
    if options.members < 1 or (options.purchases is not None and options.purchases < 0):
        raise BenchUsageError(_("The shop needs at least one member and no negative number of purchases."))
    purchases = options.purchases if options.purchases is not None else options.members * PURCHASES_PER_MEMBER
    started = time.perf_counter()
    shop = ensure_shop(options.members, purchases, options.seed)
    context = BenchContext(shop=shop, seed=options.seed, quick=options.quick)
    results: list[Result] = []
    open_database(shop.path)
    try:
        for spec in metrics:
            say(_("Measuring {name} ...").format(name=spec.name))
            gc.collect()
            try:
                results.append(result_of(spec, spec.function(context)))
            except Exception as exc:  # a broken metric must not hide the others' numbers
                traceback.print_exc(file=sys.stderr)
                results.append(failed_result(spec, f"{type(exc).__name__}: {exc}"))
    finally:
        close_database()
        context.cleanup()
    print(describe_run(options, purchases, time.perf_counter() - started))
    print(format_table(results))
    if options.json_path is not None:
        write_json(results, options.json_path)
        say(_("Results written to {path}").format(path=options.json_path))
    return results


def describe_run(options: BenchOptions, purchases: int, seconds: float) -> str:
    """What was measured where, printed above the table (the numbers mean little without it)."""
    return _(
        "ShopDesk bench: {members:,} members, {purchases:,} purchases, seed {seed}; "
        "Python {python}, SQLite {sqlite}, {machine}; {seconds:.0f} s{quick}"
    ).format(
        members=options.members,
        purchases=purchases,
        seed=options.seed,
        python=platform.python_version(),
        sqlite=sqlite3.sqlite_version,
        machine=platform.platform(terse=True),
        seconds=seconds,
        quick=_(" (quick run: repetitions reduced)") if options.quick else "",
    )
