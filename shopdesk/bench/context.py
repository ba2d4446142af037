"""What every metric gets: the shop under test, the run's settings, and helpers to sample and copy it."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shopdesk.bench.shop_cache import CachedShop, copy_shop

QUICK_ENV = "SHOPDESK_BENCH_QUICK"
SAMPLE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class MemberSample:
    """A real member of the shop, used to draw search terms people would type."""

    id: int
    phone: str
    name: str
    initials: str


@dataclass
class BenchContext:
    """One bench run. The cached shop is open (``open_database``) while metrics run; it must stay unchanged.

    ``quick`` (``SHOPDESK_BENCH_QUICK=1``, used by the smoke test) shrinks the repetitions so the whole
    run takes seconds; the numbers are then only good for checking that every metric still works.
    """

    shop: CachedShop
    seed: int
    quick: bool = False
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="shopdesk-bench-run-")))
    _samples: list[MemberSample] | None = None

    @property
    def members(self) -> int:
        return self.shop.members

    @property
    def purchases(self) -> int:
        return self.shop.purchases

    def repeat(self, full: int, quick: int) -> int:
        """How many times to repeat a measurement in this run."""
        return quick if self.quick else full

    def rng(self, purpose: str) -> random.Random:
        """A random generator seeded by the run's seed and ``purpose``: same seed, same queries."""
        return random.Random(f"{self.seed}:{purpose}")

    def member_samples(self, count: int = 200) -> list[MemberSample]:
        """``count`` members not archived, drawn at random (by seed) from the whole shop.

        The draw is made once (at least ``SAMPLE_SIZE``), so every metric of a run sees the same members.
        """
        if self._samples is None or len(self._samples) < count:
            count = max(count, SAMPLE_SIZE)
            from shopdesk.db.database import current_database

            conn = current_database().connection()
            ids = [row[0] for row in conn.execute("SELECT id FROM member WHERE archived_at IS NULL")]
            chosen = self.rng("members").sample(ids, min(count, len(ids)))
            rows = {}
            for start in range(0, len(chosen), 500):
                chunk = chosen[start : start + 500]
                marks = ", ".join("?" * len(chunk))
                for row in conn.execute(
                    f"SELECT id, phone, name, name_initials FROM member WHERE id IN ({marks})", chunk
                ):
                    rows[row[0]] = MemberSample(row[0], row[1] or "", row[2], row[3])
            self._samples = [rows[member_id] for member_id in chosen]
        return self._samples[:count]

    def copy_shop(self, name: str, *, reuse: bool = False) -> Path:
        """A private copy of the shop in this run's work folder, for metrics that write or start the app.

        ``reuse`` hands back the copy of the same name made earlier in this run, if any (copying a
        million-member shop takes seconds; the GUI metrics only read).
        """
        folder = self.workdir / name
        if reuse and (folder / "work.db").exists():
            return folder / "work.db"
        return copy_shop(self.shop.path, folder)

    @contextlib.contextmanager
    def database(self, path: Path) -> Iterator[object]:
        """Make ``path`` the services' database for a while, then reopen the cached shop."""
        from shopdesk.db.database import close_database, open_database

        close_database()
        try:
            yield open_database(path)
        finally:
            close_database()
            open_database(self.shop.path)

    def cleanup(self) -> None:
        """Remove this run's copies."""
        shutil.rmtree(self.workdir, ignore_errors=True)


def quick_from_environment() -> bool:
    """True when ``SHOPDESK_BENCH_QUICK`` asks for the short smoke-test run."""
    return os.environ.get(QUICK_ENV, "").strip() not in ("", "0", "false", "no")
