"""The live explorers on the static website, driven in headless Chromium (``book/course/build/web.py``).

For every chapter page with a ``{live-explorer}`` block, :func:`check_page` opens the page in a
fresh browser context (empty cache), moves each control through several values of its grid and,
after every move, checks that the figure shown is the matching state: the image's file is the one
for the controls' values, it has loaded, its alt text is the one ``rlbits`` computes for those
values (from the chapter's own panel function, not from the page), and the control's visible
readout and ``aria-valuetext`` name the value. It also operates the controls with the keyboard
(arrow keys, Home, End, Tab), records every request (none may fail or leave the site) and times
each move from the control's change to the next frame after the new image is decoded, the first
visit of each state (a cold cache). :func:`measure` does this for every page of a built site and
returns the percentiles: ``tests/test_live_explorers.py`` asserts on them, and
``python -m benchmarks --only live_site`` records them in ``benchmarks/results.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from book.course.build import web

ROOT = web.ROOT
VIEWPORT = {"width": 1280, "height": 900}
GOAL_P95_MS = 50.0  # a move shows its figure within 50 ms at the 95th percentile
MAX_INITIAL_BYTES = 1_500_000  # the page's own weight at load (HTML + the images it shows)
MOVES_PER_CONTROL = 4
DIRECTIVE = re.compile(r"```\{live-explorer\}\s+(\w+)")


def explorer_pages() -> dict[str, str]:
    """``docname -> explorer name`` for every notebook in the table of contents with a live explorer."""
    pages = {}
    for nb in web.chapter_notebooks():
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] == "markdown":
                for name in DIRECTIVE.findall("".join(cell["source"])):
                    pages[nb.relative_to(ROOT).with_suffix("").as_posix()] = name
    return pages


@dataclass
class PageResult:
    """What one chapter page's explorer did in the browser."""

    docname: str
    explorer: str
    problems: list[str] = field(default_factory=list)
    times_ms: list[float] = field(default_factory=list)  # one per move, first visit of each state
    moves: int = 0
    keyboard_moves: int = 0
    initial_bytes: int = 0  # the HTML and the images requested at load, before any move
    state_requests_at_load: int = 0
    state_bytes: list[int] = field(default_factory=list)


MATH_READY_JS = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    try { await MathJax.startup.promise; } catch (e) { /* reported by tests/test_browser.py */ }
  }
}"""

FIRST_IMAGE_JS = """() => {
  const img = document.querySelector('.live-explorer img.live-explorer-image');
  return !!img && img.complete && img.naturalWidth > 0;
}"""

MOVE_JS = """async ({i, j, key}) => {
  const root = document.querySelector('.live-explorer');
  const el = root.querySelectorAll('[data-control]')[i];
  const shown = new Promise(resolve => {
    const h = e => { if (e.detail.key === key) { root.removeEventListener('live-explorer-shown', h); resolve(true); } };
    root.addEventListener('live-explorer-shown', h);
  });
  const t0 = performance.now();
  el.value = String(j);
  el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', {bubbles: true}));
  const ok = await Promise.race([shown, new Promise(r => setTimeout(() => r(false), 5000))]);
  await new Promise(r => requestAnimationFrame(() => r()));
  return {ms: performance.now() - t0, ok: ok};
}"""

STATE_JS = """() => {
  const root = document.querySelector('.live-explorer');
  const img = root.querySelector('img.live-explorer-image');
  return {
    hidden: root.hidden || root.offsetParent === null,
    state: root.dataset.state,
    src: img.currentSrc || img.src, alt: img.alt, loaded: img.complete && img.naturalWidth > 0,
    controls: [...root.querySelectorAll('[data-control]')].map(el => ({
      id: el.id, tag: el.tagName, value: Number(el.value),
      label: (document.querySelector(`label[for="${el.id}"]`) || {}).textContent || '',
      readout: el.tagName === 'SELECT' ? el.options[el.selectedIndex].text
               : (root.querySelector(`output[for="${el.id}"]`) || {}).textContent,
      valuetext: el.getAttribute('aria-valuetext'),
    })),
    note: (root.querySelector('.live-explorer-note') || {}).textContent || '',
    links: [...root.querySelectorAll('.live-explorer-note a')].map(a => a.href),
  };
}"""


def _targets(n: int, current: int) -> list[int]:
    """Up to ``MOVES_PER_CONTROL`` indices of a control with ``n`` values: the ends, the middle, one more."""
    wanted = [n - 1, 0, n // 2, (n // 2 + n - 1) // 2, 1]
    out: list[int] = []
    for j in wanted:
        if j not in out and 0 <= j < n and (not out or j != out[-1]):
            out.append(j)
    out = [j for j in out if j != current] if len(out) > 1 else out
    return out[:MOVES_PER_CONTROL]


def _expected(grid: Any, index: list[int]) -> tuple[str, str]:
    """The state key and the alt text ``rlbits`` computes for the controls at ``index``."""
    values = {c.name: c.values[i] for c, i in zip(grid.controls, index)}
    return grid.key(index), grid.describe(grid.panel(**values))


def _check_state(page: Any, grid: Any, index: list[int], where: str, res: PageResult) -> None:
    key, alt = _expected(grid, index)
    seen = page.evaluate(STATE_JS)
    if seen["state"] != key or not urlsplit(seen["src"]).path.endswith(f"/{key}.png"):
        res.problems.append(f"{where}: expected state {key}, page shows {seen['state']} ({seen['src']})")
    if not seen["loaded"]:
        res.problems.append(f"{where}: the image of state {key} did not load")
    if seen["alt"] != alt:
        res.problems.append(f"{where}: alt text {seen['alt']!r} is not the state's {alt!r}")
    for c, ctl, i in zip(grid.controls, seen["controls"], index):
        if ctl["value"] != i or ctl["readout"] != c.readouts[i]:
            res.problems.append(f"{where}: control {c.label!r} shows {ctl['readout']!r} (index {ctl['value']}), "
                                f"expected {c.readouts[i]!r}")
        if ctl["tag"] == "INPUT" and ctl["valuetext"] != c.readouts[i]:
            res.problems.append(f"{where}: control {c.label!r} has aria-valuetext {ctl['valuetext']!r}")


def check_page(browser: Any, base: str, docname: str, name: str) -> PageResult:
    """Open one chapter page in a fresh context and operate its live explorer (see the module docstring)."""
    from rlbits import widgets

    grid = widgets.STATIC_GRIDS[name]
    res = PageResult(docname, name)
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    sizes: dict[str, tuple[str, str, int]] = {}
    moving = {"on": False}

    def outside(route):
        res.problems.append(f"request left 127.0.0.1: {route.request.url}")
        route.abort("blockedbyclient")

    context.route(lambda url: not (url.startswith(base + "/") or urlsplit(url).scheme in ("data", "blob", "about")),
                  outside)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.requestWillBeSent", lambda e: sizes.setdefault(
        e["requestId"], (e["request"]["url"], "moving" if moving["on"] else "load", 0)))
    cdp.on("Network.loadingFinished", lambda e: e["requestId"] in sizes and sizes.__setitem__(
        e["requestId"], (*sizes[e["requestId"]][:2], int(e["encodedDataLength"]))))
    page.on("pageerror", lambda exc: res.problems.append(f"uncaught exception: {exc}"))
    page.on("console", lambda m: m.type == "error" and res.problems.append(f"console.error: {m.text}"))
    page.on("requestfailed", lambda r: res.problems.append(f"failed request: {r.url}: {r.failure}")
            if r.url.startswith(base) else None)
    page.on("response", lambda r: r.status >= 400 and res.problems.append(f"HTTP {r.status}: {r.url}"))
    try:
        page.goto(f"{base}/{docname}.html", wait_until="load")
        page.evaluate(MATH_READY_JS)  # moves are timed once the page has settled (MathJax typeset)
        page.locator(".live-explorer").scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        try:  # the first state's image is lazy: it loads once the block is scrolled into view
            page.wait_for_function(FIRST_IMAGE_JS, timeout=10_000)
        except Exception:  # noqa: BLE001 - reported by the state check below
            pass
        seen = page.evaluate(STATE_JS)
        if seen["hidden"]:
            res.problems.append("the live explorer is still hidden after the script ran")
        if "precomputed" not in seen["note"]:
            res.problems.append(f"the note does not say the figure is precomputed: {seen['note']!r}")
        for host in ("mybinder.org", "colab.research.google.com"):
            if not any(urlsplit(u).hostname == host for u in seen["links"]):
                res.problems.append(f"the note has no link to {host}")
        for c, ctl in zip(grid.controls, seen["controls"]):
            if ctl["label"].strip() != c.label:
                res.problems.append(f"control {ctl['id']} has visible label {ctl['label']!r}, expected {c.label!r}")
        res.initial_bytes = sum(n for url, when, n in sizes.values()
                                if when == "load" and not urlsplit(url).path.startswith("/_static/")
                                and (urlsplit(url).path.endswith(".html") or "/_explorers/" in url
                                     or "/_images/" in url))
        res.state_requests_at_load = sum("/_explorers/" in url for url, when, _ in sizes.values() if when == "load")
        index = [c.default for c in grid.controls]
        _check_state(page, grid, index, "at load", res)

        # every control through several values, each state's first visit (cache cold)
        visited = {grid.key(index)}
        moving["on"] = True
        for i, c in enumerate(grid.controls):
            for j in _targets(len(c.values), index[i]):
                index[i] = j
                key = grid.key(index)
                out = page.evaluate(MOVE_JS, {"i": i, "j": j, "key": key})
                res.moves += 1
                where = f"{c.label} -> {c.readouts[j]}"
                if not out["ok"]:
                    res.problems.append(f"{where}: state {key} was not shown within 5 s")
                elif key not in visited:
                    res.times_ms.append(out["ms"])
                visited.add(key)
                _check_state(page, grid, index, where, res)

        # the keyboard: arrow keys, Home and End on the sliders, arrows on the selects, Tab between them
        locs = page.locator(".live-explorer [data-control]")
        for i, c in enumerate(grid.controls):
            loc = locs.nth(i)
            loc.focus()
            n = len(c.values)
            keys = (["Home", "ArrowRight", "End", "ArrowLeft"] if c.kind == "range" else ["ArrowDown", "ArrowUp"])
            for k in keys:
                before = index[i]
                page.keyboard.press(k)
                index[i] = {"Home": 0, "End": n - 1, "ArrowRight": min(before + 1, n - 1),
                            "ArrowUp": max(before - 1, 0), "ArrowLeft": max(before - 1, 0),
                            "ArrowDown": min(before + 1, n - 1)}[k]
                key = grid.key(index)
                try:
                    page.wait_for_function("key => document.querySelector('.live-explorer').dataset.state === key",
                                           arg=key, timeout=5000)
                except Exception:  # noqa: BLE001 - reported below
                    pass
                res.keyboard_moves += 1
                _check_state(page, grid, index, f"keyboard {k} on {c.label}", res)
            if i + 1 < len(grid.controls):
                page.keyboard.press("Tab")
                focused = page.evaluate("() => document.activeElement && document.activeElement.id")
                if focused != locs.nth(i + 1).get_attribute("id"):
                    res.problems.append(f"Tab from {c.label!r} goes to {focused!r}, not the next control")
        page.wait_for_load_state("networkidle")
        res.state_bytes = [n for url, when, n in sizes.values() if when == "moving" and "/_explorers/" in url]
    finally:
        context.close()
    return res


def check_without_javascript(browser: Any, base: str, docname: str) -> list[str]:
    """With JavaScript off the explorer stays hidden, a note says so, and the static figure is shown."""
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=False)
    problems = []
    try:
        page = context.new_page()
        page.goto(f"{base}/{docname}.html", wait_until="load")
        if page.locator(".live-explorer").is_visible():
            problems.append("without JavaScript the inert explorer is shown")
        if not page.locator("p.live-explorer-noscript").is_visible():
            problems.append("without JavaScript no note explains the explorer")
        figures = page.locator("article figure img, article .cell_output img")
        if figures.count() == 0 or not figures.first.is_visible():
            problems.append("without JavaScript no static figure is shown")
    finally:
        context.close()
    return problems


def summary(results: list[PageResult]) -> dict[str, Any]:
    """Percentiles over every timed move of every page, and per page."""
    times = np.array([t for r in results for t in r.times_ms], dtype=float)
    pct = (lambda a, q: float(np.percentile(a, q)) if a.size else None)
    return {
        "goal_p95_ms": GOAL_P95_MS,
        "moves_timed": int(times.size),
        "median_ms": pct(times, 50), "p95_ms": pct(times, 95), "max_ms": float(times.max()) if times.size else None,
        "meets_goal": bool(times.size and pct(times, 95) <= GOAL_P95_MS),
        "pages": [{"page": r.docname, "explorer": r.explorer, "moves": r.moves, "keyboard_moves": r.keyboard_moves,
                   "median_ms": pct(np.array(r.times_ms), 50), "p95_ms": pct(np.array(r.times_ms), 95),
                   "initial_bytes": r.initial_bytes, "state_requests_at_load": r.state_requests_at_load,
                   "state_median_bytes": float(np.median(r.state_bytes)) if r.state_bytes else None,
                   "problems": len(r.problems)} for r in results],
    }


def site_added_bytes(html: Path) -> dict[str, Any]:
    """What the live explorers add to the built site: state images and the script and stylesheet."""
    folder = html / "_explorers"
    per = {d.name.rsplit("-", 1)[0]: {"states": len(list(d.glob("*.png"))),
                                       "bytes": sum(f.stat().st_size for f in d.glob("*.png"))}
           for d in sorted(folder.iterdir())} if folder.is_dir() else {}
    assets = sum((html / "_static" / f).stat().st_size for f in ("live-explorers.js", "live-explorers.css")
                 if (html / "_static" / f).is_file())
    return {"explorers": per, "assets_bytes": assets,
            "total_bytes": assets + sum(v["bytes"] for v in per.values()),
            "states": sum(v["states"] for v in per.values())}


def measure(html: Path) -> dict[str, Any]:
    """Operate every page's live explorer in Chromium; the results as a JSON-ready dict."""
    pages = explorer_pages()
    with web.serve(html) as base, web.chromium() as browser:
        results = [check_page(browser, base, doc, name) for doc, name in pages.items()]
        nojs = {doc: check_without_javascript(browser, base, doc) for doc in pages}
    out = summary(results)
    out["site"] = site_added_bytes(html)
    out["problems"] = {r.docname: r.problems + nojs[r.docname] for r in results if r.problems or nojs[r.docname]}
    return out


def bench_live_site(quick: bool = False, html: Path | None = None) -> dict[str, Any]:
    """The static site's explorers in headless Chromium, on the site ``make book`` built (``_build/html``)."""
    html = html or ROOT / "_build" / "html"
    if not (html / "_explorers").is_dir():
        return {"status": "skipped", "note": f"no built site with live explorers in {html}: run `make book` first"}
    if not web.find_chromium():
        return {"status": "skipped", "note": web.NOT_FOUND}
    return {"status": "measured", **measure(html)}
