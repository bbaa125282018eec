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
    "compute_share_above",
    "conditional_mutual_information_enumerated",
    "decoy_bits",
    "family_bits",
    "log_axis_share_above",
    "max_naive_rl_advantage",
    "max_naive_rl_advantage_closed_form",
    "ratio_lower_bound",
    "rl_bits_given_guess",
    "wrong_mass_concentration",
]


@dataclass(frozen=True)
class FamilyBits:
    """Bits per sample in the correct-plus-uniform family (arrays broadcast over ``p`` and ``V``).

    ``sl_conditional = -log2 p`` and ``rl_conditional`` (Yorwba) condition on the correct answer
    being the one with probability ``p``; ``sl_calibrated = H`` and ``rl_calibrated`` (Niels Rolf)
    average over the correct answer drawn from the model's own distribution. Returned by
    :func:`family_bits`; Chapter 2, "Information per sample".

    Parameters
    ----------
    sl_conditional : numpy.ndarray
        ``-log2 p``, SL bits per sample given that the correct answer has probability ``p``.
    rl_conditional : numpy.ndarray
        RL bits per sample (one pass/fail reward) given the same correct answer.
    sl_calibrated : numpy.ndarray
        ``H``, SL bits per sample averaged over a correct answer drawn from the model.
    rl_calibrated : numpy.ndarray
        RL bits per sample averaged the same way.

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
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

    Parameters
    ----------
    p : array_like
        Probability of the correct answer.
    V : array_like
        Number of answers (at least 2); broadcasts against ``p``.

    Returns
    -------
    FamilyBits
        The four quantities, broadcast over ``p`` and ``V``.

    Raises
    ------
    ValueError
        If an entry is outside [0, 1] or not finite, or ``V`` is not a whole number >= 2.
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
    :func:`rlbits.information.expected_rl_bits`. Costs ``O(V^2)``; for small ``V``. Chapter 2,
    "The data-processing inequality".

    Parameters
    ----------
    probs : array_like, shape (V,)
        The model's distribution.

    Returns
    -------
    float
        ``I(C; R | A)`` in bits.

    Raises
    ------
    ValueError
        If a distribution has entries outside [0, 1], NaN/inf, or does not sum to 1.
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

    Returns
    -------
    tuple of float
        ``(p*, gap)``: the pass rate and the gap in bits.

    Raises
    ------
    ValueError
        Never: it takes no input.
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

    Parameters
    ----------
    threshold : float
        Pass rate in (0, 1).
    lowest : float
        Lowest pass rate of the axis, below ``threshold``.
    axis : {"pass", "error"}
        Plot ``log10 p`` or ``log10(1 - p)``.

    Returns
    -------
    float
        The share of the axis width, in [0, 1].

    Raises
    ------
    ValueError
        If a rate is outside (0, 1), ``lowest`` is not below ``threshold`` (or the error axis does
        not reach it), or ``axis`` is unknown.
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

    Returns
    -------
    tuple of float
        ``(p*, gap)``, as :func:`max_naive_rl_advantage`.

    Raises
    ------
    ValueError
        Never: it takes no input.
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

    Parameters
    ----------
    probs : array_like, shape (..., V)
        The model's distribution(s).
    answer : int or array_like of int
        Index of the correct answer.

    Returns
    -------
    float or numpy.ndarray
        ``κ`` in [1/(V - 1), 1].

    Raises
    ------
    ValueError
        If a distribution has entries outside [0, 1], NaN/inf, or does not sum to 1, or ``answer`` is not an index
        into it (or has probability 0 where that is undefined).
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

    Parameters
    ----------
    p : array_like
        Probability of the correct answer, in (0, 1).
    concentration : array_like
        ``κ`` in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        The lower bound on RL bits / SL bits.

    Raises
    ------
    ValueError
        If ``p`` is not in (0, 1) or ``κ`` not in [0, 1], or a value is not finite.
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
    Returned by :func:`decoy_bits`; Chapter 2, "Information per sample".

    Parameters
    ----------
    sl : numpy.ndarray
        ``-log2 p``, SL bits per sample.
    rl : numpy.ndarray
        RL bits per sample given the correct answer.
    ratio : numpy.ndarray
        ``rl / sl`` (dimensionless).
    concentration : numpy.ndarray
        How concentrated the wrong mass is, in [0, 1] (:func:`wrong_mass_concentration`).

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
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

    Parameters
    ----------
    p : array_like
        Probability of the correct answer.
    decoy : array_like
        Probability of the one wrong answer singled out.
    V : array_like
        Number of answers (at least 3).

    Returns
    -------
    DecoyBits
        SL and RL bits given the answer, their ratio and the concentration ``κ``.

    Raises
    ------
    ValueError
        If an entry is outside [0, 1] or not finite, ``p + decoy > 1``, or ``V`` is not a whole
        number >= 3.
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

    Parameters
    ----------
    probs : array_like, shape (V,)
        The distribution of both the correct answer and the guess, ``V <= 2,000``.

    Returns
    -------
    numpy.ndarray, shape (V, V, 2)
        ``P(C = c, A = a, R = r)``.

    Raises
    ------
    ValueError
        If a distribution has entries outside [0, 1], NaN/inf, or does not sum to 1, is not one distribution,
        or ``V > 2,000``.
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


def rl_bits_given_guess(probs: ArrayLike, guess: ArrayLike) -> float | NDArray[np.float64]:
    """What one pass/fail reward tells a calibrated learner about the answer, given its guess: ``H_b(p_a)``.

    Index the information by the *guess* ``A = a`` rather than by the correct answer: with ``C ~ probs``
    (the learner's own beliefs) and ``R = 1[A = C]``, ``R | A = a`` is pass with probability ``p_a`` and
    ``R`` is a function of ``C`` given ``A``, so ``I(C; R | A = a) = H(R | A = a) = H_b(p_a)``. This is the
    essay's formula with the guess's probability; the essay put in the *correct* answer's probability,
    which indexes the other way (``H(R | C = i)``, Yorwba's ``p_i`` against ``p_j``).

    Parameters
    ----------
    probs : array_like, shape (V,)
        The learner's distribution over answers (also the distribution of the correct answer).
    guess : int or array_like of int
        The sampled answer(s) ``a``.

    Returns
    -------
    float or numpy.ndarray
        ``I(C; R | A = a)`` in bits, for each guess.

    Raises
    ------
    ValueError
        If ``probs`` is not one distribution or a guess is not an index into it.

    Notes
    -----
    Chapter 1, "One outcome or the average?".
    """
    arr = _validate.distribution(probs, "probs")
    if arr.ndim != 1:
        raise ValueError(f"probs must be one distribution (shape (V,)), got shape {arr.shape}")
    idx = _validate.index(guess, arr.size, np.shape(guess), "guess")
    return information.binary_entropy(arr[idx])


def compute_share_above(threshold: float, lowest: float, reading: str, factor: float = 2.0) -> float:
    """Share of the training compute spent above a pass rate, under a reading of "each nine costs the same".

    Pass rates run from ``lowest`` to ``1 - lowest`` (error rates ``e`` from ``1 - lowest`` down to
    ``lowest``); ``n(e) = -log10 e`` counts the nines of accuracy. Two readings of Aleksander Heino's
    "getting from 0-90% pass rate requires as much compute as 90-99%":

    - ``"additive"``: every further nine costs the same *amount* of compute, so cumulative compute is
      ``C ∝ n(e)``: a linear compute axis *is* the log error-rate axis, and the share equals
      ``log_axis_share_above(threshold, lowest, axis="error")``.
    - ``"multiplicative"``: every further nine multiplies cumulative compute by ``factor`` (2: each nine
      costs as much as all before it), so ``C ∝ factor ** n(e)``, a power law in the error; a *log*
      compute axis is then the log error-rate axis, and the share of the linear budget is larger.

    Parameters
    ----------
    threshold : float
        The pass rate above which compute is counted, in (0, 1).
    lowest : float
        The lowest pass rate (and lowest error rate) of the range, in (0, threshold).
    reading : {"additive", "multiplicative"}
        How compute grows with the number of nines.
    factor : float, default 2
        Compute multiplier per nine for the multiplicative reading (greater than 1).

    Returns
    -------
    float
        The share, in [0, 1], of the compute between the two ends of the range spent at pass rates
        above ``threshold``.

    Raises
    ------
    ValueError
        If the rates are outside (0, 1), ``lowest`` is not below ``threshold`` or the error range does
        not reach it, ``reading`` is unknown, or ``factor <= 1``.

    Notes
    -----
    Chapter 2, "Which axis?".
    """
    t = _validate.open_unit(threshold, "threshold")
    lo = _validate.open_unit(lowest, "lowest")
    if not (lo < t and 1.0 - t > lo):
        raise ValueError(f"lowest ({lowest}) must be below threshold ({threshold}) and below 1 - threshold")
    n_start, n_t, n_end = -np.log10(1.0 - lo), -np.log10(1.0 - t), -np.log10(lo)
    if reading == "additive":
        return float((n_end - n_t) / (n_end - n_start))
    if reading == "multiplicative":
        f = _validate.positive_number(factor, "factor")
        if not f > 1.0:
            raise ValueError(f"factor must be greater than 1, got {factor!r}")
        lf = np.log(f)  # C = f ** n, computed relative to its largest value to stay finite
        top = n_end * lf
        return float((1.0 - np.exp(n_t * lf - top)) / (1.0 - np.exp(n_start * lf - top)))
    raise ValueError(f"reading must be 'additive' or 'multiplicative', got {reading!r}")


# --- The Chapter 2 bits explorer's state (moved from rlbits.widgets.ch2_bits: compute only, no widget or matplotlib import) ---

@dataclass(frozen=True)
class BitsComparisonPanel:
    """SL and RL bits per sample for one (p, V) in the correct-plus-uniform family (bits).

    Returned by :func:`bits_comparison_panel`; Chapter 2, "How the answer space matters".

    Parameters
    ----------
    p : float
        Probability of the correct answer, in [0, 1].
    V : int
        Number of answers (at least 2).
    essay_sl, essay_rl : float
        The essay's numbers: ``-log2 p`` and ``H_b(p)`` (bits per sample).
    sl_conditional, rl_conditional : float
        SL and RL bits per sample given the correct answer (see :class:`rlbits.comparison.FamilyBits`).
    sl_calibrated, rl_calibrated : float
        SL and RL bits per sample with the correct answer drawn from the model.
    calibrated_pass_rate : float
        ``Σ_k p_k² = p² + (1 - p)²/(V - 1)``, the pass rate in the calibrated pair.

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
    """
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
