"""A model with shared parameters: a linear softmax policy over prompt features (Chapter 6, "A model with shared parameters").

The tabular model of :mod:`rlbits.training` gives every prompt its own logits, so nothing learned on
one prompt changes another. Here every prompt ``i`` has a feature vector ``x_i`` (``d`` numbers) and
its correct answer is a function of those features, ``y_i = argmax_k (U x_i)_k`` for a fixed random
teacher matrix ``U`` (``V × d``; the *linear* teacher, which the policy can represent) or
``y_i = argmax_k |(U x_i)_k|`` (the *misspecified* teacher: ``x`` and ``-x`` share an answer, which no
linear policy can express). The policy is ``π(· | x) = softmax(W x)`` with one weight matrix ``W``
(``V × d``) shared by all prompts, started at ``W = 0`` (the uniform policy, pass rate ``1/V``). With
one-hot features (:func:`make_task` with ``one_hot=True``) column ``i`` of ``W`` is prompt ``i``'s row
of logits and the model *is* the tabular one: nothing transfers.

A :class:`Task` holds ``D`` independent *draws* (teacher and prompts) as the first axis of its arrays,
so that one call trains ``D × seeds`` runs at once (row ``r`` trains on draw ``r // seeds``).

Training (:func:`train_shared`): each step draws ``B`` training prompts per run (uniformly, with
replacement, from the first ``prompts`` training prompts: nested prompt sets) and takes one step

``W ← W + (η / B) Σ_b Σ_g A_bg (e_{a_bg} - π(· | x_b)) x_bᵀ``

(the sum of the per-sample gradients of ``log π``, averaged over the ``B`` prompts, all at the step's
starting ``W``). The methods:

- ``"sl"``: *one* label per prompt visit, ``a = y``, ``A = 1`` (``G`` copies of one label would carry
  nothing more: it is the same step with ``η`` scaled by ``G`` at ``G`` times the samples), so an SL step
  costs ``B`` samples;
- ``"reinforce"``: ``G`` samples ``a ~ π`` per prompt, ``A = R = 1[a = y]``;
- ``"plusminus"``: REINFORCE with the constant baseline ``1/2``, ``A = R - 1/2`` (equivalently rewards ±1);
- ``"baseline"``: REINFORCE with the leave-one-out baseline ``A = R - mean_{j≠i} R_j``;
- ``"grpo"``: group-normalised ``A = (R - mean R) / std R`` (0 for a group whose rewards are all equal).

A sampled step costs ``B × G`` samples. After every step the weights are rounded to ``decimals``
decimals (default 6; ``None`` for no rounding): large steps make the map chaotic, so without it a
last-bit difference between CPUs grows into a different trajectory (the tests check that the
statistics the chapter prints do not depend on it). Every run is a slice of the same arrays: no Python
loop over samples, prompts, runs or the vocabulary, only over steps. :func:`reference_train_shared` is
a plain per-sample loop that consumes the same random numbers in the same order.

Pass rates are exact expectations, ``mean_i π(y_i | x_i)`` over a prompt set, evaluated at log-spaced
steps on the training prompts in use and on held-out prompts the learner never trains on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from . import _validate
from .distributions import sample_categorical
from .gradients import softmax

__all__ = ["SHARED_METHODS", "SharedRun", "Task", "effective_answers", "make_task", "pass_rates",
           "prompt_pass_rates", "reference_train_shared", "samples_to_target", "step_cosine", "train_shared"]

#: The methods the shared-parameter model is trained with, in the book's order.
SHARED_METHODS: tuple[str, ...] = ("sl", "reinforce", "plusminus", "baseline", "grpo")

_TEACHERS = ("linear", "misspecified")

#: The training pass rate is evaluated on at most this many of the prompts in use (the first ones; the
#: prompts are exchangeable, so it is an unbiased estimate of the mean over all of them).
_TRAIN_EVAL = 128


@dataclass(frozen=True)
class Task:
    """``D`` draws of prompts with features and answers over ``V`` answers.

    Built by :func:`make_task`; Chapter 6, "A model with shared parameters: the main experiment".

    Attributes
    ----------
    V : int
        Number of answers.
    train_x, test_x : numpy.ndarray
        Features of the training and held-out prompts of each draw, shapes ``(D, P, d)`` and ``(D, Q, d)``.
    train_y, test_y : numpy.ndarray
        Their correct answers (integers in ``[0, V)``), shapes ``(D, P)`` and ``(D, Q)``.
    teacher : numpy.ndarray or None
        The matrix whose arg-max defines the answers, shape ``(D, V, d)`` (``None`` for one-hot features).
    kind : str
        ``"linear"``, ``"misspecified"`` or ``"one-hot"``.

    Raises
    ------
    ValueError
        Never: a record built by :func:`make_task`; its fields are stored as given.
    """

    V: int
    train_x: NDArray[np.float64]
    train_y: NDArray[np.int64]
    test_x: NDArray[np.float64]
    test_y: NDArray[np.int64]
    teacher: NDArray[np.float64] | None
    kind: str = "linear"

    @property
    def d(self) -> int:
        """Number of features per prompt."""
        return int(self.train_x.shape[-1])

    @property
    def draws(self) -> int:
        """Number of independent draws (first axis)."""
        return int(self.train_x.shape[0])

    def select(self, draws: NDArray[np.int64]) -> "Task":
        """The draws at indices ``draws`` (repeats allowed), e.g. to train one draw at several step sizes at once.

        Parameters
        ----------
        draws : array_like of int, shape (K,)
            Indices into the first axis.

        Returns
        -------
        Task
            A task with ``K`` draws.

        Raises
        ------
        ValueError
            If ``draws`` is empty, not 1-D, or out of range.
        """
        i = np.asarray(draws, dtype=np.int64)
        if i.ndim != 1 or i.size == 0 or (i < 0).any() or (i >= self.draws).any():
            raise ValueError(f"draws must be a non-empty 1-D list of indices below {self.draws}, got {draws!r}")
        teacher = None if self.teacher is None else self.teacher[i]
        return Task(self.V, self.train_x[i], self.train_y[i], self.test_x[i], self.test_y[i], teacher, self.kind)


def make_task(n_prompts: int, n_answers: int, *, rng: np.random.Generator, n_features: int = 8,
              n_held_out: int = 256, draws: int = 1, teacher: str = "linear", one_hot: bool = False) -> Task:
    """Draw ``draws`` tasks: ``n_prompts`` training and ``n_held_out`` held-out prompts over ``n_answers`` answers.

    Parameters
    ----------
    n_prompts, n_answers : int
        Training prompts per draw (at least 1) and answers ``V`` (at least 2).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    n_features : int
        ``d``, features per prompt: standard normal vectors scaled to unit length.
    n_held_out : int
        Held-out prompts per draw.
    draws : int
        Independent draws of teacher and prompts, stacked on the first axis.
    teacher : {"linear", "misspecified"}
        Answers ``argmax_k (U x)_k`` (representable by the policy) or ``argmax_k |(U x)_k|`` (not),
        with ``U`` standard normal (``V × d``).
    one_hot : bool
        Prompt ``i`` gets the feature vector ``e_i`` (``d`` becomes ``n_prompts + n_held_out``) and a
        uniformly random answer: the tabular model.

    Returns
    -------
    Task

    Raises
    ------
    ValueError
        If a size is not a positive integer (``n_answers < 2``) or ``teacher`` is unknown.

    Notes
    -----
    Chapter 6, "A model with shared parameters".
    """
    P = _validate.positive_int(n_prompts, "n_prompts")
    V = _validate.positive_int(n_answers, "n_answers", minimum=2)
    Q = _validate.positive_int(n_held_out, "n_held_out")
    D = _validate.positive_int(draws, "draws")
    rng = _validate.rng(rng)
    if one_hot:
        x = np.broadcast_to(np.eye(P + Q), (D, P + Q, P + Q))
        y = rng.integers(0, V, size=(D, P + Q))
        return Task(V, x[:, :P], y[:, :P], x[:, P:], y[:, P:], None, "one-hot")
    d = _validate.positive_int(n_features, "n_features")
    if teacher not in _TEACHERS:
        raise ValueError(f"teacher must be one of {_TEACHERS}, got {teacher!r}")
    U = rng.standard_normal((D, V, d))
    x = rng.standard_normal((D, P + Q, d))
    x /= np.linalg.norm(x, axis=-1, keepdims=True)
    scores = np.matmul(x, np.swapaxes(U, 1, 2))
    y = np.argmax(scores if teacher == "linear" else np.abs(scores), axis=-1)
    return Task(V, x[:, :P], y[:, :P], x[:, P:], y[:, P:], U, teacher)


def effective_answers(task: Task) -> NDArray[np.float64]:
    """The effective number of answers of each draw, ``2^H`` of the answers' frequencies over its prompts.

    Parameters
    ----------
    task : Task

    Returns
    -------
    numpy.ndarray, shape (D,)
        ``2^H`` with ``H`` the entropy (bits) of the empirical distribution of the correct answer over
        the draw's training and held-out prompts (a plug-in estimate, slightly low for few prompts);
        between 1 and ``V``.

    Raises
    ------
    ValueError
        If ``task`` is not a :class:`Task`.

    Notes
    -----
    Chapter 6, "A model with shared parameters".
    """
    if not isinstance(task, Task):
        raise ValueError(f"task must be a features.Task (see make_task), got {type(task).__name__}")
    y = np.concatenate([task.train_y, task.test_y], axis=1)
    counts = (y[..., None] == np.arange(task.V)).sum(axis=1)
    f = counts / y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -np.where(f > 0, f * np.log2(np.where(f > 0, f, 1.0)), 0.0).sum(axis=1)
    return np.exp2(h)


def prompt_pass_rates(W: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.int64]) -> NDArray[np.float64]:
    """The exact pass rate ``π(y_i | x_i)`` of every prompt, for each of ``S`` weight matrices.

    Parameters
    ----------
    W : numpy.ndarray, shape (S, V, d)
        Weight matrices.
    x : numpy.ndarray, shape (P, d) or (S, P, d)
        Prompt features (shared by all ``W``, or one set per ``W``).
    y : numpy.ndarray of int, shape (P,) or (S, P)
        Correct answers.

    Returns
    -------
    numpy.ndarray, shape (S, P)

    Raises
    ------
    ValueError
        If the shapes do not fit together or ``W`` is not finite.

    Notes
    -----
    Chapter 6, "A model with shared parameters".
    """
    W = np.asarray(W, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y)
    if W.ndim != 3 or x.ndim not in (2, 3) or x.shape[-1] != W.shape[2] or y.shape != x.shape[:-1]:
        raise ValueError(f"shapes do not fit: W {W.shape}, x {x.shape}, y {y.shape}")
    if x.ndim == 3 and x.shape[0] != W.shape[0]:
        raise ValueError(f"x has {x.shape[0]} prompt sets for {W.shape[0]} weight matrices")
    if not np.isfinite(W).all():
        raise ValueError("W contains NaN or infinite weights")
    xs = x[None] if x.ndim == 2 else x
    ys = np.broadcast_to(y, (W.shape[0], y.shape[-1]))
    logits = np.matmul(xs, np.ascontiguousarray(np.swapaxes(W, 1, 2)))  # (S, P, V); contiguous: the fast path
    m = logits.max(axis=-1, keepdims=True)
    lse = m[..., 0] + np.log(np.exp(logits - m).sum(axis=-1))
    return np.exp(np.take_along_axis(logits, ys[..., None], axis=-1)[..., 0] - lse)


def pass_rates(W: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.int64]) -> NDArray[np.float64]:
    """Mean probability of the correct answer over prompts, for each of ``S`` weight matrices.

    Parameters
    ----------
    W, x, y
        As in :func:`prompt_pass_rates`.

    Returns
    -------
    numpy.ndarray, shape (S,)
        The exact pass rate of the prompt set under each ``W``.

    Raises
    ------
    ValueError
        As :func:`prompt_pass_rates`.

    Notes
    -----
    Chapter 6, "A model with shared parameters".
    """
    return prompt_pass_rates(W, x, y).mean(axis=-1)


def step_cosine(W: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.int64]) -> NDArray[np.float64]:
    """Cosine between the expected SL step and the expected REINFORCE step over a prompt set, for each ``W``.

    With ``g_i = (e_{y_i} - π_i) x_iᵀ`` the SL gradient of prompt ``i``, the expected SL step is
    ``Σ_i g_i`` and the expected REINFORCE step is ``Σ_i p_i g_i`` (Chapter 3's identity, prompt by
    prompt, ``p_i = π_i(y_i)``): the pass rates reweight the prompts, so the two directions differ
    unless every prompt has the same pass rate.

    Parameters
    ----------
    W, x, y
        As in :func:`prompt_pass_rates`.

    Returns
    -------
    numpy.ndarray, shape (S,)
        Cosines in [-1, 1].

    Raises
    ------
    ValueError
        As :func:`prompt_pass_rates`.

    Notes
    -----
    Chapter 6, "A model with shared parameters".
    """
    p = prompt_pass_rates(W, x, y)  # validates the shapes
    xs = np.broadcast_to(np.asarray(x, dtype=np.float64), (p.shape[0], *np.shape(x)[-2:]))
    ys = np.broadcast_to(np.asarray(y), p.shape)
    pi = softmax(np.matmul(xs, np.ascontiguousarray(np.swapaxes(np.asarray(W, dtype=np.float64), 1, 2))))
    err = (ys[..., None] == np.arange(pi.shape[-1])) - pi  # (S, P, V)
    sl = np.matmul(np.swapaxes(err, 1, 2), xs).reshape(p.shape[0], -1)
    rl = np.matmul(np.swapaxes(err * p[..., None], 1, 2), xs).reshape(p.shape[0], -1)
    return (sl * rl).sum(axis=1) / (np.linalg.norm(sl, axis=1) * np.linalg.norm(rl, axis=1))


def _eval_steps(steps: int, evals: int) -> NDArray[np.int64]:
    """Log-spaced steps (1 … steps) at which pass rates are evaluated."""
    return np.unique(np.round(np.geomspace(1, steps, evals)).astype(np.int64))


def _advantages(method: str, R: NDArray[np.float64]) -> NDArray[np.float64]:
    """Weights of the samples of each group (last axis) from their rewards ``R`` (0 or 1)."""
    G = R.shape[-1]
    if method == "reinforce":
        return R
    if method == "plusminus":
        return R - 0.5
    if method == "baseline":
        return R - (R.sum(axis=-1, keepdims=True) - R) / (G - 1)
    mean = R.mean(axis=-1, keepdims=True)
    std = R.std(axis=-1, keepdims=True)
    return np.where(std > 0, (R - mean) / np.where(std > 0, std, 1.0), 0.0)


@dataclass(frozen=True)
class SharedRun:
    """Pass rates of the shared-parameter model during training, for every draw and seed.

    Returned by :func:`train_shared`; Chapter 6, "A model with shared parameters: the main experiment".

    Attributes
    ----------
    method : str
        The update rule that was trained.
    lr : numpy.ndarray
        Step size of each draw, shape ``(D,)``.
    samples : numpy.ndarray
        Samples per run (over all prompts) at each evaluation (SL counts one per label), shape ``(E,)``.
    train_pass, test_pass : numpy.ndarray
        Exact pass rates in [0, 1] on the training prompts in use (at most the first 128 of them) and
        on the held-out prompts, shape ``(D, S, E)``.
    W_at_stop : numpy.ndarray
        Each run's weights at the first evaluation where its held-out pass rate reached ``stop_at``
        (its final weights if it never did, or if ``stop_at`` was not set), shape ``(D, S, V, d)``.

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
    """

    method: str
    lr: NDArray[np.float64]
    samples: NDArray[np.float64]
    train_pass: NDArray[np.float64]
    test_pass: NDArray[np.float64]
    W_at_stop: NDArray[np.float64]

    def samples_to_reach(self, target: float, held_out: bool = True) -> NDArray[np.float64]:
        """Samples at the first evaluation where each run's pass rate reached ``target``.

        Parameters
        ----------
        target : float
            Pass rate in (0, 1).
        held_out : bool
            Held-out prompts (default) or training prompts.

        Returns
        -------
        numpy.ndarray, shape (D, S)
            ``inf`` where a run never reached it.

        Raises
        ------
        ValueError
            If ``target`` is not in (0, 1).
        """
        t = _validate.open_unit(target, "target")
        pr = self.test_pass if held_out else self.train_pass
        hit = pr >= t
        return np.where(hit.any(axis=-1), self.samples[np.argmax(hit, axis=-1)], np.inf)

    def transfer_at(self, train_level: float, V: int) -> NDArray[np.float64]:
        """Held-out gain over training gain, ``(q - 1/V) / (p - 1/V)``, when the training pass rate first reaches a level.

        Parameters
        ----------
        train_level : float
            Training pass rate in (1/V, 1) at which to compare.
        V : int
            Number of answers (the starting pass rate is ``1/V``).

        Returns
        -------
        numpy.ndarray, shape (D, S)
            ``nan`` where a run's training pass rate never reached ``train_level``.

        Raises
        ------
        ValueError
            If ``train_level`` is not in (1/V, 1).
        """
        t = _validate.open_unit(train_level, "train_level")
        if t <= 1 / V:
            raise ValueError(f"train_level must exceed 1/V = {1 / V}, got {t}")
        hit = self.train_pass >= t
        i = np.argmax(hit, axis=-1)[..., None]
        p = np.take_along_axis(self.train_pass, i, axis=-1)[..., 0]
        q = np.take_along_axis(self.test_pass, i, axis=-1)[..., 0]
        return np.where(hit.any(axis=-1), (q - 1 / V) / (p - 1 / V), np.nan)


def _check(method, task, lr, seeds, B, G, max_samples, every, prompts, decimals):
    if method not in SHARED_METHODS:
        raise ValueError(f"method must be one of {SHARED_METHODS}, got {method!r}")
    if not isinstance(task, Task):
        raise ValueError(f"task must be a features.Task (see make_task), got {type(task).__name__}")
    lrs = np.asarray(lr, dtype=np.float64)
    if lrs.ndim > 1 or (lrs.ndim == 1 and lrs.size != task.draws):
        raise ValueError(f"lr must be a number or one per draw ({task.draws}), got shape {lrs.shape}")
    for value in lrs.ravel():
        _validate.positive_number(value, "lr")
    lr = np.broadcast_to(lrs, (task.draws,)).astype(np.float64)
    seeds = _validate.positive_int(seeds, "seeds")
    B = _validate.positive_int(B, "prompts_per_step")
    G = 1 if method == "sl" else _validate.positive_int(G, "group", minimum=2)
    max_samples = _validate.positive_int(max_samples, "max_samples", minimum=B * G)
    every = _validate.positive_int(every, "evals", minimum=2)
    P = task.train_y.shape[1] if prompts is None else _validate.positive_int(prompts, "prompts")
    if P > task.train_y.shape[1]:
        raise ValueError(f"prompts must be at most the task's {task.train_y.shape[1]} training prompts, got {P}")
    if decimals is not None:
        decimals = _validate.positive_int(decimals, "decimals")
    return lr, seeds, B, G, max_samples, every, P, decimals


class _Recorder:
    """Evaluations of every run at log-spaced steps, and each run's weights when it first reached ``stop``."""

    def __init__(self, task: Task, P: int, S: int, stop: float | None, W: NDArray[np.float64]):
        D = task.draws
        self.rows = np.repeat(np.arange(D), S)
        E = min(P, _TRAIN_EVAL)  # the training pass rate on (at most) the first 128 prompts in use
        self.tr = (task.train_x[:, :E][self.rows], task.train_y[:, :E][self.rows])
        self.te = (task.test_x[self.rows], task.test_y[self.rows])
        self.shape, self.stop = (D, S), stop
        self.samples, self.train, self.test = [], [], []
        self.W_stop = np.full_like(W, np.nan)
        self.record(0.0, W)

    def record(self, samples: float, W: NDArray[np.float64]) -> bool:
        """Evaluate; return True when every run has reached ``stop``."""
        self.samples.append(samples)
        self.train.append(pass_rates(W, *self.tr))
        self.test.append(pass_rates(W, *self.te))
        if self.stop is None:
            return False
        new = (self.test[-1] >= self.stop) & np.isnan(self.W_stop[:, 0, 0])
        self.W_stop[new] = W[new]
        return bool((~np.isnan(self.W_stop[:, 0, 0])).all())

    def result(self, method: str, lr: float, W: NDArray[np.float64]) -> SharedRun:
        never = np.isnan(self.W_stop[:, 0, 0])
        self.W_stop[never] = W[never]
        tr = np.stack(self.train, axis=-1).reshape(*self.shape, -1)
        te = np.stack(self.test, axis=-1).reshape(*self.shape, -1)
        return SharedRun(method, lr, np.array(self.samples), tr, te, self.W_stop.reshape(*self.shape, *W.shape[1:]))


def train_shared(method: str, task: Task, lr: float, *, rng: np.random.Generator, seeds: int = 16,
                 prompts_per_step: int = 8, group: int = 8, max_samples: int = 100_000, evals: int = 100,
                 stop_at: float | None = None, prompts: int | None = None, decimals: int | None = 6) -> SharedRun:
    """Train ``seeds`` copies of the linear softmax policy on every draw of ``task`` by ``method``, vectorised.

    Parameters
    ----------
    method : str
        One of :data:`SHARED_METHODS` (see the module docstring for the rule and the weights).
    task : Task
        ``D`` draws; every draw is trained with ``seeds`` runs.
    lr : float or array_like of shape (D,)
        Step size ``η`` (> 0), or one per draw (to tune several step sizes in one call, see
        :meth:`Task.select`).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    seeds : int
        Runs per draw.
    prompts_per_step : int
        ``B``, prompts drawn per step.
    group : int
        ``G``, samples per prompt for the sampled methods (at least 2); SL uses one label per prompt.
    max_samples : int
        Budget of samples per run (SL: ``B`` per step; sampled methods: ``B × G`` per step).
    evals : int
        About this many log-spaced evaluations (sample counts to a target resolve to a few per cent).
    stop_at : float, optional
        Stop once every run's held-out pass rate has reached it.
    prompts : int, optional
        Train on the first ``prompts`` training prompts of each draw only (nested prompt sets).
    decimals : int or None
        Round the weights to this many decimals after every step (``None``: no rounding).

    Returns
    -------
    SharedRun

    Raises
    ------
    ValueError
        If the method is unknown, ``task`` is not a :class:`Task`, or a size or step is out of range.

    Notes
    -----
    Chapter 6, "A model with shared parameters".
    """
    lr, S, B, G, max_samples, every, P, dec = _check(method, task, lr, seeds, prompts_per_step, group, max_samples,
                                                     evals, prompts, decimals)
    rng = _validate.rng(rng)
    stop = None if stop_at is None else _validate.open_unit(stop_at, "stop_at")
    V, d = task.V, task.d
    W = np.zeros((task.draws * S, V, d))
    rec = _Recorder(task, P, S, stop, W)
    rows = rec.rows[:, None]
    steps = max_samples // (B * G)
    at = set(_eval_steps(steps, every).tolist())
    answers = np.arange(V)
    for step in range(1, steps + 1):
        idx = rng.integers(0, P, size=(rows.size, B))
        X, y = task.train_x[rows, idx], task.train_y[rows, idx]  # (R, B, d), (R, B)
        pi = softmax(np.matmul(X, np.ascontiguousarray(np.swapaxes(W, 1, 2))))  # (R, B, V)
        if method == "sl":
            coef = (y[..., None] == answers) - pi
        else:
            a = sample_categorical(pi, G, rng=rng)  # (R, B, G)
            A = _advantages(method, (a == y[..., None]).astype(np.float64))
            # Σ_g A_g e_{a_g} per prompt, scattered by bincount (the same sums, in the same order, as a
            # one-hot product summed over the group, without the R × B × G × V array)
            slots = (np.arange(a.shape[0] * B).reshape(-1, B, 1) * V + a).ravel()
            hits = np.bincount(slots, weights=A.ravel(), minlength=a.shape[0] * B * V).reshape(pi.shape)
            coef = hits - A.sum(axis=-1)[..., None] * pi
        W = W + (lr[rec.rows] / B)[:, None, None] * np.matmul(np.ascontiguousarray(np.swapaxes(coef, 1, 2)), X)
        if dec is not None:
            W = np.round(W, dec)
        if step in at and rec.record(float(step * B * G), W):
            break
    return rec.result(method, lr, W)


def reference_train_shared(method: str, task: Task, lr: float, *, rng: np.random.Generator, seeds: int = 2,
                           prompts_per_step: int = 8, group: int = 8, max_samples: int = 10_000,
                           evals: int = 100, stop_at: float | None = None, prompts: int | None = None,
                           decimals: int | None = 6) -> SharedRun:
    """The same training as :func:`train_shared`, as a plain per-sample Python loop over dense vectors.

    It draws the same random numbers in the same order (the step's prompts, then the samples of each
    prompt in turn), so with the same generator it follows the same trajectory up to floating-point
    rounding. Parameters, returns and errors as :func:`train_shared`; for tests and the benchmark only.

    Parameters
    ----------
    method, task, lr, rng, seeds, prompts_per_step, group, max_samples, evals, stop_at, prompts, decimals
        As in :func:`train_shared`.

    Returns
    -------
    SharedRun

    Raises
    ------
    ValueError
        As :func:`train_shared`.

    Notes
    -----
    Chapter 6, "A model with shared parameters".
    """
    lr, S, B, G, max_samples, every, P, dec = _check(method, task, lr, seeds, prompts_per_step, group, max_samples,
                                                     evals, prompts, decimals)
    rng = _validate.rng(rng)
    stop = None if stop_at is None else _validate.open_unit(stop_at, "stop_at")
    V, d = task.V, task.d
    W = np.zeros((task.draws * S, V, d))
    rec = _Recorder(task, P, S, stop, W)
    steps = max_samples // (B * G)
    at = set(_eval_steps(steps, every).tolist())
    for step in range(1, steps + 1):
        idx = rng.integers(0, P, size=(rec.rows.size, B))
        new = W.copy()
        for r in range(rec.rows.size):
            for b in range(B):
                x, y = task.train_x[rec.rows[r], idx[r, b]], int(task.train_y[rec.rows[r], idx[r, b]])
                pi = softmax(W[r] @ x)
                if method == "sl":
                    actions, adv = [y], [1.0]
                else:
                    actions = [int(a) for a in sample_categorical(pi, G, rng=rng)]
                    R = np.array([1.0 if a == y else 0.0 for a in actions])
                    if method == "reinforce":
                        adv = list(R)
                    elif method == "plusminus":
                        adv = [r_ - 0.5 for r_ in R]
                    elif method == "baseline":
                        adv = [R[g] - (R.sum() - R[g]) / (G - 1) for g in range(G)]
                    else:
                        adv = list((R - R.mean()) / R.std()) if R.std() > 0 else [0.0] * G
                for a, A in zip(actions, adv):
                    grad = -pi.copy()
                    grad[a] += 1.0
                    new[r] += (lr[rec.rows[r]] / B) * A * np.outer(grad, x)
        W = new if dec is None else np.round(new, dec)
        if step in at and rec.record(float(step * B * G), W):
            break
    return rec.result(method, lr, W)


def samples_to_target(method: str, task: Task, lrs, *, rng: np.random.Generator, target: float, budget: int,
                      seeds: int = 4, **kwargs) -> NDArray[np.float64]:
    """Samples each run needs to reach a held-out pass rate, at each step size, in one vectorised call.

    Parameters
    ----------
    method : str
        One of :data:`SHARED_METHODS`.
    task : Task
        ``D`` draws; every step size is run on every draw (common draws across step sizes).
    lrs : array_like of shape (K,)
        Step sizes.
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    target : float
        Held-out pass rate in (0, 1).
    budget : int
        Samples per run; a run that never reaches ``target`` counts as ``budget`` (censored).
    seeds : int
        Runs per draw and step size.
    **kwargs
        Passed on to :func:`train_shared` (``prompts_per_step``, ``group``, ``evals``, ``prompts``).

    Returns
    -------
    numpy.ndarray, shape (K, D, seeds)
        Samples to the target, at most ``budget``.

    Raises
    ------
    ValueError
        As :func:`train_shared`, or if ``lrs`` is not a non-empty 1-D list.

    Notes
    -----
    Chapter 6, "A model with shared parameters".
    """
    etas = np.asarray(lrs, dtype=np.float64)
    if etas.ndim != 1 or etas.size == 0:
        raise ValueError("lrs must be a non-empty 1-D list of step sizes")
    if not isinstance(task, Task):
        raise ValueError(f"task must be a features.Task (see make_task), got {type(task).__name__}")
    D = task.draws
    run = train_shared(method, task.select(np.tile(np.arange(D), etas.size)), np.repeat(etas, D), rng=rng,
                       seeds=seeds, max_samples=budget, stop_at=target, **kwargs)
    return np.minimum(run.samples_to_reach(target), budget).reshape(etas.size, D, seeds)
