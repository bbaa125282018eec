"""Summaries of simulations over independent runs: the mean and its standard error.

Used by the learning curves of Chapter 5 (:class:`rlbits.selfplay.SelfPlayCurves`,
:class:`rlbits.distill.DistillCurves`) and their figures' error bands.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["mean_and_se"]


def mean_and_se(values: ArrayLike, axis: int = 0) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mean over independent runs and its standard error, ``std(ddof=1) / sqrt(n)``.

    Parameters
    ----------
    values : array_like
        Finite numbers; the runs lie along ``axis``.
    axis : int, optional
        The axis of independent runs (default 0).

    Returns
    -------
    mean : numpy.ndarray
        The mean over runs (``axis`` removed).
    se : numpy.ndarray
        Its standard error over runs; zeros when there is only one run.

    Raises
    ------
    ValueError
        If ``values`` is empty, not numeric, holds NaN or inf, or has no axis ``axis``.

    Notes
    -----
    Chapter 5, "Self-play and the outcome signal" and "A toy expert iteration" (error bands of two
    standard errors).
    """
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"values must be numeric, got {type(values).__name__}") from None
    if arr.ndim == 0 or arr.size == 0:
        raise ValueError(f"values must be a non-empty array with an axis of runs, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("values contains NaN or an infinite value")
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"axis {axis} is out of range for values of shape {arr.shape}")
    n = arr.shape[axis]
    mean = arr.mean(axis=axis)
    se = arr.std(axis=axis, ddof=1) / np.sqrt(n) if n > 1 else np.zeros_like(mean)
    return mean, se
