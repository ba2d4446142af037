"""The ``shopdesk`` command: opens the app, or runs a command (demo, search, bench) without Qt.

``--db`` and ``--lang`` are accepted before or after the command. An error the user can act on prints one
line in their language and exits 1; a wrong command line exits 2 (argparse's convention).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from shopdesk import __version__, app
from shopdesk.cli_words import translate_argparse
from shopdesk.db.database import close_database, describe_target, is_url, open_database
from shopdesk.errors import ShopDeskError, UserError
from shopdesk.i18n import SUPPORTED, _, ngettext, normalise_language, setup_i18n

DEFAULT_SEARCH_LIMIT = 20
# Features add their commands through ``add_subcommands(subparsers, common_parser)``; each module must be
# cheap to import (heavy libraries are imported inside the command).
FEATURE_COMMANDS = (
    "shopdesk.exchange.commands",
    "shopdesk.reports.commands",
    "shopdesk.reminders_eval.commands",
    "shopdesk.safety_commands",
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    language = setup_i18n(_language_asked(argv))
    translate_argparse()
    parser = build_parser(commands=not _only_opens_the_window(argv))
    try:
        args = parser.parse_args(argv)
        language = setup_i18n(getattr(args, "lang", None) or language)
        return int(args.handler(args, args.command_parser, language) or 0)
    except SystemExit as exit_:  # --help, --version, or a usage error (2)
        return _exit_code(exit_)
    except ShopDeskError as exc:
        print(_("Error: {message}").format(message=_one_line(str(exc))), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("Cancelled."), file=sys.stderr)
        return 130


def _exit_code(exit_: SystemExit) -> int:
    code = exit_.code
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _language_asked(argv: Sequence[str]) -> str | None:
    """The ``--lang`` value wherever it is on the line, so that even ``--help`` comes out in that language.

    A value argparse will reject later is ignored here (the system's language is used for the message).
    """
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is not None:
            try:
                return _language(value)
            except argparse.ArgumentTypeError:
                return None
    return None


def _language(value: str) -> str:
    """``zh_CN`` or ``en``; ``zh``, ``zh-CN``, ``en_US`` and the like are understood too."""
    lowered = value.replace("-", "_").lower()
    if lowered in ("zh", "zh_cn", "zh_hans", "en", "en_us", "en_gb"):
        return normalise_language(value)
    raise argparse.ArgumentTypeError(
        _("unknown language {value}; choose one of: {choices}").format(
            value=value, choices=", ".join(SUPPORTED)
        )
    )


def _count(minimum: int) -> object:
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(value: str) -> int:
        try:
            number = int(value.replace(",", "").replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(_("{value} is not a whole number").format(value=value)) from None
        if number < minimum:
            raise argparse.ArgumentTypeError(
                _("{value} is too small (at least {minimum})").format(value=value, minimum=minimum)
            )
        return number

    return parse


def _only_opens_the_window(argv: Sequence[str]) -> bool:
    """True when ``argv`` holds nothing but the window's own options, spelt out in full and valid: then the
    commands need not be set up (their modules imported, their parsers built) just to open the window.
    Anything else (a command, ``--help``, an abbreviation, a mistake) gets the whole parser and its messages.
    """
    rest = list(argv)
    seen: set[str] = set()
    while rest:
        arg = rest.pop(0)
        name, has_value, value = arg.partition("=")
        if name in ("--demo", "--quit-after-show") and not has_value:
            seen.add(name)
            continue
        if name not in ("--db", "--lang"):
            return False
        if not has_value:
            if not rest or rest[0].startswith("-"):
                return False
            value = rest.pop(0)
        if name == "--lang":
            try:
                _language(value)
            except argparse.ArgumentTypeError:
                return False
        seen.add(name)
    return not {"--demo", "--db"} <= seen  # both together: the usage error comes from the whole parser


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line (help texts are translated, so call after ``setup_i18n``); without
    ``commands`` only the options of the window itself."""
    # The global options live in a parent parser added to the main parser and to every command. Their
    # default is SUPPRESS, so a value given before the command is not overwritten by a default after it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar=_("PATH_OR_URL"), default=argparse.SUPPRESS,
        help=_("the shop database: a file, or postgresql://user@server/name (default: SHOPDESK_DB, "
               "then shop.db in your data folder)"),
    )
    common.add_argument(
        "--lang", type=_language, metavar="zh_CN|en", default=argparse.SUPPRESS,
        help=_("the language of the app and its messages (default: the system's)"),
    )

    parser = argparse.ArgumentParser(
        prog="shopdesk", parents=[common],
        description=_("ShopDesk: members, purchases and follow-ups for a small shop. "
                      "Without a command, opens the app."),
    )
    parser.add_argument("--version", action="version", version=f"ShopDesk {__version__}",
                        help=_("show the version and exit"))
    parser.add_argument("--demo", action="store_true",
                        help=_("use the demo shop, kept apart from your own data (created on first use)"))
    parser.add_argument("--quit-after-show", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(handler=_run_gui, command_parser=parser)
    if commands:
        _add_commands(parser, common)
    return parser


def _add_commands(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    from shopdesk.domain.demo_data import SHOP_PROFILES  # the names only: the demo builder loads on `demo`

    commands = parser.add_subparsers(title=_("commands"), metavar=_("COMMAND"))

    demo = commands.add_parser(
        "demo", parents=[common], help=_("build a believable demo shop in an empty database"),
        description=_("Build a demo shop (Chinese names, phones, birthdays, staff, categories and about 18 "
                      "months of purchases) in an empty database given with --db."),
    )
    demo.add_argument("--members", type=_count(0), default=2_000, metavar="N",
                      help=_("how many members (default: 2000)"))
    demo.add_argument("--purchases", type=_count(0), default=None, metavar="M",
                      help=_("how many purchases (default: ten per member)"))
    demo.add_argument("--seed", type=int, default=1, metavar="S",
                      help=_("the same seed builds the same shop (default: 1)"))
    demo.add_argument("--shop-type", choices=tuple(SHOP_PROFILES), default="cosmetics",
                      help=_("what the shop sells (default: cosmetics)"))
    demo.set_defaults(handler=_demo, command_parser=demo)

    search = commands.add_parser(
        "search", parents=[common], help=_("find members by phone, name or pinyin initials"),
        description=_("Find members: by phone (or its last digits), by name, or by pinyin such as zs or "
                      "zhangsan. The best matches come first."),
    )
    search.add_argument("text", metavar=_("TEXT"), help=_("what to look for"))
    search.add_argument("--limit", type=_count(1), default=DEFAULT_SEARCH_LIMIT, metavar="N",
                        help=_("show at most N members (default: 20)"))
    search.add_argument("--full-phone", action="store_true",
                        help=_("show whole phone numbers instead of 138****8000"))
    search.set_defaults(handler=_search, command_parser=search)

    bench = commands.add_parser(
        "bench", parents=[common], help=_("measure speed and memory against same-run baselines"),
        description=_("Build (or reuse) a demo shop of the given size and measure each operation against "
                      "a baseline doing the least possible work, in the same run."),
    )
    bench.add_argument("--members", type=_count(1), default=100_000, metavar="N",
                       help=_("members in the measured shop (default: 100000)"))
    bench.add_argument("--purchases", type=_count(0), default=None, metavar="M",
                       help=_("purchases in the measured shop (default: ten per member)"))
    bench.add_argument("--only", metavar=_("NAME,…"), default=None,
                       help=_("measure only these metrics (names separated by commas)"))
    bench.add_argument("--json", metavar=_("FILE"), default=None,
                       help=_("also write the results to this JSON file"))
    bench.add_argument("--seed", type=int, default=1, metavar="S",
                       help=_("the demo shop's seed (default: 1)"))
    bench.set_defaults(handler=_bench, command_parser=bench)
    for module_name in FEATURE_COMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if not exc.name or not module_name.startswith(exc.name):
                raise
            continue  # a feature not built yet
        module.add_subcommands(commands, common)


# -- commands ------------------------------------------------------------------------------------------


def _run_gui(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    if args.demo and getattr(args, "db", None):
        parser.error(_("--demo and --db cannot be used together"))
    if args.demo:
        with ConsoleProgress() as progress:
            target = app.demo_target(progress)
    else:
        target = app.database_target(getattr(args, "db", None))
    return app.run_gui(target, language, quit_after_show=args.quit_after_show)


def _demo(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    target = getattr(args, "db", None)
    if args.demo:
        parser.error(_("the demo command builds a shop in the file given with --db; --demo is not needed"))
    if not target:
        parser.error(_("the demo command needs --db PATH_OR_URL (a new file, or an empty database)"))
    from shopdesk.services.demo_shop import build_demo_shop

    with ConsoleProgress() as progress:
        summary = build_demo_shop(
            target, args.members, purchases=args.purchases, seed=args.seed, shop_type=args.shop_type,
            progress=progress,
        )
    print(
        _("Demo shop {name} created in {seconds} s: {members} members, {purchases} purchases, {staff} staff, "
          "{categories} categories, in {target}").format(
            name=summary.shop_name, seconds=f"{summary.seconds:.1f}", members=f"{summary.members:,}",
            purchases=f"{summary.purchases:,}", staff=summary.staff, categories=summary.categories,
            target=summary.target,
        )
    )
    return 0


def _search(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    from shopdesk.domain.money import format_money
    from shopdesk.domain.phones import mask_phone
    from shopdesk.services.member_search import search_member_ids
    from shopdesk.services.members import get_member_rows

    target = _existing_database(args, parser)
    open_database(target)
    try:
        ids = search_member_ids(args.text)
        rows = get_member_rows(ids[: args.limit])
    finally:
        close_database()
    if not ids:
        print(_("No member matches {text}.").format(text=args.text))
        return 0
    table = [[_("Name"), _("Phone"), _("Last purchase"), _("Purchases"), _("Total spent")]]
    for row in rows:
        table.append([
            row.name,
            row.phone if args.full_phone else mask_phone(row.phone),
            row.last_purchase_at.date().isoformat() if row.last_purchase_at else "—",
            str(row.purchase_count),
            format_money(row.total_spent_fen),
        ])
    _print_table(table, right_aligned={3, 4})
    if len(ids) > len(rows):
        more = len(ids) - len(rows)
        message = ngettext("… and {count} more member; use --limit to see more.",
                           "… and {count} more members; use --limit to see more.", more)
        print(message.format(count=f"{more:,}"))
    return 0


def _bench(args: argparse.Namespace, parser: argparse.ArgumentParser, language: str) -> int:
    try:
        bench = importlib.import_module("shopdesk.bench")  # written separately; may be missing for a while
    except ImportError as exc:
        raise ShopDeskError(_("The benchmark is not available ({error}).").format(error=exc)) from exc
    return int(bench.main(args) or 0)


def _existing_database(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    """The database a read-only command works on; a file that does not exist is an error, not a new shop."""
    if args.demo:
        if getattr(args, "db", None):
            parser.error(_("--demo and --db cannot be used together"))
        with ConsoleProgress() as progress:
            return app.demo_target(progress)
    target = app.database_target(getattr(args, "db", None))
    if not is_url(target) or target.startswith("sqlite:///"):
        path = Path(target.removeprefix("sqlite:///")).expanduser()
        if not path.exists():
            raise UserError(
                _("There is no shop at {path}. Open ShopDesk once to create it, or choose a file with --db.")
                .format(path=describe_target(str(path)))
            )
    return target


# -- console output ------------------------------------------------------------------------------------


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _print_table(rows: list[list[str]], right_aligned: set[int], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    widths = [max(_width(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        cells = []
        for column, cell in enumerate(row):
            padding = " " * (widths[column] - _width(cell))
            cells.append(padding + cell if column in right_aligned else cell + padding)
        print("  ".join(cells).rstrip(), file=out)


class ConsoleProgress:
    """Progress on stderr: one updating line on a terminal, a line per tenth when output is redirected.

    Used as a context manager, so that a line left open by an interruption or an error is ended before
    anything else is printed.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self.last_shown = -1
        self.last_message = ""
        self.line_open = False

    def __enter__(self) -> ConsoleProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.line_open:
            self.stream.write("\n")
            self.stream.flush()
            self.line_open = False

    def step(self, done: int, total: int, message: str = "") -> None:
        percent = 100 * done // total if total else 100
        shown = percent if self.interactive else percent // 10 * 10
        new_stage = message != self.last_message
        if shown == self.last_shown and not new_stage:
            return
        self.last_shown, self.last_message = shown, message
        line = _("{message} {percent}%").format(message=message, percent=percent)
        if self.interactive:
            if self.line_open and new_stage:
                self.stream.write("\n")  # a new stage starts on a line of its own
            self.stream.write("\r" + line + " " * 4)
            self.line_open = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def cancelled(self) -> bool:
        return False
