"""Chapter 1, "Entropy": the entropy explorer (panel, drawing, explorer)."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import NDArray

from ..information import EntropyPanel, entropy_panel
from ..plotting import COLORS, LINESTYLES
from ._common import Control, LiveFigure, StaticGrid


def draw_entropy_panel(ax: Axes, panel: EntropyPanel, *, title: str | None = None, legend: bool = True) -> None:
    """Draw ``panel`` on ``ax``: bars of each answer's surprisal, the entropy and ``log2 V`` as lines.

    The highlighted answer's bar is vermillion (the others sky blue). The ceiling ``log2 V`` is a
    wide grey band drawn under the entropy's solid line, so the two stay visible when they coincide
    (the uniform distribution). ``legend=False`` leaves the legend to the caller (one legend for a
    row of panels: the handles have the same labels on every panel). Chapter 1, "Entropy".

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to draw on.
    panel : EntropyPanel
        The state to draw, from its panel function.
    title : str, optional
        The axes' title (none by default).
    legend : bool, optional
        Whether to draw the legend.

    Returns
    -------
    None
        The artists are added to the axes.

    Raises
    ------
    ValueError
        If ``panel`` is not a :class:`~rlbits.information.EntropyPanel`.
    """
    if not isinstance(panel, EntropyPanel):
        raise ValueError(f"panel must be a EntropyPanel, got {type(panel).__name__}")
    k = np.arange(1, panel.probs.size + 1)
    others = np.arange(panel.probs.size) != panel.chosen
    ax.bar(k[others], panel.surprisal[others], color=COLORS["sixth"], edgecolor="none",
           label="surprisal -log2 p_k of each answer")
    ax.bar(k[panel.chosen], panel.surprisal[panel.chosen], color=COLORS["rl"], edgecolor="none",
           label="highlighted answer (its surprisal is in the title)")
    ax.axhline(panel.max_entropy, color=COLORS["reference"], alpha=0.25, linewidth=7, zorder=2,
               label="ceiling log2 V (uniform maximum)")
    ax.axhline(panel.entropy, color=COLORS["sl"], linestyle=LINESTYLES["sl"], zorder=3,
               label="entropy H (average surprisal)")
    ax.set_xlabel("answer k (most likely first)")
    ax.set_ylabel("information (bits)")
    top = float(np.max(panel.surprisal))
    ax.set_ylim(0, max(top, panel.max_entropy) * 1.35 + 0.1)
    ax.set_title(title or f"H = {panel.entropy:.2f} bits (ceiling {panel.max_entropy:.2f}); answer "
                 f"{panel.chosen + 1}: p = {panel.probs[panel.chosen]:.3f}, {panel.chosen_surprisal:.2f} bits")
    if legend:
        ax.legend(loc="upper left")


def entropy_explorer():
    """Build the Chapter 1 entropy explorer: sliders for V, sharpness and the highlighted answer.

    Returns ``(control, update)``, where ``update(V, sharpness, chosen)`` redraws the figure and
    returns the :class:`~rlbits.information.EntropyPanel` it drew. Chapter 1, "Entropy".

    Returns
    -------
    tuple of (ipywidgets.Widget, callable)
        ``control``, the widget to display, and ``update(V, sharpness, chosen)``, which redraws the figure
        and returns the panel it drew:

        - ``V`` (int): number of answers (>= 1);
        - ``sharpness`` (float): Zipf exponent (>= 0);
        - ``chosen`` (int): highlighted answer, 0-based (clipped to ``V - 1``).

    Raises
    ------
    ImportError
        If ipywidgets is not installed (the explorers need Jupyter; the pure panel functions do not).
    ValueError
        Never from the builder, which takes no input; ``update`` raises it as :func:`rlbits.information.entropy_panel` does (e.g. ``V < 1`` or a negative ``sharpness``).
    """
    import ipywidgets as widgets

    live = LiveFigure("entropy", (6.4, 3.8))  # one figure for the explorer's life

    def update(V: int = 8, sharpness: float = 1.0, chosen: int = 0) -> EntropyPanel:
        panel = entropy_panel(V, sharpness, min(chosen, V - 1))
        live.show(lambda ax: draw_entropy_panel(ax, panel))
        return panel

    v = widgets.IntSlider(value=8, min=2, max=40, description="V (answers)")
    s = widgets.FloatSlider(value=1.0, min=0.0, max=4.0, step=0.1, description="sharpness")
    c = widgets.IntSlider(value=0, min=0, max=7, description="highlight k-1")

    def _sync(change: dict) -> None:
        c.max = change["new"] - 1

    v.observe(_sync, names="value")
    control = live.explorer(update, {"V": v, "sharpness": s, "chosen": c}, [[v, s, c]])
    return control, update


# --- The static website: the states precomputed at build time ---


def _entropy_state(V: int, sharpness: float, highlight: str) -> EntropyPanel:
    """One static-site state: the highlighted answer is the first, the second or the last."""
    return entropy_panel(V, sharpness, {"first": 0, "second": 1, "last": V - 1}[highlight])


def _describe_entropy(panel: EntropyPanel) -> str:
    """Alt text for one state of the entropy explorer."""
    V = panel.probs.size
    return (f"Bar chart of the surprisal of each of {V} answers, most likely first, from "
            f"{panel.surprisal.min():.2f} to {panel.surprisal.max():.2f} bits. The entropy is "
            f"{panel.entropy:.2f} bits, against the uniform maximum log2 V = {panel.max_entropy:.2f} bits. "
            f"Highlighted: answer k = {panel.chosen + 1}, probability {panel.probs[panel.chosen]:.3f}, "
            f"surprisal {panel.chosen_surprisal:.2f} bits.")


#: The entropy explorer's states on the static website (5 x 9 x 3 = 135).
ENTROPY_GRID = StaticGrid(
    name="entropy", title="Entropy explorer", figsize=(6.4, 3.8),
    controls=(
        Control("V", "V (answers)", (2, 4, 8, 16, 40), ("2", "4", "8", "16", "40"), default=2),
        Control("sharpness", "sharpness", (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0),
                ("0", "0.25", "0.5", "0.75", "1", "1.5", "2", "3", "4"), default=4),
        Control("highlight", "highlighted answer", ("first", "second", "last"),
                ("k = 1 (most likely)", "k = 2", "k = V (least likely)"), default=0, kind="select"),
    ),
    panel=_entropy_state,
    draw=draw_entropy_panel,
    describe=_describe_entropy,
)


# The explorer's state (computed in its concept module), drawing, builder and static-site grid.
__all__ = ["ENTROPY_GRID", "EntropyPanel", "draw_entropy_panel", "entropy_explorer", "entropy_panel"]
