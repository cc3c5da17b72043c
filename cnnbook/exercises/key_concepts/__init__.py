"""Exercises of the key-concept pages, from local receptive fields to translation invariance.

Every answer is computed by ``cnnbook`` (``connectivity_savings``, ``receptive_field``,
``conv2d_backward``, ``conv2d_circular``, ``max_pool2d``, ``total_stride``...); the
generators' JavaScript ports are in ``docs/assets/exercises/key_concepts.js``.

One module per page (its ``PAGE`` name, ``exercises()`` and ``GENERATORS``); this package
merges them into the section's ``PAGES`` and ``GENERATORS`` for the catalog, in book order.

Examples
--------
>>> sorted(PAGES)[:2]
['effective-receptive-field', 'local-receptive-fields']
>>> GENERATORS["receptive-field-stack"](0).answer > 1
True
"""

from __future__ import annotations

from collections.abc import Callable

from cnnbook.exercises.exercise import Exercise, Generator
from cnnbook.exercises.key_concepts import (
    effective_receptive_field,
    local_receptive_fields,
    parameter_count,
    receptive_field,
    translation_invariance,
    weight_sharing,
)

__all__ = ["GENERATORS", "PAGES"]

_MODULES = (
    local_receptive_fields,
    receptive_field,
    effective_receptive_field,
    weight_sharing,
    parameter_count,
    translation_invariance,
)

PAGES: dict[str, Callable[[], list[Exercise]]] = {m.PAGE: m.exercises for m in _MODULES}
# Unpacked, not built by calls: a package __init__ only imports and defines.
GENERATORS: dict[str, Generator] = {
    **local_receptive_fields.GENERATORS,
    **receptive_field.GENERATORS,
    **effective_receptive_field.GENERATORS,
    **weight_sharing.GENERATORS,
    **parameter_count.GENERATORS,
    **translation_invariance.GENERATORS,
}
