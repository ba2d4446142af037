"""The ``followups`` subcommand: build the day's follow-up list and write it to PDF, Excel or CSV.

Made for a scheduled morning print (``shopdesk followups -o today.pdf`` from the task scheduler). Cheap to
import: the CLI loads it for every command, so the services and reportlab load inside the handler.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from shopdesk.i18n import _, ngettext

OUTPUT_SUFFIXES = (".pdf", ".xlsx", ".csv")


def _date(value: str) -> dt.date:
    """An argparse type: a date written 2026-03-09."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value} is not a date; write it like 2026-03-09").format(value=value)
        ) from None


def add_subcommands(subparsers: argparse._SubParsersAction, parent_parser: argparse.ArgumentParser) -> None:
    """Register ``followups``; ``parent_parser`` brings the global --db and --lang."""
    followups = subparsers.add_parser(
        "followups",
        parents=[parent_parser],
        help=_("write the day's follow-up list to PDF, Excel or CSV"),
        description=_(
            "Build the day's follow-up list (who to contact and why), as the app does when it "
            "opens, and write it to a file: a PDF to print on A4 with a tick box per contact, "
            "or an Excel or CSV sheet. Phones are shown as 138****8000 unless --full-phones "
            "is given."
        ),
    )
    followups.add_argument(
        "--date", type=_date, default=None, metavar=_("DATE"), help=_("the day of the list (default: today)")
    )
    followups.add_argument(
        "-o", "--output", required=True, metavar=_("FILE"), help=_("the file to write: .pdf, .xlsx or .csv")
    )
    followups.add_argument(
        "--full-phones", action="store_true", help=_("show whole phone numbers instead of 138****8000")
    )
    followups.set_defaults(handler=_followups, command_parser=followups)


def _followups(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    from shopdesk.cli import _existing_database
    from shopdesk.db.database import close_database, open_database
    from shopdesk.reports.followup_sheet import build_sheet
    from shopdesk.services.followups import build_list, todays_tasks
    from shopdesk.services.settings import shop_name

    suffix = Path(args.output).suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        parser.error(_("the output file should end in .pdf, .xlsx or .csv"))
    day = args.date or dt.date.today()
    open_database(_existing_database(args, parser))
    try:
        build_list(day)
        tasks = todays_tasks(day, include_done=False)
        sheet = build_sheet(tasks, shop_name=shop_name(), day=day, full_phones=args.full_phones)
    finally:
        close_database()
    if suffix == ".pdf":
        sheet.to_pdf(args.output)
    else:
        sheet.write_table(args.output)
    message = ngettext(
        "{count} contact on the follow-up list for {date}, written to {path}",
        "{count} contacts on the follow-up list for {date}, written to {path}",
        sheet.count,
    )
    print(message.format(count=f"{sheet.count:,}", date=day.isoformat(), path=args.output))
    return 0
