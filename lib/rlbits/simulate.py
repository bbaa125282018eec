"""Monte Carlo of what a learner observes: an SL label or an RL pass/fail reward.

Each simulated sample draws the correct answer ``C`` (fixed, or from the model's own
distribution) and, for RL, a guess ``A ~ probs``; the learner observes the label (SL) or the
reward ``R = 1[A = C]`` (RL), and we record the surprisal of what it observed under its own
model: ``-log2 p_C`` for a label; ``-log2 p_A`` for a success; ``-log2(1 - p_A)`` for a failure.
Averages converge to the closed forms of :mod:`rlbits.information`. Chapter 2, "Evidence three
ways".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate, distributions, information

__all__ = ["BitsEstimate", "monte_carlo_bits", "observed_bits"]


def observed_bits(
    probs: ArrayLike, n: int, *, rng: np.random.Generator, answer: int | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Simulate ``n`` samples; return the bits each SL and each RL sample observed, shape ``(n,)``.

    ``probs``: the model's distribution over ``V`` answers (shape ``(V,)``). ``answer``: the
    index of the correct answer, fixed for every sample (Yorwba's conditional view), or ``None``
    to draw it from ``probs`` for each sample (Niels Rolf's calibrated view).

    Parameters
    ----------
    probs : array_like, shape (V,)
        The model's distribution.
    n : int
        Number of samples.
    rng : numpy.random.Generator
        The source of randomness (keyword-only).
    answer : int, optional
        Fixed correct answer; ``None`` draws it from ``probs`` for every sample.

    Returns
    -------
    tuple of numpy.ndarray
        ``(sl, rl)``: the bits each SL and each RL sample observed, shape ``(n,)``.

    Raises
    ------
    ValueError
        If ``probs`` is not one distribution, ``n`` is not a positive integer, ``rng`` is not a
        Generator, or ``answer`` is not an index with positive probability.
    """
    arr = _validate.distribution(probs, "probs")
    if arr.ndim != 1:
        raise ValueError(f"probs must be one distribution (shape (V,)), got shape {arr.shape}")
    n = _validate.positive_int(n, "n")
    rng = _validate.rng(rng)
    arr = arr / arr.sum()  # an exact sum (within the validated tolerance), as before
    V = arr.size
    if answer is None:
        correct = distributions.sample_categorical(arr, n, rng=rng)  # the draws of rng.choice(V, n, p=arr)
    else:
        idx = _validate.index(answer, V, (), "answer")
        if arr[idx] == 0:
            raise ValueError("the correct answer has probability 0: its surprisal is infinite")
        correct = np.full(n, int(idx))
    guess = distributions.sample_categorical(arr, n, rng=rng)
    surprisal = np.asarray(information.surprisal(arr))
    not_j = information._neg_log2_one_minus(arr, information._complements(arr[None, :])[0])
    sl = surprisal[correct]
    success = guess == correct
    rl = np.where(success, surprisal[guess], not_j[guess])
    return sl, rl


@dataclass(frozen=True)
class BitsEstimate:
    """Monte Carlo means of SL and RL bits per sample, with their standard errors (bits).

    Returned by :func:`monte_carlo_bits`; Chapter 2, "Evidence three ways".

    Parameters
    ----------
    n : int
        Number of samples averaged.
    sl_mean, sl_se : float
        Mean SL bits per sample and its standard error (bits).
    rl_mean, rl_se : float
        Mean RL bits per sample and its standard error (bits).

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
    """

    n: int
    sl_mean: float
    sl_se: float
    rl_mean: float
    rl_se: float


def monte_carlo_bits(
    probs: ArrayLike, n: int, *, rng: np.random.Generator, answer: int | None = None
) -> BitsEstimate:
    """Average :func:`observed_bits` over ``n`` samples; report means and standard errors.

    Parameters
    ----------
    probs : array_like, shape (V,)
        The model's distribution.
    n : int
        Number of samples.
    rng : numpy.random.Generator
        The source of randomness (keyword-only).
    answer : int, optional
        Fixed correct answer; ``None`` draws it from ``probs``.

    Returns
    -------
    BitsEstimate
        Means and standard errors of the SL and RL bits per sample.

    Raises
    ------
    ValueError
        As :func:`observed_bits`.
    """
    sl, rl = observed_bits(probs, n, rng=rng, answer=answer)
    root_n = np.sqrt(sl.size)
    se = (lambda x: float(x.std(ddof=1) / root_n)) if sl.size > 1 else (lambda x: float("nan"))
    return BitsEstimate(sl.size, float(sl.mean()), se(sl), float(rl.mean()), se(rl))
