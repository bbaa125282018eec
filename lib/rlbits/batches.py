"""What a batch of pass/fail samples tells a learner about the correct answer, in bits.

Chapter 4, "What a batch can tell". Setting: one correct answer ``C`` among ``V``, uniformly distributed
(the learner knows nothing); a model that draws answers uniformly at random (an untrained model, pass
rate ``p = 1/V`` per draw); a verifier that says, for each drawn answer, whether it is correct. A batch
of ``n`` draws ``A_1 .. A_n`` with their rewards ``R_i = [A_i = C]`` carries

``I(C; batch) = H(C) - H(C | batch)``, at most ``H(C) = log2 V`` bits.

The rewards are independent *given* ``C``, not independent, so their per-sample entropies do not add
up to the batch's information: ``n · H_b(p)`` (:func:`reward_entropy_sum`) is only an upper bound, and
it exceeds ``log2 V`` once ``n`` is large. Given a batch without a success, ``C`` is uniform over the
answers not yet drawn; given a success, it is known. So the exact information depends on the number
``W`` of distinct wrong answers drawn:

``I(C; batch) = log2 V - (1 - 1/V)^n · E[log2(V - W)]``,

where, given no success, the ``n`` draws fall uniformly on the ``V - 1`` wrong answers and ``W`` has the
classical occupancy distribution (:func:`distinct_count_pmf`). :func:`batch_information` computes it;
:func:`batch_information_no_repeat` gives the learner that never repeats a wrong guess (``W = n``), and
:func:`simulate_batch_information` is a Monte Carlo check.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from . import _validate, information
from .distributions import sample_categorical, uniform

__all__ = [
    "batch_information",
    "batch_information_no_repeat",
    "distinct_count_pmf",
    "reward_entropy_sum",
    "simulate_batch_information",
]

# Occupancy probabilities below this fraction of the largest one are dropped from the recursion's window.
_TRIM = 1e-40


def _sizes(V: object, n: object) -> tuple[int, int]:
    V = _validate.positive_int(V, "V", minimum=2)
    n = _validate.positive_int(n, "n", minimum=0)
    if V > 10_000_000 or n > 10_000_000:
        raise ValueError(f"V and n must be at most 10,000,000, got V = {V}, n = {n}")
    return V, n


def reward_entropy_sum(V: int, n: int) -> float:
    """The sum of the ``n`` per-sample reward entropies, ``n · H_b(1/V)``, in bits: an upper bound, not the information.

    Parameters
    ----------
    V : int
        Number of possible answers (``>= 2``); one is correct and the model draws uniformly, so the
        pass rate of each draw is ``p = 1/V``.
    n : int
        Draws in the batch (``>= 0``).

    Returns
    -------
    float
        ``n · H_b(1/V)`` bits. It bounds ``I(C; batch)`` from above (the rewards' joint entropy is at most
        the sum of their entropies) but, unlike the information, it grows without limit in ``n``.

    Raises
    ------
    ValueError
        If ``V < 2``, ``n < 0``, either is not a whole number, or either exceeds 10,000,000.

    Notes
    -----
    Chapter 4, "What a batch can tell".
    """
    V, n = _sizes(V, n)
    return float(n * information.binary_entropy(1.0 / V))


def distinct_count_pmf(n_draws: int, n_cells: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Distribution of the number of distinct cells hit when ``n_draws`` draws fall uniformly on ``n_cells`` cells.

    Computed by the exact recursion over draws: a draw hits a new cell with probability
    ``(m - d)/m`` when ``d`` of the ``m`` cells are already hit. The recursion keeps a window of
    counts around the bulk of the distribution and drops probabilities below ``1e-40`` of the largest
    (their total is below ``1e-35``), so its cost is about ``n_draws`` times the width of the bulk.

    Parameters
    ----------
    n_draws : int
        Number of draws (``>= 0``).
    n_cells : int
        Number of equally likely cells (``>= 1``).

    Returns
    -------
    counts : numpy.ndarray of int64
        The numbers of distinct cells the returned probabilities belong to (consecutive).
    pmf : numpy.ndarray of float64
        Their probabilities (summing to 1 up to rounding).

    Raises
    ------
    ValueError
        If ``n_draws < 0`` or ``n_cells < 1``, either is not a whole number, or either exceeds 10,000,000.

    Notes
    -----
    Chapter 4, "What a batch can tell".
    """
    n = _validate.positive_int(n_draws, "n_draws", minimum=0)
    m = _validate.positive_int(n_cells, "n_cells", minimum=1)
    if n > 10_000_000 or m > 10_000_000:
        raise ValueError(f"n_draws and n_cells must be at most 10,000,000, got {n} and {m}")
    lo, pmf = 0, np.ones(1)  # before any draw: 0 cells hit, surely
    ramp = np.arange(min(n, m) + 66, dtype=np.float64)  # the window never outgrows this between trims
    for step in range(n):  # one step per draw: the recursion is sequential in the draws
        d = ramp[: pmf.size] + lo  # cells hit so far
        new = np.empty(pmf.size + 1)
        new[:-1] = pmf * d
        new[-1] = 0.0
        new[1:] += pmf * (m - d)
        pmf = new / m
        if step % 64 == 63 or step == n - 1:  # trim the window now and then: counts above m, negligible tails
            keep = np.flatnonzero(pmf >= _TRIM * pmf.max())
            hi = min(int(keep[-1]), m - lo)
            lo, pmf = lo + int(keep[0]), pmf[int(keep[0]): hi + 1]
    return np.arange(lo, lo + pmf.size, dtype=np.int64), pmf / pmf.sum()


def batch_information(V: int, n: int) -> float:
    """Exact information ``I(C; batch)`` in bits of ``n`` uniform draws and their pass/fail verdicts.

    ``log2 V - (1 - 1/V)^n · E[log2(V - W)]``, with ``W`` the number of distinct wrong answers among
    ``n`` draws on the ``V - 1`` wrong answers (:func:`distinct_count_pmf`). At most ``log2 V``.

    Parameters
    ----------
    V : int
        Number of possible answers (``>= 2``), one of them correct, uniformly distributed.
    n : int
        Draws in the batch, with replacement from the uniform model (``>= 0``).

    Returns
    -------
    float
        Bits the batch carries about the correct answer.

    Raises
    ------
    ValueError
        If ``V < 2``, ``n < 0``, either is not a whole number, or either exceeds 10,000,000.

    Notes
    -----
    Chapter 4, "What a batch can tell".
    """
    V, n = _sizes(V, n)
    counts, pmf = distinct_count_pmf(n, V - 1)
    no_success = math.exp(n * math.log1p(-1.0 / V))
    left = float(np.sum(pmf * np.log2(V - counts)))  # E[log2(V - W)] given no success
    return float(max(math.log2(V) - no_success * left, 0.0))


def batch_information_no_repeat(V: int, n: int) -> float:
    """``I(C; batch)`` in bits for a learner that never repeats a wrong guess: ``log2 V - (V - n)/V · log2(V - n)``.

    Each of the ``n`` draws is a fresh answer until the correct one is found (``W = n`` wrong answers
    ruled out when there is no success). Reaches ``log2 V`` at ``n = V - 1``.

    Parameters
    ----------
    V : int
        Number of possible answers (``>= 2``), one of them correct, uniformly distributed.
    n : int
        Guesses (``>= 0``); values above ``V - 1`` give ``log2 V``.

    Returns
    -------
    float
        Bits the guesses and their verdicts carry about the correct answer.

    Raises
    ------
    ValueError
        If ``V < 2``, ``n < 0``, either is not a whole number, or either exceeds 10,000,000.

    Notes
    -----
    Chapter 4, "What a batch can tell".
    """
    V, n = _sizes(V, n)
    left = V - min(n, V - 1)
    return float(math.log2(V) - left / V * math.log2(left))


def simulate_batch_information(V: int, n: int, batches: int, *, rng: np.random.Generator) -> tuple[float, float]:
    """Monte Carlo of :func:`batch_information`: ``log2 V`` minus the mean posterior entropy of ``C``, and its standard error.

    Each batch draws a correct answer and ``n`` answers uniformly (with
    :func:`rlbits.distributions.sample_categorical`); the posterior of ``C`` given the batch is a point
    mass after a success and uniform over the ``V - D`` answers not drawn otherwise, with entropy
    ``log2(V - D)``.

    Parameters
    ----------
    V : int
        Number of possible answers (``>= 2``).
    n : int
        Draws per batch (``>= 1``).
    batches : int
        Number of independent batches (``>= 2``); ``batches · n`` must be at most 50 million.
    rng : numpy.random.Generator
        Source of randomness (keyword-only).

    Returns
    -------
    estimate : float
        Estimated bits per batch.
    se : float
        Its standard error over batches.

    Raises
    ------
    ValueError
        If a size is out of range or ``rng`` is not a Generator.

    Notes
    -----
    Chapter 4, "What a batch can tell".
    """
    V, n = _sizes(V, n)
    n = _validate.positive_int(n, "n")
    B = _validate.positive_int(batches, "batches", minimum=2)
    if B * n > 50_000_000:
        raise ValueError(f"batches * n must be at most 50 million, got {B * n}")
    rng = _validate.rng(rng)
    model = uniform(V)
    answer = sample_categorical(model, B, rng=rng)  # the correct answer of each batch
    draws = np.sort(sample_categorical(model, B * n, rng=rng).reshape(B, n), axis=1)
    distinct = 1 + np.count_nonzero(np.diff(draws, axis=1), axis=1)
    hit = (draws == answer[:, None]).any(axis=1)
    posterior_bits = np.where(hit, 0.0, np.log2(V - distinct))
    return float(math.log2(V) - posterior_bits.mean()), float(posterior_bits.std(ddof=1) / math.sqrt(B))
