"""A model with shared parameters: a linear softmax policy over prompt features (Chapter 6, "Shared parameters").

The tabular model of :mod:`rlbits.training` gives every prompt its own logits, so nothing learned on
one prompt changes another. Here every prompt ``i`` has a feature vector ``x_i`` (``d`` numbers) and
its correct answer is a function of those features, ``y_i = argmax_k (U x_i)_k`` for a fixed random
teacher matrix ``U`` (``V × d``). The policy is ``π(· | x) = softmax(W x)`` with one weight matrix
``W`` (``V × d``) shared by all prompts, started at ``W = 0`` (the uniform policy, pass rate ``1/V``
on every prompt, as in the tabular model). With one-hot features (``x_i = e_i``, :func:`make_task`
with ``one_hot=True``) column ``i`` of ``W`` is prompt ``i``'s row of logits and the model *is* the
tabular one: nothing transfers.

Training (:func:`train_shared`): each step draws ``B`` training prompts per seed (uniformly, with
replacement) and ``G`` samples per prompt, and takes one step

``W ← W + (η / B) Σ_b Σ_g A_bg (e_{a_bg} - π(· | x_b)) x_bᵀ``

(the sum of the per-sample gradients of ``log π``, averaged over the ``B`` prompts, all at the
step's starting ``W``; the new ``W`` is rounded to 6 decimals, see ``_DECIMALS``), with the weights
of :mod:`rlbits.training`: SL (``a = y``, ``A = 1``),
REINFORCE with the leave-one-out baseline (``"baseline"``), and GRPO (group-normalised, zero for a
group whose rewards are all equal). Every seed is a slice of the same arrays: no Python loop over
samples, prompts, seeds or the vocabulary, only over steps. :func:`reference_train_shared` is a plain
per-sample loop that consumes the same random numbers in the same order, for tests and the benchmark.

Pass rates are exact expectations, ``mean_i π(y_i | x_i)`` over a prompt set, evaluated at log-spaced
steps on the training prompts and on held-out prompts the learner never trains on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from . import _validate

__all__ = ["SHARED_METHODS", "SharedRun", "Task", "make_task", "pass_rates", "reference_train_shared", "train_shared"]

#: Weights are rounded to this many decimals after every step. Large steps make the training map
#: chaotic, so without it a last-bit difference between CPUs (e.g. with and without AVX-512) grows
#: into a different trajectory; rounding erases such differences at every step (a weight of order 1
#: changes by less than 1e-6, far below anything the chapter measures).
_DECIMALS = 6

#: The methods the shared-parameter model is trained with, in the book's order.
SHARED_METHODS: tuple[str, ...] = ("sl", "baseline", "grpo")


@dataclass(frozen=True)
class Task:
    """Prompts with features and answers: ``train_x`` (P, d), ``train_y`` (P,), ``test_x`` (Q, d), ``test_y`` (Q,).

    ``V`` answers; ``teacher`` (V, d) is the matrix whose arg-max defines the answers (``None`` for
    one-hot features, whose answers are drawn uniformly at random). Chapter 6.
    """

    V: int
    train_x: NDArray[np.float64]
    train_y: NDArray[np.int64]
    test_x: NDArray[np.float64]
    test_y: NDArray[np.int64]
    teacher: NDArray[np.float64] | None

    @property
    def d(self) -> int:
        """Number of features per prompt."""
        return int(self.train_x.shape[1])


def make_task(V: int, d: int, prompts: int, held_out: int, *, rng: np.random.Generator, one_hot: bool = False) -> Task:
    """Draw a task: ``prompts`` training and ``held_out`` test prompts over ``V`` answers.

    Features are standard normal vectors of length ``d`` scaled to unit length, and answers are
    ``argmax_k (U x)_k`` with ``U`` standard normal (``V × d``): a linear rule the policy can represent.
    With ``one_hot=True`` prompt ``i`` has the feature vector ``e_i`` (``d`` is ignored; it becomes
    ``prompts + held_out``) and a uniformly random answer: the tabular model. Chapter 6.
    """
    V = _validate.positive_int(V, "V", minimum=2)
    P = _validate.positive_int(prompts, "prompts")
    Q = _validate.positive_int(held_out, "held_out")
    rng = _validate.rng(rng)
    if one_hot:
        x = np.eye(P + Q)
        y = rng.integers(0, V, size=P + Q)
        return Task(V, x[:P], y[:P], x[P:], y[P:], None)
    d = _validate.positive_int(d, "d")
    U = rng.standard_normal((V, d))
    x = rng.standard_normal((P + Q, d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y = np.argmax(x @ U.T, axis=1)
    return Task(V, x[:P], y[:P], x[P:], y[P:], U)


def _softmax(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def pass_rates(W: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.int64]) -> NDArray[np.float64]:
    """Mean probability of the correct answer over prompts, for each of ``S`` weight matrices.

    ``W`` (S, V, d), ``x`` (P, d), ``y`` (P,) → (S,). The exact pass rate of a prompt set. Chapter 6.
    """
    logits = np.matmul(x[None], np.swapaxes(W, 1, 2))  # (S, P, V)
    m = logits.max(axis=-1, keepdims=True)
    lse = m[..., 0] + np.log(np.exp(logits - m).sum(axis=-1))
    return np.exp(logits[:, np.arange(y.size), y] - lse).mean(axis=1)


def _eval_steps(steps: int, evals: int) -> NDArray[np.int64]:
    """Log-spaced steps (1 … steps) at which pass rates are evaluated."""
    return np.unique(np.round(np.geomspace(1, steps, evals)).astype(np.int64))


def _advantages(method: str, R: NDArray[np.float64]) -> NDArray[np.float64]:
    """Weights of the samples of each group (last axis) from their rewards ``R`` (0 or 1)."""
    G = R.shape[-1]
    if method == "baseline":
        return R - (R.sum(axis=-1, keepdims=True) - R) / (G - 1)
    mean = R.mean(axis=-1, keepdims=True)
    std = R.std(axis=-1, keepdims=True)
    return np.where(std > 0, (R - mean) / np.where(std > 0, std, 1.0), 0.0)


@dataclass(frozen=True)
class SharedRun:
    """Pass rates of the shared-parameter model during training, for every seed.

    ``samples`` (E,): total samples (over all prompts) at each evaluation; ``train_pass`` and
    ``test_pass`` (S, E): exact pass rates on the training prompts and on the held-out prompts.
    """

    method: str
    lr: float
    samples: NDArray[np.float64]
    train_pass: NDArray[np.float64]
    test_pass: NDArray[np.float64]

    def samples_to_reach(self, target: float, held_out: bool = True) -> NDArray[np.float64]:
        """Samples at the first evaluation where each seed's pass rate reached ``target`` (``inf`` if never)."""
        t = _validate.open_unit(target, "target")
        pr = self.test_pass if held_out else self.train_pass
        hit = pr >= t
        return np.where(hit.any(axis=1), self.samples[np.argmax(hit, axis=1)], np.inf)


def _check(method: str, task: Task, lr: float, seeds: int, B: int, G: int, max_samples: int, every: int):
    if method not in SHARED_METHODS:
        raise ValueError(f"method must be one of {SHARED_METHODS}, got {method!r}")
    if not isinstance(task, Task):
        raise ValueError(f"task must be a features.Task (see make_task), got {type(task).__name__}")
    lr = _validate.positive_number(lr, "lr")
    seeds = _validate.positive_int(seeds, "seeds")
    B = _validate.positive_int(B, "prompts_per_step")
    G = _validate.positive_int(G, "group", minimum=1 if method == "sl" else 2)
    max_samples = _validate.positive_int(max_samples, "max_samples", minimum=B * G)
    every = _validate.positive_int(every, "evals", minimum=2)
    return lr, seeds, B, G, max_samples, every


def train_shared(method: str, task: Task, lr: float, *, rng: np.random.Generator, seeds: int = 16,
                 prompts_per_step: int = 16, group: int = 8, max_samples: int = 100_000, evals: int = 100,
                 stop_at: float | None = None) -> SharedRun:
    """Train ``seeds`` copies of the linear softmax policy on ``task`` by ``method`` (vectorised over seeds).

    See the module docstring for the rule. Each step uses ``prompts_per_step × group`` samples. Training
    runs for ``max_samples`` samples, or until every seed's held-out pass rate reaches ``stop_at``.
    Pass rates are evaluated at about ``evals`` log-spaced steps (so sample counts to a target are
    resolved to a few per cent).
    Returns a :class:`SharedRun`. Chapter 6, "Shared parameters".
    """
    lr, S, B, G, max_samples, every = _check(method, task, lr, seeds, prompts_per_step, group, max_samples, evals)
    rng = _validate.rng(rng)
    stop = None if stop_at is None else _validate.open_unit(stop_at, "stop_at")
    V, d, P = task.V, task.d, task.train_y.size
    W = np.zeros((S, V, d))
    steps = max_samples // (B * G)
    at = set(_eval_steps(steps, every).tolist())
    ev_s, ev_tr, ev_te = [0.0], [pass_rates(W, task.train_x, task.train_y)], [pass_rates(W, task.test_x, task.test_y)]
    for step in range(1, steps + 1):
        idx = rng.integers(0, P, size=(S, B))
        u = rng.random((S, B, G))
        X, y = task.train_x[idx], task.train_y[idx]  # (S, B, d), (S, B)
        pi = _softmax(np.matmul(X, np.swapaxes(W, 1, 2)))  # (S, B, V)
        if method == "sl":
            coef = G * (np.eye(V)[y] - pi)
        else:
            cdf = np.cumsum(pi, axis=-1)
            a = np.minimum((u[..., None] >= cdf[:, :, None, :]).sum(axis=-1), V - 1)  # inverse CDF, (S, B, G)
            A = _advantages(method, (a == y[..., None]).astype(np.float64))
            onehot = a[..., None] == np.arange(V)  # (S, B, G, V)
            coef = (A[..., None] * onehot).sum(axis=2) - A.sum(axis=-1)[..., None] * pi
        W = np.round(W + (lr / B) * np.matmul(np.swapaxes(coef, 1, 2), X), _DECIMALS)
        if step in at:
            ev_s.append(float(step * B * G))
            ev_tr.append(pass_rates(W, task.train_x, task.train_y))
            ev_te.append(pass_rates(W, task.test_x, task.test_y))
            if stop is not None and (ev_te[-1] >= stop).all():
                break
    return SharedRun(method, lr, np.array(ev_s), np.stack(ev_tr, axis=1), np.stack(ev_te, axis=1))


def reference_train_shared(method: str, task: Task, lr: float, *, rng: np.random.Generator, seeds: int = 2,
                           prompts_per_step: int = 16, group: int = 8, max_samples: int = 10_000,
                           evals: int = 100, stop_at: float | None = None) -> SharedRun:
    """The same training as :func:`train_shared`, as a plain per-sample Python loop over dense vectors.

    It draws the same random numbers in the same order (prompts, then one uniform per sample), so with
    the same generator it follows the same trajectory up to floating-point rounding. For tests and the
    benchmark only. Chapter 6.
    """
    lr, S, B, G, max_samples, every = _check(method, task, lr, seeds, prompts_per_step, group, max_samples, evals)
    rng = _validate.rng(rng)
    stop = None if stop_at is None else _validate.open_unit(stop_at, "stop_at")
    V, d, P = task.V, task.d, task.train_y.size
    W = np.zeros((S, V, d))
    steps = max_samples // (B * G)
    at = set(_eval_steps(steps, every).tolist())
    ev_s, ev_tr, ev_te = [0.0], [pass_rates(W, task.train_x, task.train_y)], [pass_rates(W, task.test_x, task.test_y)]
    for step in range(1, steps + 1):
        idx = rng.integers(0, P, size=(S, B))
        u = rng.random((S, B, G))
        new = W.copy()
        for s in range(S):
            for b in range(B):
                x, y = task.train_x[idx[s, b]], int(task.train_y[idx[s, b]])
                pi = _softmax(W[s] @ x)
                if method == "sl":
                    actions, adv = [y] * G, [1.0] * G
                else:
                    cdf = np.cumsum(pi)
                    actions = [min(int((u[s, b, g] >= cdf).sum()), V - 1) for g in range(G)]
                    R = np.array([1.0 if a == y else 0.0 for a in actions])
                    if method == "baseline":
                        adv = [R[g] - (R.sum() - R[g]) / (G - 1) for g in range(G)]
                    else:
                        adv = list((R - R.mean()) / R.std()) if R.std() > 0 else [0.0] * G
                for a, A in zip(actions, adv):
                    grad = -pi.copy()
                    grad[a] += 1.0
                    new[s] += (lr / B) * A * np.outer(grad, x)
        W = np.round(new, _DECIMALS)
        if step in at:
            ev_s.append(float(step * B * G))
            ev_tr.append(pass_rates(W, task.train_x, task.train_y))
            ev_te.append(pass_rates(W, task.test_x, task.test_y))
            if stop is not None and (ev_te[-1] >= stop).all():
                break
    return SharedRun(method, lr, np.array(ev_s), np.stack(ev_tr, axis=1), np.stack(ev_te, axis=1))
