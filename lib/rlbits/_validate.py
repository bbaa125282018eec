"""Input validation shared by every public ``rlbits`` function.

One place words the error messages, so a reader who passes a bad argument sees
the same kind of explanation everywhere in the book. Every check raises
:class:`ValueError` and names the argument and what was wrong with it.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Absolute tolerance on ``sum(probs) == 1`` accepted by every distribution check.
SUM_TOLERANCE = 1e-6


def _reject_text(x: Any, name: str) -> None:
    """Text is not a number, even when NumPy or ``float`` would parse it ("0.15")."""
    if isinstance(x, (str, bytes)) or (isinstance(x, np.ndarray) and x.dtype.kind in "SU"):
        raise ValueError(f"{name} must be a number, not text: got {x!r}")


def _as_float_array(x: ArrayLike, name: str) -> NDArray[np.float64]:
    _reject_text(x, name)
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric, got {type(x).__name__}: {exc}") from None
    return arr


def _check_finite(arr: NDArray[np.float64], name: str) -> None:
    if not np.isfinite(arr).all():
        bad = "NaN" if np.isnan(arr).any() else "an infinite value"
        raise ValueError(f"{name} contains {bad}; probabilities must be finite numbers in [0, 1]")


def _check_range(arr: NDArray[np.float64], name: str) -> float:
    """Raise unless every entry is a finite number in [0, 1]; return the smallest entry."""
    # min/max propagate NaN, so one pass each catches NaN, inf and out-of-range values.
    lo, hi = arr.min(), arr.max()
    if not (lo >= 0.0 and hi <= 1.0):
        _check_finite(arr, name)
        raise ValueError(f"{name} must lie in [0, 1], got values in [{float(lo):.6g}, {float(hi):.6g}]")
    return float(lo)


def probability(p: ArrayLike, name: str = "p") -> NDArray[np.float64]:
    """Return ``p`` as a float64 array after checking every entry is a finite number in [0, 1]."""
    arr = _as_float_array(p, name)
    if arr.size == 0:
        raise ValueError(f"{name} is empty; pass at least one probability")
    _check_range(arr, name)
    return arr


def distribution(probs: ArrayLike, name: str = "probs", tol: float = SUM_TOLERANCE) -> NDArray[np.float64]:
    """Return ``probs`` as a float64 array of shape ``(..., V)`` whose last axis is a distribution.

    Checks: at least one dimension, ``V >= 1``, finite, every entry in [0, 1], and every
    distribution along the last axis sums to 1 within ``tol`` (default :data:`SUM_TOLERANCE`).
    """
    return distribution_and_min(probs, name, tol)[0]


def distribution_and_min(probs: ArrayLike, name: str = "probs",
                         tol: float = SUM_TOLERANCE) -> tuple[NDArray[np.float64], float]:
    """:func:`distribution`, also returning the smallest probability, which the checks compute anyway.

    Callers use it to skip work that only zeros need (``0 log 0``, ``q_k = 0``).
    """
    arr = _as_float_array(probs, name)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be an array of shape (..., V) with the outcomes on the last axis, got a scalar")
    if arr.shape[-1] == 0 or arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); a distribution needs at least one outcome")
    lo = _check_range(arr, name)
    sums = arr.sum(axis=-1)
    err = np.abs(sums - 1.0)
    if (err > tol).any():
        worst = float(np.asarray(sums).flat[int(np.argmax(err))])
        raise ValueError(
            f"{name} must sum to 1 along its last axis (tolerance {tol:g}); one distribution sums to {worst:.10g}"
        )
    return arr, lo


def same_shape(p: NDArray[Any], q: NDArray[Any], names: tuple[str, str] = ("p", "q")) -> None:
    """Raise unless the two distributions have the same number of outcomes and broadcastable batch shapes."""
    if p.shape[-1] != q.shape[-1]:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same number of outcomes on the last axis, "
            f"got {p.shape[-1]} and {q.shape[-1]}"
        )
    try:
        np.broadcast_shapes(p.shape, q.shape)
    except ValueError:
        raise ValueError(f"{names[0]} with shape {p.shape} and {names[1]} with shape {q.shape} do not broadcast") from None


def index(answer: ArrayLike, size: int, batch_shape: tuple[int, ...], name: str = "answer") -> NDArray[np.intp]:
    """Return ``answer`` as integer indices in ``[0, size)`` that broadcast against ``batch_shape``."""
    arr = np.asarray(answer)
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ValueError(f"{name} must be an integer index (or array of them), got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.floating):
        if not np.isfinite(arr).all() or (arr != np.round(arr)).any():
            raise ValueError(f"{name} must hold whole-number indices, got {arr!r}")
    if arr.size and (arr.min() < 0 or arr.max() >= size):
        raise ValueError(f"{name} must lie in [0, {size - 1}] for {size} outcomes, got values in [{arr.min()}, {arr.max()}]")
    try:
        np.broadcast_shapes(arr.shape, batch_shape)
    except ValueError:
        raise ValueError(f"{name} with shape {arr.shape} does not broadcast against the batch shape {batch_shape}") from None
    return arr.astype(np.intp)


def positive_int(n: Any, name: str, minimum: int = 1) -> int:
    """Return ``n`` as an ``int`` after checking it is a whole number ``>= minimum``."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        if isinstance(n, numbers.Real) and float(n).is_integer():
            n = int(n)
        else:
            raise ValueError(f"{name} must be a whole number >= {minimum}, got {n!r}")
    if n < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {n}")
    return int(n)


def positive_number(x: Any, name: str) -> float:
    """Return ``x`` as a float after checking it is a finite number ``> 0`` (a step size, a scale)."""
    _reject_text(x, name)
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number, got {x!r}") from None
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a positive number (finite, > 0), got {x!r}")
    return v


def open_unit(x: Any, name: str) -> float:
    """Return ``x`` as a float after checking it lies strictly between 0 and 1."""
    _reject_text(x, name)
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number strictly between 0 and 1, got {x!r}") from None
    if not np.isfinite(v) or not 0.0 < v < 1.0:
        raise ValueError(f"{name} must lie strictly between 0 and 1, got {x!r}")
    return v


def rng(generator: Any) -> np.random.Generator:
    """Return ``generator`` if it is a :class:`numpy.random.Generator`; randomness enters the book only this way."""
    if not isinstance(generator, np.random.Generator):
        raise ValueError(
            "rng must be a numpy.random.Generator, e.g. numpy.random.default_rng(0), "
            f"got {type(generator).__name__}"
        )
    return generator


def scalar_or_array(x: NDArray[np.float64]) -> float | NDArray[np.float64]:
    """Return a Python float for 0-d results and the array otherwise."""
    return float(x) if np.ndim(x) == 0 else x
