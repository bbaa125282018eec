"""Tests of rlbits.selfplay and rlbits.distill, and of the Chapter 5 widget and checkers."""

import math

import matplotlib

matplotlib.use("Agg")  # this test module draws off-screen; the book build is never run with Agg
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlbits import distill, information, selfplay, widgets
from rlbits.exercises import check_outcome_bits, check_policy_target_bits
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
    assert bits == pytest.approx(information.binary_entropy(w))


def test_outcome_bits_values():
    assert selfplay.outcome_bits(0.5) == pytest.approx(1.0)
    assert selfplay.outcome_bits(1.0) == 0.0 and selfplay.outcome_bits(0.0) == 0.0


@pytest.mark.parametrize("call, match", [
    (lambda: selfplay.win_probability(np.nan, 0.0), "NaN"),
    (lambda: selfplay.win_probability("strong", 0.0), "numeric"),
    (lambda: selfplay.win_probability(np.zeros(2), np.zeros(3)), "broadcast"),
    (lambda: selfplay.outcome_bits(1.5), r"\[0, 1\]"),
    (lambda: selfplay.simulate_training("mirror", 100, 2, np.random.default_rng(0)), "past"),
    (lambda: selfplay.simulate_training("self", 100, 2, 0), "Generator"),
    (lambda: selfplay.simulate_training("self", 100, 0, np.random.default_rng(0)), "n_runs"),
    (lambda: selfplay.simulate_training("self", 4, 2, np.random.default_rng(0)), "n_games"),
    (lambda: selfplay.simulate_training("self", 100, 2, np.random.default_rng(0), games_per_step=1), "games_per_step"),
    (lambda: selfplay.simulate_training("self", 100, 2, np.random.default_rng(0), learning_rate=0), "learning_rate"),
    (lambda: selfplay.simulate_training("self", 100, 2, np.random.default_rng(0), noise=-1), "noise"),
    (lambda: selfplay.simulate_training([1.0, 2.0], 100, 2, np.random.default_rng(0)), "one skill"),
    (lambda: selfplay.expected_step(0.0, noise=0), "noise"),
])
def test_selfplay_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_selfplay_win_rate_is_one_half_in_expectation():
    curves = selfplay.simulate_training("self", 800, 200, np.random.default_rng(3), learning_rate=0.1)
    # every game's win probability is σ(noise · ε), symmetric around 1/2
    overall = curves.win_rate.mean()
    se = curves.win_rate.std() / math.sqrt(curves.win_rate.size)
    assert abs(overall - 0.5) < 5 * se + 1e-3
    assert abs(curves.observed_win_rate.mean() - 0.5) < 0.01
    assert (curves.outcome_bits <= 1.0 + 1e-12).all()


def test_simulation_is_reproducible_and_shaped():
    a = selfplay.simulate_training(3.0, 400, 5, np.random.default_rng(7))
    b = selfplay.simulate_training(3.0, 400, 5, np.random.default_rng(7))
    c = selfplay.simulate_training(3.0, 400, 5, np.random.default_rng(8))
    assert np.array_equal(a.skill, b.skill) and not np.array_equal(a.skill, c.skill)
    assert a.skill.shape == (5, 50) and a.games[-1] == 49 * 8
    assert np.all(a.skill[:, 0] == 0.0)
    assert a.opponent == 3.0
    with pytest.raises(ValueError, match="field"):
        a.mean_and_se("elo")


def test_expected_step_closed_form_and_monte_carlo():
    # small noise: lr · w(1 - w)
    gap = np.array([-6.0, -2.0, 0.0, 3.0])
    w = selfplay.win_probability(gap, 0.0)
    assert np.allclose(selfplay.expected_step(gap, noise=1e-3), w * (1 - w), rtol=1e-5)
    # Monte Carlo of one step from many runs against a fixed opponent
    for opp in [0.0, 2.0]:
        curves = selfplay.simulate_training(opp, 16, 200_000, np.random.default_rng(11), games_per_step=8,
                                            learning_rate=1.0, noise=0.5)
        step = curves.skill[:, 1] - curves.skill[:, 0]
        exact = selfplay.expected_step(-opp, noise=0.5)
        assert abs(step.mean() - exact) < 5 * step.std() / math.sqrt(step.size)


def test_strong_opponent_teaches_less_than_self_play():
    rng = np.random.default_rng(0)
    own = selfplay.simulate_training("self", 2000, 50, rng, learning_rate=0.1)
    strong = selfplay.simulate_training(6.0, 2000, 50, rng, learning_rate=0.1)
    weak = selfplay.simulate_training(-3.0, 2000, 50, rng, learning_rate=0.1)
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


def test_go_numbers():
    assert distill.policy_target_bits_bound(362) == pytest.approx(8.4998, abs=1e-4)
    assert round(distill.policy_target_bits_bound(362), 2) == 8.50
    assert distill.policy_target_bits_bound(362, 150) == pytest.approx(1275, abs=0.5)
    assert distill.policy_target_bits_bound(362, 250) == pytest.approx(2125, abs=0.5)
    assert distill.value_target_bits_bound(1) == 1.0
    with pytest.raises(ValueError, match="n_moves"):
        distill.policy_target_bits_bound(0)


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
    task = distill.make_task(5, 10, np.random.default_rng(0), n_correct=2)
    assert task.correct.shape == (5, 10) and (task.correct.sum(axis=1) == 2).all()
    # the correct answers are the least likely ones of each prompt
    pi = softmax(task.logits)
    assert (pi[task.correct].reshape(5, 2).max(axis=1) <= pi[~task.correct].reshape(5, 8).min(axis=1)).all()
    assert np.all((task.start_pass_rates > 0) & (task.start_pass_rates < 0.5))
    with pytest.raises(ValueError, match="n_correct"):
        distill.make_task(5, 3, np.random.default_rng(0), n_correct=3)


@pytest.mark.parametrize("kwargs, match", [
    ({"method": "ppo"}, "method"),
    ({"k": 1}, "k"),
    ({"n_runs": 0}, "n_runs"),
    ({"learning_rate": -1.0}, "learning_rate"),
    ({"beta": np.inf}, "beta"),
    ({"rng": 1}, "Generator"),
])
def test_run_learning_bad_input(kwargs, match):
    task = distill.make_task(3, 6, np.random.default_rng(0))
    args = {"method": "soft", "n_iterations": 3, "k": 4, "n_runs": 2, "rng": np.random.default_rng(0)}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        distill.run_learning(task, **args)


def test_run_learning_reproducible_bounds_and_ordering():
    task = distill.make_task(6, 12, np.random.default_rng(2), prior_scale=1.0)
    curves = {m: distill.run_learning(task, m, 30, 4, 60, np.random.default_rng(5), q0=0.5)
              for m in distill.METHODS}
    again = distill.run_learning(task, "hard", 30, 4, 60, np.random.default_rng(5), q0=0.5)
    assert np.array_equal(again.pass_rate, curves["hard"].pass_rate)
    for c in curves.values():
        assert c.pass_rate.shape == (60, 31) and c.samples[-1] == 120
        assert np.allclose(c.pass_rate[:, 0], task.start_pass_rates.mean())
        assert (c.outcome_bits <= 1 + 1e-12).all()
        assert (c.soft_bits <= math.log2(12) + 1e-9).all()
        assert (c.hard_bits >= c.soft_bits - 1e-9).all()  # cross-entropy >= entropy
    final = {m: c.pass_rate[:, -1].mean() for m, c in curves.items()}
    assert final["soft"] > final["reinforce"]


def test_soft_expert_iteration_does_nothing_without_amplification():
    task = distill.make_task(4, 8, np.random.default_rng(1))
    c = distill.run_learning(task, "soft", 5, 3, 4, np.random.default_rng(0), beta=0.0, q0=0.5)
    assert np.allclose(c.pass_rate, task.start_pass_rates.mean())


def test_reinforce_expected_update_matches_closed_form():
    # One REINFORCE step from many runs: the mean change of the logits is lr · π_a (R_a - p) (k-sample,
    # leave-one-out baseline is unbiased).
    task = distill.make_task(1, 5, np.random.default_rng(3), n_correct=1, prior_scale=0.5)
    pi = softmax(task.logits[0])
    R = task.correct[0].astype(float)
    p = float(pi @ R)
    runs, lr = 100_000, 1e-3
    c = distill.run_learning(task, "reinforce", 1, 4, runs, np.random.default_rng(9), learning_rate=lr)
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
    assert check_policy_target_bits(8.4998, 362).correct
    for wrong, hint in [(8.4998 * math.log(2), "nats"), (362, "number of moves"), (1, "binary outcome"),
                        (361, "free parameters")]:
        r = check_policy_target_bits(wrong, 362)
        assert not r.correct and hint in r.message and "8.4998" not in r.message
    assert "8.49" in check_policy_target_bits(3, 362, reveal=True).message
    with pytest.raises(ValueError):
        check_policy_target_bits(1.0, 1)
