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


# --- what decides the ratio: the concentration of the wrong mass ---


def test_decoy_counterexample_to_ratio_p():
    """V = 10^5, p = 0.01, one wrong answer at 0.98: RL 5.60 bits against SL 6.64 (ratio 0.84, not 0.01)."""
    d = comparison.decoy_bits(0.01, 0.98, 100_000)
    assert float(d.rl) == pytest.approx(5.5974, abs=1e-4)
    assert float(d.sl) == pytest.approx(6.6439, abs=1e-4)
    assert float(d.ratio) == pytest.approx(0.8425, abs=1e-4)
    V = 100_000
    dist = np.full(V, 0.01 / (V - 2))
    dist[0], dist[1] = 0.01, 0.98
    assert float(d.rl) == pytest.approx(rlbits.rl_bits_given_answer(dist, 0), rel=1e-12)
    assert float(d.concentration) == pytest.approx(comparison.wrong_mass_concentration(dist, 0), rel=1e-12)
    # the same pass rate with the wrong mass spread evenly: ratio about p
    spread = comparison.family_bits(0.01, V)
    assert spread.rl_conditional / spread.sl_conditional == pytest.approx(0.01, rel=0.01)


@settings(max_examples=200, deadline=None)
@given(st.floats(1e-6, 0.99), st.floats(0.0, 1.0), st.integers(3, 40))
def test_decoy_closed_form_matches_explicit_distribution(p, share, V):
    decoy = share * (1 - p)
    dist = np.full(V, (1 - p - decoy) / (V - 2))
    dist[0], dist[1] = p, decoy
    dist = dist / dist.sum()
    d = comparison.decoy_bits(p, decoy, V)
    assert float(d.rl) == pytest.approx(rlbits.rl_bits_given_answer(dist, 0), rel=1e-9, abs=1e-12)
    assert float(d.concentration) == pytest.approx(comparison.wrong_mass_concentration(dist, 0), rel=1e-9)


def test_decoy_limits_and_monotonicity():
    p, V = 0.01, 1000
    uniform_decoy = comparison.decoy_bits(p, (1 - p) / (V - 1), V)  # the correct-plus-uniform member
    assert float(uniform_decoy.rl) == pytest.approx(comparison.family_bits(p, V).rl_conditional, rel=1e-12)
    assert float(uniform_decoy.concentration) == pytest.approx(1 / (V - 1), rel=1e-9)
    all_on_decoy = comparison.decoy_bits(p, 1 - p, V)  # like two answers: RL = SL
    assert float(all_on_decoy.ratio) == pytest.approx(1.0, rel=1e-12)
    shares = np.linspace(1 / (V - 1), 1, 200)
    ratios = comparison.decoy_bits(p, shares * (1 - p), V).ratio
    assert np.all(np.diff(ratios) > 0)  # more concentrated wrong mass: more RL bits
    with pytest.raises(ValueError, match="at most 1 - p"):
        comparison.decoy_bits(0.5, 0.6, 10)
    with pytest.raises(ValueError, match="at least 3"):
        comparison.decoy_bits(0.5, 0.5, 2)


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 30).flatmap(lambda V: st.tuples(
    st.lists(st.floats(0.0, 1.0, allow_subnormal=False), min_size=V, max_size=V), st.integers(0, V - 1))))
def test_ratio_lower_bound_holds(case):
    w, i = case
    w = np.asarray(w)
    if w.sum() < 1e-6:
        return
    dist = w / w.sum()
    p = dist[i]
    # Within 1e-6 of p = 1 both bit counts are below 1.5e-6 and their ratio carries the rounding of
    # 1 - p (a relative error of order 1e-16 / (1 - p)), which is larger than the bound's margin.
    if not 1e-9 < p < 1 - 1e-6:
        return
    ratio = rlbits.rl_bits_given_answer(dist, i) / rlbits.sl_bits_given_answer(dist, i)
    kappa = comparison.wrong_mass_concentration(dist, i)
    assert 1 / (len(dist) - 1) - 1e-12 <= kappa <= 1 + 1e-12
    assert ratio >= comparison.ratio_lower_bound(p, kappa) - 1e-9


def test_wrong_mass_concentration_values():
    assert comparison.wrong_mass_concentration([0.2, 0.8], 0) == pytest.approx(1.0)
    assert comparison.wrong_mass_concentration(distributions.uniform(5), 2) == pytest.approx(0.25)
    assert math.isnan(comparison.wrong_mass_concentration([1.0, 0.0], 0))


def test_peak_advantage_two_routes_agree():
    p_bisect, gap_bisect = comparison.max_naive_rl_advantage()
    p_w, gap_w = comparison.max_naive_rl_advantage_closed_form()
    assert p_w == pytest.approx(p_bisect, abs=1e-12)
    assert gap_w == pytest.approx(gap_bisect, abs=1e-12)


# --- answer, guess and reward: E_C[H(R | C)] = I(C; R | A) (Chapter 1) and the DPI (Chapter 2) ---


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 12).flatmap(lambda V: st.lists(st.floats(0.0, 1.0, allow_subnormal=False),
                                                      min_size=V, max_size=V)))
def test_reward_entropy_given_answer_averages_to_conditional_mutual_information(w):
    w = np.asarray(w)
    if w.sum() < 1e-6:
        return
    probs = w / w.sum()
    V = probs.size
    joint = comparison.answer_guess_reward_joint(probs)  # (C, A, R)
    assert joint.sum() == pytest.approx(1.0)
    # H(R | C = i) from the enumerated table: the reward is Bernoulli(p_i) once the answer is known
    for i in range(V):
        if probs[i] > 0:
            r_given_c = joint[i].sum(axis=0)
            r_given_c = r_given_c / r_given_c.sum()
            assert rlbits.entropy(r_given_c) == pytest.approx(rlbits.binary_entropy(probs[i]), abs=1e-9)
    # averaged over C ~ p: H(R | C); and I(C; R | A) = H(R | A) - H(R | A, C) from the table
    h_r_given_c = rlbits.information.conditional_entropy(joint.sum(axis=1).T)  # table (R, C)
    h_r_given_a = rlbits.information.conditional_entropy(joint.sum(axis=0).T)  # table (R, A)
    h_r_given_ac = rlbits.information.conditional_entropy(joint.reshape(V * V, 2).T)  # table (R, (C, A))
    assert h_r_given_ac == pytest.approx(0.0, abs=1e-12)
    cmi = h_r_given_a - h_r_given_ac
    assert h_r_given_c == pytest.approx(cmi, abs=1e-9)
    assert cmi == pytest.approx(rlbits.expected_rl_bits(probs), abs=1e-9)
    assert cmi == pytest.approx(comparison.conditional_mutual_information_enumerated(probs), abs=1e-9)
    # data-processing: I(C; A, R) = I(C; R | A) <= I(C; C, A) = H(C)
    c_vs_ar = joint.reshape(V, V * 2)  # table (C, (A, R))
    assert rlbits.information.mutual_information(c_vs_ar) == pytest.approx(cmi, abs=1e-9)
    assert cmi <= rlbits.entropy(probs) + 1e-9


@pytest.mark.parametrize("p, V", [(0.8, 2), (0.8, 10), (0.01, 50), (0.3, 7)])
def test_calibrated_pass_rate_is_sum_of_squares(p, V):
    """With the correct answer drawn from the model, P(A = C) = Σ p_k², not p (Chapter 2's explorer)."""
    from rlbits import widgets

    dist = distributions.correct_plus_uniform(p, V)
    joint = comparison.answer_guess_reward_joint(dist)
    assert joint[..., 1].sum() == pytest.approx(float(dist @ dist), rel=1e-12)
    assert widgets.bits_comparison_panel(p, V).calibrated_pass_rate == pytest.approx(float(dist @ dist), rel=1e-12)


def test_calibrated_pass_rates_quoted_for_the_explorer():
    from rlbits import widgets

    assert widgets.bits_comparison_panel(0.01, 100_000).calibrated_pass_rate == pytest.approx(1.1e-4, rel=0.01)
    assert widgets.bits_comparison_panel(0.8, 100_000).calibrated_pass_rate == pytest.approx(0.64, rel=1e-4)


def test_information_indexed_by_the_guess_is_binary_entropy():
    """I(C; R | A = a) from the joint table of (C, A, R), against H_b(p_a) written out with math."""
    import math

    from rlbits import information
    for probs in ([0.5, 0.3, 0.2], [0.9, 0.05, 0.03, 0.02], [0.25] * 4):
        probs = np.array(probs)
        joint = comparison.answer_guess_reward_joint(probs)
        for a in range(probs.size):
            table = joint[:, a, :] / probs[a]  # P(C, R | A = a)
            enumerated = information.mutual_information(table)
            q = probs[a]
            closed = -q * math.log2(q) - (1 - q) * math.log2(1 - q)
            assert enumerated == pytest.approx(closed, abs=1e-12)
            assert comparison.rl_bits_given_guess(probs, a) == pytest.approx(closed, abs=1e-12)
    np.testing.assert_allclose(comparison.rl_bits_given_guess([0.5, 0.3, 0.2], [0, 1, 2]),
                               [1.0, 0.8813, 0.7219], atol=5e-5)
    with pytest.raises(ValueError):
        comparison.rl_bits_given_guess([0.5, 0.5], 2)


def test_compute_share_above_against_a_simulated_schedule():
    """Heino's two readings: walk a fine grid of compute, map it to error rates, count the share above p."""
    for lowest in (1e-5, 1e-3):
        c = np.linspace(0, 1, 2_000_001)
        # additive: nines grow linearly in compute, from -log10(1 - lowest) to -log10(lowest)
        n0, n1 = -math.log10(1 - lowest), -math.log10(lowest)
        err = 10 ** -(n0 + c * (n1 - n0))
        assert comparison.compute_share_above(0.5, lowest, "additive") == pytest.approx(np.mean(err < 0.5), abs=1e-5)
        assert comparison.compute_share_above(0.5, lowest, "additive") == pytest.approx(
            comparison.log_axis_share_above(0.5, lowest, axis="error"), rel=1e-12)
        # multiplicative, factor 2: compute C = 2**n, so n = log2 C over [2**n0, 2**n1]
        C = 2**n0 + c * (2**n1 - 2**n0)
        err = 10 ** -np.log2(C)
        assert comparison.compute_share_above(0.5, lowest, "multiplicative") == pytest.approx(np.mean(err < 0.5), abs=1e-5)
    assert round(comparison.compute_share_above(0.5, 1e-5, "additive"), 2) == 0.94
    assert comparison.compute_share_above(0.5, 1e-5, "multiplicative", factor=10.0) > 0.999
    for bad in (dict(reading="log"), dict(reading="multiplicative", factor=1.0)):
        with pytest.raises(ValueError):
            comparison.compute_share_above(0.5, 1e-5, **bad)
