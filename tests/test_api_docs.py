"""The API reference is complete: every public module of rlbits is on the API page
(book/api.md), and every public function and class has numpy-style sections.

Modules are found with pkgutil, so a new module cannot escape the page. ``rlbits.transformer``
(a JAX subpackage behind an optional extra) counts only where ``jax`` is installed.

Sections required (numpy docstring standard, as napoleon renders them):

- ``Parameters`` when the callable takes any (a dataclass may describe its fields under
  ``Attributes`` instead); a function without parameters needs none;
- ``Returns`` for every function (``Yields`` for a generator or context manager);
- ``Raises`` for every function and class (saying "Never" where that is true).

The last tests check that the validation those ``Raises`` sections promise is really there,
for the checks added with them.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import inspect
import pkgutil
import re
from pathlib import Path

import numpy as np
import pytest

import rlbits

API_PAGE = Path(__file__).resolve().parents[1] / "book" / "api.md"
OPTIONAL = {"rlbits.transformer": "jax"}  # subpackage -> the package its extra installs


def _optional_missing(name: str) -> bool:
    for prefix, package in OPTIONAL.items():
        if (name == prefix or name.startswith(prefix + ".")) and importlib.util.find_spec(package) is None:
            return True
    return False


def public_modules() -> list[str]:
    """``rlbits`` and every module below it without a ``_`` name part, skipping uninstallable extras."""
    names = ["rlbits"]
    # onerror: a subpackage whose optional dependency is missing cannot be imported to recurse into
    for info in pkgutil.walk_packages(rlbits.__path__, "rlbits.", onerror=lambda name: None):
        if any(part.startswith("_") for part in info.name.split(".")[1:]) or _optional_missing(info.name):
            continue
        names.append(info.name)
    return sorted(names)


def public_objects() -> list[tuple[str, object]]:
    """Every public function and class, in the module that defines it (``__all__`` where defined)."""
    out = []
    for name in public_modules():
        module = importlib.import_module(name)
        members = getattr(module, "__all__", [n for n in dir(module) if not n.startswith("_")])
        for member in members:
            obj = getattr(module, member, None)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == name:
                out.append((f"{name}.{member}", obj))
    return out


def _sections(doc: str) -> set[str]:
    return set(re.findall(r"^(\w+)\n-{3,}$", doc, flags=re.MULTILINE))


def _takes_parameters(obj: object) -> bool:
    try:
        params = inspect.signature(obj).parameters
    except (TypeError, ValueError):  # a class without an inspectable __init__
        return False
    return any(p.name not in ("self", "cls") for p in params.values())


def _yields(obj: object) -> bool:
    return inspect.isgeneratorfunction(obj) or inspect.isgeneratorfunction(getattr(obj, "__wrapped__", None))


def missing_sections(obj: object) -> list[str]:
    doc = inspect.getdoc(obj) or ""
    have = _sections(doc)
    missing = []
    if _takes_parameters(obj):
        allowed = {"Parameters", "Attributes"} if dataclasses.is_dataclass(obj) else {"Parameters"}
        if not have & allowed:
            missing.append("Parameters")
    if inspect.isfunction(obj) and not have & ({"Yields", "Returns"} if _yields(obj) else {"Returns"}):
        missing.append("Yields" if _yields(obj) else "Returns")
    if "Raises" not in have:
        missing.append("Raises")
    return missing


def test_finds_the_modules_it_must():
    """The discovery itself: known modules (a nested one too) are found, private ones are not."""
    found = public_modules()
    assert {"rlbits", "rlbits.information", "rlbits.widgets", "rlbits.widgets.ch1_entropy"} <= set(found)
    assert not [m for m in found if "._" in m]
    assert len(public_objects()) > 150


def test_optional_subpackage_counts_only_when_installed():
    if importlib.util.find_spec("jax") is None:
        assert not [m for m in public_modules() if m.startswith("rlbits.transformer")]
    elif importlib.util.find_spec("rlbits.transformer") is not None:
        assert "rlbits.transformer" in public_modules()


def test_every_public_module_is_on_the_api_page():
    listed = set(re.findall(r"^\.\. automodule:: (\S+)\s*$", API_PAGE.read_text(), flags=re.MULTILINE))
    missing = [m for m in public_modules() if m not in listed]
    assert not missing, f"add these modules to {API_PAGE.name}: {missing}"
    stale = [m for m in listed if m not in public_modules() and not _optional_missing(m)]
    assert not stale, f"{API_PAGE.name} lists modules that do not exist or are private: {stale}"


def test_every_public_function_and_class_has_numpy_sections():
    lacking = {name: missing for name, obj in public_objects() if (missing := missing_sections(obj))}
    assert not lacking, "numpy-style sections missing:\n" + "\n".join(f"  {k}: {v}" for k, v in sorted(lacking.items()))


def test_the_section_check_can_fail():
    """The checker itself, on docstrings that lack what it demands."""
    def no_sections(x):
        """Only a summary."""

    def complete(x):
        """Summary.

        Parameters
        ----------
        x : float
            A number.

        Returns
        -------
        float
            The number.

        Raises
        ------
        ValueError
            Never.
        """

    def no_input():
        """Summary.

        Returns
        -------
        int
            One.

        Raises
        ------
        ValueError
            Never: it takes no input.
        """

    assert missing_sections(no_sections) == ["Parameters", "Returns", "Raises"]
    assert missing_sections(complete) == []
    assert missing_sections(no_input) == []


# --- the validation that the Raises sections promise (added with them) ---

def test_training_budget_validates():
    from rlbits.training import training_budget

    assert training_budget(1_000, 1.0) == 31_000
    assert training_budget(10, 0.1) == 4_000
    for V, lr in [(0, 1.0), (1.5, 1.0), (10, 0.0), (10, -1.0), (10, float("nan")), (10, float("inf"))]:
        with pytest.raises(ValueError):
            training_budget(V, lr)


def test_hidpi_validates_scale():
    from rlbits.plotting import hidpi

    assert hidpi() is False  # outside IPython
    for scale in (0, 1.5, True, "2"):
        with pytest.raises(ValueError, match="scale"):
            hidpi(scale)


def test_draw_functions_check_their_panel_and_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from rlbits.information import entropy_panel
    from rlbits.widgets import ch1_entropy, ch2_bits, ch3_update, ch4_sampling, ch5_selfplay, ch6_training

    fig, ax = plt.subplots()
    fig2, axes = plt.subplots(1, 2)
    try:
        wrong = entropy_panel(4, 1.0)
        for draw in (ch2_bits.draw_bits_comparison, ch3_update.draw_update_panel, ch6_training.draw_training_panel):
            with pytest.raises(ValueError, match="panel must be"):
                draw(ax, wrong)
        for draw in (ch4_sampling.draw_sampling_panel, ch5_selfplay.draw_selfplay_panel):
            with pytest.raises(ValueError, match="panel must be"):
                draw(axes, wrong)
        with pytest.raises(ValueError, match="panel must be"):
            ch1_entropy.draw_entropy_panel(ax, object())
        ch1_entropy.draw_entropy_panel(ax, wrong)  # the right panel draws
        assert len(ax.patches) == 4
        from rlbits.sampling import sampling_panel

        with pytest.raises(ValueError, match="exactly two axes"):
            ch4_sampling.draw_sampling_panel([ax], sampling_panel(0.1))
        ch4_sampling.draw_sampling_panel(axes, sampling_panel(0.1))
        assert all(a.lines for a in np.ravel(axes))
    finally:
        plt.close(fig)
        plt.close(fig2)
