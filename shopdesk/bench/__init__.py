"""``shopdesk bench``: speed and memory of the core operations against same-run baselines, at shop scale.

Each metric lives in a ``metrics_*`` module and registers itself with ``registry.metric``; ``main`` is
what the CLI's ``bench`` subcommand calls.
"""

from __future__ import annotations

import sys

from shopdesk.i18n import _


def main(args: object) -> int:
    """Run the bench with the CLI's namespace; 0 even when targets are missed (it measures, not tests)."""
    from shopdesk.bench.runner import BenchUsageError, options_from_args, run

    try:
        options = options_from_args(args)
        run(options)
    except BenchUsageError as exc:
        print(_("shopdesk bench: {error}").format(error=exc), file=sys.stderr)
        return 2
    return 0
