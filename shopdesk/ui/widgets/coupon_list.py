"""Coupons in lists: the checkout's pick-one list (best first, the ones that do not apply greyed with their
reason), and the Coupons page's tables of templates, issued coupons and issuing batches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from shopdesk.domain.coupons import CouponKind, CouponStatus
from shopdesk.domain.dates import spoken_date
from shopdesk.i18n import N_, _
from shopdesk.services.coupon_redemption import CouponOption
from shopdesk.services.coupon_stats import BatchFigures
from shopdesk.services.coupon_templates import TemplateView
from shopdesk.services.coupons import CouponView, list_coupons
from shopdesk.ui.formatting import format_count, format_date, format_datetime, format_money
from shopdesk.ui.style import ACCENT

AnyIndex = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
INK = QColor("#262626")
MUTED = QColor("#8c8c8c")
FAINT = QColor("#bfbfbf")
DONE = QColor("#389e0d")
SOON = QColor("#d46b08")
MONEY_OFF = QColor("#cf1322")
SELECTED_FILL = QColor("#e6f4ff")
HOVER_FILL = QColor("#fafafa")
EXPIRY_WARNING_DAYS = 7

KIND_LABELS: dict[CouponKind, str] = {
    CouponKind.THRESHOLD: N_("Spend-and-save"),
    CouponKind.CASH: N_("Cash off"),
    CouponKind.PERCENT: N_("Percent off"),
    CouponKind.GIFT: N_("Gift"),
}
STATUS_LABELS: dict[CouponStatus, str] = {
    CouponStatus.UNUSED: N_("Unused"),
    CouponStatus.USED: N_("Used"),
    CouponStatus.EXPIRED: N_("Expired"),
    CouponStatus.VOID: N_("Void"),
}


def kind_label(kind: CouponKind) -> str:
    return _(KIND_LABELS[kind])


def status_label(status: CouponStatus) -> str:
    return _(STATUS_LABELS[status])


def validity_text(template: TemplateView) -> str:
    """``30 days from issue`` or ``2026-05-01 – 2026-06-30``: how long coupons of a template last."""
    if template.valid_days:
        return _("{days} days from issue").format(days=template.valid_days)
    if template.valid_from is None:
        return _("Until {date}").format(date=format_date(template.valid_until))
    return _("{start} – {end}").format(
        start=format_date(template.valid_from), end=format_date(template.valid_until)
    )


# ---- the checkout's list ------------------------------------------------------------------------------

TITLE_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
DISCOUNT_ROLE = Qt.ItemDataRole.UserRole + 3
COUPON_ID_ROLE = Qt.ItemDataRole.UserRole + 4
APPLICABLE_ROLE = Qt.ItemDataRole.UserRole + 5


class CouponOptionsModel(QAbstractListModel):
    """ "No coupon" first, then the member's coupons as ``coupon_options`` ranks them (best first)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[CouponOption | None] = [None]
        self.no_coupon_text = _("Keep the member's coupons for another day")

    def set_options(self, options: Sequence[CouponOption]) -> None:
        self.beginResetModel()
        self._rows = [None, *options]
        self.endResetModel()

    def option(self, row: int) -> CouponOption | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def options(self) -> list[CouponOption]:
        return [option for option in self._rows if option is not None]

    def row_of(self, coupon_id: int | None) -> int | None:
        """The row of ``coupon_id`` (0 for None, "no coupon"); None when it is not listed."""
        for row, option in enumerate(self._rows):
            if (option.coupon.id if option is not None else None) == coupon_id:
                return row
        return None

    def usable_count(self) -> int:
        return sum(1 for option in self._rows if option is not None and option.applicable)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        option = self._rows[index.row()]
        if option is None or option.applicable:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        return Qt.ItemFlag.ItemNeverHasChildren  # shown, greyed, never picked

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        option = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, TITLE_ROLE):
            return _("No coupon") if option is None else option.coupon.template_name
        if role == DETAIL_ROLE:
            return self._detail(option)
        if role == DISCOUNT_ROLE:
            return self._discount(option)
        if role == Qt.ItemDataRole.ToolTipRole:
            if option is None:
                return _("Record the sale without a coupon.")
            return option.reason or option.coupon.description
        if role == COUPON_ID_ROLE:
            return None if option is None else option.coupon.id
        if role == APPLICABLE_ROLE:
            return option is None or option.applicable
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [self.data(index, TITLE_ROLE), self._discount(option), self._detail(option)]
            return " ".join(part for part in parts if part)
        return None

    @staticmethod
    def _discount(option: CouponOption | None) -> str:
        if option is None or not option.applicable:
            return ""
        if option.coupon.kind is CouponKind.GIFT:
            return _("Gift")
        return f"-{format_money(option.discount_fen)}"

    def _detail(self, option: CouponOption | None) -> str:
        if option is None:
            return self.no_coupon_text
        if not option.applicable:
            return option.reason
        parts = [
            option.coupon.description,
            _("until {date}").format(date=spoken_date(option.coupon.valid_until)),
        ]
        if not option.stacks_with_points:
            parts.append(_("not with points"))
        return " · ".join(parts)


class CouponOptionDelegate(QStyledItemDelegate):
    """Two lines per coupon: its name and money off (right-aligned), then its terms or why it cannot be used;
    a round mark shows the one picked."""

    def _metrics(self, option: QStyleOptionViewItem) -> tuple[QFontMetrics, int]:
        metrics = QFontMetrics(option.font)
        return metrics, max(4, metrics.height() // 3)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        metrics, pad = self._metrics(option)
        return QSize(metrics.horizontalAdvance("0") * 40, metrics.height() * 2 + pad * 3)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        metrics, pad = self._metrics(option)
        rect = option.rect
        enabled = bool(index.flags() & Qt.ItemFlag.ItemIsEnabled)
        view_enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
        selected = bool(option.state & QStyle.StateFlag.State_Selected) and view_enabled
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver) and enabled
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected:
            painter.fillRect(rect, SELECTED_FILL)
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), QColor(ACCENT))
        elif hovered:
            painter.fillRect(rect, HOVER_FILL)
        painter.setPen(QPen(QColor("#f0f0f0")))
        painter.drawLine(rect.left(), rect.bottom(), rect.right(), rect.bottom())

        mark = metrics.height() * 3 // 4
        mark_rect = QRect(
            rect.left() + pad * 2, rect.top() + pad + (metrics.height() - mark) // 2, mark, mark
        )
        painter.setPen(QPen(QColor(ACCENT) if selected else (FAINT if not enabled else MUTED), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(mark_rect)
        if selected:
            painter.setBrush(QColor(ACCENT))
            painter.setPen(Qt.PenStyle.NoPen)
            inner = mark_rect.adjusted(mark // 4, mark // 4, -(mark // 4), -(mark // 4))
            painter.drawEllipse(inner)

        left = mark_rect.right() + pad * 2
        right = rect.right() - pad * 2
        title_rect = QRect(left, rect.top() + pad, right - left, metrics.height())
        detail_rect = QRect(left, title_rect.bottom() + pad // 2, right - left, metrics.height())
        discount = index.data(DISCOUNT_ROLE) or ""
        bold = QFont(option.font)
        bold.setBold(True)
        discount_width = QFontMetrics(bold).horizontalAdvance(discount) if discount else 0
        if discount:
            painter.setFont(bold)
            painter.setPen(MONEY_OFF if enabled else FAINT)
            painter.drawText(title_rect, int(_RIGHT), discount)
        title = index.data(TITLE_ROLE) or ""
        title_room = QRect(title_rect)
        title_room.setRight(title_rect.right() - discount_width - pad * 2)
        painter.setFont(bold if enabled else option.font)
        painter.setPen(INK if enabled else FAINT)
        painter.drawText(
            title_room,
            int(_LEFT),
            QFontMetrics(painter.font()).elidedText(title, Qt.TextElideMode.ElideRight, title_room.width()),
        )
        painter.setFont(option.font)
        painter.setPen(MUTED if enabled else FAINT)
        detail = index.data(DETAIL_ROLE) or ""
        painter.drawText(
            detail_rect,
            int(_LEFT),
            metrics.elidedText(detail, Qt.TextElideMode.ElideRight, detail_rect.width()),
        )
        painter.restore()


class CouponOptionList(QListView):
    """Pick one coupon with Up/Down (greyed ones are skipped); ``coupon_changed`` carries its id or None."""

    coupon_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("couponOptions")
        self.options_model = CouponOptionsModel(self)
        self.setModel(self.options_model)
        self.setItemDelegate(CouponOptionDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setStyleSheet(
            "QListView#couponOptions { background: #ffffff; border: 1px solid #d9d9d9; border-radius: 6px; }"
            "QListView#couponOptions:focus { border-color: #1677FF; }"
        )
        self._quiet = False
        self.selectionModel().currentRowChanged.connect(self._current_changed)

    def set_options(self, options: Sequence[CouponOption], coupon_id: int | None) -> None:
        """Show ``options`` with ``coupon_id`` picked (no coupon when it is not among the usable ones)."""
        self._quiet = True
        try:
            self.options_model.set_options(options)
            self._select_row(self._usable_row(coupon_id))
        finally:
            self._quiet = False

    def select_coupon(self, coupon_id: int | None) -> bool:
        """Pick ``coupon_id`` (None: no coupon); False when it is not usable on this sale."""
        row = self.options_model.row_of(coupon_id)
        if (
            row is None
            or not self.options_model.flags(self.options_model.index(row)) & Qt.ItemFlag.ItemIsEnabled
        ):
            return False
        self._select_row(row)
        return True

    def coupon_id(self) -> int | None:
        """The coupon picked (None: no coupon)."""
        index = self.currentIndex()
        return index.data(COUPON_ID_ROLE) if index.isValid() else None

    def option(self) -> CouponOption | None:
        index = self.currentIndex()
        return self.options_model.option(index.row()) if index.isValid() else None

    def preferred_height(self, rows: int) -> int:
        option = QStyleOptionViewItem()
        option.initFrom(self)
        row = self.itemDelegate().sizeHint(option, QModelIndex()).height()
        return row * rows + 2 * self.frameWidth()

    def _usable_row(self, coupon_id: int | None) -> int:
        row = self.options_model.row_of(coupon_id)
        if (
            row is None
            or not self.options_model.flags(self.options_model.index(row)) & Qt.ItemFlag.ItemIsEnabled
        ):
            return 0
        return row

    def _select_row(self, row: int) -> None:
        index = self.options_model.index(row)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet:
            self.coupon_changed.emit(current.data(COUPON_ID_ROLE) if current.isValid() else None)


# ---- the Coupons page's tables ------------------------------------------------------------------------


class _Table(QAbstractTableModel):
    """A read-only table of typed rows: titles, alignment and colours come from the subclass."""

    TITLES: Sequence[str] = ()
    RIGHT_COLUMNS: frozenset[int] = frozenset()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.TITLES)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.TITLES):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self.TITLES[section])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if section in self.RIGHT_COLUMNS else _LEFT)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def row(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.TITLES):
            return None
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(item, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if index.column() in self.RIGHT_COLUMNS else _LEFT)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.color(item, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(item, index.column())
        return None

    def text(self, item: Any, column: int) -> str:
        raise NotImplementedError

    def color(self, item: Any, column: int) -> QColor | None:
        return None

    def tooltip(self, item: Any, column: int) -> str | None:
        return None


class TemplateColumn(IntEnum):
    NAME = 0
    TERMS = 1
    STATUS = 2


class TemplateTableModel(_Table):
    """The shop's coupon templates, newest first; paused ones greyed."""

    TITLES = (N_("Name"), N_("Coupon"), N_("Status"))

    def set_templates(self, templates: Sequence[TemplateView]) -> None:
        self.beginResetModel()
        self._rows = list(templates)
        self.endResetModel()

    def template(self, row: int) -> TemplateView | None:
        return self.row(row)

    def row_of(self, template_id: int | None) -> int | None:
        return next((row for row, t in enumerate(self._rows) if t.id == template_id), None)

    def text(self, item: TemplateView, column: int) -> str:
        if column == TemplateColumn.NAME:
            return item.name
        if column == TemplateColumn.TERMS:
            return item.description
        return _("Paused") if item.paused else _("Active")

    def tooltip(self, item: TemplateView, column: int) -> str | None:
        if column == TemplateColumn.TERMS:
            return _("{kind}: {terms}; {validity}").format(
                kind=kind_label(item.kind), terms=item.description, validity=validity_text(item)
            )
        return None

    def color(self, item: TemplateView, column: int) -> QColor | None:
        if item.paused:
            return MUTED
        return DONE if column == TemplateColumn.STATUS else None


class CouponColumn(IntEnum):
    CODE = 0
    MEMBER = 1
    COUPON = 2
    VALID_UNTIL = 3
    STATUS = 4
    USED_AT = 5
    DISCOUNT = 6


class IssuedCouponModel(_Table):
    """Issued coupons, newest first, filtered as ``list_coupons`` filters; pages in as the view scrolls."""

    PAGE_SIZE = 200
    TITLES = (
        N_("Code"),
        N_("Member"),
        N_("Coupon"),
        N_("Valid until"),
        N_("Status"),
        N_("Used"),
        N_("Money off"),
    )
    RIGHT_COLUMNS = frozenset({CouponColumn.DISCOUNT})

    def __init__(
        self, parent: QObject | None = None, *, lister: Callable[..., list[CouponView]] = list_coupons
    ) -> None:
        super().__init__(parent)
        self._lister = lister
        self._filters: dict[str, Any] = {}
        self._complete = True
        self.today = dt.date.today()

    def set_filter(
        self, *, status: CouponStatus | None = None, template_id: int | None = None, text: str = ""
    ) -> None:
        """Show the coupons matching the filter from the newest."""
        self._filters = {"status": status, "template_id": template_id, "text": text}
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.today = dt.date.today()
        self._rows = []
        self._complete = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def coupon(self, row: int) -> CouponView | None:
        return self.row(row)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        if parent.isValid() or self._complete:
            return
        page = self._lister(**self._filters, today=self.today, limit=self.PAGE_SIZE, offset=len(self._rows))
        if len(page) < self.PAGE_SIZE:
            self._complete = True
        if page:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def text(self, item: CouponView, column: int) -> str:
        if column == CouponColumn.CODE:
            return item.code
        if column == CouponColumn.MEMBER:
            return item.member_name
        if column == CouponColumn.COUPON:
            return item.template_name
        if column == CouponColumn.VALID_UNTIL:
            return format_date(item.valid_until)
        if column == CouponColumn.STATUS:
            return status_label(item.status)
        if column == CouponColumn.USED_AT:
            return format_datetime(item.used_at)
        if item.status is CouponStatus.USED and item.kind is not CouponKind.GIFT:
            return format_money(item.discount_fen)
        return ""

    def color(self, item: CouponView, column: int) -> QColor | None:
        if item.status in (CouponStatus.EXPIRED, CouponStatus.VOID):
            return MUTED
        if column == CouponColumn.STATUS and item.status is CouponStatus.USED:
            return DONE
        soon = (
            item.status is CouponStatus.UNUSED and (item.valid_until - self.today).days <= EXPIRY_WARNING_DAYS
        )
        if column == CouponColumn.VALID_UNTIL and soon:
            return SOON
        return None

    def tooltip(self, item: CouponView, column: int) -> str | None:
        if item.status is CouponStatus.VOID and item.void_reason:
            return _("Voided: {reason}").format(reason=item.void_reason)
        if column == CouponColumn.COUPON:
            return item.description
        return None


class BatchColumn(IntEnum):
    DATE = 0
    BATCH = 1
    ISSUED = 2
    USED = 3
    RATE = 4
    SALES = 5
    BROUGHT_BACK = 6


def batch_label(batch: BatchFigures) -> str:
    """How a batch was issued, in words (never the stored code such as ``rule:birthday:2026-05-01``)."""
    source = batch.source or ""
    if source.startswith("rule:"):
        return batch.label or _("Issued by a rule")
    if source == "segment":
        return _("Segment: {name}").format(name=batch.label)
    if source == "tag":
        return _("Tag: {name}").format(name=batch.label)
    return batch.label or _("Issued by hand")


def rate_text(rate: float) -> str:
    return f"{rate * 100:.1f}%"


class BatchTableModel(_Table):
    """One template's issuing batches with their figures, newest first."""

    TITLES = (
        N_("Date"),
        N_("Issued to"),
        N_("Issued"),
        N_("Used"),
        N_("Rate"),
        N_("Sales"),
        N_("Brought back"),
    )
    RIGHT_COLUMNS = frozenset(
        {BatchColumn.ISSUED, BatchColumn.USED, BatchColumn.RATE, BatchColumn.SALES, BatchColumn.BROUGHT_BACK}
    )

    def set_batches(self, batches: Sequence[BatchFigures]) -> None:
        self.beginResetModel()
        self._rows = list(batches)
        self.endResetModel()

    def text(self, item: BatchFigures, column: int) -> str:
        figures = item.figures
        if column == BatchColumn.DATE:
            return format_date(item.created_at)
        if column == BatchColumn.BATCH:
            return batch_label(item)
        if column == BatchColumn.ISSUED:
            return format_count(figures.issued)
        if column == BatchColumn.USED:
            return format_count(figures.used)
        if column == BatchColumn.RATE:
            return rate_text(figures.redemption_rate)
        if column == BatchColumn.SALES:
            return format_money(figures.sales_fen)
        return format_count(figures.brought_back)

    def tooltip(self, item: BatchFigures, column: int) -> str | None:
        if column == BatchColumn.BROUGHT_BACK:
            return _("Members who used a coupon of this batch after more than 90 days away")
        return None
