"""Chapter 6, "Training both ways": the learning-curve explorer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import NDArray

from ..plotting import COLORS, LINESTYLES
from ._common import Control, LiveFigure, StaticGrid


#: The settings the Chapter 6 explorer offers (every combination is precomputed once, then cached).
TRAINING_METHODS: tuple[str, ...] = ("sl", "reinforce", "baseline", "grpo")
TRAINING_V: tuple[int, ...] = (10, 100, 1_000, 10_000, 100_000)
TRAINING_LR: tuple[float, ...] = (0.1, 1.0, 10.0, 100.0)
TRAINING_LABELS: dict[str, str] = {
    "sl": "SL (cross-entropy)",
    "reinforce": "REINFORCE",
    "baseline": "REINFORCE + baseline",
    "grpo": "GRPO",
}
TRAINING_ROLES: dict[str, str] = {"sl": "sl", "reinforce": "rl", "baseline": "third", "grpo": "fourth"}


@dataclass(frozen=True)
class TrainingPanel:
    """Learning curve of one (method, V, learning rate): pass rate against samples, over seeds.

    ``median``, ``low``, ``high``: median, 10th and 90th percentile over seeds of the pass rate at
    each entry of ``samples``; ``samples_to_half``: median samples to reach pass rate 0.5 (``inf``
    if fewer than half the seeds got there); ``sl_median``: the SL curve at the same V and rate.
    """

    method: str
    V: int
    lr: float
    seeds: int
    samples: NDArray[np.float64]
    median: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    sl_median: NDArray[np.float64]
    samples_to_half: float


def training_budget(V: int, lr: float) -> int:
    """Sample budget per run used by the Chapter 6 explorer: ``30 V / min(lr, 1) + 1000`` samples.

    Enough for the slowest setting (REINFORCE, ``~V/η`` samples) and, at large steps, for the wait
    for a first success (``~V`` samples).
    """
    return int(30 * V / min(lr, 1.0)) + 1000


_TRAINING_CACHE: dict[tuple[str, int, float], tuple] = {}


def _training_grid() -> dict[tuple[str, int, float], tuple]:
    """Every explorer setting trained once (24 seeds, batch 8) and kept for the life of the kernel."""
    from .. import training

    if _TRAINING_CACHE:
        return _TRAINING_CACHE
    grid = _TRAINING_CACHE
    for i, method in enumerate(TRAINING_METHODS):
        for j, V in enumerate(TRAINING_V):
            for k, lr in enumerate(TRAINING_LR):
                run = training.train(method, V, lr, rng=np.random.default_rng(600 + 100 * i + 10 * j + k),
                                     seeds=24, batch_size=8, max_samples=training_budget(V, lr), grid_points=80)
                pr = run.pass_rate[:, 0, :]
                low, med, high = np.percentile(pr, [10, 50, 90], axis=0)
                half = float(np.median(run.samples_to_reach(0.5)))
                grid[(method, V, lr)] = (run.samples, med, low, high, half, run.seeds)
    return grid


def training_panel(method: str, V: int, lr: float) -> TrainingPanel:
    """The precomputed learning curve for one setting of the Chapter 6 explorer (24 seeds, batch 8).

    The first call trains every combination of :data:`TRAINING_METHODS`, :data:`TRAINING_V` and
    :data:`TRAINING_LR` once (about a second) and caches them; later calls only look up.
    Chapter 6, "Explore".
    """
    if method not in TRAINING_METHODS:
        raise ValueError(f"method must be one of {TRAINING_METHODS}, got {method!r}")
    if V not in TRAINING_V:
        raise ValueError(f"V must be one of the precomputed sizes {TRAINING_V}, got {V!r}")
    lr_key = next((x for x in TRAINING_LR if np.isclose(x, lr)), None) if np.isscalar(lr) else None
    if lr_key is None:
        raise ValueError(f"lr must be one of the precomputed learning rates {TRAINING_LR}, got {lr!r}")
    grid = _training_grid()
    samples, med, low, high, half, seeds = grid[(method, int(V), lr_key)]
    sl_samples, sl_med = grid[("sl", int(V), lr_key)][:2]
    return TrainingPanel(method, int(V), float(lr_key), int(seeds), samples, med, low, high,
                         np.interp(samples, sl_samples, sl_med), half)


def draw_training_panel(ax: Axes, panel: TrainingPanel, *, title: str | None = None) -> None:
    """Pass rate against samples on log-log axes: median and 10–90% band over seeds, SL for reference."""
    role = TRAINING_ROLES[panel.method]
    x = np.maximum(panel.samples, 1.0)
    ax.fill_between(x, panel.low, panel.high, color=COLORS[role], alpha=0.25, linewidth=0,
                    label=f"10–90% of {panel.seeds} seeds")
    ax.plot(x, panel.median, color=COLORS[role], linestyle=LINESTYLES[role],
            label=f"{TRAINING_LABELS[panel.method]} (median)")
    if panel.method != "sl":
        ax.plot(x, panel.sl_median, color=COLORS["sl"], linestyle=LINESTYLES["sl"], linewidth=1.2, alpha=0.7,
                label="SL (median)")
    ax.axhline(0.5, color=COLORS["reference"], linestyle=LINESTYLES["reference"], linewidth=1.0,
               label="pass rate 0.5")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(1.0, float(x[-1]))
    ax.set_ylim(min(0.5 / panel.V, 0.05), 1.3)
    from matplotlib.ticker import NullLocator

    ax.xaxis.set_minor_locator(NullLocator())  # minor log ticks double the redraw time; the grid suffices
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("samples per prompt (log scale)")
    ax.set_ylabel("pass rate p (log scale)")
    half = "never (within budget)" if not np.isfinite(panel.samples_to_half) else f"{panel.samples_to_half:,.0f}"
    ax.set_title(title or f"{TRAINING_LABELS[panel.method]}, V = {panel.V:,}, η = {panel.lr:g}\n"
                 f"median samples to p = 0.5: {half}")
    ax.legend(loc="center", fontsize=8)  # between the SL rise (left) and the RL rise (right)


def training_explorer():
    """Build the Chapter 6 explorer: method, vocabulary size V and learning rate → learning curve.

    Returns ``(control, update)``; ``update(method, V, lr)`` redraws from the cache and returns the
    :class:`TrainingPanel`.
    """
    import ipywidgets as widgets

    _training_grid()  # train every combination once, before the first redraw

    live = LiveFigure("training", (6.4, 4.2))  # one figure for the explorer's life

    def update(method: str = "reinforce", V: int = 1_000, lr: float = 1.0) -> TrainingPanel:
        panel = training_panel(method, V, lr)
        live.show(lambda ax: draw_training_panel(ax, panel))
        return panel

    m = widgets.ToggleButtons(options=[(TRAINING_LABELS[k], k) for k in TRAINING_METHODS], value="reinforce",
                              description="method")
    v = widgets.SelectionSlider(options=[(f"{x:,}", x) for x in TRAINING_V], value=1_000, description="V")
    lr = widgets.SelectionSlider(options=[(f"{x:g}", x) for x in TRAINING_LR], value=1.0, description="η")
    return live.explorer(update, {"method": m, "V": v, "lr": lr}, [[m], [v, lr]]), update


# --- The static website: the states precomputed at build time ---


def _describe_training(panel: TrainingPanel) -> str:
    """Alt text for one state of the training explorer."""
    half = ("does not reach pass rate 0.5 within the budget" if not np.isfinite(panel.samples_to_half)
            else f"reaches pass rate 0.5 after {panel.samples_to_half:,.0f} samples")
    return (f"Log-log learning curve of {TRAINING_LABELS[panel.method]} at V = {panel.V:,} and learning rate "
            f"{panel.lr:g}: the median pass rate over {panel.seeds} seeds against samples per prompt, with a "
            f"10 to 90 percent band and SL for reference. The median run {half}.")


#: The training explorer's states on the static website (4 methods x 5 values of V x 4 step sizes).
TRAINING_GRID = StaticGrid(
    name="training", title="Training explorer", figsize=(6.4, 4.2),
    controls=(
        Control("method", "method", TRAINING_METHODS, tuple(TRAINING_LABELS[m] for m in TRAINING_METHODS),
                default=1, kind="select"),
        Control("V", "V (vocabulary)", TRAINING_V, tuple(f"{x:,}" for x in TRAINING_V), default=2),
        Control("lr", "learning rate η", TRAINING_LR, tuple(f"{x:g}" for x in TRAINING_LR), default=1),
    ),
    panel=training_panel,
    draw=draw_training_panel,
    describe=_describe_training,
)


# Every panel, draw_* function and *_explorer builder defined above.
__all__ = sorted(name for name, obj in list(globals().items())
                 if not name.startswith("_") and getattr(obj, "__module__", None) == __name__)
