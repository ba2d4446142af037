"""A child process for the crash tests: it works on a shop and says what it has finished, line by line,
until the parent kills it with SIGKILL.

``purchases DB MEMBER``: records purchases forever, printing each id once ``record_purchase`` returned.
``import DB CSV``: imports a large members sheet, printing ``writing`` when the transaction is under way.
"""

from __future__ import annotations

import sys


class _Announce:
    """Progress that prints once the import starts writing, so the parent knows when to kill."""

    def __init__(self) -> None:
        self.said = False

    def step(self, done: int, total: int, message: str = "") -> None:
        if not self.said and done > total // 4:
            print("writing", flush=True)
            self.said = True

    def cancelled(self) -> bool:
        return False


def main(argv: list[str]) -> None:
    from shopdesk.db.database import open_database

    mode, path, arg = argv
    open_database(path)
    if mode == "purchases":
        from shopdesk.services.purchases import PurchaseInput, record_purchase

        while True:
            print(record_purchase(PurchaseInput(member_id=int(arg), amount_fen=10_00)), flush=True)
    else:
        from shopdesk.exchange.member_import import apply_member_import, plan_member_import

        plan = plan_member_import(arg)
        apply_member_import(plan, progress=_Announce())
        print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
