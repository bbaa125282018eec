"""Sampling arithmetic for reinforcement learning: how many samples until a success, and pass@k.

Chapter 4 ("Sampling and batch sizes") explains everything here:

- the chance of at least one success in ``n`` draws, ``1 - (1 - p)^n``, the number of draws
  ``n_c = ln(1 - c) / ln(1 - p)`` needed for confidence ``c``, the rule of three, and the geometric
  waiting time (section "How many samples until the first success");
- the pass@k estimator of Chen et al. (2021) in its numerically stable product form and the biased
  plug-in estimator (section "pass@k").

Related modules: :mod:`rlbits.batches` (what a batch of pass/fail samples tells about the answer),
:mod:`rlbits.goldilocks` (learning signal and learning speed against pass rate),
:mod:`rlbits.curriculum` (a curriculum in miniature, graded rewards) and :mod:`rlbits.sharpening`
(RL as sharpening: pass@k before and after).

Logarithms of ``1 - p`` are taken with ``log1p`` so that pass rates as small as ``1e-12`` are exact
to double precision. Every function validates its input and raises :class:`ValueError` with a
message that says what was wrong. Randomness enters only through a keyword-only ``rng`` argument.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate

__all__ = [
    "expected_naive_pass_at_k",
    "expected_wait",
    "naive_pass_at_k",
    "pass_at_k",
    "prob_at_least_one",
    "rule_of_three",
    "rule_of_three_samples",
    "samples_for_confidence",
    "samples_for_confidence_real",
    "simulate_at_least_one",
    "simulate_pass_at_k",
    "simulate_waits",
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

    Parameters
    ----------
    p : array_like
        Pass rates in [0, 1].
    n : array_like
        Numbers of draws, whole numbers >= 0 (broadcast with ``p``).

    Returns
    -------
    float or numpy.ndarray
        The probability of at least one success.

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1] or not finite, or ``n`` is negative or not whole.
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

    Parameters
    ----------
    p : array_like
        Pass rates strictly between 0 and 1.
    confidence : array_like, optional
        Confidence levels ``c`` strictly between 0 and 1 (default 0.95).

    Returns
    -------
    float or numpy.ndarray
        The real ``n_c = ln(1 - c)/ln(1 - p)`` (draws).

    Raises
    ------
    ValueError
        If ``p`` or ``confidence`` is not strictly between 0 and 1.
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

    Parameters
    ----------
    p : array_like
        Pass rates strictly between 0 and 1.
    confidence : array_like, optional
        Confidence levels strictly between 0 and 1 (default 0.95).

    Returns
    -------
    int or numpy.ndarray of int64
        The smallest whole number of draws whose chance of a success reaches ``confidence``.

    Raises
    ------
    ValueError
        If ``p`` or ``confidence`` is not strictly between 0 and 1, or the count is too large for int64.
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

    Parameters
    ----------
    p : array_like
        Pass rates strictly between 0 and 1.
    confidence : array_like, optional
        Confidence levels strictly between 0 and 1 (default 0.95).

    Returns
    -------
    float or numpy.ndarray
        ``-ln(1 - c)/p`` draws (``≈ 3/p`` at 95%).

    Raises
    ------
    ValueError
        If ``p`` or ``confidence`` is not strictly between 0 and 1.
    """
    pa = _open_unit_array(p, "p")
    ca = _open_unit_array(confidence, "confidence")
    return _validate.scalar_or_array(-np.log1p(-ca) / pa)


def rule_of_three(n: ArrayLike, confidence: ArrayLike = 0.95) -> FloatOrArray:
    """Approximate upper confidence bound ``-ln(1 - c)/n ≈ 3/n`` on a rate after 0 successes in ``n`` trials.

    Hanley and Lippman-Hand (1983): if nothing happened in ``n`` trials, rates above about ``3/n``
    are ruled out at 95% confidence. ``n`` whole numbers ``>= 1``. The exact bound is
    :func:`zero_success_upper_bound`. A probability. Chapter 4, "The rule of three".

    Parameters
    ----------
    n : array_like
        Numbers of trials without a success, whole numbers >= 1.
    confidence : array_like, optional
        Confidence levels strictly between 0 and 1 (default 0.95).

    Returns
    -------
    float or numpy.ndarray
        The rule-of-three upper bound ``-ln(1 - c)/n`` on the rate.

    Raises
    ------
    ValueError
        If ``n`` is not a whole number >= 1 or ``confidence`` is not strictly between 0 and 1.
    """
    na = _int_array(n, "n", minimum=1)
    ca = _open_unit_array(confidence, "confidence")
    return _validate.scalar_or_array(-np.log1p(-ca) / na)


def zero_success_upper_bound(n: ArrayLike, confidence: ArrayLike = 0.95) -> FloatOrArray:
    """Exact one-sided upper bound ``1 - (1 - c)^(1/n)`` on a rate after 0 successes in ``n`` trials.

    The largest ``p`` for which seeing no success in ``n`` draws still has probability at least
    ``1 - c``. A probability. Chapter 4, "The rule of three".

    Parameters
    ----------
    n : array_like
        Numbers of trials without a success, whole numbers >= 1.
    confidence : array_like, optional
        Confidence levels strictly between 0 and 1 (default 0.95).

    Returns
    -------
    float or numpy.ndarray
        The exact upper bound ``1 - (1 - c)^(1/n)`` on the rate.

    Raises
    ------
    ValueError
        If ``n`` is not a whole number >= 1 or ``confidence`` is not strictly between 0 and 1.
    """
    na = _int_array(n, "n", minimum=1)
    ca = _open_unit_array(confidence, "confidence")
    return _validate.scalar_or_array(-np.expm1(np.log1p(-ca) / na))


def expected_wait(p: ArrayLike) -> FloatOrArray:
    """Mean number of draws up to and including the first success, ``1/p`` (geometric distribution).

    ``p`` must lie in (0, 1]. Samples. Chapter 4, "How many samples until the first success".

    Parameters
    ----------
    p : array_like
        Pass rates in (0, 1].

    Returns
    -------
    float or numpy.ndarray
        The mean ``1/p`` of the geometric waiting time (draws).

    Raises
    ------
    ValueError
        If ``p`` is not in (0, 1].
    """
    pa = _validate.probability(p, "p")
    if (pa <= 0).any():
        raise ValueError("p must be > 0: with pass rate 0 the wait for a success is infinite")
    return _validate.scalar_or_array(1.0 / pa)


def simulate_waits(p: float, size: int, *, rng: np.random.Generator) -> NDArray[np.int64]:
    """Monte Carlo: ``size`` geometric waiting times (draws up to and including the first success).

    Chapter 4, "How many samples until the first success".

    Parameters
    ----------
    p : float
        Pass rate in (0, 1].
    size : int
        Number of waiting times to draw (>= 1).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).

    Returns
    -------
    numpy.ndarray of int64
        The draw on which the first success came, for each simulated run.

    Raises
    ------
    ValueError
        If ``p`` or ``size`` is out of range, or ``rng`` is not a Generator.
    """
    p = _validate.open_unit(p, "p")
    size = _validate.positive_int(size, "size")
    rng = _validate.rng(rng)
    return rng.geometric(p, size=size).astype(np.int64)


def simulate_at_least_one(p: float, n: int, trials: int, *, rng: np.random.Generator) -> float:
    """Monte Carlo estimate of :func:`prob_at_least_one`: the share of ``trials`` batches of ``n`` draws
    with at least one success. (The number of successes in a batch is drawn as a binomial count.)
    Chapter 4, "How many samples until the first success".

    Parameters
    ----------
    p : float
        Pass rate in [0, 1].
    n : int
        Draws per batch (>= 0).
    trials : int
        Number of simulated batches (>= 1).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).

    Returns
    -------
    float
        The share of batches with at least one success.

    Raises
    ------
    ValueError
        If a size or ``p`` is out of range, or ``rng`` is not a Generator.
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


def _log_product_many(n: int, t: int, s: int) -> float:
    """``Σ_{j<t} log1p(-s/(n - j))`` for very many terms ``t`` (``n - t + 1 > s``), to about 1e-9 absolute for ``n < 2^52``.

    The ``2^20`` factors with the smallest ``n - j`` (nearest the pole of ``log1p(-s/y)`` at ``y = s``) are
    summed exactly; the rest by the midpoint rule with its first Euler–Maclaurin correction,
    ``∫ g - (g'(b) - g'(a))/24``, where the integral of ``g(y) = log1p(-s/y)`` is written with ``log1p``
    so that nothing of size ``t log n`` cancels.
    """
    exact = min(t, 2**20)
    y = np.arange(n - t + 1, n - t + 1 + exact, dtype=np.float64)
    total = float(np.sum(np.log1p(-s / y)))
    rest = t - exact
    if rest > 0:
        a, b = float(n - rest) + 0.5, float(n) + 0.5  # the remaining points are n - rest + 1 .. n
        width = b - a
        # (a - s) log1p(w/(a - s)) - a log1p(w/a), rearranged so that no two large terms cancel
        integral = (width * math.log1p(-s / b) + a * math.log1p(width * s / ((a - s) * (a + width)))
                    - s * math.log1p(width / (a - s)))
        slope = lambda x: s / (x * (x - s))  # noqa: E731 (g'(y))
        total += integral - (slope(b) - slope(a)) / 24.0
    return total


def pass_at_k(n: ArrayLike, c: ArrayLike, k: ArrayLike) -> FloatOrArray:
    """Unbiased pass@k estimate from ``n`` samples of which ``c`` are correct (Chen et al. 2021).

    ``1 - C(n-c, k)/C(n, k)``, the probability that ``k`` of the ``n`` samples drawn without
    replacement include a correct one, computed in the numerically stable product form
    ``1 - Π_{i=n-c+1}^{n} (1 - k/i)``. Since ``C(n-c,k)/C(n,k) = C(n-k,c)/C(n,c)``, the product is
    taken over whichever of ``c`` and ``k`` is smaller, as a sum of ``log1p`` terms, so it is exact
    (to rounding) for ``n`` in the billions without overflow. Vectorised: ``n``, ``c``, ``k`` broadcast.
    Requires whole numbers with ``0 <= c <= n`` and ``1 <= k <= n``. Its expectation over
    ``c ~ Binomial(n, p)`` is exactly ``1 - (1 - p)^k``. A probability. Chapter 4, "pass@k".

    Parameters
    ----------
    n : array_like
        Samples drawn per problem (whole numbers >= 1).
    c : array_like
        Correct samples among them (``0 <= c <= n``).
    k : array_like
        Attempts (``1 <= k <= n``).

    Returns
    -------
    float or numpy.ndarray
        The unbiased pass@k estimate, broadcast over ``n``, ``c`` and ``k``.

    Raises
    ------
    ValueError
        If the arguments are not whole numbers, do not broadcast, or violate ``0 <= c <= n`` or ``1 <= k <= n``.
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
    else:  # astronomically many factors: exact near the small end, Euler–Maclaurin for the rest
        for i in np.flatnonzero(use):
            log_ratio[i] = _log_product_many(int(nf[i]), int(min(cf[i], kf[i])), int(max(cf[i], kf[i])))
    out = np.where(sure, 1.0, -np.expm1(log_ratio))
    return _validate.scalar_or_array(out.reshape(shape) + 0.0)


def naive_pass_at_k(n: ArrayLike, c: ArrayLike, k: ArrayLike) -> FloatOrArray:
    """The plug-in estimate ``1 - (1 - c/n)^k``: pass@k of the empirical pass rate ``c/n``.

    Biased low (Jensen: ``1 - (1 - x)^k`` is concave in ``x``); same arguments and checks as
    :func:`pass_at_k`. A probability. Chapter 4, "pass@k".

    Parameters
    ----------
    n : array_like
        Samples drawn per problem (whole numbers >= 1).
    c : array_like
        Correct samples among them (``0 <= c <= n``).
    k : array_like
        Attempts (``1 <= k <= n``).

    Returns
    -------
    float or numpy.ndarray
        The plug-in estimate ``1 - (1 - c/n)^k``.

    Raises
    ------
    ValueError
        As :func:`pass_at_k`.
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

    Parameters
    ----------
    p : float
        True pass rate in [0, 1].
    n : int
        Samples per problem (>= 1).
    k : array_like
        Attempts, whole numbers with ``1 <= k <= n``.

    Returns
    -------
    float or numpy.ndarray
        The mean of the plug-in estimate, one value per ``k``.

    Raises
    ------
    ValueError
        If ``p``, ``n`` or ``k`` is out of range.
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


def simulate_pass_at_k(p: float, n: int, k: int, problems: int, *, rng: np.random.Generator) -> dict[str, float]:
    """Monte Carlo: draw ``n`` samples for each of ``problems`` problems with pass rate ``p`` and average
    both estimators. Returns ``{"unbiased", "naive", "true", "unbiased_se"}`` (true = ``1 - (1-p)^k``).
    Chapter 4, "pass@k".

    Parameters
    ----------
    p : float
        True pass rate, strictly between 0 and 1.
    n : int
        Samples per problem (>= 1).
    k : int
        Attempts (``1 <= k <= n``).
    problems : int
        Number of simulated problems (>= 1).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).

    Returns
    -------
    dict
        ``"unbiased"`` and ``"naive"``: the two estimators averaged over problems; ``"true"``: ``1 - (1 - p)^k``; ``"unbiased_se"``: the standard error of the unbiased average.

    Raises
    ------
    ValueError
        If a size or ``p`` is out of range, or ``rng`` is not a Generator.
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


# --- The Chapter 4 sampling explorer's state (moved from rlbits.widgets.ch4_sampling: compute only, no widget or matplotlib import) ---

@dataclass(frozen=True)
class SamplingPanel:
    """What the sampling explorer shows for one (p, confidence, k, n_eval): draws and pass@k curves.

    ``n_grid``/``at_least_one``: P(at least one success in n draws) on a log grid of n (samples);
    ``n_needed`` (whole draws) and ``n_real`` for the confidence; ``mean_wait`` = 1/p;
    ``rule_of_three`` = -ln(1 - c)/p; ``k_grid``/``true_pass_at_k`` = 1 - (1 - p)^k (the expectation of the
    unbiased estimator) and ``naive_expected`` = E[1 - (1 - c/n)^k] with ``n_eval`` samples per problem;
    ``k``, ``pass_at_k_k``, ``naive_at_k_k`` at the chosen k. Returned by :func:`sampling_panel`;
    Chapter 4, "How many samples until the first success" and "pass@k".

    Parameters
    ----------
    p : float
        Pass rate, in (0, 1).
    confidence : float
        Wanted probability of at least one success, in (0, 1).
    k : int
        The ``k`` of pass@k.
    n_eval : int
        Samples per problem of the pass@k estimators.
    n_grid : numpy.ndarray
        Log-spaced numbers of draws (samples).
    at_least_one : numpy.ndarray
        ``1 - (1 - p)^n`` at each entry of ``n_grid``.
    n_needed : int
        Whole draws needed for at least one success with probability ``confidence``.
    n_real : float
        The same, as a real number ``ln(1 - c) / ln(1 - p)`` (samples).
    mean_wait : float
        ``1/p``, the mean number of draws until the first success (samples).
    rule_of_three : float
        ``-ln(1 - c)/p`` (samples).
    k_grid : numpy.ndarray
        Values of ``k`` from 1 to ``n_eval``.
    true_pass_at_k : numpy.ndarray
        ``1 - (1 - p)^k`` at each ``k``.
    naive_expected : numpy.ndarray
        Expectation of the naive estimator ``1 - (1 - c/n)^k`` at each ``k``.
    pass_at_k_k, naive_at_k_k : float
        Both at the chosen ``k``.

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
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
