"""Chapter 3, "Gradient variance": the batch-update explorer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import NDArray

from .. import _validate
from ..plotting import COLORS, LINESTYLES
from ._common import Control, LiveFigure, StaticGrid


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
    from .. import distributions, gradients

    if baseline not in ("none", "pass rate"):
        raise ValueError(f"baseline must be 'none' or 'pass rate', got {baseline!r}")
    pi = distributions.correct_plus_uniform(p, V)
    b = 0.0 if baseline == "none" else float(p)
    rng = np.random.default_rng(seed)
    batch = _validate.positive_int(batch_size, "batch_size")
    updates = gradients.reinforce_batch_means(pi, 0, b, batch, n_batches, rng=rng)
    direction = gradients.sl_gradient(pi, 0)
    norms = np.linalg.norm(updates, axis=1) * np.linalg.norm(direction)
    cos = np.divide(updates @ direction, norms, out=np.zeros(n_batches), where=norms > 0)
    moments = gradients.reinforce_moments(pi, 0, b)
    return UpdatePanel(float(p), batch, baseline, cos, float((1 - p) ** batch), float(batch * moments.snr))


def draw_update_panel(ax: Axes, panel: UpdatePanel, *, title: str | None = None) -> None:
    """Histogram of the cosine between batch updates and the SL direction.

    The histogram is one filled step outline (``histtype="stepfilled"``), not 40 bars: the same
    pixels (adjacent bars without edges), drawn and added to the axes in a fraction of the time.
    """
    ax.hist(panel.cosines, bins=np.linspace(-1, 1, 41), histtype="stepfilled", color=COLORS["rl"], alpha=0.85,
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
            f"{panel.baseline}. {100 * panel.share_without_success:.0f}% of batches contain no success; the "
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


# Every panel, draw_* function and *_explorer builder defined above.
__all__ = sorted(name for name, obj in list(globals().items())
                 if not name.startswith("_") and getattr(obj, "__module__", None) == __name__)
