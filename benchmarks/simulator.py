"""The Chapter 6 training simulator against its per-sample Python reference (from ``benchmarks/training.py``)."""

from __future__ import annotations

import importlib
from typing import Any


from ._common import _jsonable


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
