"""Coupons issued by rules, each on/off with its template: welcome (on joining), birthday (in the birthday
month, once a year), win-back (when a member turns dormant) and next-visit (a purchase reaches an amount).

Every rule issues through ``coupons.issue_coupons`` with a ``source`` naming the rule and the occasion, so
running a rule again for the same occasion issues nothing new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from shopdesk.db.models import Coupon, CouponBatch, CouponTemplate, Member, now
from shopdesk.i18n import N_, _
from shopdesk.services.coupons import issue_coupons
from shopdesk.services.session import Permission, require
from shopdesk.services.settings import get_setting, set_setting
from shopdesk.services.transactions import atomic, guarded

RULES_KEY = "coupon_rules"
WELCOME, BIRTHDAY, WINBACK, NEXT_VISIT = "welcome", "birthday", "winback", "next_visit"
RULE_TITLES = {
    WELCOME: N_("Welcome coupon when a member joins"),
    BIRTHDAY: N_("Birthday coupon in the birthday month"),
    WINBACK: N_("Win-back coupon when a member turns dormant"),
    NEXT_VISIT: N_("Next-visit coupon when a purchase reaches an amount"),
}


@dataclass(slots=True)
class CouponRule:
    enabled: bool = False
    template_id: int | None = None
    min_amount_fen: int = 0  # next-visit only


@dataclass(slots=True)
class CouponRules:
    rules: dict[str, CouponRule] = field(default_factory=dict)

    def get(self, name: str) -> CouponRule:
        return self.rules.get(name) or CouponRule()


@guarded
def coupon_rules() -> CouponRules:
    return rules_from_stored(get_setting(RULES_KEY))


def rules_from_stored(stored: dict | None) -> CouponRules:
    """The rules from their stored setting (None: every rule off)."""
    stored = stored or {}
    return CouponRules({name: CouponRule(**stored.get(name, {})) for name in RULE_TITLES})


def save_coupon_rules(rules: CouponRules) -> None:
    require(Permission.SETTINGS)
    with atomic():
        set_setting(RULES_KEY, {name: asdict(rules.get(name)) for name in RULE_TITLES})


def _active(name: str, rules: CouponRules | None = None) -> CouponRule | None:
    rule = (rules or coupon_rules()).get(name)
    if not rule.enabled or rule.template_id is None:
        return None
    paused = (
        CouponTemplate.select(CouponTemplate.paused).where(CouponTemplate.id == rule.template_id).scalar()
    )
    return None if paused in (None, True) else rule


def _rule_batch(name: str, template_id: int, today: dt.date) -> int:
    """Today's batch for a rule (one batch a day per rule keeps the per-batch figures readable)."""
    source = f"rule:{name}:{today.isoformat()}"
    batch = CouponBatch.get_or_none((CouponBatch.source == source) & (CouponBatch.template == template_id))
    if batch is None:
        batch = CouponBatch.create(
            template=template_id, label=_(RULE_TITLES[name]), source=source, issued_count=0
        )
    return batch.id


def _holders(name: str, member_ids: list[int], since: dt.date | None = None) -> set[int]:
    """Members of ``member_ids`` who got a coupon from this rule (on or after ``since``)."""
    query = (
        Coupon.select(Coupon.member)
        .join(CouponBatch)
        .where(CouponBatch.source.startswith(f"rule:{name}:") & Coupon.member.in_(member_ids or [0]))
    )
    if since is not None:
        query = query.where(Coupon.issued_at >= dt.datetime.combine(since, dt.time()))
    return {member_id for (member_id,) in query.tuples()}


def _issue(name: str, rule: CouponRule, member_ids: list[int], today: dt.date) -> int:
    if not member_ids:
        return 0
    batch = _rule_batch(name, rule.template_id, today)
    return issue_coupons(
        rule.template_id, member_ids, today=today, batch_id=batch, respect_consent=True
    ).issued


def on_member_joined(member_id: int, today: dt.date | None = None) -> int:
    """The welcome coupon, once per member (inside the transaction that created the member)."""
    rule = _active(WELCOME)
    if rule is None or _holders(WELCOME, [member_id]):
        return 0
    return _issue(WELCOME, rule, [member_id], today or now().date())


def on_purchase(
    member_id: int, paid_fen: int, today: dt.date, rules: CouponRules | None = None
) -> int:
    """The next-visit coupon when a purchase reaches the rule's amount (inside the purchase's transaction;
    a purchase is saved once, so it issues once). ``rules``: as the sale read them already."""
    rules = rules or coupon_rules()
    if paid_fen < max(rules.get(NEXT_VISIT).min_amount_fen, 1):
        return 0
    rule = _active(NEXT_VISIT, rules)
    if rule is None:
        return 0
    return _issue(NEXT_VISIT, rule, [member_id], today)


def issue_birthday_coupons(today: dt.date | None = None) -> int:
    """Birthday coupons for members whose birthday month is this month, once per member per year."""
    today = today or now().date()
    rule = _active(BIRTHDAY)
    if rule is None:
        return 0
    issued = 0
    with atomic():
        ids = [
            mid
            for (mid,) in Member.select(Member.id)
            .where((Member.birth_month == today.month) & Member.archived_at.is_null())
            .tuples()
        ]
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            done = _holders(BIRTHDAY, chunk, since=dt.date(today.year, 1, 1))
            issued += _issue(BIRTHDAY, rule, [mid for mid in chunk if mid not in done], today)
    return issued


def issue_winback_coupons(member_ids: list[int], today: dt.date | None = None) -> int:
    """Win-back coupons for members who turned dormant, once per dormant spell (since their last purchase)."""
    today = today or now().date()
    rule = _active(WINBACK)
    if rule is None or not member_ids:
        return 0
    issued = 0
    with atomic():
        for start in range(0, len(member_ids), 1000):
            chunk = list(member_ids[start : start + 1000])
            last = dict(
                Member.select(Member.id, Member.last_purchase_at).where(Member.id.in_(chunk)).tuples()
            )
            got = (
                Coupon.select(Coupon.member, Coupon.issued_at)
                .join(CouponBatch)
                .where(CouponBatch.source.startswith(f"rule:{WINBACK}:") & Coupon.member.in_(chunk))
                .tuples()
            )
            covered = {
                mid for mid, issued_at in got if last.get(mid) is None or str(issued_at) >= str(last[mid])
            }
            issued += _issue(WINBACK, rule, [mid for mid in chunk if mid not in covered], today)
    return issued
