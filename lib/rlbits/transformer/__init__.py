"""Chapter 7: a small decoder-only transformer trained by SL and by RL on a verifiable task.

Needs JAX and optax (``pip install "rlbits[transformer]"``); ``import rlbits`` alone never imports
this subpackage, so the other chapters run without them.

- :mod:`.task`: the digit task and its verifier (NumPy only).
- :mod:`.measure`: bits learned per sample, samples to a pass rate, pass@k, the FLOP model (NumPy only).
- :mod:`.model`: the transformer (JAX).
- :mod:`.methods`: the six training methods as losses (JAX).
- :mod:`.train`: many replicas trained at once (JAX, optax).
- :mod:`.sweep`: the sweep that writes the chapter's results JSON (``python -m rlbits.transformer.sweep``).
- :mod:`.results`: reading that JSON (NumPy only).
"""
