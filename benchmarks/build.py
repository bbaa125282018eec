"""The book: a cold ``jupyter-book build``, per-chapter execution time, and a rebuild with nothing changed."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


from ._common import ROOT


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


def bench_build(quick: bool = False, keep: bool = False) -> dict[str, Any]:
    """Cold build of the whole book into a temporary ``--path-output``, then a rebuild with nothing changed.

    The build runs as the test suite runs it (``-W -n --keep-going``, every notebook executed). If
    it reports warnings or errors the times are still recorded, with ``returncode`` and the end of
    the log, so that a failing chapter is visible rather than hidden. With ``keep`` the built site
    is left in place and its folder returned as ``output`` (the caller removes it).
    """
    tmp = Path(tempfile.mkdtemp(prefix="bps-bench-build-"))
    kept = False
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
        if keep:
            out["output"] = str(tmp)
            kept = True
        return out
    finally:
        if not kept:
            shutil.rmtree(tmp, ignore_errors=True)
