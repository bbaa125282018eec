"""SL versus RL bits per sample: the essay's comparison, the corrected ones, and the answer space.

Closed forms for the family in which the correct answer has probability ``p`` and the other
``V - 1`` answers share ``1 - p`` equally (:func:`rlbits.distributions.correct_plus_uniform`),
computed without building the ``V``-long distribution, so they are cheap over a grid of
``(p, V)``; an independent ``O(V^2)`` enumeration of ``I(C; R | A)``; the point where the essay's
"RL advantage" peaks; and the share of a log axis that lies above a pass rate. Chapter 2,
"Information per sample".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate, information

__all__ = [
    "FamilyBits",
    "conditional_mutual_information_enumerated",
    "family_bits",
    "log_axis_share_above",
    "max_naive_rl_advantage",
]


@dataclass(frozen=True)
class FamilyBits:
    """Bits per sample in the correct-plus-uniform family (arrays broadcast over ``p`` and ``V``).

    ``sl_conditional = -log2 p`` and ``rl_conditional`` (Yorwba) condition on the correct answer
    being the one with probability ``p``; ``sl_calibrated = H`` and ``rl_calibrated`` (Niels Rolf)
    average over the correct answer drawn from the model's own distribution.
    """

    sl_conditional: NDArray[np.float64]
    rl_conditional: NDArray[np.float64]
    sl_calibrated: NDArray[np.float64]
    rl_calibrated: NDArray[np.float64]


def _sizes(V: ArrayLike) -> NDArray[np.float64]:
    arr = np.asarray(V)
    if arr.size == 0 or not np.issubdtype(arr.dtype, np.number) or not np.isfinite(arr).all():
        raise ValueError(f"V must be finite whole numbers >= 2, got {V!r}")
    if (arr != np.round(arr)).any() or (arr < 2).any():
        raise ValueError(f"V must be whole numbers >= 2 (at least two answers), got {V!r}")
    return arr.astype(np.float64)


def family_bits(p: ArrayLike, V: ArrayLike) -> FamilyBits:
    """SL and RL bits per sample when the correct answer has probability ``p`` among ``V`` answers.

    The other ``V - 1`` answers have probability ``q = (1 - p) / (V - 1)`` each. Closed forms:

    - ``sl_conditional = -log2 p``
    - ``rl_conditional = -p log2 p + (V - 1) q (-log2(1 - q))``
    - ``sl_calibrated = H = -p log2 p - (1 - p) log2 q``
    - ``rl_calibrated = p H_b(p) + (1 - p) H_b(q)``

    ``p`` (in [0, 1]) and ``V`` (whole numbers >= 2) broadcast against each other.
    Chapter 2, "How the answer space matters".
    """
    pa = _validate.probability(p, "p")
    Va = _sizes(V)
    pa, Va = np.broadcast_arrays(pa, Va)
    q = (1.0 - pa) / (Va - 1.0)
    with np.errstate(divide="ignore"):
        sl_cond = -np.log2(pa) + 0.0
    own = information._neg_xlog2x(pa)
    one_minus_q = (Va - 2.0 + pa) / (Va - 1.0)  # 1 - q without cancellation (exactly p when V = 2)
    rl_cond = own + (1.0 - pa) * information._neg_log2_one_minus(q, one_minus_q)
    # -(1-p) log2 q, with the 0 log 0 = 0 convention when p = 1
    rest = np.where(pa < 1.0, -(1.0 - pa) * np.log2(np.where(q > 0, q, 1.0)), 0.0)
    sl_cal = own + rest
    rl_cal = pa * information._binary_entropy(pa) + (1.0 - pa) * information._binary_entropy(q)
    return FamilyBits(sl_cond, rl_cond, sl_cal, rl_cal)


def conditional_mutual_information_enumerated(probs: ArrayLike) -> float:
    """``I(C; R | A)`` in bits by enumeration, for ``C, A ~ probs`` independent and ``R = 1[A = C]``.

    Computed as ``H(C | A) - H(C | A, R)``: knowing the guess ``a`` and a success pins ``C = a``
    (0 bits left); a failure leaves ``C`` distributed as ``probs`` without ``a``, renormalised.
    This route never uses a binary entropy, so it independently checks
    :func:`rlbits.expected_rl_bits`. Costs ``O(V^2)``; for small ``V``. Chapter 2,
    "The data-processing inequality".
    """
    arr = _validate.distribution(probs, "probs")
    if arr.ndim != 1:
        raise ValueError(f"probs must be one distribution (shape (V,)), got shape {arr.shape}")
    V = arr.size
    if V > 5_000:
        raise ValueError(f"enumeration costs O(V^2); V = {V} is too large (at most 5,000)")
    h_c = float(information.entropy(arr))
    left = np.where(np.eye(V, dtype=bool), 0.0, arr[None, :])  # row a: probs with answer a removed
    mass = left.sum(axis=1)
    fail = mass > 0
    rows = left[fail] / mass[fail, None]
    h_after_failure = information._neg_xlog2x(rows).sum(axis=1)
    h_c_given_a_r = float(np.sum(arr[fail] * mass[fail] * h_after_failure))
    return h_c - h_c_given_a_r


def max_naive_rl_advantage() -> tuple[float, float]:
    """Where the essay's curves favour RL most: ``argmax_p [H_b(p) + log2 p]`` and the gap in bits.

    The derivative ``log2((1 - p)/p) + 1/(p ln 2)`` changes sign once on (1/2, 1); found by
    bisection to machine precision. Chapter 2, "The essay's comparison".
    """
    def slope(p: float) -> float:
        return np.log2((1.0 - p) / p) + 1.0 / (p * np.log(2.0))

    lo, hi = 0.5, 1.0 - 1e-12
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if slope(mid) > 0:
            lo = mid
        else:
            hi = mid
    p_star = 0.5 * (lo + hi)
    gap = float(information.binary_entropy(p_star) - information.surprisal(p_star))
    return p_star, gap


def log_axis_share_above(threshold: float, lowest: float, axis: str = "pass") -> float:
    """Share of a log10 axis covering pass rates in ``[lowest, 1)`` that lies above ``threshold``.

    ``axis="pass"`` plots ``log10 p`` from ``lowest`` to 1; ``axis="error"`` plots
    ``log10(1 - p)`` over the same pass rates, i.e. error rates from ``lowest`` to ``1 - lowest``.
    Chapter 2, "Which axis?".
    """
    t = _validate.open_unit(threshold, "threshold")
    lo = _validate.open_unit(lowest, "lowest")
    if not lo < t:
        raise ValueError(f"lowest ({lowest}) must be below threshold ({threshold})")
    if axis == "pass":
        return float(-np.log10(t) / -np.log10(lo))
    if axis == "error":
        # error rates e = 1 - p run from lo (p = 1 - lo) to 1 - lo (p = lo); p > t means e < 1 - t
        if not 1.0 - t > lo:
            raise ValueError(f"with lowest = {lowest} the error axis does not reach threshold {threshold}")
        span = np.log10(1.0 - lo) - np.log10(lo)
        return float((np.log10(1.0 - t) - np.log10(lo)) / span)
    raise ValueError(f"axis must be 'pass' or 'error', got {axis!r}")
