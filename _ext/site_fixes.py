"""Fixes to the HTML the toolchain writes, found by the browser tests (tests/test_browser.py,
tests/test_site_readers.py).

Each fix uses a public extension point: a Sphinx event, a node visitor registered with
``app.add_node(..., override=True)``, the HTML context, a template in ``_templates/`` or the
stylesheet ``book/_static/site-fixes.css``:

* **Inert widget state.** myst-nb embeds the state of every widget a notebook created when it ran
  (``application/vnd.jupyter.widget-state+json``, 50-130 kB a chapter) for the ipywidgets HTML
  manager to read. The book loads no widget JavaScript (``nb_ipywidgets_js: {}``; the widgets are
  live only in a kernel, and each has a static figure on the page), so nothing reads it: it is
  dropped from the page.
* **Colour mode.** pydata-sphinx-theme starts with an empty mode unless ``default_mode`` is in the
  HTML context, and logs "Got invalid theme mode" as a console error on every page. The book
  follows the reader's system setting: ``default_mode = "auto"`` (``_templates/layout.html``
  resolves it before the first paint).
* **Bibliography entries.** docutils marks each citation with ``role="doc-biblioentry"``, a role
  deprecated in DPUB-ARIA 1.1 and no longer a list item, inside a ``role="list"``: screen readers
  see an empty list (axe ``aria-required-children``, critical). Entries are written as
  ``role="listitem"`` by this extension's own citation visitor.
* **Hidden code cells.** myst-nb labels the "Show code cell source" toggle
  ``aria-label="Toggle hidden content"``, which hides its visible text from speech input (axe
  ``label-content-name-mismatch``, serious). This extension's visitor for myst-nb's
  ``HideCodeCellNode`` writes the same markup without that label: the visible text names it.
* **Figures load when a reader scrolls to them** (``loading="lazy"`` on every image of the
  page's content, a docutils image attribute), so that on a slow connection the page's text,
  styles and MathJax come first.
* **Exercise checkers on paper.** A cell output that is an ``rlbits.exercises`` checker's reply
  ("✎ Replace None with your answer ..." on the built page, or a verdict) is marked ``exercise-checker-output``;
  ``book/_static/print.css`` leaves it out of print.
* **Theme buttons.** The search button is labelled "Search" but shows "Search Ctrl+K", and the
  colour-mode button's icon titles ("Light", ...) are shown text its label "Color mode" does not
  contain (axe ``label-content-name-mismatch``, serious). ``_templates/`` overrides those theme
  components (``search-button-field.html``, ``theme-switcher.html``) and the page layout
  (``layout.html``); this extension puts ``_templates/`` first on the template path.
* **Contrast, focus rings, tap targets, clipping.** ``book/_static/site-fixes.css``, added to
  every page; a formula too wide for its line scrolls, and ``book/_static/site-fixes.js`` makes
  just those formulas tab stops so that a keyboard can scroll them (axe
  ``scrollable-region-focusable``).

Two fixes have no public extension point. They are kept here, in :func:`_dedupe_scripts` and
:func:`name_section_toggles`, each with the upstream bug it works around; each raises
``ExtensionError`` when an upgrade changes what it relies on, so the build fails loudly instead of
the fix silently doing nothing (``tests/test_site_readers.py::test_compat_fixes_still_apply``
builds a page and checks both):

* Sphinx 7.4 registers an inline script added after the builder starts
  (``app.add_js_file(None, body=...)``, as sphinx-thebe does) both in the registry and on the
  builder, so it is written twice; for sphinx-thebe that is ``const THEBE_JS_URL = ...`` twice, a
  SyntaxError that stops the whole script (fixed upstream by sphinx-doc/sphinx pull request 13402,
  Sphinx 8.2). Each
  page's script list is de-duplicated.
* pydata-sphinx-theme writes an empty ``<summary>`` for the chevron that opens a sidebar
  section's sub-pages, which a screen reader announces with no name (axe ``summary-name``,
  serious; the same markup is worked around in pytorch/pytorch_sphinx_theme pull request 234).
  ``_templates/sbt-sidebar-nav.html`` passes the
  theme's sidebar HTML through :func:`name_section_toggles`, which names it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "book" / "_static"
TEMPLATES = ROOT / "_templates"
CSS = "site-fixes.css"
JS = "site-fixes.js"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CHECKER_REPLIES = ("✘ Not yet.", "✔ Correct.", "✎ Replace None")  # rlbits.exercises.CheckResult as the page shows it (wrong, right, pending)
CHECKER_CLASS = "exercise-checker-output"

# --- what cannot be done through a public API (see the module docstring) -----------------------

#: pydata-sphinx-theme 0.17's chevron for a sidebar section, as written by generate_toctree_html.
UNNAMED_SUMMARY = '<summary><span class="toctree-toggle"'
SECTION_TOGGLE_LABEL = "Show or hide the pages of this section"


def name_section_toggles(toctree_html) -> str:
    """Give the sidebar's section chevrons (``<summary>``) an accessible name.

    Works around pydata-sphinx-theme's unnamed chevron (see the module docstring). Raises ``ExtensionError`` if the theme writes a
    ``<summary>`` this does not recognise, so an upgrade that changes the markup fails the build.
    """
    named = str(toctree_html).replace(  # the theme hands over a BeautifulSoup tree
        UNNAMED_SUMMARY, f'<summary aria-label="{escape(SECTION_TOGGLE_LABEL)}"><span class="toctree-toggle"')
    if "<summary>" in named:
        raise ExtensionError("site_fixes.name_section_toggles: the theme's sidebar has a <summary> without a "
                             f"name that is not {UNNAMED_SUMMARY!r}; update _ext/site_fixes.py for the new markup "
                             "(or drop the fix if the theme now names it)")
    return named


def _dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Drop the second copy of each script (sphinx-doc/sphinx PR 13402) and the unread widget state."""
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen: set = set()
    unique = []
    for js in scripts:
        try:
            filename, attributes = js.filename, dict(js.attributes)
        except AttributeError as error:  # Sphinx changed its script objects
            raise ExtensionError("site_fixes: Sphinx's script_files entries no longer have filename/attributes; "
                                 "check whether Sphinx >= 8.2 (PR 13402) fixed the duplicates and drop _dedupe_scripts") from error
        if attributes.get("type") == WIDGET_STATE and not app.config.nb_ipywidgets_js:
            continue  # read only by the ipywidgets HTML manager, which the book does not load
        key = (str(filename or ""), js.priority, tuple(sorted(attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


# --- public extension points ---------------------------------------------------------------------


def _theme_context(app: Sphinx, config) -> None:
    config.html_context.setdefault("default_mode", "auto")
    if STATIC.is_dir() and str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path.append(str(STATIC))
    if TEMPLATES.is_dir() and str(TEMPLATES) not in map(str, config.templates_path):
        config.templates_path.insert(0, str(TEMPLATES))  # before the theme's own components


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    context["name_section_toggles"] = name_section_toggles


def _visit_citation(self, node: nodes.citation) -> None:
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def _depart_citation(self, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")  # closes the role="list" opened before the first entry


def _visit_hidden_input(self, node) -> None:
    """myst-nb's markup for a hide-input cell (myst_nb.sphinx_.visit_HideCellInput) without its aria-label."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def _depart_hidden_input(self, node) -> None:
    self.body.append("</details>\n")


def _override_hidden_cell_toggle(app: Sphinx) -> None:
    try:
        from myst_nb.sphinx_ import HideCodeCellNode
    except ImportError:  # myst-nb not in use
        return
    app.add_node(HideCodeCellNode, override=True, html=(_visit_hidden_input, _depart_hidden_input))


def _is_output(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and "cell_output" in node.get("classes", [])


def _mark_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Lazy-load the content's images; mark the outputs of exercise-checker cells (for print.css)."""
    for image in doctree.findall(nodes.image):
        image.setdefault("loading", "lazy")
    for output in doctree.findall(_is_output):
        if output.astext().lstrip().startswith(CHECKER_REPLIES):
            output["classes"].append(CHECKER_CLASS)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _theme_context)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("html-page-context", _page_context)
    app.connect("doctree-resolved", _mark_page)
    app.add_node(nodes.citation, override=True, html=(_visit_citation, _depart_citation))
    _override_hidden_cell_toggle(app)
    if (STATIC / CSS).is_file():
        app.add_css_file(CSS)
    if (STATIC / JS).is_file():
        app.add_js_file(JS, loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.1"}
