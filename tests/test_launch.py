"""Live execution: launch buttons on every chapter page point at this repository, and every
chapter can install rlbits on Colab from the same repository URL (set once, in _config.yml)."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import ROOT, chapter_notebooks

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPO_URL = CONFIG["repository"]["url"].rstrip("/")
OWNER_REPO = REPO_URL.removeprefix("https://github.com/")
BRANCH = CONFIG["repository"]["branch"]


def test_launch_buttons_can_open_this_repository():
    """Binder and Colab open a GitHub repository's branch, and Live Code needs a BinderHub for its kernel."""
    launch = CONFIG["launch_buttons"]
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", REPO_URL), "Binder's and Colab's links need a GitHub repository"
    assert re.fullmatch(r"[\w./-]+", BRANCH)
    for key in ("binderhub_url", "colab_url"):
        assert urlsplit(launch[key]).scheme == "https" and urlsplit(launch[key]).hostname, key
    assert not launch.get("thebe") or launch.get("binderhub_url"), "Live Code (thebe) asks a BinderHub for its kernel"


def test_development_environment_is_pinned():
    reqs = (ROOT / "requirements.txt").read_text().splitlines()
    pins = [line for line in reqs if line and not line.startswith("#")]
    assert pins[-1] == "-e ."
    assert all("==" in line for line in pins[:-1]), "every requirement is pinned exactly"
    # Binder reads binder/ (a lean reader environment, run by `make test-envs`), not these files.
    assert not (ROOT / "runtime.txt").exists(), "runtime.txt belongs in binder/, which Binder reads instead"


@pytest.mark.parametrize("nb", chapter_notebooks(), ids=lambda p: p.name)
def test_colab_install_cell(nb):
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    first = "".join(code[0]["source"])
    assert "import rlbits" in first and "except ImportError" in first, "first code cell installs rlbits if missing"
    assert f"git+{REPO_URL}@{BRANCH}\"" in first, (
        "the install URL must match repository.url and repository.branch in _config.yml")
    assert "remove-cell" in code[0]["metadata"].get("tags", [])


@pytest.mark.parametrize("nb", chapter_notebooks(), ids=lambda p: p.name)
def test_launch_links_on_each_page(book_build, nb):
    rel = nb.relative_to(ROOT).as_posix()
    html = (book_build.html / rel.replace(".ipynb", ".html")).read_text(encoding="utf-8")
    reader = "readers/" + rel.removeprefix("book/")  # the buttons open the reader edition (tests/test_readers.py)
    assert f'href="https://mybinder.org/v2/gh/{OWNER_REPO}/{BRANCH}?urlpath=lab/tree/{reader}"' in html
    assert f'href="https://colab.research.google.com/github/{OWNER_REPO}/blob/{BRANCH}/{reader}"' in html
    assert "thebe-launch-button" in html or "initThebe" in html
