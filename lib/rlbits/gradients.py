"""What one sample tells the weights: SL and REINFORCE gradients of a softmax policy, exactly and by
Monte Carlo.

Setting (Chapter 3): a softmax policy ``π = softmax(z)`` over ``V`` answers, the correct answer
``c``, pass rate ``p = π_c``. Gradients are taken with respect to the logits ``z``:

- supervised learning on the correct answer: ``g_SL = ∇_z log π_c = e_c - π``;
- REINFORCE with a binary reward ``R = 1[a = c]``, ``a ~ π``, and a constant baseline ``b``:
  ``ĝ = (R - b)(e_a - π)``, whose mean is exactly ``p · g_SL`` for every ``b``.

Exact moments come from enumerating the ``V`` actions (``O(V)``, no sampling); Monte Carlo
draws many batches at once and returns batch means, built with ``bincount`` so no ``(batch, V)``
array of per-sample gradients is formed. Signal-to-noise is ``SNR = ‖E ĝ‖² / tr Cov ĝ``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate

__all__ = [
    "GradientMoments",
    "SequenceMoments",
    "dead_group_probability",
    "grpo_advantages",
    "grpo_advantages_closed_form",
    "grpo_group_means",
    "grpo_mean_scale",
    "sequence_batch_moments",
    "sequence_moments",
    "sequence_moments_enumerated",
    "optimal_baseline",
    "reinforce_batch_means",
    "reinforce_moments",
    "sl_gradient",
    "sl_label_noise_moments",
    "softmax",
]


def softmax(z: ArrayLike) -> NDArray[np.float64]:
    """Softmax over the last axis, computed stably (the maximum logit is subtracted first)."""
    arr = np.asarray(z, dtype=np.float64)
    if arr.ndim == 0 or arr.shape[-1] == 0:
        raise ValueError(f"z must be an array of logits of shape (..., V) with V >= 1, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("z contains NaN or infinite logits")
    w = np.exp(arr - arr.max(axis=-1, keepdims=True))
    return w / w.sum(axis=-1, keepdims=True)


_BUCKETS = 4096  # uniform buckets of [0, 1) in _sample_actions' lookup table (a power of 2: u * K is exact)


def _sample_actions(rng: np.random.Generator, probs: NDArray[np.float64], shape: tuple[int, ...]) -> NDArray[np.int64]:
    """Exactly ``rng.choice(probs.size, size=shape, p=probs)`` (same draws, same actions), faster.

    ``Generator.choice`` draws ``u = rng.random(shape)`` and returns ``cdf.searchsorted(u, "right")``
    with ``cdf = cumsum(p) / its last entry``; a million binary searches dominated the Chapter 3
    explorer's update. Here ``[0, 1)`` is cut into ``K`` equal buckets: where no cdf value falls
    inside a bucket, every ``u`` in it has the same action, read from a table; only the few ``u``
    in the other buckets are searched. ``probs`` must be a validated distribution (summing to 1).
    """
    cdf = probs.cumsum()
    cdf /= cdf[-1]
    u = rng.random(shape)
    if u.size < 8 * _BUCKETS or probs.size > _BUCKETS // 8:  # the table would not pay for itself
        return np.asarray(cdf.searchsorted(u, side="right"), dtype=np.int64)
    edges = np.arange(_BUCKETS + 1, dtype=np.float64) / _BUCKETS
    first = cdf.searchsorted(edges[:-1], side="right")  # the action of u = k / K ...
    last = cdf.searchsorted(edges[1:], side="left")  # ... bounds that of every u < (k + 1) / K
    table = np.where(first == last, first, -1).astype(np.int64)
    actions = table[(u * _BUCKETS).astype(np.intp)]
    unsure = np.flatnonzero(actions < 0)
    actions.flat[unsure] = cdf.searchsorted(u.flat[unsure], side="right")
    return actions


def _policy_and_answer(pi: ArrayLike, correct: int) -> tuple[NDArray[np.float64], int]:
    arr = _validate.distribution(pi, "pi")
    if arr.ndim != 1:
        raise ValueError(f"pi must be one distribution of shape (V,), got shape {arr.shape}")
    c = int(_validate.index(correct, arr.size, (), "correct"))
    return arr, c


def sl_gradient(pi: ArrayLike, correct: int) -> NDArray[np.float64]:
    """The supervised gradient ``∇_z log π_c = e_c - π`` for the correct answer ``correct``."""
    arr, c = _policy_and_answer(pi, correct)
    g = -arr.copy()
    g[c] += 1.0
    return g


@dataclass(frozen=True)
class GradientMoments:
    """Exact first and second moments of a per-sample gradient estimator (over the sampled action).

    ``mean``: ``E ĝ`` (shape ``(V,)``); ``total_variance``: ``tr Cov ĝ = E‖ĝ‖² - ‖E ĝ‖²``;
    ``snr``: ``‖E ĝ‖² / tr Cov ĝ`` (``inf`` when the estimator has no noise).
    """

    mean: NDArray[np.float64]
    total_variance: float
    snr: float


def _norms_sq(arr: NDArray[np.float64]) -> NDArray[np.float64]:
    """``‖e_a - π‖² = 1 - 2 π_a + ‖π‖²`` for every action ``a``."""
    return 1.0 - 2.0 * arr + float(np.dot(arr, arr))


def reinforce_moments(pi: ArrayLike, correct: int, baseline: float = 0.0) -> GradientMoments:
    """Exact moments of ``ĝ = (R - b)(e_a - π)`` with ``a ~ π`` and ``R = 1[a = c]``, by enumeration.

    ``E ĝ = Σ_a π_a (1[a=c] - b)(e_a - π) = π_c (e_c - π)``: SL scaled by the pass rate, for any
    constant baseline ``b``. Chapter 3, "The expected update".
    """
    arr, c = _policy_and_answer(pi, correct)
    b = float(baseline)
    if not np.isfinite(b):
        raise ValueError(f"baseline must be a finite number, got {baseline!r}")
    weight = -b * np.ones_like(arr)
    weight[c] += 1.0  # R - b for each action
    coef = arr * weight  # π_a (R_a - b)
    mean = coef - coef.sum() * arr  # Σ_a coef_a (e_a - π)
    second = float(np.sum(arr * weight**2 * _norms_sq(arr)))
    signal = float(np.dot(mean, mean))
    var = max(second - signal, 0.0)
    return GradientMoments(mean, var, signal / var if var > 0 else np.inf)


def optimal_baseline(pi: ArrayLike, correct: int) -> float:
    """The constant baseline that minimises ``tr Cov ĝ`` (equivalently ``E‖ĝ‖²``).

    ``b* = π_c S_c / (π_c S_c + Σ_{a≠c} π_a S_a)`` with ``S_a = ‖e_a - π‖²``; it equals the pass
    rate ``p`` when ``π`` is uniform. Chapter 3, "Baselines".
    """
    arr, c = _policy_and_answer(pi, correct)
    s = arr * _norms_sq(arr)
    total = float(s.sum())
    return float(s[c] / total) if total > 0 else 0.0


def reinforce_batch_means(
    pi: ArrayLike, correct: int, baseline: float, batch_size: int, n_batches: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Monte Carlo: ``n_batches`` batch means of ``ĝ``, each over ``batch_size`` samples; shape ``(n_batches, V)``.

    Per-sample gradients are never materialised: the mean of ``(R_i - b) e_{a_i}`` is a weighted
    ``bincount`` of the sampled actions, and the ``-(R_i - b) π`` parts sum to ``-(mean R - b) π``.
    """
    arr, c = _policy_and_answer(pi, correct)
    n = _validate.positive_int(batch_size, "batch_size")
    m = _validate.positive_int(n_batches, "n_batches")
    if n * m > 50_000_000:
        raise ValueError(f"batch_size * n_batches = {n * m:,} samples is too many (at most 50 million)")
    rng = _validate.rng(rng)
    b = float(baseline)
    V = arr.size
    actions = _sample_actions(rng, arr / arr.sum(), (m, n))  # = rng.choice(V, (m, n), p=...)
    weights = (actions == c).astype(np.float64) - b
    flat = (np.arange(m)[:, None] * V + actions).ravel()
    counts = np.bincount(flat, weights=weights.ravel(), minlength=m * V).reshape(m, V) / n
    return counts - weights.mean(axis=1, keepdims=True) * arr[None, :]


def sl_label_noise_moments(pi: ArrayLike, q: ArrayLike) -> GradientMoments:
    """Moments of the SL gradient ``e_y - π`` when labels are noisy, ``y ~ q`` (aleatoric uncertainty).

    ``E g = q - π`` and ``tr Cov g = Σ_y q_y ‖e_y - π‖² - ‖q - π‖² = 1 - Σ_y q_y²`` whatever ``π``:
    the variance does not change as the model learns; the signal ``‖q - π‖²`` shrinks to 0.
    Chapter 3, "Supervised learning late in training".
    """
    pa = _validate.distribution(pi, "pi")
    qa = _validate.distribution(q, "q")
    if pa.ndim != 1 or pa.shape != qa.shape:
        raise ValueError(f"pi and q must be single distributions of the same shape, got {pa.shape} and {qa.shape}")
    mean = qa - pa
    signal = float(np.dot(mean, mean))
    second = float(np.sum(qa * _norms_sq(pa)))
    var = max(second - signal, 0.0)
    return GradientMoments(mean, var, signal / var if var > 0 else np.inf)


def grpo_advantages(rewards: ArrayLike, ddof: int = 0) -> NDArray[np.float64]:
    """Group-normalised advantages ``(r - mean r) / std r`` over the last axis (GRPO).

    A group whose rewards are all equal has no spread; its advantages are 0 (the group teaches
    nothing). ``ddof=0`` uses the population standard deviation, ``ddof=1`` the sample one.
    Chapter 3, "Group normalisation".
    """
    r = np.asarray(rewards, dtype=np.float64)
    if r.ndim == 0 or r.shape[-1] < 2:
        raise ValueError(f"rewards must have a group of at least 2 on the last axis, got shape {r.shape}")
    if not np.isfinite(r).all():
        raise ValueError("rewards contain NaN or infinite values")
    if ddof not in (0, 1):
        raise ValueError(f"ddof must be 0 or 1, got {ddof!r}")
    centred = r - r.mean(axis=-1, keepdims=True)
    std = r.std(axis=-1, ddof=ddof, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(std > 1e-12, centred / np.where(std > 0, std, 1.0), 0.0)


def grpo_advantages_closed_form(k: ArrayLike, G: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Advantages of a correct and a wrong sample when ``k`` of ``G`` binary rewards are 1 (``ddof=0``).

    With ``p̂ = k/G``: ``A_correct = sqrt((1 - p̂)/p̂)`` and ``A_wrong = -sqrt(p̂/(1 - p̂))``; both 0
    for ``k = 0`` or ``k = G``.
    """
    G = _validate.positive_int(G, "G", minimum=2)
    ka = np.asarray(k)
    if not np.issubdtype(ka.dtype, np.integer) or (ka < 0).any() or (ka > G).any():
        raise ValueError(f"k must be whole numbers in [0, {G}], got {k!r}")
    ph = ka / G
    live = (ka > 0) & (ka < G)
    safe = np.where(live, ph, 0.5)
    return (np.where(live, np.sqrt((1 - safe) / safe), 0.0), np.where(live, -np.sqrt(safe / (1 - safe)), 0.0))


def dead_group_probability(p: ArrayLike, G: int) -> float | NDArray[np.float64]:
    """Probability ``(1 - p)^G + p^G`` that a group of ``G`` binary rewards is all equal (zero advantage)."""
    pa = _validate.probability(p, "p")
    G = _validate.positive_int(G, "G", minimum=1)
    return _validate.scalar_or_array((1.0 - pa) ** G + pa**G)


# --- GRPO's expected update (Chapter 3, "Group normalisation") ---


def grpo_mean_scale(p: ArrayLike, G: int | None = None) -> float | NDArray[np.float64]:
    """The factor ``s`` in ``E[ĝ_GRPO] = s · g_SL`` for one sample of a GRPO group, binary reward.

    Each sample's update is ``A (e_a - π)`` with the group-normalised advantage ``A``. Because ``A``
    depends on the sample only through its reward ``r``, ``E ĝ = p (α_1 - α_0) g_SL`` with
    ``α_r = E[A | r]`` (the wrong actions' ``e_a - π`` average to ``-p g_SL / (1 - p)``).

    - ``G=None``: normalise with the true pass rate, ``A = (r - p)/sqrt(p(1 - p))``; then
      ``α_1 - α_0 = 1/sqrt(p(1-p))`` and ``s = sqrt(p/(1 - p))`` (0.1005 at ``p = 0.01``, against
      REINFORCE's ``s = p``).
    - ``G >= 2``: the group's own mean and population standard deviation, exactly, by summing over
      the number ``K ~ Binomial(G - 1, p)`` of other successes (a dead group gives ``A = 0``).

    ``p`` in [0, 1]; 0 at both ends (no signal). Chapter 3, "Group normalisation".
    """
    pa = _validate.probability(p, "p")
    if G is None:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where((pa > 0) & (pa < 1), np.sqrt(pa / np.where(pa < 1, 1.0 - pa, 1.0)), 0.0)
        return _validate.scalar_or_array(out)
    G = _validate.positive_int(G, "G", minimum=2)
    from scipy.stats import binom

    k = np.arange(G)  # successes among the other G - 1 samples
    pmf = binom.pmf(k, G - 1, pa[..., None])  # shape p.shape + (G,)

    def mean_advantage(r: int) -> NDArray[np.float64]:
        total = k + r
        ph = total / G
        live = (total > 0) & (total < G)
        safe = np.where(live, ph, 0.5)
        adv = np.where(live, (r - safe) / np.sqrt(safe * (1.0 - safe)), 0.0)
        return (pmf * adv).sum(axis=-1)

    return _validate.scalar_or_array(pa * (mean_advantage(1) - mean_advantage(0)))


def grpo_group_means(pi: ArrayLike, correct: int, G: int, n_groups: int, rng: np.random.Generator,
                     normalise: str = "group") -> NDArray[np.float64]:
    """Monte Carlo: for each of ``n_groups`` groups of ``G`` samples, the mean per-sample update.

    Returns shape ``(n_groups, V)``: ``(1/G) Σ_i A_i (e_{a_i} - π)``, whose expectation is
    ``grpo_mean_scale(p, G) · g_SL`` (``normalise="group"``: the group's mean and population std,
    0 for a dead group) or ``grpo_mean_scale(p) · g_SL`` (``normalise="true"``: the true pass rate).
    Built with ``bincount``; no per-sample gradient is materialised. Chapter 3, "Group normalisation".
    """
    arr, c = _policy_and_answer(pi, correct)
    G = _validate.positive_int(G, "G", minimum=2)
    m = _validate.positive_int(n_groups, "n_groups")
    if G * m > 50_000_000:
        raise ValueError(f"G * n_groups = {G * m:,} samples is too many (at most 50 million)")
    if normalise not in ("group", "true"):
        raise ValueError(f"normalise must be 'group' or 'true', got {normalise!r}")
    rng = _validate.rng(rng)
    V = arr.size
    p = float(arr[c])
    actions = _sample_actions(rng, arr / arr.sum(), (m, G))  # = rng.choice(V, (m, G), p=...)
    r = (actions == c).astype(np.float64)
    if normalise == "true":
        if not 0.0 < p < 1.0:
            raise ValueError("normalise='true' needs a pass rate strictly between 0 and 1")
        adv = (r - p) / np.sqrt(p * (1.0 - p))
    else:
        adv = grpo_advantages(r)
    flat = (np.arange(m)[:, None] * V + actions).ravel()
    counts = np.bincount(flat, weights=adv.ravel(), minlength=m * V).reshape(m, V) / G
    return counts - adv.mean(axis=1, keepdims=True) * arr[None, :]


# --- many tokens, one reward (Chapter 3, "Many tokens, one reward") ---


@dataclass(frozen=True)
class SequenceMoments:
    """Exact moments of the sequence-level REINFORCE update ``ĝ = (R - b) Σ_t (e_{a_t} - π_t)``.

    ``p_seq``: probability that the sequence is accepted (``R = 1``); ``signal = ‖E ĝ‖²``;
    ``total_variance = tr Cov ĝ``; ``snr = signal / total_variance``; ``mean``: ``E ĝ`` with shape
    ``(T, V)`` (the logits of every position).
    """

    p_seq: float
    mean: NDArray[np.float64]
    signal: float
    total_variance: float
    snr: float


def _sequence_inputs(pi_tokens: ArrayLike, accepted: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    pis = _validate.distribution(pi_tokens, "pi_tokens")
    if pis.ndim != 2:
        raise ValueError(f"pi_tokens must have shape (T, V): one policy per position, got shape {pis.shape}")
    acc = np.asarray(accepted)
    if acc.dtype != bool or acc.shape != pis.shape:
        raise ValueError(f"accepted must be a boolean array of shape {pis.shape}, got {acc.dtype} {acc.shape}")
    if not acc.any(axis=-1).all():
        raise ValueError("every position needs at least one accepted token (otherwise no sequence is ever correct)")
    return pis, acc


def sequence_moments(pi_tokens: ArrayLike, accepted: ArrayLike, baseline: float = 0.0) -> SequenceMoments:
    """Exact moments, in closed form, of REINFORCE on a ``T``-token sequence with one all-or-nothing reward.

    Position ``t`` samples token ``a_t ~ π_t`` independently (``pi_tokens`` has shape ``(T, V)``);
    the sequence is correct (``R = 1``) iff every ``a_t`` is accepted (``accepted[t, a_t]``), so
    ``p_seq = Π_t p_t`` with ``p_t = π_t(accepted_t)``. With ``s_t = e_{a_t} - π_t`` (different
    positions have different logits, so ``‖Σ_t s_t‖² = Σ_t ‖s_t‖²``) and ``μ_t = π_t`` restricted to
    the accepted tokens, renormalised:

    - ``E ĝ = p_seq (μ_t - π_t)_t`` for any constant ``b`` (``∇ p_seq``);
    - ``E‖ĝ‖² = (1 - 2b) p_seq Σ_t (‖μ_t - π_t‖² + 1 - ‖μ_t‖²) + b² Σ_t (1 - ‖π_t‖²)``.

    One accepted token per position (one correct sequence) and ``b = 0`` give ``ĝ = R · g_SL`` and
    ``SNR = p_seq / (1 - p_seq)`` whatever ``T``. A baseline adds noise from every position of the
    failures (the ``b²`` term), and positions where several tokens are accepted add the spread
    ``1 - ‖μ_t‖²`` of the successes. ``O(T V)``. Chapter 3, "Many tokens, one reward".
    """
    pis, acc = _sequence_inputs(pi_tokens, accepted)
    b = float(baseline)
    if not np.isfinite(b):
        raise ValueError(f"baseline must be a finite number, got {baseline!r}")
    p_t = np.where(acc, pis, 0.0).sum(axis=-1)
    with np.errstate(divide="ignore"):
        log_p_seq = float(np.log(p_t).sum())
    p_seq = float(np.exp(log_p_seq))
    mu = np.where(acc, pis, 0.0) / np.where(p_t > 0, p_t, 1.0)[:, None]
    m = mu - pis
    m_sq = float(np.sum(m * m))
    within = float(np.sum(1.0 - np.sum(mu * mu, axis=-1)))
    spread = float(np.sum(1.0 - np.sum(pis * pis, axis=-1)))
    second = (1.0 - 2.0 * b) * p_seq * (m_sq + within) + b * b * spread
    signal = p_seq * p_seq * m_sq
    var = max(second - signal, 0.0)
    return SequenceMoments(p_seq, p_seq * m, signal, var, signal / var if var > 0 else np.inf)


def sequence_moments_enumerated(pi_tokens: ArrayLike, accepted: ArrayLike, baseline: float = 0.0) -> SequenceMoments:
    """:func:`sequence_moments` by brute force: every one of the ``V^T`` sequences, its probability and update.

    Independent of the closed form (no factorisation is used); for ``V^T`` up to 200,000.
    Chapter 3, "Many tokens, one reward".
    """
    pis, acc = _sequence_inputs(pi_tokens, accepted)
    T, V = pis.shape
    if V**T > 200_000:
        raise ValueError(f"V^T = {V**T:,} sequences is too many to enumerate (at most 200,000)")
    b = float(baseline)
    seqs = np.array(np.unravel_index(np.arange(V**T), (V,) * T)).T  # (V^T, T)
    rows = np.arange(T)[None, :]
    prob = np.prod(pis[rows, seqs], axis=1)
    reward = np.all(acc[rows, seqs], axis=1).astype(np.float64)
    onehot = np.zeros((seqs.shape[0], T, V))
    np.put_along_axis(onehot, seqs[..., None], 1.0, axis=-1)
    grads = (reward - b)[:, None, None] * (onehot - pis[None, :, :])
    mean = np.tensordot(prob, grads, axes=1)
    second = float(np.sum(prob * np.sum(grads**2, axis=(1, 2))))
    signal = float(np.sum(mean * mean))
    var = max(second - signal, 0.0)
    return SequenceMoments(float(prob @ reward), mean, signal, var, signal / var if var > 0 else np.inf)


def sequence_batch_moments(pi_tokens: ArrayLike, accepted: ArrayLike, baseline: float, n: int,
                           rng: np.random.Generator) -> tuple[NDArray[np.float64], float, float, float]:
    """Monte Carlo of ``n`` sampled sequences: ``(mean update (T, V), mean ‖ĝ‖², its standard error, success rate)``.

    The mean update is a weighted ``bincount`` over (position, token); ``‖ĝ‖² = (R - b)² Σ_t
    (1 - 2 π_t[a_t] + ‖π_t‖²)`` needs no ``(n, T, V)`` array. Chapter 3, "Many tokens, one reward".
    """
    pis, acc = _sequence_inputs(pi_tokens, accepted)
    n = _validate.positive_int(n, "n", minimum=2)
    rng = _validate.rng(rng)
    T, V = pis.shape
    if n * T > 50_000_000:
        raise ValueError(f"n * T = {n * T:,} token draws is too many (at most 50 million)")
    b = float(baseline)
    cdf = np.cumsum(pis, axis=-1)
    cdf[:, -1] = 1.0
    u = rng.random((n, T))
    tokens = np.empty((n, T), dtype=np.intp)
    for t in range(T):  # a loop over positions, not samples: each step is vectorised over the n samples
        tokens[:, t] = np.searchsorted(cdf[t], u[:, t], side="right")
    rows = np.arange(T)[None, :]
    reward = np.all(acc[rows, tokens], axis=1).astype(np.float64)
    w = reward - b
    sq_norm = np.sum(1.0 - 2.0 * pis[rows, tokens] + np.sum(pis * pis, axis=-1)[None, :], axis=1)
    g2 = w * w * sq_norm
    flat = (rows * V + tokens).ravel()
    counts = np.bincount(flat, weights=np.repeat(w, T), minlength=T * V).reshape(T, V) / n
    mean = counts - w.mean() * pis
    return mean, float(g2.mean()), float(g2.std(ddof=1) / np.sqrt(n)), float(reward.mean())


# --- The Chapter 3 batch-update explorer's state (moved from rlbits.widgets.ch3_update: compute only, no widget or matplotlib import) ---

@dataclass(frozen=True)
class UpdatePanel:
    """Batch REINFORCE updates at one setting: cosine of each batch update with the true gradient."""

    p: float
    batch_size: int
    baseline: str
    cosines: NDArray[np.float64]
    share_without_success: float
    snr_batch: float


def update_panel(p: float, batch_size: int, baseline: str = "none", *, V: int = 100,
                 n_batches: int = 1000, seed: int = 0) -> UpdatePanel:
    """Simulate ``n_batches`` REINFORCE batch updates for a policy whose correct answer has probability ``p``.

    ``baseline``: ``"none"`` (b = 0) or ``"pass rate"`` (b = p). Returns the cosine similarity of each
    batch-mean update with the SL direction ``e_c - π`` (an all-failure batch with b = 0 is the zero
    update, cosine 0), the share of batches with no success, and the exact batch SNR.
    Chapter 3, "What a batch looks like".

    Parameters
    ----------
    p : float
        Probability of the correct answer, in (0, 1).
    batch_size : int
        Samples per batch (at least 1).
    baseline : {"none", "pass rate"}
        The REINFORCE baseline.
    V : int
        Number of answers.
    n_batches : int
        Number of simulated batches.
    seed : int
        Seed of the simulation (the state is the same on every call).

    Returns
    -------
    UpdatePanel
        The cosines, the share of batches without a success and the batch SNR.

    Raises
    ------
    ValueError
        If ``baseline`` is unknown, ``batch_size < 1`` or ``p`` is not a probability.
    """
    from . import distributions

    if baseline not in ("none", "pass rate"):
        raise ValueError(f"baseline must be 'none' or 'pass rate', got {baseline!r}")
    pi = distributions.correct_plus_uniform(p, V)
    b = 0.0 if baseline == "none" else float(p)
    rng = np.random.default_rng(seed)
    batch = _validate.positive_int(batch_size, "batch_size")
    updates = reinforce_batch_means(pi, 0, b, batch, n_batches, rng)
    direction = sl_gradient(pi, 0)
    norms = np.linalg.norm(updates, axis=1) * np.linalg.norm(direction)
    cos = np.divide(updates @ direction, norms, out=np.zeros(n_batches), where=norms > 0)
    moments = reinforce_moments(pi, 0, b)
    return UpdatePanel(float(p), batch, baseline, cos, float((1 - p) ** batch), float(batch * moments.snr))


__all__ += ["UpdatePanel", "update_panel"]
