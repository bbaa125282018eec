"""``rlbits.information`` against the bare NumPy expression of the same arithmetic (the floor)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ._common import GOALS, _summary, _time_pair


def _floors() -> dict[str, tuple[Callable[..., Any], Callable[..., Any], str]]:
    """Each measure, called as the book calls it, and the bare NumPy expression of its arithmetic."""
    from rlbits import information as info

    def nlog(x):
        return np.log2(x)

    def rl_given(p, q, a):
        # -log2(1 - p_j) for every outcome, the sum of p_j times it, the answer's own term swapped
        s = -np.log2(1.0 - p)
        return (p * s).sum(-1) - p[..., a] * s[..., a] - p[..., a] * np.log2(p[..., a])

    return {
        "entropy": (lambda p, q, a: info.entropy(p), lambda p, q, a: -(p * nlog(p)).sum(-1),
                    "-(p*log2 p).sum()"),
        "expected_sl_bits": (lambda p, q, a: info.expected_sl_bits(p), lambda p, q, a: -(p * nlog(p)).sum(-1),
                             "-(p*log2 p).sum()"),
        "cross_entropy": (lambda p, q, a: info.cross_entropy(p, q), lambda p, q, a: -(p * nlog(q)).sum(-1),
                          "-(p*log2 q).sum()"),
        "kl_divergence": (lambda p, q, a: info.kl_divergence(p, q), lambda p, q, a: (p * nlog(p / q)).sum(-1),
                          "(p*log2(p/q)).sum()"),
        "binary_entropy": (lambda p, q, a: info.binary_entropy(p),
                           lambda p, q, a: -(p * nlog(p)) - (1 - p) * nlog(1 - p),
                           "-p*log2 p - (1-p)*log2(1-p)"),
        "expected_rl_bits": (lambda p, q, a: info.expected_rl_bits(p),
                             lambda p, q, a: (p * (-(p * nlog(p)) - (1 - p) * nlog(1 - p))).sum(-1),
                             "(p*H_b(p)).sum(), H_b as above"),
        "rl_bits_given_answer": (lambda p, q, a: info.rl_bits_given_answer(p, a), rl_given,
                                 "(p*-log2(1-p)).sum() with the answer's term swapped"),
        "surprisal": (lambda p, q, a: info.surprisal(p), lambda p, q, a: -nlog(p), "-log2 p"),
    }


def _cases(quick: bool) -> list[dict[str, Any]]:
    cases = [{"case": "V=10^3", "V": 10**3, "batch": 1},
             {"case": "V=10^5", "V": 10**5, "batch": 1},
             {"case": "V=10^6", "V": 10**6, "batch": 1},
             {"case": "1,000 x V=10^3", "V": 10**3, "batch": 1000}]
    return cases[:2] if quick else cases


def _dirichlet(rng: np.random.Generator, V: int, batch: int) -> np.ndarray:
    """Distributions with no zero entry (so the floors are finite), normalised to sum to 1."""
    x = rng.standard_exponential(size=(batch, V) if batch > 1 else V) + 1e-12
    return x / x.sum(axis=-1, keepdims=True)


def bench_information(quick: bool = False, seed: int = 1) -> list[dict[str, Any]]:
    """Time per call, throughput and ratio to the NumPy floor for each measure and size."""
    rng = np.random.default_rng(seed)
    rows = []
    for case in _cases(quick):
        V, batch = case["V"], case["batch"]
        p, q = _dirichlet(rng, V, batch), _dirichlet(rng, V, batch)
        a = 1
        work = V * batch
        budget = 0.15 if quick else 0.8
        for name, (fn, floor, expr) in _floors().items():
            t_fn, t_floor = _time_pair(lambda: fn(p, q, a), lambda: floor(p, q, a), budget_s=budget,
                                       min_calls=5 if quick else 15, max_calls=2000)
            s, f = _summary(t_fn), _summary(t_floor)
            ratio = s["median_ms"] / f["median_ms"]
            goal_applies = work >= 10**5
            rows.append({
                "function": name, **case, "entries": work,
                "median_ms": s["median_ms"], "p95_ms": s["p95_ms"], "calls": s["calls"],
                "floor_median_ms": f["median_ms"], "floor_expression": expr,
                "ratio_to_floor": ratio,
                "entries_per_second": work / (s["median_ms"] / 1e3),
                "floor_goal_applies": goal_applies,
                "meets_floor_goal": (ratio <= GOALS["floor_ratio"]) if goal_applies else None,
                "meets_time_goal": (s["median_ms"] <= GOALS["information_V1e6_ms"])
                if (V == 10**6 and batch == 1) else None,
            })
    return rows
