"""Train many replicas (seeds x learning rates) of the Chapter 7 transformer at once.

Every replica is one training run with its own initial parameters, learning rate and random key;
``jax.vmap`` runs them side by side and ``jax.lax.scan`` runs the steps between two
evaluations inside one compiled call. The optimiser is Adam (``optax.scale_by_adam``) with the
learning rate applied per replica. Chapter 7, "How the runs are made".
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field

import jax
import jax.numpy as jnp
import numpy as np
import optax

from .measure import bits_learned
from .methods import GROUPED, check_method, jnp_answers, policy_loss, reverse_kl_loss, sl_loss
from .model import ModelConfig, answer_logprob, init_params, sample_answers
from .task import check_T

LN2 = float(np.log(2.0))


@dataclass
class Data:
    """Training and held-out prompts (NumPy int32, shape (n, 8)) and the training subset evaluated.

    Attributes
    ----------
    train : numpy.ndarray
        Training prompts (:func:`rlbits.transformer.task.split_prompts`), int32, shape ``(n_train, 8)``.
    heldout : numpy.ndarray
        Held-out prompts, disjoint from the training ones, int32, shape ``(n_heldout, 8)``.
    train_eval : numpy.ndarray
        Set from ``train``, not passed: its first ``n_heldout`` prompts (all of them if there are
        fewer), on which the training pass rate is evaluated.

    Raises
    ------
    ValueError
        Never: the prompts are not checked here (make them with
        :func:`rlbits.transformer.task.split_prompts`, which checks its sizes).
    """

    train: np.ndarray
    heldout: np.ndarray
    train_eval: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.train_eval = self.train[: len(self.heldout)]


@dataclass
class Runs:
    """What a call of :func:`train` returns (replicas along the first axis of every array).

    Attributes
    ----------
    samples : numpy.ndarray
        Training samples seen at each evaluation (the first is 0), shape ``(E,)``.
    heldout_bits : numpy.ndarray
        Held-out log-loss of the correct answers, bits per prompt, shape ``(R, E)``.
    pass_heldout, pass_train : numpy.ndarray
        Mean probability of the correct answer (the expected pass@1) on held-out and on training
        prompts, shape ``(R, E)``.
    p_start, p_final : numpy.ndarray
        Each held-out prompt's probability of its correct answer at the start and at the end, shape
        ``(R, n_heldout)``.
    wall_s : float
        Seconds of training (compilation and evaluation excluded).
    compile_s : float
        Seconds compiling (near 0 when the compiled steps were cached).
    captures : dict
        For each threshold of ``capture``, a list with one entry per replica: ``(samples, pass rate,
        parameters)`` when its held-out pass rate first reached the threshold, or None.
    final_params : dict or None
        The stacked parameters at the end.

    Raises
    ------
    ValueError
        Never: it only holds results.
    """

    samples: np.ndarray
    heldout_bits: np.ndarray
    pass_heldout: np.ndarray
    pass_train: np.ndarray
    p_start: np.ndarray
    p_final: np.ndarray
    wall_s: float
    compile_s: float
    captures: dict
    final_params: dict | None = None

    @property
    def bits_learned(self) -> np.ndarray:
        """``L(0) - L(n)`` for each replica and evaluation."""
        return bits_learned(self.samples, self.heldout_bits)


def _adam():
    return optax.scale_by_adam()


#: Compiled training chunks, by method, length, model, batch, group, steps, replicas and data shape.
_CHUNKS: dict = {}


@functools.lru_cache(maxsize=None)
def _compiled(method: str, T: int, cfg: ModelConfig, batch: int, group: int, steps: int):
    """The compiled, vmapped function that runs ``steps`` steps of ``method`` for every replica."""
    opt = _adam()
    grouped = method in GROUPED
    n_prompts = batch // group if grouped else batch

    def step(carry, _, lr, train_x, teacher):
        params, opt_state, key = carry
        key, k_idx, k_samp = jax.random.split(key, 3)
        x = train_x[jax.random.randint(k_idx, (n_prompts,), 0, train_x.shape[0])]
        if method == "sl":
            grads = jax.grad(sl_loss)(params, x, jnp_answers(x, T), cfg)
        else:
            if grouped:
                x = jnp.repeat(x, group, axis=0)
            y = jax.lax.stop_gradient(sample_answers(params, x, T, k_samp, cfg))
            if method == "distill":
                grads = jax.grad(reverse_kl_loss)(params, teacher, x, y, cfg)
            else:
                right = y == jnp_answers(x, T)
                r = right.mean(-1) if method == "graded" else right.all(-1).astype(jnp.float32)
                grads = jax.grad(policy_loss, argnums=1)(method, params, x, y, r, group, cfg)
        updates, opt_state = opt.update(grads, opt_state, params)
        params = jax.tree_util.tree_map(lambda p, u: p - lr * u, params, updates)
        return (params, opt_state, key), None

    def run(params, opt_state, key, lr, train_x, teacher):
        body = functools.partial(step, lr=lr, train_x=train_x, teacher=teacher)
        (params, opt_state, key), _ = jax.lax.scan(body, (params, opt_state, key), None, length=steps)
        return params, opt_state, key

    return jax.jit(jax.vmap(run, in_axes=(0, 0, 0, 0, None, 0)))


@functools.lru_cache(maxsize=None)
def _evaluator(T: int, cfg: ModelConfig):
    def ev(params, x):
        return answer_logprob(params, x, jnp_answers(x, T), cfg)
    return jax.jit(jax.vmap(ev, in_axes=(0, None)))


def stack(trees: list) -> dict:
    """Stack parameter pytrees along a new first axis (one replica each).

    Parameters
    ----------
    trees : list of dict
        Parameter pytrees of the same structure and shapes (at least one).

    Returns
    -------
    dict
        One pytree whose arrays have a new first axis of size ``len(trees)``.

    Raises
    ------
    ValueError
        From JAX, if the trees differ in structure or their arrays in shape.
    """
    return jax.tree_util.tree_map(lambda *a: jnp.stack(a), *trees)


def unstack(tree: dict, i: int) -> dict:
    """Replica ``i`` of stacked parameters, as NumPy arrays.

    Parameters
    ----------
    tree : dict
        Stacked parameters (:func:`stack`, :func:`init_replicas`, ``Runs.final_params``).
    i : int
        Index of the replica along the first axis.

    Returns
    -------
    dict
        The same structure with NumPy arrays, the first axis removed.

    Raises
    ------
    ValueError
        Never: ``i`` is not checked (JAX clamps an index out of range to the last replica).
    """
    return jax.tree_util.tree_map(lambda a: np.asarray(a[i]), tree)


def init_replicas(seeds: list[int], cfg: ModelConfig = ModelConfig()) -> dict:
    """Fresh parameters for each seed (``init_params(jax.random.key(seed))``), stacked.

    Parameters
    ----------
    seeds : list of int
        One seed per replica, at least one.
    cfg : ModelConfig, optional
        Model size.

    Returns
    -------
    dict
        Parameters stacked along a first axis of size ``len(seeds)``.

    Raises
    ------
    ValueError
        Never for seeds that fit in a signed 64-bit integer (the sizes were checked when ``cfg`` was
        made); JAX raises ``OverflowError`` for larger ones.
    """
    return stack([init_params(jax.random.key(int(s)), cfg) for s in seeds])


def train(method: str, T: int, params: dict, lrs, seeds, data: Data, *, steps: int, eval_every: int,
          batch: int = 64, group: int = 8, teacher: dict | None = None, cfg: ModelConfig = ModelConfig(),
          capture: tuple[float, ...] = (), stop_at: float | None = None) -> Runs:
    """Train every replica for ``steps`` steps of ``batch`` samples, evaluating every ``eval_every`` steps.

    Parameters
    ----------
    method : str
        One of :data:`rlbits.transformer.task.METHODS`.
    T : int
        Answer length, 1 to 8.
    params : dict
        Initial parameters stacked along a first axis of size R (:func:`init_replicas`, :func:`stack`).
    lrs, seeds : sequence of length R
        Each replica's Adam learning rate and the seed of its sampling key.
    data : Data
        Training and held-out prompts.
    steps, eval_every : int
        Total steps and steps between evaluations (``steps`` a multiple of ``eval_every``).
    batch, group : int
        Samples per step, and answers drawn per prompt by the grouped methods (``batch`` a multiple).
    teacher : dict, optional
        Stacked teacher parameters (R replicas), needed by ``distill``.
    capture : tuple of float
        Held-out pass rates at which to keep each replica's parameters (for warm starts).
    stop_at : float, optional
        Stop early once every replica's held-out pass rate has reached it (and every capture is made).

    Returns
    -------
    Runs

    Raises
    ------
    ValueError
        For an unknown method, a bad size, mismatched replica counts or a missing teacher.
    """
    check_method(method)
    T = check_T(T)
    for name, v in (("steps", steps), ("eval_every", eval_every), ("batch", batch), ("group", group)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    if steps % eval_every:
        raise ValueError(f"steps ({steps}) must be a multiple of eval_every ({eval_every})")
    if method in GROUPED and (group < 2 or batch % group):
        raise ValueError(f"{method} needs group >= 2 dividing batch, got batch={batch}, group={group}")
    lrs = np.asarray(lrs, dtype=np.float32).reshape(-1)
    R = jax.tree_util.tree_leaves(params)[0].shape[0]
    if len(lrs) != R or len(seeds) != R:
        raise ValueError(f"need one learning rate and one seed per replica ({R}), got {len(lrs)} and {len(seeds)}")
    if not np.all(np.isfinite(lrs)) or np.any(lrs <= 0):
        raise ValueError("learning rates must be positive and finite")
    if method == "distill" and teacher is None:
        raise ValueError("distill needs a teacher")
    if teacher is None:
        teacher = params  # unused by the other methods; any pytree of the right shape will do

    opt_state = jax.vmap(_adam().init)(params)
    keys = jax.vmap(jax.random.key)(jnp.asarray(seeds, dtype=jnp.uint32))
    keys = jax.vmap(lambda k: jax.random.fold_in(k, 7))(keys)
    lr_j = jnp.asarray(lrs)
    train_x = jnp.asarray(data.train)
    t0 = time.perf_counter()
    ckey = (method, T, cfg, int(batch), int(group), int(eval_every), R, train_x.shape)
    if ckey not in _CHUNKS:
        _CHUNKS[ckey] = _compiled(method, T, cfg, int(batch), int(group), int(eval_every)).lower(
            params, opt_state, keys, lr_j, train_x, teacher).compile()
    chunk = _CHUNKS[ckey]
    compile_s = time.perf_counter() - t0
    ev = _evaluator(T, cfg)
    xh, xt = jnp.asarray(data.heldout), jnp.asarray(data.train_eval)

    bits, ph, pt, samples = [], [], [], []
    captures = {c: [None] * R for c in capture}
    p_start = None
    wall = 0.0
    n_evals = steps // eval_every
    for e in range(n_evals + 1):
        lh = np.asarray(ev(params, xh), dtype=np.float64)
        pe = np.exp(lh)
        if e == 0:
            p_start = pe
        bits.append(-lh.mean(1) / LN2)
        ph.append(pe.mean(1))
        pt.append(np.exp(np.asarray(ev(params, xt), dtype=np.float64)).mean(1))
        samples.append(e * eval_every * batch)
        for c, got in captures.items():
            for r in range(R):
                if got[r] is None and ph[-1][r] >= c:
                    got[r] = (samples[-1], float(ph[-1][r]), unstack(params, r))
        done = stop_at is not None and np.all(ph[-1] >= stop_at) and all(
            g is not None for got in captures.values() for g in got)
        if e == n_evals or done:
            break
        t0 = time.perf_counter()
        params, opt_state, keys = chunk(params, opt_state, keys, lr_j, train_x, teacher)
        jax.block_until_ready(params)
        wall += time.perf_counter() - t0
    return Runs(np.asarray(samples, dtype=np.float64), np.stack(bits, 1), np.stack(ph, 1), np.stack(pt, 1),
                p_start, pe, wall, compile_s, captures, params)
