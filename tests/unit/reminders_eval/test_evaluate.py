"""The evaluation on a 300-member shop: four rankings measured on the same buyers, with and without
categories, and the tables the README shows."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shopdesk.reminders_eval.evaluate import (
    BGNBD,
    FREQUENCY,
    RANKING,
    RECENCY,
    evaluate,
    gains,
    gains_text,
    markdown_table,
    summary_line,
)
from shopdesk.reminders_eval.sheet import read_purchases

from .conftest import CUTOFF


@pytest.fixture(scope="module")
def records(small_shop_sheet):
    return read_purchases(small_shop_sheet).records


def test_a_small_shop_is_measured_and_the_ranking_finds_the_most_buyers(records) -> None:
    pytest.importorskip("scipy")
    result = evaluate(records, CUTOFF, 30)
    assert list(result.results) == [RANKING, RECENCY, FREQUENCY, BGNBD]
    assert 0 < result.buyers < result.customers <= 300
    assert result.has_categories
    for name, scores in result.results.items():
        assert [item.k for item in scores] == [100, 500, 1000], name
        for item in scores:
            assert item.precision == item.hits / item.k
            assert item.recall == item.hits / result.buyers
    # k = 500 and 1000 exceed the shop: every ranking holds every buyer there
    assert {scores[1].hits for scores in result.results.values()} == {result.buyers}
    ours = result.results[RANKING][0].hits
    assert ours > result.results[RECENCY][0].hits
    assert ours > result.results[FREQUENCY][0].hits
    assert ours >= result.results[BGNBD][0].hits
    assert all(gain >= 0 for gain in gains(result)[100].values())


def test_dates_and_amounts_alone_are_enough(records) -> None:
    bare = [replace(record, categories=()) for record in records]
    result = evaluate(bare, CUTOFF, 30, with_bgnbd=False)
    assert not result.has_categories
    assert list(result.results) == [RANKING, RECENCY, FREQUENCY]
    assert result.results[RANKING][0].hits > result.results[RECENCY][0].hits


def test_the_tables_are_ready_for_the_readme(records) -> None:
    result = evaluate(records, CUTOFF, 30, with_bgnbd=False)
    table = markdown_table(result, "demo").splitlines()
    assert table[:4] == [
        "**demo**",
        "",
        "| Ranking | P@100 | R@100 | P@500 | R@500 | P@1000 | R@1000 |",
        "|---|---|---|---|---|---|---|",
    ]
    first = result.results[RANKING][0]
    assert table[4].startswith(f"| ShopDesk ranking | **{100 * first.precision:.1f}** |")
    assert len(table) == 7
    assert f"{result.buyers:,} of them bought" in summary_line(result)
    assert gains_text(result).splitlines()[0].startswith("At k = 100, precision points: +")
