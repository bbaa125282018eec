"""Small fixes to the HTML the toolchain writes, found by the browser tests (tests/test_browser.py).

Each fix is made where the markup is produced (Sphinx events, node visitors, theme context), not
by editing the written HTML:

* **Inline scripts written twice.** Sphinx 7.4 registers an inline script added after the
  builder starts (``app.add_js_file(None, body=...)``) once with the file name ``None`` and once
  with ``''``, so both copies reach the page. For sphinx-thebe that is
  ``const THEBE_JS_URL = ...`` twice, a SyntaxError ("Identifier 'THEBE_JS_URL' has already been
  declared") that stops the whole script. Each page's script list is de-duplicated.
* **Inert widget state.** myst-nb embeds the state of every widget a notebook created when it ran
  (``application/vnd.jupyter.widget-state+json``, 50-130 kB a chapter) for the ipywidgets HTML
  manager to read. The book loads no widget JavaScript (``nb_ipywidgets_js: {}``; the widgets are
  live only in a kernel, and each has a static figure on the page), so nothing reads it: it is
  dropped from the page.
* **Colour mode.** pydata-sphinx-theme starts with an empty mode unless ``default_mode`` is in the
  HTML context, and logs "Got invalid theme mode" as a console error on every page. The book
  follows the reader's system setting: ``default_mode = "auto"``.
* **Bibliography entries.** docutils marks each citation with ``role="doc-biblioentry"``, a role
  deprecated in DPUB-ARIA 1.1 and no longer a list item, inside a ``role="list"``: screen readers
  see an empty list (axe ``aria-required-children``, critical). Entries are written as
  ``role="listitem"``.
* **Hidden code cells.** myst-nb labels the "Show code cell source" toggle
  ``aria-label="Toggle hidden content"``, which hides its visible text from speech input (axe
  ``label-content-name-mismatch``, serious). The label is dropped: the visible text names it.
* **Theme buttons.** The search button is labelled "Search" but shows "Search Ctrl+K", and the
  colour-mode button's icon titles ("Light", ...) are shown text its label "Color mode" does not
  contain (axe ``label-content-name-mismatch``, serious); the sidebar's chevron that opens a
  section has no name at all (axe ``summary-name``, serious). ``_templates/`` overrides those
  three theme components (``search-button-field.html``, ``theme-switcher.html``,
  ``sbt-sidebar-nav.html``); this extension puts ``_templates/`` first on the template path.
* **Contrast.** ``book/_static/site-fixes.css`` holds the few colour overrides the theme needs to
  meet WCAG AA contrast; it is added to every page.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.writers._html_base import HTMLTranslator
from sphinx.application import Sphinx

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "book" / "_static"
TEMPLATES = ROOT / "_templates"
CSS = "site-fixes.css"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _clean_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen: set = set()
    unique = []
    for js in scripts:
        if js.attributes.get("type") == WIDGET_STATE and not app.config.nb_ipywidgets_js:
            continue  # read only by the ipywidgets HTML manager, which the book does not load
        key = (str(js.filename or ""), js.priority, tuple(sorted(js.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


def _theme_context(app: Sphinx, config) -> None:
    config.html_context.setdefault("default_mode", "auto")
    if STATIC.is_dir() and str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path.append(str(STATIC))
    if TEMPLATES.is_dir() and str(TEMPLATES) not in map(str, config.templates_path):
        config.templates_path.insert(0, str(TEMPLATES))  # before the theme's own components


def _visit_citation(self: HTMLTranslator, node: nodes.citation) -> None:
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def _depart_citation(self: HTMLTranslator, node: nodes.citation) -> None:
    HTMLTranslator.depart_citation(self, node)


def _override_hidden_cell_toggle(app: Sphinx) -> None:
    try:
        from myst_nb import sphinx_ as nb_sphinx
    except ImportError:  # myst-nb not in use
        return

    def visit(self, node) -> None:
        nb_sphinx.visit_HideCellInput(self, node)
        for i in range(len(self.body) - 1, -1, -1):
            if self.body[i].startswith('<summary aria-label="Toggle hidden content">'):
                self.body[i] = self.body[i].replace(' aria-label="Toggle hidden content"', "", 1)
                break

    app.add_node(nb_sphinx.HideCodeCellNode, override=True,
                 html=(visit, nb_sphinx.depart_HideCellInput))


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _theme_context)
    app.connect("html-page-context", _clean_scripts, priority=900)
    app.add_node(nodes.citation, override=True, html=(_visit_citation, _depart_citation))
    _override_hidden_cell_toggle(app)
    if (STATIC / CSS).is_file():
        app.add_css_file(CSS)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
