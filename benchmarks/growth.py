"""Growth: time against the size of the work (V, number of samples) with the fitted log-log exponent."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._common import _summary, _time_calls, fit_exponent
from .information import _dirichlet


def bench_growth(quick: bool = False, seed: int = 2) -> list[dict[str, Any]]:
    """Median time at each size and the log-log slope fitted over the sizes where the work dominates."""
    from rlbits import gradients, information, simulate

    rng = np.random.default_rng(seed)
    budget = 0.1 if quick else 0.5
    series = []

    sizes_v = [10**k for k in (2, 3, 4, 5)] if quick else [10**k for k in (2, 3, 4, 5, 6)] + [3 * 10**6]
    for name, fn in (("entropy", information.entropy), ("expected_rl_bits", information.expected_rl_bits)):
        med = []
        for V in sizes_v:
            p = _dirichlet(rng, V, 1)
            med.append(_summary(_time_calls(lambda: fn(p), budget_s=budget, min_calls=5, max_calls=3000))["median_ms"])
        series.append(_series(f"information.{name}", "V (outcomes)", sizes_v, med))

    probs = _dirichlet(rng, 1000, 1)
    sizes_n = [10**k for k in (2, 3, 4, 5)] if quick else [10**k for k in (2, 3, 4, 5, 6)]
    med = []
    for n in sizes_n:
        r = np.random.default_rng(seed)
        med.append(_summary(_time_calls(lambda: simulate.observed_bits(probs, n, rng=r), budget_s=budget,
                                        min_calls=5, max_calls=3000))["median_ms"])
    series.append(_series("simulate.observed_bits (V = 1,000)", "samples", sizes_n, med))

    pi = _dirichlet(rng, 10, 1)
    batches = [10, 100, 1000] if quick else [10, 100, 1000, 10000, 100000]
    med = []
    for m in batches:
        r = np.random.default_rng(seed)
        med.append(_summary(_time_calls(lambda: gradients.reinforce_batch_means(pi, 0, 0.0, 64, m, rng=r),
                                        budget_s=budget, min_calls=5, max_calls=3000))["median_ms"])
    series.append(_series("gradients.reinforce_batch_means (V = 10, batch 64)", "samples",
                          [64 * m for m in batches], med))
    return series


def _series(name: str, x_label: str, x: list[int], median_ms: list[float]) -> dict[str, Any]:
    """One growth series; the exponent is fitted over the upper sizes (≥ 1,000× the smallest work)."""
    upper = [i for i, xi in enumerate(x) if xi >= 100 * x[0]] or list(range(len(x)))
    if len(upper) < 2:
        upper = list(range(len(x)))
    return {
        "name": name, "x_label": x_label, "x": [int(v) for v in x], "median_ms": median_ms,
        "exponent": fit_exponent([x[i] for i in upper], [median_ms[i] for i in upper]),
        "exponent_all": fit_exponent(x, median_ms),
        "fit_from": int(x[upper[0]]),
    }
