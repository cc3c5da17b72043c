"""Argument checks shared by every public function.

Errors are API: each message names the argument, the value it got and the
rule it broke, e.g. ``"stride (=(0, 1)) must be positive"``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "MAX_BYTES",
    "as_numeric_array",
    "boolean",
    "check_bytes",
    "finite_real",
    "grad_like",
    "nonnegative_pair",
    "pair",
    "positive_int",
    "positive_pair",
]

# The largest single allocation a function may ask for on a user's behalf (4 GiB): above it
# the request is refused up front, naming the argument and the size, instead of a MemoryError.
MAX_BYTES = 4 * 2**30


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
    try:
        arr = np.asarray(x)
    except ValueError as err:  # NumPy's "inhomogeneous shape" for ragged nested lists
        raise ValueError(
            f"{name} is a ragged nested sequence (rows of different lengths); "
            "expected a rectangular array"
        ) from err
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} has dtype {arr.dtype}; expected a real numeric array")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} has ndim {arr.ndim} (shape {arr.shape}); expected ndim {ndim}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); expected at least one element")
    return arr


def boolean(name: str, value: Any) -> bool:
    """Return `value` if it is a real boolean (``bool`` or ``np.bool_``), else a `TypeError`.

    Strings such as ``'False'`` are truthy in Python; a flag must never be read from one.

    Examples
    --------
    >>> boolean("bias", np.True_)
    True
    >>> boolean("bias", "False")
    Traceback (most recent call last):
    ...
    TypeError: bias (='False') must be a bool (True or False)
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise TypeError(f"{name} (={value!r}) must be a bool (True or False)")


def finite_real(
    name: str, value: Any, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    """Return `value` as a finite float within ``[minimum, maximum]`` (bools rejected).

    Examples
    --------
    >>> finite_real("lr", 0.1, minimum=0.0)
    0.1
    >>> finite_real("momentum", float("inf"))
    Traceback (most recent call last):
    ...
    ValueError: momentum (=inf) must be finite
    """
    if not isinstance(value, numbers.Real) or isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} (={value!r}) must be a real number")
    v = float(value)
    if not np.isfinite(v):
        raise ValueError(f"{name} (={value!r}) must be finite")
    if minimum is not None and v < minimum:
        raise ValueError(f"{name} (={value!r}) must be >= {minimum}")
    if maximum is not None and v > maximum:
        raise ValueError(f"{name} (={value!r}) must be <= {maximum}")
    return v


def grad_like(name: str, grad: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Return `grad` as an array of exactly `shape` (no broadcasting), else a `ValueError`.

    Examples
    --------
    >>> grad_like("grad_output", np.ones((2, 3)), (2, 3)).shape
    (2, 3)
    >>> grad_like("grad_output", np.ones(3), (2, 3))
    Traceback (most recent call last):
    ...
    ValueError: grad_output has shape (3,); expected exactly (2, 3), the shape of the output
    """
    arr = as_numeric_array(name, grad)
    if arr.shape != tuple(shape):
        raise ValueError(
            f"{name} has shape {arr.shape}; expected exactly {tuple(shape)}, "
            "the shape of the output"
        )
    return arr


def check_bytes(name: str, shape: Sequence[int], itemsize: int, limit: int = MAX_BYTES) -> None:
    """Refuse, before allocating, an array of `shape` larger than `limit` bytes.

    Examples
    --------
    >>> check_bytes("x", (10, 10), 8)
    >>> check_bytes("columns", (10**6, 10**6), 8)
    Traceback (most recent call last):
    ...
    ValueError: columns would need 7450.6 GiB (shape (1000000, 1000000)); the limit is 4.0 GiB
    """
    # math.prod of Python ints: exact (no overflow) and ~50x cheaper than np.prod, which
    # matters because every convolution call checks a few sizes.
    nbytes = math.prod(int(s) for s in shape) * int(itemsize)
    if nbytes > limit:
        raise ValueError(
            f"{name} would need {nbytes / 2**30:.1f} GiB (shape {tuple(shape)}); "
            f"the limit is {limit / 2**30:.1f} GiB"
        )
