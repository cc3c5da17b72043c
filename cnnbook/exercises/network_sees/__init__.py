"""Exercises of the pages on what a trained network sees.

The pages: the feature hierarchy, the CNN in your browser and where the network looks.
Every answer is computed by ``cnnbook`` (``receptive_field``, the pages' own network
builders ``feature_network`` and ``lenet_like``, ``avg_pool2d``, ``saliency_map``,
``occlusion_map``); no network is trained here. The generators' JavaScript ports are in
``docs/assets/exercises/network_sees.js``.

One module per page (its ``PAGE`` name, ``exercises()`` and ``GENERATORS``); this package
merges them into the section's ``PAGES`` and ``GENERATORS`` for the catalog, in book order.

Examples
--------
>>> sorted(PAGES)
['cnn-in-your-browser', 'feature-hierarchy', 'where-the-network-looks']
>>> GENERATORS["block-average"](0).answer.shape
(2, 2)
"""

from __future__ import annotations

from collections.abc import Callable

from cnnbook.exercises.exercise import Exercise, Generator
from cnnbook.exercises.network_sees import (
    cnn_in_your_browser,
    feature_hierarchy,
    where_the_network_looks,
)

__all__ = ["GENERATORS", "PAGES"]

_MODULES = (feature_hierarchy, cnn_in_your_browser, where_the_network_looks)

PAGES: dict[str, Callable[[], list[Exercise]]] = {m.PAGE: m.exercises for m in _MODULES}
# Unpacked, not built by calls: a package __init__ only imports and defines.
GENERATORS: dict[str, Generator] = {
    **feature_hierarchy.GENERATORS,
    **cnn_in_your_browser.GENERATORS,
    **where_the_network_looks.GENERATORS,
}
