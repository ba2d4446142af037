"""Backups: taken while sales are being recorded they restore to a consistent shop; verified; thinned."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from shopdesk.db.database import close_database, open_database
from shopdesk.db.models import database_proxy
from shopdesk.errors import StorageError, UserError
from shopdesk.services import backup, data_check, members, purchases
from shopdesk.services.members import MemberInput
from shopdesk.services.purchases import PurchaseInput


@pytest.fixture
def shop(tmp_path):
    db = open_database(tmp_path / "shop.db")
    backup.set_backup_folder(tmp_path / "backups")
    yield db
    close_database()


def test_backup_during_a_stream_of_purchases_restores_consistent(shop, tmp_path) -> None:
    member = members.create_member(MemberInput(name="张三", phone="13800138000"))
    stop = threading.Event()
    recorded: list[int] = []

    def counter() -> None:
        with database_proxy.connection_context():
            while not stop.is_set() and len(recorded) < 400:
                recorded.append(purchases.record_purchase(PurchaseInput(member_id=member, amount_fen=12_34)))

    thread = threading.Thread(target=counter)
    thread.start()
    while len(recorded) < 20:
        threading.Event().wait(0.01)
    info = backup.create_backup("manual")
    stop.set()
    thread.join(60)

    backup.restore_backup(info.path)
    restored = members.get_member(member)
    assert 20 <= restored.purchase_count <= len(recorded)
    assert restored.total_spent_fen == restored.purchase_count * 12_34
    assert data_check.check_data().ok
    assert [b.reason for b in backup.list_backups()][:1] == ["restore"]


def test_a_backup_is_one_file_with_nothing_beside_it(shop, tmp_path) -> None:
    members.create_member(MemberInput(name="张三", phone="13800138000"))
    info = backup.create_backup("manual")
    backup.verify(info.path)  # read again: no -wal/-shm appear for it
    assert sorted(path.name for path in (tmp_path / "backups").iterdir()) == [info.path.name]


def test_a_damaged_backup_is_refused_before_anything_changes(shop, tmp_path) -> None:
    members.create_member(MemberInput(name="张三", phone="13800138000"))
    garbage = tmp_path / "backups" / "shop-20250101-090000-manual.db"
    garbage.write_bytes(b"not a database" * 100)
    with pytest.raises(StorageError):
        backup.restore_backup(garbage)
    assert members.count_members() == 1
    with pytest.raises(UserError):
        backup.restore_backup(tmp_path / "missing.db")


def test_daily_backup_once_a_day_and_thinning(shop, tmp_path) -> None:
    assert backup.backup_if_due() is not None
    assert backup.backup_if_due() is None
    folder = tmp_path / "backups"
    for day in range(40):
        stamp = dt.datetime(2025, 1, 1) + dt.timedelta(days=day)
        (folder / f"shop-{stamp:%Y%m%d}-120000-daily.db").write_bytes(b"x")
    removed = backup.thin_backups(folder)
    assert removed > 0
    assert len(backup.list_backups(folder)) <= 14 + 8 + 12 + 1


def test_quick_check_passes_on_a_sound_file(shop) -> None:
    backup.quick_check()


def test_postgresql_backups_are_refused_with_advice(db, db_target) -> None:
    if not db_target.startswith("postgresql"):
        pytest.skip("SQLite backups are tested above")
    with pytest.raises(UserError, match="pg_dump"):
        backup.create_backup("manual")
