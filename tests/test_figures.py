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
