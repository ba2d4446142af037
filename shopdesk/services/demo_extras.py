"""The rest of a believable demo shop, added set-based after its members and purchases: tiers, points,
coupons, manual tags, message templates, contact history, and what the daily jobs compute (lifecycle,
RFM, today's follow-up list), so every page has something true to show."""

from __future__ import annotations

import datetime as dt
import random

from peewee import Database

from shopdesk.db import bulk, sql
from shopdesk.db.member_months import rebuild_category_days, rebuild_member_months
from shopdesk.db.models import Member, Tier
from shopdesk.domain.followups import Outcome
from shopdesk.domain.points import ExpiryPolicy, PointsRules, lot_expiry
from shopdesk.i18n import N_, _
from shopdesk.services import coupons, followups, message_templates, points, tags, tiers
from shopdesk.services.coupon_templates import TemplateInput, create_template
from shopdesk.services.progress import Progress, report
from shopdesk.services.purchases import recompute_member_figures

DEMO_RULES = PointsRules(
    points_per_yuan=1,
    birthday_multiplier_percent=200,
    redeem_points_per_yuan=100,
    redeem_cap_percent=50,
    expiry=ExpiryPolicy.MONTHS,
    expiry_n=12,
    visit_reward_count=3,
    visit_reward_days=30,
    visit_reward_points=50,
    referrer_points=200,
    referee_points=100,
)
MANUAL_TAGS = (
    (N_("Dry skin"), N_("Skin type"), "#FFF1E6"),
    (N_("Oily skin"), N_("Skin type"), "#E6F7FF"),
    (N_("Sensitive skin"), N_("Skin type"), "#FFF0F6"),
    (N_("Likes samples"), N_("Preferences"), "#F6FFED"),
    (N_("Prefers WeChat"), N_("Preferences"), "#F9F0FF"),
)


COUPON_OFF_FEN = 20_00  # the autumn offer: ¥20 off from ¥100, sent three weeks ago
COUPON_THRESHOLD_FEN = 100_00
OFFER_DAYS_AGO = 20


def _text(value: object) -> str:
    return str(value)


def enrich_demo_shop(
    db: Database, today: dt.date, seed: int, progress: Progress | None = None, total: int = 1
) -> None:
    """Add the loyalty, coupon, tag and follow-up data to a freshly generated demo shop (same transaction).

    Progress stays at ``total`` (the rows already written) while the stages' messages change.
    """
    rng = random.Random(seed * 7919)
    report(progress, total, total, _("Adding points, tiers and coupons…"))
    _coupons(today, rng)  # first: a used coupon lowers what its sale paid, which the sums below read
    rebuild_member_months(db)
    rebuild_category_days(db)
    _tiers()
    _points(db, today, rng)
    _tags(rng)
    message_templates.ensure_default_templates()
    report(progress, total, total, _("Working out today's follow-ups…"))
    from shopdesk.services.maintenance import run_daily_jobs

    run_daily_jobs(today)
    _earlier_contacts(today, rng)
    _contact_history(today, rng)


def _tiers() -> None:
    tiers.ensure_default_tiers()
    for tier in sorted(Tier.select(), key=lambda t: t.threshold_fen):
        Member.update(tier=tier.id).where(
            (Member.total_spent_fen >= tier.threshold_fen) & (Member.purchase_count > 0)
        ).execute()


def _points(db: Database, today: dt.date, rng: random.Random) -> None:
    """Each buyer holds what they earned less what they have redeemed, in one lot per member."""
    points.save_points_rules(DEMO_RULES)
    buyers = list(
        Member.select(Member.id, Member.total_spent_fen, Member.last_purchase_at)
        .where(Member.purchase_count > 0)
        .tuples()
    )
    first_entry = bulk.next_id(db, "points_entry")
    first_lot = bulk.next_id(db, "points_lot")
    entries: list[tuple] = []
    lots: list[tuple] = []
    reason = _("Points carried over")
    for member_id, spent, last in buyers:
        balance = spent // 100 * rng.randint(15, 60) // 100
        if balance <= 0:
            continue
        earned = dt.date.fromisoformat(_text(last)[:10])
        expires = lot_expiry(earned, DEMO_RULES)
        if expires is not None and expires < today:
            expires = today + dt.timedelta(days=rng.randint(1, 60))
        stamp = f"{earned.isoformat()} 12:00:00"
        entry_id = first_entry + len(entries)
        entries.append(
            (entry_id, member_id, "opening", balance, balance, f"opening:{member_id}", "", reason, stamp)
        )
        lots.append(
            (
                first_lot + len(lots),
                member_id,
                entry_id,
                earned.isoformat(),
                expires.isoformat() if expires else None,
                balance,
                balance,
            )
        )
    bulk.bulk_insert(
        db,
        "points_entry",
        ("id", "member_id", "kind", "amount", "balance_after", "key", "operator", "reason", "created_at"),
        entries,
    )
    bulk.bulk_insert(
        db,
        "points_lot",
        ("id", "member_id", "entry_id", "earned_on", "expires_on", "original", "remaining"),
        lots,
    )
    bulk.sync_id_sequence(db, "points_entry")
    bulk.sync_id_sequence(db, "points_lot")
    db.execute_sql(
        "UPDATE member SET points_balance = (SELECT COALESCE(SUM(e.amount), 0) FROM points_entry e "
        "WHERE e.member_id = member.id)"
    )


def _coupons(today: dt.date, rng: random.Random) -> None:
    templates = [
        create_template(
            TemplateInput(
                _("20 off 100"),
                "threshold",
                value_fen=COUPON_OFF_FEN,
                threshold_fen=COUPON_THRESHOLD_FEN,
                valid_days=30,
            )
        ),
        create_template(TemplateInput(_("12% off"), "percent", pay_percent=88, cap_fen=50_00, valid_days=14)),
        create_template(TemplateInput(_("Birthday gift"), "gift", gift_name=_("Sheet mask"), valid_days=31)),
    ]
    ids = [mid for (mid,) in Member.select(Member.id).where(Member.archived_at.is_null()).tuples()]
    if not ids:
        return
    recent = rng.sample(ids, max(1, len(ids) // 10))
    expiring = rng.sample(ids, max(1, len(ids) // 150))
    coupons.issue_coupons(
        templates[0],
        recent,
        label=_("Autumn offer"),
        source="manual",
        today=today - dt.timedelta(days=OFFER_DAYS_AGO),
        respect_consent=True,
    )
    _use_some(templates[0], today - dt.timedelta(days=OFFER_DAYS_AGO), rng)
    coupons.issue_coupons(
        templates[1],
        expiring,
        label=_("Weekend offer"),
        source="manual",
        today=today - dt.timedelta(days=12),
        respect_consent=True,
    )


def _use_some(template_id: int, since: dt.date, rng: random.Random) -> None:
    """Most holders who came back since the offer went out used it: their first purchase of at least the
    threshold since then carries the coupon (¥20 off), as if it had gone through the checkout."""
    found = sql.rows(
        "SELECT c.id, p.id, p.purchased_at, p.member_id FROM coupon c JOIN purchase p"
        " ON p.member_id = c.member_id AND p.refunded_at IS NULL AND p.purchased_at >= ? AND p.paid_fen >= ?"
        " WHERE c.template_id = ? ORDER BY c.id, p.purchased_at, p.id",
        [sql.datetime_param(dt.datetime.combine(since, dt.time())), COUPON_THRESHOLD_FEN, template_id],
    )
    used: set[int] = set()
    members: set[int] = set()
    for coupon_id, purchase_id, when, member_id in found:
        if coupon_id in used or rng.random() > 0.7:
            used.add(coupon_id)
            continue
        used.add(coupon_id)
        members.add(member_id)
        sql.run(
            "UPDATE purchase SET coupon_id = ?, coupon_discount_fen = ?, paid_fen = paid_fen - ?"
            " WHERE id = ?",
            [coupon_id, COUPON_OFF_FEN, COUPON_OFF_FEN, purchase_id],
        )
        sql.run(
            "UPDATE coupon SET status = 'used', used_at = ?, purchase_id = ?, discount_fen = ? WHERE id = ?",
            [when, purchase_id, COUPON_OFF_FEN, coupon_id],
        )
    recompute_member_figures(sorted(members))


def _tags(rng: random.Random) -> None:
    ids = [mid for (mid,) in Member.select(Member.id).where(Member.archived_at.is_null()).tuples()]
    for name, group, color in MANUAL_TAGS:
        tag_id = tags.create_tag(_(name), _(group), color)
        if ids:
            tags.bulk_tag(rng.sample(ids, max(1, len(ids) // 12)), tag_id)


def _earlier_contacts(today: dt.date, rng: random.Random) -> None:
    """Calls of the last two months: some members came in within days of the call, some did not."""
    since = dt.datetime.combine(today - dt.timedelta(days=60), dt.time())
    recent = sql.rows(
        "SELECT id, last_purchase_at FROM member WHERE archived_at IS NULL AND last_purchase_at >= ?"
        " ORDER BY id",
        [sql.datetime_param(since)],
    )
    quiet = sql.rows(
        "SELECT id FROM member WHERE archived_at IS NULL AND last_purchase_at < ? ORDER BY id",
        [sql.datetime_param(since)],
    )
    rows = []
    for member_id, last in rng.sample(recent, min(len(recent), max(1, len(recent) // 40))):
        last = last if isinstance(last, dt.datetime) else dt.datetime.fromisoformat(str(last))
        called = last - dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 3))
        rows.append((member_id, "repurchase", Outcome.CONTACTED.value, called))
    for (member_id,) in rng.sample(quiet, min(len(quiet), max(1, len(quiet) // 40))):
        day = today - dt.timedelta(days=rng.randint(3, 55))
        called = dt.datetime.combine(day, dt.time(rng.randint(10, 19)))
        outcome = rng.choice([Outcome.CONTACTED, Outcome.NO_ANSWER])
        rows.append((member_id, "winback", outcome.value, called))
    for member_id, kind, outcome, called in rows:
        sql.insert(
            "contact_log",
            {
                "member_id": member_id,
                "task_id": None,
                "kind": kind,
                "outcome": outcome,
                "note": "",
                "operator": "",
                "created_at": sql.datetime_param(called),
            },
        )


def _contact_history(today: dt.date, rng: random.Random) -> None:
    """A few follow-ups already worked earlier today, so the list shows progress."""
    open_tasks = [task for task in followups.todays_tasks(today) if task.outcome is None]
    for task in open_tasks[: max(0, len(open_tasks) // 5)]:
        followups.record_outcome(
            task.id, rng.choice([Outcome.CONTACTED, Outcome.NO_ANSWER, Outcome.CONTACTED])
        )
