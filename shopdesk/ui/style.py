"""The look: system CJK fonts at the system's size, one accent colour, rows tall enough to click.

Sizes come from the font's metrics, never from fixed pixels, so 125 % and 150 % scaling stay crisp.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from shopdesk.resources import resource_path

ACCENT = "#1677FF"
FONT_FAMILIES = (
    ["Microsoft YaHei UI", "Microsoft YaHei", "Segoe UI"]
    if sys.platform == "win32"
    else ["PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Source Han Sans SC"]
)
STYLESHEET = "light.qss"


def apply_style(app: QApplication) -> None:
    """Fusion with a light palette, the CJK font family at the system's point size, and our stylesheet."""
    app.setStyle("Fusion")
    font = QFont(app.font())
    font.setFamilies([*FONT_FAMILIES, *font.families()])
    app.setFont(font)
    palette = app.style().standardPalette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    app.setPalette(palette)
    path = resource_path("styles", STYLESHEET)
    if path.is_file():
        icons = resource_path("icons").as_posix()  # QSS urls cannot be relative to the resources folder
        app.setStyleSheet(path.read_text(encoding="utf-8").replace("@icons@", icons))


def char_width(widget: QWidget) -> int:
    """The width of a digit: the unit for column and field widths.

    Not ``averageCharWidth()``: CJK fonts report the width of a full-width character there, which made
    every column twice as wide as its digits and dates need.
    """
    return max(1, QFontMetrics(widget.font()).horizontalAdvance("0"))


def row_height(widget: QWidget) -> int:
    """A table row tall enough to click: about 28 px at 100 % scaling, growing with the font."""
    return max(24, round(QFontMetrics(widget.font()).height() * 1.65))


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> QFont:
    """The widget's font scaled by ``factor`` (titles, big figures) without fixing a pixel size."""
    font = QFont(widget.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:
        font.setPixelSize(max(1, round(font.pixelSize() * factor)))
    font.setBold(bold)
    return font
