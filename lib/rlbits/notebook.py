"""Notebook helpers that work in the book build, in Binder, in Colab and in plain Jupyter.

The book's chapters insert computed numbers into their prose with myst-nb's ``glue``. Readers who
run a chapter on Colab or in a plain Jupyter have no myst-nb, so the chapters import :func:`glue`
from here: it glues when myst-nb is installed and otherwise does nothing (or, with
``display=True``, shows the value), so every chapter runs with only ``rlbits`` installed.

Glued floats are stored at :data:`GLUE_DIGITS` significant digits. The last bits of a float depend
on the CPU (NumPy picks different SIMD code for ``log``, ``exp`` and sums on CPUs with and without
AVX-512), and the committed notebooks must give the same text on every machine; the prose formats
every glued number at far fewer digits anyway. Asserts keep full precision: round only what is shown.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["GLUE_DIGITS", "glue", "myst_nb_available", "portable"]

#: Significant digits kept for a glued float (the prose shows at most seven).
GLUE_DIGITS = 10

_MYST_NB_GLUE: Any = None
_MYST_NB_CHECKED = False


def _myst_nb_glue():
    global _MYST_NB_GLUE, _MYST_NB_CHECKED
    if not _MYST_NB_CHECKED:
        try:
            from myst_nb import glue as myst_glue
        except ImportError:
            myst_glue = None
        _MYST_NB_GLUE, _MYST_NB_CHECKED = myst_glue, True
    return _MYST_NB_GLUE


def myst_nb_available() -> bool:
    """Whether myst-nb is importable (it is in the book build and Binder, not on Colab)."""
    return _myst_nb_glue() is not None


def _round_float(x: float, digits: int) -> float:
    if not np.isfinite(x) or x == 0.0:
        return float(x)
    return float(f"{x:.{digits}g}")


def portable(value: Any, digits: int = GLUE_DIGITS) -> Any:
    """Return ``value`` with every float rounded to ``digits`` significant digits.

    Floats (Python or NumPy) and float arrays are rounded; integers, booleans, strings and other
    objects are returned unchanged (NumPy integers become Python ints). Tuples and lists are
    rounded element by element. This is what :func:`glue` stores, so that a glued value reads the
    same on every CPU.

    >>> portable(16.609640474436812)
    16.60964047
    >>> portable(2995732273553991.5)
    2995732274000000
    """
    if isinstance(digits, bool) or not isinstance(digits, numbers.Integral) or not 1 <= digits <= 17:
        raise ValueError(f"digits must be a whole number from 1 to 17, got {digits!r}")
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        x = _round_float(float(value), digits)
        # A whole number of 10^12 or more would print as e.g. 2995732274000000.0, all of whose
        # digits look significant: store it as the integer it now is.
        return int(x) if np.isfinite(x) and abs(x) >= 1e12 and x.is_integer() else x
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        flat = [_round_float(float(x), digits) for x in value.ravel()]
        return np.asarray(flat, dtype=value.dtype).reshape(value.shape)
    if isinstance(value, (tuple, list)):
        return type(value)(portable(v, digits) for v in value)
    return value


def glue(name: str, value: Any, display: bool = False, *, digits: int = GLUE_DIGITS) -> None:
    """Glue ``value`` under ``name`` for the book's prose, with floats kept at ``digits`` digits.

    With myst-nb installed (the book build, Binder) this is ``myst_nb.glue``. Without it (Colab,
    plain Jupyter) nothing is glued; with ``display=True`` the value is shown as the cell's output,
    so a reader sees the same thing either way.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    value = portable(value, digits)
    myst_glue = _myst_nb_glue()
    if myst_glue is not None:
        myst_glue(name, value, display=display)
    elif display:
        from IPython.display import display as ipy_display

        ipy_display(value)
