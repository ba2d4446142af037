"""``shopdesk bench``: speed and memory of the core operations against same-run baselines, at shop scale.

Each metric lives in a ``metrics_*`` module and registers itself with ``registry.metric``; ``main`` is
what the CLI's ``bench`` subcommand calls.
"""

from __future__ import annotations

import sys

from shopdesk.i18n import _


def main(args: object) -> int:
    """Run the bench with the CLI's namespace and return the exit code.

    0 even when targets are missed (it measures, it does not judge); 1 when a measurement itself failed
    (its row says ``error``), so a broken metric cannot go unnoticed; 2 for an unknown metric name.
    """
    from shopdesk.bench.runner import BenchUsageError, options_from_args, run

    try:
        options = options_from_args(args)
        results = run(options)
    except BenchUsageError as exc:
        print(_("shopdesk bench: {error}").format(error=exc), file=sys.stderr)
        return 2
    return 1 if any(result.error for result in results) else 0
