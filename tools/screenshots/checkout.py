"""Screenshots of the checkout dialog and the Coupons page (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tools/screenshots/checkout.py [--lang zh_CN] [--keep /tmp/demo.db]

Builds a demo shop of 2,000 members in a temporary folder (or reuses ``--keep`` if it exists), and saves
``checkout.png`` (a member found, a coupon picked and points used) and ``coupons.png`` (the Coupons page
with a template's figures) into ``docs/screenshots``; extra views (the customer matches, a walk-in sale,
the issued coupons, the template editor, the issuing dialog, receipts) go to ``--extra``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from _setup import screenshot_parser, screenshot_session, settle


def _checkout_member() -> tuple[int, str]:
    """A member with usable points and an unused coupon that applies to a ¥368 sale: the fullest picture."""
    from shopdesk.domain.coupons import CouponStatus
    from shopdesk.services.coupon_redemption import coupon_options
    from shopdesk.services.coupons import list_coupons
    from shopdesk.services.members import get_member
    from shopdesk.services.points import points_summary
    from shopdesk.services.tiers import member_tier_progress

    best, best_score = None, -1
    for coupon in list_coupons(status=CouponStatus.UNUSED, limit=400):
        summary = points_summary(coupon.member_id)
        options = coupon_options(coupon.member_id, 368_00)
        usable = sum(1 for option in options if option.applicable)
        next_tier = member_tier_progress(coupon.member_id).next is not None
        score = min(summary.usable, 3000) // 100 + usable * 10 + (5 if len(options) > usable else 0)
        score += 40 if next_tier else 0  # "spend ¥… more to reach …" belongs in the picture
        if score > best_score:
            best, best_score = coupon.member_id, score
    assert best is not None
    return best, get_member(best).phone


def _type(dialog, app, text: str) -> None:
    dialog.customer.setText(text)
    dialog.customer.textEdited.emit(text)
    dialog.search_now()
    settle(app)


def main() -> int:
    args = screenshot_parser(extra="shopdesk-checkout-shots").parse_args()
    with screenshot_session(args) as session:
        from PySide6.QtGui import QImage, QPainter

        from shopdesk.reports.receipt import ReceiptPaper
        from shopdesk.services.receipts import receipt_for_purchase
        from shopdesk.ui import printing
        from shopdesk.ui.dialogs.checkout import PAPERS, CheckoutDialog

        app, runner, out, extra = session.app, session.runner, session.out, session.extra
        member_id, phone = _checkout_member()
        dialog = CheckoutDialog(None, runner)
        dialog.show()
        settle(app)
        _type(dialog, app, phone[-4:])
        dialog.grab().save(str(extra / "checkout_matches.png"))
        dialog.choose_match()
        if dialog.member_id() != member_id:
            dialog.set_member(member_id)
        dialog.amount.setText("368")
        dialog.category.setCurrentIndex(1)
        dialog.points.setValue(min(dialog.points.maximum(), 1500) // 100 * 100)
        settle(app)
        dialog.grab().save(str(out / "checkout.png"))
        dialog.close()

        walk_in = CheckoutDialog(None, runner)
        walk_in.show()
        _type(walk_in, app, "13912345678")
        walk_in.grab().save(str(extra / "checkout_enrol.png"))
        walk_in.customer.clear()
        walk_in.customer.textEdited.emit("")
        walk_in.amount.setText("45")
        settle(app)
        walk_in.grab().save(str(extra / "checkout_walk_in.png"))
        walk_in.close()

        sale = CheckoutDialog(None, runner, member_id=member_id)
        sale.amount.setText("368")
        sale.points.setValue(sale.points.maximum() // 2 // 100 * 100)
        sale.submit()
        for paper in ReceiptPaper:
            html = receipt_for_purchase(sale.saved_id).to_html(paper)
            document = printing.document_for(html, PAPERS[paper])
            size = document.pageSize().toSize()
            image = QImage(size.width() + 24, size.height() + 24, QImage.Format.Format_RGB32)
            image.fill(0xFFFFFF)
            painter = QPainter(image)
            painter.translate(12, 12)
            document.drawContents(painter)
            painter.end()
            image.save(str(extra / f"receipt_{paper.value}.png"))

        _coupons_page(app, runner, out, extra)
    return 0


def _seed_coupon_sales() -> int:
    """A month at the counter: a third of the "from ¥100" coupons used in sales, some by customers who had
    been away for months; returns that template's id (the one with figures worth showing)."""
    import datetime as dt

    from shopdesk.domain.coupons import CouponKind, CouponStatus
    from shopdesk.services.coupons import list_coupons
    from shopdesk.services.purchases import PurchaseInput, record_purchase

    coupons = [
        c for c in list_coupons(status=CouponStatus.UNUSED, limit=5000) if c.kind is CouponKind.THRESHOLD
    ]
    now = dt.datetime.now().replace(second=0, microsecond=0)
    for number, coupon in enumerate(coupons[::3]):
        when = max(
            now - dt.timedelta(hours=(number * 5) % 96 + 1),
            dt.datetime.combine(coupon.valid_from, dt.time(10)),
        )
        amount = (128 + (number * 37) % 400) * 100
        record_purchase(
            PurchaseInput(
                member_id=coupon.member_id, amount_fen=amount, coupon_id=coupon.id, purchased_at=when
            )
        )
    return coupons[0].template_id


def _coupons_page(app, runner, out: Path, extra: Path) -> None:
    from shopdesk.ui.dialogs.coupon_template import CouponTemplateDialog
    from shopdesk.ui.dialogs.issue_coupons import IssueCouponsDialog
    from shopdesk.ui.events import app_events
    from shopdesk.ui.main_window import MainWindow

    template_id = _seed_coupon_sales()
    window = MainWindow("demo", runner, app_events())
    window.resize(1280, 800)
    window.show()
    screen = window.switch_to("coupons")
    screen.show_template_row(screen.templates_model.row_of(template_id))
    settle(app)
    window.grab().save(str(out / "coupons.png"))
    screen.tabs.setCurrentWidget(screen.issued_page)
    settle(app)
    window.grab().save(str(extra / "coupons_issued.png"))
    editor = CouponTemplateDialog(window, runner, screen.templates_model.template(0).id)
    editor.show()
    settle(app)
    editor.grab().save(str(extra / "coupon_template.png"))
    editor.close()
    issue = IssueCouponsDialog(window, runner)
    issue.show()
    settle(app)
    issue.grab().save(str(extra / "issue_coupons.png"))
    issue.close()
    window.close()


if __name__ == "__main__":
    sys.exit(main())
