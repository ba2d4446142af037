"""How long ``shopdesk demo`` takes to build the shop of the run's size (cold cache: measured now)."""

from __future__ import annotations

from shopdesk.bench.context import BenchContext
from shopdesk.bench.registry import Measurement, Target, metric

TARGET_SECONDS = 120
TARGET_MEMBERS = 100_000


@metric("demo_build", unit="s", max_value=TARGET_SECONDS, order=0)
def demo_build(context: BenchContext) -> Measurement:
    """The build time of the cached shop: this run's when it built it, else the one its cache file recorded.

    The target (120 s for 100,000 members) grows in proportion above that size.
    """
    shop = context.shop
    scale = max(1.0, shop.members / TARGET_MEMBERS)
    where = "built in this run (cold cache)" if shop.built_now else f"recorded when cached, {shop.built_at}"
    rate = shop.members / shop.build_seconds if shop.build_seconds > 0 else 0.0
    return Measurement(
        value=shop.build_seconds,
        target=Target(max_value=TARGET_SECONDS * scale),
        notes=[f"{where}; {rate:,.0f} members/s with {shop.purchases:,} purchases"],
    )
