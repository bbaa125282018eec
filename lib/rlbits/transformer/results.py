"""Reading Chapter 7's results JSON and summarising its runs (NumPy only: no JAX needed).

The JSON is written by :mod:`rlbits.transformer.sweep`; the copy the chapter plots ships with the
package (``rlbits/transformer/ch7_results.json``). Chapter 7, "Results".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .measure import bits_learned, bits_per_sample, samples_to_reach

#: File name of the committed results, inside this package.
RESULTS_FILE = "ch7_results.json"


def load(path: str | Path | None = None) -> dict:
    """The results JSON as a dict: the committed one, or the file at ``path``.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A results file written by :mod:`rlbits.transformer.sweep`; by default the copy committed
        with the package.

    Returns
    -------
    dict
        The sweep's results: ``config``, ``runs`` (one record per row) and the sweep's metadata.

    Raises
    ------
    ValueError
        If the file is not valid JSON (``json.JSONDecodeError``) or not a sweep's results (no
        ``config`` or ``runs``). A missing file raises ``FileNotFoundError``.
    """
    if path is None:
        text = resources.files("rlbits.transformer").joinpath(RESULTS_FILE).read_text()
    else:
        text = Path(path).read_text()
    res = json.loads(text)
    if not isinstance(res, dict) or "config" not in res or "runs" not in res:
        raise ValueError("not a Chapter 7 results file: it needs 'config' and 'runs'")
    return res


@dataclass(frozen=True)
class Row:
    """One set of runs (one method, answer length, start and learning rate, over seeds).

    Attributes
    ----------
    stage : str
        The sweep's stage: ``"scratch"``, ``"main"`` or ``"goldilocks"``.
    method : str
        One of :data:`rlbits.transformer.task.METHODS`.
    T : int
        Answer length in digits.
    start : str or float
        ``"scratch"`` (random weights) or the held-out pass rate of the warm start.
    lr : float
        Adam learning rate.
    seeds : list of int
        The seeds, one per run.
    samples : numpy.ndarray
        Training samples seen at each evaluation, shape ``(E,)``.
    heldout_bits : numpy.ndarray
        Held-out log-loss of the correct answers, bits per prompt, shape ``(seeds, E)``.
    pass_heldout, pass_train : numpy.ndarray
        Expected pass@1 on held-out and on training prompts, shape ``(seeds, E)``.
    wall_s : float
        Seconds of training for all the seeds together.
    pass_at_k : dict
        ``k`` and the mean pass@k ``before`` and ``after`` training, one list per seed.

    Raises
    ------
    ValueError
        Never: it only holds results (:func:`row` builds it).
    """

    stage: str
    method: str
    T: int
    start: object
    lr: float
    seeds: list
    samples: np.ndarray
    heldout_bits: np.ndarray
    pass_heldout: np.ndarray
    pass_train: np.ndarray
    wall_s: float
    pass_at_k: dict

    @property
    def bits_learned(self) -> np.ndarray:
        """Cumulative bits learned per held-out prompt, (seeds, evaluations)."""
        return bits_learned(self.samples, self.heldout_bits)

    def bits_per_sample(self) -> tuple[np.ndarray, np.ndarray]:
        """``(midpoints, rate)`` of bits learned per sample between evaluations, per seed."""
        return bits_per_sample(self.samples, self.heldout_bits)

    def samples_to(self, target: float) -> np.ndarray:
        """Samples until each seed's held-out pass rate reaches ``target`` (``inf`` if never)."""
        return samples_to_reach(self.samples, self.pass_heldout, target)


def row(res: dict, *, stage: str, method: str, T: int, start: object) -> Row:
    """The runs of one setting.

    Parameters
    ----------
    res : dict
        The results (:func:`load`).
    stage : str
        ``"scratch"``, ``"main"`` or ``"goldilocks"``.
    method : str
        One of :data:`rlbits.transformer.task.METHODS`.
    T : int
        Answer length in digits.
    start : str or float
        ``"scratch"`` or the warm start's held-out pass rate, exactly as in the JSON.

    Returns
    -------
    Row
        The first record that matches.

    Raises
    ------
    ValueError
        If the sweep has no such row.
    """
    for r in res["runs"]:
        if r["stage"] == stage and r["method"] == method and r["T"] == T and r["start"] == start:
            return Row(r["stage"], r["method"], r["T"], r["start"], r["lr"], r["seeds"],
                       np.asarray(r["samples"], float), np.asarray(r["heldout_bits"], float),
                       np.asarray(r["pass_heldout"], float), np.asarray(r["pass_train"], float),
                       float(r["wall_s"]), r["pass_at_k"])
    raise ValueError(f"the results have no row stage={stage!r}, method={method!r}, T={T!r}, start={start!r}")


def has_row(res: dict, **key) -> bool:
    """Whether :func:`row` would find the setting.

    Parameters
    ----------
    res : dict
        The results (:func:`load`).
    **key
        ``stage``, ``method``, ``T`` and ``start``, as for :func:`row`.

    Returns
    -------
    bool
        True if the sweep has the row.

    Raises
    ------
    ValueError
        Never: a missing row gives False (a missing or unknown keyword is a ``TypeError``).
    """
    try:
        row(res, **key)
    except ValueError:
        return False
    return True


def mean_interval(x: np.ndarray, axis: int = 0, z: float = 1.96) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over seeds and a normal-approximation interval ``mean +/- z * standard error``.

    Parameters
    ----------
    x : array_like
        Values with seeds along ``axis`` (at least two seeds).
    axis : int, optional
        The seeds' axis.
    z : float, optional
        Half-width in standard errors (1.96: a 95% interval).

    Returns
    -------
    mean, low, high : numpy.ndarray
        The mean over seeds and the interval's ends, each of ``x``'s shape without ``axis``.

    Raises
    ------
    ValueError
        If there are fewer than two seeds. An ``axis`` that ``x`` lacks raises ``IndexError``.
    """
    x = np.asarray(x, dtype=float)
    n = x.shape[axis]
    if n < 2:
        raise ValueError(f"need at least two seeds for an interval, got {n}")
    m = x.mean(axis)
    se = x.std(axis, ddof=1) / np.sqrt(n)
    return m, m - z * se, m + z * se


def bits_rate_vs_pass(r: Row, smooth: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Bits learned per sample against the held-out pass rate, averaged over seeds.

    The rate between consecutive evaluations is smoothed over ``smooth`` intervals (a running mean)
    and paired with the mean pass rate at the interval's middle.

    Parameters
    ----------
    r : Row
        The runs (:func:`row`).
    smooth : int, optional
        Intervals in the running mean; values below 1 count as 1, and at most the number of intervals
        is used.

    Returns
    -------
    pass_rate : numpy.ndarray of float, shape (E - smooth,)
        Mean held-out pass rate over seeds, at the middle of each smoothed interval.
    bits_per_sample : numpy.ndarray of float, shape (E - smooth,)
        Mean bits learned per held-out prompt per training sample over seeds, smoothed.

    Raises
    ------
    ValueError
        If the row's samples or held-out losses are not valid curves (see
        :func:`rlbits.transformer.measure.bits_per_sample`).
    """
    _, rate = r.bits_per_sample()
    rate = rate.mean(0)
    p = r.pass_heldout.mean(0)
    pm = 0.5 * (p[1:] + p[:-1])
    k = max(1, min(int(smooth), rate.size))
    kern = np.ones(k) / k
    return np.convolve(pm, kern, mode="valid"), np.convolve(rate, kern, mode="valid")


# --- The chapter's figures (matplotlib only) ---

#: Colour and line-style role of each method in every Chapter 7 figure (rlbits.plotting roles).
ROLES: dict[str, str] = {"sl": "sl", "reinforce": "rl", "grpo": "third", "rft": "fourth", "distill": "fifth",
                         "graded": "sixth"}


def _style(method: str) -> dict:
    from ..plotting import COLORS, LINESTYLES

    return {"color": COLORS[ROLES[method]], "linestyle": LINESTYLES[ROLES[method]]}


def draw_curves(ax, rows: list[Row], what: str = "pass", *, labels: dict | None = None) -> None:
    """Held-out pass rate (``what="pass"``) or bits learned (``"bits"``) against samples: the mean
    over seeds with a 95% interval band, one line per row.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    rows : list of Row
        The runs to draw, each with at least two seeds.
    what : str, optional
        ``"pass"`` for the held-out pass rate; anything else draws bits learned per held-out prompt.
    labels : dict, optional
        Legend label by method, replacing the default names (``LABELS`` of :mod:`rlbits.transformer.task`).

    Returns
    -------
    None
        It draws on ``ax`` and sets its axis labels.

    Raises
    ------
    ValueError
        If a row has fewer than two seeds.
    """
    from .task import LABELS

    labels = labels or {}
    for r in rows:
        y = r.pass_heldout if what == "pass" else r.bits_learned
        m, lo, hi = mean_interval(y)
        st = _style(r.method)
        ax.fill_between(r.samples, lo, hi, color=st["color"], alpha=0.2, linewidth=0)
        ax.plot(r.samples, m, label=labels.get(r.method, LABELS[r.method]), **st)
    ax.set_xlabel("training samples")
    ax.set_ylabel("held-out pass rate" if what == "pass" else "bits learned per held-out prompt (bits)")
