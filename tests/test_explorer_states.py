"""The static site's explorer states as the book build makes them (``_ext/live_explorers.py``).

A cold build draws the states in a process of its own while the notebooks execute, and each page
waits for its explorer's states; if that process stops, the page draws them itself. Either way the
states are the same files.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

if str(ROOT / "_ext") not in sys.path:
    sys.path.insert(0, str(ROOT / "_ext"))

import live_explorers  # noqa: E402 - the book's own Sphinx extension


def test_states_drawn_ahead_are_waited_for_and_drawn_in_line_if_the_drawing_stops(tmp_path, monkeypatch):
    from rlbits import widgets

    grid = widgets.STATIC_GRIDS["selfplay"]  # the smallest grid

    # the drawing ahead (the extension run as a script) draws the grid; the page waits for it
    ahead = tmp_path / "ahead"
    proc = subprocess.Popen([sys.executable, live_explorers.__file__, str(ahead), grid.name], cwd=ROOT)
    monkeypatch.setattr(live_explorers, "_AHEAD", {"proc": proc, "names": {grid.name}, "log": tmp_path / "log"})
    draw_in_line = live_explorers.generate_states

    def no_drawing_here(*args, **kwargs):
        raise AssertionError("the page drew the states instead of waiting for the drawing ahead")

    monkeypatch.setattr(live_explorers, "generate_states", no_drawing_here)
    folder, manifest = live_explorers.ensure_states(ahead, grid)
    monkeypatch.setattr(live_explorers, "generate_states", draw_in_line)
    assert proc.wait(timeout=60) == 0
    assert manifest["states"] == grid.size == len(list(folder.glob("*.png"))) == len(list(folder.glob("narrow/*.png")))

    # a drawing ahead that stopped before drawing it: the page draws the states itself
    stopped = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    stopped.wait(timeout=60)
    monkeypatch.setattr(live_explorers, "_AHEAD", {"proc": stopped, "names": {grid.name}, "log": tmp_path / "log"})
    in_line = tmp_path / "in-line"
    folder2, manifest2 = live_explorers.ensure_states(in_line, grid)
    assert manifest2["alts"] == manifest["alts"]
    assert not list(in_line.glob(".*.partial")), "only whole folders are left"
    for png in folder.rglob("*.png"):
        same = folder2 / png.relative_to(folder)
        assert same.read_bytes() == png.read_bytes(), png.relative_to(folder)


def test_the_block_serves_the_narrow_variant_to_phones_at_half_its_pixels(tmp_path):
    """The page's <picture>: the narrow state for screens matching NARROW_MEDIA, the wide one otherwise,
    each with width and height in CSS px half its pixels (drawn at 2x), and each variant's drawing
    dpi and smallest font in the state data (what the Chromium test turns into CSS px)."""
    import json
    import re

    from rlbits import widgets

    grid = widgets.STATIC_GRIDS["selfplay"]
    manifest = live_explorers.generate_states(grid, tmp_path, limit=2)
    wide, narrow = manifest["variants"]["wide"], manifest["variants"]["narrow"]
    assert (wide["width"], wide["height"]) == (round(grid.figsize[0] * 200), round(grid.figsize[1] * 200))
    (narrow_w, narrow_h), rows, cols = grid.layout("narrow")
    assert (rows, cols) == (2, 1), "the two panels stacked"
    assert (narrow["width"], narrow["height"]) == (round(widgets.NARROW_WIDTH * 200), round(narrow_h * 200))
    manifest["hash"] = "x"
    manifest["alts"] = manifest["alts"] * grid.size  # two states drawn; the page indexes the default one
    page = live_explorers.explorer_html(grid, manifest, "B/", (None, None))
    source = re.search(r'<source media="([^"]+)" srcset="([^"]+)" width="(\d+)" height="(\d+)">', page)
    img = re.search(r'<img class="live-explorer-image" src="([^"]+)" alt="[^"]*" width="(\d+)" height="(\d+)"', page)
    assert source and img, page
    key = grid.default_key()
    assert source.groups() == (live_explorers.NARROW_MEDIA, f"B/narrow/{key}.png", str(narrow["width"] // 2),
                               str(narrow["height"] // 2))
    assert img.groups() == (f"B/{key}.png", str(wide["width"] // 2), str(wide["height"] // 2))
    data = json.loads(re.search(r'class="live-explorer-data">(.*?)</script>', page).group(1))
    assert data["variants"]["narrow"] == {"dpi": 200, "min_text_pt": narrow["min_text_pt"]}
    assert 7 <= narrow["min_text_pt"] <= 12
    for state in ("0", "1"):
        assert (tmp_path / f"{state}.png").is_file() and (tmp_path / "narrow" / f"{state}.png").is_file()
