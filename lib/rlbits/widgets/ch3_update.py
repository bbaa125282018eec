"""Chapter 3, "Gradient variance": the batch-update explorer."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from ..gradients import UpdatePanel, update_panel
from ..plotting import COLORS, LINESTYLES
from ._common import Control, LiveFigure, StaticGrid


def draw_update_panel(ax: Axes, panel: UpdatePanel, *, title: str | None = None) -> None:
    """Histogram of the cosine between batch updates and the SL direction.

    The histogram is one filled step outline (``histtype="stepfilled"``), not 40 bars: the same
    pixels (adjacent bars without edges), drawn and added to the axes in a fraction of the time.
    Chapter 3, "What a batch looks like".

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to draw on.
    panel : UpdatePanel
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
        If ``panel`` is not a :class:`~rlbits.gradients.UpdatePanel`.
    """
    if not isinstance(panel, UpdatePanel):
        raise ValueError(f"panel must be a UpdatePanel, got {type(panel).__name__}")
    ax.hist(panel.cosines, bins=np.linspace(-1, 1, 41), histtype="stepfilled", color=COLORS["rl"], alpha=0.85,
            label=f"{panel.cosines.size:,} batches of {panel.batch_size}")
    ax.axvline(1.0, color=COLORS["sl"], linestyle=LINESTYLES["sl"], label="SL update (cosine 1)")
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("cosine(batch update, SL direction)")
    ax.set_ylabel("batches (count)")
    ax.set_title(title or f"p = {panel.p:g}, batch {panel.batch_size}, baseline: {panel.baseline}\n"
                 f"P(no success in a batch) = {100 * panel.share_without_success:.0f}%; batch SNR {panel.snr_batch:.2g}")
    ax.legend(loc="upper left")


def update_explorer():
    """Build the Chapter 3 explorer: pass rate (log10 p), batch size and baseline → histogram of updates.

    Returns ``(control, update)``; ``update(log10_p, batch_size, baseline)`` redraws and returns the
    :class:`~rlbits.gradients.UpdatePanel`. Chapter 3, "What a batch looks like".

    Returns
    -------
    tuple of (ipywidgets.Widget, callable)
        ``control``, the widget to display, and ``update(log10_p, batch_size, baseline)``, which redraws the figure
        and returns the panel it drew:

        - ``log10_p`` (float): base-10 logarithm of the pass rate (< 0);
        - ``batch_size`` (int): samples per batch (>= 1);
        - ``baseline`` (str): ``"none"`` or ``"pass rate"``.

    Raises
    ------
    ImportError
        If ipywidgets is not installed (the explorers need Jupyter; the pure panel functions do not).
    ValueError
        Never from the builder, which takes no input; ``update`` raises it as :func:`rlbits.gradients.update_panel` does (an unknown ``baseline``, ``batch_size < 1``).
    """
    import ipywidgets as widgets

    live = LiveFigure("update", (6.4, 3.9))  # one figure for the explorer's life

    def update(log10_p: float = -2.0, batch_size: int = 64, baseline: str = "none") -> UpdatePanel:
        panel = update_panel(10**log10_p, batch_size, baseline)
        live.show(lambda ax: draw_update_panel(ax, panel))
        return panel

    p = widgets.FloatSlider(value=-2.0, min=-4.0, max=round(float(np.log10(0.9)), 2), step=0.1, description="log10 p")
    n = widgets.IntSlider(value=64, min=1, max=1024, step=1, description="batch size")
    b = widgets.ToggleButtons(options=["none", "pass rate"], description="baseline")
    return live.explorer(update, {"log10_p": p, "batch_size": n, "baseline": b}, [[p, n], [b]]), update


# --- The static website: the states precomputed at build time ---


def _describe_update(panel: UpdatePanel) -> str:
    """Alt text for one state of the batch-update explorer."""
    return (f"Histogram of the cosine between each of {panel.cosines.size:,} REINFORCE batch updates of "
            f"{panel.batch_size} samples and the SL direction, at pass rate p = {panel.p:g} with baseline "
            f"{panel.baseline}. A batch contains no success with probability {100 * panel.share_without_success:.0f}%; the "
            f"median cosine is {float(np.median(panel.cosines)):.2f}; the batch SNR is {panel.snr_batch:.2g}.")


_P_GRID = (0.0001, 0.001, 0.01, 0.03, 0.1, 0.3, 0.9)
_BATCH_GRID = (1, 4, 16, 64, 256, 1024)

#: The batch-update explorer's states on the static website (7 x 6 x 2 = 84).
UPDATE_GRID = StaticGrid(
    name="update", title="Batch update explorer", figsize=(6.4, 3.9),
    controls=(
        Control("p", "pass rate p", _P_GRID, tuple(f"{x:g}" for x in _P_GRID), default=2),
        Control("batch_size", "batch size", _BATCH_GRID, tuple(f"{x:,}" for x in _BATCH_GRID), default=3),
        Control("baseline", "baseline", ("none", "pass rate"), ("none (b = 0)", "pass rate (b = p)"),
                kind="select"),
    ),
    panel=update_panel,
    draw=draw_update_panel,
    describe=_describe_update,
)


# The explorer's state (computed in its concept module), drawing, builder and static-site grid.
__all__ = ["UPDATE_GRID", "UpdatePanel", "draw_update_panel", "update_explorer", "update_panel"]
