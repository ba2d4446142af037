"""The bench's SQLite floor writes exactly what the import wrote, into the same schema and indexes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from shopdesk.bench.sqlite_floor import WRITTEN_TABLES, sqlite_write_floor
from shopdesk.db.database import close_database
from shopdesk.exchange.member_import import import_members
from shopdesk.services.tiers import ensure_default_tiers

from .sheets import xlsx


def _contents(path: Path) -> tuple[dict[str, list[tuple]], set[str]]:
    connection = sqlite3.connect(path)
    try:
        rows = {
            table: connection.execute(f'SELECT * FROM "{table}" ORDER BY 1, 2').fetchall()
            for table in WRITTEN_TABLES
        }
        indexes = {
            name
            for (name, table) in connection.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            ).fetchall()
            if table in WRITTEN_TABLES
        }
        return rows, indexes
    finally:
        connection.close()


def test_the_floor_replays_the_imported_rows_and_indexes(sqlite_db: object, tmp_path: Path) -> None:
    ensure_default_tiers()
    sheet = [
        ["手机", "姓名", "积分", "标签"],
        ["13800000001", "张三", 120, "老客"],
        ["13800000002", "李四", 0, "老客,爱喝茶"],
        ["13800000003", "王五", 35, ""],
    ]
    _plan, result = import_members(xlsx(tmp_path / "members.xlsx", sheet))
    assert result.created == 3
    close_database()
    imported = tmp_path / "shop.db"

    seconds = sqlite_write_floor(imported, tmp_path / "floor.db")

    assert seconds > 0
    source_rows, source_indexes = _contents(imported)
    floor_rows, floor_indexes = _contents(tmp_path / "floor.db")
    assert floor_rows == source_rows
    assert len(source_rows["member"]) == 3 and len(source_rows["points_entry"]) == 2
    assert len(source_rows["member_tag"]) == 3
    assert "member_phone" in source_indexes and floor_indexes == source_indexes
