"""The dashboard PDF report: written whole, one page for the KPIs and first chart and two charts a page after.

Figures are built by hand (the report only lays them out); one test goes through the real service on a
small shop, on SQLite and PostgreSQL. Text is read back with ``pdftotext``.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from shopdesk.errors import UserError
from shopdesk.reports.dashboard_charts import CHARTS, kpi_cards, render
from shopdesk.reports.dashboard_report import expected_pages, write_dashboard_pdf
from shopdesk.services.dashboard import Dashboard, Kpis, MonthRow, Period

TODAY = dt.date(2025, 6, 10)


def _kpis(**changes: object) -> Kpis:
    values = dict(
        members=1234,
        new_members=56,
        active_members=400,
        repurchase_rate=0.625,
        average_order_fen=28_650,
        member_sales_share=0.8,
        sales_fen=11_460_000,
        member_sales_fen=9_168_000,
        orders=400,
        followup_conversion=0.25,
        contacted_members=20,
        coupon_redemption_rate=0.5,
        coupons_issued=30,
        points_owed_fen=123_456,
        points_expiring_next_month=789,
    )
    values.update(changes)
    return Kpis(**values)  # type: ignore[arg-type]


def _board(**kpi_changes: object) -> Dashboard:
    months = tuple(
        MonthRow(f"2025-{month:02d}", 10 + month, 100_000 * month, 3, 30_000, 5 + month, 70_000, 0.6)
        for month in range(1, 7)
    )
    return Dashboard(
        period=Period(dt.date(2025, 3, 13), TODAY),
        kpis=_kpis(**kpi_changes),
        months=months,
        lifecycle={"active": 700, "dormant": 300, "lost": 200, "new": 34},
        tiers={"银卡": 500, "金卡": 200, "": 534},
        rfm_segments={"important_value": 120, "general_retention": 300},
        funnel=(("acquired", 1234), ("first_purchase", 1000), ("repurchase", 600), ("referred", 50)),
        categories=(("面霜", 5_000_000), ("精华", 3_000_000)),
        sources={"store": 900, "referral": 334},
        top_referrers=(("王芳", 5), ("李娜", 3)),
    )


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def _page_count(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))


def test_the_report_has_a_page_for_the_kpis_then_two_charts_a_page(tmp_path: Path) -> None:
    target = tmp_path / "dashboard.pdf"
    pages = write_dashboard_pdf(_board(), "悦己 Beauty 美妆", target, today=TODAY)
    assert pages == expected_pages() == 1 + (len(CHARTS) - 1 + 1) // 2
    assert _page_count(target) == pages
    assert target.read_bytes().startswith(b"%PDF")


def test_the_text_names_the_shop_the_period_and_the_figures(tmp_path: Path) -> None:
    target = tmp_path / "dashboard.pdf"
    write_dashboard_pdf(_board(), "悦己美妆 Studio", target, today=TODAY)
    text = _pdf_text(target)
    assert "悦己美妆" in text and "Studio" in text
    assert "3/13 to 6/10" in text
    assert "¥286.50" in text  # 客单价
    assert "62.5%" in text  # repurchase rate
    assert "¥1,234.56" in text  # points owed
    assert f"Page 1 of {expected_pages()}" in text
    assert "New members and sales by month" in text


def test_an_empty_shop_still_gets_a_whole_report(tmp_path: Path) -> None:
    empty = Dashboard(
        period=Period(TODAY, TODAY),
        kpis=_kpis(members=0, new_members=0, active_members=0, orders=0, sales_fen=0, average_order_fen=0),
        months=(),
        lifecycle={},
        tiers={},
        rfm_segments={},
        funnel=(),
        categories=(),
        sources={},
    )
    target = tmp_path / "empty.pdf"
    assert write_dashboard_pdf(empty, "Shop", target, today=TODAY) == expected_pages()
    assert "Top referrers" in _pdf_text(target)  # the last chart's title: nothing was left out
    for spec in CHARTS:
        texts = [text.get_text() for axes in render(spec, empty).axes for text in axes.texts]
        assert any(text.startswith("No ") for text in texts), spec.key  # says why it is blank


def test_a_missing_folder_is_the_users_to_fix_and_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        write_dashboard_pdf(_board(), "Shop", tmp_path / "nowhere" / "dashboard.pdf", today=TODAY)
    assert not (tmp_path / "nowhere").exists()


def test_every_chart_draws_its_figures() -> None:
    board = _board()
    for spec in CHARTS:
        figure = render(spec, board)
        drawn = [axes for axes in figure.axes if axes.patches or axes.lines]
        assert drawn, spec.key


def test_kpi_cards_show_money_counts_and_shares() -> None:
    cards = {card.title: card for card in kpi_cards(_board())}
    assert cards["Average order value"].value == "¥286.50"
    assert cards["Members"].value == "1,234"
    assert cards["Member share of sales"].value == "80.0%"
    assert cards["Points owed"].hint == "789 points expire next month"
    assert cards["Follow-up conversion"].hint == "20 members contacted; bought within 7 days"


def test_the_report_of_a_real_shop_counts_its_members(db: object, tmp_path: Path) -> None:
    from shopdesk.services.dashboard import dashboard
    from shopdesk.services.members import MemberInput, create_member
    from shopdesk.services.purchases import PurchaseInput, record_purchase
    from shopdesk.services.settings import SHOP_NAME, set_setting

    set_setting(SHOP_NAME, "小美的店")
    first = create_member(MemberInput(name="王芳", phone="13800138000"))
    create_member(MemberInput(name="李娜", phone="13800138001"))
    record_purchase(PurchaseInput(member_id=first, amount_fen=12_345))
    board = dashboard(Period.last_days(30))
    target = tmp_path / "shop.pdf"
    assert write_dashboard_pdf(board, "小美的店", target) == expected_pages()
    text = _pdf_text(target)
    assert "小美的店" in text
    assert "¥123.45" in text
