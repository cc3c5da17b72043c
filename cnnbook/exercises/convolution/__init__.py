"""Exercises for the pages on the convolution itself.

Border and padding modes, the transposed convolution, feature maps, edge detection and
convolution in one dimension.

One module per page (its ``PAGE`` name, ``exercises()`` and ``GENERATORS``); this package
merges them into the section's ``PAGES`` and ``GENERATORS`` for the catalog, in book order.
"""

from __future__ import annotations

from collections.abc import Callable

from cnnbook.exercises.convolution import (
    beyond_images,
    edge_detection,
    feature_map,
    full_same_valid,
    padding_modes,
    transposed_convolution,
)
from cnnbook.exercises.exercise import Exercise, Generator

__all__ = ["GENERATORS", "PAGES"]

_MODULES = (
    full_same_valid,
    padding_modes,
    transposed_convolution,
    feature_map,
    edge_detection,
    beyond_images,
)

PAGES: dict[str, Callable[[], list[Exercise]]] = {m.PAGE: m.exercises for m in _MODULES}
# Unpacked, not built by calls: a package __init__ only imports and defines.
GENERATORS: dict[str, Generator] = {
    **full_same_valid.GENERATORS,
    **padding_modes.GENERATORS,
    **transposed_convolution.GENERATORS,
    **feature_map.GENERATORS,
    **edge_detection.GENERATORS,
    **beyond_images.GENERATORS,
}
