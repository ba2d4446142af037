"""Python's cycle collector paused around an import's bulk work.

Reading and checking 100,000 rows makes a few hundred thousand lists, tuples and dicts, none of them in a
reference cycle. Each allocation burst sets the collector off, and each of its full passes walks every
container still alive (the two million cells of the sheet among them): measured, a third of the time it
takes to check the rows. Plain reference counting still frees everything as before; only the search for
cycles waits until the block ends.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block without cyclic garbage collection (nested or from several threads: the outermost
    block restores the collector as it found it)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
