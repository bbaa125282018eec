"""The benchmark runs and the Performance page reads its committed results.

These are not timing tests: machines are noisy, so no test here compares a duration with a limit.
They check that ``python -m benchmarks`` works (a tiny quick run of the parts that do not build the
book), that ``benchmarks/results.json`` is complete, and that ``book/performance.ipynb`` shows it.
"""

from __future__ import annotations

import inspect
import json
import math
import re

import pytest

import benchmarks
from benchmarks.__main__ import main, report
from conftest import ROOT
from rlbits.widgets import STATIC_GRIDS

RESULTS = ROOT / "benchmarks" / "results.json"
PAGE = ROOT / "book" / "performance.ipynb"

MACHINE_KEYS = {"date_utc", "cpu_count", "python", "numpy", "matplotlib"}
WIDGET_KEYS = {"widget", "calls", "median_ms", "p95_ms", "compute_median_ms", "draw_median_ms",
               "with_png_p95_ms", "meets_goal"}
INFO_KEYS = {"function", "case", "V", "batch", "median_ms", "p95_ms", "floor_median_ms", "ratio_to_floor",
             "entries_per_second", "floor_goal_applies"}
GROWTH_KEYS = {"name", "x_label", "x", "median_ms", "exponent", "exponent_all", "fit_from"}
GOAL_KEYS = {"goal", "target", "unit", "measured", "where", "met"}
BUILD_KEYS = {"cold_seconds", "rebuild_seconds", "rebuild_fraction", "execution_seconds_total", "chapters"}
# the growth series whose exponents the page glues into its prose
GROWTH_NAMES = ("information.entropy", "information.expected_rl_bits", "simulate.observed_bits",
                "gradients.reinforce_batch_means")


def _check_results(res: dict, *, full: bool) -> None:
    assert res["schema"] == benchmarks.SCHEMA
    assert MACHINE_KEYS <= set(res["machine"])
    assert set(benchmarks.GOALS) <= set(res["goals_targets"])
    for row in res["information"]:
        assert INFO_KEYS <= set(row), set(INFO_KEYS) - set(row)
        assert row["median_ms"] > 0 and row["floor_median_ms"] > 0
    for s in res["growth"]:
        assert GROWTH_KEYS <= set(s)
        assert len(s["x"]) == len(s["median_ms"]) >= 3
        assert math.isfinite(s["exponent"])
    for g in res["goals"]:
        assert GOAL_KEYS <= set(g)
    if full:
        for row in res["widgets"]:
            assert WIDGET_KEYS <= set(row), set(WIDGET_KEYS) - set(row)
            assert row["calls"] >= 50, "widget statistics come from at least 50 calls"
        missing = set(benchmarks._explorers()) - {r["widget"] for r in res["widgets"]}
        assert not missing, f"benchmarks/results.json predates {sorted(missing)}: re-run `python -m benchmarks`"
        assert {r["explorer"] for r in res["states"]} == set(STATIC_GRIDS)
        assert all(r["states"] == r["grid_states"] for r in res["states"]), "a full run draws every state"
        live = res["live_site"]
        assert live["status"] == "measured" and live["moves_timed"] >= 3 * len(live["pages"])
        assert all(p["problems"] == 0 for p in live["pages"])
        cases = {(r["V"], r["batch"]) for r in res["information"]}
        assert {(10**3, 1), (10**5, 1), (10**6, 1), (10**3, 1000)} <= cases
        for name in GROWTH_NAMES:
            assert any(s["name"].split(" ")[0] == name for s in res["growth"]), name


def test_state_drawing_is_measured_for_every_explorer():
    from rlbits import widgets

    rows = benchmarks.bench_states(quick=True)
    assert [r["explorer"] for r in rows] == list(widgets.STATIC_GRIDS)
    for row in rows:
        assert row["states"] == 4 and row["grid_states"] == widgets.STATIC_GRIDS[row["explorer"]].size
        assert row["seconds"] > 0 and 1_000 < row["mean_state_bytes"] < 100_000


def test_live_site_timing_is_skipped_without_a_built_site(tmp_path):
    out = benchmarks.bench_live_site(quick=True, html=tmp_path)
    assert out["status"] == "skipped" and "make book" in out["note"]


def test_quick_run_writes_the_expected_json(tmp_path, capsys):
    out = tmp_path / "results.json"
    committed = RESULTS.read_bytes()
    assert main(["--quick", "--skip-build", "--only", "information", "growth", "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "rlbits.information vs the bare NumPy floor" in printed and "Growth" in printed
    res = json.loads(out.read_text())
    _check_results(res, full=False)
    assert res["quick"] is True
    assert {r["function"] for r in res["information"]} >= {"entropy", "cross_entropy", "kl_divergence",
                                                            "expected_rl_bits", "expected_sl_bits", "binary_entropy"}
    assert RESULTS.read_bytes() == committed, "a run with --output leaves the committed results alone"


def test_every_explorer_is_found_and_its_sliders_map_to_its_update():
    explorers = benchmarks._explorers()
    assert {"entropy_explorer", "bits_explorer"} <= set(explorers)
    rows = benchmarks.bench_widgets(quick=True, calls=2)
    assert [r["widget"] for r in rows] == sorted(explorers)
    for row in rows:
        assert row["calls"] == 2 and row["rejected_inputs"] == 0, row
        update_params = set(inspect.signature(_update_of(explorers[row["widget"]])).parameters)
        assert set(row["arguments"]) == update_params


def _update_of(build):
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        _, update = build()
    return update


def test_fit_exponent_recovers_a_power_law():
    x = [10, 100, 1000, 10000]
    assert benchmarks.fit_exponent(x, [3e-3 * v**1.5 for v in x]) == pytest.approx(1.5)


def test_skip_build_carries_over_the_last_measured_build():
    previous = {"machine": {"date_utc": "then"}, "build": {"status": "measured", "cold_seconds": 10.0}}
    res = benchmarks.run(quick=True, skip_build=True, previous=previous, sections=("build",))
    assert res["build"]["status"] == "carried over" and res["build"]["cold_seconds"] == 10.0
    fresh = benchmarks.run(quick=True, skip_build=True, previous=None, sections=("build",))
    assert fresh["build"]["status"] == "skipped"


def test_a_partial_run_keeps_the_other_sections():
    previous = {"machine": {"date_utc": "then"}, "quick": False, "build": {"status": "measured", "cold_seconds": 10.0},
                "growth": []}
    new = {"machine": {"date_utc": "now"}, "quick": False, "growth": [{"name": "x"}]}
    merged = benchmarks.merge(previous, new, ("growth",))
    assert merged["build"] == previous["build"] and merged["growth"] == new["growth"]
    assert merged["measured_on"] == {"build": "then", "growth": "now"}


def test_committed_results_are_complete():
    res = json.loads(RESULTS.read_text(encoding="utf-8"))
    _check_results(res, full=True)
    assert res["quick"] is False, "commit the results of a full run, not --quick"
    build = res["build"]
    assert build.get("cold_seconds") is not None, "commit results that include a measured build"
    assert BUILD_KEYS <= set(build)
    assert all({"notebook", "seconds"} <= set(c) for c in build["chapters"])
    assert report(res)  # the table prints from the committed results


def _glued(nb: dict) -> dict[str, str]:
    """The text/plain value of every glue record in the notebook's committed outputs, by key."""
    out = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            scrap = o.get("metadata", {}).get("scrapbook")
            if scrap:
                out[scrap["name"]] = "".join(o["data"].get("application/papermill.record/text/plain", ""))
    return out


def test_performance_page_reads_the_committed_results():
    nb = json.loads(PAGE.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert '"benchmarks" / "results.json"' in code
    # the build shows the committed outputs: a code-keyed execution cache could show stale results
    assert nb["metadata"].get("mystnb", {}).get("execution_mode") == "off"
    glued = _glued(nb)
    # every number in the prose is glued, and every glue the prose uses is in the committed outputs
    for key in re.findall(r"\{glue:text\}`([\w]+)", markdown):
        assert key in glued, f"the page uses {key!r} but its committed outputs do not glue it"
    # the committed outputs were produced from the committed results (re-run the page after the benchmark)
    res = json.loads(RESULTS.read_text(encoding="utf-8"))
    assert float(glued["goal_widget_ms"]) == res["goals_targets"]["widget_p95_ms"]
    assert float(glued["build_cold_s"]) == pytest.approx(res["build"]["cold_seconds"], rel=1e-9)  # glued at ten significant digits
    assert int(glued["widget_count"]) == sum("p95_ms" in w for w in res["widgets"])
    outputs = json.dumps([c.get("outputs", []) for c in nb["cells"]])
    assert res["machine"]["date_utc"] in outputs, (
        "book/performance.ipynb shows older results: run `make notebooks NB=performance.ipynb`")
