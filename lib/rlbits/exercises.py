"""Answer checkers for the exercises in the book and the course session.

Each checker is named ``check_<what it checks>``, takes the reader's answer first, and returns
a :class:`CheckResult` that says right or wrong and, when wrong, gives a hint aimed at the
common mistakes (natural log instead of log2, forgetting ``0 · log 0 = 0``, mixing up surprisal
and entropy, ...). A checker never shows the solution unless asked with ``reveal=True``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import information


#: Relative tolerance a numerical answer must meet (answers to 4 significant figures pass).
REL_TOL = 5e-4
#: Absolute tolerance, for answers that should be (close to) zero.
ABS_TOL = 1e-6


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a checker: ``correct`` plus a message for the reader."""

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        return ("✔ " if self.correct else "✘ ") + self.message

    def _repr_markdown_(self) -> str:
        return ("✔ **Correct.** " if self.correct else "✘ **Not yet.** ") + self.message


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def _as_answer(answer: Any) -> float | None:
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return value


def _judge(answer: Any, expected: float, mistakes: list[tuple[float, str]], reveal: bool, what: str) -> CheckResult:
    value = _as_answer(answer)
    solution = f" The answer is {expected:.6g} bits." if reveal else ""
    if value is None:
        return CheckResult(False, f"Your answer should be a single number (bits), got {answer!r}.{solution}")
    if math.isnan(value):
        return CheckResult(
            False,
            "Your answer is NaN. A term 0 · log 0 gives NaN in floating point; by convention it is 0 "
            "(an outcome that never happens contributes nothing)." + solution,
        )
    if _close(value, expected):
        return CheckResult(True, f"{what} = {value:.6g} bits.")
    for wrong, hint in mistakes:
        if math.isfinite(wrong) and _close(value, wrong):
            return CheckResult(False, hint + solution)
    if value < 0:
        return CheckResult(False, "Information is never negative: check the minus sign in front of the log." + solution)
    return CheckResult(False, f"Not quite: recompute {what[0].lower() + what[1:]} step by step, in base-2 logarithms." + solution)


_LN2 = math.log(2.0)
_LOG10_2 = math.log10(2.0)


def _unit_mistakes(expected: float) -> list[tuple[float, str]]:
    return [
        (expected * _LN2, "That is the value in nats: you used the natural log. Divide by ln 2 (or use log2)."),
        (expected * _LOG10_2, "That looks like a base-10 logarithm. Bits use log2."),
        (-expected, "Right size, wrong sign: information is -log2 p, which is never negative."),
    ]


def check_surprisal(answer: Any, p: float, *, reveal: bool = False) -> CheckResult:
    """Check a reader's surprisal, in bits, of an outcome of probability ``p`` (Chapter 1)."""
    expected = float(information.surprisal(p))
    mistakes = _unit_mistakes(expected) + [(p, "That is the probability itself; surprisal is -log2 p.")]
    return _judge(answer, expected, mistakes, reveal, "The surprisal")


def check_binary_entropy(answer: Any, p: float, *, reveal: bool = False) -> CheckResult:
    """Check a reader's binary entropy ``H_b(p)`` in bits (Chapter 1)."""
    expected = float(information.binary_entropy(p))
    mistakes = _unit_mistakes(expected)
    if 0 < p < 1:
        mistakes += [
            (float(information.surprisal(p)), "That is the surprisal of the 'yes' outcome alone, -log2 p. Binary "
             "entropy averages the surprisal of both outcomes, weighted by their probabilities."),
            (-p * math.log2(p), "You have the 'yes' term -p log2 p; add the 'no' term -(1-p) log2(1-p)."),
        ]
    return _judge(answer, expected, mistakes, reveal, "The binary entropy")


def check_entropy(answer: Any, probs: ArrayLike, *, reveal: bool = False) -> CheckResult:
    """Check a reader's entropy ``H(p)`` in bits of the distribution ``probs`` (Chapter 1)."""
    arr = np.asarray(probs, dtype=float)
    expected = float(information.entropy(arr))
    mistakes = _unit_mistakes(expected)
    positive = arr[arr > 0]
    mistakes += [
        (float(np.log2(arr.size)), f"log2 V = {math.log2(arr.size):.4g} is the entropy of the *uniform* "
         "distribution over these outcomes, the maximum; this one is not uniform."),
        (float(-np.log2(arr.max())), "That is the surprisal of the most likely outcome. Entropy is the "
         "probability-weighted average of the surprisals of all outcomes."),
        (float(-np.log2(positive).sum()), "You summed the surprisals without weighting them by their "
         "probabilities: H = Σ p_k (-log2 p_k)."),
    ]
    return _judge(answer, expected, mistakes, reveal, "The entropy")


# --- Chapter 2: information per sample ---


def check_expected_rl_bits(answer: Any, probs: ArrayLike, *, reveal: bool = False) -> CheckResult:
    """Check a reader's calibrated expected RL bits ``Σ_k p_k H_b(p_k)`` for ``probs`` (Chapter 2)."""
    arr = np.asarray(probs, dtype=float)
    expected = float(information.expected_rl_bits(arr))
    top = float(arr.max())
    mistakes = _unit_mistakes(expected) + [
        (float(information.entropy(arr)), "That is the expected SL gain, the entropy H(p). RL only learns "
         "pass/fail about its own guess: weight each H_b(p_k) by p_k."),
        (float(information.binary_entropy(top)), "That is the essay's figure H_b(p) for the top answer alone. "
         "Average over which answer is correct: Σ_k p_k H_b(p_k)."),
        (float(np.sum(information.binary_entropy(arr))), "You summed H_b(p_k) without weighting by p_k, the "
         "probability that answer k is the correct one."),
    ]
    return _judge(answer, expected, mistakes, reveal, "The calibrated expected RL gain")


def check_rl_bits_given_answer(answer: Any, probs: ArrayLike, correct: int, *, reveal: bool = False) -> CheckResult:
    """Check a reader's Yorwba conditional expected RL bits when answer ``correct`` is right (Chapter 2)."""
    arr = np.asarray(probs, dtype=float)
    expected = float(information.rl_bits_given_answer(arr, correct))
    mistakes = _unit_mistakes(expected) + [
        (float(information.sl_bits_given_answer(arr, correct)), "That is the SL gain -log2 p_i. With RL a "
         "wrong guess j only tells you 'not j', worth -log2(1 - p_j)."),
        (float(information.expected_rl_bits(arr)), "That is the calibrated average over all correct answers; "
         "here the correct answer is fixed."),
        (float(information.binary_entropy(arr[correct])), "That is H_b(p_i), the essay's figure. Label the "
         "guess j and the truth i separately: p_i(-log2 p_i) + Σ_{j≠i} p_j(-log2(1 - p_j))."),
    ]
    return _judge(answer, expected, mistakes, reveal, "The conditional expected RL gain")


# --- Chapter 3: gradient variance ---


def check_snr_per_sample(answer: Any, p: float, *, reveal: bool = False) -> CheckResult:
    """Check a reader's per-sample SNR ``p / (1 - p)`` of REINFORCE without a baseline (Chapter 3)."""
    from . import _validate

    p = _validate.open_unit(p, "p")
    expected = p / (1 - p)
    value = _as_answer(answer)
    solution = f" The answer is {expected:.6g}." if reveal else ""
    if value is None or math.isnan(value):
        return CheckResult(False, f"Your answer should be a single number (a ratio, no unit), got {answer!r}.{solution}")
    if _close(value, expected):
        return CheckResult(True, f"SNR = p/(1-p) = {value:.6g}: the odds of success.")
    hints = [
        (p, "That is p, the size of the mean update relative to SL. SNR divides the squared mean, p²‖g‖², "
            "by the variance, p(1-p)‖g‖²."),
        (p * (1 - p), "That is the variance of the reward, p(1-p). SNR is ‖E ĝ‖² / tr Cov ĝ."),
        ((1 - p) / p, "Upside down: that is the batch size needed for SNR ≈ 1, (1-p)/p."),
        (p / (1 - 2 * p) if p < 0.5 else math.nan, "That is the SNR with the best constant baseline for a "
         "uniform policy; the question has no baseline."),
    ]
    for wrong, hint in hints:
        if math.isfinite(wrong) and _close(value, wrong):
            return CheckResult(False, hint + solution)
    return CheckResult(False, "Not quite: compute ‖E ĝ‖² and tr Cov ĝ for ĝ = R(e_a - π), then divide." + solution)


def check_grpo_advantage(answer: Any, k: int, G: int, *, correct: bool = True, reveal: bool = False) -> CheckResult:
    """Check a reader's GRPO advantage of a correct (or wrong) sample when ``k`` of ``G`` succeed (Chapter 3)."""
    from . import gradients

    a_correct, a_wrong = gradients.grpo_advantages_closed_form(np.asarray(int(k)), G)
    expected = float(a_correct if correct else a_wrong)
    ddof1 = expected * math.sqrt((G - 1) / G)  # the sample std is larger by sqrt(G/(G-1))
    value = _as_answer(answer)
    solution = f" The answer is {expected:.6g}." if reveal else ""
    if value is None or math.isnan(value):
        return CheckResult(False, f"Your answer should be a single number, got {answer!r}.{solution}")
    if _close(value, expected):
        return CheckResult(True, f"A = (r - mean)/std = {value:.6g}.")
    hints = [
        (ddof1, "You used the sample standard deviation (ddof=1); the closed form uses the population one."),
        (float(a_wrong if correct else a_correct), "That is the advantage of the other kind of sample."),
        ((1 if correct else 0) - k / G, "You subtracted the mean but did not divide by the standard deviation."),
    ]
    for wrong, hint in hints:
        if _close(value, wrong):
            return CheckResult(False, hint + solution)
    return CheckResult(False, "Not quite: the group mean is k/G and the population std is sqrt(p̂(1-p̂))." + solution)
