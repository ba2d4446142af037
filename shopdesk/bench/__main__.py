"""``python -m shopdesk.bench``: the bench alone (the options of ``shopdesk bench``)."""

from __future__ import annotations

import argparse
import sys

from shopdesk.bench import main
from shopdesk.i18n import _


def build_parser() -> argparse.ArgumentParser:
    """The options of ``shopdesk bench``."""
    parser = argparse.ArgumentParser(
        prog="python -m shopdesk.bench", description=_("Measure ShopDesk's speed.")
    )
    parser.add_argument("--members", type=int, default=100_000, help=_("members in the demo shop"))
    parser.add_argument("--purchases", type=int, default=None, help=_("purchases (default: ten per member)"))
    parser.add_argument("--only", default=None, help=_("comma-separated metric names"))
    parser.add_argument("--json", default=None, help=_("write the results to this JSON file"))
    parser.add_argument("--seed", type=int, default=1, help=_("seed of the demo shop and the queries"))
    return parser


if __name__ == "__main__":
    sys.exit(main(build_parser().parse_args()))
