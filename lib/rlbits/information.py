"""Information measures in bits: surprisal, entropies, and the bits-per-sample of SL and RL.

Everything here is in base-2 bits, uses the convention ``0 · log 0 = 0``, and is vectorised
over leading axes: a batch of distributions is an array of shape ``(..., V)`` with the
outcomes on the last axis, and the result has shape ``(...)``. Scalar inputs give Python
floats. Inputs are validated (see ``rlbits._validate``) and bad input raises
:class:`ValueError` with a message that says what was wrong.

Chapter 1 (Entropy) introduces surprisal, entropy, binary entropy, cross-entropy and KL, the
measures of two variables (joint and conditional entropy, mutual information) and code lengths;
Chapter 2 (Information per sample) uses the essay's naive figures, Yorwba's conditional
expectation and Niels Rolf's calibrated expectation.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate

__all__ = [
    "BITS_PER_NAT",
    "binary_entropy",
    "bits_to_nats",
    "conditional_entropy",
    "cross_entropy",
    "entropy",
    "expected_rl_bits",
    "expected_sl_bits",
    "joint_entropy",
    "kl_divergence",
    "mutual_information",
    "naive_rl_bits",
    "naive_sl_bits",
    "nats_to_bits",
    "naive_ratio_small_p",
    "rl_bits_given_answer",
    "shannon_code_length",
    "sl_bits_given_answer",
    "surprisal",
]

#: Bits in one nat, ``log2(e) ≈ 1.4427`` (Chapter 1, "Bits and nats").
BITS_PER_NAT: float = float(np.log2(np.e))
_LN2 = float(np.log(2.0))

Scalar = float
FloatOrArray = float | NDArray[np.float64]


# ---------------------------------------------------------------------------------------------
# elementwise kernels (no validation; callers validate)


_TINY = np.finfo(np.float64).smallest_subnormal
# Below this p the functions of log(1 - p) use their Taylor series (truncation error below
# 1e-16 relative); above it, forming 1 - p first costs at most ~1e-12 relative. Both branches
# use NumPy's SIMD log, several times faster than log1p at V = 10^6.
_SERIES_BELOW = 1e-4


def _xlog2x(x: NDArray[np.float64], positive: bool = False) -> NDArray[np.float64]:
    """``x log2 x`` elementwise with ``0 log 0 = 0`` (0 times the log of a subnormal floor is 0).

    ``positive``: the caller knows every entry is > 0, so the floor (a no-op then) is skipped.
    """
    # In-place on one fresh buffer: at V = 10^6 a second temporary costs more than the log.
    if positive:
        out = np.log2(x)
    else:
        out = np.maximum(x, _TINY, out=np.empty_like(x))
        np.log2(out, out=out)
    out *= x
    return out


def _neg_xlog2x(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """``-x log2 x`` elementwise with ``0 log 0 = 0`` (0 times the log of a subnormal floor is 0)."""
    out = _xlog2x(x)
    return np.negative(out, out=out)


def _series_or_direct(p: NDArray[np.float64], series: Callable[[NDArray[np.float64]], NDArray[np.float64]],
                      direct: Callable[..., NDArray[np.float64]]) -> NDArray[np.float64]:
    """``series(p)`` where ``p < _SERIES_BELOW`` and ``direct(p)`` elsewhere, elementwise.

    At V = 10^6 almost every probability is tiny: evaluating the logarithm everywhere and then
    overwriting it with the series, as a plain implementation does, costs more than the arithmetic
    itself. Here the branch that covers most entries runs over the whole array and the other only
    on the gathered entries that need it (a branch that covers everything runs alone). Every entry
    gets exactly the operations of its branch. The work is done on the flattened array, and the
    minority is gathered through integer indices (with entries scattered at random, a boolean mask
    gathers and scatters several times slower). ``direct(x, where)`` receives ``where=None`` for
    the whole flattened array, else the flat indices that selected ``x`` from it, and returns a
    flat array.
    """
    if p.ndim == 0:
        return series(p) if p < _SERIES_BELOW else direct(p, None).reshape(())
    shape = p.shape
    flat = p.reshape(-1)  # a view for the usual contiguous input
    small = flat < _SERIES_BELOW
    n_small = int(np.count_nonzero(small))
    if n_small == flat.size:
        return series(flat).reshape(shape)
    if n_small == 0:
        return direct(flat, None).reshape(shape)
    if 2 * n_small >= flat.size:  # mostly small: the series everywhere, the direct form where needed
        out = series(flat)
        where = np.flatnonzero(~small)
        out[where] = direct(flat[where], where)
    else:
        out = direct(flat, None)
        where = np.flatnonzero(small)
        out[where] = series(flat[where])
    return out.reshape(shape)


def _series_neg_log2_one_minus(p: NDArray[np.float64]) -> NDArray[np.float64]:
    """Taylor series of ``-log2(1 - p)`` for small ``p``, evaluated in place on one fresh buffer.

    Same operations in the same order as ``p * (1 + p * (1/2 + p * (1/3 + p/4))) / ln 2``.
    """
    t = np.multiply(p, 0.25, out=np.empty_like(p))
    t += 1.0 / 3.0
    t *= p
    t += 0.5
    t *= p
    t += 1.0
    t *= p
    t /= _LN2
    return t


def _series_neg_one_minus_log2_one_minus(p: NDArray[np.float64]) -> NDArray[np.float64]:
    """Taylor series of ``-(1-p) log2(1-p)`` for small ``p``, in place on one fresh buffer.

    Same operations in the same order as ``p * (1 - p * (1/2 + p * (1/6 + p/12))) / ln 2``.
    """
    t = np.multiply(p, 1.0 / 12.0, out=np.empty_like(p))
    t += 1.0 / 6.0
    t *= p
    t += 0.5
    t *= p
    np.subtract(1.0, t, out=t)
    t *= p
    t /= _LN2
    return t


def _neg_log2_one_minus(
    p: NDArray[np.float64],
    complement: NDArray[np.float64] | Callable[[NDArray[np.intp] | None], NDArray[np.float64]] | None = None,
) -> NDArray[np.float64]:
    """``-log2(1 - p)`` elementwise, accurate for tiny ``p`` (``+inf`` where ``1 - p = 0``).

    ``complement``, if given, is ``1 - p`` computed more accurately than by subtraction (see
    :func:`_complements`); it is used where ``p`` is not tiny. It may also be a function
    ``complement(where)`` returning a fresh array of those complements, for all of ``p``
    (``where=None``) or at the flat indices ``where``; it is called only if some ``p`` is not
    tiny, and its result is reused as the output buffer.
    """
    def direct(x: NDArray[np.float64], where: NDArray[np.intp] | None) -> NDArray[np.float64]:
        if complement is None:
            out = np.subtract(1.0, x, out=np.empty_like(x))
        elif callable(complement):
            out = complement(where).reshape(-1)
        else:
            comp = np.asarray(complement, dtype=np.float64).reshape(-1)
            out = np.array(comp, dtype=np.float64) if where is None else comp[where]
        with np.errstate(divide="ignore"):
            np.log(out, out=out)
        out *= -1.0 / _LN2
        return out

    return _series_or_direct(p, _series_neg_log2_one_minus, direct)


def _complements(arr: NDArray[np.float64]) -> NDArray[np.float64]:
    """``1 - p_j`` for every outcome of each distribution on the last axis, without cancellation.

    For the one outcome that may exceed 1/2, ``1 - p_j`` is the sum of the *other* probabilities
    (so ``[1e-40, 1.0]`` gives complements ``[1.0, 1e-40]``, not ``[1.0, 0.0]``); for all other
    outcomes ``1 - p_j >= 1/2`` and plain subtraction is exact to rounding.
    """
    comp = np.subtract(1.0, arr, out=np.empty_like(arr))
    if arr.ndim > 1 and not arr.max() > 0.5:  # no outcome above 1/2 anywhere: one flat pass decides
        return comp
    top = arr.max(axis=-1, keepdims=True)
    if (top > 0.5).any():
        dominant = (arr == top) & (top > 0.5)
        others = np.where(dominant, 0.0, arr).sum(axis=-1, keepdims=True)
        comp = np.where(dominant, others, comp)
    return comp


def _complements_at(arr: NDArray[np.float64], where: NDArray[np.intp] | None) -> NDArray[np.float64]:
    """``_complements(arr)``, or just its entries at the flat indices ``where``, without the rest.

    Only an outcome above 1/2 can be a distribution's dominant one, so if no entry at ``where``
    exceeds 1/2 the complements there are plain ``1 - p`` (the same values ``_complements`` gives).
    """
    if where is None:
        return _complements(arr)
    sub = arr.reshape(-1)[where]
    if (sub > 0.5).any():
        return _complements(arr).reshape(-1)[where]
    return np.subtract(1.0, sub, out=sub)


def _direct_neg_one_minus_log2_one_minus(p: NDArray[np.float64], where: object = None) -> NDArray[np.float64]:
    """``-(1-p) log2(1-p)`` by forming ``1 - p``: accurate unless ``p`` is tiny (``where`` is unused)."""
    q = np.subtract(1.0, p, out=np.empty_like(p))
    out = np.maximum(q, _TINY, out=np.empty_like(p))
    np.log(out, out=out)
    out *= q
    out *= -1.0 / _LN2
    return out


def _neg_one_minus_log2_one_minus(p: NDArray[np.float64]) -> NDArray[np.float64]:
    """``-(1-p) log2(1-p)`` elementwise, accurate for tiny ``p``, exactly 0 at ``p = 1``."""
    return _series_or_direct(p, _series_neg_one_minus_log2_one_minus, _direct_neg_one_minus_log2_one_minus)


def _binary_entropy(p: NDArray[np.float64], positive: bool = False) -> NDArray[np.float64]:
    """``H_b(p)`` elementwise, stable near 0 and 1 (``positive``: every entry is known to be > 0)."""
    # (-x log2 x) + rest, written as rest - x log2 x: the same IEEE result, one pass fewer.
    out = _neg_one_minus_log2_one_minus(p)
    np.subtract(out, _xlog2x(p, positive), out=out)
    return out[()] if out.ndim == 0 else out  # a 0-d input gives a NumPy scalar, as arithmetic would


# ---------------------------------------------------------------------------------------------
# single outcomes


def surprisal(p: ArrayLike) -> FloatOrArray:
    """Surprisal ``-log2 p`` in bits of an outcome the model gave probability ``p``.

    ``p`` may be a scalar or an array of any shape; every entry must be in [0, 1].
    An outcome of probability 0 has infinite surprisal (``inf``); probability 1 gives 0 bits.
    Explained in Chapter 1, "Surprisal".

    Parameters
    ----------
    p : array_like
        Probabilities, any shape.

    Returns
    -------
    float or numpy.ndarray
        ``-log2 p`` in bits (``inf`` where ``p = 0``), same shape as ``p``.

    Raises
    ------
    ValueError
        If an entry is outside [0, 1] or not finite.
    """
    arr = _validate.probability(p, "p")
    if arr.ndim == 0:
        with np.errstate(divide="ignore"):
            out = -np.log2(arr)
        return _validate.scalar_or_array(out + 0.0)  # + 0.0 turns -0.0 into 0.0
    with np.errstate(divide="ignore"):  # the same operations, in place on one buffer
        out = np.log2(arr)
    np.negative(out, out=out)
    out += 0.0  # turns -0.0 into 0.0
    return _validate.scalar_or_array(out)


def binary_entropy(p: ArrayLike) -> FloatOrArray:
    """Binary entropy ``H_b(p) = -p log2 p - (1-p) log2(1-p)`` in bits.

    The entropy of a yes/no outcome that is "yes" with probability ``p``: at most 1 bit, at
    ``p = 1/2``; 0 at ``p = 0`` and ``p = 1``. Accurate near both ends (``H_b(1e-300)`` is finite
    and correct). Explained in Chapter 1, "Binary entropy".

    Parameters
    ----------
    p : array_like
        Pass rates, any shape.

    Returns
    -------
    float or numpy.ndarray
        ``H_b(p)`` in bits, in [0, 1].

    Raises
    ------
    ValueError
        If an entry is outside [0, 1] or not finite.
    """
    arr = _validate.probability(p, "p")
    return _validate.scalar_or_array(_binary_entropy(arr))


def nats_to_bits(x: ArrayLike) -> FloatOrArray:
    """Convert nats (natural-log units) to bits: multiply by ``log2 e``. Chapter 1, "Bits and nats".

    Parameters
    ----------
    x : array_like
        Amounts in nats.

    Returns
    -------
    float or numpy.ndarray
        The same amounts in bits.

    Raises
    ------
    ValueError
        If ``x`` contains NaN.
    """
    arr = np.asarray(x, dtype=np.float64)
    if np.isnan(arr).any():
        raise ValueError("x contains NaN; an amount of information must be a number")
    return _validate.scalar_or_array(arr * BITS_PER_NAT)


def bits_to_nats(x: ArrayLike) -> FloatOrArray:
    """Convert bits to nats: divide by ``log2 e``. Chapter 1, "Bits and nats".

    Parameters
    ----------
    x : array_like
        Amounts in bits.

    Returns
    -------
    float or numpy.ndarray
        The same amounts in nats.

    Raises
    ------
    ValueError
        If ``x`` contains NaN.
    """
    arr = np.asarray(x, dtype=np.float64)
    if np.isnan(arr).any():
        raise ValueError("x contains NaN; an amount of information must be a number")
    return _validate.scalar_or_array(arr / BITS_PER_NAT)


# ---------------------------------------------------------------------------------------------
# distributions


def entropy(probs: ArrayLike) -> FloatOrArray:
    """Shannon entropy ``H(p) = -Σ_k p_k log2 p_k`` in bits of each distribution on the last axis.

    ``0 ≤ H(p) ≤ log2 V``, with the maximum for the uniform distribution. ``probs`` has shape
    ``(..., V)``; the result has shape ``(...)``. Explained in Chapter 1, "Entropy".

    Parameters
    ----------
    probs : array_like, shape (..., V)
        Distributions on the last axis.

    Returns
    -------
    float or numpy.ndarray
        ``H(p)`` in bits, shape ``(...)``.

    Raises
    ------
    ValueError
        If a distribution has entries outside [0, 1], NaN/inf, or does not sum to 1.
    """
    arr, lo = _validate.distribution_and_min(probs, "probs")
    # Σ(-x log2 x) = -Σ(x log2 x) exactly (rounding is symmetric); 0.0 - s keeps H = +0.0, never -0.0.
    return _validate.scalar_or_array(np.subtract(0.0, _xlog2x(arr, lo > 0).sum(axis=-1)))


def cross_entropy(p: ArrayLike, q: ArrayLike) -> FloatOrArray:
    """Cross-entropy ``H(p, q) = -Σ_k p_k log2 q_k`` in bits.

    The average surprisal of outcomes drawn from the true distribution ``p`` under the model
    ``q``: the expected cross-entropy loss, in bits. Terms with ``p_k = 0`` contribute 0; an
    outcome with ``p_k > 0`` and ``q_k = 0`` makes it infinite. Chapter 1, "Cross-entropy and KL".

    Parameters
    ----------
    p : array_like, shape (..., V)
        True distribution(s).
    q : array_like, shape (..., V)
        Model distribution(s); broadcasts against ``p``.

    Returns
    -------
    float or numpy.ndarray
        ``H(p, q)`` in bits (``inf`` where ``q`` rules out an outcome of ``p``).

    Raises
    ------
    ValueError
        If a distribution has entries outside [0, 1], NaN/inf, or does not sum to 1, or the shapes do not
        broadcast.
    """
    pa, qa, _, q_lo = _pair(p, q)
    if q_lo > 0:  # no zero in q: the floor below is a no-op, and nothing is ruled out
        terms = np.log2(qa)
    else:
        terms = np.maximum(qa, _TINY)
        np.log2(terms, out=terms)
    terms *= pa  # p_k = 0 gives 0 whatever q_k is
    out = -terms.sum(axis=-1)
    return _validate.scalar_or_array(_infinite_where_q_rules_out_p(out, pa, qa, q_lo))


def _pair(p: ArrayLike, q: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64], float, float]:
    """Both distributions validated and broadcast to one shape, with their smallest entries."""
    pa, p_lo = _validate.distribution_and_min(p, "p")
    qa, q_lo = _validate.distribution_and_min(q, "q")
    _validate.same_shape(pa, qa)
    if pa.shape == qa.shape:  # the usual case: nothing to broadcast
        return pa, qa, p_lo, q_lo
    shape = np.broadcast_shapes(pa.shape, qa.shape)
    return np.broadcast_to(pa, shape), np.broadcast_to(qa, shape), p_lo, q_lo


def _infinite_where_q_rules_out_p(out: NDArray[np.float64], pa: NDArray[np.float64], qa: NDArray[np.float64],
                                  q_lo: float) -> NDArray[np.float64]:
    if q_lo > 0:  # q rules nothing out: skip three comparisons over every entry
        return np.where(False, np.inf, out)
    ruled_out = ((qa == 0) & (pa > 0)).any(axis=-1)
    return np.where(ruled_out, np.inf, out)


def kl_divergence(p: ArrayLike, q: ArrayLike) -> FloatOrArray:
    """Kullback–Leibler divergence ``D(p ‖ q) = Σ_k p_k log2(p_k / q_k)`` in bits, always ``≥ 0``.

    ``H(p, q) = H(p) + D(p ‖ q)``: the excess code length, in bits per outcome, of describing data
    from ``p`` with a code built for ``q`` (the part of the expected loss a better model removes).
    Infinite when ``q`` rules out an outcome ``p`` allows. Chapter 1,
    "Cross-entropy and KL".

    Parameters
    ----------
    p : array_like, shape (..., V)
        True distribution(s).
    q : array_like, shape (..., V)
        Model distribution(s); broadcasts against ``p``.

    Returns
    -------
    float or numpy.ndarray
        ``D(p || q)`` in bits, ``>= 0`` (``inf`` where ``q`` rules out an outcome of ``p``).

    Raises
    ------
    ValueError
        If a distribution has entries outside [0, 1], NaN/inf, or does not sum to 1, or the shapes do not
        broadcast.
    """
    pa, qa, p_lo, q_lo = _pair(p, q)
    with np.errstate(over="ignore"):  # p_k > 0 = q_k overflows to inf; reported as inf below
        if q_lo > 0:  # no zero in q: flooring q is a no-op
            ratio = np.divide(pa, qa)
        else:
            ratio = np.maximum(qa, _TINY)
            np.divide(pa, ratio, out=ratio)
        if not p_lo > 0:  # p_k = 0: 0 * log2(tiny) = 0 (with every p_k > 0 and q_k <= 1, p/q >= p_k > 0)
            np.maximum(ratio, _TINY, out=ratio)
        np.log2(ratio, out=ratio)
    ratio *= pa
    out = np.maximum(ratio.sum(axis=-1), 0.0)  # clamp rounding below zero
    return _validate.scalar_or_array(_infinite_where_q_rules_out_p(out, pa, qa, q_lo))


# ---------------------------------------------------------------------------------------------
# the essay's figures and the corrected expectations (Chapter 2)


def naive_sl_bits(pass_rate: ArrayLike) -> FloatOrArray:
    """The essay's supervised-learning figure: ``-log2 p`` bits for a label of probability ``p``.

    This is the surprisal of *one realised* correct answer, not an average over outcomes.
    Chapter 2, "The essay's comparison".

    Parameters
    ----------
    pass_rate : array_like
        The probability ``p`` of the label.

    Returns
    -------
    float or numpy.ndarray
        ``-log2 p`` bits.

    Raises
    ------
    ValueError
        If an entry is outside [0, 1] or not finite.
    """
    return surprisal(pass_rate)


def naive_rl_bits(pass_rate: ArrayLike) -> FloatOrArray:
    """The essay's reinforcement-learning figure: ``H_b(p)`` bits for a pass/fail reward.

    The entropy of the reward when the pass rate is ``p``. Chapter 2, "The essay's comparison".

    Parameters
    ----------
    pass_rate : array_like
        The pass rate ``p``.

    Returns
    -------
    float or numpy.ndarray
        ``H_b(p)`` bits.

    Raises
    ------
    ValueError
        If an entry is outside [0, 1] or not finite.
    """
    return binary_entropy(pass_rate)


def _answer_probs(arr: NDArray[np.float64], answer: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    idx = _validate.index(answer, arr.shape[-1], arr.shape[:-1], "answer")
    batch = np.broadcast_shapes(arr.shape[:-1], idx.shape)
    idx_b = np.broadcast_to(idx, batch)
    if arr.ndim == 1:
        p_i = arr[idx_b]
    else:
        arr_b = np.broadcast_to(arr, batch + arr.shape[-1:])
        p_i = np.take_along_axis(arr_b, idx_b[..., None], axis=-1)[..., 0]
    return p_i, idx_b


def sl_bits_given_answer(probs: ArrayLike, answer: ArrayLike) -> FloatOrArray:
    """Bits a supervised learner gains when told the correct answer is ``answer``: ``-log2 p_answer``.

    ``probs`` has shape ``(..., V)``; ``answer`` is an integer index (or an array of indices that
    broadcasts against the batch shape). Chapter 2, "Yorwba's correction".

    Parameters
    ----------
    probs : array_like, shape (..., V)
        The model's distribution(s).
    answer : int or array_like of int
        Index of the correct answer, broadcasting against the batch shape.

    Returns
    -------
    float or numpy.ndarray
        ``-log2 p_answer`` in bits.

    Raises
    ------
    ValueError
        If a distribution has entries outside [0, 1], NaN/inf, or does not sum to 1, or ``answer`` is not an index
        into it (or has probability 0 where that is undefined).
    """
    arr = _validate.distribution(probs, "probs")
    p_i, _ = _answer_probs(arr, answer)
    with np.errstate(divide="ignore"):
        out = -np.log2(p_i)
    return _validate.scalar_or_array(out + 0.0)


def rl_bits_given_answer(probs: ArrayLike, answer: ArrayLike) -> FloatOrArray:
    """Expected bits from one pass/fail sample when the correct answer is ``answer`` (Yorwba).

    The learner samples a guess ``j ~ probs`` and is told only whether ``j`` is right:

    ``E[IG_RL | i] = p_i (-log2 p_i) + Σ_{j≠i} p_j (-log2(1 - p_j))  ≤  -log2 p_i``,

    with equality when there are two outcomes. ``probs`` has shape ``(..., V)``; ``answer`` is
    an integer index or an array of them. Cost is ``O(V)`` per distribution whatever the number
    of answers. Chapter 2, "Yorwba's correction".

    Parameters
    ----------
    probs : array_like, shape (..., V)
        The model's distribution(s).
    answer : int or array_like of int
        Index of the correct answer, broadcasting against the batch shape.

    Returns
    -------
    float or numpy.ndarray
        ``E[IG_RL | i]`` in bits.

    Raises
    ------
    ValueError
        If a distribution has entries outside [0, 1], NaN/inf, or does not sum to 1, or ``answer`` is not an index
        into it (or has probability 0 where that is undefined).
    """
    arr, lo = _validate.distribution_and_min(probs, "probs")
    p_i, idx = _answer_probs(arr, answer)
    # "not j" terms for every outcome, summed once; the answer's own term is removed afterwards.
    not_j = _neg_log2_one_minus(arr, lambda where: _complements_at(arr, where))
    with np.errstate(invalid="ignore"):
        not_j *= arr  # 0 * inf (an impossible outcome) is NaN here; such terms are 0
    if not lo > 0:
        not_j[arr == 0] = 0.0
    total = not_j.sum(axis=-1)
    if arr.ndim == 1:
        own = not_j[idx]
    else:
        own = np.take_along_axis(np.broadcast_to(not_j, idx.shape + arr.shape[-1:]), idx[..., None], axis=-1)[..., 0]
    with np.errstate(invalid="ignore"):
        rest = np.where(np.isinf(own), 0.0, total - own)  # answer certain: no other outcome occurs
    rest = np.maximum(rest, 0.0)
    out = _neg_xlog2x(np.asarray(p_i, dtype=np.float64)) + rest
    return _validate.scalar_or_array(np.asarray(out, dtype=np.float64))


def expected_sl_bits(probs: ArrayLike) -> FloatOrArray:
    """Calibrated expected bits per supervised sample: ``Σ_i p_i (-log2 p_i) = H(p)`` (Niels Rolf).

    The average of :func:`sl_bits_given_answer` when the correct answer is drawn from the
    model's own distribution. Chapter 2, "Niels Rolf's calibrated expectation".

    Parameters
    ----------
    probs : array_like, shape (..., V)
        The model's distribution(s), also the distribution of the correct answer.

    Returns
    -------
    float or numpy.ndarray
        ``H(p)`` in bits.

    Raises
    ------
    ValueError
        If a distribution has entries outside [0, 1], NaN/inf, or does not sum to 1.
    """
    return entropy(probs)


def expected_rl_bits(probs: ArrayLike) -> FloatOrArray:
    """Calibrated expected bits per pass/fail sample: ``Σ_k p_k H_b(p_k)`` (Niels Rolf).

    Equals ``I(C; R | A)`` for correct answer ``C ~ p``, guess ``A ~ p`` and reward
    ``R = 1[A = C]``, hence never more than :func:`expected_sl_bits` (data-processing
    inequality), with equality when ``V = 2``. Chapter 2, "The data-processing inequality".

    Parameters
    ----------
    probs : array_like, shape (..., V)
        The model's distribution(s), also the distribution of the correct answer.

    Returns
    -------
    float or numpy.ndarray
        ``Σ_k p_k H_b(p_k)`` in bits.

    Raises
    ------
    ValueError
        If a distribution has entries outside [0, 1], NaN/inf, or does not sum to 1.
    """
    arr, lo = _validate.distribution_and_min(probs, "probs")
    terms = _binary_entropy(arr, lo > 0)
    terms *= arr
    return _validate.scalar_or_array(terms.sum(axis=-1))


def naive_ratio_small_p(pass_rate: ArrayLike) -> FloatOrArray:
    """Small-``p`` approximation of the essay's ratio ``H_b(p) / (-log2 p)``: ``p (1 + log2 e / log2(1/p))``.

    From ``H_b(p) = -p log2 p - (1-p) log2(1-p)`` and ``-(1-p) log2(1-p) = p log2 e + O(p^2)``:
    the failure term adds ``log2 e`` bits per unit of ``p`` on top of the success term's
    ``p log2(1/p)``, so the ratio exceeds ``p`` by the factor ``1 + log2 e / log2(1/p)``; the relative
    error of the approximation is ``O(p)``. ``p`` must lie strictly between 0 and 1.
    Chapter 2, "The essay's comparison".

    Parameters
    ----------
    pass_rate : array_like
        Pass rates in (0, 1).

    Returns
    -------
    float or numpy.ndarray
        The approximate ratio ``p (1 + log2 e / log2(1/p))``.

    Raises
    ------
    ValueError
        If a pass rate is not strictly between 0 and 1, or not finite.
    """
    arr = _validate.probability(pass_rate, "pass_rate")
    if not ((arr > 0) & (arr < 1)).all():
        raise ValueError("pass_rate must lie strictly between 0 and 1 (the ratio is 0/0 or undefined at the ends)")
    return _validate.scalar_or_array(arr * (1.0 + BITS_PER_NAT / -np.log2(arr)))


# ---------------------------------------------------------------------------------------------
# two variables: joint and conditional entropy, mutual information (Chapter 1)


def _joint(joint: ArrayLike, name: str = "joint") -> NDArray[np.float64]:
    arr = _validate.probability(joint, name)
    if arr.ndim < 2:
        raise ValueError(f"{name} must be a table P(X = x, Y = y) of shape (..., nx, ny), got shape {arr.shape}")
    sums = arr.sum(axis=(-2, -1))
    if (np.abs(sums - 1.0) > _validate.SUM_TOLERANCE).any():
        raise ValueError(f"{name} must sum to 1 over its last two axes, got a table summing to "
                         f"{float(np.asarray(sums).flat[0]):.10g}")
    return arr


def joint_entropy(joint: ArrayLike) -> FloatOrArray:
    """Joint entropy ``H(X, Y) = -Σ_{x,y} P(x, y) log2 P(x, y)`` in bits.

    ``joint`` is the table ``P(X = x, Y = y)`` with ``x`` on the second-last axis and ``y`` on the
    last (shape ``(..., nx, ny)``, summing to 1). Chapter 1, "Two variables".

    Parameters
    ----------
    joint : array_like, shape (..., nx, ny)
        The table ``P(X = x, Y = y)``, summing to 1.

    Returns
    -------
    float or numpy.ndarray
        ``H(X, Y)`` in bits.

    Raises
    ------
    ValueError
        If the table has fewer than two axes, entries outside [0, 1] or NaN/inf, or does not sum to 1.
    """
    arr = _joint(joint)
    return _validate.scalar_or_array(np.subtract(0.0, _xlog2x(arr).sum(axis=(-2, -1))))


def conditional_entropy(joint: ArrayLike) -> FloatOrArray:
    """Conditional entropy ``H(X | Y) = Σ_y P(y) H(X | Y = y)`` in bits, from the table ``P(X = x, Y = y)``.

    The uncertainty left about ``X`` once ``Y`` is known, averaged over ``Y``; computed as
    ``Σ_{x,y} P(x, y) (-log2 P(x | y))`` (never through the chain rule, so that the chain rule
    ``H(X, Y) = H(Y) + H(X | Y)`` is a check, not a definition). ``x`` is on the second-last
    axis, ``y`` on the last. Chapter 1, "Two variables".

    Parameters
    ----------
    joint : array_like, shape (..., nx, ny)
        The table ``P(X = x, Y = y)``, summing to 1.

    Returns
    -------
    float or numpy.ndarray
        ``H(X | Y)`` in bits.

    Raises
    ------
    ValueError
        If the table has fewer than two axes, entries outside [0, 1] or NaN/inf, or does not sum to 1.
    """
    arr = _joint(joint)
    p_y = arr.sum(axis=-2, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        cond = np.where(p_y > 0, arr / np.where(p_y > 0, p_y, 1.0), 0.0)
    terms = arr * np.log2(np.maximum(cond, _TINY))
    return _validate.scalar_or_array(np.subtract(0.0, terms.sum(axis=(-2, -1))))


def mutual_information(joint: ArrayLike) -> FloatOrArray:
    """Mutual information ``I(X; Y) = Σ_{x,y} P(x, y) log2 [P(x, y) / (P(x) P(y))]`` in bits, ``>= 0``.

    The bits that observing ``Y`` tells about ``X`` on average (and vice versa):
    ``I(X; Y) = H(X) - H(X | Y) = D(P_XY ‖ P_X P_Y)``. Computed as the KL divergence from the
    product of the marginals. ``x`` is on the second-last axis, ``y`` on the last.
    Chapter 1, "Two variables".

    Parameters
    ----------
    joint : array_like, shape (..., nx, ny)
        The table ``P(X = x, Y = y)``, summing to 1.

    Returns
    -------
    float or numpy.ndarray
        ``I(X; Y)`` in bits, ``>= 0``.

    Raises
    ------
    ValueError
        If the table has fewer than two axes, entries outside [0, 1] or NaN/inf, or does not sum to 1.
    """
    arr = _joint(joint)
    p_x = arr.sum(axis=-1, keepdims=True)
    p_y = arr.sum(axis=-2, keepdims=True)
    # log2 P(x,y) - log2 P(x) - log2 P(y) term by term: the product P(x) P(y) can underflow to 0
    # where P(x, y) > 0 (tiny marginals), which a ratio against the product would call infinite.
    safe = lambda a: np.log2(np.maximum(a, _TINY))  # noqa: E731 (only entries with P(x, y) > 0 count)
    terms = np.where(arr > 0, arr * (safe(arr) - safe(p_x) - safe(p_y)), 0.0)
    return _validate.scalar_or_array(np.maximum(terms.sum(axis=(-2, -1)), 0.0))


def shannon_code_length(p: ArrayLike, q: ArrayLike) -> FloatOrArray:
    """Expected length in bits of the Shannon code built for ``q``, on data drawn from ``p``.

    The code gives outcome ``k`` a codeword of ``ceil(-log2 q_k)`` bits (Kraft's inequality
    guarantees such a prefix code exists), so its expected length ``Σ_k p_k ceil(-log2 q_k)``
    lies in ``[H(p, q), H(p, q) + 1)``: cross-entropy is the cost of describing data from ``p``
    with a code built for ``q``, and the KL divergence is the excess over the best code (built for
    ``p``). Infinite if ``q`` rules out an outcome ``p`` allows. Chapter 1, "Cross-entropy and KL".

    Parameters
    ----------
    p : array_like, shape (..., V)
        The distribution the data come from.
    q : array_like, shape (..., V)
        The distribution the code is built for.

    Returns
    -------
    float or numpy.ndarray
        ``Σ_k p_k ceil(-log2 q_k)`` in bits per outcome (``inf`` where ``q`` rules out an outcome of ``p``).

    Raises
    ------
    ValueError
        If a distribution has entries outside [0, 1], NaN/inf, or does not sum to 1, or the shapes do not
        broadcast.
    """
    pa, qa, _, q_lo = _pair(p, q)
    with np.errstate(divide="ignore"):
        lengths = np.ceil(-np.log2(qa) - 1e-12)  # a length that is an integer up to rounding stays it
    lengths = np.where(pa > 0, np.maximum(lengths, 0.0), 0.0)  # outcomes that never occur cost nothing
    terms = pa * lengths
    out = terms.sum(axis=-1)
    return _validate.scalar_or_array(_infinite_where_q_rules_out_p(out, pa, qa, q_lo))


# --- The Chapter 1 entropy explorer's state (moved from rlbits.widgets.ch1_entropy: compute only, no widget or matplotlib import) ---

from dataclasses import dataclass  # noqa: E402 - appended section


@dataclass(frozen=True)
class EntropyPanel:
    """What the entropy explorer shows for one setting of its sliders (all information in bits).

    Returned by :func:`entropy_panel`; Chapter 1, "Entropy".

    Parameters
    ----------
    probs : numpy.ndarray
        The Zipf distribution over the ``V`` answers, shape ``(V,)``.
    surprisal : numpy.ndarray
        ``-log2 p`` of each answer (bits), shape ``(V,)``.
    entropy : float
        Its entropy (bits).
    max_entropy : float
        ``log2 V`` (bits), the entropy of the uniform distribution.
    chosen : int
        The highlighted answer, from 0 to ``V - 1``.
    chosen_surprisal : float
        Its surprisal (bits).

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
    """

    probs: NDArray[np.float64]
    surprisal: NDArray[np.float64]
    entropy: float
    max_entropy: float
    chosen: int
    chosen_surprisal: float


def entropy_panel(V: int, sharpness: float, chosen: int = 0) -> EntropyPanel:
    """Compute the explorer's state: a Zipf distribution over ``V`` answers and its information.

    ``chosen`` is the (0-based) answer whose surprisal is highlighted. Chapter 1, "Entropy".

    Parameters
    ----------
    V : int
        Number of answers (at least 1).
    sharpness : float
        Zipf exponent (>= 0; 0 is uniform), as in :func:`rlbits.distributions.zipf`.
    chosen : int
        The highlighted answer, from 0 to ``V - 1``.

    Returns
    -------
    EntropyPanel
        The distribution, each answer's surprisal, the entropy and its ceiling ``log2 V`` (bits).

    Raises
    ------
    ValueError
        If ``V`` or ``sharpness`` is invalid, or ``chosen`` is not an answer.
    """
    from . import distributions

    probs = distributions.zipf(V, sharpness)
    chosen = _validate.positive_int(chosen, "chosen", minimum=0)
    if chosen >= probs.size:
        raise ValueError(f"chosen must lie in [0, {probs.size - 1}], got {chosen}")
    bits = np.asarray(surprisal(probs))
    return EntropyPanel(
        probs=probs,
        surprisal=bits,
        entropy=float(entropy(probs)),
        max_entropy=float(np.log2(probs.size)),
        chosen=chosen,
        chosen_surprisal=float(bits[chosen]),
    )


__all__ += ["EntropyPanel", "entropy_panel"]
