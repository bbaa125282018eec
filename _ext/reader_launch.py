"""Binder and Colab buttons open the reader edition of a page (``readers/``), not its MyST source.

The chapters in ``book/`` are MyST notebooks: opened in JupyterLab or Colab they show ``{glue:text}``
roles, ``{exercise}`` directives and the book's TeX macros as raw text. ``make readers``
(``tools/readers.py``) writes a plain-Markdown edition of every notebook page into ``readers/``, at
the page's path under ``book/`` (``book/03_variance`` -> ``readers/03_variance.ipynb``), and this
extension points the launch buttons there.

sphinx-book-theme builds its launch buttons in an ``html-page-context`` handler (priority 501),
with the notebook's path relative to the repository; Sphinx lets later handlers change the page's
template context. This handler runs after it (priority 502) and, on each page that has a reader
notebook, replaces that path in the Binder and Colab links (``urlpath=lab/tree/<path>`` and
``/blob/<branch>/<path>``). Pages without a reader notebook keep their links, and nothing else on
the page changes. ``tests/test_readers.py`` checks the links in the built HTML.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

ROOT = Path(__file__).resolve().parents[1]
BOOK = "book/"
READERS = "readers/"


def reader_path(pagename: str) -> str | None:
    """The repository path of the reader notebook of ``pagename``, or None if it has none."""
    if not pagename.startswith(BOOK):
        return None
    rel = READERS + pagename.removeprefix(BOOK) + ".ipynb"
    return rel if (ROOT / rel).is_file() else None


def _rewrite(buttons: list, source: str, reader: str) -> int:
    """Point every Binder/Colab link in ``buttons`` (nested groups too) at ``reader``; return how many."""
    changed = 0
    for button in buttons:
        if not isinstance(button, dict):
            continue
        changed += _rewrite(button.get("buttons", []), source, reader)
        url = button.get("url")
        if not isinstance(url, str) or button.get("text") not in ("Binder", "Colab"):
            continue
        for old, new in ((f"urlpath=lab/tree/{source}", f"urlpath=lab/tree/{reader}"),
                         (f"urlpath=tree/{source}", f"urlpath=tree/{reader}"),
                         (f"/{source}", f"/{reader}")):
            if url.endswith(old):
                button["url"] = url[: -len(old)] + new
                changed += 1
                break
    return changed


def point_launch_buttons_at_readers(app: Sphinx, pagename: str, templatename: str, context: dict,
                                    doctree) -> None:
    reader = reader_path(pagename)
    if reader is None or not isinstance(context.get("header_buttons"), list):
        return
    _rewrite(context["header_buttons"], f"{pagename}.ipynb", reader)


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", point_launch_buttons_at_readers, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
