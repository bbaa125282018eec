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
#
# The suite runs in pytest-xdist workers (``-n auto --dist loadscope`` in pyproject.toml): one worker
# runs all of a module (or of a test class), so a notebook's cells share one kernel in order and a
# module's fixtures do their heavy work once. Every worker collects the same tests, so each job is
# started by the first worker to claim it (an exclusive lock file) and the others wait for the exit
# code it leaves beside its log. Only the controlling process stops jobs still running at the end,
# because a worker may finish its share before another has used a job.


@dataclass
class Job:
    """A subprocess in the background, possibly started by another worker; ``result()`` waits for it."""

    name: str
    folder: Path

    @property
    def log(self) -> Path:
        return self.folder / f"{self.name}.log"

    @property
    def returncode_file(self) -> Path:
        return self.folder / f"{self.name}.rc"

    def result(self, timeout: float = 2400) -> tuple[int, str]:
        deadline = time.monotonic() + timeout
        while not self.returncode_file.is_file():
            if time.monotonic() > deadline:
                _stop(self.folder / f"{self.name}.pid")
                return -9, f"job {self.name!r} did not finish within {timeout:.0f} s\n" + self._read_log()
            time.sleep(0.5)
        # the shell writes the code to a temporary file and renames it: it is never seen half-written
        return int(self.returncode_file.read_text().strip()), self._read_log()

    def _read_log(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.is_file() else ""


def _dispatch_env() -> dict[str, str]:
    """NPY_DISABLE_CPU_FEATURES naming every SIMD target NumPy dispatches to above its baseline here."""
    import numpy._core._multiarray_umath as umath  # noqa: PLC0415

    return {"NPY_DISABLE_CPU_FEATURES": " ".join(umath.__cpu_dispatch__)}


# --- The kernels this suite starts: their priority, and nbval's draw no images -----------------
# jupyter_client starts every kernel in a session of its own, and Linux shares the CPU between
# sessions (autogroups) by each group's nice value, whatever the nice values of the processes in it.
# So a kernel started by a job or worker that yields the CPU to the book build (see JOB_NICE) would
# compete with the book's kernels as an equal. Each such kernel starts with an IPYTHONDIR whose first
# startup file carries its process's nice value over to its session's group (best effort: where
# /proc/self/autogroup is missing or read-only, nothing changes).
#
# nbval compares the text of every output and skips images (image/png is on its skip list). So the
# kernels of this suite's two nbval runs (in the workers and in the dispatch-off job) also switch
# IPython's PNG formatter off, by a second startup file: every cell still runs and every figure still
# shows its text ("<Figure size 1100x750 with 2 Axes>"), which is compared; only the drawing of the
# images, a third of a chapter's run, is left out. So does the Binder run, whose pins are the book
# build's; the book build and the colab-floors run draw every figure.
NICE_STARTUP = """\
# This kernel's session yields the CPU as its process does (see tests/conftest.py).
def _rlbits_tests_nice_session():
    import os
    import time

    nice = os.nice(0)
    for _ in range(20):  # without CAP_SYS_ADMIN, Linux takes one such change per tenth of a second
        try:
            with open("/proc/self/autogroup", "w") as fh:
                fh.write(str(nice))
            return
        except BlockingIOError:
            time.sleep(0.05)
        except OSError:
            return


_rlbits_tests_nice_session()
del _rlbits_tests_nice_session
"""
NO_PNG_STARTUP = """\
# nbval compares text outputs only: this kernel draws no PNG images (see tests/conftest.py).
get_ipython().display_formatter.formatters["image/png"].enabled = False
"""


def kernel_ipython_dir(folder: Path, draw_images: bool = True) -> Path:
    """An IPYTHONDIR at ``folder`` for this suite's kernels: priority as above, and no PNGs if not ``draw_images``."""
    startup = folder / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    files = {"00-nice-session.py": NICE_STARTUP, **({} if draw_images else {"01-no-png.py": NO_PNG_STARTUP})}
    for name, text in files.items():
        path = startup / name
        if not path.is_file():  # written whole (renamed into place): a kernel starting now never reads half of it
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
    return folder


def nbval_ipython_dir(folder: Path) -> Path:
    """An IPYTHONDIR at ``folder`` whose startup files set the kernel's priority and switch PNGs off."""
    return kernel_ipython_dir(folder, draw_images=False)


class NbvalKernelsDrawNoImages:
    """Plugin: each notebook nbval runs here starts its kernel with IPYTHONDIR set to ``nbval_ipython_dir``.

    A plugin, not a conftest hook, because this conftest's item hooks apply only to tests/, and the
    notebooks are in book/. nbval starts a notebook's kernel while it sets up the notebook's first cell.
    """

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.ipython_dir: Path | None = None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item):
        if not type(item).__module__.startswith("nbval"):
            return (yield)
        if self.ipython_dir is None:
            self.ipython_dir = nbval_ipython_dir(self.config._tmp_path_factory.getbasetemp() / "ipython-nbval")  # type: ignore[attr-defined]
        previous = os.environ.get("IPYTHONDIR")
        os.environ["IPYTHONDIR"] = str(self.ipython_dir)
        try:
            return (yield)
        finally:
            if previous is None:
                os.environ.pop("IPYTHONDIR", None)
            else:
                os.environ["IPYTHONDIR"] = previous


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(NbvalKernelsDrawNoImages(config), "nbval-kernels-draw-no-images")


# The live explorers' states are cached where `make book` keeps them, keyed by a hash of rlbits.
STATES = {"RLBITS_EXPLORER_STATES": str(ROOT / "_build" / ".explorer_states")}


def _job_commands(tmp: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    py = sys.executable
    runs = str(ROOT / "tests" / "reader_runs.py")
    return {
        "book": ([str(Path(py).parent / "jupyter-book"), "build", str(ROOT), "--path-output", str(tmp / "book"),
                  "-W", "-n", "--keep-going"], STATES),
        "nbval-dispatch-off": ([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-o", "addopts=",
                                "--nbval", "--nbval-current-env", *map(str, chapter_notebooks())],
                               {**_dispatch_env(), "IPYTHONDIR": str(nbval_ipython_dir(tmp / "ipython-dispatch-off"))}),
        "colab-floors": ([py, runs, "--env", "colab-floors", "--venv", str(tmp / "venv-colab-floors"),
                          "--mode", "full", "--explorers"], {"IPYTHONDIR": str(kernel_ipython_dir(tmp / "ipython"))}),
        # Binder pins what requirements.txt pins, so the book build has drawn every figure with these
        # versions: this run proves the visible cells and the explorers, and draws no static PNGs.
        "binder": ([py, runs, "--env", "binder", "--venv", str(tmp / "venv-binder"), "--mode", "visible",
                    "--explorers"], {"IPYTHONDIR": str(kernel_ipython_dir(tmp / "ipython-no-png", draw_images=False))}),
    }


def _jobs_folder(config: pytest.Config) -> Path:
    """``jobs/`` in the session's base temporary folder, shared by every xdist worker."""
    base = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    if hasattr(config, "workerinput"):  # an xdist worker's base folder is popen-gwN inside the session's
        base = base.parent
    tmp = base / "jobs"
    tmp.mkdir(exist_ok=True)
    return tmp


def _start_job(config: pytest.Config, name: str) -> Job:
    """The job ``name``: started here unless another worker claimed it first."""
    jobs = config.stash.setdefault(JOBS, {})
    if name in jobs:
        return jobs[name]
    tmp = _jobs_folder(config)
    job = Job(name, tmp)
    try:
        os.close(os.open(tmp / f"{name}.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:  # another worker started it
        jobs[name] = job
        return job
    argv, extra = _job_commands(tmp)[name]
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # Agg would drop every figure
    env = {k: v for k, v in env.items() if not k.startswith("PYTEST_XDIST")}
    env.update(extra)
    # The book build is what most waiting tests need, so the other jobs yield the CPU to it (nice).
    if JOB_NICE[name]:
        argv = ["nice", "-n", str(JOB_NICE[name]), *argv]
    # The shell records the exit code once the job is done. Its own process group lets the controller
    # stop it; it stays in the session, because Linux gives each session an equal share of the CPU
    # whatever its processes' nice values (autogroups), and the priorities above would then not count.
    wrapper = ["/bin/sh", "-c", '"$@"; echo $? > "$0.tmp" && mv "$0.tmp" "$0"', str(job.returncode_file), *argv]
    with job.log.open("w") as fh:
        proc = subprocess.Popen(wrapper, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                process_group=0)
    (tmp / f"{name}.pid").write_text(str(proc.pid))
    jobs[name] = job
    return job


def _stop(pid_file: Path) -> None:
    """Kill the process group of a job that has not finished."""
    import signal

    if not pid_file.is_file() or pid_file.with_suffix(".rc").is_file():
        return
    try:
        os.killpg(int(pid_file.read_text()), signal.SIGKILL)
    except (ProcessLookupError, PermissionError, ValueError):
        pass


JOBS = pytest.StashKey[dict]()


def _jobs_of(item: pytest.Item) -> set[str]:
    """The background jobs ``item`` needs: ``book`` for the ``book_build`` fixture, and its ``job`` marks."""
    jobs = {m.args[0] for m in item.iter_markers("job")}
    if "book_build" in getattr(item, "fixturenames", ()):
        jobs.add("book")
    return jobs


def _scope(item: pytest.Item) -> str:
    """The unit ``--dist loadscope`` gives one worker: the test's class, else its module (or notebook)."""
    return item.nodeid.rsplit("::", 1)[0]


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the tests so that no worker waits for a job while other tests could run.

    Whole scopes (see ``_scope``) are ordered: first those that need no job (the library tests and
    nbval run while the jobs do), then those that need the book build, then those that need the
    slower reader-environment jobs, which finish last. pyproject.toml passes
    ``--no-loadscope-reorder`` so that pytest-xdist hands out scopes in this order (by default it
    sorts them by their number of tests).
    """
    rank: dict[str, int] = {}
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        jobs = _jobs_of(item)
        scope = _scope(item)
        first.setdefault(scope, i)
        rank[scope] = max(rank.get(scope, 0), 0 if not jobs else 1 if jobs == {"book"} else 2)

    def key(item: pytest.Item) -> tuple[int, int, int]:
        scope = _scope(item)
        slow = SLOWEST_FIRST.index(scope) if scope in SLOWEST_FIRST else len(SLOWEST_FIRST)
        return rank[scope], slow, first[scope]

    items.sort(key=key)  # stable: the order within each scope is kept


# The slowest scopes of each group, slowest first: handed out before the others of their group, so
# that the two workers finish at about the same time (longest processing time first). The order
# changes nothing else.
SLOWEST_FIRST = (
    "tests/test_browser.py::TestChapterPages",
    "tests/test_live_explorers.py",
    "tests/test_print.py",
    "tests/test_browser.py::TestOtherPages",
    "book/06_training_both_ways.ipynb",
    "tests/test_widgets.py",
    "tests/test_information.py",
    "tests/test_training.py",
)


# Priorities (nice values): the book build runs at the session's, since every test of the second
# group waits for it. The two reader-environment runs, the longest serial runs after it with nothing
# to share them out, come next; the dispatch-off nbval run (shorter) and the xdist workers (which lower
# their own once they have started the jobs, and whose tests two workers share) come last.
JOB_NICE = {"book": 0, "colab-floors": 2, "binder": 2, "nbval-dispatch-off": 5}
WORKER_NICE = 5


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start every background job a selected test needs (``book_build`` or ``@pytest.mark.job``)."""
    if session.config.option.collectonly:
        return
    wanted = set()
    for item in session.items:
        wanted |= _jobs_of(item)
    for name in sorted(wanted):
        _start_job(session.config, name)
    if "book" in wanted and hasattr(session.config, "workerinput"):
        os.nice(WORKER_NICE)
        # and the kernels this worker starts yield in their own sessions too (see kernel_ipython_dir)
        os.environ["IPYTHONDIR"] = str(kernel_ipython_dir(_jobs_folder(session.config) / "ipython"))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The controlling process (not an xdist worker) stops every job still running."""
    if hasattr(session.config, "workerinput"):
        return
    tmp = session.config._tmp_path_factory.getbasetemp() / "jobs"  # type: ignore[attr-defined]
    for pid_file in tmp.glob("*.pid") if tmp.is_dir() else ():
        _stop(pid_file)


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
    return BookBuild(code, log, job.folder / "book" / "_build" / "html")


# --- Browser tests (tests/test_browser.py): pages checked and page weights, in the summary ---
# Each page test records ("page_weight", (docname, own bytes, total bytes)) in its report's user
# properties, which xdist carries from the workers to the controlling process that prints the summary.
_PAGES: dict[str, tuple[int, int]] = {}  # docname -> (own content bytes, total bytes transferred)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for key, value in getattr(report, "user_properties", ()):
        if key == "page_weight" and report.when == "call":
            docname, own, total = value
            _PAGES[docname] = (own, total)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    pages = _PAGES
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
