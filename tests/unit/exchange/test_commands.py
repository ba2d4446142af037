"""``shopdesk import`` and ``shopdesk export`` end to end through the CLI's main(), with exit codes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from shopdesk import cli
from shopdesk.db.database import close_database, open_database
from shopdesk.db.models import Member, Purchase

from .sheets import MESSY_MEMBERS, xlsx


@pytest.fixture
def shop_file(tmp_path: Path) -> str:
    path = tmp_path / "shop.db"
    open_database(path)
    close_database()
    return str(path)


def _members(path: str) -> int:
    open_database(path)
    try:
        return Member.select().count()
    finally:
        close_database()


def test_invalid_rows_stop_the_import_with_exit_1(
    shop_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = xlsx(tmp_path / "m.xlsx", [row[:3] for row in MESSY_MEMBERS])
    code = cli.main(
        ["import", "members", str(sheet), "--db", shop_file, "--report", str(tmp_path / "r.xlsx")]
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert "Nothing was imported: 1 row is invalid" in out
    assert "Row 11, column A (会员手机号*)" in err
    assert (tmp_path / "r.xlsx").exists()
    assert _members(shop_file) == 0


def test_skip_invalid_imports_and_prints_counts(
    shop_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = xlsx(tmp_path / "m.xlsx", [row[:3] for row in MESSY_MEMBERS])
    assert cli.main(["import", "members", str(sheet), "--skip-invalid", "--db", shop_file]) == 0
    out = capsys.readouterr().out
    assert "New members:" in out and " 6" in out
    assert "Rows merged into another row with the same phone:" in out
    assert "Rows rejected:" in out
    assert _members(shop_file) == 6
    assert (
        cli.main(["import", "members", str(sheet), "--skip-invalid", "--existing", "skip", "--db", shop_file])
        == 0
    )
    assert "Members left as they were (--existing skip):" in capsys.readouterr().out


def test_all_rows_invalid_exits_1_even_when_skipping(shop_file: str, tmp_path: Path) -> None:
    sheet = xlsx(tmp_path / "m.xlsx", [["手机号", "姓名"], ["123", "张三"]])
    assert cli.main(["import", "members", str(sheet), "--skip-invalid", "--db", shop_file]) == 1


def test_purchases_and_exports(shop_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sales = xlsx(
        tmp_path / "s.xlsx", [["手机号", "姓名", "日期", "金额"], ["13800138000", "张三", "2023-05-01", 99]]
    )
    assert cli.main(["import", "purchases", str(sales), "--db", shop_file]) == 1  # the phone is unknown
    assert cli.main(["import", "purchases", str(sales), "--create-members", "--db", shop_file]) == 0
    out = capsys.readouterr().out
    assert "Purchases imported:" in out and "Members created:" in out
    for what, name in (("members", "m.xlsx"), ("purchases", "p.csv"), ("points", "l.xlsx")):
        assert cli.main(["export", what, "-o", str(tmp_path / name), "--db", shop_file]) == 0
    out = capsys.readouterr().out
    assert f"Exported 1 member to {tmp_path / 'm.xlsx'}." in out
    assert "Exported 1 purchase to" in out and "Exported 0 points entries to" in out
    assert openpyxl.load_workbook(tmp_path / "m.xlsx").active["A2"].value == "13800138000"
    assert (
        cli.main(
            ["export", "members", "-o", str(tmp_path / "masked.csv"), "--mask-phones", "--db", shop_file]
        )
        == 0
    )
    assert "138****8000" in (tmp_path / "masked.csv").read_text(encoding="utf-8-sig")
    assert cli.main(["export", "template", "-o", str(tmp_path / "t.xlsx"), "--db", shop_file]) == 0
    open_database(shop_file)
    try:
        assert Purchase.select().count() == 1
    finally:
        close_database()


def test_errors_the_user_can_fix(shop_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"not a spreadsheet \x00\x01\x02" * 50)
    assert cli.main(["import", "members", str(tmp_path / "x.xlsx"), "--db", shop_file]) == 1
    assert "not an Excel or CSV file" in capsys.readouterr().err
    no_phone = xlsx(tmp_path / "n.xlsx", [["姓名"], ["张三"]])
    assert cli.main(["import", "members", str(no_phone), "--db", shop_file]) == 1
    assert "no column for Phone" in capsys.readouterr().err
    assert cli.main(["export", "members", "-o", str(tmp_path / "m.pdf"), "--db", shop_file]) == 1
    assert cli.main(["import", "members", str(no_phone), "--db", str(tmp_path / "nowhere.db")]) == 1
    assert "There is no shop" in capsys.readouterr().err
    assert cli.main(["export", "members", "--db", shop_file]) == 2  # -o is required
