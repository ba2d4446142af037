"""Member tiers: the ordered list, upgrades at the purchase that crosses a threshold, manual overrides,
the optional yearly review, and each member's progress to the next tier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from peewee import fn

from shopdesk.db import sql
from shopdesk.db.models import Member, Purchase, Tier, TierChange, now
from shopdesk.domain.points import Tier as TierRule
from shopdesk.domain.points import TierProgress, tier_for_spending, tier_progress
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import N_, _
from shopdesk.services.audit import record_audit
from shopdesk.services.session import Permission, require
from shopdesk.services.settings import get_setting, set_setting
from shopdesk.services.transactions import atomic, guarded

if TYPE_CHECKING:
    from shopdesk.services.points import LockedMember

RULES_KEY = "tier_rules"
BASIS_LIFETIME = "lifetime"
BASIS_12_MONTHS = "12_months"
DEFAULT_TIERS = (
    (N_("Regular"), 0, 100),
    (N_("Silver"), 1_000_00, 110),
    (N_("Gold"), 3_000_00, 120),
    (N_("Diamond"), 8_000_00, 150),
)


@dataclass(frozen=True, slots=True)
class TierView:
    id: int
    name: str
    threshold_fen: int
    multiplier_percent: int
    perks: str


@dataclass(slots=True)
class TierInput:
    name: str
    threshold_fen: int
    multiplier_percent: int = 100
    perks: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class MemberTierState:
    """The tier a member holds, whether it was set by hand, and the tier their spending reaches now (what
    giving the tier back to automatic would set)."""

    tier_id: int | None
    manual: bool
    reached: TierView | None
    spent_fen: int


@dataclass(frozen=True, slots=True)
class TierChangeView:
    from_name: str
    to_name: str
    reason: str
    operator: str
    created_at: dt.datetime


@guarded
def tier_rules() -> dict:
    """``basis`` (lifetime or last 12 months of spending) and ``yearly_review`` (may downgrade)."""
    rules = {"basis": BASIS_LIFETIME, "yearly_review": False}
    rules.update(get_setting(RULES_KEY) or {})
    return rules


def save_tier_rules(basis: str, yearly_review: bool, *, actor: str = "") -> None:
    require(Permission.SETTINGS)
    if basis not in (BASIS_LIFETIME, BASIS_12_MONTHS):
        raise ValidationError("basis", _("Choose lifetime spending or the last 12 months."))
    with atomic():
        set_setting(RULES_KEY, {"basis": basis, "yearly_review": bool(yearly_review)})
        record_audit("tiers.rules", "settings", {"basis": basis, "yearly_review": yearly_review}, actor=actor)


@guarded
def list_tiers() -> list[TierView]:
    """Active tiers from the lowest threshold up."""
    query = Tier.select().where(Tier.active == True).order_by(Tier.threshold_fen, Tier.id)  # noqa: E712
    return [TierView(t.id, t.name, t.threshold_fen, t.multiplier_percent, t.perks) for t in query]


def _rules(tiers: Sequence[TierView]) -> list[TierRule]:
    return [TierRule(t.id, t.name, t.threshold_fen, t.multiplier_percent, t.perks) for t in tiers]


def save_tiers(tiers: Sequence[TierInput], *, actor: str = "") -> None:
    """Replace the tier list: edit the ones with ids, add new ones, retire those left out."""
    require(Permission.SETTINGS)
    names = [" ".join((t.name or "").split()) for t in tiers]
    if any(not name for name in names):
        raise ValidationError("name", _("Every tier needs a name."))
    if len(set(names)) != len(names):
        raise ValidationError("name", _("Two tiers have the same name."))
    thresholds = [t.threshold_fen for t in tiers]
    if any(value < 0 for value in thresholds) or len(set(thresholds)) != len(thresholds):
        raise ValidationError("threshold", _("Each tier needs its own spending threshold, zero or more."))
    if any(not (100 <= t.multiplier_percent <= 1000) for t in tiers):
        raise ValidationError("multiplier", _("A points multiplier should be between 1× and 10×."))
    with atomic():
        kept = []
        for order, (tier, name) in enumerate(zip(tiers, names, strict=True)):
            values = {
                "name": name[:20],
                "threshold_fen": tier.threshold_fen,
                "multiplier_percent": tier.multiplier_percent,
                "perks": (tier.perks or "").strip(),
                "sort_order": order,
                "active": True,
            }
            if tier.id is not None and Tier.update(**values).where(Tier.id == tier.id).execute():
                kept.append(tier.id)
            else:
                kept.append(Tier.create(**values).id)
        Tier.update(active=False).where(Tier.id.not_in(kept)).execute()
        record_audit("tiers.save", "settings", {"tiers": names}, actor=actor)


def ensure_default_tiers() -> None:
    """Give a new shop the usual four tiers (in the shop's language) if it has none."""
    with atomic():
        if not Tier.select().exists():
            for order, (name, threshold, multiplier) in enumerate(DEFAULT_TIERS):
                Tier.create(
                    name=_(name), threshold_fen=threshold, multiplier_percent=multiplier, sort_order=order
                )


def spending_basis_fen(member_id: int, today: dt.date | None = None) -> int:
    """The spending that decides a member's tier under the shop's rule."""
    if tier_rules()["basis"] == BASIS_LIFETIME:
        return Member.select(Member.total_spent_fen).where(Member.id == member_id).scalar() or 0
    since = spending_since(today or now().date())
    return (
        Purchase.select(fn.COALESCE(fn.SUM(Purchase.paid_fen), 0))
        .where(
            (Purchase.member == member_id) & Purchase.refunded_at.is_null() & (Purchase.purchased_at >= since)
        )
        .scalar()
    )


def _change(member_id: int, old: int | None, new: int | None, reason: str, operator: str) -> None:
    sql.run("UPDATE member SET tier_id = ? WHERE id = ?", [new, member_id])
    sql.insert(
        "tier_change",
        {
            "member_id": member_id,
            "from_tier_id": old,
            "to_tier_id": new,
            "reason": reason,
            "operator": operator,
            "created_at": sql.datetime_param(now()),
        },
    )


def upgrade_for_spending(
    member: LockedMember, tiers: Sequence[TierRule], spent_fen: int, operator: str = ""
) -> None:
    """Raise the tier to the one ``spent_fen`` reaches, if higher (a sale that read the tiers already)."""
    if member.tier_manual or not tiers:
        return
    reached = tier_for_spending(tiers, spent_fen)
    if reached is None or reached.id == member.tier_id:
        return
    current = next((t for t in tiers if t.id == member.tier_id), None)
    if current is None or reached.threshold_fen > current.threshold_fen:
        reason = _("First purchase") if current is None and reached.threshold_fen == 0 else None
        _change(
            member.id, member.tier_id, reached.id, reason or _("Spending reached the threshold"), operator
        )
        member.tier_id = reached.id


def spending_since(today: dt.date) -> dt.datetime:
    """The start of the 12 months of spending that count under the "last 12 months" rule."""
    return dt.datetime.combine(today - dt.timedelta(days=365), dt.time())


def set_tier_manually(member_id: int, tier_id: int | None, reason: str, *, operator: str = "") -> None:
    """Override a member's tier by hand; a reason is required and kept in the tier history."""
    require(Permission.ADJUST_POINTS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", _("Please give a reason for changing the tier by hand."))
    with atomic():
        member = Member.get_or_none(Member.id == member_id)
        if member is None:
            raise NotFoundError(_("This member no longer exists."))
        if tier_id is not None and not Tier.select().where((Tier.id == tier_id) & Tier.active).exists():
            raise ValidationError("tier", _("This tier does not exist."))
        _change(member_id, member.tier_id, tier_id, reason, operator)
        Member.update(tier_manual=True).where(Member.id == member_id).execute()
        record_audit(
            "tiers.override", f"member:{member_id}", {"tier": tier_id, "reason": reason}, actor=operator
        )


def release_manual_tier(member_id: int, reason: str, *, operator: str = "") -> int | None:
    """Give a tier set by hand back to the automatic rule: the member gets the tier their spending reaches
    now (up or down) and purchases raise it again. The change is kept in the tier history even when the
    tier stays the same, so the history shows when the override ended. Returns the new tier id."""
    require(Permission.ADJUST_POINTS)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("reason", _("Please give a reason for changing the tier."))
    with atomic():
        member = Member.get_or_none(Member.id == member_id)
        if member is None:
            raise NotFoundError(_("This member no longer exists."))
        if not member.tier_manual:
            raise ValidationError("tier", _("This member's tier already follows their spending."))
        reached = tier_for_spending(_rules(list_tiers()), spending_basis_fen(member_id))
        new_id = reached.id if reached is not None else None
        note = _("Back to automatic: {reason}").format(reason=reason)
        _change(member_id, member.tier_id, new_id, note, operator)
        Member.update(tier_manual=False).where(Member.id == member_id).execute()
        record_audit(
            "tiers.release", f"member:{member_id}", {"tier": new_id, "reason": reason}, actor=operator
        )
    return new_id


def review_tiers(today: dt.date | None = None, *, operator: str = "") -> int:
    """The yearly review: set every member (not set by hand) to the tier their spending earns now, up or
    down. Returns how many members changed."""
    tiers = _rules(list_tiers())
    changed = 0
    with atomic():
        members = Member.select(Member.id, Member.tier).where(
            (Member.tier_manual == False) & Member.archived_at.is_null()  # noqa: E712
        )
        for member_id, tier_id in members.tuples():
            reached = tier_for_spending(tiers, spending_basis_fen(member_id, today))
            new_id = reached.id if reached else None
            if new_id != tier_id:
                _change(member_id, tier_id, new_id, _("Yearly tier review"), operator)
                changed += 1
    return changed


@guarded
def member_tier_progress(member_id: int, today: dt.date | None = None) -> TierProgress:
    """The member's tier, the next one and the spending still missing (e.g. "再消费 ¥320 升级金卡").

    A tier set by hand has no next step (purchases no longer raise it) and may be no tier at all."""
    tiers = _rules(list_tiers())
    spent = spending_basis_fen(member_id, today)
    progress = tier_progress(tiers, spent)
    row = Member.select(Member.tier, Member.tier_manual).where(Member.id == member_id).tuples().first()
    tier_id, manual = row or (None, False)
    if manual:
        held = next((t for t in tiers if t.id == tier_id), None)
        return TierProgress(held, None, 0, progress.thresholds)
    if tier_id is not None and (progress.current is None or progress.current.id != tier_id):
        current = next((t for t in tiers if t.id == tier_id), progress.current)
        # A tier held above what the spending reaches (kept after refunds until the review): the next
        # step is the tier above the one held, not the one held.
        floor = max(spent, current.threshold_fen) if current is not None else spent
        following = min(
            (t for t in tiers if t.threshold_fen > floor), key=lambda t: t.threshold_fen, default=None
        )
        missing = following.threshold_fen - spent if following is not None else 0
        return TierProgress(current, following, missing, progress.thresholds)
    return progress


@guarded
def member_tier_state(member_id: int, today: dt.date | None = None) -> MemberTierState:
    """What the Change tier dialog starts from: the tier held, set by hand or not, and what spending
    reaches."""
    row = Member.select(Member.tier, Member.tier_manual).where(Member.id == member_id).tuples().first()
    if row is None:
        raise NotFoundError(_("This member no longer exists."))
    spent = spending_basis_fen(member_id, today)
    tiers = list_tiers()
    reached = tier_for_spending(_rules(tiers), spent)
    reached_view = next((t for t in tiers if reached is not None and t.id == reached.id), None)
    return MemberTierState(row[0], bool(row[1]), reached_view, spent)


@guarded
def tier_history(member_id: int) -> list[TierChangeView]:
    """Every tier change of a member, newest first."""
    names = {t.id: t.name for t in Tier.select(Tier.id, Tier.name)}
    query = TierChange.select().where(TierChange.member == member_id).order_by(TierChange.id.desc())
    return [
        TierChangeView(
            names.get(c.from_tier_id, ""), names.get(c.to_tier_id, ""), c.reason, c.operator, c.created_at
        )
        for c in query
    ]
