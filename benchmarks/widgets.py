"""Kernel explorers: every ``*_explorer``'s update callback (compute, redraw of its persistent figure, PNG)."""

from __future__ import annotations

import inspect
import sys
import time
from typing import Any, Callable

import numpy as np

from ._common import GOALS, _summary


def _walk_widgets(w: Any) -> list[Any]:
    found = [w]
    for child in getattr(w, "children", ()) or ():
        found.extend(_walk_widgets(child))
    return found


def _controls_of(control: Any, update: Callable[..., Any]) -> dict[str, Any]:
    """Map each argument of ``update`` to the slider (or buttons) that drives it.

    ``LiveFigure.explorer`` keeps that ``{argument: widget}`` mapping on the box it returns, as
    ``rlbits_controls``. Without it, match the value widgets in display order with the arguments
    of ``update`` in order.
    """
    controls = getattr(control, "rlbits_controls", None)
    if isinstance(controls, dict) and all(k in inspect.signature(update).parameters for k in controls):
        return dict(controls)
    value_widgets = [w for w in _walk_widgets(control) if hasattr(w, "value") and hasattr(w, "description")]
    params = list(inspect.signature(update).parameters)
    return dict(zip(params, value_widgets))


def _choices(widget: Any, n: int, rng: np.random.Generator) -> list[Any]:
    """``n`` valid values for one control: its ends, its default, then random points of its grid."""
    if hasattr(widget, "options") and not hasattr(widget, "min"):
        opts = [o[1] if isinstance(o, tuple) else o for o in widget.options]
        return [opts[i % len(opts)] for i in range(n)]
    lo, hi = widget.min, widget.max
    is_int = isinstance(widget.value, (int, np.integer)) and not isinstance(widget.value, bool)
    if is_int:
        vals = [lo, hi, widget.value] + list(rng.integers(lo, hi + 1, size=max(n - 3, 0)))
        return [int(v) for v in vals[:n]]
    step = widget.step or (hi - lo) / 100
    steps = int(round((hi - lo) / step))
    vals = [lo, hi, widget.value] + [lo + step * k for k in rng.integers(0, steps + 1, size=max(n - 3, 0))]
    return [float(min(max(v, lo), hi)) for v in vals[:n]]


def _explorers() -> dict[str, Callable[[], Any]]:
    from rlbits import widgets

    return {name: getattr(widgets, name) for name in sorted(dir(widgets))
            if name.endswith("_explorer") and callable(getattr(widgets, name))}


class _Stopwatch:
    """Wraps the module-level ``*_panel`` and ``draw_*`` functions of a module to accumulate their time."""

    def __init__(self, module: Any) -> None:
        self.module = module
        self.totals = {"compute": 0.0, "draw": 0.0}  # draw: the draw_* functions alone
        self._depth = {"compute": 0, "draw": 0}
        self._saved: dict[str, Any] = {}

    def __enter__(self) -> "_Stopwatch":
        for name in dir(self.module):
            fn = getattr(self.module, name)
            if not inspect.isfunction(fn):
                continue
            kind = "compute" if name.endswith("_panel") and not name.startswith("draw_") else (
                "draw" if name.startswith("draw_") else None)
            if kind is None:
                continue
            self._saved[name] = fn
            setattr(self.module, name, self._wrap(fn, kind))
        return self

    def _wrap(self, fn: Callable[..., Any], kind: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth[kind]:  # a panel calling another panel: count the outer call only
                return fn(*args, **kwargs)
            self._depth[kind] += 1
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.totals[kind] += time.perf_counter() - t0
                self._depth[kind] -= 1
        return timed

    def __exit__(self, *exc: Any) -> None:
        for name, fn in self._saved.items():
            setattr(self.module, name, fn)


def bench_widgets(quick: bool = False, calls: int | None = None, seed: int = 0) -> list[dict[str, Any]]:
    """Time every kernel explorer's update over ``calls`` varied inputs (≥ 50 unless quick).

    Each call runs ``update(**kwargs)`` exactly as a control's move does in a kernel: compute the
    panel, redraw the explorer's persistent figure and encode the PNG it displays. Any pyplot
    figure an update opened is also rendered with Agg (none since the explorers keep their own
    figure). The ``*_panel`` functions are wrapped to split the time into computing and drawing;
    ``with_png_*`` adds the encoding of pyplot figures as the inline backend would (zero here: the
    explorers' own PNG is already in the update's time).
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from rlbits import plotting

    n = calls if calls is not None else (8 if quick else 60)
    rng = np.random.default_rng(seed)
    with plotting.book_style():  # the chapters apply the book's style (figure size, dpi, fonts)
        rows = [_bench_one_widget(name, build, n, rng) for name, build in _explorers().items()]
    plt.close("all")
    return rows


def _bench_one_widget(name: str, build: Callable[[], Any], n: int, rng: np.random.Generator) -> dict[str, Any]:
    import contextlib
    import io
    import warnings

    import matplotlib.pyplot as plt

    module = sys.modules[build.__module__]  # the chapter module holding its panel and draw functions
    with contextlib.redirect_stdout(io.StringIO()):  # the explorer's first draw, outside a kernel
        control, update = build()
    plt.close("all")
    controls = _controls_of(control, update)
    per_arg = {arg: _choices(w, n, rng) for arg, w in controls.items()}
    inputs = [{arg: vals[i] for arg, vals in per_arg.items()} for i in range(n)]
    total, compute, png, errors = [], [], [], []
    for kwargs in inputs:
        plt.close("all")
        with _Stopwatch(module) as sw, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "FigureCanvasAgg is non-interactive" from plt.show()
            t0 = time.perf_counter()
            try:
                with contextlib.redirect_stdout(io.StringIO()):  # the PNG's display, outside a kernel
                    update(**kwargs)
            except ValueError as exc:  # a slider combination the update rejects: report it
                errors.append(f"{kwargs}: {exc}")
                continue
            for num in plt.get_fignums():
                plt.figure(num).canvas.draw()
            t1 = time.perf_counter()
        total.append(t1 - t0)
        compute.append(sw.totals["compute"])
        buf = io.BytesIO()
        t2 = time.perf_counter()
        for num in plt.get_fignums():
            plt.figure(num).savefig(buf, format="png")
        png.append(time.perf_counter() - t2)
        plt.close("all")
    if not total:
        return {"widget": name, "arguments": sorted(controls), "calls": 0, "rejected_inputs": len(errors),
                "rejected_examples": errors[:3], "meets_goal": False}
    row: dict[str, Any] = {"widget": name, "arguments": sorted(controls), **_summary(total)}
    c, p = _summary(compute), _summary(np.asarray(total) + np.asarray(png))
    row.update({
        "compute_median_ms": c["median_ms"], "compute_p95_ms": c["p95_ms"],
        "draw_median_ms": row["median_ms"] - c["median_ms"],
        "with_png_median_ms": p["median_ms"], "with_png_p95_ms": p["p95_ms"],
        "rejected_inputs": len(errors), "goal_p95_ms": GOALS["widget_p95_ms"],
        "goal_median_ms": GOALS["widget_median_ms"],
        "meets_goal": row["p95_ms"] <= GOALS["widget_p95_ms"] and row["median_ms"] <= GOALS["widget_median_ms"],
    })
    if errors:
        row["rejected_examples"] = errors[:3]
    return row
