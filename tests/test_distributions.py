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
