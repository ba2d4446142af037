"""Screenshots of tags and segments in the GUI (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tools/screenshots/tags.py [--lang zh_CN] [--keep /tmp/demo.db]

Builds a demo shop of 2,000 members in a temporary folder (or reuses ``--keep``), saves two segments a
shopkeeper would make, and writes ``tags.png`` (the 标签与分群 page) and ``members_segment.png`` (the
Members page filtered by a saved segment, the member's Tags tab in front) into ``docs/screenshots``;
the bulk dialog and the open filter panel go to ``--extra``.
"""

from __future__ import annotations

import sys

from _setup import screenshot_parser, screenshot_session, settle


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
    args = screenshot_parser(extra="shopdesk-tags-shots").parse_args()
    with screenshot_session(args) as session:
        from shopdesk.ui.main_window import MainWindow

        app, runner, out, extra = session.app, session.runner, session.out, session.extra
        segment_id = _seed_segments()
        window = MainWindow(str(session.shop), runner)
        window.resize(1280, 800)
        window.show()

        tags_page = window.switch_to("tags")
        tags_page.refresh()
        settle(app)
        window.grab().save(str(out / "tags.png"))

        members = window.switch_to("members")
        members.filter_button.setChecked(True)
        members.filters.reload_choices()
        members.filters.load_segment(segment_id)
        settle(app)
        window.grab().save(str(extra / "members_filter_open.png"))
        members.filter_button.setChecked(False)
        members.filter_button.setChecked(True)
        members.select_row(2)
        members.sync_detail()
        panel = members.detail
        if "tags" in panel._tabs:
            panel.tabs.setCurrentWidget(panel.tab("tags"))
        settle(app)
        window.grab().save(str(out / "members_segment.png"))

        from shopdesk.ui.dialogs.bulk_tag import BulkTagDialog

        members.table.selectRow(0)
        dialog = BulkTagDialog(window, runner, members.selected_member_ids(), members.model.member_ids())
        dialog.show()
        settle(app)
        dialog.grab().save(str(extra / "bulk_tag.png"))
        dialog.close()
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
