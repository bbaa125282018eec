"""Helpers shared by every chapter's explorer: fast kernel redraws and the static website's state grid."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# Axes positions of each explorer's figure, solved once by the layout engine and then reused.
_LAYOUTS: dict[str, list] = {}


def _fast_redraw(fig, key: str) -> None:
    """Make an explorer's figure cheap to redraw on every slider move (the static figures are unchanged).

    Two things dominate a redraw: creating minor ticks on log axes, and solving the constrained
    layout. Minor ticks are switched off, and the layout is solved on the first redraw of each
    explorer and its axes positions reused afterwards (the figure size and panels never change
    between redraws of one explorer; only data, titles and limits do).
    """
    for ax in fig.axes:
        ax.minorticks_off()
    positions = _LAYOUTS.get(key)
    if positions is not None and len(positions) == len(fig.axes):
        fig.set_layout_engine("none")
        for ax, pos in zip(fig.axes, positions):
            ax.set_position(pos)
    else:
        fig.canvas.draw()  # solves the layout
        _LAYOUTS[key] = [ax.get_position() for ax in fig.axes]
        fig.set_layout_engine("none")


# --- The static website: every state of an explorer's control grid, precomputed at build time ---


@dataclass(frozen=True)
class Control:
    """One control of an explorer as the static website offers it: a label and a grid of values.

    ``values`` are passed to the explorer's ``render`` function under ``name``; ``readouts`` are what the
    page shows for each value (the control's current value, also read out by screen readers);
    ``default`` is the index of the value shown first. ``kind`` is ``"range"`` (a slider over the grid)
    or ``"select"`` (a drop-down, for categories).
    """

    name: str
    label: str
    values: tuple
    readouts: tuple[str, ...]
    default: int = 0
    kind: str = "range"

    def __post_init__(self) -> None:
        if len(self.values) < 2 or len(self.values) != len(self.readouts):
            raise ValueError(f"control {self.name!r}: need at least two values, each with a readout")
        if not 0 <= self.default < len(self.values):
            raise ValueError(f"control {self.name!r}: default index {self.default} is outside its grid")
        if self.kind not in ("range", "select"):
            raise ValueError(f"control {self.name!r}: kind must be 'range' or 'select', got {self.kind!r}")


@dataclass(frozen=True)
class StaticGrid:
    """The states of one explorer that the static website precomputes (``_ext/live_explorers.py``).

    Every combination of the controls' values is one state. ``panel(**values)`` computes a state with
    the chapter's own pure panel function, ``draw(fig, panel)`` draws it on an empty figure of size
    ``figsize`` (inches) with the chapter's own draw function (the same ones the kernel explorer
    calls), and ``describe(panel)`` is that state's alt text.
    """

    name: str
    title: str
    figsize: tuple[float, float]
    controls: tuple[Control, ...]
    panel: Callable[..., Any]
    draw: Callable[[Any, Any], None]
    describe: Callable[[Any], str]

    @property
    def size(self) -> int:
        """The number of states (the product of the controls' grid sizes)."""
        return int(np.prod([len(c.values) for c in self.controls]))

    def states(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every state in row-major order (the last control varies fastest): ``(key, values)``."""
        for index in itertools.product(*(range(len(c.values)) for c in self.controls)):
            yield self.key(index), {c.name: c.values[i] for c, i in zip(self.controls, index)}

    @staticmethod
    def key(index: Sequence[int]) -> str:
        """A state's name: the index of each control's value, joined by ``-`` (e.g. ``"2-3-0"``)."""
        return "-".join(str(int(i)) for i in index)

    def default_key(self) -> str:
        return self.key([c.default for c in self.controls])

    def fingerprint(self) -> str:
        """What the grid is, as text: a change here (or in rlbits) regenerates the states."""
        return repr((self.name, self.figsize, [(c.name, c.values, c.readouts) for c in self.controls]))

    def draw_state(self, values: dict[str, Any]):
        """Draw one state on a new off-screen figure with the book's style; returns ``(figure, panel)``.

        The figure is not rendered here: saving it renders it (rendering twice doubled the cost of a state).
        """
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from ..plotting import book_style

        with book_style():
            fig = Figure(figsize=self.figsize, layout="constrained")
            FigureCanvasAgg(fig)
            panel = self.panel(**values)
            self.draw(fig, panel)
        return fig, panel  # rendered once, by whoever saves it


# --- Kernel explorers: one persistent figure per explorer, redrawn in place ---


class LiveFigure:
    """The figure of a kernel explorer: made once, then redrawn in place on every control move.

    Each update removes the data artists of the previous state (lines, bars, bands, annotations,
    legend) from the same axes and calls the chapter's draw function again, so the kernel, the
    static figures and the static website's states are all drawn by one function. What makes it fast:
    no new figure or axes per update; the layout is solved on the first draw and reused (see
    :func:`_fast_redraw`); the figure is rendered once with Agg and encoded as a PNG with light
    compression (the inline backend would render twice, for its tight bounding box).

    The PNG goes into an ``ipywidgets.Image`` (:meth:`explorer` builds it with the controls), so a
    move sends one widget message carrying the new image and the browser swaps it in place. An
    ``Output`` area would clear and re-display on every move, and notebook runners that mirror
    output widgets (nbclient) can miss the cell's reply while they do.
    """

    def __init__(self, key: str, figsize: tuple[float, float], ncols: int = 1) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.key = key
        self.fig = Figure(figsize=figsize, layout="constrained")
        FigureCanvasAgg(self.fig)
        self.axes = self.fig.subplots(1, ncols)
        self.draws = 0
        self.image = None  # the ipywidgets.Image the PNG goes to, once explorer() has made it
        self.error = None  # an ipywidgets.HTML line that shows a failed update to the reader

    @staticmethod
    def _clear_data(ax) -> None:
        """Remove what a draw function added to ``ax`` (the axes, ticks and spines stay)."""
        for artist in [*ax.lines, *ax.patches, *ax.collections, *ax.texts, *ax.images]:
            artist.remove()
        ax.containers.clear()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        ax.dataLim.set_points(ax.dataLim.null().get_points())
        ax.ignore_existing_data_limits = True
        ax.set_autoscale_on(True)

    def render(self, draw: Callable[[Any], None]) -> bytes:
        """Redraw with ``draw(axes)`` and return the figure as PNG bytes."""
        import io

        for ax in self.fig.axes:
            self._clear_data(ax)
        draw(self.axes)
        _fast_redraw(self.fig, self.key)
        self.draws += 1
        buf = io.BytesIO()
        # print_png renders once; savefig would add a layout pass first (the layout is already fixed)
        self.fig.canvas.print_png(buf, pil_kwargs={"compress_level": 1})
        return buf.getvalue()

    def show(self, draw: Callable[[Any], None]) -> None:
        """Redraw with ``draw(axes)`` and show the PNG: in the explorer's image, or displayed if it has none."""
        png = self.render(draw)
        if self.image is not None:
            self.image.value = png
        else:
            from IPython.display import Image, display

            display(Image(data=png, format="png"))

    def explorer(self, update: Callable[..., Any], controls: dict[str, Any], rows: Sequence[Sequence[Any]]):
        """The explorer's widget: ``rows`` of controls above the figure, each move calling ``update``.

        ``controls`` maps each argument of ``update`` to the widget whose value it takes; every change of
        one of them calls ``update(**values)``, which redraws through :meth:`show`. The first figure is
        drawn here. The returned box keeps the mapping as ``rlbits_controls`` (the benchmark reads it).
        """
        import html

        import ipywidgets as widgets

        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.error = widgets.HTML()

        def redraw(_change: Any = None) -> None:
            try:
                update(**{name: w.value for name, w in controls.items()})
            except Exception as exc:  # shown under the figure, then raised for the kernel's log
                self.error.value = f"<pre>update failed: {html.escape(repr(exc))}</pre>"
                raise
            self.error.value = ""

        for w in controls.values():
            w.observe(redraw, names="value")
        redraw()
        lines = [row[0] if len(row) == 1 else widgets.HBox(list(row)) for row in rows]
        box = widgets.VBox([*lines, self.image, self.error])
        box.rlbits_controls = dict(controls)
        return box
