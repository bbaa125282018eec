"""Helpers shared by every chapter's explorer: fast kernel redraws and the static website's state grid."""

from __future__ import annotations

import functools
import itertools
import math
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

# Axes positions of each explorer's figure, solved once by the layout engine and then reused.
_LAYOUTS: dict[str, list] = {}


def _fast_redraw(fig, key: str) -> None:
    """Make an explorer's figure cheap to redraw on every slider move (the static figures are unchanged).

    Two costs a redraw need not pay again: creating minor ticks on log axes, and solving the
    constrained layout. Minor ticks are switched off, and the layout is solved on the first redraw of
    each explorer and its axes positions reused afterwards (the figure size and panels never change
    between redraws of one explorer; only data, titles and limits do). :class:`LiveFigure` lists the
    other savings.
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


# --- Text in a live figure: laid out and rasterised once, then reused ---

#: The matplotlib versions whose Agg text drawing :class:`_TextCachingRenderer` reproduces pixel for pixel
#: (``tests/test_widgets.py`` checks it); with any other version live figures draw text the usual way.
_TEXT_CACHE_VERSIONS = ("3.11",)
_GLYPH_CACHE_MAX = 50_000  # glyph bitmaps kept (a few hundred bytes each); the cache restarts when full
_LAYOUT_CACHE_MAX = 5_000  # laid-out strings kept

# (font, size, dpi, glyph, angle/slant/extend, x and y subpixel offsets, hinting, render mode)
#   -> (bitmap, left, top), with left/top relative to the whole-pixel part of the glyph's position
_GLYPHS: dict[tuple, tuple[np.ndarray, int, int]] = {}
# (string, font, size, dpi, hinting, features, language) -> [(font, glyph, x, y), ...]
_STRING_LAYOUTS: dict[tuple, list[tuple[Any, int, float, float]]] = {}
_MATRICES: dict[tuple[float, float, float], np.ndarray] = {}
# (font, size, dpi) -> (ascent, descent, line gap) in pixels, from the font's tables
_LINE_METRICS: dict[tuple, tuple[float | None, float | None, float | None]] = {}
# (hash of the font properties, the rcParams that resolve font families) -> the FT2Font matplotlib picks
_FONTS: dict[tuple, Any] = {}
# (string, font, size, dpi, hinting) -> (width, height, descent) in pixels, as Agg measures a string
_EXTENTS: dict[tuple, tuple[float, float, float]] = {}
_FONT_RC_KEYS = ("font.serif", "font.sans-serif", "font.cursive", "font.fantasy", "font.monospace")


def _forget_fonts() -> None:
    """Empty every cache that holds font objects (in a forked child: see below).

    An FT2Font reads its file through the file descriptor it opened, and a forked child shares that
    descriptor's offset with its parent and siblings: two processes reading glyphs through one font
    object race and read garbage ("invalid outline"). matplotlib empties its own font cache in a
    forked child for this reason; these caches, and the mathtext parses (whose glyphs name fonts),
    are emptied the same way, so a child opens its own fonts.
    """
    for cache in (_FONTS, _GLYPHS, _STRING_LAYOUTS, _LINE_METRICS, _EXTENTS):
        cache.clear()
    _shared_mathtext_parser.cache_clear()


def _font_of(prop: Any) -> Any:
    """``get_font(fontManager._find_fonts_by_props(prop))``, looked up once per properties and font rcParams.

    Text asks for the font of each string several times per draw (to measure it, then to draw it);
    matplotlib resolves the family list and opens the font cache each time. ``FontProperties`` compare
    equal exactly when their hashes do (matplotlib's own rule), so the hash is the key, with the
    rcParams that ``findfont`` also keys its cache on and the thread (``get_font`` gives each thread
    its own font objects).
    """
    key = (hash(prop), threading.get_ident(), *(tuple(matplotlib.rcParams[k]) for k in _FONT_RC_KEYS))
    font = _FONTS.get(key)
    if font is None:
        from matplotlib.font_manager import fontManager, get_font

        font = _FONTS[key] = get_font(fontManager._find_fonts_by_props(prop))
    return font


@functools.cache
def _text_cache_supported() -> bool:
    """Whether this matplotlib draws Agg text the way :class:`_TextCachingRenderer` reproduces."""
    from matplotlib import ft2font

    version = ".".join(matplotlib.__version__.split(".")[:2])
    return (version in _TEXT_CACHE_VERSIONS and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")
            and hasattr(RendererAgg, "_prepare_font")
            and all(hasattr(ft2font.FT2Font, name) for name in ("_layout", "_render_glyph", "_set_transform")))


@functools.cache
def _shared_mathtext_parser() -> Any:
    """The mathtext parser every :class:`_TextCachingRenderer` shares (``RendererAgg`` makes its own)."""
    from matplotlib.mathtext import MathTextParser

    return MathTextParser("path")


if hasattr(os, "register_at_fork"):  # as matplotlib.font_manager does for its own font cache
    os.register_at_fork(after_in_child=_forget_fonts)


class _TextCachingRenderer(RendererAgg):
    """An Agg renderer that lays out each string once and rasterises each glyph once per subpixel offset.

    Agg draws a string by shaping it (``FT2Font._layout``), then asking FreeType to hint and render
    every glyph at its exact position, every time. Between two moves of an explorer most strings
    (labels, legends, most tick labels) are the same, so a live figure spent most of its redraw there.
    This renderer keeps the layout of each (string, font, size) and the bitmap of each glyph at each
    1/64-pixel offset: a glyph drawn at whole-pixel offset ``n`` from a cached one is the same bitmap
    moved by ``n`` pixels, so the image is pixel-identical to plain Agg's (``tests/test_widgets.py``
    compares them). It also measures each plain string once, and every such renderer shares one mathtext
    parser (so a new figure, such as each state of the static website's grid, reuses what earlier
    figures measured and parsed). It mirrors the private text path of matplotlib 3.11
    (:data:`_TEXT_CACHE_VERSIONS`); :class:`_LiveCanvas` uses it only there.
    """

    def __init__(self, width: float, height: float, dpi: float) -> None:
        super().__init__(width, height, dpi)
        # one mathtext parser for every figure, so each log axis's "10^k" label is parsed once (matplotlib
        # caches parses per parser, and every new renderer makes a new parser: a cache miss per figure)
        self.mathtext_parser = _shared_mathtext_parser()

    def _get_font_height_metrics(self, prop: Any) -> tuple[float | None, float | None, float | None]:
        """The ascent, descent and line gap (pixels) that ``Text`` reads from the font's tables, read once.

        ``Text._get_layout`` asks the renderer for them first; without this it looks the tables up
        again for every string it measures (several times per tick label and draw).
        """
        font = _font_of(prop)
        size = prop.get_size_in_points()
        key = (font, size, self.dpi)
        metrics = _LINE_METRICS.get(key)
        if metrics is None:
            metrics = (None, None, None)  # no table: Text measures the font instead
            for table_name, gap_key, ascent_key, descent_key in (
                    ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                    ("hhea", "lineGap", "ascent", "descent")):
                table = font.get_sfnt_table(table_name)
                if table is None:
                    continue
                scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * size * self.dpi / 72  # as Text computes it
                metrics = (table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale)
                break
            _LINE_METRICS[key] = metrics
        return metrics

    def _prepare_font(self, font_prop: Any) -> Any:
        """``RendererAgg._prepare_font`` (the font for measuring a string), with the font looked up once."""
        font = _font_of(font_prop)
        font.clear()
        font.set_size(font_prop.get_size_in_points(), self.dpi)
        return font

    def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> tuple[float, float, float]:
        """The size of ``s`` as ``RendererAgg`` measures it; plain strings measured once per font and size.

        The layout engine and the axis labels measure every tick label several times per draw, and a
        new figure (each state of the static website's grid) measures them all again.
        """
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        from matplotlib.backends.backend_agg import get_hinting_flag

        flags = get_hinting_flag()
        font = _font_of(prop)
        key = (s, font, prop.get_size_in_points(), self.dpi, flags)
        extent = _EXTENTS.get(key)
        if extent is None:
            if len(_EXTENTS) >= _LAYOUT_CACHE_MAX:
                _EXTENTS.clear()
            extent = _EXTENTS[key] = super().get_text_width_height_descent(s, prop, ismath)
        return extent

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float, ismath: Any = False,
                  mtext: Any = None) -> None:
        """Draw ``s`` as ``RendererAgg.draw_text`` does, laying the string out only the first time."""
        if ismath:  # mathtext: parsed (and cached) by matplotlib, glyphs drawn by the method below
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        from matplotlib.backends.backend_agg import get_hinting_flag

        flags = get_hinting_flag()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        font = _font_of(prop)
        size = prop.get_size_in_points()
        key = (s, font, size, self.dpi, flags, features, language)
        try:
            items = _STRING_LAYOUTS.get(key)
        except TypeError:  # unhashable features or language: draw it the usual way
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        if items is None:
            font.clear()
            font.set_size(size, self.dpi)
            items = [(item.ft_object, item.glyph_index, item.x, item.y)
                     for item in font._layout(s, flags=flags, features=features, language=language)]
            if len(_STRING_LAYOUTS) >= _LAYOUT_CACHE_MAX:
                _STRING_LAYOUTS.clear()
            _STRING_LAYOUTS[key] = items
        self._draw_text_glyphs_and_boxes(
            gc, x, y, angle, ((ft, size, glyph, 0, 1, dx, dy) for ft, glyph, dx, dy in items), [])

    def _draw_text_glyphs_and_boxes(self, gc: Any, x: float, y: float, angle: float, glyphs: Any, boxes: Any) -> None:
        """Draw positioned glyphs (and mathtext's rules) as ``RendererAgg`` does, rendering each bitmap once."""
        from matplotlib.backends.backend_agg import get_hinting_flag
        from matplotlib.ft2font import RenderMode

        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        load_flags = get_hinting_flag()
        mode = RenderMode.NORMAL if gc.get_antialiased() else RenderMode.MONO
        height = self.height
        for font, size, glyph_index, slant, extend, dx, dy in glyphs:  # dy is upwards
            shape = (angle, slant, extend)
            matrix = _MATRICES.get(shape)
            if matrix is None:  # FreeType's 16.16 rotation-and-shear matrix, as RendererAgg computes it
                matrix = _MATRICES[shape] = (
                    0x10000 * np.array([[cos, -sin], [sin, cos]]) @ [[extend, extend * slant], [0, 1]]
                ).round().astype(int)
            # the glyph's origin in 26.6 fixed point, FreeType's y upwards (as RendererAgg rounds it)
            ox = round(0x40 * (x + dx * cos - dy * sin))
            oy = round(0x40 * (height - y + dx * sin + dy * cos))
            key = (font, size, self.dpi, glyph_index, shape, ox & 0x3F, oy & 0x3F, load_flags, mode)
            cached = _GLYPHS.get(key)
            if cached is None:
                font.set_size(size, self.dpi)
                font._set_transform(matrix, [ox & 0x3F, oy & 0x3F])
                bitmap = font._render_glyph(glyph_index, load_flags, mode)
                buffer = bitmap.buffer
                if mode is not RenderMode.NORMAL:
                    buffer *= 0xFF
                if len(_GLYPHS) >= _GLYPH_CACHE_MAX:
                    _GLYPHS.clear()
                cached = _GLYPHS[key] = (buffer, bitmap.left, bitmap.top)
            buffer, left, top = cached
            # draw_text_image's y is downwards and names the bitmap's bottom row
            self._renderer.draw_text_image(
                buffer, left + (ox >> 6), int(height) - (top + (oy >> 6)) + buffer.shape[0], 0, gc)
        if boxes:
            super()._draw_text_glyphs_and_boxes(gc, x, y, angle, (), boxes)


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


class _LiveCanvas(FigureCanvasAgg):
    """The Agg canvas of a live figure: it draws with a :class:`_TextCachingRenderer` where supported."""

    def get_renderer(self) -> RendererAgg:
        """The canvas's renderer (made again when the figure's size or dpi changes), text-caching if supported."""
        renderer = super().get_renderer()
        if _text_cache_supported() and not isinstance(renderer, _TextCachingRenderer):
            renderer = self.renderer = _TextCachingRenderer(renderer.width, renderer.height, renderer.dpi)
        return renderer


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
    the chapter's own pure panel function, ``draw(axes, panel)`` draws it on the ``ncols`` axes of an
    empty figure of size ``figsize`` (inches) with the chapter's own draw function (the same one the
    kernel explorer calls), and ``describe(panel)`` is that state's alt text.
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

    def fingerprint(self) -> str:
        """What the grid is, as text: a change here (or in rlbits) regenerates the states."""
        return repr((self.name, self.figsize, self.ncols,
                     [(c.name, c.values, c.readouts) for c in self.controls]))

    def draw_state(self, values: dict[str, Any]):
        """Draw one state on a new off-screen figure with the book's style; returns ``(figure, panel)``."""
        return next(self.draw_states([values]))

    def draw_states(self, states: Iterable[dict[str, Any]]) -> Iterator[tuple[Any, Any]]:
        """Draw ``states`` (control values) one after another on one off-screen figure: ``(figure, panel)`` each.

        The figure is not rendered here: whoever encodes it renders it once (``fig.canvas.draw()``), and
        must do so before asking for the next state, which is drawn on the same figure. A new figure per
        state spent a third of its time making axes and ticks again; here each state after the first
        clears what the previous one drew (as :class:`LiveFigure` does) and puts the axes back where a
        new figure has them, so the constrained layout is solved from the same start. Each state's
        pixels are those of a new figure (``tests/test_widgets.py`` checks moves between states; every
        state the build draws, in row-major order, was compared once). The canvas is a
        :class:`_LiveCanvas`, so strings, glyph bitmaps and mathtext parses are shared between states.
        """
        from matplotlib.figure import Figure

        from ..plotting import book_style

        fig = axes = None
        for values in states:
            with book_style():
                panel = self.panel(**values)
                if fig is None:
                    fig = Figure(figsize=self.figsize, layout="constrained")
                    _LiveCanvas(fig)
                    axes = fig.subplots(1, self.ncols)
                else:
                    for ax in fig.axes:
                        LiveFigure._clear_data(ax)
                        ax._set_position(ax.get_subplotspec().get_position(fig))  # where a new figure has it
                self.draw(axes, panel)
            yield fig, panel


# --- Kernel explorers: one persistent figure per explorer, redrawn in place ---


def _line_style_of(handle: Any) -> str | None:
    """Everything a legend copies from a ``Line2D`` to draw its entry, as text; None for other handles."""
    from matplotlib.lines import Line2D

    if type(handle) is not Line2D:
        return None
    h = handle
    return repr((h._linestyle, h._linewidth, h._color, h._gapcolor, h._markersize, h._markerfacecolor,
                 h._markerfacecoloralt, h._markeredgecolor, h._markeredgewidth, h._unscaled_dash_pattern,
                 h._dash_pattern, h._dashcapstyle, h._dashjoinstyle, h._solidcapstyle, h._solidjoinstyle,
                 h.get_marker(), h.get_fillstyle(), h.get_markevery(), h._drawstyle, h._alpha, h._visible,
                 h._sketch, h._path_effects))


def _legend_again(ax: Any, previous: Any, *args: Any, **kwargs: Any) -> Any:
    """``ax.legend(*args, **kwargs)`` during a live figure's redraw: the previous legend again if it fits.

    A legend is a tree of packed boxes, texts and handle lines, and building the two of a two-panel
    explorer cost about 3 ms a move. Between two moves an explorer's legends usually keep their entries and
    line styles and change only some labels (a value in the text). When the entries' handles are
    ``Line2D`` with the same style as the previous legend's, with the same arguments, the previous
    legend is put back with its labels set to the new ones; otherwise a new one is made as
    ``Axes.legend`` makes it. The image is the same either way (``tests/test_widgets.py``).
    """
    from matplotlib import legend as mlegend

    handles, labels, kw = mlegend._parse_legend_args([ax], *args, **kwargs)
    styles = [_line_style_of(h) for h in handles]
    key = None if None in styles else repr((styles, sorted(kw.items())))
    if key is not None and previous is not None and getattr(previous, "_rlbits_key", None) == key:
        for text, label in zip(previous.texts, labels):
            text.set_text(label)
        ax.legend_ = previous
        previous.stale = True
        return previous
    ax.legend_ = mlegend.Legend(ax, handles, labels, **kw)  # as Axes.legend does
    ax.legend_._remove_method = ax._remove_legend
    ax.legend_._rlbits_key = key
    return ax.legend_


class LiveFigure:
    """The figure of a kernel explorer: made once, then redrawn in place on every control move.

    Each update removes the data artists of the previous state (lines, bars, bands, annotations,
    legend) from the same axes and calls the chapter's draw function again, so the kernel, the
    static figures and the static website's states are all drawn by one function. What makes it fast,
    none of it changing a pixel (``tests/test_widgets.py`` compares the PNGs with plain drawings):

    - no new figure or axes per update; minor ticks off, and the layout solved on the first draw and
      reused (:func:`_fast_redraw`);
    - titles at a fixed height: the axes are made with ``axes.titley = 1.0``, so matplotlib does not
      measure the y tick labels on every draw to see whether a title must move up (it moves only for
      ticks at the top or a y offset text such as ``1e6``, which no explorer has);
    - x labels placed once, on the first draw (:meth:`_freeze_xlabels`); y labels stay automatic, and
      a state whose wider tick labels push a y label out of its room has the layout solved again
      (:meth:`_ylabels_overflow`), as the static figures do for every state;
    - text laid out and rasterised once: strings, glyph bitmaps and font metrics are cached by the
      canvas's renderer (:class:`_TextCachingRenderer`, with matplotlib 3.11), where Agg would shape
      every string and render every glyph again on each draw;
    - a legend whose entries keep their line styles is the previous move's legend with its labels set
      again, not a new one (:func:`_legend_again`, with matplotlib 3.11);
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
        _LiveCanvas(self.fig)
        with matplotlib.rc_context({"axes.titley": 1.0}):  # titles at a fixed height: see the class docstring
            self.axes = self.fig.subplots(1, ncols)
        self.draws = 0
        self._xlabels_placed = False
        self.image = None  # the ipywidgets.Image the PNG goes to, once explorer() has made it
        self.error = None  # an ipywidgets.HTML line that shows a failed update to the reader

    @staticmethod
    def _clear_data(ax) -> None:
        """Remove what a draw function added to ``ax`` (the axes, ticks and spines stay)."""
        for artist in [*ax.lines, *ax.patches, *ax.collections, *ax.texts, *ax.images]:
            artist.remove()
        ax.containers.clear()
        ax.legend_ = None  # detached, not removed: LiveFigure.render may put it back (see _legend_again)
        ax.dataLim.set_points(ax.dataLim.null().get_points())
        ax.ignore_existing_data_limits = True
        ax.set_autoscale_on(True)

    def render(self, draw: Callable[[Any], None]) -> bytes:
        """Redraw with ``draw(axes)`` and return the figure as PNG bytes."""
        legends = {}
        for ax in self.fig.axes:
            legends[ax] = ax.get_legend()
            self._clear_data(ax)
        reuse = _text_cache_supported()  # the matplotlib whose internals this class mirrors
        if reuse:
            for ax in self.fig.axes:  # an instance attribute, for this draw only: see _legend_again
                ax.legend = functools.partial(_legend_again, ax, legends[ax])
        try:
            draw(self.axes)
        finally:
            if reuse:
                for ax in self.fig.axes:
                    del ax.legend
        _fast_redraw(self.fig, self.key)
        self.draws += 1
        # canvas.draw renders once; savefig would add a layout pass first (the layout is already fixed)
        self.fig.canvas.draw()
        if not self._xlabels_placed:
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
            ax.xaxis._autolabelpos = True  # undo _freeze_xlabels: the axes are about to move
            ax.set_in_layout(True)  # set_position (a reused layout) took it out of the layout
        _LAYOUTS.pop(self.key, None)
        self.fig.set_layout_engine("constrained")
        _fast_redraw(self.fig, self.key)  # solves the layout and draws with it
        self._freeze_xlabels()

    def _freeze_xlabels(self) -> None:
        """Keep each x-axis label where the first draw put it, instead of placing it again on every draw.

        On every draw matplotlib puts an x label just below the tallest tick label, updating and
        measuring the tick labels a second time to find it. The height of a row of tick labels does
        not depend on their values (a line of text is as tall as its font's ascent plus descent; the
        log axes' ``10^k`` labels all have one height), so after the first draw the label's place is
        known for good. Y labels stay automatic: the width of tick labels changes with their values
        (``0.5`` against ``0.0001``), and a fixed y label would overlap the wider ones.
        """
        for ax in self.fig.axes:
            label = ax.xaxis.label
            x, y = label.get_position()
            ax.xaxis.set_label_coords(x, y, transform=label.get_transform())
        self._xlabels_placed = True

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
