"""One copy of the app per shop file: a lock file beside the database, held with an OS file lock.

The OS drops the lock when the process ends, however it ends, so a crash never leaves the shop "locked".
A PostgreSQL shop is shared by design (several counters), so it takes no lock.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from shopdesk.errors import UserError
from shopdesk.i18n import _


class InstanceLock:
    """Held while the app has the shop open; ``release`` (or process exit) frees it."""

    def __init__(self, database_path: str | os.PathLike[str]) -> None:
        self.path = Path(f"{Path(database_path).expanduser()}.lock")
        self._handle: IO[bytes] | None = None

    def acquire(self) -> InstanceLock:
        """Take the lock, or raise UserError when another copy of the app holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - kept open while the lock is held
        try:
            _lock(handle)
        except OSError:
            handle.close()
            raise UserError(
                _(
                    "ShopDesk is already open on this shop (in another window). Switch to that window, "
                    "or close it first."
                )
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode())
        handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        if self._handle is not None:
            try:
                _unlock(self._handle)
            finally:
                self._handle.close()
                self._handle = None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()


if os.name == "nt":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def lock_for(target: str) -> InstanceLock | None:
    """The lock to take for ``target``: a file lock for a SQLite shop, none for a server."""
    if "://" in target and not target.startswith("sqlite:///"):
        return None
    return InstanceLock(target.removeprefix("sqlite:///"))
