"""Chapter 7's transformer: training steps per second for each method, and the committed sweep's wall time.

Each method trains the sweep's model (its ``config``) on its own task, from scratch, for a few steps on
one replica; the time is what :func:`rlbits.transformer.train.train` measures (compilation and
evaluation excluded). The sweep's wall time and machine are read from the committed results JSON, so
the two can be set side by side: a full sweep is many such steps, plus compilation.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._common import _jsonable


def bench_transformer(quick: bool = False) -> dict[str, Any]:
    """Steps per second and samples per second of each Chapter 7 method, at answer length T = 4."""
    try:
        import jax  # noqa: F401 - the optional extra, rlbits[transformer]
    except ImportError:
        return {"status": "skipped", "note": "JAX is not installed (pip install -e '.[transformer]')"}
    from rlbits.transformer import results
    from rlbits.transformer.methods import METHODS
    from rlbits.transformer.model import ModelConfig
    from rlbits.transformer.task import split_prompts
    from rlbits.transformer.train import Data, init_replicas, train

    res = results.load()
    cfg = res["config"]
    mcfg = ModelConfig(cfg["width"], cfg["layers"], cfg["heads"], cfg["mlp"])
    xt, xh = split_prompts(cfg["n_train"], cfg["n_heldout"], rng=np.random.default_rng(cfg["data_seed"]))
    data = Data(xt, xh)
    T, steps = 4, (10 if quick else 40)
    methods: dict[str, Any] = {}
    for method in METHODS:
        params = init_replicas([0], mcfg)
        teacher = init_replicas([1], mcfg) if method == "distill" else None
        runs = train(method, T, params, [cfg["scratch_lr"]], [0], data, steps=steps, eval_every=steps,
                     batch=cfg["batch"], group=cfg["group"], teacher=teacher, cfg=mcfg)
        methods[method] = {"steps": steps, "train_s": runs.wall_s, "compile_s": runs.compile_s,
                           "steps_per_s": steps / runs.wall_s, "samples_per_s": steps * cfg["batch"] / runs.wall_s}
    return {"status": "measured", "T": T, "batch": cfg["batch"], "params": res.get("n_params"),
            "methods": _jsonable(methods), "sweep_wall_s": res.get("wall_s"), "sweep_machine": res.get("machine"),
            "sweep_quick": res.get("quick")}
