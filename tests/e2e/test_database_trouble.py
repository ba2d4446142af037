"""Trouble with the database, each with a clear message in the user's language: a second copy of the app
on the same file, a damaged file, a full disk, and a PostgreSQL server that goes away and comes back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from shopdesk.db.database import close_database, open_database
from shopdesk.db.models import database_proxy
from shopdesk.errors import StorageError, UserError
from shopdesk.i18n import setup_i18n
from shopdesk.services import backup, members, purchases
from shopdesk.services.instance_lock import InstanceLock
from shopdesk.services.members import MemberInput
from shopdesk.services.purchases import PurchaseInput
from shopdesk.services.shop import open_shop

from .tcp_proxy import TcpProxy


def _shop(path: Path) -> int:
    open_database(path)
    member = members.create_member(MemberInput(name="张三", phone="13800138000"))
    close_database()
    return member


def test_a_second_copy_of_the_app_on_the_same_shop_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    _shop(path)
    with InstanceLock(path):
        with pytest.raises(UserError, match="already open"):
            InstanceLock(path).acquire()
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        run = subprocess.run(
            [sys.executable, "-m", "shopdesk", "--db", str(path), "--lang", "en", "--quit-after-show"],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert run.returncode == 1
        assert "already open" in run.stderr
    InstanceLock(path).acquire().release()  # free again once the first copy closes


def test_a_damaged_file_is_explained_and_the_newest_good_backup_offered(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    open_database(path)
    backup.set_backup_folder(tmp_path / "backups")
    members.create_member(MemberInput(name="张三", phone="13800138000"))
    good = backup.create_backup("manual")
    close_database()
    with path.open("r+b") as handle:
        handle.seek(0)
        handle.write(b"\x00" * 4096)  # the header and the first page are gone
    setup_i18n("zh_CN")
    with pytest.raises(StorageError) as error:
        open_shop(path)
    assert error.value.message != "The shop's data file is damaged."  # said in Chinese
    setup_i18n("en")
    offered = backup.newest_good_backup(path)
    assert offered is not None and offered.path == good.path


def test_a_full_disk_saves_nothing_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    member = _shop(path)
    db = open_database(path)
    try:
        pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
        db.execute_sql(f"PRAGMA max_page_count = {pages}")  # the file cannot grow: as if the disk were full
        with pytest.raises(StorageError, match="disk is full"):
            for index in range(2000):
                purchases.record_purchase(
                    PurchaseInput(member_id=member, amount_fen=10_00, note="x" * 400 + str(index))
                )
        db.execute_sql("PRAGMA max_page_count = 1073741823")
        detail = members.get_member(member)
        assert detail.purchase_count == len(purchases.list_member_purchases(member, limit=5000))
    finally:
        close_database()


def test_a_postgresql_server_that_goes_away_and_comes_back(db_target: str) -> None:
    if not db_target.startswith("postgresql"):
        pytest.skip("a PostgreSQL server is needed")
    parts = urlsplit(db_target)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432).start()
    through_proxy = urlunsplit(
        parts._replace(
            netloc=parts.netloc.replace(f"{parts.hostname}:{parts.port or 5432}", f"127.0.0.1:{proxy.port}")
        )
    )
    open_database(through_proxy)
    try:
        member = members.create_member(MemberInput(name="张三", phone="13800138000"))
        sale = PurchaseInput(member_id=member, amount_fen=58_00, uid="counter-1-0001")
        proxy.cut()
        with pytest.raises(StorageError, match="cannot be reached"):
            purchases.record_purchase(sale)
        proxy.start()  # the server is back, on the same address
        purchases.record_purchase(sale)  # the clerk presses Save again: same sale, same uid
        purchases.record_purchase(sale)
        assert members.get_member(member).purchase_count == 1
    finally:
        proxy.cut()
        if not database_proxy.obj.is_closed():
            close_database()
