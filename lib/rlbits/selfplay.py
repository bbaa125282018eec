"""Self-play and the outcome signal: a learner in a Bradley–Terry skill model against three kinds of opponent.

Setting (Chapter 5, "Self-play and the outcome signal"). A player's strength is one number, its skill
(logit units). A player of skill ``a`` beats one of skill ``b`` with the Bradley–Terry probability
``σ(a - b) = 1 / (1 + exp(-(a - b)))`` (the Elo model: 400 Elo points = ``ln 10`` skill units).

The learner has skill ``θ`` and explores: in each game it plays at skill ``θ + σ_e ε`` with
``ε ~ N(0, 1)`` and learns from the binary outcome ``r ∈ {0, 1}`` by REINFORCE for a Gaussian policy,
``θ += lr · (r - b) ε / σ_e``, with the leave-one-out mean outcome of the other games in its batch as
baseline ``b``. By Stein's lemma the expected step is ``lr · E_ε[σ'(d + σ_e ε)]`` with ``d = θ - o`` the
skill gap to the opponent, and ``σ' = σ(1 - σ)``: the variance of the outcome, largest at a 1/2 win
probability, vanishing against much stronger or much weaker opponents. Opponents:

- ``"self"``: the current learner itself, at skill ``θ`` without exploration noise (self-play);
- ``"past"``: a randomly selected earlier version of the learner (its skill at a uniformly drawn
  earlier step, the current one included), as in AlphaGo's policy-gradient stage;
- a number ``o``: a fixed opponent of skill ``o`` (strong if well above the learner, weak if below).

A game's outcome carries ``H_b(w)`` bits, where ``w`` is the probability (before the game) that the
learner wins; at most 1 bit, reached at ``w = 1/2``. Everything is vectorised over independent runs
(seeds); the only loop is over training steps, which are sequential by nature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate, information
from .summary import mean_and_se

__all__ = [
    "ELO_PER_SKILL",
    "SelfPlayCurves",
    "expected_step",
    "outcome_bits",
    "simulate_training",
    "win_probability",
]

#: Elo points per unit of skill (one logit); a gap of 400 Elo multiplies the odds of winning by 10.
ELO_PER_SKILL: float = float(400.0 / np.log(10.0))


def _finite(x: ArrayLike, name: str) -> NDArray[np.float64]:
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric, got {type(x).__name__}") from None
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or an infinite value; skills must be finite numbers")
    return arr


def win_probability(skill_a: ArrayLike, skill_b: ArrayLike) -> float | NDArray[np.float64]:
    """Bradley–Terry probability that a player of skill ``skill_a`` beats one of skill ``skill_b``.

    ``σ(a - b) = 1 / (1 + exp(-(a - b)))``, with skills in logit units (one unit of skill difference
    multiplies the odds of winning by ``e``; 400 Elo points multiply them by 10). Broadcasts.
    Equal skills give exactly 1/2, and ``win_probability(a, b) + win_probability(b, a) = 1``.
    Chapter 5, "Self-play and the outcome signal".

    Parameters
    ----------
    skill_a, skill_b : array_like
        Finite skills in logit units (broadcast).

    Returns
    -------
    float or numpy.ndarray
        The probability that ``a`` wins.

    Raises
    ------
    ValueError
        If a skill is not finite or the shapes do not broadcast.
    """
    a = _finite(skill_a, "skill_a")
    b = _finite(skill_b, "skill_b")
    try:
        d = a - b
    except ValueError:
        raise ValueError(f"skill_a with shape {a.shape} and skill_b with shape {b.shape} do not broadcast") from None
    # σ(d) computed without overflow for large |d|.
    e = np.exp(-np.abs(d))
    out = np.where(d >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return _validate.scalar_or_array(out)


def outcome_bits(win_prob: ArrayLike) -> float | NDArray[np.float64]:
    """Bits carried by the binary outcome of one game won with probability ``win_prob``: ``H_b(w)``.

    At most 1 bit (at ``w = 1/2``); 0 bits when the result is certain. Chapter 5, "Self-play and the
    outcome signal".

    Parameters
    ----------
    win_prob : array_like
        Win probabilities in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        ``H_b(w)`` bits per game.

    Raises
    ------
    ValueError
        If ``win_prob`` is outside [0, 1] or not finite.
    """
    w = _validate.probability(win_prob, "win_prob")
    return information.binary_entropy(w)



def expected_step(gap: ArrayLike, noise: float = 0.5, learning_rate: float = 1.0) -> float | NDArray[np.float64]:
    """Exact expected REINFORCE step of the learner's skill per game, at skill gap ``gap = θ - o``.

    ``E[Δθ] = lr · E_ε[σ'(gap + noise · ε)]`` with ``σ' = σ(1 - σ)`` and ``ε ~ N(0, 1)`` (Stein's lemma;
    any baseline independent of the learner's own ``ε`` leaves it unchanged), computed by 64-point
    Gauss–Hermite quadrature. For small ``noise`` it is ``lr · w(1 - w)`` with ``w = σ(gap)``: the
    variance of the outcome. In skill units (logits) per game. Chapter 5, "Self-play and the outcome
    signal".

    Parameters
    ----------
    gap : array_like
        Skill gaps ``θ - o`` (logits; finite).
    noise : float, optional
        Exploration scale (logits; finite and > 0).
    learning_rate : float, optional
        Step size (finite).

    Returns
    -------
    float or numpy.ndarray
        Expected skill change per game, in skill units (logits); the shape of ``gap``.

    Raises
    ------
    ValueError
        If ``gap``, ``noise`` or ``learning_rate`` is not a finite number, or ``noise <= 0``.
    """
    d = _finite(gap, "gap")
    sd = float(_finite(noise, "noise"))
    if sd <= 0:
        raise ValueError(f"noise must be positive, got {noise!r}")
    lr = float(_finite(learning_rate, "learning_rate"))
    x, wts = np.polynomial.hermite_e.hermegauss(64)
    wts = wts / np.sqrt(2 * np.pi)
    p = np.asarray(win_probability(d[..., None], -sd * x))  # σ(d + sd·x)
    return _validate.scalar_or_array(lr * np.sum(wts * p * (1 - p), axis=-1))


@dataclass(frozen=True)
class SelfPlayCurves:
    """Learning curves of ``n_runs`` independent learners: one row per run, one column per step.

    ``win_rate``: the learner's win probability in that step's games against its training opponent
    (averaged over the games; exactly 1/2 in expectation in self-play); ``observed_win_rate``: the
    share of the step's games actually won; ``outcome_bits``: ``H_b`` of each game's win probability,
    averaged over the step's games (bits per game); ``skill``: the learner's skill ``θ`` before the
    step (logits; multiply by :data:`ELO_PER_SKILL` for Elo); ``benchmark_win_rate``: probability of
    beating the fixed starting version of itself, ``σ(θ - θ_0)``, a yardstick that is the same for every
    opponent. ``games``: games played before each step. Returned by :func:`simulate_training`;
    Chapter 5, "Self-play and the outcome signal".

    Parameters
    ----------
    opponent : str or float
        ``"self"`` (self-play), ``"past"`` (a past version of itself) or the fixed opponent's skill
        (logits).
    games : numpy.ndarray
        Games played before each step, shape ``(n_steps,)``.
    win_rate, observed_win_rate : numpy.ndarray
        Expected and observed share of the step's games won, in [0, 1]; shape ``(n_runs, n_steps)``.
    outcome_bits : numpy.ndarray
        Bits per game carried by the outcome, in [0, 1]; shape ``(n_runs, n_steps)``.
    skill : numpy.ndarray
        The learner's skill ``θ`` before each step (logits); shape ``(n_runs, n_steps)``.
    benchmark_win_rate : numpy.ndarray
        ``σ(θ - θ_0)``, probability of beating its starting self; shape ``(n_runs, n_steps)``.

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
    """

    opponent: str | float
    games: NDArray[np.int64]
    win_rate: NDArray[np.float64]
    observed_win_rate: NDArray[np.float64]
    outcome_bits: NDArray[np.float64]
    skill: NDArray[np.float64]
    benchmark_win_rate: NDArray[np.float64]

    def mean_and_se(self, field: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Mean over runs of one curve and its standard error over runs (:func:`rlbits.summary.mean_and_se`).

        Parameters
        ----------
        field : str
            One of ``"win_rate"``, ``"observed_win_rate"``, ``"outcome_bits"``, ``"skill"``,
            ``"benchmark_win_rate"``.

        Returns
        -------
        mean, se : numpy.ndarray
            One value per step.

        Raises
        ------
        ValueError
            If ``field`` names no curve.
        """
        if field not in ("win_rate", "observed_win_rate", "outcome_bits", "skill", "benchmark_win_rate"):
            raise ValueError(f"field must name one of the curves, got {field!r}")
        return mean_and_se(getattr(self, field), axis=0)


def simulate_training(
    opponent: str | float,
    n_games: int,
    n_runs: int,
    *,
    rng: np.random.Generator,
    games_per_step: int = 8,
    learning_rate: float = 1.0,
    noise: float = 0.5,
    start_skill: float = 0.0,
) -> SelfPlayCurves:
    """Train ``n_runs`` independent learners for ``n_games`` games each against ``opponent``.

    ``opponent``: ``"self"`` (self-play: the opponent is the learner's current skill ``θ``), ``"past"``
    (each step, a uniformly drawn earlier version of the learner, the current one included) or a fixed
    opponent skill (a number). Each step, every run plays ``games_per_step`` games at perturbed skills
    ``θ + noise · ε_g``, observes the outcomes ``r_g`` and updates
    ``θ += learning_rate · mean_g (r_g - b_g) ε_g / noise`` with the leave-one-out baseline ``b_g``.
    All runs start at ``start_skill``. Returns a :class:`SelfPlayCurves`; outcome bits are per game.
    Chapter 5, "Self-play and the outcome signal".

    Parameters
    ----------
    opponent : {"self", "past"} or float
        The training opponent.
    n_games : int
        Games per learner (>= ``games_per_step``).
    n_runs : int
        Independent learners (>= 1).
    rng : numpy.random.Generator
        Source of randomness (keyword-only).
    games_per_step : int, optional
        Games per update (>= 2).
    learning_rate, noise, start_skill : float, optional
        Step size (> 0), exploration scale (> 0) and starting skill.

    Returns
    -------
    SelfPlayCurves
        One row per learner, one column per step.

    Raises
    ------
    ValueError
        If ``opponent`` is unknown or not one number, a setting is out of range, or ``rng`` is not a Generator.
    """
    if not isinstance(opponent, str) and np.ndim(opponent) != 0:
        raise ValueError(f"a fixed opponent is one skill (a number), got shape {np.shape(opponent)}")
    return _simulate_training_against([opponent], n_games, n_runs, rng=rng, games_per_step=games_per_step,
                                      learning_rate=learning_rate, noise=noise, start_skill=start_skill)[0]


def _simulate_training_against(
    opponents: Sequence[str | float],
    n_games: int,
    n_runs: int,
    *,
    rng: np.random.Generator,
    games_per_step: int = 8,
    learning_rate: float = 1.0,
    noise: float = 0.5,
    start_skill: float = 0.0,
) -> list[SelfPlayCurves]:
    """:func:`simulate_training` against each of ``opponents`` at once: one ``"self"`` or ``"past"``, or fixed skills.

    The learners facing different fixed opponents share every random draw (each step's exploration
    noise and the uniforms that decide its games: a fixed opponent's value never changes which draws
    are made), and all their arithmetic is elementwise, so element ``k`` is exactly what
    ``simulate_training(opponents[k], ...)`` returns with ``rng`` in the same state. The loop over
    steps runs once for all of them: a whole slider's worth of opponents costs little more than one.
    """
    rng = _validate.rng(rng)
    n_runs = _validate.positive_int(n_runs, "n_runs")
    G = _validate.positive_int(games_per_step, "games_per_step", minimum=2)
    n_games = _validate.positive_int(n_games, "n_games", minimum=G)
    lr = float(_finite(learning_rate, "learning_rate"))
    if lr <= 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    sd = float(_finite(noise, "noise"))
    if sd <= 0:
        raise ValueError(f"noise must be positive, got {noise!r}")
    theta0 = float(_finite(start_skill, "start_skill"))
    kind = next((o for o in opponents if isinstance(o, str)), None)
    if kind is not None:
        if kind not in ("self", "past"):
            raise ValueError(f"opponent must be 'self', 'past' or a fixed skill (a number), got {kind!r}")
        if len(opponents) != 1:
            raise ValueError("'self' and 'past' are simulated one at a time, not with other opponents")
        fixed = None
    else:
        fixed = _finite(opponents, "opponent").reshape(-1)  # one skill per set of learners
    K = 1 if fixed is None else fixed.size
    n_steps = n_games // G
    theta = np.full((K, n_runs), theta0)
    shape = (K, n_runs, n_steps)
    win, observed, bits, skill = (np.empty(shape) for _ in range(4))
    for t in range(n_steps):
        skill[:, :, t] = theta
        if fixed is not None:
            opp = np.broadcast_to(fixed[:, None], (K, n_runs))
        elif kind == "past":
            opp = skill[0, np.arange(n_runs), (rng.random(n_runs) * (t + 1)).astype(np.intp)]
        else:
            opp = theta
        eps = rng.standard_normal((n_runs, G))
        w = np.asarray(win_probability(theta[..., None] + sd * eps, opp[..., None]))
        r = (rng.random((n_runs, G)) < w).astype(np.float64)
        win[:, :, t] = w.mean(axis=-1)
        observed[:, :, t] = r.mean(axis=-1)
        bits[:, :, t] = np.asarray(information.binary_entropy(w)).mean(axis=-1)
        baseline = (r.sum(axis=-1, keepdims=True) - r) / (G - 1)
        theta = theta + lr * np.mean((r - baseline) * eps, axis=-1) / sd
    games = np.arange(n_steps, dtype=np.int64) * G
    bench = np.asarray(win_probability(skill, theta0))
    return [SelfPlayCurves(kind if fixed is None else float(fixed[k]), games, win[k], observed[k], bits[k], skill[k],
                           bench[k]) for k in range(K)]


# --- The Chapter 5 self-play explorer's state (moved from rlbits.widgets.ch5_selfplay: compute only, no widget or matplotlib import) ---

@dataclass(frozen=True)
class SelfPlayPanel:
    """Self-play against a fixed opponent of skill ``opponent`` (gap to the learner's start, logits).

    ``games``: games played; ``*_skill`` and ``*_bits``: mean over runs of the learner's skill (logits)
    and of the bits per game carried by the outcome, with standard errors ``*_se``. Returned by
    :func:`selfplay_panel`; Chapter 5, "Self-play and the outcome signal".

    Parameters
    ----------
    opponent : float
        The fixed opponent's skill minus the learner's starting skill (logits).
    games : numpy.ndarray
        Games played before each step, shape ``(n_steps,)``.
    self_skill, self_skill_se : numpy.ndarray
        Self-play: mean skill over runs (logits) and its standard error, shape ``(n_steps,)``.
    self_bits : numpy.ndarray
        Self-play: mean bits per game carried by the outcome.
    fixed_skill, fixed_skill_se : numpy.ndarray
        Against the fixed opponent: mean skill over runs (logits) and its standard error.
    fixed_bits, fixed_bits_se : numpy.ndarray
        Against the fixed opponent: mean bits per game and its standard error.

    Raises
    ------
    ValueError
        Never: a result record; its fields are stored as computed.
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

#: The Chapter 5 explorer slider's opponent skills (-6 to 8 in steps of 0.5), rounded as the cache keys them.
SELFPLAY_OPPONENTS: tuple[float, ...] = tuple(round(float(x), 6) for x in np.arange(-6.0, 8.0 + 0.25, 0.5))


def _selfplay_curves(opponent: str | float, seed: int):
    """Simulate (once per opponent and seed) the explorer's learning curves; later calls reuse them.

    A fixed opponent missing from the cache is simulated together with every slider value not yet
    cached, in one vectorised run (the same curves as one run each, for the cost of a few): after the
    explorer's first draw no move of its slider simulates anything.
    """
    key = (opponent, seed)
    if key not in _SELFPLAY_CACHE:
        rng = np.random.default_rng(seed)
        if isinstance(opponent, str):
            _SELFPLAY_CACHE[key] = simulate_training(opponent, rng=rng, **_SELFPLAY_SETTINGS)
        else:
            batch = [opponent, *(o for o in SELFPLAY_OPPONENTS if o != opponent and (o, seed) not in _SELFPLAY_CACHE)]
            curves = _simulate_training_against(batch, rng=rng, **_SELFPLAY_SETTINGS)
            _SELFPLAY_CACHE.update({(o, seed): c for o, c in zip(batch, curves)})
    return _SELFPLAY_CACHE[key]


def selfplay_panel(opponent: float, *, seed: int = 0) -> SelfPlayPanel:
    """Learning curves of self-play and of training against a fixed opponent of skill ``opponent``.

    Small simulation (40 runs of 1,600 games, Chapter 5 defaults); every curve is cached, and the
    first fixed opponent simulated brings all the slider's opponents with it (see ``_selfplay_curves``),
    so that a redraw stays fast. Skills are relative to the learner's start (0). Chapter 5,
    "Self-play and the outcome signal".

    Parameters
    ----------
    opponent : float
        Skill of the fixed opponent (logits, relative to the learner's start).
    seed : int
        Seed of the simulation (>= 0).

    Returns
    -------
    SelfPlayPanel
        Mean skill and outcome bits per game over runs, with standard errors.

    Raises
    ------
    ValueError
        If ``opponent`` is not finite or ``seed`` is negative.
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


__all__ += ["SELFPLAY_OPPONENTS", "SelfPlayPanel", "selfplay_panel"]
