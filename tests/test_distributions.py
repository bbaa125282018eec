"""Tests of rlbits.distributions (the book's running-example families)."""

import math

import numpy as np
import pytest

import rlbits
from rlbits import distributions


def test_uniform():
    u = distributions.uniform(4)
    np.testing.assert_allclose(u, 0.25)
    assert rlbits.entropy(distributions.uniform(1)) == 0.0
    assert rlbits.entropy(distributions.uniform(10**6)) == pytest.approx(math.log2(10**6))


def test_zipf_shape_and_limits():
    np.testing.assert_allclose(distributions.zipf(5, 0.0), 0.2)
    z = distributions.zipf(100, 1.5)
    assert z.sum() == pytest.approx(1.0)
    assert np.all(np.diff(z) < 0)  # most likely first
    assert z[0] / z[1] == pytest.approx(2**1.5)
    # sharper distributions have lower entropy
    assert rlbits.entropy(distributions.zipf(50, 2.0)) < rlbits.entropy(distributions.zipf(50, 0.5))
    assert np.isfinite(distributions.zipf(1000, 200.0)).all()


def test_correct_plus_uniform():
    d = distributions.correct_plus_uniform([0.5, 0.9], 4, answer=2)
    assert d.shape == (2, 4)
    np.testing.assert_allclose(d[:, 2], [0.5, 0.9])
    np.testing.assert_allclose(d.sum(axis=-1), 1.0)
    np.testing.assert_allclose(d[0, [0, 1, 3]], 0.5 / 3)
    np.testing.assert_allclose(distributions.correct_plus_uniform(1.0, 1), [1.0])
    # at p = 1/V the family is uniform
    np.testing.assert_allclose(distributions.correct_plus_uniform(0.1, 10), 0.1)


@pytest.mark.parametrize("call, message", [
    (lambda: distributions.uniform(0), ">= 1"),
    (lambda: distributions.uniform(2.5), "whole number"),
    (lambda: distributions.zipf(5, -1.0), "sharpness"),
    (lambda: distributions.zipf(5, float("nan")), "sharpness"),
    (lambda: distributions.correct_plus_uniform(1.2, 5), r"\[0, 1\]"),
    (lambda: distributions.correct_plus_uniform(0.5, 5, answer=5), "answer"),
    (lambda: distributions.correct_plus_uniform(0.5, 1), "V = 1"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_sample_categorical_matches_generator_choice_for_one_row():
    p = np.array([0.2, 0.5, 0.3])
    a = distributions.sample_categorical(p, 1000, rng=np.random.default_rng(1))
    b = np.random.default_rng(1).choice(3, size=1000, p=p)
    np.testing.assert_array_equal(a, b)


def test_sample_categorical_batched_frequencies_match_rows():
    # 200,000 draws per row: each frequency lies within 5 standard errors (<= 0.0056) of its probability.
    P = np.random.default_rng(0).dirichlet(np.ones(5), size=(4, 3))
    x = distributions.sample_categorical(P, 200_000, rng=np.random.default_rng(2))
    assert x.shape == (4, 3, 200_000)
    freq = np.stack([(x == k).mean(axis=-1) for k in range(5)], axis=-1)
    assert np.abs(freq - P).max() < 5 * np.sqrt(0.25 / 200_000)
    assert distributions.sample_categorical(P, rng=np.random.default_rng(2)).shape == (4, 3)


def test_sample_categorical_never_draws_a_zero_probability_answer():
    P = np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]])
    x = distributions.sample_categorical(P, 10_000, rng=np.random.default_rng(3))
    assert (x[0] == 1).all() and not (x[1] == 1).any()


@pytest.mark.parametrize("bad", [[0.5, 0.6], [np.nan, 1.0], [-0.1, 1.1]])
def test_sample_categorical_rejects_non_distributions(bad):
    with pytest.raises(ValueError):
        distributions.sample_categorical(bad, rng=np.random.default_rng())
