"""Icons from ``resources/icons`` (SVG, so they stay sharp at any scaling), loaded once each."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap

from shopdesk.resources import resource_path


@cache
def icon(name: str, active: str | None = None) -> QIcon:
    """The icon ``name``; ``active`` names a variant shown while selected (sidebar entries)."""
    result = QIcon(str(resource_path("icons", f"{name}.svg")))
    if active:
        for mode in (QIcon.Mode.Selected, QIcon.Mode.Active):
            result.addFile(str(resource_path("icons", f"{active}.svg")), QSize(), mode, QIcon.State.Off)
    return result


def pixmap(name: str, size: QSize, device_pixel_ratio: float = 1.0) -> QPixmap:
    """An illustration rendered at ``size`` (logical pixels) for the screen's pixel ratio."""
    return icon(name).pixmap(size, device_pixel_ratio)
