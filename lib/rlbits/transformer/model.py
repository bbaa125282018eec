"""A small decoder-only transformer in JAX: parameters, forward pass, answer log-probabilities, sampling.

Pre-layer-norm blocks (causal multi-head self-attention, then a GELU MLP), learned position
embeddings, and an output head over the ten answer digits. Gradients come from ``jax.grad``;
nothing is differentiated by hand. Chapter 7, "The model".
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp

from .task import MAX_T, N_DIGITS, PROMPT_LEN, SEP, VOCAB


@dataclass(frozen=True)
class ModelConfig:
    """Size of the transformer (hashable, so it can be a static argument of a compiled function).

    Attributes
    ----------
    width : int
        Model width (embedding size); a multiple of ``heads``.
    layers : int
        Number of transformer blocks.
    heads : int
        Attention heads per block.
    mlp : int
        Hidden units of each block's MLP.

    Raises
    ------
    ValueError
        If a size is not a positive integer, or ``width`` is not a multiple of ``heads``.
    """

    width: int = 64
    layers: int = 2
    heads: int = 4
    mlp: int = 256

    def __post_init__(self) -> None:
        for name in ("width", "layers", "heads", "mlp"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{name} must be a positive integer, got {v!r}")
        if self.width % self.heads:
            raise ValueError(f"width ({self.width}) must be a multiple of heads ({self.heads})")


#: Longest token sequence the model sees (prompt, separator, answer minus its last digit).
MAX_LEN = PROMPT_LEN + MAX_T


def init_params(key: jax.Array, cfg: ModelConfig = ModelConfig()) -> dict:
    """Random initial parameters (scaled normal weights, zero biases, unit layer-norm gains).

    Parameters
    ----------
    key : jax.Array
        A JAX random key.
    cfg : ModelConfig
        Model size.

    Returns
    -------
    dict
        A pytree of ``jax.Array``; :func:`n_params` counts them.

    Raises
    ------
    ValueError
        Never for a valid :class:`ModelConfig` (its sizes are checked when it is made).
    """
    d, m = cfg.width, cfg.mlp
    keys = iter(jax.random.split(key, 3 + 4 * cfg.layers))

    def normal(shape, fan_in):
        return jax.random.normal(next(keys), shape) / jnp.sqrt(fan_in)

    blocks = []
    for _ in range(cfg.layers):
        blocks.append({
            "ln1_g": jnp.ones(d), "ln1_b": jnp.zeros(d),
            "qkv": normal((d, 3 * d), d),
            "out": normal((d, d), d) / jnp.sqrt(2.0 * cfg.layers),
            "ln2_g": jnp.ones(d), "ln2_b": jnp.zeros(d),
            "w1": normal((d, m), d), "b1": jnp.zeros(m),
            "w2": normal((m, d), m) / jnp.sqrt(2.0 * cfg.layers), "b2": jnp.zeros(d),
        })
    return {
        "tok": 0.5 * normal((VOCAB, d), 1.0),
        "pos": 0.5 * normal((MAX_LEN, d), 1.0),
        "blocks": blocks,
        "lnf_g": jnp.ones(d), "lnf_b": jnp.zeros(d),
        "head": 0.1 * normal((d, N_DIGITS), d),  # near-uniform answers at the start
    }


def n_params(params: dict) -> int:
    """Number of scalar parameters in a parameter pytree.

    Parameters
    ----------
    params : dict
        A pytree of arrays (:func:`init_params`; stacked replicas count every replica).

    Returns
    -------
    int
        The total number of entries of its arrays.

    Raises
    ------
    ValueError
        Never: any pytree of arrays is counted.
    """
    return int(sum(x.size for x in jax.tree_util.tree_leaves(params)))


def _layer_norm(h, g, b):
    mu = h.mean(-1, keepdims=True)
    var = ((h - mu) ** 2).mean(-1, keepdims=True)
    return (h - mu) * jax.lax.rsqrt(var + 1e-5) * g + b


def forward(params: dict, tokens: jax.Array, cfg: ModelConfig = ModelConfig()) -> jax.Array:
    """Logits over the ten digits at every position of ``tokens`` (causal: position s sees 0..s).

    Parameters
    ----------
    params : dict
        From :func:`init_params`.
    tokens : jax.Array of int, shape (B, S)
        Token ids in ``0 .. 10`` (10 is the separator), ``S <= 16``.
    cfg : ModelConfig
        The size ``params`` was made with.

    Returns
    -------
    jax.Array, shape (B, S, 10)

    Raises
    ------
    ValueError
        Not raised on purpose: the arrays are not checked, since this runs inside compiled code.
        JAX raises a ``ValueError`` of its own for arrays of the wrong rank or a sequence longer than
        16 tokens.
    """
    B, S = tokens.shape
    d, H = cfg.width, cfg.heads
    h = params["tok"][tokens] + params["pos"][:S]
    mask = jnp.tril(jnp.ones((S, S), dtype=bool))
    for blk in params["blocks"]:
        a = _layer_norm(h, blk["ln1_g"], blk["ln1_b"])
        q, k, v = jnp.split(a @ blk["qkv"], 3, axis=-1)
        q, k, v = (z.reshape(B, S, H, d // H) for z in (q, k, v))
        att = jnp.einsum("bshd,bthd->bhst", q, k) / jnp.sqrt(d // H)
        att = jax.nn.softmax(jnp.where(mask, att, -1e9), axis=-1)
        h = h + jnp.einsum("bhst,bthd->bshd", att, v).reshape(B, S, d) @ blk["out"]
        a = _layer_norm(h, blk["ln2_g"], blk["ln2_b"])
        h = h + jax.nn.gelu(a @ blk["w1"] + blk["b1"]) @ blk["w2"] + blk["b2"]
    return _layer_norm(h, params["lnf_g"], params["lnf_b"]) @ params["head"]


def teacher_forced_logits(params: dict, x: jax.Array, y: jax.Array, cfg: ModelConfig = ModelConfig()) -> jax.Array:
    """Logits for each answer digit given the prompt and the answer's earlier digits.

    Parameters
    ----------
    params : dict
        From :func:`init_params`.
    x : jax.Array of int, shape (B, 8)
        Prompts.
    y : jax.Array of int, shape (B, T)
        Answers, ``1 <= T <= 8``.
    cfg : ModelConfig
        The size ``params`` was made with.

    Returns
    -------
    jax.Array, shape (B, T, 10)
        Entry ``t`` holds the logits of the model's distribution of ``y_{t+1}`` given ``x`` and
        ``y_1 .. y_t``.

    Raises
    ------
    ValueError
        Not raised on purpose: the arrays are not checked, since this runs inside compiled code.
        JAX raises a ``ValueError`` of its own for arrays of the wrong rank or a sequence longer than
        16 tokens.
    """
    B, T = y.shape
    tokens = jnp.concatenate([x, jnp.full((B, 1), SEP, dtype=x.dtype), y[:, :T - 1].astype(x.dtype)], axis=1)
    return forward(params, tokens, cfg)[:, PROMPT_LEN:PROMPT_LEN + T]


def answer_logprob(params: dict, x: jax.Array, y: jax.Array, cfg: ModelConfig = ModelConfig()) -> jax.Array:
    """Log-probability (nats) of each whole answer, ``sum_t log pi(y_t | x, y_<t)``.

    Parameters
    ----------
    params : dict
        From :func:`init_params`.
    x : jax.Array of int, shape (B, 8)
        Prompts.
    y : jax.Array of int, shape (B, T)
        Answers, ``1 <= T <= 8``.
    cfg : ModelConfig
        The size ``params`` was made with.

    Returns
    -------
    jax.Array of float, shape (B,)
        Log-probability of each answer, in nats (divide by ``ln 2`` for bits).

    Raises
    ------
    ValueError
        Not raised on purpose: the arrays are not checked, since this runs inside compiled code.
        JAX raises a ``ValueError`` of its own for arrays of the wrong rank or a sequence longer than
        16 tokens.
    """
    logp = jax.nn.log_softmax(teacher_forced_logits(params, x, y, cfg), axis=-1)
    return jnp.take_along_axis(logp, y[..., None].astype(jnp.int32), axis=-1)[..., 0].sum(-1)


def sample_answers(params: dict, x: jax.Array, T: int, key: jax.Array, cfg: ModelConfig = ModelConfig()) -> jax.Array:
    """Sample one ``T``-digit answer per prompt from the model, digit by digit (temperature 1).

    The whole sequence is recomputed for each digit (the sequences are at most 16 tokens long, so a
    key-value cache would save little).

    Parameters
    ----------
    params : dict
        From :func:`init_params`.
    x : jax.Array of int, shape (B, 8)
        Prompts.
    T : int
        Answer length, 1 to 8 (a Python int: it sets the number of sampling steps).
    key : jax.Array
        A JAX random key.
    cfg : ModelConfig
        The size ``params`` was made with.

    Returns
    -------
    jax.Array of int32, shape (B, T)
        The sampled answer digits.

    Raises
    ------
    ValueError
        Not raised on purpose: ``T`` and the arrays are not checked, since this runs inside
        compiled code. JAX raises a ``ValueError`` of its own for ``T > 8`` (a sequence longer than
        16 tokens) and a ``TypeError`` for ``T < 1``.
    """
    B = x.shape[0]
    tokens = jnp.concatenate([x, jnp.full((B, 1), SEP, dtype=x.dtype), jnp.zeros((B, T - 1), dtype=x.dtype)], axis=1)
    ys = []
    for t in range(T):
        key, sub = jax.random.split(key)
        y_t = jax.random.categorical(sub, forward(params, tokens, cfg)[:, PROMPT_LEN + t]).astype(x.dtype)
        if t < T - 1:
            tokens = tokens.at[:, PROMPT_LEN + 1 + t].set(y_t)
        ys.append(y_t)
    return jnp.stack(ys, axis=1).astype(jnp.int32)
