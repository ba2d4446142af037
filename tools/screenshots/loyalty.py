"""Screenshots of points and tiers in the GUI (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tools/screenshots/loyalty.py [--lang zh_CN] [--keep /tmp/demo.db]

Builds a demo shop of 2,000 members in a temporary folder (or reuses ``--keep`` if it exists), opens the
main window with the real stylesheet, and saves ``member_points.png`` (the member detail on its Points
tab), ``change_tier.png`` (changing the member's tier by hand), ``settings_points.png`` (Settings → points
rules) and ``merge.png`` (the duplicates dialog) into ``docs/screenshots``; extra views to look at go to
``--extra``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from _setup import screenshot_parser, screenshot_session, settle


def _best_member() -> int:
    """A member with several lots, a tier below the top and a referral or two: the richest picture."""
    from shopdesk.services.points import points_summary
    from shopdesk.services.points_expiring import members_with_expiring_points
    from shopdesk.services.referrals import referral_leaderboard
    from shopdesk.services.tiers import member_tier_progress

    referrers = {rank.member_id for rank in referral_leaderboard(200)}
    candidates = [
        row.member_id
        for row in members_with_expiring_points(30)
        if row.member_id in referrers and row.points >= 700  # still some left after the seeded spending
    ]
    candidates += [rank.member_id for rank in referral_leaderboard(50)]
    best, best_score = candidates[0], -1
    for member_id in candidates:
        summary = points_summary(member_id)
        progress = member_tier_progress(member_id)
        score = (
            len(summary.lots) + (3 if progress.next is not None else 0) + (6 if summary.expiring_soon else 0)
        )
        if score > best_score:
            best, best_score = member_id, score
    return best


def _seed_activity(member_id: int) -> None:
    """What a week at the counter adds: a gift catalogue, two sales (one paid partly with points), a gift
    taken and a correction by hand, so the ledger and the lots show more than the opening balance."""
    import datetime as dt

    from shopdesk.services.gifts import GiftInput, create_gift, list_gifts
    from shopdesk.services.points import adjust_points, points_summary, redeem_gift
    from shopdesk.services.purchases import PurchaseInput, record_purchase

    if not list_gifts(active_only=False):
        for name, cost, stock in (
            ("护手霜小样", 300, 40),
            ("面膜 3 片装", 600, 25),
            ("化妆包", 1500, 8),
            ("保温杯", 2500, None),
            ("香薰蜡烛", 4000, 0),
        ):
            create_gift(GiftInput(name, cost, stock))
    now = dt.datetime.now().replace(second=0, microsecond=0)
    record_purchase(
        PurchaseInput(member_id=member_id, amount_fen=468_00, purchased_at=now - dt.timedelta(days=6))
    )
    record_purchase(
        PurchaseInput(
            member_id=member_id,
            amount_fen=236_00,
            purchased_at=now - dt.timedelta(days=2),
            points_to_use=min(100, points_summary(member_id).usable // 2),
        )
    )
    gift = next(g for g in list_gifts() if g.points_cost == 300)
    redeem_gift(member_id, gift.id, operator="小周")
    adjust_points(member_id, 200, "旧会员卡积分补录", operator="店长")


def _seed_duplicates() -> None:
    """Three people entered twice (a new card, a typing slip in the phone), one of them merged already."""
    import datetime as dt

    from shopdesk.services.members import MemberInput, create_member, get_member
    from shopdesk.services.merge import merge_members
    from shopdesk.services.purchases import PurchaseInput, record_purchase

    made = []
    for member_id, phone, birthday in ((5, "13912345678", True), (9, None, False), (14, None, False)):
        original = get_member(member_id)
        slip = phone or original.phone[:-1] + str((int(original.phone[-1]) + 1) % 10)
        copy = create_member(
            MemberInput(
                name=original.name,
                phone=slip,
                gender=original.gender,
                birthday=original.birthday if birthday else None,
                notes="新办卡时没查到老会员",
            )
        )
        if birthday and original.birthday is None:
            continue
        record_purchase(
            PurchaseInput(
                member_id=copy, amount_fen=199_00, purchased_at=dt.datetime.now() - dt.timedelta(days=3)
            )
        )
        made.append((member_id, copy))
    keep, drop = made[-1]
    merge_members(keep, drop, operator="店长")


def _shoot_change_tier(app, window, runner, member_id: int, target: Path) -> None:
    """The Change tier dialog as the owner fills it in: the tier above, and a reason."""
    from PySide6.QtCore import Qt

    from shopdesk.ui.dialogs.change_tier import ChangeTierDialog

    dialog = ChangeTierDialog(window, runner, member_id)
    dialog.show()
    dialog.tier.setCurrentIndex(min(dialog.tier.currentIndex() + 1, dialog.tier.count() - 2))
    dialog.reason.setText("开业老顾客，店长同意")
    dialog.reason.setFocus(Qt.FocusReason.OtherFocusReason)
    settle(app)
    dialog.grab().save(str(target))
    dialog.close()


def _shoot_tier_history(app, window, runner, member_id: int, extra: Path) -> None:
    """After a change by hand: the tier line says so, the history lists it, and the dialog offers the
    way back to the spending rule; a reason left out shows its error."""
    from shopdesk.services.tiers import list_tiers, member_tier_state, set_tier_manually
    from shopdesk.ui.dialogs.change_tier import ChangeTierDialog

    state = member_tier_state(member_id)
    higher = [
        t for t in list_tiers() if state.reached is None or t.threshold_fen > state.reached.threshold_fen
    ]
    set_tier_manually(member_id, (higher or list_tiers())[0].id, "开业老顾客，店长同意", operator="林店长")
    members = window.switch_to("members")
    members.refresh()
    members.select_row(members.model.row_of(member_id))
    members.sync_detail()
    panel = members.detail
    tab = panel.tab("points")
    panel.tabs.setCurrentWidget(tab)
    tab.show_tier_history()
    settle(app)
    window.grab().save(str(extra / "member_tier_history.png"))
    dialog = ChangeTierDialog(window, runner, member_id)
    dialog.show()
    dialog.tier.setCurrentIndex(0)
    dialog.submit()  # no reason yet: the error under the field
    settle(app)
    dialog.grab().save(str(extra / "change_tier_manual.png"))
    dialog.close()


def main() -> int:
    args = screenshot_parser(extra="shopdesk-loyalty-shots").parse_args()
    with screenshot_session(args) as session:
        from shopdesk.ui.main_window import MainWindow

        app, runner, out, extra = session.app, session.runner, session.out, session.extra
        window = MainWindow(str(session.shop), runner)
        window.resize(1280, 800)
        window.show()
        members = window.switch_to("members")
        member_id = _best_member()
        _seed_activity(member_id)
        members.select_row(members.model.row_of(member_id))
        members.sync_detail()
        settle(app)
        window.grab().save(str(extra / "member_purchases.png"))
        panel = members.detail
        if "points" in panel._tabs:
            panel.tabs.setCurrentWidget(panel.tab("points"))
            settle(app)
            window.grab().save(str(out / "member_points.png"))
        from shopdesk.ui.dialogs.adjust_points import AdjustPointsDialog
        from shopdesk.ui.dialogs.redeem_gift import RedeemGiftDialog

        _shoot_change_tier(app, window, runner, member_id, out / "change_tier.png")
        for name, dialog in (
            ("adjust_points", AdjustPointsDialog(window, runner, member_id)),
            ("redeem_gift", RedeemGiftDialog(window, runner, member_id)),
        ):
            dialog.show()
            settle(app)
            dialog.grab().save(str(extra / f"{name}.png"))
            dialog.close()
        if "referrals" in panel._tabs:
            panel.tabs.setCurrentWidget(panel.tab("referrals"))
            settle(app)
            window.grab().save(str(extra / "member_referrals.png"))

        window.switch_to("points").refresh()
        settle(app)
        window.grab().save(str(extra / "points_page.png"))
        settings = window.switch_to("settings")
        settings.refresh()
        settings.show_page("points")
        settle(app)
        window.grab().save(str(out / "settings_points.png"))
        area = settings.stack.currentWidget()
        area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
        settle(app)
        window.grab().save(str(extra / "settings_points_end.png"))
        settings.show_page("tiers")
        settle(app)
        window.grab().save(str(extra / "settings_tiers.png"))

        from shopdesk.ui.dialogs.merge_members import MergeMembersDialog

        _seed_duplicates()
        dialog = MergeMembersDialog(window, runner)
        dialog.show()
        settle(app)
        dialog.grab().save(str(out / "merge.png"))
        dialog.close()
        _shoot_tier_history(app, window, runner, member_id, extra)
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
