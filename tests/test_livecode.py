"""Live Code runs an explorer in a real browser: the slider redraws the figure, offline.

A reader presses "Live Code" on Chapter 1, runs the imports cell and the entropy explorer's cell,
moves the "V (answers)" slider one step and sees the figure change. That needs thebe's ipywidgets 8
widget manager (thebe 0.9, served by the site: see ``_ext/live_code.py``) to build the sliders and
the figure's Image widget from the kernel's messages, and to send the slider's new value back.

The kernel is a Jupyter server this test starts on 127.0.0.1 with a random token (killed at the
end, with its kernel). The built page is used as published; only a test configuration fragment
is added to it before the click (``useBinder: false`` and the server's address and token), where
the site otherwise asks Binder. Every request and WebSocket that would leave 127.0.0.1 is refused
and recorded, and the test asserts there were none: thebe, its chunks, its stylesheet and
require.js all come from the site. Chromium is the ``browser`` fixture (tests/conftest.py); without
it the test skips, except under ``CI=true``, where it fails (``make browser-deps`` installs it).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, unavailable

VIEWPORT = {"width": 1280, "height": 900}
PAGE = "book/01_entropy.html"
IMPORTS_CELL = "from rlbits import distributions, plotting, widgets"  # the chapter's hide-input imports
EXPLORER_CELL = "widgets.entropy_explorer()"
SERVER_START_S = 60
KERNEL_READY_MS = 60_000
WIDGETS_MS = 60_000
REDRAW_MS = 30_000
RUN_MS = 60_000
SETTLE_MS = 1_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


@pytest.fixture(scope="module")
def jupyter_server(site, tmp_path_factory):
    """A Jupyter server on 127.0.0.1 that accepts the site's origin and a random token.

    Yields ``{"baseUrl", "token"}``; the server and every kernel it started are stopped at the end.
    """
    try:
        import jupyter_server  # noqa: F401
        import psutil
    except ImportError as exc:
        unavailable(f"{exc.name} is not installed (requirements.txt)")
    tmp = tmp_path_factory.mktemp("jupyter")
    port, token = _free_port(), secrets.token_hex(24)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # Agg would drop the figures
    env.update(JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"))
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.allow_origin={site}", f"--ServerApp.root_dir={ROOT}",
         "--ServerApp.open_browser=False", "--ServerApp.terminals_enabled=False", "--allow-root"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the Jupyter server exited ({proc.returncode}):\n{(tmp / 'server.log').read_text()[-3000:]}")
            try:
                req = urllib.request.Request(f"{base}/api/status", headers={"Authorization": f"token {token}"})
                with urllib.request.urlopen(req, timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the Jupyter server did not answer within {SERVER_START_S} s:\n"
                            f"{(tmp / 'server.log').read_text()[-3000:]}")
            time.sleep(0.2)
        yield {"baseUrl": base, "token": token}
    finally:
        children = psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else []
        proc.terminate()  # the server shuts its kernels down when it stops
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for child in children:  # a kernel that outlived its server
            if child.is_running():
                child.kill()
        log.close()


ERROR_MIME = "application/vnd.jupyter.stderr"  # tracebacks and stderr, as JupyterLab renders them


def run_cell(page, cell) -> None:
    """Press the cell's "run" button and wait until its busy spinner goes away (execution done)."""
    cell.locator(".thebe-run-button").click()  # shows the spinner at once, hides it when done
    page.wait_for_function("(busy) => busy.style.display === 'none'",
                           arg=cell.locator(".thebe-busy").element_handle(), timeout=RUN_MS)


FIGURE_JS = """(cell) => {
  const imgs = [...cell.querySelectorAll('.thebe-output img, .cell_output img')];
  return imgs.map(img => ({src: img.src, width: img.naturalWidth, done: img.complete}));
}"""


def test_live_code_explorer_slider_redraws_figure(browser, site, live_code, jupyter_server, screenshots):
    """Live Code on Chapter 1: run the explorer, move a slider, the figure is redrawn; offline."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    outside: list[str] = []
    errors: list[str] = []
    sockets: list[str] = []
    thebe_files: list[str] = []

    def block(route):
        outside.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(lambda url: not _is_local(url), block)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"uncaught exception: {exc}"))
    page.on("console", lambda msg: errors.append(f"console.error: {msg.text}") if msg.type == "error" else None)
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.on("request", lambda req: thebe_files.append(req.url) if "/_static/thebe/" in req.url else None)
    started = time.monotonic()
    try:
        answer = page.goto(f"{site}/{PAGE}", wait_until="load")
        assert answer is not None and answer.ok, f"{PAGE}: HTTP {answer.status if answer else '(none)'}"
        # The test's only change to the page: thebe reads every x-thebe-config block and merges them.
        fragment = {"useBinder": False, "serverSettings": jupyter_server}
        page.evaluate("""(config) => {
          const el = document.createElement('script');
          el.type = 'text/x-thebe-config';
          el.textContent = JSON.stringify(config);
          document.head.appendChild(el);
        }""", fragment)

        # The reader opens the launch menu and presses "Live Code".
        page.hover(".dropdown-launch-buttons")
        page.locator(".btn-launch-thebe").click()
        page.wait_for_function(
            "() => (document.querySelector('.thebe-launch-button') || {}).textContent?.startsWith('Live Code is ready')",
            timeout=KERNEL_READY_MS)

        # Run the (hidden-input) imports cell, as a reader who opens "Show code cell source" would,
        # then the explorer's cell.
        imports = page.locator("div.cell", has=page.locator(".thebe-cell", has_text=IMPORTS_CELL))
        explorer = page.locator("div.cell", has=page.locator(".thebe-cell", has_text=EXPLORER_CELL))
        assert imports.count() == 1 and explorer.count() == 1, "imports or explorer cell not made live"
        imports.locator("details summary").first.click()
        run_cell(page, imports)
        explorer.locator("details summary").first.click()  # its source is folded too (hide-input)
        run_cell(page, explorer)
        for cell in (imports, explorer):
            assert cell.locator(f"[data-mime-type='{ERROR_MIME}']").count() == 0, \
                f"the cell raised: {cell.locator(f'[data-mime-type={ERROR_MIME!r}]').first.inner_text()}"

        sliders = explorer.locator(".widget-slider")
        sliders.first.wait_for(timeout=WIDGETS_MS)
        page.wait_for_function(f"(cell) => ({FIGURE_JS})(cell).some(i => i.done && i.width > 0)",
                               arg=explorer.element_handle(), timeout=WIDGETS_MS)
        assert sliders.count() == 3, f"expected the explorer's 3 sliders, found {sliders.count()}"
        before = explorer.evaluate(FIGURE_JS)
        assert len(before) == 1, f"expected one figure under the sliders, found {len(before)}"
        v_slider = sliders.filter(has_text="V (answers)")
        readout = v_slider.locator(".widget-readout")
        v_before = readout.inner_text().strip()

        # Move the V slider one step to the right, as a keyboard reader does (a mouse drag sends
        # every value it passes through; one step means the new figure can only be V + 1's).
        v_slider.locator(".noUi-handle").focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            f"([cell, old]) => {{ const f = ({FIGURE_JS})(cell); "
            "return f.length === 1 && f[0].done && f[0].width > 0 && f[0].src !== old; }",
            arg=[explorer.element_handle(), before[0]["src"]], timeout=REDRAW_MS)
        redrawn = explorer.evaluate(FIGURE_JS)[0]["src"]
        page.wait_for_timeout(SETTLE_MS)  # no second redraw may follow
        v_after = readout.inner_text().strip()
        after = explorer.evaluate(FIGURE_JS)
        explorer.screenshot(path=str(screenshots / "livecode_01_entropy_explorer.png"))
    except Exception as exc:
        page.screenshot(path=str(screenshots / "livecode_failure.png"))
        seen = "\n  ".join(errors + [f"refused: {u}" for u in outside] + [f"websocket: {u}" for u in sockets])
        raise AssertionError(f"Live Code failed after {time.monotonic() - started:.1f} s: {exc}\n  {seen}") from exc
    finally:
        context.close()
    elapsed = time.monotonic() - started
    print(f"Live Code: V {v_before} -> {v_after}, figure redrawn; {len(thebe_files)} thebe files "
          f"from the site; {elapsed:.1f} s in the browser")

    assert (v_before, v_after) == ("8", "9"), f"the V slider should go 8 -> 9, went {v_before} -> {v_after}"
    assert len(after) == 1 and after[0]["src"].startswith(("blob:", "data:image/png")), f"figure after the move: {after}"
    assert after[0]["src"] != before[0]["src"], "the figure did not change"
    assert after[0]["src"] == redrawn, "the figure changed more than once for one slider step"
    assert any(u.endswith("/_static/thebe/index.js") for u in thebe_files), "thebe not loaded from the site"
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert sockets and all(_is_local(u.replace("ws://", "http://", 1)) for u in sockets), \
        f"kernel WebSockets not (only) on 127.0.0.1: {sockets}"
    assert not errors, "JS/console errors:\n  " + "\n  ".join(errors)
