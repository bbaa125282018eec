"""Every chapter's explorer is live on the static website, checked in a real headless Chromium.

The site built once per session by the ``book_build`` fixture is served on 127.0.0.1 and each
chapter page is opened in Debian's Chromium (see ``benchmarks/live_site.py``, which drives it and
is shared with ``python -m benchmarks``). For every chapter page the tests check that:

* the page has exactly one live explorer, each of ``rlbits.widgets.STATIC_GRIDS`` is on one page,
  and the chapter's static figure stays for readers without JavaScript;
* moving each control through several values shows the matching state: the image file for those
  values, loaded, with the alt text ``rlbits`` computes for them, and the control's visible readout
  and ``aria-valuetext`` naming the value;
* the controls work from the keyboard (arrows, Home, End, Tab), have visible labels, and the block
  says the figure is precomputed and links to Binder and Colab;
* no request fails or leaves the site, nothing is logged as an error, only the first state's image
  is requested at load, and the page's own weight at load stays within 1.5 MB;
* every move's response time (until its figure is shown, each state's first visit, cache cold) is
  measured, and the percentiles are printed and written to ``live-explorers.json`` in pytest's basetemp. The 50 ms
  budget at the 95th percentile is judged by ``python -m benchmarks`` (``benchmarks/live_site.py``),
  on a quiet machine, not here: this suite shares its cores with builds and other browsers, and a
  timed assertion would measure them.
"""

from __future__ import annotations

import json
import os

import pytest

from benchmarks import live_site
from conftest import ROOT, chapter_notebooks

PAGES = live_site.explorer_pages()


def test_every_chapter_has_exactly_one_live_explorer_and_every_explorer_a_page():
    from rlbits import widgets

    chapters = [nb.relative_to(ROOT).with_suffix("").as_posix() for nb in chapter_notebooks()
                if nb.name[:2].isdigit()]
    assert sorted(PAGES) == sorted(chapters), "every chapter page shows its explorer"
    assert sorted(PAGES.values()) == sorted(widgets.STATIC_GRIDS), "every explorer is on one page"
    for doc in chapters:
        text = (ROOT / f"{doc}.ipynb").read_text(encoding="utf-8")
        assert text.count("{live-explorer}") == 1, doc


@pytest.fixture(scope="module")
def first_pass(browser, site):
    """Every page operated once: ``docname -> PageResult``."""
    return {doc: live_site.check_page(browser, site, doc, name) for doc, name in PAGES.items()}


@pytest.mark.parametrize("docname", sorted(PAGES))
def test_live_explorer_in_browser(first_pass, docname):
    res = first_pass[docname]
    print(f"{docname}: {res.moves} moves, {res.keyboard_moves} keyboard moves, "
          f"{res.initial_bytes / 1e6:.3f} MB at load, moves in ms: {[round(t, 1) for t in res.times_ms]}")
    from rlbits import widgets

    problems = list(res.problems)
    controls = len(widgets.STATIC_GRIDS[res.explorer].controls)
    if res.moves < 2 * controls:
        problems.append(f"only {res.moves} moves for {controls} controls")
    if res.keyboard_moves < 2:
        problems.append(f"only {res.keyboard_moves} keyboard moves")
    if res.state_requests_at_load > 1:
        problems.append(f"{res.state_requests_at_load} state images requested at load (states load on demand)")
    if res.initial_bytes >= live_site.MAX_INITIAL_BYTES:
        problems.append(f"page weight at load {res.initial_bytes / 1e6:.2f} MB is over 1.5 MB")
    if not res.times_ms:
        problems.append("no move was timed")
    assert not problems, f"{docname}.html:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("docname", sorted(PAGES))
def test_static_figure_without_javascript(browser, site, docname):
    problems = live_site.check_without_javascript(browser, site, docname)
    assert not problems, f"{docname}.html:\n  " + "\n  ".join(problems)


def test_every_move_is_timed_and_recorded(first_pass, book_build, tmp_path_factory):
    timing = live_site.summary(list(first_pass.values()))
    record = {"pass": timing, "site": live_site.site_added_bytes(book_build.html), "load_average": os.getloadavg()[0],
              "goal_p95_ms": live_site.GOAL_P95_MS}
    (tmp_path_factory.getbasetemp() / "live-explorers.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    print(f"live explorers: {timing['moves_timed']} timed moves, median {timing['median_ms']:.1f} ms, "
          f"p95 {timing['p95_ms']:.1f} ms at load {record['load_average']:.1f} (budget {live_site.GOAL_P95_MS} ms, "
          f"judged by python -m benchmarks); site adds {record['site']['total_bytes'] / 1e6:.2f} MB in "
          f"{record['site']['states']} states")
    assert timing["moves_timed"] >= 3 * len(PAGES)
    assert all(res.times_ms and all(t > 0 for t in res.times_ms) for res in first_pass.values())


# --- Phones: the explorer's text readable at 390 CSS px, the images sharp (drawn at 2x) ---------

#: The smallest legend, tick or annotation text a reader should see, in CSS px (WCAG has no figure
#: rule; 9 px is about the smallest a phone's reader can read without zooming).
MIN_TEXT_CSS_PX = 9.0

SHOWN_JS = """() => {
  const root = document.querySelector('.live-explorer');
  const img = root.querySelector('img.live-explorer-image');
  const data = JSON.parse(root.querySelector('script.live-explorer-data').textContent);
  const box = img.getBoundingClientRect();
  return {src: img.currentSrc, natural: img.naturalWidth, shown: box.width, right: box.right,
          page: document.documentElement.clientWidth, variants: data.variants, state: root.dataset.state};
}"""


def _text_css_px(seen: dict) -> tuple[str, float, float]:
    """``(variant, smallest text in CSS px, image pixels per CSS px)`` of the explorer image shown.

    A font of ``s`` points drawn at ``dpi`` is ``s * dpi / 72`` image pixels tall; the page shows the
    image ``shown`` CSS px wide for its ``natural`` pixels, so the text is that times shown / natural.
    The font size and dpi are those the build drew the variant with (the page's state data).
    """
    variant = "narrow" if "/narrow/" in seen["src"] else "wide"
    v = seen["variants"][variant]
    density = seen["natural"] / seen["shown"]
    return variant, v["min_text_pt"] * v["dpi"] / 72 / density, density


@pytest.mark.parametrize("width", [390, 768, 1366])
def test_explorer_text_is_readable_and_sharp_at_every_width(browser, site, width):
    """At 390 px the narrow variant shows, its smallest text >= 9 CSS px; at every width the image has
    at least 2 pixels per CSS px (also after a move, when the script swaps the image in)."""
    problems, report = [], []
    context = browser.new_context(viewport={"width": width, "height": 844}, device_scale_factor=2)
    try:
        for docname in sorted(PAGES):
            page = context.new_page()
            page.goto(f"{site}/{docname}.html", wait_until="load")
            page.locator(".live-explorer").scroll_into_view_if_needed()
            page.wait_for_function(live_site.FIRST_IMAGE_JS, timeout=15_000)
            checks = [page.evaluate(SHOWN_JS)]
            # one move of the first control to its last value: the swapped-in image is measured too
            key = page.evaluate("""() => {
              const root = document.querySelector('.live-explorer');
              const el = root.querySelector('[data-control]');
              const last = el.tagName === 'SELECT' ? el.options.length - 1 : Number(el.max);
              el.value = String(last === Number(el.value) ? 0 : last);
              el.dispatchEvent(new Event('change'));
              return [...root.querySelectorAll('[data-control]')].map(e => e.value).join('-');
            }""")
            page.wait_for_function("key => document.querySelector('.live-explorer').dataset.state === key "
                                   "&& document.querySelector('.live-explorer img').complete", arg=key, timeout=15_000)
            checks.append(page.evaluate(SHOWN_JS))
            for seen in checks:
                variant, text_px, density = _text_css_px(seen)
                report.append(f"{docname} [{seen['state']}]: {variant}, text {text_px:.1f} CSS px, {density:.2f}x")
                if density < 2 - 1e-6:
                    problems.append(f"{docname}: {density:.2f} image pixels per CSS px (want 2)")
                if seen["right"] > seen["page"] + 0.5:
                    problems.append(f"{docname}: the image runs past the page's right edge")
                if width <= 390 and (variant != "narrow" or text_px < MIN_TEXT_CSS_PX):
                    problems.append(f"{docname}: {variant} variant, smallest text {text_px:.1f} CSS px "
                                    f"(want the narrow one, >= {MIN_TEXT_CSS_PX})")
            page.close()
    finally:
        context.close()
    print(f"width {width}:\n  " + "\n  ".join(report))
    assert not problems, "\n  ".join(problems)


#: The smallest font a chapter figure uses (``fontsize=7.5`` in Chapter 4), drawn at the book's 100 dpi.
SMALLEST_FIGURE_TEXT_PX = 7.5 * 100 / 72

# img.phone-wide: hidden on a phone, where its narrow variant shows (test_figures_of_several_panels_...)
FIGURES_JS = """() => [...document.querySelectorAll('div.cell_output img:not(.phone-wide)')].map(img => {
  const box = img.getBoundingClientRect();
  const own = parseFloat(img.style.width) || img.naturalWidth / 2;  // its size as drawn (CSS px)
  let hidden = null;
  for (let el = img.parentElement; el; el = el.parentElement) {
    const s = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 1 && !['auto', 'scroll'].includes(s.overflowX)) { hidden = el.className; break; }
    if (['auto', 'scroll'].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1) break;
  }
  return {src: img.getAttribute('src'), shown: box.width, own: own, clipped_by: hidden};
})"""


def test_static_figures_keep_readable_text_on_a_phone(browser, site):
    """At 390 px a chapter figure is not shrunk below 9 CSS px text: it keeps its own size and scrolls.

    The text size is the figure's smallest font at its own size times shown / own width; a figure that
    overflows must sit in a box that scrolls (not one that clips it).
    """
    problems, shown = [], 0
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    try:
        page = context.new_page()
        for docname in sorted(PAGES):
            page.goto(f"{site}/{docname}.html", wait_until="load")
            for fig in page.evaluate(FIGURES_JS):
                shown += 1
                text_px = SMALLEST_FIGURE_TEXT_PX * fig["shown"] / fig["own"]
                if text_px < MIN_TEXT_CSS_PX:
                    problems.append(f"{docname}: {fig['src']} shown {fig['shown']:.0f} of {fig['own']:.0f} px, "
                                    f"text {text_px:.1f} CSS px")
                if fig["clipped_by"] is not None:
                    problems.append(f"{docname}: {fig['src']} is clipped by .{fig['clipped_by']}")
    finally:
        context.close()
    assert shown >= len(PAGES), "every chapter shows figures"
    assert not problems, "\n  ".join(problems)



# --- Figures of several panels: a stacked, narrow variant on phones (_ext/phone_figures.py) ---------


#: The chapters have this many figures of several panels or more (25 when this was written).
MIN_PHONE_FIGURES = 20


def phone_variant_figures() -> dict[str, list[str]]:
    """``docname -> names of its figures`` whose cell ends with ``show(fig)`` (``rlbits.plotting.show``)."""
    out = {}
    for nb in chapter_notebooks():
        doc = nb.relative_to(ROOT).with_suffix("").as_posix()
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        names = [c["metadata"]["mystnb"]["figure"]["name"] for c in cells if c["cell_type"] == "code"
                 and "".join(c["source"]).rstrip().endswith("show(fig)")]
        if names:
            out[doc] = names
    return out


PAIR_JS = """(name) => {
  const fig = document.getElementById(name);
  const one = img => {
    if (!img) return null;
    const box = img.getBoundingClientRect();
    return {src: img.getAttribute('src').split('/').pop(), alt: img.getAttribute('alt'),
            shown: img.getClientRects().length > 0 ? box.width : 0, right: box.right,
            own: parseFloat(img.style.width) || parseFloat(img.getAttribute('width')) || img.naturalWidth / 2,
            loaded: img.complete && img.naturalWidth > 0};
  };
  return {wide: one(fig && fig.querySelector('img.phone-wide')),
          narrow: one(fig && fig.querySelector('img.phone-narrow')),
          page: document.documentElement.clientWidth};
}"""


def test_every_figure_of_several_panels_has_a_phone_variant():
    """Every chapter cell that draws several panels (``plt.subplots(n, m)``, ``new_axes(..., ncols=n)``)
    ends with ``show(fig)``, which gives the website its narrow variant."""
    import re

    several = re.compile(r"plt\.subplots\((?!\s*\))|new_axes\((?:[^()]|\([^()]*\))*ncols=")
    missing, count = [], 0
    for nb in chapter_notebooks():
        if not nb.name[:2].isdigit():  # the appendix's Performance page keeps its figures (they scroll)
            continue
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            src = "".join(cell["source"])
            if cell["cell_type"] == "code" and several.search(src):
                count += 1
                if not src.rstrip().endswith("show(fig)"):
                    missing.append(f"{nb.name}: {cell['metadata'].get('mystnb', {}).get('figure', {}).get('name')}")
    assert count >= MIN_PHONE_FIGURES and not missing, missing


@pytest.mark.parametrize("width", [390, 1366])
def test_figures_of_several_panels_show_one_variant_per_screen(browser, site, screenshots, width):
    """At 390 px each figure of several panels shows its narrow variant (panels stacked), its smallest text
    >= 9 CSS px, within the page; the wide image is not downloaded. At 1366 px the wide one shows and the
    narrow one is not downloaded. Both carry the same alt text."""
    figures = phone_variant_figures()
    problems, report = [], []
    context = browser.new_context(viewport={"width": width, "height": 844}, device_scale_factor=2)
    try:
        for docname, names in sorted(figures.items()):
            page = context.new_page()
            requested = []
            page.on("request", lambda r: requested.append(r.url.split("?")[0].split("/").pop()))
            page.goto(f"{site}/{docname}.html", wait_until="load")
            seen = {}
            for name in names:
                page.locator(f"[id='{name}']").scroll_into_view_if_needed()
                page.wait_for_function("(name) => [...document.getElementById(name).querySelectorAll('img')]"
                                       ".some(i => i.getClientRects().length > 0 && i.complete && i.naturalWidth > 0)",
                                       arg=name, timeout=15_000)
                seen[name] = page.evaluate(PAIR_JS, name)
            if docname == sorted(figures)[0]:
                page.locator(f"[id='{names[0]}']").screenshot(path=str(screenshots / f"phone_variant_{width}.png"))
                page.emulate_media(media="print")  # on paper the figure as designed, at any width
                printed = page.evaluate(PAIR_JS, names[0])
                if not printed["wide"]["shown"] or printed["narrow"]["shown"]:
                    problems.append(f"{docname} {names[0]}: printed at {width} px, the wide image is not the one shown")
                page.emulate_media(media="screen")
            page.wait_for_timeout(300)
            page.close()
            for name, pair in seen.items():
                wide, narrow = pair["wide"], pair["narrow"]
                if wide is None or narrow is None:
                    problems.append(f"{docname} {name}: no narrow variant on the page")
                    continue
                if not wide["alt"] or wide["alt"] != narrow["alt"]:
                    problems.append(f"{docname} {name}: the two images' alt texts differ or are empty")
                shown, hidden = (narrow, wide) if width <= 390 else (wide, narrow)
                text_px = SMALLEST_FIGURE_TEXT_PX * shown["shown"] / shown["own"]
                report.append(f"{name}: {'narrow' if width <= 390 else 'wide'} {shown['shown']:.0f} of "
                              f"{shown['own']:.0f} px, smallest text {text_px:.1f} CSS px")
                if not shown["shown"] or not shown["loaded"] or hidden["shown"]:
                    problems.append(f"{docname} {name}: at {width} px the {'wide' if width > 390 else 'narrow'} "
                                    "image is not the one shown")
                if hidden["src"] in requested:
                    problems.append(f"{docname} {name}: the hidden image {hidden['src']} was downloaded")
                if width <= 390 and (text_px < MIN_TEXT_CSS_PX or shown["right"] > pair["page"] + 0.5):
                    problems.append(f"{docname} {name}: text {text_px:.1f} CSS px (want >= {MIN_TEXT_CSS_PX}), "
                                    f"right edge {shown['right']:.0f} of {pair['page']} px")
    finally:
        context.close()
    print(f"width {width}:\n  " + "\n  ".join(report))
    assert not problems, "\n  ".join(problems)
    assert sum(map(len, figures.values())) >= MIN_PHONE_FIGURES
