"""Interactive controls for the chapters, each split into a pure update and a builder.

For every control there is

- a pure function that computes what the control shows (testable and benchmarkable without a
  browser or a kernel),
- a drawing function that renders that state onto matplotlib axes (also used for the static
  figure that tells the same story on the website), and
- a builder that wires ipywidgets sliders to the two and returns ``(control, update)``.

The sliders are live in Binder or Colab; on the static site the book shows the static figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import NDArray

from . import _validate, distributions, information
from .plotting import COLORS, LINESTYLES

# Axes positions of each explorer's figure, solved once by the layout engine and then reused.
_LAYOUTS: dict[str, list] = {}


def _fast_redraw(fig, key: str) -> None:
    """Make an explorer's figure cheap to redraw on every slider move (the static figures are unchanged).

    Two things dominate a redraw: creating minor ticks on log axes, and solving the constrained
    layout. Minor ticks are switched off, and the layout is solved on the first redraw of each
    explorer and its axes positions reused afterwards (the figure size and panels never change
    between redraws of one explorer; only data, titles and limits do).
    """
    for ax in fig.axes:
        ax.minorticks_off()
    positions = _LAYOUTS.get(key)
    if positions is not None and len(positions) == len(fig.axes):
        fig.set_layout_engine("none")
        for ax, pos in zip(fig.axes, positions):
            ax.set_position(pos)
    else:
        fig.canvas.draw()  # solves the layout
        _LAYOUTS[key] = [ax.get_position() for ax in fig.axes]
        fig.set_layout_engine("none")



@dataclass(frozen=True)
class EntropyPanel:
    """What the entropy explorer shows for one setting of its sliders (all information in bits)."""

    probs: NDArray[np.float64]
    surprisal: NDArray[np.float64]
    entropy: float
    max_entropy: float
    chosen: int
    chosen_surprisal: float


def entropy_panel(V: int, sharpness: float, chosen: int = 0) -> EntropyPanel:
    """Compute the explorer's state: a Zipf distribution over ``V`` answers and its information.

    ``chosen`` is the (0-based) answer whose surprisal is highlighted. Chapter 1, "Entropy".
    """
    probs = distributions.zipf(V, sharpness)
    chosen = _validate.positive_int(chosen, "chosen", minimum=0)
    if chosen >= probs.size:
        raise ValueError(f"chosen must lie in [0, {probs.size - 1}], got {chosen}")
    surprisal = np.asarray(information.surprisal(probs))
    return EntropyPanel(
        probs=probs,
        surprisal=surprisal,
        entropy=float(information.entropy(probs)),
        max_entropy=float(np.log2(probs.size)),
        chosen=chosen,
        chosen_surprisal=float(surprisal[chosen]),
    )


def draw_entropy_panel(ax: Axes, panel: EntropyPanel, *, title: str | None = None, legend: bool = True) -> None:
    """Draw ``panel`` on ``ax``: bars of each answer's surprisal, the entropy and ``log2 V`` as lines.

    The highlighted answer's bar is vermillion (the others sky blue). The ceiling ``log2 V`` is a
    wide grey band drawn under the entropy's solid line, so the two stay visible when they coincide
    (the uniform distribution). ``legend=False`` leaves the legend to the caller (one legend for a
    row of panels: the handles have the same labels on every panel).
    """
    k = np.arange(1, panel.probs.size + 1)
    others = np.arange(panel.probs.size) != panel.chosen
    ax.bar(k[others], panel.surprisal[others], color=COLORS["sixth"], edgecolor="none",
           label="surprisal -log2 p_k of each answer")
    ax.bar(k[panel.chosen], panel.surprisal[panel.chosen], color=COLORS["rl"], edgecolor="none",
           label="highlighted answer (its surprisal is in the title)")
    ax.axhline(panel.max_entropy, color=COLORS["reference"], alpha=0.25, linewidth=7, zorder=2,
               label="ceiling log2 V (uniform maximum)")
    ax.axhline(panel.entropy, color=COLORS["sl"], linestyle=LINESTYLES["sl"], zorder=3,
               label="entropy H (average surprisal)")
    ax.set_xlabel("answer k (most likely first)")
    ax.set_ylabel("information (bits)")
    top = float(np.max(panel.surprisal))
    ax.set_ylim(0, max(top, panel.max_entropy) * 1.35 + 0.1)
    ax.set_title(title or f"H = {panel.entropy:.2f} bits (ceiling {panel.max_entropy:.2f}); answer "
                 f"{panel.chosen + 1}: p = {panel.probs[panel.chosen]:.3f}, {panel.chosen_surprisal:.2f} bits")
    if legend:
        ax.legend(loc="upper left")


def entropy_explorer():
    """Build the Chapter 1 entropy explorer: sliders for V, sharpness and the highlighted answer.

    Returns ``(control, update)``, where ``update(V, sharpness, chosen)`` redraws the figure and
    returns the :class:`EntropyPanel` it drew.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def update(V: int = 8, sharpness: float = 1.0, chosen: int = 0) -> EntropyPanel:
        panel = entropy_panel(V, sharpness, min(chosen, V - 1))
        fig, ax = plt.subplots(figsize=(6.4, 3.8))
        draw_entropy_panel(ax, panel)
        _fast_redraw(fig, "entropy")
        plt.show()
        return panel

    v = widgets.IntSlider(value=8, min=2, max=40, description="V (answers)")
    s = widgets.FloatSlider(value=1.0, min=0.0, max=4.0, step=0.1, description="sharpness")
    c = widgets.IntSlider(value=0, min=0, max=7, description="highlight k-1")

    def _sync(change: dict) -> None:
        c.max = change["new"] - 1

    v.observe(_sync, names="value")
    out = widgets.interactive_output(update, {"V": v, "sharpness": s, "chosen": c})
    control = widgets.VBox([widgets.HBox([v, s, c]), out])
    return control, update


# --- Chapter 2: information per sample ---


@dataclass(frozen=True)
class BitsComparisonPanel:
    """SL and RL bits per sample for one (p, V) in the correct-plus-uniform family (bits)."""

    p: float
    V: int
    essay_sl: float
    essay_rl: float
    sl_conditional: float
    rl_conditional: float
    sl_calibrated: float
    rl_calibrated: float
    calibrated_pass_rate: float


def bits_comparison_panel(p: float, V: int) -> BitsComparisonPanel:
    """The essay's two numbers and the corrected conditional and calibrated pairs at (p, V).

    The correct answer has probability ``p``; the other ``V - 1`` share ``1 - p``. In the
    calibrated pair the correct answer is drawn from the model itself, so the pass rate there is
    ``Σ_k p_k² = p² + (1 - p)²/(V - 1)``, not ``p`` (``calibrated_pass_rate``).
    Chapter 2, "How the answer space matters".
    """
    from . import comparison

    V = _validate.positive_int(V, "V", minimum=2)
    fb = comparison.family_bits(p, V)
    return BitsComparisonPanel(
        p=float(p), V=V,
        essay_sl=float(information.naive_sl_bits(p)), essay_rl=float(information.naive_rl_bits(p)),
        sl_conditional=float(fb.sl_conditional), rl_conditional=float(fb.rl_conditional),
        sl_calibrated=float(fb.sl_calibrated), rl_calibrated=float(fb.rl_calibrated),
        calibrated_pass_rate=float(p) ** 2 + (1.0 - float(p)) ** 2 / (V - 1),
    )


def draw_bits_comparison(ax: Axes, panel: BitsComparisonPanel, *, title: str | None = None) -> None:
    """Grouped bars: SL and RL under the essay's formulas, conditioned on the answer, and calibrated."""
    groups = [f"essay\npass rate {panel.p:.3g}", f"given the answer\npass rate {panel.p:.3g}",
              f"calibrated\npass rate {panel.calibrated_pass_rate:.2g}"]
    sl = [panel.essay_sl, panel.sl_conditional, panel.sl_calibrated]
    rl = [panel.essay_rl, panel.rl_conditional, panel.rl_calibrated]
    x = np.arange(3)
    ax.bar(x - 0.2, sl, width=0.4, color=COLORS["sl"], label="SL: told the answer")
    ax.bar(x + 0.2, rl, width=0.4, color=COLORS["rl"], hatch="//", edgecolor="white", label="RL: told pass/fail")
    for xi, (a, b) in enumerate(zip(sl, rl)):
        ax.annotate(f"{a:.3g}", (xi - 0.2, a), ha="center", va="bottom", fontsize=8)
        ax.annotate(f"{b:.3g}", (xi + 0.2, b), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, groups)
    ax.set_ylabel("information per sample (bits)")
    ax.set_ylim(0, max(max(sl), max(rl)) * 1.25 + 0.05)
    ax.set_title(title or f"p = {panel.p:.3g} on the correct answer, V = {panel.V:,} answers")
    ax.legend(loc="upper right")


def bits_explorer():
    """Build the Chapter 2 explorer: sliders for the pass rate p and log10 V.

    Returns ``(control, update)``; ``update(p, log10_V)`` redraws and returns the
    :class:`BitsComparisonPanel` it drew.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def update(p: float = 0.8, log10_V: float = 1.0) -> BitsComparisonPanel:
        panel = bits_comparison_panel(p, int(round(10**log10_V)))
        fig, ax = plt.subplots(figsize=(6.8, 4.0))
        draw_bits_comparison(ax, panel)
        _fast_redraw(fig, "bits")
        plt.show()
        return panel

    p = widgets.FloatSlider(value=0.8, min=0.001, max=0.999, step=0.001, readout_format=".3f",
                            description="pass rate p")
    v = widgets.FloatSlider(value=1.0, min=round(float(np.log10(2)), 2), max=6.0, step=0.05, description="log10 V")
    out = widgets.interactive_output(update, {"p": p, "log10_V": v})
    return widgets.VBox([widgets.HBox([p, v]), out]), update


# --- Chapter 3: gradient variance ---


@dataclass(frozen=True)
class UpdatePanel:
    """Batch REINFORCE updates at one setting: cosine of each batch update with the true gradient."""

    p: float
    batch_size: int
    baseline: str
    cosines: NDArray[np.float64]
    share_without_success: float
    snr_batch: float


def update_panel(p: float, batch_size: int, baseline: str = "none", *, V: int = 100,
                 n_batches: int = 1000, seed: int = 0) -> UpdatePanel:
    """Simulate ``n_batches`` REINFORCE batch updates for a policy whose correct answer has probability ``p``.

    ``baseline``: ``"none"`` (b = 0) or ``"pass rate"`` (b = p). Returns the cosine similarity of each
    batch-mean update with the SL direction ``e_c - π`` (an all-failure batch with b = 0 is the zero
    update, cosine 0), the share of batches with no success, and the exact batch SNR.
    Chapter 3, "What a batch looks like".
    """
    from . import distributions, gradients

    if baseline not in ("none", "pass rate"):
        raise ValueError(f"baseline must be 'none' or 'pass rate', got {baseline!r}")
    pi = distributions.correct_plus_uniform(p, V)
    b = 0.0 if baseline == "none" else float(p)
    rng = np.random.default_rng(seed)
    batch = _validate.positive_int(batch_size, "batch_size")
    updates = gradients.reinforce_batch_means(pi, 0, b, batch, n_batches, rng)
    direction = gradients.sl_gradient(pi, 0)
    norms = np.linalg.norm(updates, axis=1) * np.linalg.norm(direction)
    cos = np.divide(updates @ direction, norms, out=np.zeros(n_batches), where=norms > 0)
    moments = gradients.reinforce_moments(pi, 0, b)
    return UpdatePanel(float(p), batch, baseline, cos, float((1 - p) ** batch), float(batch * moments.snr))


def draw_update_panel(ax: Axes, panel: UpdatePanel, *, title: str | None = None) -> None:
    """Histogram of the cosine between batch updates and the SL direction."""
    ax.hist(panel.cosines, bins=np.linspace(-1, 1, 41), color=COLORS["rl"], alpha=0.85,
            label=f"{panel.cosines.size:,} batches of {panel.batch_size}")
    ax.axvline(1.0, color=COLORS["sl"], linestyle=LINESTYLES["sl"], label="SL update (cosine 1)")
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("cosine(batch update, SL direction)")
    ax.set_ylabel("batches (count)")
    ax.set_title(title or f"p = {panel.p:g}, batch {panel.batch_size}, baseline: {panel.baseline}\n"
                 f"no success in {100 * panel.share_without_success:.0f}% of batches; batch SNR {panel.snr_batch:.2g}")
    ax.legend(loc="upper left")


def update_explorer():
    """Build the Chapter 3 explorer: pass rate (log10 p), batch size and baseline → histogram of updates.

    Returns ``(control, update)``; ``update(log10_p, batch_size, baseline)`` redraws and returns the
    :class:`UpdatePanel`.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def update(log10_p: float = -2.0, batch_size: int = 64, baseline: str = "none") -> UpdatePanel:
        panel = update_panel(10**log10_p, batch_size, baseline)
        fig, ax = plt.subplots(figsize=(6.4, 3.9))
        draw_update_panel(ax, panel)
        _fast_redraw(fig, "update")
        plt.show()
        return panel

    p = widgets.FloatSlider(value=-2.0, min=-4.0, max=round(float(np.log10(0.9)), 2), step=0.1, description="log10 p")
    n = widgets.IntSlider(value=64, min=1, max=1024, step=1, description="batch size")
    b = widgets.ToggleButtons(options=["none", "pass rate"], description="baseline")
    out = widgets.interactive_output(update, {"log10_p": p, "batch_size": n, "baseline": b})
    return widgets.VBox([widgets.HBox([p, n]), b, out]), update


# --- Chapter 4: sampling ---


@dataclass(frozen=True)
class SamplingPanel:
    """What the sampling explorer shows for one (p, confidence, k, n_eval): draws and pass@k curves.

    ``n_grid``/``at_least_one``: P(at least one success in n draws) on a log grid of n (samples);
    ``n_needed`` (whole draws) and ``n_real`` for the confidence; ``mean_wait`` = 1/p;
    ``rule_of_three`` = -ln(1 - c)/p; ``k_grid``/``true_pass_at_k`` = 1 - (1 - p)^k (the expectation of the
    unbiased estimator) and ``naive_expected`` = E[1 - (1 - c/n)^k] with ``n_eval`` samples per problem;
    ``k``, ``pass_at_k_k``, ``naive_at_k_k`` at the chosen k.
    """

    p: float
    confidence: float
    k: int
    n_eval: int
    n_grid: NDArray[np.float64]
    at_least_one: NDArray[np.float64]
    n_needed: int
    n_real: float
    mean_wait: float
    rule_of_three: float
    k_grid: NDArray[np.int64]
    true_pass_at_k: NDArray[np.float64]
    naive_expected: NDArray[np.float64]
    pass_at_k_k: float
    naive_at_k_k: float


def sampling_panel(p: float, confidence: float = 0.95, k: int = 10, n_eval: int = 100) -> SamplingPanel:
    """Compute the Chapter 4 explorer's state at pass rate ``p``, ``confidence`` and ``k`` (``k <= n_eval``).

    Chapter 4, "How many samples until the first success" and "pass@k".
    """
    from . import sampling

    p = _validate.open_unit(p, "p")
    confidence = _validate.open_unit(confidence, "confidence")
    n_eval = _validate.positive_int(n_eval, "n_eval")
    k = _validate.positive_int(k, "k")
    if k > n_eval:
        raise ValueError(f"k must be <= n_eval = {n_eval}, got {k}")
    n_real = float(sampling.samples_for_confidence_real(p, confidence))
    top = max(10.0, 300.0 * n_real)
    n_grid = np.unique(np.round(np.logspace(0, np.log10(top), 300)))
    k_grid = np.arange(1, n_eval + 1)
    true = np.asarray(sampling.prob_at_least_one(p, k_grid))
    naive = np.asarray(sampling.expected_naive_pass_at_k(p, n_eval, k_grid))
    return SamplingPanel(
        p=p, confidence=confidence, k=k, n_eval=n_eval,
        n_grid=n_grid, at_least_one=np.asarray(sampling.prob_at_least_one(p, n_grid)),
        n_needed=int(sampling.samples_for_confidence(p, confidence)), n_real=n_real,
        mean_wait=float(sampling.expected_wait(p)),
        rule_of_three=float(sampling.rule_of_three_samples(p, confidence)),
        k_grid=k_grid, true_pass_at_k=true, naive_expected=naive,
        pass_at_k_k=float(true[k - 1]), naive_at_k_k=float(naive[k - 1]),
    )


def draw_sampling_panel(axes, panel: SamplingPanel, *, title: str | None = None) -> None:
    """Draw ``panel`` on two axes: P(at least one success) against draws, and pass@k against k."""
    ax1, ax2 = axes
    ax1.plot(panel.n_grid, panel.at_least_one, color=COLORS["rl"], linestyle=LINESTYLES["rl"],
             label="P(at least one success) = 1 - (1 - p)^n")
    ax1.axhline(panel.confidence, color=COLORS["reference"], linestyle=LINESTYLES["reference"], linewidth=1,
                label=f"confidence {panel.confidence:.3g}")
    ax1.axvline(panel.n_needed, color=COLORS["sl"], linestyle=LINESTYLES["sl"], linewidth=1.5,
                label=f"n needed = {panel.n_needed:,}")
    ax1.axvline(panel.mean_wait, color=COLORS["third"], linestyle=LINESTYLES["third"], linewidth=1.5,
                label=f"mean wait 1/p = {panel.mean_wait:,.4g}")
    ax1.axvline(panel.rule_of_three, color=COLORS["fourth"], linestyle=LINESTYLES["fourth"], linewidth=1.5,
                label=f"rule of three -ln(1-c)/p = {panel.rule_of_three:,.4g}")
    ax1.set_xscale("log")
    ax1.set_ylim(0, 1.02)
    ax1.set_xlabel("draws n (samples, log scale)")
    ax1.set_ylabel("P(≥ 1 success in n draws)")
    ax1.set_title(title or f"pass rate p = {panel.p:.3g}")
    ax1.legend(loc="lower right", fontsize=7.5)
    ax2.plot(panel.k_grid, panel.true_pass_at_k, color=COLORS["sl"], linestyle=LINESTYLES["sl"],
             label="pass@k = 1 - (1 - p)^k (= mean of unbiased estimator)")
    ax2.plot(panel.k_grid, panel.naive_expected, color=COLORS["rl"], linestyle=LINESTYLES["rl"],
             label=f"mean of plug-in 1 - (1 - c/n)^k, n = {panel.n_eval}")
    ax2.plot([panel.k], [panel.pass_at_k_k], "o", color=COLORS["sl"])
    ax2.plot([panel.k], [panel.naive_at_k_k], "s", color=COLORS["rl"])
    ax2.set_ylim(0, min(1.02, 1.15 * float(panel.true_pass_at_k.max())))  # zoom in when pass@k is small
    ax2.set_xlabel("k (samples per problem)")
    ax2.set_ylabel("pass@k (probability)")
    ax2.set_title(f"k = {panel.k}: pass@k {panel.pass_at_k_k:.3g}, plug-in {panel.naive_at_k_k:.3g}")
    ax2.legend(loc="lower right", fontsize=7.5)


def sampling_explorer():
    """Build the Chapter 4 explorer: sliders for log10 p, confidence and k → draws and pass@k curves.

    Returns ``(control, update)``; ``update(log10_p, confidence, k)`` redraws and returns the
    :class:`SamplingPanel` it drew.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def update(log10_p: float = -2.0, confidence: float = 0.95, k: int = 10) -> SamplingPanel:
        panel = sampling_panel(10**log10_p, confidence, k)
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.0))
        draw_sampling_panel(axes, panel)
        _fast_redraw(fig, "sampling")
        plt.show()
        return panel

    p = widgets.FloatSlider(value=-2.0, min=-6.0, max=round(float(np.log10(0.5)), 2), step=0.1, description="log10 p")
    c = widgets.FloatSlider(value=0.95, min=0.5, max=0.999, step=0.005, readout_format=".3f",
                            description="confidence")
    k = widgets.IntSlider(value=10, min=1, max=100, description="k")
    out = widgets.interactive_output(update, {"log10_p": p, "confidence": c, "k": k})
    return widgets.VBox([widgets.HBox([p, c, k]), out]), update


# --- Chapter 5: self-play and distillation ---


@dataclass(frozen=True)
class SelfPlayPanel:
    """Self-play against a fixed opponent of skill ``opponent`` (gap to the learner's start, logits).

    ``games``: games played; ``*_skill`` and ``*_bits``: mean over runs of the learner's skill (logits)
    and of the bits per game carried by the outcome, with standard errors ``*_se``.
    """

    opponent: float
    games: NDArray[np.int64]
    self_skill: NDArray[np.float64]
    self_skill_se: NDArray[np.float64]
    self_bits: NDArray[np.float64]
    fixed_skill: NDArray[np.float64]
    fixed_skill_se: NDArray[np.float64]
    fixed_bits: NDArray[np.float64]
    fixed_bits_se: NDArray[np.float64]


_SELFPLAY_SETTINGS = {"n_games": 1600, "n_runs": 40, "learning_rate": 0.1}


_SELFPLAY_CACHE: dict = {}


def _selfplay_curves(opponent: str | float, seed: int):
    """Simulate (once per opponent and seed) the explorer's learning curves; later calls reuse them."""
    from . import selfplay

    key = (opponent, seed)
    if key not in _SELFPLAY_CACHE:
        _SELFPLAY_CACHE[key] = selfplay.simulate_training(opponent, rng=np.random.default_rng(seed),
                                                          **_SELFPLAY_SETTINGS)
    return _SELFPLAY_CACHE[key]


def selfplay_panel(opponent: float, *, seed: int = 0) -> SelfPlayPanel:
    """Learning curves of self-play and of training against a fixed opponent of skill ``opponent``.

    Small simulation (40 runs of 1,600 games, Chapter 5 defaults) so that a redraw stays fast; the
    self-play curves are cached. Skills are relative to the learner's start (0). Chapter 5,
    "Self-play and the outcome signal".
    """
    o = float(opponent)
    if not np.isfinite(o):
        raise ValueError(f"opponent must be a finite skill, got {opponent!r}")
    seed = _validate.positive_int(seed, "seed", minimum=0)
    own = _selfplay_curves("self", seed)
    fixed = _selfplay_curves(round(o, 6), seed)
    s_mean, s_se = own.mean_and_se("skill")
    b_mean, _ = own.mean_and_se("outcome_bits")
    f_mean, f_se = fixed.mean_and_se("skill")
    fb_mean, fb_se = fixed.mean_and_se("outcome_bits")
    return SelfPlayPanel(o, own.games, s_mean, s_se, b_mean, f_mean, f_se, fb_mean, fb_se)


def draw_selfplay_panel(axes, panel: SelfPlayPanel, *, title: str | None = None) -> None:
    """Draw ``panel`` on two axes: the learner's skill (left) and the outcome bits per game (right)."""
    ax_skill, ax_bits = axes
    g = panel.games
    for ax, (own, own_se, fix, fix_se) in [
        (ax_skill, (panel.self_skill, panel.self_skill_se, panel.fixed_skill, panel.fixed_skill_se)),
        (ax_bits, (panel.self_bits, None, panel.fixed_bits, panel.fixed_bits_se)),
    ]:
        ax.plot(g, own, color=COLORS["sl"], linestyle=LINESTYLES["sl"], label="self-play")
        if own_se is not None:
            ax.fill_between(g, own - 2 * own_se, own + 2 * own_se, color=COLORS["sl"], alpha=0.2)
        ax.plot(g, fix, color=COLORS["rl"], linestyle=LINESTYLES["rl"],
                label=f"fixed opponent, skill {panel.opponent:+.1f}")
        ax.fill_between(g, fix - 2 * fix_se, fix + 2 * fix_se, color=COLORS["rl"], alpha=0.2)
        ax.set_xlabel("games played")
    ax_skill.axhline(panel.opponent, color=COLORS["reference"], linestyle=LINESTYLES["reference"],
                     linewidth=1, label="fixed opponent's skill")
    ax_skill.set_ylabel("learner's skill (skill units)")
    ax_skill.legend(loc="upper left")
    ax_bits.axhline(1.0, color=COLORS["reference"], linestyle=LINESTYLES["reference"], linewidth=1,
                    label="1 bit (win probability 1/2)")
    ax_bits.set_ylim(0, 1.1)
    ax_bits.set_ylabel("entropy of the outcome, H_b(w) (bits per game)")
    ax_bits.legend(loc="lower right")
    ax_skill.set_title(title or f"opponent skill {panel.opponent:+.1f}: learner's skill")
    ax_bits.set_title("entropy of each game's outcome")


def selfplay_explorer():
    """Build the Chapter 5 explorer: the fixed opponent's skill → learning curves and bits per game.

    Returns ``(control, update)``; ``update(opponent)`` redraws and returns the :class:`SelfPlayPanel`.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def update(opponent: float = 4.0) -> SelfPlayPanel:
        panel = selfplay_panel(opponent)
        fig, axes = plt.subplots(1, 2, figsize=(10.5, 3.9))
        draw_selfplay_panel(axes, panel)
        _fast_redraw(fig, "selfplay")
        plt.show()
        return panel

    o = widgets.FloatSlider(value=4.0, min=-6.0, max=8.0, step=0.5, description="opponent skill")
    out = widgets.interactive_output(update, {"opponent": o})
    return widgets.VBox([o, out]), update


# --- Chapter 6: training both ways ---

#: The settings the Chapter 6 explorer offers (every combination is precomputed once, then cached).
TRAINING_METHODS: tuple[str, ...] = ("sl", "reinforce", "baseline", "grpo")
TRAINING_V: tuple[int, ...] = (10, 100, 1_000, 10_000, 100_000)
TRAINING_LR: tuple[float, ...] = (0.1, 1.0, 10.0, 100.0)
TRAINING_LABELS: dict[str, str] = {
    "sl": "SL (cross-entropy)",
    "reinforce": "REINFORCE",
    "baseline": "REINFORCE + baseline",
    "grpo": "GRPO",
}
TRAINING_ROLES: dict[str, str] = {"sl": "sl", "reinforce": "rl", "baseline": "third", "grpo": "fourth"}


@dataclass(frozen=True)
class TrainingPanel:
    """Learning curve of one (method, V, learning rate): pass rate against samples, over seeds.

    ``median``, ``low``, ``high``: median, 10th and 90th percentile over seeds of the pass rate at
    each entry of ``samples``; ``samples_to_half``: median samples to reach pass rate 0.5 (``inf``
    if fewer than half the seeds got there); ``sl_median``: the SL curve at the same V and rate.
    """

    method: str
    V: int
    lr: float
    seeds: int
    samples: NDArray[np.float64]
    median: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    sl_median: NDArray[np.float64]
    samples_to_half: float


def training_budget(V: int, lr: float) -> int:
    """Sample budget per run used by the Chapter 6 explorer: ``30 V / min(lr, 1) + 1000`` samples.

    Enough for the slowest setting (REINFORCE, ``~V/η`` samples) and, at large steps, for the wait
    for a first success (``~V`` samples).
    """
    return int(30 * V / min(lr, 1.0)) + 1000


_TRAINING_CACHE: dict[tuple[str, int, float], tuple] = {}


def _training_grid() -> dict[tuple[str, int, float], tuple]:
    """Every explorer setting trained once (24 seeds, batch 8) and kept for the life of the kernel."""
    from . import training

    if _TRAINING_CACHE:
        return _TRAINING_CACHE
    grid = _TRAINING_CACHE
    for i, method in enumerate(TRAINING_METHODS):
        for j, V in enumerate(TRAINING_V):
            for k, lr in enumerate(TRAINING_LR):
                run = training.train(method, V, lr, rng=np.random.default_rng(600 + 100 * i + 10 * j + k),
                                     seeds=24, batch_size=8, max_samples=training_budget(V, lr), grid_points=80)
                pr = run.pass_rate[:, 0, :]
                low, med, high = np.percentile(pr, [10, 50, 90], axis=0)
                half = float(np.median(run.samples_to_reach(0.5)))
                grid[(method, V, lr)] = (run.samples, med, low, high, half, run.seeds)
    return grid


def training_panel(method: str, V: int, lr: float) -> TrainingPanel:
    """The precomputed learning curve for one setting of the Chapter 6 explorer (24 seeds, batch 8).

    The first call trains every combination of :data:`TRAINING_METHODS`, :data:`TRAINING_V` and
    :data:`TRAINING_LR` once (about a second) and caches them; later calls only look up.
    Chapter 6, "Explore".
    """
    if method not in TRAINING_METHODS:
        raise ValueError(f"method must be one of {TRAINING_METHODS}, got {method!r}")
    if V not in TRAINING_V:
        raise ValueError(f"V must be one of the precomputed sizes {TRAINING_V}, got {V!r}")
    lr_key = next((x for x in TRAINING_LR if np.isclose(x, lr)), None) if np.isscalar(lr) else None
    if lr_key is None:
        raise ValueError(f"lr must be one of the precomputed learning rates {TRAINING_LR}, got {lr!r}")
    grid = _training_grid()
    samples, med, low, high, half, seeds = grid[(method, int(V), lr_key)]
    sl_samples, sl_med = grid[("sl", int(V), lr_key)][:2]
    return TrainingPanel(method, int(V), float(lr_key), int(seeds), samples, med, low, high,
                         np.interp(samples, sl_samples, sl_med), half)


def draw_training_panel(ax: Axes, panel: TrainingPanel, *, title: str | None = None) -> None:
    """Pass rate against samples on log-log axes: median and 10–90% band over seeds, SL for reference."""
    role = TRAINING_ROLES[panel.method]
    x = np.maximum(panel.samples, 1.0)
    ax.fill_between(x, panel.low, panel.high, color=COLORS[role], alpha=0.25, linewidth=0,
                    label=f"10–90% of {panel.seeds} seeds")
    ax.plot(x, panel.median, color=COLORS[role], linestyle=LINESTYLES[role],
            label=f"{TRAINING_LABELS[panel.method]} (median)")
    if panel.method != "sl":
        ax.plot(x, panel.sl_median, color=COLORS["sl"], linestyle=LINESTYLES["sl"], linewidth=1.2, alpha=0.7,
                label="SL (median)")
    ax.axhline(0.5, color=COLORS["reference"], linestyle=LINESTYLES["reference"], linewidth=1.0,
               label="pass rate 0.5")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(1.0, float(x[-1]))
    ax.set_ylim(min(0.5 / panel.V, 0.05), 1.3)
    from matplotlib.ticker import NullLocator

    ax.xaxis.set_minor_locator(NullLocator())  # minor log ticks double the redraw time; the grid suffices
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("samples per prompt (log scale)")
    ax.set_ylabel("pass rate p (log scale)")
    half = "never (within budget)" if not np.isfinite(panel.samples_to_half) else f"{panel.samples_to_half:,.0f}"
    ax.set_title(title or f"{TRAINING_LABELS[panel.method]}, V = {panel.V:,}, η = {panel.lr:g}\n"
                 f"median samples to p = 0.5: {half}")
    ax.legend(loc="center", fontsize=8)  # between the SL rise (left) and the RL rise (right)


def training_explorer():
    """Build the Chapter 6 explorer: method, vocabulary size V and learning rate → learning curve.

    Returns ``(control, update)``; ``update(method, V, lr)`` redraws from the cache and returns the
    :class:`TrainingPanel`.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    _training_grid()  # train every combination once, before the first redraw

    def update(method: str = "reinforce", V: int = 1_000, lr: float = 1.0) -> TrainingPanel:
        panel = training_panel(method, V, lr)
        fig, ax = plt.subplots(figsize=(6.4, 4.2))
        draw_training_panel(ax, panel)
        _fast_redraw(fig, "training")
        plt.show()
        return panel

    m = widgets.ToggleButtons(options=[(TRAINING_LABELS[k], k) for k in TRAINING_METHODS], value="reinforce",
                              description="method")
    v = widgets.SelectionSlider(options=[(f"{x:,}", x) for x in TRAINING_V], value=1_000, description="V")
    lr = widgets.SelectionSlider(options=[(f"{x:g}", x) for x in TRAINING_LR], value=1.0, description="η")
    out = widgets.interactive_output(update, {"method": m, "V": v, "lr": lr})
    return widgets.VBox([m, widgets.HBox([v, lr]), out]), update


# Every panel, draw_* function and *_explorer builder defined above, one per chapter section.
__all__ = sorted(name for name, obj in list(globals().items())
                 if not name.startswith("_") and getattr(obj, "__module__", None) == __name__)
