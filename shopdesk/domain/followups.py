"""Today's follow-up list: the kinds of contact, their outcomes, and the settings that shape the list."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum

from shopdesk.i18n import N_


class TaskKind(StrEnum):
    """Why a member is on the list (grouped in this order on the printed sheet)."""

    REPURCHASE = "repurchase"
    BIRTHDAY = "birthday"
    COUPON_EXPIRY = "coupon_expiry"
    POINTS_EXPIRY = "points_expiry"
    WINBACK = "winback"
    NEW_MEMBER = "new_member"
    POST_PURCHASE = "post_purchase"
    MANUAL = "manual"


KIND_LABELS: dict[TaskKind, str] = {
    TaskKind.REPURCHASE: N_("Repurchase reminder"),
    TaskKind.BIRTHDAY: N_("Birthday"),
    TaskKind.COUPON_EXPIRY: N_("Coupon expiring"),
    TaskKind.POINTS_EXPIRY: N_("Points expiring"),
    TaskKind.WINBACK: N_("Win back a dormant member"),
    TaskKind.NEW_MEMBER: N_("New member care"),
    TaskKind.POST_PURCHASE: N_("After-purchase care call"),
    TaskKind.MANUAL: N_("Manual task"),
}


class Outcome(StrEnum):
    """What came of a contact (marked on screen or ticked on the printed sheet)."""

    CONTACTED = "contacted"
    NO_ANSWER = "no_answer"
    NOT_INTERESTED = "not_interested"
    PURCHASED = "purchased"


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.CONTACTED: N_("Reached"),
    Outcome.NO_ANSWER: N_("No answer"),
    Outcome.NOT_INTERESTED: N_("Not interested"),
    Outcome.PURCHASED: N_("Came and bought"),
}


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    SNOOZED = "snoozed"
    DROPPED = "dropped"


@dataclass(slots=True)
class KindSettings:
    enabled: bool = True
    days: int = 3  # how far ahead (birthday, expiries) or after (care calls) the kind looks
    daily_cap: int = 30
    priority: int = 50


DEFAULT_KIND_SETTINGS: dict[TaskKind, KindSettings] = {
    TaskKind.MANUAL: KindSettings(True, 0, 100, 100),
    TaskKind.COUPON_EXPIRY: KindSettings(True, 3, 20, 80),
    TaskKind.REPURCHASE: KindSettings(True, 7, 30, 70),
    TaskKind.BIRTHDAY: KindSettings(True, 3, 20, 65),
    TaskKind.POINTS_EXPIRY: KindSettings(True, 14, 20, 60),
    TaskKind.NEW_MEMBER: KindSettings(True, 7, 20, 55),
    TaskKind.POST_PURCHASE: KindSettings(True, 3, 20, 50),
    TaskKind.WINBACK: KindSettings(True, 0, 10, 40),
}


@dataclass(slots=True)
class FollowupSettings:
    """The list's shape: per-kind on/off, look-ahead days, daily cap and priority; the day's capacity."""

    capacity: int = 30
    kinds: dict[TaskKind, KindSettings] = field(
        default_factory=lambda: {
            kind: KindSettings(**asdict(value)) for kind, value in DEFAULT_KIND_SETTINGS.items()
        }
    )
    unanswered_before_incentive: int = 2

    def kind(self, kind: TaskKind) -> KindSettings:
        return self.kinds.get(kind) or DEFAULT_KIND_SETTINGS[kind]

    def as_dict(self) -> dict:
        return {
            "capacity": self.capacity,
            "unanswered_before_incentive": self.unanswered_before_incentive,
            "kinds": {kind.value: asdict(value) for kind, value in self.kinds.items()},
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> FollowupSettings:
        settings = cls()
        data = data or {}
        settings.capacity = int(data.get("capacity", settings.capacity))
        settings.unanswered_before_incentive = int(
            data.get("unanswered_before_incentive", settings.unanswered_before_incentive)
        )
        for name, values in (data.get("kinds") or {}).items():
            try:
                kind = TaskKind(name)
            except ValueError:
                continue
            known = {k: v for k, v in values.items() if k in KindSettings.__dataclass_fields__}
            settings.kinds[kind] = KindSettings(**{**asdict(DEFAULT_KIND_SETTINGS[kind]), **known})
        return settings


def pick_daily(candidates: list[tuple[int, int, float]], capacity: int) -> list[int]:
    """Indexes of the candidates to keep: one per member (their highest priority, then score), then the
    best ``capacity`` of those. ``candidates`` are (member id, priority, score) triples."""
    best: dict[int, int] = {}
    for index, (member_id, priority, score) in enumerate(candidates):
        current = best.get(member_id)
        if current is None or (priority, score) > candidates[current][1:]:
            best[member_id] = index
    ranked = sorted(best.values(), key=lambda i: (-candidates[i][1], -candidates[i][2], i))
    return ranked[: max(capacity, 0)]
