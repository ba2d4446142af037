"""The sections of the member detail panel (消费记录, 积分, 转介绍, …): one tab per module, listed once here.

To add a section: write ``member_tabs/<name>.py`` with a ``MemberTab`` subclass (``show_member(member_id)``)
and add one ``TabSpec`` line below, in the order the shopkeeper needs them. The first tab is the one a
newly opened panel shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from PySide6.QtWidgets import QWidget

from shopdesk.i18n import N_
from shopdesk.ui.screens.member_tabs.base import MemberTab
from shopdesk.ui.tasks import BaseTaskRunner


@dataclass(frozen=True, slots=True)
class TabSpec:
    key: str
    title: str  # marked with N_, translated when shown
    module: str
    class_name: str

    def create(self, runner: BaseTaskRunner, parent: QWidget | None = None) -> MemberTab:
        cls = getattr(import_module(self.module), self.class_name)
        return cls(runner, parent)


_HERE = "shopdesk.ui.screens.member_tabs"

DETAIL_TABS: tuple[TabSpec, ...] = (
    TabSpec("purchases", N_("Purchases"), f"{_HERE}.purchases", "PurchasesTab"),
    TabSpec("points", N_("Points"), f"{_HERE}.points", "PointsTab"),
    TabSpec("referrals", N_("Referrals"), f"{_HERE}.referrals", "ReferralsTab"),
    TabSpec("tags", N_("Tags"), f"{_HERE}.tags", "TagsTab"),
)

__all__ = ["DETAIL_TABS", "MemberTab", "TabSpec"]
