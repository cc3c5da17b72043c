"""Exercises for the pages on how a network is built.

Layers, channels, the backward pass, the cost of a convolution, normalisation, residual
connections, pooling and dense layers.

One module per page (its ``PAGE`` name, ``exercises()`` and ``GENERATORS``); this package
merges them into the section's ``PAGES`` and ``GENERATORS`` for the catalog, in book order.
"""

from __future__ import annotations

from collections.abc import Callable

from cnnbook.exercises.exercise import Exercise, Generator
from cnnbook.exercises.structure import (
    backpropagation,
    batch_normalization,
    channels,
    convolutional_layers,
    deep_learning,
    fully_connected,
    im2col,
    pooling,
    residual_connections,
)

__all__ = ["GENERATORS", "PAGES"]

_MODULES = (
    deep_learning,
    convolutional_layers,
    channels,
    backpropagation,
    im2col,
    batch_normalization,
    residual_connections,
    pooling,
    fully_connected,
)

PAGES: dict[str, Callable[[], list[Exercise]]] = {m.PAGE: m.exercises for m in _MODULES}
# Unpacked, not built by calls: a package __init__ only imports and defines.
GENERATORS: dict[str, Generator] = {
    **deep_learning.GENERATORS,
    **convolutional_layers.GENERATORS,
    **channels.GENERATORS,
    **backpropagation.GENERATORS,
    **im2col.GENERATORS,
    **batch_normalization.GENERATORS,
    **residual_connections.GENERATORS,
    **pooling.GENERATORS,
    **fully_connected.GENERATORS,
}
