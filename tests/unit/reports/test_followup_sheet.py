"""The printable follow-up list: grouping and masking, then its HTML, PDF and spreadsheet renderings."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from shopdesk.domain.followups import TaskKind
from shopdesk.errors import UserError
from shopdesk.reports.followup_sheet import COLUMNS, FollowupSheet, _markup, _runs, build_sheet

DAY = dt.date(2025, 6, 10)  # a Tuesday


@dataclass(frozen=True)
class Task:
    """The fields of ``services.followups.TaskView`` the sheet reads."""

    member_name: str
    phone: str
    kind: TaskKind
    reason: str
    staff_name: str = ""
    due_date: dt.date = DAY
    list_date: dt.date = DAY
    carried_over: bool = False


TASKS = [
    Task("王芳", "13800138000", TaskKind.BIRTHDAY, "Birthday today", "小李"),
    Task("李四", "13912345678", TaskKind.REPURCHASE, "Last bought 面霜 42 days ago", "小王"),
    Task(
        "赵六",
        "",
        TaskKind.MANUAL,
        "Return the umbrella",
        list_date=DAY - dt.timedelta(days=2),
        carried_over=True,
    ),
    Task("张三", "13700001111", TaskKind.BIRTHDAY, "Birthday in 2 days (6/12)"),
]


def _sheet(tasks: list[Task] = TASKS, **options: bool) -> FollowupSheet:
    return build_sheet(tasks, shop_name="小美护肤", day=DAY, **options)


def test_tasks_are_grouped_in_the_order_of_the_kinds_and_keep_their_order_within_a_group() -> None:
    sheet = _sheet()
    assert [(group.kind, [row.name for row in group.rows]) for group in sheet.groups] == [
        (TaskKind.REPURCHASE, ["李四"]),
        (TaskKind.BIRTHDAY, ["王芳", "张三"]),
        (TaskKind.MANUAL, ["赵六"]),
    ]
    assert [group.title for group in sheet.groups] == ["Repurchase reminder", "Birthday", "Manual task"]
    assert sheet.count == 4
    assert sheet.summary() == "Follow-up list: 4 contacts"
    assert _sheet(TASKS[:1]).summary() == "Follow-up list: 1 contact"


def test_phones_are_masked_unless_the_owner_asks_for_them() -> None:
    masked = [row.phone for group in _sheet().groups for row in group.rows]
    assert masked == ["139****5678", "138****8000", "137****1111", ""]
    whole = [row.phone for group in _sheet(full_phones=True).groups for row in group.rows]
    assert whole == ["13912345678", "13800138000", "13700001111", ""]


def test_a_task_carried_over_says_since_when() -> None:
    (manual,) = _sheet().groups[-1].rows
    assert manual.since == DAY - dt.timedelta(days=2)
    assert _sheet().since_note(manual) == "On the list since 6/8"
    assert _sheet().since_note(_sheet().groups[0].rows[0]) == ""


def test_the_date_line_names_the_weekday() -> None:
    assert _sheet().date_line() == "Tuesday, 2025/6/10"
    assert _sheet().title() == "Follow-ups for 2025/6/10"


# ---- HTML -------------------------------------------------------------------------------------------------


def test_html_has_a_table_per_group_with_a_tick_box_per_row() -> None:
    page = _sheet().to_html()
    assert page.count("<table width='100%' border='1'") == 3
    assert page.count("<thead>") == 3  # QTextDocument repeats a <thead> on the next page
    assert page.count("□") == 4
    assert page.index("Repurchase reminder (1)") < page.index("Birthday (2)") < page.index("Manual task (1)")
    assert "小美护肤" in page and "Tuesday, 2025/6/10" in page
    assert "139****5678" in page and "13912345678" not in page
    assert "On the list since 6/8" in page


def test_html_escapes_what_people_typed() -> None:
    task = Task("<b>Amy & Bo</b>", "13800138000", TaskKind.MANUAL, 'Ask about the "gift" <script>')
    page = build_sheet([task], shop_name="A&B <shop>", day=DAY).to_html()
    assert "&lt;b&gt;Amy &amp; Bo&lt;/b&gt;" in page
    assert "&quot;gift&quot; &lt;script&gt;" in page
    assert "A&amp;B &lt;shop&gt;" in page
    assert "<script>" not in page


def test_an_empty_day_says_so() -> None:
    sheet = _sheet([])
    assert sheet.groups == () and sheet.count == 0
    assert "Nobody to contact on this day." in sheet.to_html()
    assert sheet.to_rows() == []


# ---- rows for Excel and CSV ----------------------------------------------------------------------------


def test_rows_follow_the_columns_and_leave_done_and_result_blank() -> None:
    rows = _sheet().to_rows()
    assert all(len(row) == len(COLUMNS) for row in rows)
    assert rows[0] == [
        "Repurchase reminder",
        "李四",
        "139****5678",
        "Last bought 面霜 42 days ago",
        "小王",
        DAY,
        None,
        "",
        "",
    ]
    assert rows[-1][6] == DAY - dt.timedelta(days=2)


def test_csv_opens_in_excel_as_utf8_with_the_columns_titled(tmp_path: Path) -> None:
    path = tmp_path / "today.csv"
    assert _sheet().write_table(path) == 4
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == [
        "Reason for contact",
        "Name",
        "Phone",
        "Details",
        "Staff",
        "Due date",
        "On the list since",
        "Done",
        "Result",
    ]
    assert table[1] == [
        "Repurchase reminder",
        "李四",
        "139****5678",
        "Last bought 面霜 42 days ago",
        "小王",
        "2025-06-10",
        "",
        "",
        "",
    ]


def test_xlsx_has_real_dates_and_text_phones(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "today.xlsx"
    assert _sheet(full_phones=True).write_table(path) == 4
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "Follow-ups for 2025-06-10"
    assert [cell.value for cell in sheet[2]][:6] == [
        "Repurchase reminder",
        "李四",
        "13912345678",
        "Last bought 面霜 42 days ago",
        "小王",
        dt.datetime(2025, 6, 10),
    ]
    assert sheet.max_row == 5


def test_a_spreadsheet_needs_a_known_file_type(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        _sheet().write_table(tmp_path / "today.txt")


# ---- PDF ------------------------------------------------------------------------------------------------


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def _many(count: int) -> list[Task]:
    kinds = [TaskKind.REPURCHASE, TaskKind.COUPON_EXPIRY, TaskKind.NEW_MEMBER]
    return [
        Task(f"会员{index:02d}", f"1380000{index:04d}", kinds[index % 3], f"Reason number {index}", "小李")
        for index in range(count)
    ]


def test_the_pdf_is_an_a4_portrait_sheet_with_page_numbers(tmp_path: Path) -> None:
    path = tmp_path / "today.pdf"
    pages = build_sheet(_many(45), shop_name="小美护肤", day=DAY).to_pdf(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert pages >= 2
    assert len(re.findall(rb"/Type /Page\b", data)) == pages
    assert re.search(rb"/MediaBox \[\s*0 0 595\.27\d* 841\.88\d*\s*\]", data)  # A4 in points, portrait
    text = _pdf_text(path)
    for page in range(1, pages + 1):
        assert f"Page {page} of {pages}" in text
    assert "小美护肤" in text and "Tuesday, 2025/6/10" in text
    assert "Follow-up list: 45 contacts" in text
    assert "138****0007" in text and "13800000007" not in text
    assert text.count("会员") == 45
    assert (
        text.index("Repurchase reminder (15)")
        < text.index("Coupon expiring (15)")
        < text.index("New member care (15)")
    )


def test_a_long_group_repeats_its_heading_on_the_next_page(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    tasks = [Task(f"会员{i:02d}", "13800138000", TaskKind.BIRTHDAY, "Birthday today") for i in range(40)]
    pages = build_sheet(tasks, shop_name="小美护肤", day=DAY).to_pdf(path)
    assert pages == 2
    first, second = _pdf_text(path).split("\f")[:2]
    assert "Birthday (40)" in first and "Birthday (40)" in second
    assert "Name" in second and "Result" in second
    assert "小美护肤 — Tuesday, 2025/6/10" in second  # the running head, in case the sheets part


def test_an_empty_day_prints_one_page(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    assert _sheet([]).to_pdf(path) == 1
    assert "Nobody to contact on this day." in _pdf_text(path)


def test_a_pdf_into_a_missing_folder_is_refused_and_an_old_file_survives_a_failure(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        _sheet().to_pdf(tmp_path / "nowhere" / "today.pdf")
    target = tmp_path / "today.pdf"
    target.write_bytes(b"yesterday")
    broken = build_sheet(TASKS, shop_name="小美护肤", day=DAY)
    object.__setattr__(broken, "groups", "not groups")  # a failure half-way through the layout
    with pytest.raises(AttributeError):
        broken.to_pdf(target)
    assert target.read_bytes() == b"yesterday"
    assert [p.name for p in tmp_path.iterdir()] == ["today.pdf"]  # no temporary file left behind


def test_latin_text_and_chinese_are_set_in_their_own_fonts() -> None:
    assert _runs("Last bought 面霜 42 days") == [(True, "Last bought "), (False, "面霜"), (True, " 42 days")]
    assert _markup("a<b 张") == '<font face="Helvetica">a&lt;b </font>张'
    assert _markup("¥50 · ok", bold=True) == '<font face="Helvetica-Bold">¥50 · ok</font>'
