"""Tests of the answer checkers in rlbits.exercises: right answers pass, common slips get the right hint,
and the solution is never shown unless asked for."""

import math

import pytest

from rlbits.exercises import CheckResult, check_binary_entropy, check_entropy, check_surprisal


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
    (None, "single number"),
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
