"""A curriculum in miniature, and the bits a graded reward can carry.

Chapter 4 ("A curriculum in miniature" and "Bram Cohen's two claims"): a tabular softmax learner
trained by REINFORCE on tasks of one to ``L`` parts, with a binary or a graded reward, on a fixed
hard task or on a curriculum that aims at a target pass rate.

Every function validates its input and raises :class:`ValueError` with a message that says what was
wrong. Randomness enters only through a keyword-only ``rng`` argument.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate, information
from .distributions import sample_categorical
from .sampling import _int_array

__all__ = [
    "CurriculumRun",
    "graded_reward_bits",
    "max_reward_bits",
    "simulate_curriculum",
]

FloatOrArray = float | NDArray[np.float64]


# ---------------------------------------------------------------------------------------------
# graded rewards


def max_reward_bits(levels: ArrayLike) -> FloatOrArray:
    """Upper bound ``log2 B`` in bits on what one reward with ``B`` possible values can carry.

    Reached only when all ``B`` values are equally likely. Chapter 4, "Bram Cohen's two claims".

    Parameters
    ----------
    levels : array_like
        Numbers of possible reward values ``B``, whole numbers >= 1.

    Returns
    -------
    float or numpy.ndarray
        ``log2 B`` bits.

    Raises
    ------
    ValueError
        If ``levels`` holds a number below 1 or not whole.
    """
    la = _int_array(levels, "levels", minimum=1)
    return _validate.scalar_or_array(np.log2(la.astype(float)))


def graded_reward_bits(q: ArrayLike) -> float:
    """Entropy in bits of the number of correct parts when part ``i`` is right with probability ``q_i``
    independently (a Poisson-binomial count with ``L + 1`` levels; at most ``log2(L + 1)`` bits).

    This is the information in a graded reward "fraction of parts right"; the binary reward "all
    parts right" carries ``H_b(Π q_i)``. Chapter 4, "Bram Cohen's two claims".

    Parameters
    ----------
    q : array_like
        1-D per-part success probabilities in [0, 1].

    Returns
    -------
    float
        The entropy of the count of right parts, in bits.

    Raises
    ------
    ValueError
        If ``q`` is not 1-D or holds values outside [0, 1].
    """
    qa = _validate.probability(q, "q")
    if qa.ndim != 1:
        raise ValueError(f"q must be a 1-D array of per-part success probabilities, got shape {qa.shape}")
    pmf = np.ones(1)
    for qi in qa:  # convolution over the L parts (L is small)
        pmf = np.convolve(pmf, [1.0 - qi, qi])
    return float(information.entropy(np.clip(pmf, 0.0, 1.0) / pmf.sum()))


def _count_entropy_bits(q: NDArray[np.float64], active: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Entropy (bits) of the number of right parts among the active ones, for each row (vectorised)."""
    R, L = q.shape
    pmf = np.zeros((R, L + 1))
    pmf[:, 0] = 1.0
    for i in range(L):  # dynamic programme over the L parts (L is small), all rows at once
        qi = np.where(active[:, i], q[:, i], 0.0)[:, None]
        shifted = np.concatenate([np.zeros((R, 1)), pmf[:, :-1]], axis=1)
        pmf = pmf * (1.0 - qi) + shifted * qi
    return np.asarray(information.entropy(np.clip(pmf, 0.0, 1.0) / pmf.sum(axis=1, keepdims=True)))


# ---------------------------------------------------------------------------------------------
# a curriculum in miniature


@dataclass(frozen=True)
class CurriculumRun:
    """Result of :func:`simulate_curriculum` (``R`` independent runs, ``S`` steps, batch ``B``).

    - ``target_pass_rate`` (S + 1, R): exact pass rate of the hardest task (all ``L`` parts) before
      each step and at the end;
    - ``task_length`` (S, R): number of parts of the task trained on at each step;
    - ``train_pass_rate`` (S, R): exact pass rate of that task when it was sampled;
    - ``successes`` (S, R): successful samples in the batch (binary reward "all parts right");
    - ``informative`` (S, R): samples whose advantage is non-zero (reward differs from the batch mean);
    - ``signal_bits`` (S, R): entropy of the reward of one sample of the trained task, in bits —
      ``H_b(p)`` for the binary reward, the count entropy for the graded one;
    - ``batch_size``, ``schedule``, ``reward``: the settings.

    Chapter 4, "A curriculum in miniature".

    Parameters
    ----------
    target_pass_rate : numpy.ndarray
        Pass rate of the hardest task, shape ``(S + 1, R)``.
    task_length : numpy.ndarray
        Parts of the task trained on at each step, shape ``(S, R)``.
    train_pass_rate : numpy.ndarray
        Pass rate of the trained task when sampled, shape ``(S, R)``.
    successes, informative : numpy.ndarray
        Successful and informative samples per batch (counts), shape ``(S, R)``.
    signal_bits : numpy.ndarray
        Entropy of one sample's reward (bits), shape ``(S, R)``.
    batch_size : int
        Samples per step ``B``.
    schedule : str
        ``"curriculum"`` or ``"fixed"``.
    reward : str
        ``"binary"`` or ``"graded"``.

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
    """

    target_pass_rate: NDArray[np.float64]
    task_length: NDArray[np.int64]
    train_pass_rate: NDArray[np.float64]
    successes: NDArray[np.int64]
    informative: NDArray[np.int64]
    signal_bits: NDArray[np.float64]
    batch_size: int
    schedule: str
    reward: str


def simulate_curriculum(
    *,
    V: int = 8,
    L: int = 5,
    steps: int = 300,
    batch_size: int = 32,
    runs: int = 16,
    lr: float = 1.0,
    schedule: str = "curriculum",
    target: float = 0.5,
    reward: str = "binary",
    rng: np.random.Generator,
) -> CurriculumRun:
    """Train a tabular softmax learner with REINFORCE on tasks of ``1..L`` parts; return what it saw.

    The learner has one softmax over ``V`` options for each of ``L`` parts (logits ``(L, V)``, all
    zero at the start, so each part is right with probability ``1/V``). Task ``ℓ`` asks for the first
    ``ℓ`` parts; with the binary reward it pays 1 only if all ``ℓ`` are right, so its pass rate is
    ``Π_{i<ℓ} π_i(correct)`` (``V^{-ℓ}`` at the start). With ``reward="graded"`` it pays the fraction
    of the ``ℓ`` parts that are right (``ℓ + 1`` levels).

    ``schedule``: ``"fixed"`` always trains the hardest task ``ℓ = L``; ``"curriculum"`` trains, in
    each run and at each step, the task whose current pass rate is closest to ``target`` (a
    Goldilocks curriculum; pass rates are exact in this toy). Each step samples ``batch_size``
    answers per run and applies REINFORCE with the batch-mean reward as baseline,
    ``z_i += lr · mean_b (R_b - R̄)(e_{a_{b,i}} - π_i)``. ``runs`` independent runs are simulated
    at once (vectorised). Chapter 4, "A curriculum in miniature".

    Parameters
    ----------
    V, L : int, optional
        Options per part (>= 2) and parts (>= 1).
    steps, batch_size, runs : int, optional
        Training steps, samples per step (>= 2) and independent runs.
    lr : float, optional
        Step size (> 0).
    schedule : {"curriculum", "fixed"}, optional
        Task choice.
    target : float, optional
        The pass rate the curriculum aims at, strictly between 0 and 1.
    reward : {"binary", "graded"}, optional
        The reward.
    rng : numpy.random.Generator
        Source of randomness (keyword-only).

    Returns
    -------
    CurriculumRun
        What the learners saw and how their pass rate on the hardest task evolved.

    Raises
    ------
    ValueError
        If a setting is out of range or unknown, the simulation is too large, or ``rng`` is not a Generator.
    """
    V = _validate.positive_int(V, "V", minimum=2)
    L = _validate.positive_int(L, "L")
    steps = _validate.positive_int(steps, "steps")
    B = _validate.positive_int(batch_size, "batch_size", minimum=2)
    R = _validate.positive_int(runs, "runs")
    lr = _validate.positive_number(lr, "lr")
    if schedule not in ("fixed", "curriculum"):
        raise ValueError(f"schedule must be 'fixed' or 'curriculum', got {schedule!r}")
    if reward not in ("binary", "graded"):
        raise ValueError(f"reward must be 'binary' or 'graded', got {reward!r}")
    target = _validate.open_unit(target, "target")
    if R * B * L * V > 20_000_000:
        raise ValueError("runs * batch_size * L * V is too large (at most 20 million)")
    rng = _validate.rng(rng)

    z = np.zeros((R, L, V))  # option 0 is the correct one for every part (no loss of generality)
    lengths = np.arange(1, L + 1)
    out = {k: np.zeros((steps, R)) for k in ("task", "p_train", "succ", "info", "bits")}
    target_pr = np.zeros((steps + 1, R))
    ar_r = np.arange(R)[:, None, None]
    ar_l = np.arange(L)[None, None, :]
    for s in range(steps):
        pi = np.exp(z - z.max(axis=-1, keepdims=True))
        pi /= pi.sum(axis=-1, keepdims=True)
        q = pi[:, :, 0]  # (R, L): chance each part is right
        task_pr = np.cumprod(q, axis=1)  # (R, L): pass rate of task ℓ = 1..L
        target_pr[s] = task_pr[:, -1]
        if schedule == "fixed":
            ell = np.full(R, L)
        else:
            ell = lengths[np.argmin(np.abs(task_pr - target), axis=1)]
        active = ar_l[0, 0][None, :] < ell[:, None]  # (R, L): parts in the task
        a = np.swapaxes(sample_categorical(pi, B, rng=rng), 1, 2)  # (R, B, L): answers for all parts
        right = a == 0
        n_right = (right & active[:, None, :]).sum(axis=-1)  # (R, B)
        all_right = n_right == ell[:, None]
        rew = all_right.astype(float) if reward == "binary" else n_right / ell[:, None]
        adv = rew - rew.mean(axis=1, keepdims=True)  # (R, B)
        # gradient: mean_b adv_b (e_{a_bi} - π_i) on active parts
        onehot = np.zeros((R, B, L, V))
        onehot[ar_r, np.arange(B)[None, :, None], ar_l, a] = 1.0
        grad = np.einsum("rb,rblv->rlv", adv, onehot) / B  # the -π part vanishes: Σ_b adv_b = 0
        z += lr * grad * active[:, :, None]
        p_now = task_pr[ar_r[:, 0, 0], ell - 1]
        out["task"][s] = ell
        out["p_train"][s] = p_now
        out["succ"][s] = all_right.sum(axis=1)
        out["info"][s] = (np.abs(adv) > 1e-12).sum(axis=1)
        if reward == "binary":
            out["bits"][s] = np.asarray(information.binary_entropy(p_now))
        else:
            out["bits"][s] = _count_entropy_bits(q, active)
    pi = np.exp(z - z.max(axis=-1, keepdims=True))
    pi /= pi.sum(axis=-1, keepdims=True)
    target_pr[steps] = np.prod(pi[:, :, 0], axis=1)
    return CurriculumRun(
        target_pass_rate=target_pr,
        task_length=out["task"].astype(np.int64),
        train_pass_rate=out["p_train"],
        successes=out["succ"].astype(np.int64),
        informative=out["info"].astype(np.int64),
        signal_bits=out["bits"],
        batch_size=B,
        schedule=schedule,
        reward=reward,
    )
