"""Notebook helpers that work in the book build, in Binder, in Colab and in plain Jupyter.

The book's chapters insert computed numbers into their prose with myst-nb's ``glue``. Readers who
run a chapter on Colab or in a plain Jupyter have no myst-nb, so the chapters import :func:`glue`
from here: it glues when myst-nb is installed and otherwise does nothing (or, with
``display=True``, shows the value), so every chapter runs with only ``rlbits`` installed.

A glue record is one display output: the value's mime bundle with its keys prefixed by
``application/papermill.record/`` and ``{"scrapbook": {"name": ..., "mime_prefix": ...}}`` in its
metadata, which the book build reads back (``myst_nb.ext.glue.extract_glue_data``). :func:`glue`
writes exactly the output ``myst_nb.glue`` writes (tests/test_portability.py compares the two), but
without importing myst-nb: ``myst_nb.glue`` imports Sphinx and docutils on first use, 1.2 s in every
kernel that runs a chapter.

Glued floats are stored at :data:`GLUE_DIGITS` significant digits. The last bits of a float depend
on the CPU (NumPy picks different SIMD code for ``log``, ``exp`` and sums on CPUs with and without
AVX-512), and the committed notebooks must give the same text on every machine; the prose formats
every glued number at far fewer digits anyway. Asserts keep full precision: round only what is shown.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["GLUE_DIGITS", "GLUE_PREFIX", "glue", "myst_nb_available", "portable"]

#: Significant digits kept for a glued float (the prose shows at most seven).
GLUE_DIGITS = 10

#: The prefix of a glue record's mime types (myst_nb.ext.glue.GLUE_PREFIX).
GLUE_PREFIX = "application/papermill.record/"

_MYST_NB: bool | None = None


def myst_nb_available() -> bool:
    """Whether myst-nb is installed (it is in the book build, not on Binder or Colab).

    Looked up, not imported: importing myst-nb imports Sphinx.

    Parameters
    ----------
    None

    Returns
    -------
    bool
        ``True`` when ``myst_nb`` can be imported (the answer is cached for the process).

    Raises
    ------
    ValueError
        Never (listed for the API's uniformity).
    """
    global _MYST_NB
    if _MYST_NB is None:
        from importlib.util import find_spec

        _MYST_NB = find_spec("myst_nb") is not None
    return _MYST_NB


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

    Parameters
    ----------
    value : object
        A number, array, tuple or list of them, or anything else (returned unchanged).
    digits : int, optional
        Significant digits to keep, 1 to 17 (default :data:`GLUE_DIGITS`).

    Returns
    -------
    object
        ``value`` with its floats rounded; whole floats of ``1e12`` or more become ``int``.

    Raises
    ------
    ValueError
        If ``digits`` is not a whole number from 1 to 17.

    Examples
    --------
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

    With myst-nb installed (the book build) this writes the record ``myst_nb.glue`` writes. Without
    it (Binder, Colab, plain Jupyter) nothing is glued; with ``display=True`` the value is shown as
    the cell's output, so a reader sees the same thing either way.

    Parameters
    ----------
    name : str
        The key the prose uses (``{glue:text}`name```).
    value : object
        The value; floats are rounded by :func:`portable` first.
    display : bool, optional
        Also show the value as the cell's output (default ``False``).
    digits : int, optional
        Significant digits kept for floats (keyword-only; default :data:`GLUE_DIGITS`).

    Returns
    -------
    None

    Raises
    ------
    ValueError
        If ``name`` is not a non-empty string or ``digits`` is out of range.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    value = portable(value, digits)
    if not myst_nb_available():
        if display:
            from IPython.display import display as ipy_display

            ipy_display(value)
        return
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    bundle, metadata = format_display_data(value)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipy_display({prefix + mime: data for mime, data in bundle.items()}, raw=True, metadata=metadata)
