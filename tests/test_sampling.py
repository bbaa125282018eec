"""Tests of rlbits.sampling (Chapter 4): verified numbers, properties (hypothesis), Monte Carlo agreement
at fixed seeds, bad input; and the Chapter 4 widget panel and answer checkers."""

import math
from fractions import Fraction

import mpmath

import matplotlib

matplotlib.use("Agg")  # this test module draws off-screen; the book build is never run with Agg
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlbits import curriculum, goldilocks, information, sampling, sharpening, widgets
from rlbits.exercises import check_pass_at_k, check_samples_for_confidence

# --------------------------------------------------------------------------------------------
# verified numbers (content brief §4.1, §4.2, §4.4)


def test_essay_batch_size():
    assert sampling.samples_for_confidence(1e-5, 0.95) == 299_572
    assert sampling.samples_for_confidence_real(1e-5, 0.95) == pytest.approx(299_571.7295, abs=1e-3)
    assert sampling.prob_at_least_one(1e-5, 299_572) == pytest.approx(0.95, abs=1e-6)
    assert sampling.prob_at_least_one(1e-5, 299_572) >= 0.95 > sampling.prob_at_least_one(1e-5, 299_571)
    assert sampling.rule_of_three_samples(1e-5) == pytest.approx(-math.log(0.05) / 1e-5)
    assert sampling.rule_of_three_samples(1e-5) * 1e-5 == pytest.approx(float(-mpmath.log(mpmath.mpf("0.05"))), rel=1e-14)


@pytest.mark.parametrize("c, rounded, whole", [(0.5, 69_314, 69_315), (0.9, 230_257, 230_258),
                                              (0.95, 299_572, 299_572), (0.99, 460_515, 460_515)])
def test_other_confidence_levels(c, rounded, whole):
    # The brief's table rounds n_c to the nearest draw; the whole number of draws rounds up.
    assert round(sampling.samples_for_confidence_real(1e-5, c)) == rounded
    assert sampling.samples_for_confidence(1e-5, c) == whole


def test_vocabulary_sizes():
    assert round(sampling.samples_for_confidence_real(1 / 50_257)) == 150_555
    assert round(sampling.samples_for_confidence_real(1 / 128_256)) == 384_219
    assert sampling.samples_for_confidence(1 / 50_257) == 150_556
    assert sampling.expected_wait(1e-5) == pytest.approx(100_000)


def test_tiny_pass_rate_uses_log1p():
    p = 1e-12
    expected = math.log(0.05) / math.log1p(-p)
    assert sampling.samples_for_confidence_real(p) == pytest.approx(expected, rel=1e-14)
    assert sampling.samples_for_confidence_real(p) == pytest.approx(-math.log(0.05) / p, rel=1e-11)
    n = sampling.samples_for_confidence(p)
    assert sampling.prob_at_least_one(p, n) >= 0.95 > sampling.prob_at_least_one(p, n - 1)


def test_exact_integer_boundary_is_not_rounded_up():
    # (1 - 1/2)^2 = 1/4 exactly: two draws give exactly 75%.
    assert sampling.samples_for_confidence(0.5, 0.75) == 2
    assert sampling.samples_for_confidence(0.5, 0.5) == 1
    np.testing.assert_array_equal(sampling.samples_for_confidence(np.array([0.5, 0.1]), 0.75), [2, 14])


def test_pass_at_k_table():
    assert sampling.pass_at_k(200, 1, 10) == pytest.approx(0.05, abs=1e-12)
    assert sampling.naive_pass_at_k(200, 1, 10) == pytest.approx(0.0489, abs=5e-5)
    assert sampling.pass_at_k(200, 1, 100) == pytest.approx(0.5, abs=1e-12)
    assert sampling.naive_pass_at_k(200, 1, 100) == pytest.approx(0.3942, abs=5e-5)


def test_pass_at_k_edges_and_large_n():
    assert sampling.pass_at_k(10, 0, 3) == 0.0
    assert sampling.pass_at_k(10, 8, 3) == 1.0  # n - c < k: every 3-subset has a correct sample
    assert sampling.pass_at_k(10, 10, 10) == 1.0
    assert sampling.naive_pass_at_k(10, 10, 3) == 1.0 and sampling.naive_pass_at_k(10, 0, 3) == 0.0
    big = sampling.pass_at_k(10**9, 10**6, 10)
    assert big == pytest.approx(1 - (1 - 1e-3) ** 10, rel=1e-6)
    huge = sampling.pass_at_k(10**12, 5 * 10**11, 10**11)  # too many factors: the Euler–Maclaurin branch
    assert huge == pytest.approx(1.0, abs=1e-15)
    mid = sampling.pass_at_k(10**8, 3 * 10**7, 30)  # 30 factors, exact
    assert mid == pytest.approx(1 - 0.7**30, rel=1e-6)


def test_pass_at_k_vectorised_shapes():
    n = np.array([[10], [20]])
    c = np.array([0, 3, 10])
    out = sampling.pass_at_k(n, c, 2)
    assert out.shape == (2, 3)
    for i, nn in enumerate([10, 20]):
        for j, cc in enumerate([0, 3, 10]):
            assert out[i, j] == pytest.approx(sampling.pass_at_k(nn, cc, 2), abs=1e-15)


def test_goldilocks_peaks():
    peaks = {pk.name: pk for pk in goldilocks.goldilocks_peaks()}
    assert peaks["binary entropy"].argmax == 0.5 and peaks["binary entropy"].peak == pytest.approx(1.0)
    assert peaks["success bits"].argmax == pytest.approx(1 / math.e)
    assert peaks["success bits"].peak == pytest.approx(0.531, abs=5e-4)
    assert peaks["calibrated bits"].argmax == pytest.approx(0.7035, abs=5e-4)
    assert peaks["calibrated bits"].peak == pytest.approx(0.617, abs=5e-4)
    assert peaks["reward variance"].argmax == 0.5 and peaks["reward variance"].peak == 0.25
    grid = np.linspace(1e-6, 1 - 1e-6, 200_001)
    for name, pk in peaks.items():
        values = goldilocks.goldilocks_measures(grid)[name]
        assert abs(grid[np.argmax(values)] - pk.argmax) < 1e-5
        assert values.max() <= pk.peak + 1e-12
    at99 = goldilocks.goldilocks_measures(0.99)
    assert at99["binary entropy"] == pytest.approx(0.0808, abs=1e-4)
    assert at99["success bits"] == pytest.approx(0.0144, abs=1e-4)
    assert at99["odds"] == pytest.approx(99)


def test_graded_reward_bits():
    assert curriculum.max_reward_bits(256) == 8.0
    assert curriculum.max_reward_bits(2) == 1.0
    # two fair parts: count 0, 1, 2 with probabilities 1/4, 1/2, 1/4 -> 1.5 bits
    assert curriculum.graded_reward_bits([0.5, 0.5]) == pytest.approx(1.5)
    # one part: the count is the binary outcome
    assert curriculum.graded_reward_bits([0.3]) == pytest.approx(information.binary_entropy(0.3))
    assert curriculum.graded_reward_bits(np.full(5, 1 / 8)) <= math.log2(6)


def test_rule_of_three_bounds():
    assert sampling.rule_of_three(100) == pytest.approx(-math.log(0.05) / 100)
    ub = sampling.zero_success_upper_bound(100)
    assert (1 - ub) ** 100 == pytest.approx(0.05)
    assert ub < sampling.rule_of_three(100)
    assert sampling.rule_of_three(10**6) / sampling.zero_success_upper_bound(10**6) == pytest.approx(1, abs=1e-5)


# --------------------------------------------------------------------------------------------
# properties


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n), st.integers(1, n))))
def test_pass_at_k_equals_binomial_ratio(case):
    n, c, k = case
    exact = 1 - Fraction(math.comb(n - c, k), math.comb(n, k))
    assert sampling.pass_at_k(n, c, k) == pytest.approx(float(exact), abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_pass_at_1_is_c_over_n(case):
    n, c = case
    assert sampling.pass_at_k(n, c, 1) == pytest.approx(c / n, rel=1e-12, abs=1e-300)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 400).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_pass_at_k_monotone_in_k_and_above_plug_in(case):
    n, c = case
    ks = np.arange(1, n + 1)
    est = sampling.pass_at_k(n, c, ks)
    assert np.all(np.diff(est) >= -1e-12)
    # the unbiased estimate is never below the plug-in (without replacement finds successes faster)
    assert np.all(est >= sampling.naive_pass_at_k(n, c, ks) - 1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 300).flatmap(lambda k: st.tuples(st.just(k), st.integers(0, 50), st.integers(k, 400))))
def test_pass_at_k_monotone_in_c_and_n(case):
    k, c, n = case
    c = min(c, n)
    # more correct samples -> higher; more samples with the same c -> lower
    if c < n:
        assert sampling.pass_at_k(n, c + 1, k) >= sampling.pass_at_k(n, c, k) - 1e-12
    assert sampling.pass_at_k(n + 1, c, k) <= sampling.pass_at_k(n, c, k) + 1e-12


@settings(max_examples=100, deadline=None)
@given(st.floats(1e-12, 0.999), st.integers(0, 10**7))
def test_prob_at_least_one_monotone_in_n(p, n):
    a = sampling.prob_at_least_one(p, n)
    b = sampling.prob_at_least_one(p, n + 1)
    assert 0.0 <= a <= b <= 1.0


@settings(max_examples=100, deadline=None)
@given(st.floats(1e-12, 0.999), st.floats(0.01, 0.999))
def test_samples_for_confidence_is_smallest(p, c):
    n = sampling.samples_for_confidence(p, c)
    assert n >= 1
    assert sampling.prob_at_least_one(p, n) >= c
    if n > 1:
        assert sampling.prob_at_least_one(p, n - 1) < c
    assert sampling.samples_for_confidence_real(p, c) <= n + 1e-9 * n


@settings(max_examples=50, deadline=None)
@given(st.floats(1e-9, 0.5), st.floats(0.5, 0.999))
def test_samples_monotone(p, c):
    # harder tasks and higher confidence need more draws
    assert sampling.samples_for_confidence(p / 2, c) >= sampling.samples_for_confidence(p, c)
    assert sampling.samples_for_confidence(p, min(c + 0.0005, 0.9999)) >= sampling.samples_for_confidence(p, c)


# --------------------------------------------------------------------------------------------
# Monte Carlo agreement at fixed seeds


def test_monte_carlo_at_least_one():
    rng = np.random.default_rng(1)
    for p, n in [(1e-5, 299_572), (0.01, 50), (0.3, 3)]:
        trials = 200_000
        expected = sampling.prob_at_least_one(p, n)
        share = sampling.simulate_at_least_one(p, n, trials, rng=rng)
        assert abs(share - expected) < 4 * math.sqrt(expected * (1 - expected) / trials)  # 4 standard errors


def test_monte_carlo_waiting_time():
    rng = np.random.default_rng(2)
    p = 0.002
    waits = sampling.simulate_waits(p, 200_000, rng=rng)
    assert waits.min() >= 1
    assert abs(waits.mean() - 1 / p) < 4 * math.sqrt(1 - p) / p / math.sqrt(waits.size)
    n95 = sampling.samples_for_confidence(p, 0.95)
    assert abs(np.mean(waits <= n95) - sampling.prob_at_least_one(p, n95)) < 4 * math.sqrt(0.05 * 0.95 / waits.size)


def test_monte_carlo_pass_at_k():
    rng = np.random.default_rng(3)
    mc = sampling.simulate_pass_at_k(0.05, 50, 10, 40_000, rng=rng)
    assert abs(mc["unbiased"] - mc["true"]) < 4 * mc["unbiased_se"]
    assert mc["naive"] < mc["true"] - 10 * mc["unbiased_se"]
    # and the exact expectation of the plug-in matches its Monte Carlo mean
    assert mc["naive"] == pytest.approx(sampling.expected_naive_pass_at_k(0.05, 50, 10), abs=4 * mc["unbiased_se"])


def test_pass_at_k_by_direct_subsampling():
    # draw k of the n samples without replacement and count: matches the estimator
    rng = np.random.default_rng(4)
    n, c, k, trials = 30, 4, 6, 100_000
    labels = np.r_[np.ones(c, bool), np.zeros(n - c, bool)]
    picks = np.argsort(rng.random((trials, n)), axis=1)[:, :k]
    share = labels[picks].any(axis=1).mean()
    est = sampling.pass_at_k(n, c, k)
    assert abs(share - est) < 4 * math.sqrt(est * (1 - est) / trials)


def test_expected_naive_matches_direct_sum():
    from scipy.stats import binom

    n, p, k = 20, 0.1, 7
    direct = sum(binom.pmf(c, n, p) * (1 - (1 - c / n) ** k) for c in range(n + 1))
    assert sampling.expected_naive_pass_at_k(p, n, k) == pytest.approx(direct, rel=1e-12)
    unbiased_mean = sum(binom.pmf(c, n, p) * sampling.pass_at_k(n, c, k) for c in range(n + 1))
    assert unbiased_mean == pytest.approx(1 - (1 - p) ** k, rel=1e-12)  # exactly unbiased


# --------------------------------------------------------------------------------------------
# the curriculum toy


def test_curriculum_beats_fixed_hard_task():
    fixed = curriculum.simulate_curriculum(schedule="fixed", steps=150, runs=8, rng=np.random.default_rng(5))
    cur = curriculum.simulate_curriculum(schedule="curriculum", steps=150, runs=8, rng=np.random.default_rng(5))
    graded = curriculum.simulate_curriculum(schedule="fixed", reward="graded", steps=150, runs=8,
                                          rng=np.random.default_rng(5))
    start = 8.0**-5
    assert fixed.target_pass_rate.shape == (151, 8) and fixed.task_length.shape == (150, 8)
    assert np.allclose(fixed.target_pass_rate[0], start)
    assert (fixed.task_length == 5).all()
    assert np.median(fixed.target_pass_rate[-1]) < 10 * start
    assert np.median(cur.target_pass_rate[-1]) > 0.5
    assert np.median(graded.target_pass_rate[-1]) > 0.5
    assert cur.informative.mean() > 100 * max(fixed.informative.mean(), 0.01)
    assert cur.task_length[0].min() == 1  # starts on the easiest task
    # signal bits: binary reward entropy of the trained task
    np.testing.assert_allclose(cur.signal_bits, information.binary_entropy(cur.train_pass_rate), atol=1e-12)
    assert graded.signal_bits[0, 0] == pytest.approx(curriculum.graded_reward_bits(np.full(5, 1 / 8)))


def test_curriculum_is_reproducible():
    a = curriculum.simulate_curriculum(steps=20, runs=3, rng=np.random.default_rng(9))
    b = curriculum.simulate_curriculum(steps=20, runs=3, rng=np.random.default_rng(9))
    np.testing.assert_array_equal(a.target_pass_rate, b.target_pass_rate)


# --------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize("call, match", [
    (lambda: sampling.pass_at_k(10, 11, 2), "0 <= c <= n"),
    (lambda: sampling.pass_at_k(10, -1, 2), "c must be >= 0"),
    (lambda: sampling.pass_at_k(10, 2, 0), "k must be >= 1"),
    (lambda: sampling.pass_at_k(10, 2, 11), "1 <= k <= n"),
    (lambda: sampling.pass_at_k(10.5, 2, 1), "whole numbers"),
    (lambda: sampling.pass_at_k(10, 2.5, 1), "whole numbers"),
    (lambda: sampling.pass_at_k(0, 0, 1), "n must be >= 1"),
    (lambda: sampling.pass_at_k(True, 0, 1), "whole number"),
    (lambda: sampling.pass_at_k([10, 20], [1, 2, 3], 1), "broadcast"),
    (lambda: sampling.naive_pass_at_k(5, 6, 1), "0 <= c <= n"),
    (lambda: sampling.samples_for_confidence(0.0), "strictly between 0 and 1"),
    (lambda: sampling.samples_for_confidence(1.0), "strictly between 0 and 1"),
    (lambda: sampling.samples_for_confidence(0.1, 1.0), "confidence"),
    (lambda: sampling.samples_for_confidence(0.1, 0.0), "confidence"),
    (lambda: sampling.samples_for_confidence(float("nan")), "p"),
    (lambda: sampling.samples_for_confidence_real(-0.1), "p must lie in"),
    (lambda: sampling.samples_for_confidence(1e-300), "64-bit"),
    (lambda: sampling.prob_at_least_one(1.5, 3), "p must lie in"),
    (lambda: sampling.prob_at_least_one(0.5, -1), "n must be >= 0"),
    (lambda: sampling.prob_at_least_one(0.5, 2.5), "whole numbers"),
    (lambda: sampling.rule_of_three(0), "n must be >= 1"),
    (lambda: sampling.expected_wait(0.0), "p must be > 0"),
    (lambda: sampling.simulate_waits(0.1, 10, rng=0), "numpy.random.Generator"),
    (lambda: curriculum.simulate_curriculum(schedule="random", rng=np.random.default_rng(0)), "schedule"),
    (lambda: curriculum.simulate_curriculum(reward="dense", rng=np.random.default_rng(0)), "reward"),
    (lambda: curriculum.simulate_curriculum(rng=None), "numpy.random.Generator"),
    (lambda: curriculum.graded_reward_bits([[0.1]]), "1-D"),
    (lambda: curriculum.max_reward_bits(0), "levels must be >= 1"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_integers_given_as_floats_are_accepted():
    assert sampling.pass_at_k(200.0, 1.0, 10.0) == pytest.approx(0.05)
    assert sampling.prob_at_least_one(0.5, 2.0) == 0.75


# --------------------------------------------------------------------------------------------
# widget and checkers


def test_sampling_panel_values():
    panel = widgets.sampling_panel(1e-5, 0.95, 10)
    assert panel.n_needed == 299_572
    assert panel.mean_wait == pytest.approx(1e5)
    assert panel.rule_of_three == pytest.approx(-math.log(0.05) / 1e-5)
    assert np.all(np.diff(panel.at_least_one) >= 0) and panel.at_least_one[-1] > 0.95
    assert panel.pass_at_k_k == pytest.approx(1 - (1 - 1e-5) ** 10)
    assert np.all(panel.naive_expected <= panel.true_pass_at_k + 1e-12)  # plug-in biased low
    with pytest.raises(ValueError, match="k must be <="):
        widgets.sampling_panel(0.1, 0.95, 101)
    with pytest.raises(ValueError, match="confidence"):
        widgets.sampling_panel(0.1, 1.5, 10)


def test_draw_sampling_panel_labels_everything():
    fig, axes = plt.subplots(1, 2)
    widgets.draw_sampling_panel(axes, widgets.sampling_panel(0.01, 0.9, 5))
    for ax in axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() and ax.get_legend()
    assert "samples" in axes[0].get_xlabel() and "pass@k" in axes[1].get_ylabel()
    assert "pass rate" not in axes[1].get_ylabel() and "no unit" not in axes[0].get_ylabel()
    plt.close(fig)


def test_sampling_explorer_builds_and_updates():
    control, update = widgets.sampling_explorer()
    assert control is not None
    panel = update(log10_p=-3.0, confidence=0.99, k=20)
    assert panel.n_needed == sampling.samples_for_confidence(1e-3, 0.99) and panel.k == 20
    plt.close("all")


def test_check_samples_for_confidence():
    assert check_samples_for_confidence(299_572, 1e-5).correct
    assert check_samples_for_confidence(46_050, 1e-4, 0.99).correct
    real = sampling.samples_for_confidence_real(1e-5)
    cases = [
        (real, "round it up"),
        (299_571, "Round up, not down"),
        (100_000, "mean waiting time"),
        (300_000, "rule-of-three"),
        (-math.log(0.05) / 1e-5, "rule-of-three"),
        (math.ceil(math.log(0.95) / math.log1p(-1e-5)), "ln(confidence)"),
        (299_800, "Close, but not exact"),
        (12, "Not quite"),
        ("many", "whole number"),
        ("lots", "whole number"),
    ]
    for answer, hint in cases:
        r = check_samples_for_confidence(answer, 1e-5)
        assert not r.correct and hint in r.message, (answer, r.message)
        assert "299,572" not in r.message  # the solution stays hidden
    assert "299,572" in check_samples_for_confidence(5, 1e-5, reveal=True).message
    # for a large p the rule of three is far off and still gets its hint
    assert "rule-of-three" in check_samples_for_confidence(3 / 0.2, 0.2).message


def test_check_pass_at_k():
    assert check_pass_at_k(0.6009, 20, 3, 5).correct
    assert "plug-in" in check_pass_at_k(1 - 0.85**5, 20, 3, 5).message
    assert "c/n" in check_pass_at_k(0.15, 20, 3, 5).message
    assert "subtract it from 1" in check_pass_at_k(1 - 0.6008771929824561, 20, 3, 5).message
    assert "between 0 and 1" in check_pass_at_k(1.3, 20, 3, 5).message
    assert "single probability" in check_pass_at_k("high", 20, 3, 5).message
    assert check_pass_at_k(None, 20, 3, 5).pending  # an untouched exercise is pending, not wrong
    hidden = check_pass_at_k(0.1, 20, 3, 5)
    assert not hidden.correct and "0.6009" not in hidden.message
    assert "0.600877" in check_pass_at_k(0.1, 20, 3, 5, reveal=True).message
    # when c/n coincides with the answer (k = 1), the right answer is not flagged as a mistake
    assert check_pass_at_k(0.15, 20, 3, 1).correct


# --- learning speed against pass rate (the Goldilocks zone of an update rule) --------------------


def _grpo_speed_by_hand(p: float, N: int) -> float:
    """GRPO's first-order speed from the advantages themselves, summed over k with math.comb."""
    total = 0.0
    for k in range(1, N):
        p_hat = k / N
        sd = math.sqrt(p_hat * (1 - p_hat))
        a_correct = (1 - p_hat) / sd  # advantage of each success
        weight = math.comb(N, k) * p**k * (1 - p) ** (N - k)
        total += weight * k * a_correct / N  # the correct logit moves by (1/N) Σ_correct A
    return total * (1 - p)


@pytest.mark.parametrize("p", [0.01, 0.1, 0.293, 0.5, 0.9])
@pytest.mark.parametrize("N", [2, 8, 16])
def test_grpo_speed_matches_the_advantages(p, N):
    assert goldilocks.grpo_speed(p, N) == pytest.approx(_grpo_speed_by_hand(p, N), rel=1e-12)


@given(st.floats(min_value=0.0, max_value=1.0), st.integers(min_value=2, max_value=64))
def test_baseline_speed_closed_form(p, N):
    assert goldilocks.baseline_speed(p, N) == pytest.approx((1 - 1 / N) * p * (1 - p) ** 2, abs=1e-14)


def test_speed_peaks():
    assert goldilocks.speed_argmax("reinforce").argmax == pytest.approx(1 / 3, abs=1e-7)
    assert goldilocks.speed_argmax("reinforce").peak == pytest.approx(4 / 27, rel=1e-12)
    assert goldilocks.speed_argmax("baseline", 8).argmax == pytest.approx(1 / 3, abs=1e-7)
    grpo8 = goldilocks.speed_argmax("grpo", 8)
    grid = np.linspace(0.001, 0.999, 99_801)
    assert grpo8.argmax == pytest.approx(grid[np.argmax(goldilocks.grpo_speed(grid, 8))], abs=2e-5)
    assert 0.28 < grpo8.argmax < 0.31
    # for large groups sqrt(k(N-k))/N -> sqrt(p(1-p)), and sqrt(p)(1-p)^(3/2) peaks at 1/4
    assert goldilocks.speed_argmax("grpo", 4096).argmax == pytest.approx(0.25, abs=2e-3)
    assert goldilocks.grpo_speed(0.0, 8) == 0.0 and goldilocks.grpo_speed(1.0, 8) == 0.0
    with pytest.raises(ValueError, match="measure"):
        goldilocks.speed_argmax("ppo")
    with pytest.raises(ValueError, match="group_size"):
        goldilocks.grpo_speed(0.5, 1)


@pytest.mark.parametrize("method, p", [("grpo", 0.1), ("grpo", 0.3), ("baseline", 0.3)])
def test_group_speed_simulation_agrees(method, p):
    mean, se = goldilocks.simulate_group_speed(p, 8, 100_000, rng=np.random.default_rng(7), method=method)
    exact = goldilocks.grpo_speed(p, 8) if method == "grpo" else goldilocks.baseline_speed(p, 8)
    assert abs(mean - exact) < 5 * se


def test_group_speed_simulation_bad_input():
    with pytest.raises(ValueError, match="method"):
        goldilocks.simulate_group_speed(0.3, 8, 10, rng=np.random.default_rng(0), method="ppo")
    with pytest.raises(ValueError, match="p"):
        goldilocks.simulate_group_speed(1.0, 8, 10, rng=np.random.default_rng(0))


# --- RL as sharpening ---------------------------------------------------------------------------


def test_sharpen():
    pi = np.array([0.5, 0.3, 0.2, 0.0])
    assert np.allclose(sharpening.sharpen(pi, 1.0), pi)
    sharp = sharpening.sharpen(pi, 3.0)
    assert sharp.sum() == pytest.approx(1.0) and sharp[0] > pi[0] and sharp[2] < pi[2] and sharp[3] == 0.0
    assert sharp[0] / sharp[1] == pytest.approx((0.5 / 0.3) ** 3)
    with pytest.raises(ValueError, match="alpha"):
        sharpening.sharpen(pi, 0.0)


def test_mean_pass_at_k():
    rates = np.array([0.0, 0.1, 0.5, 1.0])
    ks = np.array([1, 2, 10])
    direct = [np.mean([1 - (1 - r) ** k for r in rates]) for k in ks]
    assert np.allclose(sharpening.mean_pass_at_k(rates, ks), direct, rtol=1e-14)
    assert sharpening.mean_pass_at_k(rates, 1) == pytest.approx(rates.mean())
    with pytest.raises(ValueError, match="1-D"):
        sharpening.mean_pass_at_k(np.ones((2, 2)) / 2, 1)


def test_pass_at_k_crossing_exact():
    # a model solving one problem at 0.2 against one solving half the problems surely and half never:
    # 1 - 0.8^k = 1/2 at k = ln 2 / ln 1.25
    k = sharpening.pass_at_k_crossing([0.2], [1.0, 0.0])
    assert k == pytest.approx(math.log(2) / math.log(1.25), rel=1e-10)
    with pytest.raises(ValueError, match="do not cross"):
        sharpening.pass_at_k_crossing([0.2], [0.3])


def test_calibrated_problems_and_simulated_pass_at_k():
    probs, right = sharpening.calibrated_problems(300, 6, rng=np.random.default_rng(3))
    assert probs.shape == (300, 6) and right.shape == (300,) and np.allclose(probs.sum(axis=1), 1)
    rates = probs[np.arange(300), right]
    ks = np.array([1, 4, 32])
    mean, se = sharpening.simulate_mean_pass_at_k(probs, right, 64, ks, rng=np.random.default_rng(4))
    exact = np.asarray(sharpening.mean_pass_at_k(rates, ks))
    q = np.asarray(sampling.prob_at_least_one(rates[:, None], ks[None, :]))
    spread = np.sqrt(np.mean(q * (1 - q), axis=0) / 300)  # the estimator's sampling spread is at most this
    assert (np.abs(mean - exact) < 4 * spread).all() and (se > 0).all()
    # calibration: the mean pass rate is the expected probability of a sampled answer, Σ π², up to noise
    assert abs(rates.mean() - np.sum(probs**2, axis=1).mean()) < 4 * rates.std() / math.sqrt(300)
    with pytest.raises(ValueError, match="right"):
        sharpening.simulate_mean_pass_at_k(probs, right[:10], 64, 1, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="n_draws"):
        sharpening.simulate_mean_pass_at_k(probs, right, 8, 16, rng=np.random.default_rng(0))


@pytest.mark.parametrize("n, c, k", [(625 * 10**12, 25 * 10**6, 25 * 10**6), (10**15, 3 * 10**7, 25 * 10**6),
                                     (4 * 10**14, 21 * 10**6, 21 * 10**6), (2 * 10**15, 6 * 10**7, 3 * 10**7)])
def test_pass_at_k_with_very_many_factors_against_mpmath(n, c, k):
    # More than 20 million factors: pass_at_k leaves the exact product. Compare with the binomial ratio
    # C(n-c, k)/C(n, k) evaluated by mpmath's log-gamma at 60 digits, where the answer is far from 0 and 1.
    with mpmath.workdps(60):
        log_ratio = (mpmath.loggamma(n - c + 1) + mpmath.loggamma(n - k + 1) - mpmath.loggamma(n - c - k + 1)
                     - mpmath.loggamma(n + 1))
        expected = float(1 - mpmath.exp(log_ratio))
    assert min(c, k) > 20_000_000 and 0.1 < expected < 0.9
    assert sampling.pass_at_k(n, c, k) == pytest.approx(expected, rel=1e-9)


# --------------------------------------------------------------------------------------------
# the calibrated measure on the pass-rate axis, and speed measured as pass-rate gain (Chapter 4)


@pytest.mark.parametrize("V, dominant, rate", [(10, 0.637, 0.420), (1_000, 0.7025, 0.4936), (100_000, 0.7035, 0.4949)])
def test_calibrated_family_peak_on_the_pass_rate_axis(V, dominant, rate):
    q, r, bits = goldilocks.calibrated_family_peak(V)
    assert q == pytest.approx(dominant, abs=5e-4) and r == pytest.approx(rate, abs=5e-4)
    # independent: Σ π H_b(π) and Σ π² summed over the V answers of the distribution itself
    pi = np.full(V, (1 - q) / (V - 1))
    pi[0] = q
    assert bits == pytest.approx(float(np.sum(pi * information.binary_entropy(pi))), rel=1e-12)
    assert r == pytest.approx(float(np.sum(pi**2)), rel=1e-12)
    grid = np.linspace(1 / V, 1, 200_001)
    assert abs(grid[np.argmax(goldilocks.calibrated_family(grid, V)[0])] - q) < 1e-5


@pytest.mark.parametrize("measure", ["reinforce", "baseline", "grpo"])
def test_pass_rate_gain_peaks_at_one_half(measure):
    p = np.linspace(1e-4, 1 - 1e-4, 100_001)
    gain = np.asarray(goldilocks.pass_rate_gain(p, measure, 8))
    assert abs(p[np.argmax(gain)] - 0.5) < 2e-5
    np.testing.assert_allclose(gain, gain[::-1], rtol=1e-9, atol=1e-15)  # symmetric under p <-> 1 - p
    if measure == "reinforce":
        np.testing.assert_allclose(gain, p**2 * (1 - p) ** 2, rtol=1e-12)
    with pytest.raises(ValueError, match="measure"):
        goldilocks.pass_rate_gain(0.5, "ppo")
