"""The Chapter 7 task: a verifiable multi-token answer computed position-wise from a digit prompt.

A prompt is ``L = 8`` decimal digits ``x_1 .. x_8``; the answer has ``T`` digits (``1 <= T <= 8``),

    y_i = (x_i + x_{((i + 2) mod 8) + 1}) mod 10,    i = 1 .. T,

the sum of each digit and the digit three places further on (cyclically). Every answer digit needs
two prompt positions that the model has to find by attention, the eight pairs are all different (so
no answer digit is a copy of another, at any ``T``), and one answer is correct, so a reward is a
yes/no check. Only NumPy is needed here: the verifier is the ground truth for every method.
Chapter 7, "The task".
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Digits in a prompt.
PROMPT_LEN = 8
#: Longest answer.
MAX_T = 8
#: Answer digits 0-9, and the separator between prompt and answer.
N_DIGITS = 10
SEP = 10
VOCAB = 11
#: How far along the prompt the second digit of each pair lies.
OFFSET = 3


def check_T(T: int) -> int:
    """Return ``T`` as an int after checking ``1 <= T <= 8``.

    Parameters
    ----------
    T : int
        Answer length in digits.

    Returns
    -------
    int
        ``T`` as a Python int.

    Raises
    ------
    ValueError
        If ``T`` is not an integer (a bool is not one) or lies outside 1 to 8.
    """
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)):
        raise ValueError(f"T (answer length) must be an integer from 1 to {MAX_T}, got {T!r}")
    if not 1 <= int(T) <= MAX_T:
        raise ValueError(f"T (answer length) must be from 1 to {MAX_T}, got {T}")
    return int(T)


def _digits(x: ArrayLike, name: str, width: int | None = None) -> NDArray[np.int32]:
    arr = np.asarray(x)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-d array (rows of digits), got shape {arr.shape}")
    if width is not None and arr.shape[1] != width:
        raise ValueError(f"{name} must have {width} digits per row, got {arr.shape[1]}")
    if not np.issubdtype(arr.dtype, np.integer):
        if not np.issubdtype(arr.dtype, np.floating) or not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise ValueError(f"{name} must hold integer digits 0-9")
    if arr.size and (arr.min() < 0 or arr.max() > 9):
        raise ValueError(f"{name} must hold digits 0-9, got values in [{arr.min()}, {arr.max()}]")
    return arr.astype(np.int32)


def make_prompts(n: int, *, rng: np.random.Generator) -> NDArray[np.int32]:
    """Draw ``n`` prompts of :data:`PROMPT_LEN` uniform random digits.

    Parameters
    ----------
    n : int
        Number of prompts, at least 1.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    ndarray of int32, shape (n, 8)

    Raises
    ------
    ValueError
        If ``n`` is not a positive integer.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    return rng.integers(0, N_DIGITS, size=(int(n), PROMPT_LEN)).astype(np.int32)


def split_prompts(n_train: int, n_heldout: int, *, rng: np.random.Generator) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Draw disjoint training and held-out prompt sets (no held-out prompt appears in training).

    Every prompt is distinct; both sets are in the order drawn.

    Parameters
    ----------
    n_train : int
        Number of training prompts, at least 1.
    n_heldout : int
        Number of held-out prompts, at least 1.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    train : ndarray of int32, shape (n_train, 8)
        Training prompts.
    heldout : ndarray of int32, shape (n_heldout, 8)
        Held-out prompts, none of which is a training prompt.

    Raises
    ------
    ValueError
        If either size is not a positive integer.
    """
    for name, v in (("n_train", n_train), ("n_heldout", n_heldout)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    x = make_prompts(int(1.1 * (n_train + n_heldout)) + 16, rng=rng)
    codes = x @ (10 ** np.arange(PROMPT_LEN, dtype=np.int64))
    _, first = np.unique(codes, return_index=True)
    x = x[np.sort(first)]
    if len(x) < n_train + n_heldout:  # pragma: no cover - 10^8 prompts make this practically impossible
        raise ValueError("could not draw enough distinct prompts")
    return x[:n_train], x[n_train:n_train + n_heldout]


def answers(x: ArrayLike, T: int) -> NDArray[np.int32]:
    """The correct ``T``-digit answer of each prompt: ``y_i = (x_i + x_{i+3 mod 8}) mod 10``.

    Parameters
    ----------
    x : array_like of int, shape (n, 8)
        Prompts.
    T : int
        Answer length, 1 to 8.

    Returns
    -------
    ndarray of int32, shape (n, T)

    Raises
    ------
    ValueError
        If ``x`` is not rows of 8 digits or ``T`` is out of range.
    """
    T = check_T(T)
    x = _digits(x, "x", PROMPT_LEN)
    i = np.arange(T)
    return ((x[:, i] + x[:, (i + OFFSET) % PROMPT_LEN]) % N_DIGITS).astype(np.int32)


def verify(x: ArrayLike, y: ArrayLike) -> NDArray[np.bool_]:
    """Which answer digits are right: a boolean array of the shape of ``y``.

    Parameters
    ----------
    x : array_like of int, shape (n, 8)
        Prompts.
    y : array_like of int, shape (n, T)
        Proposed answers, ``1 <= T <= 8``.

    Returns
    -------
    ndarray of bool, shape (n, T)
        True where the answer digit is right.

    Raises
    ------
    ValueError
        If the shapes disagree, ``y`` has fewer than 1 or more than 8 columns, or an entry is not a digit.
    """
    x = _digits(x, "x", PROMPT_LEN)
    y = _digits(y, "y")
    if y.shape[0] != x.shape[0]:
        raise ValueError(f"x and y must have the same number of rows, got {x.shape[0]} and {y.shape[0]}")
    return answers(x, y.shape[1]) == y


def reward(x: ArrayLike, y: ArrayLike, *, graded: bool = False) -> NDArray[np.float64]:
    """The reward of each answer: 1 if every digit is right (or, ``graded``, the fraction right).

    Chapter 7, "Methods": the all-or-nothing reward is the essay's; the graded one is the partial
    credit of Bram Cohen's comment.

    Parameters
    ----------
    x : array_like of int, shape (n, 8)
        Prompts.
    y : array_like of int, shape (n, T)
        Proposed answers, ``1 <= T <= 8``.
    graded : bool, optional
        Give the fraction of digits right instead of all-or-nothing.

    Returns
    -------
    ndarray of float, shape (n,)
        1.0 or 0.0 for each answer, or with ``graded`` the fraction of its digits right (in [0, 1]).

    Raises
    ------
    ValueError
        If the shapes disagree, ``T`` lies outside 1 to 8, or an entry is not a digit.
    """
    ok = verify(x, y)
    return ok.mean(axis=1) if graded else ok.all(axis=1).astype(np.float64)


#: Every training method of Chapter 7 (defined in :mod:`rlbits.transformer.methods`), in the chapter's order.
METHODS: tuple[str, ...] = ("sl", "reinforce", "grpo", "rft", "distill", "graded")
#: Which methods draw groups of answers per prompt.
GROUPED = frozenset({"reinforce", "grpo", "rft", "graded"})
LABELS: dict[str, str] = {
    "sl": "SL", "reinforce": "REINFORCE (leave-one-out)", "grpo": "GRPO", "rft": "rejection-sampling FT",
    "distill": "on-policy distillation", "graded": "REINFORCE, graded reward",
}


def check_method(method: str) -> str:
    """Return ``method`` after checking it is one of :data:`METHODS`.

    Parameters
    ----------
    method : str
        A training method's name.

    Returns
    -------
    str
        ``method`` unchanged.

    Raises
    ------
    ValueError
        If ``method`` is not one of :data:`METHODS`.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return method
