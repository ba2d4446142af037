"""``shopdesk bench`` still runs end to end on a small shop and writes every metric in the agreed JSON shape.

It checks the shape, never the times (a shared machine makes times noisy). The bench runs in a child
process in quick mode (fewer repetitions) with its own shop cache, so this test never imports Qt itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from shopdesk.bench.registry import Target, load_metrics
from shopdesk.bench.report import JSON_KEYS
from shopdesk.bench.timing import median, p95

ISSUE_3_METRICS = {
    "search_phone_tail",
    "search_name",
    "search_pinyin",
    "list_first_page",
    "list_scroll_end",
    "record_purchase",
    "startup",
    "rss_open_100k",
    "demo_build",
}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def test_every_metric_of_the_benchmark_issue_is_registered() -> None:
    assert ISSUE_3_METRICS.issubset(spec.name for spec in load_metrics())


def _qt_importable() -> bool:
    """Whether Qt's widgets load here (checked in a child: core tests never import Qt themselves)."""
    probe = [sys.executable, "-c", "import PySide6.QtWidgets"]
    return subprocess.run(probe, capture_output=True, timeout=60).returncode == 0


def test_bench_writes_every_metric_with_its_keys(tmp_path: Path) -> None:
    qt_available = _qt_importable()
    names = [spec.name for spec in load_metrics() if qt_available or not spec.needs_qt]
    out = tmp_path / "bench.json"
    env = dict(
        os.environ,
        SHOPDESK_BENCH_QUICK="1",
        SHOPDESK_BENCH_CACHE=str(tmp_path / "cache"),
        QT_QPA_PLATFORM="offscreen",
    )
    command = [
        sys.executable,
        "-m",
        "shopdesk",
        "bench",
        "--members",
        "2000",
        "--purchases",
        "4000",
        "--only",
        ",".join(names),
        "--json",
        str(out),
    ]
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)

    assert finished.returncode == 0, finished.stderr[-3000:]
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [row["name"] for row in rows] == names
    for row in rows:
        assert set(row) == set(JSON_KEYS), row
        assert _is_number(row["value"]), (row, finished.stderr[-3000:])
        assert isinstance(row["unit"], str) and row["unit"]
        assert row["baseline"] is None or _is_number(row["baseline"])
        assert row["ratio"] is None or _is_number(row["ratio"])
        assert isinstance(row["target"], str) and row["target"]
        assert isinstance(row["pass"], bool)
        if "ratio" in row["target"]:  # a ratio target needs a baseline measured in the same run
            assert _is_number(row["baseline"]) and _is_number(row["ratio"]), row
    assert "metric" in finished.stdout and "demo_build" in finished.stdout  # the table was printed


def test_unknown_metric_names_are_refused(tmp_path: Path) -> None:
    env = dict(os.environ, SHOPDESK_BENCH_CACHE=str(tmp_path / "cache"))
    command = [sys.executable, "-m", "shopdesk", "bench", "--members", "10", "--only", "no_such_metric"]
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)

    assert finished.returncode == 2
    assert "no_such_metric" in finished.stderr


def test_p95_is_the_nearest_rank_and_median_the_middle() -> None:
    samples = [float(n) for n in range(1, 101)]  # 1 … 100

    assert p95(samples) == 95.0
    assert p95([3.0]) == 3.0
    assert median([5.0, 1.0, 3.0]) == 3.0


def test_a_target_holds_only_when_every_part_holds() -> None:
    both = Target(max_ratio=1.5, max_value=20)

    assert both.met(10.0, 1.2)
    assert not both.met(25.0, 1.2)  # too slow for a person, however good the ratio
    assert not both.met(10.0, 1.6)
    assert not both.met(10.0, None)  # a ratio target needs a baseline
    assert not Target(max_value=300).met(None, None)  # a failed measurement never passes
    assert both.describe("ms") == "ratio <= 1.5 and <= 20 ms"
