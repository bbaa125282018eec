"""Shared fixtures: the repository layout and one full build of the book per test session."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class BookBuild:
    """The result of ``jupyter-book build`` into a fresh directory (so every notebook executes)."""

    returncode: int
    log: str
    html: Path


def toc_files() -> list[str]:
    """Every file named in ``_toc.yml`` (root first), without extension, relative to the repository."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            for key in ("sections", "chapters", "parts"):
                walk(entry.get(key, []))

    walk(toc.get("parts", []) + toc.get("chapters", []) + toc.get("sections", []))
    return files


def chapter_notebooks() -> list[Path]:
    """The chapter notebooks listed in the table of contents."""
    return [ROOT / f"{f}.ipynb" for f in toc_files() if (ROOT / f"{f}.ipynb").exists()]


# --- Slow jobs in the background ---------------------------------------------------------------
# The book build, the notebook runs in fresh reader environments and the nbval run with NumPy's SIMD
# dispatch turned down each take a minute or more of one core. They are started as subprocesses as
# soon as collection shows that a selected test needs them, so they run beside the library tests and
# nbval; the tests that need a job's result wait for it.


@dataclass
class Job:
    """A subprocess started in the background; ``result()`` waits for it."""

    name: str
    proc: subprocess.Popen
    log: Path
    started: float

    def result(self, timeout: float = 2400) -> tuple[int, str]:
        try:
            code = self.proc.wait(timeout=max(1.0, timeout - (time.monotonic() - self.started)))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        return code, self.log.read_text(encoding="utf-8", errors="replace")


def _dispatch_env() -> dict[str, str]:
    """NPY_DISABLE_CPU_FEATURES naming every SIMD target NumPy dispatches to above its baseline here."""
    import numpy._core._multiarray_umath as umath  # noqa: PLC0415

    return {"NPY_DISABLE_CPU_FEATURES": " ".join(umath.__cpu_dispatch__)}


# The live explorers' states are cached where `make book` keeps them, keyed by a hash of rlbits.
STATES = {"RLBITS_EXPLORER_STATES": str(ROOT / "_build" / ".explorer_states")}


def _job_commands(tmp: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    py = sys.executable
    runs = str(ROOT / "tests" / "reader_runs.py")
    return {
        "book": ([str(Path(py).parent / "jupyter-book"), "build", str(ROOT), "--path-output", str(tmp / "book"),
                  "-W", "-n", "--keep-going"], STATES),
        "nbval-dispatch-off": ([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                                "--nbval", "--nbval-current-env", *map(str, chapter_notebooks())], _dispatch_env()),
        "colab-floors": ([py, runs, "--env", "colab-floors", "--venv", str(tmp / "venv-colab-floors"),
                          "--mode", "full", "--explorers"], {}),
        "binder": ([py, runs, "--env", "binder", "--venv", str(tmp / "venv-binder"),
                    "--mode", "visible", "--explorers"], {}),
    }


def _jobs_folder(config: pytest.Config) -> Path:
    tmp = config._tmp_path_factory.getbasetemp() / "jobs"  # type: ignore[attr-defined]
    tmp.mkdir(exist_ok=True)
    return tmp


def _start_job(config: pytest.Config, name: str) -> Job:
    jobs = config.stash.setdefault(JOBS, {})
    if name not in jobs:
        tmp = _jobs_folder(config)
        argv, extra = _job_commands(tmp)[name]
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # Agg would drop every figure
        env.update(extra)
        log = tmp / f"{name}.log"
        with log.open("w") as fh:
            proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
        jobs[name] = Job(name, proc, log, time.monotonic())
    return jobs[name]


JOBS = pytest.StashKey[dict]()


def _needs_job(item: pytest.Item) -> bool:
    return "book_build" in getattr(item, "fixturenames", ()) or any(True for _ in item.iter_markers("job"))


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the tests that wait for a background job last, so the others run while the jobs do."""
    items.sort(key=_needs_job)  # stable: the order within each group is kept


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start every background job a selected test needs (``book_build`` or ``@pytest.mark.job``)."""
    if session.config.option.collectonly:
        return
    wanted = set()
    for item in session.items:
        if "book_build" in getattr(item, "fixturenames", ()):
            wanted.add("book")
        wanted.update(m.args[0] for m in item.iter_markers("job"))
    for name in sorted(wanted):
        _start_job(session.config, name)


def pytest_sessionfinish(session: pytest.Session) -> None:
    for job in session.config.stash.get(JOBS, {}).values():
        if job.proc.poll() is None:
            job.proc.kill()


@pytest.fixture(scope="session")
def background_job(request: pytest.FixtureRequest):
    """``background_job(name)`` waits for that job (starting it if needed) and returns (code, log)."""

    def get(name: str) -> tuple[int, str]:
        return _start_job(request.config, name).result()

    return get


@pytest.fixture(scope="session")
def jobs_folder(request: pytest.FixtureRequest) -> Path:
    """The folder the background jobs build in (one subfolder or log per job)."""
    return _jobs_folder(request.config)


@pytest.fixture(scope="session")
def book_build(request: pytest.FixtureRequest) -> BookBuild:
    """Build the whole book once, warnings as errors, executing every notebook from scratch."""
    job = _start_job(request.config, "book")
    code, log = job.result()
    out = job.log.parent / "book"
    return BookBuild(code, log, out / "_build" / "html")


# --- Browser tests (tests/test_browser.py): pages checked and page weights, in the summary ---
BROWSER_PAGES = pytest.StashKey[dict]()  # docname -> (own content bytes, total bytes transferred)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    pages = config.stash.get(BROWSER_PAGES, {})
    if not pages:
        return
    name, (own, _) = max(pages.items(), key=lambda item: item[1][0])
    terminalreporter.write_sep("-", "browser checks")
    terminalreporter.write_line(
        f"{len(pages)} pages checked in Chromium; largest page weight (HTML + images): "
        f"{own / 1e6:.3f} MB ({name}); largest total transferred: "
        f"{max(t for _, t in pages.values()) / 1e6:.3f} MB")
    if config.option.verbose > 0:
        for doc, (own_b, total_b) in sorted(pages.items()):
            terminalreporter.write_line(f"  {doc}: {own_b / 1e6:.3f} MB own, {total_b / 1e6:.3f} MB transferred")
