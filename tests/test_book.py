"""Build the whole book (warnings as errors, every notebook executed) and check the HTML."""

from __future__ import annotations

import ast
import json
import re

import pytest

from conftest import ROOT, chapter_notebooks, toc_files

GLUE_TEXT = re.compile(r"\{glue:text\}`(\w+)(?::([^`]+))?`")


def _page(book_build, entry: str) -> str:
    return (book_build.html / f"{entry}.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_book_builds_without_warnings(book_build):
    assert book_build.returncode == 0, book_build.log[-5000:]
    warnings = [line for line in book_build.log.splitlines() if "WARNING:" in line]  # Sphinx's, not the kernel's
    assert not warnings, warnings[:20]
    assert (book_build.html / "index.html").exists()


@pytest.mark.parametrize("entry", toc_files())
def test_every_toc_entry_has_a_clean_page(book_build, entry):
    html = _page(book_build, entry)
    assert "Traceback (most recent call last)" not in html
    assert 'class="output traceback' not in html and "output stderr" not in html
    assert "np.float64(" not in html, "a glued NumPy scalar leaked into the page"
    assert "Failed to format" not in html
    # no widget JavaScript is loaded, so the widget state myst-nb would embed is dead weight
    assert "application/vnd.jupyter.widget-state+json" not in html
    # nothing on the page is fetched from the network: scripts, styles and math are local
    for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html):
        pytest.fail(f"{entry} loads {url} from the network")


@pytest.mark.parametrize("nb", chapter_notebooks(), ids=lambda p: p.name)
def test_every_figure_is_on_the_page(book_build, nb):
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    expected = sum(any("image/png" in o.get("data", {}) for o in c.get("outputs", [])) for c in cells)
    entry = str(nb.relative_to(ROOT).with_suffix(""))
    html = _page(book_build, entry)
    imgs = re.findall(r'<img[^>]*src="\.\./_images/[^"]+"[^>]*>', html)
    narrow = [img for img in imgs if "phone-narrow" in img]  # a figure's phone variant (_ext/phone_figures.py)
    wide = [img for img in imgs if "phone-narrow" not in img]
    assert len(wide) == expected, f"{entry}: {len(wide)} images on the page, {expected} figures in the notebook"
    assert len(narrow) == sum("phone-wide" in img for img in wide), f"{entry}: a phone variant without its figure"
    for img in imgs:
        alt = re.search(r'alt="([^"]*)"', img)
        assert alt and len(alt.group(1).split()) >= 5, img[:200]


def test_math_is_served_locally(book_build):
    mj = book_build.html / "_static" / "mathjax"
    assert (mj / "tex-mml-chtml.js").stat().st_size > 500_000
    assert list((mj / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    html = _page(book_build, "book/01_entropy")
    assert 'src="../_static/mathjax/tex-mml-chtml.js"' in html
    assert html.count('class="math') > 20


@pytest.mark.parametrize("nb", chapter_notebooks(), ids=lambda p: p.name)
def test_glued_numbers_are_rendered(book_build, nb):
    """Every ``{glue:text}`` in the prose shows the glued value at its format (myst-nb's ``format``)."""
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    glued = {o["metadata"]["scrapbook"]["name"]: o["data"]["application/papermill.record/text/plain"]
             for c in cells for o in c.get("outputs", []) if o.get("metadata", {}).get("scrapbook")}
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    text = _text(_page(book_build, str(nb.relative_to(ROOT).with_suffix(""))))
    assert "{glue" not in text
    for key, fmt in GLUE_TEXT.findall(markdown):
        value = ast.literal_eval(glued[key])
        shown = format(value, fmt) if fmt else glued[key]
        assert shown in text, f"{nb.name}: {key} should read {shown!r}"


@pytest.mark.docs
def test_bibliography_lists_cited_works(book_build):
    html = _page(book_build, "book/bibliography")
    for needle in ["Shannon", "Patel", "Paleka", "Cover"]:
        assert needle in html


def test_exercise_solutions_are_hidden_by_default(book_build):
    html = _page(book_build, "book/01_entropy")
    assert html.count('class="solution dropdown') >= 3
