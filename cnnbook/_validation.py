"""Argument checks shared by every public function.

Errors are API: each message names the argument, the value it got and the
rule it broke, e.g. ``"stride (=(0, 1)) must be positive"``.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["as_numeric_array", "nonnegative_pair", "pair", "positive_int", "positive_pair"]


def pair(name: str, value: Any) -> tuple[int, int]:
    """Return `value` as ``(int, int)``: an int is repeated, a length-2 sequence is kept.

    Examples
    --------
    >>> pair("stride", 2), pair("stride", (1, 3))
    ((2, 2), (1, 3))
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return (int(value), int(value))
    if (
        isinstance(value, Sequence | np.ndarray)
        and not isinstance(value, str)
        and len(value) == 2
        and all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value)
    ):
        return (int(value[0]), int(value[1]))
    raise TypeError(f"{name} (={value!r}) must be an int or a pair of ints")


def positive_int(name: str, value: Any) -> int:
    """Return `value` as an int ``>= 1`` (a `TypeError` for non-ints, bools included).

    Examples
    --------
    >>> positive_int("out_channels", np.int64(8))
    8
    """
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} (={value!r}) must be an int")
    if value < 1:
        raise ValueError(f"{name} (={value!r}) must be positive (>= 1)")
    return int(value)


def positive_pair(name: str, value: Any) -> tuple[int, int]:
    """Like :func:`pair`, and each entry must be ``>= 1``.

    Examples
    --------
    >>> positive_pair("dilation", 1)
    (1, 1)
    """
    p = pair(name, value)
    if min(p) < 1:
        raise ValueError(f"{name} (={value!r}) must be positive (>= 1)")
    return p


def nonnegative_pair(name: str, value: Any) -> tuple[int, int]:
    """Like :func:`pair`, and each entry must be ``>= 0``.

    Examples
    --------
    >>> nonnegative_pair("padding", (0, 2))
    (0, 2)
    """
    p = pair(name, value)
    if min(p) < 0:
        raise ValueError(f"{name} (={value!r}) must be non-negative (>= 0)")
    return p


def as_numeric_array(name: str, x: Any, ndim: int | None = None) -> np.ndarray:
    """Return `x` as a non-empty real numeric ndarray, optionally of a given ndim.

    Booleans, integers and floats are accepted (integers are not converted here);
    strings, objects and complex numbers are rejected with a `TypeError`.

    Examples
    --------
    >>> as_numeric_array("image", [[1, 2], [3, 4]], ndim=2).dtype.kind
    'i'
    """
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} has dtype {arr.dtype}; expected a real numeric array")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} has ndim {arr.ndim} (shape {arr.shape}); expected ndim {ndim}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); expected at least one element")
    return arr
