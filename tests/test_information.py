"""Tests of rlbits.information: hand-derived values, independent routes, bad input, properties."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import scipy.stats
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import rlbits
from rlbits import information as inf

mpmath.mp.dps = 60

# ------------------------------------------------------------------------------------------------
# hand-derived values


def test_surprisal_hand_values():
    assert rlbits.surprisal(0.5) == 1.0
    assert rlbits.surprisal(1.0) == 0.0
    assert rlbits.surprisal(0.125) == pytest.approx(3.0, abs=1e-15)
    assert rlbits.surprisal(1e-5) == pytest.approx(16.609640474436812, rel=1e-14)
    assert rlbits.surprisal(0.0) == math.inf


def test_surprisal_vectorised_shape():
    out = rlbits.surprisal(np.full((2, 3), 0.25))
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out, 2.0)


def test_binary_entropy_hand_values():
    assert rlbits.binary_entropy(0.5) == pytest.approx(1.0, abs=1e-15)
    assert rlbits.binary_entropy(0.0) == 0.0
    assert rlbits.binary_entropy(1.0) == 0.0
    # the essay's untrained-model figure (brief: 1.8052e-4 bits)
    assert rlbits.binary_entropy(1e-5) == pytest.approx(1.8052328e-4, rel=1e-7)
    assert rlbits.binary_entropy(0.1) == pytest.approx(0.4689955935892812, rel=1e-13)


@pytest.mark.parametrize("p", [1e-300, 1e-200, 1e-30, 1e-12, 3e-5, 1e-4, 2e-4, 0.01, 0.3, 0.5, 0.7, 0.9999,
                               1 - 1e-9, 1 - 2.0**-52])
def test_binary_entropy_matches_high_precision(p):
    mp = mpmath.mpf(p)
    exact = -mp * mpmath.log(mp, 2) - (1 - mp) * mpmath.log1p(-mp) / mpmath.log(2)
    assert rlbits.binary_entropy(p) == pytest.approx(float(exact), rel=1e-12)


@pytest.mark.parametrize("p", [1e-300, 1e-17, 1e-9, 5e-5, 1e-4, 3e-4, 0.2, 0.9, 1 - 1e-12])
def test_not_j_term_matches_high_precision(p):
    # -log2(1 - p) is the surprisal of "the guess was wrong" in Yorwba's formula
    exact = -mpmath.log1p(-mpmath.mpf(p)) / mpmath.log(2)
    got = inf._neg_log2_one_minus(np.asarray(p))
    assert float(got) == pytest.approx(float(exact), rel=1e-11)


def test_entropy_hand_values():
    assert rlbits.entropy([0.5, 0.25, 0.125, 0.125]) == pytest.approx(1.75, abs=1e-15)
    assert rlbits.entropy([1.0]) == 0.0
    assert rlbits.entropy([1.0, 0.0, 0.0]) == 0.0
    # Niels Rolf's example (brief: 1.4855)
    assert rlbits.entropy([0.5, 0.3, 0.2]) == pytest.approx(1.4854752972273344, rel=1e-13)


def test_entropy_matches_scipy_on_random_distributions():
    rng = np.random.default_rng(1)
    probs = rng.dirichlet(np.full(50, 0.3), size=200)
    np.testing.assert_allclose(rlbits.entropy(probs), scipy.stats.entropy(probs, base=2, axis=-1), rtol=1e-12)


def test_entropy_uniform_closed_form_large_V():
    V = 10**6
    assert rlbits.entropy(np.full(V, 1.0 / V)) == pytest.approx(math.log2(V), rel=1e-12)


def test_cross_entropy_and_kl_match_scipy():
    rng = np.random.default_rng(2)
    p = rng.dirichlet(np.ones(30), size=50)
    q = rng.dirichlet(np.ones(30), size=50)
    kl_scipy = scipy.stats.entropy(p, q, base=2, axis=-1)
    np.testing.assert_allclose(rlbits.kl_divergence(p, q), kl_scipy, rtol=1e-10)
    np.testing.assert_allclose(rlbits.cross_entropy(p, q), scipy.stats.entropy(p, base=2, axis=-1) + kl_scipy,
                               rtol=1e-10)


def test_cross_entropy_and_kl_zero_conventions():
    # p_k = 0 terms vanish even where q_k = 0; q_k = 0 where p_k > 0 is infinite
    assert rlbits.cross_entropy([0.0, 1.0], [0.5, 0.5]) == pytest.approx(1.0)
    assert rlbits.kl_divergence([0.0, 1.0], [0.0, 1.0]) == 0.0
    assert rlbits.cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert rlbits.kl_divergence([1e-300, 1 - 1e-300], [0.0, 1.0]) == math.inf
    assert rlbits.kl_divergence([0.5, 0.5], [0.9, 0.1]) == pytest.approx(0.7369655941662062, rel=1e-12)


def test_kl_broadcasts_batch_against_single():
    out = rlbits.kl_divergence([[0.5, 0.5], [1.0, 0.0]], [0.5, 0.5])
    np.testing.assert_allclose(out, [0.0, 1.0], atol=1e-15)


def test_nats_bits_round_trip():
    assert rlbits.nats_to_bits(1.0) == pytest.approx(1 / math.log(2))
    assert rlbits.bits_to_nats(rlbits.nats_to_bits(2.5)) == pytest.approx(2.5)
    assert rlbits.BITS_PER_NAT == pytest.approx(1.4426950408889634)


def test_naive_figures_are_the_essays():
    # against the formulas written out with the standard library, not against the functions they call
    assert rlbits.naive_sl_bits(1e-5) == pytest.approx(5 * math.log2(10), rel=1e-15)
    assert rlbits.naive_rl_bits(0.3) == pytest.approx(-0.3 * math.log2(0.3) - 0.7 * math.log2(0.7), rel=1e-14)
    # the two naive curves cross at p = 1/2 (Chapter 2)
    assert rlbits.naive_sl_bits(0.5) == pytest.approx(rlbits.naive_rl_bits(0.5))


# ------------------------------------------------------------------------------------------------
# Yorwba's conditional and Niels Rolf's calibrated expectations, against exact enumeration


def _rl_given_answer_by_enumeration(probs: np.ndarray, i: int) -> float:
    """Enumerate the guess j: right -> -log2 p_i bits; wrong -> -log2(1 - p_j) bits."""
    total = 0.0
    for j, pj in enumerate(probs):
        if pj == 0:
            continue
        total += pj * (-math.log2(probs[i]) if j == i else -math.log2(1 - pj))
    return total


def test_rl_given_answer_matches_enumeration():
    rng = np.random.default_rng(3)
    for _ in range(50):
        probs = rng.dirichlet(np.full(7, 0.7))
        for i in range(7):
            assert rlbits.rl_bits_given_answer(probs, i) == pytest.approx(
                _rl_given_answer_by_enumeration(probs, i), rel=1e-11, abs=1e-14)


def test_niels_rolf_example():
    p = [0.5, 0.3, 0.2]
    assert rlbits.expected_sl_bits(p) == pytest.approx(1.4855, abs=5e-5)
    assert rlbits.expected_rl_bits(p) == pytest.approx(0.9088, abs=5e-5)
    # brief: 0.5(1) + 0.3(0.8813) + 0.2(0.7219)
    assert rlbits.expected_rl_bits(p) == pytest.approx(0.5 + 0.3 * rlbits.binary_entropy(0.3)
                                                       + 0.2 * rlbits.binary_entropy(0.2), rel=1e-14)


def test_uniform_case_rl_is_the_essays_binary_entropy():
    V = 100_000
    probs = np.full(V, 1.0 / V)
    assert rlbits.rl_bits_given_answer(probs, 12345) == pytest.approx(rlbits.binary_entropy(1.0 / V), rel=1e-12)
    assert rlbits.expected_rl_bits(probs) == pytest.approx(rlbits.binary_entropy(1.0 / V), rel=1e-12)


def test_given_answer_vectorised_over_answers_and_batches():
    probs = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    out = rlbits.rl_bits_given_answer(probs, [[0], [2]])  # answers (2, 1) x batch (2,) -> (2, 2)
    assert out.shape == (2, 2)
    for r, answer in enumerate([0, 2]):
        for c in range(2):
            assert out[r, c] == pytest.approx(_rl_given_answer_by_enumeration(probs[c], answer), rel=1e-12)
    got_sl = rlbits.sl_bits_given_answer(probs, np.array([1, 2]))
    np.testing.assert_allclose(got_sl, [-math.log2(0.3), -math.log2(0.8)])
    all_answers = rlbits.rl_bits_given_answer(probs[0], np.arange(3))
    assert all_answers.shape == (3,)


def test_given_answer_certain_and_impossible_answers():
    assert rlbits.rl_bits_given_answer([1.0, 0.0, 0.0], 0) == 0.0
    assert rlbits.sl_bits_given_answer([1.0, 0.0, 0.0], 0) == 0.0
    # the model was certain of a wrong answer: both are infinitely surprised
    assert rlbits.sl_bits_given_answer([0.0, 1.0, 0.0], 0) == math.inf
    assert rlbits.rl_bits_given_answer([0.0, 1.0, 0.0], 0) == math.inf


def test_single_outcome_V_equals_one():
    assert rlbits.entropy([1.0]) == 0.0
    assert rlbits.expected_rl_bits([1.0]) == 0.0
    assert rlbits.rl_bits_given_answer([1.0], 0) == 0.0


def test_large_V_is_finite_and_correct():
    V = 10**6
    rng = np.random.default_rng(4)
    probs = rng.dirichlet(np.ones(V))
    h = rlbits.entropy(probs)
    assert math.isfinite(h) and 0 < h < math.log2(V)
    rl = rlbits.expected_rl_bits(probs)
    assert 0 < rl < h
    # for tiny p_k, H_b(p_k) ~ p_k(log2(1/p_k) + log2 e), so E[RL] ~ sum p_k^2 (...)
    approx = float(np.sum(probs**2 * (-np.log2(probs) + 1 / math.log(2))))
    assert rl == pytest.approx(approx, rel=1e-4)


# ------------------------------------------------------------------------------------------------
# bad input: every public function rejects it with a ValueError that says what was wrong

ONE_ARG_PROB = [rlbits.surprisal, rlbits.binary_entropy, rlbits.naive_sl_bits, rlbits.naive_rl_bits]
ONE_ARG_DIST = [rlbits.entropy, rlbits.expected_sl_bits, rlbits.expected_rl_bits]
TWO_ARG_DIST = [rlbits.cross_entropy, rlbits.kl_divergence]
GIVEN_ANSWER = [rlbits.sl_bits_given_answer, rlbits.rl_bits_given_answer]


@pytest.mark.parametrize("f", ONE_ARG_PROB)
@pytest.mark.parametrize("bad, message", [(-0.1, r"\[0, 1\]"), (1.5, r"\[0, 1\]"), (float("nan"), "NaN"),
                                          (float("inf"), "infinite"), ([], "empty"), ("abc", "numeric|not text")])
def test_probability_functions_reject_bad_input(f, bad, message):
    with pytest.raises(ValueError, match=message):
        f(bad)


@pytest.mark.parametrize("f", ONE_ARG_DIST)
@pytest.mark.parametrize("bad, message", [
    ([0.5, 0.6], "sum to 1"),
    ([0.5, 0.4], "sum to 1"),
    ([1.2, -0.2], r"\[0, 1\]"),
    ([0.5, float("nan"), 0.5], "NaN"),
    ([float("inf"), 0.0], "infinite"),
    ([], "empty"),
    (np.zeros((3, 0)), "empty"),
    (0.5, "scalar"),
    ([[0.5, 0.5], [0.9, 0.2]], "sum to 1"),
])
def test_distribution_functions_reject_bad_input(f, bad, message):
    with pytest.raises(ValueError, match=message):
        f(bad)


@pytest.mark.parametrize("f", TWO_ARG_DIST)
def test_pair_functions_reject_bad_input(f):
    with pytest.raises(ValueError, match="same number of outcomes"):
        f([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="do not broadcast"):
        f(np.full((2, 2), 0.5), np.full((3, 2), 0.5))
    with pytest.raises(ValueError, match="q must sum to 1"):
        f([0.5, 0.5], [0.5, 0.6])


@pytest.mark.parametrize("f", GIVEN_ANSWER)
@pytest.mark.parametrize("answer, message", [(3, r"\[0, 2\]"), (-1, r"\[0, 2\]"), (1.5, "whole-number"),
                                             ("a", "integer index"), (True, "integer index"),
                                             ([0, 1, 2], "broadcast")])
def test_given_answer_rejects_bad_answers(f, answer, message):
    probs = np.array([[0.5, 0.3, 0.2], [0.2, 0.2, 0.6]])
    with pytest.raises(ValueError, match=message):
        f(probs, answer)


def test_sum_tolerance_is_stated_and_applied():
    from rlbits._validate import SUM_TOLERANCE

    assert rlbits.entropy([0.5, 0.5 + SUM_TOLERANCE / 2]) > 0
    with pytest.raises(ValueError, match=f"tolerance {SUM_TOLERANCE:g}"):
        rlbits.entropy([0.5, 0.5 + 10 * SUM_TOLERANCE])


# ------------------------------------------------------------------------------------------------
# properties (hypothesis)


@st.composite
def distributions_(draw, min_v: int = 1, max_v: int = 40):
    v = draw(st.integers(min_v, max_v))
    w = draw(arrays(np.float64, v, elements=st.floats(0.0, 1.0, allow_nan=False, allow_subnormal=False)))
    assume(w.sum() > 1e-6)
    if draw(st.booleans()):  # sometimes make entries exactly zero
        w[: draw(st.integers(0, v - 1))] = 0.0
        assume(w.sum() > 1e-6)
    return w / w.sum()


@settings(max_examples=300, deadline=None)
@given(distributions_(), st.data())
def test_rl_never_exceeds_sl_given_any_answer(probs, data):
    i = data.draw(st.integers(0, probs.size - 1))
    assume(probs[i] > 0)
    rl = rlbits.rl_bits_given_answer(probs, i)
    sl = rlbits.sl_bits_given_answer(probs, i)
    assert 0 <= rl <= sl + 1e-9 * max(1.0, sl)


@settings(max_examples=300, deadline=None)
@given(distributions_())
def test_calibrated_rl_never_exceeds_calibrated_sl(probs):
    assert 0 <= rlbits.expected_rl_bits(probs) <= rlbits.expected_sl_bits(probs) + 1e-12


@settings(max_examples=200, deadline=None)
@given(st.floats(0.0, 1.0), st.integers(0, 1))
def test_two_outcomes_rl_equals_sl(p, i):
    probs = np.array([p, 1.0 - p])
    assume(probs[i] > 0)
    assert rlbits.rl_bits_given_answer(probs, i) == pytest.approx(rlbits.sl_bits_given_answer(probs, i),
                                                                  rel=1e-9, abs=1e-12)
    assert rlbits.expected_rl_bits(probs) == pytest.approx(rlbits.expected_sl_bits(probs), rel=1e-9, abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(distributions_())
def test_entropy_bounds(probs):
    h = rlbits.entropy(probs)
    assert -1e-12 <= h <= math.log2(probs.size) + 1e-9


@settings(max_examples=300, deadline=None)
@given(distributions_(min_v=2))
def test_calibrated_identity(probs):
    """Σ_i p_i · E[IG_RL | i] = Σ_k p_k H_b(p_k): averaging Yorwba's formula gives Niels Rolf's."""
    answers = np.arange(probs.size)
    conditional = rlbits.rl_bits_given_answer(probs, answers)
    mask = probs > 0
    assert np.sum(probs[mask] * conditional[mask]) == pytest.approx(rlbits.expected_rl_bits(probs), rel=1e-9,
                                                                     abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(distributions_(min_v=2, max_v=20), st.data())
def test_gibbs_inequality_and_decomposition(p, data):
    q = data.draw(distributions_(min_v=p.size, max_v=p.size))
    kl = rlbits.kl_divergence(p, q)
    assert kl >= 0
    if math.isfinite(kl):
        assert rlbits.cross_entropy(p, q) == pytest.approx(rlbits.entropy(p) + kl, rel=1e-9, abs=1e-9)
    assert rlbits.kl_divergence(p, p) == pytest.approx(0.0, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.floats(0.0, 1.0))
def test_binary_entropy_symmetric_and_bounded(p):
    h = rlbits.binary_entropy(p)
    assert 0.0 <= h <= 1.0 + 1e-15
    assert h == pytest.approx(rlbits.binary_entropy(1.0 - p), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("bad", [0, -1.5, float("nan"), float("inf"), "fast", None])
def test_positive_number_rejects_clearly(bad):
    from rlbits import _validate

    with pytest.raises(ValueError, match="step must be a (positive )?number"):
        _validate.positive_number(bad, "step")


def test_positive_number_accepts():
    from rlbits import _validate

    assert _validate.positive_number(3, "step") == 3.0 and _validate.positive_number(np.float32(0.5), "step") == 0.5
    with pytest.raises(ValueError, match="not text"):  # text is not a number, even when float() parses it
        _validate.positive_number("0.5", "step")


# --- two variables (Chapter 1, "Two variables") and the small-p ratio (Chapter 2) ---


def _joint_by_loops(table):
    """H(X, Y), H(X | Y), I(X; Y) from the textbook definitions, one term at a time (no NumPy tricks)."""
    table = np.asarray(table, dtype=float)
    px, py = table.sum(axis=1), table.sum(axis=0)
    h_xy = h_x_given_y = i_xy = 0.0
    for x in range(table.shape[0]):
        for y in range(table.shape[1]):
            pxy = table[x, y]
            if pxy > 0:
                h_xy -= pxy * math.log2(pxy)
                h_x_given_y -= pxy * math.log2(pxy / py[y])
                i_xy += pxy * (math.log2(pxy) - math.log2(px[x]) - math.log2(py[y]))
    return h_xy, h_x_given_y, i_xy


@st.composite
def joints(draw):
    nx, ny = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    flat = draw(distributions_(min_v=nx * ny, max_v=nx * ny))
    return flat.reshape(nx, ny)


@settings(max_examples=300, deadline=None)
@given(joints())
def test_joint_measures_match_definitions_and_chain_rule(table):
    h_xy, h_x_given_y, i_xy = _joint_by_loops(table)
    assert inf.joint_entropy(table) == pytest.approx(h_xy, abs=1e-9)
    assert inf.conditional_entropy(table) == pytest.approx(h_x_given_y, abs=1e-9)
    assert inf.mutual_information(table) == pytest.approx(i_xy, abs=1e-9)
    # marginals clipped at 1: a one-row table sums to 1 + 2e-16 in floating point
    h_x, h_y = inf.entropy(np.minimum(table.sum(axis=1), 1.0)), inf.entropy(np.minimum(table.sum(axis=0), 1.0))
    # chain rule H(X, Y) = H(Y) + H(X | Y); I = H(X) - H(X | Y) = H(X) + H(Y) - H(X, Y); 0 <= I <= min(H(X), H(Y))
    assert inf.joint_entropy(table) == pytest.approx(h_y + inf.conditional_entropy(table), abs=1e-9)
    assert inf.mutual_information(table) == pytest.approx(h_x - inf.conditional_entropy(table), abs=1e-9)
    assert inf.mutual_information(table) == pytest.approx(h_x + h_y - inf.joint_entropy(table), abs=1e-9)
    assert -1e-12 <= inf.mutual_information(table) <= min(h_x, h_y) + 1e-9


def test_joint_measures_known_values_and_validation():
    independent = np.outer([0.5, 0.5], [0.25, 0.75])
    assert inf.mutual_information(independent) == pytest.approx(0.0, abs=1e-15)
    assert inf.conditional_entropy(independent) == pytest.approx(1.0)
    copy = np.diag([0.5, 0.25, 0.25])  # Y = X: knowing Y leaves nothing, I = H(X)
    assert inf.conditional_entropy(copy) == 0.0
    assert inf.mutual_information(copy) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="table"):
        inf.joint_entropy([0.5, 0.5])
    with pytest.raises(ValueError, match="sum to 1"):
        inf.conditional_entropy([[0.5, 0.4], [0.0, 0.0]])


@st.composite
def distribution_pairs(draw):
    v = draw(st.integers(2, 20))
    return draw(distributions_(min_v=v, max_v=v)), draw(distributions_(min_v=v, max_v=v))


@settings(max_examples=200, deadline=None)
@given(distribution_pairs())
def test_shannon_code_length_within_one_bit_of_cross_entropy(pair):
    p, q = pair
    length = inf.shannon_code_length(p, q)
    ce = inf.cross_entropy(p, q)
    if np.isinf(ce):
        assert np.isinf(length)
    else:
        assert ce - 1e-9 <= length < ce + 1 + 1e-9


def test_shannon_code_dyadic_is_exact():
    p = [0.5, 0.25, 0.125, 0.125]
    assert inf.shannon_code_length(p, p) == 1.75 == pytest.approx(inf.entropy(p))
    assert inf.shannon_code_length(p, [0.25] * 4) == 2.0  # a code for the uniform: 0.25 bits of excess = KL
    assert inf.shannon_code_length(p, [0.25] * 4) - inf.entropy(p) == pytest.approx(inf.kl_divergence(p, [0.25] * 4))


def test_naive_ratio_small_p_asymptotics():
    # the essay's ratio at p = 1e-5 is 92,008 (SL/RL), not 100,000
    assert 1 / inf.naive_ratio_small_p(1e-5) == pytest.approx(92_008, abs=1)
    p = np.logspace(-12, -2, 40)
    exact = inf.binary_entropy(p) / inf.surprisal(p)
    rel = np.abs(inf.naive_ratio_small_p(p) / exact - 1)
    assert np.all(rel < p)  # relative error O(p)
    assert np.all(np.abs(exact / p - 1) > 0.01)  # whereas "ratio = p" is off by the log2 e / log2(1/p) term
    with pytest.raises(ValueError):
        inf.naive_ratio_small_p(0.0)
