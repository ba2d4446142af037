"""The desktop app: the only package that imports PySide6; widgets call services, never build queries."""

from shopdesk.ui.qt_guard import make_singletons_immortal

make_singletons_immortal()  # before any Qt call: see qt_guard for the PySide6 6.12 / CPython 3.11 bug
