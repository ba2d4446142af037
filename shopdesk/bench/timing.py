"""Timing helpers: wall-clock samples, their median and p95, and service/baseline pairs run in turn."""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def median(samples: Sequence[float]) -> float:
    """The middle sample: robust to the odd slow run a shared machine produces."""
    if not samples:
        raise ValueError("no samples")
    return statistics.median(samples)


def p95(samples: Sequence[float]) -> float:
    """The 95th percentile by nearest rank: 95 % of the samples took at most this long."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(function: Callable[[], T]) -> tuple[float, T]:
    """Run ``function`` once and return (seconds, its result)."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def paired_samples(
    inputs: Sequence[object],
    measured: Callable[[object], object],
    baseline: Callable[[object], object],
) -> tuple[list[float], list[float], list[tuple[object, object]]]:
    """Time ``measured`` and ``baseline`` on each input, alternating which goes first.

    Alternating spreads a neighbour's burst of CPU use evenly over both sides, so the ratio stays fair on
    a noisy machine. Returns both lists of seconds and the (measured, baseline) results per input.
    """
    gc.collect()
    measured_times: list[float] = []
    baseline_times: list[float] = []
    results: list[tuple[object, object]] = []
    for index, item in enumerate(inputs):
        if index % 2 == 0:
            m_time, m_result = timed(lambda item=item: measured(item))
            b_time, b_result = timed(lambda item=item: baseline(item))
        else:
            b_time, b_result = timed(lambda item=item: baseline(item))
            m_time, m_result = timed(lambda item=item: measured(item))
        measured_times.append(m_time)
        baseline_times.append(b_time)
        results.append((m_result, b_result))
    return measured_times, baseline_times, results
