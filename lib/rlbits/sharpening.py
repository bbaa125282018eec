"""RL as sharpening: pass@k of a model before and after its answer distribution is sharpened.

Chapter 4 ("Best-of-k, RL and sharpening"): a toy benchmark of calibrated answer distributions,
sharpening ``π^α``, the benchmark's pass@k curve, where two curves cross, and a Monte Carlo check
scored with the unbiased pass@k estimator.

Every function validates its input and raises :class:`ValueError` with a message that says what was
wrong. Randomness enters only through a keyword-only ``rng`` argument.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .distributions import sample_categorical
from .sampling import _int_array, pass_at_k, prob_at_least_one

__all__ = [
    "calibrated_problems",
    "mean_pass_at_k",
    "pass_at_k_crossing",
    "sharpen",
    "simulate_mean_pass_at_k",
]

FloatOrArray = float | NDArray[np.float64]


# ---------------------------------------------------------------------------------------------
# RL as sharpening: pass@k before and after


def sharpen(probs: ArrayLike, alpha: float) -> NDArray[np.float64]:
    """The distribution ``π^α / Σ π^α`` on the last axis: ``α > 1`` sharpens, ``α = 1`` leaves it alone.

    A model of an RL update that can only reweight what the model already samples (lowering its
    temperature to ``1/α``); answers with probability 0 stay at 0. Chapter 4, "Best-of-k, RL and
    sharpening".

    Parameters
    ----------
    probs : array_like
        Distributions on the last axis.
    alpha : float
        Sharpening exponent (> 0).

    Returns
    -------
    numpy.ndarray
        ``π^α`` normalised on the last axis.

    Raises
    ------
    ValueError
        If ``probs`` is not a distribution or ``alpha <= 0``.
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

    Parameters
    ----------
    pass_rates : array_like
        1-D per-problem pass rates in [0, 1].
    k : array_like
        Attempts, whole numbers >= 1.

    Returns
    -------
    float or numpy.ndarray
        pass@k of the benchmark, shaped like ``k``.

    Raises
    ------
    ValueError
        If ``pass_rates`` is not 1-D or outside [0, 1], or ``k`` is not a whole number >= 1.
    """
    pa = _validate.probability(pass_rates, "pass_rates")
    if pa.ndim != 1:
        raise ValueError(f"pass_rates must be 1-D (one pass rate per problem), got shape {pa.shape}")
    ka = _int_array(k, "k", minimum=1)
    out = np.asarray(prob_at_least_one(pa[:, None], ka.ravel()[None, :])).mean(axis=0)
    return _validate.scalar_or_array(out.reshape(ka.shape))


def calibrated_problems(n_problems: int, n_answers: int, *, rng: np.random.Generator,
                        concentration: float = 0.5) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """A toy benchmark: each problem's answer distribution and its correct answer, drawn from that distribution.

    ``probs`` (n_problems, n_answers) are Dirichlet(``concentration``) draws (a base model's answer
    distributions); ``right`` (n_problems,) are the correct answers, each drawn from its own row, so the
    base model is calibrated. Chapter 4, "Best-of-k, RL and sharpening".

    Parameters
    ----------
    n_problems : int
        Problems (>= 1).
    n_answers : int
        Answers per problem (>= 2).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    concentration : float, optional
        Dirichlet concentration (> 0).

    Returns
    -------
    probs : numpy.ndarray, shape (n_problems, n_answers)
        Answer distributions.
    right : numpy.ndarray of intp, shape (n_problems,)
        Correct answers, drawn with :func:`rlbits.distributions.sample_categorical`.

    Raises
    ------
    ValueError
        If a size or ``concentration`` is out of range, or ``rng`` is not a Generator.
    """
    P = _validate.positive_int(n_problems, "n_problems")
    V = _validate.positive_int(n_answers, "n_answers", minimum=2)
    a = _validate.positive_number(concentration, "concentration")
    rng = _validate.rng(rng)
    probs = rng.dirichlet(np.full(V, a), size=P)
    right = sample_categorical(probs, rng=rng)
    return probs, right.astype(np.intp)


def pass_at_k_crossing(rates_a: ArrayLike, rates_b: ArrayLike, *, k_max: float = 1e6) -> float:
    """The real ``k >= 1`` at which two benchmarks' pass@k curves cross (mean of ``1 - (1 - p_i)^k``).

    ``rates_a``, ``rates_b``: per-problem pass rates of two models (1-D, any lengths). The difference of the
    two curves must change sign between ``k = 1`` and ``k_max``; the root is found by Brent's method on
    ``ln k`` to ``1e-12``. Raises ``ValueError`` when the curves do not cross there. Chapter 4, "Best-of-k,
    RL and sharpening".

    Parameters
    ----------
    rates_a, rates_b : array_like
        Per-problem pass rates of two models, in [0, 1].
    k_max : float, optional
        Largest ``k`` searched (keyword-only).

    Returns
    -------
    float
        The crossing ``k``.

    Raises
    ------
    ValueError
        If a rate is outside [0, 1] or the curves do not cross between 1 and ``k_max``.
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


def simulate_mean_pass_at_k(probs: ArrayLike, right: ArrayLike, n_draws: int, k: ArrayLike, *,
                            rng: np.random.Generator) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Monte Carlo of a benchmark's pass@k: ``n_draws`` sampled answers per problem, scored without bias.

    ``probs`` (P, V): each problem's answer distribution; ``right`` (P,): the correct answers. Returns
    the mean over problems of :func:`rlbits.sampling.pass_at_k` for each ``k`` and the standard error of that mean. Chapter
    4, "Best-of-k, RL and sharpening".

    Parameters
    ----------
    probs : array_like, shape (P, V)
        Answer distributions.
    right : array_like, shape (P,)
        Correct answer indices.
    n_draws : int
        Sampled answers per problem (>= 1).
    k : array_like
        Attempts, ``1 <= k <= n_draws``.
    rng : numpy.random.Generator
        Source of randomness (keyword-only).

    Returns
    -------
    mean : numpy.ndarray
        Benchmark pass@k per ``k``.
    se : numpy.ndarray
        Its standard error over problems.

    Raises
    ------
    ValueError
        If shapes or values are invalid, or ``rng`` is not a Generator.
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
    draws = sample_categorical(pi, n, rng=rng)  # (P, n)
    c = (draws == r[:, None]).sum(axis=1)
    est = np.asarray(pass_at_k(n, c[:, None], ka[None, :]))  # (P, len(k))
    return est.mean(axis=0), est.std(axis=0, ddof=1) / math.sqrt(P)
