"""Tests of the Chapter 6 training simulator, its per-sample reference, its widget and its checkers."""

import math

import matplotlib

matplotlib.use("Agg")  # this test module draws off-screen; the book build is never run with Agg
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rlbits import exercises, gradients, information, training, widgets
from rlbits.training import _Config, _State, _config, _step


def _state(method: str, V: int, p0: float, rows: int, N: int = 4, lr: float = 0.2) -> tuple[_State, _Config]:
    cfg = _config(method, V, lr, N, rows, 1, 10_000, None, None, 0.5, p0)
    return _State(cfg), cfg


def _dense(st: _State, r: int, V: int) -> np.ndarray:
    """Expand row ``r`` of a compact state into the dense logits (correct token first)."""
    t = int(st.t[r])
    z = np.concatenate([[st.zc[r]], st.T[r, :t], np.repeat(st.pu[r], st.pm[r])])
    assert z.size == V
    return z


# --- exact agreement with Chapter 3's gradients ---


def test_sl_update_matches_the_chapter_3_gradient():
    V, lr, N, p0 = 7, 0.3, 4, 0.2
    st, cfg = _state("sl", V, p0, rows=1, N=N, lr=lr)
    z0 = _dense(st, 0, V)
    pi = gradients.softmax(z0)
    _step(st, cfg, np.ones(1, bool), np.random.default_rng(0), True)
    np.testing.assert_allclose(_dense(st, 0, V), z0 + lr * N * gradients.sl_gradient(pi, 0), atol=1e-12)


def _grpo_mean_step(p: float, N: int) -> float:
    """E[Δz_c] / η for GRPO by enumerating the successes k ~ Binomial(N, p): Σ_k P(k) sqrt(k (N - k)).

    A group with k successes gives each success sqrt((N - k)/k) and the advantages sum to zero, so
    the correct logit rises by k sqrt((N - k)/k) = sqrt(k (N - k)).
    """
    return sum(math.comb(N, k) * p**k * (1 - p) ** (N - k) * math.sqrt(k * (N - k)) for k in range(N + 1))


@pytest.mark.parametrize("method", ["reinforce", "plusminus", "baseline", "grpo"])
def test_rl_updates_match_their_expected_step(method):
    """Mean update of the correct logit over many independent rows against an independent expectation.

    REINFORCE, the constant baseline 1/2 and the leave-one-out baseline: η N p (1 - p) (Chapter 3's
    mean; a baseline that does not depend on the sample leaves it unchanged). GRPO: the enumeration
    over the number of successes above. Tolerance: 4 standard errors of the mean over the rows.
    """
    V, lr, N, p0, rows = 6, 0.2, 4, 0.3, 60_000
    st, cfg = _state(method, V, p0, rows=rows, N=N, lr=lr)
    pi = gradients.softmax(_dense(st, 0, V))
    zc0 = st.zc.copy()
    _step(st, cfg, np.ones(rows, bool), np.random.default_rng(1), skip=False)
    dz = st.zc - zc0
    se = dz.std() / math.sqrt(rows)
    if method == "grpo":
        expected = lr * _grpo_mean_step(p0, N)
    else:
        expected = lr * N * gradients.reinforce_moments(pi, 0).mean[0]
    assert abs(dz.mean() - expected) < 4 * se, (dz.mean(), expected, se)


def test_the_grpo_check_can_fail():
    """The enumeration above differs from REINFORCE's mean by far more than the tolerance."""
    p, N, lr, rows = 0.3, 4, 0.2, 60_000
    assert abs(lr * _grpo_mean_step(p, N) - lr * N * p * (1 - p)) > 20 * lr * 1.5 / math.sqrt(rows)


def test_one_reinforce_success_is_the_sl_step():
    """A live batch of one sample (N = 1) is exactly one SL step: REINFORCE's update given success."""
    V, lr = 9, 0.4
    st, cfg = _state("reinforce", V, 1.0 / V, rows=3, N=1, lr=lr)
    z0 = _dense(st, 0, V)
    _step(st, cfg, np.ones(3, bool), np.random.default_rng(2), skip=True)  # live batch = a success
    expected = z0 + lr * gradients.sl_gradient(gradients.softmax(z0), 0)
    for r in range(3):
        np.testing.assert_allclose(_dense(st, r, V), expected, atol=1e-12)


# --- invariants ---


@pytest.mark.parametrize("method", training.METHODS)
def test_probabilities_stay_normalised_and_counts_add_up(method):
    V = 40
    st, cfg = _state(method, V, 1.0 / V, rows=50, N=8, lr=0.7)
    rng = np.random.default_rng(3)
    for _ in range(30):
        _step(st, cfg, np.ones(50, bool), rng, True)
        assert ((st.t + st.pm.sum(axis=1)) == V - 1).all()
        for r in (0, 17, 49):
            z = _dense(st, r, V)
            pi = gradients.softmax(z)
            assert pi.sum() == pytest.approx(1.0, abs=1e-12)
        nl, sl, rl = st.measures()
        assert np.isfinite(nl).all() and (nl >= -1e-12).all()
        np.testing.assert_allclose(nl, sl)  # no curriculum: the active set is the vocabulary
    z = _dense(st, 0, V)
    pi = gradients.softmax(z)
    assert rl[0] == pytest.approx(information.rl_bits_given_answer(pi, 0), rel=1e-10)
    assert sl[0] == pytest.approx(information.sl_bits_given_answer(pi, 0), rel=1e-10)


def test_rl_bits_compact_matches_chapter_2():
    rng = np.random.default_rng(4)
    probs = rng.dirichlet(np.ones(12))
    # group the last 5 wrong tokens as identical ones of their mean probability
    probs[7:] = probs[7:].mean()
    compact = training.rl_bits_compact(probs[0], np.concatenate([probs[1:7], [probs[7]]]), np.r_[np.ones(6), 5])
    assert compact == pytest.approx(information.rl_bits_given_answer(probs, 0), rel=1e-12)


@pytest.mark.parametrize("method", training.METHODS)
def test_curves_are_sane(method):
    run = training.train(method, 100, 0.5, rng=np.random.default_rng(5), seeds=8, max_samples=3_000)
    assert run.pass_rate.shape == (8, 1, run.samples.size)
    assert ((run.pass_rate > 0) & (run.pass_rate <= 1)).all()
    np.testing.assert_allclose(run.pass_rate[..., 0], 0.01)
    np.testing.assert_allclose(run.neglog2p, -np.log2(run.pass_rate), rtol=1e-12)
    np.testing.assert_allclose(run.sl_bits[..., 0], math.log2(100))
    np.testing.assert_allclose(run.rl_bits[..., 0], information.binary_entropy(0.01))
    assert (np.diff(run.samples) > 0).all() and run.samples[0] == 0
    reach = run.samples_to_reach(0.5)
    assert reach.shape == (8, 1) and ((reach > 0) | np.isinf(reach)).all()


def _sl_steps_to(V: int, lr: float, target: float) -> int:
    """Exact SL steps (batches of one) from uniform to ``target``: the gap d = z_c - z_wrong grows by
    η (1 - p) V / (V - 1) per label (the correct logit rises by η (1 - p), every wrong one falls by
    η (1 - p)/(V - 1)), with p = e^d / (e^d + V - 1)."""
    d, n = 0.0, 0
    while math.exp(d) / (math.exp(d) + V - 1) < target:
        p = math.exp(d) / (math.exp(d) + V - 1)
        d += lr * (1 - p) * V / (V - 1)
        n += 1
    return n


def test_sl_is_deterministic_and_fast_in_log_v():
    for V in (10, 100, 1000):
        run = training.train("sl", V, 0.1, rng=np.random.default_rng(0), seeds=2, batch_size=1, max_samples=10_000)
        np.testing.assert_array_equal(run.samples_to_reach(0.5), _sl_steps_to(V, 0.1, 0.5))
        # and the mean field of the exercise is its continuous limit
        assert _sl_steps_to(V, 0.1, 0.5) == pytest.approx(exercises.samples_to_learn_mean_field(V, 0.1, "sl"), rel=0.08)


def test_stop_and_budget():
    run = training.train("sl", 50, 0.5, rng=np.random.default_rng(6), seeds=2, max_samples=10_000, stop_pass_rate=0.9)
    assert run.stopped.all()
    assert run.pass_rate[..., -1].min() >= 0.9
    run = training.train("reinforce", 10_000, 0.1, rng=np.random.default_rng(6), seeds=4, max_samples=100)
    assert not run.stopped.any()
    # P(a success in 100 samples) = 1 - (1 - 1e-4)^100 ≈ 1%: with this seed none came, so no update may
    # have been applied (a live batch drawn past the budget must be dropped): p stays exactly 1/V.
    np.testing.assert_allclose(run.pass_rate[..., -1], 1e-4, rtol=1e-12)
    assert np.isinf(run.event_samples[1:]).all()


def test_a_seed_reproduces_its_run():
    kw = dict(seeds=6, prompts=2, max_samples=2_000)
    a = training.train("grpo", 60, 0.5, rng=np.random.default_rng(7), **kw)
    b = training.train("grpo", 60, 0.5, rng=np.random.default_rng(7), **kw)
    c = training.train("grpo", 60, 0.5, rng=np.random.default_rng(8), **kw)
    np.testing.assert_array_equal(a.pass_rate, b.pass_rate)
    np.testing.assert_array_equal(a.event_samples, b.event_samples)
    assert not np.array_equal(a.pass_rate, c.pass_rate)


# --- the reference loop and the simulator agree in distribution ---


def _agree(a: training.TrainingRun, b: training.TrainingRun, at: float) -> None:
    """Mean pass rates at ``at`` samples differ by less than 4 combined standard errors."""
    i, j = np.searchsorted(a.samples, at), np.searchsorted(b.samples, at)
    assert a.samples[i] == b.samples[j]
    x, y = a.pass_rate[..., i].ravel(), b.pass_rate[..., j].ravel()
    se = math.sqrt(x.var() / x.size + y.var() / y.size)
    assert se > 0 and abs(x.mean() - y.mean()) < 4 * se, (x.mean(), y.mean(), se)


@pytest.mark.parametrize("method", ["reinforce", "plusminus", "baseline", "grpo"])
def test_reference_and_simulator_agree_in_distribution(method):
    kw = dict(seeds=150, max_samples=160, batch_size=4, stop_pass_rate=0.9)
    a = training.train(method, 12, 0.5, rng=np.random.default_rng(10), **kw)
    b = training.reference_train(method, 12, 0.5, rng=np.random.default_rng(11), **kw)
    for at in (40, 100, 160):
        _agree(a, b, at)
    # touched tokens (grouped exactly, collisions included) agree too
    assert abs(a.touched.mean() - b.touched.mean()) <= 4 * math.hypot(a.touched.std(), b.touched.std()) / math.sqrt(150)


def test_reference_and_simulator_agree_exactly_when_deterministic():
    kw = dict(seeds=2, max_samples=200, batch_size=4, stop_pass_rate=0.95)
    a = training.train("sl", 30, 0.3, rng=np.random.default_rng(0), **kw)
    b = training.reference_train("sl", 30, 0.3, rng=np.random.default_rng(0), **kw)
    np.testing.assert_allclose(a.pass_rate, b.pass_rate, rtol=1e-9)


def test_curriculum_agrees_with_the_reference():
    kw = dict(seeds=120, max_samples=400, batch_size=4, stop_pass_rate=0.9, curriculum=[4, 40])
    a = training.train("reinforce", 40, 0.5, rng=np.random.default_rng(12), **kw)
    b = training.reference_train("reinforce", 40, 0.5, rng=np.random.default_rng(13), **kw)
    for at in (100, 250, 400):
        _agree(a, b, at)


def test_skipping_dead_batches_does_not_change_the_distribution():
    kw = dict(seeds=400, max_samples=3_000, batch_size=8)
    a = training.train("grpo", 200, 0.5, rng=np.random.default_rng(14), **kw)
    b = training.train("grpo", 200, 0.5, rng=np.random.default_rng(15), skip_dead_batches=False, **kw)
    for at in (500, 1_500, 3_000):
        _agree(a, b, at)


# --- bits absorbed, cost model ---


def test_absorbed_bits_add_up_for_sl():
    run = training.train("sl", 1000, 0.2, rng=np.random.default_rng(0), seeds=1, max_samples=5_000)
    table = training.absorbed_vs_pass_rate(run, np.array([0.0, 0.5, 1.0]))
    total = float(np.nansum(table["absorbed"] * table["samples"]))
    assert total == pytest.approx(math.log2(1000) - float(run.neglog2p[0, 0, -1]), rel=1e-9)
    assert (table["sl_available"][0] > table["absorbed"][0])  # SL absorbs far less than the label carries


def test_sample_flops_is_a_range_around_sl():
    """A third of SL's cost (no backward pass) to a little over twice it (extra forward passes, slow decoding)."""
    sl = training.sample_flops("sl")
    assert sl == 6.0 and training.sample_flops("sl", "high") == sl
    assert training.sample_flops("grpo", "low") == pytest.approx(sl / 3)
    assert training.sample_flops("reinforce") == pytest.approx(4 / 3 * sl)
    assert 2 <= training.sample_flops("baseline", "high") / sl <= 2.5
    with pytest.raises(ValueError, match="case"):
        training.sample_flops("grpo", "worst")


# --- bad input ---


@pytest.mark.parametrize("kwargs,match", [
    (dict(method="ppo"), "method"),
    (dict(V=1), "V"),
    (dict(lr=0.0), "lr"),
    (dict(lr=float("nan")), "lr"),
    (dict(method="grpo", batch_size=1), "batch_size"),
    (dict(max_samples=2), "max_samples"),
    (dict(stop_pass_rate=1.5), "stop_pass_rate"),
    (dict(method="distill"), "method"),
    (dict(curriculum=[5, 3, 20]), "curriculum"),
    (dict(curriculum=[5, 10]), "curriculum"),
    (dict(init_pass_rate=1.0), "init_pass_rate"),
    (dict(seeds=0), "seeds"),
])
def test_bad_input_raises_value_error(kwargs, match):
    args = dict(method="reinforce", V=20, lr=0.5, rng=np.random.default_rng(0), max_samples=100)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        training.train(args.pop("method"), args.pop("V"), args.pop("lr"), **args)


def test_rng_must_be_a_generator():
    with pytest.raises(ValueError, match="rng"):
        training.train("sl", 10, 0.5, rng=0)
    with pytest.raises(ValueError, match="target"):
        training.train("sl", 10, 0.5, rng=np.random.default_rng(0), seeds=1, max_samples=20).samples_to_reach(1.0)
    with pytest.raises(ValueError, match="bins"):
        training.absorbed_vs_pass_rate(training.train("sl", 10, 0.5, rng=np.random.default_rng(0), seeds=1,
                                                      max_samples=20), [0.5])


# --- widget ---


def test_training_panel_and_draw():
    panel = widgets.training_panel("reinforce", 1_000, 1.0)
    assert panel.samples.shape == panel.median.shape == panel.low.shape == panel.high.shape
    assert (panel.low <= panel.median + 1e-12).all() and (panel.median <= panel.high + 1e-12).all()
    assert panel.median[0] == pytest.approx(1e-3)
    sl = widgets.training_panel("sl", 1_000, 1.0)
    assert sl.samples_to_half < panel.samples_to_half
    fig, ax = plt.subplots()
    widgets.draw_training_panel(ax, panel)
    assert "samples" in ax.get_xlabel() and "pass rate" in ax.get_ylabel() and ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("REINFORCE" in t for t in labels) and any("SL" in t for t in labels)
    plt.close(fig)


def test_training_panel_bad_input():
    with pytest.raises(ValueError, match="method"):
        widgets.training_panel("ppo", 1_000, 0.3)
    with pytest.raises(ValueError, match="V"):
        widgets.training_panel("sl", 999, 0.3)
    with pytest.raises(ValueError, match="lr"):
        widgets.training_panel("sl", 1_000, 0.25)


def test_training_explorer_builds():
    control, update = widgets.training_explorer()
    assert control is not None
    panel = update("grpo", 100, 1.0)
    assert panel.method == "grpo" and panel.V == 100
    plt.close("all")


# --- checkers ---


def test_check_samples_to_learn():
    exact = exercises.samples_to_learn_mean_field(1000, 0.5, "reinforce")
    assert exercises.check_samples_to_learn(exact, 1000, 0.5)
    assert exercises.check_samples_to_learn(round(exact, -1), 1000, 0.5)
    assert "the answer is" not in repr(exercises.check_samples_to_learn(1.0, 1000, 0.5)).lower()
    assert "answer is" in exercises.check_samples_to_learn(1.0, 1000, 0.5, reveal=True).message
    sl = exercises.samples_to_learn_mean_field(1000, 0.5, "sl")
    assert "other method" in exercises.check_samples_to_learn(sl, 1000, 0.5).message
    assert "step size" in exercises.check_samples_to_learn(exact * 0.5, 1000, 0.5).message
    big = exercises.samples_to_learn_mean_field(1000, 10.0, "reinforce")
    assert "first success" in exercises.check_samples_to_learn(big, 1000, 10.0).message
    assert "first success" not in exercises.check_samples_to_learn(exact, 1000, 0.5).message
    assert not exercises.check_samples_to_learn("lots", 1000, 0.5)
    assert exercises.check_samples_to_learn(sl, 1000, 0.5, "sl")
    with pytest.raises(ValueError):
        exercises.check_samples_to_learn(1, 1000, 0.5, "ppo")


def test_mean_field_scalings():
    for V in (10**3, 10**5):
        assert exercises.samples_to_learn_mean_field(V, 1.0, "reinforce") == pytest.approx(V, rel=0.05)
        assert exercises.samples_to_learn_mean_field(V, 1.0, "sl") == pytest.approx(1 + math.log(V), rel=0.01)


def test_check_bits_absorbed():
    expected = math.log2(1000 * 0.5) / 2000
    assert exercises.check_bits_absorbed(expected, 1000, 0.5, 2000)
    assert "nats" in exercises.check_bits_absorbed(expected * math.log(2), 1000, 0.5, 2000).message
    assert "per sample" in exercises.check_bits_absorbed(math.log2(500), 1000, 0.5, 2000).message
    assert "p = 1" in exercises.check_bits_absorbed(math.log2(1000) / 2000, 1000, 0.5, 2000).message
    assert "signal" in exercises.check_bits_absorbed(information.binary_entropy(1e-3), 1000, 0.5, 2000).message
    assert "elimination" in exercises.check_bits_absorbed(math.log2(1000) / 500.5, 1000, 0.5, 2000).message
    assert "available" not in exercises.check_bits_absorbed(information.binary_entropy(1e-3), 1000, 0.5, 2000).message
    with pytest.raises(ValueError):
        exercises.check_bits_absorbed(1.0, 1000, 0.5, 0)


# --- the simulator against the per-sample reference: whole distributions (KS) ---


def _to_learn(run: training.TrainingRun, target: float) -> np.ndarray:
    return run.samples_to_reach(target).ravel()


@pytest.mark.parametrize("method", ["reinforce", "plusminus", "baseline", "grpo"])
def test_samples_to_learn_have_the_reference_distribution(method):
    """Kolmogorov-Smirnov on samples-to-learn (pass rate 0.5), simulator vs per-sample reference loop."""
    from scipy import stats

    kw = dict(seeds=300, max_samples=400, batch_size=4, stop_pass_rate=0.5)
    a = _to_learn(training.train(method, 12, 0.5, rng=np.random.default_rng(20), **kw), 0.5)
    b = _to_learn(training.reference_train(method, 12, 0.5, rng=np.random.default_rng(21), **kw), 0.5)
    assert np.isfinite(a).all() and np.isfinite(b).all()
    assert stats.ks_2samp(a, b).pvalue > 1e-3


def test_the_ks_check_can_fail():
    """The same KS check tells a halved step size apart: the test above has power."""
    from scipy import stats

    kw = dict(seeds=300, max_samples=800, batch_size=4, stop_pass_rate=0.5)
    a = _to_learn(training.train("reinforce", 12, 0.5, rng=np.random.default_rng(20), **kw), 0.5)
    b = _to_learn(training.reference_train("reinforce", 12, 0.25, rng=np.random.default_rng(21), **kw), 0.5)
    assert stats.ks_2samp(a, b).pvalue < 1e-3


# --- ideal learners, step-size sweeps, intervals ---


def test_ideal_samples_against_monte_carlo():
    rng = np.random.default_rng(30)
    V, n = 50, 40_000
    order = rng.permuted(np.tile(np.arange(V), (n, 1)), axis=1)
    position = np.argmax(order == 0, axis=1) + 1  # tries until the answer, never repeating a guess
    assert position.mean() == pytest.approx(training.ideal_samples(V, "elimination"), rel=0.02)
    guesses = rng.geometric(1 / V, size=n)
    assert guesses.mean() == pytest.approx(training.ideal_samples(V, "guessing"), rel=0.03)
    assert training.ideal_samples(10**6, "sl") == 1.0
    with pytest.raises(ValueError, match="learner"):
        training.ideal_samples(10, "oracle")


def test_first_success_samples_by_enumeration():
    for p, N in ((0.01, 8), (0.3, 4), (1e-6, 8), (1.0, 3)):
        q = (1 - p) ** N
        b = np.arange(1, 200_000)
        series = float(np.sum(N * b * q ** (b - 1) * (1 - q))) if p < 1 else float(N)
        expected = series if p > 1e-5 else N / (1 - q)  # the series is too long to sum at tiny p
        assert training.first_success_samples(p, N) == pytest.approx(expected, rel=1e-9)
    assert training.first_success_samples(1e-6, 8) == pytest.approx(1e6 + 3.5, rel=1e-6)
    with pytest.raises(ValueError, match="p"):
        training.first_success_samples(0.0, 8)


def test_elimination_information_enumerated_and_simulated():
    V = 6
    # exact: average over the answer's position k (1..V) in the order of tries
    for n in range(V + 2):
        bits = [math.log2(V) if k <= n else math.log2(V / (V - n)) for k in range(1, V + 1)]
        assert training.elimination_information(V, n) == pytest.approx(np.mean(bits), abs=1e-12)
    # Monte Carlo at a larger V
    rng = np.random.default_rng(31)
    V, n = 200, 120
    pos = rng.integers(1, V + 1, size=50_000)
    sim = np.where(pos <= n, math.log2(V), math.log2(V / (V - n)))
    assert training.elimination_information(V, n) == pytest.approx(sim.mean(), rel=0.01)
    assert training.elimination_information(V, 10 * V) == pytest.approx(math.log2(V))
    with pytest.raises(ValueError, match="n"):
        training.elimination_information(V, -1)


def test_bootstrap_slope_recovers_a_power_law():
    rng = np.random.default_rng(32)
    x = np.array([10.0, 100.0, 1000.0, 10_000.0])
    exact = np.repeat((3.0 * x ** 0.7)[:, None], 5, axis=1)
    s, lo, hi = training.bootstrap_slope(x, exact, rng=rng, n_boot=200)
    assert s == pytest.approx(0.7) and lo == pytest.approx(0.7) and hi == pytest.approx(0.7)
    noisy = x[:, None] * rng.exponential(size=(4, 400))  # mean proportional to x: slope 1
    s, lo, hi = training.bootstrap_slope(x, noisy, rng=rng, n_boot=500)
    assert lo < 1.0 < hi and hi - lo < 0.2
    with pytest.raises(ValueError, match="finite"):
        training.bootstrap_slope(x, np.full((4, 3), np.inf), rng=rng)


def test_bootstrap_bands_and_ratios():
    rng = np.random.default_rng(33)
    y = rng.normal(size=(400, 3)) + np.array([0.0, 1.0, 2.0])
    mean, lo, hi = training.bootstrap_mean_band(y, rng=rng, n_boot=400)
    assert ((lo < mean) & (mean < hi)).all()
    np.testing.assert_allclose(hi - lo, 2 * 1.96 / 20, rtol=0.25)  # ±1.96 standard errors
    r = training.bootstrap_ratio(np.full((10, 2), 3.0), np.full((10, 2), 2.0), rng=rng, n_boot=50)
    np.testing.assert_allclose(r, 1.5)
    with pytest.raises(ValueError, match="shape"):
        training.bootstrap_ratio(np.ones((3, 2)), np.ones((3, 3)), rng=rng)


def test_lr_sweep_common_random_numbers_and_limits():
    rng = np.random.default_rng(34)
    sl = training.lr_sweep("sl", 1000, [0.1, 1000.0], rng=rng, seeds=4)
    assert (sl[1] == 8).all()  # one batch: the whole climb in one step
    assert sl[0, 0] == pytest.approx(training.samples_to_learn_mean_field(1000, 0.1, "sl"), rel=0.1)
    rl = training.lr_sweep("grpo", 200, [100.0, 1000.0], rng=rng, seeds=64)
    np.testing.assert_array_equal(rl[0], rl[1])  # same stream: the first success decides both
    big = training.lr_sweep("reinforce", 300, [1000.0], rng=np.random.default_rng(35), seeds=2000)[0]
    se = big.std() / math.sqrt(big.size)
    assert abs(big.mean() - training.first_success_samples(1 / 300, 8)) < 4 * se


def test_first_order_speed_against_the_simulator():
    """One batch at a tiny step from p = 0.3 over many rows: mean drop in -log2 p per sample / η."""
    V, N, eta, rows = 2000, 8, 1e-3, 200_000
    for method in ("sl", "reinforce", "grpo"):
        st, cfg = _state(method, V, 0.3, rows=rows, N=N, lr=eta)
        nl0 = st.measures()[0]
        _step(st, cfg, np.ones(rows, bool), np.random.default_rng(36), skip=False)
        drop = (nl0 - st.measures()[0]) / (eta * N)
        se = drop.std() / math.sqrt(rows)
        assert abs(drop.mean() - training.first_order_speed(method, 0.3, N)) < 4 * se + 2e-3, method
    p = np.linspace(0.01, 0.99, 981)
    assert p[np.argmax(training.first_order_speed("reinforce", p))] == pytest.approx(1 / 3, abs=0.002)


# --- invariants of the ideal references and the intervals (hypothesis) ---

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(V=st.integers(2, 10**6), a=st.floats(0, 2e6), b=st.floats(0, 2e6))
def test_elimination_information_is_monotone_and_bounded(V, a, b):
    lo, hi = sorted((a, b))
    i_lo, i_hi = training.elimination_information(V, lo), training.elimination_information(V, hi)
    assert 0 <= i_lo <= i_hi + 1e-12 <= math.log2(V) + 1e-9


@settings(max_examples=60, deadline=None)
@given(p=st.floats(1e-9, 1.0), N=st.integers(1, 64))
def test_first_success_samples_lies_between_its_bounds(p, N):
    """At least one batch and at least 1/p samples; at most 1/p + N (a whole last batch)."""
    n = training.first_success_samples(p, N)
    assert max(N, 1 / p) * (1 - 1e-9) <= n <= (1 / p + N) * (1 + 1e-9)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), S=st.integers(2, 40))
def test_bootstrap_band_brackets_the_mean(seed, S):
    rng = np.random.default_rng(seed)
    y = rng.exponential(size=(S, 3))
    mean, lo, hi = training.bootstrap_mean_band(y, rng=rng, n_boot=200)
    assert (lo <= mean + 1e-12).all() and (mean <= hi + 1e-12).all()
    assert (lo >= y.min(axis=0) - 1e-12).all() and (hi <= y.max(axis=0) + 1e-12).all()
