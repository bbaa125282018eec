"""``python -m benchmarks``: run the book's benchmark, print a table, write ``benchmarks/results.json``.

Examples::

    nice python -m benchmarks                 # everything, including a cold build of the book
    python -m benchmarks --skip-build         # keep the last measured build numbers, redo the rest
    python -m benchmarks --quick --skip-build --output /tmp/r.json   # a fast smoke run

After refreshing ``benchmarks/results.json``, re-execute the book's Performance page so that it
shows the new numbers: ``make notebooks NB=performance.ipynb``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from . import RESULTS, SECTIONS, merge, run


def _fmt(x: Any, digits: int = 3) -> str:
    if x is None:
        return "-"
    if isinstance(x, bool):
        return "yes" if x else "NO"
    if isinstance(x, int):
        return f"{x:,}"
    if isinstance(x, float):
        if x == 0:
            return "0"
        if abs(x) >= 1e5 or abs(x) < 1e-3:
            return f"{x:.{digits}g}"
        return f"{x:.{digits}g}" if abs(x) < 100 else f"{x:,.0f}"
    return str(x)


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A plain-text table, columns padded to their widest cell."""
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(results: dict[str, Any]) -> str:
    """The whole run as text: machine, build, widgets, information, growth, training, goals."""
    m = results["machine"]
    out = [f"Bits per Sample benchmark ({'quick' if results.get('quick') else 'full'} run), {m['date_utc']}",
           f"{m['cpu_count']} CPUs ({m.get('cpu_model', '?')}), Python {m['python']}, NumPy {m['numpy']}, "
           f"matplotlib {m['matplotlib']}, load {m.get('load_average_1min', '?')}", ""]

    b = results.get("build")
    if b is not None:
        out.append("== Book build ==")
        if b.get("cold_seconds") is not None:
            note = "" if b["status"] == "measured" else f"  ({b['status']}, measured {b.get('measured_on')})"
            out.append(f"cold build {b['cold_seconds']:.1f} s (execution {b['execution_seconds_total']:.1f} s), "
                       f"rebuild with nothing changed {b['rebuild_seconds']:.1f} s = "
                       f"{100 * b['rebuild_fraction']:.0f}% of cold{note}")
            if b.get("returncode"):
                out.append(f"the build reported problems: exit status {b['returncode']}, {b.get('warnings')} warnings")
                if b.get("log_tail"):
                    out.append(b["log_tail"])
            out.append(table(["notebook", "execution s"], [[c["notebook"], c["seconds"]] for c in b["chapters"]]))
        else:
            out.append(f"{b['status']}: {b.get('note', '')}")
            if b.get("log_tail"):
                out.append(b["log_tail"])
        out.append("")

    if results.get("widgets"):
        out.append("== Kernel explorer updates (compute, redraw, PNG), ms ==")
        out.append(table(["widget", "calls", "median", "p95", "compute med", "draw med", "p95 +PNG", "goals met"],
                         [[r["widget"], r["calls"], r.get("median_ms"), r.get("p95_ms"), r.get("compute_median_ms"),
                           r.get("draw_median_ms"), r.get("with_png_p95_ms"), r["meets_goal"]]
                          for r in results["widgets"]]))
        out.append("")

    if results.get("states"):
        out.append("== Static site: drawing every explorer state (cold build) ==")
        out.append(table(["explorer", "states", "seconds", "ms/state", "kB/state", "MB"],
                         [[r["explorer"], r["states"], r["seconds"], r["ms_per_state"], r["mean_state_bytes"] / 1e3,
                           r["bytes"] / 1e6] for r in results["states"]]))
        out.append("")

    live = results.get("live_site")
    if live is not None:
        out.append("== Static site: a control's move to its figure in Chromium (cold cache), ms ==")
        if live.get("status") == "measured":
            out.append(f"{live['moves_timed']} moves: median {_fmt(live['median_ms'])}, p95 {_fmt(live['p95_ms'])}, "
                       f"max {_fmt(live['max_ms'])}; the site's explorers add {live['site']['total_bytes'] / 1e6:.2f} MB "
                       f"in {live['site']['states']:,} state images")
            out.append(table(["page", "moves", "keyboard", "median", "p95", "MB at load", "problems"],
                             [[r["page"], r["moves"], r["keyboard_moves"], r["median_ms"], r["p95_ms"],
                               r["initial_bytes"] / 1e6, r["problems"]] for r in live["pages"]]))
        else:
            out.append(f"{live.get('status')}: {live.get('note', '')}")
        out.append("")

    if results.get("page_load") is not None:
        from . import page_load

        out.append("== Static site: a chapter's first load over a slow connection (Chromium) ==")
        out.extend(page_load.report(results["page_load"]) + [""])

    if results.get("information"):
        out.append("== rlbits.information vs the bare NumPy floor ==")
        out.append(table(["function", "case", "median ms", "p95 ms", "floor ms", "ratio", "Mentries/s"],
                         [[r["function"], r["case"], r["median_ms"], r["p95_ms"], r["floor_median_ms"],
                           r["ratio_to_floor"], r["entries_per_second"] / 1e6] for r in results["information"]]))
        out.append("")

    if results.get("growth"):
        out.append("== Growth: median ms at each size, fitted log-log exponent ==")
        for s in results["growth"]:
            pts = ", ".join(f"{x:,}: {_fmt(t)}" for x, t in zip(s["x"], s["median_ms"]))
            out.append(f"{s['name']} vs {s['x_label']}: exponent {s['exponent']:.2f} "
                       f"(fitted from {s['fit_from']:,}; {s['exponent_all']:.2f} over all sizes)")
            out.append(f"    {pts}")
        out.append("")

    t = results.get("training")
    if t is not None:
        out.append("== Training simulator vs per-sample Python reference (Chapter 6) ==")
        if t.get("status") == "measured":
            try:  # the training benchmark words its own report
                from . import training

                out.append(training.report(t))
            except Exception:  # noqa: BLE001 - fall back to the flat numbers
                flat = {k: v for k, v in t.items() if k != "status" and not isinstance(v, (dict, list))}
                out.extend(f"{k}: {_fmt(v)}" for k, v in flat.items())
        else:
            out.append(f"{t.get('status')}: {t.get('note', '')}")
        out.append("")

    tr = results.get("transformer")
    if tr is not None:
        out.append("== Chapter 7's transformer: training speed (T = 4, one replica) ==")
        if tr.get("status") == "measured":
            out.append(table(["method", "steps/s", "samples/s", "compile (s)"],
                             [[m, _fmt(v["steps_per_s"]), _fmt(v["samples_per_s"]), _fmt(v["compile_s"])]
                              for m, v in tr["methods"].items()]))
            out.append(f"the committed sweep ({'quick' if tr.get('sweep_quick') else 'full'}) took "
                       f"{_fmt(tr.get('sweep_wall_s'))} s on {tr.get('sweep_machine', {}).get('cpu_count')} cores")
        else:
            out.append(f"{tr.get('status')}: {tr.get('note', '')}")
        out.append("")

    if results.get("goals"):
        out.append("== Goals ==")
        out.append(table(["goal", "target", "measured", "where", "met"],
                         [[g["goal"], f"{_fmt(g['target'])} {g['unit']}", f"{_fmt(g['measured'])} {g['unit']}",
                           g["where"], g["met"]] for g in results["goals"]]))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer sizes and calls: a smoke run in seconds")
    parser.add_argument("--skip-build", action="store_true",
                        help="do not build the book; carry over the build numbers from the previous results")
    parser.add_argument("--only", nargs="+", choices=list(SECTIONS),
                        help="run only these sections; the others are kept from the previous results file")
    parser.add_argument("--site", type=Path, default=None,
                        help="the built HTML whose live explorers to time (default _build/html, from `make book`)")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"where to write the JSON (default {RESULTS})")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args(argv)

    previous = None
    for path in (args.output, RESULTS):
        if path.exists():
            try:
                previous = json.loads(path.read_text(encoding="utf-8"))
                break
            except json.JSONDecodeError:
                pass
    sections = tuple(args.only) if args.only else SECTIONS
    results = run(quick=args.quick, skip_build=args.skip_build, previous=previous, sections=sections,
                  log=lambda s: print(s, file=sys.stderr, flush=True), site=args.site)
    print(report(results))
    if args.only and previous and not args.no_write:
        # a partial run refreshes its sections and keeps the others from the previous results
        results = merge(previous, results, sections)
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nwrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
