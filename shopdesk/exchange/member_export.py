"""Members to .xlsx or .csv: the record, tier, points, tags, figures, lifecycle and RFM, as chosen.

Columns are declared once in ``MEMBER_COLUMNS`` (key, title, kind, the SQL they read, how a value is
shown); the GUI offers them as check boxes and the CLI takes them by key. Columns that an import
understands carry the import field's label as their title, so an exported file imports again as it is.
Rows stream from one query through the writer, so 100,000 members take a few seconds and little memory.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from peewee import Database, PostgresqlDatabase

from shopdesk.db.database import current_database
from shopdesk.domain.birthdays import Birthday
from shopdesk.domain.lifecycle import LIFECYCLE_LABELS
from shopdesk.domain.members import GENDER_LABELS, SOURCE_LABELS, Gender
from shopdesk.domain.rfm import SEGMENT_LABELS
from shopdesk.errors import UserError
from shopdesk.exchange.exporting import (
    ExportResult,
    MemberScope,
    check_export,
    finish_export,
    phone_text,
    resolve_scope,
    stream,
    stream_ids,
)
from shopdesk.exchange.writers import Kind
from shopdesk.i18n import N_, _
from shopdesk.services.progress import Progress
from shopdesk.services.transactions import guarded


@dataclass(frozen=True, slots=True)
class MemberColumn:
    """An exportable column: ``sql`` lists what it reads; ``value`` turns those into the cell."""

    key: str
    label: str  # N_()
    kind: Kind
    sql: tuple[str, ...]
    default: bool = True


MEMBER_COLUMNS: tuple[MemberColumn, ...] = (
    MemberColumn("phone", N_("Phone"), Kind.TEXT, ("m.phone",)),
    MemberColumn("name", N_("Name"), Kind.TEXT, ("m.name",)),
    MemberColumn("gender", N_("Gender"), Kind.TEXT, ("m.gender",)),
    MemberColumn("birthday", N_("Birthday"), Kind.BIRTHDAY, ("m.birth_year", "m.birth_month", "m.birth_day")),
    MemberColumn("source", N_("Source"), Kind.TEXT, ("m.source",)),
    MemberColumn("tier", N_("Tier"), Kind.TEXT, ("t.name",)),
    MemberColumn("points", N_("Points"), Kind.INT, ("m.points_balance",)),
    MemberColumn("tags", N_("Tags"), Kind.TEXT, ("m.id",)),
    MemberColumn("auto_tags", N_("Automatic tags"), Kind.TEXT, ("m.id",)),
    MemberColumn("staff", N_("Staff"), Kind.TEXT, ("s.name",)),
    MemberColumn("referrer", N_("Referrer"), Kind.TEXT, ("r.name",)),
    MemberColumn("referrer_phone", N_("Referrer phone"), Kind.TEXT, ("r.phone",)),
    MemberColumn("notes", N_("Notes"), Kind.TEXT, ("m.notes",)),
    MemberColumn("joined", N_("Joined"), Kind.DATETIME, ("m.created_at",)),
    MemberColumn("purchase_count", N_("Purchases"), Kind.INT, ("m.purchase_count",)),
    MemberColumn("total_spent", N_("Total spent"), Kind.MONEY, ("m.total_spent_fen",)),
    MemberColumn("first_purchase", N_("First purchase"), Kind.DATETIME, ("m.first_purchase_at",)),
    MemberColumn("last_purchase", N_("Last purchase"), Kind.DATETIME, ("m.last_purchase_at",)),
    MemberColumn("lifecycle", N_("Lifecycle"), Kind.TEXT, ("m.lifecycle",)),
    MemberColumn("rfm", N_("RFM segment"), Kind.TEXT, ("m.rfm_segment",)),
    MemberColumn("rfm_scores", N_("RFM scores"), Kind.TEXT, ("m.rfm_r", "m.rfm_f", "m.rfm_m"), default=False),
    MemberColumn("archived", N_("Archived"), Kind.DATETIME, ("m.archived_at",), default=False),
)
COLUMNS_BY_KEY = {column.key: column for column in MEMBER_COLUMNS}
DEFAULT_COLUMNS: tuple[str, ...] = tuple(column.key for column in MEMBER_COLUMNS if column.default)

_FROM = (
    " FROM member m LEFT JOIN staff s ON s.id = m.staff_id LEFT JOIN tier t ON t.id = m.tier_id"
    " LEFT JOIN member r ON r.id = m.referrer_id WHERE m.merged_into_id IS NULL"
)


def columns_for(keys: Sequence[str] | None) -> list[MemberColumn]:
    """The chosen columns in the order given (the default set when None); UserError for unknown keys."""
    chosen = []
    for key in keys or DEFAULT_COLUMNS:
        if key not in COLUMNS_BY_KEY:
            raise UserError(
                _("There is no member column {key}; choose from: {keys}.").format(
                    key=key, keys=", ".join(COLUMNS_BY_KEY)
                )
            )
        chosen.append(COLUMNS_BY_KEY[key])
    return chosen


@guarded
def export_members(
    path: str | os.PathLike[str],
    *,
    columns: Sequence[str] | None = None,
    scope: MemberScope | None = None,
    mask_phones: bool = False,
    progress: Progress | None = None,
    actor: str = "",
) -> ExportResult:
    """Write members to ``path`` (.xlsx or .csv) and return how many; see ``MemberScope`` for which."""
    export = check_export(path, mask_phones)
    scope = scope or MemberScope()
    chosen = columns_for(columns)
    if scope.include_archived and "archived" not in (column.key for column in chosen):
        chosen.append(COLUMNS_BY_KEY["archived"])
    db = current_database()
    ids, condition, params = resolve_scope(db, scope)
    fields, cells = _compile(chosen, export.masked)
    select = "SELECT m.id, " + ", ".join(fields) + _FROM
    if ids is None:
        total = int(
            db.execute_sql(
                "SELECT COUNT(*) FROM member m WHERE m.merged_into_id IS NULL" + condition, params
            ).fetchone()[0]
        )
        raw: Iterator[tuple] = stream(db, select + condition + " ORDER BY m.id", params)
    else:
        total = len(ids)
        raw = stream_ids(db, select + " AND m.id IN ({ids})" + condition, params, ids)
    tags = _TagTexts(db) if {"tags", "auto_tags"} & {c.key for c in chosen} else None
    return finish_export(
        export,
        "export.members",
        [(column.key, column.label, column.kind) for column in chosen],
        _rows(raw, cells, tags),
        total=total,
        sheet_title=_("Members"),
        message=_("Exporting members…"),
        progress=progress,
        actor=actor,
    )


Cell = Callable[[tuple, "_TagTexts"], object]


def _compile(chosen: Sequence[MemberColumn], masked: bool) -> tuple[list[str], list[Cell | int]]:
    """The SQL select list, and for each column either the position of its value in a result row (the
    value is exported as it is) or a function turning the row into the cell value."""
    fields: list[str] = []
    cells: list[Cell | int] = []
    phone = phone_text(masked)
    # Codes to labels, translated once per export rather than once per cell.
    labels = {
        "gender": {
            code.value: _(label) for code, label in GENDER_LABELS.items() if code is not Gender.UNKNOWN
        },
        "source": {code.value: _(label) for code, label in SOURCE_LABELS.items()},
        "lifecycle": {code.value: _(label) for code, label in LIFECYCLE_LABELS.items()},
        "rfm": {code.value: _(label) for code, label in SEGMENT_LABELS.items()},
    }
    for column in chosen:
        first = len(fields) + 1  # the row starts with m.id
        fields.extend(column.sql)
        cells.append(_cell(column.key, first, phone if masked else None, labels.get(column.key, {})))
    return fields, cells


def _cell(key: str, i: int, phone: Callable | None, labels: dict[str, str]) -> Cell | int:
    if key in ("phone", "referrer_phone") and phone is not None:
        return lambda row, tags: phone(row[i])
    if key in ("gender", "source", "lifecycle", "rfm"):
        return lambda row, tags: labels.get(row[i], row[i] or "")
    if key == "birthday":
        return lambda row, tags: (
            Birthday(row[i + 1], row[i + 2], row[i]) if row[i + 1] and row[i + 2] else None
        )
    if key == "tags":
        return lambda row, tags: tags.text(row[0], False)
    if key == "auto_tags":
        return lambda row, tags: tags.text(row[0], True)
    if key == "rfm_scores":
        return lambda row, tags: f"{row[i]}-{row[i + 1]}-{row[i + 2]}" if row[i] is not None else None
    return i


def _rows(
    raw: Iterator[tuple], cells: Sequence[Cell | int], tags: _TagTexts | None
) -> Iterator[list[object]]:
    """Cell values per result row: values exported as they are are picked in one C call
    (``itemgetter``), the few that need converting are filled in after."""
    picks = [cell if isinstance(cell, int) else 0 for cell in cells]
    converted = [(index, cell) for index, cell in enumerate(cells) if not isinstance(cell, int)]
    pick = operator.itemgetter(*picks)
    single = len(picks) == 1
    for row in raw:
        values = [pick(row)] if single else list(pick(row))
        for index, convert in converted:
            values[index] = convert(row, tags)
        yield values


class _TagTexts:
    """Each member's manual and automatic tags as text (``敏感肌、VIP``), in the shop's order of tags.

    Manual tags and automatic ones (lifecycle, RFM … which ShopDesk sets itself) go to separate columns:
    only the manual ones are data an import should carry to another shop. The database hands over one
    comma-separated list of tag ids per member; members share a few dozen combinations, so each
    combination is turned into names once.
    """

    def __init__(self, db: Database) -> None:
        self.tags = {
            tag_id: (rank, name, auto_kind is not None)
            for rank, (tag_id, name, auto_kind) in enumerate(
                db.execute_sql("SELECT id, name, auto_kind FROM tag ORDER BY sort_order, id").fetchall()
            )
        }
        aggregate = (
            "string_agg(CAST(tag_id AS TEXT), ',')"
            if isinstance(db, PostgresqlDatabase)
            else "group_concat(tag_id)"
        )
        self.by_member: dict[int, str] = dict(
            db.execute_sql(f"SELECT member_id, {aggregate} FROM member_tag GROUP BY member_id").fetchall()
        )
        self.texts: dict[str, tuple[str | None, str | None]] = {}

    def text(self, member_id: int, automatic: bool) -> str | None:
        ids = self.by_member.get(member_id)
        if ids is None:
            return None
        texts = self.texts.get(ids)
        if texts is None:
            found = sorted(self.tags[int(tag_id)] for tag_id in ids.split(",") if int(tag_id) in self.tags)
            manual = "、".join(name for _rank, name, auto in found if not auto) or None
            auto = "、".join(name for _rank, name, auto in found if auto) or None
            texts = self.texts[ids] = (manual, auto)
        return texts[1] if automatic else texts[0]
