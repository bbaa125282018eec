"""The book runs everywhere it says it does: on any CPU, on Colab, on Binder and with Live Code.

Each test here waits for a background job that tests/conftest.py starts at collection:

- ``nbval-dispatch-off``: strict nbval over every notebook with NumPy's SIMD dispatch turned down to
  the baseline (``NPY_DISABLE_CPU_FEATURES`` naming every dispatched target), so the committed
  outputs are shown to match the code paths of CPUs without AVX-512 (or AVX2) on any machine.
- ``colab-floors``: a fresh virtual environment with every dependency at its declared floor and
  Colab's widget stack (ipywidgets 7.7, IPython 7.34), then ``pip install .``; every notebook runs,
  and every explorer's controls redraw their figures (tests/reader_runs.py).
- ``binder``: a fresh environment from binder/requirements.txt and binder/postBuild; every notebook
  runs with only the cells the page shows (a Live Code or copy-paste reader, the stricter of the two
  ways to run it: the full notebooks run in the colab-floors environment, and in this one through
  nbval and the book build, which use the same pins), and every explorer's controls redraw their
  figures. Its kernels draw no static PNGs: the book build draws every figure with the same pins.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

import pytest

from conftest import ROOT, chapter_notebooks


def _tail(log: str, n: int = 60) -> str:
    lines = [ln for ln in log.splitlines() if not ln.startswith("WARNING: Location")]  # pip's local indexes
    return "\n".join(lines[-n:])


@pytest.mark.job("nbval-dispatch-off")
def test_nbval_passes_with_simd_dispatch_turned_down(background_job):
    code, log = background_job("nbval-dispatch-off")
    assert code == 0, f"strict nbval fails with NumPy's SIMD dispatch turned down:\n{_tail(log)}"
    assert re.search(r"\d+ passed", log)


@pytest.mark.job("colab-floors")
def test_every_notebook_and_explorer_runs_with_the_dependency_floors_and_ipywidgets_7(background_job):
    code, log = background_job("colab-floors")
    assert code == 0, _tail(log)
    assert "ipywidgets 7.7" in log and "explorers ok" in log


@pytest.mark.job("binder")
def test_every_notebook_runs_in_the_binder_environment_from_its_visible_cells_alone(background_job):
    code, log = background_job("binder")
    assert code == 0, _tail(log)
    assert "ipywidgets 8." in log and "explorers ok" in log
    assert len(re.findall(r"^ok +visible ", log, re.M)) == len(chapter_notebooks())


# --- The package declares what it imports ---

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _declared() -> set[str]:
    return {re.split(r"[\s<>=!~;\[]", dep, maxsplit=1)[0].lower().replace("_", "-")
            for dep in PROJECT["dependencies"]}


def _imports(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Top-level module names imported (required, optional-inside-try-ImportError)."""
    required, optional = set(), set()
    guarded = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                for h in node.handlers):
            guarded.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            (optional if id(node) in guarded else required).add(name.split(".")[0])
    return required, optional


def test_package_declares_every_third_party_import():
    dists = packages_distributions()
    required, optional = set(), set()
    for path in (ROOT / "lib" / "rlbits").rglob("*.py"):
        r, o = _imports(ast.parse(path.read_text(encoding="utf-8")))
        required |= r
        optional |= o
    third_party = {m for m in required if m not in sys.stdlib_module_names and m not in ("rlbits", "__future__")}
    needed = {dists[m][0].lower().replace("_", "-") for m in third_party}
    missing = needed - _declared()
    assert not missing, f"rlbits imports {sorted(missing)} but pyproject.toml does not declare them"
    unused = _declared() - needed
    assert not unused, f"pyproject.toml declares {sorted(unused)}, which rlbits never imports"
    assert optional <= {"myst_nb", "IPython"}, f"unexpected optional imports: {sorted(optional)}"


def test_floors_environment_pins_every_declared_floor():
    """tests/envs/colab-floors.txt installs exactly the floor of every declared dependency."""
    floors = {}
    for dep in PROJECT["dependencies"]:
        name, _, version = dep.partition(">=")
        floors[name.strip().lower()] = version.strip()
    pins = dict(line.split("==") for line in (ROOT / "tests" / "envs" / "colab-floors.txt").read_text().splitlines()
                if line and not line.startswith("#"))
    pins = {k.lower(): v for k, v in pins.items()}
    for name, floor in floors.items():
        assert name in pins, f"{name} is not in the floors environment"
        assert pins[name].startswith(floor), f"{name}: floor {floor}, tested {pins[name]}"
    assert pins["ipywidgets"].startswith("7.7"), "the floors environment tests Colab's ipywidgets 7.7"


def test_binder_environment_is_lean_and_pinned():
    lines = [ln for ln in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
             if ln and not ln.startswith("#")]
    assert all(re.fullmatch(r"[\w.-]+==[\w.]+", ln) for ln in lines), "every Binder requirement is pinned exactly"
    names = {ln.split("==")[0].lower().replace("_", "-") for ln in lines}
    assert _declared() <= names, "Binder pins every dependency rlbits declares"
    toolchain = {"jupyter-book", "sphinx", "pytest", "hypothesis", "playwright", "nbval", "myst-nb"}
    assert not names & toolchain, f"the reader's environment holds build/test tools: {names & toolchain}"
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    assert "pip install --no-deps" in (ROOT / "binder" / "postBuild").read_text()


def test_a_kernel_started_by_a_yielding_run_yields_in_its_own_session_too(tmp_path):
    """The kernels of the jobs and workers that yield the CPU (nice) carry that over to their session.

    Each kernel gets a session of its own, which Linux's scheduler (autogroups) would treat as the
    book build's equal whatever the kernel's nice value; the startup file in every such kernel's
    IPYTHONDIR sets the session's nice value to the process's (tests/conftest.py).
    """
    import os
    import subprocess
    from pathlib import Path

    from conftest import kernel_ipython_dir

    if not Path("/proc/self/autogroup").is_file():
        pytest.skip("no scheduler autogroups on this machine: nice values hold as they are")
    startup = kernel_ipython_dir(tmp_path / "ipython") / "profile_default" / "startup" / "00-nice-session.py"
    code = startup.read_text(encoding="utf-8") + "\nprint(open('/proc/self/autogroup').read())\n"
    run = subprocess.run(["nice", "-n", "5", sys.executable, "-c", code], start_new_session=True,
                         capture_output=True, text=True, check=True)
    if run.stdout.strip().endswith(" nice 0") and not os.access("/proc/self/autogroup", os.W_OK):
        pytest.skip("autogroups are read-only here: the startup file leaves them as they are")
    nice = min(os.nice(0) + 5, 19)  # this process's own (an xdist worker's is raised already), plus 5
    assert run.stdout.strip().endswith(f"nice {nice}"), run.stdout + run.stderr
