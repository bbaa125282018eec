"""Chapter 5, "Self-play and distillation": the self-play explorer."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from ..selfplay import (  # noqa: F401 - the state, its settings and cache
    _SELFPLAY_CACHE, _SELFPLAY_SETTINGS, SELFPLAY_OPPONENTS, SelfPlayPanel, _selfplay_curves, selfplay_panel)
from ..plotting import COLORS, LINESTYLES
from ._common import Control, LiveFigure, StaticGrid


def draw_selfplay_panel(axes, panel: SelfPlayPanel, *, title: str | None = None) -> None:
    """Draw ``panel`` on two axes: the learner's skill (left) and the outcome bits per game (right).

    Skill in logits, bits per game. Chapter 5, "Explore: opponent strength".

    Parameters
    ----------
    axes : sequence of matplotlib.axes.Axes
        Exactly two axes, drawn left and right.
    panel : SelfPlayPanel
        The state to draw, from its panel function.
    title : str, optional
        The axes' title (none by default).

    Returns
    -------
    None
        The artists are added to the axes.

    Raises
    ------
    ValueError
        If ``panel`` is not a :class:`~rlbits.selfplay.SelfPlayPanel`.
    """
    if not isinstance(panel, SelfPlayPanel):
        raise ValueError(f"panel must be a SelfPlayPanel, got {type(panel).__name__}")
    if len(axes) != 2:
        raise ValueError(f"axes must hold exactly two axes, got {len(axes)}")
    ax_skill, ax_bits = axes
    g = panel.games
    for ax, (own, own_se, fix, fix_se) in [
        (ax_skill, (panel.self_skill, panel.self_skill_se, panel.fixed_skill, panel.fixed_skill_se)),
        (ax_bits, (panel.self_bits, None, panel.fixed_bits, panel.fixed_bits_se)),
    ]:
        ax.plot(g, own, color=COLORS["sl"], linestyle=LINESTYLES["sl"], label="self-play")
        if own_se is not None:
            ax.fill_between(g, own - 2 * own_se, own + 2 * own_se, color=COLORS["sl"], alpha=0.2)
        ax.plot(g, fix, color=COLORS["rl"], linestyle=LINESTYLES["rl"],
                label=f"fixed opponent, skill {panel.opponent:+.1f}")
        ax.fill_between(g, fix - 2 * fix_se, fix + 2 * fix_se, color=COLORS["rl"], alpha=0.2)
        ax.set_xlabel("games played")
    ax_skill.axhline(panel.opponent, color=COLORS["reference"], linestyle=LINESTYLES["reference"],
                     linewidth=1, label="fixed opponent's skill")
    ax_skill.set_ylabel("learner's skill (skill units)")
    ax_skill.legend(loc="upper left")
    ax_bits.axhline(1.0, color=COLORS["reference"], linestyle=LINESTYLES["reference"], linewidth=1,
                    label="1 bit (win probability 1/2)")
    ax_bits.set_ylim(0, 1.1)
    ax_bits.set_ylabel("entropy of the outcome, H_b(w) (bits per game)")
    ax_bits.legend(loc="lower right")
    ax_skill.set_title(title or f"opponent skill {panel.opponent:+.1f}: learner's skill")
    ax_bits.set_title("entropy of each game's outcome")


def selfplay_explorer():
    """Build the Chapter 5 explorer: the fixed opponent's skill → learning curves and bits per game.

    Returns ``(control, update)``; ``update(opponent)`` redraws and returns the :class:`~rlbits.selfplay.SelfPlayPanel`.
    Chapter 5, "Explore: opponent strength".

    Returns
    -------
    tuple of (ipywidgets.Widget, callable)
        ``control``, the widget to display, and ``update(opponent)``, which redraws the figure
        and returns the panel it drew:

        - ``opponent`` (float): the fixed opponent's skill minus the learner's start (logits).

    Raises
    ------
    ImportError
        If ipywidgets is not installed (the explorers need Jupyter; the pure panel functions do not).
    ValueError
        Never from the builder, which takes no input; ``update`` raises it as :func:`rlbits.selfplay.selfplay_panel` does (a non-finite ``opponent``).
    """
    import ipywidgets as widgets

    live = LiveFigure("selfplay", (10.5, 3.9), ncols=2)  # one figure for the explorer's life

    def update(opponent: float = 4.0) -> SelfPlayPanel:
        panel = selfplay_panel(opponent)
        live.show(lambda axes: draw_selfplay_panel(axes, panel))
        return panel

    o = widgets.FloatSlider(value=4.0, min=SELFPLAY_OPPONENTS[0], max=SELFPLAY_OPPONENTS[-1], step=0.5,
                            description="opponent skill")
    return live.explorer(update, {"opponent": o}, [[o]]), update


# --- The static website: the states precomputed at build time ---


def _describe_selfplay(panel: SelfPlayPanel) -> str:
    """Alt text for one state of the self-play explorer."""
    return (f"Two panels against games played, self-play beside a fixed opponent of skill {panel.opponent:+.0f}. "
            f"Left: after {int(panel.games[-1]):,} games the self-play learner's skill is "
            f"{panel.self_skill[-1]:.2f} and the fixed-opponent learner's {panel.fixed_skill[-1]:.2f}. Right: "
            f"each game's outcome carries on average {float(np.mean(panel.self_bits)):.2f} bits in self-play and "
            f"{float(np.mean(panel.fixed_bits)):.2f} bits against the fixed opponent.")


_OPPONENTS = tuple(float(x) for x in range(-6, 9))

#: The self-play explorer's states on the static website (15).
SELFPLAY_GRID = StaticGrid(
    name="selfplay", title="Self-play explorer", figsize=(10.5, 3.9),
    controls=(Control("opponent", "opponent skill", _OPPONENTS, tuple(f"{x:+.0f}" for x in _OPPONENTS),
                      default=10),),
    panel=selfplay_panel,
    draw=draw_selfplay_panel,
    ncols=2,
    describe=_describe_selfplay,
)


# The explorer's state (computed in its concept module), drawing, builder and static-site grid.
__all__ = ["SELFPLAY_GRID", "SELFPLAY_OPPONENTS", "SelfPlayPanel", "draw_selfplay_panel", "selfplay_explorer",
           "selfplay_panel"]
