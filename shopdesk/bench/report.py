"""The bench's output: one result per metric, as a table for people and a JSON list for tools.

The JSON keys (``name``, ``value``, ``unit``, ``baseline``, ``ratio``, ``target``, ``pass``) are an
interface: later runs are compared against earlier files.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from shopdesk.bench.registry import Measurement, MetricSpec
from shopdesk.i18n import _

JSON_KEYS = ("name", "value", "unit", "baseline", "ratio", "target", "pass")


@dataclass(slots=True)
class Result:
    """A metric's outcome in this run (``value`` is None when the measurement itself failed)."""

    name: str
    unit: str
    value: float | None
    baseline: float | None
    target: str
    passed: bool
    notes: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def ratio(self) -> float | None:
        """value / baseline, when both exist."""
        if self.value is None or self.baseline is None or self.baseline <= 0:
            return None
        return self.value / self.baseline

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "value": _rounded(self.value),
            "unit": self.unit,
            "baseline": _rounded(self.baseline),
            "ratio": _rounded(self.ratio),
            "target": self.target,
            "pass": self.passed,
        }


def _rounded(number: float | None) -> float | None:
    if number is None or not math.isfinite(number):
        return None
    return round(number, 4)


def result_of(spec: MetricSpec, measurement: Measurement) -> Result:
    """Judge a measurement against its target."""
    target = measurement.target or spec.target
    result = Result(
        name=spec.name,
        unit=spec.unit,
        value=measurement.value,
        baseline=measurement.baseline,
        target=target.describe(spec.unit),
        passed=False,
        notes=list(measurement.notes),
    )
    result.passed = target.met(result.value, result.ratio)
    return result


def failed_result(spec: MetricSpec, error: str) -> Result:
    """The row of a metric whose measurement raised: no value, not passed, the error kept as a note."""
    return Result(
        name=spec.name,
        unit=spec.unit,
        value=None,
        baseline=None,
        target=spec.target.describe(spec.unit),
        passed=False,
        error=error,
    )


def _number(number: float | None) -> str:
    if number is None:
        return "-"
    if abs(number) >= 100:
        return f"{number:,.0f}"
    if abs(number) >= 10:
        return f"{number:.1f}"
    return f"{number:.2f}"


def format_table(results: list[Result]) -> str:
    """The results as an aligned text table, followed by each metric's notes and errors."""
    headers = [_("metric"), _("value"), _("unit"), _("baseline"), _("ratio"), _("target"), _("pass")]
    rows = [
        [
            result.name,
            _("error") if result.error else _number(result.value),
            result.unit,
            _number(result.baseline),
            _number(result.ratio),
            result.target,
            _("yes") if result.passed else _("NO"),
        ]
        for result in results
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    numeric = {1, 3, 4}
    lines = []
    for row in [headers, *rows]:
        cells = [
            str(cell).rjust(width) if index in numeric else str(cell).ljust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [
        f"  {result.name}: {line}"
        for result in results
        for line in ([result.error] if result.error else []) + result.notes
    ]
    if notes:
        lines += ["", _("Notes:"), *notes]
    return "\n".join(lines)


def write_json(results: list[Result], path: Path) -> None:
    """Write the results as a JSON list of objects with exactly the keys in ``JSON_KEYS``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps([result.as_json() for result in results], indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
