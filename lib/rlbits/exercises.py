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


# --- Course session ---


def check_calibrated_sl_bits(answer: Any, probs: ArrayLike, *, reveal: bool = False) -> CheckResult:
    """Check a reader's calibrated expected SL bits ``Σ_k p_k (-log2 p_k) = H(p)`` for ``probs`` (Chapter 2).

    The expectation is over which answer is correct, drawn from the model's own distribution
    (Niels Rolf's comparison, section ``ch-information-gain``). Raises ``ValueError`` if ``probs``
    is not a distribution.
    """
    from . import _validate

    arr = _validate.distribution(probs, "probs")
    if arr.ndim != 1:
        raise ValueError(f"probs must be one distribution (a 1-d list of probabilities), got shape {arr.shape}")
    expected = float(information.entropy(arr))
    top = float(arr.max())
    positive = arr[arr > 0]
    mistakes = _unit_mistakes(expected) + [
        (float(information.expected_rl_bits(arr)), "That is the calibrated RL gain Σ p_k H_b(p_k). SL is told "
         "the correct answer itself: average its surprisal -log2 p_k over which answer is correct."),
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
    return _judge(answer, expected, mistakes, reveal, "The calibrated expected SL gain")


def check_batch_for_snr_one(answer: Any, p: float, *, reveal: bool = False) -> CheckResult:
    """Check a reader's batch size ``n = (1 - p)/p`` at which REINFORCE's batch SNR reaches one (Chapter 3).

    One sample has SNR ``p/(1 - p)`` and the SNR of a batch mean grows in proportion to the batch
    size (section ``ch-variance-snr``). The exact value and the smallest whole batch that reaches
    it, ``ceil((1 - p)/p)``, both count as right. Raises ``ValueError`` unless ``0 < p < 1``.
    """
    from . import _validate

    p = _validate.open_unit(p, "p")
    expected = (1 - p) / p
    whole = math.ceil(expected - 1e-9)
    value = _as_answer(answer)
    solution = f" The answer is (1 - p)/p = {expected:.6g} samples." if reveal else ""
    if value is None or math.isnan(value):
        return CheckResult(False, f"Your answer should be a single number (a batch size, in samples), got {answer!r}.{solution}")
    if _close(value, expected) or value == whole:
        return CheckResult(True, f"n = (1 - p)/p = {expected:.6g} samples: SNR grows as n p/(1 - p), which is one there.")
    hints = [
        (p / (1 - p), "That is the SNR of a single sample, p/(1 - p), not a batch size. The batch mean has SNR "
         "n p/(1 - p): solve for the n that makes it one."),
        (1 / p, "That is 1/p, the expected number of samples until the first success. Close, but the SNR of a "
         "batch is n p/(1 - p): set it to one and solve for n."),
        (3 / p, "That is the rule-of-three batch, about 3/p, for a 95% chance of seeing at least one success: a "
         "question about detection, not about the signal-to-noise ratio of the averaged update."),
        (math.log(0.05) / math.log1p(-p), "That is the batch that sees at least one success with 95% "
         "probability, ln 0.05 / ln(1 - p): a question about detection, not about the signal-to-noise ratio."),
        (p * (1 - p), "That is the variance of one pass/fail reward, p(1 - p), not a batch size."),
        (1 / (p * (1 - p)), "Too large: the noise of one sample is p(1 - p)‖g‖², but the signal is p²‖g‖², "
         "so one sample's SNR is p/(1 - p) and n = (1 - p)/p."),
    ]
    for wrong, hint in hints:
        if _close(value, wrong):
            return CheckResult(False, hint + solution)
    if value <= 0:
        return CheckResult(False, "A batch size is a positive number of samples." + solution)
    return CheckResult(False, "Not quite: the SNR of the mean of n samples is n times the SNR of one, "
                       "p/(1 - p). Set n p/(1 - p) = 1." + solution)


def check_crossing_pass_rate(answer: Any, *, reveal: bool = False) -> CheckResult:
    """Check a reader's pass rate in (0, 1) where the essay's curves ``-log2 p`` and ``H_b(p)`` cross (Chapter 2).

    The answer is ``p = 1/2`` (section ``ch-information-gain-essay``); ``p = 1``, where both are 0,
    is the trivial crossing.
    """
    from . import comparison

    expected = 0.5
    value = _as_answer(answer)
    solution = " The answer is p = 1/2, where both curves equal 1 bit." if reveal else ""
    if value is None or math.isnan(value):
        return CheckResult(False, f"Your answer should be a single number (a pass rate between 0 and 1), got {answer!r}.{solution}")
    if _close(value, expected):
        return CheckResult(True, f"p = {value:.6g}: there -log2 p = H_b(p) = 1 bit, and the essay's RL "
                           "figure exceeds its SL figure for every larger p.")
    hints = [
        (1.0, "p = 1 is the trivial crossing, where both curves are 0 bits (and 1 bit is the height of the "
              "other crossing, not its pass rate). Find the crossing strictly between 0 and 1."),
        (1 / math.e, "That is p = 1/e, where -p log2 p peaks (the conditional RL information with many "
                     "answers), not where the essay's two curves cross."),
        (comparison.max_naive_rl_advantage()[0], "That is where the essay's RL figure is furthest above its SL figure; "
                                       "the crossing is where the two are equal."),
    ]
    for wrong, hint in hints:
        if _close(value, wrong):
            return CheckResult(False, hint + solution)
    if not 0 <= value <= 1:
        return CheckResult(False, f"A pass rate lies between 0 and 1, got {value:.6g}." + solution)
    return CheckResult(False, "Not quite: set -log2 p = -p log2 p - (1-p) log2(1-p) and simplify; a factor "
                       "(1 - p) comes out in front." + solution)


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
    """
    solution = _BINARY_ENTROPY_SOLUTION if reveal else ""
    if not callable(fn):
        return CheckResult(False, "Pass your function itself, e.g. check_binary_entropy_function(my_binary_entropy) "
                           f"without parentheses after its name; got {fn!r}.{solution}")
    interior = [0.5, 0.1, 0.25, 0.9, 1e-5]
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
    """Check a reader's smallest whole number of draws ``n`` with ``1 - (1 - p)^n >= confidence`` (Chapter 4).

    The expected answer is ``ceil(ln(1 - c)/ln(1 - p))`` (any logarithm base: only the ratio matters).
    """
    from . import _validate, sampling

    p = _validate.open_unit(p, "p")
    confidence = _validate.open_unit(confidence, "confidence")
    expected = int(sampling.samples_for_confidence(p, confidence))
    real = float(sampling.samples_for_confidence_real(p, confidence))
    value = _as_answer(answer)
    solution = f" The answer is {expected:,} draws (n_c = {real:,.2f} rounded up)." if reveal else ""
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
    """Check a reader's unbiased pass@k estimate ``1 - C(n-c, k)/C(n, k)`` from ``c`` of ``n`` correct (Chapter 4)."""
    from . import sampling

    expected = float(sampling.pass_at_k(n, c, k))
    value = _as_answer(answer)
    solution = f" The answer is {expected:.6g}." if reveal else ""
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
    """Check a reader's information, in bits, in the outcome of a game won with probability ``win_probability``.

    The answer is the binary entropy ``H_b(w)`` (Chapter 5, "Self-play and the outcome signal").
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
    """Check a reader's count of what a soft target tells an apprentice: ``KL(target ‖ policy)`` in bits.

    Not the target's entropy: a target equal to the apprentice's own policy tells it nothing, however
    spread out it is (Chapter 5, "What a target tells the apprentice").
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
    """Mean-field samples from uniform to pass rate ``target``; see :func:`rlbits.training.samples_to_learn_mean_field`."""
    from . import training

    return training.samples_to_learn_mean_field(V, lr, method, target)


def check_samples_to_learn(answer: Any, V: int, lr: float, method: str = "reinforce", *, target: float = 0.5,
                           reveal: bool = False) -> CheckResult:
    """Check a reader's mean-field number of samples to reach pass rate ``target`` from uniform (Chapter 6).

    Answers within 2% of :func:`samples_to_learn_mean_field` pass (a reader may round ``V - 1`` to ``V``).
    The mean field is a small-step picture: at large ``η`` it undercuts the wait for a first success
    (about ``V`` samples for REINFORCE), which no step size can beat; the message says so when it does.
    """
    expected = samples_to_learn_mean_field(V, lr, method, target)
    other = samples_to_learn_mean_field(V, lr, "sl" if method == "reinforce" else "reinforce", target)
    value = _as_answer(answer)
    solution = f" The answer is {expected:,.6g} samples." if reveal else ""
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
    """Check a reader's bits learned about the answer per sample: ``(log2 V - (-log2 p)) / n`` (Chapter 6).

    A model trained from the uniform policy over ``V`` tokens (``-log2 p = log2 V``) that reaches pass
    rate ``pass_rate`` after ``samples`` samples has cut the surprisal of its answer by ``log2(V p)``
    bits, out of the ``log2 V`` bits there are to learn. (The name is kept for readers' notebooks; it
    checks the drop in surprisal, not a count of "available" bits, which is not information.)
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
    return _judge(answer, expected, mistakes, reveal, "Bits learned about the answer per sample")
