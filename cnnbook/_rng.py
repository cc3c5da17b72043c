"""Random generators from user seeds: one check, so a bad seed gets a named error.

NumPy's own messages for a bad seed (``"expected non-negative integer"``,
``"SeedSequence expects int or sequence of ints"``) name neither the argument
nor the function; these do.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["generator"]


def generator(name: str, value: Any) -> np.random.Generator:
    """Return a `numpy.random.Generator` from `value`: None, an int seed ``>= 0`` or a Generator.

    Examples
    --------
    >>> int(generator("seed", 0).integers(10)) == int(np.random.default_rng(0).integers(10))
    True
    >>> generator("seed", -1)
    Traceback (most recent call last):
    ...
    ValueError: seed (=-1) must be a non-negative int (>= 0), a numpy.random.Generator or None
    """
    if value is None or isinstance(value, np.random.Generator):
        return np.random.default_rng(value)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_):
        if value < 0:
            raise ValueError(
                f"{name} (={value!r}) must be a non-negative int (>= 0), "
                "a numpy.random.Generator or None"
            )
        return np.random.default_rng(int(value))
    raise TypeError(
        f"{name} (={value!r}) must be a non-negative int seed, a numpy.random.Generator or None"
    )
