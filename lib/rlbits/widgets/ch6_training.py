"""Chapter 6, "Training both ways": the learning-curve explorer."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from ..plotting import COLORS, LINESTYLES
from ..training import (  # noqa: F401 - the explorer's settings, state and cache
    _TRAINING_CACHE, TRAINING_LABELS, TRAINING_LR, TRAINING_METHODS, TRAINING_ROLES, TRAINING_V, TrainingPanel,
    _training_grid, training_budget, training_panel)
from ._common import Control, LiveFigure, StaticGrid


def draw_training_panel(ax: Axes, panel: TrainingPanel, *, title: str | None = None) -> None:
    """Pass rate against samples on log-log axes: median and 10–90% band over seeds, SL for reference.

    Chapter 6, "Explore".

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to draw on.
    panel : TrainingPanel
        The state to draw, from its panel function.
    title : str, optional
        The axes' title (none by default).

    Returns
    -------
    None
        The artists are added to the axes.

    Raises
    ------
    ValueError
        If ``panel`` is not a :class:`~rlbits.training.TrainingPanel`.
    """
    if not isinstance(panel, TrainingPanel):
        raise ValueError(f"panel must be a TrainingPanel, got {type(panel).__name__}")
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
    :class:`~rlbits.training.TrainingPanel`. Chapter 6, "Explore".

    Returns
    -------
    tuple of (ipywidgets.Widget, callable)
        ``control``, the widget to display, and ``update(method, V, lr)``, which redraws the figure
        and returns the panel it drew:

        - ``method`` (str): one of :data:`rlbits.training.TRAINING_METHODS`;
        - ``V`` (int): number of answers, one of :data:`rlbits.training.TRAINING_V`;
        - ``lr`` (float): step size, one of :data:`rlbits.training.TRAINING_LR`.

    Raises
    ------
    ImportError
        If ipywidgets is not installed (the explorers need Jupyter; the pure panel functions do not).
    ValueError
        Never from the builder, which takes no input; ``update`` raises it as :func:`rlbits.training.training_panel` does (a setting off the explorer's grid).
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


# The explorer's state (computed in its concept module), drawing, builder and static-site grid.
__all__ = ["TRAINING_GRID", "TRAINING_LABELS", "TRAINING_LR", "TRAINING_METHODS", "TRAINING_ROLES", "TRAINING_V",
           "TrainingPanel", "draw_training_panel", "training_budget", "training_explorer", "training_panel"]
