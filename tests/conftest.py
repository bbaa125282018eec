"""Shared fixtures: the repository's layout, one build of the book per session, and a browser.

The tiers (markers in pyproject.toml, commands in the Makefile; see the README):

* ``make check``: every test not marked ``build`` or ``docs`` (the library, the exercises, static
  checks of the notebooks): no book build, no browser, no network.
* ``make test``: everything here, strict nbval over every notebook, the book built once (the
  ``book_build`` fixture), the site in Chromium, Live Code, the PDFs and the slides.
* ``make test-envs``: the readers' environments (``noxfile.py``).

A test that uses ``book_build`` (directly or through ``site`` or ``browser``) is marked ``build``
here, so ``-m "not build"`` never builds the book. ``make test`` runs the other tests first, on one
pytest-xdist worker per core (``--dist loadscope``: a notebook's cells run in order in one kernel),
then the ``build`` tests in one process, so that the session fixture builds the book once (each
xdist worker would build its own: ``--dist loadgroup`` could keep them on one worker, but pytest-xdist
3.8 silently stops grouping under pytest 9.2, pytest-dev/pytest-xdist#1386).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from book.course.build.web import ROOT, chapter_notebooks, chromium, find_chromium, serve, toc_files

__all__ = ["ROOT", "BookBuild", "chapter_notebooks", "toc_files", "unavailable"]

BUILD_FIXTURES = {"book_build", "site", "browser"}


@pytest.hookimpl(tryfirst=True)  # before pytest deselects by marker (-m)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``build`` every test that needs the book build."""
    for item in items:
        if BUILD_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.build)


def unavailable(reason: str) -> None:
    """Skip a test whose browser or tool is missing, but fail under ``CI=true``, which must run it."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: this test must run; see `make browser-deps`)")
    pytest.skip(f"{reason}; see `make browser-deps`")


@dataclass(frozen=True)
class BookBuild:
    """The result of ``jupyter-book build`` into a fresh folder (so every notebook executes)."""

    returncode: int
    log: str
    html: Path
    #: where the live explorers' states were drawn (another build reuses them via RLBITS_EXPLORER_STATES)
    explorer_states: Path


def _jupyter_book(out: Path, *options: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``jupyter-book build`` of this repository into ``out``, warnings as errors (as the Makefile runs it)."""
    env = {k: v for k, v in (env or os.environ).items() if k != "MPLBACKEND"}  # Agg would drop every figure
    return subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), *options, "--path-output", str(out),
         "-W", "-n", "--keep-going"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)


@pytest.fixture(scope="session")
def book_build(tmp_path_factory: pytest.TempPathFactory) -> BookBuild:
    """Build the whole book once, warnings as errors, every notebook executed, into a temporary folder."""
    out = tmp_path_factory.mktemp("book")
    proc = _jupyter_book(out)
    build = out / "_build"
    return BookBuild(proc.returncode, proc.stdout + proc.stderr, build / "html", build / ".explorer_states")


@pytest.fixture(scope="session")
def instructor_build(book_build: BookBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The instructor edition as ``make instructor`` builds it (from the committed outputs), into a
    temporary folder; it reuses the explorer states the public build drew. Returns its HTML folder."""
    out = tmp_path_factory.mktemp("instructor")
    config = out / "_config.yml"
    subprocess.run([sys.executable, str(ROOT / "book" / "course" / "instructor" / "config.py"), str(config)], check=True)
    proc = _jupyter_book(out, "--toc", str(ROOT / "book" / "course" / "instructor" / "_toc.yml"), "--config", str(config),
                         env=dict(os.environ, RLBITS_EXPLORER_STATES=str(book_build.explorer_states),
                                  RLBITS_PHONE_FIGURES=str(book_build.html.parent / "phone_figures")))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "drawing its" not in proc.stdout, "the instructor edition redrew the explorers' states"
    return out / "_build" / "html"


@pytest.fixture(scope="session")
def site(book_build: BookBuild):
    """The built book served on a free port of 127.0.0.1: yields the base URL."""
    if not (book_build.html / "index.html").is_file():
        pytest.fail(f"the book build produced no HTML (exit {book_build.returncode}):\n{book_build.log[-3000:]}")
    with serve(book_build.html) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Playwright (``$CHROMIUM``, else ``chromium`` on the PATH)."""
    if not find_chromium():
        unavailable("Chromium is not installed (set CHROMIUM or put `chromium` on the PATH)")
    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def live_code(book_build: BookBuild) -> None:
    """Skip (fail under CI) where the book was built with Live Code off (thebe not fetched: ``make live-code``)."""
    if not (book_build.html / "_static" / "thebe" / "index.js").is_file():
        unavailable("the book was built with Live Code off: thebe is not fetched (`make live-code`, needs npm)")


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests save screenshots for people to look at (pytest's temporary folder)."""
    return tmp_path_factory.mktemp("screenshots", numbered=False)


# --- The browser tests' summary: pages checked and the largest page weight ---
# Each page test records ("page_weight", (docname, own bytes, total bytes)) in its report's user
# properties, which pytest-xdist carries from the workers to the process that prints the summary.
_PAGES: dict[str, tuple[int, int]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for key, value in getattr(report, "user_properties", ()):
        if key == "page_weight" and report.when == "call":
            docname, own, total = value
            _PAGES[docname] = (own, total)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not _PAGES:
        return
    name, (own, _) = max(_PAGES.items(), key=lambda item: item[1][0])
    terminalreporter.write_sep("-", "browser checks")
    terminalreporter.write_line(
        f"{len(_PAGES)} pages checked in Chromium; largest page weight (HTML + images): {own / 1e6:.3f} MB "
        f"({name}); largest total transferred: {max(t for _, t in _PAGES.values()) / 1e6:.3f} MB")


@pytest.fixture(autouse=True)
def instructor_may_reveal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests play the instructor: ``reveal=True`` shows answers only where ``RLBITS_REVEAL=1``
    (see ``rlbits.exercises``); ``tests/test_exercises.py`` checks the gate itself."""
    monkeypatch.setenv("RLBITS_REVEAL", "1")
