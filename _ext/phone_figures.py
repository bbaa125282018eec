"""Figures of several panels on phones: a stacked, narrow variant next to the figure as designed.

A chapter's figure of two or three panels side by side is drawn for a column 650-1100 CSS px wide;
shrunk to a 390-px phone its legend and tick text would be 3-4 CSS px. Its cell ends with
``rlbits.plotting.show(fig)`` instead of ``plt.show()``:

* **In a notebook** that is ``plt.show()``: one image, the committed outputs are unchanged.
* **On the website** this extension sets ``RLBITS_PHONE_FIGURES`` (``rlbits.plotting.PHONE_FIGURES_ENV``)
  to a folder next to the build (``_build/phone_figures``) before the notebooks execute; the kernels
  inherit it, and ``show`` then also re-lays out the figure for a phone (``rlbits.plotting.stack_panels``:
  3.6 inches wide, panels in one column, legends below their panel) and writes that PNG into the
  folder, named after the SHA-256 of the shown image (the name myst-nb gives the shown image) with
  ``-narrow`` added. A second image output in the cell would not do: myst-nb wraps each output of a
  figure cell in its own figure, with the caption and the figure's label twice.
* **This extension** (a transform, as each page is read) puts the narrow image next to each image
  that has one, with the same alt text, and marks the pair ``phone-wide`` / ``phone-narrow``;
  ``live_explorers_static/phone-figures.css`` shows the wide one on screens wider than 40rem and
  the narrow one at 40rem or less (as the explorers' ``<picture>`` does). Both images are
  ``loading="lazy"`` (``site_fixes.py``), and a browser does not fetch a lazy image that is not
  displayed, so a reader downloads one of the two. Print shows the wide one (``book/_static/print.css``).

The instructor edition, built from the committed outputs without executing, reads the public
build's folder (``make instructor`` and the test suite set ``RLBITS_PHONE_FIGURES``): a committed
image that the public build drew with the same bytes gets its narrow variant. A figure whose narrow
variant is missing (there, or a notebook taken from the execution cache after the folder was removed)
keeps the wide image alone, which on a phone keeps its own size and scrolls sideways
(``phone-figures.css``).
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

#: rlbits.plotting.PHONE_FIGURES_ENV (not imported: the extension loads before the notebooks run).
ENV = "RLBITS_PHONE_FIGURES"
FOLDER = "phone_figures"  # next to the built site (_build/)
WIDE, NARROW = "phone-wide", "phone-narrow"
#: Image pixels per displayed (CSS) pixel of the book's figures (rlbits.plotting.HIDPI_SCALE).
SCALE = 2

logger = logging.getLogger(__name__)


def folder(app: Sphinx) -> Path:
    """Where the kernels write the narrow variants: ``$RLBITS_PHONE_FIGURES`` if set, else ``_build/phone_figures``."""
    env = os.environ.get(ENV)
    return Path(env) if env else Path(app.outdir).parent / FOLDER


class NarrowVariants(SphinxTransform):
    """After each image that has a narrow variant, the narrow image (same alt text), both marked."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        from PIL import Image

        root = folder(self.app)
        if not root.is_dir():
            return
        for image in list(self.document.findall(nodes.image)):
            uri = image.get("uri", "")
            narrow = root / (posixpath.basename(uri).removesuffix(".png") + "-narrow.png")
            if not uri.endswith(".png") or not narrow.is_file() or WIDE in image["classes"]:
                continue
            with Image.open(narrow) as png:
                width = png.width // SCALE
            rel = os.path.relpath(narrow.resolve(), Path(self.app.srcdir).resolve())
            # no link to the file around it (the wide image keeps its own): a hidden link would be a tab stop
            twin = nodes.image(uri="/" + Path(rel).as_posix(), width=str(width),
                               classes=[NARROW, "no-scaled-link"])
            if "alt" in image:
                twin["alt"] = image["alt"]
            image["classes"].append(WIDE)
            image.parent.insert(image.parent.index(image) + 1, twin)


def _set_folder(app: Sphinx) -> None:
    """Point the kernels the notebooks execute in at the folder (they inherit this process's environment)."""
    path = folder(app)
    path.mkdir(parents=True, exist_ok=True)
    os.environ[ENV] = str(path.resolve())


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _set_folder)
    app.add_transform(NarrowVariants)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
