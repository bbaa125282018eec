"""The Chapter 6 training simulator against its per-sample Python reference, in one run.

The same workload (method, V, learning rate, batch size, seeds, sample budget, early stopping) is
run by :func:`rlbits.training.train` (vectorised over seeds, compact exact state, dead batches skipped),
by the same simulator with dead-batch skipping turned off (vectorisation alone), and by
:func:`rlbits.training.reference_train` (a per-sample Python loop over dense logits). It prints the
speed ratios and the samples per second each one processes, and how the simulator's cost grows with
the vocabulary size ``V`` (runs to mastery) and with the number of seeds (fitted log-log exponents).
The shared-parameter model of the same chapter (:mod:`rlbits.features`, a linear softmax policy over
prompt features) is timed the same way against its per-sample loop (:func:`compare_shared`).
Nothing here is a pass/fail test; numbers vary from machine to machine.

Run with ``python -m benchmarks.training`` (add ``--quick`` for a smoke run).
"""

from __future__ import annotations

import sys
import time
from typing import Any

import numpy as np

from rlbits import features, training

#: The speed ratio the simulator is held to (vectorised vs the per-sample reference, same workload).
GOAL_RATIO = 30.0


def _samples_used(run: training.TrainingRun) -> float:
    """Total samples processed over every seed and prompt (each row's last update clock)."""
    es = np.where(np.isfinite(run.event_samples), run.event_samples, 0.0)
    return float(es.max(axis=0).sum())


def _best_of(fn, repeats: int) -> tuple[float, Any]:
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _fit(x: list[float], y: list[float]) -> float:
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def compare(method: str, V: int, seeds: int, max_samples: int, lr: float = 0.5, batch_size: int = 8,
            repeats: int = 3) -> dict[str, Any]:
    """Time one workload three ways; return seconds, samples per second and the speed ratios."""
    kw = dict(batch_size=batch_size, seeds=seeds, max_samples=max_samples, stop_pass_rate=0.99)
    t_ref, ref = _best_of(lambda: training.reference_train(method, V, lr, rng=np.random.default_rng(1), **kw), 1)
    t_vec, vec = _best_of(lambda: training.train(method, V, lr, rng=np.random.default_rng(1), **kw), repeats)
    t_dense, dense = _best_of(lambda: training.train(method, V, lr, rng=np.random.default_rng(1),
                                                     skip_dead_batches=False, **kw), repeats)
    n_ref, n_vec, n_dense = _samples_used(ref), _samples_used(vec), _samples_used(dense)
    return {
        "method": method, "V": V, "seeds": seeds, "max_samples": max_samples, "lr": lr, "batch_size": batch_size,
        "reference_seconds": t_ref, "vectorised_seconds": t_vec, "no_skip_seconds": t_dense,
        "reference_samples_per_second": n_ref / t_ref,
        "vectorised_samples_per_second": n_vec / t_vec,
        "no_skip_samples_per_second": n_dense / t_dense,
        # Same workload, so the ratio of samples per second is the speed ratio (the runs stop early at
        # slightly different sample counts because their random draws differ).
        "speed_ratio": (n_vec / t_vec) / (n_ref / t_ref),
        "speed_ratio_no_skip": (n_dense / t_dense) / (n_ref / t_ref),
        "median_samples_to_half_reference": float(np.median(ref.samples_to_reach(0.5))),
        "median_samples_to_half_vectorised": float(np.median(vec.samples_to_reach(0.5))),
    }


def growth_with_V(method: str, Vs: list[int], seeds: int, lr: float = 0.5, repeats: int = 3) -> dict[str, Any]:
    """Seconds for ``seeds`` runs to mastery (pass rate 0.99) at each V; budget 30 V samples."""
    secs = []
    for V in Vs:
        t, _ = _best_of(lambda: training.train(method, V, lr, rng=np.random.default_rng(2), seeds=seeds,
                                               max_samples=30 * V + 1000), repeats)
        secs.append(t)
    return {"method": method, "V": Vs, "seconds": secs, "exponent": _fit(Vs, secs)}


def growth_with_seeds(method: str, V: int, seed_counts: list[int], lr: float = 0.5, repeats: int = 3) -> dict[str, Any]:
    """Seconds for runs to mastery at fixed V as the number of seeds grows."""
    secs = []
    for s in seed_counts:
        t, _ = _best_of(lambda: training.train(method, V, lr, rng=np.random.default_rng(3), seeds=s,
                                               max_samples=30 * V + 1000), repeats)
        secs.append(t)
    return {"method": method, "seeds": seed_counts, "seconds": secs, "exponent": _fit(seed_counts, secs)}


def compare_shared(method: str, V: int, d: int, prompts: int, seeds: int, max_samples: int, lr: float = 3.0,
                   prompts_per_step: int = 8, group: int = 8, repeats: int = 3) -> dict[str, Any]:
    """Time the shared-parameter model, vectorised over seeds, against its per-sample loop (same workload).

    Both consume the same random numbers and follow the same trajectory, so samples per second compare
    like for like.
    """
    task = features.make_task(prompts, V, n_features=d, n_held_out=256, rng=np.random.default_rng(4))
    kw = dict(seeds=seeds, prompts_per_step=prompts_per_step, group=group, max_samples=max_samples, evals=20)
    t_ref, ref = _best_of(lambda: features.reference_train_shared(method, task, lr, rng=np.random.default_rng(5), **kw), 1)
    t_vec, vec = _best_of(lambda: features.train_shared(method, task, lr, rng=np.random.default_rng(5), **kw), repeats)
    n = float(vec.samples[-1] * seeds)  # every seed runs the whole budget (no early stop)
    return {
        "method": method, "V": V, "d": d, "prompts": prompts, "seeds": seeds, "max_samples": max_samples, "lr": lr,
        "reference_seconds": t_ref, "vectorised_seconds": t_vec,
        "reference_samples_per_second": n / t_ref, "vectorised_samples_per_second": n / t_vec,
        "speed_ratio": t_ref / t_vec,
        "max_pass_rate_difference": float(np.abs(ref.test_pass - vec.test_pass).max()),
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Run the whole benchmark and return the measured numbers (JSON-ready)."""
    if quick:
        V, seeds, budget = 300, 16, 1_500
        Vs, seed_counts, methods = [100, 1_000, 10_000], [8, 32, 128], ("baseline",)
    else:
        V, seeds, budget = 1_000, 32, 4_000
        Vs, seed_counts, methods = [100, 1_000, 10_000, 100_000], [8, 32, 128, 512], ("reinforce", "baseline", "grpo")
    comparisons = [compare(m, V, seeds, budget, repeats=2 if quick else 3) for m in methods]
    main = next(c for c in comparisons if c["method"] == "baseline")
    gv = [growth_with_V(m, Vs, 32, repeats=2 if quick else 3) for m in ("reinforce", "grpo")]
    gs = growth_with_seeds("grpo", 1_000, seed_counts, repeats=2 if quick else 3)
    shared = [compare_shared(m, 32, 8, 512, 4 if quick else 16, 1_024 if quick else 4_096, repeats=2 if quick else 3)
              for m in (("grpo",) if quick else features.SHARED_METHODS)]
    return {
        "workload": f"baseline REINFORCE, V = {V}, {seeds} seeds, up to {budget:,} samples each, lr 0.5, batch 8",
        "speed_ratio": main["speed_ratio"],
        "speed_ratio_no_skip": main["speed_ratio_no_skip"],
        "meets_goal": bool(min(c["speed_ratio"] for c in comparisons) >= GOAL_RATIO),
        "goal_ratio": GOAL_RATIO,
        "reference_samples_per_second": main["reference_samples_per_second"],
        "vectorised_samples_per_second": main["vectorised_samples_per_second"],
        "exponent_V_reinforce": gv[0]["exponent"],
        "exponent_V_grpo": gv[1]["exponent"],
        "exponent_seeds_grpo": gs["exponent"],
        "comparisons": comparisons,
        "growth_V": gv,
        "growth_seeds": gs,
        "shared_speed_ratio": min(c["speed_ratio"] for c in shared),
        "shared": shared,
    }


def report(out: dict[str, Any]) -> str:
    """The results as text."""
    lines = [f"Workload: {out['workload']}"]
    for c in out["comparisons"]:
        lines.append(
            f"{c['method']:>9}: reference {c['reference_seconds']:.3f} s ({c['reference_samples_per_second']:,.0f} samples/s), "
            f"vectorised {c['vectorised_seconds'] * 1e3:.1f} ms ({c['vectorised_samples_per_second']:,.0f} samples/s), "
            f"no skipping {c['no_skip_seconds'] * 1e3:.1f} ms -> speed ratio {c['speed_ratio']:,.0f}x "
            f"({c['speed_ratio_no_skip']:,.0f}x without skipping); median samples to pass rate 0.5: "
            f"{c['median_samples_to_half_vectorised']:,.0f} (reference {c['median_samples_to_half_reference']:,.0f})")
    lines.append(f"goal >= {out['goal_ratio']:.0f}x: {'met' if out['meets_goal'] else 'NOT met'}")
    for g in out["growth_V"]:
        pts = ", ".join(f"V={v:,}: {s * 1e3:.1f} ms" for v, s in zip(g["V"], g["seconds"]))
        lines.append(f"cost vs V ({g['method']}, 32 seeds, to mastery): exponent {g['exponent']:.2f}  [{pts}]")
    g = out["growth_seeds"]
    pts = ", ".join(f"{s}: {t * 1e3:.1f} ms" for s, t in zip(g["seeds"], g["seconds"]))
    lines.append(f"cost vs seeds ({g['method']}, V=1,000): exponent {g['exponent']:.2f}  [{pts}]")
    for c in out.get("shared", []):
        lines.append(
            f"shared-parameter model, {c['method']} (V = {c['V']}, d = {c['d']}, {c['seeds']} seeds, {c['max_samples']:,} "
            f"samples each): reference {c['reference_seconds']:.3f} s, vectorised {c['vectorised_seconds'] * 1e3:.1f} ms "
            f"-> speed ratio {c['speed_ratio']:,.0f}x ({c['vectorised_samples_per_second']:,.0f} samples/s; same trajectory "
            f"to {c['max_pass_rate_difference']:.1e})")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(run(quick="--quick" in sys.argv[1:])))
