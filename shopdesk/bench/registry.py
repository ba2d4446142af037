"""The metrics the bench knows: each is a function registered with ``@metric`` in a ``metrics_*`` module.

A later feature adds its measurement by writing one decorated function in a new ``metrics_<topic>.py``
module of this package; ``load_metrics`` finds the module, so no list elsewhere has to change.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shopdesk.bench.context import BenchContext


@dataclass(frozen=True, slots=True)
class Target:
    """What counts as fast enough: a ratio to the baseline, an absolute ceiling, or both."""

    max_ratio: float | None = None
    max_value: float | None = None

    def describe(self, unit: str) -> str:
        """The target as the table and the JSON show it, e.g. ``ratio <= 1.5 and <= 20 ms``."""
        parts = []
        if self.max_ratio is not None:
            parts.append(f"ratio <= {self.max_ratio:g}")
        if self.max_value is not None:
            parts.append(f"<= {self.max_value:g} {unit}")
        return " and ".join(parts) or "-"

    def met(self, value: float | None, ratio: float | None) -> bool:
        """True when every part of the target holds (a missing measurement never passes)."""
        if value is None:
            return False
        if self.max_ratio is not None and (ratio is None or ratio > self.max_ratio):
            return False
        return not (self.max_value is not None and value > self.max_value)


@dataclass(slots=True)
class Measurement:
    """What a metric function returns: its value, the same-run baseline (if any) and notes for people.

    ``target`` overrides the registered one when the target depends on the run (e.g. the shop's size).
    """

    value: float
    baseline: float | None = None
    notes: list[str] = field(default_factory=list)
    target: Target | None = None


MetricFunction = Callable[["BenchContext"], Measurement]


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """A registered metric: its interface name, unit and target, and the function that measures it."""

    name: str
    unit: str
    target: Target
    function: MetricFunction
    order: int
    needs_qt: bool = False


_REGISTRY: dict[str, MetricSpec] = {}


def metric(
    name: str,
    *,
    unit: str,
    max_ratio: float | None = None,
    max_value: float | None = None,
    order: int = 1000,
    needs_qt: bool = False,
) -> Callable[[MetricFunction], MetricFunction]:
    """Register the decorated function as the metric ``name`` (names are part of the bench's interface).

    ``order`` places the metric in the table (lower first; later issues may keep the default).
    ``needs_qt`` marks metrics that start Qt, so a caller without a display library can tell why they fail.
    """

    def register(function: MetricFunction) -> MetricFunction:
        if name in _REGISTRY and _REGISTRY[name].function is not function:
            raise ValueError(f"metric {name!r} is registered twice")
        target = Target(max_ratio=max_ratio, max_value=max_value)
        _REGISTRY[name] = MetricSpec(name, unit, target, function, order, needs_qt)
        return function

    return register


def load_metrics() -> list[MetricSpec]:
    """Import every ``metrics_*`` module of this package and return the metrics in table order."""
    import shopdesk.bench as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("metrics_"):
            importlib.import_module(f"{package.__name__}.{module.name}")
    registration = {name: index for index, name in enumerate(_REGISTRY)}
    return sorted(_REGISTRY.values(), key=lambda spec: (spec.order, registration[spec.name]))
