"""Interactive controls for the chapters, each split into a pure update and a builder.

For every control there is

- a pure function that computes what the control shows (testable and benchmarkable without a
  browser or a kernel),
- a drawing function that renders that state onto matplotlib axes (also used for the static
  figure that tells the same story on the website), and
- a builder that wires ipywidgets sliders to the two and returns ``(control, update)``.

The sliders are live in Binder or Colab; on the static site the book shows the static figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import NDArray

from . import _validate, distributions, information
from .plotting import COLORS, LINESTYLES

__all__ = ["EntropyPanel", "draw_entropy_panel", "entropy_explorer", "entropy_panel"]


@dataclass(frozen=True)
class EntropyPanel:
    """What the entropy explorer shows for one setting of its sliders (all information in bits)."""

    probs: NDArray[np.float64]
    surprisal: NDArray[np.float64]
    entropy: float
    max_entropy: float
    chosen: int
    chosen_surprisal: float


def entropy_panel(V: int, sharpness: float, chosen: int = 0) -> EntropyPanel:
    """Compute the explorer's state: a Zipf distribution over ``V`` answers and its information.

    ``chosen`` is the (0-based) answer whose surprisal is highlighted. Chapter 1, "Entropy".
    """
    probs = distributions.zipf(V, sharpness)
    chosen = _validate.positive_int(chosen, "chosen", minimum=0)
    if chosen >= probs.size:
        raise ValueError(f"chosen must lie in [0, {probs.size - 1}], got {chosen}")
    surprisal = np.asarray(information.surprisal(probs))
    return EntropyPanel(
        probs=probs,
        surprisal=surprisal,
        entropy=float(information.entropy(probs)),
        max_entropy=float(np.log2(probs.size)),
        chosen=chosen,
        chosen_surprisal=float(surprisal[chosen]),
    )


def draw_entropy_panel(ax: Axes, panel: EntropyPanel, *, title: str | None = None) -> None:
    """Draw ``panel`` on ``ax``: bars of each answer's surprisal, the entropy and ``log2 V`` as lines."""
    k = np.arange(1, panel.probs.size + 1)
    others = np.arange(panel.probs.size) != panel.chosen
    ax.bar(k[others], panel.surprisal[others], color=COLORS["sixth"], edgecolor="none",
           label="surprisal -log2 p_k of each answer")
    ax.bar(k[panel.chosen], panel.surprisal[panel.chosen], color=COLORS["rl"], edgecolor="none",
           label=f"highlighted answer k = {panel.chosen + 1}")
    ax.axhline(panel.entropy, color=COLORS["sl"], linestyle=LINESTYLES["sl"],
               label=f"entropy H = {panel.entropy:.2f} bits (average surprisal)")
    ax.axhline(panel.max_entropy, color=COLORS["reference"], linestyle=LINESTYLES["reference"],
               label=f"log2 V = {panel.max_entropy:.2f} bits (uniform maximum)")
    ax.set_xlabel("answer k (most likely first)")
    ax.set_ylabel("information (bits)")
    top = float(np.max(panel.surprisal))
    ax.set_ylim(0, max(top, panel.max_entropy) * 1.35 + 0.1)
    ax.set_title(title or f"p(highlighted) = {panel.probs[panel.chosen]:.3f}: "
                 f"{panel.chosen_surprisal:.2f} bits if it happens")
    ax.legend(loc="upper left")


def entropy_explorer():
    """Build the Chapter 1 entropy explorer: sliders for V, sharpness and the highlighted answer.

    Returns ``(control, update)``, where ``update(V, sharpness, chosen)`` redraws the figure and
    returns the :class:`EntropyPanel` it drew.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def update(V: int = 8, sharpness: float = 1.0, chosen: int = 0) -> EntropyPanel:
        panel = entropy_panel(V, sharpness, min(chosen, V - 1))
        fig, ax = plt.subplots(figsize=(6.4, 3.8))
        draw_entropy_panel(ax, panel)
        plt.show()
        return panel

    v = widgets.IntSlider(value=8, min=2, max=40, description="V (answers)")
    s = widgets.FloatSlider(value=1.0, min=0.0, max=4.0, step=0.1, description="sharpness")
    c = widgets.IntSlider(value=0, min=0, max=7, description="highlight k-1")

    def _sync(change: dict) -> None:
        c.max = change["new"] - 1

    v.observe(_sync, names="value")
    out = widgets.interactive_output(update, {"V": v, "sharpness": s, "chosen": c})
    control = widgets.VBox([widgets.HBox([v, s, c]), out])
    return control, update


# --- Chapter 2: information per sample ---


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
    from . import comparison

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
        plt.show()
        return panel

    p = widgets.FloatSlider(value=0.8, min=0.001, max=0.999, step=0.001, readout_format=".3f",
                            description="pass rate p")
    v = widgets.FloatSlider(value=1.0, min=np.log10(2), max=6.0, step=0.05, description="log10 V")
    out = widgets.interactive_output(update, {"p": p, "log10_V": v})
    return widgets.VBox([widgets.HBox([p, v]), out]), update


# --- Chapter 3: gradient variance ---


@dataclass(frozen=True)
class UpdatePanel:
    """Batch REINFORCE updates at one setting: cosine of each batch update with the true gradient."""

    p: float
    batch_size: int
    baseline: str
    cosines: NDArray[np.float64]
    share_without_success: float
    snr_batch: float


def update_panel(p: float, batch_size: int, baseline: str = "none", *, V: int = 100,
                 n_batches: int = 1000, seed: int = 0) -> UpdatePanel:
    """Simulate ``n_batches`` REINFORCE batch updates for a policy whose correct answer has probability ``p``.

    ``baseline``: ``"none"`` (b = 0) or ``"pass rate"`` (b = p). Returns the cosine similarity of each
    batch-mean update with the SL direction ``e_c - π`` (an all-failure batch with b = 0 is the zero
    update, cosine 0), the share of batches with no success, and the exact batch SNR.
    Chapter 3, "What a batch looks like".
    """
    from . import distributions, gradients

    if baseline not in ("none", "pass rate"):
        raise ValueError(f"baseline must be 'none' or 'pass rate', got {baseline!r}")
    pi = distributions.correct_plus_uniform(p, V)
    b = 0.0 if baseline == "none" else float(p)
    rng = np.random.default_rng(seed)
    batch = _validate.positive_int(batch_size, "batch_size")
    updates = gradients.reinforce_batch_means(pi, 0, b, batch, n_batches, rng)
    direction = gradients.sl_gradient(pi, 0)
    norms = np.linalg.norm(updates, axis=1) * np.linalg.norm(direction)
    cos = np.divide(updates @ direction, norms, out=np.zeros(n_batches), where=norms > 0)
    moments = gradients.reinforce_moments(pi, 0, b)
    return UpdatePanel(float(p), batch, baseline, cos, float((1 - p) ** batch), float(batch * moments.snr))


def draw_update_panel(ax: Axes, panel: UpdatePanel, *, title: str | None = None) -> None:
    """Histogram of the cosine between batch updates and the SL direction."""
    ax.hist(panel.cosines, bins=np.linspace(-1, 1, 41), color=COLORS["rl"], alpha=0.85,
            label=f"{panel.cosines.size:,} batches of {panel.batch_size}")
    ax.axvline(1.0, color=COLORS["sl"], linestyle=LINESTYLES["sl"], label="SL update (cosine 1)")
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("cosine(batch update, SL direction)")
    ax.set_ylabel("batches (count)")
    ax.set_title(title or f"p = {panel.p:g}, batch {panel.batch_size}, baseline: {panel.baseline}\n"
                 f"no success in {100 * panel.share_without_success:.0f}% of batches; batch SNR {panel.snr_batch:.2g}")
    ax.legend(loc="upper left")


def update_explorer():
    """Build the Chapter 3 explorer: pass rate (log10 p), batch size and baseline → histogram of updates.

    Returns ``(control, update)``; ``update(log10_p, batch_size, baseline)`` redraws and returns the
    :class:`UpdatePanel`.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def update(log10_p: float = -2.0, batch_size: int = 64, baseline: str = "none") -> UpdatePanel:
        panel = update_panel(10**log10_p, batch_size, baseline)
        fig, ax = plt.subplots(figsize=(6.4, 3.9))
        draw_update_panel(ax, panel)
        plt.show()
        return panel

    p = widgets.FloatSlider(value=-2.0, min=-4.0, max=np.log10(0.9), step=0.1, description="log10 p")
    n = widgets.IntSlider(value=64, min=1, max=1024, step=1, description="batch size")
    b = widgets.ToggleButtons(options=["none", "pass rate"], description="baseline")
    out = widgets.interactive_output(update, {"log10_p": p, "batch_size": n, "baseline": b})
    return widgets.VBox([widgets.HBox([p, n]), b, out]), update
