"""BG/NBD against the model itself: the fit recovers the parameters a simulation was drawn with, and the
conditional expectation matches what simulated customers in the same situation go on to buy."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("scipy")

from shopdesk.reminders_eval.bgnbd import (  # noqa: E402 - after the skips
    BgNbdParams,
    conditional_expected_purchases,
    fit,
    probability_alive,
)

TRUE = BgNbdParams(r=0.8, alpha=12.0, a=0.7, b=2.5)


def _simulate(params: BgNbdParams, ages: np.ndarray, future: float, rng: np.random.Generator):
    """Customers of the model: (x, t_x, T) up to their age T, and their purchases in the ``future`` days."""
    n = len(ages)
    rate = rng.gamma(params.r, 1.0 / params.alpha, n)
    drop = rng.beta(params.a, params.b, n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    later = np.zeros(n)
    clock = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    end = ages + future
    while alive.any():
        idx = np.flatnonzero(alive)
        clock[idx] += rng.exponential(1.0 / rate[idx])
        beyond = clock[idx] > end[idx]
        alive[idx[beyond]] = False
        bought = idx[~beyond]
        before = bought[clock[bought] <= ages[bought]]
        x[before] += 1
        t_x[before] = clock[before]
        after = bought[clock[bought] > ages[bought]]
        later[after] += 1
        alive[bought[rng.random(len(bought)) < drop[bought]]] = False
    return x, t_x, later


def test_the_fit_recovers_the_parameters_of_simulated_customers() -> None:
    rng = np.random.default_rng(3)
    ages = rng.uniform(90, 540, 4_000).round()
    x, t_x, _later = _simulate(TRUE, ages, 0.0, rng)
    fitted = fit(x.tolist(), t_x.tolist(), ages.tolist())
    assert fitted.r == pytest.approx(TRUE.r, rel=0.15)
    assert fitted.alpha == pytest.approx(TRUE.alpha, rel=0.15)
    assert fitted.a == pytest.approx(TRUE.a, rel=0.25)
    assert fitted.b == pytest.approx(TRUE.b, rel=0.3)


@pytest.mark.parametrize("params", [TRUE, BgNbdParams(r=0.55, alpha=15.0, a=0.3, b=17.0),
                                    BgNbdParams(r=2.0, alpha=20.0, a=2.5, b=6.0)])
def test_the_conditional_expectation_matches_what_simulated_customers_buy(params: BgNbdParams) -> None:
    """For a < 1 too (the closed form holds there, though its first factor is negative)."""
    rng = np.random.default_rng(11)
    ages = np.full(60_000, 200.0)
    x, t_x, later = _simulate(params, ages, 30.0, rng)
    expected = conditional_expected_purchases(params, 30.0, x, t_x, ages)
    for group in (x == 0, (x >= 1) & (x <= 3), x >= 4):
        assert expected[group].mean() == pytest.approx(later[group].mean(), rel=0.08, abs=0.01)


def test_recent_frequent_customers_are_alive_and_absent_ones_fade() -> None:
    x = np.array([0, 5, 5, 5])
    t_x = np.array([0.0, 195.0, 100.0, 20.0])
    alive = probability_alive(TRUE, x, t_x, np.full(4, 200.0))
    assert alive[0] == 1.0  # no repeat purchase: cannot have dropped out in this model
    assert 1.0 > alive[1] > alive[2] > alive[3] > 0.0
