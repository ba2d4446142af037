"""The ``reminders`` and ``reminders-eval`` subcommands of the ``shopdesk`` command line.

Cheap to import (the CLI loads it for every command): the services, xlsxwriter, numpy and scipy are
imported inside the handlers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from shopdesk.domain.lifecycle import SHOP_TYPE_PRESETS
from shopdesk.errors import UserError
from shopdesk.i18n import _, ngettext

DEFAULT_HORIZON = 30
# The generated shops of the README are built as if "today" were this day, so they never change.
GENERATED_TODAY = dt.date(2026, 11, 1)
GENERATED_MEMBERS = 2_000


def _date(value: str) -> dt.date:
    """An argparse type: a date written 2026-03-09."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value} is not a date; write it like 2026-03-09").format(value=value)
        ) from None


def _positive(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a whole number").format(value=value)) from None
    if number < 1:
        message = _("{value} is too small (at least {minimum})")
        raise argparse.ArgumentTypeError(message.format(value=value, minimum=1))
    return number


def add_subcommands(subparsers: argparse._SubParsersAction, parent_parser: argparse.ArgumentParser) -> None:
    """Register ``reminders`` and ``reminders-eval``; ``parent_parser`` brings the global --db and --lang."""
    reminders = subparsers.add_parser(
        "reminders", parents=[parent_parser], help=_("list members expected to buy again soon, best first"),
        description=_("List the members expected to buy in [DATE, DATE + DAYS), ranked by how likely they "
                      "are to buy, with phone, name, expected date, score and the reason, to a CSV or Excel "
                      "file."),
    )
    reminders.add_argument("--date", type=_date, default=None, metavar=_("DATE"),
                           help=_("the first day of the period (default: today)"))
    reminders.add_argument("--horizon", type=_positive, default=DEFAULT_HORIZON, metavar=_("DAYS"),
                           help=_("how many days the period lasts (default: 30)"))
    reminders.add_argument("--limit", type=_positive, default=None, metavar="K",
                           help=_("list at most K members (default: all who are due)"))
    reminders.add_argument("-o", "--output", required=True, metavar=_("FILE"),
                           help=_("the file to write: .csv or .xlsx"))
    reminders.set_defaults(handler=_reminders, command_parser=reminders)

    evaluation = subparsers.add_parser(
        "reminders-eval", parents=[parent_parser],
        help=_("measure the repurchase ranking on a purchases sheet (for developers)"),
        description=_("Import the purchases before the cut-off into a temporary shop, rank its members, and "
                      "report precision and recall at 100, 500 and 1000 of those who really bought in the "
                      "horizon, beside two baselines and a BG/NBD model (which needs scipy)."),
    )
    source = evaluation.add_mutually_exclusive_group(required=True)
    source.add_argument("--purchases", metavar=_("FILE"),
                        help=_("a CSV or Excel sheet of purchases: phone or member id, date, amount, "
                               "optional category"))
    source.add_argument("--export-purchases", metavar=_("FILE"),
                        help=_("write the purchases of the shop given with --db to a CSV sheet, and stop"))
    source.add_argument("--generated", metavar=_("FOLDER"),
                        help=_("build the two generated shops of the README in FOLDER and evaluate both"))
    evaluation.add_argument("--cutoff", type=_date, default=None, metavar=_("DATE"),
                            help=_("the first day not shown to the rankings (default: the horizon ends "
                                   "on the last day of the sheet)"))
    evaluation.add_argument("--horizon", type=_positive, default=DEFAULT_HORIZON, metavar=_("DAYS"),
                            help=_("how many days from the cut-off count as buying again (default: 30)"))
    evaluation.add_argument("--shop-type", default=None, choices=tuple(SHOP_TYPE_PRESETS),
                            help=_("the shop type, for members who bought once while the shop has few "
                                   "regulars"))
    evaluation.add_argument("--members", type=_positive, default=GENERATED_MEMBERS, metavar="N",
                            help=_("members of each generated shop (default: 2000)"))
    evaluation.add_argument("--no-bgnbd", action="store_true",
                            help=_("skip the BG/NBD model (when scipy is not installed)"))
    evaluation.set_defaults(handler=_reminders_eval, command_parser=evaluation)


# -- reminders -----------------------------------------------------------------------------------------


def _shop_target(args: argparse.Namespace) -> str:
    """The existing shop database of ``--db`` (or the default one); a missing file is an error."""
    from shopdesk import app
    from shopdesk.db.database import describe_target, is_url

    target = app.database_target(getattr(args, "db", None))
    if not is_url(target) or target.startswith("sqlite:///"):
        path = Path(target.removeprefix("sqlite:///")).expanduser()
        if not path.exists():
            raise UserError(
                _("There is no shop at {path}. Open ShopDesk once to create it, or choose a file with --db.")
                .format(path=describe_target(str(path)))
            )
    return target


def _output_kind(output: str, parser: argparse.ArgumentParser) -> str:
    suffix = Path(output).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        parser.error(_("the output file should end in .csv or .xlsx"))
    return suffix


def _reminders(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    from shopdesk.db.database import close_database, open_database
    from shopdesk.reminders_eval.listing import write_reminders
    from shopdesk.services.reminders import rank_reminders

    kind = _output_kind(args.output, parser)
    day = args.date or dt.date.today()
    open_database(_shop_target(args))
    try:
        reminders = rank_reminders(day, args.horizon, args.limit)
        write_reminders(reminders, args.output, kind, day, args.horizon)
    finally:
        close_database()
    message = ngettext(
        "{count} member expected to buy from {date} in the next {days} days, written to {path}",
        "{count} members expected to buy from {date} in the next {days} days, written to {path}",
        len(reminders),
    )
    count = f"{len(reminders):,}"
    print(message.format(count=count, date=day.isoformat(), days=args.horizon, path=args.output))
    return 0


# -- reminders-eval ------------------------------------------------------------------------------------


def _reminders_eval(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    if args.export_purchases:
        from shopdesk.reminders_eval.export import export_purchases

        count = export_purchases(_shop_target(args), args.export_purchases)
        print(_("{count} purchases written to {path}").format(count=f"{count:,}", path=args.export_purchases))
        return 0
    if not args.no_bgnbd:
        _require_scipy()
    if args.generated:
        return _evaluate_generated(args)
    from shopdesk.reminders_eval.sheet import read_purchases

    sheet = read_purchases(args.purchases)
    if not sheet.records:
        raise UserError(_("The sheet {path} has no purchases that can be read.").format(path=args.purchases))
    cutoff = args.cutoff or _default_cutoff(sheet.records, args.horizon)
    _print_evaluation(sheet.records, cutoff, args, title=Path(args.purchases).name, skipped=sheet.skipped)
    return 0


def _require_scipy() -> None:
    try:
        import scipy  # noqa: F401 - only checking that it is there
    except ImportError:
        raise UserError(
            _("The BG/NBD comparison needs scipy (pip install scipy), or run with --no-bgnbd.")
        ) from None


def _default_cutoff(records: list, horizon: int) -> dt.date:
    """The latest cut-off whose whole horizon lies within the sheet."""
    last = max(record.when.date() for record in records)
    return last + dt.timedelta(days=1 - horizon)


def _print_evaluation(
    records: list, cutoff: dt.date, args: argparse.Namespace, title: str, skipped: int = 0
) -> None:
    from shopdesk.reminders_eval.evaluate import evaluate, gains_text, markdown_table, summary_line

    evaluation = evaluate(
        records, cutoff, args.horizon, shop_type=args.shop_type, with_bgnbd=not args.no_bgnbd
    )
    if skipped:
        message = ngettext("{count} row was skipped (no customer, date or amount).",
                           "{count} rows were skipped (no customer, date or amount).", skipped)
        print(message.format(count=f"{skipped:,}"), file=sys.stderr)
    print(markdown_table(evaluation, title))
    print()
    print(summary_line(evaluation))
    print(gains_text(evaluation))
    print()


def _evaluate_generated(args: argparse.Namespace) -> int:
    """The README's numbers: each generated shop, with its categories and with dates and amounts only."""
    from dataclasses import replace

    from shopdesk.reminders_eval.export import EVAL_SHOPS, generate_eval_shop
    from shopdesk.reminders_eval.sheet import read_purchases

    cutoff = args.cutoff or GENERATED_TODAY - dt.timedelta(days=args.horizon)
    for shop in EVAL_SHOPS:
        path = generate_eval_shop(args.generated, shop, args.members, GENERATED_TODAY)
        records = read_purchases(path).records
        title = _("{shop}: {members} members, about {per} purchases each").format(
            shop=shop.name, members=f"{args.members:,}", per=shop.purchases_per_member
        )
        shop_args = argparse.Namespace(**{**vars(args), "shop_type": args.shop_type or shop.shop_type})
        _print_evaluation(records, cutoff, shop_args, title)
        bare = [replace(record, categories=()) for record in records]
        _print_evaluation(bare, cutoff, shop_args, _("{title}, dates and amounts only").format(title=title))
    return 0
