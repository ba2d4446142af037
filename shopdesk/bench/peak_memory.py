"""A process's own peak resident memory, read where the platform keeps it, and reported on stdout.

Linux: ``VmHWM`` in ``/proc/self/status`` (the high-water mark of this program's own memory, which
``getrusage`` is not: it may carry the parent's peak over ``exec``). Windows: ``PeakWorkingSetSize``.
Elsewhere (macOS): ``getrusage``'s ``ru_maxrss``, in bytes there.
"""

from __future__ import annotations

import sys
from pathlib import Path

MARKER = "peak_rss_bytes="


def peak_rss_bytes() -> int:
    """This process's peak resident set size in bytes (0 when the platform does not say)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    if sys.platform == "win32":
        return _windows_peak()
    try:
        import resource
    except ImportError:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _windows_peak() -> int:
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):
        _fields_ = [
            ("cb", wintypes.DWORD),
            ("PageFaultCount", wintypes.DWORD),
            ("PeakWorkingSetSize", ctypes.c_size_t),
            ("WorkingSetSize", ctypes.c_size_t),
            ("QuotaPeakPagedPoolUsage", ctypes.c_size_t),
            ("QuotaPagedPoolUsage", ctypes.c_size_t),
            ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
            ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
            ("PagefileUsage", ctypes.c_size_t),
            ("PeakPagefileUsage", ctypes.c_size_t),
        ]

    counters = Counters()
    counters.cb = ctypes.sizeof(Counters)
    process = ctypes.windll.kernel32.GetCurrentProcess()  # type: ignore[attr-defined]
    if not ctypes.windll.psapi.GetProcessMemoryInfo(process, ctypes.byref(counters), counters.cb):  # type: ignore[attr-defined]
        return 0
    return int(counters.PeakWorkingSetSize)


def print_peak_rss() -> None:
    """Print ``peak_rss_bytes=N`` for the parent to read."""
    print(f"{MARKER}{peak_rss_bytes()}", flush=True)


def parse_peak_rss(output: str) -> int:
    """The number after the last ``peak_rss_bytes=`` in a child's stdout; ValueError when missing."""
    for line in reversed(output.splitlines()):
        if line.startswith(MARKER):
            return int(line[len(MARKER) :])
    raise ValueError("the child did not report its peak memory")
