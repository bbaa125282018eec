"""Tests of rlbits.batches (Chapter 4, "What a batch can tell"): the exact information of a batch of
pass/fail samples against brute-force enumeration, exact Stirling-number sums in mpmath, and Monte Carlo."""

import itertools
import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlbits import batches


def enumerated_information(V: int, n: int, no_repeat: bool = False) -> float:
    """I(C; A_1..A_n, R_1..R_n) by listing every correct answer and every batch (uniform model)."""
    joint = {}  # (batch of draws, verdicts) -> {correct answer: probability}
    if no_repeat:
        batches_ = [(b, 1 / math.perm(V, n)) for b in itertools.permutations(range(V), n)]
    else:
        batches_ = [(b, V ** -n) for b in itertools.product(range(V), repeat=n)]
    for c in range(V):
        for draws, p_draws in batches_:
            verdicts = tuple(a == c for a in draws)
            if no_repeat and any(verdicts):  # the learner stops guessing once it has the answer
                first = verdicts.index(True)
                draws, verdicts = draws[: first + 1], verdicts[: first + 1]
            joint.setdefault((draws, verdicts), {}).setdefault(c, 0.0)
            joint[(draws, verdicts)][c] += p_draws / V
    h_posterior = 0.0
    for post in joint.values():
        total = sum(post.values())
        h_posterior += -sum(p * math.log2(p / total) for p in post.values())
    return math.log2(V) - h_posterior


def stirling_information(V: int, n: int) -> mpmath.mpf:
    """The closed form with the occupancy law written through Stirling numbers, in exact integers and mpmath."""
    m = V - 1
    row = [1] + [0] * n  # Stirling numbers of the second kind S(i, w), built row by row
    for i in range(1, n + 1):
        row = [0] + [w * row[w] + row[w - 1] for w in range(1, n + 1)]
    with mpmath.workdps(40):
        mean_log = sum(mpmath.mpf(math.comb(m, w) * math.factorial(w) * row[w]) / mpmath.mpf(m) ** n
                       * mpmath.log(V - w, 2) for w in range(min(n, m) + 1) if row[w])
        return mpmath.log(V, 2) - (mpmath.mpf(V - 1) / V) ** n * mean_log


@pytest.mark.parametrize("V, n", [(2, 1), (2, 3), (3, 2), (3, 4), (4, 3), (5, 4)])
def test_batch_information_matches_enumeration(V, n):
    assert batches.batch_information(V, n) == pytest.approx(enumerated_information(V, n), abs=1e-12)


@pytest.mark.parametrize("V, n", [(3, 2), (4, 3), (5, 4), (5, 2)])
def test_no_repeat_learner_matches_enumeration(V, n):
    assert batches.batch_information_no_repeat(V, n) == pytest.approx(enumerated_information(V, n, True), abs=1e-12)


@pytest.mark.parametrize("V, n", [(10, 7), (100, 100), (300, 300), (50, 400)])
def test_batch_information_matches_stirling_sum(V, n):
    assert batches.batch_information(V, n) == pytest.approx(float(stirling_information(V, n)), rel=1e-11)


def test_quoted_values_and_bounds():
    # exact values for a uniform model and n = V draws (Chapter 4), next to the sum of reward entropies
    got = {V: batches.batch_information(V, V) for V in (100, 1000)}
    assert round(got[100], 3) == 4.741 and round(got[1000], 3) == 6.832
    assert round(batches.reward_entropy_sum(100, 100), 2) == 8.08 and round(batches.reward_entropy_sum(1000, 1000), 2) == 11.41
    assert batches.batch_information_no_repeat(1000, 999) == pytest.approx(math.log2(1000), abs=1e-12)


def test_batch_information_monte_carlo():
    est, se = batches.simulate_batch_information(200, 200, 20_000, rng=np.random.default_rng(3))
    assert abs(est - batches.batch_information(200, 200)) < 4 * se


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=2, max_value=400), st.integers(min_value=0, max_value=600))
def test_batch_information_bounds(V, n):
    info = batches.batch_information(V, n)
    assert -1e-12 <= info <= math.log2(V) + 1e-12
    assert info <= batches.reward_entropy_sum(V, n) + 1e-9  # the sum of reward entropies bounds it
    assert info <= batches.batch_information_no_repeat(V, n) + 1e-9  # repeats never help
    assert batches.batch_information(V, n + 1) >= info - 1e-12  # more draws never tell less


def test_distinct_count_pmf_small_cases():
    counts, pmf = batches.distinct_count_pmf(5, 3)
    # 3^5 = 243 sequences: 3 use one cell, 3 * (2^5 - 2) = 90 use two, 150 use all three
    assert counts.tolist() == [1, 2, 3]
    np.testing.assert_allclose(pmf, np.array([3, 90, 150]) / 243, rtol=1e-14)
    assert batches.distinct_count_pmf(0, 4)[0].tolist() == [0]
    assert batches.distinct_count_pmf(7, 1)[0].tolist() == [1]


@pytest.mark.parametrize("call, match", [
    (lambda: batches.batch_information(1, 3), "V"),
    (lambda: batches.batch_information(10, -1), "n"),
    (lambda: batches.batch_information(10, 2.5), "n"),
    (lambda: batches.batch_information_no_repeat(10**8, 3), "10,000,000"),
    (lambda: batches.distinct_count_pmf(3, 0), "n_cells"),
    (lambda: batches.simulate_batch_information(10, 10, 1, rng=np.random.default_rng(0)), "batches"),
    (lambda: batches.simulate_batch_information(10, 10, 10, rng=0), "Generator"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
