"""SL versus RL bits per sample: the essay's comparison, the corrected ones, and the answer space.

Closed forms for the family in which the correct answer has probability ``p`` and the other
``V - 1`` answers share ``1 - p`` equally (:func:`rlbits.distributions.correct_plus_uniform`),
computed without building the ``V``-long distribution, so they are cheap over a grid of
``(p, V)``; an independent ``O(V^2)`` enumeration of ``I(C; R | A)``; the point where the essay's
"RL advantage" peaks; the concentration of the wrong mass, which decides whether RL gets about
a fraction ``p`` of SL's bits (:func:`wrong_mass_concentration`, :func:`decoy_bits`,
:func:`ratio_lower_bound`); the joint distribution of answer, guess and reward; and the share of
a log axis that lies above a pass rate. Chapter 2, "Information per sample".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate, information

__all__ = [
    "DecoyBits",
    "FamilyBits",
    "answer_guess_reward_joint",
    "conditional_mutual_information_enumerated",
    "decoy_bits",
    "family_bits",
    "log_axis_share_above",
    "max_naive_rl_advantage",
    "max_naive_rl_advantage_closed_form",
    "ratio_lower_bound",
    "wrong_mass_concentration",
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


def max_naive_rl_advantage_closed_form() -> tuple[float, float]:
    """The same point as :func:`max_naive_rl_advantage`, in closed form through Lambert's W.

    Setting the derivative to zero, ``ln((1-p)/p) + 1/p = 0``; with ``v = 1/p - 1`` this is
    ``v e^v = 1/e``, so ``p* = 1 / (1 + W(1/e))`` with ``W`` the principal branch of Lambert's
    function. An independent second route to the bisection. Chapter 2, "The essay's comparison".
    """
    from scipy.special import lambertw

    w = float(np.real(lambertw(np.exp(-1.0))))
    p_star = 1.0 / (1.0 + w)
    return p_star, float(information.binary_entropy(p_star) - information.surprisal(p_star))


def wrong_mass_concentration(probs: ArrayLike, answer: ArrayLike) -> float | NDArray[np.float64]:
    """How concentrated the wrong mass is: ``κ = Σ_{j≠i} p_j² / (1 - p_i)²`` for correct answer ``i``.

    ``κ`` is the probability that two independent guesses, both conditioned on being wrong, are
    the same wrong answer; ``1/κ`` is the effective number of wrong answers. It lies between
    ``1/(V - 1)`` (wrong mass spread evenly, the correct-plus-uniform family) and 1 (all wrong mass
    on one answer). ``nan`` when ``p_i = 1`` (there is no wrong mass). Chapter 2, "What decides the
    ratio: the concentration of the wrong mass".
    """
    arr = _validate.distribution(probs, "probs")
    p_i, idx = information._answer_probs(arr, answer)
    batch = np.shape(p_i)
    full = np.broadcast_to(arr, batch + arr.shape[-1:])
    is_answer = np.arange(arr.shape[-1]) == idx[..., None]
    wrong_probs = np.where(is_answer, 0.0, full)
    sq = (wrong_probs * wrong_probs).sum(axis=-1)  # summed directly: Σ p² - p_i² would cancel
    wrong = wrong_probs.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(wrong > 0, np.minimum(sq / np.where(wrong > 0, wrong, 1.0) ** 2, 1.0), np.nan)
    return _validate.scalar_or_array(np.asarray(out, dtype=np.float64))


def ratio_lower_bound(p: ArrayLike, concentration: ArrayLike) -> float | NDArray[np.float64]:
    """Lower bound on RL/SL bits given the answer: ``p + (1 - p)² κ / ln(1/p)``.

    Each wrong guess ``j`` carries ``-log2(1 - p_j) >= p_j log2 e`` bits, so the failures carry at
    least ``log2 e · Σ_{j≠i} p_j² = log2 e · (1 - p)² κ`` bits; divide by SL's ``-log2 p``. The ratio
    is close to ``p`` only if ``κ`` is small compared with ``p ln(1/p)``: a confidently wrong model
    (large ``κ``) gives RL far more than a fraction ``p``. ``p`` strictly in (0, 1), ``κ`` in
    [0, 1]. Chapter 2, "What decides the ratio".
    """
    pa = _validate.probability(p, "p")
    ka = _validate.probability(concentration, "concentration")
    if not ((pa > 0) & (pa < 1)).all():
        raise ValueError("p must lie strictly between 0 and 1")
    return _validate.scalar_or_array(pa + (1.0 - pa) ** 2 * ka / -np.log(pa))


@dataclass(frozen=True)
class DecoyBits:
    """Bits per sample given the correct answer when one wrong answer (the decoy) holds ``decoy``.

    ``sl = -log2 p``; ``rl`` is Yorwba's conditional expectation; ``ratio = rl / sl``;
    ``concentration`` is :func:`wrong_mass_concentration` of the distribution (arrays broadcast).
    """

    sl: NDArray[np.float64]
    rl: NDArray[np.float64]
    ratio: NDArray[np.float64]
    concentration: NDArray[np.float64]


def decoy_bits(p: ArrayLike, decoy: ArrayLike, V: ArrayLike) -> DecoyBits:
    """SL and RL bits given the answer when the correct answer has ``p``, one wrong answer ``decoy``,
    and the other ``V - 2`` answers share ``1 - p - decoy`` equally; closed form, ``O(1)`` per point.

    ``rl = -p log2 p + decoy (-log2(1 - decoy)) + r (-log2(1 - r/(V-2)))`` with ``r = 1 - p - decoy``.
    ``decoy = (1 - p)/(V - 1)`` is the correct-plus-uniform family; ``decoy = 1 - p`` puts all wrong
    mass on one answer (then RL = SL exactly, as with two answers). Counterexample to "RL gets a
    fraction p": ``p = 0.01``, ``decoy = 0.98``, ``V = 10^5`` gives RL 5.60 bits against SL 6.64.
    ``p`` in (0, 1], ``decoy`` in [0, 1 - p], ``V`` whole numbers >= 3 (broadcast together).
    Chapter 2, "What decides the ratio".
    """
    pa = _validate.probability(p, "p")
    da = _validate.probability(decoy, "decoy")
    Va = _sizes(V)
    if (Va < 3).any():
        raise ValueError("V must be at least 3 (the correct answer, the decoy and at least one other)")
    pa, da, Va = np.broadcast_arrays(pa, da, Va)
    if (pa <= 0).any():
        raise ValueError("p must be > 0 (SL's -log2 p is infinite at p = 0)")
    rest = 1.0 - pa - da
    if (rest < -1e-12).any():
        raise ValueError("decoy must be at most 1 - p (probabilities sum to 1)")
    rest = np.maximum(rest, 0.0)
    q = rest / (Va - 2.0)
    sl = -np.log2(pa) + 0.0
    decoy_term = da * information._neg_log2_one_minus(da, pa + rest)  # 1 - decoy without cancellation
    decoy_term = np.where(da > 0, decoy_term, 0.0)
    rest_term = rest * information._neg_log2_one_minus(q, 1.0 - q)
    rl = information._neg_xlog2x(pa) + decoy_term + rest_term
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(sl > 0, rl / np.where(sl > 0, sl, 1.0), 1.0)
        wrong = 1.0 - pa
        kappa = np.where(wrong > 0, (da**2 + rest**2 / (Va - 2.0)) / np.where(wrong > 0, wrong, 1.0) ** 2, np.nan)
    return DecoyBits(np.asarray(sl), np.asarray(rl), np.asarray(ratio), np.asarray(kappa))


def answer_guess_reward_joint(probs: ArrayLike) -> NDArray[np.float64]:
    """The joint distribution ``P(C = c, A = a, R = r)``, shape ``(V, V, 2)``, for ``C, A ~ probs`` i.i.d.

    ``C`` is the correct answer, ``A`` the learner's guess and ``R = 1[A = C]`` the reward.
    Reshape and sum it to get any table the information measures of :mod:`rlbits.information`
    need, e.g. ``H(R | C = i)`` or ``I(C; R | A) = H(R | A) - H(R | A, C)`` by plain enumeration.
    Costs ``O(V^2)``; for small ``V`` (at most 2,000). Chapter 1, "What the reward says about the
    answer", and Chapter 2, "The data-processing inequality".
    """
    arr = _validate.distribution(probs, "probs")
    if arr.ndim != 1:
        raise ValueError(f"probs must be one distribution (shape (V,)), got shape {arr.shape}")
    V = arr.size
    if V > 2_000:
        raise ValueError(f"the joint table has 2 V^2 entries; V = {V} is too large (at most 2,000)")
    pair = arr[:, None] * arr[None, :]
    hit = np.eye(V, dtype=bool)
    out = np.zeros((V, V, 2))
    out[..., 1] = np.where(hit, pair, 0.0)
    out[..., 0] = np.where(hit, 0.0, pair)
    return out


# --- The Chapter 2 bits explorer's state (moved from rlbits.widgets.ch2_bits: compute only, no widget or matplotlib import) ---

@dataclass(frozen=True)
class BitsComparisonPanel:
    """SL and RL bits per sample for one (p, V) in the correct-plus-uniform family (bits)."""

    p: float
    V: int
    essay_sl: float
    essay_rl: float
    sl_conditional: float
    rl_conditional: float
    sl_calibrated: float
    rl_calibrated: float
    calibrated_pass_rate: float


def bits_comparison_panel(p: float, V: int) -> BitsComparisonPanel:
    """The essay's two numbers and the corrected conditional and calibrated pairs at (p, V).

    The correct answer has probability ``p``; the other ``V - 1`` share ``1 - p``. In the
    calibrated pair the correct answer is drawn from the model itself, so the pass rate there is
    ``Σ_k p_k² = p² + (1 - p)²/(V - 1)``, not ``p`` (``calibrated_pass_rate``).
    Chapter 2, "How the answer space matters".

    Parameters
    ----------
    p : float
        Probability of the correct answer, in [0, 1].
    V : int
        Number of answers (at least 2).

    Returns
    -------
    BitsComparisonPanel
        The six bits-per-sample numbers and the calibrated pass rate.

    Raises
    ------
    ValueError
        If ``p`` is not a probability or ``V < 2``.
    """
    V = _validate.positive_int(V, "V", minimum=2)
    fb = family_bits(p, V)
    return BitsComparisonPanel(
        p=float(p), V=V,
        essay_sl=float(information.naive_sl_bits(p)), essay_rl=float(information.naive_rl_bits(p)),
        sl_conditional=float(fb.sl_conditional), rl_conditional=float(fb.rl_conditional),
        sl_calibrated=float(fb.sl_calibrated), rl_calibrated=float(fb.rl_calibrated),
        calibrated_pass_rate=float(p) ** 2 + (1.0 - float(p)) ** 2 / (V - 1),
    )


__all__ += ["BitsComparisonPanel", "bits_comparison_panel"]
