"""The printable course material: PDFs made by headless Chromium from the built site (make pdf).

The worksheet prints on two sheets of A4 and of US Letter (the formula card is printed from the
instructor edition, ``make instructor-pdf``); the whole-book
PDF has every page of the book, its math typeset and its figures present, nothing wider than the
sheet. The PDFs are printed from the session's one book build (``book_build``)."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, toc_files

pytestmark = pytest.mark.build

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def printed(book_build):
    from pathlib import Path
    import os

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is missing (CI=true): run `make browser-deps`")
        pytest.skip("Chromium is not installed: run `make browser-deps` as root")
    if not (book_build.html / "index.html").is_file():
        pytest.fail(f"the book build produced no HTML:\n{book_build.log[-3000:]}")
    import sys

    sys.path.insert(0, str(ROOT))
    from book.course.build import pdf

    # Both papers for the one-page handouts; the whole book (about 40 s a paper size on CI) in A4 only:
    # `make pdf` prints it for US Letter too, with the same checks.
    reports = pdf.make_pdfs(book_build.html, only={"worksheet"})
    reports.update(pdf.make_pdfs(book_build.html, only={"book"}, papers=("A4",)))
    return book_build.html / "pdf", reports


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_worksheet_prints_on_two_pages(printed, paper):
    out, reports = printed
    report = reports[f"worksheet-{paper}.pdf"]
    assert report["pages"] == 2, report
    assert report["math"] > 0 and report["typeset"] == report["math"] and not report["raw"]
    assert not report["wide"] and not report["broken"]


def test_whole_book_pdf(printed):
    out, reports = printed
    report = reports["book-a4.pdf"]
    pages = len(toc_files())
    assert report["pages_joined"] == pages
    assert report["pages"] >= pages + 40, report["pages"]  # every page starts a sheet; chapters run long
    assert report["typeset"] == report["math"] > 500 and not report["raw"]
    assert report["images"] >= 20 and not report["broken"]
    assert not report["wide"]


def test_pdfs_linked_from_the_site(printed, book_build):
    out, _ = printed
    html = (book_build.html / "book" / "course" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="\.\./\.\./pdf/([\w-]+\.pdf)"', html)
    from book.course.build import pdf

    made_by_make_pdf = {f"{name}-{suffix}.pdf" for name in [*pdf.SINGLE, "book"] for suffix, _ in pdf.PAPERS.values()}
    assert set(links) == made_by_make_pdf
    for name in links:
        if (out / name).exists() or name != "book-letter.pdf":  # the tests print the book in A4 only
            assert (out / name).read_bytes().startswith(b"%PDF-")
    assert not (book_build.html / "book" / "course" / "formula_card.html").exists()


def test_print_rules_fit_both_papers():
    css = (ROOT / "book" / "_static" / "print.css").read_text(encoding="utf-8")
    page_rule = re.search(r"@page\s*\{([^}]*)\}", css).group(1)
    assert "size" not in page_rule, "no fixed paper size: A4 and US Letter both print"
    assert ".print-book-page + .print-book-page" in css and 'a[href^="http"]::after' in css


# --- the slides (make slides) ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def slides(book_build):
    import sys

    sys.path.insert(0, str(ROOT))
    from book.course.build import slides as builder

    if not (builder.REVEAL / "dist" / "reveal.js").is_file():
        pytest.skip("reveal.js is not installed: run `make browser-deps` (npm ci in book/course/slides)")
    return builder.build(book_build.html)


def test_reveal_is_pinned_from_npm():
    import json

    lock = json.loads((ROOT / "book" / "course" / "slides" / "package-lock.json").read_text())
    entry = lock["packages"]["node_modules/reveal.js"]
    assert entry["integrity"].startswith("sha512-")  # npm ci checks the tarball against it
    package = json.loads((ROOT / "book" / "course" / "slides" / "package.json").read_text())
    assert package["dependencies"]["reveal.js"] == entry["version"]  # exact pin


def test_slides_work_offline(slides, book_build):
    from pathlib import Path
    import os
    import sys

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is missing (CI=true)")
        pytest.skip("Chromium is not installed")
    sys.path.insert(0, str(ROOT))
    from book.course.build import pdf
    from playwright.sync_api import sync_playwright

    index = (book_build.html / "book" / "course" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../slides/index.html"' in index  # linked from the course page
    html = slides.read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="https?://|from .https?://', html), "the slides load nothing from the internet"
    assert "reveal.js/dist/reveal.js" in html
    errors: list[str] = []
    with pdf.serve(book_build.html) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=pdf.FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=2)
        outside = pdf._offline(context)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.goto(f"{base}/slides/index.html", wait_until="networkidle")
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        page.evaluate("MathJax.startup.promise")
        total = page.evaluate("Reveal.getTotalSlides()")
        raw_tex = page.evaluate("document.body.innerText.includes('\\\\log_2')")
        figures = page.evaluate("""() => [...document.querySelectorAll('.reveal img')].map(i =>
            [i.naturalWidth, i.getBoundingClientRect().width])""")
        (ROOT / "_build" / "screenshots").mkdir(parents=True, exist_ok=True)
        page.evaluate("Reveal.slide(7)")
        page.screenshot(path=str(ROOT / "_build" / "screenshots" / "slides_essay_plot.png"))
        browser.close()
    assert not outside and not errors, (outside, errors)
    assert total >= 15
    assert not raw_tex, "math is typeset"
    assert len(figures) >= 3
    # crisp on a projector: at least twice the pixels of the displayed size (reveal scales the slide)
    assert all(natural >= 2 * shown for natural, shown in figures), figures
    assert slides.stat().st_size < 1_500_000


def test_figures_in_dark_mode_are_not_white_boxes(book_build):
    """In the site's dark mode a chapter's figures are shown dark (lightness inverted, hues kept)."""
    from pathlib import Path
    import sys

    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    sys.path.insert(0, str(ROOT))
    from book.course.build import pdf
    from playwright.sync_api import sync_playwright

    with pdf.serve(book_build.html) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=pdf.FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
        pdf._offline(context)
        page = context.new_page()
        page.goto(f"{base}/book/02_information_gain.html", wait_until="networkidle")
        theme = page.evaluate("document.documentElement.dataset.theme")
        found = page.evaluate("""() => [...document.querySelectorAll('.cell_output img')].map(i => {
            const r = i.getBoundingClientRect();
            return [getComputedStyle(i).filter, i.naturalWidth, r.width, r.width <= i.parentElement.getBoundingClientRect().width + 1];
        })""")
        page.locator(".cell_output img").first.scroll_into_view_if_needed()
        (ROOT / "_build" / "screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ROOT / "_build" / "screenshots" / "dark_mode_figure.png"))
        browser.close()
    assert theme == "dark"
    assert found, "the chapter shows figures"
    for style, natural, shown, fits in found:
        assert "invert" in style and "hue-rotate(180deg)" in style, style
        assert fits, (natural, shown)


def test_slides_have_speaker_notes_alt_text_and_the_launch_address(slides):
    import yaml

    html = slides.read_text(encoding="utf-8")
    images = re.findall(r"<img\b[^>]*>", html)
    assert images and all(re.search(r'\balt="[^"]{20,}"', img) for img in images), "every slide image needs alt text"
    assert html.count('<aside class="notes">') >= 12
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["repository"]["url"].removeprefix("https://") in html  # the short address on slide 1
    assert 'class="qr-code" src="data:image/svg+xml' in html and "launch links:" not in html
