"""Build the course session's slides (``make slides``) into ``<html>/slides/``.

``book/course/slides/slides.ipynb`` (committed with its outputs, checked by nbval) is exported with
nbconvert's reveal.js exporter and the template in ``book/course/slides/template/bps``; reveal.js is
the npm package pinned in ``book/course/slides/package-lock.json`` (``npm ci`` puts it in
``node_modules``), copied next to the slides, and MathJax is the site's own copy, so the slides work
in a room without internet. Usage::

    python -m book.course.build.slides _build/html
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SLIDES = ROOT / "book" / "course" / "slides"
REVEAL = SLIDES / "node_modules" / "reveal.js"
#: What the template loads from reveal.js (a few hundred kB; the rest of the package is not served).
REVEAL_FILES = ["dist/reveal.js", "dist/reveal.css", "dist/theme/white.css", "dist/theme/fonts/source-sans-pro",
                "plugin/notes/notes.js", "LICENSE"]


def launch_block() -> str:
    """The first slide's launch address and QR code, from ``_config.yml``'s repository (see _ext/launch_links.py)."""
    import sys

    import yaml

    sys.path.insert(0, str(ROOT / "_ext"))
    import launch_links

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    launch = config.get("launch_buttons", {})
    urls = launch_links.links(config["repository"]["url"], config["repository"].get("branch", "main"),
                              launch.get("binderhub_url") or "https://mybinder.org",
                              launch.get("colab_url") or "https://colab.research.google.com")
    qr = launch_links.qr_img(urls["binder"], "QR code: the in-class exercises on Binder", size_px=220)
    return f'{qr}\n\nThe book: **{urls["repository_short"]}**'


def build(html: Path) -> Path:
    """Write ``html/slides/index.html`` and its reveal.js copy; return the page's path."""
    import nbformat
    from nbconvert import SlidesExporter

    if not (REVEAL / "dist" / "reveal.js").is_file():
        raise SystemExit(f"reveal.js is missing: run `cd {SLIDES.relative_to(ROOT)} && npm ci` (make slides does)")
    if not (html / "_static" / "mathjax" / "tex-mml-chtml.js").is_file():
        raise SystemExit(f"{html} has no _static/mathjax: build the book first (make book)")
    out = html / "slides"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for rel in REVEAL_FILES:
        src, dst = REVEAL / rel, out / "reveal.js" / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)
    nb = nbformat.read(SLIDES / "slides.ipynb", as_version=4)
    nb.metadata.pop("widgets", None)
    first = nb.cells[0]
    first.source = re.sub(r"<!-- launch links:[^>]*-->", lambda _: launch_block(), first.source)
    exporter = SlidesExporter(extra_template_basedirs=[str(SLIDES / "template")], template_name="bps",
                              reveal_url_prefix="reveal.js", reveal_theme="white", reveal_transition="none",
                              exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    page = out / "index.html"
    page.write_text(body, encoding="utf-8")
    return page


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the built site, e.g. _build/html")
    args = parser.parse_args(argv)
    print(build(args.html))


if __name__ == "__main__":
    main()
