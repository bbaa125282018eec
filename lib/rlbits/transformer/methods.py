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
    """The correct answers inside compiled code (same rule as :func:`rlbits.transformer.task.answers`)."""
    i = jnp.arange(T)
    return ((x[:, i] + x[:, (i + OFFSET) % PROMPT_LEN]) % N_DIGITS).astype(jnp.int32)


def leave_one_out_advantage(r: jax.Array) -> jax.Array:
    """``R_i - mean_{j != i} R_j`` within each group (last axis, size >= 2): an unbiased baseline."""
    G = r.shape[-1]
    return r - (r.sum(-1, keepdims=True) - r) / (G - 1)


def grpo_advantage(r: jax.Array, eps: float = 1e-4) -> jax.Array:
    """GRPO's ``(R - mean) / (std + eps)`` within each group (last axis)."""
    return (r - r.mean(-1, keepdims=True)) / (r.std(-1, keepdims=True) + eps)


def sl_loss(params: dict, x: jax.Array, y: jax.Array, cfg: ModelConfig) -> jax.Array:
    """Mean cross-entropy (nats) of the correct answers ``y`` given prompts ``x``."""
    return -answer_logprob(params, x, y, cfg).mean()


def policy_loss(method: str, params: dict, x: jax.Array, y: jax.Array, r: jax.Array, group: int,
                cfg: ModelConfig) -> jax.Array:
    """Surrogate loss of a policy-gradient method for sampled answers ``y`` with rewards ``r``.

    ``x``, ``y``, ``r`` hold ``n * group`` rows, the ``group`` answers to one prompt adjacent.
    Its gradient is the method's update direction (the rewards and advantages are constants).
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
    """
    ls = jax.nn.log_softmax(teacher_forced_logits(params, x, y, cfg), axis=-1)
    lt = jax.lax.stop_gradient(jax.nn.log_softmax(teacher_forced_logits(teacher, x, y, cfg), axis=-1))
    return (jnp.exp(ls) * (ls - lt)).sum(-1).sum(-1).mean()
