"""The members table model: id list, lazy pages, search and sort through the services."""

from __future__ import annotations

from PySide6.QtCore import Qt

from shopdesk.services.members import MemberInput, create_member
from shopdesk.services.purchases import PurchaseInput, record_purchase
from shopdesk.ui.models.member_table import MEMBER_ID_ROLE, Column, MemberTableModel


def test_model_passes_qt_model_tester_with_hundreds_of_members(qtmodeltester, add_members):
    add_members(450)
    model = MemberTableModel()
    model.reload()
    assert model.rowCount() == 450
    qtmodeltester.check(model)


def test_rows_are_fetched_a_page_at_a_time(add_members):
    ids = add_members(450)
    model = MemberTableModel()
    model.reload()
    assert len(model._rows) == 0
    model.data(model.index(0, Column.NAME))
    assert len(model._rows) == MemberTableModel.PAGE_SIZE
    last = model.rowCount() - 1
    model.data(model.index(last, Column.NAME))
    assert len(model._rows) == MemberTableModel.PAGE_SIZE + 450 % MemberTableModel.PAGE_SIZE
    assert set(model.data(model.index(row, 0), MEMBER_ID_ROLE) for row in range(450)) == set(ids)


def test_cells_are_formatted_for_people(shop):
    member_id = create_member(MemberInput(name="王丽", phone="13800138000"))
    record_purchase(PurchaseInput(member_id=member_id, amount_fen=123450))
    model = MemberTableModel()
    model.reload()

    def cell(column: Column, role=Qt.ItemDataRole.DisplayRole):
        return model.data(model.index(0, column), role)

    assert cell(Column.NAME) == "王丽"
    assert cell(Column.PHONE) == "138 0013 8000"
    assert cell(Column.TOTAL_SPENT) == "¥1,234.50"
    assert cell(Column.PURCHASES) == "1"
    assert cell(Column.TOTAL_SPENT, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert cell(Column.LAST_PURCHASE, Qt.ItemDataRole.ToolTipRole) == "Today"
    assert len(cell(Column.JOINED)) == len("2024-05-01")


def test_search_narrows_the_ids_and_empty_text_shows_everyone_again(add_members):
    add_members(30)
    model = MemberTableModel()
    model.reload()
    model.set_search("0017")
    assert [model.data(model.index(row, Column.PHONE)) for row in range(model.rowCount())] == [
        "138 0000 0017"
    ]
    model.set_search("")
    assert model.rowCount() == 30


def test_sort_reruns_the_id_query_in_the_column_order(shop):
    cheap = create_member(MemberInput(name="甲", phone="13800000001"))
    dear = create_member(MemberInput(name="乙", phone="13800000002"))
    record_purchase(PurchaseInput(member_id=cheap, amount_fen=1000))
    record_purchase(PurchaseInput(member_id=dear, amount_fen=900000))
    model = MemberTableModel()
    model.reload()
    model.sort(Column.TOTAL_SPENT, Qt.SortOrder.AscendingOrder)
    assert [model.member_id(0), model.member_id(1)] == [cheap, dear]
    model.sort(Column.TOTAL_SPENT, Qt.SortOrder.DescendingOrder)
    assert [model.member_id(0), model.member_id(1)] == [dear, cheap]
    assert model.sort_column() == Column.TOTAL_SPENT
    model.sort(Column.STAFF, Qt.SortOrder.AscendingOrder)  # not sortable: the order stays
    assert model.sort_column() == Column.TOTAL_SPENT
