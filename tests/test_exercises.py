"""Tests of the answer checkers in rlbits.exercises: right answers pass, common slips get the right hint,
and the solution is never shown unless asked for."""

import math
import re

import pytest

import rlbits
from rlbits import exercises as ex
from rlbits.exercises import (
    CheckResult,
    check_batch_for_snr_one,
    check_binary_entropy,
    check_binary_entropy_function,
    check_calibrated_sl_bits,
    check_crossing_pass_rate,
    check_entropy,
    check_surprisal,
)


@pytest.fixture(autouse=True)
def instructor_may_reveal(monkeypatch):
    """The tests play the instructor: ``reveal=True`` shows answers only where RLBITS_REVEAL=1."""
    monkeypatch.setenv(ex.REVEAL_VARIABLE, "1")


def test_correct_answers_pass():
    assert check_entropy(1.75, [0.5, 0.25, 0.125, 0.125]).correct
    assert check_binary_entropy(0.469, 0.1).correct
    assert check_surprisal(3, 0.125).correct


def test_result_is_truthy_and_renders():
    r = check_surprisal(3, 0.125)
    assert isinstance(r, CheckResult) and bool(r)
    assert "Correct" in r._repr_markdown_()
    assert repr(r).startswith("✔")


@pytest.mark.parametrize("answer, hint", [
    (1.75 * math.log(2), "nats"),
    (1.75 * math.log10(2), "base-10"),
    (-1.75, "sign"),
    (2.0, "uniform"),
    (1.0, "most likely outcome"),
    (1 + 2 + 3 + 3, "without weighting"),
    (float("nan"), "0 · log 0"),
    ("a lot", "single number"),
    ("1.75 bits", "single number"),
])
def test_entropy_hints(answer, hint):
    r = check_entropy(answer, [0.5, 0.25, 0.125, 0.125])
    assert not r.correct
    assert hint in r.message


def test_binary_entropy_hints():
    assert "surprisal" in check_binary_entropy(-math.log2(0.1), 0.1).message
    assert "'no' term" in check_binary_entropy(-0.1 * math.log2(0.1), 0.1).message


def test_solution_hidden_unless_revealed():
    hidden = check_entropy(1.0, [0.5, 0.25, 0.125, 0.125])
    assert "1.75" not in hidden.message
    shown = check_entropy(1.0, [0.5, 0.25, 0.125, 0.125], reveal=True)
    assert "1.75" in shown.message


def test_chapter2_checkers():
    from rlbits.exercises import check_expected_rl_bits, check_rl_bits_given_answer

    import rlbits

    probs = [0.6, 0.25, 0.15]
    assert check_expected_rl_bits(0.8769, probs).correct
    assert "entropy" in check_expected_rl_bits(rlbits.entropy(probs), probs).message
    assert "top answer" in check_expected_rl_bits(rlbits.binary_entropy(0.6), probs).message
    assert "without weighting" in check_expected_rl_bits(float(sum(rlbits.binary_entropy(probs))), probs).message
    assert "nats" in check_expected_rl_bits(0.8769 * math.log(2), probs).message
    niels = [0.5, 0.3, 0.2]
    assert check_rl_bits_given_answer(1.0855, niels, 1).correct
    assert "SL gain" in check_rl_bits_given_answer(-math.log2(0.3), niels, 1).message
    assert "calibrated" in check_rl_bits_given_answer(rlbits.expected_rl_bits(niels), niels, 1).message
    assert "essay" in check_rl_bits_given_answer(rlbits.binary_entropy(0.3), niels, 1).message
    assert "1.08" not in check_rl_bits_given_answer(0.2, niels, 1).message
    assert "1.08" in check_rl_bits_given_answer(0.2, niels, 1, reveal=True).message


def test_chapter3_checkers():
    from rlbits.exercises import check_grpo_advantage, check_snr_per_sample

    assert check_snr_per_sample(0.1 / 0.9, 0.1).correct
    assert "variance of the reward" in check_snr_per_sample(0.09, 0.1).message
    assert "Upside down" in check_snr_per_sample(9.0, 0.1).message
    assert "best constant baseline" in check_snr_per_sample(0.1 / 0.8, 0.1).message
    assert "mean update" in check_snr_per_sample(0.1, 0.1).message
    assert "single number" in check_snr_per_sample("big", 0.1).message
    assert "0.111" not in check_snr_per_sample(3.0, 0.1).message
    assert "0.111" in check_snr_per_sample(3.0, 0.1, reveal=True).message
    with pytest.raises(ValueError, match="p"):
        check_snr_per_sample(0.5, 1.0)

    assert check_grpo_advantage(math.sqrt(7), 1, 8).correct
    assert check_grpo_advantage(-1 / math.sqrt(7), 1, 8, correct=False).correct
    assert "ddof=1" in check_grpo_advantage(math.sqrt(7) * math.sqrt(7 / 8), 1, 8).message
    assert "other kind" in check_grpo_advantage(-1 / math.sqrt(7), 1, 8).message
    assert "did not divide" in check_grpo_advantage(1 - 1 / 8, 1, 8).message
    assert "2.64" not in check_grpo_advantage(1.0, 1, 8).message
    assert "2.64" in check_grpo_advantage(1.0, 1, 8, reveal=True).message
    with pytest.raises(ValueError):
        check_grpo_advantage(1.0, 9, 8)


# --- The grading matrix: every course checker, at the problem values the session uses -----------
#
# For each exercise: the exact answer passes; its roundings to the stated precision (and to three
# significant figures, when that is finer) pass; a two-significant-figure rounding passes only where
# the exercise allows it and is otherwise told to check its rounding; every named slip gets its own
# hint (and its value is far enough from the answer to be told apart); bad problem inputs raise
# ValueError. The problem values are those of book/course/exercises.ipynb (test_course checks that).

import numpy as np

import rlbits
from rlbits import exercises as ex
from rlbits import comparison, gradients, information


def _round_sig(x: float, sig: int) -> float:
    return float(f"{x:.{sig}g}")


def _grpo(k, G, correct=True):
    a, b = gradients.grpo_advantages_closed_form(np.asarray(k), G)
    return float(a if correct else b)


D3 = [0.75, 0.2, 0.05]  # the calibrated and conditional exercises
H_D3 = float(information.entropy(D3))
RL_D3 = float(information.expected_rl_bits(D3))
COND = float(information.rl_bits_given_answer(D3, 1))

#: name -> (checker called with the answer, exact answer, significant figures the exercise asks for,
#:          [(slip value, words its hint must contain)])
MATRIX = {
    "surprisal": (lambda a, **kw: ex.check_surprisal(a, 1 / 200_000, **kw), math.log2(200_000), 3, [
        (math.log(200_000), "nats"), (math.log10(200_000), "base-10"), (-math.log2(200_000), "wrong sign"),
        (200_000, "1/p"),
    ]),
    "entropy": (lambda a, **kw: ex.check_entropy(a, [0.6, 0.2, 0.1, 0.1], **kw),
                float(information.entropy([0.6, 0.2, 0.1, 0.1])), 3, [
        (2.0, "uniform"), (-math.log2(0.6), "most likely outcome"),
        (-math.log2(0.6) - math.log2(0.2) - 2 * math.log2(0.1), "without weighting"),
        (float(information.entropy([0.6, 0.2, 0.1, 0.1])) * math.log(2), "nats"),
        (float(information.entropy([0.6, 0.2, 0.1, 0.1])) * math.log10(2), "base-10"),
    ]),
    "essay_figure": (lambda a, **kw: ex.check_binary_entropy(a, 0.83, **{"sig": 2, **kw}), float(information.binary_entropy(0.83)),
                     2, [
        (-math.log2(0.83), "'yes' outcome alone"), (-0.83 * math.log2(0.83), "'no' term"),
        (-0.17 * math.log2(0.17), "'yes' term"), (-math.log2(0.83) - math.log2(0.17), "without weighting"),
        (float(information.binary_entropy(0.83)) * math.log(2), "nats"),
    ]),
    "crossing": (lambda a, **kw: ex.check_crossing_pass_rate(a, **kw), 0.5, 3, [
        (1.0, "trivial crossing"), (1 / math.e, "1/e"), (float(comparison.max_naive_rl_advantage()[0]),
                                                          "furthest above"),
    ]),
    "calibrated_sl": (lambda a, **kw: ex.check_calibrated_sl_bits(a, D3, **kw), H_D3, 3, [
        (RL_D3, "calibrated RL gain"), (-math.log2(0.75), "conditional value"),
        (float(information.binary_entropy(0.75)), "essay's RL figure"), (math.log2(3), "uniform"),
        (-(math.log2(0.75) + math.log2(0.2) + math.log2(0.05)), "without weighting"),
        (H_D3 * math.log(2), "nats"), (H_D3 * math.log10(2), "base-10"), (-H_D3, "wrong sign"),
    ]),
    "calibrated_rl": (lambda a, **kw: ex.check_expected_rl_bits(a, D3, **kw), RL_D3, 3, [
        (H_D3, "expected SL gain"), (float(information.binary_entropy(0.75)), "top answer alone"),
        (float(np.sum(information.binary_entropy(D3))), "without weighting"), (RL_D3 * math.log(2), "nats"),
    ]),
    "conditional": (lambda a, **kw: ex.check_rl_bits_given_answer(a, D3, 1, **kw), COND, 3, [
        (-math.log2(0.2), "SL gain"), (RL_D3, "calibrated average"),
        (float(information.binary_entropy(0.2)), "essay's figure"),
        (H_D3, "-log2 p_j"),  # -log2 p_j in place of -log2(1 - p_j) for the wrong guesses
        (float(information.rl_bits_given_answer(D3, 2)), "answer 2 is the correct one"),
        (float(information.rl_bits_given_answer(D3, 0)), "answer 0 is the correct one"),
        (-0.2 * math.log2(0.2), "wrong guesses teach"), (COND * math.log(2), "nats"),
    ]),
    "snr": (lambda a, **kw: ex.check_snr_per_sample(a, 0.15, **kw), 0.15 / 0.85, 3, [
        (0.15, "mean update"), (0.15 * 0.85, "variance of the reward"), (0.85 / 0.15, "Upside down"),
        (0.15 / 0.7, "best constant baseline"), (0.15**2, "squared mean alone"),
        (math.sqrt(0.15 / 0.85), "standard deviations"),
    ]),
    "grpo": (lambda a, **kw: ex.check_grpo_advantage(a, 1, 6, **kw), math.sqrt(5), 3, [
        (math.sqrt(5) * math.sqrt(5 / 6), "ddof=1"), (-1 / math.sqrt(5), "other kind"),
        (5 / 6, "did not divide"), ((5 / 6) / (5 / 36), "variance"), (-math.sqrt(5), "wrong sign"),
    ]),
}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix_exact_and_rounded_answers_pass(name):
    check, exact, sig, _ = MATRIX[name]
    assert check(exact).correct
    for figures in sorted({sig, 3, 4, 6}):
        if figures >= sig:
            r = check(_round_sig(exact, figures))
            assert r.correct, (figures, r.message)
    assert check(str(_round_sig(exact, sig))).correct  # a number typed as a string is read as a number


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix_two_significant_figures(name):
    check, exact, sig, _ = MATRIX[name]
    two = _round_sig(exact, 2)
    r = check(two)
    if sig <= 2 or math.isclose(two, exact, rel_tol=1e-12):
        assert r.correct, r.message
    else:
        assert not r.correct and "check your rounding" in r.message, r.message
        if name != "crossing":  # the crossing has no precision argument: it is exact
            assert check(two, sig=2).correct


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix_close_but_outside_tolerance_is_told_to_round(name):
    check, exact, sig, _ = MATRIX[name]
    off = exact + 3 * ex.half_unit(exact, sig)  # agrees to one figure fewer, not to the figures asked for
    r = check(off)
    assert not r.correct and "check your rounding" in r.message, r.message


@pytest.mark.parametrize("name, slip, hint", [(n, s, h) for n, (_, _, _, slips) in sorted(MATRIX.items())
                                              for s, h in slips])
def test_matrix_every_slip_gets_its_hint(name, slip, hint):
    check, exact, sig, _ = MATRIX[name]
    assert ex._distinguishable(slip, exact, sig), "choose problem values where the slip differs from the answer"
    for typed in (slip, _round_sig(slip, max(sig, 3))):
        r = check(typed)
        assert not r.correct and hint in r.message, (typed, r.message)
        assert "The answer is" not in r.message


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix_answer_hidden_unless_revealed(name):
    check, exact, sig, slips = MATRIX[name]
    shown = f"{exact:.6g}"
    wrong_answers = [s for s, _ in slips] + [exact * 7.3, exact + 3 * ex.half_unit(exact, sig), None, "abc",
                                              float("nan")]
    for wrong in wrong_answers:
        r = check(wrong)
        assert not r.correct
        for text in {shown, f"{exact:.3g}", f"{exact:.4g}"}:
            assert text not in r.message, (wrong, r.message)
    revealed = check(exact * 7.3, reveal=True)
    assert not revealed.correct and "The answer is" in revealed.message
    assert shown in revealed.message or name == "crossing" and "1/2" in revealed.message


def test_issue_regressions():
    # SNR 0.01 at p = 0.01 is the answer 0.0101 rounded too far, not "p"
    r = ex.check_snr_per_sample(0.01, 0.01)
    assert "check your rounding" in r.message and "That is p" not in r.message
    assert ex.check_snr_per_sample(0.0101, 0.01).correct
    # a batch of 1000 at p = 0.001 does reach SNR one: say so, and that it is not the smallest
    r = ex.check_batch_for_snr_one(1000, 0.001)
    assert not r.correct and "does reach SNR one" in r.message and "smallest" in r.message
    # two-decimal answers to exercises asking for three significant figures are told to round
    assert "check your rounding" in ex.check_expected_rl_bits(0.81, [0.7, 0.2, 0.1]).message
    assert ex.check_calibrated_sl_bits(1.16, [0.7, 0.2, 0.1]).correct
    assert ex.check_surprisal(16.6, 1e-5).correct and ex.check_grpo_advantage(2.65, 1, 8).correct


@pytest.mark.parametrize("p, answer", [(0.005, 199), (0.005, 199.0), (0.3, 7 / 3), (0.3, 2.33), (0.3, 3),
                                       (1e-5, 99_999), (0.01, 99)])
def test_batch_right_answers(p, answer):
    assert ex.check_batch_for_snr_one(answer, p).correct


@pytest.mark.parametrize("answer, hint", [
    (0.005 / 0.995, "SNR of a single sample"), (600, "rule-of-three"),
    (math.log(0.05) / math.log(0.995), "95% probability"), (0.005 * 0.995, "variance of one pass/fail reward"),
    (1 / (0.005 * 0.995), "Too large"), (200, "1/p is the expected number"), (210, "does reach SNR one"),
    (198, "Round up"), (-199, "positive number"), (100, "n times the SNR of one"), ("many", "single number"),
])
def test_batch_hints(answer, hint):
    r = ex.check_batch_for_snr_one(answer, 0.005)
    assert not r.correct and hint in r.message, r.message
    assert "199" not in r.message
    assert "199" in ex.check_batch_for_snr_one(answer, 0.005, reveal=True).message


BAD_PROBLEMS = [
    (lambda: ex.check_surprisal(1.0, [1e-5]), "single number"),
    (lambda: ex.check_surprisal(1.0, 0), "greater than 0"),
    (lambda: ex.check_surprisal(1.0, 1.5), "[0, 1]"),
    (lambda: ex.check_surprisal(1.0, "a"), "single number"),
    (lambda: ex.check_surprisal(1.0, float("nan")), "NaN"),
    (lambda: ex.check_binary_entropy(1.0, -0.1), "[0, 1]"),
    (lambda: ex.check_binary_entropy(1.0, [0.5]), "single number"),
    (lambda: ex.check_entropy(1.0, [0.5, 0.6]), "sum to 1"),
    (lambda: ex.check_entropy(1.0, [[0.5, 0.5], [0.5, 0.5]]), "one distribution"),
    (lambda: ex.check_entropy(1.0, 0.5), "scalar"),
    (lambda: ex.check_expected_rl_bits(1.0, [1.2, -0.2]), "[0, 1]"),
    (lambda: ex.check_expected_rl_bits(1.0, "abc"), "not text"),
    (lambda: ex.check_snr_per_sample(1.0, "0.15"), "not text"),
    (lambda: ex.check_grpo_advantage(1.0, 1, "8"), "G"),
    (lambda: ex.check_calibrated_sl_bits(1.0, [0.7, 0.2, 0.2]), "sum to 1"),
    (lambda: ex.check_rl_bits_given_answer(1.0, [0.5, 0.5], 5), "[0, 1]"),
    (lambda: ex.check_rl_bits_given_answer(1.0, [0.5, 0.5], -1), "[0, 1]"),
    (lambda: ex.check_rl_bits_given_answer(1.0, [0.5, 0.5], 0.5), "whole-number"),
    (lambda: ex.check_rl_bits_given_answer(1.0, [0.5, 0.5], True), "whole-number"),
    (lambda: ex.check_rl_bits_given_answer(1.0, [0.5, 0.6], 0), "sum to 1"),
    (lambda: ex.check_snr_per_sample(1.0, 1.0), "strictly between 0 and 1"),
    (lambda: ex.check_snr_per_sample(1.0, 0), "strictly between 0 and 1"),
    (lambda: ex.check_batch_for_snr_one(1.0, 1.5), "strictly between 0 and 1"),
    (lambda: ex.check_grpo_advantage(1.0, 1.5, 8), "whole number"),
    (lambda: ex.check_grpo_advantage(1.0, 0, 8), "0 < k < G"),
    (lambda: ex.check_grpo_advantage(1.0, 8, 8), "0 < k < G"),
    (lambda: ex.check_grpo_advantage(1.0, 9, 8), "0 < k < G"),
    (lambda: ex.check_grpo_advantage(1.0, "1", 8), "whole number"),
    (lambda: ex.check_grpo_advantage(1.0, 1, 1), "G"),
    (lambda: ex.check_grpo_advantage(1.0, 1, 7.5), "G"),
    (lambda: ex.check_grpo_advantage(1.0, 1, 8, correct="yes"), "True or False"),
    (lambda: ex.check_surprisal(1.0, 0.5, sig=0), "significant figures"),
    (lambda: ex.check_entropy(1.0, [0.5, 0.5], sig=2.5), "significant figures"),
]


@pytest.mark.parametrize("call, match", BAD_PROBLEMS)
def test_bad_problem_inputs_raise_value_error(call, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        call()


COURSE_CHECKERS = [ex.check_surprisal, ex.check_binary_entropy, ex.check_entropy, ex.check_expected_rl_bits,
                   ex.check_rl_bits_given_answer, ex.check_snr_per_sample, ex.check_grpo_advantage,
                   ex.check_calibrated_sl_bits, ex.check_batch_for_snr_one, ex.check_crossing_pass_rate,
                   ex.check_binary_entropy_function]


@pytest.mark.parametrize("fn", COURSE_CHECKERS, ids=lambda f: f.__name__)
def test_docstrings_state_no_answer_or_formula(fn):
    doc = fn.__doc__ or ""
    # formulas and values that answer one of the exercises
    for leak in ["1/2", "0.5", "p / (1 - p)", "p/(1-p)", "(1 - p)/p", "(1-p)/p", "Σ_k p_k H_b", "Σ p_k",
                 "-log2 p_", "H(p) =", "= H(", "sqrt(", "The answer is", "log2(1 - p", "-p log2 p",
                 f"{math.log2(200_000):.3g}", f"{H_D3:.3g}", f"{RL_D3:.3g}", f"{COND:.3g}"]:
        assert leak not in doc, (fn.__name__, leak)


# --- the course's checkers (moved here from test_course.py: one place for every checker) --------

THREE = [0.7, 0.2, 0.1]


def _wrong(result: CheckResult, hint: str) -> None:
    assert isinstance(result, CheckResult)
    assert not result.correct, result.message
    assert hint in result.message, result.message


# --- check_calibrated_sl_bits -------------------------------------------------------------------


def test_calibrated_sl_right_answer():
    r = check_calibrated_sl_bits(float(rlbits.entropy(THREE)), THREE)
    assert r.correct and "calibrated expected SL gain" in r.message
    assert check_calibrated_sl_bits(round(float(rlbits.entropy(THREE)), 4), THREE).correct


@pytest.mark.parametrize("wrong, hint", [
    (float(rlbits.expected_rl_bits(THREE)), "calibrated RL gain"),
    (-math.log2(0.7), "conditional value"),
    (float(rlbits.binary_entropy(0.7)), "essay's RL figure"),
    (math.log2(3), "uniform"),
    (-(math.log2(0.7) + math.log2(0.2) + math.log2(0.1)), "without weighting"),
    (float(rlbits.entropy(THREE)) * math.log(2), "nats"),
    (float(rlbits.entropy(THREE)) * math.log10(2), "base-10"),
    (-float(rlbits.entropy(THREE)), "sign"),
    (float("nan"), "0 · log 0"),
    (0.3, "Not quite"),
])
def test_calibrated_sl_hints(wrong, hint):
    _wrong(check_calibrated_sl_bits(wrong, THREE), hint)


@pytest.mark.parametrize("answer", ["1.16 bits", [1.16, 0.8]])
def test_calibrated_sl_bad_answer(answer):
    _wrong(check_calibrated_sl_bits(answer, THREE), "single number")


@pytest.mark.parametrize("probs, message", [
    ([0.7, 0.2, 0.2], "sum to 1"),
    ([1.2, -0.2], "[0, 1]"),
    ([[0.5, 0.5], [0.5, 0.5]], "one distribution"),
    ("abc", "not text"),
])
def test_calibrated_sl_bad_problem(probs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        check_calibrated_sl_bits(1.0, probs)


# --- check_batch_for_snr_one --------------------------------------------------------------------


@pytest.mark.parametrize("p, answer", [(0.01, 99), (0.001, 999.0), (0.3, 7 / 3), (0.3, 3), (1e-5, 99_999)])
def test_batch_right_answers_more_pass_rates(p, answer):
    r = check_batch_for_snr_one(answer, p)
    assert r.correct, r.message


@pytest.mark.parametrize("wrong, hint", [
    (0.01 / 0.99, "SNR of a single sample"),
    (100, "expected number of samples until the first success"),
    (300, "rule-of-three"),
    (math.log(0.05) / math.log(0.99), "95% probability"),
    (0.01 * 0.99, "variance of one pass/fail reward"),
    (1 / (0.01 * 0.99), "Too large"),
    (-99, "positive number"),
    (50, "n times the SNR of one"),
])
def test_batch_hints_at_one_percent(wrong, hint):
    _wrong(check_batch_for_snr_one(wrong, 0.01), hint)


@pytest.mark.parametrize("answer", ["99", float("nan")])
def test_batch_bad_answer(answer):
    r = check_batch_for_snr_one(answer, 0.01)
    if isinstance(answer, str):  # a numeric string is read as a number
        assert r.correct
    else:
        _wrong(r, "single number")


@pytest.mark.parametrize("p", [0, 1, 1.5, -0.1, "a", "0.15"])
def test_batch_bad_problem(p):
    with pytest.raises(ValueError, match="strictly between 0 and 1|not text"):
        check_batch_for_snr_one(1.0, p)


# --- check_crossing_pass_rate -------------------------------------------------------------------


def test_crossing_right_answer():
    assert check_crossing_pass_rate(0.5).correct
    assert check_crossing_pass_rate("0.5").correct


@pytest.mark.parametrize("wrong, hint", [
    (1, "trivial crossing"),
    (1 / math.e, "1/e"),
    (comparison.max_naive_rl_advantage()[0], "furthest above"),
    (1.5, "between 0 and 1"),
    (-0.2, "between 0 and 1"),
    (0.7, "Not quite"),
])
def test_crossing_hints(wrong, hint):
    _wrong(check_crossing_pass_rate(wrong), hint)


@pytest.mark.parametrize("answer", ["1/2", float("nan")])
def test_crossing_bad_answer(answer):
    _wrong(check_crossing_pass_rate(answer), "single number")


# --- check_binary_entropy_function --------------------------------------------------------------


def _good(p):
    if p == 0 or p == 1:
        return 0.0
    return -p * math.log2(p) - (1 - p) * math.log2(1 - p)


def test_function_right_answers():
    assert check_binary_entropy_function(_good).correct
    assert check_binary_entropy_function(lambda p: float(rlbits.binary_entropy(p))).correct
    # a NumPy version that cleans up the NaN is fine too, and its warnings stay quiet
    assert check_binary_entropy_function(lambda p: np.nan_to_num(-p * np.log2(p) - (1 - p) * np.log2(1 - p))).correct


@pytest.mark.parametrize("fn, hint", [
    (lambda p: -p * np.log2(p) - (1 - p) * np.log2(1 - p), "0 · log 0"),  # NaN at the edges
    (lambda p: -p * math.log2(p) - (1 - p) * math.log2(1 - p), "0 · log 0"),  # ValueError at the edges
    (lambda p: _good(p) * math.log(2), "natural log"),
    (lambda p: _good(p) * math.log10(2), "base-10"),
    (lambda p: -_good(p), "wrong sign"),
    (lambda p: -p * math.log2(p) if p else 0.0, "add the 'no' term"),
    (lambda p: -math.log2(p), "surprisal"),
    (lambda p: 1.0 if p in (0, 1) else _good(p), "H_b(0) = H_b(1) = 0"),
    (lambda p: p, "Check each term"),
    (lambda p: None if p != 0.5 else 1.0, "returned None"),
    (lambda p: [p, p], "one number"),
    (lambda p: "bits", "not a number"),
    (lambda p: 1 / 0, "ZeroDivisionError"),
])
def test_function_hints(fn, hint):
    _wrong(check_binary_entropy_function(fn), hint)


@pytest.mark.parametrize("not_a_function", [None, 0.5, "def f(p): ...", _good(0.5)])
def test_function_bad_input(not_a_function):
    _wrong(check_binary_entropy_function(not_a_function), "Pass your function itself")


# --- every new checker: the solution stays hidden unless asked for ------------------------------


NEW_CHECKERS = [
    (lambda reveal: check_calibrated_sl_bits(0.3, THREE, reveal=reveal), f"{float(rlbits.entropy(THREE)):.6g}"),
    (lambda reveal: check_batch_for_snr_one(50, 0.01, reveal=reveal), "99"),
    (lambda reveal: check_crossing_pass_rate(0.7, reveal=reveal), "1/2"),
    (lambda reveal: check_binary_entropy_function(lambda p: p, reveal=reveal), "math.log2(1 - p)"),
]


@pytest.mark.parametrize("call, solution", NEW_CHECKERS)
def test_course_checkers_hide_the_solution_unless_revealed(call, solution):
    hidden, shown = call(False), call(True)
    assert solution not in hidden.message and "The answer is" not in hidden.message
    assert solution in shown.message


@pytest.mark.parametrize("result, solution", [
    (check_calibrated_sl_bits(-math.log2(0.7), THREE), f"{float(rlbits.entropy(THREE)):.6g}"),
    (check_batch_for_snr_one(100, 0.01), "99 samples"),
    (check_crossing_pass_rate(1 / math.e), "1/2"),
])
def test_named_hints_never_leak_the_answer(result, solution):
    # a wrong answer that triggers a named hint (not the generic one) still does not get the answer
    assert not result.correct and "The answer is" not in result.message and solution not in result.message




# --- the edges of the grading rule and of the inputs (third edition) ----------------------------


def test_reveal_needs_the_instructors_variable(monkeypatch):
    monkeypatch.delenv(ex.REVEAL_VARIABLE)
    with pytest.warns(UserWarning, match="RLBITS_REVEAL"):
        r = check_entropy(1.0, [0.5, 0.25, 0.125, 0.125], reveal=True)
    assert "1.75" not in r.message and "The answer is" not in r.message
    monkeypatch.setenv(ex.REVEAL_VARIABLE, "1")
    assert "1.75" in check_entropy(1.0, [0.5, 0.25, 0.125, 0.125], reveal=True).message


@pytest.mark.parametrize("answer", [10**400, -(10**400)])
def test_an_integer_too_large_for_a_float_is_not_a_single_number(answer):
    r = check_surprisal(answer, 0.5)
    assert not r.correct and "single number" in r.message


# The rule stated on the exercise page: an answer is right when it rounds to the right three figures.
# pi/2 = 1.5708 rounds to 1.57: 1.5655 (rounds half up to 1.57) passes, 1.575 (1.58) does not.
@pytest.mark.parametrize("answer, right", [(1.5655, True), (1.57, True), (1.5749, True), (1.575, False),
                                           (1.5649, False), (1.58, False), (1.6, False)])
def test_three_figures_means_rounds_to_the_same_three_figures(answer, right):
    assert ex._close(answer, math.pi / 2) is right  # the rule itself
    expected = math.pi / 2
    # the same rule in a checker: surprisal of p = 2**-expected is expected bits
    assert check_surprisal(answer, 2.0 ** -expected).correct is right


def test_round_sig_uses_the_digits_the_reader_typed():
    assert str(ex.round_sig(1.5655, 3)) == "1.57" and str(ex.round_sig(0.0012345, 2)) == "0.0012"
    assert ex.round_sig(9.996, 3) == 10 and ex.round_sig(0.0, 3) == 0


def test_batch_answers_below_the_exact_solution_are_short_whatever_their_rounding():
    # p = 0.006: exact (1 - p)/p = 165.67, smallest whole batch 166
    assert check_batch_for_snr_one(166, 0.006).correct and check_batch_for_snr_one(165.7, 0.006).correct
    assert check_batch_for_snr_one(165.6, 0.006).correct  # the exact 165.67 to three figures
    for short in (165, 165.2, 165.4):
        r = check_batch_for_snr_one(short, 0.006)
        assert not r.correct and "Round up" in r.message, (short, r.message)


@pytest.mark.parametrize("call, zero_log_zero", [
    (lambda: check_entropy(float("nan"), [0.5, 0.5]), True),
    (lambda: check_binary_entropy(float("nan"), 0.3), True),
    (lambda: check_surprisal(float("nan"), 0.3), False),
])
def test_nan_hint_mentions_zero_log_zero_only_where_it_can_arise(call, zero_log_zero):
    r = call()
    assert not r.correct and "NaN" in r.message
    assert ("0 · log 0" in r.message) is zero_log_zero
    r = ex.check_snr_per_sample(float("nan"), 0.15)
    assert not r.correct and "0 · log 0" not in r.message


@pytest.mark.parametrize("call", [
    lambda: check_surprisal(None, 0.5),
    lambda: ex.check_snr_per_sample(None, 0.15),
    lambda: check_batch_for_snr_one(None, 0.01),
    lambda: check_crossing_pass_rate(None),
    lambda: check_binary_entropy_function(lambda p: None),
    lambda: ex.check_samples_for_confidence(None, 0.01),
    lambda: ex.check_pass_at_k(None, 20, 3, 5),
])
def test_an_untouched_exercise_is_pending_not_wrong(call):
    r = call()
    assert not r.correct and r.pending and "Replace None" in r.message
    assert "✘" not in repr(r) and "Not yet" not in r._repr_markdown_()


def test_a_wrong_answer_is_still_marked_wrong():
    r = check_surprisal(3.0, 0.5)
    assert not r.pending and repr(r).startswith("✘") and "Not yet" in r._repr_markdown_()


def test_pending_still_validates_the_problem():
    with pytest.raises(ValueError):
        check_surprisal(None, 1.5)
