"""Answer checkers for the exercises in the book and the course session.

Each checker is named ``check_<what it checks>``, takes the reader's answer first, and returns
a :class:`CheckResult` that says right or wrong and, when wrong, gives a hint aimed at the
common mistakes (natural log instead of log2, forgetting ``0 · log 0 = 0``, mixing up surprisal
and entropy, ...). A checker never shows the solution unless asked with ``reveal=True``; neither
its docstring nor its messages state the answer or the formula that gives it, and ``reveal=True``
shows the answer only where the instructor has set the environment variable ``RLBITS_REVEAL=1``.

How answers are graded (the course's rule, stated on the exercise page): a numerical answer is
right when it rounds (half up, digits as typed) to the same significant figures as the exact
value, three unless the exercise says otherwise (``sig``); a more precise answer passes when it
rounds to those figures or is the exact value correctly rounded to its own figures. An answer that agrees to one significant figure fewer is told to check its
rounding. A hint for a named slip is given only when that slip's value cannot be confused with a
rounded right answer. Bad *problem* arguments (not a distribution, an index out of range, a pass
rate outside (0, 1), ...) raise :class:`ValueError`; a bad *answer* is a wrong answer.
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import _validate, information


#: Significant figures an answer must match unless the exercise states another precision.
SIG_FIGS = 3
#: Relative tolerance for values computed by a reader's *code* (functions are checked at several
#: inputs and must be accurate, not rounded), and the coarsest precision ``_close`` ever demands.
REL_TOL = 5e-4
#: Absolute tolerance, for answers that should be (close to) zero.
ABS_TOL = 1e-6


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a checker: ``correct`` plus a message for the reader.

    ``pending`` marks a cell the reader has not answered yet (the answer is still ``None``): it is
    not correct, but it is not graded as wrong either, so an untouched exercise greets the reader
    with what to do rather than with a cross.

    Parameters
    ----------
    correct : bool
        Whether the answer is right.
    message : str
        What the reader is told: a confirmation, a hint, or what to do next.
    pending : bool, optional
        The exercise has not been answered yet (default ``False``).

    Raises
    ------
    ValueError
        Never: a result is plain data (listed for the API's uniformity).
    """

    correct: bool
    message: str
    pending: bool = False

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        return ("✔ " if self.correct else "… " if self.pending else "✘ ") + self.message

    def _repr_markdown_(self) -> str:
        if self.pending:
            return "✎ " + self.message
        return ("✔ **Correct.** " if self.correct else "✘ **Not yet.** ") + self.message


def _pending(solution: str = "", what: str = "your answer") -> CheckResult:
    return CheckResult(False, f"Replace None with {what} and run the cell again.{solution}", pending=True)


#: Environment variable that lets ``reveal=True`` show answers (set by the instructor, see
#: ``_may_reveal``).
REVEAL_VARIABLE = "RLBITS_REVEAL"


def _may_reveal(reveal: bool) -> bool:
    """Whether a checker may add the answer to its message.

    ``reveal=True`` shows the answer only where the environment variable ``RLBITS_REVEAL`` is ``1``:
    the instructor sets it (the instructor edition's notebooks do) so that a student's notebook
    does not print the answers of the class exercises one keyword away.
    """
    if not reveal:
        return False
    if os.environ.get(REVEAL_VARIABLE) == "1":
        return True
    warnings.warn("reveal=True shows answers only where the instructor has set RLBITS_REVEAL=1; "
                  "the checker's hint is shown without the answer.", stacklevel=3)
    return False


def _sig(sig: Any) -> int:
    """The precision argument of a checker, validated: a whole number of significant figures, 1 to 6."""
    if isinstance(sig, bool) or not isinstance(sig, (int, np.integer)) or not 1 <= int(sig) <= 6:
        raise ValueError(f"sig must be a whole number of significant figures from 1 to 6, got {sig!r}")
    return int(sig)


def half_unit(expected: float, sig: int = SIG_FIGS) -> float:
    """Half a unit in the last place of ``expected`` written to ``sig`` significant figures.

    Any number within this distance of ``expected`` rounds to the same ``sig`` figures (up to the
    tie at exactly half a unit, which is accepted too). For ``expected == 0`` it is :data:`ABS_TOL`.

    Parameters
    ----------
    expected : float
        The exact value.
    sig : int, optional
        Significant figures the answer must match (1 to 6; default 3).

    Returns
    -------
    float
        The half unit; :data:`ABS_TOL` when ``expected`` is 0 or not finite.

    Raises
    ------
    ValueError
        Never for finite input (listed for the API's uniformity).
    """
    if expected == 0 or not math.isfinite(expected):
        return ABS_TOL
    exponent = math.floor(math.log10(abs(expected)))
    return 0.5 * 10.0 ** (exponent - sig + 1)


def round_sig(x: float, sig: int = SIG_FIGS) -> Decimal:
    """``x`` rounded to ``sig`` significant figures, half up, as the decimal a reader would write.

    The digits are those of ``repr(x)`` (what the reader typed), so a typed final 5 rounds up even
    where the nearest double lies just below the tie.

    Parameters
    ----------
    x : float
        A number.
    sig : int, optional
        Significant figures the answer must match (1 to 6; default 3).

    Returns
    -------
    decimal.Decimal
        The rounded value.

    Raises
    ------
    ValueError
        If ``x`` is not a finite number (``Decimal`` of ``repr``).
    """
    d = Decimal(repr(float(x)))
    if d == 0:
        return d
    return d.quantize(Decimal(1).scaleb(d.adjusted() - sig + 1), rounding=ROUND_HALF_UP)


def _close(a: float, b: float, sig: int = SIG_FIGS) -> bool:
    """True when ``a`` rounds to the same ``sig`` significant figures as ``b`` (the course's rule).

    An answer given to more figures also passes when it is ``b`` correctly rounded to those figures.

    Near zero, where significant figures say nothing, within :data:`ABS_TOL`.
    """
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    if b == 0:
        return abs(a) <= ABS_TOL
    if round_sig(a, sig) == round_sig(b, sig):
        return True
    # A more precise answer that is the exact value correctly rounded to its own figures passes too
    # (0.1765 for 0.17647..., although 0.1765 itself would round up to 0.177).
    typed = Decimal(repr(float(a)))
    figures = len(typed.normalize().as_tuple().digits)
    return figures > sig and round_sig(b, figures) == typed


def _near(a: float, b: float, sig: int = SIG_FIGS) -> bool:
    """True when ``a`` lies within rounding of ``b`` at ``sig`` figures: how a named slip is recognised.

    Looser than :func:`_close` at the edges of a rounding interval, so that a slip the reader rounded
    (perhaps to more figures first) still gets its hint; it never decides that an answer is right.
    """
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) <= half_unit(b, sig) * (1 + 1e-9) + 1e-15


def _rounding_band(expected: float, sig: int) -> float:
    """How far an answer may be from ``expected`` and still be "right but rounded too coarsely"."""
    return 10 * half_unit(expected, sig) * (1 + 1e-9)


def _distinguishable(slip: float, expected: float, sig: int) -> bool:
    """A slip's value can be told apart from every rounding of the right answer."""
    return math.isfinite(slip) and abs(slip - expected) > _rounding_band(expected, sig) + half_unit(slip, sig)


def _as_answer(answer: Any) -> float | None:
    if isinstance(answer, (bool, np.bool_)):
        return None
    try:
        value = float(answer)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int too large for a float, e.g. 10**400
        return None
    return value


def _rounding_hint(sig: int) -> str:
    return (f"Close, but check your rounding: give the answer to {sig} significant figures, and round only "
            "at the end (keep every digit of the intermediate results).")


def _grade(value: float, expected: float, mistakes: list[tuple[float, str]], sig: int,
           solution: str) -> CheckResult | None:
    """The shared part of every numerical checker, after the answer has been read as ``value``.

    Returns ``None`` when the answer is neither right, nor a named slip, nor a rounding problem,
    so the caller can add its own checks before the generic hint.
    """
    if _close(value, expected, sig):
        return CheckResult(True, "")
    for wrong, hint in mistakes:
        if _distinguishable(wrong, expected, sig) and _near(value, wrong, sig):
            return CheckResult(False, hint + solution)
    if abs(value - expected) <= _rounding_band(expected, sig):
        return CheckResult(False, _rounding_hint(sig) + solution)
    return None


_NAN_ZERO_LOG_ZERO = ("Your answer is NaN. A term 0 · log 0 gives NaN in floating point; by convention it is 0 "
                      "(an outcome that never happens contributes nothing).")
_NAN_GENERIC = ("Your answer is NaN (not a number): some step of the computation is undefined, such as 0/0 or "
                "the logarithm of a negative number. Recompute it step by step.")


def _judge(answer: Any, expected: float, mistakes: list[tuple[float, str]], reveal: bool, what: str,
           *, sig: int = SIG_FIGS, unit: str = "bits", zero_log_zero: bool = True) -> CheckResult:
    """Grade a numerical answer in ``unit`` against ``expected`` at ``sig`` significant figures.

    ``zero_log_zero``: the quantity is a sum of ``p log p`` terms, so a NaN answer most likely
    comes from a ``0 · log 0`` term, and the hint says so; otherwise the NaN hint is generic.
    """
    sig = _sig(sig)
    value = _as_answer(answer)
    solution = f" The answer is {expected:.6g} {unit}." if _may_reveal(reveal) else ""
    if answer is None:
        return _pending(solution)
    if value is None:
        return CheckResult(False, f"Your answer should be a single number ({unit}), got {answer!r}.{solution}")
    if math.isnan(value):
        return CheckResult(False, (_NAN_ZERO_LOG_ZERO if zero_log_zero else _NAN_GENERIC) + solution)
    graded = _grade(value, expected, mistakes, sig, solution)
    if graded is not None:
        if graded.correct:
            return CheckResult(True, f"{what} = {value:.6g} {unit}.")
        return graded
    if value < 0:
        return CheckResult(False, "Information is never negative: check the minus sign in front of the log." + solution)
    return CheckResult(False, f"Not quite: recompute {what[0].lower() + what[1:]} step by step, in base-2 logarithms." + solution)


_LN2 = math.log(2.0)
_LOG10_2 = math.log10(2.0)


def _unit_mistakes(expected: float) -> list[tuple[float, str]]:
    return [
        (expected * _LN2, "That is the value in nats: you used the natural log. Divide by ln 2 (or use log2)."),
        (expected * _LOG10_2, "That looks like a base-10 logarithm. Bits use log2."),
        (-expected, "Right size, wrong sign: information is -log2 of a probability, which is never negative."),
    ]


def _one_probability(p: Any, name: str, *, allow_zero: bool = False, allow_one: bool = True) -> float:
    """A single probability for a problem statement: a number (not a list) in the allowed range."""
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a single number (a probability), got {p!r}")
    arr = _validate.probability(p, name)
    value = float(arr)
    if value == 0 and not allow_zero:
        raise ValueError(f"{name} must be greater than 0 (an outcome of probability 0 never happens), got {p!r}")
    if value == 1 and not allow_one:
        raise ValueError(f"{name} must be less than 1, got {p!r}")
    return value


def _one_distribution(probs: Any, name: str = "probs") -> np.ndarray:
    arr = _validate.distribution(probs, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one distribution (a 1-d list of probabilities), got shape {arr.shape}")
    return arr


# --- Chapter 1: bits ---


def check_surprisal(answer: Any, p: float, *, sig: int = SIG_FIGS, reveal: bool = False) -> CheckResult:
    """Check a reader's surprisal, in bits, of an outcome the model gave probability ``p`` (Chapter 1).

    ``p`` must be one probability in (0, 1]. Raises ``ValueError`` otherwise.

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    p : float
        The probability the model gave the outcome, in (0, 1].
    sig : int, optional
        Significant figures the answer must match (1 to 6; default 3).
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    p = _one_probability(p, "p")
    expected = float(information.surprisal(p))
    mistakes = _unit_mistakes(expected) + [(p, "That is the probability itself; surprisal measures how "
                                               "surprising the outcome is, in bits (Chapter 1).")]
    if p < 1:
        mistakes.append((float(information.surprisal(1 - p)), "That is the surprisal of the *other* outcome, "
                         "the one of probability 1 - p."))
        mistakes.append((1 / p, "That is 1/p, a number of outcomes, not bits: take the base-2 logarithm."))
    return _judge(answer, expected, mistakes, reveal, "The surprisal", sig=sig, zero_log_zero=False)


def check_binary_entropy(answer: Any, p: float, *, sig: int = SIG_FIGS, reveal: bool = False) -> CheckResult:
    """Check a reader's binary entropy ``H_b(p)`` in bits for one pass rate ``p`` in [0, 1] (Chapter 1).

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    p : float
        The pass rate, in [0, 1].
    sig : int, optional
        Significant figures the answer must match (1 to 6; default 3).
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    p = _one_probability(p, "p", allow_zero=True)
    expected = float(information.binary_entropy(p))
    mistakes = _unit_mistakes(expected)
    if 0 < p < 1:
        mistakes += [
            (float(information.surprisal(p)), "That is the surprisal of the 'yes' outcome alone. Binary "
             "entropy averages the surprisal of both outcomes, weighted by their probabilities."),
            (-p * math.log2(p), "You have the 'yes' term only; add the 'no' term."),
            (-(1 - p) * math.log2(1 - p), "You have the 'no' term only; add the 'yes' term."),
            (-math.log2(p) - math.log2(1 - p), "You added the two surprisals without weighting each by its "
             "probability."),
        ]
    return _judge(answer, expected, mistakes, reveal, "The binary entropy", sig=sig)


def check_entropy(answer: Any, probs: ArrayLike, *, sig: int = SIG_FIGS, reveal: bool = False) -> CheckResult:
    """Check a reader's entropy ``H(p)`` in bits of the distribution ``probs`` (Chapter 1).

    ``probs`` must be one distribution (a 1-d list that sums to 1). Raises ``ValueError`` otherwise.

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    probs : array_like
        One distribution over the answers (1-d, sums to 1).
    sig : int, optional
        Significant figures the answer must match (1 to 6; default 3).
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    arr = _one_distribution(probs)
    expected = float(information.entropy(arr))
    mistakes = _unit_mistakes(expected)
    positive = arr[arr > 0]
    mistakes += [
        (float(np.log2(arr.size)), "log2 V is the entropy of the *uniform* distribution over these outcomes, "
         "the maximum; this one is not uniform."),
        (float(-np.log2(arr.max())), "That is the surprisal of the most likely outcome. Entropy is the "
         "probability-weighted average of the surprisals of all outcomes."),
        (float(-np.log2(positive).sum()), "You summed the surprisals without weighting them by their "
         "probabilities."),
    ]
    return _judge(answer, expected, mistakes, reveal, "The entropy", sig=sig)


# --- Chapter 2: information per sample ---


def check_expected_rl_bits(answer: Any, probs: ArrayLike, *, sig: int = SIG_FIGS, reveal: bool = False) -> CheckResult:
    """Check a reader's calibrated expected bits from one pass/fail sample for the model ``probs`` (Chapter 2).

    The correct answer is drawn from ``probs`` itself (Niels Rolf's calibrated comparison). Raises
    ``ValueError`` unless ``probs`` is one distribution.

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    probs : array_like
        One distribution over the answers (1-d, sums to 1).
    sig : int, optional
        Significant figures the answer must match (1 to 6; default 3).
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    arr = _one_distribution(probs)
    expected = float(information.expected_rl_bits(arr))
    top = float(arr.max())
    mistakes = _unit_mistakes(expected) + [
        (float(information.entropy(arr)), "That is the expected SL gain, the entropy H(p). RL only learns "
         "pass/fail about its own guess."),
        (float(information.binary_entropy(top)), "That is the essay's figure H_b(p) for the top answer alone. "
         "Average over which answer is correct."),
        (float(np.sum(information.binary_entropy(arr))), "You summed the H_b(p_k) without weighting each by the "
         "probability that answer k is the correct one."),
    ]
    return _judge(answer, expected, mistakes, reveal, "The calibrated expected RL gain", sig=sig)


def check_rl_bits_given_answer(answer: Any, probs: ArrayLike, correct: int, *, sig: int = SIG_FIGS,
                               reveal: bool = False) -> CheckResult:
    """Check a reader's expected RL bits when answer number ``correct`` (from 0) is right (Chapter 2, Yorwba).

    Raises ``ValueError`` unless ``probs`` is one distribution and ``correct`` a whole-number index into it.

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    probs : array_like
        One distribution over the answers (1-d, sums to 1).
    correct : int
        Index of the correct answer, counted from 0.
    sig : int, optional
        Significant figures the answer must match (1 to 6; default 3).
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    arr = _one_distribution(probs)
    if isinstance(correct, (bool, np.bool_)):
        raise ValueError(f"correct must be a whole-number index, got {correct!r}")
    i = int(_validate.index(correct, arr.size, (), "correct"))
    expected = float(information.rl_bits_given_answer(arr, i))
    others = np.delete(arr, i)
    mistakes = _unit_mistakes(expected) + [
        (float(information.sl_bits_given_answer(arr, i)), "That is the SL gain, the surprisal of the correct "
         "answer. With RL a wrong guess j only tells you 'not j'."),
        (float(information.expected_rl_bits(arr)), "That is the calibrated average over all correct answers; "
         "here the correct answer is fixed."),
        (float(information.binary_entropy(arr[i])), "That is H_b(p_i), the essay's figure. Label the guess j "
         "and the truth i separately, and add up what each guess teaches."),
        (float(arr[i] * -np.log2(arr[i]) + np.sum(others[others > 0] * -np.log2(others[others > 0]))),
         "For a wrong guess j you used -log2 p_j, the surprisal of 'the answer is j'. A wrong guess only tells "
         "you 'not j', an event of probability 1 - p_j."),
        (float(arr[i] * -np.log2(arr[i])), "You have the term for a correct guess; the wrong guesses teach "
         "something too ('not j')."),
    ]
    for k in range(arr.size):
        if k != i:
            mistakes.append((float(information.rl_bits_given_answer(arr, k)), f"That is the value when answer "
                             f"{k} is the correct one (answers are numbered from 0). Check which answer the "
                             "question says is correct."))
    return _judge(answer, expected, mistakes, reveal, "The conditional expected RL gain", sig=sig)


# --- Chapter 3: gradient variance ---


def _number_answer(answer: Any, what: str, solution: str) -> tuple[float | None, CheckResult | None]:
    if answer is None:
        return None, _pending(solution)
    value = _as_answer(answer)
    if value is None or math.isnan(value):
        return None, CheckResult(False, f"Your answer should be a single number{what}, got {answer!r}.{solution}")
    return value, None


def check_snr_per_sample(answer: Any, p: float, *, sig: int = SIG_FIGS, reveal: bool = False) -> CheckResult:
    """Check a reader's signal-to-noise ratio of one REINFORCE sample, no baseline, at pass rate ``p`` (Chapter 3).

    Raises ``ValueError`` unless ``0 < p < 1``.

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    p : float
        The pass rate, strictly between 0 and 1.
    sig : int, optional
        Significant figures the answer must match (1 to 6; default 3).
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    sig = _sig(sig)
    p = _validate.open_unit(p, "p")
    expected = p / (1 - p)
    solution = f" The answer is {expected:.6g}." if _may_reveal(reveal) else ""
    value, bad = _number_answer(answer, " (a ratio, no unit)", solution)
    if bad is not None:
        return bad
    hints = [
        (p, "That is p, the size of the mean update relative to SL. The SNR divides the *squared* norm of the "
            "mean by the total variance."),
        (p * (1 - p), "That is the variance of the reward. The SNR is ‖E ĝ‖² / tr Cov ĝ."),
        ((1 - p) / p, "Upside down: that is noise over signal."),
        (p / (1 - 2 * p) if p < 0.5 else math.nan, "That is the SNR with the best constant baseline for a "
         "uniform policy; the question has no baseline."),
        (p**2, "That is the squared mean alone (in units of ‖g_SL‖²); divide it by the variance."),
        (math.sqrt(p / (1 - p)), "That is a ratio of standard deviations (the square root of the SNR); the SNR "
                                 "compares the squared mean with the variance."),
    ]
    graded = _grade(value, expected, hints, sig, solution)
    if graded is not None:
        return CheckResult(True, f"SNR = {value:.6g}: the odds of success.") if graded.correct else graded
    if value < 0:
        return CheckResult(False, "A ratio of a squared norm to a variance is never negative." + solution)
    return CheckResult(False, "Not quite: compute ‖E ĝ‖² and tr Cov ĝ for ĝ = R(e_a - π), then divide." + solution)


def check_grpo_advantage(answer: Any, k: int, G: int, *, correct: bool = True, sig: int = SIG_FIGS,
                         reveal: bool = False) -> CheckResult:
    """Check a reader's GRPO advantage of a passing (or, ``correct=False``, failing) sample when ``k`` of ``G`` pass.

    Chapter 3, "GRPO". Raises ``ValueError`` unless ``G >= 2`` and ``k`` is a whole number with
    ``0 < k < G`` (with all rewards equal the advantage is 0/0).

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    k : int
        The number of passing samples.
    G : int
        The group size, at least 2.
    correct : bool, optional
        Whether the sample asked about passed (default) or failed.
    sig : int, optional
        Significant figures the answer must match (1 to 6; default 3).
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    from . import gradients

    sig = _sig(sig)
    G = _validate.positive_int(G, "G", minimum=2)
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer, float, np.floating)) \
            or not float(k).is_integer():
        raise ValueError(f"k must be a whole number of passing samples, got {k!r}")
    k = int(k)
    if not 0 < k < G:
        raise ValueError(f"k must satisfy 0 < k < G = {G} (with all rewards equal the advantage is 0/0), got {k}")
    if not isinstance(correct, (bool, np.bool_)):
        raise ValueError(f"correct must be True or False, got {correct!r}")
    a_correct, a_wrong = gradients.grpo_advantages_closed_form(np.asarray(k), G)
    expected = float(a_correct if correct else a_wrong)
    ddof1 = expected * math.sqrt((G - 1) / G)  # the sample std is larger by sqrt(G/(G-1))
    solution = f" The answer is {expected:.6g}." if _may_reveal(reveal) else ""
    value, bad = _number_answer(answer, "", solution)
    if bad is not None:
        return bad
    p_hat = k / G
    hints = [
        (ddof1, "You used the sample standard deviation (ddof=1); the question asks for the population one."),
        (float(a_wrong if correct else a_correct), "That is the advantage of the other kind of sample."),
        ((1 if correct else 0) - p_hat, "You subtracted the mean but did not divide by the standard deviation."),
        (((1 if correct else 0) - p_hat) / (p_hat * (1 - p_hat)), "You divided by the variance; divide by the "
                                                                  "standard deviation, its square root."),
        (-expected, "Right size, wrong sign: a passing sample is above the group mean, a failing one below."),
    ]
    graded = _grade(value, expected, hints, sig, solution)
    if graded is not None:
        return CheckResult(True, f"A = (r - mean)/std = {value:.6g}.") if graded.correct else graded
    return CheckResult(False, "Not quite: find the group mean of the rewards and their population standard "
                              "deviation, then standardise this sample's reward." + solution)


# --- Course session ---


def check_calibrated_sl_bits(answer: Any, probs: ArrayLike, *, sig: int = SIG_FIGS, reveal: bool = False) -> CheckResult:
    """Check a reader's calibrated expected SL bits for the model ``probs`` (Chapter 2).

    The expectation is over which answer is correct, drawn from the model's own distribution
    (Niels Rolf's comparison, section ``ch-information-gain``). Raises ``ValueError`` if ``probs``
    is not one distribution.

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    probs : array_like
        One distribution over the answers (1-d, sums to 1).
    sig : int, optional
        Significant figures the answer must match (1 to 6; default 3).
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    arr = _one_distribution(probs)
    expected = float(information.entropy(arr))
    top = float(arr.max())
    positive = arr[arr > 0]
    mistakes = _unit_mistakes(expected) + [
        (float(information.expected_rl_bits(arr)), "That is the calibrated RL gain. SL is told the correct "
         "answer itself: average its surprisal over which answer is correct."),
        (float(-np.log2(top)), "That is -log2 of the top probability: the SL gain *given* that the most likely "
         "answer is correct, a conditional value. The calibrated expectation weights the surprisal of every "
         "answer by the probability that it is the correct one."),
        (float(information.binary_entropy(top)), "That is the essay's RL figure H_b(p) for the top answer. The "
         "question asks for the SL gain, averaged over which answer is correct."),
        (float(np.log2(arr.size)), "log2 V is the expected SL gain of a *uniform* model, the maximum; this "
         "model is not uniform."),
        (float(-np.log2(positive).sum()), "You summed the surprisals without weighting them by the probability "
         "that each answer is the correct one."),
    ]
    return _judge(answer, expected, mistakes, reveal, "The calibrated expected SL gain", sig=sig)


def check_batch_for_snr_one(answer: Any, p: float, *, reveal: bool = False) -> CheckResult:
    """Check a reader's smallest batch (in samples) whose mean REINFORCE update has SNR at least one (Chapter 3).

    A whole number of samples is expected; the exact real-valued solution, to three significant
    figures, counts as right too. A larger batch also reaches SNR one and is told it is not the
    smallest. Raises ``ValueError`` unless ``0 < p < 1``.

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    p : float
        The pass rate, strictly between 0 and 1.
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    p = _validate.open_unit(p, "p")
    exact = (1 - p) / p
    whole = math.ceil(exact - 1e-9)
    solution = f" The answer is {whole:,} samples (exactly {exact:.6g} before rounding up)." if _may_reveal(reveal) else ""
    value, bad = _number_answer(answer, " (a batch size, in samples)", solution)
    if bad is not None:
        return bad
    if value == whole or _close(value, exact):
        return CheckResult(True, f"n = {value:,.6g} samples: the smallest batch whose mean update has SNR one.")
    snr = value * p / (1 - p)
    hints = [
        (p / (1 - p), "That is the SNR of a single sample, not a batch size. The SNR of the mean of n samples "
                      "is n times that of one: solve for the n that makes it one."),
        (3 / p, "That is the rule-of-three batch, about 3/p, for a 95% chance of seeing at least one success: a "
                "question about detection, not about the signal-to-noise ratio of the averaged update."),
        (math.log(0.05) / math.log1p(-p), "That is the batch that sees at least one success with 95% "
         "probability: a question about detection, not about the signal-to-noise ratio."),
        (p * (1 - p), "That is the variance of one pass/fail reward, not a batch size."),
        (1 / (p * (1 - p)), "Too large: you divided by the variance of the reward but forgot that the signal "
                            "shrinks too."),
    ]
    for wrong, hint in hints:
        if abs(wrong - exact) > 1 + half_unit(wrong) and _near(value, wrong):
            return CheckResult(False, hint + solution)
    if value <= 0:
        return CheckResult(False, "A batch size is a positive number of samples." + solution)
    if snr >= 1 - 1e-12:
        extra = (" 1/p is the expected number of samples until the first success; the SNR criterion needs "
                 "slightly fewer." if _close(value, 1 / p) else "")
        return CheckResult(False, "That batch does reach SNR one, but a smaller one does too: the question asks "
                                  "for the smallest." + extra + solution)
    if value >= exact - 10 * half_unit(exact):
        return CheckResult(False, "Just short: at that batch size the SNR is still below one. Round up, not "
                                  "down." + solution)
    return CheckResult(False, "Not quite: the SNR of the mean of n samples is n times the SNR of one sample. "
                              "Set it to one and solve for n." + solution)


def check_crossing_pass_rate(answer: Any, *, reveal: bool = False) -> CheckResult:
    """Check a reader's pass rate strictly between 0 and 1 where the essay's two curves cross (Chapter 2).

    The curves are the essay's SL figure ``-log2 p`` and its RL figure ``H_b(p)``.

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    from . import comparison

    expected = 0.5
    solution = " The answer is p = 1/2, where both curves equal 1 bit." if _may_reveal(reveal) else ""
    value, bad = _number_answer(answer, " (a pass rate between 0 and 1)", solution)
    if bad is not None:
        return bad
    hints = [
        (1.0, "p = 1 is the trivial crossing, where both curves are 0 bits. Find the crossing strictly "
              "between 0 and 1."),
        (1 / math.e, "That is p = 1/e, where -p log2 p peaks (the conditional RL information with many "
                     "answers), not where the essay's two curves cross."),
        (comparison.max_naive_rl_advantage()[0], "That is where the essay's RL figure is furthest above its SL "
                                                 "figure; the crossing is where the two are equal."),
    ]
    graded = _grade(value, expected, hints, SIG_FIGS, solution)
    if graded is not None and graded.correct:
        return CheckResult(True, f"p = {value:.6g}: there the two curves are equal, and the essay's RL figure "
                                 "exceeds its SL figure for every larger p.")
    if graded is not None:
        return graded
    if not 0 <= value <= 1:
        return CheckResult(False, f"A pass rate lies between 0 and 1, got {value:.6g}." + solution)
    return CheckResult(False, "Not quite: set the two curves equal and simplify; a common factor comes out in "
                              "front." + solution)


_BINARY_ENTROPY_SOLUTION = (
    " One solution:\n\n    def binary_entropy(p):\n        if p == 0 or p == 1:\n            return 0.0"
    "\n        return -p * math.log2(p) - (1 - p) * math.log2(1 - p)"
)


def _call_student(fn: Any, p: float) -> tuple[float | None, str | None]:
    """Call ``fn(p)`` quietly; return ``(value, None)`` or ``(None, problem)``."""
    import warnings

    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            out = fn(p)
    except Exception as exc:  # the reader's code may raise anything
        return None, f"raised {type(exc).__name__}: {exc}"
    if out is None:
        return None, "returned None, not a number of bits (replace None with your formula, and `return` it)"
    try:
        arr = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        return None, f"returned {out!r}, which is not a number"
    if arr.size != 1:
        return None, f"returned {arr.size} numbers; it should return one number of bits"
    return float(arr.reshape(())), None


def check_binary_entropy_function(fn: Any, *, reveal: bool = False) -> CheckResult:
    """Check a reader's function ``fn(p)`` returning the binary entropy ``H_b(p)`` in bits (Chapter 1).

    ``fn`` is called with Python floats: interior pass rates first, then the edges ``p = 0`` and
    ``p = 1``, where ``H_b`` is 0 by the convention ``0 · log 0 = 0`` (section ``ch-entropy``).

    Parameters
    ----------
    fn : callable or None
        The reader's function of one pass rate; ``None`` or a function still returning ``None`` is pending.
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    solution = _BINARY_ENTROPY_SOLUTION if _may_reveal(reveal) else ""
    if not callable(fn):
        return CheckResult(False, "Pass your function itself, e.g. check_binary_entropy_function(my_binary_entropy) "
                           f"without parentheses after its name; got {fn!r}.{solution}")
    interior = [0.5, 0.1, 0.25, 0.9, 1e-5]
    try:
        untouched = fn(0.5) is None
    except Exception:  # noqa: BLE001 - the reader's code; any failure is reported below
        untouched = False
    if untouched:
        return _pending(solution, "the expression in your function")
    got: list[float] = []
    for p in interior:
        value, problem = _call_student(fn, p)
        if problem is not None:
            return CheckResult(False, f"At p = {p:g} your function {problem}.{solution}")
        got.append(value)
    vals = np.array(got)
    ps = np.array(interior)
    want = information.binary_entropy(ps)

    def all_close(x: ArrayLike) -> bool:
        return bool(np.allclose(vals, x, rtol=REL_TOL, atol=ABS_TOL))

    if not all_close(want):
        if np.isnan(vals).any():
            p_bad = interior[int(np.argmax(np.isnan(vals)))]
            return CheckResult(False, f"At p = {p_bad:g} your function returns NaN, although both p and 1 - p are "
                               f"positive there: check the logarithms' arguments.{solution}")
        patterns = [
            (want * _LN2, "Your values are in nats: you used the natural log. Use math.log2 (or divide by ln 2)."),
            (want * _LOG10_2, "Your values look like base-10 logarithms. Bits use log2."),
            (-want, "Right size, wrong sign: H_b(p) = -p log2 p - (1-p) log2(1-p) is never negative."),
            (-ps * np.log2(ps), "You have the 'yes' term -p log2 p only; add the 'no' term -(1-p) log2(1-p)."),
            (-np.log2(ps), "That is the surprisal -log2 p of the 'yes' outcome. Binary entropy averages the "
                           "surprisal of both outcomes, weighted by their probabilities."),
        ]
        for wrong, hint in patterns:
            if all_close(wrong):
                return CheckResult(False, hint + solution)
        k = int(np.argmax(~np.isclose(vals, want, rtol=REL_TOL, atol=ABS_TOL)))
        return CheckResult(False, f"At p = {interior[k]:g} your function returns {vals[k]:.6g}, which is not "
                           f"H_b({interior[k]:g}). Check each term of -p log2 p - (1-p) log2(1-p).{solution}")
    for p in (0.0, 1.0):
        value, problem = _call_student(fn, p)
        if problem is not None or (value is not None and math.isnan(value)):
            what = problem or "returns NaN"
            return CheckResult(False, f"Correct for 0 < p < 1, but at p = {p:g} your function {what}. A term "
                               "0 · log 0 is NaN (or an error) in floating point; by convention it is 0, since an "
                               "outcome that never happens contributes nothing. Return 0 at p = 0 and p = 1."
                               + solution)
        if not _close(value, 0.0):
            return CheckResult(False, f"At p = {p:g} your function returns {value:.6g}; a certain outcome carries no "
                               "information, so H_b(0) = H_b(1) = 0 bits." + solution)
    return CheckResult(True, "Your function gives H_b(p) in bits for 0 < p < 1 and 0 at p = 0 and p = 1.")


# --- Chapter 4: sampling ---


def check_samples_for_confidence(answer: Any, p: float, confidence: float = 0.95, *,
                                 reveal: bool = False) -> CheckResult:
    """Check a reader's smallest whole number of draws that sees at least one success with probability
    ``confidence`` when each succeeds with probability ``p`` (Chapter 4, the exercise on the rule of three).

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    p : float
        The probability that one draw succeeds, strictly between 0 and 1.
    confidence : float, optional
        The required probability of at least one success, in (0, 1).
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    from . import _validate, sampling

    p = _validate.open_unit(p, "p")
    confidence = _validate.open_unit(confidence, "confidence")
    expected = int(sampling.samples_for_confidence(p, confidence))
    real = float(sampling.samples_for_confidence_real(p, confidence))
    value = _as_answer(answer)
    solution = f" The answer is {expected:,} draws (n_c = {real:,.2f} rounded up)." if _may_reveal(reveal) else ""
    if answer is None:
        return _pending(solution)
    if value is None or not math.isfinite(value):
        return CheckResult(False, f"Your answer should be a single whole number of draws, got {answer!r}.{solution}")
    if value == expected:
        return CheckResult(True, f"n = {expected:,} draws: with {expected - 1:,} the chance of a success would "
                           f"still be below {confidence:g}.")

    def near(target: float) -> bool:
        return math.isfinite(target) and abs(value - target) <= max(0.5e-6 * abs(target), 1e-9)

    wrong_c = math.log(confidence) / math.log1p(-p)
    hints = [
        (near(real), "That is the real-valued solution of 1 - (1 - p)^n = c. A batch has a whole number of "
                     "draws: round it up."),
        (near(math.floor(real)), "Round up, not down: with that many draws the chance of a success is just "
                                 "below the confidence asked for."),
        (near(1 / p) or near(round(1 / p)), "That is the mean waiting time 1/p. With n = 1/p draws the chance "
                                            "of at least one success is only about 1 - 1/e ≈ 63%."),
        (near(3 / p) or near(-math.log1p(-confidence) / p) or near(math.ceil(-math.log1p(-confidence) / p)),
         "That is the rule-of-three approximation -ln(1 - c)/p ≈ 3/p, good only when p is small. Solve "
         "1 - (1 - p)^n = c exactly: n = ln(1 - c)/ln(1 - p), rounded up."),
        (near(wrong_c) or near(math.ceil(wrong_c)), "You used ln(confidence). The chance of *no* success, "
                                                    "(1 - p)^n, must fall to 1 - c, so use ln(1 - c)."),
    ]
    for hit, hint in hints:
        if hit:
            return CheckResult(False, hint + solution)
    if abs(value - expected) <= 0.01 * expected:
        return CheckResult(False, "Close, but not exact: compute n = ln(1 - c)/ln(1 - p) without approximating "
                                  "ln(1 - p) by -p, then round up." + solution)
    return CheckResult(False, "Not quite: (1 - p)^n is the chance that all n draws fail; set it equal to 1 - c "
                              "and solve for n." + solution)


def check_pass_at_k(answer: Any, n: int, c: int, k: int, *, reveal: bool = False) -> CheckResult:
    """Check a reader's unbiased pass@k estimate from ``c`` correct samples out of ``n`` (Chapter 4).

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    n : int
        The number of samples drawn.
    c : int
        The number of correct samples among them.
    k : int
        The number of passing samples.
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    from . import sampling

    expected = float(sampling.pass_at_k(n, c, k))
    value = _as_answer(answer)
    solution = f" The answer is {expected:.6g}." if _may_reveal(reveal) else ""
    if answer is None:
        return _pending(solution)
    if value is None or math.isnan(value):
        return CheckResult(False, f"Your answer should be a single probability between 0 and 1, got {answer!r}.{solution}")
    if _close(value, expected):
        return CheckResult(True, f"pass@{k} = 1 - C(n-c, k)/C(n, k) = {value:.6g}.")
    hints = [
        (float(sampling.naive_pass_at_k(n, c, k)), "That is the plug-in estimate 1 - (1 - c/n)^k: it treats c/n as "
         "the true pass rate and is biased low. Count the k-subsets of the n samples with no correct one: "
         "1 - C(n-c, k)/C(n, k)."),
        (c / n, "That is c/n, the estimate of pass@1. For k > 1 you need the chance that k samples drawn "
                "from the n include at least one correct one."),
        (1 - expected, "That is C(n-c, k)/C(n, k), the chance that all k are wrong: subtract it from 1."),
        (min(1.0, k * c / n), "Multiplying c/n by k counts overlapping successes twice; use the complement, "
                              "1 - C(n-c, k)/C(n, k)."),
    ]
    for wrong, hint in hints:
        if math.isfinite(wrong) and not _close(wrong, expected) and _close(value, wrong):
            return CheckResult(False, hint + solution)
    if value < 0 or value > 1:
        return CheckResult(False, "A pass rate is a probability between 0 and 1." + solution)
    return CheckResult(False, "Not quite: compute 1 - Π_{i=n-c+1}^{n} (1 - k/i)." + solution)


# --- Chapter 5: self-play and distillation ---


def check_outcome_bits(answer: Any, win_probability: float, *, reveal: bool = False) -> CheckResult:
    """Check a reader's information, in bits, in the outcome of a game won with probability ``win_probability``
    (Chapter 5, "Self-play and the outcome signal").

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    win_probability : float
        The probability that the game is won, in [0, 1].
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    from . import _validate

    w = float(_validate.probability(win_probability, "win_probability"))
    expected = float(information.binary_entropy(w))
    mistakes = _unit_mistakes(expected)
    if 0 < w < 1:
        mistakes += [
            (float(information.surprisal(w)), "That is -log2 w, the surprisal of a win alone. Before the game "
             "you do not know whether it will be a win or a loss: average the surprisal of both outcomes."),
            (float(information.surprisal(1 - w)), "That is -log2(1 - w), the surprisal of a loss alone. Average "
             "the surprisals of a win and a loss, weighted by their probabilities."),
        ]
    if not math.isclose(expected, 1.0):
        mistakes.append((1.0, "One bit is the maximum, reached only when the win probability is 1/2. An "
                              "opponent you beat (or lose to) most of the time makes the outcome less informative."))
    return _judge(answer, expected, mistakes, reveal, "The information in the outcome")


def check_policy_target_bits(answer: Any, target: ArrayLike, policy: ArrayLike, *, reveal: bool = False) -> CheckResult:
    """Check a reader's count, in bits, of what a soft target tells an apprentice whose policy is ``policy``
    (Chapter 5, "What a target tells the apprentice").

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    target : array_like or float
        The target distribution (1-d), or for Chapter 6 the target pass rate.
    policy : array_like
        The apprentice's current distribution (1-d, same length as ``target``).
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    t = np.asarray(target, dtype=np.float64)
    pi = np.asarray(policy, dtype=np.float64)
    expected = float(information.kl_divergence(t, pi))
    mistakes = _unit_mistakes(expected)
    entropy = float(information.entropy(t))
    cross = float(information.cross_entropy(t, pi))
    reverse = float(information.kl_divergence(pi, t))
    if not math.isclose(entropy, expected, rel_tol=1e-3):
        mistakes.append((entropy, "That is the entropy of the target, H(t): how spread out the label is, not "
                                  "what it tells the apprentice. Subtract it from the cross-entropy H(t, π)."))
    if not math.isclose(cross, expected, rel_tol=1e-3):
        mistakes.append((cross, "That is the cross-entropy H(t, π), the loss. Part of it, H(t), does not depend "
                                "on the apprentice at all: subtract it."))
    if math.isfinite(reverse) and not math.isclose(reverse, expected, rel_tol=1e-3):
        mistakes.append((reverse, "That is KL(π ‖ t), the divergence the wrong way round. Average the log-ratio "
                                  "log2(t/π) over the target t."))
    mistakes.append((math.log2(t.shape[-1]), "log2 V is the largest entropy a target over V moves can have. "
                                             "A uniform target has it and tells the apprentice nothing."))
    return _judge(answer, expected, mistakes, reveal, "What the target tells the apprentice")


# --- Chapter 6: training both ways ---


def samples_to_learn_mean_field(V: int, lr: float, method: str = "reinforce", target: float = 0.5) -> float:
    """Mean-field samples from uniform to pass rate ``target``; see :func:`rlbits.training.samples_to_learn_mean_field`.

    Parameters
    ----------
    V : int
        The number of answers.
    lr : float
        The step size.
    method : str, optional
        The learner (see :func:`rlbits.training.samples_to_learn_mean_field`).
    target : array_like or float
        The target distribution (1-d), or for Chapter 6 the target pass rate.

    Returns
    -------
    float
        The number of samples.

    Raises
    ------
    ValueError
        As :func:`rlbits.training.samples_to_learn_mean_field`.
    """
    from . import training

    return training.samples_to_learn_mean_field(V, lr, method, target)


def check_samples_to_learn(answer: Any, V: int, lr: float, method: str = "reinforce", *, target: float = 0.5,
                           reveal: bool = False) -> CheckResult:
    """Check a reader's mean-field number of samples to reach pass rate ``target`` from uniform (Chapter 6).

    Answers within 2% of :func:`samples_to_learn_mean_field` pass (a reader may round ``V - 1`` to ``V``).
    The mean field is a small-step picture: at large ``η`` it undercuts the wait for a first success
    (about ``V`` samples for REINFORCE), which no step size can beat; the message says so when it does.

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    V : int
        The number of answers.
    lr : float
        The step size.
    method : str, optional
        The learner (see :func:`rlbits.training.samples_to_learn_mean_field`).
    target : float, optional
        The pass rate to reach (default 0.5).
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    expected = samples_to_learn_mean_field(V, lr, method, target)
    other = samples_to_learn_mean_field(V, lr, "sl" if method == "reinforce" else "reinforce", target)
    value = _as_answer(answer)
    solution = f" The answer is {expected:,.6g} samples." if _may_reveal(reveal) else ""
    if answer is None:
        return _pending(solution)
    if value is None or math.isnan(value):
        return CheckResult(False, f"Your answer should be a single number (samples), got {answer!r}.{solution}")
    if math.isclose(value, expected, rel_tol=0.02):
        note = ""
        if method == "reinforce" and expected < V:
            note = (f" At this step size the mean field is below the wait for a first success (about V = {V:,} samples),"
                    " which no learner that needs a success can beat: the small-step picture no longer applies.")
        return CheckResult(True, f"About {value:,.4g} samples (exactly {expected:,.6g} in the mean-field model).{note}")
    hints = [
        (other, "That is the answer for the other method: SL moves the gap by η(1 - p) per sample, "
                "REINFORCE by η p (1 - p)."),
        (expected * float(lr), "You left out the step size: each step moves the logits by η times the batch's summed "
                               "gradient, so the count scales like 1/η."),
        (float(V), "V is the waiting time for the first success, 1/p at the start; the learner also needs η and the "
                   "rest of the climb. Integrate dn = dd / (dd/dn)."),
        (math.log(V) / float(lr), "ln V / η drops the '+1' part of the integral (the e^{d*} term)."),
        (math.log2(V) / float(lr), "log2 V / η mixes bits into a count of samples; the logit gap is in nats."),
    ]
    for wrong, hint in hints:
        if wrong > 0 and math.isclose(value, wrong, rel_tol=0.02):
            return CheckResult(False, hint + solution)
    return CheckResult(False, "Not quite: write dd/dn for the method, with p = e^d/(e^d + V - 1), and integrate from "
                              "d = 0 to the gap where p reaches the target." + solution)


def check_bits_absorbed(answer: Any, V: int, pass_rate: float, samples: float, *, reveal: bool = False) -> CheckResult:
    """Check a reader's bits learned about the answer per sample (Chapter 6, Exercise on information).

    The model starts from the uniform policy over ``V`` tokens and reaches pass rate ``pass_rate``
    after ``samples`` samples. (The name is kept for readers' notebooks; it checks the drop in the
    answer's surprisal, not a count of "available" bits, which is not information.)

    Parameters
    ----------
    answer : float or None
        The reader's answer. ``None`` (an untouched exercise) gives a pending result, not a wrong one;
        anything that is not a single number is a wrong answer with a hint.
    V : int
        The number of answers.
    pass_rate : float
        The pass rate the model reaches.
    samples : float
        The number of samples it took.
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a problem argument is invalid (a bad answer is a wrong answer, never an error).
    """
    from . import _validate

    V = _validate.positive_int(V, "V", minimum=2)
    p = _validate.open_unit(pass_rate, "pass_rate")
    n = float(samples)
    if not math.isfinite(n) or n <= 0:
        raise ValueError(f"samples must be a positive number, got {samples!r}")
    total = math.log2(V * p)
    expected = total / n
    mistakes = _unit_mistakes(expected) + [
        (total, "That is the total over the whole run; the question asks per sample (divide by the samples)."),
        (math.log2(V) / n, "That assumes the model ended certain (p = 1); subtract the -log2 p that is left."),
        (-math.log2(p) / n, "That is what is still missing at the end, -log2 p, not what was learned."),
        (information.binary_entropy(1.0 / V), "That is Chapter 2's information in one pass/fail sample at the start, "
                                              "a property of the signal, not what this learner's policy gained."),
        (math.log2(V) / ((V + 1) / 2), "That is the ideal learner by elimination (log2 V bits in (V + 1)/2 samples "
                                       "on average), not the trained policy."),
    ]
    return _judge(answer, expected, mistakes, reveal, "Bits learned about the answer per sample",
                  zero_log_zero=False)


# --- Chapter 3, third edition: the exact baseline, and magnitude vs direction noise ---
# (appended; each checker's expected answer is computed by rlbits.gradients, not typed in)


def check_exact_baseline(answer: Any, p: float, *, sig: int = SIG_FIGS, reveal: bool = False) -> CheckResult:
    """Check the constant baseline that makes a two-answer REINFORCE update exact (Chapter 3, "Baselines").

    With two answers and pass rate ``p``, the variance-minimising baseline ``b* = 1 - p`` makes both
    outcomes give the same update ``p(1 - p)(e_c - e_w)``; the expected value is taken from
    :func:`rlbits.gradients.optimal_baseline`.

    Parameters
    ----------
    answer : Any
        The reader's baseline (a number).
    p : float
        The pass rate, strictly between 0 and 1.
    sig : int, default SIG_FIGS
        Significant figures the answer must match.
    reveal : bool, default False
        Append the answer to the message (only where ``RLBITS_REVEAL=1`` is set).

    Returns
    -------
    CheckResult
        Right or wrong, with a hint aimed at the usual slips when wrong.

    Raises
    ------
    ValueError
        If ``p`` is not strictly between 0 and 1.
    """
    from . import gradients

    sig = _sig(sig)
    p = _validate.open_unit(p, "p")
    expected = gradients.optimal_baseline([p, 1.0 - p], 0)
    solution = f" The answer is {expected:.6g}." if _may_reveal(reveal) else ""
    value, bad = _number_answer(answer, " (a baseline, no unit)", solution)
    if bad is not None:
        return bad
    hints = [
        (p, "That is b = p, the average reward: unbiased, but both outcomes still differ. Write the success "
            "and the failure update as multiples of e_c - e_w and make them equal."),
        (0.0, "With b = 0 a failure gives no update at all while a success does: that is all noise."),
        (0.5, "b = 1/2 is exact only when p = 1/2."),
    ]
    graded = _grade(value, expected, hints, sig, solution)
    if graded is not None:
        return CheckResult(True, f"b = {value:.6g}: both outcomes give p(1 - p)(e_c - e_w).") if graded.correct else graded
    return CheckResult(False, "Not quite: a success gives (1 - b)(e_c - π), a failure -b(e_w - π); with two answers "
                              "both are multiples of e_c - e_w. Set them equal and solve for b." + solution)


# the cases of exercise ex-03-noise-kind, each with the setting the checker computes its answer from
_NOISE_CASES = {
    "a": "one prompt, 100 answers, b = 0",
    "b": "one prompt, 100 answers, b = p",
    "c": "one prompt, two answers, b = 0.5",
    "d": "one sample from each of three prompts, separate logits, b = 0",
    "e": "T tokens, one correct sequence, b = 0",
}


def _noise_kind(case: str) -> str:
    """'magnitude' or 'direction' for one case of ex-03-noise-kind, computed with rlbits.gradients."""
    import numpy as np

    from . import distributions, gradients

    pol = distributions.correct_plus_uniform(0.1, 100)
    if case == "a":
        split = gradients.noise_split(*gradients.reinforce_covariance(pol, 0, 0.0))
    elif case == "b":
        split = gradients.noise_split(*gradients.reinforce_covariance(pol, 0, 0.1))
    elif case == "c":
        split = gradients.noise_split(*gradients.reinforce_covariance([0.3, 0.7], 0, 0.5))
    elif case == "d":
        pis = np.stack([distributions.correct_plus_uniform(q, 5) for q in (0.1, 0.3, 0.6)])
        split = gradients.many_prompt_noise_split(pis, np.zeros(3, dtype=int), 0.0)
    else:  # T tokens, one correct sequence: ĝ = R g_SL, with R ~ Bernoulli(p_seq); its covariance is rank one
        T, V = 3, 4
        pis = np.tile(distributions.correct_plus_uniform(0.5, V), (T, 1))
        g_sl = (np.eye(V)[0] - pis).ravel()
        p_seq = 0.5**T
        split = gradients.noise_split(p_seq * g_sl, p_seq * (1 - p_seq) * np.outer(g_sl, g_sl))
    return "direction" if split.direction > 1e-9 * split.signal else "magnitude"


def check_noise_kind(answer: Any, case: str) -> CheckResult:
    """Check whether a reader classed one update's noise as pure magnitude or as including direction noise.

    Chapter 3, "Magnitude noise and direction noise", exercise ex-03-noise-kind.

    Parameters
    ----------
    answer : str or None
        ``"magnitude"`` or ``"direction"`` (case and surrounding spaces ignored); ``None`` is pending.
    case : str
        One of ``"a"`` to ``"e"``.

    Returns
    -------
    CheckResult
        Right or wrong, with the reason when wrong.

    Raises
    ------
    ValueError
        If ``case`` is not one of the exercise's cases.
    """
    if case not in _NOISE_CASES:
        raise ValueError(f"case must be one of {sorted(_NOISE_CASES)}, got {case!r}")
    if answer is None:
        return _pending()
    if not isinstance(answer, str) or answer.strip().lower() not in ("magnitude", "direction"):
        return CheckResult(False, f'Answer "magnitude" or "direction", got {answer!r}.')
    expected = _noise_kind(case)
    if answer.strip().lower() == expected:
        return CheckResult(True, f"{_NOISE_CASES[case]}: {expected} noise.")
    if expected == "magnitude":
        why = ("Every possible update here is a multiple of one vector (the mean's direction), so the noise "
               "can only change the update's length.")
    else:
        why = ("Some outcomes move the update off the line of its mean: find one that is not a multiple of the "
               "expected update.")
    return CheckResult(False, why)


# --- Chapter 7: a small transformer trained both ways ---


def check_heldout_bits_per_sample(answer: Any, loss_before: float, loss_after: float, samples: float, *,
                                  reveal: bool = False) -> CheckResult:
    """Check a reader's bits learned per training sample from two held-out log-losses (Chapter 7).

    ``loss_before`` and ``loss_after`` are the held-out log-loss of the correct answers, in bits per
    prompt, before and after ``samples`` training samples.

    Parameters
    ----------
    answer : float or None
        The reader's answer, in bits per sample. ``None`` (an untouched exercise) gives a pending
        result, not a wrong one; anything that is not a single number is a wrong answer with a hint.
    loss_before, loss_after : float
        Held-out log-loss of the correct answers before and after training, in bits per prompt;
        finite and non-negative.
    samples : float
        Training samples seen between the two evaluations, positive and finite.
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If a loss is negative, NaN or infinite, or ``samples`` is not a positive finite number
        (a bad answer is a wrong answer, never an error).
    """
    before, after, n = float(loss_before), float(loss_after), float(samples)
    if not (math.isfinite(before) and math.isfinite(after)) or before < 0 or after < 0:
        raise ValueError("the losses must be finite, non-negative numbers of bits")
    if not math.isfinite(n) or n <= 0:
        raise ValueError(f"samples must be a positive number, got {samples!r}")
    drop = before - after
    expected = drop / n
    mistakes = _unit_mistakes(expected) + [
        (drop, "That is the drop over the whole run; the question asks per sample."),
        (-expected, "The sign is flipped: learning lowers the loss, and the bits learned are the drop."),
        (after / n, "That divides the loss that is left, not the drop."),
    ]
    return _judge(answer, expected, mistakes, reveal, "Bits learned per sample", zero_log_zero=False)


def check_transformer_flops(answer: Any, method: str, T: int, n_params: int, *, reveal: bool = False) -> CheckResult:
    """Check a reader's FLOPs per training sample under Chapter 7's cost model.

    The cost model is the one of Chapter 7, "Per FLOP". NumPy only: JAX is not needed.

    Parameters
    ----------
    answer : float or None
        The reader's answer, in FLOPs per training sample. ``None`` (an untouched exercise) gives a
        pending result, not a wrong one; anything that is not a single number is a wrong answer with
        a hint.
    method : str
        One of Chapter 7's methods (:data:`rlbits.transformer.task.METHODS`).
    T : int
        Answer length in digits, 1 to 8.
    n_params : int
        Number of scalar parameters of the model, at least 1.
    reveal : bool, optional
        Add the answer to the message; takes effect only where ``RLBITS_REVEAL=1`` is set.

    Returns
    -------
    CheckResult
        Right, wrong (with a hint) or pending; true in a boolean context only when right.

    Raises
    ------
    ValueError
        If ``method`` is unknown, ``T`` is not an integer from 1 to 8, or ``n_params`` is not a
        positive integer (a bad answer is a wrong answer, never an error).
    """
    from .transformer.measure import flops_per_sample

    parts = flops_per_sample(method, T, n_params)
    expected = parts["total"]
    fwd = parts["forward"]
    mistakes = [
        (expected - parts["sample"], "Sampling the answer costs forward passes too; count them."),
        (expected - parts["sample"] + fwd if method != "sl" else -1.0,
         "Without a cache, each of the T answer digits needs a forward pass of its own, not one in all."),
        (expected - parts["backward"], "A backward pass costs about twice a forward pass; count it."),
        (expected - parts["teacher"] if method == "distill" else -1.0, "The teacher's forward pass costs FLOPs too."),
    ]
    mistakes = [(v, m) for v, m in mistakes if v > 0 and not math.isclose(v, expected)]
    return _judge(answer, expected, mistakes, reveal, "FLOPs per sample", unit="FLOPs", zero_log_zero=False)
