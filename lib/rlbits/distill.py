"""Expert iteration in miniature: distilling an amplified policy, compared with REINFORCE.

Setting (Chapter 5, "A toy expert iteration"). A task has ``M`` prompts, each with ``V`` possible
answers, some of them correct (a verifier knows which). The apprentice is a tabular softmax policy
``π(· | m) = softmax(z_m)``. Every iteration, for every prompt, the apprentice draws ``k`` answers and
the verifier grades them: ``k`` environment samples, each returning one binary reward. Three learners
use exactly these samples, from the same starting policy, with the same step size ``lr``:

- ``"reinforce"``: REINFORCE on the binary rewards with a leave-one-out baseline,
  ``z_m += lr · mean_i (r_i - b_i)(e_{a_i} - π)``;
- ``"soft"``: expert iteration with a soft target. A value head ``Q(m, a)`` stores the verifier's
  verdict on every answer tried so far (``q0`` for answers never tried). The *amplifier* is a one-step
  lookahead with this value head, ``π⁺(a | m) ∝ π(a | m) · exp(β Q(m, a))``; the apprentice takes a
  cross-entropy step towards it, ``z_m += lr · (π⁺ - π)``, as AlphaGo Zero's policy head does towards
  the search distribution;
- ``"hard"``: the same amplifier, but the apprentice is trained on one action drawn from ``π⁺``,
  ``z_m += lr · (e_{a*} - π)`` (the "chosen-action" target of Expert Iteration).

The soft target's entropy can reach ``log2 V`` bits per prompt, far more than the ``k`` binary rewards
(at most ``k`` bits); the difference is not information from the environment but the agent's own
computation on what it has stored (data-processing inequality). Everything is vectorised over runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate, information
from .gradients import softmax

__all__ = [
    "METHODS",
    "DistillCurves",
    "Task",
    "amplify",
    "make_task",
    "policy_target_bits_bound",
    "run_learning",
    "soft_target_cross_entropy",
    "value_target_bits_bound",
]

#: The three learners compared in Chapter 5.
METHODS: tuple[str, ...] = ("soft", "hard", "reinforce")


def soft_target_cross_entropy(target: ArrayLike, policy: ArrayLike) -> float | NDArray[np.float64]:
    """Cross-entropy ``-Σ_a t_a log2 π_a`` of a soft target ``t`` under the policy ``π``, in bits.

    The loss AlphaGo Zero's policy head minimises against the search distribution (there in nats).
    Over ``policy`` it is minimised exactly at ``policy = target``, where it equals the target's
    entropy (Gibbs' inequality); the excess is ``KL(t ‖ π)``. Shapes ``(..., V)``, broadcast.
    Chapter 5, "Bits per position".
    """
    return information.cross_entropy(target, policy)


def policy_target_bits_bound(n_moves: int = 362, n_positions: int = 1) -> float:
    """Upper bound on the entropy of ``n_positions`` soft policy targets over ``n_moves`` moves (bits).

    ``n_positions · log2(n_moves)``; ``log2 362 ≈ 8.50`` bits per Go position (361 points and a pass).
    An upper bound on label richness, not on information from the environment. Chapter 5, "Bits per
    position".
    """
    n = _validate.positive_int(n_moves, "n_moves", minimum=1)
    k = _validate.positive_int(n_positions, "n_positions", minimum=1)
    return float(k * np.log2(n))


def value_target_bits_bound(n_games: int = 1) -> float:
    """Upper bound on the information in ``n_games`` binary game outcomes: 1 bit each (bits).

    Chapter 5, "Bits per position".
    """
    return float(_validate.positive_int(n_games, "n_games", minimum=1))


@dataclass(frozen=True)
class Task:
    """A toy task: ``correct`` (M, V) booleans and the starting logits ``logits`` (M, V)."""

    correct: NDArray[np.bool_]
    logits: NDArray[np.float64]

    @property
    def start_pass_rates(self) -> NDArray[np.float64]:
        """Pass rate of the starting policy on each prompt."""
        return np.sum(softmax(self.logits) * self.correct, axis=-1)


def make_task(n_prompts: int, n_answers: int, rng: np.random.Generator, *, n_correct: int = 2,
              prior_scale: float = 2.0) -> Task:
    """Draw a toy task: ``n_correct`` correct answers per prompt among ``n_answers``, and a starting policy.

    Starting logits are ``prior_scale`` times standard normal draws, with the correct answers given the
    *lowest* logits of their prompt, so the starting pass rates are low and differ between prompts
    (a pretrained model that is confidently wrong). Chapter 5, "A toy expert iteration".
    """
    rng = _validate.rng(rng)
    M = _validate.positive_int(n_prompts, "n_prompts")
    V = _validate.positive_int(n_answers, "n_answers", minimum=2)
    c = _validate.positive_int(n_correct, "n_correct")
    if c >= V:
        raise ValueError(f"n_correct must be smaller than n_answers ({V}), got {c}")
    scale = float(prior_scale)
    if not np.isfinite(scale) or scale < 0:
        raise ValueError(f"prior_scale must be a finite number >= 0, got {prior_scale!r}")
    logits = scale * rng.standard_normal((M, V))
    order = np.argsort(logits, axis=1)  # ascending: the first c are the least likely answers
    correct = np.zeros((M, V), dtype=bool)
    np.put_along_axis(correct, order[:, :c], True, axis=1)
    return Task(correct, logits)


def amplify(policy: ArrayLike, values: ArrayLike, beta: float) -> NDArray[np.float64]:
    """The amplifier's improved distribution ``π⁺ ∝ π · exp(β Q)`` (one-step lookahead on a value head).

    ``policy``: distributions of shape ``(..., V)``; ``values``: the value head's estimates (same shape,
    broadcastable); ``beta >= 0``: how hard the lookahead trusts the values (``beta = 0`` returns the
    policy itself). Chapter 5, "A toy expert iteration".
    """
    pi = _validate.distribution(policy, "policy")
    q = np.asarray(values, dtype=np.float64)
    if not np.isfinite(q).all():
        raise ValueError("values contains NaN or an infinite value")
    b = float(beta)
    if not np.isfinite(b) or b < 0:
        raise ValueError(f"beta must be a finite number >= 0, got {beta!r}")
    logw = np.log(np.maximum(pi, np.finfo(np.float64).tiny)) + b * q
    logw = np.where(pi > 0, logw, -np.inf)
    w = np.exp(logw - logw.max(axis=-1, keepdims=True))
    return w / w.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class DistillCurves:
    """Learning curves of one learner, ``(n_runs, n_iterations + 1)`` arrays (column 0: the start).

    ``pass_rate``: exact pass rate of the policy, averaged over prompts. Per prompt and iteration,
    averaged over prompts: ``outcome_bits``, the expected information of one binary reward,
    ``H_b(p)`` (≤ 1 bit); ``soft_bits``, the entropy of the amplifier's target ``H(π⁺)`` (≤ log2 V);
    ``hard_bits``, the expected surprisal to the apprentice of the amplifier's chosen action,
    ``H(π⁺, π)`` (cross-entropy, bits). ``samples``: environment samples per prompt used so far.
    """

    method: str
    samples: NDArray[np.int64]
    pass_rate: NDArray[np.float64]
    outcome_bits: NDArray[np.float64]
    soft_bits: NDArray[np.float64]
    hard_bits: NDArray[np.float64]

    def mean_and_se(self, field: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Mean over runs of one curve and its standard error over runs (for error bands)."""
        if field not in ("pass_rate", "outcome_bits", "soft_bits", "hard_bits"):
            raise ValueError(f"field must name one of the curves, got {field!r}")
        arr = np.asarray(getattr(self, field), dtype=np.float64)
        n = arr.shape[0]
        se = arr.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.zeros(arr.shape[1])
        return arr.mean(axis=0), se


def _sample(probs: NDArray[np.float64], u: NDArray[np.float64]) -> NDArray[np.intp]:
    """Inverse-CDF sampling: ``probs`` (..., V), ``u`` (..., k) uniforms → indices (..., k)."""
    cdf = np.cumsum(probs, axis=-1)
    idx = (u[..., None] > cdf[..., None, :]).sum(axis=-1)
    return np.minimum(idx, probs.shape[-1] - 1)


def run_learning(task: Task, method: str, n_iterations: int, k: int, n_runs: int, rng: np.random.Generator,
                 *, learning_rate: float = 1.0, beta: float = 3.0, q0: float = 0.0) -> DistillCurves:
    """Train ``n_runs`` copies of the task's starting policy with ``method`` for ``n_iterations`` iterations.

    ``method``: ``"soft"``, ``"hard"`` or ``"reinforce"`` (see the module docstring). Each iteration
    spends ``k`` verifier calls per prompt (``k >= 2``; the REINFORCE baseline is the mean of the other
    ``k - 1`` rewards). ``beta``: amplification strength; ``q0``: the value head's estimate for answers
    never tried. Returns a :class:`DistillCurves`. Chapter 5, "A toy expert iteration".
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    rng = _validate.rng(rng)
    T = _validate.positive_int(n_iterations, "n_iterations")
    k = _validate.positive_int(k, "k", minimum=2)
    R = _validate.positive_int(n_runs, "n_runs")
    lr = _validate.positive_number(learning_rate, "learning_rate")
    beta = float(beta)
    if not np.isfinite(beta) or beta < 0:
        raise ValueError(f"beta must be a finite number >= 0, got {beta!r}")
    correct = np.asarray(task.correct, dtype=bool)
    M, V = correct.shape
    z = np.broadcast_to(np.asarray(task.logits, dtype=np.float64), (R, M, V)).copy()
    q = np.full((R, M, V), float(q0))
    eye = np.eye(V)
    shape = (R, T + 1)
    pass_rate, out_bits, soft_bits, hard_bits = (np.empty(shape) for _ in range(4))

    def record(t: int, pi: NDArray[np.float64], target: NDArray[np.float64]) -> None:
        p = np.sum(pi * correct, axis=-1)  # (R, M)
        pass_rate[:, t] = p.mean(axis=1)
        out_bits[:, t] = np.asarray(information.binary_entropy(np.clip(p, 0.0, 1.0))).mean(axis=1)
        soft_bits[:, t] = np.asarray(information.entropy(target)).mean(axis=1)
        hard_bits[:, t] = np.asarray(information.cross_entropy(target, pi)).mean(axis=1)

    rows = np.arange(R)[:, None, None]
    cols = np.arange(M)[None, :, None]
    for t in range(T):
        pi = softmax(z)
        record(t, pi, amplify(pi, q, beta))
        a = _sample(pi, rng.random((R, M, k)))  # (R, M, k) answers tried
        r = correct[np.arange(M)[None, :, None], a].astype(np.float64)  # verifier verdicts
        q[rows, cols, a] = r  # the value head remembers every verdict (deterministic verifier)
        if method == "reinforce":
            b = (r.sum(axis=-1, keepdims=True) - r) / (k - 1)
            grad = np.einsum("rmk,rmkv->rmv", r - b, eye[a] - pi[..., None, :]) / k
        else:
            target = amplify(pi, q, beta)
            if method == "soft":
                grad = target - pi
            else:
                choice = _sample(target, rng.random((R, M, 1)))[..., 0]
                grad = eye[choice] - pi
        z += lr * grad
    pi = softmax(z)
    record(T, pi, amplify(pi, q, beta))
    samples = np.arange(T + 1, dtype=np.int64) * k
    return DistillCurves(method, samples, pass_rate, out_bits, soft_bits, hard_bits)
