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
    means = gradients.reinforce_batch_means(pi, 0, 0.1, 1, 200_000, rng=rng)
    # 200,000 single-sample updates: the mean is within 5 standard errors per coordinate
    se = np.sqrt(exact.total_variance / 200_000)
    assert np.max(np.abs(means.mean(axis=0) - exact.mean)) < 5 * se
    total_var = float(np.sum(means.var(axis=0)))
    assert total_var == pytest.approx(exact.total_variance, rel=0.02)
    batch = gradients.reinforce_batch_means(pi, 0, 0.1, 16, 20_000, rng=np.random.default_rng(4))
    assert float(np.sum(batch.var(axis=0))) == pytest.approx(exact.total_variance / 16, rel=0.05)


def test_batch_means_match_a_per_sample_loop():
    pi = distributions.correct_plus_uniform(0.3, 6)
    fast = gradients.reinforce_batch_means(pi, 0, 0.25, 5, 7, rng=np.random.default_rng(11))
    actions = np.random.default_rng(11).choice(6, size=(7, 5), p=pi / pi.sum())
    slow = np.array([np.mean([((a == 0) - 0.25) * (np.eye(6)[a] - pi) for a in row], axis=0) for row in actions])
    np.testing.assert_allclose(fast, slow, atol=1e-12)


@pytest.mark.parametrize("shape", [(7, 5), (300, 200), (40, 1024)])
@pytest.mark.parametrize("V", [2, 6, 100, 511, 2000])
def test_sampled_actions_are_generator_choice_exactly(V, shape):
    """The shared sampler (with its lookup table for many draws) draws exactly what rng.choice draws."""
    rng = np.random.default_rng(V)
    policies = [distributions.correct_plus_uniform(p, V) for p in (1e-4, 0.01, 0.5, 0.999)]
    skewed = np.exp(3 * rng.normal(size=V))
    skewed[::5] = 0.0  # answers that are never drawn: repeated cdf values
    policies.append(skewed / skewed.sum())
    for seed, pi in enumerate(policies):
        probs = pi / pi.sum()
        expected = np.random.default_rng(seed).choice(V, size=shape, p=probs)
        got = distributions.sample_categorical(probs, int(np.prod(shape)), rng=np.random.default_rng(seed)).reshape(shape)
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
    (lambda: gradients.reinforce_batch_means([0.5, 0.5], 0, 0.0, 0, 10, rng=np.random.default_rng(0)), "batch_size"),
    (lambda: gradients.reinforce_batch_means([0.5, 0.5], 0, 0.0, 10**5, 10**4, rng=np.random.default_rng(0)), "too many"),
    (lambda: gradients.reinforce_batch_means([0.5, 0.5], 0, 0.0, 2, 2, rng=7), "rng"),
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
        means = gradients.grpo_group_means(pi, 0, 8, 100_000, rng=rng, normalise=normalise)
        est = means.mean(axis=0)
        se = means.std(axis=0, ddof=1) / math.sqrt(means.shape[0])
        assert np.all(np.abs(est - expected * g_sl) < 5 * se + 1e-12)
    with pytest.raises(ValueError):
        gradients.grpo_group_means(pi, 0, 8, 10, rng=rng, normalise="batch")


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
    # a baseline adds failure noise from every position (about b^2 Σ_t (1 - ‖π_t‖²)); from T = 10 on this
    # outweighs what b removes, and the SNR falls below the odds that b = 0 keeps
    with_b = gradients.sequence_moments(pis, acc, p_seq)
    if T >= 10:
        assert with_b.snr < m.snr


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
        mean, g2, se, rate = gradients.sequence_batch_moments(pis, acc, b, 20_000, rng=rng)
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
        # the mean is ∇ E[R] = ∇ π_c, by central finite differences of the softmax (an independent route)
        z = np.log(pi)
        eps = 1e-6
        fd = np.array([(gradients.softmax(z + eps * e)[0] - gradients.softmax(z - eps * e)[0]) / (2 * eps)
                       for e in np.eye(2)])
        np.testing.assert_allclose(m.mean, fd, atol=1e-9)


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


# ------------------------------------------------------------------------------------------------
# The best baseline, magnitude vs direction noise, GRPO's group statistics, and the limit for every
# unbiased estimator (Chapter 3, third edition)


@given(policies)
@settings(max_examples=60, deadline=None)
def test_optimal_baseline_snr_closed_form_matches_enumeration(case):
    logits, c, _ = case
    pi = gradients.softmax(np.array(logits))
    b = gradients.optimal_baseline(pi, c)
    mean, var = _enumerated(pi, c, b)  # brute force over actions
    closed = gradients.optimal_baseline_snr(pi, c)
    if var > 1e-12 * float(mean @ mean):
        assert closed == pytest.approx(float(mean @ mean) / var, rel=1e-6)
    # no constant baseline on a grid does better than b*
    grid = np.linspace(-1, 2, 301)
    best_grid = max(float(_enumerated(pi, c, bb)[0] @ _enumerated(pi, c, bb)[0]) / _enumerated(pi, c, bb)[1]
                    for bb in grid if _enumerated(pi, c, bb)[1] > 0)
    assert closed >= best_grid * (1 - 1e-9)


def test_optimal_baseline_two_answers_is_exact_and_claims_of_the_chapter():
    for p in (0.01, 0.3, 0.8):
        pi = np.array([p, 1 - p])
        assert gradients.optimal_baseline(pi, 0) == pytest.approx(1 - p)
        assert gradients.optimal_baseline_snr(pi, 0) == np.inf
        # both outcomes give p(1 - p)(e_c - e_w): success (1 - b)(e_c - π), failure -b(e_w - π)
        b = 1 - p
        e_c, e_w = np.eye(2)
        np.testing.assert_allclose((1 - b) * (e_c - pi), p * (1 - p) * (e_c - e_w), atol=1e-15)
        np.testing.assert_allclose(-b * (e_w - pi), p * (1 - p) * (e_c - e_w), atol=1e-15)
    # confidently wrong: the best baseline doubles the SNR; wrong mass spread: 1% to 3% at p = 0.01
    wrong = np.full(100_000, 0.01 / 99_998)
    wrong[0], wrong[1] = 0.01, 0.98
    assert gradients.optimal_baseline_snr(wrong, 0) / (0.01 / 0.99) == pytest.approx(1.985, abs=0.01)
    gains = [gradients.optimal_baseline_snr(distributions.correct_plus_uniform(0.01, V), 0) / (0.01 / 0.99)
             for V in (3, 10, 1000, 100_000)]
    assert 1.0099 < min(gains) and max(gains) < 1.031


def test_b0_noise_is_pure_magnitude_and_baseline_adds_direction():
    rng = np.random.default_rng(5)
    for V in (2, 5, 30):
        pi = rng.dirichlet(np.ones(V))
        mean, cov = gradients.reinforce_covariance(pi, 0, 0.0)
        g = gradients.sl_gradient(pi, 0)
        p = pi[0]
        np.testing.assert_allclose(cov, p * (1 - p) * np.outer(g, g), atol=1e-14)  # rank one, closed form
        split = gradients.noise_split(mean, cov)
        assert split.direction < 1e-14 and split.magnitude == pytest.approx(p * (1 - p) * (g @ g), rel=1e-10)
        if V > 2:
            with_b = gradients.noise_split(*gradients.reinforce_covariance(pi, 0, 0.3))
            assert with_b.direction > 1e-6
    # the covariance against brute force over actions
    pi = rng.dirichlet(np.ones(6))
    grads = np.array([((a == 2) - 0.4) * (np.eye(6)[a] - pi) for a in range(6)])
    m = pi @ grads
    mean, cov = gradients.reinforce_covariance(pi, 2, 0.4)
    np.testing.assert_allclose(mean, m, atol=1e-15)
    np.testing.assert_allclose(cov, (grads.T * pi) @ grads - np.outer(m, m), atol=1e-15)


def test_many_prompt_split_against_monte_carlo():
    rng = np.random.default_rng(6)
    M, V = 4, 5
    pis = rng.dirichlet(np.ones(V), size=M)
    cs = np.arange(M) % V
    split = gradients.many_prompt_noise_split(pis, cs, 0.0)
    assert split.direction > 0.1 * split.magnitude  # separate prompts: direction noise at b = 0
    # Monte Carlo: sample one answer per prompt, stack the block updates
    n = 200_000
    acts = distributions.sample_categorical(pis, n, rng=rng)  # (M, n)
    upd = np.zeros((n, M * V))
    for j in range(M):
        r = (acts[j] == cs[j]).astype(float)
        upd[:, j * V:(j + 1) * V] = r[:, None] * (np.eye(V)[acts[j]] - pis[j])
    mean = upd.mean(axis=0)
    u = mean / np.linalg.norm(mean)
    along = upd @ u
    assert along.var() == pytest.approx(split.magnitude, rel=0.03)
    assert upd.var(axis=0).sum() - along.var() == pytest.approx(split.direction, rel=0.03)
    # shared parameters: identical prompts with one Jacobian behave as one prompt scaled (pure magnitude)
    J = np.tile(np.eye(V)[None], (M, 1, 1))
    same = gradients.many_prompt_noise_split(np.tile(pis[0], (M, 1)), np.zeros(M, int), 0.0, J)
    assert same.direction < 1e-12 * same.magnitude


@pytest.mark.parametrize("p, V, none, std", [(0.3, 10, 3.11, 3.87), (0.3, 2, 7.64, 12.25), (0.1, 10, 0.85, 0.98)])
def test_grpo_group_moments_exact_and_monte_carlo(p, V, none, std):
    pi = distributions.correct_plus_uniform(p, V)
    G = 8
    ex = {s: gradients.grpo_group_moments(pi, 0, G, s) for s in ("none", "std")}
    assert round(ex["none"].snr, 2) == none and round(ex["std"].snr, 2) == std
    # the mean of the std version against the per-sample closed form (grpo_mean_scale, another derivation)
    np.testing.assert_allclose(ex["std"].mean, gradients.grpo_mean_scale(p, G) * gradients.sl_gradient(pi, 0),
                               atol=1e-12)
    # Monte Carlo, direct from sampled groups
    rng = np.random.default_rng(7)
    n = 200_000
    acts = distributions.sample_categorical(pi, n * G, rng=rng).reshape(n, G)
    r = (acts == 0).astype(float)
    d = np.eye(V)[acts] - pi  # (n, G, V)
    for s in ("none", "std"):
        adv = gradients.grpo_advantages(r) if s == "std" else r - r.mean(axis=1, keepdims=True)
        U = np.einsum("ng,ngv->nv", adv, d) / G
        mc_mean = U.mean(axis=0)
        mc_var = U.var(axis=0).sum()
        np.testing.assert_allclose(mc_mean, ex[s].mean, atol=5 * np.sqrt(U.var(axis=0).max() / n) + 1e-12)
        assert mc_var == pytest.approx(ex[s].total_variance, rel=0.02)


def test_self_normalised_batch_monte_carlo():
    rng = np.random.default_rng(8)
    for p, n in ((0.05, 16), (0.3, 4)):
        scale, snr = gradients.self_normalised_batch(p, n)
        k = rng.binomial(n, p, size=400_000)
        ind = (k > 0).astype(float)  # the estimator is 1[K > 0] g_SL
        assert scale == pytest.approx(ind.mean(), abs=5 * ind.std() / np.sqrt(ind.size))
        assert snr == pytest.approx(ind.mean() ** 2 / ind.var(), rel=0.03)
        assert snr != pytest.approx(n * p / (1 - p), rel=0.05)
    assert gradients.self_normalised_batch(1.0, 3)[1] == np.inf and gradients.self_normalised_batch(0.0, 3)[0] == 0


def _brute_min_variance(pi):
    """The same minimum by a generic least-squares solve of the stacked quadratic, per coordinate."""
    V = pi.size
    d = np.eye(V) - pi
    total = 0.0
    for k in range(V):
        # rows: sqrt-weights times residuals, linear in x = failure values of coordinate k
        rows, rhs = [], []
        for c in range(V):
            for a in range(V):
                if a == c:  # success value h = d_ck + x_c - Σ π x / π_c
                    row = -pi / pi[c]
                    row = row.copy()
                    row[c] += 1
                    rows.append(np.sqrt(pi[c] * pi[c]) * row)
                    rhs.append(-np.sqrt(pi[c] * pi[c]) * d[c, k])
                else:
                    row = np.zeros(V)
                    row[a] = 1
                    rows.append(np.sqrt(pi[c] * pi[a]) * row)
                    rhs.append(0.0)
        A, y = np.array(rows), np.array(rhs)
        x = np.linalg.lstsq(A, y, rcond=None)[0]
        total += float(np.sum((A @ x - y) ** 2))
    return total - sum(pi[c] ** 3 * float(d[c] @ d[c]) for c in range(V))


def test_min_variance_unbiased_against_a_generic_solve_and_reinforce():
    rng = np.random.default_rng(9)
    for pi in (distributions.uniform(6), np.array([0.5, 0.3, 0.2]), rng.dirichlet(np.ones(7)), np.array([0.3, 0.7])):
        bound = gradients.min_variance_unbiased(pi)
        assert bound.min_variance == pytest.approx(_brute_min_variance(pi), rel=1e-9, abs=1e-14)
        V = pi.size
        d = np.eye(V) - pi
        for c in range(V):  # unbiased for every correct answer, by enumeration
            mean = sum(pi[a] * (bound.success_values[c] if a == c else bound.failure_values[a]) for a in range(V))
            np.testing.assert_allclose(mean, pi[c] * d[c], atol=1e-13)
        for b in np.linspace(-0.5, 1.5, 41):  # REINFORCE with any constant baseline is one of the estimators
            assert gradients.unbiased_estimator_moments(pi, -b * d)[0] >= bound.min_variance - 1e-13
    u = distributions.uniform(10)  # uniform: the optimum is REINFORCE with b = 1/V
    np.testing.assert_allclose(gradients.min_variance_unbiased(u).failure_values, -0.1 * (np.eye(10) - u), atol=1e-15)
    assert gradients.min_variance_unbiased(u).snr == pytest.approx(0.1 / 0.8)
    assert gradients.min_variance_unbiased(np.array([0.3, 0.7])).min_variance < 1e-15  # two answers: exact


@pytest.mark.parametrize("call, match", [
    (lambda: gradients.min_variance_unbiased([1.0, 0.0]), "positive"),
    (lambda: gradients.min_variance_unbiased([1.0]), "at least 2"),
    (lambda: gradients.unbiased_estimator_moments([0.5, 0.5], np.zeros((3, 3))), "shape"),
    (lambda: gradients.noise_split([0.0, 0.0], np.eye(2)), "zero"),
    (lambda: gradients.noise_split([1.0, 0.0], np.eye(3)), "shape"),
    (lambda: gradients.grpo_group_moments([0.5, 0.5], 0, 8, "var"), "scale"),
    (lambda: gradients.grpo_group_moments([0.5, 0.5], 0, 1), "G"),
    (lambda: gradients.self_normalised_batch(1.5, 3), r"\[0, 1\]"),
    (lambda: gradients.many_prompt_noise_split([[0.5, 0.5]], [0, 1]), "shape"),
    (lambda: gradients.reinforce_covariance([0.5, 0.5], 0, np.nan), "finite"),
])
def test_new_functions_reject_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_exercise_checkers_for_the_new_sections():
    """The two checkers appended to rlbits.exercises: expected answers against independent reasoning."""
    from rlbits.exercises import check_exact_baseline, check_noise_kind
    assert check_exact_baseline(0.7, 0.3) and not check_exact_baseline(0.3, 0.3)
    assert "average reward" in check_exact_baseline(0.3, 0.3).message
    expected = {"a": "magnitude", "b": "direction", "c": "magnitude", "d": "direction", "e": "magnitude"}
    for case, kind in expected.items():
        assert check_noise_kind(kind, case)
        other = "direction" if kind == "magnitude" else "magnitude"
        assert not check_noise_kind(other, case)
    assert not check_noise_kind(None, "a")
    with pytest.raises(ValueError):
        check_noise_kind("magnitude", "z")
