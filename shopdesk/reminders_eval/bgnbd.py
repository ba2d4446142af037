"""The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"), fitted by ML.

The benchmark the ranking has to match: while alive, a customer buys as a Poisson process with rate
λ ~ Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b). Per customer the data
are x (repeat purchases: purchase days after the first), t_x (day of the last purchase, counted from the
first) and T (days from the first purchase to the cut-off). Time is in days.

The log-likelihood is the paper's equation (6), written with log-gamma functions and summed over
customers with the same (x, t_x, T) only once; the four parameters are fitted on a log scale with
L-BFGS-B. Ranking uses the paper's conditional expectation (10): the expected number of purchases in the
next t days given (x, t_x, T), with Gauss's hypergeometric function. scipy and numpy are imported here
only: this module is for the evaluation, never for the app.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1


@dataclass(frozen=True, slots=True)
class BgNbdParams:
    """Fitted parameters: r and alpha of the purchase rate, a and b of the drop-out probability."""

    r: float
    alpha: float
    a: float
    b: float


def _log_likelihood(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> np.ndarray:
    """Each customer's log-likelihood under BG/NBD (equation 6 of the paper, in log form)."""
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + big_t)
    repeat = x > 0
    # ln(a) - ln(b + x - 1) - (r + x) ln(alpha + t_x): only defined (and only present) when x > 0.
    a4 = np.where(
        repeat,
        np.log(a) - np.log(np.where(repeat, b + x - 1, 1.0)) - (r + x) * np.log(alpha + t_x),
        -np.inf,
    )
    return a1 + a2 + np.logaddexp(a3, a4)


def fit(x: Sequence[int], t_x: Sequence[float], big_t: Sequence[float]) -> BgNbdParams:
    """Maximum-likelihood parameters for customers with these (x, t_x, T), in days."""
    rows = Counter(zip(x, t_x, big_t, strict=True))
    data = np.array(list(rows.keys()), dtype=float)
    weights = np.array(list(rows.values()), dtype=float)
    xs, txs, ts = data[:, 0], data[:, 1], data[:, 2]
    scale = max(float(ts.mean()), 1.0)  # fit alpha in units of the mean age, so that all four start near 1

    def negative(log_params: np.ndarray) -> float:
        params = np.exp(log_params)
        params[1] *= scale
        value = -float(np.sum(weights * _log_likelihood(params, xs, txs, ts)))
        return value if np.isfinite(value) else 1e300

    best = None
    for start in ((0.0, 0.0, 0.0, 0.0), (-1.0, -1.0, -1.0, 1.0), (1.0, 0.0, -2.0, 0.5)):
        result = minimize(negative, np.array(start), method="L-BFGS-B", bounds=[(-9.0, 9.0)] * 4)
        if best is None or result.fun < best.fun:
            best = result
    r, alpha, a, b = np.exp(best.x)
    return BgNbdParams(float(r), float(alpha * scale), float(a), float(b))


def conditional_expected_purchases(
    params: BgNbdParams, t: float, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray
) -> np.ndarray:
    """E[purchases in the next ``t`` days | x, t_x, T]: equation (10) of the paper.

    The closed form holds for any a != 1 (for a < 1 both factors of the numerator change sign; checked
    against a simulation of the model in the tests); a = 1 exactly is nudged off the pole.
    """
    r, alpha, b = params.r, params.alpha, params.b
    a = params.a if abs(params.a - 1.0) > 1e-9 else 1.0 + 1e-9
    x = np.asarray(x, dtype=float)
    t_x = np.asarray(t_x, dtype=float)
    big_t = np.asarray(big_t, dtype=float)
    hyp = hyp2f1(r + x, b + x, a + b + x - 1.0, t / (alpha + big_t + t))
    stays = ((alpha + big_t) / (alpha + big_t + t)) ** (r + x)
    numerator = (a + b + x - 1.0) / (a - 1.0) * (1.0 - stays * hyp)
    repeat = x > 0
    ratio = np.where(repeat, a / np.where(repeat, b + x - 1.0, 1.0), 0.0)
    denominator = 1.0 + ratio * ((alpha + big_t) / (alpha + t_x)) ** (r + x)
    return numerator / denominator


def probability_alive(params: BgNbdParams, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> np.ndarray:
    """P(the customer has not dropped out | x, t_x, T): equation (11) of the paper."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x = np.asarray(x, dtype=float)
    repeat = x > 0
    ratio = np.where(repeat, a / np.where(repeat, b + x - 1.0, 1.0), 0.0)
    return 1.0 / (1.0 + ratio * ((alpha + np.asarray(big_t)) / (alpha + np.asarray(t_x))) ** (r + x))
