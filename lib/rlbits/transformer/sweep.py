"""The Chapter 7 sweep: every run the chapter plots, written to one results JSON.

Run ``python -m rlbits.transformer.sweep --out book/data/ch7_results.json`` (the full sweep) or add
``--quick`` (a small model and a few steps: minutes, for the test suite). The same command runs on a
GPU when JAX finds one (``pip install "jax[cuda12]"``); the JSON records the device.

Stages, each written to the JSON as soon as it is done:

1. ``scratch``: SL from random weights at each answer length, for the measurement seeds and the
   tuning seeds; its checkpoints at held-out pass rates :data:`STARTS` are the warm starts, and the
   one at :data:`TEACHER_PASS` is the distillation teacher.
2. ``tuning``: each method at every learning rate of the grid, at one answer length, from the
   0.1 warm start, on the tuning seeds only; the best rate (highest held-out pass rate at the end:
   the objective every method is after) is used for every later run of that method.
3. ``main``: each method at each answer length from the 0.1 warm start, on the measurement seeds.
4. ``goldilocks``: SL, REINFORCE and GRPO from every warm start at one answer length.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass, field

import numpy as np

#: Held-out pass rates at which warm starts are taken.
STARTS: tuple[float, ...] = (0.01, 0.1, 0.3, 0.5, 0.9)
#: Held-out pass rate of the distillation teacher.
TEACHER_PASS = 0.95
#: k of the pass@k table.
PASS_K: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64)


@dataclass
class SweepConfig:
    """Everything that defines a sweep (recorded in the JSON).

    Attributes
    ----------
    width, layers, heads, mlp : int
        The model's size (:class:`rlbits.transformer.model.ModelConfig`).
    n_train, n_heldout : int
        Training and held-out prompts, drawn with ``data_seed``.
    data_seed : int
        Seed of the prompts.
    batch : int
        Training samples per step, for every method.
    group : int
        Answers drawn per prompt by the grouped methods (divides ``batch``).
    seeds : list of int
        Measurement seeds (the runs plotted).
    tuning_seeds : list of int
        Seeds used only to choose each method's learning rate.
    lengths : list of int
        Answer lengths ``T`` of the scratch and main stages.
    methods : list of str
        Methods of the tuning and main stages.
    scratch_lr : float
        SL's learning rate in the scratch stage.
    scratch_steps : dict
        Steps of the scratch stage, by answer length (keys are strings).
    tuning_T : int
        Answer length of the tuning stage.
    tuning_start : float
        Warm start (held-out pass rate) of the tuning stage.
    tuning_lrs : list of float
        The learning-rate grid.
    tuning_steps : int
        Steps of each tuning run.
    main_start : float
        Warm start of the main stage.
    main_steps : dict
        Steps of the main stage, by answer length (keys are strings).
    goldilocks_T : int
        Answer length of the Goldilocks stage.
    goldilocks_methods : list of str
        Methods of the Goldilocks stage.
    goldilocks_steps : int
        Steps of each Goldilocks run.
    eval_every : int
        Steps between evaluations; divides every number of steps.

    Raises
    ------
    ValueError
        Never when made: the values are checked when the sweep runs (:func:`run_sweep`).
    """

    width: int = 32
    layers: int = 2
    heads: int = 4
    mlp: int = 128
    n_train: int = 4096
    n_heldout: int = 256
    data_seed: int = 2027
    batch: int = 64
    group: int = 8
    seeds: list = field(default_factory=lambda: [0, 1, 2, 3, 4])
    tuning_seeds: list = field(default_factory=lambda: [100])
    lengths: list = field(default_factory=lambda: [1, 2, 4])
    methods: list = field(default_factory=lambda: ["sl", "reinforce", "grpo", "rft", "distill", "graded"])
    scratch_lr: float = 3e-3
    scratch_steps: dict = field(default_factory=lambda: {"1": 300, "2": 500, "4": 900})
    tuning_T: int = 2
    tuning_start: float = 0.1
    tuning_lrs: list = field(default_factory=lambda: [3e-4, 1e-3, 3e-3, 1e-2, 3e-2])
    tuning_steps: int = 80
    main_start: float = 0.1
    main_steps: dict = field(default_factory=lambda: {"1": 40, "2": 80, "4": 100})
    goldilocks_T: int = 4
    goldilocks_methods: list = field(default_factory=lambda: ["sl", "reinforce"])
    goldilocks_steps: int = 50
    eval_every: int = 10


def quick_config() -> SweepConfig:
    """A sweep small enough for the test suite: a tiny model, one length, two seeds, few steps (two learning
    rates on one tuning seed, so tuning reuses the main stage's compiled steps).

    Returns
    -------
    SweepConfig
        The quick sweep's configuration (``--quick``).

    Raises
    ------
    ValueError
        Never: it takes no input.
    """
    return SweepConfig(width=16, layers=1, heads=2, mlp=32, n_train=512, n_heldout=64, seeds=[0, 1],
                       tuning_seeds=[100], lengths=[2], scratch_steps={"2": 20}, tuning_T=2,
                       tuning_lrs=[1e-3, 1e-2], tuning_steps=10, main_steps={"2": 10},
                       goldilocks_T=2, goldilocks_methods=["sl", "reinforce"], goldilocks_steps=10, eval_every=5)


def _versions() -> dict:
    import jax
    import jaxlib
    import optax

    return {"python": platform.python_version(), "numpy": np.__version__, "jax": jax.__version__,
            "jaxlib": jaxlib.__version__, "optax": optax.__version__}


def _machine() -> dict:
    import jax

    return {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(), "device": str(jax.devices()[0].device_kind),
            "backend": jax.default_backend()}


def _runs_record(runs, **meta) -> dict:
    from ..sharpening import mean_pass_at_k as pass_at_k

    rec = dict(meta)
    rec.update(samples=runs.samples.tolist(), heldout_bits=np.round(runs.heldout_bits, 5).tolist(),
               pass_heldout=np.round(runs.pass_heldout, 6).tolist(),
               pass_train=np.round(runs.pass_train, 6).tolist(), wall_s=round(runs.wall_s, 3),
               compile_s=round(runs.compile_s, 3),
               pass_at_k={"k": list(PASS_K),
                          "before": np.round([pass_at_k(p, PASS_K) for p in runs.p_start], 6).tolist(),
                          "after": np.round([pass_at_k(p, PASS_K) for p in runs.p_final], 6).tolist()})
    return rec


def run_sweep(cfg: SweepConfig, out: str, *, quick: bool = False, log=print) -> dict:
    """Run every stage of the sweep and write the JSON to ``out`` after each stage; return it.

    Needs JAX and optax. Each stage replaces ``out`` whole (written to ``out + ".tmp"``, then
    renamed), so an interrupted sweep leaves the stages done so far.

    Parameters
    ----------
    cfg : SweepConfig
        What to run.
    out : str
        Path of the results JSON; its folder is created if missing.
    quick : bool, optional
        Recorded in the JSON (``"quick"``): whether this is the test suite's small sweep.
    log : callable, optional
        Called with one line of progress at a time (default ``print``).

    Returns
    -------
    dict
        The results, as written to ``out`` (:func:`rlbits.transformer.results.load` reads them).

    Raises
    ------
    ValueError
        If a size in ``cfg`` is invalid: a model size (:class:`rlbits.transformer.model.ModelConfig`),
        a number of prompts, a method, an answer length, or steps, batch and group that do not
        divide as :func:`rlbits.transformer.train.train` requires. A length missing from
        ``scratch_steps`` or ``main_steps`` raises ``KeyError``.
    """
    from .model import ModelConfig, init_params, n_params
    from .measure import flops_per_sample
    from .task import split_prompts
    from .train import Data, init_replicas, stack, train, unstack

    t_start = time.perf_counter()
    mcfg = ModelConfig(cfg.width, cfg.layers, cfg.heads, cfg.mlp)
    import jax

    npar = n_params(init_params(jax.random.key(0), mcfg))
    xt, xh = split_prompts(cfg.n_train, cfg.n_heldout, rng=np.random.default_rng(cfg.data_seed))
    data = Data(xt, xh)
    result = {"config": asdict(cfg), "quick": quick, "versions": _versions(), "machine": _machine(),
              "n_params": npar, "starts": list(STARTS), "teacher_pass": TEACHER_PASS,
              "runs": [], "tuning": {}, "stages_done": []}

    def save(stage):
        result["stages_done"].append(stage)
        result["wall_s"] = round(time.perf_counter() - t_start, 1)
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        tmp = out + ".tmp"
        with open(tmp, "w") as f:
            json.dump(result, f, separators=(",", ":"))
        os.replace(tmp, out)
        log(f"[{result['wall_s']:7.1f} s] stage {stage} written to {out}")

    all_seeds = list(cfg.seeds) + list(cfg.tuning_seeds)
    warm: dict = {}  # (T, start) -> {seed: (params, pass)}
    teachers: dict = {}
    for T in cfg.lengths:
        steps = int(cfg.scratch_steps[str(T)])
        runs = train("sl", T, init_replicas(all_seeds, mcfg), [cfg.scratch_lr] * len(all_seeds), all_seeds, data,
                     steps=steps, eval_every=cfg.eval_every, batch=cfg.batch, cfg=mcfg,
                     capture=STARTS + (TEACHER_PASS,), stop_at=TEACHER_PASS)
        final = [unstack(runs.final_params, r) for r in range(len(all_seeds))]
        for c in STARTS + (TEACHER_PASS,):
            got = {}
            for r, s in enumerate(all_seeds):
                cap = runs.captures[c][r]
                got[s] = (cap[2], cap[1], cap[0]) if cap is not None else (final[r], float(runs.pass_heldout[r, -1]), None)
            (teachers if c == TEACHER_PASS else warm)[(T, c)] = got
        m = [i for i, s in enumerate(all_seeds) if s in cfg.seeds]
        rec = _runs_record(_select(runs, m), stage="scratch", method="sl", T=T, start="scratch",
                           lr=cfg.scratch_lr, seeds=list(cfg.seeds))
        rec["captures"] = {str(c): {"samples": [(runs.captures[c][i] or (None,))[0] for i in m],
                                    "pass": [round(warm.get((T, c), teachers.get((T, c)))[all_seeds[i]][1], 6) for i in m]}
                           for c in STARTS + (TEACHER_PASS,)}
        result["runs"].append(rec)
        log(f"scratch T={T}: pass {np.round(runs.pass_heldout[:, -1], 3)} after {runs.samples[-1]:.0f} samples, "
            f"{runs.wall_s:.1f} s")
    save("scratch")

    def start_params(T, start, seeds):
        d = warm[(T, start)]
        return stack([d[s][0] for s in seeds]), [d[s][1] for s in seeds]

    def teacher_params(T, seeds):
        return stack([teachers[(T, TEACHER_PASS)][s][0] for s in seeds])

    # Stage 2: tuning.
    T, lrs = cfg.tuning_T, list(cfg.tuning_lrs)
    tune = {"T": T, "start": cfg.tuning_start, "seeds": list(cfg.tuning_seeds), "lrs": lrs,
            "steps": cfg.tuning_steps, "final_bits": {}, "final_pass": {}, "best": {}, "interior": {}}
    reps = [(lr, s) for lr in lrs for s in cfg.tuning_seeds]
    for method in cfg.methods:
        p0, _ = start_params(T, cfg.tuning_start, [s for _, s in reps])
        runs = train(method, T, p0, [lr for lr, _ in reps], [s for _, s in reps], data, steps=cfg.tuning_steps,
                     eval_every=cfg.eval_every,
                     batch=cfg.batch, group=cfg.group, cfg=mcfg,
                     teacher=teacher_params(T, [s for _, s in reps]) if method == "distill" else None)
        fb = runs.heldout_bits[:, -1].reshape(len(lrs), len(cfg.tuning_seeds))
        fp = runs.pass_heldout[:, -1].reshape(len(lrs), len(cfg.tuning_seeds))
        score = fp.mean(1)
        best = int(np.argmax(score))
        tune["final_bits"][method] = np.round(fb, 5).tolist()
        tune["final_pass"][method] = np.round(fp, 6).tolist()
        tune["best"][method] = lrs[best]
        tune["interior"][method] = bool(0 < best < len(lrs) - 1)
        log(f"tuning {method}: final held-out pass rate by lr {np.round(score, 3)} -> {lrs[best]:g}")
    result["tuning"] = tune
    save("tuning")

    # Stage 3: main grid.
    for T in cfg.lengths:
        for method in cfg.methods:
            p0, _ = start_params(T, cfg.main_start, cfg.seeds)
            lr = tune["best"][method]
            runs = train(method, T, p0, [lr] * len(cfg.seeds), cfg.seeds, data, steps=int(cfg.main_steps[str(T)]),
                         eval_every=cfg.eval_every, batch=cfg.batch, group=cfg.group, cfg=mcfg,
                         teacher=teacher_params(T, cfg.seeds) if method == "distill" else None)
            result["runs"].append(_runs_record(runs, stage="main", method=method, T=T, start=cfg.main_start, lr=lr,
                                               seeds=list(cfg.seeds)))
            log(f"main {method} T={T}: pass {runs.pass_heldout[:, 0].mean():.3f} -> {runs.pass_heldout[:, -1].mean():.3f}, "
                f"{runs.wall_s:.1f} s")
        save(f"main T={T}")

    # Stage 4: Goldilocks.
    T = cfg.goldilocks_T
    for method in cfg.goldilocks_methods:
        lr = tune["best"][method]
        for st in STARTS:  # one start at a time: the same replica count as the main stage, so no new compile
            p0 = stack([warm[(T, st)][s][0] for s in cfg.seeds])
            runs = train(method, T, p0, [lr] * len(cfg.seeds), cfg.seeds, data, steps=cfg.goldilocks_steps,
                         eval_every=cfg.eval_every, batch=cfg.batch, group=cfg.group, cfg=mcfg)
            result["runs"].append(_runs_record(runs, stage="goldilocks", method=method, T=T, start=st, lr=lr,
                                               seeds=list(cfg.seeds)))
            log(f"goldilocks {method} from {st:g}: pass {runs.pass_heldout[:, 0].mean():.3f} -> "
                f"{runs.pass_heldout[:, -1].mean():.3f}, {runs.wall_s:.1f} s")
    save("goldilocks")

    result["flops_per_sample"] = {m: {str(T): flops_per_sample(m, T, npar)["total"] for T in cfg.lengths}
                                  for m in cfg.methods}
    save("done")
    return result


def _select(runs, idx):
    from .train import Runs

    idx = list(idx)
    return Runs(runs.samples, runs.heldout_bits[idx], runs.pass_heldout[idx], runs.pass_train[idx],
                runs.p_start[idx], runs.p_final[idx], runs.wall_s, runs.compile_s, {})


def main(argv=None) -> int:
    """The command line: ``python -m rlbits.transformer.sweep --out PATH [--quick]``.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: the command line's).

    Returns
    -------
    int
        0 once the sweep has written its results.

    Raises
    ------
    ValueError
        As :func:`run_sweep`; never for the built-in configurations. Bad arguments exit with
        argparse's ``SystemExit``.
    """
    ap = argparse.ArgumentParser(prog="python -m rlbits.transformer.sweep", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a small sweep for the test suite (minutes)")
    ap.add_argument("--out", required=True, help="where to write the results JSON")
    args = ap.parse_args(argv)
    cfg = quick_config() if args.quick else SweepConfig()
    run_sweep(cfg, args.out, quick=args.quick, log=lambda s: print(s, flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
