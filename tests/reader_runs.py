"""Run the book's notebooks the way its readers run them, in a fresh virtual environment.

Readers do not have the book's toolchain. On Colab they have Colab's preinstalled stack plus
``rlbits``; on Binder they have ``binder/requirements.txt``; with Live Code they run only the cells
shown on the page. This script builds such an environment and executes notebooks in a kernel that
runs inside it (the notebook client itself runs here, outside the reader's environment):

    python tests/reader_runs.py --env colab-floors --venv /tmp/v --mode full --explorers
    python tests/reader_runs.py --env binder --venv /tmp/b --mode full --mode visible --explorers

``--mode full`` runs every cell; ``--mode visible`` drops the cells tagged ``remove-cell`` (the
ones the built page does not show). ``--explorers`` also builds every interactive explorer in
``rlbits.widgets``, moves each of its controls through several values, and checks that every move
redraws a figure without an error. It prints one line per run and exits non-zero on any failure.
Used by ``tests/test_reader_envs.py``; runnable by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENVS = {
    # Colab's widget and kernel stack (ipywidgets 7.7) with every dependency at its declared floor.
    "colab-floors": [["-r", str(ROOT / "tests" / "envs" / "colab-floors.txt")]],
    # What Binder installs for a reader (repo2docker reads binder/), and pip, which repo2docker's
    # environment has and binder/postBuild uses to install rlbits.
    "binder": [["-r", str(ROOT / "binder" / "requirements.txt"), "pip"]],
}


def reader_notebooks() -> list[Path]:
    """Every notebook a reader can open: the chapters, the intro, the course notebooks, the appendix."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import chapter_notebooks  # the notebooks in _toc.yml

    return chapter_notebooks()


def _pip(venv: Path, *args: str) -> None:
    """``pip install`` into ``venv`` with this interpreter's pip (``--python``).

    The environment's own pip, bundled with Python by ``ensurepip``, is older and resolves these
    requirements three times slower; ``--no-compile`` leaves byte-compiling to the first import of
    each module, as a reader's environment would (most of scipy's and IPython's modules are never
    imported by the notebooks).
    """
    cmd = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
           "--disable-pip-version-check", "--no-compile", *args]
    subprocess.run(cmd, check=True)


def build_env(name: str, venv: Path) -> None:
    """Create ``venv`` fresh and install the reader environment ``name`` into it, then rlbits."""
    if venv.exists():
        shutil.rmtree(venv)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    for args in ENVS[name]:
        _pip(venv, *args)
    # Install rlbits from a copy of the project's packaging files, so the work tree stays clean.
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for item in ("pyproject.toml", "README.md", "LICENSE"):
            shutil.copy(ROOT / item, src / item)
        shutil.copytree(ROOT / "lib", src / "lib", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        if name == "binder":
            # Run binder/postBuild as repo2docker does: from the repository root, venv on PATH.
            env = dict(os.environ, PATH=f"{venv / 'bin'}:{os.environ['PATH']}")
            shutil.copytree(ROOT / "binder", src / "binder")
            subprocess.run(["bash", str(src / "binder" / "postBuild")], cwd=src, env=env, check=True)
        else:
            _pip(venv, str(src))


def kernelspec_dir(venv: Path) -> Path:
    """A Jupyter data directory holding one kernelspec, ``reader``, that runs ``venv``'s Python."""
    data = venv / "jupyter-data"
    spec = data / "kernels" / "reader"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(venv / "bin" / "python"), "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "reader", "language": "python"}))
    return data


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


def _kernel_manager():
    """A kernel manager for the ``reader`` kernel talking over Unix sockets, not TCP ports.

    The test suite starts several kernels at once (nbval, the book build, these runs); picking free
    TCP ports for each is racy, and a lost race leaves a client waiting for a kernel that never
    answers. IPC sockets are files with unique names, so kernels cannot collide.
    """
    import tempfile as _tempfile

    from jupyter_client.manager import KernelManager

    folder = Path(_tempfile.mkdtemp(prefix="reader-kernel-"))
    return KernelManager(kernel_name="reader", transport="ipc", ip=str(folder / "kernel"))


def run(venv: Path, paths: list[Path], mode: str, timeout: int) -> list[str]:
    """Execute each notebook in ``mode`` in a kernel from ``venv``; return failure messages."""
    import nbclient
    import nbformat

    failures = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if mode == "visible":
            nb.cells = [c for c in nb.cells if "remove-cell" not in c.metadata.get("tags", [])]
        start = time.perf_counter()
        client = nbclient.NotebookClient(
            nb, km=_kernel_manager(), timeout=timeout, kernel_name="reader", record_timing=False,
            resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
        except Exception as exc:  # report every notebook, not only the first failure
            failures.append(f"{mode}: {path.relative_to(ROOT)}: {type(exc).__name__}: {str(exc)[-3000:]}")
            print(f"FAIL {mode} {path.relative_to(ROOT)}", flush=True)
            continue
        print(f"ok   {mode} {path.relative_to(ROOT)} ({time.perf_counter() - start:.1f} s)", flush=True)
    return failures


def run_explorer_check(timeout: int) -> list[str]:
    import nbclient
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(EXPLORER_CHECK)])
    client = nbclient.NotebookClient(nb, km=_kernel_manager(), timeout=timeout, kernel_name="reader")
    try:
        client.execute()
    except Exception as exc:
        return [f"explorers: {type(exc).__name__}: {str(exc)[-1200:]}"]
    print("ok   " + "".join(nb.cells[0].outputs[-1].get("text", "")).strip(), flush=True)
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env", choices=sorted(ENVS), required=True)
    parser.add_argument("--venv", type=Path, required=True, help="where to create the environment")
    parser.add_argument("--mode", action="append", choices=["full", "visible"], default=[])
    parser.add_argument("--explorers", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="reuse --venv if it already exists")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in _toc.yml")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    if not (args.reuse and (args.venv / "bin" / "python").exists()):
        build_env(args.env, args.venv)
    versions = subprocess.run(
        [str(args.venv / "bin" / "python"), "-c",
         "import ipywidgets, IPython, matplotlib, numpy, scipy, rlbits; "
         "print(f'ipywidgets {ipywidgets.__version__}, IPython {IPython.__version__}, numpy {numpy.__version__}, "
         "scipy {scipy.__version__}, matplotlib {matplotlib.__version__}, rlbits {rlbits.__version__}')"],
        check=True, capture_output=True, text=True).stdout.strip()
    print(f"{args.env}: {versions} (ready in {time.perf_counter() - start:.0f} s)", flush=True)
    os.environ["JUPYTER_PATH"] = str(kernelspec_dir(args.venv))
    # The environment is installed --no-compile: its kernels write the byte-code of what they import, as
    # a reader's Python does, even where this process was told not to (without it every kernel here
    # compiled numpy, matplotlib and IPython again: 3 s more per start).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    paths = [p.resolve() for p in args.notebooks] or reader_notebooks()
    failures = []
    for mode in args.mode or ["full"]:
        failures += run(args.venv, paths, mode, args.timeout)
    if args.explorers:
        failures += run_explorer_check(args.timeout)
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"{args.env}: {len(failures)} failures in {time.perf_counter() - start:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
