"""The explorers' states: pure computations in the concept modules, tested without importing any widget.

Each chapter's explorer shows a "panel": a dataclass computed by a pure function of the concept module
it belongs to (``information.entropy_panel``, ``comparison.bits_comparison_panel``,
``gradients.update_panel``, ``sampling.sampling_panel``, ``selfplay.selfplay_panel``,
``training.training_panel``). ``rlbits.widgets`` draws them; these tests need neither it nor matplotlib.
"""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rlbits.comparison import bits_comparison_panel
from rlbits.gradients import update_panel
from rlbits.information import entropy_panel
from rlbits.sampling import sampling_panel
from rlbits.selfplay import selfplay_panel
from rlbits.training import TRAINING_LR, TRAINING_METHODS, TRAINING_V, training_panel

ROOT = Path(__file__).resolve().parents[1]


def test_the_panels_import_no_widget_and_no_matplotlib():
    code = ("import sys; import rlbits.information, rlbits.comparison, rlbits.gradients, rlbits.sampling, "
            "rlbits.selfplay, rlbits.training; "
            "print(sorted(m for m in sys.modules if m.startswith(('rlbits.widgets', 'matplotlib', 'ipywidgets'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "lib"), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "[]"


def test_entropy_panel_values():
    panel = entropy_panel(8, 0.0, 3)
    assert panel.entropy == pytest.approx(3.0)
    assert panel.max_entropy == pytest.approx(3.0)
    assert panel.chosen_surprisal == pytest.approx(3.0)
    sharp = entropy_panel(8, 3.0, 7)
    assert sharp.entropy < 1.0 < sharp.chosen_surprisal
    assert sharp.entropy == pytest.approx(float(np.sum(sharp.probs * sharp.surprisal)))
    assert sharp.max_entropy == pytest.approx(math.log2(8))


def test_entropy_panel_bad_input():
    with pytest.raises(ValueError, match="chosen"):
        entropy_panel(4, 1.0, 4)
    with pytest.raises(ValueError, match="sharpness"):
        entropy_panel(4, -1.0, 0)


def test_bits_comparison_panel_values():
    panel = bits_comparison_panel(0.8, 2)
    assert panel.essay_rl > panel.essay_sl  # the essay's artefact above p = 1/2
    assert panel.rl_conditional == pytest.approx(panel.sl_conditional)  # two answers: same experiment
    assert panel.rl_calibrated == pytest.approx(panel.sl_calibrated)
    big = bits_comparison_panel(0.8, 100_000)
    assert big.rl_conditional < big.sl_conditional and big.rl_calibrated < big.sl_calibrated
    with pytest.raises(ValueError, match=">= 2"):
        bits_comparison_panel(0.5, 1)


def test_update_panel_values():
    panel = update_panel(0.01, 64, "none", n_batches=400)
    assert panel.cosines.shape == (400,)
    assert panel.share_without_success == pytest.approx(0.99**64)
    assert panel.snr_batch == pytest.approx(64 * 0.01 / 0.99)
    # without a baseline a batch with no success is the zero update (cosine 0); otherwise it points forwards
    assert np.all((panel.cosines == 0) | (panel.cosines > 0))
    assert np.mean(panel.cosines == 0) == pytest.approx(0.99**64, abs=0.08)
    with_b = update_panel(0.01, 64, "pass rate", n_batches=400)
    assert np.all(with_b.cosines != 0)
    again = update_panel(0.01, 64, "none", n_batches=400)
    np.testing.assert_array_equal(panel.cosines, again.cosines)  # seeded


def test_update_panel_bad_input():
    with pytest.raises(ValueError, match="baseline"):
        update_panel(0.1, 8, "optimal")
    with pytest.raises(ValueError, match="batch_size"):
        update_panel(0.1, 0)
    with pytest.raises(ValueError):
        update_panel(1.5, 8)


def test_sampling_panel_values():
    panel = sampling_panel(0.01, 0.95, 10, 100)
    # the smallest n with 1 - 0.99^n >= 0.95, found here by counting
    n = next(n for n in range(1, 10_000) if 1 - 0.99**n >= 0.95)
    assert panel.n_needed == n == 299
    assert panel.mean_wait == pytest.approx(100.0)
    assert panel.rule_of_three == pytest.approx(-math.log(0.05) / 0.01)
    assert panel.pass_at_k_k == pytest.approx(1 - 0.99**10, rel=1e-12)
    # the plug-in estimator's mean, by exact enumeration of the binomial count c of 100 samples
    c = np.arange(101)
    pmf = np.array([math.comb(100, int(x)) * 0.01**x * 0.99 ** (100 - x) for x in c])
    assert panel.naive_at_k_k == pytest.approx(float(pmf @ (1 - (1 - c / 100) ** 10)), rel=1e-9)
    with pytest.raises(ValueError, match="k must be"):
        sampling_panel(0.1, 0.9, 101, 100)


def test_selfplay_panel_is_seeded_and_its_first_games_carry_the_bits_of_the_skill_gap():
    a, b = selfplay_panel(4.0), selfplay_panel(4.0)
    np.testing.assert_array_equal(a.fixed_skill, b.fixed_skill)
    # a binary outcome carries at most 1 bit; self-play stays close to a fair game
    assert np.all(a.self_bits <= 1.0 + 1e-12) and np.all(a.self_bits > 0.9)
    # at the start the learner (skill 0) meets skill 4: win probability 1/(1 + e^4), computed here
    w = 1.0 / (1.0 + math.exp(4.0))
    assert a.fixed_bits[0] == pytest.approx(-w * math.log2(w) - (1 - w) * math.log2(1 - w), abs=0.03)
    assert a.fixed_skill[-1] > a.fixed_skill[0]
    with pytest.raises(ValueError, match="finite"):
        selfplay_panel(float("nan"))


def test_training_panel_looks_up_every_setting_and_rejects_others():
    panel = training_panel("sl", 10, 1.0)
    assert panel.method == "sl" and panel.V == 10 and panel.seeds == 24
    assert np.all(panel.low <= panel.median) and np.all(panel.median <= panel.high)
    np.testing.assert_allclose(panel.sl_median, panel.median)  # SL's reference curve is itself
    for method in TRAINING_METHODS:
        assert training_panel(method, TRAINING_V[0], TRAINING_LR[-1]).samples.size > 0
    for bad in ({"method": "distill", "V": 10, "lr": 1.0}, {"method": "sl", "V": 11, "lr": 1.0},
                {"method": "sl", "V": 10, "lr": 0.5}):
        with pytest.raises(ValueError):
            training_panel(**bad)
