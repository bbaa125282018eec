"""Chapter 2, "Information per sample": the SL-versus-RL bits explorer."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from ..comparison import BitsComparisonPanel, bits_comparison_panel
from ..plotting import COLORS
from ._common import Control, LiveFigure, StaticGrid


def draw_bits_comparison(ax: Axes, panel: BitsComparisonPanel, *, title: str | None = None) -> None:
    """Grouped bars: SL and RL under the essay's formulas, conditioned on the answer, and calibrated.

    Bits per sample on the y axis. Chapter 2, "How the answer space matters".

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to draw on.
    panel : BitsComparisonPanel
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
        If ``panel`` is not a :class:`~rlbits.comparison.BitsComparisonPanel`.
    """
    if not isinstance(panel, BitsComparisonPanel):
        raise ValueError(f"panel must be a BitsComparisonPanel, got {type(panel).__name__}")
    groups = [f"essay\npass rate {panel.p:.3g}", f"given the\nanswer\npass rate {panel.p:.3g}",
              f"calibrated\npass rate {panel.calibrated_pass_rate:.2g}"]
    sl = [panel.essay_sl, panel.sl_conditional, panel.sl_calibrated]
    rl = [panel.essay_rl, panel.rl_conditional, panel.rl_calibrated]
    x = np.arange(3)
    ax.bar(x - 0.2, sl, width=0.4, color=COLORS["sl"], label="SL: told the answer")
    ax.bar(x + 0.2, rl, width=0.4, color=COLORS["rl"], hatch="//", edgecolor="white", label="RL: told pass/fail")
    for xi, (a, b) in enumerate(zip(sl, rl)):
        ax.annotate(f"{a:.3g}", (xi - 0.2, a), ha="center", va="bottom", fontsize=8)
        ax.annotate(f"{b:.3g}", (xi + 0.2, b), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, groups)
    ax.set_ylabel("information per sample (bits)")
    ax.set_ylim(0, max(max(sl), max(rl)) * 1.25 + 0.05)
    ax.set_title(title or f"p = {panel.p:.3g} on the correct answer, V = {panel.V:,} answers")
    ax.legend(loc="upper right")


def bits_explorer():
    """Build the Chapter 2 explorer: sliders for the pass rate p and log10 V.

    Returns ``(control, update)``; ``update(p, log10_V)`` redraws and returns the
    :class:`~rlbits.comparison.BitsComparisonPanel` it drew. Chapter 2, "How the answer space matters".

    Returns
    -------
    tuple of (ipywidgets.Widget, callable)
        ``control``, the widget to display, and ``update(p, log10_V)``, which redraws the figure
        and returns the panel it drew:

        - ``p`` (float): probability of the correct answer, in [0, 1];
        - ``log10_V`` (float): base-10 logarithm of the number of answers (``V`` is rounded to a whole number).

    Raises
    ------
    ImportError
        If ipywidgets is not installed (the explorers need Jupyter; the pure panel functions do not).
    ValueError
        Never from the builder, which takes no input; ``update`` raises it as :func:`rlbits.comparison.bits_comparison_panel` does (``p`` outside [0, 1], ``V < 2``).
    """
    import ipywidgets as widgets

    live = LiveFigure("bits", (6.8, 4.0))  # one figure for the explorer's life

    def update(p: float = 0.8, log10_V: float = 1.0) -> BitsComparisonPanel:
        panel = bits_comparison_panel(p, int(round(10**log10_V)))
        live.show(lambda ax: draw_bits_comparison(ax, panel))
        return panel

    p = widgets.FloatSlider(value=0.8, min=0.001, max=0.999, step=0.001, readout_format=".3f",
                            description="pass rate p")
    v = widgets.FloatSlider(value=1.0, min=round(float(np.log10(2)), 2), max=6.0, step=0.05, description="log10 V")
    return live.explorer(update, {"p": p, "log10_V": v}, [[p, v]]), update


# --- The static website: the states precomputed at build time ---


def _describe_bits(panel: BitsComparisonPanel) -> str:
    """Alt text for one state of the bits explorer."""
    return (f"Grouped bars of bits per sample at pass rate p = {panel.p:g} with V = {panel.V:,} answers. "
            f"Essay's formulas: SL {panel.essay_sl:.3g}, RL {panel.essay_rl:.3g} bits. Given the answer: "
            f"SL {panel.sl_conditional:.3g}, RL {panel.rl_conditional:.3g} bits. Averaged over answers: "
            f"SL {panel.sl_calibrated:.3g}, RL {panel.rl_calibrated:.3g} bits.")


_P_GRID = (0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.99, 0.999)
_V_GRID = (2, 10, 100, 1_000, 10_000, 100_000, 1_000_000)

#: The bits explorer's states on the static website (10 x 7 = 70).
BITS_GRID = StaticGrid(
    name="bits", title="Bits per sample explorer", figsize=(6.8, 4.0),
    controls=(
        Control("p", "pass rate p", _P_GRID, tuple(f"{x:g}" for x in _P_GRID), default=6),
        Control("V", "V (answers)", _V_GRID, tuple(f"{x:,}" for x in _V_GRID), default=1),
    ),
    panel=bits_comparison_panel,
    draw=draw_bits_comparison,
    describe=_describe_bits,
)


# The explorer's state (computed in its concept module), drawing, builder and static-site grid.
__all__ = ["BITS_GRID", "BitsComparisonPanel", "bits_comparison_panel", "bits_explorer", "draw_bits_comparison"]
