"""The 标签与分群 page (tag manager, saved segments) and the member detail's Tags tab."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from shopdesk.errors import NotFoundError
from shopdesk.services.segments import SegmentFilter, list_segments, save_segment
from shopdesk.services.tags import create_tag, get_tag, list_tags, member_tags, tag_member
from shopdesk.services.transactions import atomic
from shopdesk.ui.screens.member_tabs import DETAIL_TABS
from shopdesk.ui.screens.member_tabs.tags import TagsTab
from shopdesk.ui.screens.registry import SCREENS
from shopdesk.ui.screens.tags import TagEditDialog, TagsScreen


def _auto_tag(name: str) -> int:
    """An automatic tag as ``services.auto_tags`` makes them (hand-built: no recompute needed here)."""
    from shopdesk.db.models import Tag

    with atomic():
        return Tag.create(name=name, group_name="", color="#F5F5F5", auto_kind="lifecycle", auto_key=name).id


def _tag_items(screen: TagsScreen) -> dict[str, list[str]]:
    groups = {}
    for index in range(screen.tags.topLevelItemCount()):
        parent = screen.tags.topLevelItem(index)
        groups[parent.text(0)] = [parent.child(i).text(0) for i in range(parent.childCount())]
    return groups


def test_the_page_is_in_the_sidebar_after_points():
    keys = [spec.key for spec in SCREENS]
    assert keys.index("tags") == keys.index("points") + 1
    assert [spec.key for spec in DETAIL_TABS][-1] == "tags"


def test_tag_manager_groups_counts_and_protects_automatic_tags(qtbot, runner, events, add_members):
    ids = add_members(5)
    dry = create_tag("Dry skin", "Skin type")
    create_tag("Oolong", "Preferences")
    loose = create_tag("Loose")
    auto = _auto_tag("Active customer")
    for member_id in ids[:3]:
        tag_member(member_id, dry)
    screen = TagsScreen(runner, events)
    qtbot.addWidget(screen)
    screen.show()
    assert _tag_items(screen) == {
        "Preferences": ["Oolong"],
        "Skin type": ["Dry skin"],
        "No group": ["Loose"],
        "Automatic tags": ["Active customer"],
    }
    assert screen.count_label.text() == "3 tags · 0 segments"
    screen.select_tag(dry)
    assert screen.tags.currentItem().text(1) == "3"
    assert screen.edit_button.isEnabled() and screen.delete_button.isEnabled()
    screen.select_tag(auto)
    assert screen.tags.currentItem().text(2) == "Automatic"
    assert not screen.edit_button.isEnabled() and not screen.merge_button.isEnabled()
    screen.delete_tag()  # refused quietly: nothing to ask, nothing deleted
    assert get_tag(auto).name == "Active customer"
    assert loose


def test_create_edit_recolour_merge_delete(
    qtbot, runner, events, add_members, answers, messages, monkeypatch
):
    ids = add_members(4)
    screen = TagsScreen(runner, events)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.tag_section.empty.isVisibleTo(screen)

    dialog = TagEditDialog(screen, runner, None)
    qtbot.addWidget(dialog)
    dialog.name.setText("敏感肌")
    dialog.group.setCurrentText("肤质")
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    sensitive = dialog.saved_id
    assert _tag_items(screen) == {"肤质": ["敏感肌"]}
    assert not screen.tag_section.empty.isVisibleTo(screen)

    duplicate = TagEditDialog(screen, runner, None)
    qtbot.addWidget(duplicate)
    duplicate.name.setText("敏感肌")
    duplicate.submit()
    assert duplicate.saved_id is None and duplicate.save_button.isEnabled()  # the dialog stays open
    assert "exists already" in messages[-1].text

    screen.select_tag(sensitive)
    edit = TagEditDialog(screen, runner, screen.current_tag())
    qtbot.addWidget(edit)
    edit.name.setText("敏感肌肤")
    edit.submit()
    assert get_tag(sensitive).name == "敏感肌肤" and get_tag(sensitive).group == "肤质"

    screen.select_tag(sensitive)
    screen.recolor("#FFF0F6")
    assert get_tag(sensitive).color == "#FFF0F6"

    oily = create_tag("油皮", "肤质")
    tag_member(ids[0], sensitive)
    tag_member(ids[1], oily)
    screen.refresh()
    screen.select_tag(sensitive)
    monkeypatch.setattr(screen, "ask_merge_target", lambda tag: oily)
    screen.merge_tag()
    assert [tag.name for tag in list_tags()] == ["油皮"]
    assert [chip.name for chip in member_tags(ids[0])] == ["油皮"]
    assert _tag_items(screen) == {"肤质": ["油皮"]}

    screen.select_tag(oily)
    answers.append(False)
    screen.delete_tag()
    assert get_tag(oily)
    screen.select_tag(oily)
    screen.delete_tag()
    assert "油皮" in answers.asked[-1]
    with pytest.raises(NotFoundError):
        get_tag(oily)
    assert screen.tags.topLevelItemCount() == 0


def test_saved_segments_listed_with_counts_rename_and_delete(
    qtbot, runner, events, add_members, answers, monkeypatch
):
    ids = add_members(6)
    vip = create_tag("VIP")
    for member_id in ids[:2]:
        tag_member(member_id, vip)
    save_segment("贵宾", SegmentFilter(tags_any=(vip,), visits_max=3))
    screen = TagsScreen(runner, events)
    qtbot.addWidget(screen)
    screen.show()
    item = screen.segments.topLevelItem(0)
    assert [item.text(0), item.text(1), item.text(2)] == ["贵宾", "2", "2"]
    assert not screen.segment_section.empty.isVisibleTo(screen)

    screen.segments.setCurrentItem(item)
    monkeypatch.setattr(screen, "ask_segment_name", lambda current: "贵宾客户")
    screen.rename_segment()
    assert [segment.name for segment in list_segments()] == ["贵宾客户"]
    screen.segments.setCurrentItem(screen.segments.topLevelItem(0))
    screen.delete_segment()
    assert list_segments() == []
    assert screen.segment_section.empty.isVisibleTo(screen)


def test_member_tags_tab_adds_and_removes_manual_tags(qtbot, runner, add_members):
    member = add_members(1)[0]
    tab = TagsTab(runner)
    qtbot.addWidget(tab)
    tab.show_member(member)
    assert tab.chips.chip_names() == []
    assert "create them" in tab.hint.text()

    create_tag("敏感肌", "肤质")
    oolong = create_tag("爱喝乌龙")
    auto = _auto_tag("New customer")
    tag_member(member, oolong)
    from shopdesk.db.models import MemberTag

    with atomic():
        MemberTag.create(member=member, tag=auto)
    tab.show_member(member)
    assert tab.chips.chip_names() == ["New customer", "爱喝乌龙"]  # automatic first
    assert tab.chips.chip_widget(auto).remove_button is None  # automatic: no ×
    assert [tab.choice.itemText(i) for i in range(tab.choice.count())] == ["肤质 · 敏感肌"]

    tab.add_chosen()
    assert {chip.name for chip in member_tags(member)} == {"敏感肌", "爱喝乌龙", "New customer"}
    assert tab.choice.count() == 0 and not tab.add_button.isEnabled()

    tab.chips.chip_widget(oolong).remove_button.click()
    assert "爱喝乌龙" not in tab.chips.chip_names()
    assert {chip.name for chip in member_tags(member)} == {"敏感肌", "New customer"}

    tab.show_member(None)
    assert tab.chips.chip_names() == [] and not tab.add_button.isEnabled()
