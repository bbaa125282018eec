"""Tests of the Chapter 6 shared-parameter model (a linear softmax policy over prompt features)."""

import json
import math

import numpy as np
import pytest

from rlbits import features, gradients, training


def _task(V=6, d=3, P=12, Q=20, seed=0, one_hot=False, draws=1, teacher="linear"):
    return features.make_task(P, V, n_features=d, n_held_out=Q, draws=draws, rng=np.random.default_rng(seed),
                              one_hot=one_hot, teacher=teacher)


def test_task_answers_follow_the_teacher():
    t = _task(V=9, d=4, P=50, Q=30, draws=2)
    assert t.train_x.shape == (2, 50, 4) and t.test_x.shape == (2, 30, 4) and t.d == 4 and t.draws == 2
    np.testing.assert_allclose(np.linalg.norm(t.train_x, axis=-1), 1.0)
    for k in range(2):
        for x, y in zip(t.test_x[k], t.test_y[k]):
            assert y == int(np.argmax([t.teacher[k, j] @ x for j in range(9)]))
    m = _task(V=9, d=4, P=50, Q=30, teacher="misspecified")
    for x, y in zip(m.train_x[0], m.train_y[0]):
        assert y == int(np.argmax([abs(m.teacher[0, j] @ x) for j in range(9)]))
    # the misspecified answer of x and of -x is the same: no linear policy can prefer it on both
    assert m.kind == "misspecified" and t.kind == "linear"


def test_select_and_effective_answers():
    t = _task(V=5, P=40, Q=40, draws=3)
    s = t.select(np.array([2, 0, 2]))
    np.testing.assert_array_equal(s.train_y[0], t.train_y[2])
    np.testing.assert_array_equal(s.test_x[1], t.test_x[0])
    eff = features.effective_answers(t)
    for k in range(3):  # 2^H of the answer frequencies, by a loop
        y = np.concatenate([t.train_y[k], t.test_y[k]])
        f = np.array([np.mean(y == a) for a in range(5)])
        h = -sum(q * math.log2(q) for q in f if q > 0)
        assert eff[k] == pytest.approx(2**h, rel=1e-12)
    assert (eff >= 1).all() and (eff <= 5 + 1e-12).all()
    with pytest.raises(ValueError, match="draws"):
        t.select(np.array([3]))


def test_pass_rates_against_a_loop():
    rng = np.random.default_rng(1)
    t = _task()
    W = rng.normal(size=(3, 6, 3))
    x, y = t.train_x[0], t.train_y[0]
    direct = [[math.exp((W[s] @ xi)[yi]) / np.exp(W[s] @ xi).sum() for xi, yi in zip(x, y)] for s in range(3)]
    np.testing.assert_allclose(features.prompt_pass_rates(W, x, y), direct, rtol=1e-12)
    np.testing.assert_allclose(features.pass_rates(W, x, y), np.mean(direct, axis=1), rtol=1e-12)
    with pytest.raises(ValueError, match="shapes"):
        features.pass_rates(W, x[:, :2], y)


def test_step_cosine_against_dense_sums():
    rng = np.random.default_rng(2)
    t = _task(V=5, d=4, P=15)
    W = rng.normal(size=(2, 5, 4))
    x, y = t.train_x[0], t.train_y[0]
    for s in range(2):
        sl, rl = np.zeros((5, 4)), np.zeros((5, 4))
        for xi, yi in zip(x, y):
            pi = gradients.softmax(W[s] @ xi)
            g = np.outer(gradients.sl_gradient(pi, yi), xi)
            sl += g
            rl += pi[yi] * g
        expected = (sl * rl).sum() / (np.linalg.norm(sl) * np.linalg.norm(rl))
        assert features.step_cosine(W, x, y)[s] == pytest.approx(expected, rel=1e-12)
    # equal pass rates on every prompt (W = 0): the two steps are parallel
    np.testing.assert_allclose(features.step_cosine(np.zeros((1, 5, 4)), x, y), 1.0)


@pytest.mark.parametrize("method", features.SHARED_METHODS)
def test_vectorised_and_per_sample_loop_follow_the_same_trajectory(method):
    """Every method, two draws with their own step sizes: the same random numbers give the same run."""
    t = _task(V=5, d=3, P=10, Q=10, draws=2)
    kw = dict(seeds=3, prompts_per_step=4, group=4, max_samples=16 * 30, evals=10)
    a = features.train_shared(method, t, [2.0, 3.0], rng=np.random.default_rng(7), **kw)
    b = features.reference_train_shared(method, t, [2.0, 3.0], rng=np.random.default_rng(7), **kw)
    np.testing.assert_array_equal(a.samples, b.samples)
    assert a.train_pass.shape == (2, 3, a.samples.size)
    np.testing.assert_allclose(a.train_pass, b.train_pass, atol=1e-9)
    np.testing.assert_allclose(a.test_pass, b.test_pass, atol=1e-9)
    np.testing.assert_allclose(a.W_at_stop, b.W_at_stop, atol=1e-9)
    assert a.train_pass[..., -1].mean() > 1 / 5  # it learned something


@pytest.mark.parametrize("method", features.SHARED_METHODS)
def test_the_reference_matches_with_more_answers_than_samples_and_a_misspecified_teacher(method):
    """The scattered advantages (several samples of one answer in a group, most answers unsampled) match
    the per-sample loop without rounding (the loop sums in another order: agreement to 1e-9), for every method."""
    t = _task(V=23, d=4, P=12, Q=10, draws=2, seed=4, teacher="misspecified")
    kw = dict(seeds=2, prompts_per_step=3, group=5, max_samples=15 * 25, evals=8, decimals=None)
    a = features.train_shared(method, t, [4.0, 20.0], rng=np.random.default_rng(8), **kw)
    b = features.reference_train_shared(method, t, [4.0, 20.0], rng=np.random.default_rng(8), **kw)
    np.testing.assert_array_equal(a.samples, b.samples)
    np.testing.assert_allclose(a.test_pass, b.test_pass, atol=1e-9)
    np.testing.assert_allclose(a.W_at_stop, b.W_at_stop, atol=1e-9)
    assert a.test_pass[..., -1].max() > 1 / 23  # it moved


def test_sl_counts_one_label_per_prompt_visit():
    """SL with prompts_per_step B uses B samples a step, and its step is one label's gradient."""
    t = _task(V=4, d=3, P=1, Q=1)
    run = features.train_shared("sl", t, 0.5, rng=np.random.default_rng(3), seeds=1, prompts_per_step=1,
                                max_samples=1, evals=2, decimals=None)
    assert run.samples[-1] == 1
    x, y = t.train_x[0, 0], int(t.train_y[0, 0])
    W = 0.5 * np.outer(gradients.sl_gradient(np.full(4, 0.25), y), x)  # one step from W = 0
    expected = gradients.softmax(W @ x)[y]
    assert run.train_pass[0, 0, -1] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("method", ["reinforce", "plusminus", "baseline", "grpo"])
def test_samples_to_learn_have_the_reference_distribution(method):
    """Kolmogorov-Smirnov on samples to a held-out pass rate, with independent random numbers."""
    from scipy import stats

    t = _task(V=4, d=3, P=16, Q=40, seed=3)
    kw = dict(prompts_per_step=2, group=4, max_samples=8 * 60, evals=60, stop_at=0.35)
    a = features.train_shared(method, t, 3.0, rng=np.random.default_rng(10), seeds=200, **kw).samples_to_reach(0.35)
    b = features.reference_train_shared(method, t, 3.0, rng=np.random.default_rng(11), seeds=200, **kw).samples_to_reach(0.35)
    a, b = np.minimum(a, 1e6).ravel(), np.minimum(b, 1e6).ravel()  # never reached: one value, the same on both sides
    assert stats.ks_2samp(a, b).pvalue > 1e-3


def test_the_expected_rl_step_is_the_pass_rate_times_the_sl_step():
    """One step from W = 0 on one prompt: the mean change of the pass rate for REINFORCE (and the baseline
    1/2, and the leave-one-out baseline) is p = 1/V times SL's per sample, to first order in a small step.

    SL's one-label step (learning rate lr, one sample) against G RL samples at lr / G: equal in expectation
    after dividing by p. Tolerance: 4 standard errors of the mean over S runs, plus the second-order term
    (bounded by comparing two step sizes: the relative curvature at lr is below 1e-3 here).
    """
    V, d, G, lr, S = 4, 3, 4, 0.02, 40_000
    t = _task(V=V, d=d, P=1, Q=1, seed=4)
    sl = features.train_shared("sl", t, lr, rng=np.random.default_rng(5), seeds=1, prompts_per_step=1,
                               max_samples=1, evals=2, decimals=None)
    d_sl = sl.train_pass[0, 0, -1] - 1 / V
    for method in ("reinforce", "plusminus", "baseline"):
        rl = features.train_shared(method, t, lr / G, rng=np.random.default_rng(6), seeds=S, prompts_per_step=1,
                                   group=G, max_samples=G, evals=2, decimals=None)
        d_rl = rl.train_pass[0, :, -1] - 1 / V
        se = d_rl.std() / math.sqrt(S)
        assert abs(d_rl.mean() - d_sl / V) < 4 * se + 1e-3 * abs(d_sl / V), method


def test_one_hot_features_make_the_tabular_model():
    V, P, Q = 5, 6, 4
    t = _task(V=V, P=P, Q=Q, one_hot=True)
    assert t.d == P + Q and t.teacher is None
    run = features.train_shared("sl", t, 3.0, rng=np.random.default_rng(8), seeds=2, prompts_per_step=3,
                                max_samples=3 * 40, evals=20)
    np.testing.assert_array_equal(run.test_pass, 1 / V)  # nothing transfers to unseen prompts
    assert (run.train_pass[..., -1] > 0.5).all()


def test_samples_to_reach_stop_and_transfer():
    t = _task(V=4, d=3, P=20, Q=20, seed=2)
    run = features.train_shared("sl", t, 10.0, rng=np.random.default_rng(9), seeds=4, max_samples=20_000, stop_at=0.3,
                                prompts_per_step=4)
    reach = run.samples_to_reach(0.3)
    assert reach.shape == (1, 4) and np.isfinite(reach).all() and (run.test_pass[..., -1] >= 0.3).all()
    assert run.samples[-1] < 20_000  # stopped early
    assert np.isinf(run.samples_to_reach(0.999)).all()
    # W_at_stop: each run's weights when its held-out pass rate first reached 0.3
    W = run.W_at_stop.reshape(4, 4, 3)
    at = features.pass_rates(W, t.test_x[0], t.test_y[0])
    first = np.argmax(run.test_pass[0] >= 0.3, axis=1)
    np.testing.assert_allclose(at, run.test_pass[0, np.arange(4), first], rtol=1e-12)
    # transfer at a training level, against a direct reading of the curves
    tr = run.transfer_at(0.28, 4)[0]
    for s in range(4):
        i = int(np.argmax(run.train_pass[0, s] >= 0.28))
        assert tr[s] == pytest.approx((run.test_pass[0, s, i] - 0.25) / (run.train_pass[0, s, i] - 0.25), rel=1e-12)


def test_nested_prompt_sets_use_only_the_first_prompts():
    """With prompts=1 every step trains on prompt 0 only: the same run as a task holding that prompt alone."""
    t = _task(V=4, d=3, P=10, Q=10, seed=5)
    one = features.Task(4, t.train_x[:, :1], t.train_y[:, :1], t.test_x, t.test_y, t.teacher)
    kw = dict(seeds=2, prompts_per_step=3, group=4, max_samples=12 * 20, evals=10)
    a = features.train_shared("grpo", t, 2.0, rng=np.random.default_rng(6), prompts=1, **kw)
    b = features.train_shared("grpo", one, 2.0, rng=np.random.default_rng(6), **kw)
    np.testing.assert_array_equal(a.test_pass, b.test_pass)


def test_samples_to_target_runs_every_step_size_on_every_draw():
    t = _task(V=4, d=3, P=16, Q=16, seed=6, draws=2)
    kw = dict(prompts_per_step=2, group=4, evals=30)
    out = features.samples_to_target("grpo", t, [1.0, 5.0], rng=np.random.default_rng(1), target=0.3, budget=2_000,
                                     seeds=3, **kw)
    assert out.shape == (2, 2, 3) and (out <= 2_000).all() and (out > 0).all()
    # the same as one train_shared call with one step size per draw
    direct = features.train_shared("grpo", t.select(np.array([0, 1, 0, 1])), [1.0, 1.0, 5.0, 5.0], rng=np.random.default_rng(1),
                                   seeds=3, max_samples=2_000, stop_at=0.3, **kw)
    np.testing.assert_array_equal(out.reshape(4, 3), np.minimum(direct.samples_to_reach(0.3), 2_000))


def test_rounding_the_weights_changes_no_statistic():
    """The chapter rounds the weights to 6 decimals so that runs agree across CPUs. Over 160 runs at the
    chapter's step sizes, the mean samples to the target with and without rounding agree within 4 standard
    errors of their difference (the runs share random numbers, so single runs can differ, not the mean)."""
    t = _task(V=8, d=8, P=256, Q=64, seed=7, draws=8)
    for method, lr in (("sl", 300.0), ("grpo", 10.0)):
        kw = dict(seeds=20, prompts_per_step=8, group=8, evals=40, stop_at=0.4, max_samples=400 if method == "sl" else 6_000)
        a = features.train_shared(method, t, lr, rng=np.random.default_rng(8), **kw).samples_to_reach(0.4).ravel()
        b = features.train_shared(method, t, lr, rng=np.random.default_rng(8), decimals=None, **kw).samples_to_reach(0.4).ravel()
        assert np.isfinite(a).all() and np.isfinite(b).all()
        diff = a - b
        se = max(diff.std() / math.sqrt(diff.size), 1e-12)
        assert abs(diff.mean()) <= 4 * se, (method, diff.mean(), se)


def test_nested_bootstrap_resamples_tasks_first():
    """With all the variation between tasks, the two-stage interval is as wide as resampling task means;
    a bootstrap over seeds alone (flattening the tasks) would be much narrower."""
    rng = np.random.default_rng(9)
    y = np.repeat(rng.normal(size=(20, 1)), 50, axis=1)  # 20 tasks, identical seeds within a task
    reps = training.bootstrap_means(y, rng=rng, n_boot=4_000)
    task_means = y.mean(axis=1)
    se_tasks = task_means.std() / math.sqrt(20)
    assert reps.std() == pytest.approx(se_tasks, rel=0.1)
    flat = training.bootstrap_means(y.ravel(), rng=rng, n_boot=4_000)
    assert flat.std() < 0.3 * reps.std()


@pytest.mark.parametrize("kwargs,match", [
    (dict(method="ppo"), "method"),
    (dict(method="distill"), "method"),
    (dict(lr=0.0), "lr"),
    (dict(lr=[1.0, 2.0]), "lr"),
    (dict(method="grpo", group=1), "group"),
    (dict(seeds=0), "seeds"),
    (dict(max_samples=1), "max_samples"),
    (dict(task="not a task"), "task"),
    (dict(prompts=13), "prompts"),
])
def test_bad_input_raises_value_error(kwargs, match):
    args = dict(method="sl", task=_task(), lr=1.0, rng=np.random.default_rng(0), max_samples=200, group=2,
                prompts_per_step=2)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        features.train_shared(args.pop("method"), args.pop("task"), args.pop("lr"), **args)
    with pytest.raises(ValueError, match="n_answers"):
        features.make_task(4, 1, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="teacher"):
        features.make_task(4, 3, rng=np.random.default_rng(0), teacher="quadratic")


# --- rlbits.shared_scaling: the shared model at 128 answers, precomputed

def test_bootstrap_medians_resample_tasks_then_seeds():
    from rlbits import shared_scaling

    y = np.arange(12.0).reshape(3, 4)
    reps = shared_scaling.bootstrap_medians(y, rng=np.random.default_rng(0), n_boot=500)
    assert reps.shape == (500,) and set(np.unique(reps)) <= set(np.arange(0.0, 11.5, 0.5))
    # by hand, the same indices as the function draws
    rng = np.random.default_rng(1)
    di, si = rng.integers(0, 3, size=(4, 3)), rng.integers(0, 4, size=(4, 3, 4))
    by_hand = [np.median([y[di[b, i], si[b, i, j]] for i in range(3) for j in range(4)]) for b in range(4)]
    np.testing.assert_array_equal(shared_scaling.bootstrap_medians(y, rng=np.random.default_rng(1), n_boot=4), by_hand)
    # paired arms share the indices; a censored minority does not move the median
    both = np.stack([y, np.where(y > 10, np.inf, y)])
    pair = shared_scaling.bootstrap_medians(both, rng=np.random.default_rng(2), n_boot=300)
    assert pair.shape == (300, 2)
    assert np.isfinite(pair[:, 1]).mean() > 0.9
    with pytest.raises(ValueError, match="draws, seeds"):
        shared_scaling.bootstrap_medians(np.arange(4.0), rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="NaN"):
        shared_scaling.bootstrap_medians(np.full((2, 2), np.nan), rng=np.random.default_rng(0))


def test_median_slope_recovers_a_power_law():
    from rlbits import shared_scaling

    rng = np.random.default_rng(3)
    x = np.array([8, 16, 32, 64, 128])
    y = x[:, None, None] ** 1.5 * np.exp(rng.normal(0, 0.1, size=(5, 10, 4)))
    s, lo, hi = shared_scaling.median_slope(x, y, rng=rng)
    assert lo < 1.5 < hi and s == pytest.approx(1.5, abs=0.05)
    y[-1, :, :1] = np.inf  # a quarter censored at the largest x: still finite
    assert np.isfinite(shared_scaling.median_slope(x, y, rng=rng)).all()
    y[-1] = np.inf
    with pytest.raises(ValueError, match="median"):
        shared_scaling.median_slope(x, y, rng=rng)
    with pytest.raises(ValueError, match="shape"):
        shared_scaling.median_slope(x[:2], y, rng=rng)


def _small_config():
    from rlbits import shared_scaling

    cfg = dict(shared_scaling.CONFIG, P=24, Q=16, draws=2, seeds=2, tune_draws=1, tune_seeds=1, evals=10,
               also_at=[0.2])
    cfg["grid"] = {"sl": {6: [3.0, 30.0]}, "rl": {6: [1.0, 10.0]}}
    cfg["budget"] = {"sl": {6: 400}, "rl": {6: 2_000}}
    cfg["target"] = 0.3
    return cfg


def test_shared_scaling_measures_every_method_and_round_trips(tmp_path):
    from rlbits import shared_scaling

    rec = shared_scaling.run([6], config=_small_config())
    again = shared_scaling.run([6], config=_small_config())
    assert json.dumps(rec) == json.dumps(again)  # deterministic
    r = rec["results"]["6"]
    assert set(r["best"]) == set(features.SHARED_METHODS)
    for m in features.SHARED_METHODS:
        assert r["best"][m] in r["grid"][m] and len(r["tuning"][m]) == 2
        runs = np.array(r["tuning_runs"][m])
        assert runs.shape == (2, 1, 1) and runs.dtype == np.int64 and (0 < runs).all() and (runs <= r["budget"][m]).all()
        np.testing.assert_allclose(runs.mean(axis=(1, 2)), r["tuning"][m], rtol=1e-12)  # the mean of the runs
        assert np.shape(r["samples"][m]) == (2, 2) and np.shape(r["final"][m]) == np.shape(r["half"][m]) == (2, 2)
        assert 0 <= r["half_samples"][m] <= r["budget"][m] / 2
        for row, low in zip(r["samples"][m], r["samples_0.2"][m]):  # the lower level comes first
            for c, c2 in zip(row, low):
                assert c is None or (c2 is not None and c2 <= c <= r["budget"][m])
    path = shared_scaling.save(rec, tmp_path / "x.json")
    back = shared_scaling.load(path)
    s = back["results"]["6"]["samples"]["grpo"]
    assert s.shape == (2, 2) and s.dtype == np.float64
    assert back["results"]["6"]["tuning_runs"]["grpo"].shape == (2, 1, 1)
    assert ((s == np.inf) == np.array([[c is None for c in row] for row in r["samples"]["grpo"]])).all()


def test_shared_scaling_rejects_bad_input(tmp_path):
    from rlbits import shared_scaling

    with pytest.raises(ValueError, match="no grid"):
        shared_scaling.measure(7, config=_small_config())
    with pytest.raises(ValueError, match="methods"):
        shared_scaling.measure(6, methods=("ppo",), config=_small_config())
    with pytest.raises(ValueError, match="V"):
        shared_scaling.measure(1, config=_small_config())
    with pytest.raises(ValueError, match="at least one"):
        shared_scaling.run([], config=_small_config())
    with pytest.raises(ValueError, match="record"):
        shared_scaling.save({"V": [6]}, tmp_path / "x.json")
    (tmp_path / "bad.json").write_text('{"runs": []}')
    with pytest.raises(ValueError, match="shared-scaling"):
        shared_scaling.load(tmp_path / "bad.json")


def test_the_committed_large_v_results_are_complete():
    """The file the chapter reads: every method at 128 answers, its optimum inside its grid."""
    from rlbits import shared_scaling

    rec = shared_scaling.load()
    assert rec["V"] == list(shared_scaling.LARGE_V)
    for V in shared_scaling.LARGE_V:
        r = rec["results"][str(V)]
        for m in features.SHARED_METHODS:
            grid = r["grid"][m]
            assert 0 < grid.index(r["best"][m]) < len(grid) - 1
            assert r["samples"][m].shape == (rec["config"]["draws"], rec["config"]["seeds"])
            assert (r["samples"][m][np.isfinite(r["samples"][m])] <= r["budget"][m]).all()
            runs = r["tuning_runs"][m]  # every tuning run, censored at the budget
            assert runs.shape == (len(grid), rec["config"]["tune_draws"], rec["config"]["tune_seeds"])
            assert (runs == np.round(runs)).all() and (0 < runs).all() and (runs <= r["budget"][m]).all()
            np.testing.assert_allclose(runs.mean(axis=(1, 2)), r["tuning"][m], rtol=1e-12)


@pytest.mark.slow
def test_recomputing_the_large_v_results_reproduces_the_committed_file():
    """Tunes and trains every method at 128 answers from scratch (about a minute and a half on one core) and
    compares: the step sizes chosen and every integer sample count (tuning runs included) exactly, the pass rates (stored to 3
    decimals) to 0.002."""
    from rlbits import shared_scaling

    stored = shared_scaling.load()
    fresh = json.loads(json.dumps(shared_scaling.run()))
    assert fresh["config"] == stored["config"]
    for V in shared_scaling.LARGE_V:
        a, b = fresh["results"][str(V)], stored["results"][str(V)]
        assert a["best"] == b["best"] and a["grid"] == b["grid"] and a["budget"] == b["budget"]
        np.testing.assert_allclose(a["tuning"]["grpo"], np.asarray(b["tuning"]["grpo"]), rtol=1e-12)
        assert set(a["tuning_runs"]) == set(b["tuning_runs"]) == set(features.SHARED_METHODS)
        for m in b["tuning_runs"]:
            np.testing.assert_array_equal(np.array(a["tuning_runs"][m]), b["tuning_runs"][m], err_msg=f"tuning_runs {m} V = {V}")
        for key in [k for k in b if k.startswith("samples")]:
            for m in b[key]:
                got = np.array([[np.inf if c is None else float(c) for c in row] for row in a[key][m]])
                np.testing.assert_array_equal(got, b[key][m], err_msg=f"{key} {m} V = {V}")
        assert a["half_samples"] == b["half_samples"]
        for key in ("final", "half"):
            for m in b[key]:
                np.testing.assert_allclose(a[key][m], b[key][m], atol=0.002)
