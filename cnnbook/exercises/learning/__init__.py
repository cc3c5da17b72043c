"""Exercises of the pages on how a network learns.

The pages: learning a kernel, softmax and cross-entropy, optimizers and dropout. Every
answer is computed by ``cnnbook`` (``conv2d_backward`` with ``nn.MSELoss``,
``nn.CrossEntropyLoss``, ``optim.SGD`` / ``optim.Adam`` through ``optimizer_path``,
``nn.Dropout``); the generators' JavaScript ports are in
``docs/assets/exercises/learning.js``.

One module per page (its ``PAGE`` name, ``exercises()`` and ``GENERATORS``); this package
merges them into the section's ``PAGES`` and ``GENERATORS`` for the catalog, in book order.

Examples
--------
>>> sorted(PAGES)
['dropout', 'learning-a-kernel', 'optimizers', 'softmax-and-cross-entropy']
>>> GENERATORS["dropout-scale"](0).tolerance
0.0005
"""

from __future__ import annotations

from collections.abc import Callable

from cnnbook.exercises.exercise import THREE_DECIMALS, Exercise, Generator
from cnnbook.exercises.learning import (
    dropout,
    learning_a_kernel,
    optimizers,
    softmax_and_cross_entropy,
)

__all__ = ["GENERATORS", "PAGES", "THREE_DECIMALS"]

_MODULES = (
    learning_a_kernel,
    softmax_and_cross_entropy,
    optimizers,
    dropout,
)

PAGES: dict[str, Callable[[], list[Exercise]]] = {m.PAGE: m.exercises for m in _MODULES}
# Unpacked, not built by calls: a package __init__ only imports and defines.
GENERATORS: dict[str, Generator] = {
    **learning_a_kernel.GENERATORS,
    **softmax_and_cross_entropy.GENERATORS,
    **optimizers.GENERATORS,
    **dropout.GENERATORS,
}
