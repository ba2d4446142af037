"""Start-up time and peak memory of the real app, each in a fresh process, on a private copy of the shop.

``startup`` runs ``python -m shopdesk --db COPY --quit-after-show`` (the Members page shown, then exit)
against a bare PySide6 script that shows a QMainWindow with a QTableView and quits: both pay for Python and
Qt, so the ratio is what ShopDesk adds. ``rss_open_100k`` runs ``shopdesk.bench.gui_driver``, which opens
the app, scrolls the members table to the end and quits, and reads the child's peak RSS from ``wait4``.
The children get their own config and data folders, so the bench never touches the user's settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from shopdesk.bench.context import BenchContext
from shopdesk.bench.registry import Measurement, metric
from shopdesk.bench.timing import median

RUNS = 5
QUICK_RUNS = 1
CHILD_TIMEOUT = 300

BARE_QT_SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QTableView())
window.resize(1200, 760)
window.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""


def child_environment(context: BenchContext) -> dict[str, str]:
    """The environment of a GUI child: no display needed, settings kept in the run's work folder."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("SHOPDESK_DB", None)
    home = context.workdir / "home"
    folders = (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"))
    for name, folder in folders:
        env[name] = str(home / folder)
        (home / folder).mkdir(parents=True, exist_ok=True)
    return env


def run_child(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Run ``command`` to the end; return (wall seconds, peak RSS in bytes or 0 where wait4 is missing)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out, err = process.stdout.read(), process.stderr.read()  # type: ignore[union-attr]
        process.stdout.close()  # type: ignore[union-attr]
        process.stderr.close()  # type: ignore[union-attr]
        peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    else:
        out, err = process.communicate(timeout=CHILD_TIMEOUT)
        seconds = time.perf_counter() - start
        peak = 0
    if process.returncode != 0:
        tail = (err or out).decode(errors="replace").strip().splitlines()[-5:]
        raise RuntimeError(f"{' '.join(command[:4])} … exited {process.returncode}: {' | '.join(tail)}")
    return seconds, peak


def app_command(database: Path) -> list[str]:
    return [sys.executable, "-m", "shopdesk", "--db", str(database), "--quit-after-show"]


@metric("startup", unit="s", max_ratio=2, order=40, needs_qt=True)
def startup(context: BenchContext) -> Measurement:
    """Median wall time from process start to the Members page shown, on the shop of this run."""
    database = context.copy_shop("startup")
    env = child_environment(context)
    bare = [sys.executable, "-c", BARE_QT_SCRIPT]
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
    if not hasattr(os, "wait4"):
        raise RuntimeError("peak memory of a child process needs os.wait4 (Linux, macOS)")
    database = context.copy_shop("rss")
    command = [sys.executable, "-m", "shopdesk.bench.gui_driver", "--db", str(database)]
    _, peak = run_child(command, child_environment(context))
    _, bare_peak = run_child([sys.executable, "-c", BARE_QT_SCRIPT], child_environment(context))
    return Measurement(
        value=peak / 1e6,
        notes=[
            f"shop of {context.members:,} members; a bare PySide6 window peaks at {bare_peak / 1e6:.0f} MB"
        ],
    )
