"""The readers' environments are declared consistently: what rlbits imports, its floors, Binder's pins.

The environments themselves are built and run by ``make test-envs`` (``noxfile.py``): every
notebook with the dependency floors and Colab's ipywidgets 7.7, every notebook's visible cells in
Binder's environment, and strict nbval with NumPy's SIMD dispatch turned down. These tests check,
without building anything, that the files those runs install say what the package needs.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from conftest import ROOT

# --- The package declares what it imports ---

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _names(deps: list[str]) -> set[str]:
    return {re.split(r"[\s<>=!~;\[]", dep, maxsplit=1)[0].lower().replace("_", "-") for dep in deps}


def _declared(extra: str | None = None) -> set[str]:
    """The distributions rlbits declares: its dependencies, plus those of ``extra`` when named."""
    extras = PROJECT.get("optional-dependencies", {})
    return _names(PROJECT["dependencies"]) | (_names(extras[extra]) if extra else set())


def _imports(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Top-level module names imported (required, optional-inside-try-ImportError)."""
    required, optional = set(), set()
    guarded = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                for h in node.handlers):
            guarded.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            (optional if id(node) in guarded else required).add(name.split(".")[0])
    return required, optional


def test_package_declares_every_third_party_import():
    """Every module outside rlbits.transformer imports only the declared dependencies; the transformer
    subpackage may also import its extra, rlbits[transformer] (JAX and optax), and nothing else does."""
    dists = packages_distributions()
    needed: dict[str, set[str]] = {"core": set(), "transformer": set()}
    optional = set()
    for path in (ROOT / "lib" / "rlbits").rglob("*.py"):
        r, o = _imports(ast.parse(path.read_text(encoding="utf-8")))
        optional |= o
        part = "transformer" if "transformer" in path.relative_to(ROOT / "lib" / "rlbits").parts else "core"
        third_party = {m for m in r if m not in sys.stdlib_module_names and m not in ("rlbits", "__future__")}
        needed[part] |= {dists[m][0].lower().replace("_", "-") for m in third_party}
    missing = needed["core"] - _declared()
    assert not missing, f"rlbits imports {sorted(missing)} but pyproject.toml does not declare them"
    missing = needed["transformer"] - _declared("transformer")
    assert not missing, f"rlbits.transformer imports {sorted(missing)}, not declared in rlbits[transformer]"
    unused = _declared() - needed["core"]
    assert not unused, f"pyproject.toml declares {sorted(unused)}, which rlbits never imports"
    assert _declared("transformer") - _declared() <= needed["transformer"], "an extra rlbits[transformer] never uses"
    assert optional <= {"myst_nb", "IPython"}, f"unexpected optional imports: {sorted(optional)}"


def test_floors_environment_pins_every_declared_floor():
    """tests/envs/colab-floors.txt installs exactly the floor of every declared dependency."""
    floors = {}
    for dep in PROJECT["dependencies"]:
        name, _, version = dep.partition(">=")
        floors[name.strip().lower()] = version.strip()
    pins = dict(line.split("==") for line in (ROOT / "tests" / "envs" / "colab-floors.txt").read_text().splitlines()
                if line and not line.startswith("#"))
    pins = {k.lower(): v for k, v in pins.items()}
    for name, floor in floors.items():
        assert name in pins, f"{name} is not in the floors environment"
        assert pins[name].startswith(floor), f"{name}: floor {floor}, tested {pins[name]}"
    assert pins["ipywidgets"].startswith("7.7"), "the floors environment tests Colab's ipywidgets 7.7"


def test_binder_environment_is_lean_and_pinned():
    lines = [ln for ln in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
             if ln and not ln.startswith("#")]
    assert all(re.fullmatch(r"[\w.-]+==[\w.]+", ln) for ln in lines), "every Binder requirement is pinned exactly"
    names = {ln.split("==")[0].lower().replace("_", "-") for ln in lines}
    assert _declared() <= names, "Binder pins every dependency rlbits declares"
    toolchain = {"jupyter-book", "sphinx", "pytest", "hypothesis", "playwright", "nbval", "myst-nb"}
    assert not names & toolchain, f"the reader's environment holds build/test tools: {names & toolchain}"
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip().removeprefix("python-")
    assert Version(runtime) in SpecifierSet(PROJECT["requires-python"]), f"Binder runs Python {runtime}"


def _pins(path) -> dict[str, str]:
    return {name.lower().replace("_", "-"): version for name, _, version in
            (ln.partition("==") for ln in path.read_text().splitlines() if "==" in ln and not ln.startswith("#"))}


def test_binder_pins_the_versions_the_book_is_built_and_tested_with():
    """A Binder reader runs the versions with which the book's figures were drawn and nbval passed."""
    binder, dev = _pins(ROOT / "binder" / "requirements.txt"), _pins(ROOT / "requirements.txt")
    differ = {name: (version, dev.get(name)) for name, version in binder.items() if dev.get(name) != version}
    assert not differ, f"binder/requirements.txt and requirements.txt pin different versions: {differ}"
