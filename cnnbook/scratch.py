"""Scratch buffers kept between calls, so a convolution does not reallocate on every call.

Allocating a fresh multi-megabyte array costs page faults on first touch; a training
loop calls the same layers with the same shapes thousands of times. `scratch_buffer`
keeps one zero-initialised buffer per request (name, shape, dtype, layout) and thread,
least recently used first out; `scratch_rows` keeps a GEMM operand's buffer with its
rows padded apart (`cnnbook.row_padding`). Callers use a buffer only inside one call and
never return it (or a view of it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np
from numpy.typing import DTypeLike

from cnnbook.row_padding import empty_rows

__all__ = ["scratch_buffer", "scratch_rows"]

_scratch = threading.local()  # per thread, so concurrent calls never share a buffer
# Enough for every conv layer of a typical network (a few buffers each).
_SCRATCH_SLOTS = 32


def scratch_buffer(
    name: str, shape: tuple[int, ...], dtype: DTypeLike, layout: Hashable = None
) -> np.ndarray:
    """Return a zero-initialised buffer kept between calls (per `name`, request and thread).

    Reusing it spares a fresh allocation (page faults) per call. Buffers are kept per
    ``(name, shape, dtype, layout)`` (`layout`: anything the caller's use of its zeros
    depends on), so a network whose layers alternate between shapes reuses one buffer per
    layer instead of reallocating on every call; the least recently used of more than
    `_SCRATCH_SLOTS` buffers is dropped. Never return it (or a view of it).
    """
    return _kept((name, shape, np.dtype(dtype), layout), lambda: np.zeros(shape, dtype=dtype))


def scratch_rows(
    name: str, shape: tuple[int, ...], row_axes: int, dtype: DTypeLike, layout: Hashable = None
) -> np.ndarray:
    """`scratch_buffer` of `shape` for a GEMM operand: its rows padded apart.

    The last `row_axes` axes form one matrix row; consecutive rows are
    `cnnbook.row_padding.padded_row_length` apart, so BLAS never reads rows a multiple of
    4 KB apart. The view itself is kept (one lookup per call, as `scratch_buffer`).
    """
    key = (name, shape, np.dtype(dtype), ("rows", row_axes, layout))
    return _kept(key, lambda: empty_rows(shape, row_axes, dtype, zero=True))


def _kept(key: Hashable, make: Callable[[], np.ndarray]) -> np.ndarray:
    """Return the array kept under `key` for this thread, made by `make` if there is none."""
    store: OrderedDict[Hashable, np.ndarray] = _scratch.__dict__.setdefault(
        "buffers", OrderedDict()
    )
    array = store.get(key)
    if array is None:
        array = store[key] = make()
        while len(store) > _SCRATCH_SLOTS:
            store.popitem(last=False)
    else:
        store.move_to_end(key)
    return array
