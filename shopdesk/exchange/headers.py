"""Column names to fields: the import fields, their Chinese and English aliases, and finding the header row.

Sheets people bring have a title or two above the column names, merged cells, units in brackets
(``金额（元）``), stars on required columns (``手机号*``) and full-width letters. ``normalise_title``
folds all of that away; ``match_field`` then looks for an exact alias first and, failing that, an alias
contained in a short title (``会员手机号`` → phone). ``detect_header`` scores the first rows and takes the
one naming the most fields; a column whose name sits in a cell merged down from the row above is found
too. The GUI shows the result as a mapping the user can correct; the CLI takes it as it is.

Each field's label is also the title our exports give the column, so an exported file always imports,
whatever the language it was exported in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from shopdesk.i18n import N_, _

HEADER_SCAN_ROWS = 30
EXACT, CONTAINED = 2, 1
_BRACKETS = re.compile(r"[(\[【（〔<《][^)\]】）〕>》]*[)\]】）〕>》]")
_NOISE = re.compile(r"[\s*＊:：_\-/\\.。·#№\u200b-\u200f\u202a-\u202e\u2060\ufeff]+")  # zero-width too


@dataclass(frozen=True, slots=True)
class Field:
    """Something an import understands: its key, label (also the export title), aliases and help."""

    key: str
    label: str  # N_() English; translated when shown
    aliases: tuple[str, ...]
    required: bool = False
    help: str = ""  # N_() what the column may hold, for the template's instructions sheet
    example: str = ""
    # Words naming the field only when no column is named by an alias: a WeChat card list's 微信昵称 is
    # the name the shop knows the member by when it has no 姓名 column, never when it has one.
    fallback: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """Where the column names are and which field each column feeds."""

    header_row: int  # 0-based index of the first row of the column names
    data_start: int  # 0-based index of the first data row
    titles: tuple[str, ...]  # each column's name as written (merged cells filled in)
    mapping: dict[int, str] = field(default_factory=dict)  # column index -> field key

    def column_of(self, key: str) -> int | None:
        """The column feeding field ``key``, if any."""
        for column, mapped in self.mapping.items():
            if mapped == key:
                return column
        return None


def words(text: str) -> tuple[str, ...]:
    """Aliases written as one space-separated string (no alias has a space once normalised)."""
    return tuple(text.split())


# A title holding one of these words names something else than the alias it contains: 优惠金额 is a
# discount, not the amount; 储值余额 a prepaid balance, not points; 累计积分 every point ever earned, not
# the balance; 导购工号 a number, not the clerk's name. Exact aliases (积分余额, 退款时间) still match.
_OTHER_MEANING = words(
    "优惠 折扣 减免 抵扣 抵用 退款 退货 找零 运费 配送费 手续费 储值 充值 赠送 累计 已用 欠款 押金 "
    "卡号 工号 编号 昵称 紧急"
)


_PHONE_ALIASES = words(
    "手机 手机号 手机号码 电话 电话号码 联系电话 联系方式 移动电话 会员手机 会员手机号 会员电话 客户手机 "
    "客户电话 顾客手机 手机电话 phone mobile mobilephone cellphone cell tel telephone phonenumber "
    "mobilenumber"
)
_NAME_ALIASES = words(
    "姓名 名字 会员姓名 客户姓名 顾客姓名 会员名 会员名称 客户名称 客户名 顾客 称呼 "
    "name membername customer customername fullname"
)
_STAFF_ALIASES = words(
    "导购 店员 销售员 销售 专属导购 服务导购 所属导购 负责人 跟进人 员工 营业员 服务人员 收银员 "
    "staff clerk salesperson salesrep seller cashier"
)
_NOTE_ALIASES = words("备注 备注信息 说明 notes note remark remarks memo comment comments")

MEMBER_FIELDS: tuple[Field, ...] = (
    Field(
        "phone",
        N_("Phone"),
        _PHONE_ALIASES,
        required=True,
        help=N_("Required. 11-digit mainland mobile number; spaces, dashes and +86 are fine."),
        example="13800138000",
    ),
    Field(
        "name",
        N_("Name"),
        _NAME_ALIASES,
        help=N_("Required for new members, at most 30 characters."),
        fallback=("昵称", "nickname"),
        example="张三",
    ),
    Field(
        "gender",
        N_("Gender"),
        words("性别 gender sex"),
        help=N_("女 or 男 (F or M); may be left empty."),
        example="女",
    ),
    Field(
        "birthday",
        N_("Birthday"),
        words("生日 出生日期 生日日期 出生年月日 出生年月 birthday birthdate dateofbirth dob"),
        help=N_("A date such as 1990-03-09, or 3月9日 when the year is unknown."),
        example="1990-03-09",
    ),
    Field(
        "source",
        N_("Source"),
        words("来源 来源渠道 渠道 客户来源 会员来源 获客渠道 source channel"),
        help=N_("How the member found the shop; pick from the list."),
        example="朋友圈",
    ),
    Field(
        "tier",
        N_("Tier"),
        words("等级 会员等级 级别 会员级别 卡等级 会员卡等级 卡类型 tier level memberlevel grade"),
        help=N_("One of the shop's tiers; pick from the list, or leave empty."),
    ),
    Field(
        "points",
        N_("Points"),
        words("积分 当前积分 剩余积分 可用积分 积分余额 会员积分 points pointsbalance pointbalance balance"),
        help=N_("Points carried over from before ShopDesk: a whole number, kept as an opening balance."),
        example="120",
    ),
    Field(
        "tags",
        N_("Tags"),
        words("标签 会员标签 客户标签 tags tag labels"),
        help=N_("Several tags separated by commas or 、"),
        example="敏感肌、VIP",
    ),
    Field(
        "staff",
        N_("Staff"),
        _STAFF_ALIASES,
        help=N_("The member's clerk by name; a name the shop does not know yet is added."),
    ),
    Field(
        "referrer",
        N_("Referrer"),
        words("推荐人 介绍人 推荐人姓名 介绍人姓名 referrer referredby introducer"),
        help=N_("Who brought the member: a name, or better the phone in the next column."),
    ),
    Field(
        "referrer_phone",
        N_("Referrer phone"),
        words("推荐人手机 推荐人手机号 推荐人电话 介绍人手机 介绍人电话 referrerphone referrermobile"),
        help=N_("The referrer's phone; they may be in the same file."),
    ),
    Field("notes", N_("Notes"), _NOTE_ALIASES, help=N_("Free text, at most 2000 characters.")),
    Field(
        "joined",
        N_("Joined"),
        words(
            "入会日期 入会时间 注册日期 注册时间 开卡日期 开卡时间 加入日期 加入时间 建档日期 建档时间 "
            "办卡日期 办卡时间 领卡日期 领卡时间 开通日期 开通时间 成为会员日期 成为会员时间 "
            "创建日期 创建时间 "
            "joined joindate membersince registered signupdate"
        ),
        help=N_("When the member joined; today when empty."),
        example="2023-05-01",
    ),
    Field(
        "archived",
        N_("Archived"),
        words("已归档 归档 归档时间 归档日期 archived archivedat"),
        help=N_("When the member was archived; empty for a member the shop still serves."),
    ),
)

PURCHASE_FIELDS: tuple[Field, ...] = (
    Field(
        "phone",
        N_("Phone"),
        _PHONE_ALIASES,
        required=True,
        help=N_("The member's phone. Leave it and the name empty for a walk-in sale."),
        example="13800138000",
    ),
    Field(
        "name",
        N_("Name"),
        _NAME_ALIASES,
        help=N_("Used only to create a member for an unknown phone."),
        fallback=("昵称", "nickname"),
        example="张三",
    ),
    Field(
        "date",
        N_("Date"),
        words(
            "日期 消费日期 消费时间 购买日期 购买时间 交易日期 交易时间 下单时间 下单日期 销售日期 "
            "销售时间 支付时间 付款时间 结账时间 成交时间 时间 "
            "date purchasedate purchasedat time datetime orderdate"
        ),
        required=True,
        help=N_("Required. 2023-05-01, 2023/5/1 14:30 or 2023年5月1日."),
        example="2023-05-01",
    ),
    Field(
        "amount",
        N_("Amount"),
        words(
            "金额 消费金额 订单金额 应付金额 应收金额 商品金额 总金额 合计金额 销售金额 原价 订单原价 "
            "消费额 销售额 订单总额 订单总价 商品总价 应付 应收 "
            "amount total orderamount price"
        ),
        required=True,
        help=N_("Required. The price of the goods, e.g. 128 or ¥1,280.00."),
        example="128",
    ),
    Field(
        "paid",
        N_("Paid"),
        words("实付 实付金额 实收 实收金额 支付金额 付款金额 实际支付 实际付款 paid amountpaid paidamount"),
        help=N_("What the customer paid; the amount when empty."),
    ),
    Field(
        "category",
        N_("Category"),
        words("品类 类别 商品类别 分类 商品分类 类目 category productcategory"),
        help=N_("A product category; a name the shop does not know yet is added."),
        example="面霜",
    ),
    Field(
        "item",
        N_("Item"),
        words("商品 商品名称 品名 产品 产品名称 货品 项目 item product goods itemname"),
        help=N_("What was bought."),
    ),
    Field("qty", N_("Quantity"), words("数量 件数 qty quantity"), help=N_("1 when empty."), example="1"),
    Field("staff", N_("Staff"), _STAFF_ALIASES, help=N_("Who served the sale, by name.")),
    Field("note", N_("Note"), _NOTE_ALIASES, help=N_("Free text.")),
    Field(
        "order_no",
        N_("Order no."),
        words(
            "单号 订单号 流水号 小票号 订单编号 交易单号 销售单号 "
            "orderno ordernumber receipt receiptno orderid"
        ),
        help=N_("The till's number for the sale; importing the same number twice records it once."),
    ),
    Field(
        "refunded_at",
        N_("Refunded"),
        words("退款时间 退款日期 退货时间 退货日期 refundedat refunddate refunded"),
        help=N_("When the sale was refunded; empty for a sale that stands."),
    ),
    Field(
        "refund_reason",
        N_("Refund reason"),
        words("退款原因 退货原因 refundreason"),
        help=N_("Why it was refunded."),
    ),
)

# Titles of columns our own exports write but imports leave alone (figures follow from purchases):
# they must never be taken for a field by the "contained alias" rule.
READ_ONLY_TITLES: tuple[str, ...] = (
    N_("Purchases"),
    N_("Total spent"),
    N_("First purchase"),
    N_("Last purchase"),
    N_("Lifecycle"),
    N_("RFM segment"),
    N_("RFM scores"),
    N_("Points used"),
    N_("Points discount"),
    N_("Coupon discount"),
    N_("Items"),
    N_("Balance after"),
    N_("Kind"),
    N_("Operator"),
    N_("Reason"),
    N_("Average order value"),
    N_("Days since last purchase"),
    N_("Usual days between visits"),
    N_("Automatic tags"),
    *words("消费次数 累计消费 消费总额 首次消费 最近消费 最后消费 生命周期 积分变动 变动后余额"),
)


def normalise_title(text: object) -> str:
    """A column name folded for comparison: ``手机号（必填）*`` → ``手机号``, ``Phone No.`` → ``phoneno``."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    without_units = _BRACKETS.sub("", folded)
    if without_units.strip():  # "(元)" alone is kept rather than emptied
        folded = without_units
    return _NOISE.sub("", folded)


def _alias_table(fields: Sequence[Field]) -> dict[str, str]:
    """Every normalised alias (and label, in English and the current language) to its field key, in the
    order the fields list them (the first aliases are the likeliest names)."""
    table: dict[str, str] = {}
    for item in fields:
        for alias in (*item.aliases, item.label, _(item.label)):
            table.setdefault(normalise_title(alias), item.key)
    return table


def _read_only_titles() -> set[str]:
    return {normalise_title(title) for text in READ_ONLY_TITLES for title in (text, _(text))}


def match_field(title: object, fields: Sequence[Field]) -> tuple[str | None, int]:
    """(field key, score) for one column name: EXACT for an alias, CONTAINED for an alias inside it."""
    return _Matcher(fields).match(title)


class _Matcher:
    """Alias look-ups for one set of fields (built once per detection, in the current language)."""

    def __init__(self, fields: Sequence[Field]) -> None:
        self.table = _alias_table(fields)
        self.rank = {alias: index for index, alias in enumerate(self.table)}
        self.read_only = _read_only_titles()
        # Longest aliases first, so 推荐人手机 wins over 手机 and 实付金额 over 金额.
        self.contained = sorted(
            (alias for alias in self.table if len(alias) >= (2 if not alias.isascii() else 4)),
            key=len,
            reverse=True,
        )

    def match(self, title: object) -> tuple[str | None, int]:
        key, score, _rank = self.ranked(title)
        return key, score

    def ranked(self, title: object) -> tuple[str | None, int, int]:
        """(field key, score, rank of the alias found: lower is likelier)."""
        key = normalise_title(title)
        if not key:
            return None, 0, 0
        if key in self.table:
            return self.table[key], EXACT, self.rank[key]
        if key in self.read_only or len(key) > 12 or any(word in key for word in _OTHER_MEANING):
            return None, 0, 0
        for alias in self.contained:
            if alias in key:
                return self.table[alias], CONTAINED, self.rank[alias]
        return None, 0, 0


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _row_mapping(matcher: _Matcher, cells: Sequence[object]) -> tuple[dict[int, str], int]:
    """Fields named by one row and the row's score. A field named by two columns takes the better match,
    then the likelier alias (手机 before 电话: a list with both keeps landlines under 电话), then the
    first column."""
    found: dict[str, tuple[int, int, int]] = {}
    for column, cell in enumerate(cells):
        if not isinstance(cell, str):
            continue  # numbers and dates are data, never column names
        key, score, rank = matcher.ranked(cell)
        if key is not None and (key not in found or (score, -rank) > (found[key][1], -found[key][2])):
            found[key] = (column, score, rank)
    mapping = {column: key for key, (column, _score, _rank) in found.items()}
    return mapping, sum(score for _column, score, _rank in found.values())


def detect_header(
    rows: Sequence[Sequence[object]],
    fields: Sequence[Field],
    merged: Sequence[tuple[int, int, int, int]] = (),
    *,
    header_row: int | None = None,
) -> HeaderMatch | None:
    """Find the column names among the first rows (or take ``header_row``) and map columns to fields.

    Returns None when no row names at least one field exactly (a sheet without column names).
    """
    matcher = _Matcher(fields)
    candidates = range(min(len(rows), HEADER_SCAN_ROWS)) if header_row is None else [header_row]
    best, best_score = None, 0
    for index in candidates:
        if index >= len(rows):
            continue
        _mapping, score = _row_mapping(matcher, rows[index])
        if score > best_score:
            best, best_score = index, score
    if best is None or best_score < EXACT:
        return None
    # A name merged down over two header rows (手机号 over rows 2-3, with 年/月/日 under 生日) belongs to
    # the header too: the data starts below the lowest merged header cell.
    header_end = best
    vertical = [m for m in merged if m[0] <= best <= m[2] and m[2] > m[0]]
    for _first_row, _c0, last_row, _c1 in vertical:
        header_end = max(header_end, last_row)
    width = max((len(rows[i]) for i in range(best, min(header_end + 1, len(rows)))), default=0)
    titles = [_text(rows[best][c]) if c < len(rows[best]) else "" for c in range(width)]
    for first_row, first_col, _last_row, last_col in vertical:
        text = _text(rows[first_row][first_col]) if first_col < len(rows[first_row]) else ""
        for column in range(first_col, min(last_col + 1, width)):
            if not titles[column]:
                titles[column] = text
    # Sub-headers in the rows under a merged header name the columns left blank above them.
    for index in range(best + 1, header_end + 1):
        for column, cell in enumerate(rows[index][:width]):
            text = _text(cell)
            if text and not titles[column]:
                titles[column] = text
    mapping, _score = _row_mapping(matcher, titles)
    _add_fallbacks(mapping, titles, fields)
    return HeaderMatch(best, header_end + 1, tuple(titles), mapping)


def _add_fallbacks(mapping: dict[int, str], titles: Sequence[str], fields: Sequence[Field]) -> None:
    """Map each field no column names to the first free column whose title holds its fallback word."""
    for item in fields:
        if not item.fallback or item.key in mapping.values():
            continue
        for column, title in enumerate(titles):
            folded = normalise_title(title)
            if column not in mapping and any(word in folded for word in item.fallback):
                mapping[column] = item.key
                break


def column_letter(index: int) -> str:
    """Excel's name for a 0-based column: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def field_label(fields: Sequence[Field], key: str) -> str:
    """The translated label of field ``key``."""
    for item in fields:
        if item.key == key:
            return _(item.label)
    return key
