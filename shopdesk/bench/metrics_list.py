"""The members table at shop scale: the real Qt model against the one SQL query a hand-written list would run.

``list_first_page`` builds ``ui.models.member_table.MemberTableModel`` sorted by last purchase and asks it
for every cell of its first 100 rows (what a view paints first); the baseline reads those 100 rows with
``… ORDER BY last_purchase_at DESC LIMIT 100``. ``list_scroll_end`` then jumps to the last 100 rows; the
baseline is the same query with ``OFFSET``. Qt is imported here only (a ``QCoreApplication`` is enough:
the model is QtCore), so the other metrics run without it.
"""

from __future__ import annotations

from shopdesk.bench.context import BenchContext
from shopdesk.bench.registry import Measurement, metric
from shopdesk.bench.timing import median, timed

SCREEN_ROWS = 100
REPEATS = 15
QUICK_REPEATS = 3

ROWS_SQL = """
SELECT m.id, m.name, m.phone, m.gender, m.birth_year, m.birth_month, m.birth_day, m.source, s.name,
       m.purchase_count, m.total_spent_fen, m.last_purchase_at, m.created_at, m.archived_at
FROM member AS m LEFT JOIN staff AS s ON s.id = m.staff_id
WHERE m.archived_at IS NULL
ORDER BY m.last_purchase_at DESC NULLS LAST, m.id DESC
LIMIT ? OFFSET ?
"""


def _qt_core() -> None:
    from shopdesk.ui.bench_support import ensure_qt_core

    ensure_qt_core()


def _paint(model: object, first: int, last: int) -> int:
    from shopdesk.ui.bench_support import paint_rows

    return paint_rows(model, first, last)


def _baseline_rows(limit: int, offset: int) -> list[tuple]:
    from shopdesk.db.database import current_database

    connection = current_database().connection()
    return connection.execute(ROWS_SQL, (limit, offset)).fetchall()


def _new_model() -> object:
    _qt_core()
    from shopdesk.ui.models.member_table import MemberTableModel

    return MemberTableModel()


@metric("list_first_page", unit="ms", max_value=50, order=20, needs_qt=True)
def list_first_page(context: BenchContext) -> Measurement:
    """From nothing to the model's first screen, sorted by last purchase, newest first."""

    def first_screen() -> object:
        model = _new_model()
        model.reload()  # type: ignore[attr-defined]
        _paint(model, 0, min(SCREEN_ROWS, model.rowCount()) - 1)  # type: ignore[attr-defined]
        return model

    first_screen()
    _baseline_rows(SCREEN_ROWS, 0)
    model_times, baseline_times = [], []
    for _ in range(context.repeat(REPEATS, QUICK_REPEATS)):
        model_times.append(timed(first_screen)[0])
        baseline_times.append(timed(lambda: _baseline_rows(SCREEN_ROWS, 0))[0])
    model = first_screen()
    expected = [row[0] for row in _baseline_rows(SCREEN_ROWS, 0)]
    shown = [model.member_id(row) for row in range(len(expected))]  # type: ignore[attr-defined]
    if shown != expected:
        raise AssertionError("the model's first rows are not the members with the newest purchases")
    return Measurement(
        value=median(model_times) * 1000,
        baseline=median(baseline_times) * 1000,
        notes=[f"{model.rowCount():,} ids listed, {SCREEN_ROWS} rows x all columns read"],  # type: ignore[attr-defined]
    )


@metric("list_scroll_end", unit="ms", max_ratio=2, order=21, needs_qt=True)
def list_scroll_end(context: BenchContext) -> Measurement:
    """Jump from the first screen to the last one (the scroll bar dragged to the bottom)."""
    model = _new_model()
    model.reload()  # type: ignore[attr-defined]
    total = model.rowCount()  # type: ignore[attr-defined]
    first_last = max(0, total - SCREEN_ROWS)

    def jump() -> None:
        _paint(model, first_last, total - 1)

    model_times, baseline_times = [], []
    for _ in range(context.repeat(REPEATS, QUICK_REPEATS) + 1):
        model.invalidate_rows()  # type: ignore[attr-defined]
        _paint(model, 0, min(SCREEN_ROWS, total) - 1)
        model_times.append(timed(jump)[0])
        baseline_times.append(timed(lambda: _baseline_rows(SCREEN_ROWS, first_last))[0])
    expected = [row[0] for row in _baseline_rows(SCREEN_ROWS, first_last)]
    shown = [model.member_id(row) for row in range(first_last, total)]  # type: ignore[attr-defined]
    if shown != expected:
        raise AssertionError("the model's last rows differ from the query's")
    return Measurement(
        value=median(model_times[1:]) * 1000,
        baseline=median(baseline_times[1:]) * 1000,
        notes=[f"rows {first_last + 1:,}-{total:,} read after the first screen"],
    )
