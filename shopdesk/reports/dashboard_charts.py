"""The dashboard's charts as matplotlib Figures, drawn once for the page and the PDF report alike (no Qt).

Each chart is a ``ChartSpec``: a key (used for PNG file names), a translated title and a function that
draws the figures of a ``Dashboard`` onto a bare ``matplotlib.figure.Figure``. The page wraps the figure in
a Qt canvas; the report renders it with the Agg backend. matplotlib is imported by the callers' first
chart, never when ShopDesk starts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shopdesk.domain.lifecycle import lifecycle_label
from shopdesk.domain.members import source_label
from shopdesk.domain.money import format_money
from shopdesk.domain.rfm import segment_label
from shopdesk.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from shopdesk.services.dashboard import Dashboard

ACCENT = "#1677FF"
ACCENT_LIGHT = "#91CAFF"
SECOND = "#FA8C16"  # orange: the second series where two share an axis
TEXT = "#262626"
MUTED = "#8C8C8C"
GRID = "#F0F0F0"
CJK_FONTS = ("Microsoft YaHei", "SimHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei")
TOP_BARS = 10  # longer lists (categories) show their biggest items

FUNNEL_LABELS = {
    "acquired": N_("Joined"),
    "first_purchase": N_("First purchase"),
    "repurchase": N_("Bought again"),
    "referred": N_("Referred a friend"),
}


def configure_matplotlib() -> None:
    """Chinese labels need a CJK font; a CJK font lacks the Unicode minus sign, so use the ASCII one."""
    import matplotlib

    params = matplotlib.rcParams
    families = [name for name in params["font.sans-serif"] if name not in CJK_FONTS]
    params["font.family"] = "sans-serif"
    params["font.sans-serif"] = [*CJK_FONTS, *families]
    params["axes.unicode_minus"] = False
    params["axes.edgecolor"] = GRID
    params["axes.labelcolor"] = TEXT
    params["axes.titlesize"] = "medium"
    params["xtick.color"] = MUTED
    params["ytick.color"] = MUTED
    params["legend.frameon"] = False
    params["svg.fonttype"] = "none"


def new_figure(width: float = 6.0, height: float = 3.4) -> Figure:
    """A bare Figure (no pyplot: no global state, no GUI backend chosen behind our back)."""
    from matplotlib.figure import Figure

    configure_matplotlib()
    return Figure(figsize=(width, height), dpi=100, facecolor="white", layout="constrained")


def _style(axes: Axes, *, grid_axis: str | None = "y") -> None:
    """No chart junk: no top/right spines, a light grid behind the data."""
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color("#D9D9D9")
    if grid_axis:
        axes.grid(axis=grid_axis, color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(length=0, labelsize="small")


def _empty(axes: Axes, text: str | None = None) -> None:
    axes.set_axis_off()
    axes.text(
        0.5,
        0.5,
        text or _("No figures yet for this period"),
        ha="center",
        va="center",
        color=MUTED,
        transform=axes.transAxes,
    )


def _yuan_axis(axes: Axes) -> None:
    from matplotlib.ticker import FuncFormatter

    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: _short_yuan(value)))


def _short_yuan(yuan: float) -> str:
    """Axis ticks in whole yuan, thousands shortened (``¥12k``) so the axis stays narrow."""
    if abs(yuan) >= 10_000:
        return _("¥{thousands}k").format(thousands=f"{yuan / 1000:,.0f}")
    return f"¥{yuan:,.0f}"


def _month_labels(months: Sequence[str]) -> list[str]:
    return [_("{month}/{year}").format(month=int(key[5:]), year=key[2:4]) for key in months]


def _hbars(axes: Axes, labels: Sequence[str], values: Sequence[int], text: Callable[[int], str]) -> None:
    """Horizontal bars, biggest on top, each with its value at the end of the bar."""
    if not values or not any(values):
        _empty(axes)
        return
    positions = range(len(values))
    axes.barh(positions, values, color=ACCENT, height=0.6)
    axes.set_yticks(list(positions), labels, color=TEXT)
    axes.invert_yaxis()
    _style(axes, grid_axis="x")
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    peak = max(values)
    for position, value in zip(positions, values, strict=True):
        axes.text(value + peak * 0.01, position, text(value), va="center", fontsize="small", color=TEXT)
    axes.set_xlim(0, peak * 1.18)


def _sorted(counts: dict[str, int], label: Callable[[str], str]) -> tuple[list[str], list[int]]:
    items = sorted(counts.items(), key=lambda item: -item[1])
    return [label(key) for key, _count in items], [count for _key, count in items]


def _count_text(value: int) -> str:
    return f"{value:,}"


def draw_members_and_sales(figure: Figure, board: Dashboard) -> None:
    axes = figure.subplots()
    months = [row.month for row in board.months]
    if not any(row.new_members or row.sales_fen for row in board.months):
        _empty(axes)
        return
    positions = range(len(months))
    axes.bar(positions, [row.new_members for row in board.months], color=ACCENT_LIGHT, label=_("New members"))
    step = 1 if figure.get_figwidth() >= 8 else 2  # Chinese month labels need room: every other one
    axes.set_xticks(list(positions)[::step], _month_labels(months)[::step])
    axes.set_ylabel(_("New members"))
    _style(axes)
    sales = axes.twinx()
    sales.plot(
        positions,
        [row.sales_fen / 100 for row in board.months],
        color=ACCENT,
        marker="o",
        markersize=3,
        linewidth=2,
        label=_("Sales"),
    )
    _yuan_axis(sales)
    sales.set_ylim(bottom=0)
    sales.tick_params(length=0, labelsize="small")
    for side in ("top", "right", "left", "bottom"):
        sales.spines[side].set_visible(False)
    figure.legend(loc="outside upper right", ncols=2, fontsize="small")


def draw_new_vs_returning(figure: Figure, board: Dashboard) -> None:
    people, money = figure.subplots(1, 2)
    rows = board.months
    if not any(row.new_customers or row.returning_customers for row in rows):
        people.remove()
        _empty(money)
        return
    positions = list(range(len(rows)))
    labels = _month_labels([row.month for row in rows])
    new = [row.new_customers for row in rows]
    people.bar(positions, new, color=ACCENT_LIGHT, label=_("New customers"))
    people.bar(
        positions,
        [row.returning_customers for row in rows],
        bottom=new,
        color=ACCENT,
        label=_("Returning customers"),
    )
    people.set_title(_("Customers"), color=TEXT)
    new_fen = [row.new_customer_sales_fen / 100 for row in rows]
    money.bar(positions, new_fen, color=ACCENT_LIGHT)
    money.bar(positions, [row.returning_sales_fen / 100 for row in rows], bottom=new_fen, color=ACCENT)
    money.set_title(_("Their sales"), color=TEXT)
    _yuan_axis(money)
    for axes in (people, money):
        axes.set_xticks(positions[::2], labels[::2])
        _style(axes)
    figure.legend(loc="outside upper right", ncols=2, fontsize="small")


def draw_repurchase_rate(figure: Figure, board: Dashboard) -> None:
    from matplotlib.ticker import PercentFormatter

    axes = figure.subplots()
    rows = board.months
    if not any(row.new_customers or row.returning_customers for row in rows):
        _empty(axes)
        return
    positions = range(len(rows))
    rates = [row.repurchase_rate * 100 for row in rows]
    axes.plot(positions, rates, color=ACCENT, marker="o", markersize=4, linewidth=2)
    axes.fill_between(positions, rates, color=ACCENT, alpha=0.08)
    labels = _month_labels([row.month for row in rows])
    axes.set_xticks(list(positions)[::2], labels[::2])  # a half-width chart has room for every other month
    axes.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    axes.set_ylim(0, max(100.0, max(rates) * 1.1))
    _style(axes)


def draw_lifecycle_and_tiers(figure: Figure, board: Dashboard) -> None:
    stages, tiers = figure.subplots(1, 2)
    labels, values = _sorted(board.lifecycle, lifecycle_label)
    _hbars(stages, labels, values, _count_text)
    stages.set_title(_("Lifecycle stage"), color=TEXT)
    labels, values = _sorted(board.tiers, lambda name: name or _("No tier"))
    _hbars(tiers, labels, values, _count_text)
    tiers.set_title(_("Tier"), color=TEXT)


def draw_rfm_segments(figure: Figure, board: Dashboard) -> None:
    labels, values = _sorted(board.rfm_segments, segment_label)
    _hbars(figure.subplots(), labels, values, _count_text)


def draw_funnel(figure: Figure, board: Dashboard) -> None:
    """Centred bars that narrow step by step, each with its count and its share of the step before."""
    axes = figure.subplots()
    steps = list(board.funnel)
    if not steps or not steps[0][1]:
        _empty(axes)
        return
    top = steps[0][1]
    positions = range(len(steps))
    values = [count for _key, count in steps]
    shades = [ACCENT, "#4096FF", "#69B1FF", ACCENT_LIGHT]
    axes.barh(
        positions,
        values,
        left=[(top - value) / 2 for value in values],
        height=0.7,
        color=shades[: len(steps)],
    )
    axes.set_yticks(list(positions), [_(FUNNEL_LABELS.get(key, key)) for key, _count in steps])
    axes.invert_yaxis()
    axes.set_xlim(0, top)
    _style(axes, grid_axis=None)
    axes.xaxis.set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_visible(False)
    previous = None
    for position, value in zip(positions, values, strict=True):
        text = f"{value:,}"
        if previous:
            text = _("{count} ({share} of the step before)").format(
                count=text, share=f"{value / previous:.0%}"
            )
        axes.text(
            top / 2,
            position,
            text,
            ha="center",
            va="center",
            fontsize="small",
            color=TEXT,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.5},
        )
        previous = value


def draw_categories(figure: Figure, board: Dashboard) -> None:
    items = [item for item in board.categories if item[1]][:TOP_BARS]
    _hbars(
        figure.subplots(),
        [name or _("No category") for name, _fen in items],
        [fen for _n, fen in items],
        format_money,
    )


def draw_sources(figure: Figure, board: Dashboard) -> None:
    labels, values = _sorted(board.sources, source_label)
    _hbars(figure.subplots(), labels, values, _count_text)


def draw_top_referrers(figure: Figure, board: Dashboard) -> None:
    items = list(board.top_referrers)
    _hbars(
        figure.subplots(), [name for name, _count in items], [count for _name, count in items], _count_text
    )
    if not items:
        figure.axes[0].texts[0].set_text(_("No member has referred a friend yet"))


@dataclass(frozen=True, slots=True)
class ChartSpec:
    key: str  # file name of the exported PNG
    title: str  # marked with N_, translated when shown
    hint: str  # marked with N_: what the chart answers, in shop words
    draw: Callable[[Figure, Dashboard], None]
    wide: bool = False  # takes the whole row on the page


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "members_and_sales",
        N_("New members and sales by month"),
        N_("Bars: members who joined; line: what the shop sold."),
        draw_members_and_sales,
        wide=True,
    ),
    ChartSpec(
        "new_vs_returning",
        N_("New and returning customers by month"),
        N_("Returning customers bought before that month."),
        draw_new_vs_returning,
        wide=True,
    ),
    ChartSpec(
        "repurchase_rate",
        N_("Repurchase rate by month"),
        N_("Share of the month's buying members who had bought before."),
        draw_repurchase_rate,
    ),
    ChartSpec(
        "funnel",
        N_("From joining to referring"),
        N_("Members who joined, bought, bought again and brought a friend (AARRR)."),
        draw_funnel,
    ),
    ChartSpec(
        "lifecycle_tiers",
        N_("Members by stage and tier"),
        N_("Where your members stand today."),
        draw_lifecycle_and_tiers,
        wide=True,
    ),
    ChartSpec(
        "value_segments",
        N_("Customer value groups"),
        N_("Members grouped by how recently, how often and how much they buy (RFM)."),
        draw_rfm_segments,
    ),
    ChartSpec(
        "categories", N_("Sales by category"), N_("The biggest categories in the period."), draw_categories
    ),
    ChartSpec("sources", N_("Members by source"), N_("Where your members came from."), draw_sources),
    ChartSpec(
        "top_referrers", N_("Top referrers"), N_("Members who brought the most friends."), draw_top_referrers
    ),
)


def render(spec: ChartSpec, board: Dashboard, width: float = 6.0, height: float = 3.4) -> Figure:
    """A new Figure with ``spec``'s chart of ``board`` drawn on it."""
    figure = new_figure(width, height)
    spec.draw(figure, board)
    return figure


def save_png(figure: Figure, path: str, dpi: int = 150) -> None:
    """Write ``figure`` as a PNG through the Agg renderer (works with or without a GUI)."""
    figure.savefig(path, dpi=dpi, format="png", facecolor="white")


@dataclass(frozen=True, slots=True)
class KpiCard:
    title: str
    value: str
    hint: str


def _percent(value: float) -> str:
    return f"{value:.1%}"


def kpi_cards(board: Dashboard) -> list[KpiCard]:
    """The KPI cards of the page and the report, translated: a title, the figure and what it counts."""
    k = board.kpis
    return [
        KpiCard(_("Members"), f"{k.members:,}", _("Not archived, today")),
        KpiCard(_("New members"), f"{k.new_members:,}", _("Joined in the period")),
        KpiCard(
            _("Active members"),
            f"{k.active_members:,}",
            _("Bought in the period ({share} of members)").format(
                share=_percent(k.active_members / k.members if k.members else 0)
            ),
        ),
        KpiCard(_("Repurchase rate"), _percent(k.repurchase_rate), _("Buyers who had bought before")),
        KpiCard(
            _("Sales"),
            format_money(k.sales_fen),
            ngettext("{n} sale", "{n} sales", k.orders).format(n=f"{k.orders:,}"),
        ),
        KpiCard(_("Average order value"), format_money(k.average_order_fen), _("Paid per sale")),
        KpiCard(
            _("Member share of sales"),
            _percent(k.member_sales_share),
            _("{amount} paid by members").format(amount=format_money(k.member_sales_fen)),
        ),
        KpiCard(
            _("Follow-up conversion"),
            _percent(k.followup_conversion),
            ngettext(
                "{n} member contacted; bought within 7 days",
                "{n} members contacted; bought within 7 days",
                k.contacted_members,
            ).format(n=f"{k.contacted_members:,}"),
        ),
        KpiCard(
            _("Coupon redemption"),
            _percent(k.coupon_redemption_rate),
            ngettext(
                "{n} coupon issued in the period", "{n} coupons issued in the period", k.coupons_issued
            ).format(n=f"{k.coupons_issued:,}"),
        ),
        KpiCard(
            _("Points owed"),
            format_money(k.points_owed_fen),
            ngettext(
                "{n} point expires next month", "{n} points expire next month", k.points_expiring_next_month
            ).format(n=f"{k.points_expiring_next_month:,}"),
        ),
    ]
