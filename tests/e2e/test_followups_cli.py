"""``shopdesk followups`` as a scheduled morning print runs it: a separate process on a demo shop."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def _shopdesk(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "SHOPDESK_DB"}
    env.update(
        XDG_DATA_HOME=str(home / "data"),
        HOME=str(home),
        PYTHONIOENCODING="utf-8",
        LANG="en_US.UTF-8",
        LANGUAGE="",
        LC_ALL="",
    )
    return subprocess.run(
        [sys.executable, "-m", "shopdesk", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo shop of 400 members, built once through the command line."""
    folder = tmp_path_factory.mktemp("followups")
    path = folder / "shop.db"
    result = _shopdesk("demo", "--db", str(path), "--members", "400", "--seed", "7", home=folder)
    assert result.returncode == 0, result.stderr
    return path


def _open_tasks(path: Path) -> int:
    """Open tasks on today's list (those carried over included), read straight from the file."""
    today = dt.date.today().isoformat()
    with sqlite3.connect(path) as connection:
        query = "SELECT COUNT(*) FROM followup_task WHERE status = 'open' AND list_date <= ?"
        return connection.execute(query, (today,)).fetchone()[0]


def test_the_morning_print_writes_a_pdf_and_says_how_many_contacts(demo: Path, tmp_path: Path) -> None:
    output = tmp_path / "today.pdf"
    result = _shopdesk("followups", "--db", str(demo), "-o", str(output), home=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    match = re.fullmatch(
        r"(\d+) contacts? on the follow-up list for \d{4}-\d\d-\d\d, written to (.+)", lines[0]
    )
    assert match and match.group(2) == str(output)
    count = int(match.group(1))
    assert count == _open_tasks(demo) > 0
    assert output.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(output), "-"], capture_output=True, check=True
        ).stdout.decode()
        assert "Page 1 of" in text
        assert re.search(r"1\d\d\*\*\*\*\d{4}", text)  # masked phones
        assert not re.search(r"\b1[3-9]\d{9}\b", text)

    # Run again (the second counter, a retry of the scheduled task): the same list, no duplicates.
    again = _shopdesk("followups", "--db", str(demo), "-o", str(tmp_path / "today.xlsx"), home=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"{count} contact")
    assert _open_tasks(demo) == count


def test_a_wrong_output_or_a_missing_shop_is_one_line_on_stderr(tmp_path: Path) -> None:
    wrong = _shopdesk("followups", "--db", str(tmp_path / "shop.db"), "-o", "today.doc", home=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr.splitlines()[-1].endswith("the output file should end in .pdf, .xlsx or .csv")
    missing = _shopdesk("followups", "--db", str(tmp_path / "shop.db"), "-o", "today.pdf", home=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1 and "There is no shop at" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert not (tmp_path / "shop.db").exists()
