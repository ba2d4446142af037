"""Screenshots of tags and segments in the GUI (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tools/screenshots/tags.py [--lang zh_CN] [--keep /tmp/demo.db]

Builds a demo shop of 2,000 members in a temporary folder (or reuses ``--keep``), saves two segments a
shopkeeper would make, and writes ``tags.png`` (the 标签与分群 page) and ``members_segment.png`` (the
Members page filtered by a saved segment, the member's Tags tab in front) into ``docs/screenshots``;
the bulk dialog and the open filter panel go to ``--extra``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]


def _settle(app) -> None:
    for _ in range(5):
        app.processEvents()


def _seed_segments() -> int:
    """Two saved segments built from demo tags and figures; returns the id of the one to show."""
    from shopdesk.domain.lifecycle import Lifecycle
    from shopdesk.services.segments import SegmentFilter, save_segment
    from shopdesk.services.tags import list_tags

    manual = [tag for tag in list_tags() if not tag.is_auto]
    first = manual[0].id if manual else None
    chosen = save_segment(
        "干皮老顾客",
        SegmentFilter(tags_any=(first,) if first else (), visits_min=2),
        replace=True,
    )
    save_segment(
        "沉睡待唤醒",
        SegmentFilter(lifecycles=(Lifecycle.DORMANT.value,), spent_min_fen=500_00),
        replace=True,
    )
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="zh_CN")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--extra", default=str(Path(tempfile.gettempdir()) / "shopdesk-tags-shots"))
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--keep", default=None, help="build the demo shop here once and reuse it")
    args = parser.parse_args()
    out, extra = Path(args.out), Path(args.extra)
    out.mkdir(parents=True, exist_ok=True)
    extra.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings

    from shopdesk.i18n import setup_i18n

    language = setup_i18n(args.lang)
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        from shopdesk.db.database import open_database
        from shopdesk.services.demo_shop import build_demo_shop
        from shopdesk.ui import application
        from shopdesk.ui.main_window import MainWindow
        from shopdesk.ui.style import apply_style
        from shopdesk.ui.tasks import SyncTaskRunner

        app = application._application()
        application._install_qt_translator(app, language)
        apply_style(app)

        target = str(Path(folder) / "demo.db")
        if args.keep and Path(args.keep).exists():
            shutil.copy(args.keep, target)
        else:
            build_demo_shop(target, args.members, seed=7)
            if args.keep:
                shutil.copy(target, args.keep)
        open_database(target)
        segment_id = _seed_segments()
        runner = SyncTaskRunner()
        window = MainWindow(target, runner)
        window.resize(1280, 800)
        window.show()

        tags_page = window.switch_to("tags")
        tags_page.refresh()
        _settle(app)
        window.grab().save(str(out / "tags.png"))

        members = window.switch_to("members")
        members.filter_button.setChecked(True)
        members.filters.reload_choices()
        members.filters.load_segment(segment_id)
        _settle(app)
        window.grab().save(str(extra / "members_filter_open.png"))
        members.filter_button.setChecked(False)
        members.filter_button.setChecked(True)
        members.select_row(2)
        members.sync_detail()
        panel = members.detail
        if "tags" in panel._tabs:
            panel.tabs.setCurrentWidget(panel.tab("tags"))
        _settle(app)
        window.grab().save(str(out / "members_segment.png"))

        from shopdesk.ui.dialogs.bulk_tag import BulkTagDialog

        members.table.selectRow(0)
        dialog = BulkTagDialog(window, runner, members.selected_member_ids(), members.model.member_ids())
        dialog.show()
        _settle(app)
        dialog.grab().save(str(extra / "bulk_tag.png"))
        dialog.close()
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
