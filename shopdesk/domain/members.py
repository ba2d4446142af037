"""What a member record may hold: source channels, genders and the checks on names and notes."""

from __future__ import annotations

from enum import StrEnum

from shopdesk.errors import ValidationError
from shopdesk.i18n import N_, _

NAME_MAX = 30
NOTES_MAX = 2000


class Source(StrEnum):
    """How the member first came to the shop (来源渠道)."""

    STORE = "store"
    MOMENTS = "moments"
    OFFICIAL_ACCOUNT = "official_account"
    MINI_PROGRAM = "mini_program"
    DOUYIN = "douyin"
    REFERRAL = "referral"
    OTHER = "other"


SOURCE_LABELS: dict[Source, str] = {
    Source.STORE: N_("In store"),
    Source.MOMENTS: N_("WeChat Moments"),
    Source.OFFICIAL_ACCOUNT: N_("Official account"),
    Source.MINI_PROGRAM: N_("Mini program"),
    Source.DOUYIN: N_("Douyin"),
    Source.REFERRAL: N_("Referral"),
    Source.OTHER: N_("Other"),
}


class Gender(StrEnum):
    """Optional; many shops record it, some never ask."""

    UNKNOWN = ""
    FEMALE = "F"
    MALE = "M"


GENDER_LABELS: dict[Gender, str] = {
    Gender.UNKNOWN: N_("Not given"),
    Gender.FEMALE: N_("Female"),
    Gender.MALE: N_("Male"),
}


def source_label(source: str) -> str:
    """The translated label of a source code (unknown codes are shown as they are)."""
    try:
        return _(SOURCE_LABELS[Source(source)])
    except ValueError:
        return source


def parse_source(raw: object) -> Source:
    """A Source from its code, its English label or its Chinese label as typed in a spreadsheet."""
    text = str(raw or "").strip()
    if not text:
        return Source.STORE
    lowered = text.lower()
    for source, label in SOURCE_LABELS.items():
        if lowered in (source.value, label.lower()) or text == _(label):
            return source
    aliases = {
        "门店": Source.STORE, "到店": Source.STORE, "进店": Source.STORE, "朋友圈": Source.MOMENTS,
        "微信": Source.MOMENTS, "公众号": Source.OFFICIAL_ACCOUNT, "小程序": Source.MINI_PROGRAM,
        "抖音": Source.DOUYIN, "转介绍": Source.REFERRAL, "介绍": Source.REFERRAL,
        "老带新": Source.REFERRAL, "其他": Source.OTHER, "其它": Source.OTHER,
    }
    return aliases.get(text, Source.OTHER)


def clean_name(raw: object, field: str = "name") -> str:
    """The member's name with surrounding and doubled spaces removed; required, at most 30 characters."""
    name = " ".join(str(raw or "").split())
    if not name:
        raise ValidationError(field, _("Name is required."))
    if len(name) > NAME_MAX:
        raise ValidationError(field, _("Name is too long (at most 30 characters)."))
    return name


def clean_notes(raw: object, field: str = "notes") -> str:
    """Free-text notes, trimmed; at most 2000 characters."""
    notes = str(raw or "").strip()
    if len(notes) > NOTES_MAX:
        raise ValidationError(field, _("Notes are too long (at most 2000 characters)."))
    return notes
