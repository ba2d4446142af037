"""GUI test fixtures: offscreen Qt, a fresh SQLite shop file, UI state in a temporary folder, a
synchronous task runner, and message boxes recorded instead of shown."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings

from shopdesk.db.database import close_database, open_database
from shopdesk.services.catalog import create_category, create_staff
from shopdesk.services.members import MemberId, MemberInput, create_member
from shopdesk.services.transactions import atomic
from shopdesk.ui import errors as ui_errors
from shopdesk.ui import prompts
from shopdesk.ui.events import AppEvents
from shopdesk.ui.tasks import SyncTaskRunner

# The offscreen platform plugin warns about what it cannot do (size hints, raise, keyboard grabs for
# pop-ups); that says nothing about ShopDesk.
OFFSCREEN_NOISE = r"^This plugin does not support "


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def ui_state(tmp_path, qapp) -> Iterator[None]:
    """Window geometry, splitters and column widths go to INI files under this test's folder."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture(autouse=True)
def messages(monkeypatch) -> list[ui_errors.Message]:
    """Message boxes are recorded here instead of blocking the test on a modal box."""
    shown: list[ui_errors.Message] = []
    monkeypatch.setattr(ui_errors, "present", lambda parent, message: shown.append(message))
    return shown


class Answers(list):
    """Queued answers for ``prompts.confirm`` (yes when empty) and the questions that were asked."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def confirm(self, parent, text: str, informative: str, action: str) -> bool:
        self.asked.append(text)
        return self.pop(0) if self else True


@pytest.fixture
def answers(monkeypatch) -> Answers:
    """Replaces the yes/no questions; append False to answer the next one with no."""
    queue = Answers()
    monkeypatch.setattr(prompts, "confirm", queue.confirm)
    return queue


@pytest.fixture
def shop(tmp_path) -> Iterator[str]:
    """An empty shop in a SQLite file (a file, so the real task runner's thread can open it too)."""
    target = str(tmp_path / "shop.db")
    open_database(target)
    yield target
    close_database()


@pytest.fixture
def events() -> AppEvents:
    return AppEvents()


@pytest.fixture
def runner(events: AppEvents) -> SyncTaskRunner:
    return SyncTaskRunner(events=events)


def _add_members(count: int, *, start: int = 0, staff_id: int | None = None) -> list[MemberId]:
    surnames = "王李张刘陈杨黄赵吴周"
    given = "丽娜敏静芳婷雪燕玲霞"
    with atomic():  # one fsync for the lot, not one per member
        return [
            create_member(
                MemberInput(
                    name=f"{surnames[i % 10]}{given[(i // 10) % 10]}{'' if i < 100 else i}",
                    phone=f"138{i:08d}",
                    staff_id=staff_id,
                )
            )
            for i in range(start, start + count)
        ]


@pytest.fixture
def add_members(shop: str):
    """``add_members(count)``: members with distinct names and phones 13800000000, 13800000001, …"""
    return _add_members


@pytest.fixture
def staff_and_categories(shop: str) -> tuple[int, int]:
    """One member of staff and one category, as a shop sets up on day one."""
    return create_staff("小美"), create_category("面霜", 45)
