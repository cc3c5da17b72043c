"""The column layout shared by im2col and col2im: geometry, argument checks, the strided view.

Row ``(c, a, b)`` of the column matrix holds, for every output pixel ``(n, i, j)``, the
input pixel that kernel tap ``(a, b)`` of channel ``c`` reads there; its columns are
``N x OH x P`` with a pitch ``P`` per output row (``P > OW`` leaves scratch columns,
see `cnnbook.im2col.im2col`). `column_view` is that matrix as a strided view of a
flat, padded buffer, which `cnnbook.im2col` copies out and `cnnbook.col2im` adds into.

In that buffer neighbouring rows share their zero padding: each row of the input is
preceded by ``max(left, right)`` zeros, which are both its left padding and the right
padding of the row above (a window never reads more than ``left`` columns before its
row nor ``right`` after it). A row of the buffer is ``W + max(left, right)`` long,
not ``W + left + right``: with unit stride that is also the column pitch, so a 3x3
convolution with padding 1 computes ``W + 1`` columns per output row, not ``W + 2``
(a sixth fewer on 4x4 maps).
"""

from __future__ import annotations

import numbers
from functools import lru_cache
from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, positive_pair
from cnnbook.windows import padding4

__all__ = [
    "as_batch",
    "buffer_tail",
    "checked_geometry",
    "column_geometry",
    "column_view",
    "im2col_shape",
    "interior",
]

Pair = tuple[int, int]
Padding4 = tuple[int, int, int, int]  # (top, bottom, left, right)


def column_view(
    flat: np.ndarray,
    shape: tuple[int, int, int, int],
    kernel_size: Pair,
    stride: Pair,
    dilation: Pair,
    oh: int,
    pitch: int,
    padding: Padding4,
) -> np.ndarray:
    """View a flat padded ``(N, C, Hp, R)`` buffer as the columns ``(C, kh, kw, N, OH, pitch)``.

    ``R`` is the buffer's row length (`column_geometry`'s second value); the input's rows
    start ``max(left, right)`` columns into each buffer row (`interior`).
    """
    n, c, hp, rp = shape
    kh, kw = kernel_size
    sh, sw = stride
    dh, dw = dilation
    it = flat.itemsize
    # Padded column 0 (the input's column -left) sits max(left, right) - left into a row.
    offset = max(padding[2], padding[3]) - padding[2]
    # The ndarray constructor checks that the view stays inside `flat` (the tail must hold
    # the last scratch column) and costs ~1 us, against ~10 us for as_strided's wrapper.
    return np.ndarray(
        (c, kh, kw, n, oh, pitch),
        flat.dtype,
        flat,
        offset * it,
        strides=(hp * rp * it, dh * rp * it, dw * it, c * hp * rp * it, sh * rp * it, sw * it),
    )


def interior(padded: np.ndarray, padding: Padding4, h: int, w: int) -> np.ndarray:
    """Return the input's pixels in a padded ``(N, C, Hp, R)`` buffer (a view)."""
    top, _, left, right = padding
    gap = max(left, right)
    return padded[:, :, top : top + h, gap : gap + w]


def buffer_tail(kernel_size: Pair, dilation: Pair, padding: Padding4) -> int:
    """Zeros after the last buffer row: what the last rows' windows read past the end.

    The right padding of the last row, the view's offset, and the scratch columns of the
    last output row (at most ``(kw - 1) * dw`` past the buffer) all fit.
    """
    return (kernel_size[1] - 1) * dilation[1] + 2 * max(padding[2], padding[3])


def column_geometry(
    shape: tuple[int, ...], kernel_size: Pair, stride: Pair, padding: Padding4, dilation: Pair
) -> tuple[int, int, int, int, int]:
    """Return ``(Hp, R, OH, OW, pitch)``: padded height, buffer row length, output size, pitch.

    ``R = W + max(left, right)`` (rows share their zero padding, see the module).
    """
    try:
        # Every layer asks again on every call with the same few shapes: remember them.
        return _column_geometry(tuple(shape), kernel_size, stride, padding, dilation)
    except TypeError:  # unhashable arguments (lists): compute, do not remember
        return _column_geometry.__wrapped__(shape, kernel_size, stride, padding, dilation)


@lru_cache(maxsize=256)
def _column_geometry(
    shape: tuple[int, ...], kernel_size: Pair, stride: Pair, padding: Padding4, dilation: Pair
) -> tuple[int, int, int, int, int]:
    """`column_geometry`, cached (a ValueError is raised again on every call, never cached)."""
    top, bottom, left, right = padding
    hp, wp = shape[-2] + top + bottom, shape[-1] + left + right
    oh = (hp - dilation[0] * (kernel_size[0] - 1) - 1) // stride[0] + 1
    ow = (wp - dilation[1] * (kernel_size[1] - 1) - 1) // stride[1] + 1
    if oh < 1 or ow < 1:
        raise ValueError(
            f"window (kernel_size={kernel_size}, dilation={dilation}) does not fit "
            f"in the padded input of size {(hp, wp)}; expected an output of at least 1x1"
        )
    rp = shape[-1] + max(left, right)
    # With unit column stride every row of the buffer is copied whole, so the copy is one
    # long run per (channel, offset, image); the extra rp - ow columns are scratch. Only
    # while they are at most half the row: a kernel nearly as wide as the input (999 wide
    # on 1000) would otherwise copy ~500x more columns than it has outputs. (A 1x1 kernel
    # with padding has more outputs than the row: compact columns then.)
    pitch = rp if stride[1] == 1 and ow <= rp <= 2 * ow else ow
    return hp, rp, oh, ow, pitch


def checked_geometry(
    name: str,
    shape: Any,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
) -> tuple[tuple[int, int, int, int], Pair, Pair, Padding4, Pair]:
    """Validate the arguments every helper here takes; return them normalised."""
    # Fast path: the engine calls these helpers with tuples of Python ints it has
    # already checked; exact type tests cost ~1 us, the general checks ~40 us a call.
    if (
        type(shape) is tuple
        and len(shape) == 4
        and all(type(v) is int and v >= 1 for v in shape)
        and all(
            type(t) is tuple and len(t) == 2 and all(type(v) is int and v >= 1 for v in t)
            for t in (kernel_size, stride, dilation)
        )
        and type(padding) is tuple
        and len(padding) == 4
        and all(type(v) is int and v >= 0 for v in padding)
    ):
        return shape, kernel_size, stride, padding, dilation
    if not (
        isinstance(shape, tuple | list)
        and len(shape) == 4
        and all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in shape)
        and min(shape) >= 1
    ):
        raise ValueError(f"{name} (={shape!r}) must be 4 positive ints (N, C, H, W)")
    return (
        tuple(int(v) for v in shape),  # type: ignore[return-value]
        positive_pair("kernel_size", kernel_size),
        positive_pair("stride", stride),
        padding4("padding", padding),
        positive_pair("dilation", dilation),
    )


def as_batch(x: Any) -> np.ndarray:
    """`x` as a real numeric ``(N, C, H, W)`` array, or a named error."""
    x = as_numeric_array("x", x)
    if x.ndim != 4:
        raise ValueError(f"x has ndim {x.ndim} (shape {x.shape}); expected 4 (N, C, H, W)")
    return x


def im2col_shape(
    input_shape: tuple[int, ...],
    kernel_size: Pair,
    stride: Pair = (1, 1),
    padding: Padding4 = (0, 0, 0, 0),
    dilation: Pair = (1, 1),
) -> tuple[int, int, int, int]:
    """Shape ``(C * kh * kw, N, OH, P)`` of :func:`im2col`'s result for an ``(N, C, H, W)`` input.

    Examples
    --------
    >>> im2col_shape((1, 1, 3, 3), (2, 2))
    (4, 1, 2, 3)
    """
    input_shape, kernel_size, stride, padding, dilation = checked_geometry(
        "input_shape", input_shape, kernel_size, stride, padding, dilation
    )
    n, c = input_shape[:2]
    _, _, oh, _, pitch = column_geometry(input_shape, kernel_size, stride, padding, dilation)
    return (c * kernel_size[0] * kernel_size[1], n, oh, pitch)
