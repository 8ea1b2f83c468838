"""The group-sequential boundaries against published values, and their crossing probabilities."""

import pytest

from invariance import sequential


def test_obrien_fleming_spending_reproduces_the_published_boundaries():
    # Lan-DeMets O'Brien-Fleming-type spending, one-sided 0.025 (two-sided 0.05), equally spaced looks:
    # K = 3: 3.710, 2.511, 1.993; K = 5: 4.877, 3.357, 2.680, 2.290, 2.031 (Jennison & Turnbull 2000, table 7.6;
    # the same values as R's gsDesign / ldbounds).
    assert sequential.z_bounds((1, 2, 3)) == pytest.approx((3.710, 2.511, 1.993), abs=2e-3)
    assert sequential.z_bounds((1, 2, 3, 4, 5)) == pytest.approx((4.877, 3.357, 2.680, 2.290, 2.031), abs=2e-3)


def test_crossing_probabilities_of_the_classical_constant_boundaries():
    # Pocock's constant 2.289 and O'Brien & Fleming's 2.004 * sqrt(K / k) for K = 3 both have a total
    # two-sided level of 0.05, so an upper-boundary crossing probability of 0.025 under the null.
    thirds = [1 / 3, 2 / 3, 1]
    assert sum(sequential.crossing([2.289] * 3, thirds)) == pytest.approx(0.025, abs=3e-4)
    assert sum(sequential.crossing([2.004 * (3 / k) ** 0.5 for k in (1, 2, 3)], thirds)) == pytest.approx(
        0.025, abs=3e-4
    )


def test_the_spent_alpha_adds_up_and_one_look_is_the_ordinary_test():
    looks = (3, 6, 10)
    spent = sequential.crossing(list(sequential.z_bounds(looks)), [n / 10 for n in looks])
    assert sum(spent) == pytest.approx(sequential.ALPHA, abs=1e-5)
    assert spent[0] < spent[1] < spent[2]  # O'Brien-Fleming: little early, most at the last look
    assert sequential.z_bounds((10,)) == pytest.approx((1.95996,), abs=1e-4)
    assert sequential.t_critical(0.025, 10) == pytest.approx(2.2622, abs=1e-4) and sequential.t_critical(
        0.025, 1
    ) == float("inf")
