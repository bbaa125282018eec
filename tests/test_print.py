"""The printable course material: PDFs made by headless Chromium from the built site (make pdf).

The worksheet prints on two sheets of A4 and of US Letter (the formula card is printed from the
instructor edition, ``make instructor-pdf``); the whole-book
PDF has every page of the book, its math typeset and its figures present, nothing wider than the
sheet. The PDFs are printed from a copy of the session's one book build (``book_build``), with the
browser helper ``make pdf`` uses (``book/course/build/web.py``)."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from book.course.build import pdf, web
from book.course.build import slides as slide_builder
from conftest import ROOT, toc_files, unavailable


@pytest.fixture(scope="module")
def html(book_build, tmp_path_factory):
    """A copy of the built site, for ``make pdf`` and ``make slides`` to write into as they do."""
    if not (book_build.html / "index.html").is_file():
        pytest.fail(f"the book build produced no HTML:\n{book_build.log[-3000:]}")
    copy = tmp_path_factory.mktemp("site") / "html"
    shutil.copytree(book_build.html, copy)
    return copy


@pytest.fixture(scope="module")
def printed(html, browser):
    # Both papers for the worksheet; the whole book (about 40 s a paper size on CI) in A4 only:
    # `make pdf` prints it for US Letter too, with the same checks.
    reports = pdf.make_pdfs(html, only={"worksheet"}, browser=browser)
    reports.update(pdf.make_pdfs(html, only={"book"}, papers=("A4",), browser=browser))
    return html / "pdf", reports


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


def test_pdfs_linked_from_the_site(printed, html):
    out, _ = printed
    links = re.findall(r'href="\.\./\.\./pdf/([\w-]+\.pdf)"', (html / "book" / "course" / "index.html").read_text(encoding="utf-8"))
    made_by_make_pdf = {f"{name}-{suffix}.pdf" for name in [*pdf.SINGLE, "book"] for suffix, _ in pdf.PAPERS.values()}
    assert set(links) == made_by_make_pdf
    for name in links:
        if (out / name).exists() or name != "book-letter.pdf":  # the tests print the book in A4 only
            assert (out / name).read_bytes().startswith(b"%PDF-")
    assert not (html / "book" / "course" / "formula_card.html").exists()


def test_print_rules_fit_both_papers():
    css = (ROOT / "book" / "_static" / "print.css").read_text(encoding="utf-8")
    page_rule = re.search(r"@page\s*\{([^}]*)\}", css).group(1)
    assert "size" not in page_rule, "no fixed paper size: A4 and US Letter both print"
    assert ".print-book-page + .print-book-page" in css and ".ws-head .qr-code" in css  # the QR code stands in for links


# --- the slides (make slides) ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def slides(html):
    if not (slide_builder.REVEAL / "dist" / "reveal.js").is_file():
        unavailable("reveal.js is not installed (npm ci in book/course/slides)")
    return slide_builder.build(html)


def test_reveal_is_pinned_from_npm():
    lock = json.loads((ROOT / "book" / "course" / "slides" / "package-lock.json").read_text())
    entry = lock["packages"]["node_modules/reveal.js"]
    assert entry["integrity"].startswith("sha512-")  # npm ci checks the tarball against it
    package = json.loads((ROOT / "book" / "course" / "slides" / "package.json").read_text())
    assert package["dependencies"]["reveal.js"] == entry["version"]  # exact pin


def test_slides_work_offline(slides, html, browser, screenshots):
    index = (html / "book" / "course" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../slides/index.html"' in index  # linked from the course page
    text = slides.read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="https?://|from .https?://', text), "the slides load nothing from the internet"
    assert "reveal.js/dist/reveal.js" in text
    errors: list[str] = []
    with web.serve(html) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=2)
        outside = web.refuse_outside(context, base)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.goto(f"{base}/slides/index.html", wait_until="networkidle")
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        page.evaluate("MathJax.startup.promise")
        total = page.evaluate("Reveal.getTotalSlides()")
        raw_tex = page.evaluate("document.body.innerText.includes('\\\\log_2')")
        figures = page.evaluate("""() => [...document.querySelectorAll('.reveal img[src^="data:image/png"]')].map(i =>
            [i.naturalWidth, i.getBoundingClientRect().width])""")
        page.evaluate("Reveal.slide(7)")
        page.screenshot(path=str(screenshots / "slides_essay_plot.png"))
        context.close()
    assert not outside and not errors, (outside, errors)
    assert total >= 15
    assert not raw_tex, "math is typeset"
    assert len(figures) >= 3
    # crisp on a projector: at least twice the pixels of the displayed size (reveal scales the slide)
    assert all(natural >= 2 * shown for natural, shown in figures), figures
    assert slides.stat().st_size < 1_500_000


def test_figures_in_dark_mode_are_not_white_boxes(browser, site, screenshots):
    """In the site's dark mode a chapter's figures are shown dark (lightness inverted, hues kept)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    outside = web.refuse_outside(context, site)
    page = context.new_page()
    page.goto(f"{site}/book/02_information_gain.html", wait_until="networkidle")
    theme = page.evaluate("document.documentElement.dataset.theme")
    found = page.evaluate("""() => [...document.querySelectorAll('.cell_output img')].map(i => {
        const r = i.getBoundingClientRect();
        return [getComputedStyle(i).filter, i.naturalWidth, r.width, r.width <= i.parentElement.getBoundingClientRect().width + 1];
    })""")
    page.locator(".cell_output img").first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "dark_mode_figure.png"))
    context.close()
    assert not outside, outside
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
    assert re.search(r'<img[^>]*class="qr-code"[^>]*src="data:image/svg\+xml', html) and "launch links:" not in html
