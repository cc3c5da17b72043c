"""Random parameters for exercise generators, as JSON-serialisable lists.

Examples
--------
>>> import numpy as np
>>> values = int_list(np.random.default_rng(0), 0, 3, (2, 2))
>>> len(values), all(0 <= v <= 3 for row in values for v in row)
(2, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["int_list"]


def int_list(rng: np.random.Generator, lo: int, hi: int, shape: tuple[int, ...]) -> list[Any]:
    """Return integers drawn uniformly from [lo, hi] (both included) as nested lists."""
    return list(rng.integers(lo, hi + 1, size=shape).tolist())
