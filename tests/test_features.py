"""Tests of the Chapter 6 shared-parameter model (a linear softmax policy over prompt features)."""

import math

import numpy as np
import pytest

from rlbits import features


def _task(V=6, d=3, P=12, Q=20, seed=0, one_hot=False):
    return features.make_task(V, d, P, Q, rng=np.random.default_rng(seed), one_hot=one_hot)


def test_task_answers_follow_the_teacher():
    t = _task(V=9, d=4, P=50, Q=30)
    assert t.train_x.shape == (50, 4) and t.test_x.shape == (30, 4) and t.d == 4
    np.testing.assert_allclose(np.linalg.norm(t.train_x, axis=1), 1.0)
    for x, y in zip(t.test_x, t.test_y):
        assert y == int(np.argmax([t.teacher[k] @ x for k in range(9)]))


def test_pass_rates_against_a_loop():
    rng = np.random.default_rng(1)
    t = _task()
    W = rng.normal(size=(3, 6, 3))
    direct = []
    for s in range(3):
        ps = []
        for x, y in zip(t.train_x, t.train_y):
            z = W[s] @ x
            ps.append(math.exp(z[y]) / np.exp(z).sum())
        direct.append(np.mean(ps))
    np.testing.assert_allclose(features.pass_rates(W, t.train_x, t.train_y), direct, rtol=1e-12)


@pytest.mark.parametrize("method", features.SHARED_METHODS)
def test_vectorised_and_per_sample_loop_follow_the_same_trajectory(method):
    t = _task(V=5, d=3, P=10, Q=10)
    kw = dict(seeds=3, prompts_per_step=4, group=4, max_samples=16 * 30, evals=10)
    a = features.train_shared(method, t, 2.0, rng=np.random.default_rng(7), **kw)
    b = features.reference_train_shared(method, t, 2.0, rng=np.random.default_rng(7), **kw)
    np.testing.assert_array_equal(a.samples, b.samples)
    np.testing.assert_allclose(a.train_pass, b.train_pass, atol=1e-9)
    np.testing.assert_allclose(a.test_pass, b.test_pass, atol=1e-9)
    assert a.train_pass[:, -1].mean() > 1 / 5  # it learned something


@pytest.mark.parametrize("method", ["baseline", "grpo"])
def test_samples_to_learn_have_the_reference_distribution(method):
    """Kolmogorov-Smirnov on samples to a held-out pass rate, with independent random numbers."""
    from scipy import stats

    t = _task(V=4, d=3, P=16, Q=40, seed=3)
    kw = dict(prompts_per_step=2, group=4, max_samples=8 * 60, evals=60, stop_at=0.35)
    a = features.train_shared(method, t, 3.0, rng=np.random.default_rng(10), seeds=200, **kw).samples_to_reach(0.35)
    b = features.reference_train_shared(method, t, 3.0, rng=np.random.default_rng(11), seeds=200, **kw).samples_to_reach(0.35)
    a, b = np.minimum(a, 1e6), np.minimum(b, 1e6)  # never reached: one value, the same on both sides
    assert stats.ks_2samp(a, b).pvalue > 1e-3


def test_the_expected_rl_step_is_the_pass_rate_times_the_sl_step():
    """One step from W = 0 on one prompt: E[ΔW] for REINFORCE + baseline is p times SL's (p = 1/V)."""
    V, d, G, lr, S = 4, 3, 4, 0.02, 40_000  # a small step: pass rates move linearly in ΔW
    t = features.make_task(V, d, 1, 1, rng=np.random.default_rng(4))
    sl = features.train_shared("sl", t, lr, rng=np.random.default_rng(5), seeds=1, prompts_per_step=1, group=G,
                               max_samples=G, evals=2)
    rl = features.train_shared("baseline", t, lr, rng=np.random.default_rng(6), seeds=S, prompts_per_step=1, group=G,
                               max_samples=G, evals=2)
    # pass rates move by the first-order change; compare the mean change in the training pass rate
    d_sl = sl.train_pass[0, -1] - 1 / V
    d_rl = rl.train_pass[:, -1] - 1 / V
    se = d_rl.std() / math.sqrt(S)
    assert abs(d_rl.mean() - d_sl / V) < 4 * se + 0.05 * abs(d_sl / V)


def test_one_hot_features_make_the_tabular_model():
    V, P, Q = 5, 6, 4
    t = _task(V=V, P=P, Q=Q, one_hot=True)
    assert t.d == P + Q and t.teacher is None
    run = features.train_shared("sl", t, 1.0, rng=np.random.default_rng(8), seeds=2, prompts_per_step=3, group=2,
                                max_samples=6 * 40, evals=20)
    np.testing.assert_array_equal(run.test_pass, 1 / V)  # nothing transfers to unseen prompts
    assert (run.train_pass[:, -1] > 0.5).all()


def test_samples_to_reach_and_stop():
    t = _task(V=4, d=3, P=20, Q=20, seed=2)
    run = features.train_shared("sl", t, 10.0, rng=np.random.default_rng(9), seeds=4, max_samples=20_000, stop_at=0.3,
                                prompts_per_step=4, group=4)
    reach = run.samples_to_reach(0.3)
    assert np.isfinite(reach).all() and (run.test_pass[:, -1] >= 0.3).all()
    assert run.samples[-1] < 20_000  # stopped early
    assert np.isinf(run.samples_to_reach(0.999)).all()


@pytest.mark.parametrize("kwargs,match", [
    (dict(method="ppo"), "method"),
    (dict(lr=0.0), "lr"),
    (dict(method="grpo", group=1), "group"),
    (dict(seeds=0), "seeds"),
    (dict(max_samples=3), "max_samples"),
    (dict(task="not a task"), "task"),
])
def test_bad_input_raises_value_error(kwargs, match):
    args = dict(method="sl", task=_task(), lr=1.0, rng=np.random.default_rng(0), max_samples=200, group=2,
                prompts_per_step=2)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        features.train_shared(args.pop("method"), args.pop("task"), args.pop("lr"), **args)
    with pytest.raises(ValueError, match="V"):
        features.make_task(1, 3, 4, 4, rng=np.random.default_rng(0))
