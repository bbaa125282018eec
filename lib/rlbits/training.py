"""A toy model trained both ways: a tabular softmax policy learning its correct answers by SL, by
REINFORCE (without a baseline, with the constant baseline 1/2, with the leave-one-out baseline) and
by GRPO-style group normalisation.

Setting (Chapter 6, "The toy model and the rules"): each prompt has its own row of ``V`` logits ``z`` and its own
correct token ``c``; the policy is ``π = softmax(z)`` and the pass rate is ``p = π_c``. Training
starts from the uniform policy (``p = 1/V``) unless an initial pass rate is given. Every method sees
the same number of samples per step, ``N`` per prompt (``batch_size``), and uses **the same
learning-rate rule**: after each batch, ``z ← z + η Σ_{i=1}^{N} A_i ∇_z log π(a_i)``, one step by the
*sum* (not the mean) of the batch's per-sample gradients, all evaluated at the parameters the batch
started from. The step size ``η`` is a free parameter of every method; Chapter 6 tunes it per method
(:func:`lr_sweep`) before comparing them:

- ``"sl"``: the sample is the correct token, ``A = 1``: ``Δz = η N (e_c - π)``;
- ``"reinforce"``: ``a_i ~ π``, ``A_i = R_i = 1[a_i = c]`` (Williams' REINFORCE, no baseline);
- ``"plusminus"``: REINFORCE with the constant baseline ``1/2``, ``A_i = R_i - 1/2`` (equivalently
  rewards ±1): a failure pushes its own token down, so at a large step failed answers are eliminated;
- ``"baseline"``: REINFORCE with the leave-one-out baseline, ``A_i = R_i - mean_{j≠i} R_j`` (the
  mean reward of the other ``N - 1`` samples of the batch; unbiased because it does not depend on
  ``a_i``);
- ``"grpo"``: group-normalised advantages ``A_i = (R_i - mean R) / std R`` (population std; a group
  whose rewards are all equal has ``A = 0``), as :func:`rlbits.gradients.grpo_advantages`;

Exact structure exploited (nothing below is an approximation):

1. **Only sampled tokens become special.** Each update is ``η (w - S π)`` where ``w`` is non-zero only
   at the correct token and at sampled tokens with a non-zero advantage, and ``S = Σ_i A_i``. Tokens
   that have never received a non-zero weight all have the same logit (they started equal and every
   update moves them by the same ``-η S π_j``), so each row is stored as: the correct logit, the
   logits of the *touched* wrong tokens (a small, growing array), and one shared logit with a count
   for the *untouched* pool. A sampled untouched token is drawn uniformly from the pool (collisions
   within a batch are resolved exactly) and moved to the touched array. SL and REINFORCE never touch
   a wrong token individually, so their cost does not depend on ``V``; for the baseline and GRPO the
   zero-sum advantages make ``S = 0``.
2. **Dead batches are skipped exactly.** For REINFORCE a batch without a success (``k = 0``) changes
   nothing; for the baseline and GRPO neither does an all-fail or all-pass batch (``"plusminus"`` has
   no dead batch: every sample moves its own token). The number of dead
   batches before the next live one is geometric, and the live batch is drawn conditioned on being
   live, so each iteration costs one *informative* batch however small ``p`` is. The state is
   constant between updates, so the learning curve at any sample count is exact.

All seeds (and prompts) are rows of the same arrays: no Python loop over samples or the vocabulary.
:func:`reference_train` is a plain per-sample Python loop over a dense logit vector, for tests and the
benchmark. Chapter 6 explains and uses all of this.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate, gradients
from .distributions import sample_categorical

__all__ = [
    "METHODS",
    "TrainingRun",
    "absorbed_vs_pass_rate",
    "bootstrap_mean_band",
    "bootstrap_means",
    "bootstrap_ratio",
    "bootstrap_slope",
    "first_order_speed",
    "elimination_information",
    "first_success_samples",
    "ideal_samples",
    "lr_sweep",
    "reference_train",
    "rl_bits_compact",
    "sample_flops",
    "samples_to_learn_mean_field",
    "train",
]

#: The training methods, in the book's order.
METHODS: tuple[str, ...] = ("sl", "reinforce", "plusminus", "baseline", "grpo")
_SAMPLED = ("reinforce", "plusminus", "baseline", "grpo")
_LN2 = math.log(2.0)


@dataclass(frozen=True)
class TrainingRun:
    """Learning curves of one configuration for every seed and prompt.

    ``samples``: grid of sample counts per prompt, shape ``(G,)`` (starts at 0). ``pass_rate``,
    ``neglog2p`` (``-log2 p``, bits), ``sl_bits`` and ``rl_bits`` (bits one SL label / one pass-fail
    sample would carry at that state, Chapter 2's ``sl_bits_given_answer`` / ``rl_bits_given_answer``)
    have shape ``(seeds, prompts, G)``. ``event_*`` arrays hold the exact state after every update
    (shape ``(E + 1, seeds, prompts)``, row 0 the initial state; ``event_samples`` is ``inf`` after a
    row's last update). ``stopped``: the row reached ``stop_pass_rate`` (training stopped there).
    Returned by :func:`train`; Chapter 6, "The toy model and the rules".

    Parameters
    ----------
    method : str
        The update rule, one of :data:`TRAINING_METHODS`.
    V : int
        Number of answers per prompt.
    lr : float
        Step size (learning rate).
    batch_size : int
        Samples per update.
    max_samples : int
        Sample budget per prompt.
    samples : numpy.ndarray
        Grid of samples per prompt, shape ``(G,)``, starting at 0.
    pass_rate : numpy.ndarray
        Probability of the correct answer, in [0, 1], shape ``(seeds, prompts, G)``.
    neglog2p : numpy.ndarray
        ``-log2 p`` in bits, same shape.
    sl_bits, rl_bits : numpy.ndarray
        Bits one SL label / one pass-fail sample would carry at that state, same shape.
    event_samples, event_pass_rate, event_neglog2p, event_sl_bits, event_rl_bits : numpy.ndarray
        The same quantities after every update, shape ``(E + 1, seeds, prompts)``.
    stopped : numpy.ndarray
        Boolean, shape ``(seeds, prompts)``: the row reached ``stop_pass_rate``.
    touched : numpy.ndarray
        Number of distinct wrong answers each row ever moved out of the untouched pool, shape
        ``(seeds, prompts)`` (not shown in the repr).

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
    """

    method: str
    V: int
    lr: float
    batch_size: int
    max_samples: int
    samples: NDArray[np.float64]
    pass_rate: NDArray[np.float64]
    neglog2p: NDArray[np.float64]
    sl_bits: NDArray[np.float64]
    rl_bits: NDArray[np.float64]
    event_samples: NDArray[np.float64]
    event_pass_rate: NDArray[np.float64]
    event_neglog2p: NDArray[np.float64]
    event_sl_bits: NDArray[np.float64]
    event_rl_bits: NDArray[np.float64]
    stopped: NDArray[np.bool_]
    touched: NDArray[np.int64] = field(repr=False)

    @property
    def seeds(self) -> int:
        """Number of independent seeds (first axis)."""
        return int(self.pass_rate.shape[0])

    def samples_to_reach(self, target: float) -> NDArray[np.float64]:
        """Exact number of samples (per prompt) at which each row first reaches pass rate ``target``.

        Parameters
        ----------
        target : float
            Pass rate in (0, 1).

        Returns
        -------
        numpy.ndarray, shape (seeds, prompts)
            Samples; ``inf`` where the row never reached it within ``max_samples``.

        Raises
        ------
        ValueError
            If ``target`` is not in (0, 1).
        """
        t = _validate.open_unit(target, "target")
        reached = self.event_pass_rate >= t
        first = np.argmax(reached, axis=0)
        hit = reached.any(axis=0)
        at = np.take_along_axis(self.event_samples, first[None], axis=0)[0]
        return np.where(hit, at, np.inf)


#: FLOPs per token, in units of the parameter count ``N_p``, of one sample of each kind (Chapter 6,
#: "Per FLOP"): a forward pass costs about ``2 N_p`` per token and a training pass (forward and
#: backward) about ``6 N_p`` (Kaplan et al. 2020).
_FLOPS = {
    # SL: train on the labelled token(s).
    "sl": {"low": 6.0, "typical": 6.0, "high": 6.0},
    # RL: generate (2), then train (6) only if the advantage is non-zero; "high" adds a reference-model
    # and an old-policy forward pass (2 + 2) and generation at half the utilisation of training (+2).
    "rl": {"low": 2.0, "typical": 8.0, "high": 14.0},
}


def sample_flops(method: str, case: str = "typical") -> float:
    """FLOPs per token of one sample, in units of the parameter count ``N_p``: a cost *range*, not a measurement.

    Parameters
    ----------
    method : str
        One of :data:`METHODS`.
    case : {"low", "typical", "high"}
        For a sampled method: ``"low"`` is a sample whose advantage is zero (generated, never
        back-propagated: ``2``, a third of SL's ``6``); ``"typical"`` is generate and train (``8``);
        ``"high"`` adds a reference-model and an old-policy forward pass and generation at half the
        utilisation of training (``14``, a little over twice SL's). SL is ``6`` in every case.

    Returns
    -------
    float
        FLOPs per token divided by ``N_p``.

    Raises
    ------
    ValueError
        If ``method`` or ``case`` is unknown.

    Notes
    -----
    Chapter 6, "Per FLOP: a cost range".
    """
    _check_method(method)
    if case not in ("low", "typical", "high"):
        raise ValueError(f"case must be 'low', 'typical' or 'high', got {case!r}")
    return _FLOPS["rl" if method in _SAMPLED else "sl"][case]


def rl_bits_compact(p_correct: ArrayLike, probs_other: ArrayLike, counts: ArrayLike | None = None) -> NDArray[np.float64]:
    """Yorwba's expected bits of one pass/fail sample from a compact policy description.

    ``p_correct`` (shape ``(...)``), ``probs_other`` (shape ``(..., K)``: probabilities of wrong tokens,
    each standing for ``counts`` identical tokens, default 1). Returns
    ``p_c(-log2 p_c) + Σ_k counts_k π_k (-log2(1 - π_k))``, equal to
    :func:`rlbits.information.rl_bits_given_answer` of the expanded distribution.

    Parameters
    ----------
    p_correct : array_like, shape (...)
        Probability of the correct token.
    probs_other : array_like, shape (..., K)
        Probabilities of wrong tokens; entry ``k`` stands for ``counts[k]`` identical tokens.
    counts : array_like, shape (..., K), optional
        How many tokens each entry stands for (default 1).

    Returns
    -------
    numpy.ndarray, shape (...)
        Expected bits of one pass/fail sample given the answer.

    Raises
    ------
    ValueError
        Never for finite input; NaN propagates (the simulator passes validated states).

    Notes
    -----
    Chapter 2, "Bits given the answer", and Chapter 6, "The toy model and the rules".
    """
    pc = np.asarray(p_correct, dtype=np.float64)
    po = np.asarray(probs_other, dtype=np.float64)
    cnt = np.ones_like(po) if counts is None else np.asarray(counts, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.where(pc > 0, -pc * np.log2(np.where(pc > 0, pc, 1.0)), 0.0)
        terms = np.where((po > 0) & (cnt > 0), -cnt * po * np.log1p(-np.minimum(po, 1.0)) / _LN2, 0.0)
    return own + terms.sum(axis=-1)


def samples_to_learn_mean_field(V: int, lr: float, method: str = "reinforce", target: float = 0.5) -> float:
    """Samples for a tabular softmax policy to go from uniform to pass rate ``target`` (mean field).

    The expected per-sample change of the logit gap ``d = z_c - z_wrong`` is ``η (1 - p) V/(V-1)``
    for SL and ``η p (1 - p) V/(V-1)`` for REINFORCE, with ``p = e^d / (e^d + V - 1)``. Integrating
    ``dn = dd / (dd/dn)`` from ``d = 0`` to ``d* = ln(target (V-1) / (1 - target))`` gives

    - SL: ``n = (e^{d*} - 1 + (V-1) d*) / (η V)``, about ``(1 + ln V) / η`` at ``target = 1/2``;
    - REINFORCE: ``n = (e^{d*} - 1 + 2(V-1) d* + (V-1)² (1 - e^{-d*})) / (η V)``, about ``V / η``.

    Parameters
    ----------
    V : int
        Vocabulary size (at least 2).
    lr : float
        Step size ``η`` (> 0).
    method : {"sl", "reinforce"}
    target : float
        Pass rate in (0, 1).

    Returns
    -------
    float
        Samples (0 if the uniform policy already reaches ``target``).

    Raises
    ------
    ValueError
        If an argument is out of range or ``method`` is unknown.

    Notes
    -----
    Chapter 6, exercise "ex-06-samples".
    """
    V = _validate.positive_int(V, "V", minimum=2)
    eta = _validate.positive_number(lr, "lr")
    t = _validate.open_unit(target, "target")
    if method not in ("sl", "reinforce"):
        raise ValueError(f"method must be 'sl' or 'reinforce', got {method!r}")
    d = math.log(t * (V - 1) / (1 - t))
    if d <= 0:
        return 0.0
    if method == "sl":
        return (math.exp(d) - 1 + (V - 1) * d) / (eta * V)
    return (math.exp(d) - 1 + 2 * (V - 1) * d + (V - 1) ** 2 * (1 - math.exp(-d))) / (eta * V)


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return method


@dataclass
class _Config:
    method: str
    V: int
    lr: float
    N: int
    seeds: int
    prompts: int
    max_samples: int
    stop: float | None
    stages: tuple[int, ...]
    advance_at: float
    init_logit: NDArray[np.float64]  # (prompts,) correct-token logit (wrong tokens start at 0)


def _config(method: str, V: int, lr: float, batch_size: int, seeds: int, prompts: int, max_samples: int,
            stop_pass_rate: float | None, curriculum: ArrayLike | None,
            advance_at: float, init_pass_rate: ArrayLike | None) -> _Config:
    _check_method(method)
    V = _validate.positive_int(V, "V", minimum=2)
    lr = _validate.positive_number(lr, "lr")
    N = _validate.positive_int(batch_size, "batch_size", minimum=2 if method in ("baseline", "grpo") else 1)
    seeds = _validate.positive_int(seeds, "seeds")
    prompts = _validate.positive_int(prompts, "prompts")
    max_samples = _validate.positive_int(max_samples, "max_samples", minimum=N)
    stop = None if stop_pass_rate is None else _validate.open_unit(stop_pass_rate, "stop_pass_rate")
    if curriculum is None:
        stages: tuple[int, ...] = (V,)
    else:
        arr = np.asarray(curriculum)
        if arr.ndim != 1 or arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
            raise ValueError(f"curriculum must be a 1-D list of whole candidate-set sizes, got {curriculum!r}")
        stages = tuple(int(k) for k in arr)
        if stages[0] < 2 or any(b <= a for a, b in zip(stages, stages[1:])) or stages[-1] != V:
            raise ValueError(f"curriculum sizes must increase from at least 2 and end at V = {V}, got {stages}")
    advance = _validate.open_unit(advance_at, "advance_at")
    if init_pass_rate is None:
        p0 = np.full(prompts, 1.0 / V)
    else:
        p0 = np.broadcast_to(_validate.probability(init_pass_rate, "init_pass_rate"), (prompts,)).astype(np.float64)
        if (p0 <= 0).any() or (p0 >= 1).any():
            raise ValueError("init_pass_rate must lie strictly between 0 and 1")
    # p0 = e^zc / (e^zc + (V - 1)) on the full vocabulary with every wrong logit 0 (uniform: zc = 0).
    init_logit = np.log(p0) - np.log1p(-p0) + math.log(V - 1)
    if init_pass_rate is None:
        # Exactly 0, not the formula's rounding (about 1e-16): the constant baseline's all-fail batches
        # lift every token in proportion to its probability, which amplifies any head start (a factor
        # 1 + η N π per batch), so a rounding error would grow into a spurious preference.
        init_logit = np.zeros(prompts)
    return _Config(method, V, lr, N, seeds, prompts, max_samples, stop, stages, advance, init_logit)


def _lse(a: NDArray[np.float64], axis: int = -1) -> NDArray[np.float64]:
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return np.squeeze(m, axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def _advantages(method: str, k: NDArray[np.float64], N: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Advantage of a correct and of a wrong sample in a batch with ``k`` successes out of ``N``."""
    if method == "reinforce":
        return np.ones_like(k), np.zeros_like(k)
    if method == "plusminus":
        return np.full_like(k, 0.5), np.full_like(k, -0.5)
    if method == "baseline":
        return (N - k) / (N - 1), -k / (N - 1)
    live = (k > 0) & (k < N)
    ks = np.where(live, k, 1.0)
    return np.where(live, np.sqrt((N - ks) / ks), 0.0), np.where(live, -np.sqrt(ks / np.maximum(N - ks, 1.0)), 0.0)


def _log_binom_pmf(N: int, logp: NDArray[np.float64], logq: NDArray[np.float64]) -> NDArray[np.float64]:
    ks = np.arange(N + 1, dtype=np.float64)
    lc = np.array([math.lgamma(N + 1) - math.lgamma(j + 1) - math.lgamma(N - j + 1) for j in range(N + 1)])
    with np.errstate(invalid="ignore"):
        out = lc + ks * logp[:, None] + (N - ks) * logq[:, None]
    return np.where(np.isnan(out), -np.inf, out)


class _State:
    """Compact exact state of ``R`` rows (see the module docstring, point 1)."""

    def __init__(self, cfg: _Config):
        R = cfg.seeds * cfg.prompts
        S = len(cfg.stages)
        self.R, self.S = R, S
        self.zc = np.tile(cfg.init_logit, cfg.seeds).astype(np.float64)
        self.T = np.full((R, 0), -np.inf)
        self.t = np.zeros(R, dtype=np.int64)
        sizes = np.diff(np.concatenate([[1], cfg.stages]))  # wrong tokens added at each stage
        self.pm = np.tile(sizes, (R, 1)).astype(np.int64)
        self.pu = np.zeros((R, S))
        self.stage = np.zeros(R, dtype=np.int64)
        self.cache: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None

    def pool_logits(self, active_only: bool) -> NDArray[np.float64]:
        with np.errstate(divide="ignore"):
            lp = self.pu + np.log(self.pm)
        if active_only:
            lp = np.where(np.arange(self.S)[None, :] <= self.stage[:, None], lp, -np.inf)
        return lp

    def log_parts(self, active_only: bool = True) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return ``(log Z, log Σ_wrong e^z)`` over the active candidate set (or the full vocabulary)."""
        wrong = np.concatenate([self.T, self.pool_logits(active_only)], axis=1)
        lw = _lse(wrong)
        return np.logaddexp(self.zc, lw), lw

    def measures(self) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Full-vocabulary ``-log2 p``, and SL / RL bits per sample on the active candidate set."""
        logz, logw = self.log_parts(active_only=True)
        self.cache = (logz, logw)  # reused by the next update while the state is unchanged
        logz_full = logz if self.S == 1 else self.log_parts(active_only=False)[0]
        neglog2p = (logz_full - self.zc) / _LN2
        pc = np.exp(self.zc - logz)
        sl = (logz - self.zc) / _LN2
        active = np.arange(self.S)[None, :] <= self.stage[:, None]
        pool_p = np.where(active & (self.pm > 0), np.exp(self.pu - logz[:, None]), 0.0)
        others = np.concatenate([np.exp(self.T - logz[:, None]), pool_p], axis=1)
        counts = np.concatenate([np.ones_like(self.T), self.pm.astype(np.float64)], axis=1)
        return neglog2p, sl, rl_bits_compact(pc, others, counts)

    def ensure_capacity(self, need: int) -> None:
        cap = self.T.shape[1]
        if need > cap:
            new = max(need, 2 * cap, 8)
            self.T = np.concatenate([self.T, np.full((self.R, new - cap), -np.inf)], axis=1)


def _step(st: _State, cfg: _Config, rows: NDArray[np.bool_], rng: np.random.Generator, skip: bool
          ) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """One update for every row in ``rows``; returns samples consumed per row and the max |Δz|."""
    R, N, eta, method = st.R, cfg.N, cfg.lr, cfg.method
    logz, logw = st.cache if st.cache is not None else st.log_parts(active_only=True)
    st.cache = None
    pc = np.exp(st.zc - logz)
    active = np.arange(st.S)[None, :] <= st.stage[:, None]
    pool_p = np.where(active & (st.pm > 0), np.exp(st.pu - logz[:, None]), 0.0)  # per pool token
    T_p = np.exp(st.T - logz[:, None])
    used = np.full(R, N, dtype=np.int64)
    zc_old = st.zc.copy()

    if method == "sl":
        g = np.where(rows, eta * N, 0.0)  # η × N samples, each with gradient e_c - π
        st.zc = st.zc + g * (1.0 - pc)
        st.T = st.T - g[:, None] * T_p
        st.pu = st.pu - np.where(active, g[:, None] * pool_p, 0.0)
        return used, np.abs(st.zc - zc_old)

    # Sampled methods: number of successes k, conditioned on a live batch when skipping.
    logpmf = _log_binom_pmf(N, st.zc - logz, logw - logz)
    ks = np.arange(N + 1)
    if skip and method != "plusminus":  # with the constant baseline 1/2 every batch moves something
        live = (ks >= 1) if method == "reinforce" else ((ks >= 1) & (ks <= N - 1))
    else:
        live = np.ones(N + 1, dtype=bool)
    log_live = _lse(np.where(live, logpmf, -np.inf))
    log_dead = _lse(np.where(live, -np.inf, logpmf))
    u_d = rng.random(R)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Geometric number of dead batches before a live one: floor(log U / log P(dead)).
        dead = np.where(np.isfinite(log_dead) & (log_dead < 0), np.floor(np.log(u_d) / np.minimum(log_dead, -1e-300)), 0.0)
    dead = np.minimum(dead, 4e15)
    with np.errstate(invalid="ignore"):
        pk = np.exp(np.where(live & np.isfinite(log_live)[:, None], logpmf - log_live[:, None], -np.inf))
    ok = np.isfinite(log_live) & (pk.sum(axis=1) > 0)
    pk = np.where(ok[:, None], pk, ks == 0)  # a row with no possible live batch: a placeholder, unused
    k = sample_categorical(pk / pk.sum(axis=1, keepdims=True), rng=rng)
    k = np.where(ok, k, 0).astype(np.float64)
    used = ((dead + 1) * N).astype(np.int64)

    a_c, a_w = _advantages(method, k, N)
    a_c, a_w = np.where(rows, a_c, 0.0), np.where(rows, a_w, 0.0)
    S_sum = k * a_c + (N - k) * a_w  # Σ_i A_i (0 for the zero-sum baseline and GRPO)
    w_c = k * a_c
    new_zc = st.zc + eta * (w_c - S_sum * pc)
    new_T = st.T - eta * S_sum[:, None] * T_p
    new_pu = st.pu - eta * S_sum[:, None] * pool_p

    touching = rows & (a_w != 0) & (k < N)
    if touching.any():
        cap = st.T.shape[1]
        # Wrong draws: categories 0..cap-1 are touched tokens, cap..cap+S-1 the pools (untouched).
        wrong_p = np.concatenate([T_p, pool_p * st.pm], axis=1)
        idx_rows = np.flatnonzero(touching)
        wp = wrong_p[idx_rows]
        wp = wp / wp.sum(axis=1, keepdims=True)
        cats = sample_categorical(wp, N, rng=rng)
        n_wrong = (N - k[idx_rows]).astype(np.int64)
        valid = np.arange(N)[None, :] < n_wrong[:, None]
        rr = np.broadcast_to(idx_rows[:, None], cats.shape)
        weight = np.broadcast_to(eta * a_w[idx_rows][:, None], cats.shape)
        # Touched tokens: scatter-add their weights.
        sel = valid & (cats < cap)
        if sel.any():
            add = np.bincount(rr[sel] * cap + cats[sel], weights=weight[sel], minlength=R * cap)
            new_T = new_T + add.reshape(R, cap)
        # Untouched tokens: pick which pool token (uniformly), merge duplicates, give them new slots.
        sel = valid & (cats >= cap)
        if sel.any():
            pool = cats[sel] - cap
            prow = rr[sel]
            which = np.floor(rng.random(pool.size) * st.pm[prow, pool]).astype(np.int64)
            key = (prow * st.S + pool) * cfg.V + which
            ukeys, inverse = np.unique(key, return_inverse=True)
            mult = np.bincount(inverse, minlength=ukeys.size)
            urow = ukeys // (st.S * cfg.V)
            upool = (ukeys // cfg.V) % st.S
            rank = np.arange(ukeys.size) - np.searchsorted(urow, urow, side="left")
            slot = st.t[urow] + rank
            n_new = np.bincount(urow, minlength=R)
            st.ensure_capacity(int((st.t + n_new).max()))
            new_T = np.concatenate([new_T, np.full((R, st.T.shape[1] - new_T.shape[1]), -np.inf)], axis=1)
            new_T[urow, slot] = new_pu[urow, upool] + eta * a_w[urow] * mult
            st.t = st.t + n_new
            st.pm = st.pm - np.bincount(urow * st.S + upool, minlength=R * st.S).reshape(R, st.S)
    st.zc, st.T, st.pu = new_zc, new_T, new_pu
    return used, np.abs(st.zc - zc_old)


def _assemble(method: str, cfg: _Config, ev_samples: list, ev_nl: list, ev_sl: list, ev_rl: list,
              stopped: NDArray[np.bool_], touched: NDArray[np.int64], grid_points: int) -> TrainingRun:
    shape = (-1, cfg.seeds, cfg.prompts)
    es = np.stack(ev_samples).reshape(shape)
    nl = np.stack(ev_nl).reshape(shape)
    sl = np.stack(ev_sl).reshape(shape)
    rl = np.stack(ev_rl).reshape(shape)
    grid = np.unique(np.concatenate([[0.0], np.round(np.geomspace(1, cfg.max_samples, grid_points))]))
    E = es.shape[0]
    # Index of the last update at or before each grid point (clocks increase along axis 0; inf = none).
    flat = es.reshape(E, -1).T  # (rows, E)
    rows = flat.shape[0]
    big = 4.0 * (cfg.max_samples + 1.0)
    finite = np.where(np.isfinite(flat), flat, big * 0.75)
    offs = big * np.arange(rows)[:, None]
    pos = np.searchsorted((finite + offs).ravel(), (grid[None, :] + offs).ravel(), side="right").reshape(rows, -1)
    pos = pos - E * np.arange(rows)[:, None] - 1
    pos = np.clip(pos, 0, E - 1)

    def on_grid(a: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.take_along_axis(a.reshape(E, -1).T, pos, axis=1).reshape(cfg.seeds, cfg.prompts, -1)

    nlg = on_grid(nl)
    return TrainingRun(
        method=method, V=cfg.V, lr=cfg.lr, batch_size=cfg.N, max_samples=cfg.max_samples,
        samples=grid, pass_rate=np.exp2(-nlg), neglog2p=nlg, sl_bits=on_grid(sl), rl_bits=on_grid(rl),
        event_samples=es, event_pass_rate=np.exp2(-nl), event_neglog2p=nl, event_sl_bits=sl, event_rl_bits=rl,
        stopped=stopped.reshape(cfg.seeds, cfg.prompts), touched=touched.reshape(cfg.seeds, cfg.prompts),
    )


def train(
    method: str,
    V: int,
    lr: float,
    *,
    rng: np.random.Generator,
    batch_size: int = 8,
    seeds: int = 32,
    prompts: int = 1,
    max_samples: int = 100_000,
    stop_pass_rate: float | None = 0.99,
    curriculum: ArrayLike | None = None,
    advance_at: float = 0.5,
    init_pass_rate: ArrayLike | None = None,
    skip_dead_batches: bool = True,
    grid_points: int = 120,
    max_updates: int = 200_000,
) -> TrainingRun:
    """Train ``seeds × prompts`` independent tabular softmax policies over ``V`` tokens at once.

    ``method`` is one of :data:`METHODS`; ``lr`` is the step ``η`` of the shared rule
    ``z ← z + η Σ_i A_i ∇ log π(a_i)`` over each batch of ``batch_size`` samples per prompt (see the
    module docstring). Each row trains until it has used ``max_samples`` samples or, if
    ``stop_pass_rate`` is set, until its pass rate reaches it (early stopping: training ends there).
    ``curriculum``: increasing candidate-set sizes ending at ``V``; the policy first answers a
    multiple-choice version of its prompt restricted to the correct token and ``K_0 - 1`` wrong ones
    (the rest masked), and the set grows to the next size once the pass rate on the current set
    reaches ``advance_at``; the reported pass rate is always on the full vocabulary.
    ``init_pass_rate``: starting pass rate per prompt (default ``1/V``, the uniform policy).
    Returns a :class:`TrainingRun` (exact curves on a log grid of sample counts).

    Parameters
    ----------
    method : str
        One of :data:`METHODS`.
    V : int
        Vocabulary size (at least 2).
    lr : float
        Step size ``η`` (> 0).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    batch_size : int
        ``N``, samples per prompt per step (at least 2 for the leave-one-out baseline and GRPO).
    seeds, prompts : int
        Independent rows (``seeds × prompts``).
    max_samples : int
        Budget per row.
    stop_pass_rate : float or None
        Stop a row once its pass rate reaches it.
    curriculum : array_like of int, optional
        Increasing candidate-set sizes ending at ``V``.
    advance_at : float
        Pass rate on the current candidate set at which the curriculum widens it.
    init_pass_rate : float or array_like, optional
        Starting pass rate per prompt (default ``1/V``, exactly uniform).
    skip_dead_batches : bool
        Draw the number of dead batches at once (exact); ``False`` simulates every batch.
    grid_points : int
        Points of the log grid of sample counts.
    max_updates : int
        Safety limit on the number of live updates.

    Returns
    -------
    TrainingRun

    Raises
    ------
    ValueError
        If an argument is out of range, or ``max_updates`` was not enough.

    Notes
    -----
    Chapter 6, "The toy model and the rules" (the rule) and "Ideal learners" onwards (its uses).
    """
    cfg = _config(method, V, lr, batch_size, seeds, prompts, max_samples, stop_pass_rate,
                  curriculum, advance_at, init_pass_rate)
    rng = _validate.rng(rng)
    max_updates = _validate.positive_int(max_updates, "max_updates")
    st = _State(cfg)
    clock = np.zeros(st.R, dtype=np.float64)
    done = np.zeros(st.R, dtype=bool)
    stopped = np.zeros(st.R, dtype=bool)
    nl, sl, rl = st.measures()
    ev_samples, ev_nl, ev_sl, ev_rl = [clock.copy()], [nl], [sl], [rl]
    last_stage = len(cfg.stages) - 1
    for _ in range(max_updates):
        rows = ~done
        if not rows.any():
            break
        saved = (st.zc.copy(), st.T.copy(), st.pu.copy(), st.t.copy(), st.pm.copy())
        used, change = _step(st, cfg, rows, rng, skip_dead_batches)
        over = rows & (clock + used > cfg.max_samples)
        if over.any():  # the next update would end past the budget: the row ends as it was
            st.zc = np.where(over, saved[0], st.zc)
            width = st.T.shape[1]
            old_T = np.concatenate([saved[1], np.full((st.R, width - saved[1].shape[1]), -np.inf)], axis=1)
            st.T = np.where(over[:, None], old_T, st.T)
            st.pu = np.where(over[:, None], saved[2], st.pu)
            st.t = np.where(over, saved[3], st.t)
            st.pm = np.where(over[:, None], saved[4], st.pm)
        applied = rows & ~over
        clock = np.where(applied, clock + used, clock)
        done |= over
        nl, sl, rl = st.measures()
        # Curriculum: move to the next candidate set once the current one is mastered to advance_at.
        if last_stage > 0:
            p_active = np.exp2(-sl)
            adv = applied & (st.stage < last_stage) & (p_active >= cfg.advance_at)
            st.stage = st.stage + adv
            if adv.any():
                nl, sl, rl = st.measures()
        if cfg.stop is not None:
            hit = applied & (st.stage == last_stage) & (np.exp2(-nl) >= cfg.stop)
            stopped |= hit
            done |= hit
        if method == "sl":
            done |= applied & (change < 1e-12)  # converged to a fixed point: nothing changes any more
        done |= clock + cfg.N > cfg.max_samples
        ev_samples.append(np.where(applied, clock, np.inf))
        ev_nl.append(nl)
        ev_sl.append(sl)
        ev_rl.append(rl)
    else:
        if not done.all():
            raise ValueError(f"max_updates = {max_updates} was not enough to finish every row; raise it or lower max_samples")
    # Rows not applied at an iteration keep the previous state; mark their clocks as 'no update'.
    return _assemble(method, cfg, ev_samples, ev_nl, ev_sl, ev_rl, stopped, st.t, grid_points)


def reference_train(
    method: str,
    V: int,
    lr: float,
    *,
    rng: np.random.Generator,
    batch_size: int = 8,
    seeds: int = 4,
    prompts: int = 1,
    max_samples: int = 1_000,
    stop_pass_rate: float | None = 0.99,
    curriculum: ArrayLike | None = None,
    advance_at: float = 0.5,
    init_pass_rate: ArrayLike | None = None,
    grid_points: int = 120,
) -> TrainingRun:
    """The same training as :func:`train`, written as a plain per-sample Python loop over dense logits.

    For every seed, prompt and batch: draw the ``N`` answers one at a time, compute each sample's
    advantage and its dense gradient ``A_i (e_{a_i} - π)`` (Chapter 3's formulas, via
    :mod:`rlbits.gradients`), add them up and step. No structure is exploited: cost ``O(N V)`` per
    batch and every batch is simulated. For tests and the benchmark only.

    Parameters
    ----------
    method, V, lr, rng, batch_size, seeds, prompts, max_samples, stop_pass_rate, curriculum, advance_at, init_pass_rate, grid_points
        As in :func:`train`.

    Returns
    -------
    TrainingRun

    Raises
    ------
    ValueError
        As :func:`train`.

    Notes
    -----
    Chapter 6, "The toy model and the rules".
    """
    cfg = _config(method, V, lr, batch_size, seeds, prompts, max_samples, stop_pass_rate,
                  curriculum, advance_at, init_pass_rate)
    rng = _validate.rng(rng)
    N, eta = cfg.N, cfg.lr
    rows = cfg.seeds * cfg.prompts
    max_steps = cfg.max_samples // N
    ev = np.full((4, max_steps + 1, rows), np.nan)
    ev_clock = np.full((max_steps + 1, rows), np.inf)
    stopped = np.zeros(rows, dtype=bool)
    touched = np.zeros(rows, dtype=np.int64)
    last_stage = len(cfg.stages) - 1

    def measures(z: NDArray[np.float64], K: int) -> tuple[float, float, float]:
        from . import information

        full = gradients.softmax(z)
        act = gradients.softmax(z[:K])
        return (float(-np.log2(full[0])), float(information.sl_bits_given_answer(act, 0)),
                float(information.rl_bits_given_answer(act, 0)))

    for r in range(rows):
        z = np.zeros(V)
        z[0] = cfg.init_logit[r % cfg.prompts]
        stage = 0
        ever = np.zeros(V, dtype=bool)
        ev[:3, 0, r] = measures(z, cfg.stages[0])
        ev_clock[0, r] = 0.0
        clock = 0
        for step in range(1, max_steps + 1):
            K = cfg.stages[stage]
            pi = gradients.softmax(z[:K])
            grad = np.zeros(K)
            if method == "sl":
                for _ in range(N):
                    grad += (np.arange(K) == 0) - pi
            else:
                actions = [int(a) for a in sample_categorical(pi, N, rng=rng)]
                rewards = np.array([1.0 if a == 0 else 0.0 for a in actions])
                if method == "reinforce":
                    adv = rewards
                elif method == "plusminus":
                    adv = rewards - 0.5
                elif method == "baseline":
                    adv = np.array([rewards[i] - (rewards.sum() - rewards[i]) / (N - 1) for i in range(N)])
                else:
                    adv = gradients.grpo_advantages(rewards)
                for a, A in zip(actions, adv):
                    g = -pi.copy()
                    g[a] += 1.0
                    grad += A * g
                    if A != 0 and a != 0:
                        ever[a] = True
            old = z[0]
            z[:K] += eta * grad
            clock += N
            ev_clock[step, r] = clock
            if last_stage > 0 and stage < last_stage and gradients.softmax(z[:K])[0] >= cfg.advance_at:
                stage += 1
            ev[:3, step, r] = measures(z, cfg.stages[stage])
            if cfg.stop is not None and stage == last_stage and gradients.softmax(z)[0] >= cfg.stop:
                stopped[r] = True
                break
            if method == "sl" and abs(z[0] - old) < 1e-12:
                break
        touched[r] = int(ever.sum())
    last = np.where(np.isfinite(ev_clock), np.arange(max_steps + 1)[:, None], 0).max(axis=0)
    for r in range(rows):  # after a row's last update its state stays put
        ev[:3, last[r] + 1:, r] = ev[:3, last[r], r][:, None]
    return _assemble(method, cfg, list(ev_clock), list(ev[0]), list(ev[1]), list(ev[2]), stopped, touched, grid_points)


def absorbed_vs_pass_rate(run: TrainingRun, bins: ArrayLike) -> dict[str, NDArray[np.float64]]:
    """Bits absorbed and bits available per sample, pooled over every update of every row, by pass rate.

    For each update the absorbed bits are the drop in ``-log2 p``; the samples it used are the dead
    batches skipped plus the live one; the available bits are the per-sample SL and RL bits of the
    state before it (constant over those samples) times that count. Updates are grouped by the pass
    rate before them into ``bins`` (edges) and each group's totals are divided by its samples:
    ``{"centers", "absorbed", "sl_available", "rl_available", "samples"}`` (bits per sample).
    ``"drop_per_seed"`` and ``"samples_per_seed"`` (shape ``(seeds, bins)``) hold each seed's totals,
    for confidence intervals by resampling seeds (:func:`bootstrap_ratio`).

    The "available" columns sum Chapter 2's per-sample bits over samples; repeated identical labels
    are counted again each time, so they are **not** information about the answer (which is at most
    ``log2 V`` bits in all). Chapter 6 uses only ``absorbed`` (the drop in the surprisal of the
    correct token, per sample).

    Parameters
    ----------
    run : TrainingRun
    bins : array_like
        Increasing pass-rate edges (at least two).

    Returns
    -------
    dict of numpy.ndarray
        The keys listed above.

    Raises
    ------
    ValueError
        If ``bins`` is not an increasing 1-D array of at least two edges.

    Notes
    -----
    Chapter 6, "Where in training each method learns fastest".
    """
    edges = np.asarray(bins, dtype=np.float64)
    if edges.ndim != 1 or edges.size < 2 or (np.diff(edges) <= 0).any():
        raise ValueError("bins must be an increasing 1-D array of at least two edges")
    es = run.event_samples
    prev = np.maximum.accumulate(np.where(np.isfinite(es), es, -np.inf), axis=0)
    spent = np.where(np.isfinite(es[1:]), es[1:] - prev[:-1], 0.0)
    drop = run.event_neglog2p[:-1] - run.event_neglog2p[1:]
    p_before = run.event_pass_rate[:-1]
    which = np.digitize(p_before, edges) - 1
    ok = (spent > 0) & (which >= 0) & (which < edges.size - 1)
    nb = edges.size - 1
    tot = np.bincount(which[ok], weights=spent[ok], minlength=nb)
    out = {"centers": np.sqrt(edges[:-1] * edges[1:]) if edges[0] > 0 else 0.5 * (edges[:-1] + edges[1:]), "samples": tot}
    with np.errstate(invalid="ignore", divide="ignore"):
        out["absorbed"] = np.bincount(which[ok], weights=drop[ok], minlength=nb) / tot
        out["sl_available"] = np.bincount(which[ok], weights=(run.event_sl_bits[:-1] * spent)[ok], minlength=nb) / tot
        out["rl_available"] = np.bincount(which[ok], weights=(run.event_rl_bits[:-1] * spent)[ok], minlength=nb) / tot
    seed = np.broadcast_to(np.arange(run.seeds)[None, :, None], which.shape)
    key = seed[ok] * nb + which[ok]
    out["drop_per_seed"] = np.bincount(key, weights=drop[ok], minlength=run.seeds * nb).reshape(run.seeds, nb)
    out["samples_per_seed"] = np.bincount(key, weights=spent[ok], minlength=run.seeds * nb).reshape(run.seeds, nb)
    return out


# --- Fair comparisons: ideal learners, step-size sweeps, intervals over seeds (Chapter 6) ---


def ideal_samples(V: int, learner: str, batch_size: int = 1) -> float:
    """Expected samples an ideal learner needs to identify the answer among ``V`` equally likely ones.

    Parameters
    ----------
    V : int
        Number of candidates (at least 1).
    learner : {"sl", "elimination", "guessing"}
        ``"sl"``: one label names the answer (``log2 V`` bits). ``"elimination"``: a pass/fail learner
        that never repeats a failed guess; its cost is the answer's position in a random order of the
        candidates. ``"guessing"``: a pass/fail learner that guesses uniformly with replacement until
        its first success.
    batch_size : int
        ``N``: the learner pays for whole batches of ``N`` samples (the methods of Chapter 6 do).

    Returns
    -------
    float
        Samples: ``N`` for SL; for elimination ``N E[ceil(K / N)]`` with ``K`` uniform on ``1..V``
        (``(V + 1)/2`` for ``N = 1``; 9.6 at ``V = 10, N = 8``); for guessing ``V`` if ``N = 1`` and
        :func:`first_success_samples` otherwise.

    Raises
    ------
    ValueError
        If ``V`` or ``batch_size`` is not a positive integer or ``learner`` is unknown.

    Notes
    -----
    Chapter 6, "Ideal learners".
    """
    V = _validate.positive_int(V, "V")
    N = _validate.positive_int(batch_size, "batch_size")
    if learner == "sl":
        return float(N)
    if learner == "elimination":
        full, rest = divmod(V, N)  # batches b = 1..full hold N positions each, the last one holds rest
        total = N * N * full * (full + 1) / 2 + N * (full + 1) * rest
        return total / V
    if learner == "guessing":
        return float(V) if N == 1 else float(first_success_samples(1.0 / V, N))
    raise ValueError(f"learner must be 'sl', 'elimination' or 'guessing', got {learner!r}")


def first_success_samples(p: ArrayLike, batch_size: int) -> NDArray[np.float64] | float:
    """Expected samples, counted in whole batches of ``N``, until a batch contains a success.

    Each sample succeeds independently with probability ``p``: ``N / (1 - (1 - p)^N)``, which is
    ``1/p + (N - 1)/2`` to first order. This is the cost of a policy-gradient learner whose first
    success takes it all the way (an infinite step size). Units: samples.

    Parameters
    ----------
    p : float or array_like
        Success probability per sample, in (0, 1].
    batch_size : int
        ``N``.

    Returns
    -------
    float or numpy.ndarray
        Samples.

    Raises
    ------
    ValueError
        If ``p`` is not in (0, 1] or ``batch_size`` is not a positive integer.

    Notes
    -----
    Chapter 6, "Ideal learners".
    """
    pp = _validate.probability(p, "p")
    if (pp <= 0).any():
        raise ValueError("p must be positive: with p = 0 no success ever comes")
    N = _validate.positive_int(batch_size, "batch_size")
    q = np.minimum(pp, 0.5)  # p = 1 would divide by zero below; its answer (one batch) is set apart
    out = N / -np.expm1(N * np.log1p(-np.where(pp >= 1, q, pp)))
    return _validate.scalar_or_array(np.where(pp >= 1, float(N), out))


def elimination_information(V: int, n: ArrayLike) -> NDArray[np.float64] | float:
    """Expected bits about the answer an ideal pass/fail learner holds after ``n`` samples, by elimination.

    The answer is uniform over ``V`` candidates and the learner tries them without repetition. After
    ``n`` tries it has found the answer with probability ``n/V`` (then it knows all ``log2 V`` bits);
    otherwise ``V - n`` candidates remain (``log2(V/(V - n))`` bits). So
    ``I(n) = (n/V) log2 V + (1 - n/V) log2(V/(V - n))`` for ``0 ≤ n < V`` and ``log2 V`` beyond. For a
    Bayesian learner this expected drop in the answer's surprisal is the mutual information between
    the answer and the ``n`` outcomes. Units: bits.

    Parameters
    ----------
    V : int
        Number of candidates.
    n : float or array_like
        Samples (non-negative).

    Returns
    -------
    float or numpy.ndarray
        Bits.

    Raises
    ------
    ValueError
        If ``V`` is not a positive integer or ``n`` is negative or not finite.

    Notes
    -----
    Chapter 6, "Information about the answer".
    """
    V = _validate.positive_int(V, "V")
    nn = np.asarray(n, dtype=np.float64)
    if not np.isfinite(nn).all() or (nn < 0).any():
        raise ValueError("n must be finite and non-negative")
    f = np.minimum(np.floor(nn), V) / V
    with np.errstate(divide="ignore", invalid="ignore"):
        rest = np.where(f < 1, -(1 - f) * np.log2(np.where(f < 1, 1 - f, 1.0)), 0.0)
    return _validate.scalar_or_array(f * math.log2(V) + rest)


def lr_sweep(method: str, V: int, lrs: ArrayLike, *, rng: np.random.Generator, seeds: int = 32,
             batch_size: int = 8, target: float = 0.5, init_pass_rate: ArrayLike | None = None,
             curriculum: ArrayLike | None = None) -> NDArray[np.float64]:
    """Samples for each seed to reach pass rate ``target``, at each step size in ``lrs``.

    Returns shape ``(len(lrs), seeds)``; ``inf`` where a seed did not get there within the budget,
    ``8 (n_mf + 10 V + 10 N)`` samples with ``n_mf`` the mean-field count from uniform
    (:func:`samples_to_learn_mean_field`; REINFORCE's for every sampled method). Training stops at
    ``target``. Every step size sees the same random stream (common random numbers, one seed drawn
    from ``rng``), so differences between step sizes are not differences between seeds. Chapter 6,
    "Each method at its best step size".

    Parameters
    ----------
    method : str
        One of :data:`METHODS`.
    V : int
        Vocabulary size.
    lrs : array_like
        Step sizes.
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    seeds, batch_size : int
    target : float
        Pass rate in (0, 1).
    init_pass_rate, curriculum
        As in :func:`train`.

    Returns
    -------
    numpy.ndarray, shape (len(lrs), seeds)

    Raises
    ------
    ValueError
        If an argument is out of range.

    Notes
    -----
    Chapter 6, "Each method at its best step size".
    """
    _check_method(method)
    V = _validate.positive_int(V, "V", minimum=2)
    etas = np.asarray(lrs, dtype=np.float64)
    if etas.ndim != 1 or etas.size == 0:
        raise ValueError("lrs must be a non-empty 1-D list of step sizes")
    rng = _validate.rng(rng)
    t = _validate.open_unit(target, "target")
    N = _validate.positive_int(batch_size, "batch_size")
    out = np.empty((etas.size, _validate.positive_int(seeds, "seeds")))
    kind = "sl" if method == "sl" else "reinforce"
    stream = int(rng.integers(2**63))
    for j, eta in enumerate(etas):
        eta = _validate.positive_number(eta, "lrs")
        budget = int(min(8 * (samples_to_learn_mean_field(V, eta, kind, t) + 10 * V + 10 * N), 4e15))
        run = train(method, V, eta, rng=np.random.default_rng(stream), batch_size=N, seeds=out.shape[1],
                    max_samples=max(budget, N), stop_pass_rate=t, init_pass_rate=init_pass_rate,
                    curriculum=curriculum, grid_points=2, max_updates=2_000_000)
        out[j] = run.samples_to_reach(t)[:, 0]
    return out


def bootstrap_means(y: ArrayLike, *, rng: np.random.Generator, n_boot: int = 2000) -> NDArray[np.float64]:
    """Bootstrap replicates of the mean over the last axis (seeds), or over draws then seeds.

    Parameters
    ----------
    y : array_like, shape (S,) or (..., D, S)
        Values per seed, or per draw (a task) and seed.
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    n_boot : int
        Replicates.

    Returns
    -------
    numpy.ndarray, shape (n_boot, ...)
        For a 1-D ``y`` (seeds): means of seeds resampled with replacement. For ``y`` of shape
        ``(..., D, S)`` (2-D or more): a two-stage bootstrap, draws resampled with replacement and then
        seeds within each chosen draw, the same draw and seed indices for every leading index (so
        arms trained on the same draws stay paired).

    Raises
    ------
    ValueError
        If ``y`` is empty or not finite.

    Notes
    -----
    Chapter 6, "A model with shared parameters": the variation between tasks is part of the
    uncertainty, so intervals resample tasks first.
    """
    a = np.asarray(y, dtype=np.float64)
    if a.ndim < 1 or a.size == 0 or not np.isfinite(a).all():
        raise ValueError(f"y must be a non-empty finite array, got shape {a.shape}")
    rng = _validate.rng(rng)
    B = _validate.positive_int(n_boot, "n_boot")
    if a.ndim == 1:
        return a[rng.integers(0, a.size, size=(B, a.size))].mean(axis=1)
    return np.moveaxis(_resample_draws_then_seeds(a, rng, B).mean(axis=(-1, -2)), -1, 0)


def _resample_draws_then_seeds(a: NDArray[np.float64], rng: np.random.Generator, B: int) -> NDArray[np.float64]:
    """``B`` two-stage resamples of ``a`` (shape ``(..., D, S)``): draws with replacement, then seeds
    within each chosen draw, the same indices for every leading index; shape ``(..., B, D, S)``."""
    D, S = a.shape[-2:]
    di = rng.integers(0, D, size=(B, D))
    si = rng.integers(0, S, size=(B, D, S))
    return a[..., di[:, :, None], si]


def bootstrap_slope(x: ArrayLike, y: ArrayLike, *, rng: np.random.Generator, n_boot: int = 2000,
                    level: float = 0.95) -> tuple[float, float, float]:
    """Log-log slope of the mean of ``y`` against ``x``, with a percentile bootstrap interval.

    Parameters
    ----------
    x : array_like, shape (K,)
        E.g. vocabulary sizes (positive).
    y : array_like, shape (K, S) or (K, D, S)
        E.g. samples to learn per seed, or per task draw and seed.
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    n_boot : int
        Replicates.
    level : float
        Coverage of the interval.

    Returns
    -------
    tuple of float
        ``(slope, low, high)``: the least-squares fit of ``log mean(y[k])`` on ``log x[k]`` and its
        percentile interval. Each replicate resamples every ``x`` independently: seeds, or draws and
        then seeds within each draw (:func:`bootstrap_means`).

    Raises
    ------
    ValueError
        If the shapes do not fit or ``y`` is not finite and positive.

    Notes
    -----
    Chapter 6, "Each method at its best step size" and "A model with shared parameters".
    """
    xx = np.log(np.asarray(x, dtype=np.float64))
    yy = np.asarray(y, dtype=np.float64)
    if yy.ndim not in (2, 3) or yy.shape[0] != xx.size or xx.size < 2:
        raise ValueError(f"y must have shape (len(x), seeds) or (len(x), draws, seeds) with at least two x, "
                         f"got {yy.shape} for {xx.size} x")
    if not np.isfinite(yy).all() or (yy <= 0).any():
        raise ValueError("y must be finite and positive (did every seed reach the target?)")
    rng = _validate.rng(rng)
    B = _validate.positive_int(n_boot, "n_boot")
    lv = _validate.open_unit(level, "level")
    xc = xx - xx.mean()

    def slope(ly: NDArray[np.float64]) -> NDArray[np.float64]:
        return (ly - ly.mean(axis=-1, keepdims=True)) @ xc / (xc @ xc)

    means = np.stack([bootstrap_means(yy[k], rng=rng, n_boot=B) for k in range(xx.size)], axis=-1)  # (B, K)
    lo, hi = np.quantile(slope(np.log(means)), [(1 - lv) / 2, (1 + lv) / 2])
    point = np.log(yy.reshape(xx.size, -1).mean(axis=1))
    return float(slope(point)), float(lo), float(hi)


def bootstrap_ratio(num: ArrayLike, den: ArrayLike, *, rng: np.random.Generator, n_boot: int = 2000
                    ) -> NDArray[np.float64]:
    """Bootstrap replicates of ``Σ num / Σ den`` over seeds (axis 0), for every column.

    ``num``, ``den``: shape ``(seeds, ...)`` (e.g. bits dropped and samples spent per seed and bin, from
    :func:`absorbed_vs_pass_rate`). Returns shape ``(n_boot, ...)``; take quantiles for an interval.

    Parameters
    ----------
    num, den : array_like, shape (seeds, ...)
        Numerators and denominators per seed.
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    n_boot : int
        Replicates.

    Returns
    -------
    numpy.ndarray, shape (n_boot, ...)

    Raises
    ------
    ValueError
        If the shapes differ.

    Notes
    -----
    Chapter 6, "Where in training each method learns fastest".
    """
    a = np.asarray(num, dtype=np.float64)
    b = np.asarray(den, dtype=np.float64)
    if a.shape != b.shape or a.ndim < 1:
        raise ValueError(f"num and den must have the same shape (seeds, ...), got {a.shape} and {b.shape}")
    rng = _validate.rng(rng)
    B = _validate.positive_int(n_boot, "n_boot")
    idx = rng.integers(0, a.shape[0], size=(B, a.shape[0]))
    with np.errstate(invalid="ignore", divide="ignore"):
        return a[idx].sum(axis=1) / b[idx].sum(axis=1)


def bootstrap_mean_band(y: ArrayLike, *, rng: np.random.Generator, n_boot: int = 1000, level: float = 0.95
                        ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Mean over seeds (axis 0) of ``y`` and a percentile bootstrap interval for it, for every column.

    ``y``: shape ``(seeds, ...)``. Returns ``(mean, low, high)``, each of shape ``y.shape[1:]``. The band
    every averaged curve of Chapter 6 is drawn with.

    Parameters
    ----------
    y : array_like, shape (seeds, ...)
        At least two seeds.
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    n_boot : int
        Replicates.
    level : float
        Coverage.

    Returns
    -------
    tuple of numpy.ndarray
        ``(mean, low, high)``.

    Raises
    ------
    ValueError
        If ``y`` has fewer than two seeds.

    Notes
    -----
    Chapter 6 (every averaged curve).
    """
    a = np.asarray(y, dtype=np.float64)
    if a.ndim < 1 or a.shape[0] < 2:
        raise ValueError(f"y needs at least two seeds along axis 0, got shape {a.shape}")
    rng = _validate.rng(rng)
    B = _validate.positive_int(n_boot, "n_boot")
    lv = _validate.open_unit(level, "level")
    idx = rng.integers(0, a.shape[0], size=(B, a.shape[0]))
    boot = a[idx].mean(axis=1)
    lo, hi = np.quantile(boot, [(1 - lv) / 2, (1 + lv) / 2], axis=0)
    return a.mean(axis=0), lo, hi


def first_order_speed(method: str, p: ArrayLike, batch_size: int = 8) -> NDArray[np.float64] | float:
    """Expected drop in ``-log2 p`` per sample divided by ``η``, to first order in ``η``, at large ``V``.

    SL: ``log2(e) (1 - p)^2`` (one label raises the correct logit by ``η (1 - p)``, and the normaliser
    takes a share ``p`` of it). REINFORCE (with or without the leave-one-out baseline, whose expected
    update is the same): ``p`` times SL's, ``log2(e) p (1 - p)^2``, largest at ``p = 1/3``. GRPO with
    groups of ``N``: a group with ``k`` successes raises the correct logit by ``η sqrt(k (N - k))``, so
    ``log2(e) (1 - p) E[sqrt(k (N - k))] / N`` with ``k ~ Binomial(N, p)``. Terms of order ``1/V``
    (the pushed-down wrong tokens' own mass) are dropped. Units: bits per sample per unit of ``η``.

    Parameters
    ----------
    method : str
        One of :data:`METHODS` (the constant baseline's expected step is REINFORCE's).
    p : float or array_like
        Pass rate in [0, 1].
    batch_size : int
        ``N``, for GRPO.

    Returns
    -------
    float or numpy.ndarray
        Bits per sample per unit of ``η``.

    Raises
    ------
    ValueError
        If ``method`` is unknown or ``p`` is not a probability.

    Notes
    -----
    Chapter 6, "Where in training each method learns fastest".
    """
    _check_method(method)
    pp = _validate.probability(p, "p")
    base = math.log2(math.e) * (1 - pp) ** 2
    if method == "sl":
        return _validate.scalar_or_array(base)
    if method in ("reinforce", "plusminus", "baseline"):  # a constant or leave-one-out baseline is unbiased
        return _validate.scalar_or_array(pp * base)
    N = _validate.positive_int(batch_size, "batch_size", minimum=2)
    ks = np.arange(N + 1, dtype=np.float64)
    logc = np.array([math.lgamma(N + 1) - math.lgamma(k + 1) - math.lgamma(N - k + 1) for k in range(N + 1)])
    with np.errstate(divide="ignore", invalid="ignore"):
        logpmf = logc + ks * np.log(pp[..., None]) + (N - ks) * np.log1p(-pp[..., None])
    pmf = np.where(np.isnan(logpmf), 0.0, np.exp(logpmf))
    mean_root = (pmf * np.sqrt(ks * (N - ks))).sum(axis=-1)
    return _validate.scalar_or_array(math.log2(math.e) * (1 - pp) * mean_root / N)


# --- The Chapter 6 training explorer's state (moved from rlbits.widgets.ch6_training: compute only, no widget or matplotlib import) ---

# The settings the Chapter 6 explorer offers (every combination is precomputed once, then cached).
#: The explorer's update rules.
TRAINING_METHODS: tuple[str, ...] = ("sl", "reinforce", "baseline", "grpo")
#: The explorer's numbers of answers.
TRAINING_V: tuple[int, ...] = (10, 100, 1_000, 10_000, 100_000)
#: The explorer's step sizes.
TRAINING_LR: tuple[float, ...] = (0.1, 1.0, 10.0, 100.0)
TRAINING_LABELS: dict[str, str] = {
    "sl": "SL (cross-entropy)",
    "reinforce": "REINFORCE",
    "baseline": "REINFORCE + baseline",
    "grpo": "GRPO",
}
TRAINING_ROLES: dict[str, str] = {"sl": "sl", "reinforce": "rl", "baseline": "third", "grpo": "fourth"}


@dataclass(frozen=True)
class TrainingPanel:
    """Learning curve of one (method, V, learning rate): pass rate against samples, over seeds.

    ``median``, ``low``, ``high``: median, 10th and 90th percentile over seeds of the pass rate at
    each entry of ``samples``; ``samples_to_half``: median samples to reach pass rate 0.5 (``inf``
    if fewer than half the seeds got there); ``sl_median``: the SL curve at the same V and rate.
    Returned by :func:`training_panel`; Chapter 6, "Explore".

    Parameters
    ----------
    method : str
        The update rule, one of :data:`TRAINING_METHODS`.
    V : int
        Number of answers.
    lr : float
        Step size (learning rate).
    seeds : int
        Number of independent runs.
    samples : numpy.ndarray
        Samples per prompt, shape ``(G,)``.
    median, low, high : numpy.ndarray
        Median, 10th and 90th percentile of the pass rate over seeds, shape ``(G,)``.
    sl_median : numpy.ndarray
        Median pass rate of supervised learning at the same ``V`` and ``lr``, shape ``(G,)``.
    samples_to_half : float
        Median samples to reach pass rate 0.5 (``inf`` if fewer than half the seeds did).

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
    """

    method: str
    V: int
    lr: float
    seeds: int
    samples: NDArray[np.float64]
    median: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    sl_median: NDArray[np.float64]
    samples_to_half: float


def training_budget(V: int, lr: float) -> int:
    """Sample budget per run used by the Chapter 6 explorer: ``30 V / min(lr, 1) + 1000`` samples.

    Enough for the slowest setting (REINFORCE, ``~V/η`` samples) and, at large steps, for the wait
    for a first success (``~V`` samples). Chapter 6, "Explore".

    Parameters
    ----------
    V : int
        Number of answers (at least 1).
    lr : float
        Step size (finite, > 0).

    Returns
    -------
    int
        Samples per prompt.

    Raises
    ------
    ValueError
        If ``V`` is not a whole number >= 1 or ``lr`` is not a finite positive number.
    """
    V = _validate.positive_int(V, "V")
    lr = _validate.positive_number(lr, "lr")
    return int(30 * V / min(lr, 1.0)) + 1000


_TRAINING_CACHE: dict[tuple[str, int, float], tuple] = {}


def _training_grid() -> dict[tuple[str, int, float], tuple]:
    """Every explorer setting trained once (24 seeds, batch 8) and kept for the life of the kernel."""
    if _TRAINING_CACHE:
        return _TRAINING_CACHE
    grid = _TRAINING_CACHE
    for i, method in enumerate(TRAINING_METHODS):
        for j, V in enumerate(TRAINING_V):
            for k, lr in enumerate(TRAINING_LR):
                run = train(method, V, lr, rng=np.random.default_rng(600 + 100 * i + 10 * j + k),
                                     seeds=24, batch_size=8, max_samples=training_budget(V, lr), grid_points=80)
                pr = run.pass_rate[:, 0, :]
                low, med, high = np.percentile(pr, [10, 50, 90], axis=0)
                half = float(np.median(run.samples_to_reach(0.5)))
                grid[(method, V, lr)] = (run.samples, med, low, high, half, run.seeds)
    return grid


def training_panel(method: str, V: int, lr: float) -> TrainingPanel:
    """The precomputed learning curve for one setting of the Chapter 6 explorer (24 seeds, batch 8).

    The first call trains every combination of :data:`TRAINING_METHODS`, :data:`TRAINING_V` and
    :data:`TRAINING_LR` once (about a second) and caches them; later calls only look up.
    Chapter 6, "Explore".

    Parameters
    ----------
    method : str
        One of :data:`TRAINING_METHODS`.
    V : int
        One of :data:`TRAINING_V`.
    lr : float
        One of :data:`TRAINING_LR`.

    Returns
    -------
    TrainingPanel
        Median and 10-90% band of the pass rate over seeds, with SL at the same setting.

    Raises
    ------
    ValueError
        If the setting is not one of the precomputed ones.
    """
    if method not in TRAINING_METHODS:
        raise ValueError(f"method must be one of {TRAINING_METHODS}, got {method!r}")
    if V not in TRAINING_V:
        raise ValueError(f"V must be one of the precomputed sizes {TRAINING_V}, got {V!r}")
    lr_key = next((x for x in TRAINING_LR if np.isclose(x, lr)), None) if np.isscalar(lr) else None
    if lr_key is None:
        raise ValueError(f"lr must be one of the precomputed learning rates {TRAINING_LR}, got {lr!r}")
    grid = _training_grid()
    samples, med, low, high, half, seeds = grid[(method, int(V), lr_key)]
    sl_samples, sl_med = grid[("sl", int(V), lr_key)][:2]
    return TrainingPanel(method, int(V), float(lr_key), int(seeds), samples, med, low, high,
                         np.interp(samples, sl_samples, sl_med), half)


__all__ += ["TRAINING_LABELS", "TRAINING_LR", "TRAINING_METHODS", "TRAINING_ROLES", "TRAINING_V", "TrainingPanel",
            "training_budget", "training_panel"]
