"""A generated 300-member shop and its purchases sheet, built once for the evaluation tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shopdesk.reminders_eval.export import EvalShop, generate_eval_shop

TODAY = dt.date(2026, 11, 1)
CUTOFF = TODAY - dt.timedelta(days=30)
SMALL_SHOP = EvalShop("cosmetics", "cosmetics", 1, 10)


@pytest.fixture(scope="session")
def small_shop_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The purchases CSV of a 300-member demo shop (its database lies next to it)."""
    return generate_eval_shop(tmp_path_factory.mktemp("eval"), SMALL_SHOP, 300, TODAY)
