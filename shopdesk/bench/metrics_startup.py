"""Start-up time and peak memory of the real app, each in a fresh process, on a private copy of the shop.

``startup`` runs ``python -m shopdesk --db COPY --quit-after-show`` (the Members page shown, then exit)
against a bare PySide6 script that shows a QMainWindow with a QTableView and quits: both pay for Python and
Qt, so the ratio is what ShopDesk adds. ``rss_open_100k`` runs ``shopdesk.ui.bench_driver``, which opens
the app, scrolls the members table to the end, quits and prints its own peak memory (see ``peak_memory``).
The children get their own config and data folders, so the bench never touches the user's settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from shopdesk.bench.context import BenchContext
from shopdesk.bench.peak_memory import parse_peak_rss
from shopdesk.bench.registry import Measurement, metric
from shopdesk.bench.timing import median

RUNS = 5
QUICK_RUNS = 1
CHILD_TIMEOUT = 300


def _bare_script() -> str:
    """The bare PySide6 window (kept in ``shopdesk.ui``, the only package that speaks Qt)."""
    from shopdesk.ui.bench_support import BARE_QT_SCRIPT

    return BARE_QT_SCRIPT


# Appended for rss_open_100k's note: the bare window's own peak memory, as the driver reports the app's.
PRINT_PEAK = """
from shopdesk.bench.peak_memory import print_peak_rss
print_peak_rss()
sys.exit(code)
"""


def child_environment(context: BenchContext) -> dict[str, str]:
    """The environment of a GUI child: no display needed, settings kept in the run's work folder.

    Bytecode is allowed and cached in the work folder: an installed app starts from compiled modules,
    while ``PYTHONDONTWRITEBYTECODE`` (set on some build machines) would make every start compile every
    module again (~0.2 s here) and measure the machine, not the app.
    """
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("SHOPDESK_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(context.workdir / "pycache")
    home = context.workdir / "home"
    folders = (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"))
    for name, folder in folders:
        env[name] = str(home / folder)
        (home / folder).mkdir(parents=True, exist_ok=True)
    return env


def run_child(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Run ``command`` to the end; return (wall seconds from start to exit, its stdout)."""
    start = time.perf_counter()
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT)
    seconds = time.perf_counter() - start
    if finished.returncode != 0:
        tail = (finished.stderr or finished.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"{' '.join(command[:4])} … exited {finished.returncode}: {' | '.join(tail)}")
    return seconds, finished.stdout


def app_command(database: Path) -> list[str]:
    return [sys.executable, "-m", "shopdesk", "--db", str(database), "--quit-after-show"]


@metric("startup", unit="s", max_ratio=2, order=40, needs_qt=True)
def startup(context: BenchContext) -> Measurement:
    """Median wall time from process start to the Members page shown, on the shop of this run."""
    database = context.copy_shop("gui", reuse=True)
    env = child_environment(context)
    bare = [sys.executable, "-c", _bare_script() + "sys.exit(code)\n"]
    if not context.quick:  # warm-up: the OS caches Python, Qt and the shop file
        run_child(app_command(database), env)
        run_child(bare, env)
    app_times, bare_times = [], []
    for index in range(context.repeat(RUNS, QUICK_RUNS)):
        pair = [(app_times, app_command(database)), (bare_times, bare)]
        for times, command in pair if index % 2 == 0 else reversed(pair):
            times.append(run_child(command, env)[0])
    return Measurement(
        value=median(app_times),
        baseline=median(bare_times),
        notes=[f"median of {len(app_times)} runs each; app: " + ", ".join(f"{t:.2f} s" for t in app_times)],
    )


@metric("rss_open_100k", unit="MB", max_value=300, order=41, needs_qt=True)
def rss_open_100k(context: BenchContext) -> Measurement:
    """Peak memory of the app with this run's shop open and the members table scrolled to the end."""
    database = context.copy_shop("gui", reuse=True)
    env = child_environment(context)
    _, output = run_child([sys.executable, "-m", "shopdesk.ui.bench_driver", "--db", str(database)], env)
    _, bare_output = run_child([sys.executable, "-c", _bare_script() + PRINT_PEAK], env)
    return Measurement(
        value=parse_peak_rss(output) / 1e6,
        notes=[
            f"shop of {context.members:,} members; a bare PySide6 window peaks at "
            f"{parse_peak_rss(bare_output) / 1e6:.0f} MB"
        ],
    )
