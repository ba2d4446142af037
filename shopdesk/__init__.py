"""ShopDesk (店铺会员助手): a small shop's own member base, points, coupons and follow-ups."""

__version__ = "0.1.0"
