"""Interactive controls for the chapters, each split into a pure update and a builder.

For every control there is

- a pure function that computes what the control shows (testable and benchmarkable without a
  browser or a kernel),
- a drawing function that renders that state onto matplotlib axes (also used for the static
  figure that tells the same story on the website), and
- a builder that wires ipywidgets sliders to the two and returns ``(control, update)``.

The sliders are live in Binder or Colab. On the static website each explorer shows the states of a
grid of its controls, drawn at build time by the same panel and drawing functions.

One module per chapter holds that chapter's explorer: its drawing function and ``*_explorer``
builder, with the state it shows (a panel dataclass and a pure panel function, which live in the
concept module that computes them, e.g. :func:`rlbits.information.entropy_panel`, and are
re-exported here) (``ch1_entropy``, ``ch2_bits``, ``ch3_update``,
``ch4_sampling``, ``ch5_selfplay``, ``ch6_training``), with the grid of states the static website
precomputes for it (``*_GRID``, collected in :data:`STATIC_GRIDS`); ``_common`` holds the helpers
they share.
Every public name is re-exported here, so ``from rlbits import widgets; widgets.entropy_explorer()``
works as before.
"""

from __future__ import annotations

from . import ch1_entropy, ch2_bits, ch3_update, ch4_sampling, ch5_selfplay, ch6_training
from ._common import (  # noqa: F401 - shared helpers
    NARROW_WIDTH, STATE_DPI, VARIANTS, Control, LiveFigure, StaticGrid, narrow_layout, smallest_text_points)
from .ch1_entropy import *  # noqa: F403
from .ch2_bits import *  # noqa: F403
from .ch3_update import *  # noqa: F403
from .ch4_sampling import *  # noqa: F403
from .ch5_selfplay import *  # noqa: F403
from .ch5_selfplay import _SELFPLAY_CACHE, _SELFPLAY_SETTINGS, _selfplay_curves  # noqa: F401
from .ch6_training import *  # noqa: F403
from .ch6_training import (  # noqa: F401 - the explorer's settings and its cache
    _TRAINING_CACHE, TRAINING_LABELS, TRAINING_LR, TRAINING_METHODS, TRAINING_ROLES, TRAINING_V, _training_grid)

#: The chapter module of each explorer, in chapter order.
CHAPTER_MODULES = (ch1_entropy, ch2_bits, ch3_update, ch4_sampling, ch5_selfplay, ch6_training)

#: Each explorer's states on the static website, by name (the name a chapter page's
#: ``{live-explorer}`` directive uses; see ``_ext/live_explorers.py``).
STATIC_GRIDS: dict[str, StaticGrid] = {g.name: g for g in (
    ch1_entropy.ENTROPY_GRID, ch2_bits.BITS_GRID, ch3_update.UPDATE_GRID, ch4_sampling.SAMPLING_GRID,
    ch5_selfplay.SELFPLAY_GRID, ch6_training.TRAINING_GRID)}

# Every panel, draw_* function and *_explorer builder of the chapter modules, one per chapter section.
# Chapter 7's explorer reads the transformer sweep's JSON (no JAX needed).
from . import ch7_transformer  # noqa: E402
from .ch7_transformer import *  # noqa: F403,E402

CHAPTER_MODULES += (ch7_transformer,)
STATIC_GRIDS[ch7_transformer.TRANSFORMER_GRID.name] = ch7_transformer.TRANSFORMER_GRID

__all__ = sorted(name for module in CHAPTER_MODULES for name in module.__all__
                 if not name.endswith("_GRID") and not name.isupper())
