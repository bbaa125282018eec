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

from . import _validate, distributions

__all__ = [
    "GradientMoments",
    "NoiseSplit",
    "SequenceMoments",
    "UnbiasedBound",
    "dead_group_probability",
    "grpo_advantages",
    "grpo_advantages_closed_form",
    "grpo_group_means",
    "grpo_group_moments",
    "many_prompt_noise_split",
    "min_variance_unbiased",
    "noise_split",
    "optimal_baseline_snr",
    "reinforce_covariance",
    "self_normalised_batch",
    "unbiased_estimator_moments",
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
    """Softmax over the last axis, computed stably (the maximum logit is subtracted first).

    Parameters
    ----------
    z : array_like, shape (..., V)
        Logits.

    Returns
    -------
    numpy.ndarray
        Probabilities of the same shape, each row summing to 1.

    Raises
    ------
    ValueError
        If ``z`` has no answer axis, is empty, or contains NaN/inf.
    """
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
    """The supervised gradient ``∇_z log π_c = e_c - π`` for the correct answer ``correct``.

    Parameters
    ----------
    pi : array_like, shape (V,)
        The policy.
    correct : int
        Index of the correct answer.

    Returns
    -------
    numpy.ndarray, shape (V,)
        ``e_c - π``.

    Raises
    ------
    ValueError
        If ``pi`` is not one distribution or ``correct`` is not an index into it.
    """
    arr, c = _policy_and_answer(pi, correct)
    g = -arr.copy()
    g[c] += 1.0
    return g


@dataclass(frozen=True)
class GradientMoments:
    """Exact first and second moments of a per-sample gradient estimator (over the sampled action).

    ``mean``: ``E ĝ`` (shape ``(V,)``); ``total_variance``: ``tr Cov ĝ = E‖ĝ‖² - ‖E ĝ‖²``;
    ``snr``: ``‖E ĝ‖² / tr Cov ĝ`` (``inf`` when the estimator has no noise). Returned by
    :func:`reinforce_moments`, :func:`sl_label_noise_moments` and :func:`grpo_group_moments`;
    Chapter 3, "The expected update".

    Parameters
    ----------
    mean : numpy.ndarray
        ``E ĝ``, the expected gradient with respect to the ``V`` logits, shape ``(V,)``.
    total_variance : float
        ``tr Cov ĝ`` in squared gradient norm (>= 0).
    snr : float
        Signal-to-noise ratio ``‖E ĝ‖² / tr Cov ĝ`` (dimensionless; ``inf`` without noise).

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
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

    Parameters
    ----------
    pi : array_like, shape (V,)
        The policy.
    correct : int
        Index of the correct answer.
    baseline : float, default 0
        The constant baseline ``b``.

    Returns
    -------
    GradientMoments
        Exact mean, ``tr Cov`` and SNR of the per-sample update.

    Raises
    ------
    ValueError
        If ``pi`` is not one distribution, ``correct`` is not an index, or ``baseline`` is not finite.
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

    Parameters
    ----------
    pi : array_like, shape (V,)
        The policy.
    correct : int
        Index of the correct answer.

    Returns
    -------
    float
        ``b* = p s_c / Σ_a π_a s_a`` (0 for a deterministic policy).

    Raises
    ------
    ValueError
        If ``pi`` is not one distribution or ``correct`` is not an index into it.
    """
    arr, c = _policy_and_answer(pi, correct)
    s = arr * _norms_sq(arr)
    total = float(s.sum())
    return float(s[c] / total) if total > 0 else 0.0


def reinforce_batch_means(
    pi: ArrayLike, correct: int, baseline: float, batch_size: int, n_batches: int, *, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Monte Carlo: ``n_batches`` batch means of ``ĝ``, each over ``batch_size`` samples; shape ``(n_batches, V)``.

    Per-sample gradients are never materialised: the mean of ``(R_i - b) e_{a_i}`` is a weighted
    ``bincount`` of the sampled actions, and the ``-(R_i - b) π`` parts sum to ``-(mean R - b) π``.

    Parameters
    ----------
    pi : array_like, shape (V,)
        The policy.
    correct : int
        Index of the correct answer.
    baseline : float
        The constant baseline ``b``.
    batch_size : int
        Samples per batch.
    n_batches : int
        Number of batches.
    rng : numpy.random.Generator
        The source of randomness (keyword-only).

    Returns
    -------
    numpy.ndarray, shape (n_batches, V)
        The batch means of ``ĝ``.

    Raises
    ------
    ValueError
        If ``pi`` or ``correct`` is invalid, a size is not a positive integer, the total exceeds
        50 million samples, or ``rng`` is not a ``numpy.random.Generator``.
    """
    arr, c = _policy_and_answer(pi, correct)
    n = _validate.positive_int(batch_size, "batch_size")
    m = _validate.positive_int(n_batches, "n_batches")
    if n * m > 50_000_000:
        raise ValueError(f"batch_size * n_batches = {n * m:,} samples is too many (at most 50 million)")
    rng = _validate.rng(rng)
    b = float(baseline)
    V = arr.size
    actions = distributions.sample_categorical(arr, m * n, rng=rng).reshape(m, n)  # = rng.choice(V, (m, n), p=arr)
    weights = (actions == c).astype(np.float64) - b
    flat = (np.arange(m)[:, None] * V + actions).ravel()
    counts = np.bincount(flat, weights=weights.ravel(), minlength=m * V).reshape(m, V) / n
    return counts - weights.mean(axis=1, keepdims=True) * arr[None, :]


def sl_label_noise_moments(pi: ArrayLike, q: ArrayLike) -> GradientMoments:
    """Moments of the SL gradient ``e_y - π`` when labels are noisy, ``y ~ q`` (aleatoric uncertainty).

    ``E g = q - π`` and ``tr Cov g = Σ_y q_y ‖e_y - π‖² - ‖q - π‖² = 1 - Σ_y q_y²`` whatever ``π``:
    the variance does not change as the model learns; the signal ``‖q - π‖²`` shrinks to 0.
    Chapter 3, "Supervised learning late in training".

    Parameters
    ----------
    pi : array_like, shape (V,)
        The model.
    q : array_like, shape (V,)
        The distribution of the labels.

    Returns
    -------
    GradientMoments
        Mean ``q - π``, ``tr Cov = 1 - Σ q²`` and SNR of the SL gradient.

    Raises
    ------
    ValueError
        If ``pi`` or ``q`` is not a distribution, or their shapes differ.
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

    Parameters
    ----------
    rewards : array_like, shape (..., G)
        Rewards of each group on the last axis, ``G >= 2``.
    ddof : {0, 1}
        Population (0) or sample (1) standard deviation.

    Returns
    -------
    numpy.ndarray
        Advantages of the same shape (0 for a group whose rewards are all equal).

    Raises
    ------
    ValueError
        If a group has fewer than 2 rewards, a reward is NaN/inf, or ``ddof`` is not 0 or 1.
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

    Parameters
    ----------
    k : array_like of int
        Number of correct samples, in [0, G].
    G : int
        Group size, at least 2.

    Returns
    -------
    tuple of numpy.ndarray
        ``(A_correct, A_wrong)``.

    Raises
    ------
    ValueError
        If ``G < 2`` or ``k`` is not whole numbers in [0, G].
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
    """Probability ``(1 - p)^G + p^G`` that a group of ``G`` binary rewards is all equal (zero advantage).

    Parameters
    ----------
    p : array_like
        Pass rates.
    G : int
        Group size.

    Returns
    -------
    float or numpy.ndarray
        ``(1 - p)^G + p^G``.

    Raises
    ------
    ValueError
        If an entry is outside [0, 1] or not finite, or ``G`` is not a positive integer.
    """
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

    Parameters
    ----------
    p : array_like
        Pass rates.
    G : int, optional
        Group size (at least 2); ``None`` normalises with the true pass rate.

    Returns
    -------
    float or numpy.ndarray
        The factor ``s`` in ``E[ĝ_GRPO] = s · g_SL``.

    Raises
    ------
    ValueError
        If an entry is outside [0, 1] or not finite, or ``G`` is below 2.
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


def grpo_group_means(pi: ArrayLike, correct: int, G: int, n_groups: int, *, rng: np.random.Generator,
                     normalise: str = "group") -> NDArray[np.float64]:
    """Monte Carlo: for each of ``n_groups`` groups of ``G`` samples, the mean per-sample update.

    Returns shape ``(n_groups, V)``: ``(1/G) Σ_i A_i (e_{a_i} - π)``, whose expectation is
    ``grpo_mean_scale(p, G) · g_SL`` (``normalise="group"``: the group's mean and population std,
    0 for a dead group) or ``grpo_mean_scale(p) · g_SL`` (``normalise="true"``: the true pass rate).
    Built with ``bincount``; no per-sample gradient is materialised. Chapter 3, "Group normalisation".

    Parameters
    ----------
    pi : array_like, shape (V,)
        The policy.
    correct : int
        Index of the correct answer.
    G : int
        Group size, at least 2.
    n_groups : int
        Number of groups.
    rng : numpy.random.Generator
        The source of randomness (keyword-only).
    normalise : {"group", "true"}
        The group's own statistics, or the true pass rate.

    Returns
    -------
    numpy.ndarray, shape (n_groups, V)
        Each group's mean per-sample update.

    Raises
    ------
    ValueError
        If an input is invalid, the total exceeds 50 million samples, or ``normalise='true'`` with a
        pass rate of 0 or 1.
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
    actions = distributions.sample_categorical(arr, m * G, rng=rng).reshape(m, G)  # = rng.choice(V, (m, G), p=arr)
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


# --- what the best baseline, the group statistics and the estimator itself can do (Chapter 3) ---


def optimal_baseline_snr(pi: ArrayLike, correct: int) -> float:
    """Per-sample SNR of REINFORCE with the variance-minimising constant baseline, in closed form.

    With ``s_a = ‖e_a - π‖²`` and ``S = Σ_a π_a s_a = 1 - ‖π‖²``, the best constant baseline is
    ``b* = p s_c / S`` (Greensmith, Bartlett and Baxter 2004: ``E[R ‖∇log π‖²] / E[‖∇log π‖²]``) and

    ``SNR* = p / (1 - p - p s_c / S)``.

    Without a baseline the SNR is ``p / (1 - p)``; the best baseline divides the noise by
    ``(1 - p - p s_c/S) / (1 - p)``. For two answers ``p s_c / S = 1 - p``: zero noise, infinite SNR.
    For a uniform policy ``s_c = S``: ``p / (1 - 2p)``.

    Parameters
    ----------
    pi : array_like, shape (V,)
        The policy (a distribution over ``V`` answers).
    correct : int
        Index of the correct answer.

    Returns
    -------
    float
        The per-sample SNR ``‖E ĝ‖² / tr Cov ĝ`` at ``b*``; ``inf`` when no noise remains, 0 when
        ``p = 0``.

    Raises
    ------
    ValueError
        If ``pi`` is not one distribution or ``correct`` is not an index into it.

    Notes
    -----
    Chapter 3, "Baselines: what the best one can do".
    """
    arr, c = _policy_and_answer(pi, correct)
    p = float(arr[c])
    s = _norms_sq(arr)
    total = float(np.sum(arr * s))
    if p == 0.0 or total <= 0.0:
        return 0.0 if p == 0.0 else np.inf
    denom = (1.0 - p) - p * float(s[c]) / total
    return p / denom if denom > 1e-15 * p else np.inf


def reinforce_covariance(pi: ArrayLike, correct: int, baseline: float = 0.0) -> tuple[NDArray[np.float64],
                                                                                        NDArray[np.float64]]:
    """Exact mean and full covariance matrix of ``ĝ = (R - b)(e_a - π)``, by enumerating the actions.

    Parameters
    ----------
    pi : array_like, shape (V,)
        The policy.
    correct : int
        Index of the correct answer.
    baseline : float, default 0
        The constant baseline ``b``.

    Returns
    -------
    mean : numpy.ndarray, shape (V,)
        ``E ĝ = p (e_c - π)``.
    cov : numpy.ndarray, shape (V, V)
        ``Σ_a π_a (R_a - b)² (e_a - π)(e_a - π)ᵀ - E ĝ E ĝᵀ``. With ``b = 0`` it is
        ``p(1 - p) g_SL g_SLᵀ``: rank one, along the signal.

    Raises
    ------
    ValueError
        If ``pi`` is not one distribution, ``correct`` is not an index, ``baseline`` is not finite, or
        ``V > 2,000`` (the matrix has ``V²`` entries).

    Notes
    -----
    Chapter 3, "Magnitude noise and direction noise".
    """
    arr, c = _policy_and_answer(pi, correct)
    if arr.size > 2_000:
        raise ValueError(f"the covariance has V^2 entries; V = {arr.size} is too large (at most 2,000)")
    b = float(baseline)
    if not np.isfinite(b):
        raise ValueError(f"baseline must be a finite number, got {baseline!r}")
    weight = -b * np.ones_like(arr)
    weight[c] += 1.0
    d = np.eye(arr.size) - arr[None, :]  # row a: e_a - π
    mean = (arr * weight) @ d
    second = (d * (arr * weight**2)[:, None]).T @ d
    return mean, second - np.outer(mean, mean)


@dataclass(frozen=True)
class NoiseSplit:
    """The noise of an update split along its mean (magnitude) and across it (direction).

    ``magnitude = uᵀ Σ u`` with ``u = E ĝ / ‖E ĝ‖``, ``direction = tr Σ - magnitude``; both are
    variances in squared gradient norm. ``signal = ‖E ĝ‖²``. Returned by :func:`noise_split`;
    Chapter 3, "Magnitude noise and direction noise".

    Parameters
    ----------
    signal : float
        ``‖E ĝ‖²``, squared norm of the mean update.
    magnitude : float
        Variance along the mean direction, ``uᵀ Σ u`` (squared gradient norm).
    direction : float
        Variance across the mean direction, ``tr Σ - magnitude`` (squared gradient norm).

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
    """

    signal: float
    magnitude: float
    direction: float

    @property
    def snr(self) -> float:
        """``signal / (magnitude + direction)``, the SNR of the whole update."""
        total = self.magnitude + self.direction
        return self.signal / total if total > 0 else np.inf


def noise_split(mean: ArrayLike, cov: ArrayLike) -> NoiseSplit:
    """Split ``tr Cov`` into the part along the mean (magnitude noise) and the part across it (direction).

    Parameters
    ----------
    mean : array_like, shape (D,)
        The expected update (nonzero).
    cov : array_like, shape (D, D)
        Its covariance matrix (symmetric).

    Returns
    -------
    NoiseSplit
        ``signal = ‖m‖²``, ``magnitude = uᵀ Σ u`` and ``direction = tr Σ - uᵀ Σ u`` with ``u = m/‖m‖``.
        An update whose direction noise is 0 always points along ``±m`` (or is zero).

    Raises
    ------
    ValueError
        If the shapes do not match, the entries are not finite, or the mean is zero.

    Notes
    -----
    Chapter 3, "Magnitude noise and direction noise".
    """
    m = np.asarray(mean, dtype=np.float64)
    S = np.asarray(cov, dtype=np.float64)
    if m.ndim != 1 or S.shape != (m.size, m.size):
        raise ValueError(f"mean must have shape (D,) and cov (D, D), got {m.shape} and {S.shape}")
    if not (np.isfinite(m).all() and np.isfinite(S).all()):
        raise ValueError("mean and cov must be finite")
    signal = float(m @ m)
    if signal == 0.0:
        raise ValueError("the mean is zero: there is no direction to split the noise along")
    u = m / np.sqrt(signal)
    along = max(float(u @ S @ u), 0.0)
    across = max(float(np.trace(S)) - along, 0.0)
    return NoiseSplit(signal, along, across)


def many_prompt_noise_split(pis: ArrayLike, correct: ArrayLike, baseline: float = 0.0,
                            jacobians: ArrayLike | None = None) -> NoiseSplit:
    """Magnitude and direction noise of a REINFORCE update summed over several prompts, exactly.

    Prompt ``j`` has policy ``π_j`` (row ``j`` of ``pis``), correct answer ``c_j`` and one sampled
    answer; its logit update is ``ĝ_j = (R_j - b)(e_{a_j} - π_j)``. The parameters see
    ``Σ_j J_jᵀ ĝ_j`` with ``J_j = ∂z_j/∂θ`` (``jacobians[j]``, shape ``(V, P)``); without jacobians each
    prompt has its own logits (a block vector, ``J_j`` selects block ``j``). The prompts' updates are
    independent, so the covariance is ``Σ_j J_jᵀ Σ_j J_j``.

    Parameters
    ----------
    pis : array_like, shape (M, V)
        One policy per prompt.
    correct : array_like of int, shape (M,)
        The correct answer of each prompt.
    baseline : float, default 0
        The constant baseline ``b``, the same for every prompt.
    jacobians : array_like, shape (M, V, P), optional
        Shared parameters: the Jacobian of each prompt's logits.

    Returns
    -------
    NoiseSplit
        Signal, magnitude and direction noise of the summed update.

    Raises
    ------
    ValueError
        If the shapes do not agree or any input is invalid (see :func:`reinforce_covariance`).

    Notes
    -----
    Chapter 3, "Magnitude noise and direction noise".
    """
    P_ = np.asarray(pis, dtype=np.float64)
    if P_.ndim != 2:
        raise ValueError(f"pis must have shape (M, V), got {P_.shape}")
    cs = np.asarray(correct)
    if cs.shape != (P_.shape[0],):
        raise ValueError(f"correct must have shape ({P_.shape[0]},), got {cs.shape}")
    M, V = P_.shape
    parts = [reinforce_covariance(P_[j], int(cs[j]), baseline) for j in range(M)]  # M prompts, not samples
    if jacobians is None:
        mean = np.concatenate([m for m, _ in parts])
        cov = np.zeros((M * V, M * V))
        for j, (_, S) in enumerate(parts):
            cov[j * V:(j + 1) * V, j * V:(j + 1) * V] = S
        return noise_split(mean, cov)
    J = np.asarray(jacobians, dtype=np.float64)
    if J.ndim != 3 or J.shape[:2] != (M, V) or not np.isfinite(J).all():
        raise ValueError(f"jacobians must be finite with shape ({M}, {V}, P), got {J.shape}")
    mean = np.einsum("jvp,jv->p", J, np.stack([m for m, _ in parts]))
    cov = np.einsum("jvp,jvw,jwq->pq", J, np.stack([S for _, S in parts]), J)
    return noise_split(mean, cov)


def grpo_group_moments(pi: ArrayLike, correct: int, G: int, scale: str = "std") -> GradientMoments:
    """Exact moments of one GRPO group's update with the group's own statistics, binary reward.

    The group update is ``U = (1/G) Σ_i A_i (e_{a_i} - π)`` with ``A_i = (r_i - r̄)/σ̂`` (``scale="std"``,
    population std of the group; GRPO) or ``A_i = r_i - r̄`` (``scale="none"``: the leave-in group-mean
    baseline only). A dead group (all rewards equal) gives 0. Exact: given the number ``K`` of
    successes, the successes all point along ``d_c = e_c - π`` and the ``G - K`` failures are i.i.d.
    draws from the wrong answers, whose directions have mean ``-p d_c/(1 - p)`` and total variance
    ``τ_w``; so ``E[U | K] = α_K d_c`` with ``α_K = (K A_+ - (G - K) A_- p/(1 - p))/G`` and
    ``E[‖U‖² | K] = α_K² s_c + (G - K) A_-² τ_w / G²``, summed over ``K ~ Binomial(G, p)``.

    Parameters
    ----------
    pi : array_like, shape (V,)
        The policy.
    correct : int
        Index of the correct answer.
    G : int
        Group size, at least 2.
    scale : {"std", "none"}
        Divide the centred rewards by the group's standard deviation, or not.

    Returns
    -------
    GradientMoments
        Mean (shape ``(V,)``), ``tr Cov`` and SNR of the group update ``U`` (a batch of ``G`` samples).

    Raises
    ------
    ValueError
        If ``pi``, ``correct``, ``G`` or ``scale`` is invalid.

    Notes
    -----
    Chapter 3, "GRPO with the statistics it actually uses".
    """
    arr, c = _policy_and_answer(pi, correct)
    G = _validate.positive_int(G, "G", minimum=2)
    if scale not in ("std", "none"):
        raise ValueError(f"scale must be 'std' or 'none', got {scale!r}")
    from scipy.stats import binom

    p = float(arr[c])
    s = _norms_sq(arr)
    d_c = sl_gradient(arr, c)
    if p == 0.0 or p == 1.0:
        return GradientMoments(np.zeros_like(arr), 0.0, 0.0)
    K = np.arange(G + 1)
    pmf = binom.pmf(K, G, p)
    ph = K / G
    live = (K > 0) & (K < G)
    sd = np.sqrt(np.where(live, ph * (1 - ph), 1.0)) if scale == "std" else np.ones(G + 1)
    a_plus = np.where(live, (1 - ph) / sd, 0.0)
    a_minus = np.where(live, -ph / sd, 0.0)
    wrong = np.ones(arr.size, dtype=bool)
    wrong[c] = False
    s_w = float(np.sum(arr[wrong] * s[wrong]) / (1 - p))  # E[‖d_a‖² | a wrong]
    tau_w = max(s_w - (p / (1 - p)) ** 2 * float(s[c]), 0.0)  # minus ‖mean of the wrong directions‖²
    alpha = (K * a_plus - (G - K) * a_minus * p / (1 - p)) / G
    mean_alpha = float(pmf @ alpha)
    second = float(pmf @ (alpha**2 * s[c] + (G - K) * a_minus**2 * tau_w / G**2))
    signal = mean_alpha**2 * float(s[c])
    var = max(second - signal, 0.0)
    return GradientMoments(mean_alpha * d_c, var, signal / var if var > 0 else np.inf)


def self_normalised_batch(p: ArrayLike, n: int) -> tuple[float | NDArray[np.float64], float | NDArray[np.float64]]:
    """REINFORCE without a baseline divided by the batch's own pass rate ``p̂ = K/n``: mean scale and SNR.

    For one prompt with one correct answer, ``(1/n) Σ_i R_i (e_{a_i} - π) / p̂ = 1[K > 0] g_SL``
    (0 when the batch has no success). So the estimator is ``g_SL`` times a Bernoulli variable:
    its mean is ``(1 - (1 - p)^n) g_SL`` (biased, by the chance of a batch without success) and its SNR
    is ``(1 - (1 - p)^n) / (1 - p)^n``, the odds of at least one success, not ``n p/(1 - p)``.

    Parameters
    ----------
    p : array_like
        Pass rate(s) in [0, 1].
    n : int
        Batch size.

    Returns
    -------
    scale : float or numpy.ndarray
        ``1 - (1 - p)^n``, the factor in ``E = scale · g_SL``.
    snr : float or numpy.ndarray
        ``scale / (1 - p)^n`` (``inf`` at ``p = 1``).

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1] or not finite, or ``n`` is not a positive integer.

    Notes
    -----
    Chapter 3, "Three different factors of p".
    """
    pa = _validate.probability(p, "p")
    n = _validate.positive_int(n, "n")
    miss = (1.0 - pa) ** n
    with np.errstate(divide="ignore"):
        hit = np.where(pa >= 1.0, 1.0, -np.expm1(n * np.log1p(-np.where(pa >= 1.0, 0.0, pa))))  # 1 - (1-p)^n, stably
    with np.errstate(divide="ignore"):
        snr = np.where(miss > 0, hit / np.where(miss > 0, miss, 1.0), np.inf)
    return _validate.scalar_or_array(hit), _validate.scalar_or_array(snr)


@dataclass(frozen=True)
class UnbiasedBound:
    """The smallest average variance of an unbiased gradient estimator from one (answer, pass/fail) sample.

    ``failure_values[a]``: the optimal estimate when answer ``a`` was sampled and failed (shape
    ``(V, V)``); ``success_values[c]``: when ``c`` was sampled and passed. ``min_variance``:
    ``Σ_c π_c tr Cov_c ĝ`` at the optimum; ``signal``: ``Σ_c π_c ‖∇π_c‖²``. Returned by
    :func:`min_variance_unbiased`; Chapter 3, "A limit for every estimator".

    Parameters
    ----------
    failure_values : numpy.ndarray
        Optimal estimate after sampling answer ``a`` and failing, row ``a``; shape ``(V, V)``.
    success_values : numpy.ndarray
        Optimal estimate after sampling the correct answer ``c`` and passing, row ``c``; shape ``(V, V)``.
    min_variance : float
        The smallest achievable ``Σ_c π_c tr Cov_c ĝ`` (squared gradient norm), averaged over the correct answer.
    signal : float
        ``Σ_c π_c ‖∇π_c‖²``, the average squared norm of the true gradient.

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
    """

    failure_values: NDArray[np.float64]
    success_values: NDArray[np.float64]
    min_variance: float
    signal: float

    @property
    def snr(self) -> float:
        """``signal / min_variance``: the best SNR any unbiased one-sample estimator reaches, on average."""
        return self.signal / self.min_variance if self.min_variance > 0 else np.inf


def unbiased_estimator_moments(pi: ArrayLike, failure_values: ArrayLike) -> tuple[float, float]:
    """Average variance and signal of the unbiased estimator fixed by its failure values, by enumeration.

    An estimator ``ĝ(a, r)`` from one sampled answer ``a ~ π`` and its reward ``r = 1[a = c]`` is
    unbiased for ``∇_z π_c = π_c (e_c - π)`` for every correct answer ``c`` exactly when
    ``ĝ(c, 1) = (e_c - π) + ĝ(c, 0) - F/π_c`` with ``F = Σ_a π_a ĝ(a, 0)``: the failure values
    determine the success values. Here the variance is computed for each ``c`` by enumerating the ``V``
    outcomes, then averaged over ``c ~ π`` (the calibrated average).

    Parameters
    ----------
    pi : array_like, shape (V,)
        The policy, every entry positive.
    failure_values : array_like, shape (V, V)
        Row ``a``: ``ĝ(a, 0)``. REINFORCE with baseline ``b`` has rows ``-b (e_a - π)``.

    Returns
    -------
    min_variance : float
        ``Σ_c π_c tr Cov_c ĝ``.
    signal : float
        ``Σ_c π_c ‖π_c (e_c - π)‖²``.

    Raises
    ------
    ValueError
        If ``pi`` is not a distribution with positive entries, or the shapes do not agree.

    Notes
    -----
    Chapter 3, "A limit for every estimator".
    """
    arr = _positive_policy(pi)
    f = np.asarray(failure_values, dtype=np.float64)
    V = arr.size
    if f.shape != (V, V) or not np.isfinite(f).all():
        raise ValueError(f"failure_values must be finite with shape ({V}, {V}), got {f.shape}")
    d = np.eye(V) - arr[None, :]
    F = arr @ f
    h = d + f - F[None, :] / arr[:, None]
    var = 0.0
    signal = 0.0
    fn = np.sum(f**2, axis=1)
    for c in range(V):  # the V possible correct answers; each enumerates its V outcomes
        outcomes_sq = np.where(np.arange(V) == c, float(h[c] @ h[c]), fn)
        m = arr[c] * d[c]
        var += arr[c] * (float(arr @ outcomes_sq) - float(m @ m))
        signal += arr[c] * float(m @ m)
    return var, signal


def _positive_policy(pi: ArrayLike) -> NDArray[np.float64]:
    arr = _validate.distribution(pi, "pi")
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"pi must be one distribution over at least 2 answers, got shape {arr.shape}")
    if (arr <= 0).any():
        raise ValueError("pi must give every answer a positive probability")
    if arr.size > 2_000:
        raise ValueError(f"V = {arr.size} is too large (at most 2,000)")
    return arr


def min_variance_unbiased(pi: ArrayLike) -> UnbiasedBound:
    """The unbiased one-sample estimator of ``∇_z π_c`` with the smallest variance averaged over ``c ~ π``.

    The problem separates by coordinate ``k`` of the gradient. With ``u_a = π_a ĝ_k(a, 0)``,
    ``U = Σ_a u_a`` and ``d_{k c} = 1[k = c] - π_k``, the average second moment is
    ``Σ_a u_a²(1 - π_a)/π_a + Σ_c (π_c d_{kc} + u_c - U)²``, a convex quadratic whose stationary point is
    ``u_a = -π_a (π_a d_{ka} + (V - 2) U)`` with ``U = -Σ_a π_a² d_{ka} / (V - 1)``. For a uniform policy
    this is REINFORCE with ``b = 1/V``; for two answers it has zero variance (a pass or a fail there
    names the correct answer).

    (For one *known* correct answer the minimum is 0, reached by an estimator built around that answer;
    only the average over answers is a useful limit.)

    Parameters
    ----------
    pi : array_like, shape (V,)
        The policy, every entry positive, ``2 <= V <= 2,000``.

    Returns
    -------
    UnbiasedBound
        The optimal failure and success values, the minimal average variance and the signal.

    Raises
    ------
    ValueError
        If ``pi`` is not a distribution over at least two answers with positive entries.

    Notes
    -----
    Chapter 3, "A limit for every estimator".
    """
    arr = _positive_policy(pi)
    V = arr.size
    d = np.eye(V) - arr[None, :]  # d[a, k] = 1[k = a] - π_k
    U = -(arr**2 @ d) / (V - 1)  # one value per coordinate k
    u = -arr[:, None] * (arr[:, None] * d + (V - 2) * U[None, :])
    f = u / arr[:, None]
    var, signal = unbiased_estimator_moments(arr, f)
    F = arr @ f
    h = d + f - F[None, :] / arr[:, None]
    return UnbiasedBound(f, h, var if var > 1e-12 * signal else 0.0, signal)  # rounding residue of an exact 0


# --- many tokens, one reward (Chapter 3, "Many tokens, one reward") ---


@dataclass(frozen=True)
class SequenceMoments:
    """Exact moments of the sequence-level REINFORCE update ``ĝ = (R - b) Σ_t (e_{a_t} - π_t)``.

    ``p_seq``: probability that the sequence is accepted (``R = 1``); ``signal = ‖E ĝ‖²``;
    ``total_variance = tr Cov ĝ``; ``snr = signal / total_variance``; ``mean``: ``E ĝ`` with shape
    ``(T, V)`` (the logits of every position). Returned by :func:`sequence_moments`;
    Chapter 3, "Many tokens, one reward".

    Parameters
    ----------
    p_seq : float
        Probability in [0, 1] that a sampled sequence is accepted.
    mean : numpy.ndarray
        ``E ĝ`` with respect to the logits of every position, shape ``(T, V)``.
    signal : float
        ``‖E ĝ‖²``, squared norm of the mean update.
    total_variance : float
        ``tr Cov ĝ`` in squared gradient norm.
    snr : float
        ``signal / total_variance`` (dimensionless; ``inf`` without noise).

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
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

    Parameters
    ----------
    pi_tokens : array_like, shape (T, V)
        One policy per position.
    accepted : array_like of bool, shape (T, V)
        Which tokens are acceptable at each position (at least one per position).
    baseline : float, default 0
        The constant baseline ``b``.

    Returns
    -------
    SequenceMoments
        ``p_seq``, mean, signal, ``tr Cov`` and SNR of the sequence-level update, exactly.

    Raises
    ------
    ValueError
        If the shapes differ, a row is not a distribution, a position accepts no token, or
        ``baseline`` is not finite.
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

    Parameters
    ----------
    pi_tokens : array_like, shape (T, V)
        One policy per position (``V ** T`` small).
    accepted : array_like of bool, shape (T, V)
        Which tokens are acceptable at each position.
    baseline : float, default 0
        The constant baseline ``b``.

    Returns
    -------
    SequenceMoments
        The same moments as :func:`sequence_moments`, by brute force over all sequences.

    Raises
    ------
    ValueError
        If an input is invalid or there are too many sequences to enumerate.
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
                           *, rng: np.random.Generator) -> tuple[NDArray[np.float64], float, float, float]:
    """Monte Carlo of ``n`` sampled sequences: ``(mean update (T, V), mean ‖ĝ‖², its standard error, success rate)``.

    The mean update is a weighted ``bincount`` over (position, token); ``‖ĝ‖² = (R - b)² Σ_t
    (1 - 2 π_t[a_t] + ‖π_t‖²)`` needs no ``(n, T, V)`` array. Chapter 3, "Many tokens, one reward".

    Parameters
    ----------
    pi_tokens : array_like, shape (T, V)
        One policy per position.
    accepted : array_like of bool, shape (T, V)
        Which tokens are acceptable at each position.
    baseline : float
        The constant baseline ``b``.
    n : int
        Number of sampled answers.
    rng : numpy.random.Generator
        The source of randomness (keyword-only).

    Returns
    -------
    tuple
        Monte Carlo mean update, mean squared norm, its standard error, and the success rate.

    Raises
    ------
    ValueError
        If an input is invalid, ``n`` is not a positive integer, or ``rng`` is not a Generator.
    """
    pis, acc = _sequence_inputs(pi_tokens, accepted)
    n = _validate.positive_int(n, "n", minimum=2)
    rng = _validate.rng(rng)
    T, V = pis.shape
    if n * T > 50_000_000:
        raise ValueError(f"n * T = {n * T:,} token draws is too many (at most 50 million)")
    b = float(baseline)
    tokens = distributions.sample_categorical(pis, n, rng=rng).T  # (n, T): n answers, one token per position
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
    """Batch REINFORCE updates at one setting: cosine of each batch update with the true gradient.

    Returned by :func:`update_panel`; Chapter 3, "What a batch looks like".

    Parameters
    ----------
    p : float
        Probability of the correct answer, in (0, 1).
    batch_size : int
        Samples per batch.
    baseline : str
        ``"none"`` or ``"pass rate"``.
    cosines : numpy.ndarray
        Cosine similarity in [-1, 1] of each batch-mean update with the supervised direction,
        shape ``(n_batches,)``.
    share_without_success : float
        Probability ``(1 - p)^batch_size`` that a batch holds no success.
    snr_batch : float
        Exact signal-to-noise ratio of the batch-mean update (dimensionless).

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
    """
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
    updates = reinforce_batch_means(pi, 0, b, batch, n_batches, rng=rng)
    direction = sl_gradient(pi, 0)
    norms = np.linalg.norm(updates, axis=1) * np.linalg.norm(direction)
    cos = np.divide(updates @ direction, norms, out=np.zeros(n_batches), where=norms > 0)
    moments = reinforce_moments(pi, 0, b)
    return UpdatePanel(float(p), batch, baseline, cos, float((1 - p) ** batch), float(batch * moments.snr))


__all__ += ["UpdatePanel", "update_panel"]
