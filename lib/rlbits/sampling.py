"""Sampling arithmetic for reinforcement learning: how many samples until a success, pass@k, and
which pass rate gives the most learning signal.

Chapter 4 ("Sampling and batch sizes") explains everything here:

- the chance of at least one success in ``n`` draws, ``1 - (1 - p)^n``, the number of draws
  ``n_c = ln(1 - c) / ln(1 - p)`` needed for confidence ``c``, the rule of three, and the geometric
  waiting time (section "How many samples until the first success");
- the pass@k estimator of Chen et al. (2021) in its numerically stable product form and the biased
  plug-in estimator (section "pass@k");
- the "Goldilocks" measures of learning signal against pass rate and where each one peaks
  (section "The Goldilocks zone");
- a small curriculum-versus-fixed-task simulation with a tabular softmax learner trained by
  REINFORCE, with a binary or a graded reward (sections "A curriculum in miniature" and
  "Bram Cohen's two claims").

Logarithms of ``1 - p`` are taken with ``log1p`` so that pass rates as small as ``1e-12`` are exact
to double precision. Every function validates its input and raises :class:`ValueError` with a
message that says what was wrong. Randomness enters only through an ``rng`` argument.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate, information

__all__ = [
    "CurriculumRun",
    "GoldilocksPeak",
    "baseline_speed",
    "binary_entropy_argmax",
    "calibrated_bits",
    "calibrated_bits_argmax",
    "calibrated_problems",
    "expected_naive_pass_at_k",
    "expected_wait",
    "goldilocks_measures",
    "goldilocks_peaks",
    "graded_reward_bits",
    "grpo_speed",
    "max_reward_bits",
    "mean_pass_at_k",
    "naive_pass_at_k",
    "pass_at_k",
    "pass_at_k_crossing",
    "prob_at_least_one",
    "reinforce_speed",
    "reward_variance",
    "rule_of_three",
    "rule_of_three_samples",
    "samples_for_confidence",
    "samples_for_confidence_real",
    "sharpen",
    "simulate_at_least_one",
    "simulate_curriculum",
    "simulate_group_speed",
    "simulate_mean_pass_at_k",
    "simulate_pass_at_k",
    "simulate_waits",
    "speed_argmax",
    "success_bits",
    "success_bits_argmax",
    "zero_success_upper_bound",
]

FloatOrArray = float | NDArray[np.float64]

# Above this many product terms in total, pass_at_k switches from the exact product to log-gamma.
_MAX_PRODUCT_TERMS = 20_000_000


# ---------------------------------------------------------------------------------------------
# validation helpers


def _int_array(x: ArrayLike, name: str, minimum: int = 0) -> NDArray[np.int64]:
    """``x`` as an int64 array of whole numbers ``>= minimum`` (floats such as ``3.0`` are accepted)."""
    arr = np.asarray(x)
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ValueError(f"{name} must be a whole number (or an array of them), got {x!r}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if np.issubdtype(arr.dtype, np.floating):
        if not np.isfinite(arr).all() or (arr != np.round(arr)).any():
            raise ValueError(f"{name} must hold whole numbers, got {x!r}")
        if (np.abs(arr) > 2.0**62).any():
            raise ValueError(f"{name} is too large, got {x!r}")
    arr = arr.astype(np.int64)
    if (arr < minimum).any():
        raise ValueError(f"{name} must be >= {minimum}, got a smallest value of {int(arr.min())}")
    return arr


def _open_unit_array(x: ArrayLike, name: str) -> NDArray[np.float64]:
    """``x`` as a float array whose entries lie strictly between 0 and 1."""
    arr = _validate.probability(x, name)
    if (arr <= 0.0).any() or (arr >= 1.0).any():
        raise ValueError(
            f"{name} must lie strictly between 0 and 1, got values in [{float(arr.min()):.6g}, {float(arr.max()):.6g}]"
        )
    return arr


def _scalar_int_or_array(x: NDArray[Any]) -> int | NDArray[np.int64]:
    return int(x) if np.ndim(x) == 0 else x


# ---------------------------------------------------------------------------------------------
# at least one success, samples for confidence, rule of three, waiting time


def prob_at_least_one(p: ArrayLike, n: ArrayLike) -> FloatOrArray:
    """Probability ``1 - (1 - p)^n`` that ``n`` independent draws with pass rate ``p`` contain a success.

    ``p`` in [0, 1] and ``n`` whole numbers ``>= 0`` (scalars or arrays that broadcast). Computed
    as ``-expm1(n · log1p(-p))``, accurate for tiny ``p``. A probability, no unit.
    Chapter 4, "How many samples until the first success".
    """
    pa = _validate.probability(p, "p")
    na = _int_array(n, "n", minimum=0)
    with np.errstate(divide="ignore"):
        log_miss = np.log1p(-pa)  # -inf at p = 1
    prod = np.where(na == 0, 0.0, na * np.where(np.isfinite(log_miss), log_miss, -np.inf))
    return _validate.scalar_or_array(-np.expm1(prod) + 0.0)


def samples_for_confidence_real(p: ArrayLike, confidence: ArrayLike = 0.95) -> FloatOrArray:
    """The real-valued solution ``n_c = ln(1 - c) / ln(1 - p)`` of ``1 - (1 - p)^n = c`` (samples).

    ``p`` and ``confidence`` must lie strictly between 0 and 1. ``ln(1 - p)`` is ``log1p(-p)``, so
    ``p = 1e-12`` is exact. At ``p = 1e-5``, ``c = 0.95`` this is 299,571.7. See
    :func:`samples_for_confidence` for the whole number of draws. Chapter 4, "How many samples
    until the first success".
    """
    pa = _open_unit_array(p, "p")
    ca = _open_unit_array(confidence, "confidence")
    return _validate.scalar_or_array(np.log1p(-ca) / np.log1p(-pa))


def samples_for_confidence(p: ArrayLike, confidence: ArrayLike = 0.95) -> int | NDArray[np.int64]:
    """The smallest whole number of draws ``n`` with ``1 - (1 - p)^n >= confidence`` (samples).

    This is the real-valued ``n_c = ln(1 - c) / ln(1 - p)`` (:func:`samples_for_confidence_real`)
    rounded **up**; the result is checked against :func:`prob_at_least_one` so that rounding error
    in ``n_c`` never makes it one too large or too small. Returns a Python ``int`` for scalar input,
    an int64 array otherwise. 299,572 at ``p = 1e-5``, ``c = 0.95``. Chapter 4, "How many samples
    until the first success".
    """
    x = np.asarray(samples_for_confidence_real(p, confidence), dtype=np.float64)
    pa = np.asarray(p, dtype=np.float64)
    ca = np.asarray(confidence, dtype=np.float64)
    if (x > 2.0**62).any():
        raise ValueError("p is so small that the number of samples does not fit in a 64-bit integer")
    n = np.maximum(np.ceil(x), 1.0).astype(np.int64)
    log_miss = np.log1p(-pa)
    # Correct for rounding: n must reach the confidence and n - 1 must not.
    reach = -np.expm1(n * log_miss) >= ca
    n = np.where(reach, n, n + 1)
    below = (n > 1) & (-np.expm1((n - 1) * log_miss) >= ca)
    n = np.where(below, n - 1, n)
    return _scalar_int_or_array(n)


def rule_of_three_samples(p: ArrayLike, confidence: ArrayLike = 0.95) -> FloatOrArray:
    """The small-``p`` approximation ``n ≈ -ln(1 - c) / p`` to :func:`samples_for_confidence_real`.

    At 95% confidence ``-ln 0.05 = 2.996 ≈ 3``, hence "three over p". It overestimates the exact
    ``n_c`` by a factor ``-ln(1 - p)/p ≈ 1 + p/2``. Samples. Chapter 4, "The rule of three".
    """
    pa = _open_unit_array(p, "p")
    ca = _open_unit_array(confidence, "confidence")
    return _validate.scalar_or_array(-np.log1p(-ca) / pa)


def rule_of_three(n: ArrayLike, confidence: ArrayLike = 0.95) -> FloatOrArray:
    """Approximate upper confidence bound ``-ln(1 - c)/n ≈ 3/n`` on a rate after 0 successes in ``n`` trials.

    Hanley and Lippman-Hand (1983): if nothing happened in ``n`` trials, rates above about ``3/n``
    are ruled out at 95% confidence. ``n`` whole numbers ``>= 1``. The exact bound is
    :func:`zero_success_upper_bound`. A probability. Chapter 4, "The rule of three".
    """
    na = _int_array(n, "n", minimum=1)
    ca = _open_unit_array(confidence, "confidence")
    return _validate.scalar_or_array(-np.log1p(-ca) / na)


def zero_success_upper_bound(n: ArrayLike, confidence: ArrayLike = 0.95) -> FloatOrArray:
    """Exact one-sided upper bound ``1 - (1 - c)^(1/n)`` on a rate after 0 successes in ``n`` trials.

    The largest ``p`` for which seeing no success in ``n`` draws still has probability at least
    ``1 - c``. A probability. Chapter 4, "The rule of three".
    """
    na = _int_array(n, "n", minimum=1)
    ca = _open_unit_array(confidence, "confidence")
    return _validate.scalar_or_array(-np.expm1(np.log1p(-ca) / na))


def expected_wait(p: ArrayLike) -> FloatOrArray:
    """Mean number of draws up to and including the first success, ``1/p`` (geometric distribution).

    ``p`` must lie in (0, 1]. Samples. Chapter 4, "How many samples until the first success".
    """
    pa = _validate.probability(p, "p")
    if (pa <= 0).any():
        raise ValueError("p must be > 0: with pass rate 0 the wait for a success is infinite")
    return _validate.scalar_or_array(1.0 / pa)


def simulate_waits(p: float, size: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """Monte Carlo: ``size`` geometric waiting times (draws up to and including the first success).

    Chapter 4, "How many samples until the first success".
    """
    p = _validate.open_unit(p, "p")
    size = _validate.positive_int(size, "size")
    rng = _validate.rng(rng)
    return rng.geometric(p, size=size).astype(np.int64)


def simulate_at_least_one(p: float, n: int, trials: int, rng: np.random.Generator) -> float:
    """Monte Carlo estimate of :func:`prob_at_least_one`: the share of ``trials`` batches of ``n`` draws
    with at least one success. (The number of successes in a batch is drawn as a binomial count.)
    Chapter 4, "How many samples until the first success".
    """
    p = float(_validate.probability(p, "p"))
    n = _validate.positive_int(n, "n")
    trials = _validate.positive_int(trials, "trials")
    rng = _validate.rng(rng)
    return float(np.mean(rng.binomial(n, p, size=trials) > 0))


# ---------------------------------------------------------------------------------------------
# pass@k


def _pass_at_k_args(n: ArrayLike, c: ArrayLike, k: ArrayLike) -> tuple[NDArray[np.int64], ...]:
    na = _int_array(n, "n", minimum=1)
    ca = _int_array(c, "c", minimum=0)
    ka = _int_array(k, "k", minimum=1)
    try:
        na, ca, ka = np.broadcast_arrays(na, ca, ka)
    except ValueError:
        raise ValueError(f"n, c and k with shapes {np.shape(n)}, {np.shape(c)}, {np.shape(k)} do not broadcast") from None
    if (ca > na).any():
        raise ValueError("c (correct samples) must satisfy 0 <= c <= n (samples drawn)")
    if (ka > na).any():
        raise ValueError("k must satisfy 1 <= k <= n: pass@k needs at least k samples per problem")
    return na, ca, ka


def pass_at_k(n: ArrayLike, c: ArrayLike, k: ArrayLike) -> FloatOrArray:
    """Unbiased pass@k estimate from ``n`` samples of which ``c`` are correct (Chen et al. 2021).

    ``1 - C(n-c, k)/C(n, k)``, the probability that ``k`` of the ``n`` samples drawn without
    replacement include a correct one, computed in the numerically stable product form
    ``1 - Π_{i=n-c+1}^{n} (1 - k/i)``. Since ``C(n-c,k)/C(n,k) = C(n-k,c)/C(n,c)``, the product is
    taken over whichever of ``c`` and ``k`` is smaller, as a sum of ``log1p`` terms, so it is exact
    (to rounding) for ``n`` in the billions without overflow. Vectorised: ``n``, ``c``, ``k`` broadcast.
    Requires whole numbers with ``0 <= c <= n`` and ``1 <= k <= n``. Its expectation over
    ``c ~ Binomial(n, p)`` is exactly ``1 - (1 - p)^k``. A probability. Chapter 4, "pass@k".
    """
    na, ca, ka = _pass_at_k_args(n, c, k)
    shape = na.shape
    nf, cf, kf = (a.ravel() for a in (na, ca, ka))
    terms = np.minimum(cf, kf)  # number of factors
    # ∏_{j<c} (1 - k/(n-j))  or  ∏_{j<k} (1 - c/(n-j)); 0 factors when c = 0.
    sure = nf - cf < kf  # some k-subset must contain a correct sample: pass@k = 1
    use = (~sure) & (terms > 0)
    log_ratio = np.zeros(nf.shape)
    total = int(terms[use].sum())
    if total <= _MAX_PRODUCT_TERMS:
        idx = np.flatnonzero(use)
        reps = terms[idx]
        if reps.size:
            owner = np.repeat(np.arange(idx.size), reps)
            starts = np.cumsum(reps) - reps
            j = np.arange(total) - np.repeat(starts, reps)
            other = np.where(cf[idx] <= kf[idx], kf[idx], cf[idx])[owner]  # the numerator k (or c)
            vals = np.log1p(-other / (nf[idx][owner] - j))
            log_ratio[idx] = np.bincount(owner, weights=vals, minlength=idx.size)
    else:  # astronomically many factors: log-gamma form (relative error ~ n · 1e-16 in the log)
        from scipy.special import gammaln

        m, cc, kk = nf[use].astype(float), cf[use].astype(float), kf[use].astype(float)
        log_ratio[use] = gammaln(m - cc + 1) + gammaln(m - kk + 1) - gammaln(m - cc - kk + 1) - gammaln(m + 1)
    out = np.where(sure, 1.0, -np.expm1(log_ratio))
    return _validate.scalar_or_array(out.reshape(shape) + 0.0)


def naive_pass_at_k(n: ArrayLike, c: ArrayLike, k: ArrayLike) -> FloatOrArray:
    """The plug-in estimate ``1 - (1 - c/n)^k``: pass@k of the empirical pass rate ``c/n``.

    Biased low (Jensen: ``1 - (1 - x)^k`` is concave in ``x``); same arguments and checks as
    :func:`pass_at_k`. A probability. Chapter 4, "pass@k".
    """
    na, ca, ka = _pass_at_k_args(n, c, k)
    with np.errstate(divide="ignore"):
        log_miss = np.log1p(-ca / na)
    out = np.where(ca == na, 1.0, -np.expm1(ka * np.where(ca == na, 0.0, log_miss)))
    return _validate.scalar_or_array(out + 0.0)


def expected_naive_pass_at_k(p: float, n: int, k: ArrayLike) -> FloatOrArray:
    """Exact expectation of :func:`naive_pass_at_k` when ``c ~ Binomial(n, p)``, for each ``k``.

    Summed over the ``n + 1`` possible counts; compare with the true ``1 - (1 - p)^k`` to see the
    bias. A probability. Chapter 4, "pass@k".
    """
    from scipy.stats import binom

    p = float(_validate.probability(p, "p"))
    n = _validate.positive_int(n, "n")
    ka = _int_array(k, "k", minimum=1)
    if (ka > n).any():
        raise ValueError("k must satisfy 1 <= k <= n")
    c = np.arange(n + 1)
    pmf = binom.pmf(c, n, p)
    base = 1.0 - c / n
    vals = 1.0 - base[None, :] ** ka.ravel()[:, None]
    return _validate.scalar_or_array((vals @ pmf).reshape(ka.shape))


def simulate_pass_at_k(p: float, n: int, k: int, problems: int, rng: np.random.Generator) -> dict[str, float]:
    """Monte Carlo: draw ``n`` samples for each of ``problems`` problems with pass rate ``p`` and average
    both estimators. Returns ``{"unbiased", "naive", "true", "unbiased_se"}`` (true = ``1 - (1-p)^k``).
    Chapter 4, "pass@k".
    """
    p = _validate.open_unit(p, "p")
    n = _validate.positive_int(n, "n")
    k = _validate.positive_int(k, "k")
    if k > n:
        raise ValueError("k must satisfy 1 <= k <= n")
    problems = _validate.positive_int(problems, "problems")
    rng = _validate.rng(rng)
    c = rng.binomial(n, p, size=problems)
    unbiased = np.asarray(pass_at_k(n, c, k))
    naive = np.asarray(naive_pass_at_k(n, c, k))
    return {
        "unbiased": float(unbiased.mean()),
        "naive": float(naive.mean()),
        "true": float(prob_at_least_one(p, k)),
        "unbiased_se": float(unbiased.std(ddof=1) / math.sqrt(problems)) if problems > 1 else math.inf,
    }


# ---------------------------------------------------------------------------------------------
# the Goldilocks zone


def success_bits(p: ArrayLike) -> FloatOrArray:
    """``-p log2 p`` in bits: the success term of ``H_b(p)``; for large V, Yorwba's information about the
    true answer carried by the reward (Chapter 2). Peaks at ``p = 1/e``. Chapter 4, "The Goldilocks zone".
    """
    pa = _validate.probability(p, "p")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(pa > 0, -pa * np.log2(np.where(pa > 0, pa, 1.0)), 0.0)
    return _validate.scalar_or_array(out + 0.0)


def calibrated_bits(p: ArrayLike) -> FloatOrArray:
    """``p · H_b(p)`` in bits: a calibrated model's expected RL bits from the token it gives probability
    ``p`` (Chapter 2). Peaks near ``p = 0.70``. Chapter 4, "The Goldilocks zone".
    """
    pa = _validate.probability(p, "p")
    return _validate.scalar_or_array(pa * np.asarray(information.binary_entropy(pa)))


def reward_variance(p: ArrayLike) -> FloatOrArray:
    """Variance ``p(1 - p)`` of a 0/1 reward with pass rate ``p`` (reward units squared); peaks at 1/2.
    Chapter 4, "The Goldilocks zone".
    """
    pa = _validate.probability(p, "p")
    return _validate.scalar_or_array(pa * (1.0 - pa))


def goldilocks_measures(p: ArrayLike) -> dict[str, FloatOrArray]:
    """Every "learning signal" measure of Chapter 4 at pass rate(s) ``p``, keyed by name.

    ``"binary entropy"`` ``H_b(p)`` (bits), ``"success bits"`` ``-p log2 p`` (bits), ``"calibrated bits"``
    ``p H_b(p)`` (bits), ``"reward variance"`` ``p(1-p)`` and ``"odds"`` ``p/(1-p)`` (the per-sample SNR
    of Chapter 3, which has no interior peak). Chapter 4, "The Goldilocks zone".
    """
    pa = _validate.probability(p, "p")
    with np.errstate(divide="ignore"):
        odds = pa / (1.0 - pa)
    return {
        "binary entropy": information.binary_entropy(pa),
        "success bits": success_bits(pa),
        "calibrated bits": calibrated_bits(pa),
        "reward variance": reward_variance(pa),
        "odds": _validate.scalar_or_array(odds),
    }


def binary_entropy_argmax() -> float:
    """``argmax_p H_b(p) = 1/2`` (where ``H_b' = log2((1-p)/p) = 0``). Chapter 4, "The Goldilocks zone"."""
    return 0.5


def success_bits_argmax() -> float:
    """``argmax_p (-p log p) = 1/e``, the root of ``-(ln p + 1) = 0``. Chapter 4, "The Goldilocks zone"."""
    return float(1.0 / np.e)


def calibrated_bits_argmax() -> float:
    """``argmax_p p·H_b(p)``, found as the root in (1/2, 1) of the derivative
    ``-2p ln p - (1 - 2p) ln(1 - p) = 0`` (about 0.703). Chapter 4, "The Goldilocks zone".
    """
    from scipy.optimize import brentq

    def deriv(p: float) -> float:
        return -2.0 * p * math.log(p) - (1.0 - 2.0 * p) * math.log1p(-p)

    return float(brentq(deriv, 0.5, 0.99, xtol=1e-15, rtol=1e-15))


@dataclass(frozen=True)
class GoldilocksPeak:
    """Where one learning-signal measure peaks: pass rate ``argmax`` and value ``peak`` (in ``unit``)."""

    name: str
    argmax: float
    peak: float
    unit: str


def goldilocks_peaks() -> list[GoldilocksPeak]:
    """The peak of each measure in :func:`goldilocks_measures` that has one (closed form or root).
    Chapter 4, "The Goldilocks zone".
    """
    out = []
    for name, where, unit in [
        ("binary entropy", binary_entropy_argmax(), "bits"),
        ("success bits", success_bits_argmax(), "bits"),
        ("calibrated bits", calibrated_bits_argmax(), "bits"),
        ("reward variance", 0.5, "reward²"),
    ]:
        out.append(GoldilocksPeak(name, where, float(goldilocks_measures(where)[name]), unit))
    return out


# ---------------------------------------------------------------------------------------------
# graded rewards


def max_reward_bits(levels: ArrayLike) -> FloatOrArray:
    """Upper bound ``log2 B`` in bits on what one reward with ``B`` possible values can carry.

    Reached only when all ``B`` values are equally likely. Chapter 4, "Bram Cohen's two claims".
    """
    la = _int_array(levels, "levels", minimum=1)
    return _validate.scalar_or_array(np.log2(la.astype(float)))


def graded_reward_bits(q: ArrayLike) -> float:
    """Entropy in bits of the number of correct parts when part ``i`` is right with probability ``q_i``
    independently (a Poisson-binomial count with ``L + 1`` levels; at most ``log2(L + 1)`` bits).

    This is the information in a graded reward "fraction of parts right"; the binary reward "all
    parts right" carries ``H_b(Π q_i)``. Chapter 4, "Bram Cohen's two claims".
    """
    qa = _validate.probability(q, "q")
    if qa.ndim != 1:
        raise ValueError(f"q must be a 1-D array of per-part success probabilities, got shape {qa.shape}")
    pmf = np.ones(1)
    for qi in qa:  # convolution over the L parts (L is small)
        pmf = np.convolve(pmf, [1.0 - qi, qi])
    return float(information.entropy(np.clip(pmf, 0.0, 1.0) / pmf.sum()))


def _count_entropy_bits(q: NDArray[np.float64], active: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Entropy (bits) of the number of right parts among the active ones, for each row (vectorised)."""
    R, L = q.shape
    pmf = np.zeros((R, L + 1))
    pmf[:, 0] = 1.0
    for i in range(L):  # dynamic programme over the L parts (L is small), all rows at once
        qi = np.where(active[:, i], q[:, i], 0.0)[:, None]
        shifted = np.concatenate([np.zeros((R, 1)), pmf[:, :-1]], axis=1)
        pmf = pmf * (1.0 - qi) + shifted * qi
    return np.asarray(information.entropy(np.clip(pmf, 0.0, 1.0) / pmf.sum(axis=1, keepdims=True)))


# ---------------------------------------------------------------------------------------------
# a curriculum in miniature


@dataclass(frozen=True)
class CurriculumRun:
    """Result of :func:`simulate_curriculum` (``R`` independent runs, ``S`` steps, batch ``B``).

    - ``target_pass_rate`` (S + 1, R): exact pass rate of the hardest task (all ``L`` parts) before
      each step and at the end;
    - ``task_length`` (S, R): number of parts of the task trained on at each step;
    - ``train_pass_rate`` (S, R): exact pass rate of that task when it was sampled;
    - ``successes`` (S, R): successful samples in the batch (binary reward "all parts right");
    - ``informative`` (S, R): samples whose advantage is non-zero (reward differs from the batch mean);
    - ``signal_bits`` (S, R): entropy of the reward of one sample of the trained task, in bits —
      ``H_b(p)`` for the binary reward, the count entropy for the graded one;
    - ``batch_size``, ``schedule``, ``reward``: the settings.
    """

    target_pass_rate: NDArray[np.float64]
    task_length: NDArray[np.int64]
    train_pass_rate: NDArray[np.float64]
    successes: NDArray[np.int64]
    informative: NDArray[np.int64]
    signal_bits: NDArray[np.float64]
    batch_size: int
    schedule: str
    reward: str


def simulate_curriculum(
    *,
    V: int = 8,
    L: int = 5,
    steps: int = 300,
    batch_size: int = 32,
    runs: int = 16,
    lr: float = 1.0,
    schedule: str = "curriculum",
    target: float = 0.5,
    reward: str = "binary",
    rng: np.random.Generator,
) -> CurriculumRun:
    """Train a tabular softmax learner with REINFORCE on tasks of ``1..L`` parts; return what it saw.

    The learner has one softmax over ``V`` options for each of ``L`` parts (logits ``(L, V)``, all
    zero at the start, so each part is right with probability ``1/V``). Task ``ℓ`` asks for the first
    ``ℓ`` parts; with the binary reward it pays 1 only if all ``ℓ`` are right, so its pass rate is
    ``Π_{i<ℓ} π_i(correct)`` (``V^{-ℓ}`` at the start). With ``reward="graded"`` it pays the fraction
    of the ``ℓ`` parts that are right (``ℓ + 1`` levels).

    ``schedule``: ``"fixed"`` always trains the hardest task ``ℓ = L``; ``"curriculum"`` trains, in
    each run and at each step, the task whose current pass rate is closest to ``target`` (a
    Goldilocks curriculum; pass rates are exact in this toy). Each step samples ``batch_size``
    answers per run and applies REINFORCE with the batch-mean reward as baseline,
    ``z_i += lr · mean_b (R_b - R̄)(e_{a_{b,i}} - π_i)``. ``runs`` independent runs are simulated
    at once (vectorised). Chapter 4, "A curriculum in miniature".
    """
    V = _validate.positive_int(V, "V", minimum=2)
    L = _validate.positive_int(L, "L")
    steps = _validate.positive_int(steps, "steps")
    B = _validate.positive_int(batch_size, "batch_size", minimum=2)
    R = _validate.positive_int(runs, "runs")
    lr = _validate.positive_number(lr, "lr")
    if schedule not in ("fixed", "curriculum"):
        raise ValueError(f"schedule must be 'fixed' or 'curriculum', got {schedule!r}")
    if reward not in ("binary", "graded"):
        raise ValueError(f"reward must be 'binary' or 'graded', got {reward!r}")
    target = _validate.open_unit(target, "target")
    if R * B * L * V > 20_000_000:
        raise ValueError("runs * batch_size * L * V is too large (at most 20 million)")
    rng = _validate.rng(rng)

    z = np.zeros((R, L, V))  # option 0 is the correct one for every part (no loss of generality)
    lengths = np.arange(1, L + 1)
    out = {k: np.zeros((steps, R)) for k in ("task", "p_train", "succ", "info", "bits")}
    target_pr = np.zeros((steps + 1, R))
    ar_r = np.arange(R)[:, None, None]
    ar_l = np.arange(L)[None, None, :]
    for s in range(steps):
        pi = np.exp(z - z.max(axis=-1, keepdims=True))
        pi /= pi.sum(axis=-1, keepdims=True)
        q = pi[:, :, 0]  # (R, L): chance each part is right
        task_pr = np.cumprod(q, axis=1)  # (R, L): pass rate of task ℓ = 1..L
        target_pr[s] = task_pr[:, -1]
        if schedule == "fixed":
            ell = np.full(R, L)
        else:
            ell = lengths[np.argmin(np.abs(task_pr - target), axis=1)]
        active = ar_l[0, 0][None, :] < ell[:, None]  # (R, L): parts in the task
        # sample answers for all parts: inverse CDF on each part's softmax
        u = rng.random((R, B, L, 1))
        a = (u > np.cumsum(pi, axis=-1)[:, None, :, :]).sum(axis=-1)  # (R, B, L)
        a = np.minimum(a, V - 1)
        right = a == 0
        n_right = (right & active[:, None, :]).sum(axis=-1)  # (R, B)
        all_right = n_right == ell[:, None]
        rew = all_right.astype(float) if reward == "binary" else n_right / ell[:, None]
        adv = rew - rew.mean(axis=1, keepdims=True)  # (R, B)
        # gradient: mean_b adv_b (e_{a_bi} - π_i) on active parts
        onehot = np.zeros((R, B, L, V))
        onehot[ar_r, np.arange(B)[None, :, None], ar_l, a] = 1.0
        grad = np.einsum("rb,rblv->rlv", adv, onehot) / B  # the -π part vanishes: Σ_b adv_b = 0
        z += lr * grad * active[:, :, None]
        p_now = task_pr[ar_r[:, 0, 0], ell - 1]
        out["task"][s] = ell
        out["p_train"][s] = p_now
        out["succ"][s] = all_right.sum(axis=1)
        out["info"][s] = (np.abs(adv) > 1e-12).sum(axis=1)
        if reward == "binary":
            out["bits"][s] = np.asarray(information.binary_entropy(p_now))
        else:
            out["bits"][s] = _count_entropy_bits(q, active)
    pi = np.exp(z - z.max(axis=-1, keepdims=True))
    pi /= pi.sum(axis=-1, keepdims=True)
    target_pr[steps] = np.prod(pi[:, :, 0], axis=1)
    return CurriculumRun(
        target_pass_rate=target_pr,
        task_length=out["task"].astype(np.int64),
        train_pass_rate=out["p_train"],
        successes=out["succ"].astype(np.int64),
        informative=out["info"].astype(np.int64),
        signal_bits=out["bits"],
        batch_size=B,
        schedule=schedule,
        reward=reward,
    )


# ---------------------------------------------------------------------------------------------
# learning speed against pass rate: REINFORCE, the batch-mean baseline and GRPO's normalisation


def _group_size(group_size: Any) -> int:
    return _validate.positive_int(group_size, "group_size", minimum=2)


def reinforce_speed(p: ArrayLike) -> FloatOrArray:
    """First-order learning speed of REINFORCE without a baseline, per sample: ``p (1 - p)^2``.

    The expected drop in the surprisal ``-ln p`` of the correct answer per sample and per unit step
    size, for a softmax policy that puts ``p`` on the correct answer and spreads the rest over very many
    wrong answers (nats per sample per unit step). Peaks at ``p = 1/3``. Chapter 4, "The Goldilocks zone
    of an update rule".
    """
    pa = _validate.probability(p, "p")
    return _validate.scalar_or_array(pa * (1.0 - pa) ** 2)


def _binomial_weights(pa: NDArray[np.float64], N: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(k, pmf)`` with ``k = 0..N`` and the Binomial(N, p) pmf for every ``p`` (shape ``p.shape + (N + 1,)``).

    Computed in logs (``0 log 0 = 0``), so it stays finite for ``p`` down to the smallest float and at 0 and 1.
    """
    from scipy.special import gammaln

    k = np.arange(N + 1, dtype=np.float64)
    log_choose = gammaln(N + 1.0) - gammaln(k + 1.0) - gammaln(N - k + 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.log(pa)[..., None]
        log_q = np.log1p(-pa)[..., None]
        succ = np.where(k == 0, 0.0, k * log_p)
        fail = np.where(k == N, 0.0, (N - k) * log_q)
    return k, np.exp(log_choose + succ + fail)


def baseline_speed(p: ArrayLike, group_size: int) -> FloatOrArray:
    """First-order speed of REINFORCE with the group-mean baseline: ``E[k (N - k)] / N^2 · (1 - p)``.

    ``k ~ Binomial(N, p)`` successes in a group of ``N = group_size``; computed exactly by enumeration
    over ``k``. Equals ``(1 - 1/N) p (1 - p)^2`` (so it peaks at ``p = 1/3``). Nats of drop in ``-ln p``
    per update (the mean over the group) per unit step size, many wrong answers. Chapter 4, "The
    Goldilocks zone of an update rule".
    """
    pa = _validate.probability(p, "p")
    N = _group_size(group_size)
    k, pmf = _binomial_weights(pa, N)
    return _validate.scalar_or_array(np.sum(pmf * k * (N - k), axis=-1) / N**2 * (1.0 - pa))


def grpo_speed(p: ArrayLike, group_size: int) -> FloatOrArray:
    """First-order speed of GRPO's std-normalised update: ``E[sqrt(k (N - k))] / N · (1 - p)``.

    With binary rewards and ``k`` successes among ``N = group_size`` rollouts, the normalised advantages
    are ``sqrt((N - k)/k)`` for a success and ``-sqrt(k/(N - k))`` for a failure (population std; a
    group with ``k = 0`` or ``k = N`` has none), so the group's update moves the correct answer's logit
    by ``sqrt(k (N - k)) / N`` times the step size; projected on ``e_c - π`` (many wrong answers) it
    lowers ``-ln p`` by that times ``(1 - p)``. Computed exactly by enumeration over ``k``. Nats per
    update per unit step size. Peaks near ``p = 0.29`` for ``N = 8`` and tends to ``1/4`` as ``N`` grows.
    Chapter 4, "The Goldilocks zone of an update rule".
    """
    pa = _validate.probability(p, "p")
    N = _group_size(group_size)
    k, pmf = _binomial_weights(pa, N)
    return _validate.scalar_or_array(np.sum(pmf * np.sqrt(k * (N - k)), axis=-1) / N * (1.0 - pa))


def speed_argmax(measure: str, group_size: int = 8) -> GoldilocksPeak:
    """Pass rate at which a learning-speed measure peaks, and its peak value (nats per update per unit step).

    ``measure``: ``"reinforce"`` (:func:`reinforce_speed`), ``"baseline"`` (:func:`baseline_speed`) or
    ``"grpo"`` (:func:`grpo_speed`). Found by bounded scalar minimisation to ``1e-10``. Chapter 4,
    "The Goldilocks zone of an update rule".
    """
    from scipy.optimize import minimize_scalar

    funcs = {"reinforce": lambda q: float(reinforce_speed(q)),
             "baseline": lambda q: float(baseline_speed(q, group_size)),
             "grpo": lambda q: float(grpo_speed(q, group_size))}
    if measure not in funcs:
        raise ValueError(f"measure must be one of {sorted(funcs)}, got {measure!r}")
    f = funcs[measure]
    res = minimize_scalar(lambda q: -f(q), bounds=(1e-9, 1 - 1e-9), method="bounded", options={"xatol": 1e-10})
    return GoldilocksPeak(f"{measure} speed", float(res.x), f(float(res.x)), "nats per update")


def simulate_group_speed(p: float, group_size: int, n_groups: int, rng: np.random.Generator, *,
                         method: str = "grpo", V: int = 100_000, step: float = 1e-3) -> tuple[float, float]:
    """Monte Carlo of one update on a real softmax: mean drop in ``-ln p`` per unit step, and its standard error.

    The policy puts ``p`` on answer 0 (correct) and ``(1 - p)/(V - 1)`` on each other answer. For each of
    ``n_groups`` independent groups, ``group_size`` answers are drawn, rewarded 1 if correct, given
    advantages (``"grpo"``: mean-centred and divided by the population std, 0 for a group with equal
    rewards; ``"baseline"``: mean-centred only), and the logits move by ``step`` times the mean over the
    group of ``A_i (e_{a_i} - π)``. The exact new ``ln p`` is computed from the moved logits (no
    linearisation). Checks :func:`grpo_speed` and :func:`baseline_speed`. Chapter 4, "The Goldilocks
    zone of an update rule".
    """
    p = _validate.open_unit(p, "p")
    N = _group_size(group_size)
    G = _validate.positive_int(n_groups, "n_groups", minimum=2)
    V = _validate.positive_int(V, "V", minimum=2)
    step = _validate.positive_number(step, "step")
    rng = _validate.rng(rng)
    if method not in ("grpo", "baseline"):
        raise ValueError(f"method must be 'grpo' or 'baseline', got {method!r}")
    right = rng.random((G, N)) < p
    answer = np.where(right, 0, rng.integers(1, V, size=(G, N)))
    r = right.astype(np.float64)
    centred = r - r.mean(axis=1, keepdims=True)
    if method == "grpo":
        sd = r.std(axis=1, keepdims=True)
        adv = np.divide(centred, sd, out=np.zeros_like(centred), where=sd > 0)
    else:
        adv = centred
    # Σ_i A_i = 0, so the -π part of every e_{a_i} - π cancels: only the drawn answers' logits move.
    w = step * adv / N
    order = np.argsort(answer, axis=1, kind="stable")
    a_sorted = np.take_along_axis(answer, order, axis=1)
    w_sorted = np.take_along_axis(w, order, axis=1)
    first = np.ones_like(a_sorted, dtype=bool)
    first[:, 1:] = a_sorted[:, 1:] != a_sorted[:, :-1]
    slot = np.cumsum(first, axis=1) - 1  # which distinct answer of its row each draw belongs to
    rows = np.repeat(np.arange(G), N)
    dz = np.zeros((G, N))  # the logit change of each distinct answer drawn (unused slots stay 0)
    np.add.at(dz, (rows, slot.ravel()), w_sorted.ravel())
    token = np.full((G, N), -1)  # the answer in each slot (-1: unused)
    token[rows[first.ravel()], slot[first]] = a_sorted[first]
    prob = np.where(token == 0, p, np.where(token > 0, (1.0 - p) / (V - 1), 0.0))
    dz_correct = np.sum(np.where(token == 0, dz, 0.0), axis=1)
    d_log_norm = np.log1p(np.sum(prob * np.expm1(dz), axis=1))
    drop = (dz_correct - d_log_norm) / step
    return float(drop.mean()), float(drop.std(ddof=1) / math.sqrt(G))


# ---------------------------------------------------------------------------------------------
# RL as sharpening: pass@k before and after


def sharpen(probs: ArrayLike, alpha: float) -> NDArray[np.float64]:
    """The distribution ``π^α / Σ π^α`` on the last axis: ``α > 1`` sharpens, ``α = 1`` leaves it alone.

    A model of an RL update that can only reweight what the model already samples (lowering its
    temperature to ``1/α``); answers with probability 0 stay at 0. Chapter 4, "Best-of-k, RL and
    sharpening".
    """
    pi = _validate.distribution(probs, "probs")
    a = _validate.positive_number(alpha, "alpha")
    with np.errstate(divide="ignore"):
        logw = np.where(pi > 0, a * np.log(np.where(pi > 0, pi, 1.0)), -np.inf)
    w = np.exp(logw - logw.max(axis=-1, keepdims=True))
    return w / w.sum(axis=-1, keepdims=True)


def mean_pass_at_k(pass_rates: ArrayLike, k: ArrayLike) -> FloatOrArray:
    """pass@k of a benchmark: the mean over problems of ``1 - (1 - p_i)^k``, for each ``k``.

    ``pass_rates``: 1-D array of per-problem pass rates; ``k``: whole numbers ``>= 1`` (any shape).
    A probability. Chapter 4, "Best-of-k, RL and sharpening".
    """
    pa = _validate.probability(pass_rates, "pass_rates")
    if pa.ndim != 1:
        raise ValueError(f"pass_rates must be 1-D (one pass rate per problem), got shape {pa.shape}")
    ka = _int_array(k, "k", minimum=1)
    out = np.asarray(prob_at_least_one(pa[:, None], ka.ravel()[None, :])).mean(axis=0)
    return _validate.scalar_or_array(out.reshape(ka.shape))


def calibrated_problems(n_problems: int, n_answers: int, rng: np.random.Generator, *,
                        concentration: float = 0.5) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """A toy benchmark: each problem's answer distribution and its correct answer, drawn from that distribution.

    ``probs`` (n_problems, n_answers) are Dirichlet(``concentration``) draws (a base model's answer
    distributions); ``right`` (n_problems,) are the correct answers, each drawn from its own row, so the
    base model is calibrated. Chapter 4, "Best-of-k, RL and sharpening".
    """
    P = _validate.positive_int(n_problems, "n_problems")
    V = _validate.positive_int(n_answers, "n_answers", minimum=2)
    a = _validate.positive_number(concentration, "concentration")
    rng = _validate.rng(rng)
    probs = rng.dirichlet(np.full(V, a), size=P)
    right = np.minimum((rng.random((P, 1)) > np.cumsum(probs, axis=1)).sum(axis=1), V - 1)
    return probs, right.astype(np.intp)


def pass_at_k_crossing(rates_a: ArrayLike, rates_b: ArrayLike, *, k_max: float = 1e6) -> float:
    """The real ``k >= 1`` at which two benchmarks' pass@k curves cross (mean of ``1 - (1 - p_i)^k``).

    ``rates_a``, ``rates_b``: per-problem pass rates of two models (1-D, any lengths). The difference of the
    two curves must change sign between ``k = 1`` and ``k_max``; the root is found by Brent's method on
    ``ln k`` to ``1e-12``. Raises ``ValueError`` when the curves do not cross there. Chapter 4, "Best-of-k,
    RL and sharpening".
    """
    from scipy.optimize import brentq

    a = _validate.probability(rates_a, "rates_a").ravel()
    b = _validate.probability(rates_b, "rates_b").ravel()

    with np.errstate(divide="ignore"):
        log_miss_a, log_miss_b = np.log1p(-a), np.log1p(-b)  # -inf for a sure success: pass@k = 1

    def gap(log_k: float) -> float:
        k = math.exp(log_k)
        return float(np.mean(-np.expm1(k * log_miss_a)) - np.mean(-np.expm1(k * log_miss_b)))

    lo, hi = 0.0, math.log(float(k_max))
    if gap(lo) * gap(hi) >= 0:
        raise ValueError("the two pass@k curves do not cross between k = 1 and k_max")
    return float(math.exp(brentq(gap, lo, hi, xtol=1e-12)))


def simulate_mean_pass_at_k(probs: ArrayLike, right: ArrayLike, n_draws: int, k: ArrayLike,
                            rng: np.random.Generator) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Monte Carlo of a benchmark's pass@k: ``n_draws`` sampled answers per problem, scored without bias.

    ``probs`` (P, V): each problem's answer distribution; ``right`` (P,): the correct answers. Returns
    the mean over problems of :func:`pass_at_k` for each ``k`` and the standard error of that mean. Chapter
    4, "Best-of-k, RL and sharpening".
    """
    pi = _validate.distribution(probs, "probs")
    if pi.ndim != 2:
        raise ValueError(f"probs must be 2-D (problems, answers), got shape {pi.shape}")
    P, V = pi.shape
    r = np.asarray(right)
    if r.shape != (P,) or not np.issubdtype(r.dtype, np.integer) or (r < 0).any() or (r >= V).any():
        raise ValueError(f"right must hold one answer index in [0, {V}) per problem")
    n = _validate.positive_int(n_draws, "n_draws")
    ka = _int_array(k, "k", minimum=1).ravel()
    if (ka > n).any():
        raise ValueError("k must satisfy 1 <= k <= n_draws")
    rng = _validate.rng(rng)
    draws = (rng.random((P, n, 1)) > np.cumsum(pi, axis=1)[:, None, :]).sum(axis=2)
    c = (np.minimum(draws, V - 1) == r[:, None]).sum(axis=1)
    est = np.asarray(pass_at_k(n, c[:, None], ka[None, :]))  # (P, len(k))
    return est.mean(axis=0), est.std(axis=0, ddof=1) / math.sqrt(P)


# --- The Chapter 4 sampling explorer's state (moved from rlbits.widgets.ch4_sampling: compute only, no widget or matplotlib import) ---

@dataclass(frozen=True)
class SamplingPanel:
    """What the sampling explorer shows for one (p, confidence, k, n_eval): draws and pass@k curves.

    ``n_grid``/``at_least_one``: P(at least one success in n draws) on a log grid of n (samples);
    ``n_needed`` (whole draws) and ``n_real`` for the confidence; ``mean_wait`` = 1/p;
    ``rule_of_three`` = -ln(1 - c)/p; ``k_grid``/``true_pass_at_k`` = 1 - (1 - p)^k (the expectation of the
    unbiased estimator) and ``naive_expected`` = E[1 - (1 - c/n)^k] with ``n_eval`` samples per problem;
    ``k``, ``pass_at_k_k``, ``naive_at_k_k`` at the chosen k.
    """

    p: float
    confidence: float
    k: int
    n_eval: int
    n_grid: NDArray[np.float64]
    at_least_one: NDArray[np.float64]
    n_needed: int
    n_real: float
    mean_wait: float
    rule_of_three: float
    k_grid: NDArray[np.int64]
    true_pass_at_k: NDArray[np.float64]
    naive_expected: NDArray[np.float64]
    pass_at_k_k: float
    naive_at_k_k: float


def sampling_panel(p: float, confidence: float = 0.95, k: int = 10, n_eval: int = 100) -> SamplingPanel:
    """Compute the Chapter 4 explorer's state at pass rate ``p``, ``confidence`` and ``k`` (``k <= n_eval``).

    Chapter 4, "How many samples until the first success" and "pass@k".

    Parameters
    ----------
    p : float
        Pass rate, in (0, 1).
    confidence : float
        Wanted probability of at least one success, in (0, 1).
    k : int
        Samples per problem for pass@k, from 1 to ``n_eval``.
    n_eval : int
        Samples per problem of the plug-in estimator.

    Returns
    -------
    SamplingPanel
        The success and pass@k curves and the numbers at ``k`` (see :class:`SamplingPanel`).

    Raises
    ------
    ValueError
        If ``p`` or ``confidence`` lies outside (0, 1), or ``k`` outside 1..``n_eval``.
    """
    p = _validate.open_unit(p, "p")
    confidence = _validate.open_unit(confidence, "confidence")
    n_eval = _validate.positive_int(n_eval, "n_eval")
    k = _validate.positive_int(k, "k")
    if k > n_eval:
        raise ValueError(f"k must be <= n_eval = {n_eval}, got {k}")
    n_real = float(samples_for_confidence_real(p, confidence))
    top = max(10.0, 300.0 * n_real)
    n_grid = np.unique(np.round(np.logspace(0, np.log10(top), 300)))
    k_grid = np.arange(1, n_eval + 1)
    true = np.asarray(prob_at_least_one(p, k_grid))
    naive = np.asarray(expected_naive_pass_at_k(p, n_eval, k_grid))
    return SamplingPanel(
        p=p, confidence=confidence, k=k, n_eval=n_eval,
        n_grid=n_grid, at_least_one=np.asarray(prob_at_least_one(p, n_grid)),
        n_needed=int(samples_for_confidence(p, confidence)), n_real=n_real,
        mean_wait=float(expected_wait(p)),
        rule_of_three=float(rule_of_three_samples(p, confidence)),
        k_grid=k_grid, true_pass_at_k=true, naive_expected=naive,
        pass_at_k_k=float(true[k - 1]), naive_at_k_k=float(naive[k - 1]),
    )


__all__ += ["SamplingPanel", "sampling_panel"]
