"""The Members page's filter panel: conditions that build a ``SegmentFilter``, its live count, saving.

Every change restarts a short timer; when it fires the panel emits ``filter_changed`` (the page re-runs
its query on the DB lane) and counts the matching members on the DB lane too, so typing a range never
waits for the database. A saved segment can be loaded into the panel and the panel saved as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from shopdesk.domain.lifecycle import Lifecycle, lifecycle_label
from shopdesk.domain.members import SOURCE_LABELS
from shopdesk.domain.rfm import RfmSegment, segment_label
from shopdesk.i18n import _, ngettext
from shopdesk.resources import resource_path
from shopdesk.services.catalog import list_staff
from shopdesk.services.segments import SavedSegment, SegmentFilter, count_segment, list_segments, save_segment
from shopdesk.services.tags import list_tags
from shopdesk.services.tiers import list_tiers
from shopdesk.ui.errors import report_error
from shopdesk.ui.events import TAGS
from shopdesk.ui.formatting import format_count
from shopdesk.ui.tasks import BaseTaskRunner


def _pick_style() -> str:
    """Drawn like the theme's combo boxes (white, grey edge, chevron on the right), text on the left."""
    chevron = resource_path("icons", "chevron-down.svg").as_posix()
    return (
        "QPushButton#multiPick { text-align: left; padding: 4px 24px 4px 6px; border: 1px solid #d9d9d9;"
        " border-radius: 6px; background: #ffffff; color: #262626; font-weight: normal; }"
        " QPushButton#multiPick:hover, QPushButton#multiPick:focus { border-color: #1677FF; }"
        f" QPushButton#multiPick::menu-indicator {{ image: url({chevron}); width: 12px; height: 12px;"
        " subcontrol-origin: padding; subcontrol-position: center right; right: 6px; }"
    )


class MultiPick(QPushButton):
    """A drop-down of checkable choices; shows what is chosen ("Any" when nothing is)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("multiPick")
        self.setStyleSheet(_pick_style())
        self.setMenu(QMenu(self))
        self._items: list[tuple[Any, str]] = []
        self._chosen: list[Any] = []
        self._show()

    def set_items(self, items: Iterable[tuple[Any, str]]) -> None:
        """Offer ``items`` (value, label); chosen values that are no longer offered are dropped."""
        self._items = list(items)
        values = [value for value, _label in self._items]
        self._chosen = [value for value in self._chosen if value in values]
        menu = self.menu()
        menu.clear()
        for value, label in self._items:
            action = QAction(label, menu, checkable=True)
            action.setChecked(value in self._chosen)
            action.toggled.connect(lambda on, v=value: self._toggle(v, on))
            menu.addAction(action)
        if not self._items:
            empty = menu.addAction(_("Nothing to choose yet"))
            empty.setEnabled(False)
        self._show()

    def values(self) -> tuple[Any, ...]:
        return tuple(self._chosen)

    def set_values(self, values: Iterable[Any]) -> None:
        offered = [value for value, _label in self._items]
        self._chosen = [value for value in values if value in offered]
        for action, (value, _label) in zip(self.menu().actions(), self._items, strict=False):
            action.blockSignals(True)
            action.setChecked(value in self._chosen)
            action.blockSignals(False)
        self._show()

    def _toggle(self, value: Any, on: bool) -> None:
        if on and value not in self._chosen:
            self._chosen.append(value)
        elif not on and value in self._chosen:
            self._chosen.remove(value)
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        labels = dict(self._items)
        names = [labels.get(value, "") for value in self._chosen]
        if not names:
            self.setText(_("Any"))
        elif len(names) <= 2:
            self.setText(", ".join(names))
        else:
            self.setText(_("{first} and {n} more").format(first=names[0], n=len(names) - 1))
        self.setToolTip("\n".join(names))


class RangeEdit(QWidget):
    """Two spin boxes "from … to …"; the lowest value means "no bound" and shows as "Any"."""

    changed = Signal()

    def __init__(self, maximum: int, parent: QWidget | None = None, *, prefix: str = "") -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.low, self.high = QSpinBox(), QSpinBox()
        for box in (self.low, self.high):
            box.setSizePolicy(QSizePolicy.Policy.Ignored, box.sizePolicy().verticalPolicy())
            box.setMinimumWidth(self.fontMetrics().averageCharWidth() * 4)
            box.setRange(-1, maximum)
            box.setValue(-1)
            box.setSpecialValueText(_("Any"))
            box.setPrefix(prefix)
            box.setAlignment(Qt.AlignmentFlag.AlignRight)
            box.setAccelerated(True)
            box.valueChanged.connect(lambda _value: self.changed.emit())
        layout.addWidget(self.low, 1)
        layout.addWidget(QLabel("–"))
        layout.addWidget(self.high, 1)

    def bounds(self) -> tuple[int | None, int | None]:
        low, high = self.low.value(), self.high.value()
        return (None if low < 0 else low, None if high < 0 else high)

    def set_bounds(self, low: int | None, high: int | None) -> None:
        for box, value in ((self.low, low), (self.high, high)):
            box.blockSignals(True)
            box.setValue(-1 if value is None else value)
            box.blockSignals(False)


def _fen(yuan: int | None) -> int | None:
    return None if yuan is None else yuan * 100


def _yuan(fen: int | None) -> int | None:
    return None if fen is None else fen // 100


class FilterPanel(QFrame):
    """The conditions of issue 6's saved filters, laid out in a compact grid above the members table."""

    DEBOUNCE_MS = 250

    filter_changed = Signal(object)  # SegmentFilter (possibly empty)
    counted = Signal(int)

    def __init__(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setObjectName("filterPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        unit = self.fontMetrics().height()
        grid = QGridLayout(self)
        grid.setContentsMargins(unit, round(unit * 0.6), unit, round(unit * 0.6))
        grid.setHorizontalSpacing(round(unit * 0.6))
        grid.setVerticalSpacing(round(unit * 0.4))

        self.saved = QComboBox()
        self.saved.setObjectName("savedSegments")
        self.saved.setToolTip(_("Load the conditions of a saved segment"))
        self.saved.activated.connect(self._load_saved)
        self.tags_any, self.tags_all, self.tags_none = MultiPick(), MultiPick(), MultiPick()
        self.tiers, self.lifecycles, self.rfm, self.sources, self.staff = (MultiPick() for _i in range(5))
        self.months = MultiPick()
        self.spent = RangeEdit(9_999_999, prefix="¥")
        self.visits = RangeEdit(99_999)
        self.points = RangeEdit(99_999_999)
        self.days_since = RangeEdit(9_999)
        self.coupon = QComboBox()
        self.coupon.addItem(_("Any"), None)
        self.coupon.addItem(_("Has an unused coupon"), True)
        self.coupon.addItem(_("Has no unused coupon"), False)
        self.rfm.setToolTip(
            _("RFM segments: the recency, frequency and monetary value of each member's purchases")
        )

        self.count_label = QLabel()
        self.count_label.setObjectName("filterCount")
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.clear_button = QPushButton(_("Clear"))
        self.clear_button.setToolTip(_("Remove every condition"))
        self.clear_button.clicked.connect(self.clear)
        self.save_button = QPushButton(_("Save as segment…"))
        self.save_button.setToolTip(_("Save these conditions by name, for exports, coupons and follow-ups"))
        self.save_button.clicked.connect(self.save_as_segment)

        cells: list[tuple[str, QWidget]] = [
            (_("Saved segment"), self.saved),
            (_("Has any of the tags"), self.tags_any),
            (_("Has all of the tags"), self.tags_all),
            (_("Has none of the tags"), self.tags_none),
            (_("Tier"), self.tiers),
            (_("Lifecycle"), self.lifecycles),
            (_("Customer value"), self.rfm),
            (_("Source"), self.sources),
            (_("Total spent (yuan)"), self.spent),
            (_("Purchases"), self.visits),
            (_("Days since last purchase"), self.days_since),
            (_("Points balance"), self.points),
            (_("Staff"), self.staff),
            (_("Birthday month"), self.months),
            (_("Coupons"), self.coupon),
        ]
        columns = 3
        char = self.fontMetrics().averageCharWidth()
        for position, (title, widget) in enumerate(cells):
            row, column = divmod(position, columns)
            label = QLabel(title)
            label.setObjectName("fieldLabel")
            label.setBuddy(widget)
            grid.addWidget(label, row * 2, column)
            grid.addWidget(widget, row * 2 + 1, column)
            # Long choices are elided, not allowed to widen the window (the tooltip has them all).
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, widget.sizePolicy().verticalPolicy())
            widget.setMinimumWidth(char * 10)
            if widget is self.rfm:
                label.setToolTip(self.rfm.toolTip())
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addStretch()
        footer.addWidget(self.clear_button)
        footer.addWidget(self.save_button)
        rows = (len(cells) + columns - 1) // columns
        grid.addLayout(footer, rows * 2, 0, 1, columns)

        self._timer = QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply_now)
        for pick in (self.tags_any, self.tags_all, self.tags_none, self.tiers, self.lifecycles, self.rfm):
            pick.changed.connect(self._schedule)
        for pick in (self.sources, self.staff, self.months):
            pick.changed.connect(self._schedule)
        for edit in (self.spent, self.visits, self.points, self.days_since):
            edit.changed.connect(self._schedule)
        self.coupon.currentIndexChanged.connect(lambda _index: self._schedule())
        self._count_serial = 0
        self._applied = SegmentFilter()
        self._segments: list[SavedSegment] = []

        self.lifecycles.set_items((stage.value, lifecycle_label(stage.value)) for stage in Lifecycle)
        self.rfm.set_items((segment.value, segment_label(segment.value)) for segment in RfmSegment)
        self.sources.set_items((source.value, _(label)) for source, label in SOURCE_LABELS.items())
        self.months.set_items((month, _month_name(month)) for month in range(1, 13))
        self.reload_choices()

    # Choices -----------------------------------------------------------------------------------------

    def reload_choices(self) -> None:
        """Read tags, tiers, staff and saved segments again (after they changed elsewhere)."""
        tags = list_tags(with_counts=False)
        items = [(tag.id, tag.name) for tag in tags]
        for pick in (self.tags_any, self.tags_all, self.tags_none):
            pick.set_items(items)
        self.tiers.set_items([*((tier.id, tier.name) for tier in list_tiers()), (None, _("No tier"))])
        self.staff.set_items([*((s.id, s.name) for s in list_staff()), (None, _("Unassigned"))])
        self._segments = list_segments()
        current = self.saved.currentData()
        self.saved.blockSignals(True)
        self.saved.clear()
        self.saved.addItem(_("None chosen"), None)
        for segment in self._segments:
            self.saved.addItem(segment.name, segment.id)
        index = self.saved.findData(current)
        self.saved.setCurrentIndex(max(index, 0))
        self.saved.blockSignals(False)

    # The filter --------------------------------------------------------------------------------------

    def segment(self) -> SegmentFilter:
        """The conditions as they stand in the widgets."""
        spent_low, spent_high = self.spent.bounds()
        visits_low, visits_high = self.visits.bounds()
        points_low, points_high = self.points.bounds()
        days_low, days_high = self.days_since.bounds()
        return SegmentFilter(
            tags_any=self.tags_any.values(),
            tags_all=self.tags_all.values(),
            tags_none=self.tags_none.values(),
            tier_ids=self.tiers.values(),
            lifecycles=self.lifecycles.values(),
            rfm_segments=self.rfm.values(),
            spent_min_fen=_fen(spent_low),
            spent_max_fen=_fen(spent_high),
            visits_min=visits_low,
            visits_max=visits_high,
            days_since_min=days_low,
            days_since_max=days_high,
            birth_months=self.months.values(),
            sources=self.sources.values(),
            staff_ids=self.staff.values(),
            has_unused_coupon=self.coupon.currentData(),
            points_min=points_low,
            points_max=points_high,
        )

    def set_segment(self, segment: SegmentFilter) -> None:
        """Show ``segment``'s conditions and apply them at once."""
        self.tags_any.set_values(segment.tags_any)
        self.tags_all.set_values(segment.tags_all)
        self.tags_none.set_values(segment.tags_none)
        self.tiers.set_values(segment.tier_ids)
        self.lifecycles.set_values(segment.lifecycles)
        self.rfm.set_values(segment.rfm_segments)
        self.sources.set_values(segment.sources)
        self.staff.set_values(segment.staff_ids)
        self.months.set_values(segment.birth_months)
        self.spent.set_bounds(_yuan(segment.spent_min_fen), _yuan(segment.spent_max_fen))
        self.visits.set_bounds(segment.visits_min, segment.visits_max)
        self.points.set_bounds(segment.points_min, segment.points_max)
        self.days_since.set_bounds(segment.days_since_min, segment.days_since_max)
        self.coupon.blockSignals(True)
        self.coupon.setCurrentIndex(max(self.coupon.findData(segment.has_unused_coupon), 0))
        self.coupon.blockSignals(False)
        self.apply_now()

    def load_segment(self, segment_id: int) -> None:
        """Choose a saved segment (as from the drop-down)."""
        index = self.saved.findData(segment_id)
        if index >= 0:
            self.saved.setCurrentIndex(index)
            self._load_saved(index)

    def clear(self) -> None:
        self.saved.setCurrentIndex(0)
        self.set_segment(SegmentFilter())

    def applied(self) -> SegmentFilter:
        """The conditions last passed on to the page."""
        return self._applied

    def _load_saved(self, index: int) -> None:
        segment_id = self.saved.itemData(index)
        chosen = next((s for s in self._segments if s.id == segment_id), None)
        if chosen is not None:
            self.set_segment(chosen.filter)

    def _schedule(self) -> None:
        self._timer.start()

    def apply_now(self) -> None:
        """Pass the conditions on now and count them on the DB lane (the timer calls this)."""
        self._timer.stop()
        segment = self.segment()
        self._applied = segment
        self.filter_changed.emit(segment)
        self._count(segment)

    def _count(self, segment: SegmentFilter) -> None:
        self._count_serial += 1
        serial = self._count_serial
        if segment.is_empty:
            self.count_label.setText(_("No conditions: every member is shown."))
            self.save_button.setEnabled(False)
            self.clear_button.setEnabled(False)
            return
        self.save_button.setEnabled(True)
        self.clear_button.setEnabled(True)
        self.count_label.setText(_("Counting…"))

        def done(count: int) -> None:
            if serial == self._count_serial:
                self.show_count(segment, count)

        def failed(exc: BaseException) -> None:
            if serial == self._count_serial:
                self.count_label.clear()
            report_error(self, exc)

        self.runner.run(count_segment, segment, on_done=done, on_error=failed, parent=self)

    def show_count(self, segment: SegmentFilter, count: int) -> None:
        self.count_label.setText(
            ngettext("{n} member matches.", "{n} members match.", count).format(n=format_count(count))
        )
        self.counted.emit(count)

    # Saving ------------------------------------------------------------------------------------------

    def ask_name(self) -> str | None:
        """The name to save under (tests replace this instead of showing the input dialog)."""
        current = self.saved.currentText() if self.saved.currentData() is not None else ""
        name, ok = QInputDialog.getText(
            self, _("Save as segment"), _("Name of the segment, for example 沉睡的高价值客户:"), text=current
        )
        return name if ok else None

    def save_as_segment(self) -> None:
        segment = self.segment()
        if segment.is_empty:
            return
        name = self.ask_name()
        if not name:
            return
        replace = any(s.name == " ".join(name.split()) for s in self._segments)

        def saved(segment_id: int) -> None:
            self.reload_choices()
            index = self.saved.findData(segment_id)
            self.saved.setCurrentIndex(max(index, 0))

        self.runner.run(
            save_segment, name, segment, replace=replace, changes={TAGS}, initiator=self, on_done=saved,
            parent=self,
        )


def _month_name(month: int) -> str:
    names: Sequence[str] = (
        _("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"),
        _("August"), _("September"), _("October"), _("November"), _("December"),
    )
    return names[month - 1]
