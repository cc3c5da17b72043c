"""What a layer does with its input before computing: check its dtype, name it in errors.

A layer with parameters refuses an input of another dtype than its parameters
(`check_float_input`, as torch does) instead of converting every batch; a layer that calls
a core function re-raises the core's `ValueError` with its own name and the input's shape
(`named_errors`), so the message says which layer of a model refused what.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

if TYPE_CHECKING:
    from cnnbook.nn.module import Module

__all__ = ["check_float_input", "named_errors"]

T = TypeVar("T")


def check_float_input(layer: Module, x: Any, dtype: np.dtype) -> np.ndarray:
    """Return `x` as an ndarray of the layer's parameter `dtype`, or raise a TypeError naming it.

    Examples
    --------
    >>> from cnnbook import nn
    >>> check_float_input(nn.Linear(2, 1), np.zeros((1, 2), np.float64), np.dtype(np.float32))
    Traceback (most recent call last):
    ...
    TypeError: Linear(in_features=2, out_features=1, bias=True) got input of dtype float64; ...
    """
    x = np.asarray(x)
    if x.dtype != dtype:
        raise TypeError(
            f"{layer!r} got input of dtype {x.dtype}; its parameters are {dtype} "
            f"(convert the input with x.astype(np.{dtype}) or the model with .to(np.{x.dtype}))"
        )
    return x


def named_errors(layer: Module, x: Any, call: Callable[[], T]) -> T:
    """Run `call`; re-raise a core ValueError naming `layer` and the input shape.

    Examples
    --------
    >>> from cnnbook import nn
    >>> def fail():
    ...     raise ValueError("kernel larger than input")
    >>> named_errors(nn.ReLU(), np.zeros((1, 2)), fail)
    Traceback (most recent call last):
    ...
    ValueError: ReLU() got input of shape (1, 2): kernel larger than input
    """
    try:
        return call()
    except ValueError as err:
        raise ValueError(f"{layer!r} got input of shape {np.shape(x)}: {err}") from err
