"""Group-sequential boundaries: how wide a repeated confidence interval must be at each planned look.

A verdict may be read after 3 seeds and again after 6 and 10 (docs/verdict.md). Reading an ordinary
95% interval at every look and stopping at the first decision would decide wrongly more often than the
2.5% per side each look promises; an alpha-spending boundary (Lan & DeMets 1983) fixes how much of
the error rate each look may spend, so that the error rate holds whatever the looks decide.

The spending function is O'Brien-Fleming's type, ``alpha(t) = 2 - 2 Phi(z_{1 - alpha/2} / sqrt(t))``
for the information fraction ``t`` (seeds at the look / seeds at the last look): early looks spend
almost nothing, so the last look keeps nearly the power of a single test at its seed count.

The boundaries are computed for a normal statistic by the recursive numerical integration of
Armitage, McPherson & Rowe (1969): deterministic, exact to the grid, and checked against published
values in tests/test_sequential.py. Each look's boundary is then carried to Student's t on that look's
degrees of freedom at the same one-sided tail probability (Jennison & Turnbull 2000, section 3.8), as
seeds are few and their spread is estimated. bench/verdict_errors.py measures what this gives.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

ALPHA = 0.025  # the false-decision rate allowed per side, at the bound, over all looks
_GRID = 1601  # points per look of the integration grid (up to 20 standard deviations)


def _norm():
    from scipy import stats  # here: scipy costs a second to import, and only the claims jobs need it

    return stats.norm


def obrien_fleming(t: float, alpha: float = ALPHA) -> float:
    """Lan-DeMets O'Brien-Fleming-type spending: the error rate spent up to information fraction t."""
    if t <= 0:
        return 0.0
    n = _norm()
    return float(2 - 2 * n.cdf(n.ppf(1 - alpha / 2) / math.sqrt(min(t, 1.0))))


class _Motion:
    """A standard Brownian motion watched at increasing information fractions, absorbed above each bound.

    Holds the density of S (= Z sqrt(t)) over the continuation region of the last look, on a grid.
    """

    def __init__(self):
        self.t, self.grid, self.density = 0.0, None, None

    def crossing(self, c: float, t: float) -> float:
        """P(not absorbed before, and above c at fraction t)."""
        n = _norm()
        if self.grid is None:
            return float(n.sf(c))
        w = _trapezoid_weights(self.grid) * self.density
        return float(np.dot(w, n.sf((c * math.sqrt(t) - self.grid) / math.sqrt(t - self.t))))

    def observe(self, c: float, t: float) -> None:
        """Absorb above c at fraction t: the density below it becomes the continuation region."""
        n = _norm()
        top = c * math.sqrt(t)
        grid = np.linspace(-10 * math.sqrt(t), min(top, 10 * math.sqrt(t)), _GRID)
        if self.grid is None:
            density = n.pdf(grid / math.sqrt(t)) / math.sqrt(t)
        else:
            dt = t - self.t
            w = _trapezoid_weights(self.grid) * self.density
            density = (w[None, :] * n.pdf((grid[:, None] - self.grid[None, :]) / math.sqrt(dt))).sum(1) / math.sqrt(dt)
        self.t, self.grid, self.density = t, grid, density


def crossing(bounds: list[float], fractions: list[float]) -> list[float]:
    """P(first crossing at look k) of a standard Brownian motion observed at the fractions, upper bounds only.

    ``bounds`` are on the z scale (Z_k = S_k / sqrt(t_k)); the motion continues below a bound.
    """
    motion, out = _Motion(), []
    for c, t in zip(bounds, fractions):
        out.append(motion.crossing(c, t))
        motion.observe(c, t)
    return out


def _trapezoid_weights(x: np.ndarray) -> np.ndarray:
    w = np.empty_like(x)
    dx = np.diff(x)
    w[0], w[-1] = dx[0] / 2, dx[-1] / 2
    w[1:-1] = (dx[:-1] + dx[1:]) / 2
    return w


@lru_cache(maxsize=None)
def z_bounds(looks: tuple[int, ...], alpha: float = ALPHA) -> tuple[float, ...]:
    """Upper z boundaries at the planned looks (seed counts) that spend ``alpha`` by O'Brien-Fleming's type."""
    from scipy.optimize import brentq

    fractions = [n / looks[-1] for n in looks]
    spent = [obrien_fleming(t, alpha) for t in fractions]
    motion, bounds = _Motion(), []
    for k, t in enumerate(fractions):
        target = spent[k] - (spent[k - 1] if k else 0.0)
        c = brentq(lambda c: motion.crossing(c, t) - target, 0.0, 40.0, xtol=1e-7) if target > 1e-300 else math.inf
        bounds.append(c)
        motion.observe(c, t)
    return tuple(bounds)


def nominal(looks: tuple[int, ...], alpha: float = ALPHA) -> tuple[float, ...]:
    """Each look's nominal one-sided tail probability: what a single test at that look may spend."""
    return tuple(float(_norm().sf(c)) for c in z_bounds(tuple(looks), alpha))


def t_critical(tail: float, n: int) -> float:
    """The Student-t quantile with that one-sided tail on n - 1 degrees of freedom (inf below 2 seeds)."""
    from scipy import stats

    if n < 2:
        return math.inf
    return float(stats.t.isf(tail, n - 1))
