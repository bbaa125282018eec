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
* each page's ``THEBE_JS_URL`` points at ``_static/thebe/index.js`` instead of unpkg, and
  ``sphinx-thebe.js`` is replaced by ``live-code.js`` (see that file for what it does and why);
* each page tells thebe which BinderHub to use (``launch_buttons.binderhub_url``).

Nothing is loaded before a reader clicks "Live Code"; then everything but the kernel (Binder, or
the Jupyter server a test configures) comes from the site. ``tests/test_livecode.py`` proves it in
Chromium against a Jupyter server on 127.0.0.1: an explorer's slider redraws its figure.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript
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


def _check(app: Sphinx, config) -> None:
    if _enabled(config) and not DIST.is_dir():
        # A fresh clone without npm: the book builds, with Live Code off. A log line, not a Sphinx
        # warning, so that builds with warnings as errors (-W) still pass; only `make site` needs thebe.
        config.html_theme_options["launch_buttons"]["thebe"] = False
        logging.getLogger(__name__).info(f"Live Code is off: thebe is not in {DIST}; {FIX}")
    elif _enabled(config):
        _files()


def _copy(app: Sphinx) -> None:
    """Copy before the pages are written, so their script tags get a checksum (?v=...)."""
    if not _enabled(app.config) or app.builder.format != "html":
        return
    dest = Path(app.outdir) / OUT
    dest.mkdir(parents=True, exist_ok=True)
    for src, name in _files():
        shutil.copy2(src, dest / name)


def _page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Point the page at the site's thebe and loader instead of unpkg and sphinx-thebe.js."""
    scripts = context.get("script_files")
    if not _enabled(app.config) or not isinstance(scripts, list):
        return
    thebe_url = context["pathto"](f"{OUT}/index.js", resource=True)
    for i, js in enumerate(scripts):
        body = js.attributes.get("body", "")
        if not js.filename and "const THEBE_JS_URL" in body:
            old = body.split(";")[0]
            attributes = dict(js.attributes, body=body.replace(old, f'const THEBE_JS_URL = "{thebe_url}"', 1))
            scripts[i] = _JavaScript(js.filename, priority=js.priority, **attributes)
        elif str(js.filename).endswith("/sphinx-thebe.js"):
            scripts[i] = _JavaScript(f"{OUT}/{LOADER.name}", priority=js.priority, **js.attributes)


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
    app.connect("html-page-context", _page_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
