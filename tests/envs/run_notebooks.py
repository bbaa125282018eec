"""Run the book's notebooks in this Python environment, as a reader of Colab or Binder runs them.

Run inside a reader's environment (``noxfile.py`` builds them; ``make test-envs`` runs the sessions)::

    python tests/envs/run_notebooks.py --mode full --explorers book/01_entropy.ipynb ...

``--mode full`` runs every cell; ``--mode visible`` drops the cells tagged ``remove-cell`` (the ones the
built page does not show, as a Live Code or copy-paste reader runs it). ``--explorers`` also builds
every interactive explorer in ``rlbits.widgets``, moves each of its controls through several values,
and checks that every move redraws the figure. Each notebook runs in a kernel of this environment's
Python, in the notebook's folder. Prints one line per run; exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import nbclient
import nbformat

EXPLORER_CHECK = r'''
import numbers
import ipywidgets as W
from rlbits import widgets as rw

images = [0]  # PNGs the explorers' figures received

def _count_image(change):
    if change["new"][:8] == b"\x89PNG\r\n\x1a\n":
        images[0] += 1

def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)

def _new_values(w):
    if hasattr(w, "options") and hasattr(w, "index"):
        n = len(w.options)
        return [("index", i) for i in sorted({0, n // 2, n - 1} - {w.index})]
    if isinstance(w.value, bool):
        return [("value", not w.value)]
    if isinstance(w.value, numbers.Number) and hasattr(w, "min") and hasattr(w, "max"):
        mid = (w.min + w.max) / 2
        mid = int(mid) if isinstance(w.value, int) else mid
        return [("value", v) for v in (w.min, mid, w.max) if v != w.value]
    return []

names = sorted(n for n in rw.__all__ if n.endswith("_explorer"))
assert names, "rlbits.widgets lists no explorers"
report = {}
for name in names:
    control, update = getattr(rw, name)()
    figures = [w for w in _walk(control) if isinstance(w, W.Image)]
    assert len(figures) == 1, f"{name}: expected one figure (an Image widget), found {len(figures)}"
    assert figures[0].value[:8] == b"\x89PNG\r\n\x1a\n", f"{name}: no first figure"
    figures[0].observe(_count_image, names="value")
    moves = 0
    for w in _walk(control):
        if isinstance(w, (W.Image, W.HTML, W.Box)) or not hasattr(w, "value"):
            continue
        for attr, value in _new_values(w):
            before = images[0]
            try:
                setattr(w, attr, value)
            except Exception as exc:
                raise AssertionError(f"{name}: {w.description}={value!r} raised {exc!r}") from exc
            assert images[0] > before, f"{name}: moving {w.description} to {value!r} drew no new figure"
            moves += 1
    assert moves >= 2, f"{name}: found only {moves} control moves"
    report[name] = moves
print("explorers ok:", report)
'''


def _kernel_spec() -> str:
    """A folder holding one kernelspec, ``reader``, that runs this Python (not any other found on the system)."""
    data = Path(tempfile.mkdtemp(prefix="reader-kernel-"))
    spec = data / "kernels" / "reader"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "reader", "language": "python"}))
    return str(data)


def _execute(nb, folder: Path, timeout: int) -> None:
    nbclient.NotebookClient(nb, timeout=timeout, kernel_name="reader", record_timing=False,
                            resources={"metadata": {"path": str(folder)}}).execute()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", action="append", choices=["full", "visible"], default=[])
    parser.add_argument("--explorers", action="store_true")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)

    os.environ["JUPYTER_PATH"] = _kernel_spec()
    failures = []
    for mode in args.mode or ["full"]:
        for path in args.notebooks:
            nb = nbformat.read(path, as_version=4)
            if mode == "visible":
                nb.cells = [c for c in nb.cells if "remove-cell" not in c.metadata.get("tags", [])]
            start = time.perf_counter()
            try:
                _execute(nb, path.resolve().parent, args.timeout)
            except Exception as exc:  # report every notebook, not only the first failure
                failures.append(f"{mode}: {path}: {type(exc).__name__}: {str(exc)[-3000:]}")
                print(f"FAIL {mode} {path}", flush=True)
                continue
            print(f"ok   {mode} {path} ({time.perf_counter() - start:.1f} s)", flush=True)
    if args.explorers:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(EXPLORER_CHECK)])
        try:
            _execute(nb, Path.cwd(), args.timeout)
            print("ok   " + "".join(nb.cells[0].outputs[-1].get("text", "")).strip(), flush=True)
        except Exception as exc:
            failures.append(f"explorers: {type(exc).__name__}: {str(exc)[-1200:]}")
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
