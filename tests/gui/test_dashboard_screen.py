"""The Dashboard page: figures counted on the DB lane arrive and are drawn; the period and changes recount."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDate

from shopdesk.reports.dashboard_charts import CHARTS
from shopdesk.reports.dashboard_report import expected_pages
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.purchases import PurchaseInput, record_purchase
from shopdesk.ui import charts as ui_charts
from shopdesk.ui.screens import dashboard as dashboard_screen
from shopdesk.ui.screens.dashboard import PERIODS, DashboardScreen

TODAY = dt.date.today()


@pytest.fixture
def sales(shop) -> tuple[int, int]:
    """Two members: 王丽 bought 40 days ago and today, 李娜 bought once, 100 days ago."""
    wang = create_member(MemberInput(name="王丽", phone="13800138000"))
    li = create_member(MemberInput(name="李娜", phone="13900139000"))
    now = dt.datetime.now().replace(microsecond=0)
    record_purchase(
        PurchaseInput(member_id=wang, amount_fen=100_00, purchased_at=now - dt.timedelta(days=40))
    )
    record_purchase(PurchaseInput(member_id=wang, amount_fen=300_00, purchased_at=now))
    record_purchase(PurchaseInput(member_id=li, amount_fen=50_00, purchased_at=now - dt.timedelta(days=100)))
    return wang, li


def open_screen(qtbot, runner, events) -> DashboardScreen:
    screen = DashboardScreen(runner, events)
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    return screen


def tile(screen: DashboardScreen, title: str) -> str:
    [value] = [tile.value.text() for tile in screen.tiles if tile.title.text() == title]
    return value


def test_nothing_is_counted_or_drawn_before_the_page_is_shown(qtbot, shop, runner, events):
    screen = DashboardScreen(runner, events)
    qtbot.addWidget(screen)
    assert screen.board is None and screen.charts == [] and screen.job is None
    assert not screen.pdf_button.isEnabled()


def test_opening_counts_the_last_90_days_and_draws_every_chart(qtbot, sales, runner, events):
    screen = open_screen(qtbot, runner, events)
    board = screen.board
    assert board is not None and board.period == dashboard_screen.Period.last_days(90)
    assert tile(screen, "Members") == "2"
    assert tile(screen, "Sales") == "¥400.00"  # 李娜's sale was 100 days ago
    assert tile(screen, "Average order value") == "¥200.00"
    assert tile(screen, "Repurchase rate") == "0.0%"  # 王丽's first sale falls inside the 90 days
    assert len(screen.charts) == len(CHARTS) and all(chart.drawn for chart in screen.charts)
    funnel = screen.charts[[spec.key for spec in CHARTS].index("funnel")]
    [bars] = [axes for axes in funnel.figure.axes if axes.patches]
    assert [round(patch.get_width()) for patch in bars.patches] == [2, 2, 1, 0]
    assert screen.pdf_button.isEnabled()


def test_choosing_another_period_counts_again(qtbot, sales, runner, events):
    screen = open_screen(qtbot, runner, events)
    screen.set_period([days for _label, days in PERIODS].index(30))
    assert screen.board.period == dashboard_screen.Period.last_days(30)
    assert tile(screen, "Sales") == "¥300.00"
    assert tile(screen, "Repurchase rate") == "100.0%"  # 王丽 had bought before these 30 days
    assert screen.start_edit.isHidden()

    screen.set_period(len(PERIODS) - 1)  # custom: the date fields appear and decide
    assert not screen.start_edit.isHidden() and not screen.end_edit.isHidden()
    start = TODAY - dt.timedelta(days=120)
    screen.start_edit.setDate(QDate(start.year, start.month, start.day))
    assert screen.board.period == dashboard_screen.Period(start, TODAY)
    assert tile(screen, "Sales") == "¥450.00"


def test_a_sale_elsewhere_recounts_the_visible_page(qtbot, sales, runner, events):
    wang, _li = sales
    screen = open_screen(qtbot, runner, events)
    runner.run(record_purchase, PurchaseInput(member_id=wang, amount_fen=20_00), changes={"purchases"})
    assert tile(screen, "Sales") == "¥420.00"
    events.announce({"tags"}, None)  # not a figure of this page: nothing recounted
    assert tile(screen, "Sales") == "¥420.00"


def test_a_hidden_page_recounts_when_shown_again(qtbot, sales, runner, events):
    wang, _li = sales
    screen = open_screen(qtbot, runner, events)
    screen.hide()
    first_job = screen.job
    runner.run(record_purchase, PurchaseInput(member_id=wang, amount_fen=20_00), changes={"purchases"})
    assert screen.job is first_job  # nobody looks: nothing is counted yet
    screen.show()
    assert screen.job is not first_job and tile(screen, "Sales") == "¥420.00"


def test_an_empty_shop_says_what_to_do(qtbot, shop, runner, events):
    screen = open_screen(qtbot, runner, events)
    assert tile(screen, "Members") == "0"
    assert "record sales" in screen.status.text()


def test_a_chart_is_saved_as_png(qtbot, sales, runner, events, tmp_path, monkeypatch):
    screen = open_screen(qtbot, runner, events)
    target = tmp_path / "chart"
    monkeypatch.setattr(ui_charts, "choose_png_path", lambda parent, suggested: str(target))
    screen.charts[0].export_button.click()
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")


def test_cancelling_the_file_dialog_saves_nothing(qtbot, sales, runner, events, tmp_path, monkeypatch):
    screen = open_screen(qtbot, runner, events)
    monkeypatch.setattr(ui_charts, "choose_png_path", lambda parent, suggested: "")
    monkeypatch.setattr(dashboard_screen, "choose_pdf_path", lambda parent, suggested: "")
    screen.charts[0].export_button.click()
    screen.pdf_button.click()
    assert list(tmp_path.glob("*.p*")) == []


def test_the_pdf_report_is_written_on_the_lane(qtbot, sales, runner, events, tmp_path: Path, monkeypatch):
    screen = open_screen(qtbot, runner, events)
    suggested: list[str] = []

    def choose(parent, name: str) -> str:
        suggested.append(name)
        return str(tmp_path / "report")

    monkeypatch.setattr(dashboard_screen, "choose_pdf_path", choose)
    screen.pdf_button.click()
    assert screen.job.done
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert suggested[0].endswith(".pdf") and TODAY.isoformat() in suggested[0]
    assert "report.pdf" in screen.status.text()
    assert expected_pages() >= 2


def test_with_the_real_db_lane_the_figures_arrive_later(qtbot, sales, events):
    from shopdesk.ui.tasks import TaskRunner

    lane = TaskRunner(events=events)
    try:
        screen = open_screen(qtbot, lane, events)
        with qtbot.waitSignal(screen.job.finished, timeout=10_000):
            pass
        assert tile(screen, "Sales") == "¥400.00"
        assert all(chart.drawn for chart in screen.charts)
        # Two quick changes of period: only the last one's figures are shown.
        screen.set_period(0)
        screen.set_period(2)
        with qtbot.waitSignal(screen.job.finished, timeout=10_000):
            pass
        assert screen.board.period == dashboard_screen.Period.last_days(365)
        assert tile(screen, "Sales") == "¥450.00"
    finally:
        assert lane.wait(10_000)
