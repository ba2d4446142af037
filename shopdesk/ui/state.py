"""Remembered UI state (window geometry, splitters, column widths), kept apart from shop settings.

Shop settings live in the database and are shared by every counter; this is one PC's layout, kept with
QSettings under ("ShopDesk", "ShopDesk"). It uses ``QSettings.defaultFormat()``: the registry on Windows,
and tests switch it to INI files under a temporary folder with ``QSettings.setPath``.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

ORGANIZATION = "ShopDesk"
APPLICATION = "ShopDesk"


def ui_settings() -> QSettings:
    """The store of this PC's UI state."""
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def _load(key: str) -> QByteArray | None:
    value = ui_settings().value(key)
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, (bytes, bytearray)) and value:
        return QByteArray(bytes(value))
    return None


def save_geometry(key: str, widget: QWidget) -> None:
    ui_settings().setValue(key, widget.saveGeometry())


def restore_geometry(key: str, widget: QWidget) -> bool:
    """Restore a window's size and place; False when there was nothing (the caller picks a default)."""
    state = _load(key)
    return state is not None and widget.restoreGeometry(state)


def save_splitter(key: str, splitter: QSplitter) -> None:
    ui_settings().setValue(key, splitter.saveState())


def restore_splitter(key: str, splitter: QSplitter) -> bool:
    state = _load(key)
    return state is not None and splitter.restoreState(state)


def save_header(key: str, header: QHeaderView) -> None:
    ui_settings().setValue(key, header.saveState())


def restore_header(key: str, header: QHeaderView) -> bool:
    """Restore column widths and order (the sort indicator is left to the model's own order)."""
    state = _load(key)
    return state is not None and header.restoreState(state)
