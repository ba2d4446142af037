"""Backups of the shop's SQLite file: taken with SQLite's online backup API (never a file copy, which can
catch a half-written page), verified with ``PRAGMA integrity_check``, thinned like Anki's, restorable.

On PostgreSQL the server's own tools do this job (``pg_dump``; see the README), so these functions refuse.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from peewee import SqliteDatabase

from shopdesk.db.database import data_dir
from shopdesk.db.models import database_proxy
from shopdesk.domain.backups import backups_to_keep
from shopdesk.errors import StorageError, UserError
from shopdesk.i18n import _
from shopdesk.services.session import Permission, require
from shopdesk.services.settings import get_setting, set_setting

FOLDER_KEY = "backup_folder"
LAST_KEY = "last_backup_at"
_NAME = re.compile(r"^shop-(\d{8})-(\d{6})-([a-z]+)\.db$")
REASONS = ("daily", "close", "migration", "restore", "import", "manual")


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    created_at: dt.datetime
    reason: str
    size: int


def _sqlite() -> SqliteDatabase:
    db = database_proxy.obj
    if not isinstance(db, SqliteDatabase):
        raise UserError(
            _("Backups of a PostgreSQL server are made with pg_dump on the server; see the README.")
        )
    return db


def _folder_note(database_path: str | os.PathLike[str] | None = None) -> Path:
    """A copy of a shop's chosen backup folder outside its database, so a damaged file can still find its
    backups (one note per database file)."""
    import hashlib

    if database_path is None:
        db = database_proxy.obj
        database_path = db.database if db is not None else ""
    where = str(Path(database_path).expanduser().resolve()) if database_path else ""
    key = hashlib.sha1(where.encode()).hexdigest()[:16]
    return data_dir() / "backup-folders" / f"{key}.txt"


def backup_folder(database_path: str | os.PathLike[str] | None = None) -> Path:
    """Where backups go: the folder the owner chose (a USB drive, a synced folder) or ``backups`` beside
    the data. With ``database_path`` (a shop that cannot be opened) only the note outside it is read."""
    chosen = None
    if database_path is None:
        try:
            chosen = get_setting(FOLDER_KEY)
        except StorageError:
            database_path = None
    if chosen is None:
        note = _folder_note(database_path)
        chosen = note.read_text(encoding="utf-8").strip() if note.is_file() else None
    return Path(chosen) if chosen else data_dir() / "backups"


def newest_good_backup(database_path: str | os.PathLike[str]) -> BackupInfo | None:
    """The newest backup of a shop that passes the integrity check (offered when the shop file is damaged)."""
    for info in list_backups(backup_folder(database_path)):
        try:
            verify(info.path)
        except StorageError:
            continue
        return info
    return None


def set_backup_folder(folder: str | os.PathLike[str]) -> None:
    require(Permission.SETTINGS)
    path = Path(folder).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".shopdesk-write-test"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError:
        raise UserError(
            _("ShopDesk cannot write to {path}; choose another folder.").format(path=path)
        ) from None
    set_setting(FOLDER_KEY, str(path))
    try:
        _folder_note().parent.mkdir(parents=True, exist_ok=True)
        _folder_note().write_text(str(path), encoding="utf-8")
    except OSError:
        pass  # the setting in the database is what counts; the note only helps a damaged file


def verify(path: Path) -> None:
    """Raise StorageError unless ``path`` is a sound ShopDesk database."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
            version = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.Error:
        raise StorageError(
            _("{name} is not a readable ShopDesk backup.").format(name=path.name),
            _("Choose another backup."),
        ) from None
    if result != "ok" or not version:
        raise StorageError(_("{name} is damaged.").format(name=path.name), _("Choose another backup."))


def create_backup(
    reason: str = "manual", destination: str | os.PathLike[str] | None = None, *, thin: bool = True
) -> BackupInfo:
    """Back the current shop up (consistent even while sales are being recorded), verify it, and thin the
    folder's automatic backups. Returns where it went."""
    if reason not in REASONS:
        raise ValueError(reason)
    db = _sqlite()
    stamp = dt.datetime.now().replace(microsecond=0)
    if destination is None:
        folder = backup_folder()
        final = folder / f"shop-{stamp:%Y%m%d-%H%M%S}-{reason}.db"
    else:
        final = Path(destination).expanduser()
        folder = final.parent
    partial = final.with_name(final.name + ".partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(partial)
        try:
            db.connection().backup(target)
            # One self-contained file: the copy keeps the shop's WAL mode, which would leave -wal and
            # -shm files beside it whenever it is opened (a read-only check cannot remove them).
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        verify(partial)
        os.replace(partial, final)
    except OSError as exc:
        _remove_partial(partial)
        raise StorageError(
            _("The backup could not be written to {folder}.").format(folder=folder),
            _("Check that the drive is plugged in and has free space."),
        ) from exc
    except BaseException:  # a damaged copy, a cancel at closing time: leave nothing half-written behind
        _remove_partial(partial)
        raise
    if destination is None:
        if thin:
            thin_backups(folder)
        set_setting(LAST_KEY, stamp.isoformat())
    return BackupInfo(final, stamp, reason, final.stat().st_size)


def _remove_partial(partial: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        partial.with_name(partial.name + suffix).unlink(missing_ok=True)


def list_backups(folder: Path | None = None) -> list[BackupInfo]:
    """The backups in the folder, newest first."""
    folder = folder or backup_folder()
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = _NAME.match(path.name)
            if match:
                created = dt.datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")
                stat = path.stat()
                found.append((stat.st_mtime_ns, BackupInfo(path, created, match.group(3), stat.st_size)))
    # Names tell the second; two backups of the same second (a manual one, then the one a restore
    # takes) are told apart by when their files were written.
    found.sort(key=lambda pair: (pair[1].created_at, pair[0]), reverse=True)
    return [info for _written, info in found]


def thin_backups(folder: Path | None = None, *, spare: Path | None = None) -> int:
    """Delete the automatic backups the keeping rule no longer needs (manual ones stay until the owner
    deletes them, and so does ``spare``); returns how many were deleted."""
    backups = [info for info in list_backups(folder) if info.reason != "manual"]
    keep = backups_to_keep(info.created_at for info in backups)
    removed = 0
    for info in backups:
        if info.created_at not in keep and info.path.resolve() != spare:
            info.path.unlink(missing_ok=True)
            removed += 1
    return removed


def last_backup_at() -> dt.datetime | None:
    stored = get_setting(LAST_KEY)
    return dt.datetime.fromisoformat(stored) if stored else None


def backup_if_due(now: dt.datetime | None = None) -> BackupInfo | None:
    """The daily backup: taken when the last one is from an earlier day (SQLite only)."""
    if not isinstance(database_proxy.obj, SqliteDatabase):
        return None
    now = now or dt.datetime.now()
    last = last_backup_at()
    if last is not None and last.date() >= now.date():
        return None
    return create_backup("daily")


def quick_check() -> None:
    """The start-up check: a damaged file is reported at once, with the advice to restore a backup."""
    db = database_proxy.obj
    if not isinstance(db, SqliteDatabase):
        return
    result = db.execute_sql("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise StorageError(
            _("The shop's data file is damaged."), _("Restore the newest backup (Settings → Backup).")
        )


def restore_backup(backup: str | os.PathLike[str]) -> BackupInfo:
    """Replace the current shop with ``backup``: the backup is verified first, the current shop is backed
    up, and the copy is made with SQLite's backup API. Returns the safety backup of the replaced shop.

    The caller reopens the database afterwards (every connection sees the restored data).
    """
    require(Permission.BACKUP_RESTORE)
    source = Path(backup).expanduser()
    if not source.is_file():
        raise UserError(_("There is no backup at {path}.").format(path=source))
    verify(source)
    safety = create_backup("restore", thin=False)
    db = _sqlite()
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        origin.backup(db.connection())
    finally:
        origin.close()
    thin_backups(safety.path.parent, spare=source.resolve())
    return safety


def backups_supported() -> bool:
    """True when the shop is a SQLite file (a PostgreSQL server is backed up with pg_dump instead)."""
    return isinstance(database_proxy.obj, SqliteDatabase)


def is_damaged_file_error(exc: BaseException) -> bool:
    """True for the StorageError that says the shop file itself is damaged (a backup can replace it)."""
    return isinstance(exc, StorageError) and exc.message == _("The shop's data file is damaged.")


def restore_file(backup: str | os.PathLike[str], path: str | os.PathLike[str]) -> None:
    """Put a verified backup over a shop file that cannot be opened (no database is open on it).

    The copy goes through SQLite's backup API; when the damaged file is too broken even for that, the
    backup is copied beside it and moved into its place, and the damaged file's journal is dropped.
    """
    source, target = Path(backup).expanduser(), Path(path).expanduser()
    verify(source)
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        try:
            destination = sqlite3.connect(target)
            try:
                origin.backup(destination)
            finally:
                destination.close()
        except sqlite3.DatabaseError:
            partial = target.with_name(target.name + ".partial")
            partial.unlink(missing_ok=True)
            fresh = sqlite3.connect(partial)
            try:
                origin.backup(fresh)
            finally:
                fresh.close()
            for suffix in ("-wal", "-shm"):
                target.with_name(target.name + suffix).unlink(missing_ok=True)
            os.replace(partial, target)
    except OSError as exc:
        raise StorageError(
            _("ShopDesk cannot write to {where}.").format(where=target),
            _("Check that the folder is not read-only and that the drive is plugged in."),
        ) from exc
    finally:
        origin.close()
    verify(target)


def copy_backup_out(info: BackupInfo, destination: str | os.PathLike[str]) -> Path:
    """Copy a finished backup file elsewhere (it is closed and verified, so a file copy is safe)."""
    return Path(shutil.copy2(info.path, destination))
