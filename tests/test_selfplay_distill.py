"""Tests of rlbits.selfplay and rlbits.distill, and of the Chapter 5 widget and checkers."""

import math

import mpmath

import matplotlib

matplotlib.use("Agg")  # this test module draws off-screen; the book build is never run with Agg
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlbits import distill, information, selfplay, widgets
from rlbits.exercises import check_outcome_bits, check_policy_target_bits
from rlbits.distributions import sample_categorical
from rlbits.gradients import softmax

skills = st.floats(min_value=-50, max_value=50, allow_nan=False)


# --- selfplay -----------------------------------------------------------------------------------


@given(skills)
def test_equal_players_win_half_the_time(a):
    assert selfplay.win_probability(a, a) == 0.5


@given(skills, skills)
def test_win_probabilities_of_the_two_players_sum_to_one(a, b):
    w = selfplay.win_probability(a, b)
    assert 0.0 <= w <= 1.0
    assert w + selfplay.win_probability(b, a) == pytest.approx(1.0, abs=1e-12)


def test_win_probability_known_values_and_elo_scale():
    assert selfplay.win_probability(1.0, 0.0) == pytest.approx(1 / (1 + math.exp(-1)))
    # 400 Elo points multiply the odds by 10
    w = selfplay.win_probability(400 / selfplay.ELO_PER_SKILL, 0.0)
    assert w / (1 - w) == pytest.approx(10.0)
    assert selfplay.win_probability(1000.0, 0.0) == 1.0  # no overflow
    assert np.shape(selfplay.win_probability(np.zeros(3), np.zeros((2, 1)))) == (2, 3)


@given(st.floats(min_value=0, max_value=1))
def test_outcome_bits_at_most_one(w):
    bits = selfplay.outcome_bits(w)
    assert 0.0 <= bits <= 1.0 + 1e-12
    with mpmath.workdps(30):  # an independent evaluation of -w log2 w - (1 - w) log2(1 - w)
        wm = mpmath.mpf(w)
        expected = sum(-x * mpmath.log(x, 2) for x in (wm, 1 - wm) if x > 0)
    assert bits == pytest.approx(float(expected), abs=1e-12)


def test_outcome_bits_values():
    assert selfplay.outcome_bits(0.5) == pytest.approx(1.0)
    assert selfplay.outcome_bits(1.0) == 0.0 and selfplay.outcome_bits(0.0) == 0.0


@pytest.mark.parametrize("call, match", [
    (lambda: selfplay.win_probability(np.nan, 0.0), "NaN"),
    (lambda: selfplay.win_probability("strong", 0.0), "numeric|not text"),
    (lambda: selfplay.win_probability(np.zeros(2), np.zeros(3)), "broadcast"),
    (lambda: selfplay.outcome_bits(1.5), r"\[0, 1\]"),
    (lambda: selfplay.simulate_training("mirror", 100, 2, rng=np.random.default_rng(0)), "past"),
    (lambda: selfplay.simulate_training("self", 100, 2, rng=0), "Generator"),
    (lambda: selfplay.simulate_training("self", 100, 0, rng=np.random.default_rng(0)), "n_runs"),
    (lambda: selfplay.simulate_training("self", 4, 2, rng=np.random.default_rng(0)), "n_games"),
    (lambda: selfplay.simulate_training("self", 100, 2, rng=np.random.default_rng(0), games_per_step=1), "games_per_step"),
    (lambda: selfplay.simulate_training("self", 100, 2, rng=np.random.default_rng(0), learning_rate=0), "learning_rate"),
    (lambda: selfplay.simulate_training("self", 100, 2, rng=np.random.default_rng(0), noise=-1), "noise"),
    (lambda: selfplay.simulate_training([1.0, 2.0], 100, 2, rng=np.random.default_rng(0)), "one skill"),
    (lambda: selfplay.expected_step(0.0, noise=0), "noise"),
])
def test_selfplay_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_selfplay_win_rate_is_one_half_in_expectation():
    curves = selfplay.simulate_training("self", 800, 200, rng=np.random.default_rng(3), learning_rate=0.1)
    # every game's win probability is σ(noise · ε), symmetric around 1/2
    overall = curves.win_rate.mean()
    se = curves.win_rate.std() / math.sqrt(curves.win_rate.size)
    assert abs(overall - 0.5) < 5 * se + 1e-3
    assert abs(curves.observed_win_rate.mean() - 0.5) < 0.01
    assert (curves.outcome_bits <= 1.0 + 1e-12).all()


def test_simulation_is_reproducible_and_shaped():
    a = selfplay.simulate_training(3.0, 400, 5, rng=np.random.default_rng(7))
    b = selfplay.simulate_training(3.0, 400, 5, rng=np.random.default_rng(7))
    c = selfplay.simulate_training(3.0, 400, 5, rng=np.random.default_rng(8))
    assert np.array_equal(a.skill, b.skill) and not np.array_equal(a.skill, c.skill)
    assert a.skill.shape == (5, 50) and a.games[-1] == 49 * 8
    assert np.all(a.skill[:, 0] == 0.0)
    assert a.opponent == 3.0
    with pytest.raises(ValueError, match="field"):
        a.mean_and_se("elo")


def test_many_fixed_opponents_at_once_are_each_one_simulation():
    """The vectorised run over several fixed opponents gives, for each, exactly the curves of its own run."""
    fields = ("games", "win_rate", "observed_win_rate", "outcome_bits", "skill", "benchmark_win_rate")
    opponents = [-6.0, -0.5, 0.0, 2.5, 8.0]
    settings = {"n_games": 160, "n_runs": 7, "learning_rate": 0.1, "noise": 0.4}
    together = selfplay._simulate_training_against(opponents, rng=np.random.default_rng(5), **settings)
    for opponent, curves in zip(opponents, together):
        alone = selfplay.simulate_training(opponent, rng=np.random.default_rng(5), **settings)
        assert curves.opponent == alone.opponent == opponent
        for field in fields:
            np.testing.assert_array_equal(getattr(curves, field), getattr(alone, field))
    with pytest.raises(ValueError, match="one at a time"):
        selfplay._simulate_training_against(["self", 1.0], 160, 7, rng=np.random.default_rng(0))


def test_expected_step_closed_form_and_monte_carlo():
    # small noise: lr · w(1 - w)
    gap = np.array([-6.0, -2.0, 0.0, 3.0])
    w = selfplay.win_probability(gap, 0.0)
    assert np.allclose(selfplay.expected_step(gap, noise=1e-3), w * (1 - w), rtol=1e-5)
    # Monte Carlo of one step from many runs against a fixed opponent
    for opp in [0.0, 2.0]:
        curves = selfplay.simulate_training(opp, 16, 200_000, rng=np.random.default_rng(11), games_per_step=8,
                                            learning_rate=1.0, noise=0.5)
        step = curves.skill[:, 1] - curves.skill[:, 0]
        exact = selfplay.expected_step(-opp, noise=0.5)
        assert abs(step.mean() - exact) < 5 * step.std() / math.sqrt(step.size)


def test_strong_opponent_teaches_less_than_self_play():
    rng = np.random.default_rng(0)
    own = selfplay.simulate_training("self", 2000, 50, rng=rng, learning_rate=0.1)
    strong = selfplay.simulate_training(6.0, 2000, 50, rng=rng, learning_rate=0.1)
    weak = selfplay.simulate_training(-3.0, 2000, 50, rng=rng, learning_rate=0.1)
    assert own.skill[:, -1].mean() > 2 * weak.skill[:, -1].mean() > 2 * strong.skill[:, -1].mean()
    assert strong.outcome_bits.mean() < 0.1 < own.outcome_bits.mean()


# --- distill ------------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=2, max_value=12), st.integers(min_value=0, max_value=10_000))
def test_soft_target_cross_entropy_is_minimised_at_the_target(V, seed):
    rng = np.random.default_rng(seed)
    target = rng.dirichlet(np.ones(V))
    at_target = distill.soft_target_cross_entropy(target, target)
    assert at_target == pytest.approx(information.entropy(target))
    others = rng.dirichlet(np.ones(V), size=20)
    ce = distill.soft_target_cross_entropy(target, others)
    assert (ce >= at_target - 1e-12).all()
    assert np.allclose(ce - at_target, information.kl_divergence(target, others))


def test_soft_target_cross_entropy_gradient_vanishes_at_target():
    target = np.array([0.5, 0.3, 0.2])
    z = np.log(target)
    eps = 1e-6
    for i in range(3):
        dz = np.zeros(3)
        dz[i] = eps
        up = distill.soft_target_cross_entropy(target, softmax(z + dz))
        down = distill.soft_target_cross_entropy(target, softmax(z - dz))
        assert abs(up - down) / (2 * eps) < 1e-6


def test_target_information_is_kl_not_entropy():
    V = 362
    uniform = np.full(V, 1 / V)
    assert distill.target_information(uniform, uniform) == pytest.approx(0.0, abs=1e-12)  # maximal entropy, 0 bits
    pi = softmax(np.random.default_rng(0).standard_normal(V))
    onehot = np.eye(V)[7]
    assert distill.target_information(onehot, pi) == pytest.approx(-math.log2(pi[7]), rel=1e-12)
    assert distill.target_information(pi, pi) == pytest.approx(0.0, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=30), st.integers(min_value=0, max_value=2**31 - 1))
def test_target_information_is_cross_entropy_minus_entropy(V, seed):
    g = np.random.default_rng(seed)
    t, pi = g.dirichlet(np.ones(V)), g.dirichlet(np.ones(V))
    kl = distill.target_information(t, pi)
    assert kl >= 0
    assert kl == pytest.approx(distill.soft_target_cross_entropy(t, pi) - information.entropy(t), abs=1e-9)


def test_one_mutual_information_is_finite_on_tiny_marginals():
    # distill uses rlbits.information.mutual_information (it had its own, which returned inf here)
    assert not hasattr(distill, "mutual_information")
    joint = np.array([[1e-200, 0.0], [0.0, 1 - 1e-200]])
    with mpmath.workdps(250):
        tiny = mpmath.mpf("1e-200")
        expected = -tiny * mpmath.log(tiny, 2) - (1 - tiny) * mpmath.log(1 - tiny, 2)  # I = H(X) for a copy
    assert information.mutual_information(joint) == pytest.approx(float(expected), rel=1e-12)
    assert float(expected) == pytest.approx(6.6e-198, rel=0.01)


def test_answer_information_ignores_the_target_entropy():
    V = 362
    prior = np.full(V, 1 / V)
    eps = np.array([0.0, 0.5, 0.99, 1.0])
    tables = distill.smoothed_teacher_targets(V, eps)
    info = [distill.answer_information(prior, tab) for tab in tables]
    assert info[:3] == pytest.approx([math.log2(V)] * 3, rel=1e-12)  # any ε < 1: the argmax still tells C
    assert info[3] == 0.0  # the uniform target carries nothing, though its entropy is log2 V
    assert information.entropy(tables[3][0]) == pytest.approx(math.log2(V))
    # two groups of moves that get the same target: I = H_b(share of the first group)
    targets = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [0.0, 1.0]])
    assert distill.answer_information(np.full(5, 0.2), targets) == pytest.approx(information.binary_entropy(0.4))
    with pytest.raises(ValueError, match="one row per move"):
        distill.answer_information(prior, np.eye(3))


def test_verdict_bits_counts_conditional_information():
    correct = np.array([True, False, True, False, False])
    none = np.zeros(5, dtype=bool)
    q1 = none.copy(); q1[1] = True
    assert distill.verdict_bits(correct, q1, q1) == 0.0  # a verdict already known carries 0 bits
    full = np.ones(5, dtype=bool)
    assert distill.verdict_bits(correct, none, full) == pytest.approx(math.log2(math.comb(5, 2)), rel=1e-12)
    q13 = q1.copy(); q13[3] = True
    step = distill.verdict_bits(correct, none, q1) + distill.verdict_bits(correct, q1, q13)
    assert step == pytest.approx(distill.verdict_bits(correct, none, q13), rel=1e-12)  # bits add up in any order
    # averaged over a uniform prior on the correct pair, one query carries I(C; R) = H_b(2/5)
    sets = [np.isin(np.arange(5), pair) for pair in __import__("itertools").combinations(range(5), 2)]
    mean = np.mean([distill.verdict_bits(c, none, q1) for c in sets])
    assert mean == pytest.approx(information.binary_entropy(0.4), rel=1e-12)
    with pytest.raises(ValueError, match="forgotten"):
        distill.verdict_bits(correct, q1, none)


def test_target_information_about_the_answer_equals_the_verdict_bits():
    # The amplifier's target is a one-to-one function of the verdicts (given the policy and the answers
    # tried), so what it tells about the correct answer is exactly what the verifier revealed.
    V, beta, q0 = 4, 3.0, 0.5
    pi = np.array([0.4, 0.3, 0.2, 0.1])
    tried = np.array([True, True, False, False])
    targets, bits = [], []
    for c in range(V):
        correct = np.eye(V, dtype=bool)[c]
        q = np.where(tried, correct.astype(float), q0)
        targets.append(distill.amplify(pi, q, beta))
        bits.append(distill.verdict_bits(correct, np.zeros(V, dtype=bool), tried))
    prior = np.full(V, 1 / V)
    assert distill.answer_information(prior, np.array(targets)) == pytest.approx(np.mean(bits), rel=1e-12)
    assert np.mean(bits) == pytest.approx(1.5)


def test_soft_target_is_memory_policy_gradient_to_first_order():
    g = np.random.default_rng(4)
    pi, q = g.dirichlet(np.ones(6)), g.random(6)
    pg = pi * (q - pi @ q)
    for beta in (1e-3, 1e-4):
        step = (distill.amplify(pi, q, beta) - pi) / beta
        assert np.max(np.abs(step - pg)) < 2 * beta


def test_consistent_sets():
    assert distill.consistent_sets_log2(16, 2) == pytest.approx(math.log2(120))
    assert distill.consistent_sets_log2(5, 0) == 0.0
    with pytest.raises(ValueError, match="whole numbers"):
        distill.consistent_sets_log2(3, 4)


def test_value_bound():
    assert distill.value_target_bits_bound(1) == 1.0
    with pytest.raises(ValueError, match="n_games"):
        distill.value_target_bits_bound(0)


def test_amplify():
    pi = np.array([0.7, 0.2, 0.1])
    assert np.allclose(distill.amplify(pi, np.zeros(3), 5.0), pi)
    assert np.allclose(distill.amplify(pi, [1.0, 0.0, 0.0], 0.0), pi)
    plus = distill.amplify(pi, [0.0, 1.0, 0.0], 2.0)
    assert plus.sum() == pytest.approx(1.0) and plus[1] > pi[1]
    assert plus[1] / plus[0] == pytest.approx(pi[1] / pi[0] * math.exp(2.0))
    assert distill.amplify([1.0, 0.0], [0.0, 5.0], 3.0)[1] == 0.0  # cannot resurrect an impossible move
    with pytest.raises(ValueError, match="beta"):
        distill.amplify(pi, np.zeros(3), -1.0)
    with pytest.raises(ValueError, match="values"):
        distill.amplify(pi, [np.nan, 0, 0], 1.0)


def test_make_task():
    task = distill.make_task(5, 10, rng=np.random.default_rng(0), n_correct=2)
    assert task.correct.shape == (5, 10) and (task.correct.sum(axis=1) == 2).all()
    # the correct answers are the least likely ones of each prompt
    pi = softmax(task.logits)
    assert (pi[task.correct].reshape(5, 2).max(axis=1) <= pi[~task.correct].reshape(5, 8).min(axis=1)).all()
    assert np.all((task.start_pass_rates > 0) & (task.start_pass_rates < 0.5))
    with pytest.raises(ValueError, match="n_correct"):
        distill.make_task(5, 3, rng=np.random.default_rng(0), n_correct=3)


@pytest.mark.parametrize("kwargs, match", [
    ({"method": "ppo"}, "method"),
    ({"k": 1}, "k"),
    ({"n_runs": 0}, "n_runs"),
    ({"learning_rate": -1.0}, "learning_rate"),
    ({"beta": np.inf}, "beta"),
    ({"rng": 1}, "Generator"),
])
def test_run_learning_bad_input(kwargs, match):
    task = distill.make_task(3, 6, rng=np.random.default_rng(0))
    args = {"method": "soft", "n_iterations": 3, "k": 4, "n_runs": 2, "rng": np.random.default_rng(0)}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        distill.run_learning(task, **args)


def test_run_learning_reproducible_bounds_and_ordering():
    task = distill.make_task(6, 12, rng=np.random.default_rng(2), prior_scale=1.0)
    curves = {m: distill.run_learning(task, m, 30, 4, 60, rng=np.random.default_rng(5), q0=0.5, beta=10.0,
                                      learning_rate=2.0) for m in distill.METHODS}
    again = distill.run_learning(task, "hard", 30, 4, 60, rng=np.random.default_rng(5), q0=0.5, beta=10.0,
                                 learning_rate=2.0)
    assert np.array_equal(again.pass_rate, curves["hard"].pass_rate)
    bound = math.log2(math.comb(12, 2))
    for c in curves.values():
        assert c.pass_rate.shape == (60, 31) and c.samples[-1] == 120
        assert np.allclose(c.pass_rate[:, 0], task.start_pass_rates.mean())
        assert (c.env_bits[:, 0] == 0).all() and (c.env_bits >= 0).all()
        assert (c.env_bits.sum(axis=1) <= bound + 1e-9).all()  # the verifier can tell at most log2 C(V, 2)
        assert (c.target_entropy <= math.log2(12) + 1e-9).all() and (c.target_kl >= 0).all()
    final = {m: c.pass_rate[:, -1].mean() for m, c in curves.items()}
    assert final["soft"] > final["reinforce"]


def test_hard_target_is_the_search_argmax():
    # With beta = 0 the search's choice is the policy's own argmax: no sampling, so every run is identical.
    task = distill.make_task(3, 6, rng=np.random.default_rng(1))
    c = distill.run_learning(task, "hard", 5, 3, 4, rng=np.random.default_rng(0), beta=0.0)
    assert np.ptp(c.pass_rate, axis=0).max() == 0.0
    top = np.argmax(task.logits, axis=1)
    assert (c.target_kl[:, 0] == 0).all()  # column t + 1 holds iteration t's target
    assert np.allclose(c.target_kl[:, 1], np.mean(-np.log2(softmax(task.logits)[np.arange(3), top])))


@pytest.mark.parametrize("method", ["soft", "hard"])
def test_target_kl_is_recorded_for_the_target_trained_on(method):
    # Iteration t trains on amplify(π_t, Q_{t+1}): the verdicts of that iteration are already stored.
    # Rebuild iteration 0 by hand from the same random numbers (run_learning's only use of its rng is
    # sample_categorical(π, k)) and compare. Recording amplify(π_t, Q_t) instead, the residual after the
    # previous update, gives 0 here (Q_0 is constant, so amplify(π_0, Q_0) = π_0).
    task = distill.make_task(5, 8, rng=np.random.default_rng(4), prior_scale=1.0)
    R, k, beta, q0 = 6, 3, 10.0, 0.5
    c = distill.run_learning(task, method, 2, k, R, rng=np.random.default_rng(12), beta=beta, q0=q0)
    pi = np.broadcast_to(softmax(task.logits), (R, 5, 8))
    a = sample_categorical(pi, k, rng=np.random.default_rng(12))
    q = np.full((R, 5, 8), q0)
    for r in range(R):
        for m in range(5):
            for ans in a[r, m]:
                q[r, m, ans] = float(task.correct[m, ans])
    w = pi * np.exp(beta * q)
    plus = w / w.sum(axis=-1, keepdims=True)
    if method == "soft":
        expected = np.sum(plus * np.log2(plus / pi), axis=-1).mean(axis=1)
    else:
        best = np.argmax(plus, axis=-1)
        expected = -np.log2(np.take_along_axis(pi, best[..., None], axis=-1)[..., 0]).mean(axis=1)
    assert (expected > 0.1).all()
    np.testing.assert_allclose(c.target_kl[:, 1], expected, rtol=1e-10)
    assert (c.target_kl[:, 0] == 0).all() and (c.target_entropy[:, 0] == 0).all()


def test_soft_expert_iteration_does_nothing_without_amplification():
    task = distill.make_task(4, 8, rng=np.random.default_rng(1))
    c = distill.run_learning(task, "soft", 5, 3, 4, rng=np.random.default_rng(0), beta=0.0, q0=0.5)
    assert np.allclose(c.pass_rate, task.start_pass_rates.mean())


def test_reinforce_expected_update_matches_closed_form():
    # One REINFORCE step from many runs: the mean change of the logits is lr · π_a (R_a - p) (k-sample,
    # leave-one-out baseline is unbiased).
    task = distill.make_task(1, 5, rng=np.random.default_rng(3), n_correct=1, prior_scale=0.5)
    pi = softmax(task.logits[0])
    R = task.correct[0].astype(float)
    p = float(pi @ R)
    runs, lr = 100_000, 1e-3
    c = distill.run_learning(task, "reinforce", 1, 4, runs, rng=np.random.default_rng(9), learning_rate=lr)
    # to first order in lr the pass rate moves by lr · ∇_z p · E[Δz] = lr · Σ_a (π_a (R_a - p))²
    predicted = float(np.sum((pi * (R - p)) ** 2))
    change = (c.pass_rate[:, 1] - p) / lr
    se = change.std() / math.sqrt(runs)
    assert abs(change.mean() - predicted) < 5 * se + 0.01 * predicted


# --- widget and checkers ------------------------------------------------------------------------


def test_selfplay_panel_and_draw():
    panel = widgets.selfplay_panel(6.0)
    assert panel.self_skill[-1] > panel.fixed_skill[-1]
    assert (panel.self_bits <= 1.0).all() and panel.fixed_bits.mean() < panel.self_bits.mean()
    fig, axes = plt.subplots(1, 2)
    widgets.draw_selfplay_panel(axes, panel)
    assert "bits" in axes[1].get_ylabel() and "skill" in axes[0].get_ylabel()
    assert all(ax.get_title() and ax.get_legend() and ax.get_xlabel() for ax in axes)
    plt.close(fig)
    with pytest.raises(ValueError, match="opponent"):
        widgets.selfplay_panel(np.inf)


def test_selfplay_explorer_builds_and_updates():
    # Redraw speed is measured by the benchmark suite (python -m benchmarks), never by a timed test.
    control, update = widgets.selfplay_explorer()
    assert control is not None
    panel = update(opponent=2.5)
    assert panel.opponent == 2.5
    plt.close("all")


def test_check_outcome_bits():
    assert check_outcome_bits(1.0, 0.5).correct
    assert check_outcome_bits(0.0808, 0.99).correct
    r = check_outcome_bits(0.0808 * math.log(2), 0.99)
    assert not r.correct and "nats" in r.message
    r = check_outcome_bits(-math.log2(0.01), 0.01)
    assert not r.correct and "win alone" in r.message
    r = check_outcome_bits(1.0, 0.99)
    assert not r.correct and "maximum" in r.message and "0.08" not in r.message
    assert "0.0807" in check_outcome_bits(None, 0.99, reveal=True).message
    with pytest.raises(ValueError):
        check_outcome_bits(1.0, 1.5)


def test_check_policy_target_bits():
    V = 82
    uniform = np.full(V, 1 / V)
    target = np.full(V, 0.5 / 81)
    target[0] = 0.5
    expected = math.log2(82) - (1 + 0.5 * math.log2(81))
    assert check_policy_target_bits(round(expected, 4), target, uniform).correct
    assert check_policy_target_bits(0.0, uniform, uniform).correct  # a uniform target tells a uniform learner nothing
    r = check_policy_target_bits(float(information.entropy(target)), target, uniform)
    assert not r.correct and "entropy of the target" in r.message
    skewed = softmax(np.arange(82.0) / 10)
    cross = float(information.cross_entropy(target, skewed))
    assert "cross-entropy" in check_policy_target_bits(cross, target, skewed).message
    assert "wrong way round" in check_policy_target_bits(float(information.kl_divergence(skewed, target)), target,
                                                         skewed).message
    assert "log2 V" in check_policy_target_bits(math.log2(82), target, skewed).message
    assert "nats" in check_policy_target_bits(expected * math.log(2), target, uniform).message
    assert f"{expected:.4f}"[:4] in check_policy_target_bits(3, target, uniform, reveal=True).message
    assert f"{expected:.4f}"[:4] not in check_policy_target_bits(3, target, uniform).message
    with pytest.raises(ValueError):
        check_policy_target_bits(1.0, [0.5, 0.6], [0.5, 0.5])


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=2, max_value=20), st.integers(min_value=0, max_value=2**31 - 1))
def test_verdict_bits_add_up_and_are_bounded(V, seed):
    g = np.random.default_rng(seed)
    c = int(g.integers(1, V))
    correct = np.zeros(V, dtype=bool)
    correct[g.choice(V, size=c, replace=False)] = True
    order = g.permutation(V)
    masks = [np.isin(np.arange(V), order[:j]) for j in range(V + 1)]  # reveal one answer at a time
    steps = [float(distill.verdict_bits(correct, masks[j], masks[j + 1])) for j in range(V)]
    total = math.log2(math.comb(V, c))
    assert min(steps) >= 0 and sum(steps) == pytest.approx(total, abs=1e-9)
    assert float(distill.verdict_bits(correct, masks[0], masks[-1])) == pytest.approx(total, abs=1e-9)
    assert float(distill.verdict_bits(correct, masks[3 % V], masks[3 % V])) == 0.0


def test_elimination_reference():
    assert distill.elimination_queries(16, 2) == pytest.approx(17 / 3)
    assert distill.elimination_queries(5, 1) == 3.0  # (V + 1)/2 with one correct answer
    # exact by enumeration of all orders of 5 answers, 2 correct
    import itertools
    firsts = [next(i for i, a in enumerate(order) if a < 2) + 1 for order in itertools.permutations(range(5))]
    assert np.mean(firsts) == pytest.approx(distill.elimination_queries(5, 2), rel=1e-12)
    sims = distill.simulate_elimination(16, 2, 200_000, rng=np.random.default_rng(0))
    assert abs(sims.mean() - 17 / 3) < 5 * sims.std() / math.sqrt(sims.size)
    assert sims.min() == 1 and sims.max() <= 15
    with pytest.raises(ValueError, match="n_correct"):
        distill.elimination_queries(3, 4)


def test_mean_and_se_against_a_direct_computation():
    from rlbits.summary import mean_and_se
    x = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 7.0]])
    mean, se = mean_and_se(x)
    np.testing.assert_allclose(mean, [3.0, 5.0])
    np.testing.assert_allclose(se, [2.0 / math.sqrt(3), math.sqrt(7.0) / math.sqrt(3)])  # sample sd 2 and sqrt(7)
    assert mean_and_se(np.ones((1, 3)))[1].tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="NaN"):
        mean_and_se([1.0, np.nan])
    with pytest.raises(ValueError, match="axis"):
        mean_and_se(x, axis=2)


def test_random_ranks_joined_tasks_and_sweep():
    task = distill.make_task(400, 8, rng=np.random.default_rng(0), n_correct=2, correct_ranks="random")
    # with random ranks each answer rank is equally likely to be correct: 2 of 8 at every rank on average
    ranks = np.argsort(np.argsort(task.logits, axis=1), axis=1)
    share = np.array([task.correct[ranks == r].mean() for r in range(8)])
    assert np.all(np.abs(share - 0.25) < 4 * math.sqrt(0.25 * 0.75 / 400))
    lowest = distill.make_task(5, 8, rng=np.random.default_rng(0))
    assert (lowest.correct == (np.argsort(np.argsort(lowest.logits, axis=1), axis=1) < 2)).all()
    both = distill.join_tasks([lowest, task])
    assert both.correct.shape == (405, 8) and np.array_equal(both.logits[5:], task.logits)
    score, se = distill.sweep(lowest, "soft", [1.0, 4.0], [10.0], 5, 3, 4, seed=2)
    # the grid is one simulation with per-run settings: runs 4..7 are the second step size
    again = distill.run_learning(lowest, "soft", 5, 3, 8, rng=np.random.default_rng(2),
                                 learning_rate=np.repeat([1.0, 4.0], 4), beta=10.0, q0=0.5)
    second = again.pass_rate[4:].mean(axis=1)
    assert score.shape == (1, 2) and score[0, 1] == pytest.approx(second.mean(), rel=1e-12)
    assert se[0, 1] == pytest.approx(second.std(ddof=1) / 2, rel=1e-12)
    # a per-run step size gives each run exactly what a run with that step alone would do (the same draws)
    alone = distill.run_learning(lowest, "hard", 5, 3, 1, rng=np.random.default_rng(3), learning_rate=4.0, beta=10.0)
    mixed = distill.run_learning(lowest, "hard", 5, 3, 1, rng=np.random.default_rng(3), learning_rate=[4.0],
                                 beta=[10.0])
    np.testing.assert_array_equal(alone.pass_rate, mixed.pass_rate)
    with pytest.raises(ValueError, match="learning_rate"):
        distill.run_learning(lowest, "soft", 2, 3, 2, rng=np.random.default_rng(0), learning_rate=[1.0, -1.0])
    with pytest.raises(ValueError, match="correct_ranks"):
        distill.make_task(3, 4, rng=np.random.default_rng(0), correct_ranks="middle")
    with pytest.raises(ValueError, match="same number of answers"):
        distill.join_tasks([lowest, distill.make_task(2, 5, rng=np.random.default_rng(0))])
