"""Chapter 4, "Sampling and batch sizes": the draws-until-success and pass@k explorer."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from ..sampling import SamplingPanel, sampling_panel
from ..plotting import COLORS, LINESTYLES
from ._common import Control, LiveFigure, StaticGrid


def draw_sampling_panel(axes, panel: SamplingPanel, *, title: str | None = None) -> None:
    """Draw ``panel`` on two axes: P(at least one success) against draws, and pass@k against k.

    Chapter 4, "How many samples until the first success" and "pass@k".

    Parameters
    ----------
    axes : sequence of matplotlib.axes.Axes
        Exactly two axes, drawn left and right.
    panel : SamplingPanel
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
        If ``panel`` is not a :class:`~rlbits.sampling.SamplingPanel`.
    """
    if not isinstance(panel, SamplingPanel):
        raise ValueError(f"panel must be a SamplingPanel, got {type(panel).__name__}")
    if len(axes) != 2:
        raise ValueError(f"axes must hold exactly two axes, got {len(axes)}")
    ax1, ax2 = axes
    ax1.plot(panel.n_grid, panel.at_least_one, color=COLORS["rl"], linestyle=LINESTYLES["rl"],
             label="P(at least one success) = 1 - (1 - p)^n")
    ax1.axhline(panel.confidence, color=COLORS["reference"], linestyle=LINESTYLES["reference"], linewidth=1,
                label=f"confidence {panel.confidence:.3g}")
    ax1.axvline(panel.n_needed, color=COLORS["sl"], linestyle=LINESTYLES["sl"], linewidth=1.5,
                label=f"n needed = {panel.n_needed:,}")
    ax1.axvline(panel.mean_wait, color=COLORS["third"], linestyle=LINESTYLES["third"], linewidth=1.5,
                label=f"mean wait 1/p = {panel.mean_wait:,.4g}")
    ax1.axvline(panel.rule_of_three, color=COLORS["fourth"], linestyle=LINESTYLES["fourth"], linewidth=1.5,
                label=f"rule of three -ln(1-c)/p = {panel.rule_of_three:,.4g}")
    ax1.set_xscale("log")
    ax1.set_ylim(0, 1.02)
    ax1.set_xlabel("draws n (samples, log scale)")
    ax1.set_ylabel("P(≥ 1 success in n draws)")
    ax1.set_title(title or f"pass rate p = {panel.p:.3g}")
    ax1.legend(loc="lower right", fontsize=7.5)
    ax2.plot(panel.k_grid, panel.true_pass_at_k, color=COLORS["sl"], linestyle=LINESTYLES["sl"],
             label="pass@k = 1 - (1 - p)^k (= mean of unbiased estimator)")
    ax2.plot(panel.k_grid, panel.naive_expected, color=COLORS["rl"], linestyle=LINESTYLES["rl"],
             label=f"mean of plug-in 1 - (1 - c/n)^k, n = {panel.n_eval}")
    ax2.plot([panel.k], [panel.pass_at_k_k], "o", color=COLORS["sl"])
    ax2.plot([panel.k], [panel.naive_at_k_k], "s", color=COLORS["rl"])
    ax2.set_ylim(0, min(1.02, 1.15 * float(panel.true_pass_at_k.max())))  # zoom in when pass@k is small
    ax2.set_xlabel("k (samples per problem)")
    ax2.set_ylabel("pass@k (probability)")
    ax2.set_title(f"k = {panel.k}: pass@k {panel.pass_at_k_k:.3g}, plug-in {panel.naive_at_k_k:.3g}")
    ax2.legend(loc="lower right", fontsize=7.5)


def sampling_explorer():
    """Build the Chapter 4 explorer: sliders for log10 p, confidence and k → draws and pass@k curves.

    Returns ``(control, update)``; ``update(log10_p, confidence, k)`` redraws and returns the
    :class:`~rlbits.sampling.SamplingPanel` it drew. Chapter 4, "How many samples until the first success" and "pass@k".

    Returns
    -------
    tuple of (ipywidgets.Widget, callable)
        ``control``, the widget to display, and ``update(log10_p, confidence, k)``, which redraws the figure
        and returns the panel it drew:

        - ``log10_p`` (float): base-10 logarithm of the pass rate (< 0);
        - ``confidence`` (float): wanted probability of at least one success, in (0, 1);
        - ``k`` (int): the ``k`` of pass@k (1 to 100).

    Raises
    ------
    ImportError
        If ipywidgets is not installed (the explorers need Jupyter; the pure panel functions do not).
    ValueError
        Never from the builder, which takes no input; ``update`` raises it as :func:`rlbits.sampling.sampling_panel` does (``confidence`` outside (0, 1), ``k`` outside 1..100).
    """
    import ipywidgets as widgets

    live = LiveFigure("sampling", (11, 4.0), ncols=2)  # one figure for the explorer's life

    def update(log10_p: float = -2.0, confidence: float = 0.95, k: int = 10) -> SamplingPanel:
        panel = sampling_panel(10**log10_p, confidence, k)
        live.show(lambda axes: draw_sampling_panel(axes, panel))
        return panel

    p = widgets.FloatSlider(value=-2.0, min=-6.0, max=round(float(np.log10(0.5)), 2), step=0.1, description="log10 p")
    c = widgets.FloatSlider(value=0.95, min=0.5, max=0.999, step=0.005, readout_format=".3f",
                            description="confidence")
    k = widgets.IntSlider(value=10, min=1, max=100, description="k")
    return live.explorer(update, {"log10_p": p, "confidence": c, "k": k}, [[p, c, k]]), update


# --- The static website: the states precomputed at build time ---


def _describe_sampling(panel: SamplingPanel) -> str:
    """Alt text for one state of the sampling explorer."""
    return (f"Two panels. Left: the probability of at least one success against the number of draws at pass "
            f"rate p = {panel.p:.3g}, reaching {panel.confidence:g} confidence after {panel.n_needed:,} draws "
            f"(mean wait {panel.mean_wait:,.4g}, rule of three {panel.rule_of_three:,.4g}). Right: pass@k for k "
            f"up to {panel.n_eval}; at k = {panel.k} pass@k is {panel.pass_at_k_k:.3g} and the plug-in "
            f"estimate averages {panel.naive_at_k_k:.3g}.")


_P_GRID = (1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 0.5)
_C_GRID = (0.5, 0.9, 0.95, 0.99)
_K_GRID = (1, 5, 10, 50, 100)

#: The sampling explorer's states on the static website (7 x 4 x 5 = 140).
SAMPLING_GRID = StaticGrid(
    name="sampling", title="Sampling explorer", figsize=(11.0, 4.0),
    controls=(
        Control("p", "pass rate p", _P_GRID, tuple(f"{x:g}" for x in _P_GRID), default=4),
        Control("confidence", "confidence", _C_GRID, tuple(f"{x:g}" for x in _C_GRID), default=2),
        Control("k", "k (samples per problem)", _K_GRID, tuple(str(x) for x in _K_GRID), default=2),
    ),
    panel=sampling_panel,
    draw=draw_sampling_panel,
    ncols=2,
    describe=_describe_sampling,
)


# The explorer's state (computed in its concept module), drawing, builder and static-site grid.
__all__ = ["SAMPLING_GRID", "SamplingPanel", "draw_sampling_panel", "sampling_explorer", "sampling_panel"]
