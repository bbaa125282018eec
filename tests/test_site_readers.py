"""The built site as readers use it: on a phone and a tablet, in dark mode, over a slow connection,
by keyboard and on paper (Debian's Chromium, driven by Playwright, on the session's book build).

Each test would have caught one of the problems a reader met (the site's earlier checks, offline,
no errors, alt text, axe, page weight, all passed while they were there):

1. the sidebar drawers open and close with a tap at 390, 768 and 1366 px;
2. nothing is clipped at 390 or 768 px: no element with ``overflow: hidden`` whose visible
   content is wider than its box (formulas used to lose their end);
4. a chapter's first load over 1.6 Mbps / 150 ms is measured and printed (reported, not asserted:
   ``python -m benchmarks --only page_load`` records it); the icon script that held MathJax
   back is gone, MathJax loads ``async``, figures load lazily, and the colour scheme is set before
   the theme's JavaScript runs; the icon fonts hold only the icons the site uses, and a chapter
   loads no search index (its search box still finds pages, on the search page);
5. each chapter's explorer says what the page does (not that it only works elsewhere), and the
   kernel cell that builds it is not shown on the site (tag ``remove-input``);
6. in dark mode explorer images get the same darkening as the static figures, and the logo's
   title reads at WCAG AA contrast;
7. formulas are not tab stops, and the header's buttons show a focus ring;
8. printed, a page has no explorer controls, no "Show code cell source" bars or copy buttons,
   no checker replies and no solutions;
9. on a phone every button and slider is at least 44 by 44 CSS px.

Uses the ``site`` (served build) and ``browser`` (Chromium) fixtures of tests/test_browser.py.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

from conftest import ROOT, chapter_notebooks

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import page_load  # noqa: E402

BUILD = pytest.mark.build  # the tests that use the session's one book build

CHAPTERS = [nb.relative_to(ROOT).with_suffix("").as_posix() for nb in chapter_notebooks() if re.match(r"\d\d_", nb.name)]
PHONE = {"width": 390, "height": 844}
WIDTHS = (390, 768, 1366)
MIN_TAP_PX = 44
MIN_CONTRAST = 4.5

MATH_READY = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    try { await MathJax.startup.promise; } catch (e) { }
  }
}"""


def _open(browser, site, docname: str, width: int = 1366, *, touch: bool | None = None, dark: bool = False,
          math: bool = True):
    """A fresh context at ``width`` px (a touch screen below 1000 px), the page loaded; (context, page)."""
    touch = width < 1000 if touch is None else touch
    context = browser.new_context(viewport={"width": width, "height": 900}, has_touch=touch, is_mobile=touch,
                                  color_scheme="dark" if dark else "light", service_workers="block")
    page = context.new_page()
    page.goto(f"{site}/{docname}.html", wait_until="load")
    if math:
        page.evaluate(MATH_READY)
    return context, page


# --- 1. the drawers --------------------------------------------------------------------------

DRAWERS_JS = """() => {
  const shown = el => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
                      && el.getBoundingClientRect().width > 0;
  const links = el => !!el && shown(el) && el.querySelectorAll('a[href]').length;
  return {
    primaryDialog: document.getElementById('pst-primary-sidebar-modal').open,
    secondaryDialog: document.getElementById('pst-secondary-sidebar-modal').open,
    primaryLinks: links(document.getElementById('pst-primary-sidebar-modal')) || links(document.getElementById('pst-primary-sidebar')),
    secondaryLinks: links(document.getElementById('pst-secondary-sidebar-modal')) || links(document.getElementById('pst-secondary-sidebar')),
    primaryColumn: shown(document.getElementById('pst-primary-sidebar')),
    secondaryColumn: shown(document.getElementById('pst-secondary-sidebar')),
  };
}"""


def _tap(page, locator, touch: bool) -> None:
    locator.tap() if touch else locator.click()
    page.wait_for_timeout(300)


@BUILD
@pytest.mark.parametrize("width", WIDTHS)
def test_drawers_open_and_close(browser, site, width):
    """The ☰ (chapters) and ☷ (this page) buttons open their drawer with a tap, and it closes again."""
    touch = width < 1000
    context, page = _open(browser, site, CHAPTERS[1], width, math=False)
    try:
        # The root cause: pydata-sphinx-theme binds its handler to the first .primary-toggle and
        # .secondary-toggle in the page; there must be only sphinx-book-theme's visible ones.
        for kind in ("primary", "secondary"):
            assert page.locator(f".{kind}-toggle").count() <= 1, f"more than one .{kind}-toggle: one is inert"
        primary = page.locator(".primary-toggle")
        assert primary.is_visible(), f"no visible chapters button at {width} px"
        before = page.evaluate(DRAWERS_JS)
        if not before["primaryColumn"]:  # a drawer: the tap opens it with the chapters in it
            _tap(page, primary, touch)
            opened = page.evaluate(DRAWERS_JS)
            assert opened["primaryDialog"] and opened["primaryLinks"] >= len(CHAPTERS), \
                f"tapping ☰ at {width} px did not open the chapters: {opened}"
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
            assert not page.evaluate(DRAWERS_JS)["primaryDialog"], f"the chapters drawer did not close at {width} px"
        else:  # a column beside the text: the tap hides it and the next brings it back
            _tap(page, primary, touch)
            assert not page.evaluate(DRAWERS_JS)["primaryColumn"], f"tapping ☰ at {width} px did not hide the chapters"
            _tap(page, primary, touch)
            assert page.evaluate(DRAWERS_JS)["primaryColumn"], f"a second tap at {width} px did not bring them back"

        secondary = page.locator(".secondary-toggle")
        if before["secondaryColumn"]:  # wide screens show "Contents" beside the text, with no button
            assert before["secondaryLinks"] > 3, f"the page's contents column is empty at {width} px"
        else:
            assert secondary.is_visible(), f"no visible 'this page' button at {width} px"
            _tap(page, secondary, touch)
            opened = page.evaluate(DRAWERS_JS)
            assert opened["secondaryDialog"] and opened["secondaryLinks"] > 3, \
                f"tapping ☷ at {width} px did not open the page's contents: {opened}"
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
            assert not page.evaluate(DRAWERS_JS)["secondaryDialog"], f"the contents drawer did not close at {width} px"
    finally:
        context.close()


@BUILD
def test_one_search_box_on_a_laptop(browser, site):
    context, page = _open(browser, site, CHAPTERS[0], 1366, math=False)
    try:
        boxes = [b for b in page.locator(".search-button-field, .search-button").all() if b.is_visible()]
        assert len(boxes) == 1, f"{len(boxes)} search boxes shown at 1366 px"
    finally:
        context.close()


# --- 2. nothing clipped ------------------------------------------------------------------------

CLIPPED_JS = """() => {
  // Elements that hide overflow and whose *visible* content is wider than their box. MathJax's
  // copy for screen readers (mjx-assistive-mml) is invisible by design and not counted, nor are
  // MathJax's internal stretchy parts, nor the sidebars (their own scrolling).
  const hides = v => v === 'hidden' || v === 'clip';
  const visibleRight = el => {
    let right = -Infinity, left = Infinity;
    for (const d of el.querySelectorAll('*')) {
      if (d.closest('mjx-assistive-mml')) continue;
      const r = d.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      right = Math.max(right, r.right); left = Math.min(left, r.left);
    }
    return [left, right];
  };
  const out = [];
  for (const el of document.querySelectorAll('.bd-article *')) {
    if (el.closest('mjx-container') && el.tagName !== 'MJX-CONTAINER') continue;
    const cs = getComputedStyle(el);
    if (!hides(cs.overflowX) || el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
    const box = el.getBoundingClientRect();
    const [left, right] = visibleRight(el);
    const hidden = Math.round(Math.max(right - (box.left + el.clientLeft + el.clientWidth), box.left - left, 0));
    if (hidden > 1) out.push({tag: el.tagName.toLowerCase(), cls: String(el.className).slice(0, 50), hidden_px: hidden,
                              text: (el.textContent || '').trim().slice(0, 60)});
  }
  return out;
}"""


@BUILD
@pytest.mark.parametrize("width", (390, 768))
@pytest.mark.parametrize("docname", CHAPTERS)
def test_nothing_clipped(browser, site, docname, width):
    """No formula, code name or box loses part of itself at phone or tablet width; solutions opened."""
    context, page = _open(browser, site, docname, width)
    try:
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        page.wait_for_timeout(200)
        clipped = page.evaluate(CLIPPED_JS)
        wide = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    finally:
        context.close()
    assert not clipped, f"{docname} at {width} px: {len(clipped)} clipped, e.g. " + "; ".join(
        f"{c['tag']}.{c['cls']} hides {c['hidden_px']} px of {c['text']!r}" for c in clipped[:5])
    assert wide <= 1, f"{docname} at {width} px scrolls sideways by {wide} px"


# --- 4. a slow connection ----------------------------------------------------------------------


@BUILD
def test_first_load_on_a_slow_connection(browser, site, book_build):
    """The last chapter at 1.6 Mbps / 150 ms, served with gzip: timings printed, not asserted (they
    depend on the machine; the benchmark records them). What made it slow is asserted."""
    docname = CHAPTERS[-1]
    with page_load.serve_gzip(book_build.html) as base:
        result = page_load.measure_page(browser, base, docname)
    print(f"\n{docname} at {page_load.DOWN_BPS / 1e6:g} Mbps, {page_load.RTT_MS:g} ms, gzip: first paint "
          f"{result['first_paint_s']} s, maths rendered {result['math_rendered_s']} s, load {result['load_s']} s "
          f"({result['bytes_total'] / 1e6:.2f} MB)")
    assert result["typeset"] >= result["formulas"] > 0, f"not every formula was typeset: {result}"

    context, page = _open(browser, site, docname, 390, math=False)
    try:
        scripts = page.evaluate("() => [...document.scripts].map(s => [s.getAttribute('src') || '', s.async, s.defer, "
                                "s.getAttribute('fetchpriority')])")
        images = page.evaluate("() => [...document.querySelectorAll('.bd-article img')]"
                               ".map(i => [i.getAttribute('src'), i.loading])")
        fonts = page.evaluate("async () => { await document.fonts.ready; return performance.getEntriesByType('resource')"
                              ".map(e => e.name).filter(n => /webfonts/.test(n)); }")
    finally:
        context.close()
    assert not [s for s in scripts if "fontawesome" in s[0]], "the 1.5 MB icon script is back on the page"
    search = [s[0] for s in scripts if re.search(r"searchindex|searchtools|language_data", s[0])]
    assert not search, f"a chapter loads the search scripts again (only the search page uses them): {search}"
    assert fonts and not [f for f in fonts if "brands" in f], f"the 118 kB brands font is loaded again: {fonts}"
    mathjax = [s for s in scripts if "mathjax" in s[0]]
    assert mathjax and mathjax[0][1] and mathjax[0][3] == "high", f"MathJax must load async, first: {mathjax}"
    eager = [src for src, loading in images if loading != "lazy" and "/_static/" not in (src or "")]
    assert not eager, f"figures that load before a reader scrolls to them: {eager[:3]}"


ICONS_JS = """() => [...document.querySelectorAll('[class*="fa-"]')].map(e => {
  const s = getComputedStyle(e, '::before');
  return [e.className, s.content, s.fontFamily, s.fontWeight];
}).filter(([, content, family]) => /Awesome/.test(family) && content && content !== 'none' && content !== 'normal')"""


def _icon_font(family: str, weight: str) -> str:
    """The theme's Font Awesome file for a computed font family and weight."""
    if "Brands" in family:
        return "fa-brands-400"
    return "fa-solid-900" if int(weight) >= 600 else "fa-regular-400"


@BUILD
@pytest.mark.parametrize("width", (390, 1366))
def test_icon_fonts_are_cut_down(browser, site, book_build, width):
    """The site's copies of the theme's icon fonts hold just the icons it uses (_ext/icon_fonts.py):
    each file is a few kB instead of up to 157 kB, and every icon on a chapter, the introduction and the
    search page is drawn from a glyph its font file has (icons that scripts add later, such as Live
    Code's, are collected from the site's scripts by the same scan)."""
    from fontTools.ttLib import TTFont

    webfonts = book_build.html / "_static" / "vendor" / "fontawesome" / "webfonts"
    files = sorted(webfonts.glob("fa-*"))
    assert {f.suffix for f in files} == {".ttf", ".woff2"} and len(files) == 6, files
    too_big = {f.name: f.stat().st_size for f in files if f.stat().st_size > 20_000}
    assert not too_big, f"icon fonts not cut down: {too_big}"
    glyphs = {f.name: set(TTFont(f).getBestCmap()) for f in files}
    missing, seen = [], 0
    for docname in (CHAPTERS[0], "book/intro", "search"):
        context, page = _open(browser, site, docname, width, math=False)
        try:
            icons = page.evaluate(ICONS_JS)
        finally:
            context.close()
        for name, content, family, weight in icons:
            text = content.strip('"')
            if len(text) != 1:
                continue  # not an icon glyph (e.g. a counter or a quotation mark)
            seen += 1
            stem = _icon_font(family, weight)
            for suffix in (".woff2", ".ttf"):
                if ord(text) not in glyphs[stem + suffix]:
                    missing.append(f"{docname} at {width} px: {name} (U+{ord(text):04X}) not in {stem}{suffix}")
    assert seen >= 10, f"only {seen} icons found on the pages: the check no longer sees them"
    assert not missing, "\n".join(missing)


def test_theme_search_scripts_are_only_for_search_as_you_type():
    """_templates/layout.html leaves the search scripts out of the pages other than the search page,
    because the theme loads them there only for its search-as-you-type results, which are off. If a
    theme upgrade turns that on by default or loads something else in that block, this fails."""
    import configparser

    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    conf = configparser.ConfigParser()
    conf.read(theme / "theme.conf")
    assert conf.get("options", "search_as_you_type").strip() == "False"
    block = re.search(r"\{%-? block extrahead %\}(.*?)\{%-? endblock extrahead %\}",
                      (theme / "layout.html").read_text(encoding="utf-8"), re.S).group(1)
    assert sorted(re.findall(r"<script src=\"\{\{ pathto\('([^']+)'", block)) == [
        "_static/language_data.js", "_static/searchtools.js", "searchindex.js"], block
    assert "search_as_you_type" not in (ROOT / "_config.yml").read_text(encoding="utf-8")


@BUILD
def test_search_from_a_chapter(browser, site):
    """A chapter loads no search index (search-as-you-type is off), and its search box still finds
    pages: it sends the reader to the search page, which lists the results."""
    context, page = _open(browser, site, CHAPTERS[0], 1366, math=False)
    try:
        page.locator(".search-button-field").first.click()
        box = page.locator("#pst-search-dialog input[name='q']")
        box.fill("entropy")
        box.press("Enter")
        page.wait_for_url(re.compile(r".*/search\.html\?q=entropy.*"))
        page.wait_for_function("() => document.querySelectorAll('#search-results ul.search li').length > 0",
                               timeout=30_000)
        hits = page.locator("#search-results ul.search li").count()
    finally:
        context.close()
    assert hits >= 3, f"searching 'entropy' found {hits} pages"


@BUILD
def test_dark_mode_is_set_before_the_theme_script_runs(browser, site):
    """A reader whose system is dark sees a dark page from the first paint, not a white one that
    flips when the theme's deferred script runs (here that script never runs)."""
    context = browser.new_context(viewport=PHONE, color_scheme="dark")
    try:
        context.route(re.compile(r".*/pydata-sphinx-theme\.js.*"), lambda route: route.abort())
        page = context.new_page()
        page.goto(f"{site}/{CHAPTERS[0]}.html", wait_until="domcontentloaded")
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    finally:
        context.close()
    assert theme == "dark", f"data-theme is {theme!r} before the theme's script"
    assert _luminance(_rgb(background)) < 0.1, f"the page background is {background} in dark mode"


# --- 5. the explorers say what the page does ---------------------------------------------------


@BUILD
def test_remove_input_hides_a_cells_source(book_build):
    """The mechanism the chapters use for their explorer cells: myst-nb's remove-input tag."""
    from bs4 import BeautifulSoup

    cells = [cell for d in CHAPTERS
             for cell in BeautifulSoup((book_build.html / f"{d}.html").read_text(encoding="utf-8"), "html.parser")
             .select("div.cell.tag_remove-input")]
    assert cells, "no chapter has a remove-input cell to check"
    assert not [c for c in cells if c.select(".cell_input")], "a remove-input cell shows its source"


@BUILD
@pytest.mark.parametrize("docname", CHAPTERS)
def test_explorer_says_what_the_page_does(browser, site, docname):
    """Above a working explorer, no text says it is only live elsewhere, and the kernel cell that
    builds it (``... = widgets.…_explorer()``) is not shown (tag it ``remove-input``, or ``hide-input``
    where Live Code should be able to run it, as in Chapter 1)."""
    context, page = _open(browser, site, docname, 1366, math=False)
    try:
        if page.locator(".live-explorer").count() == 0:
            pytest.skip(f"{docname} has no explorer")
        # a cell whose input is removed, or folded away (hide-input: Live Code can still run it), is not shown
        shown_cells = page.evaluate(r"""() => [...document.querySelectorAll('.cell_input')]
            .filter(c => c.getClientRects().length > 0 && !(c.closest('details') && !c.closest('details').open))
            .map(c => c.textContent).filter(t => /_explorer\(/.test(t))""")
        text = page.evaluate("() => document.querySelector('.bd-article').innerText")
    finally:
        context.close()
    assert not shown_cells, f"{docname} shows the explorer's kernel cell: {shown_cells[0].strip()[:80]!r}"
    stale = re.findall(r"[^.]*\b(?:live (?:only )?in Binder or Colab|not live here|is not live)[^.]*\.", text)
    assert not stale, f"{docname} says its explorer works only elsewhere: {stale[0].strip()!r}"


# --- 6. dark mode ------------------------------------------------------------------------------


def _rgb(css: str) -> tuple[float, float, float]:
    css = css.strip()
    if css.startswith("#"):
        h = css[1:]
        h = "".join(c * 2 for c in h) if len(h) == 3 else h
        return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
    return tuple(float(x) for x in re.findall(r"[\d.]+", css)[:3])


def _luminance(rgb) -> float:
    def lin(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@BUILD
def test_dark_mode_figures_and_logo(browser, site):
    docname = next((d for d in CHAPTERS if "live-explorer" in (ROOT / f"{d}.ipynb").read_text(encoding="utf-8")),
                   CHAPTERS[0])
    context, page = _open(browser, site, docname, 1366, dark=True, math=False)
    try:
        assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
        filters = page.evaluate("""() => ({
            explorer: [...document.querySelectorAll('.live-explorer img')].map(i => getComputedStyle(i).filter),
            figure: [...document.querySelectorAll('.cell_output img, figure img')].map(i => getComputedStyle(i).filter)})""")
        logo = page.evaluate("""() => { const i = [...document.querySelectorAll('img.logo__image')]
                                  .find(i => i.getClientRects().length > 0); return i && i.getAttribute('src'); }""")
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        svg = page.request.get(f"{site}/{docname}.html".rsplit("/", 1)[0] + "/" + logo).text() if logo else ""
    finally:
        context.close()
    assert filters["figure"] and all("invert" in f for f in filters["figure"]), f"figures not darkened: {filters['figure'][:2]}"
    assert all(f == filters["figure"][0] for f in filters["explorer"]), \
        f"explorer images are not darkened like the figures: {filters['explorer']} vs {filters['figure'][0]}"
    fills = re.findall(r'<text[^>]*fill="(#[0-9a-fA-F]{3,6})"', svg)
    assert fills, f"the dark logo ({logo}) has no title text"
    worst = min(_contrast(_rgb(f), _rgb(background)) for f in fills)
    assert worst >= MIN_CONTRAST, f"the logo's title is {worst:.1f}:1 on the dark page ({fills} on {background})"


# --- 7. keyboard -------------------------------------------------------------------------------


@BUILD
@pytest.mark.parametrize("width", (390, 1366))
def test_formulas_are_not_tab_stops(browser, site, width):
    """Only a formula too wide for its line (it scrolls) is a tab stop, so the keyboard can scroll it."""
    context, page = _open(browser, site, CHAPTERS[1], width)
    try:
        page.wait_for_timeout(300)  # site-fixes.js marks the formulas that scroll once they are typeset
        stops = page.evaluate("""() => [...document.querySelectorAll('.math, mjx-container')].filter(m => m.tabIndex >= 0)
            .filter(m => !(m.scrollWidth > m.clientWidth + 1)).length""")
        unreachable = page.evaluate("""() => [...document.querySelectorAll('span.math, div.math mjx-container')]
            .filter(m => m.scrollWidth > m.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(m).overflowX))
            .filter(m => m.tabIndex < 0).length""")
        formulas = page.evaluate("() => document.querySelectorAll('mjx-container').length")
        # Tab from the top of the page to the first explorer control
        presses = None
        if page.locator(".live-explorer input, .live-explorer select").count():
            for n in range(1, 400):
                page.keyboard.press("Tab")
                if page.evaluate("() => !!document.activeElement.closest('.live-explorer')"):
                    presses = n
                    break
    finally:
        context.close()
    print(f"\n{CHAPTERS[1]} at {width} px: {formulas} formulas; {presses} Tab presses to the explorer")
    assert formulas > 0 and stops == 0, f"{stops} of {formulas} formulas that fit their line are tab stops"
    assert unreachable == 0, f"{unreachable} formulas scroll sideways but a keyboard cannot reach them"


FOCUS_RING_JS = """() => { const cs = getComputedStyle(document.activeElement);
  return {el: document.activeElement.className || document.activeElement.tagName,
          style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) || 0, shadow: cs.boxShadow}; }"""


@BUILD
@pytest.mark.parametrize("width", (390, 1366))
def test_header_buttons_show_a_focus_ring(browser, site, width):
    """Tab through the page's header: every button there shows an outline while focused."""
    context, page = _open(browser, site, CHAPTERS[0], width, touch=False, math=False)
    try:
        seen = {}
        for _ in range(60):
            page.keyboard.press("Tab")
            inside = page.evaluate("() => !!document.activeElement.closest('.bd-header-article, .bd-sidebar-primary')")
            if not inside:
                if seen:
                    break
                continue
            ring = page.evaluate(FOCUS_RING_JS)
            seen[ring["el"]] = ring
    finally:
        context.close()
    assert seen, f"no header control reached by Tab at {width} px"
    missing = [k for k, r in seen.items() if r["style"] == "none" or r["width"] < 2]
    assert not missing, f"no focus ring at {width} px on: {missing}"


# --- 8. print ----------------------------------------------------------------------------------

PRINT_JS = """() => {
  const shown = sel => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length > 0).length;
  return {
    explorerControls: shown('.live-explorer input, .live-explorer select'),
    toggleBars: shown('details.hide > summary, button.toggle-button, .toggle-button'),
    copyButtons: shown('button.copybtn'),
    checker: shown('.exercise-checker-output'),
    notYet: [...document.querySelectorAll('.bd-article p')].filter(p => p.getClientRects().length > 0
                && /Not yet/.test(p.textContent)).length,
    solutions: shown('.solution'),
    exercises: shown('.exercise'),
    figures: shown('.cell_output img, figure img'),
  };
}"""


@BUILD
# A chapter (explorer, folded code, solutions, figures) and the course's exercise page, whose checker
# cells greet an untouched exercise with a reply (the chapters' checker cells print nothing until answered).
@pytest.mark.parametrize("docname", [CHAPTERS[1], "book/course/exercises"])
def test_print_leaves_out_what_only_works_on_screen(browser, site, docname):
    context, page = _open(browser, site, docname, 1366, math=False)
    try:
        screen = page.evaluate(PRINT_JS)
        page.emulate_media(media="print")
        printed = page.evaluate(PRINT_JS)
    finally:
        context.close()
    something = screen["explorerControls"] and screen["solutions"] if docname in CHAPTERS else screen["checker"]
    assert something and screen["exercises"] > 0, f"nothing to check on {docname}: {screen}"
    for key in ("explorerControls", "toggleBars", "copyButtons", "checker", "notYet", "solutions"):
        assert printed[key] == 0, f"printed {docname} still shows {printed[key]} {key} ({screen[key]} on screen)"
    assert printed["exercises"] == screen["exercises"] and printed["figures"] == screen["figures"], \
        f"print dropped exercises or figures: screen {screen}, print {printed}"


# --- 9. tap targets ----------------------------------------------------------------------------

TAP_JS = """() => [...document.querySelectorAll(
    '.bd-header-article button, .bd-header-article .btn, .live-explorer input, .live-explorer select, button.copybtn')]
  .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
  .map(e => { const r = e.getBoundingClientRect();
              return {el: (e.className || e.tagName) + (e.id ? '#' + e.id : ''), w: Math.round(r.width), h: Math.round(r.height)}; })"""


@BUILD
@pytest.mark.parametrize("docname", CHAPTERS[:2])
def test_tap_targets_on_a_phone(browser, site, docname):
    context, page = _open(browser, site, docname, PHONE["width"], math=False)
    try:
        targets = page.evaluate(TAP_JS)
        stops = page.evaluate("""() => [...document.querySelectorAll('.live-explorer input[type=range]')]
            .map(s => s.getBoundingClientRect().width / Math.max(1, (+s.max - +s.min) / (+s.step || 1)))""")
    finally:
        context.close()
    assert targets, f"no buttons found on {docname}"
    small = [t for t in targets if t["w"] < MIN_TAP_PX - 0.5 or t["h"] < MIN_TAP_PX - 0.5]
    assert not small, f"tap targets under {MIN_TAP_PX} px on {docname}: {small[:5]}"
    print(f"\n{docname}: slider stops {[round(s) for s in stops]} px apart at {PHONE['width']} px")


# --- checks without a browser -------------------------------------------------------------------


@BUILD
def test_compat_fixes_still_apply(book_build):
    """The two fixes without a public API (_ext/site_fixes.py) still do their job on this build."""
    html = (book_build.html / f"{CHAPTERS[0]}.html").read_text(encoding="utf-8")
    assert html.count("const THEBE_JS_URL") <= 1, "the Live Code configuration is written twice again"
    assert '<summary><span class="toctree-toggle"' not in html, "a sidebar section's chevron has no accessible name again"
    assert "fontawesome.js" not in html, "the theme's icon script is back"


def test_section_toggle_fix_fails_loudly_on_new_markup():
    sys.path.insert(0, str(ROOT / "_ext"))
    import site_fixes
    from sphinx.errors import ExtensionError

    ok = site_fixes.name_section_toggles('<details><summary><span class="toctree-toggle" role="presentation">')
    assert 'aria-label="Show or hide the pages of this section"' in ok
    with pytest.raises(ExtensionError, match="summary"):
        site_fixes.name_section_toggles('<details><summary><i class="new-toggle">')


def test_live_code_off_with_one_message_without_thebe(tmp_path, monkeypatch, caplog):
    """A fresh clone without npm: the build goes on (also under -W) with Live Code off and says so once."""
    sys.path.insert(0, str(ROOT / "_ext"))
    import live_code

    monkeypatch.setattr(live_code, "DIST", tmp_path / "dist")  # nothing unpacked
    config = types.SimpleNamespace(html_theme_options={"launch_buttons": {"thebe": True, "binderhub_url": "x"}})
    with caplog.at_level("INFO"):
        live_code._check(None, config)
    assert config.html_theme_options["launch_buttons"]["thebe"] is False
    messages = [r for r in caplog.records if "Live Code is off" in r.getMessage()]
    assert len(messages) == 1 and "make live-code" in messages[0].getMessage()
    assert messages[0].levelname == "INFO"  # not a warning: -W builds pass on a fresh clone


def test_page_load_benchmark_serves_gzip(tmp_path):
    """The benchmark's server compresses text as a web host does (the measurement depends on it)."""
    import urllib.request

    (tmp_path / "a.html").write_text("<p>" + "bits " * 2000 + "</p>")
    with page_load.serve_gzip(tmp_path) as base:
        req = urllib.request.Request(f"{base}/a.html", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req) as r:
            body, encoding = r.read(), r.headers.get("Content-Encoding")
    assert encoding == "gzip" and len(body) < 1000
    import gzip

    assert gzip.decompress(body).decode().count("bits") == 2000
