"""The six training methods of Chapter 7 as losses whose gradients JAX computes.

Each loss takes the parameters and a batch and returns a scalar to minimise; every method sees
``batch`` samples per step (a sample is one prompt with one answer: the correct one for SL, one the
model drew for the others). Chapter 7, "Methods".

- ``sl``: cross-entropy of the correct answer (teacher forcing), ``batch`` distinct prompts.
- ``reinforce``: REINFORCE on the all-or-nothing reward, leave-one-out baseline within each group
  of ``group`` answers to the same prompt.
- ``grpo``: GRPO's group-normalised advantage ``(R - mean) / (std + eps)`` with one gradient step
  per batch (on-policy, so the clipped ratio is 1 and drops out), token log-probabilities averaged.
- ``rft``: rejection-sampling fine-tuning (expert iteration, STaR/RFT): cross-entropy on the model's
  own correct answers among ``group`` per prompt.
- ``distill``: on-policy distillation: the student samples an answer, and at each of its prefixes
  the loss is the per-token reverse KL ``KL(student || teacher)`` over the ten digits.
- ``graded``: REINFORCE with leave-one-out baseline on the graded reward (fraction of digits right).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .model import ModelConfig, answer_logprob, teacher_forced_logits
from .task import GROUPED, LABELS, METHODS, N_DIGITS, OFFSET, PROMPT_LEN, check_method  # noqa: F401

def jnp_answers(x: jax.Array, T: int) -> jax.Array:
    """The correct answers inside compiled code (same rule as :func:`rlbits.transformer.task.answers`).

    Parameters
    ----------
    x : jax.Array of int, shape (B, 8)
        Prompts.
    T : int
        Answer length in digits, 1 to 8 (static: a Python int).

    Returns
    -------
    jax.Array of int32, shape (B, T)
        ``y_i = (x_i + x_{i+3 mod 8}) mod 10``.

    Raises
    ------
    ValueError
        Not raised here: the input is not checked, since this runs inside compiled code (JAX
        raises its own errors for arrays of incompatible shapes; digits outside 0-9 are not detected).
    """
    i = jnp.arange(T)
    return ((x[:, i] + x[:, (i + OFFSET) % PROMPT_LEN]) % N_DIGITS).astype(jnp.int32)


def leave_one_out_advantage(r: jax.Array) -> jax.Array:
    """``R_i - mean_{j != i} R_j`` within each group (last axis, size >= 2): an unbiased baseline.

    Parameters
    ----------
    r : jax.Array of float, shape (..., G)
        Rewards, the ``G >= 2`` answers to one prompt along the last axis.

    Returns
    -------
    jax.Array of float, shape (..., G)
        Each reward minus the mean of the other ``G - 1`` rewards of its group.

    Raises
    ------
    ValueError
        Not raised here: the input is not checked, since this runs inside compiled code. With
        ``G = 1`` the result is NaN or infinite, not an error (:func:`rlbits.transformer.train.train`
        requires ``group >= 2``).
    """
    G = r.shape[-1]
    return r - (r.sum(-1, keepdims=True) - r) / (G - 1)


def grpo_advantage(r: jax.Array, eps: float = 1e-4) -> jax.Array:
    """GRPO's ``(R - mean) / (std + eps)`` within each group (last axis).

    Parameters
    ----------
    r : jax.Array of float, shape (..., G)
        Rewards, the answers to one prompt along the last axis.
    eps : float, optional
        Added to the group's standard deviation (population, ``ddof=0``) so that a group of equal
        rewards gets advantage 0.

    Returns
    -------
    jax.Array of float, shape (..., G)
        The group-normalised advantages.

    Raises
    ------
    ValueError
        Not raised here: the input is not checked, since this runs inside compiled code (JAX
        raises its own errors for arrays of incompatible shapes).
    """
    return (r - r.mean(-1, keepdims=True)) / (r.std(-1, keepdims=True) + eps)


def sl_loss(params: dict, x: jax.Array, y: jax.Array, cfg: ModelConfig) -> jax.Array:
    """Mean cross-entropy (nats) of the correct answers ``y`` given prompts ``x``.

    Parameters
    ----------
    params : dict
        Model parameters (:func:`rlbits.transformer.model.init_params`).
    x : jax.Array of int, shape (B, 8)
        Prompts.
    y : jax.Array of int, shape (B, T)
        Their correct answers.
    cfg : ModelConfig
        The size ``params`` was made with.

    Returns
    -------
    jax.Array, shape ()
        ``-mean_b log pi(y_b | x_b)`` in nats per sample (the whole answer's log-probability).

    Raises
    ------
    ValueError
        Not raised here: the input is not checked, since this runs inside compiled code (JAX
        raises its own errors for arrays of incompatible shapes).
    """
    return -answer_logprob(params, x, y, cfg).mean()


def policy_loss(method: str, params: dict, x: jax.Array, y: jax.Array, r: jax.Array, group: int,
                cfg: ModelConfig) -> jax.Array:
    """Surrogate loss of a policy-gradient method for sampled answers ``y`` with rewards ``r``.

    ``x``, ``y``, ``r`` hold ``n * group`` rows, the ``group`` answers to one prompt adjacent.
    Its gradient is the method's update direction (the rewards and advantages are constants):
    REINFORCE and graded use :func:`leave_one_out_advantage` times the answer's log-probability;
    GRPO uses :func:`grpo_advantage` times the log-probability divided by ``T`` (per-token mean);
    rejection sampling (``rft``) maximises the log-probability of the answers with reward 1.

    Parameters
    ----------
    method : str
        ``"reinforce"``, ``"graded"``, ``"grpo"`` or ``"rft"``.
    params : dict
        Model parameters (:func:`rlbits.transformer.model.init_params`).
    x : jax.Array of int, shape (n * group, 8)
        Prompts, each repeated ``group`` times.
    y : jax.Array of int, shape (n * group, T)
        The sampled answers.
    r : jax.Array of float, shape (n * group,)
        Their rewards (in {0, 1}, or in [0, 1] for ``graded``).
    group : int
        Answers per prompt.
    cfg : ModelConfig
        The size ``params`` was made with.

    Returns
    -------
    jax.Array, shape ()
        The surrogate loss (nats-scaled; only its gradient matters).

    Raises
    ------
    ValueError
        If ``method`` is not one of the four policy-gradient methods. Arrays are not checked (this
        runs inside compiled code).
    """
    logp = answer_logprob(params, x, y, cfg)
    rg = jax.lax.stop_gradient(r).reshape(-1, group)
    if method in ("reinforce", "graded"):
        adv = leave_one_out_advantage(rg).reshape(-1)
        return -(adv * logp).mean()
    if method == "grpo":
        adv = grpo_advantage(rg).reshape(-1)
        return -(adv * logp / y.shape[1]).mean()
    if method == "rft":
        return -(r * logp).sum() / jnp.maximum(r.sum(), 1.0)
    raise ValueError(f"not a policy-gradient method: {method!r}")


def reverse_kl_loss(params: dict, teacher: dict, x: jax.Array, y: jax.Array, cfg: ModelConfig) -> jax.Array:
    """Per-token reverse KL, in nats, summed over the answer and averaged over samples.

    At each prefix ``(x, y_<t)`` of the student's own answer: ``sum_v pi(v) (log pi(v) - log q(v))``
    with ``pi`` the student and ``q`` the (fixed) teacher, over all ten digits, so the gradient is
    exact at that prefix.

    Parameters
    ----------
    params : dict
        The student's parameters (:func:`rlbits.transformer.model.init_params`).
    teacher : dict
        The teacher's parameters, same size; no gradient flows into them.
    x : jax.Array of int, shape (B, 8)
        Prompts.
    y : jax.Array of int, shape (B, T)
        The student's sampled answers.
    cfg : ModelConfig
        The size of both models.

    Returns
    -------
    jax.Array, shape ()
        The reverse KL in nats per sample, summed over the ``T`` answer positions.

    Raises
    ------
    ValueError
        Not raised here: the input is not checked, since this runs inside compiled code (JAX
        raises its own errors for arrays of incompatible shapes).
    """
    ls = jax.nn.log_softmax(teacher_forced_logits(params, x, y, cfg), axis=-1)
    lt = jax.lax.stop_gradient(jax.nn.log_softmax(teacher_forced_logits(teacher, x, y, cfg), axis=-1))
    return (jnp.exp(ls) * (ls - lt)).sum(-1).sum(-1).mean()
