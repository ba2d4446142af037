"""Opening a shop the safe way, for the window and the command line alike: back the file up before a
schema upgrade, then check it is sound and run the jobs that are due when the shop opens."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shopdesk.db.database import open_database

if TYPE_CHECKING:
    from peewee import Database

    from shopdesk.services import backup, maintenance


@dataclass(frozen=True, slots=True)
class OpeningReport:
    backup: backup.BackupInfo | None
    daily: maintenance.DailyReport


def _backup_before_upgrade(old_version: int, new_version: int) -> None:
    if old_version > 0:  # a new, empty database has nothing to lose
        from shopdesk.services import backup

        backup.create_backup("migration")


def open_shop(target: str | os.PathLike[str]) -> Database:
    """Open (and upgrade, after a backup) the shop at ``target``; a file that is not a sound database
    fails here already (its header and schema are read)."""
    return open_database(target, before_migrate=_backup_before_upgrade)


def on_opened(today: dt.date | None = None) -> OpeningReport:
    """What runs once the shop is open (in the background in the app): the whole-file check (about a second
    at 100,000 members, so never before the window shows), the daily backup and the daily jobs. The job
    modules are imported here, off the window's start-up path."""
    from shopdesk.services import backup, maintenance

    backup.quick_check()
    taken = backup.backup_if_due()
    return OpeningReport(taken, maintenance.run_daily_jobs(today))
