"""Tag chips: small pastel rounded labels, painted in table cells or laid out as a row of widgets."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QWidget,
)

from shopdesk.i18n import _
from shopdesk.services.tags import TagChip

CHIP_TEXT = QColor("#262626")
AUTO_BORDER = "#D9D9D9"


def border_for(color: str) -> QColor:
    """A slightly darker edge than the pastel fill, so a chip reads as a shape on white rows."""
    return QColor(color).darker(125)


def chip_tooltip(chip: TagChip) -> str:
    if chip.is_auto:
        return _("{name} (automatic tag, kept up to date by ShopDesk)").format(name=chip.name)
    return chip.name


def paint_chips(painter: QPainter, rect: QRect, chips: Sequence[TagChip], metrics: QFontMetrics) -> None:
    """Chips left to right inside ``rect``; those that do not fit are summed up as "+N"."""
    pad_x = max(4, metrics.averageCharWidth() // 2 + 2)
    gap = pad_x
    height = min(rect.height() - 4, metrics.height() + 4)
    top = rect.top() + (rect.height() - height) // 2
    x = rect.left() + gap // 2
    right = rect.right()
    more_width = metrics.horizontalAdvance("+99") + 2 * pad_x
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for position, chip in enumerate(chips):
        width = metrics.horizontalAdvance(chip.name) + 2 * pad_x
        last = position == len(chips) - 1
        if x + width > right - (0 if last else more_width):
            rest = len(chips) - position
            painter.setPen(QColor("#8c8c8c"))
            painter.drawText(
                QRect(x, top, right - x, height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"+{rest}",
            )
            break
        box = QRectF(x + 0.5, top + 0.5, width - 1, height - 1)
        painter.setPen(QColor(AUTO_BORDER) if chip.is_auto else border_for(chip.color))
        painter.setBrush(QColor(chip.color))
        painter.drawRoundedRect(box, height / 2.5, height / 2.5)
        painter.setPen(CHIP_TEXT)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, chip.name)
        x += width + gap
    painter.restore()


class TagChipsDelegate(QStyledItemDelegate):
    """Paints the list of ``TagChip`` the model gives for ``role`` instead of the cell's text."""

    def __init__(self, role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        chips = index.data(self.role) or []
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if chips:
            paint_chips(painter, option.rect.adjusted(2, 1, -2, -1), chips, option.fontMetrics)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), option.fontMetrics.height() + 8))


class ChipLabel(QWidget):
    """One chip as a widget; manual chips may show a × that asks to remove the tag."""

    remove_requested = Signal(int)

    def __init__(self, chip: TagChip, removable: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chip = chip
        self.setObjectName("tagChip")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        border = AUTO_BORDER if chip.is_auto else border_for(chip.color).name()
        self.setStyleSheet(
            f"#tagChip {{ background: {chip.color}; border: 1px solid {border}; border-radius: 9px; }}"
            f" #tagChip QLabel {{ color: {CHIP_TEXT.name()}; background: transparent; }}"
            " #tagChip QToolButton { border: none; background: transparent; padding: 0; }"
        )
        layout = QHBoxLayout(self)
        unit = self.fontMetrics().averageCharWidth()
        layout.setContentsMargins(unit, 1, unit if not removable else unit // 2, 1)
        layout.setSpacing(2)
        self.label = QLabel(chip.name)
        layout.addWidget(self.label)
        self.setToolTip(chip_tooltip(chip))
        self.remove_button: QToolButton | None = None
        if removable and not chip.is_auto:
            self.remove_button = QToolButton()
            self.remove_button.setText("×")
            self.remove_button.setToolTip(_("Remove the tag “{name}”").format(name=chip.name))
            self.remove_button.setCursor(Qt.CursorShape.PointingHandCursor)
            self.remove_button.clicked.connect(lambda: self.remove_requested.emit(chip.id))
            layout.addWidget(self.remove_button)


class FlowChips(QWidget):
    """A wrapping row of chips (the detail panel): automatic chips first, as the service orders them."""

    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, removable: bool = False) -> None:
        super().__init__(parent)
        self.removable = removable
        self._chips: list[ChipLabel] = []
        self._empty = QLabel(self)
        self._empty.setObjectName("fieldHint")
        palette = self._empty.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#8c8c8c"))
        self._empty.setPalette(palette)
        self.placeholder = ""

    def set_chips(self, chips: Sequence[TagChip], on_remove: Callable[[int], None] | None = None) -> None:
        for widget in self._chips:
            widget.deleteLater()
        self._chips = []
        for chip in chips:
            widget = ChipLabel(chip, self.removable, self)
            widget.remove_requested.connect(self.remove_requested)
            widget.show()
            self._chips.append(widget)
        self._empty.setText(self.placeholder)
        self._empty.setVisible(not chips and bool(self.placeholder))
        self._relayout(self.width())
        self.updateGeometry()

    def chip_names(self) -> list[str]:
        return [widget.chip.name for widget in self._chips]

    def chip_widget(self, tag_id: int) -> ChipLabel | None:
        return next((w for w in self._chips if w.chip.id == tag_id), None)

    def _relayout(self, width: int) -> int:
        """Place the chips left to right, wrapping at ``width``; returns the height used."""
        gap = max(4, self.fontMetrics().averageCharWidth() // 2 + 2)
        x = y = line = 0
        if not self._chips:
            hint = self._empty.sizeHint()
            self._empty.setGeometry(0, 0, max(width, hint.width()), hint.height())
            return hint.height() if self._empty.isVisibleTo(self) else 0
        for widget in self._chips:
            size = widget.sizeHint()
            if x > 0 and x + size.width() > width:
                x, y = 0, y + line + gap
                line = 0
            widget.setGeometry(x, y, size.width(), size.height())
            x += size.width() + gap
            line = max(line, size.height())
        return y + line

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._relayout(width)

    def sizeHint(self) -> QSize:
        width = max(self.width(), 200)
        return QSize(width, max(self.heightForWidth(width), self.fontMetrics().height() + 6))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout(event.size().width())
