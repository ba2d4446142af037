"""``shopdesk export coupons`` and ``shopdesk export followups`` through the CLI's main(): the files, the
filters (tag, dates), masked phones, the messages and the exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from shopdesk import cli
from shopdesk.db.database import close_database, open_database
from shopdesk.db.models import Coupon, FollowupTask
from shopdesk.domain.followups import TaskKind
from shopdesk.services.coupon_templates import TemplateInput, create_template
from shopdesk.services.coupons import issue_coupon
from shopdesk.services.followups import add_manual_task
from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.tags import bulk_tag, create_tag


@pytest.fixture
def shop_file(tmp_path: Path) -> str:
    """A shop with two members (one tagged VIP), a coupon each, and a follow-up each on two days."""
    path = tmp_path / "shop.db"
    open_database(path)
    try:
        zhang = create_member(MemberInput(name="张三", phone="13800138000"))
        li = create_member(MemberInput(name="李四", phone="13900139000"))
        bulk_tag([zhang], create_tag("VIP"))
        template = create_template(TemplateInput("无门槛10元", "cash", value_fen=10_00))
        issue_coupon(template, zhang)
        old = issue_coupon(template, li)
        Coupon.update(issued_at=dt.datetime(2024, 5, 1, 10, 0)).where(Coupon.id == old).execute()
        add_manual_task(zhang, dt.date.today(), "Ask about the cream")
        FollowupTask.create(
            member=li,
            kind=TaskKind.WINBACK.value,
            key=f"winback:{li}:2024-01-01",
            list_date=dt.date(2024, 5, 2),
            due_date=dt.date(2024, 5, 2),
            reason="Has not been back for 120 days; invite them back",
        )
    finally:
        close_database()
    return str(path)


def _first_column(path: Path, column: int) -> list[object]:
    sheet = openpyxl.load_workbook(path).active
    return [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_export_coupons(shop_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "coupons.xlsx"
    assert cli.main(["export", "coupons", "-o", str(target), "--db", shop_file]) == 0
    assert f"Exported 2 coupons to {target}." in capsys.readouterr().out
    assert _first_column(target, 3) == ["张三", "李四"]
    assert _first_column(target, 2) == ["¥10.00 off", "¥10.00 off"]
    assert (
        cli.main(["export", "coupons", "-o", str(tmp_path / "vip.csv"), "--tag", "VIP", "--db", shop_file])
        == 0
    )
    assert "Exported 1 coupon to" in capsys.readouterr().out
    args = [
        "export",
        "coupons",
        "-o",
        str(tmp_path / "may.csv"),
        "--since",
        "2024-05-01",
        "--until",
        "2024-05-31",
    ]
    assert cli.main([*args, "--mask-phones", "--db", shop_file]) == 0
    lines = (tmp_path / "may.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and ",李四,139****9000,2024-05-01 10:00:00," in lines[1]


def test_export_followups(shop_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "followups.xlsx"
    assert cli.main(["export", "followups", "-o", str(target), "--db", shop_file, "--lang", "zh_CN"]) == 0
    assert f"已导出 2 条跟进记录到 {target}。" in capsys.readouterr().out
    assert _first_column(target, 1) == ["李四", "张三"]  # by list date
    assert _first_column(target, 3) == ["沉睡唤醒", "手动任务"]
    path = tmp_path / "f.csv"
    assert cli.main(["export", "followups", "-o", str(path), "--until", "2024-12-31", "--db", shop_file]) == 0
    assert "Exported 1 follow-up to" in capsys.readouterr().out
    assert (tmp_path / "f.csv").read_text(encoding="utf-8-sig").splitlines()[1].startswith("2024-05-02,李四,")
    assert cli.main(["export", "followups", "-o", str(path), "--tag", "nope", "--db", shop_file]) == 1
    assert "no tag called nope" in capsys.readouterr().err
    assert cli.main(["export", "followups", "-o", str(path), "--since", "May 1", "--db", shop_file]) == 2


def test_the_help_lists_the_new_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", "--help"]) == 0
    out = capsys.readouterr().out
    assert "members|purchases|points|coupons|followups|template" in out
    assert "every coupon issued" in out and "every follow-up task" in out
