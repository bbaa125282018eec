"""Chapter 7's live check: rerun the start of one row of the sweep and compare it with the JSON.

Needs JAX and optax. Chapter 7, "One run, live".
"""

from __future__ import annotations

import numpy as np

from .results import row


def compare_with_results(res: dict, *, T: int = 1, steps: int = 150, z: float = 4.0, slack: float = 0.05) -> dict:
    """Train SL from scratch as the sweep's first stage did, for ``steps`` steps, and compare.

    The run uses the sweep's configuration, prompts, seeds (measurement and tuning seeds trained side
    by side, as in the sweep) and learning rate. It compares the mean held-out log-loss over the
    measurement seeds after ``steps * batch`` samples with the JSON's ``scratch`` row at the same count.

    Parameters
    ----------
    res : dict
        The results (:func:`rlbits.transformer.results.load`).
    T : int
        Answer length of the row (one the sweep ran).
    steps : int
        Steps to train, a multiple of the sweep's ``eval_every`` within the row's evaluations.
    z, slack : float
        The runs agree when the means differ by at most ``z`` standard errors of the difference plus
        ``slack`` bits.

    Returns
    -------
    dict
        ``live``, ``sweep`` (mean bits), ``tolerance``, ``agree``, ``samples``, ``seeds``.

    Raises
    ------
    ValueError
        If the sweep has no such row or ``steps`` falls outside it.
    """
    from .model import ModelConfig
    from .task import split_prompts
    from .train import Data, init_replicas, train

    cfg = res["config"]
    r = row(res, stage="scratch", method="sl", T=T, start="scratch")
    n = int(steps) * cfg["batch"]
    if steps <= 0 or steps % cfg["eval_every"] or n not in r.samples:
        raise ValueError(f"steps must be a positive multiple of {cfg['eval_every']} within the row's "
                         f"{r.samples[-1] / cfg['batch']:.0f} steps, got {steps!r}")
    mcfg = ModelConfig(cfg["width"], cfg["layers"], cfg["heads"], cfg["mlp"])
    xt, xh = split_prompts(cfg["n_train"], cfg["n_heldout"], rng=np.random.default_rng(cfg["data_seed"]))
    seeds = list(cfg["seeds"]) + list(cfg["tuning_seeds"])
    runs = train("sl", T, init_replicas(seeds, mcfg), [cfg["scratch_lr"]] * len(seeds), seeds, Data(xt, xh),
                 steps=int(steps), eval_every=cfg["eval_every"], batch=cfg["batch"], cfg=mcfg)
    live = runs.heldout_bits[: len(cfg["seeds"]), -1]
    sweep = r.heldout_bits[:, int(np.nonzero(r.samples == n)[0][0])]
    se = np.sqrt(live.var(ddof=1) / live.size + sweep.var(ddof=1) / sweep.size)
    tol = float(z * se + slack)
    return {"live": float(live.mean()), "sweep": float(sweep.mean()), "tolerance": tol,
            "agree": bool(abs(live.mean() - sweep.mean()) <= tol), "samples": n, "seeds": int(live.size)}
