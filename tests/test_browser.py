"""Every page of the built book, opened in a real headless Chromium, as a reader would open it.

The site built by the session fixture ``book_build`` is served on 127.0.0.1 (the ``site`` fixture) and
every page in ``_toc.yml`` is loaded in headless Chromium (the ``browser`` fixture: Playwright driving
``$CHROMIUM`` or ``chromium`` on the PATH, never a browser Playwright downloads).
For each page the test checks that:

* no JavaScript error or console error occurs, no request fails and nothing answers 404;
* no request leaves 127.0.0.1: math, fonts and scripts are all served by the site itself (the
  launch and Thebe scripts are only fetched when a reader clicks them);
* every math node is typeset by MathJax, with no MathJax error, and no display equation is wider
  than the text column at the test viewport;
* every image and the favicon load, and every figure has alt text that describes it;
* the Thebe ("Live Code") script is fetched only when a reader clicks its button, and then from
  the site itself (only the kernel comes from Binder);
* the page's own content (its HTML and the images it shows) weighs less than 1.5 MB;
* axe-core reports no serious or critical accessibility violation, except the theme's own,
  which are listed in ``THEME_EXCEPTIONS`` with the reason.

A full-page screenshot of each page is written to the ``screenshots`` folder in pytest's temporary
folder (JPEG at quality 85, for people to look at; ``--basetemp`` chooses where). The number of pages
checked and the largest page weight are printed in the test summary.

Chromium and axe-core are installed by ``make browser-deps`` (``.ci/run`` does it first). Where
either is missing the tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import yaml

from book.course.build.web import is_local
from conftest import ROOT, chapter_notebooks, toc_files, unavailable

AXE_JS = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
MAX_OWN_BYTES = 1_500_000  # the page's HTML plus the images it shows
MIN_ALT_WORDS = 5  # a figure's alt text says what the figure shows, not just "plot"
VIEWPORT = {"width": 1280, "height": 900}

# Serious or critical accessibility findings that come from sphinx-book-theme /
# pydata-sphinx-theme markup and are accepted, each with the reason: axe rule id -> (CSS selector
# the flagged element must match, why). The same rule on any other element still fails. The
# theme's other findings are fixed in _ext/site_fixes.py, _templates/ and book/_static/.
THEME_EXCEPTIONS: dict[str, tuple[str, str]] = {}


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's script (npm, pinned in tests/browser/package-lock.json; ``make browser-deps``)."""
    if not AXE_JS.is_file():
        unavailable(f"axe-core is not installed ({AXE_JS.relative_to(ROOT)})")
    return str(AXE_JS)


# --- loading one page and recording everything -----------------------------------------------


@dataclass
class PageVisit:
    """Everything seen while one page loaded."""

    url: str
    errors: list[str] = field(default_factory=list)  # JS exceptions and console errors
    failed: list[str] = field(default_factory=list)  # failed requests and HTTP errors
    outside: list[str] = field(default_factory=list)  # requests to anything but 127.0.0.1
    sizes: dict[str, tuple[str, int]] = field(default_factory=dict)  # request id -> (url, bytes)
    types: dict[str, str] = field(default_factory=dict)  # request id -> resource type

    def own_bytes(self) -> int:
        """Bytes of the HTML document and of the images the page shows (not the theme's assets)."""
        total = 0
        for rid, (url, size) in self.sizes.items():
            kind = self.types.get(rid, "")
            path = urlsplit(url).path
            if kind == "Document" or (kind == "Image" and not path.startswith("/_static/")):
                total += size
        return total

    def total_bytes(self) -> int:
        return sum(size for _, size in self.sizes.values())


def visit(browser, base: str, path: str):
    """Open ``base/path`` in a fresh context (empty cache) and record what happens."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    rec = PageVisit(f"{base}/{path}")

    def block(route):  # any request that would leave 127.0.0.1 is recorded and refused
        rec.outside.append(route.request.url)
        route.abort("blockedbyclient")

    def sent(event):  # CDP: a request starts
        rec.sizes.setdefault(event["requestId"], (event["request"]["url"], 0))

    def received(event):  # CDP: its response headers arrive (with the resource type)
        rec.types[event["requestId"]] = event.get("type", "")

    def finished(event):  # CDP: bytes actually transferred, headers included
        url = rec.sizes.get(event["requestId"], ("?", 0))[0]
        rec.sizes[event["requestId"]] = (url, int(event["encodedDataLength"]))

    def console(msg):
        if msg.type == "error":
            rec.errors.append(f"console.error: {msg.text} ({msg.location.get('url', '')})")

    def request_failed(req):  # refusals of outside requests are already in rec.outside
        if is_local(req.url, base):
            rec.failed.append(f"{req.url}: {req.failure}")

    def response(resp):
        if resp.status >= 400:
            rec.failed.append(f"{resp.url}: HTTP {resp.status}")

    context.route(lambda url: not is_local(url, base), block)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", finished)
    page.on("pageerror", lambda exc: rec.errors.append(f"uncaught exception: {exc}"))
    page.on("console", console)
    page.on("requestfailed", request_failed)
    page.on("response", response)
    answer = page.goto(rec.url, wait_until="load")
    if answer is None or not answer.ok:
        context.close()
        pytest.fail(f"{rec.url} answered HTTP {answer.status if answer else '(no response)'}: "
                    "is the page in _toc.yml but missing from the build?")
    return context, page, rec


MATH_JS = """async () => {
  let failure = null;
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    try { await MathJax.startup.promise; } catch (e) { failure = String(e && e.message || e); }
  }
  const nodes = [...document.querySelectorAll('.math')];
  return {
    mathjax: !!(window.MathJax && MathJax.version),
    failure: failure,
    nodes: nodes.length,
    containers: document.querySelectorAll('mjx-container').length,
    untypeset: nodes.filter(n => !n.querySelector('mjx-container')).map(n => n.textContent.slice(0, 80)),
    merrors: [...document.querySelectorAll('mjx-merror')].map(e => e.getAttribute('data-mjx-error') || e.textContent),
    // display equations wider than the text column they sit in (cut off or scrolled at 1280 px)
    wide: [...document.querySelectorAll('mjx-container[display="true"]')]
      .filter(c => c.scrollWidth > c.parentElement.clientWidth + 1)
      .map(c => `${c.scrollWidth} px in ${c.parentElement.clientWidth} px: ` + c.parentElement.textContent.replace(/\\s+/g, ' ').slice(0, 60)),
  };
}"""

# Every image the page shows, loaded now; an image the page does not show at this width (a figure's
# phone variant, _ext/phone_figures.py) stays lazy, so it is not fetched, as in a reader's browser.
EAGER_IMAGES_JS = """() => document.querySelectorAll('img[loading=lazy]').forEach(img => {
  if (img.getClientRects().length) img.loading = 'eager';
})"""

FAVICON_JS = """async () => {
  const link = document.querySelector('link[rel~="icon"]');
  return link ? {href: link.href, status: (await fetch(link.href)).status} : null;
}"""

IMAGES_JS = """() => [...document.images].map(img => ({
  src: img.currentSrc || img.src,
  alt: img.getAttribute('alt'),
  loaded: img.complete && img.naturalWidth > 0,
  shown: img.getClientRects().length > 0,
  content: !!img.closest('article'),
}))"""

AXE_RUN_JS = """async (exceptions) => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  const excepted = (rule, target) => {
    const el = target.length === 1 ? document.querySelector(target[0]) : null;
    return !!(el && exceptions[rule] && el.matches(exceptions[rule]));
  };
  return r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => ({target: n.target.join(' '), impact: n.impact, html: n.html.slice(0, 160),
                                excepted: excepted(v.id, n.target)})),
  }));
}"""

_FILENAME_ALT = re.compile(r"\.(png|jpe?g|svg|gif|webp)\b|^_images/|<Figure size", re.IGNORECASE)


def _meaningful_alt(alt: str | None) -> bool:
    """Alt text of a figure: several words, not a file name or a placeholder."""
    if not alt:
        return False
    return len(alt.split()) >= MIN_ALT_WORDS and not _FILENAME_ALT.search(alt)


def _screenshot_name(docname: str) -> str:
    return docname.replace("/", "_") + ".jpg"


@pytest.mark.parametrize("docname", toc_files())
def test_page_in_browser(browser, site, axe, screenshots, docname, request):
    """One page of the table of contents: errors, offline, math, figures, weight, accessibility."""
    context, page, rec = visit(browser, site, f"{docname}.html")
    try:
        math = page.evaluate(MATH_JS)
        page.evaluate(EAGER_IMAGES_JS)
        page.wait_for_load_state("networkidle")
        icon = page.evaluate(FAVICON_JS)
        page.screenshot(path=str(screenshots / _screenshot_name(docname)), full_page=True, quality=85)
        images = page.evaluate(IMAGES_JS)
        page.add_script_tag(path=axe)
        violations = page.evaluate(AXE_RUN_JS, {rule: sel for rule, (sel, _why) in THEME_EXCEPTIONS.items()})
    finally:
        context.close()

    own, total = rec.own_bytes(), rec.total_bytes()
    request.node.user_properties.append(("page_weight", (docname, own, total)))  # for the summary
    print(f"{docname}: own content {own / 1e6:.3f} MB, transferred {total / 1e6:.3f} MB")

    problems: list[str] = []
    problems += [f"JS/console error: {e}" for e in rec.errors]
    problems += [f"failed request: {f}" for f in rec.failed]
    problems += [f"request left 127.0.0.1: {u}" for u in rec.outside]

    if math["nodes"] and not math["mathjax"]:
        problems.append(f"{math['nodes']} math nodes but MathJax did not load")
    if math["containers"] != math["nodes"] or math["untypeset"]:
        problems.append(f"math: {math['containers']} typeset of {math['nodes']} nodes; "
                        f"not typeset: {math['untypeset'][:5]}")
    problems += [f"MathJax error: {m}" for m in math["merrors"]]
    problems += [f"display math wider than the text column: {w}" for w in math["wide"]]
    if math["failure"]:
        problems.append(f"MathJax failed: {math['failure']}")

    if icon is None:
        problems.append("no favicon declared (<link rel=icon>)")
    elif icon["status"] != 200:
        problems.append(f"favicon {icon['href']}: HTTP {icon['status']}")

    for img in images:
        if img["shown"] and not img["loaded"]:
            problems.append(f"image did not load: {img['src']}")
        if img["content"] and not _meaningful_alt(img["alt"]):
            problems.append(f"figure without meaningful alt text ({img['alt']!r}): {img['src']}")
        elif not img["content"] and not (img["alt"] or "").strip():
            problems.append(f"image without alt text: {img['src']}")

    if own >= MAX_OWN_BYTES:
        problems.append(f"page weight {own / 1e6:.2f} MB (HTML + images) is over {MAX_OWN_BYTES / 1e6:.1f} MB")

    for v in violations:
        serious = [t for t in v["targets"] if (t["impact"] or v["impact"]) in ("serious", "critical")]
        ours = [t for t in serious if not t["excepted"]]
        if ours:
            where = "; ".join(f"{t['target']} {t['html']}" for t in ours[:5])
            problems.append(f"axe {v['impact']} {v['id']} ({v['help']}) on {len(ours)} element(s): {where}")

    assert not problems, f"{docname}.html:\n  " + "\n  ".join(problems)


def _notebook_pages() -> list[str]:
    return [nb.relative_to(ROOT).with_suffix("").as_posix() for nb in chapter_notebooks()]


@pytest.mark.parametrize("docname", _notebook_pages()[:1])
def test_live_code_is_fetched_only_on_click(browser, site, live_code, docname):
    """Thebe ("Live Code") loads nothing until a reader asks for it; then its scripts come from the
    site itself, and the only request that leaves 127.0.0.1 asks Binder for a kernel.

    (tests/test_livecode.py runs Live Code against a local Jupyter server, explorers included.)
    """
    context, page, rec = visit(browser, site, f"{docname}.html")
    try:
        page.wait_for_load_state("networkidle")
        assert rec.outside == [], f"requests left 127.0.0.1 before any click: {rec.outside}"
        thebe_url = page.evaluate("() => new URL(THEBE_JS_URL, document.baseURI).href")
        fetched = lambda: [urlsplit(url)._replace(query="").geturl() for url, _ in rec.sizes.values()]  # noqa: E731
        assert thebe_url not in fetched(), "the Thebe script was fetched before any click"
        assert page.locator(".btn-launch-thebe").count() == 1, "no Live Code button on a notebook page"
        page.evaluate("() => document.querySelector('.btn-launch-thebe').click()")
        for _ in range(100):  # up to 10 s for thebe to load and ask Binder for a kernel
            if rec.outside:
                break
            page.wait_for_timeout(100)
    finally:
        context.close()
    assert thebe_url.startswith(site + "/") and thebe_url in fetched(), \
        f"Thebe ({thebe_url}) was not fetched from the site after the click"
    # A build of this repository's branch on the book's BinderHub (refused here: no kernel starts).
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = urlsplit(config["repository"]["url"]).path.strip("/")
    binder = f"{config['launch_buttons']['binderhub_url'].rstrip('/')}/build/gh/{repo}/{config['repository']['branch']}"
    assert rec.outside and set(rec.outside) == {binder}, \
        f"after the click, expected only {binder} (a kernel from Binder), saw {rec.outside}"
