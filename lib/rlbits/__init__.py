"""rlbits: the computations behind the book *Bits per Sample*.

Modules, from the ground floor up:

- ``rlbits._validate``: input checks shared by every public function.
- :mod:`rlbits.information`: surprisal, entropies, and bits per sample for SL and RL.
- :mod:`rlbits.distributions`: running-example distributions (uniform, Zipf, correct-plus-uniform).
- :mod:`rlbits.comparison`: the essay's SL-versus-RL comparison and its corrected versions (Chapter 2).
- :mod:`rlbits.simulate`: Monte Carlo of what a learner observes per sample (Chapter 2).
- :mod:`rlbits.gradients`: SL, REINFORCE, baseline and GRPO estimators, exact moments (Chapter 3).
- :mod:`rlbits.sampling`: samples for a confidence, the rule of three, pass@k (Chapter 4).
- :mod:`rlbits.batches`: what a batch of pass/fail samples tells a learner about the answer (Chapter 4).
- :mod:`rlbits.goldilocks`: learning signal and learning speed against the pass rate (Chapter 4).
- :mod:`rlbits.sharpening`: pass@k before and after sharpening a model's answers (Chapter 4).
- :mod:`rlbits.curriculum`: a curriculum in miniature and the bits of a graded reward (Chapter 4).
- :mod:`rlbits.selfplay`: learners that improve from win/loss outcomes against different opponents (Chapter 5).
- :mod:`rlbits.distill`: a toy expert iteration: amplifier, soft and hard targets, REINFORCE (Chapter 5).
- :mod:`rlbits.training`: a tabular softmax model trained by SL, REINFORCE (three baselines) and GRPO (Chapter 6).
- :mod:`rlbits.features`: a linear softmax policy shared across prompts, trained the same ways (Chapter 6).
- :mod:`rlbits.shared_scaling`: that policy at 128 answers, tuned, measured and stored (Chapter 6).
- :mod:`rlbits.transformer`: a small transformer trained by SL and by RL on a verifiable task (Chapter 7;
  needs the optional ``rlbits[transformer]`` extra; ``import rlbits`` does not import it).
- :mod:`rlbits.summary`: means over independent runs and their standard errors.
- :mod:`rlbits.notebook`: notebook helpers (glued numbers) that work with and without the book build.
- :mod:`rlbits.plotting`: the book's figure style (colour-blind-safe palette, units on axes).
- :mod:`rlbits.widgets`: interactive controls with pure, testable update functions.
- :mod:`rlbits.exercises`: ``check_<what>`` answer checkers for readers and students.
"""

from .information import (
    BITS_PER_NAT,
    binary_entropy,
    bits_to_nats,
    cross_entropy,
    entropy,
    expected_rl_bits,
    expected_sl_bits,
    kl_divergence,
    naive_rl_bits,
    naive_sl_bits,
    nats_to_bits,
    rl_bits_given_answer,
    sl_bits_given_answer,
    surprisal,
)

__version__ = "0.1.0"

__all__ = [
    "BITS_PER_NAT",
    "binary_entropy",
    "bits_to_nats",
    "cross_entropy",
    "entropy",
    "expected_rl_bits",
    "expected_sl_bits",
    "kl_divergence",
    "naive_rl_bits",
    "naive_sl_bits",
    "nats_to_bits",
    "rl_bits_given_answer",
    "sl_bits_given_answer",
    "surprisal",
]
