"""The ``reminders`` and ``reminders-eval`` commands, run through the ``shopdesk`` command line."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from shopdesk import cli
from shopdesk.db import sql
from shopdesk.db.database import close_database, open_database

from .conftest import CUTOFF


@pytest.fixture
def shop(small_shop_sheet) -> str:
    return str(small_shop_sheet).replace("-purchases.csv", ".db")


def test_evaluating_a_sheet_prints_the_table(small_shop_sheet, capsys) -> None:
    args = ["reminders-eval", "--purchases", str(small_shop_sheet), "--cutoff", CUTOFF.isoformat()]
    args.append("--no-bgnbd")
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "| Ranking | P@100 | R@100 | P@500 | R@500 | P@1000 | R@1000 |" in out
    assert "| Baseline: recency |" in out
    assert "At k = 500, precision points:" in out


def test_the_cut_off_defaults_to_a_horizon_ending_with_the_sheet(tmp_path, capsys) -> None:
    sheet = tmp_path / "tiny.csv"
    sheet.write_text("phone,date,amount\n13800138000,2026-01-01,10\n13800138000,2026-01-20,10\n"
                     "13900139000,2026-01-15,10\n", encoding="utf-8")
    assert cli.main(["reminders-eval", "--purchases", str(sheet), "--horizon", "10", "--no-bgnbd"]) == 0
    assert "before 2026-01-11;" in capsys.readouterr().out


def test_exporting_a_shop_gives_a_sheet_the_evaluation_reads(shop, tmp_path, capsys) -> None:
    out = tmp_path / "purchases.csv"
    assert cli.main(["reminders-eval", "--export-purchases", str(out), "--db", shop]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    open_database(shop)
    try:
        query = "SELECT COUNT(*) FROM purchase WHERE refunded_at IS NULL AND member_id IS NOT NULL"
        (expected,) = sql.rows(query)[0]  # members' sales: walk-ins have no one to remind
    finally:
        close_database()
    assert len(rows) == expected
    assert set(rows[0]) == {"member_id", "phone", "date", "amount", "category"}
    assert f"{expected:,} purchases written" in capsys.readouterr().out


def test_the_reminders_list_goes_to_excel_with_real_dates_and_text_phones(shop, tmp_path, capsys) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "reminders.xlsx"
    day = CUTOFF.isoformat()
    assert cli.main(["reminders", "--db", shop, "--date", day, "--horizon", "7", "--limit", "5",
                     "-o", str(out)]) == 0
    assert "5 members expected to buy from" in capsys.readouterr().out
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 5
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5]
    assert all(isinstance(row[1], str) and len(row[1]) == 11 for row in rows)
    assert all(isinstance(row[3], dt.datetime) for row in rows)
    scores = [row[6] for row in rows]
    assert scores == sorted(scores, reverse=True)
    open_database(shop)
    try:
        (details,) = sql.rows("SELECT details FROM audit_log WHERE action = 'reminders.export'")[-1]
    finally:
        close_database()
    assert json.loads(details) == {"date": day, "horizon": 7, "rows": 5}


def test_the_reminders_list_as_csv(shop, tmp_path) -> None:
    out = tmp_path / "reminders.csv"
    assert cli.main(["reminders", "--db", shop, "--date", CUTOFF.isoformat(), "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:4] == ["Rank", "Phone", "Name", "Expected date"]
    assert len(rows) > 20
    assert all(row[7] == "Repurchase" for row in rows[1:])


def test_wrong_outputs_and_missing_shops_are_explained(tmp_path, capsys) -> None:
    assert cli.main(["reminders", "--db", str(tmp_path / "none.db"), "-o", str(tmp_path / "r.txt")]) == 2
    assert ".csv or .xlsx" in capsys.readouterr().err
    assert cli.main(["reminders", "--db", str(tmp_path / "none.db"), "-o", str(tmp_path / "r.csv")]) == 1
    assert "There is no shop at" in capsys.readouterr().err
    assert cli.main(["reminders", "--date", "tomorrow", "-o", "r.csv"]) == 2
    assert "is not a date" in capsys.readouterr().err
