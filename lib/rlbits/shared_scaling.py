"""The shared-parameter model at many answers: tune, measure and store samples to a target (Chapter 6).

Chapter 6, "A model with shared parameters: the main experiment", measures how many samples each
method needs before the held-out pass rate of a linear softmax policy (:mod:`rlbits.features`) reaches
a target. For 8 to 64 answers the chapter runs the experiment itself; at 128 answers a
policy-gradient run needs up to hundreds of thousands of samples, and tuning and measuring every method
takes minutes, more than a chapter may take to execute (the chapter runs 64 answers itself, in
about ten seconds; 128 answers take about a minute). :func:`measure` runs the same protocol as the
chapter for one ``V`` (step sizes tuned on other task draws and seeds, then ``draws × seeds`` measured
runs at the best step), :func:`run` does it for every ``V`` of :data:`LARGE_V` and returns a record
that :func:`save` writes as JSON, and :func:`load` reads the copy committed with the package
(``rlbits/ch6_shared_scaling.json``). A test marked ``slow`` re-runs :func:`run` from scratch and
checks that it reproduces the committed sample counts exactly.

Run ``python -m rlbits.shared_scaling --out rlbits_ch6_shared_scaling.json`` to recompute it (a few
minutes on one core).
"""

from __future__ import annotations

import argparse
import json
from importlib import resources
from pathlib import Path

import numpy as np

from . import _validate
from .features import SHARED_METHODS, effective_answers, make_task, samples_to_target, train_shared
from .training import _resample_draws_then_seeds

__all__ = ["CONFIG", "LARGE_V", "RESULTS_FILE", "bootstrap_medians", "load", "measure", "median_slope", "run", "save"]

#: File name of the committed results, inside this package.
RESULTS_FILE = "ch6_shared_scaling.json"

#: The numbers of answers measured here and stored (the chapter itself runs 8, 16, 32 and 64).
LARGE_V: tuple[int, ...] = (128,)

#: The protocol, that is the chapter's sizes and target, the step-size grids (half decades, one per ``V``,
#: each with its optimum inside) and the budgets in samples per run. The entries for 64 answers are the
#: chapter's own (it runs them), kept so that :func:`measure` can reproduce them.
CONFIG: dict = {
    "d": 8, "P": 512, "Q": 128, "B": 8, "G": 8, "target": 0.4, "draws": 10, "seeds": 4,
    "tune_draws": 3, "tune_seeds": 2, "evals": 40, "also_at": [0.2, 0.25, 0.3, 0.35],
    "grid": {"sl": {64: [10.0, 30.0, 100.0, 300.0, 1_000.0], 128: [3.0, 10.0, 30.0, 100.0, 300.0]},
             "rl": {64: [1.0, 3.0, 10.0, 30.0, 100.0], 128: [0.1, 0.3, 1.0, 3.0, 10.0]}},
    "budget": {"sl": {64: 3_000, 128: 10_000}, "rl": {64: 300_000, 128: 600_000}},
}


def bootstrap_medians(y, *, rng: np.random.Generator, n_boot: int = 2000) -> np.ndarray:
    """Bootstrap replicates of the median over tasks and seeds, resampling tasks first and then seeds.

    The median is robust to censoring: a run that never reached the target (``inf``, or the budget)
    only moves it if half the runs did not.

    Parameters
    ----------
    y : array_like, shape (..., D, S)
        Values per task draw and seed (``inf`` allowed: a censored run); leading axes are kept and
        share the resampled indices (paired arms).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    n_boot : int
        Replicates.

    Returns
    -------
    numpy.ndarray, shape (n_boot, ...)
        The median of the ``D × S`` resampled values in each replicate.

    Raises
    ------
    ValueError
        If ``y`` has fewer than two axes, is empty, or contains NaN.

    Notes
    -----
    Chapter 6, "A model with shared parameters: the main experiment".
    """
    a = np.asarray(y, dtype=np.float64)
    if a.ndim < 2 or a.size == 0 or np.isnan(a).any():
        raise ValueError(f"y must be a non-empty array of shape (..., draws, seeds) without NaN, got shape {a.shape}")
    rng = _validate.rng(rng)
    B = _validate.positive_int(n_boot, "n_boot")
    picked = _resample_draws_then_seeds(a, rng, B)  # (..., B, D, S): the draws of training.bootstrap_means
    med = np.median(picked.reshape(*picked.shape[:-2], -1), axis=-1)
    return np.moveaxis(med, -1, 0)


def median_slope(x, y, *, rng: np.random.Generator, n_boot: int = 2000, level: float = 0.95) -> tuple[float, float, float]:
    """Log-log slope of the median of ``y`` against ``x``, with a percentile bootstrap interval.

    Parameters
    ----------
    x : array_like, shape (K,)
        E.g. numbers of answers (positive).
    y : array_like, shape (K, D, S)
        Samples per task draw and seed at each ``x`` (``inf`` or the budget where a run never got there).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    n_boot : int
        Replicates.
    level : float
        Coverage of the interval.

    Returns
    -------
    tuple of float
        ``(slope, low, high)``: the least-squares fit of ``log median(y[k])`` on ``log x[k]`` and its
        percentile interval, each ``x`` resampled independently by :func:`bootstrap_medians`. A
        replicate whose median is infinite has an infinite slope, which pulls the upper end of the
        interval to ``inf`` when it is common.

    Raises
    ------
    ValueError
        If the shapes do not fit, there are fewer than two ``x``, or a median is not finite and
        positive.

    Notes
    -----
    Chapter 6, "A model with shared parameters: the main experiment".
    """
    xx = np.log(np.asarray(x, dtype=np.float64))
    yy = np.asarray(y, dtype=np.float64)
    if yy.ndim != 3 or yy.shape[0] != xx.size or xx.size < 2:
        raise ValueError(f"y must have shape (len(x), draws, seeds) with at least two x, got {yy.shape} for {xx.size} x")
    point = np.median(yy.reshape(xx.size, -1), axis=1)
    if not (np.isfinite(point).all() and (point > 0).all()):
        raise ValueError("every median must be finite and positive (more than half the runs censored?)")
    rng = _validate.rng(rng)
    B = _validate.positive_int(n_boot, "n_boot")
    lv = _validate.open_unit(level, "level")
    xc = xx - xx.mean()
    reps = np.stack([bootstrap_medians(yy[k], rng=rng, n_boot=B) for k in range(xx.size)], axis=-1)  # (B, K)
    with np.errstate(invalid="ignore"):
        ly = np.log(reps)
        slopes = np.where(np.isfinite(ly).all(axis=-1), (ly - ly.mean(axis=-1, keepdims=True)) @ xc / (xc @ xc), np.inf)
    lo, hi = np.quantile(slopes, [(1 - lv) / 2, (1 + lv) / 2], method="nearest")  # no interpolation with inf
    lp = np.log(point)
    return float((lp - lp.mean()) @ xc / (xc @ xc)), float(lo), float(hi)


def _kind(method: str) -> str:
    return "sl" if method == "sl" else "rl"


def measure(V: int, methods=SHARED_METHODS, config: dict | None = None) -> dict:
    """Tune every method's step size at ``V`` answers on other tasks, then measure samples to the target.

    The seeds follow the chapter: measured tasks from ``default_rng(500 + V)``, tuning tasks from
    ``default_rng(5500 + V)``, the tuning runs of the ``k``-th method of :data:`rlbits.features.SHARED_METHODS`
    from ``default_rng(600 + 10 V + k)`` and its measured runs from ``default_rng(800 + 10 V + k)``.

    Parameters
    ----------
    V : int
        Number of answers (a key of the grids and budgets of ``config``).
    methods : sequence of str
        Methods to run, a subset of :data:`rlbits.features.SHARED_METHODS`.
    config : dict, optional
        The protocol; :data:`CONFIG` by default.

    Returns
    -------
    dict
        ``grid`` and ``tuning`` (mean samples over the tuning runs at each step size, censored runs
        counted at the budget), ``tuning_runs`` (the samples of every tuning run, integers of shape
        ``(K, tune_draws, tune_seeds)`` for the ``K`` step sizes, censored runs at the budget: what
        the mean was taken over, for intervals) and ``best`` (the step size with the fewest) per method;
        ``budget`` per method; ``samples`` per method, a ``draws × seeds`` list of integer samples
        to the target (``None`` where a run never reached it within the budget), and the same for the
        lower held-out pass rates ``also_at`` of the same runs (keys ``samples_0.3`` etc.: the runs
        train until every one reaches the target, so they pass the lower levels on the way); ``final`` per method,
        each run's held-out pass rate at the end of its budget or when it stopped, rounded to 3
        decimals, and ``half`` the same at the last evaluation at or before half that many samples
        (``half_samples``), to tell a run that was still climbing from one that had stalled;
        ``effective_answers``, one per measured task (3 decimals).

    Raises
    ------
    ValueError
        If ``V`` has no grid or budget in ``config`` or a method is unknown.

    Notes
    -----
    Chapter 6, "A model with shared parameters: the main experiment".
    """
    cfg = CONFIG if config is None else config
    V = _validate.positive_int(V, "V", minimum=2)
    unknown = [m for m in methods if m not in SHARED_METHODS]
    if unknown:
        raise ValueError(f"methods must be among {SHARED_METHODS}, got {unknown}")
    if any(V not in cfg["grid"][k] or V not in cfg["budget"][k] for k in ("sl", "rl")):
        raise ValueError(f"no grid or budget for V = {V} in the configuration")

    def tasks(draws: int, seed: int):
        return make_task(cfg["P"], V, n_features=cfg["d"], n_held_out=cfg["Q"], draws=draws,
                         rng=np.random.default_rng(seed))

    measured, tuning = tasks(cfg["draws"], 500 + V), tasks(cfg["tune_draws"], 5500 + V)
    kw = dict(prompts_per_step=cfg["B"], group=cfg["G"], evals=cfg["evals"])
    out: dict = {"V": V, "grid": {}, "tuning": {}, "tuning_runs": {}, "best": {}, "budget": {}, "samples": {}, "final": {}, "half": {},
                 "half_samples": {},
                 **{f"samples_{t:g}": {} for t in cfg["also_at"]},
                 "effective_answers": np.round(effective_answers(measured), 3).tolist()}
    for k, m in enumerate(SHARED_METHODS):
        if m not in methods:
            continue
        grid, budget = cfg["grid"][_kind(m)][V], cfg["budget"][_kind(m)][V]
        sweep_runs = samples_to_target(m, tuning, grid, rng=np.random.default_rng(600 + 10 * V + k), target=cfg["target"],
                                       budget=budget, seeds=cfg["tune_seeds"], **kw)  # (K, tune_draws, tune_seeds)
        sweep = sweep_runs.mean(axis=(1, 2))
        best = grid[int(np.argmin(sweep))]
        runs = train_shared(m, measured, best, rng=np.random.default_rng(800 + 10 * V + k), seeds=cfg["seeds"],
                            max_samples=budget, stop_at=cfg["target"], **kw)
        out["grid"][m], out["tuning"][m], out["best"][m], out["budget"][m] = grid, sweep.tolist(), best, budget
        out["tuning_runs"][m] = sweep_runs.astype(np.int64).tolist()  # sample counts: whole numbers
        for t in (cfg["target"], *cfg["also_at"]):
            cost = runs.samples_to_reach(t)
            out["samples" if t == cfg["target"] else f"samples_{t:g}"][m] = [
                [None if np.isinf(c) else int(c) for c in row] for row in cost]
        out["final"][m] = np.round(runs.test_pass[..., -1], 3).tolist()
        half = int(np.flatnonzero(runs.samples <= runs.samples[-1] / 2)[-1])  # to tell a slow run from a stalled one
        out["half"][m] = np.round(runs.test_pass[..., half], 3).tolist()
        out["half_samples"][m] = int(runs.samples[half])
    return out


def run(Vs=LARGE_V, methods=SHARED_METHODS, config: dict | None = None) -> dict:
    """:func:`measure` at every ``V`` of ``Vs``, in one record with the protocol.

    Parameters
    ----------
    Vs : sequence of int
        Numbers of answers.
    methods : sequence of str
        Methods to run.
    config : dict, optional
        The protocol; :data:`CONFIG` by default.

    Returns
    -------
    dict
        ``config`` (the protocol, JSON-ready), ``methods``, ``V`` (the list) and ``results``, one
        :func:`measure` record per ``V`` (keyed by ``str(V)``).

    Raises
    ------
    ValueError
        As :func:`measure`, or if ``Vs`` is empty.

    Notes
    -----
    Chapter 6, "A model with shared parameters: the main experiment".
    """
    cfg = CONFIG if config is None else config
    Vs = [int(V) for V in Vs]
    if not Vs:
        raise ValueError("Vs must list at least one number of answers")
    plain = json.loads(json.dumps(cfg))  # integer keys become strings, as they will in the file
    return {"config": plain, "methods": list(methods), "V": Vs,
            "results": {str(V): measure(V, methods, cfg) for V in Vs}}


def save(record: dict, path: str | Path) -> Path:
    """Write a record of :func:`run` as JSON.

    Parameters
    ----------
    record : dict
        From :func:`run`.
    path : str or pathlib.Path
        Output file.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        If ``record`` is not a record of :func:`run`.
    """
    if not isinstance(record, dict) or not {"config", "V", "results"} <= set(record):
        raise ValueError("record must come from shared_scaling.run (config, V, results)")
    p = Path(path)
    p.write_text(json.dumps(record, indent=1) + "\n")
    return p


def load(path: str | Path | None = None) -> dict:
    """The committed results (or the file at ``path``), with the sample counts as arrays.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A file written by :func:`save`; by default the copy committed with the package.

    Returns
    -------
    dict
        The record of :func:`run`; in each ``results[str(V)]``, ``samples[m]`` (and ``samples_0.3[m]``
        etc.) becomes a float array
        of shape ``(draws, seeds)`` with ``inf`` for a run that never reached the target,
        ``final[m]`` and ``half[m]`` float arrays of the same shape, and ``tuning_runs[m]`` (where the
        file has it) a float array of shape ``(K, tune_draws, tune_seeds)``.

    Raises
    ------
    ValueError
        If the file is not such a record. A missing file raises ``FileNotFoundError``.
    """
    if path is None:
        text = resources.files("rlbits").joinpath(RESULTS_FILE).read_text()
    else:
        text = Path(path).read_text()
    rec = json.loads(text)
    if not isinstance(rec, dict) or not {"config", "V", "results"} <= set(rec):
        raise ValueError("not a Chapter 6 shared-scaling file: it needs 'config', 'V' and 'results'")
    for r in rec["results"].values():
        for key in [k for k in r if k.startswith("samples")]:
            r[key] = {m: np.array([[np.inf if c is None else float(c) for c in row] for row in s])
                      for m, s in r[key].items()}
        for key in ("final", "half", "tuning_runs"):
            if key in r:
                r[key] = {m: np.asarray(f, dtype=np.float64) for m, f in r[key].items()}
    return rec


def main(argv: list[str] | None = None) -> None:
    """Command line: recompute the results and write them to ``--out``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="output JSON file")
    ap.add_argument("--V", type=int, nargs="*", default=list(LARGE_V), help="numbers of answers")
    args = ap.parse_args(argv)
    print(save(run(args.V), args.out))


if __name__ == "__main__":  # pragma: no cover
    main()
