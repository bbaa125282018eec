"""Print the built site to PDF with headless Chromium (``make pdf``).

Writes, into ``<html>/pdf/``, for each paper size (A4 and US Letter):

* ``worksheet-<size>.pdf``: the in-class worksheet (two pages, with room to write);
* ``formula_card-<size>.pdf``: one page, from the instructor edition only (``make instructor-pdf``:
  the card answers the class exercises, so the public site does not carry it);
* ``book-<size>.pdf``: the whole book, every page of the public table of contents in order, one
  document (the pages' articles are put together in one browser page, so MathJax typesets all of it
  and each chapter starts on a new sheet).

Chromium is found and launched by :mod:`book.course.build.web` (``$CHROMIUM`` or ``chromium`` on the
PATH); the site is served from 127.0.0.1 and every other request is refused, so the PDFs are made
offline. Usage::

    python -m book.course.build.pdf _build/html [--only worksheet,book]
    python -m book.course.build.pdf _build/instructor/_build/html --only formula_card

Before printing, each page is checked: every math element typeset, every image loaded, and no element
wider than the printable width (no text cut at the page edge). A failed check stops the build.
"""

from __future__ import annotations

import argparse
import json
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from book.course.build import web

#: Paper sizes: Playwright format name -> (file suffix, printable width in CSS px at 96 px/inch, with the
#: 12 mm side margins of book/_static/print.css).
PAPERS = {"A4": ("a4", round((210 - 24) / 25.4 * 96)), "Letter": ("letter", round((215.9 - 24) / 25.4 * 96))}
SINGLE = {"worksheet": "book/course/worksheet.html"}
#: Handouts printed from the instructor edition only.
INSTRUCTOR_SINGLE = {"formula_card": "book/course/instructor/formula_card.html"}
MARGIN = {"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"}


def toc_pages() -> list[str]:
    """The public book's pages in reading order, as paths of their HTML relative to the site."""
    return [f"{f}.html" for f in web.toc_files()]


# JavaScript run in the page before printing: wait for MathJax, then report what would print badly.
_CHECK = """async (width) => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await document.fonts.ready;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const article = document.querySelector('article.bd-article') || document.body;
  const math = article.querySelectorAll('.math').length;
  const typeset = [...article.querySelectorAll('.math')].filter(m => m.querySelector('mjx-container')).length;
  const raw = [...article.querySelectorAll('.math')].filter(m => !m.querySelector('mjx-container')).length;
  const imgs = [...article.querySelectorAll('img')];
  imgs.forEach(i => { i.loading = 'eager'; });  // lazy images off screen would never load, nor resolve the wait
  const loaded = Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  await Promise.race([loaded, new Promise(r => setTimeout(r, 30000))]);  // an image still missing is reported below
  const broken = imgs.filter(i => !(i.naturalWidth > 0)).map(i => i.src);
  const left = article.getBoundingClientRect().left;
  const wide = [];
  for (const el of article.querySelectorAll('p, li, td, th, h1, h2, h3, mjx-math, img, pre, table, figure')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right - left > width + 1 && !el.closest('.cell_input, .highlight')) {
      const c = el.closest('mjx-container') || el;
      wide.push(el.tagName + ' ' + (c.textContent || el.src || '').trim().slice(0, 60) + ' ' + Math.round(r.right - left));
    }
  }
  return {math, typeset, raw, images: imgs.length, broken, wide: wide.slice(0, 10)};
}"""

# Scale down what is wider than the sheet (a long display equation, a wide table): print only, so the
# screen layout is untouched. Run after MathJax has typeset the page.
_FIT = """async (width) => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await document.fonts.ready;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const article = document.querySelector('article.bd-article') || document.body;
  const left = article.getBoundingClientRect().left;
  let scaled = 0;
  for (const el of article.querySelectorAll('mjx-container, table, .cell_output img, figure img')) {
    const box = el.tagName === 'MJX-CONTAINER' ? (el.querySelector('mjx-math') || el) : el;
    let r = box.getBoundingClientRect();
    if (r.width === 0 || r.right - left <= width + 1) { continue; }
    if (el.tagName === 'MJX-CONTAINER' && el.getAttribute('display') !== 'true' && r.width <= width) {
      el.style.display = 'inline-block';  // an inline formula that fits a line: let it start a new one
      r = box.getBoundingClientRect();
      if (r.right - left <= width + 1) { scaled += 1; continue; }
    }
    const room = width - Math.max(0, r.left - left);
    el.style.zoom = (0.98 * Math.min(room, width) / r.width).toFixed(3);
    scaled += 1;
  }
  return scaled;
}"""

# Put the articles of every page of the book into this page, in order, each starting a new sheet.
_ASSEMBLE = """async (urls) => {
  const main = document.querySelector('article.bd-article');
  main.innerHTML = '';
  for (const url of urls) {
    const html = await (await fetch(url)).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const art = doc.querySelector('article.bd-article');
    if (!art) { throw new Error('no article in ' + url); }
    for (const el of art.querySelectorAll('[src]')) { el.setAttribute('src', new URL(el.getAttribute('src'), url).href); }
    for (const el of art.querySelectorAll('a[href]')) {
      const h = el.getAttribute('href');
      if (!h.startsWith('#')) { el.setAttribute('href', new URL(h, url).href); }
    }
    const section = document.createElement('section');
    section.className = 'print-book-page';
    section.append(...art.childNodes);
    main.append(section);
  }
  document.title = 'Bits per Sample';
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  if (MathJax.typesetClear) { MathJax.typesetClear(); }
  await MathJax.typesetPromise([main]);
  return urls.length;
}"""


def _check(page, width: int, what: str) -> dict:
    report = page.evaluate(_CHECK, width)
    problems = []
    if report["raw"]:
        problems.append(f"{report['raw']} math elements not typeset")
    if report["broken"]:
        problems.append(f"images not loaded: {report['broken'][:3]}")
    if report["wide"]:
        problems.append(f"wider than the printable width {width}px: {report['wide']}")
    if problems:
        raise RuntimeError(f"{what}: " + "; ".join(problems))
    return report


def make_pdfs(html: Path, only: set[str] | None = None, papers: tuple[str, ...] = tuple(PAPERS),
              browser: Any = None) -> dict[str, dict]:
    """Print the PDFs into ``html / 'pdf'``; return a report per file (page check results).

    ``only`` restricts the documents (``worksheet``, ``book``, and ``formula_card`` from an instructor
    build) and ``papers`` the sizes (``A4``, ``Letter``); by default the public site's documents
    are printed. ``browser`` is a Playwright browser to print with (the tests pass theirs); by
    default :func:`book.course.build.web.chromium` starts one.
    """
    out = html / "pdf"
    out.mkdir(exist_ok=True)
    reports: dict[str, dict] = {}
    jobs = [(name, path) for name, path in SINGLE.items()] + [("book", None)]
    jobs += [(name, path) for name, path in INSTRUCTOR_SINGLE.items() if only is not None and name in only]
    jobs = [j for j in jobs if only is None or j[0] in only]
    with web.serve(html) as base, (nullcontext(browser) if browser else web.chromium()) as browser:
        for paper in papers:
            suffix, width = PAPERS[paper]
            context = browser.new_context(viewport={"width": width, "height": 1000})
            outside = web.refuse_outside(context, base)
            page = context.new_page()
            page.emulate_media(media="print", color_scheme="light")
            for name, path in jobs:
                if path is None:
                    page.goto(f"{base}/book/course/index.html", wait_until="networkidle")
                    count = page.evaluate(_ASSEMBLE, [f"{base}/{p_}" for p_ in toc_pages()])
                    page.wait_for_load_state("networkidle")
                else:
                    page.goto(f"{base}/{path}", wait_until="networkidle")
                    count = 1
                scaled = page.evaluate(_FIT, width)
                report = _check(page, width, f"{name} ({paper})")
                report["scaled_to_fit"] = scaled
                target = out / f"{name}-{suffix}.pdf"
                page.pdf(path=str(target), format=paper, margin=MARGIN, print_background=True,
                         prefer_css_page_size=False)
                report.update(pages_joined=count, bytes=target.stat().st_size, pages=pdf_pages(target))
                reports[target.name] = report
            if outside:
                raise RuntimeError(f"requests outside the site while printing: {outside[:5]}")
            context.close()
    return reports


def pdf_pages(path: Path) -> int:
    """Number of pages of a PDF Chromium wrote (its page objects; Chromium writes no object streams)."""
    import re

    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise ValueError(f"{path} is not a PDF")
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the built site, e.g. _build/html")
    parser.add_argument("--only", help="comma-separated subset of: worksheet, book, formula_card (instructor build)")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    print(json.dumps(make_pdfs(args.html, only), indent=1))


if __name__ == "__main__":
    main()
