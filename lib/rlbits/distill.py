"""Expert iteration in miniature, and what a training target tells a learner, in bits.

Chapter 5 ("What a target tells the apprentice" and "A toy expert iteration").

**Information in a target.** A soft target ``t`` (a distribution over moves) is not worth its entropy
``H(t)``: a uniform target has the largest entropy and tells the learner nothing. Two measures replace it:

- :func:`target_information`: ``KL(t ‖ π)``, the excess code length (bits) that the learner with policy
  ``π`` removes by matching the target, i.e. how much the target asks it to change. Zero when the target
  is the learner's own policy; ``-log2 π(a)`` for a one-hot target on ``a``.
- :func:`answer_information`: ``I(C; T)``, the mutual information (bits) between the correct move ``C``
  (drawn from a prior) and the target ``T`` a teacher emits for it. At most ``H(C)``; zero for a target that
  does not depend on ``C`` (a uniform target, whatever its entropy).

**Environment bits, counted as in Chapter 2.** The verifier's verdicts on a prompt carry information about
which answers are correct. Under a uniform prior over the sets of ``n_correct`` correct answers, a batch of
queries carries ``log2 N_before - log2 N_after`` bits, where ``N`` counts the correct sets consistent with
every verdict so far (:func:`verdict_bits`). A query whose verdict is already known carries 0 bits; the
total over any run is at most ``log2 C(V, n_correct)``.

**The toy.** A task has ``M`` prompts, each with ``V`` possible answers, ``n_correct`` of them correct. The
apprentice is a tabular softmax policy ``π(· | m) = softmax(z_m)``. Every iteration, for every prompt, it
draws ``k`` answers and the verifier grades them. A value head ``Q(m, a)`` remembers every verdict (``q0``
for answers never tried). Four learners use exactly these samples, from the same start:

- ``"reinforce"``: REINFORCE on the ``k`` fresh rewards, leave-one-out baseline, no memory:
  ``z_m += lr · mean_i (r_i - b_i)(e_{a_i} - π)``;
- ``"memory_pg"`` (REINFORCE with memory, the control): the expected REINFORCE update with every
  remembered verdict (and ``q0`` for untried answers) as reward, ``z_m += lr · π ⊙ (Q - ⟨π, Q⟩)``;
- ``"soft"``: expert iteration with a soft target. The amplifier is a one-step lookahead on the value head,
  ``π⁺ ∝ π · exp(β Q)``, and the apprentice takes a cross-entropy step ``z_m += lr · (π⁺ - π)``. To first
  order in ``β`` this is ``β`` times the ``"memory_pg"`` update;
- ``"hard"``: the same amplifier, but the apprentice is trained on the move the search chose,
  ``a* = argmax π⁺`` (Expert Iteration's chosen-action target): ``z_m += lr · (e_{a*} - π)``.

Everything is vectorised over runs and prompts; the only loop is over iterations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln

from . import _validate, information
from .distributions import sample_categorical
from .gradients import softmax
from .summary import mean_and_se

__all__ = [
    "METHODS",
    "DistillCurves",
    "Task",
    "amplify",
    "answer_information",
    "consistent_sets_log2",
    "elimination_queries",
    "join_tasks",
    "make_task",
    "run_learning",
    "simulate_elimination",
    "smoothed_teacher_targets",
    "sweep",
    "soft_target_cross_entropy",
    "target_information",
    "value_target_bits_bound",
    "verdict_bits",
]

#: The four learners compared in Chapter 5.
METHODS: tuple[str, ...] = ("soft", "hard", "memory_pg", "reinforce")


def soft_target_cross_entropy(target: ArrayLike, policy: ArrayLike) -> float | NDArray[np.float64]:
    """Cross-entropy ``-Σ_a t_a log2 π_a`` of a soft target ``t`` under the policy ``π``, in bits.

    The loss AlphaGo Zero's policy head minimises against the search distribution (there in nats).
    It equals ``H(t) + KL(t ‖ π)``: only the KL part depends on the learner (Gibbs' inequality).
    Shapes ``(..., V)``, broadcast. Chapter 5, "What a target tells the apprentice".

    Parameters
    ----------
    target, policy : array_like
        Distributions on the last axis (broadcast).

    Returns
    -------
    float or numpy.ndarray
        Bits.

    Raises
    ------
    ValueError
        If either is not a distribution.
    """
    return information.cross_entropy(target, policy)


def target_information(target: ArrayLike, policy: ArrayLike) -> float | NDArray[np.float64]:
    """What a soft target tells a learner with policy ``policy``: ``KL(target ‖ policy)`` in bits.

    The excess code length the learner removes by matching the target (cross-entropy minus the
    target's entropy). Zero when the target equals the policy, whatever its entropy; for a one-hot
    target on move ``a`` it is the surprisal ``-log2 π(a)``. Shapes ``(..., V)``, broadcast.
    Chapter 5, "What a target tells the apprentice".

    Parameters
    ----------
    target, policy : array_like
        Distributions on the last axis (broadcast).

    Returns
    -------
    float or numpy.ndarray
        ``KL(target ‖ policy)`` in bits (infinite where the policy rules out a target move).

    Raises
    ------
    ValueError
        If either is not a distribution.
    """
    return information.kl_divergence(target, policy)


def answer_information(prior: ArrayLike, targets: ArrayLike) -> float:
    """Information ``I(C; T)`` in bits that a teacher's target carries about the correct move ``C``.

    ``prior`` (V,): the distribution of the correct move ``C``; ``targets`` (V, K): row ``c`` is the
    target the teacher emits when the correct move is ``c`` (a deterministic teacher). Targets that are
    exactly equal cannot be told apart, so ``I(C; T) = H(T)``, the entropy of ``C`` grouped by identical
    rows: ``H(C)`` when every row differs, 0 when every row is the same (e.g. a uniform target).
    The target's own entropy plays no part. Chapter 5, "What a target tells the apprentice".

    Parameters
    ----------
    prior : array_like, shape (V,)
        Distribution of the correct move.
    targets : array_like, shape (V, K)
        Row ``c``: the target emitted when ``c`` is correct.

    Returns
    -------
    float
        ``I(C; T)`` in bits.

    Raises
    ------
    ValueError
        If ``prior`` or a row of ``targets`` is not a distribution, or the shapes disagree.
    """
    pc = _validate.distribution(prior, "prior")
    if pc.ndim != 1:
        raise ValueError(f"prior must be one distribution (1-D), got shape {pc.shape}")
    t = np.asarray(_validate.distribution(targets, "targets"))
    if t.ndim != 2 or t.shape[0] != pc.shape[0]:
        raise ValueError(f"targets must have one row per move, shape ({pc.shape[0]}, K), got {t.shape}")
    rows = np.ascontiguousarray(t + 0.0)  # + 0.0: -0.0 and 0.0 are the same target
    keys = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()  # each row as one key
    _, inverse = np.unique(keys, return_inverse=True)
    inverse = np.asarray(inverse).ravel()
    grouped = np.bincount(inverse, weights=pc)  # P(T = each distinct target)
    return float(information.entropy(grouped / grouped.sum()))  # I(C; T) = H(T) for a deterministic teacher


def smoothed_teacher_targets(n_moves: int, smoothing: ArrayLike) -> NDArray[np.float64]:
    """Targets of a teacher that knows the correct move ``c`` and emits ``(1 - ε) e_c + ε / V``.

    Returns shape ``(..., V, V)`` (one ``V × V`` table per ``ε`` in ``smoothing``; row ``c`` is the
    target for correct move ``c``). ``ε = 0``: one-hot targets; ``ε = 1``: the uniform target whatever
    the move. Chapter 5, "What a target tells the apprentice".

    Parameters
    ----------
    n_moves : int
        Number of moves ``V`` (>= 2).
    smoothing : array_like
        Smoothing ``ε`` in [0, 1].

    Returns
    -------
    numpy.ndarray
        Shape ``smoothing.shape + (V, V)``.

    Raises
    ------
    ValueError
        If ``n_moves < 2`` or ``smoothing`` is outside [0, 1].
    """
    V = _validate.positive_int(n_moves, "n_moves", minimum=2)
    eps = _validate.probability(smoothing, "smoothing")[..., None, None]
    return (1.0 - eps) * np.eye(V) + eps / V


def value_target_bits_bound(n_games: int = 1) -> float:
    """Upper bound on the information in ``n_games`` binary game outcomes: 1 bit each (bits).

    For a binary outcome the entropy does bound the information about it. Chapter 5, "What a target
    tells the apprentice".

    Parameters
    ----------
    n_games : int, optional
        Number of games (>= 1).

    Returns
    -------
    float
        ``n_games`` bits.

    Raises
    ------
    ValueError
        If ``n_games < 1``.
    """
    return float(_validate.positive_int(n_games, "n_games", minimum=1))


def consistent_sets_log2(n_unknown: ArrayLike, n_right_left: ArrayLike) -> float | NDArray[np.float64]:
    """``log2 C(n_unknown, n_right_left)``: bits of uncertainty left about which answers are correct.

    With ``n_unknown`` answers whose verdict is not yet known and ``n_right_left`` correct answers
    still among them, a uniform prior over the correct sets leaves this many equally likely sets.
    Broadcasts; whole numbers with ``0 <= n_right_left <= n_unknown``. Chapter 5, "A toy expert iteration".

    Parameters
    ----------
    n_unknown : array_like
        Answers whose verdict is unknown.
    n_right_left : array_like
        Correct answers among them.

    Returns
    -------
    float or numpy.ndarray
        ``log2 C(n_unknown, n_right_left)`` bits.

    Raises
    ------
    ValueError
        If the counts are not whole numbers with ``0 <= n_right_left <= n_unknown``.
    """
    u = np.asarray(n_unknown, dtype=np.float64)
    r = np.asarray(n_right_left, dtype=np.float64)
    if np.any(u < 0) or np.any(r < 0) or np.any(r > u) or np.any(u != np.round(u)) or np.any(r != np.round(r)):
        raise ValueError("need whole numbers with 0 <= n_right_left <= n_unknown")
    out = (gammaln(u + 1) - gammaln(r + 1) - gammaln(u - r + 1)) / np.log(2.0)
    return _validate.scalar_or_array(np.maximum(out, 0.0))


def verdict_bits(correct: ArrayLike, tried_before: ArrayLike, tried_after: ArrayLike) -> float | NDArray[np.float64]:
    """Bits the verifier's verdicts revealed, ``log2 N_before - log2 N_after`` (conditional information).

    ``correct`` (..., V) booleans: which answers are correct; ``tried_before`` and ``tried_after``
    (..., V) booleans: answers whose verdict was known before and after a batch of queries (after ⊇
    before). ``N`` counts the sets of ``correct.sum(-1)`` answers consistent with the known verdicts
    (uniform prior over such sets, :func:`consistent_sets_log2`). A query whose verdict is already known
    adds nothing; the total over a whole run is at most ``log2 C(V, n_correct)``. Its average over the
    prior is ``I(C; R | history)``. Chapter 5, "A toy expert iteration".

    Parameters
    ----------
    correct : array_like of bool, shape (..., V)
        Which answers are correct.
    tried_before, tried_after : array_like of bool, shape (..., V)
        Answers with a known verdict before and after the queries.

    Returns
    -------
    float or numpy.ndarray
        Bits revealed, ``>= 0``.

    Raises
    ------
    ValueError
        If the shapes differ or ``tried_after`` misses an answer of ``tried_before``.
    """
    c = np.asarray(correct, dtype=bool)
    before = np.asarray(tried_before, dtype=bool)
    after = np.asarray(tried_after, dtype=bool)
    if not (c.shape == before.shape == after.shape):
        raise ValueError(f"correct, tried_before and tried_after must have one shape, got {c.shape}, "
                         f"{before.shape}, {after.shape}")
    if np.any(before & ~after):
        raise ValueError("tried_after must contain every answer in tried_before (verdicts are not forgotten)")
    n_c = c.sum(axis=-1)

    def log2_n(known: NDArray[np.bool_]) -> NDArray[np.float64]:
        unknown = (~known).sum(axis=-1)
        right_left = n_c - (known & c).sum(axis=-1)
        return np.asarray(consistent_sets_log2(unknown, right_left))

    return _validate.scalar_or_array(np.maximum(log2_n(before) - log2_n(after), 0.0))


@dataclass(frozen=True)
class Task:
    """A toy task: ``correct`` (M, V) booleans and the starting logits ``logits`` (M, V).

    Built by :func:`make_task`; Chapter 5, "A toy expert iteration".

    Parameters
    ----------
    correct : numpy.ndarray
        Boolean, shape ``(M, V)``: which of the ``V`` answers to each of the ``M`` prompts are correct.
    logits : numpy.ndarray
        The starting policy's logits, shape ``(M, V)``.

    Raises
    ------
    ValueError
        Never: a record built by :func:`make_task`; its fields are stored as given.
    """

    correct: NDArray[np.bool_]
    logits: NDArray[np.float64]

    @property
    def start_pass_rates(self) -> NDArray[np.float64]:
        """Pass rate of the starting policy on each prompt."""
        return np.sum(softmax(self.logits) * self.correct, axis=-1)


def make_task(n_prompts: int, n_answers: int, *, rng: np.random.Generator, n_correct: int = 2,
              prior_scale: float = 2.0, correct_ranks: str = "lowest") -> Task:
    """Draw a toy task: ``n_correct`` correct answers per prompt among ``n_answers``, and a starting policy.

    Parameters
    ----------
    n_prompts : int
        Number of prompts ``M`` (``>= 1``).
    n_answers : int
        Possible answers per prompt ``V`` (``>= 2``).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    n_correct : int, optional
        Correct answers per prompt (``1 <= n_correct < n_answers``).
    prior_scale : float, optional
        The starting logits are ``prior_scale`` times standard normal draws (``>= 0``).
    correct_ranks : {"lowest", "random"}, optional
        ``"lowest"``: the correct answers get the *lowest* logits of their prompt, so the starting pass
        rates are low (a pretrained model that is confidently wrong); ``"random"``: they are drawn
        uniformly among the answers, whatever their logits.

    Returns
    -------
    Task
        The correct answers ``(M, V)`` and the starting logits ``(M, V)``.

    Raises
    ------
    ValueError
        If a size is out of range, ``prior_scale`` is negative or not finite, ``correct_ranks`` is
        unknown, or ``rng`` is not a Generator.

    Notes
    -----
    Chapter 5, "A toy expert iteration".
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
    if correct_ranks not in ("lowest", "random"):
        raise ValueError(f"correct_ranks must be 'lowest' or 'random', got {correct_ranks!r}")
    logits = scale * rng.standard_normal((M, V))
    if correct_ranks == "lowest":
        order = np.argsort(logits, axis=1)  # ascending: the first c are the least likely answers
    else:
        order = np.argsort(rng.random((M, V)), axis=1)  # a uniformly random set of c answers
    correct = np.zeros((M, V), dtype=bool)
    np.put_along_axis(correct, order[:, :c], True, axis=1)
    return Task(correct, logits)


def amplify(policy: ArrayLike, values: ArrayLike, beta: float) -> NDArray[np.float64]:
    """The amplifier's improved distribution ``π⁺ ∝ π · exp(β Q)`` (one-step lookahead on a value head).

    ``policy``: distributions of shape ``(..., V)``; ``values``: the value head's estimates (same shape,
    broadcastable); ``beta >= 0``: how hard the lookahead trusts the values (``beta = 0`` returns the
    policy itself). Chapter 5, "A toy expert iteration".

    Parameters
    ----------
    policy : array_like
        Distributions on the last axis.
    values : array_like
        Value estimates, broadcastable to ``policy``.
    beta : float
        Amplification strength (>= 0).

    Returns
    -------
    numpy.ndarray
        ``π⁺`` on the last axis.

    Raises
    ------
    ValueError
        If ``policy`` is not a distribution, ``values`` is not finite or ``beta`` is negative or not finite.
    """
    pi = _validate.distribution(policy, "policy")
    q = np.asarray(values, dtype=np.float64)
    if not np.isfinite(q).all():
        raise ValueError("values contains NaN or an infinite value")
    b = float(beta)
    if not np.isfinite(b) or b < 0:
        raise ValueError(f"beta must be a finite number >= 0, got {beta!r}")
    return _amplify(pi, q, b)


def _amplify(pi: NDArray[np.float64], q: NDArray[np.float64], beta: float | NDArray[np.float64]) -> NDArray[np.float64]:
    """:func:`amplify` without the checks; ``beta`` may be an array that broadcasts against ``pi``."""
    logw = np.log(np.maximum(pi, np.finfo(np.float64).tiny)) + beta * q
    logw = np.where(pi > 0, logw, -np.inf)
    w = np.exp(logw - logw.max(axis=-1, keepdims=True))
    return w / w.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class DistillCurves:
    """Learning curves of one learner, ``(n_runs, n_iterations + 1)`` arrays (column 0: the start).

    ``pass_rate``: exact pass rate of the policy, averaged over prompts. Per prompt and iteration,
    averaged over prompts (bits): ``env_bits``, what the verdicts of that iteration revealed about which
    answers are correct (:func:`verdict_bits`; column 0 is 0, nothing has been queried);
    ``target_kl``, what the learner's target asked it to change, ``KL(target ‖ π)`` (for ``"soft"`` the
    amplifier's ``π⁺``, for ``"hard"`` the one-hot chosen move, for the policy-gradient learners the
    ``π⁺`` they would be shown, for comparison); ``target_entropy``, the entropy ``H(π⁺)`` (label
    richness, not information). Like ``env_bits``, column ``t + 1`` of ``target_kl`` and
    ``target_entropy`` belongs to iteration ``t``: the target ``amplify(π_t, Q_{t+1})`` built after that
    iteration's verdicts were stored, the one the learner was trained on (column 0 is 0).
    ``samples``: environment samples per prompt used so far. Chapter 5, "A toy expert iteration".

    Parameters
    ----------
    method : str
        The learner, one of :data:`METHODS`.
    samples : numpy.ndarray
        Environment samples per prompt used so far, shape ``(n_iterations + 1,)``.
    pass_rate : numpy.ndarray
        Exact pass rate in [0, 1], averaged over prompts, shape ``(n_runs, n_iterations + 1)``.
    env_bits : numpy.ndarray
        Bits per prompt revealed by each iteration's verdicts, same shape.
    target_kl : numpy.ndarray
        ``KL(target ‖ π)`` in bits per prompt, same shape.
    target_entropy : numpy.ndarray
        ``H(π⁺)`` in bits per prompt, same shape.

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
    """

    method: str
    samples: NDArray[np.int64]
    pass_rate: NDArray[np.float64]
    env_bits: NDArray[np.float64]
    target_kl: NDArray[np.float64]
    target_entropy: NDArray[np.float64]

    def mean_and_se(self, field: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Mean over runs of one curve and its standard error over runs (:func:`rlbits.summary.mean_and_se`).

        Parameters
        ----------
        field : str
            One of ``"pass_rate"``, ``"env_bits"``, ``"target_kl"``, ``"target_entropy"``.

        Returns
        -------
        mean, se : numpy.ndarray
            One value per column (the start and every iteration).

        Raises
        ------
        ValueError
            If ``field`` names no curve.
        """
        if field not in ("pass_rate", "env_bits", "target_kl", "target_entropy"):
            raise ValueError(f"field must name one of the curves, got {field!r}")
        return mean_and_se(getattr(self, field), axis=0)


def run_learning(task: Task, method: str, n_iterations: int, k: int, n_runs: int, *, rng: np.random.Generator,
                 learning_rate: float = 1.0, beta: float = 3.0, q0: float = 0.0, track_bits: bool = True) -> DistillCurves:
    """Train ``n_runs`` copies of the task's starting policy with ``method`` for ``n_iterations`` iterations.

    Each iteration, for every prompt, the learner draws ``k`` answers from its policy
    (:func:`rlbits.distributions.sample_categorical`), the verifier grades them, the value head stores
    the verdicts, and then the learner updates (see the module docstring). The target of iteration ``t``
    is therefore ``amplify(π_t, Q_{t+1})``, built from the verdicts of that very iteration; column
    ``t + 1`` of ``target_kl`` and ``target_entropy`` records it (column 0, before any iteration, is 0).

    Parameters
    ----------
    task : Task
        Correct answers and starting logits (:func:`make_task`).
    method : str
        One of :data:`METHODS`.
    n_iterations : int
        Iterations (``>= 1``).
    k : int
        Verifier calls per prompt and iteration (``>= 2``; the REINFORCE baseline is the mean of the other
        ``k - 1`` rewards).
    n_runs : int
        Independent runs, simulated at once (``>= 1``).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    learning_rate : float or array_like, optional
        Step size ``η > 0``; an array of length ``n_runs`` gives each run its own.
    beta : float or array_like, optional
        Amplification strength ``β >= 0``; an array of length ``n_runs`` gives each run its own.
    q0 : float, optional
        The value head's estimate for answers never tried (also used by ``"memory_pg"``).
    track_bits : bool, optional
        Record the environment bits and the target's KL and entropy (default). ``False`` leaves those
        curves at 0 and runs faster (for tuning sweeps); the pass rates are the same.

    Returns
    -------
    DistillCurves
        Pass rates before each iteration and at the end; per iteration the environment bits and the KL and
        entropy of the target used.

    Raises
    ------
    ValueError
        If ``method`` is unknown, a size or setting is out of range, or ``rng`` is not a Generator.

    Notes
    -----
    Chapter 5, "A toy expert iteration".
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    rng = _validate.rng(rng)
    T = _validate.positive_int(n_iterations, "n_iterations")
    k = _validate.positive_int(k, "k", minimum=2)
    R = _validate.positive_int(n_runs, "n_runs")
    lr_runs = np.broadcast_to(np.asarray(learning_rate, dtype=np.float64), (R,)) if np.ndim(learning_rate) else None
    if lr_runs is None:
        lr = _validate.positive_number(learning_rate, "learning_rate")
    elif not (np.isfinite(lr_runs).all() and (lr_runs > 0).all()):
        raise ValueError("learning_rate must hold finite numbers > 0")
    else:
        lr = lr_runs[:, None, None]
    beta_arr = np.asarray(beta, dtype=np.float64)
    if not np.isfinite(beta_arr).all() or (beta_arr < 0).any():
        raise ValueError(f"beta must be a finite number >= 0, got {beta!r}")
    beta = float(beta_arr) if beta_arr.ndim == 0 else np.broadcast_to(beta_arr, (R,))[:, None, None]
    q0 = float(q0)
    if not np.isfinite(q0):
        raise ValueError(f"q0 must be a finite number, got {q0!r}")
    correct = np.asarray(task.correct, dtype=bool)
    M, V = correct.shape
    z = np.broadcast_to(np.asarray(task.logits, dtype=np.float64), (R, M, V)).copy()
    q = np.full((R, M, V), q0)
    tried = np.zeros((R, M, V), dtype=bool)
    correct_b = np.broadcast_to(correct, (R, M, V))
    eye = np.eye(V)
    shape = (R, T + 1)
    pass_rate, env_bits, target_kl, target_ent = (np.zeros(shape) for _ in range(4))
    rows = np.arange(R)[:, None, None]
    cols = np.arange(M)[None, :, None]
    for t in range(T):
        pi = softmax(z)
        pass_rate[:, t] = np.sum(pi * correct, axis=-1).mean(axis=1)
        a = sample_categorical(pi, k, rng=rng)  # (R, M, k) answers tried
        r = correct[np.arange(M)[None, :, None], a].astype(np.float64)  # verifier verdicts
        if track_bits:
            before = tried.copy()
            tried[rows, cols, a] = True
            env_bits[:, t + 1] = np.asarray(verdict_bits(correct_b, before, tried)).mean(axis=1)
        q[rows, cols, a] = r  # the value head remembers every verdict (deterministic verifier)
        plus = _amplify(pi, q, beta) if method in ("soft", "hard") or track_bits else pi  # π_t amplified with Q_{t+1}
        if track_bits:
            target_ent[:, t + 1] = np.asarray(information.entropy(plus)).mean(axis=1)
            if method == "hard":
                p_star = np.take_along_axis(pi, np.argmax(plus, axis=-1)[..., None], axis=-1)[..., 0]
                target_kl[:, t + 1] = np.asarray(information.surprisal(p_star)).mean(axis=1)
            else:
                target_kl[:, t + 1] = np.asarray(information.kl_divergence(plus, pi)).mean(axis=1)
        if method == "reinforce":
            b = (r.sum(axis=-1, keepdims=True) - r) / (k - 1)
            grad = np.einsum("rmk,rmkv->rmv", r - b, eye[a] - pi[..., None, :]) / k
        elif method == "memory_pg":
            grad = pi * (q - np.sum(pi * q, axis=-1, keepdims=True))
        else:
            grad = plus - pi if method == "soft" else eye[np.argmax(plus, axis=-1)] - pi
        z += lr * grad
    pass_rate[:, T] = np.sum(softmax(z) * correct, axis=-1).mean(axis=1)
    samples = np.arange(T + 1, dtype=np.int64) * k
    return DistillCurves(method, samples, pass_rate, env_bits, target_kl, target_ent)


def sweep(task: Task, method: str, learning_rates: ArrayLike, betas: ArrayLike, n_iterations: int, k: int,
          n_runs: int, *, seed: int, q0: float = 0.5) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Average pass rate over training for every step size and amplification strength: a tuning grid.

    Every setting gets ``n_runs`` independent runs of its own; all settings are simulated together, in one
    call of :func:`run_learning` with per-run settings and without tracking bits.

    Parameters
    ----------
    task : Task
        The tuning task (:func:`make_task`).
    method : str
        One of :data:`METHODS`.
    learning_rates, betas : array_like
        The grid; ``betas`` is ignored (use one value) by the policy-gradient learners.
    n_iterations, k, n_runs : int
        As in :func:`run_learning`.
    seed : int
        Seed of the runs' random numbers (keyword-only).
    q0 : float, optional
        The value head's estimate for answers never tried.

    Returns
    -------
    score : numpy.ndarray, shape (len(betas), len(learning_rates))
        Pass rate averaged over prompts, iterations (start and end included) and runs.
    se : numpy.ndarray, same shape
        Standard error of ``score`` over runs.

    Raises
    ------
    ValueError
        If a grid is empty or holds an invalid setting, or as :func:`run_learning`.

    Notes
    -----
    Chapter 5, "A toy expert iteration" (the tuning sweeps).
    """
    lrs = np.atleast_1d(np.asarray(learning_rates, dtype=np.float64))
    bs = np.atleast_1d(np.asarray(betas, dtype=np.float64))
    if lrs.ndim != 1 or bs.ndim != 1 or lrs.size == 0 or bs.size == 0:
        raise ValueError("learning_rates and betas must be non-empty 1-D grids")
    # every setting of the grid at once, each with its own n_runs runs (one simulation, runs along one axis)
    grid_b, grid_lr = np.meshgrid(bs, lrs, indexing="ij")
    run = run_learning(task, method, n_iterations, k, grid_b.size * n_runs, rng=np.random.default_rng(seed),
                       learning_rate=np.repeat(grid_lr.ravel(), n_runs), beta=np.repeat(grid_b.ravel(), n_runs),
                       q0=q0, track_bits=False)
    per_run = run.pass_rate.mean(axis=1).reshape(bs.size, lrs.size, n_runs)
    score, se = mean_and_se(per_run, axis=2)
    return score, se


def join_tasks(tasks: list[Task]) -> Task:
    """One task whose prompts are those of ``tasks`` (all with the same number of answers), in order.

    Parameters
    ----------
    tasks : list of Task
        Tasks with the same number of answers.

    Returns
    -------
    Task
        Their prompts stacked; averages over its prompts are averages over the tasks' prompts.

    Raises
    ------
    ValueError
        If ``tasks`` is empty or the numbers of answers differ.

    Notes
    -----
    Chapter 5, "A toy expert iteration".
    """
    if not tasks:
        raise ValueError("tasks is empty")
    if len({t.correct.shape[1] for t in tasks}) != 1:
        raise ValueError("every task must have the same number of answers")
    return Task(np.concatenate([t.correct for t in tasks]), np.concatenate([t.logits for t in tasks]))


def elimination_queries(n_answers: int, n_correct: int) -> float:
    """Expected verifier calls to find a correct answer by trying untried answers in random order: ``(V+1)/(c+1)``.

    The position of the first of ``c`` marked items in a uniformly random order of ``V`` items has mean
    ``(V + 1)/(c + 1)``; with one correct answer this is the ``(V + 1)/2`` of RL by elimination. An ideal
    reference for the toy expert iteration (queries per prompt). Chapter 5, "A toy expert iteration".

    Parameters
    ----------
    n_answers : int
        Answers ``V`` (>= 1).
    n_correct : int
        Correct answers ``c`` (``1 <= c <= V``).

    Returns
    -------
    float
        ``(V + 1)/(c + 1)`` queries.

    Raises
    ------
    ValueError
        If the counts are out of range.
    """
    V = _validate.positive_int(n_answers, "n_answers", minimum=1)
    c = _validate.positive_int(n_correct, "n_correct", minimum=1)
    if c > V:
        raise ValueError(f"n_correct must be at most n_answers ({V}), got {c}")
    return (V + 1) / (c + 1)


def simulate_elimination(n_answers: int, n_correct: int, size: int, *, rng: np.random.Generator) -> NDArray[np.int64]:
    """Monte Carlo of :func:`elimination_queries`: ``size`` random orders, the position of the first correct answer.

    Answers ``0 .. n_correct - 1`` are the correct ones (any labelling gives the same distribution). Queries
    per prompt. Chapter 5, "A toy expert iteration".

    Parameters
    ----------
    n_answers, n_correct : int
        As :func:`elimination_queries`.
    size : int
        Number of random orders (>= 1).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).

    Returns
    -------
    numpy.ndarray of int64
        The position of the first correct answer in each order.

    Raises
    ------
    ValueError
        If a count is out of range or ``rng`` is not a Generator.
    """
    elimination_queries(n_answers, n_correct)  # validates the sizes
    n = _validate.positive_int(size, "size")
    rng = _validate.rng(rng)
    orders = np.argsort(rng.random((n, int(n_answers))), axis=1)
    return (np.argmax(orders < int(n_correct), axis=1) + 1).astype(np.int64)
