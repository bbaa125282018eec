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
