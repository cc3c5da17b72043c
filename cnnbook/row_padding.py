"""Row padding: matrices whose rows are an odd number of cache lines apart, for BLAS.

A GEMM reads its operands row by row. When consecutive rows start a multiple of 4 KB
apart they fall into the same few sets of the L1 cache, and OpenBLAS's packing
loops evict each other's lines: on this project's machines (AMD EPYC, OpenBLAS 0.3.31)
a ``32 x 28 @ 28 x 18432`` float32 product takes 1.6-1.8x as long with rows 18432
floats apart as with rows 18448 apart (one thread, CPU time,
``scripts/row_padding_gemm.py``), and ``conv2d`` of 32 images (32, 16, 32, 32) -> 16
took 3.1 instead of 4.8 ms once its columns were padded. Column matrices hit this for
common shapes: a batch of 32 images 32x32 with padding 1 has ``32 * 32 * 33`` columns per
row, a multiple of 1024 floats.

`padded_row_length` rounds a row up to an *odd* number of 64-byte cache lines (rows
then visit every cache set in turn), and `rows_view` lays an array's rows that far apart
in a 2-D buffer: the padding is never read or written, it only spaces the rows.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numpy.typing import DTypeLike

__all__ = ["buffer_shape", "empty_rows", "padded_row_length", "rows_view"]

_LINE_BYTES = 64


def padded_row_length(length: int, itemsize: int) -> int:
    """Return the smallest row stride (in items) >= `length` that is an odd number of lines.

    Examples
    --------
    >>> padded_row_length(18432, 4), padded_row_length(20, 4), padded_row_length(33, 4)
    (18448, 48, 48)
    """
    per_line = max(1, _LINE_BYTES // itemsize)
    lines = -(-length // per_line)
    return (lines + (lines % 2 == 0)) * per_line


def rows_view(buffer: np.ndarray, shape: tuple[int, ...], row_axes: int) -> np.ndarray:
    """View the C-contiguous 2-D `buffer` as `shape`, its last `row_axes` axes forming a row.

    Row ``r`` (in C order over the leading axes) is ``buffer[r, :row]``; the view never
    copies (a reshape could, silently, and writes into it would then be lost).
    """
    if buffer.ndim != 2 or not buffer.flags.c_contiguous:
        raise ValueError(f"buffer must be a C-contiguous 2-D array; got shape {buffer.shape}")
    rows, row, strides = _layout(tuple(shape), row_axes, buffer.shape[1], buffer.itemsize)
    if buffer.shape[0] < rows or buffer.shape[1] < row:
        raise ValueError(f"buffer of shape {buffer.shape} cannot hold {rows} rows of {row}")
    return np.ndarray(shape, buffer.dtype, buffer, 0, strides)


def empty_rows(
    shape: tuple[int, ...], row_axes: int, dtype: DTypeLike, zero: bool = False
) -> np.ndarray:
    """Return a new array of `shape`, its rows (last `row_axes` axes) padded apart.

    Uninitialised, or zero-filled with `zero` (as `cnnbook.scratch.scratch_rows` keeps it).

    Examples
    --------
    >>> a = empty_rows((3, 2, 16, 32), 3, np.float32)  # 3 rows of 1024 floats
    >>> a.shape, a.strides[0] // a.itemsize, a[0].flags.c_contiguous
    ((3, 2, 16, 32), 1040, True)
    """
    dtype = np.dtype(dtype)
    allocate = np.zeros if zero else np.empty
    buffer = allocate(buffer_shape(shape, row_axes, dtype.itemsize), dtype)
    return rows_view(buffer, shape, row_axes)


def buffer_shape(shape: tuple[int, ...], row_axes: int, itemsize: int) -> tuple[int, int]:
    """Return the 2-D buffer's shape for `rows_view`: ``(rows, padded row length)``."""
    rows, row, _ = _layout(tuple(shape), row_axes, 0, itemsize)
    return rows, padded_row_length(row, itemsize)


@lru_cache(maxsize=256)
def _layout(
    shape: tuple[int, ...], row_axes: int, stride: int, itemsize: int
) -> tuple[int, int, tuple[int, ...]]:
    """Rows, row length and the view's byte strides for rows `stride` items apart."""
    lead = len(shape) - row_axes
    rows, row = math.prod(shape[:lead]), math.prod(shape[lead:])
    inner = [itemsize * math.prod(shape[i + 1 :]) for i in range(lead, len(shape))]
    outer = [stride * itemsize * math.prod(shape[i + 1 : lead]) for i in range(lead)]
    return rows, row, tuple(outer + inner)
