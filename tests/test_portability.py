"""Outputs that read the same on every CPU, and chapters that run without the book's toolchain.

The last bits of a float depend on the CPU (NumPy dispatches different SIMD code for ``log``,
``exp`` and reductions on CPUs with and without AVX-512, and ARM has its own). Committed notebook
outputs are compared as text by nbval, so no text output and no glued value may show a float's
last bits: every number is shown at the precision a reader needs (``rlbits.notebook.glue`` keeps
glued floats at ten significant digits).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT

ALL_NOTEBOOKS = sorted(p for p in (ROOT / "book").rglob("*.ipynb") if "_build" not in p.parts
                       and ".ipynb_checkpoints" not in p.parts)
MAX_SIGNIFICANT = 12
# A decimal number with a fraction (and maybe an exponent), not part of a word or a longer number.
FLOAT = re.compile(r"(?<![\w.])[-+]?(\d+)\.(\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def significant_digits(integer: str, fraction: str) -> int:
    """Significant digits of a decimal written as ``integer.fraction``.

    Leading and trailing zeros are not counted: ``2995732274000000.0`` has ten, ``0.000125`` three.
    """
    return len((integer + fraction).strip("0"))


def long_floats(text: str) -> list[str]:
    """The floats in ``text`` written with more than MAX_SIGNIFICANT significant digits."""
    return [m.group(0) for m in FLOAT.finditer(text)
            if significant_digits(m.group(1), m.group(2)) > MAX_SIGNIFICANT]


def text_outputs(nb: dict):
    """Yield (cell index, mime type, text) for every text output, glue records included."""
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            if "text" in out:
                yield i, "stream", "".join(out["text"])
            for mime, data in out.get("data", {}).items():
                if mime.startswith("image/") or mime.endswith("+json"):
                    continue
                yield i, mime, data if isinstance(data, str) else "".join(data)


def test_long_float_detector():
    assert long_floats("16.609640474436812") == ["16.609640474436812"]
    assert long_floats("5.0661698013790124e-06, 1.23") == ["5.0661698013790124e-06"]
    assert long_floats("0.00018052328301826527") == ["0.00018052328301826527"]
    assert long_floats("16.60964047 and 0.0001805232830 and 299,572 and 1e-05") == []
    assert long_floats("1.000000000000 and 2995732274000000.0") == []  # zeros are not noise
    assert long_floats("1.23456789012 and 1.234567890123") == ["1.234567890123"]
    assert long_floats("version 3.11.7 or id 1234.5678.9012") == []


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "book")))
def test_no_output_shows_a_floats_last_bits(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = [f"cell {i} ({mime}): {x}" for i, mime, text in text_outputs(nb) for x in long_floats(text)]
    assert not found, (
        f"{path.name} shows floats with more than {MAX_SIGNIFICANT} significant digits, which differ "
        "between CPUs; format them (f-string, np.round) or glue with rlbits.notebook.glue:\n  "
        + "\n  ".join(found[:20]))


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "book")))
def test_notebooks_do_not_need_myst_nb(path):
    """Colab and plain Jupyter have no myst-nb: chapters glue through rlbits.notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            src = "".join(cell["source"])
            assert not re.search(r"^\s*(from|import)\s+myst_nb", src, re.M), (
                f"{path.name} imports myst_nb; use `from rlbits.notebook import glue`")


def test_portable_rounds_what_is_glued():
    from rlbits.notebook import portable

    assert portable(16.609640474436812) == 16.60964047
    assert portable(np.float64(5.0661698013790124e-06)) == 5.066169801e-06
    big = portable(2995732273553991.5)
    assert big == 2995732274000000 and isinstance(big, int)  # no float repr with 16 written digits
    assert portable(299572) == 299572 and isinstance(portable(np.int64(3)), int)
    assert portable(True) is True and portable("text") == "text"
    assert np.array_equal(portable(np.array([1 / 3, 2 / 3])), [0.3333333333, 0.6666666667])
    assert portable((1 / 3, 7)) == (0.3333333333, 7)
    with pytest.raises(ValueError, match="digits"):
        portable(1.0, digits=0)


@pytest.mark.parametrize("display", [False, True])
def test_glue_writes_the_record_myst_nb_writes(display, monkeypatch):
    """rlbits.notebook.glue writes myst-nb's glue output without importing myst-nb (and Sphinx)."""
    import IPython.display
    from myst_nb import glue as myst_glue
    from myst_nb.ext.glue import GLUE_PREFIX

    from rlbits import notebook

    assert notebook.GLUE_PREFIX == GLUE_PREFIX and notebook.myst_nb_available()
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **kw: shown.append((a, kw)))
    import myst_nb.ext.glue as myst_glue_module
    monkeypatch.setattr(myst_glue_module, "ipy_display", lambda *a, **kw: shown.append((a, kw)))
    values = [16.609640474436812, 299572, "text", (1 / 3, 7), np.float64(0.5), True]
    from IPython.core.interactiveshell import InteractiveShell

    had_shell = InteractiveShell.initialized()
    try:
        for i, value in enumerate(values):
            notebook.glue(f"key{i}", value, display=display)
            myst_glue(f"key{i}", notebook.portable(value), display=display)
    finally:  # formatting made an InteractiveShell; leave none behind (get_ipython() stays None)
        if not had_shell:
            InteractiveShell.clear_instance()
    assert len(shown) == 2 * len(values)
    for ours, theirs in zip(shown[::2], shown[1::2]):
        assert ours == theirs


def test_glue_does_not_import_sphinx():
    import subprocess
    import sys

    code = ("import sys; from rlbits.notebook import glue; glue('x', 0.5); glue('y', 2, display=True); "
            "print(sorted(m for m in ('myst_nb', 'sphinx', 'docutils') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("[]"), out
