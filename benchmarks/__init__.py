"""The book's performance benchmarks: what a reader feels, measured in one place.

Readers and instructors feel performance as how long the book takes to build and each chapter to
run, how fast an interactive figure answers a slider, and how far the information measures and
simulations scale. Every section below measures one of these as medians and 95th percentiles
from a single run (machines are noisy; nothing here is a pass/fail timing test):

- :func:`bench_build`: a cold ``jupyter-book build`` of the whole book with execution into a
  temporary ``--path-output``, per-chapter execution time from the build's execution cache, and a
  rebuild with nothing changed (cache hit) as a fraction of the cold build;
- :func:`bench_widgets`: every ``*_explorer`` in :mod:`rlbits.widgets`, found by name, its update
  callback called with varied inputs drawn from its own sliders, the figure rendered with Agg;
- :func:`bench_information`: :mod:`rlbits.information` at V = 10^3, 10^5, 10^6 and a batch of
  1,000 distributions at V = 1,000, against a bare NumPy expression doing the same arithmetic;
- :func:`bench_growth`: time against the size of the work (V, number of samples) with the
  fitted log-log exponent;
- the Chapter 6 training simulator against its per-sample Python reference, from
  ``benchmarks/training.py`` when that module exists.

Run ``python -m benchmarks`` (``--help`` for options); it prints a table and writes
``benchmarks/results.json``, which the book's "Performance" appendix reads.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import inspect
import json
import math
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results.json"
SCHEMA = 1

#: The goals the book's benchmark is held to (see the "Performance" appendix).
GOALS = {
    "widget_p95_ms": 50.0,  # every widget update (compute + Agg redraw), 95th percentile
    "information_V1e6_ms": 50.0,  # every information measure on one distribution of 10^6 outcomes
    "floor_ratio": 2.0,  # time / time of the bare NumPy expression, for V >= 10^5 and the batch
    "chapter_seconds": 20.0,  # execution time of every chapter in the cold build
    "rebuild_fraction": 0.5,  # a rebuild with nothing changed, as a fraction of the cold build
}

# ---------------------------------------------------------------------------------------------
# timing helpers


def _summary(times_s: list[float] | np.ndarray) -> dict[str, float]:
    """Median, 95th percentile, min and count of a list of durations in seconds, reported in ms."""
    t = np.asarray(times_s, dtype=np.float64) * 1e3
    return {
        "median_ms": float(np.median(t)),
        "p95_ms": float(np.percentile(t, 95)),
        "min_ms": float(t.min()),
        "calls": int(t.size),
    }


def _time_calls(fn: Callable[[], Any], *, budget_s: float, min_calls: int, max_calls: int) -> list[float]:
    """Call ``fn`` repeatedly (one warm-up call first) and return the duration of each call in seconds."""
    fn()
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < max_calls and (len(times) < min_calls or time.perf_counter() - start < budget_s):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def _time_pair(fn: Callable[[], Any], floor: Callable[[], Any], *, budget_s: float, min_calls: int,
               max_calls: int) -> tuple[list[float], list[float]]:
    """Time ``fn`` and ``floor`` interleaved call by call, in alternating order, so that machine
    noise (and the allocator's state each leaves behind) affects both alike."""
    fn()
    floor()
    a: list[float] = []
    b: list[float] = []
    start = time.perf_counter()
    while len(a) < max_calls and (len(a) < min_calls or time.perf_counter() - start < budget_s):
        first, second, t_first, t_second = (fn, floor, a, b) if len(a) % 2 == 0 else (floor, fn, b, a)
        t0 = time.perf_counter()
        first()
        t1 = time.perf_counter()
        second()
        t2 = time.perf_counter()
        t_first.append(t1 - t0)
        t_second.append(t2 - t1)
    return a, b


def fit_exponent(x: list[float] | np.ndarray, y: list[float] | np.ndarray) -> float:
    """Least-squares slope of ``log y`` against ``log x``: time grows like ``x ** slope``."""
    lx, ly = np.log(np.asarray(x, dtype=float)), np.log(np.asarray(y, dtype=float))
    return float(np.polyfit(lx, ly, 1)[0])


def machine_info() -> dict[str, Any]:
    """What the numbers were measured on: CPU count, platform, Python and library versions, date."""
    import matplotlib

    info: dict[str, Any] = {
        "date_utc": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "matplotlib": matplotlib.__version__,
    }
    try:
        info["load_average_1min"] = round(os.getloadavg()[0], 2)
    except OSError:  # not available on every platform
        pass
    for dist in ("jupyter-book", "myst-nb"):
        try:
            from importlib.metadata import version

            info[dist] = version(dist)
        except Exception:  # noqa: BLE001 - informative only
            pass
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# ---------------------------------------------------------------------------------------------
# 1. the book: cold build, per-chapter execution time, rebuild with nothing changed


def _jupyter_book() -> str:
    exe = Path(sys.executable).parent / "jupyter-book"
    return str(exe) if exe.exists() else "jupyter-book"


def _build_once(out: Path) -> tuple[float, subprocess.CompletedProcess]:
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # Agg would drop every figure
    t0 = time.perf_counter()
    proc = subprocess.run(
        [_jupyter_book(), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600,
    )
    return time.perf_counter() - t0, proc


def _chapter_times(out: Path) -> list[dict[str, Any]]:
    """Per-notebook execution seconds as recorded by jupyter-cache during the build."""
    rows: list[dict[str, Any]] = []
    for db in sorted(out.rglob(".jupyter_cache/global.db")):
        con = sqlite3.connect(db)
        try:
            cur = con.execute("SELECT uri, data FROM nbcache")
            for uri, data in cur.fetchall():
                seconds = json.loads(data or "{}").get("execution_seconds")
                path = Path(uri)
                try:
                    name = path.relative_to(ROOT).as_posix()
                except ValueError:
                    name = path.name
                rows.append({"notebook": name, "seconds": None if seconds is None else float(seconds)})
        finally:
            con.close()
    return sorted(rows, key=lambda r: r["notebook"])


def bench_build(quick: bool = False) -> dict[str, Any]:
    """Cold build of the whole book into a temporary ``--path-output``, then a rebuild with nothing changed.

    The build runs as the test suite runs it (``-W -n --keep-going``, every notebook executed). If
    it reports warnings or errors the times are still recorded, with ``returncode`` and the end of
    the log, so that a failing chapter is visible rather than hidden.
    """
    tmp = Path(tempfile.mkdtemp(prefix="bps-bench-build-"))
    try:
        cold_s, proc = _build_once(tmp)
        log = proc.stdout + proc.stderr
        chapters = _chapter_times(tmp)
        if not (tmp / "_build" / "html" / "index.html").exists():
            return {"status": "failed", "note": f"jupyter-book build exited with {proc.returncode} and wrote no HTML",
                    "log_tail": log[-2000:]}
        rebuild_s, proc2 = _build_once(tmp)
        executed = sum(r["seconds"] or 0.0 for r in chapters)
        out = {
            "status": "measured",
            "cold_seconds": cold_s,
            "rebuild_seconds": rebuild_s,
            "rebuild_fraction": rebuild_s / cold_s,
            "returncode": proc.returncode,
            "rebuild_returncode": proc2.returncode,
            "warnings": sum("WARNING:" in line for line in log.splitlines() if "[IPKernelApp]" not in line),
            "execution_seconds_total": executed,
            "other_seconds": cold_s - executed,
            "chapters": chapters,
        }
        if proc.returncode != 0:
            problems = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
            out["log_tail"] = "\n".join(problems)[-2000:]
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# 2. widgets: every *_explorer's update callback, compute and Agg redraw


def _walk_widgets(w: Any) -> list[Any]:
    found = [w]
    for child in getattr(w, "children", ()) or ():
        found.extend(_walk_widgets(child))
    return found


def _controls_of(control: Any, update: Callable[..., Any]) -> dict[str, Any]:
    """Map each argument of ``update`` to the slider (or buttons) that drives it.

    ``ipywidgets.interactive_output`` registers an observer on each control whose closure holds the
    ``{argument: widget}`` mapping; read it from there. If that ever changes, fall back to matching
    the value widgets in display order with the arguments of ``update`` in order.
    """
    value_widgets = [w for w in _walk_widgets(control) if hasattr(w, "value") and hasattr(w, "description")]
    for w in value_widgets:
        for handler in w._trait_notifiers.get("value", {}).get("change", []):
            fn = getattr(handler, "__func__", handler)
            code, cells = getattr(fn, "__code__", None), getattr(fn, "__closure__", None)
            if code is None or cells is None or "controls" not in code.co_freevars:
                continue
            controls = cells[code.co_freevars.index("controls")].cell_contents
            if isinstance(controls, dict) and all(k in inspect.signature(update).parameters for k in controls):
                return dict(controls)
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
    """Time every widget's update (compute + Agg redraw) over ``calls`` varied inputs (≥ 50 unless quick).

    Each call runs ``update(**kwargs)`` exactly as the slider would, then renders the figure it
    opened with the Agg canvas (``fig.canvas.draw()``), and closes it. The ``*_panel`` functions
    are wrapped to split the time into computing and drawing (figure creation, the ``draw_*``
    function and Agg rendering). The PNG encoding that the Jupyter inline backend adds on top is
    reported separately.
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
    with contextlib.redirect_stdout(io.StringIO()):  # interactive_output's first draw, outside a kernel
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
        "meets_goal": row["p95_ms"] <= GOALS["widget_p95_ms"],
    })
    if errors:
        row["rejected_examples"] = errors[:3]
    return row


# ---------------------------------------------------------------------------------------------
# 3. rlbits.information against the bare NumPy floor


def _floors() -> dict[str, tuple[Callable[..., Any], Callable[..., Any], str]]:
    """Each measure, called as the book calls it, and the bare NumPy expression of its arithmetic."""
    from rlbits import information as info

    def nlog(x):
        return np.log2(x)

    def rl_given(p, q, a):
        # -log2(1 - p_j) for every outcome, the sum of p_j times it, the answer's own term swapped
        s = -np.log2(1.0 - p)
        return (p * s).sum(-1) - p[..., a] * s[..., a] - p[..., a] * np.log2(p[..., a])

    return {
        "entropy": (lambda p, q, a: info.entropy(p), lambda p, q, a: -(p * nlog(p)).sum(-1),
                    "-(p*log2 p).sum()"),
        "expected_sl_bits": (lambda p, q, a: info.expected_sl_bits(p), lambda p, q, a: -(p * nlog(p)).sum(-1),
                             "-(p*log2 p).sum()"),
        "cross_entropy": (lambda p, q, a: info.cross_entropy(p, q), lambda p, q, a: -(p * nlog(q)).sum(-1),
                          "-(p*log2 q).sum()"),
        "kl_divergence": (lambda p, q, a: info.kl_divergence(p, q), lambda p, q, a: (p * nlog(p / q)).sum(-1),
                          "(p*log2(p/q)).sum()"),
        "binary_entropy": (lambda p, q, a: info.binary_entropy(p),
                           lambda p, q, a: -(p * nlog(p)) - (1 - p) * nlog(1 - p),
                           "-p*log2 p - (1-p)*log2(1-p)"),
        "expected_rl_bits": (lambda p, q, a: info.expected_rl_bits(p),
                             lambda p, q, a: (p * (-(p * nlog(p)) - (1 - p) * nlog(1 - p))).sum(-1),
                             "(p*H_b(p)).sum(), H_b as above"),
        "rl_bits_given_answer": (lambda p, q, a: info.rl_bits_given_answer(p, a), rl_given,
                                 "(p*-log2(1-p)).sum() with the answer's term swapped"),
        "surprisal": (lambda p, q, a: info.surprisal(p), lambda p, q, a: -nlog(p), "-log2 p"),
    }


def _cases(quick: bool) -> list[dict[str, Any]]:
    cases = [{"case": "V=10^3", "V": 10**3, "batch": 1},
             {"case": "V=10^5", "V": 10**5, "batch": 1},
             {"case": "V=10^6", "V": 10**6, "batch": 1},
             {"case": "1,000 x V=10^3", "V": 10**3, "batch": 1000}]
    return cases[:2] if quick else cases


def _dirichlet(rng: np.random.Generator, V: int, batch: int) -> np.ndarray:
    """Distributions with no zero entry (so the floors are finite), normalised to sum to 1."""
    x = rng.standard_exponential(size=(batch, V) if batch > 1 else V) + 1e-12
    return x / x.sum(axis=-1, keepdims=True)


def bench_information(quick: bool = False, seed: int = 1) -> list[dict[str, Any]]:
    """Time per call, throughput and ratio to the NumPy floor for each measure and size."""
    rng = np.random.default_rng(seed)
    rows = []
    for case in _cases(quick):
        V, batch = case["V"], case["batch"]
        p, q = _dirichlet(rng, V, batch), _dirichlet(rng, V, batch)
        a = 1
        work = V * batch
        budget = 0.15 if quick else 0.8
        for name, (fn, floor, expr) in _floors().items():
            t_fn, t_floor = _time_pair(lambda: fn(p, q, a), lambda: floor(p, q, a), budget_s=budget,
                                       min_calls=5 if quick else 15, max_calls=2000)
            s, f = _summary(t_fn), _summary(t_floor)
            ratio = s["median_ms"] / f["median_ms"]
            goal_applies = work >= 10**5
            rows.append({
                "function": name, **case, "entries": work,
                "median_ms": s["median_ms"], "p95_ms": s["p95_ms"], "calls": s["calls"],
                "floor_median_ms": f["median_ms"], "floor_expression": expr,
                "ratio_to_floor": ratio,
                "entries_per_second": work / (s["median_ms"] / 1e3),
                "floor_goal_applies": goal_applies,
                "meets_floor_goal": (ratio <= GOALS["floor_ratio"]) if goal_applies else None,
                "meets_time_goal": (s["median_ms"] <= GOALS["information_V1e6_ms"])
                if (V == 10**6 and batch == 1) else None,
            })
    return rows


# ---------------------------------------------------------------------------------------------
# 4. growth: time against V and against the number of samples, with the fitted exponent


def bench_growth(quick: bool = False, seed: int = 2) -> list[dict[str, Any]]:
    """Median time at each size and the log-log slope fitted over the sizes where the work dominates."""
    from rlbits import gradients, information, simulate

    rng = np.random.default_rng(seed)
    budget = 0.1 if quick else 0.5
    series = []

    sizes_v = [10**k for k in (2, 3, 4, 5)] if quick else [10**k for k in (2, 3, 4, 5, 6)] + [3 * 10**6]
    for name, fn in (("entropy", information.entropy), ("expected_rl_bits", information.expected_rl_bits)):
        med = []
        for V in sizes_v:
            p = _dirichlet(rng, V, 1)
            med.append(_summary(_time_calls(lambda: fn(p), budget_s=budget, min_calls=5, max_calls=3000))["median_ms"])
        series.append(_series(f"information.{name}", "V (outcomes)", sizes_v, med))

    probs = _dirichlet(rng, 1000, 1)
    sizes_n = [10**k for k in (2, 3, 4, 5)] if quick else [10**k for k in (2, 3, 4, 5, 6)]
    med = []
    for n in sizes_n:
        r = np.random.default_rng(seed)
        med.append(_summary(_time_calls(lambda: simulate.observed_bits(probs, n, r), budget_s=budget,
                                        min_calls=5, max_calls=3000))["median_ms"])
    series.append(_series("simulate.observed_bits (V = 1,000)", "samples", sizes_n, med))

    pi = _dirichlet(rng, 10, 1)
    batches = [10, 100, 1000] if quick else [10, 100, 1000, 10000, 100000]
    med = []
    for m in batches:
        r = np.random.default_rng(seed)
        med.append(_summary(_time_calls(lambda: gradients.reinforce_batch_means(pi, 0, 0.0, 64, m, r),
                                        budget_s=budget, min_calls=5, max_calls=3000))["median_ms"])
    series.append(_series("gradients.reinforce_batch_means (V = 10, batch 64)", "samples",
                          [64 * m for m in batches], med))
    return series


def _series(name: str, x_label: str, x: list[int], median_ms: list[float]) -> dict[str, Any]:
    """One growth series; the exponent is fitted over the upper sizes (≥ 1,000× the smallest work)."""
    upper = [i for i, xi in enumerate(x) if xi >= 100 * x[0]] or list(range(len(x)))
    if len(upper) < 2:
        upper = list(range(len(x)))
    return {
        "name": name, "x_label": x_label, "x": [int(v) for v in x], "median_ms": median_ms,
        "exponent": fit_exponent([x[i] for i in upper], [median_ms[i] for i in upper]),
        "exponent_all": fit_exponent(x, median_ms),
        "fit_from": int(x[upper[0]]),
    }


# ---------------------------------------------------------------------------------------------
# 5. the Chapter 6 training simulator (its benchmark lives in benchmarks/training.py)


def bench_training(quick: bool = False) -> dict[str, Any]:
    """The training simulator against its per-sample Python reference, if ``benchmarks.training`` exists."""
    try:
        mod = importlib.import_module("benchmarks.training")
    except ModuleNotFoundError as exc:
        if exc.name not in ("benchmarks.training",):
            return {"status": "error", "note": f"benchmarks.training could not be imported: {exc}"}
        return {"status": "skipped", "note": "no benchmarks/training.py yet (Chapter 6 simulator)"}
    try:
        out = mod.run(quick=quick)
    except Exception as exc:  # noqa: BLE001 - report, never hide, a failing sub-benchmark
        return {"status": "error", "note": f"benchmarks.training.run failed: {type(exc).__name__}: {exc}"}
    return {"status": "measured", **_jsonable(out)}


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


# ---------------------------------------------------------------------------------------------
# goals and the whole run


def goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each goal of the benchmark with the measured value, whether it is met, and by how much."""
    out = []
    ws = [r for r in results.get("widgets") or [] if "p95_ms" in r]
    if len(ws) < len(results.get("widgets") or []):
        out.append({"goal": "every widget update accepts its sliders' values", "target": 0, "unit": "failures",
                    "measured": len(results["widgets"]) - len(ws), "where": "widgets", "met": False})
    if ws:
        worst = max(ws, key=lambda r: r["p95_ms"])
        out.append({"goal": "widget update p95 (compute + Agg redraw)", "target": GOALS["widget_p95_ms"],
                    "unit": "ms", "measured": worst["p95_ms"], "where": worst["widget"],
                    "met": worst["p95_ms"] <= GOALS["widget_p95_ms"]})
    info = results.get("information") or []
    big = [r for r in info if r["V"] == 10**6 and r["batch"] == 1]
    if big:
        worst = max(big, key=lambda r: r["median_ms"])
        out.append({"goal": "information measure at V = 10^6 (median)", "target": GOALS["information_V1e6_ms"],
                    "unit": "ms", "measured": worst["median_ms"], "where": worst["function"],
                    "met": worst["median_ms"] <= GOALS["information_V1e6_ms"]})
    applies = [r for r in info if r["floor_goal_applies"] and r["function"] != "sl_bits_given_answer"]
    if applies:
        worst = max(applies, key=lambda r: r["ratio_to_floor"])
        out.append({"goal": "ratio to the bare NumPy floor (V ≥ 10^5 and the batch)", "target": GOALS["floor_ratio"],
                    "unit": "x", "measured": worst["ratio_to_floor"], "where": f'{worst["function"]}, {worst["case"]}',
                    "met": worst["ratio_to_floor"] <= GOALS["floor_ratio"]})
    training = results.get("training") or {}
    if training.get("status") == "measured" and isinstance(training.get("speed_ratio"), (int, float)):
        comps = [c for c in training.get("comparisons", []) if isinstance(c, dict) and "speed_ratio" in c]
        worst = min(comps, key=lambda c: c["speed_ratio"]) if comps else {"speed_ratio": training["speed_ratio"]}
        target = float(training.get("goal_ratio", 30.0))
        out.append({"goal": "training simulator speed-up over its per-sample reference (at least)",
                    "target": target, "unit": "x", "measured": float(worst["speed_ratio"]),
                    "where": f'{worst.get("method", "simulator")}, V = {worst.get("V", "?")}',
                    "met": float(worst["speed_ratio"]) >= target, "at_least": True})
    build = results.get("build") or {}
    if build.get("status") == "measured" or build.get("cold_seconds"):
        chapters = [c for c in build.get("chapters", []) if c.get("seconds") is not None]
        if chapters:
            worst = max(chapters, key=lambda c: c["seconds"])
            out.append({"goal": "slowest chapter execution in the cold build", "target": GOALS["chapter_seconds"],
                        "unit": "s", "measured": worst["seconds"], "where": worst["notebook"],
                        "met": worst["seconds"] <= GOALS["chapter_seconds"]})
        if build.get("rebuild_fraction") is not None:
            out.append({"goal": "rebuild with nothing changed, fraction of the cold build",
                        "target": GOALS["rebuild_fraction"], "unit": "x", "measured": build["rebuild_fraction"],
                        "where": "whole book", "met": build["rebuild_fraction"] <= GOALS["rebuild_fraction"]})
    return out


def run(quick: bool = False, skip_build: bool = False, previous: dict[str, Any] | None = None,
        sections: tuple[str, ...] = ("build", "widgets", "information", "growth", "training"),
        log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """Run the benchmark and return the results as a JSON-ready dict.

    With ``skip_build`` the book is not built; if ``previous`` results hold a measured build, that
    section is carried over (marked with the date it was measured), otherwise it is marked skipped.
    """
    results: dict[str, Any] = {"schema": SCHEMA, "quick": quick, "machine": machine_info(), "goals_targets": GOALS}
    results["measured_on"] = {s: results["machine"]["date_utc"] for s in sections}
    if "build" in sections:
        if skip_build:
            prev = (previous or {}).get("build") or {}
            if prev.get("status") == "measured" or prev.get("status") == "carried over":
                then = prev.get("measured_on") or (previous or {}).get("machine", {}).get("date_utc")
                results["build"] = {**prev, "status": "carried over", "measured_on": then}
                results["measured_on"]["build"] = then
            else:
                results["build"] = {"status": "skipped", "note": "run without --skip-build to measure the book build"}
                results["measured_on"].pop("build", None)
        else:
            log("building the whole book twice (cold, then with nothing changed) ...")
            results["build"] = bench_build(quick)
            if results["build"].get("status") == "measured":
                results["build"]["measured_on"] = results["machine"]["date_utc"]
    if "widgets" in sections:
        log("timing every widget update ...")
        results["widgets"] = bench_widgets(quick)
    if "information" in sections:
        log("timing rlbits.information against the NumPy floor ...")
        results["information"] = bench_information(quick)
    if "growth" in sections:
        log("timing growth with V and with the number of samples ...")
        results["growth"] = bench_growth(quick)
    if "training" in sections:
        log("training simulator vs its per-sample reference ...")
        results["training"] = bench_training(quick)
    results["goals"] = goals(results)
    try:
        results["machine"]["load_average_1min_end"] = round(os.getloadavg()[0], 2)
    except OSError:
        pass
    return _jsonable(results)


SECTIONS = ("build", "widgets", "information", "growth", "training")


def merge(previous: dict[str, Any], new: dict[str, Any], sections: tuple[str, ...]) -> dict[str, Any]:
    """``new`` for the sections it measured, ``previous`` for the others; ``measured_on`` says which is which."""
    merged = dict(new)
    measured_on = dict(previous.get("measured_on") or {
        s: previous.get("machine", {}).get("date_utc") for s in SECTIONS if s in previous})
    for section in SECTIONS:
        if section in sections:
            measured_on[section] = new["machine"]["date_utc"]
        elif section in previous:
            merged[section] = previous[section]
    merged["measured_on"] = measured_on
    merged["quick"] = bool(previous.get("quick")) or bool(new.get("quick"))
    merged["goals"] = goals(merged)
    return merged


def load_results(path: Path | str = RESULTS) -> dict[str, Any]:
    """The committed results the book's Performance appendix shows."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
