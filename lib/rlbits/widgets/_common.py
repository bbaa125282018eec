"""Helpers shared by every chapter's explorer: the kernel explorers' live figure and the static site's states.

Only matplotlib's public API is used: a live figure keeps its figure and axes and redraws them with
the chapter's own draw function; the static website's states are drawn by the same function, on a
wide figure and on a narrow one for phones, at twice the book's pixel density.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

# Axes positions of each explorer's figure, solved once by the layout engine and then reused.
_LAYOUTS: dict[str, list] = {}


def _fast_redraw(fig, key: str) -> None:
    """Make an explorer's figure cheap to redraw on every slider move (the static figures are unchanged).

    Two costs a redraw need not pay again: creating minor ticks on log axes, and solving the
    constrained layout. Minor ticks are switched off, and the layout is solved on the first redraw of
    each explorer and its axes positions reused afterwards (the figure size and panels never change
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


def _clear_data(ax) -> None:
    """Remove what a draw function added to ``ax`` (the axes, ticks, spines and labels stay).

    Public API only: each data artist and the legend are removed, and :meth:`~matplotlib.axes.Axes.relim`
    with no artists left empties the data limits, so the next draw autoscales from nothing.
    """
    for artist in [*ax.lines, *ax.patches, *ax.collections, *ax.texts, *ax.images]:
        artist.remove()
    ax.containers.clear()
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    ax.relim()
    ax.set_autoscale_on(True)


def _png(rgba: np.ndarray, level: int = 1) -> bytes:
    """Encode an ``(height, width, 4)`` uint8 RGBA image as a PNG, rows unfiltered, zlib ``level``.

    Pillow tries every PNG row filter on every row, which took three times as long as compressing;
    a plot's flat colours and long runs compress as small without filtering (and keeping the alpha
    channel is faster than dropping it, for a few percent more bytes).
    """
    import struct
    import zlib

    height, width, _ = rgba.shape
    rows = np.empty((height, 1 + 4 * width), np.uint8)
    rows[:, 0] = 0  # each row starts with its filter type: 0, none
    rows[:, 1:] = rgba.reshape(height, -1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit truecolour with alpha
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, level))
            + chunk(b"IEND", b""))


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


#: Pixels per inch of the static website's states: twice the book's 100 dpi (sharp on HiDPI screens).
STATE_DPI = 200
#: Width (inches) of the narrow variant that phones load: at a displayed width of about 310 CSS px or
#: more, every font of 7.5 points or more is at least 9 CSS px (7.5 * 310 / (72 * 3.6) = 9.0).
NARROW_WIDTH = 3.6
#: Height (inches) of each panel of the narrow variant (panels are stacked, one per row).
NARROW_PANEL_HEIGHT = 4.6
#: The narrow variant's legends go below their panel, labels wrapped at this many characters.
NARROW_LEGEND_CHARACTERS = 44
#: The static site's two variants of every state: "wide" (the figure as designed) and "narrow".
VARIANTS = ("wide", "narrow")


def smallest_text_points(fig) -> float:
    """The smallest font size (points) of the legend, tick and annotation text that ``fig`` shows.

    What the static site's phone check needs: a font of ``s`` points drawn at ``dpi`` on an image
    ``natural`` pixels wide and shown ``shown`` CSS pixels wide is ``s * dpi / 72 * shown / natural``
    CSS pixels tall (``tests/test_live_explorers.py`` measures it in Chromium).
    """
    sizes = []
    for ax in fig.axes:
        legend = ax.get_legend()
        texts = [*(legend.get_texts() if legend is not None else ()), *ax.texts,
                 *ax.get_xticklabels(), *ax.get_yticklabels()]
        sizes += [t.get_fontsize() for t in texts if t.get_visible() and t.get_text()]
    if not sizes:
        raise ValueError("the figure shows no legend, tick or annotation text")
    return float(min(sizes))


@dataclass(frozen=True)
class StaticGrid:
    """The states of one explorer that the static website precomputes (``_ext/live_explorers.py``).

    Every combination of the controls' values is one state. ``panel(**values)`` computes a state with
    the chapter's own pure panel function, ``draw(axes, panel)`` draws it on the ``ncols`` axes of an
    empty figure with the chapter's own draw function (the same one the kernel explorer calls), and
    ``describe(panel)`` is that state's alt text. Each state is drawn twice (:data:`VARIANTS`), both
    at :data:`STATE_DPI`: ``"wide"`` on a figure of size ``figsize`` (inches) with the panels side by
    side, and ``"narrow"`` for phones, :data:`NARROW_WIDTH` inches wide with the panels stacked and
    long titles wrapped, so that its text stays readable on a 390-pixel-wide screen.
    """

    name: str
    title: str
    figsize: tuple[float, float]
    controls: tuple[Control, ...]
    panel: Callable[..., Any]
    draw: Callable[[Any, Any], None]
    describe: Callable[[Any], str]
    ncols: int = 1

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

    def layout(self, variant: str = "wide") -> tuple[tuple[float, float], int, int]:
        """``(figsize, nrows, ncols)`` of a variant's figure (see the class docstring)."""
        if variant == "wide":
            return self.figsize, 1, self.ncols
        if variant == "narrow":
            return (NARROW_WIDTH, NARROW_PANEL_HEIGHT * self.ncols), self.ncols, 1
        raise ValueError(f"variant must be one of {VARIANTS}, got {variant!r}")

    def fingerprint(self) -> str:
        """What the grid is, as text: a change here (or in rlbits) regenerates the states."""
        return repr((self.name, [self.layout(v) for v in VARIANTS], STATE_DPI,
                     [(c.name, c.values, c.readouts) for c in self.controls]))

    def new_figure(self, variant: str = "wide"):
        """An empty off-screen figure of ``variant`` with its axes: ``(figure, axes)``."""
        from matplotlib.figure import Figure

        figsize, nrows, ncols = self.layout(variant)
        fig = Figure(figsize=figsize, dpi=STATE_DPI, layout="constrained")
        FigureCanvasAgg(fig)
        return fig, fig.subplots(nrows, ncols)

    def draw_state(self, values: dict[str, Any], variant: str = "wide"):
        """Draw one state on a new off-screen figure with the book's style; returns ``(figure, panel)``."""
        return next(self.draw_states([values], variant))

    def draw_states(self, states: Iterable[dict[str, Any]], variant: str = "wide") -> Iterator[tuple[Any, Any]]:
        """Draw ``states`` (control values) one after another on one off-screen figure: ``(figure, panel)`` each.

        The figure is not rendered here: whoever encodes it renders it once (``fig.canvas.draw()``), and
        must do so before asking for the next state, which is drawn on the same figure. Each state after
        the first removes what the previous one drew and puts the axes back where a new figure has them
        (``set_position`` takes an axes out of the layout, ``set_in_layout`` puts it back), so the
        constrained layout is solved from the same start: each state's pixels are those of a new
        figure (``tests/test_widgets.py`` compares them after moves of one, several and all controls).
        """
        from ..plotting import book_style

        fig = axes = None
        for values in states:
            with book_style():
                panel = self.panel(**values)
                if fig is None:
                    fig, axes = self.new_figure(variant)
                else:
                    for ax in fig.axes:
                        _clear_data(ax)
                        ax.set_position(ax.get_subplotspec().get_position(fig))  # where a new figure has it
                        ax.set_in_layout(True)
                self.draw(axes, panel)
                if variant == "narrow":
                    narrow_layout(fig)
            yield fig, panel


def narrow_layout(fig) -> None:
    """Fit a drawn explorer figure to a phone's width: titles wrap, legends move below their panel.

    Each title wraps at the figure's edges instead of running off them, and each legend is made again
    from its panel's labelled artists, with the same font size, under the panel's x label (a fixed
    distance below the axes, so it follows the axes wherever the layout puts them), one entry per
    line and long labels wrapped, so that it covers no data.
    """
    import textwrap

    from matplotlib.transforms import ScaledTranslation

    for ax in fig.axes:
        ax.title.set_wrap(True)
        legend = ax.get_legend()
        if legend is None:
            continue
        size = legend.get_texts()[0].get_fontsize()
        handles, labels = ax.get_legend_handles_labels()
        legend.remove()
        # under the tick labels and x label: their depth below the axes (inches) does not depend on
        # where the layout puts the axes, so it is measured before the layout is solved
        renderer = fig.canvas.get_renderer()
        depth = (ax.get_window_extent(renderer).y0 - ax.xaxis.get_tightbbox(renderer).y0) / fig.dpi
        below = ax.transAxes + ScaledTranslation(0.0, -depth - 0.1, fig.dpi_scale_trans)
        ax.legend(handles, [textwrap.fill(label, NARROW_LEGEND_CHARACTERS) for label in labels],
                  loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below, borderaxespad=0.0,
                  fontsize=size, ncols=1)


# --- Kernel explorers: one persistent figure per explorer, redrawn in place ---


class LiveFigure:
    """The figure of a kernel explorer: made once, then redrawn in place on every control move.

    Each update removes the data artists of the previous state (lines, bars, bands, annotations,
    legend) from the same axes and calls the chapter's draw function again, so the kernel, the
    static figures and the static website's states are all drawn by one function. What keeps it fast,
    with matplotlib's public API only:

    - no new figure or axes per update; minor ticks off, and the layout solved on the first draw and
      reused (:func:`_fast_redraw`);
    - titles at a fixed height: the axes are made with ``axes.titley = 1.0``, so matplotlib does not
      measure the y tick labels on every draw to see whether a title must move up (it moves only for
      ticks at the top or a y offset text such as ``1e6``, which no explorer has);
    - x labels placed once, on the first draw (:meth:`_freeze_xlabels`), at a fixed distance below
      their axes; y labels stay automatic, and
      a state whose wider tick labels push a y label out of its room has the layout solved again
      (:meth:`_ylabels_overflow`), as the static figures do for every state;
    - the figure rendered once with Agg and encoded by :func:`_png` (unfiltered rows, zlib level 1)
      rather than by Pillow, which filters every row; the inline backend would also render twice,
      for its tight bounding box.

    The PNG goes into an ``ipywidgets.Image`` (:meth:`explorer` builds it with the controls), so a
    move sends one widget message carrying the new image and the browser swaps it in place. An
    ``Output`` area would clear and re-display on every move, and notebook runners that mirror
    output widgets (nbclient) can miss the cell's reply while they do.
    """

    def __init__(self, key: str, figsize: tuple[float, float], ncols: int = 1) -> None:
        from matplotlib.figure import Figure

        self.key = key
        self.fig = Figure(figsize=figsize, layout="constrained")
        FigureCanvasAgg(self.fig)
        with matplotlib.rc_context({"axes.titley": 1.0}):  # titles at a fixed height: see the class docstring
            self.axes = self.fig.subplots(1, ncols)
        self.draws = 0
        self.image = None  # the ipywidgets.Image the PNG goes to, once explorer() has made it
        self.error = None  # an ipywidgets.HTML line that shows a failed update to the reader

    def render(self, draw: Callable[[Any], None]) -> bytes:
        """Redraw with ``draw(axes)`` and return the figure as PNG bytes."""
        for ax in self.fig.axes:
            _clear_data(ax)
        draw(self.axes)
        _fast_redraw(self.fig, self.key)
        self.draws += 1
        # canvas.draw renders once; savefig would add a layout pass first (the layout is already fixed)
        self.fig.canvas.draw()
        if self.draws == 1:
            self._freeze_xlabels()
        elif self._ylabels_overflow():
            self._solve_layout_again()
        return _png(np.asarray(self.fig.canvas.buffer_rgba()))

    def _ylabels_overflow(self) -> bool:
        """Whether a y label left its room: past the figure's left edge, or into the panel to its left.

        Y labels follow their tick labels, whose width changes with the values (``0.5`` against
        ``0.0001``), while the layout solved at the first draw stays: a state with wider tick labels
        than the first can push its y label out.
        """
        renderer = self.fig.canvas.get_renderer()
        left_edge = 0.0
        for ax in self.fig.axes:
            if ax.yaxis.label.get_text() and ax.yaxis.label.get_window_extent(renderer).x0 < left_edge:
                return True
            left_edge = ax.get_window_extent(renderer).x1
        return False

    def _solve_layout_again(self) -> None:
        """Solve the constrained layout again for the current state, draw it, and keep it from now on."""
        for ax in self.fig.axes:
            ax.set_in_layout(True)  # set_position (a reused layout) took it out of the layout
        _LAYOUTS.pop(self.key, None)
        self.fig.set_layout_engine("constrained")
        _fast_redraw(self.fig, self.key)  # solves the layout and draws with it

    def _freeze_xlabels(self) -> None:
        """Keep each x-axis label at the distance below its axes where the first draw put it.

        On every draw matplotlib puts an x label just below the tallest tick label, updating and
        measuring the tick labels a second time to find it. The height of a row of tick labels does
        not depend on their values (a line of text is as tall as its font's ascent plus descent; the
        log axes' ``10^k`` labels all have one height), so after the first draw the label's distance
        below the axes is known for good. It is fixed with the public ``Axis.set_label_coords``, in
        axes coordinates shifted down by that distance in inches, so it follows the axes if the layout
        is solved again. Y labels stay automatic: the width of tick labels changes with their values
        (``0.5`` against ``0.0001``), and a fixed y label would overlap the wider ones.
        """
        from matplotlib.transforms import ScaledTranslation

        for ax in self.fig.axes:
            label = ax.xaxis.label
            x_axes, y_pixels = label.get_position()  # x in axes coordinates, y in pixels (matplotlib's own)
            below = (ax.get_window_extent().y0 - y_pixels) / self.fig.dpi  # inches below the axes
            ax.xaxis.set_label_coords(
                x_axes, 0.0, transform=ax.transAxes + ScaledTranslation(0.0, -below, self.fig.dpi_scale_trans))

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
