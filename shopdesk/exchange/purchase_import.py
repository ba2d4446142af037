"""Purchases from a spreadsheet (the till's history): plan, then apply in one transaction.

Imported purchases are history. They update each member's figures (count, total, first and last
purchase, rhythm) but earn no points, pay no visit or referral rewards and change no tier: the points a
member had are carried over by the members import (as an opening balance), and tiers follow from the
next purchase at the counter. Each row is one sale, for a member found by phone; with
``create_members`` an unknown phone creates the member (named after the row, or after the phone's last
four digits when the sheet has no names). A row with neither phone nor name is a walk-in sale (散客): it
counts in the shop's sales, not in any member's figures.

Importing the same file twice records each sale once: a sale's ``uid`` is the till's order number when
the sheet has one, otherwise a digest of the row (phone, time, amounts, category, item, note) and how
many identical rows came before it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, replace

from shopdesk.db import bulk
from shopdesk.db.database import current_database
from shopdesk.db.models import now
from shopdesk.domain.pinyin import name_pinyin
from shopdesk.exchange import coerce, storage
from shopdesk.exchange.coerce import CellError
from shopdesk.exchange.headers import PURCHASE_FIELDS, HeaderMatch
from shopdesk.exchange.plan import (
    ImportPlan,
    add_reading_notes,
    find_header,
    phone_from_content,
    read_source,
    reject_record,
    row_list,
    scan_rows,
    sort_errors,
)
from shopdesk.exchange.readers import RawSheet
from shopdesk.exchange.refs import StaffBook
from shopdesk.i18n import _, ngettext
from shopdesk.services import session
from shopdesk.services.audit import record_audit
from shopdesk.services.progress import Progress, report
from shopdesk.services.transactions import atomic, guarded

NOTE_MAX = 500
# What tills print as the customer of a sale without a member (a walk-in sale, 散客).
WALK_IN_NAMES = frozenset(
    {"散客", "非会员", "游客", "零售", "零售客户", "普通顾客", "临时顾客", "过路客", "walk-in"}
)
ORDER_NO_MAX = 33  # "import:" + the number fits the 40 characters of a uid
RECOMPUTE_ALL_SHARE = 0.3  # past this share of the members, recompute every member's figures at once
CATEGORY_REBUILD_MIN = 2_000  # past this many sales with items, rebuild the category-by-day sums
_CACHED = frozenset({"name", "date", "amount", "paid", "category", "item", "qty", "staff", "refund_reason"})
# fmt: off
_PURCHASE_COLUMNS = (
    "id", "uid", "member_id", "purchased_at", "amount_fen", "paid_fen", "staff_id", "note", "created_at",
    "refunded_at", "refund_reason", "points_used", "points_discount_fen", "coupon_discount_fen",
)
_ITEM_COLUMNS = ("purchase_id", "category_id", "name", "qty", "amount_fen")
_NEW_MEMBER_COLUMNS = (
    "id", "phone", "phone_rev", "name", "name_pinyin", "name_initials", "gender", "source", "notes",
    "created_at", "updated_at", "tier_manual", "points_balance", "purchase_count", "total_spent_fen",
)
# fmt: on


@dataclass(frozen=True, slots=True)
class PurchaseImportResult:
    """What an import did (``applied`` is False when invalid rows stopped it: nothing was written)."""

    applied: bool
    imported: int = 0
    refunded: int = 0
    already_imported: int = 0
    members_created: int = 0
    members_updated: int = 0
    rejected: int = 0
    staff_created: int = 0
    categories_created: int = 0


@guarded
def plan_purchase_import(
    source: str | os.PathLike[str] | RawSheet,
    *,
    create_members: bool = False,
    sheet: str | int | None = None,
    mapping: dict[int, str | None] | None = None,
    header_row: int | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read and check a purchases sheet against the shop without changing anything.

    Without ``create_members`` a row for a phone the shop does not know is invalid.
    """
    raw, file_name = read_source(source, sheet, PURCHASE_FIELDS)
    header = find_header(raw, PURCHASE_FIELDS, mapping=mapping, header_row=header_row, file_name=file_name)
    guessed = None
    if mapping is None:
        header, guessed = phone_from_content(raw, _paid_as_amount(header))
    plan = ImportPlan("purchases", file_name, raw, header, PURCHASE_FIELDS)
    if guessed is not None:
        plan.notes.append(guessed)
    if plan.missing_required:
        return plan  # the mapping step asks for the missing columns first
    add_reading_notes(plan)
    stamp = now()
    converters: dict[str, Callable[[object], object]] = {
        "phone": coerce.phone,
        "name": coerce.name,
        "date": lambda value: coerce.purchase_time(value, stamp),
        "amount": _amount,
        "paid": _money,
        "category": coerce.name,
        "item": lambda value: coerce.text(value, 60),
        "qty": coerce.quantity,
        "staff": coerce.name,
        "note": lambda value: coerce.text(value, NOTE_MAX),
        "order_no": lambda value: coerce.text(value, ORDER_NO_MAX),
        "refunded_at": lambda value: coerce.purchase_time(value, stamp),
        "refund_reason": lambda value: coerce.text(value, NOTE_MAX),
    }
    records: list[dict] = []
    rows = scan_rows(plan, converters, progress, cached=_CACHED, blank_allowed=frozenset({"phone"}))
    several: list[int] = []
    several_phones = coerce.SeveralPhones
    for row_number, record in rows:
        record["_row"] = row_number
        if record["phone"].__class__ is several_phones:
            record["phone"] = str(record["phone"])
            several.append(row_number)
        records.append(record)
    if several:
        plan.notes.append(
            ngettext(
                "{count} row gives several phones in one cell; the first was used (row {rows}).",
                "{count} rows give several phones in one cell; the first was used (rows {rows}).",
                len(several),
            ).format(count=len(several), rows=row_list(several))
        )
    _check_rows(plan, records, create_members)
    sort_errors(plan)
    return plan


def _paid_as_amount(header: HeaderMatch) -> HeaderMatch:
    """A till that exports only what was paid (实付金额) gives the amount too: the two are the same."""
    keys = set(header.mapping.values())
    if "amount" in keys or "paid" not in keys:
        return header
    mapping = {column: "amount" if key == "paid" else key for column, key in header.mapping.items()}
    return replace(header, mapping=mapping)


def _money(value: object) -> int:
    """Fen of a sale; a negative amount is a refund line, which ShopDesk keeps on the sale itself."""
    try:
        return coerce.money(value)
    except CellError:
        if coerce.is_negative(value):
            raise CellError(
                _(
                    "A negative amount is a refund. ShopDesk records a refund on the sale itself: give that "
                    "sale's row a refund date (退款时间) and leave this row out."
                )
            ) from None
        raise


def _amount(value: object) -> int:
    fen = _money(value)
    if fen == 0:
        raise CellError(_("Amount should be more than zero."))
    return fen


def _check_rows(plan: ImportPlan, records: list[dict], create_members: bool) -> None:
    """Amounts that add up, refunds after the sale, one row per order number, members that exist."""
    db = current_database()
    known = storage.member_ids_by_phone(db, sorted({r["phone"] for r in records if r["phone"] is not None}))
    uids: dict[str, int] = {}
    kept: list[dict] = []
    for record in records:
        if record["phone"] is None and record.get("name") in WALK_IN_NAMES:
            record["name"] = None
        if record["phone"] is None and record.get("name") is not None:
            reject_record(
                plan,
                record,
                "phone",
                _("A sale with a customer's name needs their phone (leave both empty for a walk-in sale)."),
            )
            continue
        paid = record.get("paid")
        if paid is not None and paid > record["amount"]:
            reject_record(plan, record, "paid", _("The amount paid is more than the amount."))
            continue
        refunded = record.get("refunded_at")
        if refunded is not None and refunded < record["date"]:
            reject_record(plan, record, "refunded_at", _("The refund is dated before the sale."))
            continue
        if not create_members and record["phone"] is not None and record["phone"] not in known:
            reject_record(
                plan,
                record,
                "phone",
                _("No member has this phone. Import the members first, or let the import create them."),
            )
            continue
        uid = _uid(record, uids)
        if uid is None:
            reject_record(plan, record, "order_no", _("This order number is on an earlier row already."))
            continue
        record["_uid"] = uid
        kept.append(record)
    done = _existing_uids(db, [record["_uid"] for record in kept])
    plan.records = [record for record in kept if record["_uid"] not in done]
    already = len(kept) - len(plan.records)
    if already:
        plan.notes.append(
            ngettext(
                "{count} sale was imported before; it will not be recorded twice.",
                "{count} sales were imported before; they will not be recorded twice.",
                already,
            ).format(count=already)
        )
    plan.merged_rows = already  # rows that add nothing, for the counts shown before applying
    new_members = {r["phone"] for r in plan.records if r["phone"] is not None and r["phone"] not in known}
    plan.existing = len(plan.records) - sum(1 for record in plan.records if record["phone"] in new_members)
    walk_ins = sum(1 for record in plan.records if record["phone"] is None)
    if walk_ins:
        plan.notes.append(
            ngettext(
                "{count} sale has no phone or name: it will be recorded as a walk-in sale.",
                "{count} sales have no phone or name: they will be recorded as walk-in sales.",
                walk_ins,
            ).format(count=walk_ins)
        )
    if new_members:
        plan.notes.append(
            ngettext(
                "{count} member will be created for a phone the shop does not know.",
                "{count} members will be created for phones the shop does not know.",
                len(new_members),
            ).format(count=len(new_members))
        )


def _uid(record: dict, seen: dict[str, int]) -> str | None:
    """The sale's uid; None for an order number already used by an earlier row of the file."""
    order = record.get("order_no")
    if order is not None:
        uid = f"import:{order}"
        if uid in seen:
            return None
        seen[uid] = 1
        return uid
    parts = (
        record["phone"],
        record["date"].isoformat(),
        record["amount"],
        record.get("paid"),
        record.get("category"),
        record.get("item"),
        record.get("qty"),
        record.get("note"),
    )
    digest = hashlib.sha1("|".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()[:30]
    occurrence = seen.get(digest, 0)
    seen[digest] = occurrence + 1
    return f"imp-{digest}-{occurrence}"


def _existing_uids(db: object, uids: list[str]) -> set[str]:
    """The uids among ``uids`` that the shop has recorded already."""
    if len(uids) > 5_000:  # one index range over every imported sale beats thousands of IN lists
        param = db.param  # type: ignore[attr-defined]
        rows = db.execute_sql(  # type: ignore[attr-defined]
            f"SELECT uid FROM purchase WHERE uid >= {param} AND uid < {param}", ("imp", "imq")
        ).fetchall()
        wanted = set(uids)
        return {uid for (uid,) in rows if uid in wanted}
    return set(storage.lookup(db, "SELECT uid, id FROM purchase WHERE uid IN ({marks})", uids))  # type: ignore[arg-type]


# -- applying -------------------------------------------------------------------------------------------


def apply_purchase_import(
    plan: ImportPlan,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    actor: str = "",
) -> PurchaseImportResult:
    """Record the plan's sales in one transaction (see the module docstring for what they change)."""
    if plan.kind != "purchases":
        raise ValueError("not a purchases plan")
    session.require(session.Permission.IMPORT)
    plan.check_runnable()
    if plan.invalid_rows and not skip_invalid:
        return PurchaseImportResult(
            applied=False, rejected=plan.invalid_rows, already_imported=plan.merged_rows
        )
    actor = actor or session.current().operator
    with atomic():
        result = _Writer(plan, progress, actor).run()
        record_audit(
            "import.purchases",
            plan.file_name[:60],
            {
                "imported": result.imported,
                "members_created": result.members_created,
                "rejected": result.rejected,
                "already_imported": result.already_imported,
            },
            actor=actor,
        )
    return result


def import_purchases(
    path: str | os.PathLike[str],
    *,
    create_members: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    actor: str = "",
) -> tuple[ImportPlan, PurchaseImportResult]:
    """Plan and apply in one go (the CLI); the plan carries the row errors."""
    plan = plan_purchase_import(path, create_members=create_members, progress=progress)
    return plan, apply_purchase_import(plan, skip_invalid=skip_invalid, progress=progress, actor=actor)


class _Writer:
    """One application of a purchases plan, inside the caller's transaction."""

    def __init__(self, plan: ImportPlan, progress: Progress | None, actor: str) -> None:
        self.plan = plan
        self.progress = progress
        self.actor = actor
        self.db = current_database()
        self.stamp_text = storage.timestamp(now())
        self.itemised: set[int] = set()

    def run(self) -> PurchaseImportResult:
        db, plan = self.db, self.plan
        total = max(len(plan.records), 1)
        report(self.progress, 0, total, _("Saving purchases…"))
        storage.lock_for_ids(db, "member", "purchase")
        done = _existing_uids(db, [record["_uid"] for record in plan.records])  # since planning
        records = [record for record in plan.records if record["_uid"] not in done]
        ids: dict[str | None, int | None] = {None: None}  # a walk-in sale has no member
        ids.update(storage.member_ids_by_phone(db, sorted({r["phone"] for r in records if r["phone"]})))
        created = self._create_members(records, ids)
        staff = StaffBook.load()
        staff_created = staff.create_missing(record["staff"] for record in records if record.get("staff"))
        categories, categories_created = self._categories(records)
        first = storage.reserve_ids(db, "purchase")
        purchases, items = [], []
        stamp = self.stamp_text
        for offset, record in enumerate(records):
            purchase_id = first + offset
            amount = record["amount"]
            paid = record.get("paid")
            # fmt: off
            purchases.append((
                purchase_id, record["_uid"], ids[record["phone"]], storage.timestamp(record["date"]), amount,
                amount if paid is None else paid,
                staff.id_of(record["staff"]) if record.get("staff") else None, record.get("note") or "",
                stamp,
                storage.timestamp(record.get("refunded_at")), record.get("refund_reason") or "", 0, 0, 0,
            ))
            # fmt: on
            category, item = record.get("category"), record.get("item")
            if category is not None or item is not None:
                items.append(
                    (purchase_id, categories.get(category), item or "", record.get("qty") or 1, amount)
                )

        def on_batch(count: int) -> None:
            report(self.progress, count, total, _("Saving purchases…"))

        with storage.indexes_rebuilt(db, "purchase", len(purchases)):
            bulk.bulk_insert(db, "purchase", _PURCHASE_COLUMNS, purchases, on_batch=on_batch)
        bulk.sync_id_sequence(db, "purchase")
        with storage.indexes_rebuilt(db, "purchase_item", len(items)):
            bulk.bulk_insert(db, "purchase_item", _ITEM_COLUMNS, items)
        members = sorted({ids[record["phone"]] for record in records if record["phone"] is not None})
        report(self.progress, total, total, _("Updating the members' figures…"))
        self.itemised = {item[0] for item in items}
        self._recompute(members, purchases)
        return PurchaseImportResult(
            applied=True,
            imported=len(purchases),
            refunded=sum(1 for record in records if record.get("refunded_at") is not None),
            already_imported=plan.merged_rows + len(plan.records) - len(records),
            members_created=created,
            members_updated=len(members) - created,
            rejected=plan.invalid_rows,
            staff_created=staff_created,
            categories_created=categories_created,
        )

    def _create_members(self, records: list[dict], ids: dict[str | None, int | None]) -> int:
        """Members for the phones the shop does not know (the plan allowed it), named by the rows."""
        names: dict[str, str | None] = {}
        for record in records:
            phone = record["phone"]
            if phone is not None and phone not in ids and names.get(phone) is None:
                names[phone] = record.get("name")
        if not names:
            return 0
        first = storage.reserve_ids(self.db, "member")
        rows = []
        for offset, (phone, name) in enumerate(names.items()):
            name = name or _("Member {tail}").format(tail=phone[-4:])
            full, initials = name_pinyin(name)
            ids[phone] = first + offset
            # fmt: off
            rows.append((
                first + offset, phone, phone[::-1], name, full[:120], initials[:30], "", "store", "",
                self.stamp_text, self.stamp_text, False, 0, 0, 0,
            ))
            # fmt: on
        with storage.indexes_rebuilt(self.db, "member", len(rows)):
            bulk.bulk_insert(self.db, "member", _NEW_MEMBER_COLUMNS, rows)
        bulk.sync_id_sequence(self.db, "member")
        return len(rows)

    def _categories(self, records: list[dict]) -> tuple[dict[str | None, int | None], int]:
        """Category ids by name, adding the names the shop does not know yet."""
        from shopdesk.db.models import Category

        known = {
            name: category_id for category_id, name in Category.select(Category.id, Category.name).tuples()
        }
        by_name: dict[str | None, int | None] = {None: None}
        created = 0
        order = len(known)
        for record in records:
            name = record.get("category")
            if name is None or name in by_name:
                continue
            if name not in known:
                known[name] = Category.create(name=name[:30], sort_order=order, created_at=now()).id
                order += 1
                created += 1
            by_name[name] = known[name]
        return by_name, created

    def _recompute(self, members: list[int], purchases: list[tuple]) -> None:
        """What a sale at the counter keeps up to date, for the members who got sales: figures, rhythm,
        monthly sums, category sums, lifecycle and automatic tags (all of them at once when most did).

        Coupons and follow-ups are left alone: they answer today's sales, not the history.
        """
        from shopdesk.db.member_months import (
            add_category_sales,
            rebuild_category_days,
            rebuild_member_months,
            refresh_member_months,
        )
        from shopdesk.services.auto_tags import recompute_auto_tags
        from shopdesk.services.purchases import recompute_intervals, recompute_member_figures

        count = int(self.db.execute_sql("SELECT COUNT(*) FROM member").fetchone()[0])
        everyone = len(members) >= RECOMPUTE_ALL_SHARE * count
        if members and everyone:
            recompute_member_figures(None)
            recompute_intervals(None)
            rebuild_member_months(self.db)
        else:  # some members (none when every sale was a walk-in)
            for part in storage.chunks(members):
                recompute_member_figures(list(part))
                recompute_intervals(list(part))
                refresh_member_months(list(part))
        with_items = [row[0] for row in purchases if row[9] is None and row[0] in self.itemised]
        if len(with_items) > CATEGORY_REBUILD_MIN:
            rebuild_category_days(self.db)
        else:
            for purchase_id in with_items:
                add_category_sales(purchase_id)
        if members:
            recompute_auto_tags(member_ids=None if everyone else members)
