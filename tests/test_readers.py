"""The reader edition (readers/, made by tools/readers.py): fresh, free of MyST, right, and runnable.

- The committed reader notebooks are exactly what the generator makes from the committed chapters.
- No MyST-only syntax reaches a reader: roles, directives, targets, option lines, the book's macros.
- The generator's pieces against independent expectations (glue formatting against myst-nb's own
  function, numbers against the built site, small hand-written pages).
- The Binder and Colab buttons of the built site open the reader notebooks.
- The reader notebooks run top to bottom in a given environment's kernel: set ``READER_PYTHONS`` to
  one or more interpreters (``os.pathsep``-separated), e.g. those of the Colab-floors and Binder
  environments (see tests/reader_runs.py), or run ``python tools/readers.py --run ENV/bin/python``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("readers", ROOT / "tools" / "readers.py")
readers = importlib.util.module_from_spec(_spec)
sys.modules["readers"] = readers
_spec.loader.exec_module(readers)

READER_DIR = ROOT / readers.OUT
CONFIG = readers.load_config()
REPO = CONFIG["repository"]["url"].rstrip("/").removeprefix("https://github.com/")
BRANCH = CONFIG["repository"]["branch"]


def reader_files() -> list[Path]:
    return sorted(READER_DIR.rglob("*.ipynb"))


def notebook_pages() -> list[str]:
    return [page for page, _ in readers.toc_pages()
            if (p := readers.page_source(page)) is not None and p.suffix == ".ipynb"]


# --- fresh and complete ------------------------------------------------------------------------


def test_committed_reader_edition_is_what_the_generator_makes_now():
    wrong = readers.stale()
    assert not wrong, f"stale reader notebooks (run `make readers` and commit readers/): {wrong}"


def test_every_notebook_page_has_a_reader_notebook():
    expected = {readers.reader_relpath(page) for page in notebook_pages()}
    assert expected, "the table of contents lists no notebook pages"
    assert {p.relative_to(ROOT).as_posix() for p in reader_files()} == expected


def test_generator_is_deterministic():
    assert readers.generate() == readers.generate()


# --- no MyST left ------------------------------------------------------------------------------

MYST = {
    "role": re.compile(r"\{[a-zA-Z][\w:+-]*\}`"),
    "glue": re.compile(r"\{glue"),
    "directive": re.compile(r"^\s*(?:>\s*)*(?:`{3,}|~{3,}|:{3,})\s*\{", re.M),
    "target": re.compile(r"^\s*\([^()\s]+\)=\s*$", re.M),
    "option line": re.compile(r"^\s*:(?:label|class|nonumber|name|dropdown):", re.M),
    "substitution": re.compile(r"\{\{[^}]*\}\}"),
    "block break": re.compile(r"^\+\+\+\s*$", re.M),
}


def _myst_left(text: str) -> list[str]:
    found = [f"{name}: {m.group(0)!r}" for name, rx in MYST.items() for m in rx.finditer(text)]
    for name in readers.macros(CONFIG):
        found += [f"macro: {m.group(0)!r}" for m in re.finditer(r"\\" + name + r"(?![A-Za-z])", text)]
    return found


@pytest.mark.parametrize("path", reader_files(), ids=lambda p: p.relative_to(READER_DIR).as_posix())
def test_reader_notebook_is_plain_jupyter(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            problems += [f"cell {i}: {p}" for p in _myst_left(cell.source)]
        else:
            assert not cell.outputs and cell.execution_count is None, f"cell {i} keeps outputs"
            assert "mystnb" not in cell.metadata
    assert not problems, f"MyST-only syntax in {path.name}:\n" + "\n".join(problems[:20])
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert readers.is_install_cell(code[0].source), "the first code cell installs rlbits on Colab"
    assert f"git+{CONFIG['repository']['url'].rstrip('/')}@{BRANCH}" in code[0].source
    assert not code[0].metadata.get("jupyter", {}).get("source_hidden"), "the install cell is shown"


def test_the_myst_check_catches_what_it_is_for():
    """The check above is not vacuous: each kind of MyST it looks for is caught in a sample."""
    for sample in ["{glue:text}`x:.2f`", "see {ref}`ch-entropy`", "```{exercise}", "> ```{note}",
                   "(ch-x)=", ":label: ex-1", "$\\Hb(p)$", "$\\E[R]$", "{{ v }}", "+++"]:
        assert _myst_left(sample), sample
    assert not _myst_left("$H_{\\mathrm b}(p) = \\mathbb{E}[R]$, `code`, ```python\nx = {1: 2}\n```")


@pytest.mark.parametrize("page", notebook_pages(), ids=lambda p: p.removeprefix("book/"))
def test_every_hidden_cell_is_kept_collapsed_and_in_order(page):
    """Every code cell of the chapter is in its reader notebook, in order; hidden ones collapsed."""
    source = nbformat.read(readers.page_source(page), as_version=4)
    reader = nbformat.read(ROOT / readers.reader_relpath(page), as_version=4)
    kept = [c for c in reader.cells if c.cell_type == "code"]
    original = [c for c in source.cells if c.cell_type == "code"]
    assert len(kept) == len(original)
    for old, new in zip(original, kept):
        assert new.source.endswith(old.source)
        hidden = any(t in old.metadata.get("tags", []) for t in readers.HIDDEN_TAGS)
        if hidden and not readers.is_install_cell(old.source):
            assert new.metadata["jupyter"]["source_hidden"] is True and new.metadata["cellView"] == "form"
            assert new.source.startswith("# @title ")
        else:
            assert new.source == old.source and "jupyter" not in new.metadata


# --- what the generator writes, against independent expectations -------------------------------


def test_glued_numbers_are_formatted_as_myst_nb_formats_them():
    """Every {glue:text} of every page, formatted here and by myst-nb's own function, agrees."""
    from myst_nb.core.variables import format_plain_text

    book = readers.load_book()
    seen = 0
    for page in notebook_pages():
        nb = nbformat.read(readers.page_source(page), as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            for content in re.findall(r"\{glue:text\}`([^`]*)`", cell.source):
                key, fmt = content.rsplit(":", 1) if ":" in content else (content, "s")
                text = "".join(book.glue[page][key]["text/plain"])
                assert readers.format_plain_text(text, fmt) == format_plain_text(text, fmt)
                seen += 1
    assert seen > 100, f"only {seen} glued numbers found"


def test_glued_values_reach_the_prose():
    """A glue record's value, formatted by hand, is in the reader notebook where the role was."""
    nb = nbformat.read(readers.page_source("book/01_entropy"), as_version=4)
    records = readers.glue_records(nb)
    name = next(n for n in records if re.search(r"\{glue:text\}`" + re.escape(n) + r":\.2f`",
                                                 "".join(c.source for c in nb.cells)))
    value = f"{float(records[name]['text/plain']):.2f}"
    text = "".join(c.source for c in nbformat.read(READER_DIR / "01_entropy.ipynb", as_version=4).cells
                   if c.cell_type == "markdown")
    assert value in text


def _book(**glue) -> readers.Book:
    book = readers.Book(CONFIG, "https://example.org/site/", {"Hb": "H_{\\mathrm b}", "E": "\\mathbb{E}"})
    book.glue["book/x"] = {k: {"text/plain": v} for k, v in glue.items()}
    book.citations["k1"] = ("Cover and Thomas", "2006")
    book.bibliography_page = "book/bibliography"
    return book


def _render(text: str, book: readers.Book | None = None) -> str:
    book = book or _book()
    readers._scan_markdown(book, "book/x", 4, text, {})
    return readers.PageRenderer(book, "book/x").markdown(text)


def test_renderer_on_a_small_page():
    page = "\n".join([
        "(sec-a)=", "## A section", "",
        "We get {glue:text}`n:,` samples and {glue:text}`h:.3f` bits, $\\Hb(p)$ and $\\E[R]$ but not $\\Eta$.",
        "See {ref}`sec-a`, {ref}`the other <ex-a>`, {numref}`ex-a` and {cite:t}`k1` {cite}`k1`.", "",
        "```{exercise} Warm-up", ":label: ex-a", "", "Compute $\\Hb(1/2)$.", "```", "",
        "```{solution} ex-a", ":class: dropdown", "", "One bit.", "```", "",
        "```{admonition} Careful", ":class: tip", "", "Body line.", "```", "",
        ":::{note}", "A colon fence with {glue:text}`n:,`.", ":::", "",
        "```python", "x = {1: 2}  # {ref}`not a role in code`", "```"])
    book = _book(n="200000", h="0.4689955935892812")
    out = _render(page, book)
    assert "We get 200,000 samples and 0.469 bits, $H_{\\mathrm b}(p)$ and $\\mathbb{E}[R]$ but not $\\Eta$." in out
    assert "[A section](https://example.org/site/book/x.html#sec-a)" in out
    assert "[the other](https://example.org/site/book/x.html#ex-a)" in out
    assert "[Exercise 4.1](https://example.org/site/book/x.html#ex-a)" in out
    assert "[Cover and Thomas (2006)](https://example.org/site/book/bibliography.html)" in out
    assert "([Cover and Thomas, 2006](https://example.org/site/book/bibliography.html))" in out
    assert "#### Exercise 4.1: Warm-up\n\nCompute $H_{\\mathrm b}(1/2)$." in out
    assert "<details>\n<summary>Solution to Exercise 4.1</summary>\n\nOne bit.\n\n</details>" in out
    assert "> **Careful**\n>\n> Body line." in out
    assert "> **Note**\n>\n> A colon fence with 200,000." in out
    assert "```python\nx = {1: 2}  # {ref}`not a role in code`\n```" in out
    assert "(sec-a)=" not in out and ":label:" not in out


@pytest.mark.parametrize("text, problem", [
    ("{eq}`e1`", "role {eq}"),
    ("```{glue:figure} f\n```", "directive {glue:figure}"),
    ("{ref}`nowhere`", "unknown label"),
    ("{glue:text}`missing:.2f`", "no glue record"),
    ("{cite}`nobody`", "no bibtex file"),
])
def test_renderer_refuses_what_it_cannot_render(text, problem):
    with pytest.raises(readers.ReaderError, match=re.escape(problem)):
        _render(text)


def test_relative_links_point_at_the_website():
    out = _render('[card](../course/card.md#top), <a href="../../pdf/x.pdf">pdf</a>, [ext](https://a.b/c), [here](#s)')
    assert "[card](https://example.org/site/course/card.html#top)" in out
    assert '<a href="https://example.org/pdf/x.pdf">' in out
    assert "[ext](https://a.b/c)" in out and "[here](#s)" in out


def test_site_address_follows_the_repository_or_baseurl():
    assert readers.site_url({"repository": {"url": "https://github.com/Me/my-book"}}) == "https://me.github.io/my-book/"
    assert readers.site_url({"html": {"baseurl": "https://book.example/"},
                             "repository": {"url": "https://github.com/a/b"}}) == "https://book.example/"


# --- the built site: numbers and launch buttons ------------------------------------------------


def check_numbers_against_site(html: Path) -> int:
    """Every figure, exercise and theorem number the reader edition shows is the site's; return how many."""
    book = readers.load_book()
    checked = 0
    for label, target in book.targets.items():
        if target.number is None:
            continue
        page = (html / f"{target.page}.html").read_text(encoding="utf-8")
        at = page.find(f'id="{label}"')
        assert at >= 0, f"{label}: no such id on {target.page}.html"
        shown = re.search(r'caption-number">([^<]*)<', page[at:])
        assert shown and shown.group(1).strip() == target.number, (label, target.number, shown and shown.group(1))
        checked += 1
    return checked


def check_launch_buttons(html: Path) -> int:
    """Every notebook page's Binder and Colab links open its reader notebook; return the pages checked."""
    pages = notebook_pages()
    for page in pages:
        text = (html / f"{page}.html").read_text(encoding="utf-8")
        rel = readers.reader_relpath(page)
        assert f'href="https://mybinder.org/v2/gh/{REPO}/{BRANCH}?urlpath=lab/tree/{rel}"' in text, page
        assert f'href="https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/{rel}"' in text, page
        assert f"{page}.ipynb\"" not in text.replace(f'_sources/{page}.ipynb"', ""), (
            f"{page}: a link still opens the MyST source")
    return len(pages)


@pytest.mark.build
def test_numbers_match_the_built_site(book_build):
    assert book_build.returncode == 0, book_build.log[-3000:]
    assert check_numbers_against_site(book_build.html) > 40


@pytest.mark.build
def test_binder_and_colab_buttons_open_the_reader_notebooks(book_build):
    assert book_build.returncode == 0, book_build.log[-3000:]
    assert check_launch_buttons(book_build.html) == len(notebook_pages())


# --- they run ----------------------------------------------------------------------------------


def test_reader_notebook_runs_here():
    """The runner itself, on the shortest reader notebook, in this environment's kernel."""
    shortest = min(reader_files(), key=lambda p: len(nbformat.read(p, as_version=4).cells))
    assert readers.run(Path(sys.executable), [shortest], timeout=300) == []


PYTHONS = [p for p in os.environ.get("READER_PYTHONS", "").split(os.pathsep) if p]


@pytest.mark.skipif(not PYTHONS, reason="set READER_PYTHONS to the interpreters of the reader environments")
@pytest.mark.parametrize("python", PYTHONS)
def test_every_reader_notebook_runs_top_to_bottom_in_a_reader_environment(python):
    failures = readers.run(Path(python), reader_files(), timeout=600)
    assert not failures, "\n".join(failures)


def test_launch_extension_maps_pages_to_reader_notebooks():
    spec = importlib.util.spec_from_file_location("reader_launch", ROOT / "_ext" / "reader_launch.py")
    launch = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launch)
    for page in notebook_pages():
        assert launch.reader_path(page) == readers.reader_relpath(page)
    assert launch.reader_path("book/bibliography") is None
    buttons = [{"type": "group", "buttons": [
        {"text": "Binder", "url": f"https://mybinder.org/v2/gh/{REPO}/{BRANCH}?urlpath=lab/tree/book/03_variance.ipynb"},
        {"text": "Colab", "url": f"https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/book/03_variance.ipynb"},
        {"text": "Download", "url": "../_sources/book/03_variance.ipynb"}]}]
    context = {"header_buttons": json.loads(json.dumps(buttons))}
    launch.point_launch_buttons_at_readers(None, "book/03_variance", "page.html", context, None)
    urls = [b["url"] for b in context["header_buttons"][0]["buttons"]]
    assert urls == [f"https://mybinder.org/v2/gh/{REPO}/{BRANCH}?urlpath=lab/tree/readers/03_variance.ipynb",
                    f"https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/readers/03_variance.ipynb",
                    "../_sources/book/03_variance.ipynb"]
