"""The site's copy of the theme's icon fonts, cut down to the icons the site uses.

pydata-sphinx-theme ships Font Awesome 6 and declares its fonts in its stylesheet; the solid one
alone, ``fa-solid-900.woff2``, is 157 kB, fetched on the first paint of every page for the twenty or
so icons of the header and the launch buttons. On a slow connection it arrives while MathJax is
still downloading and takes its bandwidth, so the formulas show as LaTeX source for longer
(``benchmarks/page_load.py``).

After the build this extension collects every Font Awesome icon name that the built pages and the
site's scripts use (``fa-bars``, ``fa-magnifying-glass``, ...), looks up their code points in the
theme's own stylesheet, and rewrites the site's copies of the theme's font files
(``_static/vendor/fontawesome/webfonts/*.woff2`` and ``*.ttf``) cut down to those glyphs with
fontTools' subsetter (WOFF2 needs the ``brotli`` package, pinned in requirements.txt). The theme's
stylesheet is unchanged and loads the same files, now a few kB each. (A second ``@font-face`` rule
for the same family does not do it: Chromium then fetches both files.)

``tests/test_site_readers.py::test_icon_fonts_are_cut_down`` checks in Chromium that every icon on a
page is drawn from a glyph of the cut-down font and that the font files stay small.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

WEBFONTS = Path("_static") / "vendor" / "fontawesome" / "webfonts"
THEME_CSS = Path("_static") / "styles" / "pydata-sphinx-theme.css"
FONTS = ("fa-solid-900", "fa-regular-400", "fa-brands-400")
ICON_NAME = re.compile(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)")
#: ``.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}`` in the theme's (minified) stylesheet.
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:{1,2}before,?)+)\{content:"\\([0-9a-f]+)"\}')


def icon_codepoints(theme_css: str) -> dict[str, int]:
    """Every Font Awesome icon name in the theme's stylesheet (without ``fa-``) and its code point."""
    table = {}
    for selectors, hexcode in ICON_RULE.findall(theme_css):
        for name in re.findall(r"\.fa-([a-z0-9-]+):", selectors):
            table[name] = int(hexcode, 16)
    return table


def used_icons(outdir: Path) -> set[str]:
    """Icon names (without ``fa-``) in the built pages and in the site's scripts."""
    names: set[str] = set()
    for path in [*outdir.rglob("*.html"), *(outdir / "_static").rglob("*.js")]:
        if path.name == "fontawesome.js":
            continue  # the theme's icon script (not loaded on the pages) names every icon
        names.update(ICON_NAME.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def _cut_down(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from fontTools import subset

    outdir = Path(app.outdir)
    theme_css = outdir / THEME_CSS
    if not theme_css.is_file():
        raise ExtensionError(f"icon_fonts: {THEME_CSS} not found; the theme changed how it ships Font Awesome")
    table = icon_codepoints(theme_css.read_text(encoding="utf-8"))
    if len(table) < 1000:
        raise ExtensionError(f"icon_fonts: found only {len(table)} icons in {THEME_CSS}; the stylesheet's "
                             "icon rules no longer match ICON_RULE")
    codepoints = sorted({table[name] for name in used_icons(outdir) if name in table})
    for stem in FONTS:
        for flavor, suffix in ((None, ".ttf"), ("woff2", ".woff2")):
            path = outdir / WEBFONTS / f"{stem}{suffix}"
            if not path.is_file():
                raise ExtensionError(f"icon_fonts: {path} not found; the theme changed its Font Awesome files")
            options = subset.Options()
            options.flavor = flavor
            font = subset.load_font(str(path), options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=codepoints)
            subsetter.subset(font)
            subset.save_font(font, str(path), options)


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _cut_down)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
