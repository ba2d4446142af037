"""Erasing a member keeps the sales and removes what identifies them, also from the SQLite file."""

from __future__ import annotations

import pytest

from shopdesk.errors import NotFoundError
from shopdesk.services import coupons, followups, members, privacy, purchases
from shopdesk.services.coupon_templates import TemplateInput, create_template
from shopdesk.services.member_search import search_member_ids
from shopdesk.services.members import MemberInput
from shopdesk.services.purchases import PurchaseInput


def test_deleting_a_member_keeps_sales_but_not_personal_data(db) -> None:
    member = members.create_member(
        MemberInput(name="欧阳娜娜", phone="13912345678", birthday="1990-03-09", notes="对花粉过敏")
    )
    purchases.record_purchase(PurchaseInput(member_id=member, amount_fen=300_00, note="送到欧阳家"))
    template = create_template(TemplateInput("券", "cash", value_fen=10_00))
    coupon = coupons.issue_coupon(template, member)
    followups.add_manual_task(member, followups.now().date(), "回访")

    exported = privacy.export_member_data(member)
    assert exported["member"]["phone"] == "13912345678" and len(exported["purchases"]) == 1

    privacy.delete_member(member)

    detail = members.get_member(member)
    assert detail.name.startswith("Deleted member") and detail.phone == "" and detail.birthday is None
    assert detail.notes == "" and detail.total_spent_fen == 300_00
    assert search_member_ids("5678") == [] and search_member_ids("oynn") == []
    assert purchases.list_member_purchases(member)[0].note == ""
    assert coupons.get_coupon(coupon).status == "void"
    with pytest.raises(NotFoundError):
        privacy.delete_member(member)


def test_old_values_do_not_linger_in_the_sqlite_file(sqlite_db, tmp_path) -> None:
    member = members.create_member(MemberInput(name="欧阳娜娜", phone="13912345678", notes="对花粉过敏 ZQXJ"))
    privacy.delete_member(member)
    sqlite_db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = (tmp_path / "shop.db").read_bytes()
    assert b"13912345678" not in raw
    assert "对花粉过敏 ZQXJ".encode() not in raw
    assert "欧阳娜娜".encode() not in raw


def test_consent_is_respected_by_bulk_issuing(db) -> None:
    yes = members.create_member(MemberInput(name="张三", phone="13800138000"))
    no = members.create_member(MemberInput(name="李四", phone="13800138001"))
    privacy.set_consent(no, marketing=False)
    template = create_template(TemplateInput("券", "cash", value_fen=10_00))
    result = coupons.issue_coupons(template, [yes, no], respect_consent=True)
    assert result.issued == 1
    assert [c.member_id for c in coupons.list_coupons()] == [yes]
