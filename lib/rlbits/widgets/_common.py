"""Helpers shared by every chapter's explorer."""

from __future__ import annotations

# Axes positions of each explorer's figure, solved once by the layout engine and then reused.
_LAYOUTS: dict[str, list] = {}


def _fast_redraw(fig, key: str) -> None:
    """Make an explorer's figure cheap to redraw on every slider move (the static figures are unchanged).

    Two things dominate a redraw: creating minor ticks on log axes, and solving the constrained
    layout. Minor ticks are switched off, and the layout is solved on the first redraw of each
    explorer and its axes positions reused afterwards (the figure size and panels never change
    between redraws of one explorer; only data, titles and limits do).
    """
    for ax in fig.axes:
        ax.minorticks_off()
    positions = _LAYOUTS.get(key)
    if positions is not None and len(positions) == len(fig.axes):
        fig.set_layout_engine("none")
        for ax, pos in zip(fig.axes, positions):
            ax.set_position(pos)
    else:
        fig.canvas.draw()  # solves the layout
        _LAYOUTS[key] = [ax.get_position() for ax in fig.axes]
        fig.set_layout_engine("none")
