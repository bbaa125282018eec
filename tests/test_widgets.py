"""The explorers: drawing, the kernel figure redrawn in place, the static site's states (the states' computations
are tested without any widget in ``tests/test_panels.py``)."""

import math

import matplotlib

matplotlib.use("Agg")  # this test module draws off-screen; the book build is never run with Agg
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rlbits import widgets


def test_draw_entropy_panel_labels_everything():
    fig, ax = plt.subplots()
    widgets.draw_entropy_panel(ax, widgets.entropy_panel(6, 1.0, 2))
    assert ax.get_xlabel() and "bits" in ax.get_ylabel() and ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("entropy" in t for t in labels) and any("log2 V" in t for t in labels)
    plt.close(fig)


def test_entropy_explorer_builds_and_updates():
    control, update = widgets.entropy_explorer()
    assert control is not None
    panel = update(V=5, sharpness=1.0, chosen=9)  # chosen is clipped to the last answer
    assert panel.chosen == 4
    weights = 1.0 / np.arange(1, 6)  # Zipf with sharpness 1, computed here, not by rlbits
    probs = weights / weights.sum()
    np.testing.assert_allclose(panel.probs, probs, rtol=1e-12)
    assert panel.entropy == pytest.approx(float(-(probs * np.log2(probs)).sum()), rel=1e-12)
    plt.close("all")


def test_bits_explorer_builds_and_updates():
    control, update = widgets.bits_explorer()
    assert control is not None
    panel = update(p=0.3, log10_V=2.0)
    assert panel.V == 100 and panel.p == 0.3
    fig, ax = plt.subplots()
    widgets.draw_bits_comparison(ax, panel)
    assert "bits" in ax.get_ylabel() and ax.get_title() and ax.get_legend()
    plt.close("all")


def test_update_explorer_builds_and_updates():
    control, update = widgets.update_explorer()
    assert control is not None
    panel = update(log10_p=-1.0, batch_size=16, baseline="pass rate")
    assert panel.p == pytest.approx(0.1) and panel.batch_size == 16
    fig, ax = plt.subplots()
    widgets.draw_update_panel(ax, panel)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() and ax.get_legend()
    plt.close("all")


# --- Kernel explorers redraw one persistent figure; the static website draws the same states ---


def _summary_of(fig):
    """What a figure shows, artist by artist: titles, labels, limits, legend texts, line data, bar heights."""
    out = []
    for ax in fig.axes:
        legend = ax.get_legend()
        out.append((ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), ax.get_xscale(), ax.get_yscale(),
                    tuple(np.round(ax.get_xlim(), 9)), tuple(np.round(ax.get_ylim(), 9)),
                    tuple(t.get_text() for t in legend.get_texts()) if legend else (),
                    tuple(tuple(np.round(np.asarray(line.get_xydata(), float).ravel(), 9)) for line in ax.lines),
                    tuple(round(float(p.get_height()), 9) for p in ax.patches if hasattr(p, "get_height")),
                    len(ax.collections), tuple(t.get_text() for t in ax.texts)))
    return out


@pytest.mark.parametrize("name", sorted(widgets.STATIC_GRIDS))
def test_a_persistent_figure_redrawn_in_place_shows_what_a_fresh_figure_shows(name):
    """The kernel explorer's figure, moved from one state to another, equals a fresh drawing of the second."""
    from rlbits.widgets._common import LiveFigure

    grid = widgets.STATIC_GRIDS[name]
    states = list(grid.states())
    first, second = states[0][1], states[-1][1]
    live = LiveFigure(f"test-{name}", grid.figsize, grid.ncols)
    a, b = grid.panel(**first), grid.panel(**second)
    png = live.render(lambda axes: grid.draw(axes, a))
    assert png.startswith(b"\x89PNG")
    axes_before = list(live.fig.axes)
    live.render(lambda axes: grid.draw(axes, b))
    assert live.fig.axes == axes_before, "no new axes per update"
    fresh = LiveFigure(f"test-{name}-fresh", grid.figsize, grid.ncols)
    fresh.render(lambda axes: grid.draw(axes, b))
    assert _summary_of(live.fig) == _summary_of(fresh.fig)
    assert _summary_of(live.fig) != _summary_of(_fresh_of(grid, first)), "the two states differ"


@pytest.mark.parametrize("name", sorted(widgets.STATIC_GRIDS))
def test_a_live_figure_after_moves_has_the_pixels_of_a_plain_drawing_of_its_state(name):
    """Every fast path of the live figure leaves the image as it was, pixel for pixel.

    After several moves, each PNG the live figure sends is compared with the same state drawn on a new
    figure the plain way: the same axes positions (the live figure's layout), automatic title and
    x-label placement, new legends, no minor ticks (as in the live figure). A live figure that kept
    an artist of the previous state, placed a label or title differently, or lost a redraw fails.
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    from rlbits.plotting import book_style
    from rlbits.widgets._common import _LAYOUTS, LiveFigure

    grid = widgets.STATIC_GRIDS[name]
    states = [values for _, values in grid.states()]
    picks = [states[0], *(states[i] for i in np.linspace(1, len(states) - 1, 5).astype(int))]
    key = f"test-pixels-{name}"
    with book_style():
        live = LiveFigure(key, grid.figsize, grid.ncols)
        for values in picks:
            panel = grid.panel(**values)
            png = live.render(lambda axes: grid.draw(axes, panel))
            got = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
            plain = Figure(figsize=grid.figsize)
            FigureCanvasAgg(plain)
            grid.draw(plain.subplots(1, grid.ncols), panel)
            for ax, position in zip(plain.axes, _LAYOUTS[key]):
                ax.set_position(position)
                ax.minorticks_off()
            plain.canvas.draw()
            expected = np.asarray(plain.canvas.buffer_rgba())
            assert got.shape == expected.shape
            different = np.any(got != expected, axis=2)
            assert not different.any(), f"{values}: {int(different.sum())} pixels differ"


@pytest.mark.parametrize("variant", widgets.VARIANTS)
@pytest.mark.parametrize("name", sorted(widgets.STATIC_GRIDS))
def test_static_states_drawn_on_one_figure_have_the_pixels_of_new_plain_figures(name, variant):
    """The build draws a grid's states one after another on one figure, in both variants.

    Each state must look exactly as on a new figure drawn the plain way, after a move of the last
    control, of several controls, and of all of them: an artist left over from the previous state, or
    axes not put back into the layout, fails.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from rlbits.plotting import book_style

    grid = widgets.STATIC_GRIDS[name]
    states = [values for _, values in grid.states()]
    middle = len(states) // 2
    order = [states[middle], states[middle + 1], states[-1], states[0]]
    figsize, nrows, ncols = grid.layout(variant)
    for values, (fig, _) in zip(order, grid.draw_states(order, variant)):
        fig.canvas.draw()
        got = np.asarray(fig.canvas.buffer_rgba()).copy()
        with book_style():
            plain = Figure(figsize=figsize, dpi=widgets.STATE_DPI, layout="constrained")
            FigureCanvasAgg(plain)
            grid.draw(plain.subplots(nrows, ncols), grid.panel(**values))
            if variant == "narrow":
                widgets.narrow_layout(plain)
        plain.canvas.draw()
        expected = np.asarray(plain.canvas.buffer_rgba())
        assert got.shape == expected.shape
        different = np.any(got != expected, axis=2)
        assert not different.any(), f"{values}: {int(different.sum())} pixels differ"


def test_live_png_round_trips():
    """The live figure's own PNG encoder keeps every pixel (alpha included)."""
    import io

    from PIL import Image

    from rlbits.widgets._common import _png

    rgba = np.random.default_rng(0).integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    decoded = Image.open(io.BytesIO(_png(rgba)))
    assert decoded.mode == "RGBA"
    np.testing.assert_array_equal(np.asarray(decoded), rgba)


def _fresh_of(grid, values):
    from rlbits.widgets._common import LiveFigure

    live = LiveFigure("test-fresh-other", grid.figsize, grid.ncols)
    panel = grid.panel(**values)
    live.render(lambda axes: grid.draw(axes, panel))
    return live.fig


@pytest.mark.parametrize("name", sorted(widgets.STATIC_GRIDS))
def test_static_grid_states_are_complete_and_described(name):
    grid = widgets.STATIC_GRIDS[name]
    keys = [k for k, _ in grid.states()]
    assert len(keys) == len(set(keys)) == grid.size >= 10
    assert grid.default_key() in keys
    for c in grid.controls:
        assert c.label and len(c.readouts) == len(c.values) and len(set(c.readouts)) == len(c.readouts)
    # alt text says what this state shows: it differs between states and has the state's numbers
    values = [v for _, v in grid.states()]
    alts = {grid.describe(grid.panel(**values[i])) for i in (0, len(values) // 2, len(values) - 1)}
    assert len(alts) == 3 and all(len(a.split()) >= 20 for a in alts)


def test_entropy_state_alt_text_has_the_state_numbers():
    panel = widgets.STATIC_GRIDS["entropy"].panel(V=8, sharpness=0.0, highlight="last")
    alt = widgets.STATIC_GRIDS["entropy"].describe(panel)
    assert "8 answers" in alt and "entropy is 3.00 bits" in alt and "answer k = 8" in alt


def test_bad_grid_is_rejected():
    with pytest.raises(ValueError, match="readout"):
        widgets.Control("x", "x", (1, 2), ("1",))
    with pytest.raises(ValueError, match="default"):
        widgets.Control("x", "x", (1, 2), ("1", "2"), default=2)
