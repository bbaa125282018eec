"""Tests of Chapter 7's transformer package: task, model, methods, bookkeeping, and the sweep."""

import itertools
import json
import subprocess
import sys

import numpy as np
import pytest

from rlbits.transformer import measure, task

jax = pytest.importorskip("jax")
jnp = jax.numpy
pytest.importorskip("optax")

from rlbits.transformer import methods, model, train  # noqa: E402

jax.config.update("jax_enable_x64", False)
SMALL = model.ModelConfig(width=16, layers=1, heads=2, mlp=32)


# --- the task and its verifier ---


def test_answers_follow_the_rule_digit_by_digit():
    x = np.array([[1, 2, 3, 4, 5, 6, 7, 8], [9, 9, 9, 9, 0, 0, 0, 0]])
    want = [[(x[r, i] + x[r, (i + 3) % 8]) % 10 for i in range(8)] for r in range(2)]
    assert task.answers(x, 8).tolist() == want
    assert task.answers(x, 8)[0].tolist() == [5, 7, 9, 1, 3, 7, 9, 1]  # by hand
    assert task.answers(x, 3).tolist() == [w[:3] for w in want]


def test_the_eight_pairs_are_distinct():
    pairs = {frozenset((i, (i + task.OFFSET) % task.PROMPT_LEN)) for i in range(task.PROMPT_LEN)}
    assert len(pairs) == task.PROMPT_LEN


def test_verifier_and_rewards():
    rng = np.random.default_rng(0)
    x = task.make_prompts(50, rng=rng)
    y = task.answers(x, 4)
    assert task.verify(x, y).all() and (task.reward(x, y) == 1).all()
    y2 = y.copy()
    y2[:, 1] = (y2[:, 1] + 1) % 10
    assert not task.verify(x, y2)[:, 1].any() and task.verify(x, y2)[:, [0, 2, 3]].all()
    assert (task.reward(x, y2) == 0).all() and np.allclose(task.reward(x, y2, graded=True), 0.75)


def test_split_prompts_are_disjoint():
    xt, xh = task.split_prompts(300, 100, rng=np.random.default_rng(1))
    codes = lambda a: set(map(tuple, a.tolist()))  # noqa: E731
    assert xt.shape == (300, 8) and xh.shape == (100, 8) and not codes(xt) & codes(xh)


@pytest.mark.parametrize("bad", [0, 9, 2.5, True])
def test_bad_answer_length_raises(bad):
    with pytest.raises(ValueError, match="T"):
        task.answers(np.zeros((1, 8), int), bad)


def test_bad_prompts_raise():
    with pytest.raises(ValueError, match="digits"):
        task.answers(np.full((2, 8), 10), 2)
    with pytest.raises(ValueError, match="8 digits"):
        task.answers(np.zeros((2, 7), int), 2)
    with pytest.raises(ValueError, match="rows"):
        task.verify(np.zeros((2, 8), int), np.zeros((3, 2), int))


# --- the model ---


def test_shapes_and_causality():
    params = model.init_params(jax.random.key(0), SMALL)
    tokens = jnp.asarray(np.random.default_rng(0).integers(0, 11, size=(3, 12)))
    logits = model.forward(params, tokens, SMALL)
    assert logits.shape == (3, 12, 10)
    changed = tokens.at[:, 7].set((tokens[:, 7] + 1) % 11)
    l2 = model.forward(params, changed, SMALL)
    np.testing.assert_allclose(logits[:, :7], l2[:, :7], atol=1e-6)  # the past does not see the future
    assert not np.allclose(logits[:, 7:], l2[:, 7:])
    y = model.sample_answers(params, tokens[:, :8], 4, jax.random.key(1), SMALL)
    assert y.shape == (3, 4) and y.min() >= 0 and y.max() <= 9


def test_answer_logprob_sums_to_one_over_all_answers():
    params = model.init_params(jax.random.key(2), SMALL)
    x = jnp.asarray(np.random.default_rng(0).integers(0, 10, size=(1, 8)))
    ys = jnp.asarray(list(itertools.product(range(10), repeat=2)))
    lp = model.answer_logprob(params, jnp.repeat(x, 100, axis=0), ys, SMALL)
    assert float(jnp.exp(lp).sum()) == pytest.approx(1.0, abs=1e-5)


def test_sampler_matches_the_model_distribution():
    params = model.init_params(jax.random.key(3), SMALL)
    x = jnp.asarray(np.random.default_rng(1).integers(0, 10, size=(1, 8)))
    n = 20_000
    y = np.asarray(model.sample_answers(params, jnp.repeat(x, n, axis=0), 2, jax.random.key(4), SMALL))
    freq = np.bincount(y[:, 0] * 10 + y[:, 1], minlength=100) / n
    ys = jnp.asarray(list(itertools.product(range(10), repeat=2)))
    p = np.exp(np.asarray(model.answer_logprob(params, jnp.repeat(x, 100, axis=0), ys, SMALL), dtype=float))
    # chi-square-style check: every cell within 5 standard errors
    assert np.all(np.abs(freq - p) <= 5 * np.sqrt(p * (1 - p) / n) + 1e-4)


def test_bad_config_raises():
    with pytest.raises(ValueError, match="multiple"):
        model.ModelConfig(width=10, heads=4)
    with pytest.raises(ValueError, match="positive"):
        model.ModelConfig(layers=0)


# --- gradients: JAX against finite differences ---


def test_sl_loss_gradient_matches_finite_differences():
    jax.config.update("jax_enable_x64", True)
    try:
        params = jax.tree_util.tree_map(lambda a: a.astype(jnp.float64), model.init_params(jax.random.key(5), SMALL))
        x = jnp.asarray(np.random.default_rng(2).integers(0, 10, size=(4, 8)))
        y = methods.jnp_answers(x, 3)
        loss = jax.jit(methods.sl_loss, static_argnums=3)
        g = jax.grad(methods.sl_loss)(params, x, y, SMALL)
        rng = np.random.default_rng(3)
        for path in (("head",), ("blocks", 0, "qkv"), ("tok",), ("blocks", 0, "w1")):
            leaf = params
            for k in path:
                leaf = leaf[k]
            idx = tuple(int(rng.integers(s)) for s in leaf.shape)

            def loss_at(delta, path=path, idx=idx):
                def bump(p):
                    p = jax.tree_util.tree_map(lambda a: a, p)
                    node = p
                    for k in path[:-1]:
                        node = node[k]
                    node[path[-1]] = node[path[-1]].at[idx].add(delta)
                    return p
                return float(loss(bump(params), x, y, SMALL))

            h = 1e-5
            fd = (loss_at(h) - loss_at(-h)) / (2 * h)
            gv = g
            for k in path:
                gv = gv[k]
            assert float(gv[idx]) == pytest.approx(fd, rel=1e-5, abs=1e-8)
    finally:
        jax.config.update("jax_enable_x64", False)


# --- the leave-one-out baseline is unbiased (exact enumeration) ---


def test_leave_one_out_baseline_is_unbiased_by_enumeration():
    """Policy over 3 answers, groups of 3: the expected LOO update equals the expected update
    without a baseline, summed over all 27 joint outcomes with their probabilities."""
    z = jnp.asarray([0.3, -0.2, 0.5])
    reward = jnp.asarray([1.0, 0.0, 0.4])
    G = 3

    def logpi(z, a):
        return jax.nn.log_softmax(z)[a]

    pi = np.asarray(jax.nn.softmax(z))
    g_loo = np.zeros(3)
    g_plain = np.zeros(3)
    for outcome in itertools.product(range(3), repeat=G):
        prob = np.prod(pi[list(outcome)])
        r = reward[jnp.asarray(outcome)]
        adv = np.asarray(methods.leave_one_out_advantage(r))
        for i, a in enumerate(outcome):
            grad = np.asarray(jax.grad(logpi)(z, a))
            g_loo += prob * adv[i] * grad / G
            g_plain += prob * float(r[i]) * grad / G
    exact = np.asarray(jax.grad(lambda z: (jax.nn.softmax(z) * reward).sum())(z))
    np.testing.assert_allclose(g_plain, exact, atol=1e-6)
    np.testing.assert_allclose(g_loo, g_plain * (G - 1) / (G - 1), atol=1e-6)


def test_grpo_advantage_is_zero_mean_unit_std():
    r = jnp.asarray([[1.0, 0, 0, 1, 0, 0, 0, 0], [0.0] * 8])
    a = np.asarray(methods.grpo_advantage(r))
    assert a[0].mean() == pytest.approx(0, abs=1e-6) and a[0].std() == pytest.approx(1, abs=1e-3)
    assert np.all(a[1] == 0)


def test_reverse_kl_is_zero_against_itself_and_positive_otherwise():
    p1 = model.init_params(jax.random.key(6), SMALL)
    p2 = model.init_params(jax.random.key(7), SMALL)
    x = jnp.asarray(np.random.default_rng(4).integers(0, 10, size=(5, 8)))
    y = model.sample_answers(p1, x, 3, jax.random.key(8), SMALL)
    assert float(methods.reverse_kl_loss(p1, p1, x, y, SMALL)) == pytest.approx(0, abs=1e-6)
    assert float(methods.reverse_kl_loss(p1, p2, x, y, SMALL)) > 0


# --- bits-per-sample bookkeeping ---


def test_bits_per_sample_adds_up_to_bits_learned():
    s = np.array([0, 64, 192, 512])
    L = np.array([[13.0, 12.0, 10.5, 9.0], [13.0, 13.5, 12.0, 11.0]])
    learned = measure.bits_learned(s, L)
    mid, rate = measure.bits_per_sample(s, L)
    np.testing.assert_allclose((rate * np.diff(s)).sum(-1), learned[:, -1])
    assert rate[0, 0] == pytest.approx(1 / 64) and rate[1, 0] == pytest.approx(-0.5 / 64)
    np.testing.assert_allclose(mid, [32, 128, 352])


def test_samples_to_reach_interpolates_and_gives_inf():
    s = np.array([0, 100, 200])
    p = np.array([[0.1, 0.3, 0.7], [0.1, 0.2, 0.3], [0.6, 0.7, 0.8]])
    out = measure.samples_to_reach(s, p, 0.5)
    assert out[0] == pytest.approx(150) and np.isinf(out[1]) and out[2] == 0


def test_bookkeeping_validates():
    with pytest.raises(ValueError, match="increasing"):
        measure.bits_learned([0, 10, 5], [1, 2, 3])
    with pytest.raises(ValueError, match="entries"):
        measure.bits_learned([0, 10], [1, 2, 3])
    with pytest.raises(ValueError, match="NaN"):
        measure.bits_per_sample([0, 10], [1, np.nan])
    with pytest.raises(ValueError, match="method"):
        measure.flops_per_sample("ppo", 2, 100)


def test_flops_model_counts_sampling_and_teacher():
    f_sl = measure.flops_per_sample("sl", 4, 1000)
    f_rl = measure.flops_per_sample("reinforce", 4, 1000)
    f_d = measure.flops_per_sample("distill", 4, 1000)
    assert f_sl["total"] == 6 * 1000 * 12
    assert f_rl["total"] == f_sl["total"] + 4 * 2 * 1000 * 12
    assert f_d["total"] == f_rl["total"] + 2 * 1000 * 12


# --- training ---


def test_sl_training_lowers_heldout_loss_and_validates():
    # 16 training prompts: memorising them is quick (the rule itself takes thousands of samples)
    xt, xh = task.split_prompts(16, 16, rng=np.random.default_rng(5))
    data = train.Data(xt, xh)
    p0 = train.init_replicas([0, 1], SMALL)
    runs = train.train("sl", 1, p0, [1e-2, 1e-2], [0, 1], data, steps=40, eval_every=20, batch=16, cfg=SMALL)
    assert runs.heldout_bits.shape == (2, 3) and runs.samples.tolist() == [0, 320, 640]
    assert np.all(runs.pass_train[:, -1] > runs.pass_train[:, 0] + 0.2)
    # the pass rate is the mean of 2^-(bits of each prompt); by Jensen it is at least 2^-(mean bits)
    assert np.all(runs.pass_heldout >= 2.0 ** -runs.heldout_bits - 1e-6)
    with pytest.raises(ValueError, match="multiple"):
        train.train("sl", 1, p0, [1e-3] * 2, [0, 1], data, steps=15, eval_every=10, cfg=SMALL)
    with pytest.raises(ValueError, match="teacher"):
        train.train("distill", 1, p0, [1e-3] * 2, [0, 1], data, steps=10, eval_every=10, cfg=SMALL)
    with pytest.raises(ValueError, match="per replica"):
        train.train("sl", 1, p0, [1e-3], [0, 1], data, steps=10, eval_every=10, cfg=SMALL)


# --- the sweep ---


@pytest.fixture(scope="module")
def quick_json(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "quick.json"
    subprocess.run([sys.executable, "-m", "rlbits.transformer.sweep", "--quick", "--out", str(out)], check=True,
                   timeout=1800)
    return json.loads(out.read_text())


@pytest.mark.slow
def test_quick_sweep_writes_valid_json(quick_json):
    r = quick_json
    assert r["quick"] is True and r["stages_done"][-1] == "done"
    for k in ("jax", "jaxlib", "optax", "numpy"):
        assert r["versions"][k]
    cfg = r["config"]
    main = [x for x in r["runs"] if x["stage"] == "main"]
    assert {(x["method"], x["T"]) for x in main} == {(m, T) for m in cfg["methods"] for T in cfg["lengths"]}
    for x in r["runs"]:
        E = len(x["samples"])
        assert np.shape(x["heldout_bits"]) == (len(x["seeds"]), E)
        assert np.all(np.isfinite(x["heldout_bits"]))
        assert np.all((np.asarray(x["pass_heldout"]) >= 0) & (np.asarray(x["pass_heldout"]) <= 1))
        pk = np.asarray(x["pass_at_k"]["after"])
        assert np.all(np.diff(pk, axis=1) >= -1e-9)  # pass@k grows with k
    assert set(r["tuning"]["best"]) == set(cfg["methods"])


# --- the committed results and the live check ---


def test_committed_results_cover_the_grid():
    from rlbits.transformer import results

    res = results.load()
    cfg = res["config"]
    assert res["stages_done"][-1] == "done" and not res["quick"]
    assert len(cfg["methods"]) >= 6 and len(cfg["lengths"]) >= 3 and len(cfg["seeds"]) >= 5
    assert not set(cfg["seeds"]) & set(cfg["tuning_seeds"]), "tuning seeds are not measurement seeds"
    for m in cfg["methods"]:
        assert res["tuning"]["best"][m] in cfg["tuning_lrs"]
        for T in cfg["lengths"]:
            r = results.row(res, stage="main", method=m, T=T, start=cfg["main_start"])
            assert r.lr == res["tuning"]["best"][m] and r.heldout_bits.shape[0] == len(cfg["seeds"])
    with pytest.raises(ValueError, match="no row"):
        results.row(res, stage="main", method="sl", T=3, start=0.1)


def test_results_helpers_validate():
    from rlbits.transformer import results

    with pytest.raises(ValueError, match="two seeds"):
        results.mean_interval(np.ones((1, 3)))
    m, lo, hi = results.mean_interval(np.array([[1.0, 2.0], [3.0, 2.0]]))
    assert m.tolist() == [2.0, 2.0] and lo[1] == hi[1] == 2.0


@pytest.mark.slow
def test_live_run_matches_the_committed_results():
    from rlbits.transformer import live, results

    check = live.compare_with_results(results.load(), T=1, steps=150)
    assert check["agree"], check
