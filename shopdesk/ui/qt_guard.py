"""Keep ``None``, ``True`` and ``False`` alive under PySide6 builds that hand them out without a reference.

PySide6 6.12.0 on CPython 3.11 returns ``None`` from every void Qt method (``setText``, ``resize`` …) and
``True``/``False`` from ``Signal.emit()``/``disconnect()`` without taking a new reference. That is harmless
on CPython 3.12+, where these objects are immortal, but on 3.11 each call drops their reference count by
one, and after some thousands of calls CPython frees ``None`` and aborts ("Fatal Python error:
none_dealloc"). Reproduced here: 100,000 ``QWidget.setEnabled(True)`` calls abort the process.

``make_singletons_immortal`` does on 3.11 what 3.12 does for every program: it gives the three objects a
reference count that no run can use up (2**40 calls). It must run before Qt is used much, so
``shopdesk/ui/__init__.py`` calls it. Nothing happens on 3.12+ or on interpreters other than CPython.
"""

from __future__ import annotations

import ctypes
import sys

IMMORTAL = 1 << 40


def needs_guard() -> bool:
    """True on CPython before 3.12, where None, True and False can be freed."""
    return sys.implementation.name == "cpython" and sys.version_info < (3, 12)


def make_singletons_immortal() -> None:
    """Raise the reference counts of None, True and False out of reach (CPython < 3.12 only)."""
    if not needs_guard():
        return
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object, and id() is the object's address.
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < IMMORTAL:
            refcount.value += IMMORTAL
