"""Crisp figures: rlbits.plotting draws notebook figures at twice their displayed pixel density,
in a 256-colour palette that keeps them light; the site's dark mode does not show them as white boxes."""

from __future__ import annotations

import io
import json
import re

import matplotlib
import numpy as np
import pytest
from PIL import Image

from rlbits import plotting

from conftest import ROOT


def _figure():
    with plotting.book_style():
        fig, ax = plotting.new_axes("Information per sample", "pass rate p", "information (bits)")
        p = np.linspace(1e-3, 1 - 1e-3, 400)
        ax.plot(p, -np.log2(p), color=plotting.COLORS["sl"], label="SL")
        ax.plot(p, -p * np.log2(p) - (1 - p) * np.log2(1 - p), color=plotting.COLORS["rl"], label="RL")
        ax.legend()
    return fig


def test_figure_png_is_twice_the_displayed_density_and_light():
    import matplotlib.pyplot as plt

    fig = _figure()
    data, meta = plotting.figure_png(fig)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.mode == "P"  # palette
    assert abs(image.width / meta["width"] - 2) < 0.01 and set(meta) == {"width"}
    plain = io.BytesIO()
    fig.savefig(plain, format="png", dpi=fig.dpi, bbox_inches="tight")
    assert len(data) <= 1.2 * len(plain.getvalue()), (len(data), len(plain.getvalue()))
    # the book's colours survive the palette
    rgb = np.asarray(image.convert("RGB")).reshape(-1, 3)
    for hexcolor in (plotting.COLORS["sl"], plotting.COLORS["rl"]):
        target = np.array([int(hexcolor[i:i + 2], 16) for i in (1, 3, 5)])
        assert (np.abs(rgb - target).sum(axis=1) < 30).sum() > 500, hexcolor
    assert plotting.figure_png(fig)[0] == data  # deterministic
    plt.close(fig)


@pytest.mark.parametrize("kwargs", [{"scale": 0}, {"scale": 1.5}, {"colors": 1}, {"colors": 300}])
def test_figure_png_rejects_bad_arguments(kwargs):
    import matplotlib.pyplot as plt

    fig = _figure()
    with pytest.raises(ValueError):
        plotting.figure_png(fig, **kwargs)
    plt.close(fig)


def test_hidpi_is_a_no_op_outside_ipython():
    assert plotting.hidpi() is False


def test_dark_mode_stylesheet():
    css = (ROOT / "book" / "_static" / "print.css").read_text(encoding="utf-8")  # linked from every page
    assert 'html[data-theme="dark"] .cell_output img' in css
    assert "invert(" in css and "hue-rotate(180deg)" in css
    assert re.search(r"\.cell_output img \{\s*max-width: 100%;\s*height: auto;", css)


def test_course_slides_figures_are_hidpi():
    """The slides notebook shows its key figures through rlbits.plotting at 2x (committed outputs)."""
    nb = json.loads((ROOT / "book" / "course" / "slides" / "slides.ipynb").read_text(encoding="utf-8"))
    pngs = [(o["data"]["image/png"], o.get("metadata", {}).get("image/png", {}))
            for c in nb["cells"] for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 3
    import base64

    for b64, meta in pngs:
        image = Image.open(io.BytesIO(base64.b64decode(b64)))
        assert image.width >= 2 * meta["width"] - 2, (image.width, meta)
        assert len(base64.b64decode(b64)) < 250_000


# --- Phones: show() and the narrow variant of a figure of several panels ---------------------------


def _panels_figure(nrows=1, ncols=2, sharey=False):
    import matplotlib.pyplot as plt

    with plotting.book_style():
        fig, axes = plt.subplots(nrows, ncols, figsize=(5.5 * ncols, 4.2 * nrows), sharey=sharey, squeeze=False)
        fig.suptitle("Two panels of one comparison, with a title too long for a phone", fontweight="bold")
        p = np.linspace(0.01, 0.99, 50)
        for i, ax in enumerate(axes.flat):
            ax.plot(p, p ** (i + 1), color=plotting.COLORS["sl"], label="SL, a label long enough to need wrapping")
            ax.plot(p, 1 - p, color=plotting.COLORS["rl"], linestyle="--", label="RL")
            ax.set_title(f"panel {i}")
            ax.set_xlabel("pass rate p")
            ax.legend(loc="upper right", fontsize=7.5)
        axes.flat[0].set_ylabel("information (bits)")
    return fig


def test_stack_panels_puts_the_panels_in_one_column_at_phone_width():
    import matplotlib.pyplot as plt

    fig = _panels_figure(2, 2, sharey=True)
    with plotting.book_style():
        plotting.stack_panels(fig)
        fig.canvas.draw()
    axes = fig.axes
    boxes = [ax.get_position() for ax in axes]
    assert fig.get_figwidth() <= plotting.NARROW_WIDTH + 1e-9
    assert all(abs(b.x0 - boxes[0].x0) < 0.02 and abs(b.x1 - boxes[0].x1) < 0.02 for b in boxes)  # one column
    assert all(a.y0 > b.y1 for a, b in zip(boxes, boxes[1:]))  # top to bottom, in reading order
    assert [ax.get_title() for ax in axes] == [f"panel {i}" for i in range(4)]
    assert all(ax.get_ylabel() == "information (bits)" for ax in axes)  # the row's label on every panel
    assert all(any(t.get_visible() and t.get_text() for t in ax.get_yticklabels()) for ax in axes)  # sharey shows them
    renderer = fig.canvas.get_renderer()
    for ax in axes:  # each legend below its panel: under the axes, not over the data
        assert ax.get_legend().get_window_extent(renderer).y1 < ax.get_window_extent(renderer).y0
    # nothing is cut off: what the figure draws fits in its width
    assert fig.get_tightbbox(renderer).width <= fig.get_figwidth() + 0.02
    plt.close(fig)


def test_stack_panels_does_not_copy_a_label_onto_an_axis_that_shows_something_else():
    """A bar chart of names beside a line plot: the line plot's y label stays its own (Chapter 6's
    misspecified-teacher figure once showed "held-out pass rate" beside the method names)."""
    import matplotlib.pyplot as plt

    with plotting.book_style():
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
        left.plot([1, 10, 100], [0.1, 0.2, 0.3])
        left.set_xscale("log")
        left.set_ylabel("held-out pass rate")
        right.barh(["SL", "GRPO"], [0.8, 0.7])
        plotting.stack_panels(fig)
    assert left.get_ylabel() == "held-out pass rate" and right.get_ylabel() == ""
    plt.close(fig)


@pytest.mark.parametrize("bad", [None, "figure", 3])
def test_show_and_stack_panels_reject_what_is_not_a_figure(bad):
    with pytest.raises(ValueError):
        plotting.show(bad)
    with pytest.raises(ValueError):
        plotting.stack_panels(bad)


def test_stack_panels_needs_two_panels():
    import matplotlib.pyplot as plt

    fig = _figure()
    with pytest.raises(ValueError):
        plotting.stack_panels(fig)
    plt.close(fig)
    fig = _panels_figure()
    with pytest.raises(ValueError):
        plotting.stack_panels(fig, width=0)
    plt.close(fig)


SHOW_CELLS = [
    "import matplotlib.pyplot as plt\nfrom rlbits import plotting\nplotting.apply_style()",
    "fig, axes = plt.subplots(1, 2, figsize=(11, 4))\nfor ax in axes:\n    ax.plot([0, 1], [0, 1], label='a line')\n"
    "    ax.set(title='a panel', xlabel='x (units)', ylabel='y (units)')\n    ax.legend()\nplotting.show(fig)",
    "fig, ax = plt.subplots()\nax.plot([0, 1], [1, 0])\nplotting.show(fig)",
]
#: The first figure again, ended by plt.show(): in a notebook show(fig) gives the same output.
PLT_SHOW_CELL = SHOW_CELLS[1].replace("plotting.show(fig)", "plt.show()")


def _run_cells(tmp_path, env_value):
    """Execute SHOW_CELLS in a real kernel, with ``RLBITS_PHONE_FIGURES`` set to ``env_value`` (or unset)."""
    import os

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in [*SHOW_CELLS, PLT_SHOW_CELL]])
    env = {k: v for k, v in os.environ.items() if k != plotting.PHONE_FIGURES_ENV}
    env["PYTHONPATH"] = str(ROOT / "lib") + os.pathsep + env.get("PYTHONPATH", "")
    if env_value is not None:
        env[plotting.PHONE_FIGURES_ENV] = str(env_value)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=env)  # the kernel's environment
    return [[o for o in cell.outputs] for cell in nb.cells[1:]]


def test_show_in_a_notebook_is_plt_show(tmp_path):
    """In a notebook: one image per figure cell and nothing else (the committed outputs do not change)."""
    two, one, plain = _run_cells(tmp_path, None)
    for outputs in (two, one):
        assert [o["output_type"] for o in outputs] == ["display_data"]
        assert "image/png" in outputs[0]["data"]
    assert two == plain  # the same output as plt.show()
    assert not any(tmp_path.rglob("*.png"))


def test_show_on_the_website_also_writes_the_stacked_variant(tmp_path):
    """On the website: the same one image, and for the figure of two panels a narrower, stacked PNG named
    after the shown image's SHA-256 (the name myst-nb gives it); none for the figure of one panel."""
    import base64
    import hashlib

    folder = tmp_path / "phone"
    two, one, plain = _run_cells(tmp_path, folder)
    assert two == plain  # the page shows what a notebook shows
    for outputs in (two, one):
        assert [o["output_type"] for o in outputs] == ["display_data"]
    shown = base64.b64decode(two[0]["data"]["image/png"])
    files = sorted(folder.glob("*.png"))
    assert [f.name for f in files] == [hashlib.sha256(shown).hexdigest() + "-narrow.png"]
    wide, narrow = Image.open(io.BytesIO(shown)), Image.open(files[0])
    assert narrow.width < wide.width / 2 and narrow.height > narrow.width  # narrower, panels one above the other
    assert narrow.width <= plotting.NARROW_WIDTH * 100 * plotting.HIDPI_SCALE + 1
    assert two[0]["metadata"]["image/png"]["width"] * plotting.HIDPI_SCALE == pytest.approx(wide.width, abs=2)
