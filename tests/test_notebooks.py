"""Static checks of every chapter notebook: committed outputs, figures with captions and alt text,
exercises with hidden solutions, citations, and enough prose. (Re-execution is nbval's job.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, chapter_notebooks, toc_files

CHAPTERS = [p for p in chapter_notebooks() if re.match(r"\d\d_", p.name)]
MIN_WORDS = 1500


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    return "".join(cell.get("source", ""))


def _prose_words(nb: dict) -> int:
    text = " ".join(_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    text = re.sub(r"```.*?```", " ", text, flags=re.S)  # directives' options and code
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.S)  # math
    text = re.sub(r"\{[a-z:]+\}`[^`]*`", " 0 ", text)  # roles such as glue and cite
    return len(re.findall(r"[A-Za-z][A-Za-z'-]*", text))


def test_every_toc_entry_exists():
    for entry in toc_files():
        assert any((ROOT / f"{entry}{ext}").exists() for ext in (".ipynb", ".md")), entry


def test_there_are_chapters():
    assert CHAPTERS, "no chapter notebooks in the table of contents"


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_outputs_committed_and_clean(path):
    nb = _load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or not _source(cell).strip():
            continue
        assert cell.get("execution_count") is not None, f"unexecuted cell: {_source(cell)[:60]!r}"
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"error output in {path.name}"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), (
                f"stderr output (a warning?) in {path.name}: {''.join(out.get('text', ''))[:200]}")
        assert not re.search(r";\s*$", _source(cell).rstrip()), "trailing ';' does not suppress output under nbval"
    assert "widgets" not in nb["metadata"], "widget state is churn: run `make notebooks` to strip it"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_figures_have_caption_name_and_alt_text(path):
    nb = _load(path)
    figures = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        if any("image/png" in out.get("data", {}) for out in cell.get("outputs", [])):
            figures += 1
            meta = cell["metadata"].get("mystnb", {})
            assert meta.get("figure", {}).get("caption"), f"figure without caption: {_source(cell)[:80]!r}"
            assert meta.get("figure", {}).get("name", "").startswith("fig-"), "figure without a name"
            alt = meta.get("image", {}).get("alt", "")
            assert len(alt.split()) >= 8, f"figure alt text too thin: {alt!r}"
        for out in cell.get("outputs", []):
            assert "image/svg+xml" not in out.get("data", {}), "SVG output is not deterministic; use PNG"
    assert figures >= 3, f"{path.name} has {figures} figures"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_widgets_have_static_counterparts(path):
    nb = _load(path)
    for cell in nb["cells"]:
        src = _source(cell)
        if cell["cell_type"] == "code" and re.search(r"widgets\.\w+_explorer\(", src):
            tags = cell["metadata"].get("tags", [])
            assert "nbval-ignore-output" in tags, "widget cell must be tagged nbval-ignore-output"
            assert "remove-output" in tags, "an inert widget must be kept out of the static page"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_exercises_citations_and_prose(path):
    nb = _load(path)
    md = "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    exercises = re.findall(r"```\{exercise\}", md)
    solutions = re.findall(r"```\{solution\}[^\n]*\n:class: dropdown", md)
    assert len(exercises) >= 3, "at least three exercises"
    assert len(solutions) >= len(exercises), "every exercise needs a solution hidden in a dropdown"
    code = "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "code")
    assert re.search(r"check_\w+\(", code), "at least one auto-checked exercise"
    assert "{cite" in md, "the chapter cites its sources"
    assert not re.search(r"\b(TODO|TBD|FIXME|placeholder|lorem ipsum)\b", md, flags=re.I)
    words = _prose_words(nb)
    assert words >= MIN_WORDS, f"{path.name}: {words} words of prose"


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_glued_values_are_plain_numbers(path):
    """A NumPy scalar glued under NumPy 2 renders as 'np.float64(...)' and breaks {glue:text} formats."""
    nb = _load(path)
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if "glue" in out.get("metadata", {}).get("scrapbook", {}) or out.get("metadata", {}).get("scrapbook"):
                text = "".join(out.get("data", {}).get("text/plain", ""))
                assert not text.startswith("np."), f"glue a Python number, not {text[:40]}"
