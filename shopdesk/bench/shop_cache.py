"""The benchmark's demo shops, built once per size and seed and kept in a temp folder between runs.

Building 100,000 members and a million purchases takes a minute or two, so the finished file is cached
as ``shop-<members>m-<purchases>p-seed<seed>-<fingerprint>.db`` with a JSON file beside it recording how
long the build took (the ``demo_build`` metric reports that time when the cache is warm). The fingerprint
changes with the schema version and the demo builder's source, so a stale shop is never measured.
The cached file is only ever read; metrics that write work on a copy (``copy_shop``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from shopdesk.bench.console import ConsoleProgress, say
from shopdesk.i18n import _

CACHE_ENV = "SHOPDESK_BENCH_CACHE"


@dataclass(frozen=True, slots=True)
class CachedShop:
    """A ready demo shop file and how it came to be."""

    path: Path
    members: int
    purchases: int
    seed: int
    build_seconds: float
    built_at: str
    built_now: bool  # True when this run built it (a cold cache)


def cache_dir() -> Path:
    """``$SHOPDESK_BENCH_CACHE`` or ``<temp>/shopdesk-bench``."""
    return Path(os.environ.get(CACHE_ENV) or Path(tempfile.gettempdir()) / "shopdesk-bench")


def fingerprint() -> str:
    """A short hash of what decides the shop's content: the schema version and the demo builder's code."""
    from shopdesk.db.migrations import HEAD
    from shopdesk.services import demo_shop

    digest = hashlib.sha256(f"schema {HEAD}\n".encode())
    digest.update(Path(demo_shop.__file__).read_bytes())
    return digest.hexdigest()[:10]


def shop_path(members: int, purchases: int, seed: int) -> Path:
    """Where the shop of this size and seed is cached."""
    return cache_dir() / f"shop-{members}m-{purchases}p-seed{seed}-{fingerprint()}.db"


def ensure_shop(members: int, purchases: int, seed: int) -> CachedShop:
    """The cached shop of this size and seed, building it first (with progress lines) when missing."""
    path = shop_path(members, purchases, seed)
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        say(_("Using the cached demo shop {path}").format(path=path))
        return CachedShop(
            path=path,
            members=members,
            purchases=purchases,
            seed=seed,
            build_seconds=float(meta["build_seconds"]),
            built_at=str(meta["built_at"]),
            built_now=False,
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(path)
    partial = path.with_name(f"{path.stem}.partial-{os.getpid()}.db")
    _remove_database_files(partial)
    say(
        _("Building a demo shop with {members:,} members and {purchases:,} purchases in {path}").format(
            members=members, purchases=purchases, path=path
        )
    )
    seconds = _build(partial, members, purchases, seed)
    _finish_file(partial)
    os.replace(partial, path)
    shop = CachedShop(
        path=path,
        members=members,
        purchases=purchases,
        seed=seed,
        build_seconds=seconds,
        built_at=dt.datetime.now().isoformat(timespec="seconds"),
        built_now=True,
    )
    meta = {key: value for key, value in asdict(shop).items() if key not in ("path", "built_now")}
    meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    say(_("Demo shop built in {seconds:.1f} s").format(seconds=seconds))
    return shop


def _build(target: Path, members: int, purchases: int, seed: int) -> float:
    """Build the shop as ``shopdesk demo`` does; return how long it took (the ``demo_build`` value)."""
    from shopdesk.db.database import close_database
    from shopdesk.services.demo_shop import build_demo_shop

    progress = ConsoleProgress(_("Building the demo shop"))
    start = time.perf_counter()
    try:
        build_demo_shop(str(target), members, purchases=purchases, seed=seed, progress=progress)
    finally:
        close_database()
    return time.perf_counter() - start


def _finish_file(path: Path) -> None:
    """Fold the write-ahead log into the file so one file is the whole shop (it is copied and renamed)."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _remove_stale(path: Path) -> None:
    """Delete shops of the same size and seed built by older code (a million members take gigabytes)."""
    prefix = path.stem.rsplit("-", 1)[0] + "-"
    for old in path.parent.glob(f"{prefix}*"):
        if old.name.startswith(path.stem):
            continue
        if ".partial-" in old.name and _partial_in_use(old):
            continue
        old.unlink(missing_ok=True)


def _partial_in_use(path: Path) -> bool:
    """True when the half-built file belongs to a bench that is still running (its pid is alive)."""
    if os.name == "nt":
        return True  # os.kill(pid, 0) would send Ctrl+C there; leave the file to the temp cleaner
    try:
        pid = int(path.name.split(".partial-", 1)[1].split(".", 1)[0])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError):
        return False
    except OSError:
        return True  # the process exists but is someone else's
    return True


def _remove_database_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_shop(source: Path, folder: Path, name: str = "work.db") -> Path:
    """A private copy of ``source`` in ``folder``, for metrics that write, so the cache stays pristine."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    _remove_database_files(target)
    shutil.copyfile(source, target)
    return target
