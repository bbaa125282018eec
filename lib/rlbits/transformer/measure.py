"""Bookkeeping of Chapter 7's measurements (NumPy only): bits learned per sample, samples to a pass
rate, and the cost model (pass@k is :func:`rlbits.sharpening.mean_pass_at_k`).

*Bits learned* is the drop of the held-out log-loss of the correct answers, in bits: with
``L(n) = mean over held-out prompts of -log2 pi_n(y* | x)`` after ``n`` training samples, the model
has learned ``L(0) - L(n)`` bits per prompt, and ``(L(n) - L(n')) / (n' - n)`` bits per sample between
two evaluations. It is a code length: the saving in bits when the model is used to encode held-out
answers. Chapter 7, "What is measured".
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import probability


def _curve(samples: ArrayLike, values: ArrayLike, name: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    s = np.asarray(samples, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    if s.ndim != 1 or s.size < 2:
        raise ValueError(f"samples must be a 1-d array of at least 2 counts, got shape {s.shape}")
    if not np.all(np.isfinite(s)) or np.any(np.diff(s) <= 0) or s[0] < 0:
        raise ValueError("samples must be finite, non-negative and strictly increasing")
    if v.shape[-1] != s.size:
        raise ValueError(f"{name} must have {s.size} entries along its last axis, got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name} contains NaN or an infinite value")
    return s, v


def bits_learned(samples: ArrayLike, heldout_bits: ArrayLike) -> NDArray[np.float64]:
    """Cumulative bits learned, ``L(0) - L(n)``, at each evaluation (last axis: evaluations).

    Parameters
    ----------
    samples : array_like, shape (E,)
        Training samples seen at each evaluation, strictly increasing.
    heldout_bits : array_like, shape (..., E)
        Held-out log-loss of the correct answers (bits per prompt) at each evaluation.

    Returns
    -------
    ndarray of float, shape (..., E)
        Bits learned per held-out prompt since the first evaluation (0 at the first; negative where
        the loss rose).

    Raises
    ------
    ValueError
        If ``samples`` is not a 1-d array of at least 2 finite, non-negative, strictly increasing
        counts, ``heldout_bits`` does not have E entries along its last axis, or a value is NaN or
        infinite.
    """
    _, v = _curve(samples, heldout_bits, "heldout_bits")
    return v[..., :1] - v


def bits_per_sample(samples: ArrayLike, heldout_bits: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Bits learned per sample between consecutive evaluations: ``-(L_{k+1} - L_k) / (n_{k+1} - n_k)``.

    Summing ``rate * diff(samples)`` gives back :func:`bits_learned` at the end.

    Parameters
    ----------
    samples : array_like, shape (E,)
        Training samples seen at each evaluation, strictly increasing, E >= 2.
    heldout_bits : array_like, shape (..., E)
        Held-out log-loss of the correct answers (bits per prompt) at each evaluation.

    Returns
    -------
    midpoints : ndarray of float, shape (E-1,)
        The sample count halfway between consecutive evaluations.
    rate : ndarray of float, shape (..., E-1)
        Bits learned per held-out prompt per training sample over each interval (negative where the
        loss rose).

    Raises
    ------
    ValueError
        If ``samples`` is not a 1-d array of at least 2 finite, non-negative, strictly increasing
        counts, ``heldout_bits`` does not have E entries along its last axis, or a value is NaN or
        infinite.
    """
    s, v = _curve(samples, heldout_bits, "heldout_bits")
    return 0.5 * (s[1:] + s[:-1]), -np.diff(v, axis=-1) / np.diff(s)


def samples_to_reach(samples: ArrayLike, pass_rate: ArrayLike, target: float) -> NDArray[np.float64]:
    """Samples until the pass rate first reaches ``target`` (linear interpolation between evaluations).

    Parameters
    ----------
    samples : array_like, shape (E,)
        Training samples seen at each evaluation, strictly increasing, E >= 2.
    pass_rate : array_like, shape (..., E)
        Pass rate at each evaluation.
    target : float
        The pass rate to reach, a probability in [0, 1].

    Returns
    -------
    ndarray of float, shape (...)
        Training samples until each curve first reaches ``target``: ``samples[0]`` if it starts
        there, ``inf`` if it never does.

    Raises
    ------
    ValueError
        If ``samples`` is not a 1-d array of at least 2 finite, non-negative, strictly increasing
        counts, ``pass_rate`` does not have E entries along its last axis or holds NaN or an infinite
        value, or ``target`` is not a probability.
    """
    s, p = _curve(samples, pass_rate, "pass_rate")
    target = float(probability(target, "target"))
    p = np.atleast_2d(p)
    flat = p.reshape(-1, s.size)
    out = np.full(flat.shape[0], np.inf)
    hit = flat >= target
    any_hit = hit.any(axis=1)
    k = np.argmax(hit, axis=1)
    for_rows = np.nonzero(any_hit)[0]
    kk = k[for_rows]
    prev = np.maximum(kk - 1, 0)
    p0, p1 = flat[for_rows, prev], flat[for_rows, kk]
    frac = np.where((kk > 0) & (p1 > p0), (target - p0) / np.where(p1 > p0, p1 - p0, 1.0), 0.0)
    out[for_rows] = np.where(kk == 0, s[0], s[prev] + frac * (s[kk] - s[prev]))
    return out.reshape(np.shape(pass_rate)[:-1])


def flops_per_sample(method: str, T: int, n_params: int, *, group: int = 8) -> dict[str, float]:
    """The cost model: floating-point operations per training sample, by part.

    A forward pass over a sequence of ``S`` tokens costs ``2 N S`` FLOPs for ``N`` parameters
    (attention over at most 16 tokens is neglected), a backward pass twice that. SL runs one forward
    and backward over the ``S = 8 + T`` tokens of prompt and answer. Sampling ``T`` digits without a
    cache recomputes the whole ``S``-token sequence for each digit: ``T`` forwards. The policy-gradient
    methods and rejection sampling add one forward and backward; distillation adds the teacher's forward.
    ``group`` does not change the cost per sample. Chapter 7, "Per FLOP".

    Parameters
    ----------
    method : str
        One of :data:`rlbits.transformer.task.METHODS`.
    T : int
        Answer length in digits, 1 to 8.
    n_params : int
        Number of scalar parameters of the model, at least 1.
    group : int, optional
        Answers drawn per prompt by the grouped methods; accepted for symmetry with training and
        not used (the cost is per sample).

    Returns
    -------
    dict
        ``{"sample": ..., "forward": ..., "backward": ..., "teacher": ..., "total": ...}`` in FLOPs
        per training sample; ``"total"`` is the sum of the other four.

    Raises
    ------
    ValueError
        If ``method`` is unknown, ``T`` is not an integer from 1 to 8, or ``n_params`` is not a
        positive integer.
    """
    from .task import PROMPT_LEN, check_T, check_method

    check_method(method)
    T = check_T(T)
    if isinstance(n_params, bool) or not isinstance(n_params, (int, np.integer)) or n_params < 1:
        raise ValueError(f"n_params must be a positive integer, got {n_params!r}")
    S = PROMPT_LEN + T
    fwd = 2.0 * n_params * S
    parts = {"sample": 0.0 if method == "sl" else T * fwd, "forward": fwd, "backward": 2 * fwd,
             "teacher": fwd if method == "distill" else 0.0}
    parts["total"] = sum(parts.values())
    return parts
