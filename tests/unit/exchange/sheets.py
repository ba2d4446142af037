"""Hand-made sheets as shops really send them: titles above the header, merged cells, every phone and
date form, duplicates, totals rows; written with openpyxl or as CSV bytes in several encodings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import openpyxl


def xlsx(
    path: Path, rows: Sequence[Sequence[object]], *, merges: Sequence[str] = (), title: str = "会员"
) -> Path:
    """Write ``rows`` from A1 (None leaves a cell empty) and merge the given ranges."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed as text in Excel (openpyxl would save a formula)
    for cells in merges:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str, delimiter: str = ",") -> bytes:
    """Rows as CSV text in ``encoding`` (``utf-8-sig`` adds the BOM Excel writes)."""
    lines = [delimiter.join("" if cell is None else str(cell) for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


MESSY_MEMBERS: list[list[object]] = [
    ["星光美妆 会员名单（2024年导出）", None, None, None, None, None, None, None],
    ["导出时间：2024-05-01", None, None, None, None, None, None, None],
    ["会员手机号*", "姓名", "生日", "会员等级", "积分", "标签", "备注", "入会日期"],
    [
        13800138000.0,
        "张三",
        dt.date(1990, 3, 9),
        "金卡",
        1200,
        "敏感肌、VIP",
        "老客户",
        dt.datetime(2022, 1, 5, 10, 30),
    ],
    ["138 0013 8001", " 李四 ", "3月9日", None, "1,200", "VIP", None, "2022/1/6"],
    ["138-0013-8002", "王五", "1988年12月1日", "银卡会员", None, None, '=HYPERLINK("x")', "2022年1月7日"],
    ["+86 138 0013 8003", "赵六", "1995/7/15", None, None, "敏感肌", None, 44568],
    ["１３８００１３８００４", "钱七", "07-15", None, None, None, None, None],
    ["8613800138005", "孙八", 32000, None, None, None, None, None],
    ["13800138000", None, None, None, 50, "新客", "second row of 张三", None],  # same phone: merged
    ["1380013800", "周九", None, None, None, None, None, None],  # ten digits: wrong
    [None, None, None, None, None, None, None, None],
    ["合计", None, None, None, 2450, None, None, None],
]
