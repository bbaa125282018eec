"""The reader edition: every notebook page of the book as a plain Jupyter notebook, in ``readers/``.

The chapters in ``book/`` are MyST notebooks. Jupyter Book turns their ``{glue:text}`` roles,
``{exercise}`` directives, ``{ref}``/``{cite}`` roles and TeX macros (``\\Hb``) into HTML, but
JupyterLab (Binder) and Colab render plain Markdown and show all of that as raw text. This script
writes, for each notebook page in ``_toc.yml``, a notebook that reads right there:

* glued numbers are replaced by their values, read from the glue records in the committed outputs
  and formatted as myst-nb formats them (``{glue:text}`name:.3f```);
* exercises become headed sections with their number (``#### Exercise 3.2``), solutions a collapsed
  ``<details>`` block, theorems, proofs and admonitions quoted blocks; the live-explorer block (a
  static-site widget) is dropped, since the cell above it shows the explorer in a kernel;
* ``{ref}``, ``{numref}`` and ``{prf:ref}`` become links to the website with the text the website
  shows ("Fig. 3.2", "Exercise 3.3", a section's title), ``{cite}`` an author-year link to the
  bibliography page; a figure's caption becomes a Markdown cell under its code cell;
* the book's MathJax macros (``_config.yml``, ``mathjax3_config.tex.macros``) are expanded;
* a first Markdown cell says what the notebook is and links to its page; the install cell stays at
  the top, visible, and every cell the page hides (``remove-cell``, ``hide-input``,
  ``remove-input``) is kept but collapsed (JupyterLab's ``source_hidden``, Colab's form view), so the
  notebook runs top to bottom;
* outputs are cleared (a reader runs the notebook; the website shows it run).

Numbers of figures, exercises and theorems follow the book's: "N.k" in the numbered chapters
(N = the chapter's place in the numbered part of ``_toc.yml``), "k" elsewhere. The website's address
is ``html.baseurl`` in ``_config.yml`` when set, else the GitHub Pages address of
``repository.url``.

Run ``make readers`` (or ``python tools/readers.py``) after changing a chapter or its outputs;
``python tools/readers.py --check`` exits non-zero if a committed reader notebook is stale, and
``python tools/readers.py --run ENV/bin/python`` executes every reader notebook in a kernel of that
environment (how tests/test_readers.py checks the Colab-floors and Binder environments).
The output depends only on the committed notebooks and the configuration, so it is deterministic.
A MyST construct this script does not know raises :class:`ReaderError` naming it and the page:
add a renderer below rather than let raw MyST reach a reader.
"""

from __future__ import annotations

import argparse
import ast
import codecs
import copy
import re
import sys
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import latexcodec  # noqa: F401  (registers the "ulatex" codec used for author names)
import nbformat
import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
BOOK = "book"
OUT = "readers"

#: Tags whose cells the website hides; the reader edition keeps them, collapsed.
HIDDEN_TAGS = ("remove-cell", "hide-input", "remove-input")
#: Colab shows a cell in form view as its ``@title`` line, with the code folded away.
HIDDEN_TITLE = "# @title Code hidden on the website (it runs as it is; open it to read it)"
#: Admonition directives, rendered as quoted blocks under their title.
ADMONITIONS = ("admonition", "note", "tip", "hint", "important", "warning", "caution", "attention",
               "danger", "error", "seealso", "margin", "sidebar", "topic", "epigraph")
#: The glue roles and myst-nb's default format for each.
GLUE_ROLES = ("glue", "glue:", "glue:any", "glue:text", "glue:md")
ROLE = re.compile(r"\{([a-zA-Z][\w:+-]*)\}`([^`]*)`")
TARGET = re.compile(r"^\(([^()\s]+)\)=\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE_OPEN = re.compile(r"^\{([\w:+-]+)\}\s*(.*)$")


class ReaderError(ValueError):
    """A construct in a page that the reader edition cannot render."""


# --- configuration and table of contents ----------------------------------------------------------


def load_config(root: Path = ROOT) -> dict[str, Any]:
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def site_url(config: dict[str, Any]) -> str:
    """The website's address, ending in ``/``: ``html.baseurl``, else the repository's GitHub Pages."""
    base = (config.get("html") or {}).get("baseurl")
    if base:
        return base.rstrip("/") + "/"
    repo = config["repository"]["url"].rstrip("/")
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+)", repo)
    if not match:
        raise ReaderError(f"set html.baseurl in _config.yml: cannot derive the site from {repo!r}")
    owner, name = match.groups()
    return f"https://{owner.lower()}.github.io/{name}/"


def macros(config: dict[str, Any]) -> dict[str, str]:
    """The book's MathJax macros (name without backslash -> replacement)."""
    tex = (config.get("sphinx", {}).get("config", {}).get("mathjax3_config") or {}).get("tex") or {}
    found = {}
    for name, body in (tex.get("macros") or {}).items():
        if not isinstance(body, str):
            raise ReaderError(f"macro \\{name} takes arguments: teach tools/readers.py to expand it")
        found[name] = body
    return found


def toc_pages(root: Path = ROOT) -> list[tuple[str, int | None]]:
    """Every page in ``_toc.yml`` in order, with its chapter number (None outside numbered parts)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages: list[tuple[str, int | None]] = [(toc["root"], None)]

    def walk(entries, numbered: bool, counter: list[int], depth: int):
        for entry in entries or []:
            if "file" in entry:
                number = None
                if numbered and depth == 0:
                    counter[0] += 1
                    number = counter[0]
                pages.append((entry["file"], number))
            walk(entry.get("sections"), numbered, counter, depth + 1)

    counter = [0]  # Sphinx numbers the chapters of all numbered parts in one sequence
    for part in toc.get("parts", []):
        walk(part.get("chapters"), bool(part.get("numbered")), counter, 0)
    return pages


def page_source(page: str, root: Path = ROOT) -> Path | None:
    for suffix in (".ipynb", ".md"):
        if (root / f"{page}{suffix}").is_file():
            return root / f"{page}{suffix}"
    return None


def reader_relpath(page: str) -> str:
    """``book/03_variance`` -> ``readers/03_variance.ipynb`` (the path the launch buttons open)."""
    return f"{OUT}/{page.removeprefix(BOOK + '/')}.ipynb"


# --- what the whole book defines: labels, numbers, glue, citations -------------------------------


@dataclass
class Target:
    page: str
    text: str | None  # what a {ref} shows (a heading's title, "Exercise 3.2")
    number: str | None = None  # what a {numref} shows ("Fig. 3.2")


@dataclass
class Book:
    config: dict[str, Any]
    site: str
    macros: dict[str, str]
    targets: dict[str, Target] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    glue: dict[str, dict[str, Any]] = field(default_factory=dict)
    citations: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (authors, year)
    bibliography_page: str | None = None

    def url(self, page: str, anchor: str | None = None) -> str:
        return f"{self.site}{page}.html" + (f"#{anchor}" if anchor else "")


def _split_options(body: str) -> tuple[dict[str, str], str]:
    """A directive body's ``:key: value`` lines (or YAML front block) and the rest."""
    lines = body.split("\n")
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = lines.index("---", 1)
        options = {str(k): str(v) for k, v in (yaml.safe_load("\n".join(lines[1:end])) or {}).items()}
        lines = lines[end + 1:]
    else:
        while lines and re.match(r"^:[\w-]+:", lines[0]):
            key, _, value = lines.pop(0)[1:].partition(":")
            options[key] = value.strip()
    return options, "\n".join(lines).strip("\n")


_MD = MarkdownIt("commonmark").use(colon_fence_plugin)  # ``` and ::: fences (myst's colon_fence)


def _blocks(text: str):
    """Split Markdown into ("text", str) and ("fence", info, body, raw) blocks, top level only."""
    lines = text.split("\n")
    pos = 0
    for token in _MD.parse(text):
        if token.type not in ("fence", "colon_fence") or token.map is None:
            continue
        start, end = token.map
        if token.level != 0 or not lines[start].lstrip().startswith(token.markup):
            if FENCE_OPEN.match(token.info.strip()):
                raise ReaderError(f"a directive nested in a list or quote: {lines[start].strip()!r}")
            continue
        if start > pos:
            yield ("text", "\n".join(lines[pos:start]))
        yield ("fence", token.info.strip(), token.content.rstrip("\n"), "\n".join(lines[start:end]))
        pos = end
    if pos < len(lines):
        yield ("text", "\n".join(lines[pos:]))


def _heading_title(text: str) -> str:
    """A heading as the website's links show it: Markdown emphasis and code marks dropped."""
    return re.sub(r"[*_`]", "", text).strip()


def _scan_markdown(book: Book, page: str, chapter: int | None, text: str, counters: dict[str, int]):
    prefix = f"{chapter}." if chapter else ""
    pending: list[str] = []
    for kind, *rest in _blocks(text):
        if kind == "fence":
            info, body, _ = rest
            match = FENCE_OPEN.match(info)
            if not match:
                continue
            name, arg = match.groups()
            options, inner = _split_options(body)
            if name == "exercise" or (name.startswith("prf:") and name != "prf:proof"):
                kind_name = "Exercise" if name == "exercise" else name[4:].capitalize()
                if "nonumber" in options:
                    number = None
                else:
                    counters[kind_name] = counters.get(kind_name, 0) + 1
                    number = f"{kind_name} {prefix}{counters[kind_name]}"
                if "label" in options:
                    book.targets[options["label"]] = Target(page, number or arg or kind_name, number)
                for label in pending:
                    book.targets[label] = Target(page, number or arg or kind_name, number)
            pending = []
            _scan_markdown(book, page, chapter, inner, counters)
            continue
        for line in rest[0].split("\n"):
            target = TARGET.match(line)
            heading = HEADING.match(line)
            if target:
                pending.append(target.group(1))
            elif heading:
                title = _heading_title(heading.group(2))
                if len(heading.group(1)) == 1 and page not in book.titles:
                    book.titles[page] = title
                for label in pending:
                    book.targets[label] = Target(page, title)
                pending = []
            elif line.strip():
                for label in pending:
                    book.targets[label] = Target(page, None)
                pending = []


def glue_records(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """The glue records in a notebook's committed outputs: name -> mime bundle.

    The same records ``myst_nb.ext.glue.extract_glue_data`` reads: display outputs whose metadata
    holds ``{"scrapbook": {"name": ..., "mime_prefix": ...}}``, with the prefix stripped from their
    mime types (``rlbits.notebook.glue`` writes them).
    """
    data = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            scrap = output.get("metadata", {}).get("scrapbook")
            if not scrap:
                continue
            cut = len(scrap.get("mime_prefix", ""))
            data[scrap["name"]] = {k[cut:]: v for k, v in output.get("data", {}).items()}
    return data


def format_plain_text(text: str, fmt_spec: str) -> str:
    """Format a glued ``text/plain`` value as ``{glue:text}`` does.

    The same steps as ``myst_nb.core.variables.format_plain_text`` (myst-nb 1.4), which
    tests/test_readers.py compares with this on every glued value the book formats; written out
    here because importing myst-nb imports Sphinx (seconds, in a script that runs in the tests).
    """
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if fmt_spec == "":
        return str(value)
    type_char = fmt_spec[-1]
    if type_char == "s":
        value = str(value)
    elif type_char in ("b", "c", "d", "o", "x", "X"):
        value = int(value)
    elif type_char in ("e", "E", "f", "F", "g", "G", "n", "%"):
        value = float(value)
    return format(value, fmt_spec)


def _author_year(entry) -> tuple[str, str]:
    people = entry.persons.get("author") or entry.persons.get("editor") or []

    def plain(s: str) -> str:
        return codecs.decode(s, "ulatex").replace("{", "").replace("}", "")

    names = [plain(" ".join(p.prelast_names + p.last_names)) or plain(" ".join(p.first_names)) for p in people]
    if not names:
        names = [plain(entry.fields.get("organization") or entry.fields.get("title", "Anonymous"))]
    if len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return who, plain(entry.fields.get("year", "n.d."))


def load_book(root: Path = ROOT) -> Book:
    """Read every page of the table of contents once: labels, numbers, titles, glue, citations."""
    config = load_config(root)
    book = Book(config, site_url(config), macros(config))
    for page, chapter in toc_pages(root):
        path = page_source(page, root)
        if path is None:
            continue
        counters: dict[str, int] = {}
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            book.glue[page] = glue_records(nb)
            figures = 0
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    _scan_markdown(book, page, chapter, cell.source, counters)
                    continue
                figure = (cell.metadata.get("mystnb") or {}).get("figure") or {}
                if figure.get("caption") is not None or figure.get("name"):
                    figures += 1
                    number = f"Fig. {chapter}.{figures}" if chapter else f"Fig. {figures}"
                    if figure.get("name"):
                        book.targets[figure["name"]] = Target(page, number, number)
        else:
            text = path.read_text(encoding="utf-8")
            if re.search(r"^```+\{bibliography\}", text, re.M):
                book.bibliography_page = page
            _scan_markdown(book, page, chapter, text, counters)
    for bib in config.get("bibtex_bibfiles", []):
        for key, entry in parse_file(str(root / bib)).entries.items():
            book.citations[key] = _author_year(entry)
    return book


# --- rendering ---------------------------------------------------------------------------------


class PageRenderer:
    """Renders the Markdown of one page to plain Markdown (see the module docstring)."""

    def __init__(self, book: Book, page: str):
        self.book = book
        self.page = page

    # roles
    def _link(self, text: str, label: str, role: str) -> str:
        target = self.book.targets.get(label)
        if target is None:
            raise ReaderError(f"{self.page}: {{{role}}} to an unknown label {label!r}")
        return f"[{text}]({self.book.url(target.page, label)})"

    def _split_text_label(self, content: str) -> tuple[str | None, str]:
        match = re.fullmatch(r"(.*?)\s*<([^<>]+)>", content, re.S)
        return (match.group(1), match.group(2)) if match else (None, content.strip())

    def _glue(self, role: str, content: str) -> str:
        key, _, fmt_spec = content.rpartition(":") if ":" in content else (content, "", "")
        if not key:  # "name:" is not a format: the whole content is the key
            key, fmt_spec = content, ""
        page = self.page
        if "::" in key:
            doc, key = key.split("::", 1)
            page = str((Path(self.page).parent / doc).with_suffix("")).replace("\\", "/")
        records = self.book.glue.get(page, {})
        if key not in records:
            raise ReaderError(f"{self.page}: no glue record {key!r} in the committed outputs of {page}")
        bundle = records[key]
        if role == "glue:md":
            if "text/markdown" not in bundle:
                raise ReaderError(f"{self.page}: {{glue:md}} {key!r} has no text/markdown")
            return self.text("".join(bundle["text/markdown"]))
        if "text/plain" not in bundle:
            raise ReaderError(f"{self.page}: glue record {key!r} has no text/plain to show")
        text = "".join(bundle["text/plain"])
        if role == "glue:text":
            return format_plain_text(text, fmt_spec or "s")
        return format_plain_text(text, "")

    def _cite(self, role: str, content: str) -> str:
        if self.book.bibliography_page is None:
            raise ReaderError(f"{self.page}: a citation, but no page of the toc has a {{bibliography}}")
        url = self.book.url(self.book.bibliography_page)
        parts = []
        for key in [k.strip() for k in content.split(",") if k.strip()]:
            if key not in self.book.citations:
                raise ReaderError(f"{self.page}: {{cite}} to {key!r}, which no bibtex file holds")
            who, year = self.book.citations[key]
            if role in ("cite:t", "cite:ts"):
                parts.append(f"[{who} ({year})]({url})")
            elif role == "cite:author":
                parts.append(f"[{who}]({url})")
            elif role == "cite:year":
                parts.append(f"[{year}]({url})")
            else:
                parts.append(f"[{who}, {year}]({url})")
        if role in ("cite", "cite:p", "cite:ps"):
            return "(" + "; ".join(parts) + ")"
        return ", ".join(parts)

    def _role(self, match: re.Match) -> str:
        role, content = match.group(1), match.group(2)
        if role in GLUE_ROLES:
            return self._glue(role, content)
        if role.startswith("cite"):
            return self._cite(role, content)
        if role in ("ref", "numref", "prf:ref", "doc"):
            text, label = self._split_text_label(content)
            if role == "doc":
                page = str((Path(self.page).parent / label).with_suffix("")).replace("\\", "/")
                return f"[{text or self.book.titles.get(page, page)}]({self.book.url(page)})"
            target = self.book.targets.get(label)
            if target is None:
                raise ReaderError(f"{self.page}: {{{role}}} to an unknown label {label!r}")
            if role == "numref":
                if target.number is None:
                    raise ReaderError(f"{self.page}: {{numref}} to {label!r}, which has no number")
                shown = target.number
                if text:
                    number = target.number.split(" ", 1)[-1]
                    shown = text.replace("%s", number).replace("{number}", number)
            else:
                shown = text or target.text
                if not shown:
                    raise ReaderError(f"{self.page}: {{{role}}}`{label}` needs a text: its target has no title")
            return self._link(shown, label, role)
        if role == "math":
            return f"${content}$"
        raise ReaderError(f"{self.page}: the role {{{role}}} has no plain-Markdown rendering yet")

    def expand_macros(self, text: str) -> str:
        for name, body in self.book.macros.items():
            text = re.sub(r"\\" + re.escape(name) + r"(?![A-Za-z])", lambda _m, b=body: b, text)
        return text

    def absolute(self, target: str) -> str:
        """A link relative to the page, made absolute on the website (``x.md``/``x.ipynb`` -> ``x.html``)."""
        if re.match(r"^[a-zA-Z][\w+.-]*:|^#|^/", target):
            return target
        path, sep, anchor = target.partition("#")
        path = re.sub(r"\.(md|ipynb)$", ".html", path)
        return urllib.parse.urljoin(self.book.url(self.page), path) + sep + anchor

    def text(self, text: str) -> str:
        """Prose (no fences): targets dropped, roles rendered, relative links made absolute, macros expanded."""
        lines = [ln for ln in text.split("\n") if not TARGET.match(ln) and ln.strip() != "+++"
                 and not re.match(r"^%", ln)]
        text = "\n".join(lines)
        text = re.sub(r"(\]\()([^()\s]+)(\))", lambda m: m[1] + self.absolute(m[2]) + m[3], text)
        text = re.sub(r'\b(href|src)="([^"]+)"', lambda m: f'{m[1]}="{self.absolute(m[2])}"', text)
        return self.expand_macros(ROLE.sub(self._role, text))

    # directives
    def directive(self, name: str, arg: str, body: str, raw: str) -> str:
        options, inner = _split_options(body)
        content = self.markdown(inner)
        if name == "exercise":
            label = options.get("label")
            target = self.book.targets.get(label) if label else None
            number = target.number if target else None
            heading = number or "Exercise"
            if arg:
                heading += f": {self.text(arg)}"
            return f"#### {heading}\n\n{content}"
        if name == "solution":
            target = self.book.targets.get(arg.strip())
            if target is None:
                raise ReaderError(f"{self.page}: a solution to an unknown exercise {arg!r}")
            return (f"<details>\n<summary>Solution to {target.text}</summary>\n\n{content}\n\n"
                    "</details>")
        if name == "prf:proof":
            return _quote(f"*Proof.* {content} $\\blacksquare$")
        if name.startswith("prf:"):
            label = options.get("label")
            target = self.book.targets.get(label) if label else None
            heading = (target.number if target and target.number else name[4:].capitalize())
            if arg:
                heading += f" ({self.text(arg)})"
            return _quote(f"**{heading}.** {content}")
        if name in ADMONITIONS:
            title = self.text(arg) if name == "admonition" else (arg and self.text(arg)) or name.capitalize()
            if name == "seealso" and not arg:
                title = "See also"
            return _quote(f"**{title}**\n\n{content}" if title else content)
        if name == "live-explorer":
            return ""  # the static site's explorer; in a notebook the code cell above shows it live
        if name in ("math",):
            return f"$$\n{self.expand_macros(inner)}\n$$"
        if name in ("code-block", "code", "code-cell-output"):
            return f"```{arg.split()[0] if arg else ''}\n{inner}\n```"
        raise ReaderError(f"{self.page}: the directive {{{name}}} has no plain-Markdown rendering yet")

    def markdown(self, text: str) -> str:
        out = []
        for kind, *rest in _blocks(text):
            if kind == "text":
                out.append(self.text(rest[0]))
                continue
            info, body, raw = rest
            match = FENCE_OPEN.match(info)
            if match:
                out.append(self.directive(match.group(1), match.group(2).strip(), body, raw))
            else:
                out.append(raw)  # a plain code block, as written
        rendered = "\n".join(out)
        return re.sub(r"\n{3,}", "\n\n", rendered).strip("\n")


def _quote(text: str) -> str:
    return "\n".join("> " + ln if ln.strip() else ">" for ln in text.split("\n"))


# --- notebooks ---------------------------------------------------------------------------------


def install_cell_source(config: dict[str, Any]) -> str:
    repo = config["repository"]["url"].rstrip("/")
    branch = config["repository"]["branch"]
    return ("# On Colab, or anywhere this book's helper package is missing, install it (and only then).\n"
            "try:\n    import rlbits  # noqa: F401\nexcept ImportError:\n"
            f'    %pip install --quiet "rlbits @ git+{repo}@{branch}"')


def is_install_cell(source: str) -> bool:
    return "import rlbits" in source and "except ImportError" in source and "pip install" in source


def _banner(book: Book, page: str, chapter: int | None) -> str:
    title, name = book.titles.get(page, page), book.config["title"]
    if chapter:
        what = f"Chapter {chapter} of *{name}*, \"{title}\","
    elif title == name:
        what = f"The opening page of *{name}*,"
    else:
        what = f"*{name}*: \"{title}\","
    return (f"> **Reader edition.** {what} as a plain notebook: "
            f"[read it on the website]({book.url(page)}), where every figure is drawn and every link "
            "below leads. Run the cells from the top: the first one installs the book's helper package "
            "`rlbits` where it is missing (on Colab); the cells the website hides are collapsed here, "
            "not left out.")


def _cell_id(cell: nbformat.NotebookNode, index: int, suffix: str = "") -> str:
    base = cell.get("id") or f"cell-{index}"
    return (base + suffix)[:64]


def reader_notebook(book: Book, page: str, chapter: int | None, nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The reader edition of the notebook ``nb`` of ``page``."""
    render = PageRenderer(book, page)
    cells = [nbformat.v4.new_markdown_cell(_banner(book, page, chapter), id="reader-edition")]
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    if not code_cells or not is_install_cell(code_cells[0].source):
        cells.append(nbformat.v4.new_code_cell(install_cell_source(book.config), id="reader-install"))
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            source = render.markdown(cell.source)
            if source.strip():
                cells.append(nbformat.v4.new_markdown_cell(source, id=_cell_id(cell, index)))
            continue
        if cell.cell_type != "code":
            continue
        tags = list(cell.metadata.get("tags", []))
        source = cell.source
        metadata: dict[str, Any] = {"tags": tags} if tags else {}
        if any(t in tags for t in HIDDEN_TAGS) and not is_install_cell(source):
            source = f"{HIDDEN_TITLE}\n{source}"
            metadata["cellView"] = "form"  # Colab: show the @title line, fold the code
            metadata["jupyter"] = {"source_hidden": True}  # JupyterLab
        new = nbformat.v4.new_code_cell(source, id=_cell_id(cell, index), metadata=metadata)
        cells.append(new)
        figure = (cell.metadata.get("mystnb") or {}).get("figure") or {}
        if figure.get("caption") is not None or figure.get("name"):
            target = book.targets.get(figure.get("name", ""))
            number = target.number if target else "Figure"
            caption = render.markdown(str(figure.get("caption", "")))
            cells.append(nbformat.v4.new_markdown_cell(f"**{number}.** {caption}".rstrip(),
                                                       id=_cell_id(cell, index, "-caption")))
    out = nbformat.v4.new_notebook(cells=cells)
    out.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "colab": {"provenance": [], "toc_visible": True},
    }
    return out


def generate(root: Path = ROOT) -> dict[str, str]:
    """Every reader notebook as text: repository path -> the file's contents."""
    book = load_book(root)
    files = {}
    for page, chapter in toc_pages(root):
        path = page_source(page, root)
        if path is None or path.suffix != ".ipynb":
            continue
        if not page.startswith(BOOK + "/"):
            raise ReaderError(f"{page}: the reader edition mirrors pages under {BOOK}/ only")
        nb = nbformat.read(path, as_version=4)
        out = reader_notebook(book, page, chapter, copy.deepcopy(nb))
        nbformat.validate(out)
        files[reader_relpath(page)] = nbformat.writes(out) + "\n"
    return files


def stale(root: Path = ROOT) -> list[str]:
    """Paths under ``readers/`` that differ from what :func:`generate` makes now (or should not be there)."""
    files = generate(root)
    committed = {p.relative_to(root).as_posix() for p in (root / OUT).rglob("*.ipynb")}
    wrong = sorted(committed - set(files))
    for rel, text in files.items():
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            wrong.append(rel)
    return sorted(wrong)


def write(root: Path = ROOT) -> list[str]:
    """Write the reader edition into ``readers/`` (removing notebooks no page makes); return the paths."""
    files = generate(root)
    for old in (root / OUT).rglob("*.ipynb"):
        if old.relative_to(root).as_posix() not in files:
            old.unlink()
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return sorted(files)


def run(python: Path, paths: list[Path] | None = None, timeout: int = 300) -> list[str]:
    """Execute reader notebooks top to bottom in a kernel of the Python ``python``; return failures.

    ``python`` is the interpreter of the environment to test (a Colab-like or Binder-like virtual
    environment with ``ipykernel`` and ``rlbits`` installed). The notebook client runs here; only the
    kernel runs there, as in Jupyter. Kernels talk over Unix sockets (no TCP ports to race for).
    Each notebook runs in its own folder under ``readers/``, as Binder and Colab run it.
    """
    import json
    import tempfile
    import time

    import nbclient
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    paths = paths or sorted((ROOT / OUT).rglob("*.ipynb"))
    failures = []
    with tempfile.TemporaryDirectory(prefix="reader-kernel-") as tmp:
        kernels = Path(tmp) / "kernels"
        (kernels / "reader").mkdir(parents=True)
        (kernels / "reader" / "kernel.json").write_text(json.dumps({
            "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "reader", "language": "python"}))
        specs = KernelSpecManager(kernel_dirs=[str(kernels)])
        for i, path in enumerate(paths):
            nb = nbformat.read(path, as_version=4)
            km = KernelManager(kernel_name="reader", kernel_spec_manager=specs, transport="ipc",
                               ip=str(Path(tmp) / f"kernel-{i}"))
            client = nbclient.NotebookClient(nb, km=km, timeout=timeout, kernel_name="reader",
                                             record_timing=False,
                                             resources={"metadata": {"path": str(path.parent)}})
            start = time.perf_counter()
            try:
                client.execute()
            except Exception as exc:  # report every notebook, not only the first failure
                failures.append(f"{path}: {type(exc).__name__}: {str(exc)[-2000:]}")
                print(f"FAIL {path}", flush=True)
                continue
            finally:
                if km.has_kernel:  # nbclient leaves a kernel it did not start to its manager
                    km.shutdown_kernel(now=True)
            print(f"ok   {path} ({time.perf_counter() - start:.1f} s)", flush=True)
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report stale reader notebooks")
    parser.add_argument("--run", type=Path, metavar="PYTHON",
                        help="execute the reader notebooks in a kernel of this Python (an environment's interpreter)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell, with --run")
    parser.add_argument("notebooks", nargs="*", type=Path, help="with --run: default, every reader notebook")
    args = parser.parse_args(argv)
    if args.run:
        failures = run(args.run, [p.resolve() for p in args.notebooks] or None, args.timeout)
        for failure in failures:
            print(failure, file=sys.stderr)
        return 1 if failures else 0
    if args.check:
        wrong = stale()
        for rel in wrong:
            print(f"stale: {rel} (run make readers)")
        return 1 if wrong else 0
    for rel in write():
        print(f"wrote {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
