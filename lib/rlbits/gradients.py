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
    "dead_group_probability",
    "grpo_advantages",
    "grpo_advantages_closed_form",
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
    actions = rng.choice(V, size=(m, n), p=arr / arr.sum())
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
