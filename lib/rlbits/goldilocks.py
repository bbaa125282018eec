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
    "binary_entropy_argmax",
    "calibrated_bits",
    "calibrated_bits_argmax",
    "goldilocks_measures",
    "goldilocks_peaks",
    "grpo_speed",
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
