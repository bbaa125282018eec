"""The book's figure style in one place.

- A colour-blind-safe palette (Okabe & Ito), with fixed roles: supervised learning is always
  blue, reinforcement learning always vermillion, so a reader never has to re-learn a legend.
- Line styles differ as well as colours, so figures survive greyscale printing.
- :func:`new_axes` makes a titled figure with labelled axes; :func:`pass_rate_axis` sets up the
  recurring pass-rate axis (linear or log).

Figures are drawn with the standard matplotlib API; nothing here needs a browser.

Crisp figures: in a notebook, :func:`apply_style` also calls :func:`hidpi`, so every figure is shown
as a PNG with twice the pixels of its displayed size (sharp on HiDPI screens and projectors), reduced
to a 256-colour palette so that it weighs about what a plain 1x PNG did. Dark mode is handled by the
site's stylesheet (``book/_static/print.css``, loaded on every page), which inverts the figure's lightness but keeps its
hues, so no white box glares on a dark page.

Figures on phones: a figure cell ends with :func:`show` (instead of ``plt.show()``). In a notebook it
is ``plt.show()``. When the book's website is built (``_ext/phone_figures.py`` sets
:data:`PHONE_FIGURES_ENV` for the notebooks it executes), it also draws a figure of several panels
a second time, re-laid out for a phone by :func:`stack_panels` (:data:`NARROW_WIDTH` inches wide,
panels in one column), and writes that PNG where the site's build picks it up, next to the figure
as designed; the site shows it on narrow screens only.
"""

from __future__ import annotations

import hashlib
import os
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "COLORS",
    "LINESTYLES",
    "NARROW_WIDTH",
    "PALETTE",
    "PHONE_FIGURES_ENV",
    "apply_style",
    "book_style",
    "figure_png",
    "hidpi",
    "new_axes",
    "pass_rate_axis",
    "show",
    "stack_panels",
]

#: Okabe & Ito's eight colours, distinguishable under the common colour-vision deficiencies.
PALETTE: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Colours with fixed meanings across the book.
COLORS: dict[str, str] = {
    "sl": PALETTE["blue"],
    "rl": PALETTE["vermillion"],
    "third": PALETTE["bluish_green"],
    "fourth": PALETTE["reddish_purple"],
    "fifth": PALETTE["orange"],
    "sixth": PALETTE["sky_blue"],
    "reference": PALETTE["black"],
}

#: Line styles with the same roles, so curves differ without colour.
LINESTYLES: dict[str, Any] = {
    "sl": "-",
    "rl": "--",
    "third": "-.",
    "fourth": ":",
    "fifth": (0, (5, 1, 1, 1)),
    "sixth": (0, (1, 1)),
    "reference": (0, (3, 3)),
}

_ORDER = ["sl", "rl", "third", "fourth", "fifth", "sixth"]

_RC: dict[str, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "lines.linewidth": 2.0,
    "axes.prop_cycle": cycler(color=[COLORS[k] for k in _ORDER]) + cycler(linestyle=[LINESTYLES[k] for k in _ORDER]),
    "svg.hashsalt": "bits-per-sample",
}


def apply_style() -> None:
    """Apply the book's matplotlib style globally (call once at the top of a chapter).

    In IPython (a notebook, Binder, Colab) it also turns on :func:`hidpi` figures. Used by every
    chapter's first code cell.

    Returns
    -------
    None
        The style is applied to ``matplotlib.rcParams``.

    Raises
    ------
    ValueError
        Never: it takes no input and only updates ``matplotlib.rcParams``.
    """
    mpl.rcParams.update(_RC)
    hidpi()


#: Pixels per displayed (CSS) pixel of a notebook figure: 2 is sharp on HiDPI screens and projectors.
HIDPI_SCALE = 2


def figure_png(fig: Figure, scale: int = HIDPI_SCALE, colors: int = 256) -> tuple[bytes, dict[str, int]]:
    """Render ``fig`` as a PNG with ``scale`` pixels per displayed pixel; return the bytes and display size.

    The image is drawn at ``scale`` times the figure's dpi (cropped tight, like the notebook's inline
    backend) and reduced to an adaptive palette of at most ``colors`` colours (no dithering), which
    keeps line art and text sharp while the file stays small. The metadata ``{"width": w}`` is the
    displayed width in CSS pixels (the height follows from the aspect ratio), as Jupyter and myst-nb
    read it. Deterministic: the same figure gives the same bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render.
    scale : int, optional
        Image pixels per displayed (CSS) pixel, a whole number >= 1.
    colors : int, optional
        Most colours in the PNG's palette, from 2 to 256.

    Returns
    -------
    tuple of (bytes, dict)
        The PNG file's bytes and its display metadata ``{"width": w}`` (CSS pixels).

    Raises
    ------
    ValueError
        If ``scale`` is not a whole number >= 1 or ``colors`` is not a whole number from 2 to 256.
    """
    from io import BytesIO

    from PIL import Image

    if not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be a whole number >= 1, got {scale!r}")
    if not isinstance(colors, int) or not 2 <= colors <= 256:
        raise ValueError(f"colors must be a whole number from 2 to 256, got {colors!r}")
    raw = BytesIO()  # an intermediate PNG, not compressed (it is decoded at once)
    fig.savefig(raw, format="png", dpi=fig.dpi * scale, bbox_inches="tight", facecolor="white",
                metadata={"Software": None}, pil_kwargs={"compress_level": 0})
    image = Image.open(BytesIO(raw.getvalue())).convert("RGB")
    paletted = image.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = BytesIO()
    # zlib level 8: 5% larger than level 9 (optimize=True) on the book's figures, in two fifths of the time
    paletted.save(out, format="PNG", compress_level=8)
    return out.getvalue(), {"width": int(round(image.width / scale))}


def hidpi(scale: int = HIDPI_SCALE) -> bool:
    """Show matplotlib figures in this IPython session as :func:`figure_png` images (2x, small).

    Replaces the inline backend's PNG formatter for figures. Returns ``False`` (and does nothing)
    outside IPython, e.g. in a script or the test suite.

    Parameters
    ----------
    scale : int, optional
        Image pixels per displayed (CSS) pixel, a whole number >= 1.

    Returns
    -------
    bool
        ``True`` if the formatter was installed, ``False`` outside IPython.

    Raises
    ------
    ValueError
        If ``scale`` is not a whole number >= 1.
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be a whole number >= 1, got {scale!r}")
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the notebooks only
        return False
    shell = get_ipython()
    if shell is None:
        return False
    # The inline backend installs its own figure formatters when it is first loaded (at the first
    # figure): load it now, so that ours, registered after it, is the one used.
    backend = str(mpl.get_backend())
    if "inline" in backend:
        import importlib

        importlib.import_module("matplotlib_inline.backend_inline")
    formatter = shell.display_formatter.formatters["image/png"]
    formatter.for_type(Figure, lambda fig: figure_png(fig, scale))
    return True


@contextmanager
def book_style() -> Iterator[None]:
    """Context manager form of :func:`apply_style`, restoring the previous style on exit.

    Used to draw the book's figures in scripts and tests without changing the global style.

    Yields
    ------
    None
        The book's style is in force inside the ``with`` block.

    Raises
    ------
    ValueError
        Never: it takes no input.
    """
    with mpl.rc_context(_RC):
        yield


def new_axes(
    title: str,
    xlabel: str,
    ylabel: str,
    *,
    ncols: int = 1,
    figsize: tuple[float, float] | None = None,
) -> tuple[Figure, Axes]:
    """Return a new figure and axes with a title and labelled axes.

    Axis labels should name their unit in parentheses, e.g. ``"information (bits)"``. With
    ``ncols > 1`` the same labels go on every panel, the title on the figure, and the returned
    ``axes`` is an array.

    Parameters
    ----------
    title : str
        The figure's title (not empty).
    xlabel, ylabel : str
        Axis labels, each naming its unit (not empty).
    ncols : int, optional
        Number of panels side by side (>= 1).
    figsize : tuple of float, optional
        Figure size in inches; by default 6.4 x 4.0, or 4.2 per panel x 3.8.

    Returns
    -------
    tuple of (matplotlib.figure.Figure, matplotlib.axes.Axes or numpy.ndarray)
        The figure and its axes (an array of ``ncols`` axes when ``ncols > 1``).

    Raises
    ------
    ValueError
        If the title or a label is empty, or ``ncols < 1``.
    """
    if not title or not xlabel or not ylabel:
        raise ValueError("every figure needs a title and both axis labels (with units)")
    if ncols < 1:
        raise ValueError(f"ncols must be >= 1, got {ncols}")
    fig, axes = plt.subplots(1, ncols, figsize=figsize or ((6.4, 4.0) if ncols == 1 else (4.2 * ncols, 3.8)))
    if ncols == 1:
        axes.set_title(title)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
    else:
        fig.suptitle(title, fontweight="bold")
        for ax in axes:
            ax.set_xlabel(xlabel)
        axes[0].set_ylabel(ylabel)
    return fig, axes


def pass_rate_axis(ax: Axes, scale: str = "linear", lowest: float = 1e-5) -> None:
    """Set up ``ax``'s x axis as the pass rate ``p``: linear on [0, 1] or log on [lowest, 1].

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to change.
    scale : {"linear", "log"}, optional
        The axis scale.
    lowest : float, optional
        Left end of a log axis, a pass rate strictly between 0 and 1 (ignored for ``"linear"``).

    Returns
    -------
    None
        ``ax`` is changed in place (limits, scale and label).

    Raises
    ------
    ValueError
        If ``scale`` is neither ``"linear"`` nor ``"log"``, or, for ``"log"``, ``lowest`` is not in (0, 1).
    """
    if scale == "linear":
        ax.set_xlim(0.0, 1.0)
        ax.set_xlabel("pass rate p (probability of the correct answer)")
    elif scale == "log":
        if not 0.0 < lowest < 1.0:
            raise ValueError(f"lowest must lie strictly between 0 and 1, got {lowest}")
        ax.set_xscale("log")
        ax.set_xlim(lowest, 1.0)
        ax.set_xlabel("pass rate p (log scale)")
    else:
        raise ValueError(f"scale must be 'linear' or 'log', got {scale!r}")


# --- Phones: the website's narrow variant of a figure of several panels ---------------------------

#: The environment variable the website's build sets (``_ext/phone_figures.py``) to a folder: there
#: :func:`show` writes the narrow variant of each figure of several panels. Unset in a notebook.
PHONE_FIGURES_ENV = "RLBITS_PHONE_FIGURES"
#: Width (inches) of a figure's narrow variant, as :func:`show` writes it (savefig's padding included).
#: Drawn at the book's 100 dpi, it is at most 360 CSS px wide at its own size (about 352 once cropped
#: to what is drawn); on a 390-px-wide phone the column is 342 CSS px, so its smallest text, 7.5 pt, is
#: about 7.5 * 100 / 72 * 342 / 352 = 10.1 CSS px (tests/test_live_explorers.py wants at least 9).
NARROW_WIDTH = 3.6
#: Height (inches) of each panel of the narrow variant, without its legend (which goes below it).
NARROW_PANEL_HEIGHT = 3.3
#: Height (inches) added per line of a legend below its panel, and per line of a figure title.
NARROW_LINE_HEIGHT = 0.19
#: Legend labels of the narrow variant wrap at this many characters.
NARROW_CHARACTERS = 44
#: About the room (inches) a panel's y label and tick labels take at its left: titles and x labels
#: of the narrow variant wrap to the figure's width less this.
NARROW_MARGIN = 0.65
#: Y tick labels (names) of the narrow variant are broken into lines at most this share of its width.
NARROW_YTICKS = 0.38


def _broken(content: str, prop: Any, renderer: Any, width: float) -> str:
    """``content`` with its lines broken at spaces so that none is wider than ``width`` inches in font ``prop``.

    Lines are balanced: each paragraph takes as few lines as at ``width``, filled about evenly (no
    word left alone on a last line when the lines could share the words).
    """
    def inches(line: str) -> float:
        return renderer.get_text_width_height_descent(line, prop, ismath=False)[0] / renderer.dpi

    def greedy(words: list[str], room: float) -> list[str]:
        lines, line = [], ""
        for word in words:
            if line and inches(f"{line} {word}") > room:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        return [*lines, line]

    out = []
    for paragraph in content.split("\n"):
        words = [w.replace("\0", " ") for w in paragraph.replace(" = ", "\0=\0").split(" ")]  # "V = 10" stays whole
        lines = greedy(words, width)
        room = width
        while len(lines) > 1 and room > 0.5 and len(greedy(words, room - 0.05)) == len(lines):
            room -= 0.05
        out += greedy(words, room)
    return "\n".join(out)


def _fit(text: Any, width: float) -> None:
    """Break the lines of a matplotlib Text at spaces so that none is wider than ``width`` inches, as drawn."""
    content = text.get_text()
    if content and "$" not in content:  # mathtext: a line break inside $...$ would break it
        renderer = text.get_figure(root=True).canvas.get_renderer()
        text.set_text(_broken(content, text.get_fontproperties(), renderer, width))


def _fit_ytick_labels(ax: Axes, width: float) -> None:
    """Break a panel's y tick labels (names, e.g. of methods) that are wider than ``width`` inches."""
    renderer = ax.get_figure(root=True).canvas.get_renderer()
    labels = ax.get_yticklabels()
    texts = [t.get_text() for t in labels]
    if not labels or any("$" in t for t in texts) or max(
            t.get_window_extent(renderer).width / renderer.dpi for t in labels) <= width:
        return
    prop = labels[0].get_fontproperties()
    ax.set_yticks(ax.get_yticks(), labels=[_broken(t, prop, renderer, width) for t in texts])


def _untangle_ticks(ax: Axes) -> None:
    """Turn a panel's x tick labels by 45 degrees if, side by side, they overlap (not labels of several lines:
    names broken into lines by the chapter, which read worse turned)."""
    renderer = ax.get_figure(root=True).canvas.get_renderer()
    labels = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
    if any("\n" in t.get_text() for t in labels):
        return
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda box: box.x0)
    if any(left.x1 > right.x0 for left, right in zip(boxes, boxes[1:])):
        ax.tick_params(axis="x", which="both", labelrotation=45)
        for label in ax.get_xticklabels(which="both"):
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")


def _panels(fig: Figure) -> list[Axes]:
    """The visible axes of ``fig`` that sit in its grid (not colour bars or insets), row by row."""
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.get_subplotspec() is not None]

    def place(ax: Axes) -> tuple[int, int]:
        spec = ax.get_subplotspec()
        return spec.rowspan.start, spec.colspan.start

    return sorted(panels, key=place)


def stack_panels(fig: Figure, width: float = NARROW_WIDTH) -> None:
    """Re-lay out a drawn figure of several panels for a phone: one column, ``width`` inches wide.

    Public matplotlib API only, on the figure as drawn: each panel moves to its own row of a new
    one-column grid (``Axes.set_subplotspec``), in reading order (row by row); a panel whose axis
    label was left empty because a neighbour carries it gets that label (for y, from its row or else
    its column; for x, from its column; only from a panel whose axis is shared with it or has the same
    scale and limits, so a label never lands on an axis that shows something else), and every panel shows its tick labels (shared axes hide them
    on inner panels of the wide grid). Each legend of a panel moves below that panel, under its x label, one entry per
    line, long labels wrapped; a figure legend goes below the panels, one entry per line; titles and
    axis labels are wrapped to the room they have (measured as drawn); in a grid of several rows a
    panel without a title gets its column's; x tick labels that would touch are turned 45 degrees,
    and long y tick labels (names) are broken into lines. The figure is resized to ``width`` inches by a height that
    fits the panels and their legends, and laid out by matplotlib's constrained layout.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A drawn figure with at least two panels (axes in a grid).
    width : float, optional
        The new width in inches (> 0).

    Returns
    -------
    None
        ``fig`` is changed in place.

    Raises
    ------
    ValueError
        If ``fig`` is not a matplotlib Figure, has fewer than two visible panels, or ``width <= 0``.
    """
    from matplotlib.gridspec import GridSpec
    from matplotlib.transforms import ScaledTranslation

    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not width > 0:
        raise ValueError(f"width must be > 0, got {width!r}")
    panels = _panels(fig)
    if len(panels) < 2:
        raise ValueError(f"the figure has {len(panels)} panel(s); a narrow variant stacks two or more")
    # axis labels a neighbour carries in the wide grid
    places = {ax: (ax.get_subplotspec().rowspan.start, ax.get_subplotspec().colspan.start) for ax in panels}
    def same_y(a, b):  # the same quantity on the y axis: shared, or the same scale and limits
        return a.get_shared_y_axes().joined(a, b) or (a.get_yscale() == b.get_yscale() and a.get_ylim() == b.get_ylim())

    def same_x(a, b):
        return a.get_shared_x_axes().joined(a, b) or (a.get_xscale() == b.get_xscale() and a.get_xlim() == b.get_xlim())

    for ax in panels:
        row, col = places[ax]
        if not ax.get_ylabel():
            same_row = [o for o in panels if places[o][0] == row and o.get_ylabel() and same_y(ax, o)]
            same_col = [o for o in panels if places[o][1] == col and o.get_ylabel() and same_y(ax, o)]
            if same_row or same_col:
                ax.set_ylabel(min(same_row or same_col, key=lambda o: places[o]).get_ylabel())
        if not ax.get_xlabel():
            same_col = [o for o in panels if places[o][1] == col and o.get_xlabel() and same_x(ax, o)]
            if same_col:
                ax.set_xlabel(max(same_col, key=lambda o: places[o][0]).get_xlabel())
        if not ax.get_title() and len({r for r, _ in places.values()}) > 1:  # a column's title heads its rows
            same_col = [o for o in panels if places[o][1] == col and o.get_title()]
            if same_col:
                ax.set_title(min(same_col, key=lambda o: places[o][0]).get_title())
        ax.xaxis.set_tick_params(which="both", labelbottom=True)
        ax.yaxis.set_tick_params(which="both", labelleft=True)
    grid = GridSpec(len(panels), 1, figure=fig)
    for i, ax in enumerate(panels):
        ax.set_subplotspec(grid[i, 0])
    fig.set_size_inches(width, NARROW_PANEL_HEIGHT * len(panels))
    # titles and axis labels wrapped to the room they have: the axes' width (the figure's, less the
    # y label and ticks: about NARROW_MARGIN), the panel's height for a y label
    for ax in panels:
        _fit(ax.title, width - NARROW_MARGIN)
        _fit(ax.xaxis.label, width - NARROW_MARGIN)
        _fit(ax.yaxis.label, NARROW_PANEL_HEIGHT - 1.0)
        _fit_ytick_labels(ax, NARROW_YTICKS * width)
    lines = 0
    title = fig.get_suptitle()
    if title:
        for text in fig.texts:  # the figure title is one of the figure's texts
            if text.get_text() == title:
                _fit(text, width - 0.1)
                lines += text.get_text().count("\n") + 1
    # the legends, laid out for the wide figure, are left out of the layout until they are made again
    legends = [ax.get_legend() for ax in panels if ax.get_legend() is not None] + list(fig.legends)
    for legend in legends:
        legend.set_visible(False)
    fig.canvas.draw()
    for ax in panels:
        _untangle_ticks(ax)
    # legends below their panel: measured on the new layout (the depth of tick labels and x label
    # below the axes does not depend on where the layout puts the axes)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in panels:
        legend = ax.get_legend()
        if legend is None:
            continue
        size = legend.get_texts()[0].get_fontsize()
        labels = [t.get_text() for t in legend.get_texts()]
        handles, own = ax.get_legend_handles_labels()
        if own != labels:  # a legend made from handles of its own: keep the legend's
            handles = legend.legend_handles
        title = legend.get_title().get_text()
        legend.remove()
        wrapped = [textwrap.fill(label, NARROW_CHARACTERS) for label in labels]
        lines += sum(label.count("\n") + 1 for label in wrapped) + bool(title)
        depth = (ax.get_window_extent(renderer).y0 - ax.xaxis.get_tightbbox(renderer).y0) / fig.dpi
        below = ax.transAxes + ScaledTranslation(0.0, -depth - 0.08, fig.dpi_scale_trans)
        ax.legend(handles, wrapped, loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below,
                  borderaxespad=0.0, fontsize=size, ncols=1, title=title or None)
    for legend in list(fig.legends):  # a figure legend: below the panels, one entry per line
        size = legend.get_texts()[0].get_fontsize()
        labels = [textwrap.fill(t.get_text(), NARROW_CHARACTERS) for t in legend.get_texts()]
        handles = legend.legend_handles
        legend.remove()
        fig.legend(handles, labels, loc="outside lower center", ncols=1, fontsize=size, frameon=False)
        lines += sum(label.count("\n") + 1 for label in labels)
    height = NARROW_PANEL_HEIGHT * len(panels) + NARROW_LINE_HEIGHT * lines
    fig.set_size_inches(width, height)


def show(fig: Figure) -> None:
    """Show a figure at the end of its cell: ``plt.show()`` in a notebook; on the website, also its phone variant.

    In a notebook (Jupyter, Colab, a test run) this is exactly ``plt.show()``. When the book's website
    is built, its build sets :data:`PHONE_FIGURES_ENV` to a folder for the notebooks it executes;
    then the figure is shown as in a notebook (the same PNG, :func:`figure_png`), and a figure of two
    or more panels is re-laid out by :func:`stack_panels` and written there as a PNG too, named
    after the SHA-256 of the shown PNG (the name myst-nb gives the shown image) with ``-narrow``
    added, for the site's narrow screens, and the figure is closed (as the inline backend's
    ``plt.show()`` closes it).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The cell's figure, drawn.

    Returns
    -------
    None
        The figure is displayed (in IPython).

    Raises
    ------
    ValueError
        If ``fig`` is not a matplotlib Figure.
    """
    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    folder = os.environ.get(PHONE_FIGURES_ENV)
    if not folder:
        plt.show()
        return
    data, meta = figure_png(fig)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython is a dependency of the notebooks only
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        import base64

        display({"image/png": base64.b64encode(data).decode("ascii"), "text/plain": repr(fig)}, raw=True,
                metadata={"image/png": meta})
    if len(_panels(fig)) >= 2:
        # the PNG is cropped to what is drawn plus savefig's padding on each side: NARROW_WIDTH in all
        import warnings

        with warnings.catch_warnings():  # a narrow layout that fails (e.g. collapsed axes) stops the build
            warnings.simplefilter("error", UserWarning)
            stack_panels(fig, NARROW_WIDTH - 2 * float(mpl.rcParams["savefig.pad_inches"]))
            narrow, _ = figure_png(fig)
        path = Path(folder) / f"{hashlib.sha256(data).hexdigest()}-narrow.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(narrow)
    plt.close(fig)
