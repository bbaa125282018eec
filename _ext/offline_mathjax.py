"""Serve MathJax 3 from the built site, so math renders with no network.

The MathJax files come from the pinned PyPI package ``django-static-mathjax`` (MathJax 3.2.2,
Apache-2.0; it has no Django dependency), so ``pip install -r requirements.txt`` is all a
machine needs. Only the combined ``tex-mml-chtml.js``, its woff-v2 fonts and the TeX extensions
it loads on demand (about 0.5 MB, fetched only by pages that use them) are copied, to
``_build/html/_static/mathjax/``, after the HTML is written; ``mathjax_path`` in ``_config.yml``
points there. They are not placed in a source ``_static/`` folder because Jupyter Book injects
every script found there into every page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

EXPECTED_PATH = "mathjax/tex-mml-chtml.js"


def _mathjax_es5() -> Path:
    import mathjax  # provided by django-static-mathjax

    root = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (root / "tex-mml-chtml.js").is_file():
        raise ExtensionError(f"MathJax files not found under {root}; reinstall requirements.txt")
    return root


def _check_config(app: Sphinx, config) -> None:
    if config.mathjax_path != EXPECTED_PATH:
        raise ExtensionError(f"mathjax_path must be {EXPECTED_PATH!r} for the offline MathJax copy, got {config.mathjax_path!r}")
    _mathjax_es5()


def _copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    src = _mathjax_es5()
    dest = Path(app.outdir) / "_static" / "mathjax"
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src / "tex-mml-chtml.js", dest / "tex-mml-chtml.js")
    fonts = Path("output") / "chtml" / "fonts" / "woff-v2"
    shutil.copytree(src / fonts, dest / fonts, dirs_exist_ok=True)
    # TeX extensions that MathJax loads on demand (e.g. \boldsymbol loads boldsymbol.js).
    extensions = Path("input") / "tex" / "extensions"
    shutil.copytree(src / extensions, dest / extensions, dirs_exist_ok=True)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _check_config)
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
