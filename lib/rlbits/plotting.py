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
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "COLORS",
    "LINESTYLES",
    "PALETTE",
    "apply_style",
    "book_style",
    "figure_png",
    "hidpi",
    "new_axes",
    "pass_rate_axis",
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
