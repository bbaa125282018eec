"""A chapter's first load over a slow connection, in headless Chromium: first paint and maths rendered.

A reader on a slow mobile connection sees the page when the browser first paints it, and sees the
formulas (instead of their LaTeX source) only once MathJax has typeset them. :func:`measure_page`
opens one page in a fresh browser context (empty cache) with Chromium's own network throttling
(CDP ``Network.emulateNetworkConditions``: 1.6 Mbps down, 750 kbps up, 150 ms round trip, the
"slow 4G" that Lighthouse's mobile run uses) and the site served with gzip, as any web host serves
it, and records, from the page's own clock (``performance.now()``, 0 at navigation start):

* ``first_paint_s``: the first contentful paint (``performance.getEntriesByType("paint")``);
* ``math_rendered_s``: the frame after ``MathJax.startup.promise`` resolves, i.e. after the first
  typesetting of every formula on the page;
* ``load_s`` and ``dom_content_loaded_s``, the bytes transferred and the number of requests before
  the maths were rendered.

``python -m benchmarks --only page_load`` records them for Chapter 6 (the heaviest chapter) and
Chapter 1; ``tests/test_site_readers.py`` prints them for one chapter (reported, not asserted:
timings depend on the machine). The goals: first paint <= 1.5 s, maths rendered <= 4 s.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
DOWN_BPS = 1.6e6  # bits per second
UP_BPS = 750e3
RTT_MS = 150.0
GOAL_FIRST_PAINT_S = 1.5
GOAL_MATH_RENDERED_S = 4.0
PAGES = ("book/06_training_both_ways", "book/01_entropy")
VIEWPORT = {"width": 390, "height": 844}  # a phone: the reader on a slow connection
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".ttf")

# Installed before any of the page's own scripts: records when MathJax's first typesetting is on screen.
TIMING_INIT_JS = """(() => {
  const wait = () => {
    const mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) {
      mj.startup.promise.then(() => requestAnimationFrame(() => { window.__mathRenderedAt = performance.now(); }),
                              () => { window.__mathRenderedAt = -1; });
    } else {
      setTimeout(wait, 10);
    }
  };
  wait();
})();"""

RESULT_JS = """() => {
  const paint = Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]));
  const nav = performance.getEntriesByType('navigation')[0] || {};
  return {
    first_paint_ms: paint['first-contentful-paint'] ?? paint['first-paint'] ?? null,
    math_rendered_ms: window.__mathRenderedAt ?? null,
    dom_content_loaded_ms: nav.domContentLoadedEventEnd || null,
    load_ms: nav.loadEventEnd || null,
    formulas: document.querySelectorAll('.math').length,
    typeset: document.querySelectorAll('mjx-container').length,
  };
}"""


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static-file server that answers ``Accept-Encoding: gzip`` for text files, as web hosts do."""

    _cache: dict[tuple[str, float], bytes] = {}
    _lock = threading.Lock()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if (path.is_file() and path.suffix in COMPRESSIBLE
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            key = (str(path), path.stat().st_mtime)
            with self._lock:
                body = self._cache.get(key)
                if body is None:
                    body = self._cache[key] = gzip.compress(path.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


@contextmanager
def serve_gzip(html: Path) -> Iterator[str]:
    """Serve ``html`` with gzip on a free port of 127.0.0.1; yields the base URL."""
    handler = functools.partial(_GzipHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def measure_page(browser, base: str, docname: str, *, color_scheme: str = "light",
                 timeout_s: float = 90.0) -> dict[str, Any]:
    """Load ``base/docname.html`` once, throttled, cache empty; the timings in seconds (see module doc)."""
    context = browser.new_context(viewport=VIEWPORT, color_scheme=color_scheme, device_scale_factor=2)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": RTT_MS,
            "downloadThroughput": DOWN_BPS / 8, "uploadThroughput": UP_BPS / 8})
        sizes: dict[str, float] = {}
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
        page.add_init_script(TIMING_INIT_JS)
        page.goto(f"{base}/{docname}.html", wait_until="load", timeout=timeout_s * 1000)
        page.wait_for_function("() => window.__mathRenderedAt !== undefined || "
                               "document.querySelectorAll('.math').length === 0", timeout=timeout_s * 1000)
        r = page.evaluate(RESULT_JS)
        # the requests finished by the time the maths showed
        before_math = page.evaluate("""(t) => performance.getEntriesByType('resource')
            .filter(e => e.responseEnd <= t).reduce((a, e) => [a[0] + (e.transferSize || 0), a[1] + 1], [0, 0])""",
                                    r["math_rendered_ms"] or 0)
    finally:
        context.close()

    def s(ms):
        return None if ms is None or ms < 0 else round(ms / 1000, 3)

    return {
        "page": docname,
        "first_paint_s": s(r["first_paint_ms"]),
        "math_rendered_s": s(r["math_rendered_ms"]) if r["formulas"] else None,
        "dom_content_loaded_s": s(r["dom_content_loaded_ms"]),
        "load_s": s(r["load_ms"]),
        "formulas": r["formulas"],
        "typeset": r["typeset"],
        "bytes_before_math": int(before_math[0]),
        "requests_before_math": int(before_math[1]),
        "bytes_total": int(sum(sizes.values())),
    }


def measure(html: Path, pages: tuple[str, ...] = PAGES, runs: int = 1) -> dict[str, Any]:
    """Every page of ``pages``, ``runs`` times each (the median is kept), light mode."""
    from playwright.sync_api import sync_playwright

    out = []
    with serve_gzip(html) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        try:
            for docname in pages:
                if not (html / f"{docname}.html").is_file():
                    continue
                tries = [measure_page(browser, base, docname) for _ in range(runs)]
                tries.sort(key=lambda t: t["math_rendered_s"] or 0)
                out.append(tries[len(tries) // 2])
        finally:
            browser.close()
    return {
        "throttling": {"down_mbps": DOWN_BPS / 1e6, "up_mbps": UP_BPS / 1e6, "rtt_ms": RTT_MS, "gzip": True,
                       "viewport": VIEWPORT},
        "goals": {"first_paint_s": GOAL_FIRST_PAINT_S, "math_rendered_s": GOAL_MATH_RENDERED_S},
        "pages": out,
    }


def bench_page_load(quick: bool = False, html: Path | None = None) -> dict[str, Any]:
    """First paint and maths rendered for the chapters in :data:`PAGES`, on ``html`` (default ``_build/html``)."""
    html = html or ROOT / "_build" / "html"
    if not (html / "index.html").is_file():
        return {"status": "skipped", "note": f"no built site in {html}: run `make book` first"}
    if not CHROMIUM.exists():
        return {"status": "skipped", "note": f"{CHROMIUM} is not installed (`make browser-deps`)"}
    return {"status": "measured", **measure(html, PAGES[:1] if quick else PAGES, runs=1 if quick else 3)}


def report(result: dict[str, Any]) -> list[str]:
    """Lines for the benchmark's printed table."""
    if result.get("status") != "measured":
        return [f"{result.get('status')}: {result.get('note', '')}"]
    t = result["throttling"]
    lines = [f"{t['down_mbps']:g} Mbps, {t['rtt_ms']:g} ms round trip, gzip, {t['viewport']['width']} px wide, "
             f"cache empty (goals: first paint <= {GOAL_FIRST_PAINT_S:g} s, maths <= {GOAL_MATH_RENDERED_S:g} s)"]
    for r in result["pages"]:
        lines.append(f"{r['page']}: first paint {r['first_paint_s']} s, maths rendered {r['math_rendered_s']} s "
                     f"({r['formulas']} formulas; {r['bytes_before_math'] / 1e3:.0f} kB in "
                     f"{r['requests_before_math']} requests before), load {r['load_s']} s, "
                     f"{r['bytes_total'] / 1e6:.2f} MB in all")
    return lines


if __name__ == "__main__":
    import json
    import sys

    site = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    res = bench_page_load(quick="--quick" in sys.argv, html=site)
    print("\n".join(report(res)))
    print(json.dumps(res, indent=1))
