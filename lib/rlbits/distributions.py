"""Families of distributions over V answers that the book uses as running examples.

- :func:`uniform`: the untrained model, every token equally likely (Chapter 1).
- :func:`zipf`: a peaked distribution with one knob, like real next-token distributions (Chapter 1).
- :func:`correct_plus_uniform`: the correct token has probability ``p`` and the rest share
  ``1 - p`` equally (Chapter 2, "How the answer space matters").
- :func:`sample_categorical`: draws from one or many such distributions at once (the one sampler
  every simulation in the book uses).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate

__all__ = ["correct_plus_uniform", "sample_categorical", "uniform", "zipf"]


def uniform(V: int) -> NDArray[np.float64]:
    """The uniform distribution over ``V >= 1`` answers (entropy ``log2 V`` bits).

    Parameters
    ----------
    V : int
        Number of answers, at least 1.

    Returns
    -------
    numpy.ndarray, shape (V,)
        ``1/V`` for every answer.

    Raises
    ------
    ValueError
        If ``V`` is not a positive integer.
    """
    V = _validate.positive_int(V, "V")
    return np.full(V, 1.0 / V)


def zipf(V: int, sharpness: float) -> NDArray[np.float64]:
    """A Zipf-shaped distribution ``p_k ∝ (k + 1)^(-sharpness)`` over ``V`` answers, most likely first.

    ``sharpness = 0`` gives the uniform distribution; larger values concentrate the mass on the
    first answers. ``sharpness`` must be a finite number ``>= 0``.

    Parameters
    ----------
    V : int
        Number of answers.
    sharpness : float
        Exponent ``s >= 0``.

    Returns
    -------
    numpy.ndarray, shape (V,)
        The distribution, most likely answer first.

    Raises
    ------
    ValueError
        If ``V`` is not a positive integer or ``sharpness`` is negative or not finite.
    """
    V = _validate.positive_int(V, "V")
    s = float(sharpness)
    if not np.isfinite(s) or s < 0:
        raise ValueError(f"sharpness must be a finite number >= 0, got {sharpness!r}")
    logits = -s * np.log(np.arange(1, V + 1, dtype=np.float64))
    logits -= logits.max()
    w = np.exp(logits)
    return w / w.sum()


def correct_plus_uniform(p: ArrayLike, V: int, answer: int = 0) -> NDArray[np.float64]:
    """Distribution(s) where answer ``answer`` has probability ``p`` and the other ``V - 1`` share ``1 - p``.

    ``p`` may be a scalar or an array of pass rates; the result has shape ``p.shape + (V,)``.
    With ``V = 1`` the only answer must have ``p = 1``.

    Parameters
    ----------
    p : array_like
        Probability of answer ``answer``.
    V : int
        Number of answers.
    answer : int, default 0
        Index of the answer that gets ``p``.

    Returns
    -------
    numpy.ndarray, shape p.shape + (V,)
        The distribution(s).

    Raises
    ------
    ValueError
        If an entry is outside [0, 1] or not finite, ``V`` is not a positive integer,
        ``answer`` is not an index, or ``V = 1`` with ``p != 1``.
    """
    V = _validate.positive_int(V, "V")
    pa = _validate.probability(p, "p")
    answer = _validate.positive_int(answer, "answer", minimum=0)
    if answer >= V:
        raise ValueError(f"answer must lie in [0, {V - 1}] for V = {V}, got {answer}")
    if V == 1:
        if not np.all(pa == 1.0):
            raise ValueError("with V = 1 the only answer has probability 1; p must be 1")
        return np.ones(pa.shape + (1,))
    out = np.repeat(((1.0 - pa) / (V - 1))[..., None], V, axis=-1)
    out[..., answer] = pa
    return out


_BUCKETS = 4096  # equal buckets of [0, 1) for _table_search (a power of 2: u * K is exact)


def _table_search(cdf: NDArray[np.float64], u: NDArray[np.float64]) -> NDArray[np.int64]:
    """``cdf.searchsorted(u, side="right")`` for many ``u``, exactly, by a bucket table.

    ``[0, 1)`` is cut into ``K`` equal buckets. In a bucket that no cdf value falls inside, every
    ``u`` has the same answer, read from a table; only the ``u`` in the other buckets are searched.
    About 1.6 times faster than one binary search per draw for a million draws over 100 answers (the
    Chapter 3 explorer's largest batch setting), with the same answers.
    """
    edges = np.arange(_BUCKETS + 1, dtype=np.float64) / _BUCKETS
    first = cdf.searchsorted(edges[:-1], side="right")  # the answer of u = k / K ...
    last = cdf.searchsorted(edges[1:], side="left")  # ... bounds that of every u < (k + 1) / K
    table = np.where(first == last, first, -1).astype(np.int64)
    idx = table[(u * _BUCKETS).astype(np.intp)]
    unsure = np.flatnonzero(idx < 0)
    idx[unsure] = cdf.searchsorted(u[unsure], side="right")
    return idx


def sample_categorical(probs: ArrayLike, n: int | None = None, *, rng: np.random.Generator) -> NDArray[np.int64]:
    """Draw answers from categorical distributions by inverse CDF, vectorised over rows.

    Parameters
    ----------
    probs : array_like, shape (..., V)
        One distribution over ``V`` answers per row (the last axis sums to 1); leading axes are a batch.
    n : int, optional
        Draws per row. ``None`` draws one per row and drops that axis.
    rng : numpy.random.Generator
        The source of randomness (keyword-only).

    Returns
    -------
    numpy.ndarray of int64
        Answer indices in ``[0, V)``, shape ``probs.shape[:-1]`` (``n`` is ``None``) or
        ``probs.shape[:-1] + (n,)``. For one row (``probs`` 1-D) the draws are exactly those of
        ``rng.choice(V, size=n, p=probs)``: the same uniforms, the same answers.

    Raises
    ------
    ValueError
        If a row is not a distribution (entries outside [0, 1], NaN/inf, sums not 1), ``probs`` has
        no answer axis, or ``n`` is not a positive integer.
    """
    arr = _validate.distribution(probs, "probs")
    if arr.ndim == 0:
        raise ValueError("probs must have at least one axis (the answers)")
    gen = _validate.rng(rng)
    size = 1 if n is None else _validate.positive_int(n, "n")
    batch, V = arr.shape[:-1], arr.shape[-1]
    cdf = np.cumsum(arr.reshape(-1, V), axis=1)
    cdf /= cdf[:, -1:]
    cdf[:, -1] = 1.0
    R = cdf.shape[0]
    u = gen.random((R, size))
    if R == 1 and size >= 8 * _BUCKETS and V <= _BUCKETS // 8:
        idx = _table_search(cdf[0], u[0])[None, :]
    elif R == 1:
        idx = cdf[0].searchsorted(u, side="right")
    else:  # one search over all rows: row r's cdf shifted into [2r, 2r + 1]
        off = 2.0 * np.arange(R, dtype=np.float64)[:, None]
        idx = np.searchsorted((cdf + off).ravel(), (u + off).ravel(), side="right").reshape(R, size)
        idx -= V * np.arange(R)[:, None]
    out = np.minimum(idx, V - 1).astype(np.int64).reshape(batch + (size,))
    return out[..., 0] if n is None else out
