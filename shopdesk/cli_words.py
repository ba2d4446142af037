"""argparse's own words (usage, options, its error messages) in the user's language.

argparse looks its words up with ``gettext.gettext`` in the process-wide domain, which the app does not
use; pointing its module-level ``_`` at the app's catalogue makes ``shopdesk --help`` and a mistyped
command read in one language. The strings are listed here so that extraction keeps them in the catalogue.
"""

from __future__ import annotations

import argparse

from shopdesk.i18n import N_, _

ARGPARSE_WORDS = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("can't open '%(filename)s': %(error)s"),
)


def translate_argparse() -> None:
    """Make argparse say its words through the app's catalogue (call once, before parsing)."""
    argparse._ = _  # type: ignore[attr-defined]
