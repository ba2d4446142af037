"""``shopdesk followups`` in-process on SQLite and PostgreSQL: it builds the day's list once and writes it."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from shopdesk import cli
from shopdesk.db.database import close_database, open_database
from shopdesk.db.models import FollowupTask
from shopdesk.domain.followups import FollowupSettings, TaskKind
from shopdesk.services import followups, members
from shopdesk.services.members import MemberInput
from shopdesk.services.settings import SHOP_NAME, set_setting

DAY = "2025-06-10"


@pytest.fixture
def shop(db: object, db_target: str) -> str:
    """A closed shop with only birthdays switched on: one on the day, one the day after."""
    set_setting(SHOP_NAME, "小美护肤")
    settings = FollowupSettings()
    for kind, values in settings.kinds.items():
        values.enabled = kind is TaskKind.BIRTHDAY
    followups.save_followup_settings(settings)
    members.create_member(MemberInput(name="王芳", phone="13800138000", birthday="1990-06-10"))
    members.create_member(MemberInput(name="李四", phone="13912345678", birthday="06-11"))
    close_database()
    return db_target


def _run(*args: str) -> int:
    return cli.main(["followups", *args])


def test_the_list_is_built_once_and_written_to_each_format(shop: str, tmp_path: Path, capsys) -> None:
    outputs = [tmp_path / name for name in ("today.csv", "today.xlsx", "today.pdf")]
    for output in outputs:
        assert _run("--db", shop, "--date", DAY, "-o", str(output)) == 0
        assert capsys.readouterr().out == f"2 contacts on the follow-up list for {DAY}, written to {output}\n"
        assert output.stat().st_size > 0
    with outputs[0].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[:3] for row in rows[1:]] == [
        ["Birthday", "王芳", "138****8000"],
        ["Birthday", "李四", "139****5678"],
    ]
    assert outputs[2].read_bytes().startswith(b"%PDF-")
    open_database(shop)
    assert FollowupTask.select().count() == 2  # three runs, one list


def test_whole_phones_when_asked(shop: str, tmp_path: Path, capsys) -> None:
    output = tmp_path / "today.csv"
    assert _run("--db", shop, "--date", DAY, "--full-phones", "-o", str(output)) == 0
    assert "13800138000" in output.read_text(encoding="utf-8-sig")


def test_a_missing_shop_or_a_wrong_file_type_is_refused(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nowhere.db"
    assert _run("--db", str(missing), "-o", str(tmp_path / "today.pdf")) == 1
    assert "There is no shop at" in capsys.readouterr().err
    assert not missing.exists()
    assert _run("--db", str(missing), "-o", str(tmp_path / "today.docx")) == 2
    assert "should end in .pdf, .xlsx or .csv" in capsys.readouterr().err
    assert _run("--db", str(missing), "--date", "10/06/2025", "-o", str(tmp_path / "today.pdf")) == 2
    assert "is not a date" in capsys.readouterr().err


def test_the_date_defaults_to_today(shop: str, tmp_path: Path, capsys) -> None:
    output = tmp_path / "today.csv"
    assert _run("--db", shop, "-o", str(output)) == 0
    assert f"for {dt.date.today().isoformat()}" in capsys.readouterr().out
