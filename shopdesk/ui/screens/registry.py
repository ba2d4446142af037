"""The pages the sidebar offers, in the order of a day's work; only pages that work are listed.

To add a page: write ``screens/<name>.py`` with a ``Screen`` subclass, add an icon to ``resources/icons``
and one ``ScreenSpec`` line below, in its place in the order 今日跟进 · 收银登记 · 会员 · 优惠券 · 积分 ·
标签与分群 · 经营看板 · 设置. Its module is imported when the page is first shown (the first page while the
window opens, so keep that one's imports light), and heavy libraries (matplotlib, openpyxl) are imported
inside the functions that need them. A page that shows a count in the sidebar (``badge_changed``) says
``badge=True``: the window builds it at once, so the count is there before the first visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from PySide6.QtWidgets import QWidget

from shopdesk.i18n import N_
from shopdesk.ui.events import AppEvents
from shopdesk.ui.screens.base import Screen
from shopdesk.ui.tasks import BaseTaskRunner


@dataclass(frozen=True, slots=True)
class ScreenSpec:
    key: str
    title: str  # marked with N_, translated when shown
    icon: str
    module: str
    class_name: str
    badge: bool = False  # the page emits ``badge_changed``: built with the window, not on first visit

    def create(self, runner: BaseTaskRunner, events: AppEvents, parent: QWidget | None = None) -> Screen:
        cls = getattr(import_module(self.module), self.class_name)
        return cls(runner, events, parent)


SCREENS: tuple[ScreenSpec, ...] = (
    ScreenSpec(
        "followups",
        N_("Today's follow-ups"),
        "followups",
        "shopdesk.ui.screens.followups",
        "FollowupsScreen",
        badge=True,
    ),
    ScreenSpec("members", N_("Members"), "members", "shopdesk.ui.screens.members", "MembersScreen"),
    ScreenSpec("coupons", N_("Coupons"), "coupons", "shopdesk.ui.screens.coupons", "CouponsScreen"),
    ScreenSpec("points", N_("Points"), "points", "shopdesk.ui.screens.points", "PointsScreen"),
    ScreenSpec("tags", N_("Tags and segments"), "tags", "shopdesk.ui.screens.tags", "TagsScreen"),
    ScreenSpec("dashboard", N_("Dashboard"), "dashboard", "shopdesk.ui.screens.dashboard", "DashboardScreen"),
    ScreenSpec("settings", N_("Settings"), "settings", "shopdesk.ui.screens.settings", "SettingsScreen"),
)
