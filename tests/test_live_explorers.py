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
