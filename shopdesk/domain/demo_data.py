"""The raw material of a demo shop: Chinese names with real frequencies, phone prefixes, shop profiles.

Pure data (no randomness here): ``services.demo_shop`` draws from it with a seeded generator, so the same
seed always builds the same shop. Everything a shopkeeper would see is written the way a Chinese shop
writes it (names, products, notes), because the demo is what a prospective user judges the app by.
"""

from __future__ import annotations

from dataclasses import dataclass

# The most common surnames with their approximate share of the population (per mille, 2020 census order),
# plus a few rarer ones whose reading as a surname differs (曾 zēng, 单 shàn, 区 ōu, 解 xiè, 查 zhā, 仇 qiú)
# and compound surnames, so that search by pinyin meets them in the demo too.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 71), ("李", 70), ("张", 64), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22), ("赵", 21),
    ("吴", 20), ("周", 19), ("徐", 16), ("孙", 15), ("马", 14), ("朱", 13), ("胡", 13), ("郭", 11),
    ("何", 11), ("高", 10), ("林", 10), ("罗", 9), ("郑", 9), ("梁", 8), ("谢", 8), ("宋", 7),
    ("唐", 7), ("许", 7), ("韩", 7), ("冯", 6), ("邓", 6), ("曹", 6), ("彭", 6), ("曾", 5),
    ("肖", 5), ("田", 5), ("董", 5), ("袁", 4), ("潘", 4), ("于", 4), ("蒋", 4), ("蔡", 4),
    ("余", 4), ("杜", 4), ("叶", 4), ("程", 4), ("苏", 3), ("魏", 3), ("吕", 3), ("丁", 3),
    ("任", 3), ("沈", 3), ("姚", 3), ("卢", 3), ("姜", 3), ("崔", 3), ("钟", 3), ("谭", 3),
    ("陆", 3), ("汪", 3), ("范", 3), ("金", 3), ("石", 3), ("廖", 3), ("贾", 3), ("夏", 3),
    ("韦", 2), ("付", 2), ("方", 2), ("白", 2), ("邹", 2), ("孟", 2), ("熊", 2), ("秦", 2),
    ("邱", 2), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2), ("段", 2), ("雷", 2), ("侯", 2),
    ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2), ("顾", 2), ("毛", 2), ("郝", 2),
    ("龚", 2), ("邵", 2), ("万", 2), ("钱", 2), ("严", 1.5), ("覃", 1.5), ("武", 1.5), ("戴", 1.5),
    ("莫", 1.2), ("孔", 1.2), ("向", 1.2), ("汤", 1.2), ("常", 1), ("温", 1), ("康", 1), ("施", 1),
    ("葛", 1), ("翟", 0.6), ("单", 0.5), ("解", 0.4), ("仇", 0.3), ("查", 0.3), ("区", 0.2), ("朴", 0.2),
    ("欧阳", 0.5), ("司马", 0.1), ("诸葛", 0.1), ("上官", 0.1), ("令狐", 0.05), ("皇甫", 0.05),
)

# Given names. One-character names are the classic ones (张伟, 王芳 …); two-character names are either
# common whole names or a first and a second character that usually go together, so that the demo reads
# like a real member list rather than random characters.
FEMALE_SINGLE = "芳娜敏静丽艳娟霞燕玲丹萍红梅莉雪慧婷晶宁欢英琳颖"
MALE_SINGLE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌浩凯健俊帅旭林龙宇洋帆"
FEMALE_NAMES: tuple[str, ...] = (
    "秀英", "桂英", "秀兰", "玉兰", "桂兰", "秀珍", "凤英", "玉梅", "玉珍", "丽娟", "丽华", "晓燕",
    "晓丽", "晓红", "海燕", "春梅", "婷婷", "丹丹", "静怡", "欣怡", "诗涵", "梓涵", "雨涵", "子涵",
    "思琪", "佳怡", "雨萱", "可馨", "梦瑶", "紫涵", "一诺", "晓敏", "雅琪", "欣然", "佳琪", "美玲",
    "慧敏", "丽娜", "雪梅", "秋月", "春燕", "艳红", "淑芬", "淑珍", "小红", "小燕", "金凤", "文静",
    "静雯", "嘉欣", "心怡", "思雨", "语桐", "雨欣", "梓萱", "诗琪", "依诺", "佳慧", "晓婷", "婉婷",
    "倩倩", "莉莉", "琳琳", "璐璐", "露露", "雯雯", "佳佳", "媛媛", "玉洁", "嘉怡", "若曦", "紫琪",
    "悦悦", "欣妍", "梦琪", "雅婷", "晓雪", "佳欣", "思彤", "雨桐",
)
MALE_NAMES: tuple[str, ...] = (
    "建国", "建华", "志强", "志明", "国强", "国华", "海涛", "海波", "俊杰", "浩然", "子轩", "浩宇",
    "宇轩", "梓轩", "明轩", "一鸣", "博文", "天佑", "嘉豪", "俊熙", "晓东", "晓明", "建军", "建平",
    "永强", "振华", "立新", "文博", "思远", "家豪", "鹏飞", "志刚", "伟东", "云龙", "子豪", "浩轩",
    "宇航", "晨阳", "梓豪", "俊宇", "文杰", "国庆", "德明", "春雷", "红军", "卫东", "建伟", "明杰",
    "宏伟", "家乐", "天宇", "思源", "逸飞", "子墨",
)
FEMALE_FIRST = "晓雨思佳欣诗梦雅紫可嘉子美丽秀春玉婉静心梓若慧文"
FEMALE_SECOND = "婷琪涵怡萱彤雯妍洁琳颖瑶蕾璐菲娜敏燕霞欣悦然宁雪"
MALE_FIRST = "浩子宇俊志建伟明思嘉博家天晓文国振鹏梓一晨海永云"
MALE_SECOND = "轩宇杰豪然博涛鹏强明辉凯峰磊东华龙翔睿航阳远诚伟"

# Mainland mobile prefixes (three digits) with a rough share of numbers in use.
PHONE_PREFIXES: tuple[tuple[str, float], ...] = (
    ("130", 3), ("131", 3), ("132", 3), ("133", 3), ("134", 3), ("135", 6), ("136", 6), ("137", 6),
    ("138", 7), ("139", 7), ("145", 1), ("147", 1), ("150", 4), ("151", 4), ("152", 4), ("153", 2),
    ("155", 3), ("156", 3), ("157", 2), ("158", 4), ("159", 4), ("166", 2), ("173", 1), ("176", 2),
    ("177", 2), ("178", 1), ("180", 3), ("181", 2), ("182", 3), ("183", 2), ("185", 3), ("186", 4),
    ("187", 3), ("188", 3), ("189", 3), ("191", 1), ("198", 2), ("199", 2),
)

# Source channel codes (``domain.members.Source``) with how often members come from each.
SOURCES: tuple[tuple[str, float], ...] = (
    ("store", 46), ("moments", 15), ("official_account", 7), ("mini_program", 10), ("douyin", 10),
    ("referral", 8), ("other", 4),
)


@dataclass(frozen=True, slots=True)
class ProductSpec:
    """One product a shop sells: its name on the receipt, its price in fen, how many people buy at once."""

    name: str
    price_fen: int
    max_qty: int = 1


@dataclass(frozen=True, slots=True)
class CategorySpec:
    """A category with its repurchase cycle and how popular it is among the shop's customers."""

    name: str
    repurchase_days: int
    weight: float
    products: tuple[ProductSpec, ...]


@dataclass(frozen=True, slots=True)
class ShopProfile:
    """What kind of shop the demo is: its name, staff, categories, customers and the notes clerks write."""

    shop_name: str
    staff: tuple[str, ...]
    categories: tuple[CategorySpec, ...]
    female_share: float
    birth_years: tuple[int, int]
    member_notes: tuple[str, ...]
    purchase_notes: tuple[str, ...]
    refund_reasons: tuple[str, ...]


def _products(*items: tuple[str, int] | tuple[str, int, int]) -> tuple[ProductSpec, ...]:
    """Products from (name, price in yuan[, max qty]) tuples: prices are whole yuan in these shops."""
    return tuple(ProductSpec(item[0], item[1] * 100, item[2] if len(item) > 2 else 1) for item in items)


COSMETICS = ShopProfile(
    shop_name="悦己美妆生活馆",
    staff=("林店长", "小美", "阿芳", "小周", "婷婷"),
    categories=(
        CategorySpec("面霜", 45, 14, _products(
            ("保湿修护面霜 50g", 268), ("焕颜紧致面霜 50g", 458), ("清爽水凝霜 50g", 198),
        )),
        CategorySpec("精华", 60, 12, _products(
            ("小棕瓶修护精华 30ml", 598), ("烟酰胺亮肤精华 30ml", 328), ("玻尿酸补水精华 30ml", 258),
        )),
        CategorySpec("洗面奶", 30, 14, _products(
            ("氨基酸洁面乳 120g", 89), ("控油清痘洁面 100g", 79), ("温和洁面泡沫 150ml", 128),
        )),
        CategorySpec("面膜", 20, 16, _products(
            ("补水面膜 10片装", 99, 3), ("清洁泥膜 100g", 139), ("睡眠面膜 80ml", 168),
        )),
        CategorySpec("口红", 90, 8, _products(
            ("丝绒哑光口红", 259, 2), ("滋润唇膏", 199), ("水光唇釉", 229),
        )),
        CategorySpec("防晒", 60, 10, _products(("清透防晒乳 SPF50 50ml", 179), ("户外防晒喷雾 150ml", 139))),
        CategorySpec("爽肤水", 45, 9, _products(("补水爽肤水 200ml", 158), ("收敛化妆水 200ml", 138))),
        CategorySpec("眼霜", 75, 6, _products(("淡纹紧致眼霜 15g", 398), ("去黑眼圈眼霜 15g", 288))),
        CategorySpec("卸妆", 40, 8, _products(("卸妆水 400ml", 99), ("卸妆油 200ml", 149))),
        CategorySpec("护手霜", 30, 5, _products(("护手霜 50g", 39, 3), ("香氛护手霜礼盒", 129))),
        CategorySpec("香水", 180, 3, _products(("淡香水 50ml", 680), ("香水小样套装", 199))),
    ),
    female_share=0.86,
    birth_years=(1968, 2006),
    member_notes=(
        "敏感肌，推荐温和无香款", "混油皮，夏天容易长痘", "喜欢玫瑰香味", "周末才有空来店",
        "不喜欢电话，微信联系", "生日想要小样礼盒", "对酒精过敏", "老客户，带过几个朋友来", "要开发票",
        "在附近写字楼上班", "干皮，冬天要滋润款", "口红偏爱豆沙色",
    ),
    purchase_notes=("赠送小样两份", "会员日活动", "朋友代买", "送礼，要礼袋", "试用后回购", "积分抵扣"),
    refund_reasons=("过敏，整单退货", "买错色号", "重复购买", "包装破损"),
)

TEA = ShopProfile(
    shop_name="一叶茶舍",
    staff=("陈老板", "小叶", "阿茶", "小吴"),
    categories=(
        CategorySpec("绿茶", 45, 16, _products(
            ("明前龙井 100g", 268), ("碧螺春 100g", 198), ("黄山毛峰 100g", 128),
        )),
        CategorySpec("红茶", 60, 12, _products(("正山小种 100g", 158), ("滇红金芽 100g", 188))),
        CategorySpec("乌龙茶", 45, 14, _products(
            ("铁观音 250g", 238), ("大红袍 200g", 328), ("凤凰单丛 100g", 168),
        )),
        CategorySpec("普洱", 90, 10, _products(("普洱熟茶饼 357g", 298), ("普洱生茶饼 357g", 458))),
        CategorySpec("白茶", 90, 8, _products(("白牡丹 200g", 218), ("寿眉茶饼 300g", 188))),
        CategorySpec("花茶", 30, 10, _products(("茉莉花茶 100g", 68, 2), ("菊花枸杞茶", 48, 3))),
        CategorySpec("茶点", 14, 12, _products(("绿豆糕 一盒", 36, 3), ("凤梨酥 一盒", 58, 2))),
        CategorySpec("茶具", 365, 3, _products(("白瓷盖碗", 128), ("紫砂壶", 680), ("公道杯", 88))),
    ),
    female_share=0.5,
    birth_years=(1955, 2000),
    member_notes=(
        "只喝熟普", "送礼多，要礼盒包装", "喜欢浓香型铁观音", "退休教师，下午常来喝茶", "公司采购，量大",
        "不喜欢电话，微信联系", "胃不好，推荐红茶", "要开发票",
    ),
    purchase_notes=("礼盒装", "公司采购", "试饮后购买", "会员日活动", "积分抵扣"),
    refund_reasons=("茶叶受潮", "买错规格", "重复购买"),
)

BAKERY = ShopProfile(
    shop_name="麦香烘焙坊",
    staff=("刘师傅", "小麦", "阿甜"),
    categories=(
        CategorySpec("面包", 5, 20, _products(("全麦吐司", 18, 2), ("牛角包", 12, 4), ("肉松面包", 10, 4))),
        CategorySpec("蛋糕", 60, 6, _products(
            ("6寸生日蛋糕", 168), ("8寸水果蛋糕", 238), ("芝士蛋糕切块", 28, 2),
        )),
        CategorySpec("西点", 10, 14, _products(("蛋挞 4个装", 24, 2), ("泡芙 6个装", 30), ("提拉米苏", 32))),
        CategorySpec("饼干", 20, 8, _products(("曲奇礼盒", 68), ("蔓越莓饼干", 26, 2))),
        CategorySpec("饮品", 7, 10, _products(("美式咖啡", 15, 2), ("拿铁", 22, 2), ("鲜榨橙汁", 18))),
        CategorySpec("月饼", 365, 2, _products(("月饼礼盒", 198, 3),)),
    ),
    female_share=0.66,
    birth_years=(1960, 2008),
    member_notes=(
        "孩子对坚果过敏", "每周六订生日蛋糕", "喜欢少糖", "住对面小区", "不吃奶油", "不喜欢电话，微信联系",
    ),
    purchase_notes=("预订蛋糕，下午取", "生日蜡烛多要两包", "会员日活动", "积分抵扣"),
    refund_reasons=("蛋糕损坏", "预订取消", "重复购买"),
)

SHOP_PROFILES: dict[str, ShopProfile] = {"cosmetics": COSMETICS, "tea": TEA, "bakery": BAKERY}
