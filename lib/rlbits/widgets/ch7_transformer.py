"""Chapter 7, "A small transformer trained both ways": the results explorer (drawn from the JSON).

No JAX is needed: every state is a row of the committed results of ``python -m rlbits.transformer.sweep``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes

from ..plotting import COLORS, LINESTYLES
from ._common import Control, LiveFigure, StaticGrid

#: The explorer's three controls (method, answer length, the warm start's held-out pass rate) take these values.
TRANSFORMER_METHODS: tuple[str, ...] = ("sl", "reinforce", "grpo", "rft", "distill", "graded")
TRANSFORMER_T: tuple[int, ...] = (1, 2, 4)
TRANSFORMER_STARTS: tuple[float, ...] = (0.01, 0.1, 0.3, 0.5, 0.9)

_RESULTS: dict = {}


def _results() -> dict:
    from ..transformer import results

    if not _RESULTS:
        _RESULTS.update(results.load())
    return _RESULTS


@dataclass(frozen=True)
class TransformerPanel:
    """One state: the runs of (method, T, start) from the results, or the nearest run the sweep has.

    ``shown_start`` is the start actually drawn (the 0.1 warm start where the sweep has no run from
    ``start``); ``note`` says so. ``sl`` is the SL row at the same T and start, for reference.

    Attributes
    ----------
    method : str
        One of ``TRANSFORMER_METHODS``.
    T : int
        Answer length in digits, one of ``TRANSFORMER_T``.
    start : float
        The warm start asked for (held-out pass rate), one of ``TRANSFORMER_STARTS``.
    shown_start : float
        The warm start drawn.
    note : str
        Empty, or why ``shown_start`` differs from ``start``.
    row : rlbits.transformer.results.Row
        The method's runs.
    sl : rlbits.transformer.results.Row
        SL's runs at the same answer length and start.

    Raises
    ------
    ValueError
        Never: it only holds a state (:func:`transformer_panel` checks the setting).
    """

    method: str
    T: int
    start: float
    shown_start: float
    note: str
    row: object
    sl: object


def transformer_panel(method: str, T: int, start: float) -> TransformerPanel:
    """The results row for one setting of the Chapter 7 explorer. Chapter 7, "Explore the sweep".

    Reads the committed results (NumPy only: no JAX). Where the sweep has no run of the method from
    ``start`` (the sweep's Goldilocks stage runs only some methods from every warm start, at one
    answer length), the main stage's start is shown and the panel's ``note`` says so.

    Parameters
    ----------
    method : str
        One of ``TRANSFORMER_METHODS``.
    T : int
        Answer length in digits, one of ``TRANSFORMER_T``.
    start : float
        Held-out pass rate of the warm start, one of ``TRANSFORMER_STARTS``.

    Returns
    -------
    TransformerPanel
        The runs to draw and SL's at the same setting.

    Raises
    ------
    ValueError
        If ``method``, ``T`` or ``start`` is not one of the explorer's values.
    """
    from ..transformer import results

    if method not in TRANSFORMER_METHODS:
        raise ValueError(f"method must be one of {TRANSFORMER_METHODS}, got {method!r}")
    if T not in TRANSFORMER_T:
        raise ValueError(f"T must be one of {TRANSFORMER_T}, got {T!r}")
    st = next((s for s in TRANSFORMER_STARTS if np.isclose(s, start)), None) if np.isscalar(start) else None
    if st is None:
        raise ValueError(f"start must be one of {TRANSFORMER_STARTS}, got {start!r}")
    res = _results()
    for stage in ("main", "goldilocks"):
        if results.has_row(res, stage=stage, method=method, T=T, start=st):
            r = results.row(res, stage=stage, method=method, T=T, start=st)
            sl = results.row(res, stage=stage, method="sl", T=T, start=st)
            return TransformerPanel(method, T, st, st, "", r, sl)
    main = float(res["config"]["main_start"])
    r = results.row(res, stage="main", method=method, T=T, start=main)
    sl = results.row(res, stage="main", method="sl", T=T, start=main)
    return TransformerPanel(method, T, st, main, f"no run from {st:g} in the sweep; showing the {main:g} start", r, sl)


def draw_transformer_panel(axes, panel: TransformerPanel) -> None:
    """Left: held-out pass rate against samples; right: bits learned per held-out prompt.

    Mean over seeds with a 95% band, SL for reference (unless the method is SL), and a reference line
    at the start (pass rate) or at no change (bits). Chapter 7, "Explore the sweep".

    Parameters
    ----------
    axes : sequence of matplotlib.axes.Axes
        Two axes: pass rate, then bits learned.
    panel : TransformerPanel
        The state to draw, from :func:`transformer_panel`.

    Returns
    -------
    None
        The artists, legends and titles are added to the axes.

    Raises
    ------
    ValueError
        If a row drawn has fewer than two seeds (never for the committed results). ``panel`` is not
        type-checked: another object raises ``AttributeError``.
    """
    from ..transformer.task import LABELS
    from ..transformer.results import draw_curves

    rows = [panel.row] if panel.method == "sl" else [panel.sl, panel.row]
    for ax, what in zip(axes, ("pass", "bits")):
        draw_curves(ax, rows, what)
        ax.axhline(0.0 if what == "bits" else panel.shown_start, color=COLORS["reference"],
                   linestyle=LINESTYLES["reference"], linewidth=1.0,
                   label="no change" if what == "bits" else "start")
        ax.legend(loc="best", fontsize=8)
    axes[0].set_ylim(0.0, 1.0)
    axes[0].set_title(f"{LABELS[panel.method]}, T = {panel.T}, start {panel.shown_start:g}")
    axes[1].set_title(panel.note or f"η = {panel.row.lr:g}, {len(panel.row.seeds)} seeds, 95% bands")


def transformer_explorer():
    """Build the Chapter 7 explorer: method, answer length T and warm start → curves from the JSON.

    Returns ``(control, update)``; ``update(method, T, start)`` redraws and returns the panel.
    Chapter 7, "Explore the sweep".

    Returns
    -------
    tuple of (ipywidgets.Widget, callable)
        ``control``, the widget to display, and ``update(method, T, start)``, which redraws the figure
        and returns the :class:`TransformerPanel` it drew:

        - ``method`` (str): one of ``TRANSFORMER_METHODS``;
        - ``T`` (int): answer length, one of ``TRANSFORMER_T``;
        - ``start`` (float): warm start's held-out pass rate, one of ``TRANSFORMER_STARTS``.

    Raises
    ------
    ImportError
        If ipywidgets is not installed (the explorers need Jupyter; the pure panel functions do not).
    ValueError
        Never from the builder, which takes no input; ``update`` raises it as
        :func:`transformer_panel` does (a setting off the explorer's grid).
    """
    import ipywidgets as widgets

    from ..transformer.task import LABELS

    live = LiveFigure("transformer", (10.5, 3.9), ncols=2)

    def update(method: str = "reinforce", T: int = 2, start: float = 0.1) -> TransformerPanel:
        panel = transformer_panel(method, T, start)
        live.show(lambda axes: draw_transformer_panel(axes, panel))
        return panel

    m = widgets.Dropdown(options=[(LABELS[k], k) for k in TRANSFORMER_METHODS], value="reinforce", description="method")
    t = widgets.SelectionSlider(options=[(str(x), x) for x in TRANSFORMER_T], value=2, description="T")
    s = widgets.SelectionSlider(options=[(f"{x:g}", x) for x in TRANSFORMER_STARTS], value=0.1, description="start")
    return live.explorer(update, {"method": m, "T": t, "start": s}, [[m], [t, s]]), update


def _describe_transformer(panel: TransformerPanel) -> str:
    """Alt text for one state of the Chapter 7 explorer."""
    from ..transformer.task import LABELS

    r = panel.row
    p0, p1 = r.pass_heldout[:, 0].mean(), r.pass_heldout[:, -1].mean()
    b = r.bits_learned[:, -1].mean()
    note = f" ({panel.note})" if panel.note else ""
    return (f"{LABELS[panel.method]} at answer length {panel.T} from the {panel.shown_start:g} warm start{note}: "
            f"the mean held-out pass rate over {len(r.seeds)} seeds goes from {p0:.2f} to {p1:.2f} in "
            f"{r.samples[-1]:,.0f} samples, {b:.1f} bits learned per held-out prompt, with SL for reference.")


#: The explorer's states on the static website (6 methods x 3 answer lengths x 5 starts).
TRANSFORMER_GRID = StaticGrid(
    name="transformer", title="Transformer results explorer", figsize=(10.5, 3.9), ncols=2,
    controls=(
        Control("method", "method", TRANSFORMER_METHODS,
                ("SL", "REINFORCE", "GRPO", "rejection-sampling FT", "on-policy distillation", "graded reward"),
                default=1, kind="select"),
        Control("T", "answer length T", TRANSFORMER_T, tuple(str(x) for x in TRANSFORMER_T), default=1),
        Control("start", "warm start pass rate", TRANSFORMER_STARTS, tuple(f"{x:g}" for x in TRANSFORMER_STARTS),
                default=1),
    ),
    panel=transformer_panel,
    draw=draw_transformer_panel,
    describe=_describe_transformer,
)


# Every panel, draw_* function and *_explorer builder defined above.
__all__ = sorted(name for name, obj in list(globals().items())
                 if not name.startswith("_") and getattr(obj, "__module__", None) == __name__)
