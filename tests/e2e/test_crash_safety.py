"""SIGKILL in the middle of a stream of purchases and of a large import, then reopen: the file is sound,
every acknowledged purchase is there, and the import is all or nothing."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from shopdesk.db.database import close_database, open_database
from shopdesk.services import members
from shopdesk.services.members import MemberInput

CHILD = str(Path(__file__).with_name("crash_child.py"))
pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is a POSIX signal")


def _child(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, CHILD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _kill(child: subprocess.Popen) -> None:
    """SIGKILL, as a power cut or a crash would stop it: no clean-up, no rollback by the process."""
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)


def _integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def test_killed_during_a_stream_of_purchases_keeps_every_acknowledged_one(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    open_database(path)
    member = members.create_member(MemberInput(name="张三", phone="13800138000"))
    close_database()

    child = _child("purchases", str(path), str(member))
    acknowledged = []
    assert child.stdout is not None
    for line in child.stdout:
        acknowledged.append(int(line))
        if len(acknowledged) >= 60:
            break
    _kill(child)

    assert _integrity(path) == "ok"
    open_database(path)
    try:
        connection = sqlite3.connect(path)
        stored = {row[0] for row in connection.execute("SELECT id FROM purchase")}
        connection.close()
        assert set(acknowledged) <= stored
        detail = members.get_member(member)
        assert detail.purchase_count == len(stored)  # figures were written with each purchase
    finally:
        close_database()


def test_killed_during_a_large_import_leaves_the_shop_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    open_database(path)
    members.create_member(MemberInput(name="老会员", phone="13900000000"))
    close_database()
    sheet = tmp_path / "members.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "手机号", "积分"])
        for index in range(30_000):
            writer.writerow([f"客{index}", f"137{index:08d}", index % 500])

    child = _child("import", str(path), str(sheet))
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    if line != "writing":
        _, errors = child.communicate(timeout=60)
        pytest.fail(f"the import did not start writing: {line!r} {errors}")
    _kill(child)

    assert _integrity(path) == "ok"
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("SELECT COUNT(*) FROM member").fetchone()[0] == 1
        assert connection.execute("SELECT COUNT(*) FROM points_entry").fetchone()[0] == 0
    finally:
        connection.close()
