"""The book's performance benchmarks: what a reader feels, measured in one place.

Readers and instructors feel performance as how long the book takes to build and each chapter to
run, how fast an interactive figure answers a slider, and how far the information measures and
simulations scale. Every section below measures one of these as medians and 95th percentiles
from a single run (machines are noisy; nothing here is a pass/fail timing test):

- :func:`bench_build`: a cold ``jupyter-book build`` of the whole book with execution into a
  temporary ``--path-output``, per-chapter execution time from the build's execution cache, and a
  rebuild with nothing changed (cache hit) as a fraction of the cold build;
- :func:`bench_widgets`: every ``*_explorer`` in :mod:`rlbits.widgets`, found by name, its update
  callback called with varied inputs drawn from its own sliders: compute, redraw of the explorer's
  persistent figure and the PNG a kernel sends;
- :func:`bench_states`: the cold-build cost and the size of the static website's precomputed
  explorer states;
- :func:`bench_live_site`: the explorers on the built static website in headless Chromium, the
  time from a control's move to its figure on screen (each state's first visit, cache cold);
- :func:`bench_information`: :mod:`rlbits.information` at V = 10^3, 10^5, 10^6 and a batch of
  1,000 distributions at V = 1,000, against a bare NumPy expression doing the same arithmetic;
- :func:`bench_growth`: time against the size of the work (V, number of samples) with the
  fitted log-log exponent;
- the Chapter 6 training simulator against its per-sample Python reference, from
  ``benchmarks/training.py`` when that module exists.

One module per measure: ``build``, ``widgets``, ``states``, ``live_site``, ``information``,
``growth`` and ``simulator`` (which runs ``training``); ``_common`` holds the goals and the timing
helpers; this package runs them (:func:`run`) and checks the goals (:func:`goals`).

Run ``python -m benchmarks`` (``--help`` for options); it prints a table and writes
``benchmarks/results.json``, which the book's "Performance" appendix reads.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable

from ._common import (  # noqa: F401 - the package's public names, as before the split by measure
    GOALS, RESULTS, ROOT, SCHEMA, _jsonable, _summary, _time_calls, _time_pair, fit_exponent, machine_info)
from .build import bench_build
from .growth import bench_growth
from .information import bench_information
from .live_site import bench_live_site
from .page_load import bench_page_load
from .simulator import bench_training
from .states import bench_states
from .transformer import bench_transformer
from .widgets import _explorers, bench_widgets  # noqa: F401

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
        out.append({"goal": "kernel explorer update p95 (compute, redraw, PNG)", "target": GOALS["widget_p95_ms"],
                    "unit": "ms", "measured": worst["p95_ms"], "where": worst["widget"],
                    "met": worst["p95_ms"] <= GOALS["widget_p95_ms"]})
        worst = max(ws, key=lambda r: r["median_ms"])
        out.append({"goal": "kernel explorer update median", "target": GOALS["widget_median_ms"],
                    "unit": "ms", "measured": worst["median_ms"], "where": worst["widget"],
                    "met": worst["median_ms"] <= GOALS["widget_median_ms"]})
    live = results.get("live_site") or {}
    if live.get("status") == "measured" and live.get("p95_ms") is not None:
        out.append({"goal": "static site: a move shows its figure, p95 (Chromium, cold cache)",
                    "target": GOALS["live_site_p95_ms"], "unit": "ms", "measured": live["p95_ms"],
                    "where": f'{live["moves_timed"]} moves on {len(live["pages"])} pages',
                    "met": live["p95_ms"] <= GOALS["live_site_p95_ms"]})
        heaviest = max(live["pages"], key=lambda r: r["initial_bytes"])
        out.append({"goal": "static site: chapter page weight at load", "target": GOALS["page_initial_bytes"],
                    "unit": "bytes", "measured": heaviest["initial_bytes"], "where": heaviest["page"],
                    "met": heaviest["initial_bytes"] <= GOALS["page_initial_bytes"]})
    load = results.get("page_load") or {}
    if load.get("status") == "measured" and load.get("pages"):
        for key, goal in (("first_paint_s", "first paint"), ("math_rendered_s", "maths rendered")):
            timed = [r for r in load["pages"] if r.get(key) is not None]
            if timed:
                worst = max(timed, key=lambda r: r[key])
                target = float(load["goals"][key])
                out.append({"goal": f"static site, first load at 1.6 Mbps / 150 ms (gzip): {goal}",
                            "target": target, "unit": "s", "measured": worst[key], "where": worst["page"],
                            "met": worst[key] <= target})
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


def _quiet(log: Callable[[str], None], below: float = 1.0, limit_s: float = 120.0) -> float | None:
    """Wait (at most ``limit_s``) until the 1-minute load average is under ``below``; return it.

    The response times of the explorers are wall-clock times on this machine, so they are taken once
    the build or the state drawing before them has stopped competing for the CPU (their straggling
    processes, and the load average's own minute of memory). The load is recorded with the results.
    """
    import time

    try:
        load = os.getloadavg()[0]
    except OSError:  # no load average on this platform: measure at once
        return None
    deadline = time.monotonic() + limit_s
    if load >= below:
        log(f"waiting for the machine to settle (load {load:.2f}) ...")
    while load >= below and time.monotonic() < deadline:
        time.sleep(2.0)
        load = os.getloadavg()[0]
    return round(load, 2)


def run(quick: bool = False, skip_build: bool = False, previous: dict[str, Any] | None = None,
        sections: tuple[str, ...] = ("build", "widgets", "states", "live_site", "page_load", "information", "growth",
                                     "training", "transformer"),
        log: Callable[[str], None] = lambda s: None, site: Path | None = None) -> dict[str, Any]:
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
            results["build"] = bench_build(quick, keep=site is None and ("live_site" in sections or "page_load" in sections))
            if results["build"].get("status") == "measured":
                results["build"]["measured_on"] = results["machine"]["date_utc"]
    built = results.get("build", {}).pop("output", None)  # the site this run built, for live_site
    try:
        if "widgets" in sections:
            results["machine"]["load_average_1min_widgets"] = _quiet(log, limit_s=0 if quick else 120)
            log("timing every widget update ...")
            results["widgets"] = bench_widgets(quick)
        if "states" in sections:
            log("drawing every state of the static site's explorers ...")
            results["states"] = bench_states(quick)
        if "live_site" in sections:
            results["machine"]["load_average_1min_live_site"] = _quiet(log, limit_s=0 if quick else 120)
            log("moving the static site's explorers in Chromium ...")
            results["live_site"] = bench_live_site(quick, site or (Path(built) / "_build" / "html" if built else None))
        if "page_load" in sections:
            log("loading chapters in Chromium over a throttled connection ...")
            results["page_load"] = bench_page_load(quick, site or (Path(built) / "_build" / "html" if built else None))
    finally:
        if built:
            import shutil

            shutil.rmtree(built, ignore_errors=True)
    if "information" in sections:
        log("timing rlbits.information against the NumPy floor ...")
        results["information"] = bench_information(quick)
    if "growth" in sections:
        log("timing growth with V and with the number of samples ...")
        results["growth"] = bench_growth(quick)
    if "training" in sections:
        log("training simulator vs its per-sample reference ...")
        results["training"] = bench_training(quick)
    if "transformer" in sections:
        log("training Chapter 7's transformer a few steps with each method ...")
        results["transformer"] = bench_transformer(quick)
    results["goals"] = goals(results)
    try:
        results["machine"]["load_average_1min_end"] = round(os.getloadavg()[0], 2)
    except OSError:
        pass
    return _jsonable(results)


SECTIONS = ("build", "widgets", "states", "live_site", "page_load", "information", "growth", "training", "transformer")


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
