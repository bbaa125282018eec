"""Tests of rlbits.comparison (Chapter 2): family closed forms against explicit distributions, the
independent enumeration of I(C; R | A), the essay's peak RL advantage, and the axis shares."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rlbits
from rlbits import comparison, distributions


@pytest.mark.parametrize("p", [1e-5, 0.01, 0.3, 0.5, 0.8, 0.999])
@pytest.mark.parametrize("V", [2, 3, 10, 1000])
def test_family_closed_forms_match_explicit_distributions(p, V):
    dist = distributions.correct_plus_uniform(p, V)
    fb = comparison.family_bits(p, V)
    assert fb.sl_conditional == pytest.approx(rlbits.sl_bits_given_answer(dist, 0), rel=1e-12)
    assert fb.rl_conditional == pytest.approx(rlbits.rl_bits_given_answer(dist, 0), rel=1e-10, abs=1e-14)
    assert fb.sl_calibrated == pytest.approx(rlbits.expected_sl_bits(dist), rel=1e-10, abs=1e-14)
    assert fb.rl_calibrated == pytest.approx(rlbits.expected_rl_bits(dist), rel=1e-10, abs=1e-14)


def test_family_brief_values_at_V_1e5():
    fb = comparison.family_bits(np.array([0.01, 0.5, 0.9]), 100_000)
    np.testing.assert_allclose(fb.rl_conditional, [0.0665, 0.500, 0.137], atol=5e-4)
    np.testing.assert_allclose(fb.sl_calibrated, [16.52, 9.30, 2.13], atol=5e-3)
    assert fb.rl_calibrated[0] == pytest.approx(0.0010, abs=5e-5)


def test_family_limits():
    # two answers: RL = SL; large V: RL -> -p log2 p, so RL/SL -> p
    p = np.linspace(0.01, 0.99, 50)
    fb2 = comparison.family_bits(p, 2)
    np.testing.assert_allclose(fb2.rl_conditional, fb2.sl_conditional, rtol=1e-12)
    big = comparison.family_bits(p, 10**9)
    np.testing.assert_allclose(big.rl_conditional / big.sl_conditional, p, rtol=1e-6)
    # uniform member (p = 1/V): the essay's H_b(1/V) is exact
    assert comparison.family_bits(1e-5, 100_000).rl_conditional == pytest.approx(rlbits.binary_entropy(1e-5))
    # p = 1: nothing left to learn
    one = comparison.family_bits(1.0, 50)
    assert one.sl_conditional == one.rl_conditional == one.sl_calibrated == one.rl_calibrated == 0.0


@settings(max_examples=200, deadline=None)
@given(st.floats(1e-9, 1.0), st.integers(2, 10**7))
def test_family_rl_never_exceeds_sl(p, V):
    fb = comparison.family_bits(p, V)
    assert fb.rl_conditional <= fb.sl_conditional * (1 + 1e-9) + 1e-12
    assert fb.rl_calibrated <= fb.sl_calibrated * (1 + 1e-9) + 1e-12


def test_enumerated_mutual_information_matches_closed_form():
    rng = np.random.default_rng(5)
    for probs in [np.array([0.5, 0.3, 0.2]), np.array([1.0, 0.0]), np.array([0.7, 0.3])] + list(
            rng.dirichlet(np.full(9, 0.3), size=30)):
        assert comparison.conditional_mutual_information_enumerated(probs) == pytest.approx(
            rlbits.expected_rl_bits(probs), abs=1e-12)


def test_max_naive_rl_advantage_matches_brief_and_grid():
    p_star, gap = comparison.max_naive_rl_advantage()
    assert p_star == pytest.approx(0.782, abs=5e-4) and gap == pytest.approx(0.402, abs=5e-4)
    grid = np.linspace(0.5, 0.999999, 200_001)
    diff = rlbits.binary_entropy(grid) - rlbits.surprisal(grid)
    assert grid[np.argmax(diff)] == pytest.approx(p_star, abs=1e-5)
    assert diff.max() == pytest.approx(gap, abs=1e-9)


def test_axis_shares_match_brief():
    assert comparison.log_axis_share_above(0.5, 1e-5, "pass") == pytest.approx(0.0602, abs=1e-4)
    assert comparison.log_axis_share_above(0.5, 1e-5, "error") == pytest.approx(0.9398, abs=1e-4)
    assert comparison.log_axis_share_above(0.5, 1e-3, "pass") == pytest.approx(math.log10(2) / 3)


@pytest.mark.parametrize("call, message", [
    (lambda: comparison.family_bits(0.5, 1), "at least two"),
    (lambda: comparison.family_bits(0.5, 2.5), "whole numbers"),
    (lambda: comparison.family_bits(1.5, 10), r"\[0, 1\]"),
    (lambda: comparison.family_bits(0.5, float("nan")), "finite"),
    (lambda: comparison.conditional_mutual_information_enumerated([[0.5, 0.5]]), "one distribution"),
    (lambda: comparison.conditional_mutual_information_enumerated(np.full(6000, 1 / 6000)), "too large"),
    (lambda: comparison.conditional_mutual_information_enumerated([0.5, 0.6]), "sum to 1"),
    (lambda: comparison.log_axis_share_above(0.5, 0.7), "below threshold"),
    (lambda: comparison.log_axis_share_above(1.5, 1e-3), "strictly between"),
    (lambda: comparison.log_axis_share_above(0.5, 1e-3, "loss"), "'pass' or 'error'"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
