"""The built site's pages, a static-file server for them, and a headless Chromium to open them.

One helper shared by ``make pdf`` (:mod:`book.course.build.pdf`), the tests (``tests/conftest.py``)
and the benchmarks (``benchmarks/live_site.py``):

* :func:`toc_files` and :func:`chapter_notebooks` read ``_toc.yml``;
* :func:`serve` serves a folder on a free port of 127.0.0.1;
* :func:`find_chromium` finds Chromium: the environment variable ``CHROMIUM`` if set, else
  ``chromium`` on the ``PATH`` (``make browser-deps`` installs Debian's);
* :func:`chromium` launches it headless through Playwright (never a browser Playwright downloads);
* :func:`refuse_outside` makes a browser context refuse, and record, every request that would leave
  the served site.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[3]
#: Headless, and offline: no host but 127.0.0.1 resolves, and no background traffic.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
NOT_FOUND = ("Chromium not found: set CHROMIUM=/path/to/chromium or put `chromium` on the PATH "
             "(`make browser-deps` installs Debian's, as root)")


def toc_files() -> list[str]:
    """Every file named in ``_toc.yml`` (root first), without extension, relative to the repository."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            for key in ("sections", "chapters", "parts"):
                walk(entry.get(key, []))

    walk(toc.get("parts", []) + toc.get("chapters", []) + toc.get("sections", []))
    return files


def chapter_notebooks() -> list[Path]:
    """The notebooks listed in the table of contents (chapters, intro, course, appendix), in order."""
    return [ROOT / f"{f}.ipynb" for f in toc_files() if (ROOT / f"{f}.ipynb").exists()]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free port of 127.0.0.1; yields the base URL (no trailing slash)."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def find_chromium() -> str | None:
    """Chromium's executable: ``$CHROMIUM`` if set, else ``chromium`` on the PATH, else None."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium")


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium (see :func:`find_chromium`) driven by Playwright; yields the browser.

    Raises ``FileNotFoundError`` where no Chromium is found.
    """
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    if not executable:
        raise FileNotFoundError(NOT_FOUND)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def is_local(url: str, base: str) -> bool:
    """Whether ``url`` is on the site served at ``base`` (or a data:, blob: or about: URL)."""
    return urlsplit(url).scheme in ("data", "blob", "about") or url == base or url.startswith(base + "/")


def refuse_outside(context: Any, base: str) -> list[str]:
    """Refuse every request of ``context`` that would leave the site at ``base``; return the list
    the refused URLs are appended to (empty while the pages stay offline)."""
    outside: list[str] = []

    def refuse(route: Any) -> None:
        outside.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(lambda url: not is_local(url, base), refuse)
    return outside
