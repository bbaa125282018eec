"""Shared by every measure: where results go, the goals, timing helpers and the machine's description."""

from __future__ import annotations

import datetime as _dt
import math
import os
import platform
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np


ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results.json"
SCHEMA = 1

#: The goals the book's benchmark is held to (see the "Performance" appendix).
GOALS = {
    "widget_p95_ms": 100.0,  # every kernel explorer update (compute, redraw, PNG), 95th percentile
    "widget_median_ms": 50.0,  # every kernel explorer update, median
    "live_site_p95_ms": 50.0,  # a move on the static site shows its figure (Chromium, cold cache), p95
    "page_initial_bytes": 1_500_000,  # a chapter page's own weight at load (HTML + images), bytes
    "information_V1e6_ms": 50.0,  # every information measure on one distribution of 10^6 outcomes
    "floor_ratio": 2.0,  # time / time of the bare NumPy expression, for V >= 10^5 and the batch
    "chapter_seconds": 20.0,  # execution time of every chapter in the cold build
    "rebuild_fraction": 0.5,  # a rebuild with nothing changed, as a fraction of the cold build
}



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
