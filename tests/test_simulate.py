"""Tests of rlbits.simulate: Monte Carlo bits agree with the closed forms (5 standard errors, fixed
seeds), observations are what each learner sees, runs are reproducible, bad input is rejected."""

import numpy as np
import pytest

import rlbits
from rlbits import simulate

CASES = [np.array([0.5, 0.3, 0.2]), np.array([0.9, 0.05, 0.05]), np.array([0.7, 0.3]),
         np.random.default_rng(9).dirichlet(np.full(40, 0.5))]


@pytest.mark.parametrize("probs", CASES, ids=["niels", "confident", "two", "dirichlet40"])
def test_calibrated_monte_carlo_agrees(probs):
    est = simulate.monte_carlo_bits(probs, 100_000, rng=np.random.default_rng(1))
    assert abs(est.sl_mean - rlbits.expected_sl_bits(probs)) < 5 * est.sl_se
    assert abs(est.rl_mean - rlbits.expected_rl_bits(probs)) < 5 * est.rl_se


@pytest.mark.parametrize("probs", CASES, ids=["niels", "confident", "two", "dirichlet40"])
def test_conditional_monte_carlo_agrees(probs):
    i = int(np.argmin(probs))
    est = simulate.monte_carlo_bits(probs, 100_000, rng=np.random.default_rng(2), answer=i)
    assert est.sl_mean == pytest.approx(rlbits.sl_bits_given_answer(probs, i))
    assert abs(est.rl_mean - rlbits.rl_bits_given_answer(probs, i)) < 5 * est.rl_se


def test_observations_are_what_each_learner_sees():
    probs = np.array([0.5, 0.3, 0.2])
    sl, rl = simulate.observed_bits(probs, 5000, rng=np.random.default_rng(3), answer=0)
    np.testing.assert_allclose(sl, 1.0)  # SL always sees answer 0: -log2 0.5
    allowed = {1.0, -np.log2(0.7), -np.log2(0.8)}  # success; "not 1"; "not 2"
    assert set(np.round(np.unique(rl), 12)) <= {round(a, 12) for a in allowed}
    # with two answers every RL observation carries exactly the SL bits
    sl2, rl2 = simulate.observed_bits([0.7, 0.3], 1000, rng=np.random.default_rng(4), answer=1)
    np.testing.assert_allclose(rl2, sl2)


def test_reproducible_with_seed():
    a = simulate.observed_bits(CASES[3], 1000, rng=np.random.default_rng(7))
    b = simulate.observed_bits(CASES[3], 1000, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


@pytest.mark.parametrize("call, message", [
    (lambda: simulate.observed_bits([0.5, 0.5], 10, rng=0), "Generator"),
    (lambda: simulate.observed_bits([0.5, 0.5], 0, rng=np.random.default_rng()), ">= 1"),
    (lambda: simulate.observed_bits([0.5, 0.6], 10, rng=np.random.default_rng()), "sum to 1"),
    (lambda: simulate.observed_bits([[0.5, 0.5]], 10, rng=np.random.default_rng()), "one distribution"),
    (lambda: simulate.observed_bits([1.0, 0.0], 10, rng=np.random.default_rng(), answer=1), "probability 0"),
    (lambda: simulate.observed_bits([0.5, 0.5], 10, rng=np.random.default_rng(), answer=2), r"\[0, 1\]"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
