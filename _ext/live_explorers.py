"""Live explorers on the static website: ``{live-explorer} NAME`` in a chapter's markdown.

Every chapter's explorer responds on the page itself, with no kernel and no server: at build time
each state of the explorer's control grid (``rlbits.widgets.STATIC_GRIDS[NAME]``, defined in the
chapter's module next to its panel and draw functions) is drawn by those same functions and written
as its own PNG file; on the page, real controls (range inputs and selects, with visible labels and
their current value) pick the state, and a small script (``live_explorers_static/live-explorers.js``,
3 kB) loads that state's image (the variant the screen shows) on demand and swaps it in with the
state's alt text.

* **Cached.** The states of one explorer are kept in ``_build/.explorer_states/NAME-HASH/``, where
  HASH covers every file of ``rlbits``, the explorer's grid, this file and the matplotlib and Pillow
  versions; they are regenerated only when one of those changes, and copied into the site's
  ``_explorers/`` folder when the build finishes. A cold build draws them in a process of their own
  while the notebooks execute (``_draw_ahead``).
* **Light.** States are PNGs quantised to 128 colours. The page carries only the controls, the alt
  texts and the first state's image (loaded lazily); every other state is fetched when a reader
  picks it.
* **Sharp and readable on phones.** Each state is drawn twice at 200 dpi, twice the pixels of its
  displayed size: the figure as designed (panels side by side), and a narrow variant
  (``rlbits.widgets.NARROW_WIDTH`` inches, panels stacked, legends below their panel, long titles
  wrapped) that a ``<picture>`` serves to screens matching :data:`NARROW_MEDIA`, so that its legend
  and tick text is at least 9 CSS px on a 390-px-wide phone (``tests/test_live_explorers.py``
  measures it in Chromium from each variant's smallest font, recorded at build time).
* **Honest and accessible.** The block says the figure is precomputed and links to Binder and Colab
  for other values; it is hidden until the script runs, so readers without JavaScript see the
  chapter's static figure (which follows it) and a note. Each state's image has alt text written
  from that state's numbers.

Why this route and not Panel's ``embed`` or the ipywidgets HTML manager: see the README, "Live
explorers on the static website".
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "lib" / "rlbits"
STATIC = Path(__file__).resolve().parent / "live_explorers_static"
SITE_FOLDER = "_explorers"  # in the built site
CACHE_FOLDER = ".explorer_states"  # next to the built site (_build/)
PNG_COLOURS = 128
#: Pixels per inch of a figure shown at its own size (the book's figure dpi): states drawn at twice
#: this (``rlbits.widgets.STATE_DPI``) are shown at half their pixel size, sharp on HiDPI screens.
DISPLAY_DPI = 100
#: Screens this narrow (phones) load each state's narrow variant: panels stacked, legends below them.
NARROW_MEDIA = "(max-width: 40rem)"
SCRIPT = "live-explorers.js"
CSS = "live-explorers.css"
FIGURES_CSS = "phone-figures.css"  # every page: static figures readable on phones (see _ext/phone_figures.py)

logger = logging.getLogger(__name__)


# --- the states: drawn once per (rlbits, grid), cached ------------------------------------------


def lib_hash() -> str:
    """A hash of every source file of rlbits, this file and the drawing libraries' versions."""
    import matplotlib
    import PIL

    h = hashlib.sha256()
    for path in sorted(LIB.rglob("*.py")):
        h.update(path.relative_to(LIB).as_posix().encode())
        h.update(path.read_bytes())
    h.update(Path(__file__).read_bytes())
    h.update(f"matplotlib {matplotlib.__version__} Pillow {PIL.__version__}".encode())
    return h.hexdigest()


def grid_hash(grid: Any, lib: str | None = None) -> str:
    """The cache key of one explorer's states: rlbits (and this file) plus the explorer's grid."""
    return hashlib.sha256(((lib or lib_hash()) + grid.fingerprint()).encode()).hexdigest()[:12]


def encode_png(fig) -> tuple[bytes, tuple[int, int]]:
    """The figure as a PNG quantised to ``PNG_COLOURS`` colours (no dithering: flat chart colours).

    The figure is rendered once on its Agg canvas and its pixels quantised directly: the same pixels as
    ``savefig`` at the figure's dpi and facecolour, without writing and decoding a full-colour PNG first.
    """
    from PIL import Image

    fig.canvas.draw()
    image = Image.fromarray(np.asarray(fig.canvas.buffer_rgba())[..., :3])
    small = image.quantize(colors=PNG_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", compress_level=8)  # 1-2% larger than level 9 in a third of the time
    return out.getvalue(), image.size


def variant_folder(folder: Path, variant: str) -> Path:
    """Where a variant's states go: the wide ones in the explorer's folder, the others in a subfolder."""
    return folder if variant == "wide" else folder / variant


def _draw_states(grid: Any, items: list[tuple[str, dict[str, Any]]], folder: Path) -> dict[str, list]:
    """Draw ``items`` (key, control values) of ``grid`` into ``folder``, every variant.

    Returns, per variant, ``(alt text, size in pixels, bytes, smallest legend/tick font in points)``
    for each item.
    """
    from rlbits import widgets

    out = {}
    for variant in widgets.VARIANTS:
        dest = variant_folder(folder, variant)
        dest.mkdir(parents=True, exist_ok=True)
        rows = out[variant] = []
        drawn = grid.draw_states((values for _, values in items), variant)  # one figure, reused state after state
        for (key, _), (fig, panel) in zip(items, drawn):
            data, size = encode_png(fig)
            (dest / f"{key}.png").write_bytes(data)
            rows.append((grid.describe(panel), size, len(data), widgets.smallest_text_points(fig)))
    return out


def _draw_chunk(args: tuple[str, list[tuple[str, dict[str, Any]]], str]) -> dict[str, list]:
    """Worker side of :func:`generate_states`: the grid is looked up by name in the forked process."""
    from rlbits import widgets

    name, items, folder = args
    return _draw_states(widgets.STATIC_GRIDS[name], items, Path(folder))


def generate_states(grid: Any, folder: Path, limit: int | None = None) -> dict[str, Any]:
    """Draw every state of ``grid`` (or the first ``limit``) into ``folder``; returns the manifest.

    The manifest lists each state's alt text in row-major order and, for each variant
    (``rlbits.widgets.VARIANTS``), the image size in pixels, the dpi it was drawn at, the smallest
    legend or tick font (points) of any state and the bytes written; then the total bytes and the
    seconds it took. Figures are drawn off-screen (no pyplot), so the build's own matplotlib state is
    untouched. A whole grid is drawn by one forked worker per core, in contiguous chunks of the
    row-major order, each on one reused figure (each state's pixels are a new figure's, so the images
    are the same however the grid is split).
    """
    from rlbits import widgets

    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    items = list(grid.states())
    if limit is not None:
        items = items[:limit]
    workers = min(os.cpu_count() or 1, 4)
    if limit is None and workers > 1 and widgets.STATIC_GRIDS.get(grid.name) is grid:
        import multiprocessing

        n = workers * 4
        chunks = [items[i * len(items) // n:(i + 1) * len(items) // n] for i in range(n)]
        # fork is the cheap start; but forking a process in which JAX has started its threads can
        # deadlock (JAX warns so), e.g. a test process that also ran Chapter 7's model: spawn there.
        method = "spawn" if "jax" in sys.modules else "fork"
        with multiprocessing.get_context(method).Pool(workers) as pool:
            parts = pool.map(_draw_chunk, [(grid.name, chunk, str(folder)) for chunk in chunks])
    else:
        parts = [_draw_states(grid, items, folder)]
    variants = {}
    for variant in widgets.VARIANTS:
        rows = [row for part in parts for row in part[variant]]
        size = rows[-1][1] if rows else (0, 0)
        variants[variant] = {"width": size[0], "height": size[1], "dpi": widgets.STATE_DPI,
                             "min_text_pt": min((r[3] for r in rows), default=0.0),
                             "bytes": sum(r[2] for r in rows)}
    alts = [r[0] for part in parts for r in part["wide"]]
    return {"name": grid.name, "states": len(alts), "alts": alts, "variants": variants,
            "bytes": sum(v["bytes"] for v in variants.values()), "seconds": time.perf_counter() - start}


def ensure_states(cache_root: Path, grid: Any) -> tuple[Path, dict[str, Any]]:
    """The cached states of ``grid`` (generated if missing or stale); returns ``(folder, manifest)``.

    If a drawing ahead (:func:`_draw_ahead`) is drawing them, this waits for it instead.
    """
    digest = grid_hash(grid)
    folder = cache_root / f"{grid.name}-{digest}"
    manifest_path = folder / "manifest.json"
    if manifest_path.is_file() or _drawn_ahead(grid, manifest_path):
        return folder, json.loads(manifest_path.read_text(encoding="utf-8"))
    for stale in cache_root.glob(f"{grid.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    logger.info(f"live explorer {grid.name!r}: drawing its {grid.size} states (cached in {folder})")
    tmp = cache_root / f".{grid.name}-{digest}.{os.getpid()}.partial"  # the folder appears whole, by rename
    shutil.rmtree(tmp, ignore_errors=True)
    manifest = generate_states(grid, tmp)
    manifest["hash"] = digest
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    try:
        tmp.rename(folder)
    except OSError:  # another build drew the same states meanwhile: keep theirs
        shutil.rmtree(tmp, ignore_errors=True)
    return folder, manifest


# --- drawing ahead: a cold build draws the states while the notebooks execute --------------------

_AHEAD: dict[str, Any] = {}  # the drawing ahead of this build: "proc" (Popen), "names", "log"


def _draw_ahead(app: Sphinx) -> None:
    """Start drawing the states of every explorer whose cache is missing, in a process of their own.

    The build reads the chapters in order, and each chapter's notebook executes (one kernel, one core)
    before its explorer's states are needed; drawn in line, the states of a cold build would wait for
    the notebooks and the notebooks for the states. This process (this file run as a script) draws
    them in the chapters' order meanwhile, each explorer's folder appearing whole when done, and
    :func:`ensure_states` waits for the one it needs (or draws it itself if the process stopped).
    """
    from rlbits import widgets

    root = cache_root(app)
    lib = lib_hash()
    missing = [name for name, grid in widgets.STATIC_GRIDS.items()
               if not (root / f"{name}-{grid_hash(grid, lib)}" / "manifest.json").is_file()]
    if not missing:
        return
    root.mkdir(parents=True, exist_ok=True)
    log = root / f".drawing-ahead.{os.getpid()}.log"
    with log.open("w") as fh:
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), str(root), *missing],
                                cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT)
    _AHEAD.update(proc=proc, names=set(missing), log=log)
    logger.info(f"live explorers: drawing the states of {', '.join(missing)} ahead (log: {log})")


def _drawn_ahead(grid: Any, manifest_path: Path) -> bool:
    """Wait for the drawing ahead to finish ``grid``; False if it is not drawing it or stopped first."""
    proc = _AHEAD.get("proc")
    if proc is None or grid.name not in _AHEAD["names"]:
        return False
    while not manifest_path.is_file() and proc.poll() is None:
        time.sleep(0.05)
    if manifest_path.is_file():
        return True
    logger.info(f"live explorer {grid.name!r}: the drawing ahead stopped (exit {proc.returncode}, "
                f"log {_AHEAD['log']}); drawing here")
    _AHEAD["names"].discard(grid.name)
    return False


def _stop_ahead(app: Sphinx, exception: Exception | None) -> None:
    """At the end of the build: stop the drawing ahead if it still runs (a failed build), keep its log if it failed."""
    proc = _AHEAD.pop("proc", None)
    if proc is None:
        return
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=30)
    if proc.returncode == 0:
        _AHEAD["log"].unlink(missing_ok=True)


# --- the page -----------------------------------------------------------------------------------


def _launch_links(app: Sphinx, source: str) -> tuple[str | None, str | None]:
    """Binder and Colab links for the notebook ``source`` (as the launch buttons build them)."""
    theme = app.config.html_theme_options or {}
    repo = str(theme.get("repository_url", "")).rstrip("/")
    branch = theme.get("repository_branch", "main")
    launch = theme.get("launch_buttons", {}) or {}
    if not repo.startswith("https://github.com/"):
        return None, None
    owner_repo = repo.removeprefix("https://github.com/")
    binder = launch.get("binderhub_url")
    colab = launch.get("colab_url")
    return (f"{binder.rstrip('/')}/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/{source}" if binder else None,
            f"{colab.rstrip('/')}/github/{owner_repo}/blob/{branch}/{source}" if colab else None)


def explorer_html(grid: Any, manifest: dict[str, Any], base: str, links: tuple[str | None, str | None]) -> str:
    """The explorer's block: note, labelled controls, the first state's image and the state data."""
    esc = html.escape
    uid = f"live-explorer-{grid.name}"
    default = grid.default_key()
    flat = 0
    for c in grid.controls:
        flat = flat * len(c.values) + c.default
    controls = []
    for i, c in enumerate(grid.controls):
        cid = f"{uid}-{c.name}"
        current = c.readouts[c.default]
        if c.kind == "range":
            widget = (f'<input type="range" id="{cid}" data-control="{i}" min="0" max="{len(c.values) - 1}" '
                      f'step="1" value="{c.default}" aria-valuetext="{esc(current)}">'
                      f'<output for="{cid}" class="live-explorer-value">{esc(current)}</output>')
        else:
            options = "".join(f'<option value="{j}"{" selected" if j == c.default else ""}>{esc(r)}</option>'
                              for j, r in enumerate(c.readouts))
            widget = f'<select id="{cid}" data-control="{i}">{options}</select>'
        controls.append(f'<div class="live-explorer-control"><label for="{cid}">{esc(c.label)}</label>{widget}</div>')
    binder, colab = links
    elsewhere = [f'<a href="{esc(u)}">{name}</a>' for name, u in (("Binder", binder), ("Colab", colab)) if u]
    run_it = (f" For any other value, run the chapter in {' or '.join(elsewhere)}." if elsewhere else "")
    wide, narrow = manifest["variants"]["wide"], manifest["variants"]["narrow"]
    scale = wide["dpi"] / DISPLAY_DPI  # image pixels per CSS pixel at the figure's own size: 2 (HiDPI)
    data = {"readouts": [list(c.readouts) for c in grid.controls], "alts": manifest["alts"], "media": NARROW_MEDIA,
            "variants": {v: {"dpi": m["dpi"], "min_text_pt": m["min_text_pt"]} for v, m in manifest["variants"].items()}}
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return (
        f'<div class="live-explorer" id="{uid}" data-base="{esc(base)}" data-state="{default}" hidden>\n'
        f'<p class="live-explorer-note"><strong>{esc(grid.title)}, precomputed.</strong> The figure for each of '
        f'the {manifest["states"]:,} settings of these controls was drawn when the book was built, by the same '
        f'<code>rlbits</code> code as the explorer in a notebook; moving a control loads its figure.{run_it}</p>\n'
        f'<div class="live-explorer-controls" role="group" aria-label="{esc(grid.title)} controls">'
        + "".join(controls) + '</div>\n'
        f'<picture class="live-explorer-picture"><source media="{NARROW_MEDIA}" '
        f'srcset="{esc(base)}narrow/{default}.png" width="{round(narrow["width"] / scale)}" '
        f'height="{round(narrow["height"] / scale)}">'
        f'<img class="live-explorer-image" src="{esc(base)}{default}.png" alt="{esc(manifest["alts"][flat])}" '
        f'width="{round(wide["width"] / scale)}" height="{round(wide["height"] / scale)}" loading="lazy" '
        f'decoding="async"></picture>\n'
        f'<script type="application/json" class="live-explorer-data">{payload}</script>\n'
        f'</div>\n'
        f'<noscript><p class="live-explorer-noscript">{esc(grid.title)}: with JavaScript on, controls here '
        f'show precomputed settings; the figure below shows fixed ones.{run_it}</p></noscript>\n'
    )


class LiveExplorerDirective(SphinxDirective):
    """``{live-explorer} NAME``: the precomputed explorer ``rlbits.widgets.STATIC_GRIDS[NAME]``."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        from rlbits import widgets

        name = self.arguments[0].strip()
        grid = widgets.STATIC_GRIDS.get(name)
        if grid is None:
            raise self.error(f"unknown live explorer {name!r}; known: {sorted(widgets.STATIC_GRIDS)}")
        _, manifest = ensure_states(cache_root(self.env.app), grid)
        used = self.env.__dict__.setdefault("live_explorers", {})
        used.setdefault(self.env.docname, {})[name] = manifest["hash"]
        depth = self.env.docname.count("/")
        base = "../" * depth + f"{SITE_FOLDER}/{name}-{manifest['hash']}/"
        source = self.env.doc2path(self.env.docname, False)
        from reader_launch import reader_path  # _ext/: the reader edition, where Binder and Colab open a page

        links = _launch_links(self.env.app, reader_path(self.env.docname) or Path(source).as_posix())
        return [nodes.raw("", explorer_html(grid, manifest, base, links), format="html")]


# --- Sphinx wiring ------------------------------------------------------------------------------


def _purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "live_explorers", {}).pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:
    env.__dict__.setdefault("live_explorers", {}).update(getattr(other, "live_explorers", {}))


def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Pages whose explorer's states changed (rlbits or the grid did) are written again."""
    from rlbits import widgets

    lib = lib_hash()
    def stale(used) -> bool:
        return not isinstance(used, dict) or any(
            n not in widgets.STATIC_GRIDS or grid_hash(widgets.STATIC_GRIDS[n], lib) != h for n, h in used.items())

    return [doc for doc, used in getattr(env, "live_explorers", {}).items() if stale(used)]


def _page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename in getattr(app.env, "live_explorers", {}):
        app.add_js_file(SCRIPT, loading_method="defer")
        app.add_css_file(CSS)


def _figures_css(app: Sphinx) -> None:
    app.add_css_file(FIGURES_CSS)


def _static_path(app: Sphinx, config) -> None:
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path.append(str(STATIC))


def cache_root(app: Sphinx) -> Path:
    """Where the states are cached: ``$RLBITS_EXPLORER_STATES`` if set, else ``_build/.explorer_states``.

    The test suite points every build it makes (the public book, the instructor edition) at the
    repository's own ``_build/.explorer_states``, the folder ``make book`` uses, so the states of an
    unchanged ``rlbits`` are drawn once, not once per build folder.
    """
    env = os.environ.get("RLBITS_EXPLORER_STATES")
    return Path(env) if env else Path(app.outdir).parent / CACHE_FOLDER


def _copy_states(app: Sphinx, exception: Exception | None) -> None:
    """Copy the states of every explorer the site uses into ``_explorers/`` (PNG files only)."""
    if exception is not None or app.builder.format != "html":
        return
    from rlbits import widgets

    names = sorted({n for used in getattr(app.env, "live_explorers", {}).values() for n in used})
    dest_root = Path(app.outdir) / SITE_FOLDER
    keep = set()
    for name in names:
        folder, manifest = ensure_states(cache_root(app), widgets.STATIC_GRIDS[name])
        dest = dest_root / folder.name
        keep.add(dest.name)
        if not dest.is_dir() or len(list(dest.rglob("*.png"))) != manifest["states"] * len(manifest["variants"]):
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(folder, dest, ignore=shutil.ignore_patterns("manifest.json"))
    if dest_root.is_dir():
        for old in dest_root.iterdir():
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)


def setup(app: Sphinx) -> dict:
    app.add_directive("live-explorer", LiveExplorerDirective)
    app.connect("config-inited", _static_path)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    app.connect("html-page-context", _page_assets)
    app.connect("builder-inited", _draw_ahead)
    app.connect("builder-inited", _figures_css)
    app.connect("build-finished", _copy_states)
    app.connect("build-finished", _stop_ahead, priority=900)  # after the copy, which may still wait for it
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}


if __name__ == "__main__":  # the drawing ahead (see _draw_ahead): python live_explorers.py CACHE NAME...
    from rlbits import widgets as _widgets

    for _name in sys.argv[2:]:
        ensure_states(Path(sys.argv[1]), _widgets.STATIC_GRIDS[_name])
