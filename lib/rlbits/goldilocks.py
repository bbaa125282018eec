"""Where is the Goldilocks zone? Learning signal and learning speed against the pass rate.

Chapter 4 explains everything here:

- the per-sample measures of learning signal, each a function of the pass rate ``p`` of one
  pass/fail sample, and where each one peaks (section "The Goldilocks zone");
- the first-order learning speed of REINFORCE, of REINFORCE with the group-mean baseline and of
  GRPO, measured as the expected drop in ``-ln p(correct)`` per update, with a Monte Carlo check on
  a real softmax (section "The Goldilocks zone of an update rule").

Every function validates its input and raises :class:`ValueError` with a message that says what was
wrong. Randomness enters only through a keyword-only ``rng`` argument.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate, information

__all__ = [
    "GoldilocksPeak",
    "baseline_speed",
    "calibrated_family",
    "calibrated_family_peak",
    "binary_entropy_argmax",
    "calibrated_bits",
    "calibrated_bits_argmax",
    "goldilocks_measures",
    "goldilocks_peaks",
    "grpo_speed",
    "pass_rate_gain",
    "reinforce_speed",
    "reward_variance",
    "simulate_group_speed",
    "speed_argmax",
    "success_bits",
    "success_bits_argmax",
]

FloatOrArray = float | NDArray[np.float64]


# ---------------------------------------------------------------------------------------------
# the Goldilocks zone


def success_bits(p: ArrayLike) -> FloatOrArray:
    """``-p log2 p`` in bits: the success term of ``H_b(p)``; for large V, Yorwba's information about the
    true answer carried by the reward (Chapter 2). Peaks at ``p = 1/e``. Chapter 4, "The Goldilocks zone".

    Parameters
    ----------
    p : array_like
        Pass rates in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        ``-p log2 p`` in bits.

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1] or not finite.
    """
    pa = _validate.probability(p, "p")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(pa > 0, -pa * np.log2(np.where(pa > 0, pa, 1.0)), 0.0)
    return _validate.scalar_or_array(out + 0.0)


def calibrated_bits(p: ArrayLike) -> FloatOrArray:
    """``p · H_b(p)`` in bits: a calibrated model's expected RL bits from the token it gives probability
    ``p`` (Chapter 2). Peaks near ``p = 0.70``. Chapter 4, "The Goldilocks zone".

    Parameters
    ----------
    p : array_like
        Probability of the model's dominant answer, in [0, 1] (not the pass rate; see :func:`calibrated_family`).

    Returns
    -------
    float or numpy.ndarray
        ``p H_b(p)`` in bits.

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1] or not finite.
    """
    pa = _validate.probability(p, "p")
    return _validate.scalar_or_array(pa * np.asarray(information.binary_entropy(pa)))


def reward_variance(p: ArrayLike) -> FloatOrArray:
    """Variance ``p(1 - p)`` of a 0/1 reward with pass rate ``p`` (reward units squared); peaks at 1/2.
    Chapter 4, "The Goldilocks zone".

    Parameters
    ----------
    p : array_like
        Pass rates in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        ``p(1 - p)``.

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1] or not finite.
    """
    pa = _validate.probability(p, "p")
    return _validate.scalar_or_array(pa * (1.0 - pa))


def goldilocks_measures(p: ArrayLike) -> dict[str, FloatOrArray]:
    """Every "learning signal" measure of Chapter 4 at pass rate(s) ``p``, keyed by name.

    ``"binary entropy"`` ``H_b(p)`` (bits), ``"success bits"`` ``-p log2 p`` (bits), ``"calibrated bits"``
    ``p H_b(p)`` (bits), ``"reward variance"`` ``p(1-p)`` and ``"odds"`` ``p/(1-p)`` (the per-sample SNR
    of Chapter 3, which has no interior peak). Chapter 4, "The Goldilocks zone".

    Parameters
    ----------
    p : array_like
        Pass rates in [0, 1].

    Returns
    -------
    dict
        Each measure, keyed by name, evaluated at ``p``.

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1] or not finite.
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
    """``argmax_p H_b(p) = 1/2`` (where ``H_b' = log2((1-p)/p) = 0``). Chapter 4, "The Goldilocks zone".

    Returns
    -------
    float
        0.5, a pass rate.

    Raises
    ------
    ValueError
        Never: it takes no input.
    """
    return 0.5


def success_bits_argmax() -> float:
    """``argmax_p (-p log p) = 1/e``, the root of ``-(ln p + 1) = 0``. Chapter 4, "The Goldilocks zone".

    Returns
    -------
    float
        ``1/e`` (about 0.368), a pass rate.

    Raises
    ------
    ValueError
        Never: it takes no input.
    """
    return float(1.0 / np.e)


def calibrated_bits_argmax() -> float:
    """``argmax_p p·H_b(p)``, found as the root in (1/2, 1) of the derivative
    ``-2p ln p - (1 - 2p) ln(1 - p) = 0`` (about 0.703). Chapter 4, "The Goldilocks zone".

    Returns
    -------
    float
        The root, about 0.7035, to ``1e-15`` (a probability of the dominant answer).

    Raises
    ------
    ValueError
        Never: it takes no input (the bracket (0.5, 0.99) always holds the root).
    """
    from scipy.optimize import brentq

    def deriv(p: float) -> float:
        return -2.0 * p * math.log(p) - (1.0 - 2.0 * p) * math.log1p(-p)

    return float(brentq(deriv, 0.5, 0.99, xtol=1e-15, rtol=1e-15))


@dataclass(frozen=True)
class GoldilocksPeak:
    """Where one learning-signal measure peaks: pass rate ``argmax`` and value ``peak`` (in ``unit``).

    Chapter 4, "The Goldilocks zone". Returned by :func:`goldilocks_peaks`; not validated.

    Parameters
    ----------
    name : str
        The measure's key in :func:`goldilocks_measures`, e.g. ``"success bits"``.
    argmax : float
        The pass rate (or, for ``"calibrated bits"``, the dominant answer's probability) where it peaks.
    peak : float
        The measure's value there, in ``unit``.
    unit : str
        ``"bits"`` or ``"reward²"``.

    Raises
    ------
    ValueError
        Never: the fields are stored as given.
    """

    name: str
    argmax: float
    peak: float
    unit: str


def goldilocks_peaks() -> list[GoldilocksPeak]:
    """The peak of each measure in :func:`goldilocks_measures` that has one (closed form or root).
    Chapter 4, "The Goldilocks zone".

    Returns
    -------
    list of GoldilocksPeak
        One entry per measure with an interior peak: where it peaks and the value there.

    Raises
    ------
    ValueError
        Never: it takes no input.
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
# learning speed against pass rate: REINFORCE, the batch-mean baseline and GRPO's normalisation


def _group_size(group_size: Any) -> int:
    return _validate.positive_int(group_size, "group_size", minimum=2)


def reinforce_speed(p: ArrayLike) -> FloatOrArray:
    """First-order learning speed of REINFORCE without a baseline, per sample: ``p (1 - p)^2``.

    The expected drop in the surprisal ``-ln p`` of the correct answer per sample and per unit step
    size, for a softmax policy that puts ``p`` on the correct answer and spreads the rest over very many
    wrong answers (nats per sample per unit step). Peaks at ``p = 1/3``. Chapter 4, "The Goldilocks zone
    of an update rule".

    Parameters
    ----------
    p : array_like
        Pass rates in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        ``p (1 - p)^2``, nats per sample per unit step.

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1] or not finite.
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

    Parameters
    ----------
    p : array_like
        Pass rates in [0, 1].
    group_size : int
        Rollouts per group ``N`` (>= 2).

    Returns
    -------
    float or numpy.ndarray
        Nats per update per unit step.

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1] or ``group_size < 2``.
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

    Parameters
    ----------
    p : array_like
        Pass rates in [0, 1].
    group_size : int
        Rollouts per group ``N`` (>= 2).

    Returns
    -------
    float or numpy.ndarray
        Nats per update per unit step.

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1] or ``group_size < 2``.
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

    Parameters
    ----------
    measure : {"reinforce", "baseline", "grpo"}
        The update rule.
    group_size : int, optional
        Rollouts per group (default 8).

    Returns
    -------
    GoldilocksPeak
        Where the speed peaks and its value there.

    Raises
    ------
    ValueError
        If ``measure`` is unknown or ``group_size < 2``.
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


def simulate_group_speed(p: float, group_size: int, n_groups: int, *, rng: np.random.Generator,
                         method: str = "grpo", V: int = 100_000, step: float = 1e-3) -> tuple[float, float]:
    """Monte Carlo of one update on a real softmax: mean drop in ``-ln p`` per unit step, and its standard error.

    The policy puts ``p`` on answer 0 (correct) and ``(1 - p)/(V - 1)`` on each other answer. For each of
    ``n_groups`` independent groups, ``group_size`` answers are drawn, rewarded 1 if correct, given
    advantages (``"grpo"``: mean-centred and divided by the population std, 0 for a group with equal
    rewards; ``"baseline"``: mean-centred only), and the logits move by ``step`` times the mean over the
    group of ``A_i (e_{a_i} - π)``. The exact new ``ln p`` is computed from the moved logits (no
    linearisation). Checks :func:`grpo_speed` and :func:`baseline_speed`. Chapter 4, "The Goldilocks
    zone of an update rule".

    Parameters
    ----------
    p : float
        Pass rate, strictly between 0 and 1.
    group_size : int
        Rollouts per group (>= 2).
    n_groups : int
        Independent groups (>= 2).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    method : {"grpo", "baseline"}, optional
        The advantages.
    V : int, optional
        Number of answers (>= 2).
    step : float, optional
        Step size of the one update (> 0).

    Returns
    -------
    mean : float
        Mean drop in ``-ln p`` per unit step.
    se : float
        Its standard error over groups.

    Raises
    ------
    ValueError
        If an argument is out of range, ``method`` is unknown, or ``rng`` is not a Generator.
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
# the calibrated measure on the pass-rate axis, and learning speed measured as pass-rate gain


def calibrated_family(dominant: ArrayLike, V: int) -> tuple[FloatOrArray, FloatOrArray]:
    """A calibrated model's expected reward entropy and its pass rate, for one dominant answer among ``V``.

    The model puts ``q = dominant`` on one answer and spreads ``1 - q`` evenly over the other ``V - 1``;
    the correct answer is drawn from the model itself (it is calibrated). Then the reward of a sample has
    expected entropy ``Σ_k π_k H_b(π_k)`` bits (Chapter 2's calibrated expectation) and the pass rate is
    ``Σ_k π_k²``, not ``q``.

    Parameters
    ----------
    dominant : array_like
        Probability ``q`` of the dominant answer, in [0, 1].
    V : int
        Number of answers (``>= 2``).

    Returns
    -------
    bits : float or numpy.ndarray
        ``q H_b(q) + (1 - q) H_b((1 - q)/(V - 1))`` in bits.
    pass_rate : float or numpy.ndarray
        ``q² + (1 - q)²/(V - 1)``.

    Raises
    ------
    ValueError
        If ``dominant`` is outside [0, 1] or not finite, or ``V < 2``.

    Notes
    -----
    Chapter 4, "The Goldilocks zone".
    """
    q = _validate.probability(dominant, "dominant")
    V = _validate.positive_int(V, "V", minimum=2)
    rest = (1.0 - q) / (V - 1)
    bits = q * np.asarray(information.binary_entropy(q)) + (1.0 - q) * np.asarray(information.binary_entropy(rest))
    return _validate.scalar_or_array(bits), _validate.scalar_or_array(q * q + (1.0 - q) * rest)


def calibrated_family_peak(V: int) -> tuple[float, float, float]:
    """Where :func:`calibrated_family`'s expected reward entropy peaks: dominant probability, pass rate, bits.

    Parameters
    ----------
    V : int
        Number of answers (``>= 2``).

    Returns
    -------
    dominant : float
        The dominant answer's probability at the peak (about 0.70 for large ``V``).
    pass_rate : float
        The pass rate ``Σ π²`` there (about 0.495 for ``V = 10^5``, 0.42 for ``V = 10``).
    bits : float
        The peak value in bits.

    Raises
    ------
    ValueError
        If ``V < 2``.

    Notes
    -----
    Chapter 4, "The Goldilocks zone". Found by bounded scalar minimisation on ``[1/V, 1]`` to ``1e-12``.
    """
    from scipy.optimize import minimize_scalar

    V = _validate.positive_int(V, "V", minimum=2)
    res = minimize_scalar(lambda q: -float(calibrated_family(q, V)[0]), bounds=(1.0 / V, 1.0), method="bounded",
                          options={"xatol": 1e-12})
    bits, rate = calibrated_family(float(res.x), V)
    return float(res.x), float(rate), float(bits)


def pass_rate_gain(p: ArrayLike, measure: str, group_size: int = 8) -> FloatOrArray:
    """First-order expected gain in the pass rate per update (per unit step): ``p`` times the drop in ``-ln p``.

    Since ``Δp ≈ p Δln p``, each learning speed of this module, measured as gain in pass rate instead of
    drop in surprisal, is multiplied by ``p``: ``p² (1 - p)²`` for REINFORCE, peaking at exactly 1/2; and
    for GRPO ``p (1 - p) E[sqrt(k (N - k))]/N``, symmetric under ``p ↔ 1 - p``, also peaking at 1/2.

    Parameters
    ----------
    p : array_like
        Pass rates in [0, 1].
    measure : {"reinforce", "baseline", "grpo"}
        The update rule (:func:`reinforce_speed`, :func:`baseline_speed`, :func:`grpo_speed`).
    group_size : int, optional
        Rollouts per group for ``"baseline"`` and ``"grpo"`` (``>= 2``).

    Returns
    -------
    float or numpy.ndarray
        Expected pass-rate gain per update and unit step (probability per update).

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1], ``measure`` is unknown or ``group_size < 2``.

    Notes
    -----
    Chapter 4, "The Goldilocks zone of an update rule".
    """
    pa = _validate.probability(p, "p")
    funcs = {"reinforce": lambda: reinforce_speed(pa), "baseline": lambda: baseline_speed(pa, group_size),
             "grpo": lambda: grpo_speed(pa, group_size)}
    if measure not in funcs:
        raise ValueError(f"measure must be one of {sorted(funcs)}, got {measure!r}")
    return _validate.scalar_or_array(pa * np.asarray(funcs[measure]()))
