"""PySide6 6.12 on CPython 3.11 hands out None/True/False without a reference; the guard keeps them alive."""

from __future__ import annotations

import subprocess
import sys

from shopdesk.ui.qt_guard import IMMORTAL, needs_guard

STRESS = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import shopdesk.ui  # applies the guard
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

class Relay(QObject):
    fired = Signal()

app = QApplication([])
widget, relay = QWidget(), Relay()
for _ in range(200_000):  # each call drops a reference to None or True on an unguarded 3.11
    widget.setEnabled(True)
    relay.fired.emit()
print("alive")
"""


def test_a_long_session_of_qt_calls_does_not_free_none_or_true():
    result = subprocess.run([sys.executable, "-c", STRESS], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "alive"


def test_the_singletons_are_out_of_reach_where_they_can_be_freed():
    if needs_guard():
        assert min(sys.getrefcount(obj) for obj in (None, True, False)) > IMMORTAL // 2
    else:
        assert sys.version_info >= (3, 12) or sys.implementation.name != "cpython"
