"""The static website's explorer states: the cold cost of drawing them at build time, and their size.

Every state of every explorer's grid (``rlbits.widgets.STATIC_GRIDS``) is drawn into a temporary
folder exactly as the book build draws it (``_ext/live_explorers.py``, ``generate_states``),
including the simulations the panels need (self-play curves, the Chapter 6 training grid). A
rebuild with ``rlbits`` unchanged reuses the cached states and costs nothing here.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from ._common import ROOT


def _generator():
    if str(ROOT / "_ext") not in sys.path:
        sys.path.insert(0, str(ROOT / "_ext"))
    import live_explorers  # noqa: PLC0415 - the book's own Sphinx extension

    return live_explorers


def bench_states(quick: bool = False) -> list[dict[str, Any]]:
    """Seconds and bytes to draw every state of each explorer, both variants (the first 4 of each when ``quick``).

    ``bytes`` is what the explorer adds to the site (wide and narrow variants); a reader fetches one
    variant per move (``mean_state_bytes`` on a wide screen, ``mean_narrow_state_bytes`` on a phone).
    """
    from rlbits import widgets

    gen = _generator()
    rows = []
    for name, grid in widgets.STATIC_GRIDS.items():
        with tempfile.TemporaryDirectory(prefix=f"bps-states-{name}-") as tmp:
            m = gen.generate_states(grid, Path(tmp), limit=4 if quick else None)
        wide, narrow = m["variants"]["wide"], m["variants"]["narrow"]
        rows.append({"explorer": name, "states": m["states"], "grid_states": grid.size, "seconds": m["seconds"],
                     "ms_per_state": 1e3 * m["seconds"] / m["states"], "bytes": m["bytes"],
                     "mean_state_bytes": wide["bytes"] / m["states"],  # what a reader fetches per move
                     "mean_narrow_state_bytes": narrow["bytes"] / m["states"],
                     "width_px": wide["width"], "height_px": wide["height"],
                     "narrow_width_px": narrow["width"], "narrow_height_px": narrow["height"]})
    return rows
