"""Chapter 2, "Information per sample": the SL-versus-RL bits explorer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes

from .. import _validate, information
from ..plotting import COLORS
from ._common import _fast_redraw


@dataclass(frozen=True)
class BitsComparisonPanel:
    """SL and RL bits per sample for one (p, V) in the correct-plus-uniform family (bits)."""

    p: float
    V: int
    essay_sl: float
    essay_rl: float
    sl_conditional: float
    rl_conditional: float
    sl_calibrated: float
    rl_calibrated: float


def bits_comparison_panel(p: float, V: int) -> BitsComparisonPanel:
    """The essay's two numbers and the corrected conditional and calibrated pairs at (p, V).

    The correct answer has probability ``p``; the other ``V - 1`` share ``1 - p``.
    Chapter 2, "How the answer space matters".
    """
    from .. import comparison

    V = _validate.positive_int(V, "V", minimum=2)
    fb = comparison.family_bits(p, V)
    return BitsComparisonPanel(
        p=float(p), V=V,
        essay_sl=float(information.naive_sl_bits(p)), essay_rl=float(information.naive_rl_bits(p)),
        sl_conditional=float(fb.sl_conditional), rl_conditional=float(fb.rl_conditional),
        sl_calibrated=float(fb.sl_calibrated), rl_calibrated=float(fb.rl_calibrated),
    )


def draw_bits_comparison(ax: Axes, panel: BitsComparisonPanel, *, title: str | None = None) -> None:
    """Grouped bars: SL and RL under the essay's formulas, conditioned on the answer, and calibrated."""
    groups = ["essay's formulas", "given the answer\n(Yorwba)", "averaged over answers\n(Niels Rolf)"]
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
    ax.set_title(title or f"correct answer has p = {panel.p:.3g}, V = {panel.V:,} answers")
    ax.legend(loc="upper right")


def bits_explorer():
    """Build the Chapter 2 explorer: sliders for the pass rate p and log10 V.

    Returns ``(control, update)``; ``update(p, log10_V)`` redraws and returns the
    :class:`BitsComparisonPanel` it drew.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def update(p: float = 0.8, log10_V: float = 1.0) -> BitsComparisonPanel:
        panel = bits_comparison_panel(p, int(round(10**log10_V)))
        fig, ax = plt.subplots(figsize=(6.8, 4.0))
        draw_bits_comparison(ax, panel)
        _fast_redraw(fig, "bits")
        plt.show()
        return panel

    p = widgets.FloatSlider(value=0.8, min=0.001, max=0.999, step=0.001, readout_format=".3f",
                            description="pass rate p")
    v = widgets.FloatSlider(value=1.0, min=round(float(np.log10(2)), 2), max=6.0, step=0.05, description="log10 V")
    out = widgets.interactive_output(update, {"p": p, "log10_V": v})
    return widgets.VBox([widgets.HBox([p, v]), out]), update


# Every panel, draw_* function and *_explorer builder defined above.
__all__ = sorted(name for name, obj in list(globals().items())
                 if not name.startswith("_") and getattr(obj, "__module__", None) == __name__)
