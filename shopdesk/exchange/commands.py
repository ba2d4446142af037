"""The ``import`` and ``export`` commands of the ``shopdesk`` CLI (no Qt).

``add_subcommands(commands, common)`` registers them on the CLI's sub-parsers; ``common`` is the parent
parser holding ``--db`` and ``--lang``. Each handler prints what it did in the user's language.
``import`` exits 1 when invalid rows stopped it (nothing was imported), 0 otherwise; errors the user
can act on (a file that is not a spreadsheet, a missing column) are raised as UserError, which the CLI
prints on one line with exit code 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from shopdesk.i18n import _, ngettext

if TYPE_CHECKING:
    from shopdesk.exchange.exporting import ExportResult, MemberScope

MAX_ERRORS_SHOWN = 20


def add_subcommands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``import members|purchases`` and
    ``export members|purchases|points|coupons|followups|template``."""
    importing = commands.add_parser(
        "import",
        parents=[common],
        help=_("import members or purchases from an Excel or CSV file"),
        description=_(
            "Import members or purchases from .xlsx, .xls or .csv (UTF-8 or GBK). The whole file "
            "is checked first; with invalid rows nothing is imported unless --skip-invalid is given."
        ),
    )
    importing.set_defaults(handler=_usage, command_parser=importing)
    kinds = importing.add_subparsers(title=_("what to import"), metavar="members|purchases")

    members = kinds.add_parser(
        "members",
        parents=[common],
        help=_("members (phone, name, birthday, tier, points, tags …)"),
        description=_(
            "Import members. Rows with the same phone are merged; points become an opening balance."
        ),
    )
    _import_options(members)
    members.add_argument(
        "--existing",
        choices=("fill", "overwrite", "skip"),
        default="fill",
        help=_("members the shop has already: fill in their blanks (default), overwrite, or skip them"),
    )
    members.set_defaults(handler=_import_members, command_parser=members)

    purchases = kinds.add_parser(
        "purchases",
        parents=[common],
        help=_("purchases (phone, date, amount, category …)"),
        description=_(
            "Import past sales. They update the members' figures but earn no points; importing the "
            "same file twice records each sale once."
        ),
    )
    _import_options(purchases)
    purchases.add_argument(
        "--create-members",
        action="store_true",
        help=_("create a member for a phone the shop does not know (otherwise that row is invalid)"),
    )
    purchases.set_defaults(handler=_import_purchases, command_parser=purchases)

    exporting = commands.add_parser(
        "export",
        parents=[common],
        help=_("export members, purchases, the points ledger, coupons or follow-ups to Excel or CSV"),
        description=_("Export to .xlsx (styled, with real dates and ¥ amounts) or .csv (UTF-8 for Excel)."),
    )
    exporting.set_defaults(handler=_usage, command_parser=exporting)
    targets = exporting.add_subparsers(
        title=_("what to export"), metavar="members|purchases|points|coupons|followups|template"
    )
    for name, help_text in (
        ("members", _("members with their tier, points, tags and figures")),
        ("purchases", _("every sale, oldest first")),
        ("points", _("the points ledger")),
        ("coupons", _("every coupon issued, with its status and the sale it was used on")),
        ("followups", _("every follow-up task, with its result (--since and --until: the list date)")),
    ):
        target = targets.add_parser(name, parents=[common], help=help_text, description=help_text)
        target.add_argument(
            "-o", "--output", required=True, metavar=_("FILE"), help=_("the file to write: .xlsx or .csv")
        )
        target.add_argument("--tag", metavar=_("TAG"), help=_("only members with this tag"))
        target.add_argument("--segment", metavar=_("NAME"), help=_("only members of this saved segment"))
        target.add_argument("--mask-phones", action="store_true", help=_("write phones as 138****8000"))
        if name == "members":
            target.add_argument(
                "--columns",
                metavar=_("KEY,…"),
                help=_("the columns to write, by key (default: the usual set)"),
            )
            target.add_argument("--include-archived", action="store_true", help=_("archived members too"))
        else:
            target.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help=_("from this day on"))
            target.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help=_("up to this day"))
        target.set_defaults(handler=_export, command_parser=target, what=name)
    template = targets.add_parser(
        "template",
        parents=[common],
        help=_("a blank import template with drop-down lists"),
        description=_(
            "Save a blank import template (members or purchases) with drop-down lists and "
            "an instructions sheet."
        ),
    )
    template.add_argument(
        "-o", "--output", required=True, metavar=_("FILE"), help=_("the .xlsx file to write")
    )
    template.add_argument(
        "--kind",
        choices=("members", "purchases"),
        default="members",
        help=_("members (default) or purchases"),
    )
    template.set_defaults(handler=_template, command_parser=template)


def _import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar=_("FILE"), help=_("the .xlsx, .xls or .csv file"))
    parser.add_argument(
        "--skip-invalid", action="store_true", help=_("import the valid rows and leave out the invalid ones")
    )
    parser.add_argument(
        "--report",
        metavar=_("FILE.xlsx"),
        help=_("save the invalid rows (row, column, reason) to this Excel file"),
    )
    parser.add_argument(
        "--sheet", metavar=_("NAME"), help=_("the sheet to read (default: the first with data)")
    )


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value} is not a date like 2024-05-01").format(value=value)
        ) from None


def _usage(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    parser.print_help(sys.stderr)
    return 2


# -- opening the shop -------------------------------------------------------------------------------------


def _open(args: argparse.Namespace) -> None:
    """Open the shop the command works on; a file that does not exist is an error, not a new shop."""
    from shopdesk import app
    from shopdesk.db.database import describe_target, is_url, open_database
    from shopdesk.errors import UserError

    if getattr(args, "demo", False):
        from shopdesk.cli import ConsoleProgress

        target = app.demo_target(ConsoleProgress())
    else:
        target = app.database_target(getattr(args, "db", None))
    if not is_url(target) or target.startswith("sqlite:///"):
        path = Path(target.removeprefix("sqlite:///")).expanduser()
        if not path.exists():
            raise UserError(
                _(
                    "There is no shop at {path}. Open ShopDesk once to create it, or choose a file with --db."
                ).format(path=describe_target(str(path)))
            )
    open_database(target)


def _progress() -> object:
    from shopdesk.cli import ConsoleProgress

    return ConsoleProgress()


# -- import -----------------------------------------------------------------------------------------------


def _import_members(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    from shopdesk.db.database import close_database
    from shopdesk.exchange.member_import import apply_member_import, plan_member_import

    _open(args)
    try:
        progress = _progress()
        plan = plan_member_import(args.file, sheet=args.sheet, progress=progress)
        plan.check_runnable()
        result = apply_member_import(
            plan, existing=args.existing, skip_invalid=args.skip_invalid, progress=progress
        )
    finally:
        close_database()
    _print_problems(plan, args)
    lines = [
        (_("New members"), result.created),
        (_("Members updated"), result.updated),
        (_("Members already up to date"), result.unchanged),
        (_("Members left as they were (--existing skip)"), result.skipped_existing),
        (_("Rows merged into another row with the same phone"), result.merged),
        (_("Rows rejected"), result.rejected),
        (_("Opening points balances"), result.points_members),
        (_("Tags given"), result.tags_added),
        (_("New staff"), result.staff_created),
    ]
    return _finish(plan, result.applied, result.imported, lines, list(result.warnings), args)


def _import_purchases(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    from shopdesk.db.database import close_database
    from shopdesk.exchange.purchase_import import apply_purchase_import, plan_purchase_import

    _open(args)
    try:
        progress = _progress()
        plan = plan_purchase_import(
            args.file, create_members=args.create_members, sheet=args.sheet, progress=progress
        )
        plan.check_runnable()
        result = apply_purchase_import(plan, skip_invalid=args.skip_invalid, progress=progress)
    finally:
        close_database()
    _print_problems(plan, args)
    lines = [
        (_("Purchases imported"), result.imported),
        (_("Of which refunded"), result.refunded),
        (_("Purchases imported before (not repeated)"), result.already_imported),
        (_("Members created"), result.members_created),
        (_("Members whose figures were updated"), result.members_updated),
        (_("Rows rejected"), result.rejected),
        (_("New staff"), result.staff_created),
        (_("New categories"), result.categories_created),
    ]
    return _finish(plan, result.applied, result.imported, lines, [], args)


def _print_problems(plan: object, args: argparse.Namespace, out: TextIO | None = None) -> None:
    """Each invalid cell (the first few) on stderr, and the report file when asked for."""
    out = out or sys.stderr
    errors = plan.errors  # type: ignore[attr-defined]
    for error in errors[:MAX_ERRORS_SHOWN]:
        print(error.describe(), file=out)
    if len(errors) > MAX_ERRORS_SHOWN:
        more = len(errors) - MAX_ERRORS_SHOWN
        print(
            ngettext("… and {count} more problem.", "… and {count} more problems.", more).format(count=more),
            file=out,
        )
    if args.report and errors:
        from shopdesk.exchange.report import write_report

        write_report(plan, args.report)  # type: ignore[arg-type]
        print(_("The invalid rows were saved to {path}.").format(path=args.report), file=out)
    for note in plan.notes:  # type: ignore[attr-defined]
        print(note, file=out)


def _finish(
    plan: object,
    applied: bool,
    imported: int,
    lines: list[tuple[str, int]],
    warnings: list[str],
    args: argparse.Namespace,
) -> int:
    for warning in warnings:
        print(warning, file=sys.stderr)
    if not applied:
        invalid = plan.invalid_rows  # type: ignore[attr-defined]
        print(
            ngettext(
                "Nothing was imported: {count} row is invalid. Correct it, or run again with --skip-invalid.",
                "Nothing was imported: {count} rows are invalid. Correct them, or run again with "
                "--skip-invalid.",
                invalid,
            ).format(count=invalid)
        )
        return 1
    shown = [
        (_("{label}:").format(label=label), count)
        for label, count in lines
        if count or label in (lines[0][0], _("Rows rejected"))
    ]
    width = max(_width(label) for label, _count in shown)
    for label, count in shown:
        print(label + " " * (width - _width(label) + 1) + f"{count:,}")
    if imported == 0 and plan.invalid_rows and not plan.records:  # type: ignore[attr-defined]
        return 1  # every row was invalid: nothing imported because of them
    return 0


# -- export -----------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _export(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    from shopdesk.db.database import close_database
    from shopdesk.exchange.exporting import MemberScope

    scope = MemberScope(
        tag=args.tag, segment=args.segment, include_archived=getattr(args, "include_archived", False)
    )
    _open(args)
    try:
        progress = _progress()
        if args.what == "members":
            from shopdesk.exchange.member_export import export_members

            columns = (
                [key.strip() for key in args.columns.split(",") if key.strip()] if args.columns else None
            )
            result = export_members(
                args.output, columns=columns, scope=scope, mask_phones=args.mask_phones, progress=progress
            )
        else:
            result = _export_dated(args, scope if (args.tag or args.segment) else None, progress)
    finally:
        close_database()
    print(_exported(args.what, result.rows).format(count=f"{result.rows:,}", path=result.path))
    if result.masked and not args.mask_phones:
        print(_("Phones were masked: only the owner may export whole phone numbers."))
    return 0


def _export_dated(args: argparse.Namespace, scope: MemberScope | None, progress: object) -> ExportResult:
    """Purchases, points, coupons or follow-ups: the exports that take --since and --until and the same
    options otherwise, so one call serves them all (each module is imported only when it is asked for)."""
    if args.what == "purchases":
        from shopdesk.exchange.purchase_export import export_purchases as export
    elif args.what == "coupons":
        from shopdesk.exchange.coupon_export import export_coupons as export
    elif args.what == "followups":
        from shopdesk.exchange.followup_export import export_followups as export
    else:
        from shopdesk.exchange.points_export import export_points as export
    return export(
        args.output,
        scope=scope,
        since=args.since,
        until=args.until,
        mask_phones=args.mask_phones,
        progress=progress,
    )


def _exported(what: str, rows: int) -> str:
    """The line saying how many rows of which kind went to which file (``{count}``, ``{path}`` to fill)."""
    if what == "members":
        return ngettext("Exported {count} member to {path}.", "Exported {count} members to {path}.", rows)
    if what == "purchases":
        return ngettext("Exported {count} purchase to {path}.", "Exported {count} purchases to {path}.", rows)
    if what == "coupons":
        return ngettext("Exported {count} coupon to {path}.", "Exported {count} coupons to {path}.", rows)
    if what == "followups":
        return ngettext(
            "Exported {count} follow-up to {path}.", "Exported {count} follow-ups to {path}.", rows
        )
    return ngettext(
        "Exported {count} points entry to {path}.", "Exported {count} points entries to {path}.", rows
    )


def _template(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    from shopdesk.db.database import close_database
    from shopdesk.exchange.template import write_template

    _open(args)
    try:
        path = write_template(args.output, args.kind)
    finally:
        close_database()
    print(_("Template saved to {path}.").format(path=path))
    return 0
