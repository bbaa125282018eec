"""Chapter 5, "Self-play and distillation": the self-play explorer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import NDArray

from .. import _validate
from ..plotting import COLORS, LINESTYLES
from ._common import Control, LiveFigure, StaticGrid


@dataclass(frozen=True)
class SelfPlayPanel:
    """Self-play against a fixed opponent of skill ``opponent`` (gap to the learner's start, logits).

    ``games``: games played; ``*_skill`` and ``*_bits``: mean over runs of the learner's skill (logits)
    and of the bits per game carried by the outcome, with standard errors ``*_se``.
    """

    opponent: float
    games: NDArray[np.int64]
    self_skill: NDArray[np.float64]
    self_skill_se: NDArray[np.float64]
    self_bits: NDArray[np.float64]
    fixed_skill: NDArray[np.float64]
    fixed_skill_se: NDArray[np.float64]
    fixed_bits: NDArray[np.float64]
    fixed_bits_se: NDArray[np.float64]


_SELFPLAY_SETTINGS = {"n_games": 1600, "n_runs": 40, "learning_rate": 0.1}


_SELFPLAY_CACHE: dict = {}

#: The explorer slider's opponent skills (-6 to 8 in steps of 0.5), rounded as the cache keys them.
_SLIDER_OPPONENTS: tuple[float, ...] = tuple(round(float(x), 6) for x in np.arange(-6.0, 8.0 + 0.25, 0.5))


def _selfplay_curves(opponent: str | float, seed: int):
    """Simulate (once per opponent and seed) the explorer's learning curves; later calls reuse them.

    A fixed opponent missing from the cache is simulated together with every slider value not yet
    cached, in one vectorised run (the same curves as one run each, for the cost of a few): after the
    explorer's first draw no move of its slider simulates anything.
    """
    from .. import selfplay

    key = (opponent, seed)
    if key not in _SELFPLAY_CACHE:
        rng = np.random.default_rng(seed)
        if isinstance(opponent, str):
            _SELFPLAY_CACHE[key] = selfplay.simulate_training(opponent, rng=rng, **_SELFPLAY_SETTINGS)
        else:
            batch = [opponent, *(o for o in _SLIDER_OPPONENTS if o != opponent and (o, seed) not in _SELFPLAY_CACHE)]
            curves = selfplay._simulate_training_against(batch, rng=rng, **_SELFPLAY_SETTINGS)
            _SELFPLAY_CACHE.update({(o, seed): c for o, c in zip(batch, curves)})
    return _SELFPLAY_CACHE[key]


def selfplay_panel(opponent: float, *, seed: int = 0) -> SelfPlayPanel:
    """Learning curves of self-play and of training against a fixed opponent of skill ``opponent``.

    Small simulation (40 runs of 1,600 games, Chapter 5 defaults); every curve is cached, and the
    first fixed opponent simulated brings all the slider's opponents with it (see ``_selfplay_curves``),
    so that a redraw stays fast. Skills are relative to the learner's start (0). Chapter 5,
    "Self-play and the outcome signal".
    """
    o = float(opponent)
    if not np.isfinite(o):
        raise ValueError(f"opponent must be a finite skill, got {opponent!r}")
    seed = _validate.positive_int(seed, "seed", minimum=0)
    own = _selfplay_curves("self", seed)
    fixed = _selfplay_curves(round(o, 6), seed)
    s_mean, s_se = own.mean_and_se("skill")
    b_mean, _ = own.mean_and_se("outcome_bits")
    f_mean, f_se = fixed.mean_and_se("skill")
    fb_mean, fb_se = fixed.mean_and_se("outcome_bits")
    return SelfPlayPanel(o, own.games, s_mean, s_se, b_mean, f_mean, f_se, fb_mean, fb_se)


def draw_selfplay_panel(axes, panel: SelfPlayPanel, *, title: str | None = None) -> None:
    """Draw ``panel`` on two axes: the learner's skill (left) and the outcome bits per game (right)."""
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

    Returns ``(control, update)``; ``update(opponent)`` redraws and returns the :class:`SelfPlayPanel`.
    """
    import ipywidgets as widgets

    live = LiveFigure("selfplay", (10.5, 3.9), ncols=2)  # one figure for the explorer's life

    def update(opponent: float = 4.0) -> SelfPlayPanel:
        panel = selfplay_panel(opponent)
        live.show(lambda axes: draw_selfplay_panel(axes, panel))
        return panel

    o = widgets.FloatSlider(value=4.0, min=_SLIDER_OPPONENTS[0], max=_SLIDER_OPPONENTS[-1], step=0.5,
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


# Every panel, draw_* function and *_explorer builder defined above.
__all__ = sorted(name for name, obj in list(globals().items())
                 if not name.startswith("_") and getattr(obj, "__module__", None) == __name__)
