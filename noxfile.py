"""The readers' environments (``make test-envs``): each session builds one and runs the notebooks in it.

* ``colab_floors``: every dependency of rlbits at its declared floor with Colab's widget and kernel
  stack (``tests/envs/colab-floors.txt``: ipywidgets 7.7, IPython 7.34), then ``pip install .``;
  every notebook runs, whole, and every explorer's controls redraw their figures.
* ``binder``: ``binder/requirements.txt`` and ``binder/postBuild``, as Binder (repo2docker) installs
  them; every notebook runs from the cells its page shows alone (a Live Code or copy-paste reader),
  and every explorer's controls redraw their figures.

Both also run the reader edition (``readers/``, what the Colab and Binder buttons open), top to bottom.
* ``nbval_dispatch_off``: strict nbval over every notebook in the project's own environment with
  NumPy's SIMD dispatch turned down to the baseline (``NPY_DISABLE_CPU_FEATURES`` naming every
  target NumPy dispatches to), so the committed outputs match what CPUs without AVX-512 or AVX2 print.

The first two environments are fresh: nothing of the caller's ``PYTHONPATH`` or ``PIP_*`` settings
reaches them (PYTHONPATH could import this checkout's rlbits instead of the installed one). Run one
with ``nox -s binder``, on some notebooks with ``nox -s binder -- book/01_entropy.ipynb``; ``nox -R``
reuses the environments of a previous run.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from book.course.build.web import chapter_notebooks  # noqa: E402 - the notebooks in _toc.yml

nox.options.default_venv_backend = "venv"
nox.options.error_on_external_run = True
# What runs the notebooks inside a reader's environment (Colab and Binder have both).
RUNNER = ["nbclient==0.11.0", "nbformat==5.11.1"]


def _notebooks(session: nox.Session) -> list[str]:
    """The notebooks named after ``--`` (``nox -s binder -- book/01_entropy.ipynb``), else every one in _toc.yml."""
    return session.posargs or [str(p.relative_to(ROOT)) for p in chapter_notebooks()]


def _readers(session: nox.Session) -> list[str]:
    """The reader edition (``readers/``, plain notebooks for Colab and Binder), unless notebooks are named."""
    return [] if session.posargs else sorted(str(p.relative_to(ROOT)) for p in (ROOT / "readers").rglob("*.ipynb"))


def _fresh(session: nox.Session) -> None:
    """Keep the caller's Python and pip settings out of this session's environment."""
    for name in os.environ:
        if name == "PYTHONPATH" or name.startswith("PIP_"):
            session.env[name] = None


def _package_copy(session: nox.Session) -> Path:
    """A copy of what ``pip install .`` reads: pip builds in the source folder, so a stale ``build/``
    in the working tree could slip deleted modules into the wheel; the copy is fresh each run."""
    src = Path(session.create_tmp()) / "src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    for name in ("lib", "binder"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return src


@nox.session
def colab_floors(session: nox.Session) -> None:
    _fresh(session)
    session.install("-r", "tests/envs/colab-floors.txt", *RUNNER)
    session.install(str(_package_copy(session)) + "[transformer]")
    session.run("python", "-c", "import ipywidgets, numpy, matplotlib, rlbits; print('ipywidgets', "
                "ipywidgets.__version__, 'numpy', numpy.__version__, 'matplotlib', matplotlib.__version__)")
    session.run("python", "tests/envs/run_notebooks.py", "--mode", "full", "--explorers", *_notebooks(session))
    if _readers(session):  # the reader edition, whole, as a Colab reader runs it top to bottom
        session.run("python", "tests/envs/run_notebooks.py", "--mode", "full", *_readers(session))


@nox.session
def binder(session: nox.Session) -> None:
    _fresh(session)
    session.install("-r", "binder/requirements.txt", "pip", *RUNNER)
    with session.chdir(_package_copy(session)):  # from the repository's root, as repo2docker runs it
        session.run("bash", "binder/postBuild", external=True)
    session.run("python", "-c", "import ipywidgets, numpy, rlbits; print('ipywidgets', ipywidgets.__version__, "
                "'numpy', numpy.__version__)")
    session.run("python", "tests/envs/run_notebooks.py", "--mode", "visible", "--explorers", *_notebooks(session))
    if _readers(session):  # the reader edition, whole, as the Binder button opens it
        session.run("python", "tests/envs/run_notebooks.py", "--mode", "full", *_readers(session))


@nox.session(venv_backend="none")
def nbval_dispatch_off(session: nox.Session) -> None:
    import numpy

    simd = numpy.show_config(mode="dicts")["SIMD Extensions"]
    dispatched = " ".join(simd["found"] + simd["not found"])
    session.log(f"NPY_DISABLE_CPU_FEATURES={dispatched!r} (the baseline: {simd['baseline']})")
    session.run(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval", "--nbval-current-env",
                *_notebooks(session), env={"NPY_DISABLE_CPU_FEATURES": dispatched}, external=True)
