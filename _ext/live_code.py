"""Live Code (Thebe) that renders the explorers, served from the site itself.

sphinx-thebe 0.3.1 (loaded by Jupyter Book) fetches thebe 0.8.2 from unpkg when a reader clicks
"Live Code"; thebe 0.8.2 bundles the ipywidgets 7 widget manager, so the book's ipywidgets 8
explorers never render. This extension keeps sphinx-thebe's page configuration (Binder repository,
kernel, cell selectors) and swaps its loader:

* thebe **0.9.3** (its prebuilt bundle: @jupyter-widgets/base 6, controls 5, jupyterlab-manager 5,
  i.e. ipywidgets 8) and **require.js 2.3.6** come from the npm tarballs pinned by SHA-512 in
  ``_ext/thebe/SHA512SUMS`` (``make live-code`` fetches and checks them into ``_ext/thebe/dist/``);
  they are copied with ``_ext/thebe/live-code.js`` and ``live-code.css`` to ``_static/thebe/``
  in the build;
* every page loads ``_static/thebe/live-code.js`` and a configuration whose ``THEBE_JS_URL`` is
  ``_static/thebe/index.js`` (both with ``app.add_js_file``) instead of sphinx-thebe's
  ``sphinx-thebe.js`` and its configuration pointing at unpkg, which are taken off each page's
  script list (``html-page-context``);
* each page tells thebe which BinderHub to use (``launch_buttons.binderhub_url``).

Nothing is loaded before a reader clicks "Live Code"; then everything but the kernel (Binder, or
the Jupyter server a test configures) comes from the site. ``tests/test_livecode.py`` proves it in
Chromium against a Jupyter server on 127.0.0.1: an explorer's slider redraws its figure.

**Without npm** (a fresh clone where ``make live-code`` has not run), the book still builds:
Live Code is switched off (no "Live Code" button; Binder and Colab stay) and the build logs one
line saying so and how to turn it on. It is a log line, not a Sphinx warning, so builds with ``-W``
(``make book``, ``make instructor``) still pass; ``make site``, which publishes, fetches thebe first.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

HERE = Path(__file__).resolve().parent / "thebe"
DIST = HERE / "dist"
LOADER = HERE / "live-code.js"
STYLE = HERE / "live-code.css"
OUT = "_static/thebe"  # in the build
THEBE_VERSION = "0.9.3"
REQUIREJS_VERSION = "2.3.6"
# thebe-core fetches require.js from this address before building the first widget; live-code.js
# answers that one request from the site. If a new thebe changes it, the build must say so.
REQUIREJS_CDN = f"https://cdnjs.cloudflare.com/ajax/libs/require.js/{REQUIREJS_VERSION}/require.min.js"
FIX = "run `make live-code` (needs npm) to fetch the pinned thebe into _ext/thebe/dist/"
logger = logging.getLogger(__name__)


def _enabled(config) -> bool:
    return bool((config.html_theme_options or {}).get("launch_buttons", {}).get("thebe"))


def _pinned() -> dict[str, str]:
    """Package name -> version, from the tarball names in SHA512SUMS (e.g. thebe-0.9.3.tgz)."""
    pins = {}
    for line in (HERE / "SHA512SUMS").read_text().splitlines():
        if line.strip():
            name, _, version = line.split()[1].removesuffix(".tgz").rpartition("-")
            pins[name] = version
    return pins


def _files() -> list[tuple[Path, str]]:
    """(source, name in the build) for every file Live Code serves; raises if any is missing."""
    pins = _pinned()
    if pins != {"thebe": THEBE_VERSION, "requirejs": REQUIREJS_VERSION}:
        raise ExtensionError(f"_ext/thebe/SHA512SUMS pins {pins}; live_code.py is written for thebe "
                             f"{THEBE_VERSION} and require.js {REQUIREJS_VERSION}")
    lib = DIST / f"thebe-{THEBE_VERSION}" / "lib"
    requirejs = DIST / f"requirejs-{REQUIREJS_VERSION}" / "require.js"
    if not (lib / "index.js").is_file() or not requirejs.is_file():
        raise ExtensionError(f"Live Code: thebe {THEBE_VERSION} is not unpacked in {DIST}; {FIX}")
    version = json.loads((lib.parent / "package.json").read_text())["version"]
    if version != THEBE_VERSION:
        raise ExtensionError(f"Live Code: {DIST} holds thebe {version}, not {THEBE_VERSION}; {FIX}")
    bundle = sorted(lib.glob("*index.js")) + sorted(lib.glob("*.LICENSE.txt")) + [lib / "thebe.css"]
    if not any(REQUIREJS_CDN in p.read_text(errors="replace") for p in lib.glob("*index.js")):
        raise ExtensionError(f"thebe {THEBE_VERSION} no longer asks for {REQUIREJS_CDN}: "
                             "update REQUIREJS_CDN here and in live-code.js")
    return [(p, p.name) for p in bundle] + [(requirejs, "require.js"), (LOADER, LOADER.name), (STYLE, STYLE.name)]


def _missing() -> str | None:
    """Why the pinned thebe cannot be served (it is not unpacked), or None when it can."""
    lib = DIST / f"thebe-{THEBE_VERSION}" / "lib"
    if not (lib / "index.js").is_file() or not (DIST / f"requirejs-{REQUIREJS_VERSION}" / "require.js").is_file():
        return f"thebe {THEBE_VERSION} is not unpacked in {DIST}"
    return None


def _check(app: Sphinx, config) -> None:
    """Switch Live Code off, with one log line, where thebe is not unpacked; otherwise check its files."""
    if not _enabled(config):
        return
    why = _missing()
    if why:
        # A fresh clone without npm: the book builds, with Live Code off. A log line, not a Sphinx
        # warning, so that builds with warnings as errors (-W) still pass; `make site` fetches thebe.
        config.html_theme_options["launch_buttons"]["thebe"] = False
        logger.info(f"Live Code is off in this build: {why}; {FIX}. Binder and Colab still work.")
        return
    _files()


def _copy(app: Sphinx) -> None:
    """Copy before the pages are written, so their script tags get a checksum (?v=...)."""
    if not _enabled(app.config) or app.builder.format != "html":
        return
    dest = Path(app.outdir) / OUT
    dest.mkdir(parents=True, exist_ok=True)
    for src, name in _files():
        shutil.copy2(src, dest / name)
    app.add_js_file(f"{OUT.removeprefix('_static/')}/{LOADER.name}", loading_method="async")


def _page_config(app: Sphinx, env, docnames) -> None:
    """The page configuration sphinx-thebe writes, with THEBE_JS_URL at the site's own thebe.

    sphinx-thebe writes ``const THEBE_JS_URL = "https://unpkg.com/..."`` with its selectors (after its
    own ``env-before-read-docs`` handler); this one, connected after it, writes the same constants
    with the address of ``_static/thebe/index.js`` on this site, found from the page's
    ``data-content_root``. ``_page_scripts`` takes sphinx-thebe's copy off each page."""
    if not _enabled(app.config):
        return
    selectors = app.config.thebe_config
    lines = [
        'const THEBE_JS_URL = new URL("_static/thebe/index.js", '
        "new URL(document.documentElement.dataset.content_root || './', document.baseURI)).href",
        *(f"const thebe_{key} = {json.dumps(selectors[key])}" for key in ("selector", "selector_input", "selector_output")),
    ]
    app.add_js_file(None, body="; ".join(lines), id="live-code-config")


def _is_sphinx_thebe(js) -> bool:
    filename = str(getattr(js, "filename", "") or "")
    body = (getattr(js, "attributes", None) or {}).get("body", "")
    return filename.endswith("/sphinx-thebe.js") or ("const THEBE_JS_URL" in body and "unpkg.com" in body)


def _page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Take sphinx-thebe's loader and configuration off the page: live-code.js and ``_page_config``
    replace them, and with Live Code off nothing may offer to fetch thebe from unpkg."""
    scripts = context.get("script_files")
    if isinstance(scripts, list):
        scripts[:] = [js for js in scripts if not _is_sphinx_thebe(js)]


def _binder_config(app: Sphinx, doctree, docname: str) -> None:
    """Ask thebe for the BinderHub of ``launch_buttons.binderhub_url`` (sphinx-thebe does not pass
    it, and thebe would use its own default); thebe 0.9 merges every x-thebe-config block."""
    url = (app.config.html_theme_options or {}).get("launch_buttons", {}).get("binderhub_url")
    if not _enabled(app.config) or not url:
        return
    fragment = json.dumps({"binderOptions": {"binderUrl": url.rstrip("/")}}).replace("<", "\\u003c")
    doctree.append(nodes.raw(text=f'<script type="text/x-thebe-config">{fragment}</script>\n', format="html"))


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _check)
    app.connect("doctree-resolved", _binder_config)
    app.connect("builder-inited", _copy)
    app.connect("env-before-read-docs", _page_config, priority=600)  # after sphinx-thebe's (500)
    app.connect("html-page-context", _page_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
