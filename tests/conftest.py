"""Shared fixtures: the repository layout and one full build of the book per test session."""

from __future__ import annotations

import os
import subprocess
import sys
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


@pytest.fixture(scope="session")
def book_build(tmp_path_factory: pytest.TempPathFactory) -> BookBuild:
    """Build the whole book once, warnings as errors, executing every notebook from scratch."""
    out = tmp_path_factory.mktemp("book")
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # Agg would drop every figure
    exe = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run(
        [str(exe), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )
    return BookBuild(proc.returncode, proc.stdout + proc.stderr, out / "_build" / "html")


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
