"""The one windowing routine max and average pooling share: geometry, padding, window views.

A pooling layer reads the same windows as a convolution (`cnnbook.sliding_windows`
over the padded input). This module turns the user's arguments into a checked
`Geometry` (output size from `cnnbook.pool_output_size`, exactly torch's rule) and
hands out the window view; `cnnbook.pooling.max_pooling` and
`cnnbook.pooling.avg_pooling` reduce it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from cnnbook._validation import (
    as_numeric_array,
    boolean,
    check_bytes,
    grad_like,
    nonnegative_pair,
    positive_pair,
)
from cnnbook.im2col import pad2d, sliding_windows
from cnnbook.output_size import pool_output_size

__all__ = ["Geometry", "batched", "check_grad", "geometry", "windows"]


class Geometry(NamedTuple):
    """Checked window geometry of one pooling call (all pairs are ``(rows, cols)``)."""

    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    out: tuple[int, int]
    extra: tuple[int, int]  # cells appended bottom/right so ceil-mode windows fit


def batched(name: str, x: Any) -> tuple[np.ndarray, bool]:
    """Return `x` as NCHW and whether it was unbatched (CHW)."""
    arr = as_numeric_array(name, x)
    if arr.ndim not in (3, 4):
        raise ValueError(
            f"{name} has ndim {arr.ndim} (shape {arr.shape}); "
            "expected 4 (N, C, H, W) or 3 (C, H, W)"
        )
    return (arr[None], True) if arr.ndim == 3 else (arr, False)


def check_grad(grad_output: Any, expected: tuple[int, ...], unbatched: bool) -> np.ndarray:
    """Return `grad_output` as NCHW after checking it has exactly the output's shape."""
    shape = expected[1:] if unbatched else expected
    g = grad_like("grad_output", grad_output, shape)
    return g[None] if unbatched else g


def geometry(
    shape: tuple[int, ...],
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: Any,
) -> Geometry:
    """Check the arguments against an input of `shape` and return the window geometry.

    The output size is torch's (`cnnbook.pool_output_size`); in ceil mode a dilated
    window may be wider than the padded input and still give one output, as in torch.
    """
    k = positive_pair("kernel_size", kernel_size)
    s = k if stride is None else positive_pair("stride", stride)
    p = nonnegative_pair("padding", padding)
    d = positive_pair("dilation", dilation)
    ceil = boolean("ceil_mode", ceil_mode)
    if p[0] > k[0] // 2 or p[1] > k[1] // 2:
        raise ValueError(
            f"padding (={padding!r}) must be at most half of kernel_size (={kernel_size!r}): "
            "padding <= kernel_size // 2"
        )
    size = shape[-2:]
    out = tuple(_output_size(size[a], k[a], s[a], p[a], d[a], ceil, a) for a in range(2))
    extra = tuple(
        max(0, (out[a] - 1) * s[a] + d[a] * (k[a] - 1) + 1 - (size[a] + 2 * p[a])) for a in range(2)
    )
    check_bytes("the output", (*shape[:-2], *out), 8)
    if p != (0, 0) or extra != (0, 0):  # padding copies the input
        padded = (*shape[:-2], *(size[a] + 2 * p[a] + extra[a] for a in range(2)))
        check_bytes("the padded input", padded, 8)
    return Geometry(k, s, p, d, out, extra)  # type: ignore[arg-type]


def _output_size(i: int, k: int, s: int, p: int, d: int, ceil: bool, axis: int) -> int:
    """`cnnbook.pool_output_size`, its error saying why when the window is wider than the input."""
    try:
        return pool_output_size(i, k, s, p, d, ceil)
    except ValueError as err:
        span = d * (k - 1) + 1
        if span <= i + 2 * p:
            raise
        raise ValueError(
            f"kernel_size (={k}) with dilation (={d}) spans {span} cells, larger than the "
            f"padded input ({i} + 2*{p} = {i + 2 * p}) along axis {axis - 2}: {err}"
        ) from err


def windows(x: np.ndarray, g: Geometry, fill: Any) -> np.ndarray:
    """Return every pooling window of `x` padded with `fill`: (..., OH, OW, kh, kw), a view."""
    (ph, pw), (eh, ew) = g.padding, g.extra
    padded = pad2d(x, (ph, ph + eh, pw, pw + ew), fill)
    return sliding_windows(padded, g.kernel, g.stride, g.dilation)
