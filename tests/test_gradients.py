"""Tests of rlbits.gradients: the SL and REINFORCE estimators of Chapter 3, checked three ways
(closed form, exact enumeration over actions, Monte Carlo at a fixed seed)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlbits import distributions, gradients


def _enumerated(pi, c, b):
    """Brute force: the V per-action gradients and their probabilities, no shortcuts."""
    V = len(pi)
    grads = np.array([((1.0 if a == c else 0.0) - b) * (np.eye(V)[a] - pi) for a in range(V)])
    mean = pi @ grads
    second = float(np.sum(pi * np.sum(grads**2, axis=1)))
    return mean, second - float(mean @ mean)


policies = st.integers(2, 12).flatmap(
    lambda V: st.tuples(
        st.lists(st.floats(-6, 6), min_size=V, max_size=V),
        st.integers(0, V - 1),
        st.floats(-2, 2),
    )
)


@settings(max_examples=60, deadline=None)
@given(policies)
def test_expected_update_is_pass_rate_times_sl(case):
    logits, c, b = case
    pi = gradients.softmax(logits)
    m = gradients.reinforce_moments(pi, c, b)
    np.testing.assert_allclose(m.mean, pi[c] * gradients.sl_gradient(pi, c), atol=1e-12)
    mean, var = _enumerated(pi, c, b)
    np.testing.assert_allclose(m.mean, mean, atol=1e-12)
    assert m.total_variance == pytest.approx(max(var, 0.0), abs=1e-10)
    assert m.total_variance >= 0.0 and m.snr >= 0.0


@settings(max_examples=40, deadline=None)
@given(policies)
def test_optimal_baseline_minimises_variance(case):
    logits, c, _ = case
    pi = gradients.softmax(logits)
    b_star = gradients.optimal_baseline(pi, c)
    best = gradients.reinforce_moments(pi, c, b_star).total_variance
    for b in np.linspace(-1, 2, 31):
        assert best <= gradients.reinforce_moments(pi, c, b).total_variance + 1e-12


def test_snr_without_baseline_is_the_odds():
    for p in [1e-5, 0.01, 0.3, 0.5, 0.9]:
        for V in [2, 10, 1000]:
            m = gradients.reinforce_moments(distributions.correct_plus_uniform(p, V), 0, 0.0)
            assert m.snr == pytest.approx(p / (1 - p), rel=1e-9)


def test_optimal_baseline_equals_pass_rate_for_uniform_policy():
    for V in [2, 5, 100]:
        assert gradients.optimal_baseline(np.full(V, 1 / V), 3 % V) == pytest.approx(1 / V)


def test_two_answers_noise_free_with_the_best_baseline():
    # With V = 2 and b = 1 - p both outcomes give the same update: (1-b)(1-p) = b p on the correct logit.
    pi = np.array([0.3, 0.7])
    assert gradients.optimal_baseline(pi, 0) == pytest.approx(0.7)
    m = gradients.reinforce_moments(pi, 0, 0.7)
    assert m.total_variance == pytest.approx(0.0, abs=1e-15) and m.snr == math.inf


def test_monte_carlo_agrees_with_exact():
    pi = distributions.correct_plus_uniform(0.2, 20)
    exact = gradients.reinforce_moments(pi, 0, 0.1)
    rng = np.random.default_rng(3)
    means = gradients.reinforce_batch_means(pi, 0, 0.1, 1, 200_000, rng)
    # 200,000 single-sample updates: the mean is within 5 standard errors per coordinate
    se = np.sqrt(exact.total_variance / 200_000)
    assert np.max(np.abs(means.mean(axis=0) - exact.mean)) < 5 * se
    total_var = float(np.sum(means.var(axis=0)))
    assert total_var == pytest.approx(exact.total_variance, rel=0.02)
    batch = gradients.reinforce_batch_means(pi, 0, 0.1, 16, 20_000, np.random.default_rng(4))
    assert float(np.sum(batch.var(axis=0))) == pytest.approx(exact.total_variance / 16, rel=0.05)


def test_batch_means_match_a_per_sample_loop():
    pi = distributions.correct_plus_uniform(0.3, 6)
    fast = gradients.reinforce_batch_means(pi, 0, 0.25, 5, 7, np.random.default_rng(11))
    actions = np.random.default_rng(11).choice(6, size=(7, 5), p=pi / pi.sum())
    slow = np.array([np.mean([((a == 0) - 0.25) * (np.eye(6)[a] - pi) for a in row], axis=0) for row in actions])
    np.testing.assert_allclose(fast, slow, atol=1e-12)


@pytest.mark.parametrize("shape", [(7, 5), (300, 200), (40, 1024)])
@pytest.mark.parametrize("V", [2, 6, 100, 511, 2000])
def test_sampled_actions_are_generator_choice_exactly(V, shape):
    """The lookup-table sampler draws exactly what rng.choice draws, for any policy (numbers never change)."""
    rng = np.random.default_rng(V)
    policies = [distributions.correct_plus_uniform(p, V) for p in (1e-4, 0.01, 0.5, 0.999)]
    skewed = np.exp(3 * rng.normal(size=V))
    skewed[::5] = 0.0  # answers that are never drawn: repeated cdf values
    policies.append(skewed / skewed.sum())
    for seed, pi in enumerate(policies):
        probs = pi / pi.sum()
        expected = np.random.default_rng(seed).choice(V, size=shape, p=probs)
        got = gradients._sample_actions(np.random.default_rng(seed), probs, shape)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)


def test_sl_label_noise_variance_is_constant_and_signal_shrinks():
    q = np.array([0.6, 0.3, 0.1])
    uniform = np.full(3, 1 / 3)
    expected_var = 1 - float(np.sum(q**2))
    snrs = []
    for t in np.linspace(0, 1, 6):
        m = gradients.sl_label_noise_moments((1 - t) * uniform + t * q, q)
        assert m.total_variance == pytest.approx(expected_var)
        snrs.append(m.snr)
    assert all(a > b for a, b in zip(snrs, snrs[1:]))
    assert snrs[-1] == 0.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([0.0, 1.0]), min_size=2, max_size=32), st.sampled_from([0, 1]))
def test_grpo_advantages_have_zero_mean_and_unit_spread(rewards, ddof):
    a = gradients.grpo_advantages(rewards, ddof=ddof)
    assert abs(a.sum()) < 1e-9
    if len(set(rewards)) == 1:
        assert np.all(a == 0.0)
    else:
        assert float(np.std(a, ddof=ddof)) == pytest.approx(1.0)


def test_grpo_closed_form_matches_direct():
    G = 8
    k = np.arange(G + 1)
    a_ok, a_bad = gradients.grpo_advantages_closed_form(k, G)
    for kk in range(G + 1):
        direct = gradients.grpo_advantages(np.r_[np.ones(kk), np.zeros(G - kk)])
        if 0 < kk < G:
            assert direct[0] == pytest.approx(a_ok[kk]) and direct[-1] == pytest.approx(a_bad[kk])
        else:
            assert a_ok[kk] == 0.0 and a_bad[kk] == 0.0
    assert a_ok[1] == pytest.approx(math.sqrt(7))  # one success in eight: amplified by sqrt(7)


def test_dead_group_probability_by_monte_carlo():
    p, G = 0.1, 8
    rng = np.random.default_rng(5)
    r = rng.random((100_000, G)) < p
    share = float(np.mean(r.all(axis=1) | (~r).all(axis=1)))
    exact = gradients.dead_group_probability(p, G)
    assert exact == pytest.approx(0.9**8 + 0.1**8)
    assert abs(share - exact) < 5 * math.sqrt(exact * (1 - exact) / 100_000)
    assert gradients.dead_group_probability(0.0, 4) == 1.0
    np.testing.assert_allclose(gradients.dead_group_probability([0.5, 1.0], 2), [0.5, 1.0])


def test_softmax_is_stable_and_normalised():
    s = gradients.softmax([1000.0, 1000.0, -1000.0])
    np.testing.assert_allclose(s, [0.5, 0.5, 0.0], atol=1e-300)
    batch = gradients.softmax(np.zeros((4, 1_000_000)))
    np.testing.assert_allclose(batch.sum(axis=1), 1.0)


@pytest.mark.parametrize("call, message", [
    (lambda: gradients.softmax([]), "V >= 1"),
    (lambda: gradients.softmax([0.0, math.nan]), "NaN"),
    (lambda: gradients.sl_gradient([0.5, 0.6], 0), "sum"),
    (lambda: gradients.sl_gradient([0.5, 0.5], 2), "correct"),
    (lambda: gradients.sl_gradient([[0.5, 0.5]], 0), "one distribution"),
    (lambda: gradients.reinforce_moments([0.5, 0.5], 0, math.inf), "baseline"),
    (lambda: gradients.reinforce_batch_means([0.5, 0.5], 0, 0.0, 0, 10, np.random.default_rng(0)), "batch_size"),
    (lambda: gradients.reinforce_batch_means([0.5, 0.5], 0, 0.0, 10**5, 10**4, np.random.default_rng(0)), "too many"),
    (lambda: gradients.reinforce_batch_means([0.5, 0.5], 0, 0.0, 2, 2, 7), "rng"),
    (lambda: gradients.sl_label_noise_moments([0.5, 0.5], [0.2, 0.3, 0.5]), "same shape"),
    (lambda: gradients.grpo_advantages([1.0]), "at least 2"),
    (lambda: gradients.grpo_advantages([1.0, math.inf]), "NaN or infinite"),
    (lambda: gradients.grpo_advantages([1.0, 0.0], ddof=2), "ddof"),
    (lambda: gradients.grpo_advantages_closed_form(np.array([9]), 8), "whole numbers"),
    (lambda: gradients.grpo_advantages_closed_form(np.array([0.5]), 8), "whole numbers"),
    (lambda: gradients.grpo_advantages_closed_form(np.array([1]), 1), "G"),
    (lambda: gradients.dead_group_probability(1.5, 4), "p"),
])
def test_bad_input_is_rejected_clearly(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_best_baseline_snr_for_uniform_policy():
    for V in [3, 10, 1000]:
        p = 1 / V
        u = np.full(V, p)
        m = gradients.reinforce_moments(u, 0, gradients.optimal_baseline(u, 0))
        assert m.snr == pytest.approx(p / (1 - 2 * p), rel=1e-9)


# --- GRPO's expected update (Chapter 3, "Group normalisation") ---


def test_grpo_mean_scale_true_p_closed_form():
    assert gradients.grpo_mean_scale(0.01) == pytest.approx(math.sqrt(0.01 / 0.99))
    assert gradients.grpo_mean_scale(0.5) == pytest.approx(1.0)
    assert gradients.grpo_mean_scale(0.0) == 0.0 and gradients.grpo_mean_scale(1.0) == 0.0


@pytest.mark.parametrize("p", [0.01, 0.2, 0.5, 0.9])
def test_grpo_true_p_is_a_rescaled_baseline(p):
    """Normalising with the true p is REINFORCE with b = p divided by sqrt(p(1-p)): mean scaled, SNR unchanged."""
    pi = distributions.correct_plus_uniform(p, 7)
    base = gradients.reinforce_moments(pi, 0, p)
    scale = 1 / math.sqrt(p * (1 - p))
    np.testing.assert_allclose(base.mean * scale, gradients.grpo_mean_scale(p) * gradients.sl_gradient(pi, 0),
                               atol=1e-14)


@pytest.mark.parametrize("G", [2, 3, 8])
def test_grpo_mean_scale_group_matches_enumeration(G):
    """Exact: every assignment of actions to the G samples of a small problem (V = 3)."""
    pi = np.array([0.3, 0.5, 0.2])
    c = 0
    g_sl = gradients.sl_gradient(pi, c)
    mean = np.zeros(3)
    import itertools
    for actions in itertools.product(range(3), repeat=G):
        prob = np.prod(pi[list(actions)])
        adv = gradients.grpo_advantages(np.array([a == c for a in actions], dtype=float))
        upd = sum(adv[i] * (np.eye(3)[a] - pi) for i, a in enumerate(actions)) / G
        mean += prob * upd
    np.testing.assert_allclose(mean, gradients.grpo_mean_scale(0.3, G) * g_sl, atol=1e-13)


def test_grpo_mean_scale_limits():
    p = np.array([0.01, 0.1, 0.5, 0.9])
    np.testing.assert_allclose(gradients.grpo_mean_scale(p, 20_000), gradients.grpo_mean_scale(p), rtol=2e-3)
    assert np.all(gradients.grpo_mean_scale(p, 8) < gradients.grpo_mean_scale(p) + 1e-12)  # dead groups cost


def test_grpo_group_means_monte_carlo():
    rng = np.random.default_rng(5)
    pi = distributions.correct_plus_uniform(0.1, 6)
    g_sl = gradients.sl_gradient(pi, 0)
    for normalise, expected in (("group", gradients.grpo_mean_scale(0.1, 8)), ("true", gradients.grpo_mean_scale(0.1))):
        means = gradients.grpo_group_means(pi, 0, 8, 100_000, rng, normalise)
        est = means.mean(axis=0)
        se = means.std(axis=0, ddof=1) / math.sqrt(means.shape[0])
        assert np.all(np.abs(est - expected * g_sl) < 5 * se + 1e-12)
    with pytest.raises(ValueError):
        gradients.grpo_group_means(pi, 0, 8, 10, rng, "batch")


# --- many tokens, one reward (Chapter 3) ---


def _policies(rng, T, V, p_correct):
    pis = np.full((T, V), (1 - p_correct) / (V - 1))
    pis[:, 0] = p_correct
    return pis


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.integers(2, 4), st.integers(0, 10_000), st.floats(-1, 1), st.booleans())
def test_sequence_closed_form_matches_enumeration(T, V, seed, b, many):
    rng = np.random.default_rng(seed)
    pis = rng.dirichlet(np.ones(V), size=T)
    acc = np.zeros((T, V), dtype=bool)
    acc[np.arange(T), rng.integers(0, V, size=T)] = True
    if many:
        acc |= rng.random((T, V)) < 0.4
    a = gradients.sequence_moments(pis, acc, b)
    e = gradients.sequence_moments_enumerated(pis, acc, b)
    assert a.p_seq == pytest.approx(e.p_seq, rel=1e-12)
    np.testing.assert_allclose(a.mean, e.mean, atol=1e-14)
    assert a.total_variance == pytest.approx(e.total_variance, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("T", [1, 10, 100, 1000, 5000])
def test_one_correct_sequence_snr_is_odds_whatever_T(T):
    rng = np.random.default_rng(T)
    p_seq = 0.1
    pis = _policies(rng, T, 5, p_seq ** (1 / T))
    acc = np.zeros((T, 5), dtype=bool)
    acc[:, 0] = True
    m = gradients.sequence_moments(pis, acc, 0.0)
    assert m.p_seq == pytest.approx(p_seq, rel=1e-9)
    assert m.snr == pytest.approx(p_seq / (1 - p_seq), rel=1e-9)
    g_sl = acc / acc.sum(axis=1, keepdims=True) - pis  # the supervised gradient of the whole sequence
    np.testing.assert_allclose(m.mean, p_seq * g_sl, atol=1e-15)
    # a baseline adds failure noise from every position: never helps beyond p/(1-2p)-type gains, and here hurts
    with_b = gradients.sequence_moments(pis, acc, p_seq)
    assert with_b.total_variance > 0


def test_free_positions_dilute_the_snr_like_one_over_T():
    """One decisive position, T - 1 positions where any token is accepted: signal fixed, noise grows with T."""
    V, p = 5, 0.3
    snrs = []
    for T in (1, 10, 100, 1000):
        pis = _policies(None, T, V, 0.6)
        pis[0] = distributions.correct_plus_uniform(p, V)
        acc = np.ones((T, V), dtype=bool)
        acc[0] = False
        acc[0, 0] = True
        m = gradients.sequence_moments(pis, acc, 0.0)
        assert m.p_seq == pytest.approx(p)
        snrs.append(m.snr)
    assert snrs[0] == pytest.approx(p / (1 - p))
    assert np.all(np.diff(snrs) < 0)
    assert snrs[-1] * 1000 == pytest.approx(snrs[-2] * 100, rel=0.02)  # ~ 1/T once T is large


def test_sequence_monte_carlo_at_T_1000():
    rng = np.random.default_rng(11)
    T, V = 1000, 4
    pis = _policies(rng, T, V, 0.999)
    acc = np.zeros((T, V), dtype=bool)
    acc[:, 0] = True
    for b in (0.0, 0.3):
        exact = gradients.sequence_moments(pis, acc, b)
        mean, g2, se, rate = gradients.sequence_batch_moments(pis, acc, b, 20_000, rng)
        assert abs(g2 - (exact.total_variance + exact.signal)) < 5 * se
        assert abs(rate - exact.p_seq) < 5 * math.sqrt(exact.p_seq * (1 - exact.p_seq) / 20_000)
        err = np.linalg.norm(mean - exact.mean)
        assert err < 5 * math.sqrt(exact.total_variance / 20_000)


def test_sequence_validation():
    with pytest.raises(ValueError, match="shape"):
        gradients.sequence_moments(np.ones(3) / 3, np.ones(3, dtype=bool))
    with pytest.raises(ValueError, match="at least one accepted"):
        gradients.sequence_moments(np.full((2, 2), 0.5), np.array([[True, False], [False, False]]))
    with pytest.raises(ValueError, match="too many"):
        gradients.sequence_moments_enumerated(np.full((10, 5), 0.2), np.ones((10, 5), dtype=bool))


def test_mean_scale_is_p_even_with_two_answers():
    """E ĝ = p g_SL for V = 2, where Chapter 2's information ratio is 1: the factor p is the mean's scale."""
    for p in (0.01, 0.3, 0.7):
        pi = np.array([p, 1 - p])
        m = gradients.reinforce_moments(pi, 0, 0.0)
        np.testing.assert_allclose(m.mean, p * gradients.sl_gradient(pi, 0), atol=1e-15)
        assert m.snr == pytest.approx(p / (1 - p))
        # dividing by p restores the SL gradient and leaves the SNR alone
        np.testing.assert_allclose(m.mean / p, gradients.sl_gradient(pi, 0), atol=1e-14)


def test_baseline_p_helps_a_spread_policy_only_below_about_a_third():
    snr = {}
    for p in (0.2, 0.3, 0.36, 0.45):
        pi = distributions.correct_plus_uniform(p, 1000)
        none, bp = gradients.reinforce_moments(pi, 0, 0.0).snr, gradients.reinforce_moments(pi, 0, p).snr
        best = gradients.reinforce_moments(pi, 0, gradients.optimal_baseline(pi, 0)).snr
        assert best >= max(none, bp) * (1 - 1e-12)
        snr[p] = bp / none
    assert snr[0.2] > 1 and snr[0.3] > 1 and snr[0.36] < 1 and snr[0.45] < 1
    # for a uniform policy b = p is the best constant and gives p / (1 - 2p)
    for V in (3, 10, 50):
        u = distributions.uniform(V)
        assert gradients.reinforce_moments(u, 0, 1 / V).snr == pytest.approx((1 / V) / (1 - 2 / V), rel=1e-12)
