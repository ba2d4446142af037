"""The ``backup``, ``restore`` and ``check`` subcommands: the shop's data safety from the command line.

Cheap to import (the CLI loads it for every command); the services load inside the handlers.
"""

from __future__ import annotations

import argparse

from shopdesk.i18n import _, ngettext


def add_subcommands(subparsers: argparse._SubParsersAction, parent_parser: argparse.ArgumentParser) -> None:
    """Register ``backup``, ``restore`` and ``check``; ``parent_parser`` brings --db and --lang."""
    backup = subparsers.add_parser(
        "backup",
        parents=[parent_parser],
        help=_("back the shop up (SQLite; use pg_dump for a PostgreSQL server)"),
        description=_(
            "Back the shop up with SQLite's online backup (safe while the app is open) and verify the copy. "
            "Without -o the backup goes to the backup folder chosen in the app, and old automatic backups "
            "are thinned."
        ),
    )
    backup.add_argument(
        "-o", "--output", default=None, metavar=_("FILE"), help=_("where to write the backup")
    )
    backup.set_defaults(handler=_backup, command_parser=backup)

    restore = subparsers.add_parser(
        "restore",
        parents=[parent_parser],
        help=_("replace the shop with a backup (the current shop is backed up first)"),
        description=_(
            "Check that the backup is sound, back the current shop up, then replace it with the backup. "
            "Close the app first."
        ),
    )
    restore.add_argument("backup_file", metavar=_("FILE"), help=_("the backup to restore"))
    restore.set_defaults(handler=_restore, command_parser=restore)

    check = subparsers.add_parser(
        "check",
        parents=[parent_parser],
        help=_("check cached figures, points balances and coupons against their sources"),
        description=_(
            "Compare every member's cached figures with their purchases, points balances with the ledger and "
            "used coupons with the sales; with --repair, recompute what differs."
        ),
    )
    check.add_argument("--repair", action="store_true", help=_("recompute what differs"))
    check.set_defaults(handler=_check, command_parser=check)


def _open(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    from shopdesk.cli import _existing_database
    from shopdesk.services.shop import open_shop

    open_shop(_existing_database(args, parser))


def _backup(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    from shopdesk.db.database import close_database
    from shopdesk.services.backup import create_backup

    _open(args, parser)
    try:
        info = create_backup("manual", args.output)
    finally:
        close_database()
    print(_("Backup written and verified: {path}").format(path=info.path))
    return 0


def _restore(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    from shopdesk.db.database import close_database
    from shopdesk.services.backup import restore_backup

    _open(args, parser)
    try:
        safety = restore_backup(args.backup_file)
    finally:
        close_database()
    print(
        _("Restored {backup}. The shop as it was before is kept in {safety}.").format(
            backup=args.backup_file, safety=safety.path
        )
    )
    return 0


def _check(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    from shopdesk.db.database import close_database
    from shopdesk.services.data_check import check_data, repair_data

    _open(args, parser)
    try:
        report = repair_data() if args.repair else check_data()
    finally:
        close_database()
    for finding in report.findings[:50]:
        print(f"{finding.kind}\t{finding.member_id or ''}\t{finding.detail}")
    if len(report.findings) > 50:
        more = len(report.findings) - 50
        print(ngettext("… and {count} more.", "… and {count} more.", more).format(count=more))
    print(report.summary())
    return 0 if report.ok else 1
