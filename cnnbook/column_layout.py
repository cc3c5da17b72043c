"""The column layout shared by im2col and col2im: geometry, argument checks, the strided view.

Row ``(c, a, b)`` of the column matrix holds, for every output pixel ``(n, i, j)``, the
input pixel that kernel tap ``(a, b)`` of channel ``c`` reads there; its columns are
``N x OH x P`` with a pitch ``P`` per output row (``P > OW`` leaves scratch columns,
see `cnnbook.im2col.im2col`). `kernel_row_views` shows that matrix as strided views
of a flat, padded buffer, which `cnnbook.im2col` copies out.

In that buffer neighbouring rows share their zero padding: each row of the input is
preceded by ``max(left, right)`` zeros, which are both its left padding and the right
padding of the row above (a window never reads more than ``left`` columns before its
row nor ``right`` after it). A row of the buffer is ``W + max(left, right)`` long,
not ``W + left + right``: with unit stride that is also the column pitch, so a 3x3
convolution with padding 1 computes ``W + 1`` columns per output row, not ``W + 2``
(a sixth fewer on 4x4 maps).

With a row stride ``sh > 1`` the buffer's rows are dealt into ``sh`` *phase planes*
(padded row ``y`` is row ``y // sh`` of plane ``y % sh``), so that the rows one kernel
row reads at successive output rows are successive rows of one plane. With a column
stride ``sw``, a pitch of ``ceil(R / sw)`` and buffer rows ``sw * pitch`` long, output
row ``i + 1`` then starts one buffer row after output row ``i``: every ``(channel,
offset, image)`` of the matrix is ONE run of the buffer, read a step ``sw`` apart,
instead of ``OH`` runs of ``OW`` pixels.
"""

from __future__ import annotations

import math
import numbers
from functools import lru_cache
from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, positive_pair
from cnnbook.windows import padding4

__all__ = [
    "as_batch",
    "buffer_shape",
    "buffer_tail",
    "checked_geometry",
    "column_geometry",
    "im2col_shape",
    "interior",
    "kernel_row_views",
    "phases",
]

Pair = tuple[int, int]
Padding4 = tuple[int, int, int, int]  # (top, bottom, left, right)


def kernel_row_views(
    flat: np.ndarray,
    shape: tuple[int, int, int, int, int],
    kernel_size: Pair,
    stride: Pair,
    dilation: Pair,
    oh: int,
    pitch: int,
    padding: Padding4,
) -> list[tuple[slice, np.ndarray]]:
    """View the column matrix ``(C, kh, kw, N, OH, pitch)`` in a flat buffer, by plane.

    `shape` is the buffer's ``(sh, N, C, Hq, R)`` (`buffer_shape`): padded row ``y`` is
    row ``y // sh`` of plane ``y % sh``, so kernel row ``a`` at output row ``i`` reads
    row ``i + (dh a) // sh`` of plane ``(dh a) % sh``. Returns ``(rows, view)`` pairs:
    ``view`` is the matrix's kernel rows ``rows`` (those of one plane; all of them with
    unit stride), ``(C, len(rows), kw, N, OH, pitch)``. The input's rows start
    ``max(left, right)`` columns into each buffer row (`interior`).
    """
    sh, n, c, hq, rp = shape
    (kh, kw), (dh, dw), sw = kernel_size, dilation, stride[1]
    it, image = flat.itemsize, hq * rp
    # Padded column 0 (the input's column -left) sits max(left, right) - left into a row.
    start = max(padding[2], padding[3]) - padding[2]
    step = sh // math.gcd(sh, dh)  # kernel rows a, a + step, ... share a plane
    views = []
    for a in range(min(kh, step)):
        plane, row = (dh * a) % sh, (dh * a) // sh
        # The ndarray constructor checks that the view stays inside `flat` (the tail must
        # hold the last scratch column) and costs ~1 us, against ~10 us for as_strided's.
        view = np.ndarray(
            (c, len(range(a, kh, step)), kw, n, oh, pitch),
            flat.dtype,
            flat,
            (plane * n * c * image + row * rp + start) * it,
            tuple(v * it for v in (image, dh * step // sh * rp, dw, c * image, rp, sw)),
        )
        views.append((slice(a, None, step), view))
    return views


def interior(
    flat: np.ndarray, shape: tuple[int, int, int, int, int], padding: Padding4, h: int, w: int
) -> list[tuple[slice, np.ndarray]]:
    """Return where the input's rows go in a flat ``(sh, N, C, Hq, R)`` buffer.

    A list of ``(rows, view)``: ``view`` (``(N, C, len(rows), W)``) holds the input's
    rows ``rows`` (every ``sh``-th, one plane's).
    """
    sh, n, c, hq, rp = shape
    planes = flat[: sh * n * c * hq * rp].reshape(shape)
    gap = max(padding[2], padding[3])
    return [
        (slice(r, None, sh), planes[plane, :, :, first : first + count, gap : gap + w])
        for r, plane, first, count in phases(h, sh, padding[0])
    ]


def phases(length: int, step: int, offset: int) -> list[tuple[int, int, int, int]]:
    """Where input indices ``r, r + step, ...`` go when positions are dealt into planes.

    Index ``i`` sits at position ``i + offset``, which is element ``(i + offset) // step``
    of plane ``(i + offset) % step``. Returns ``(r, plane, first, count)`` for each
    ``r < step``: the ``count`` indices ``r, r + step, ...`` are elements ``first, first
    + 1, ...`` of one plane.

    Examples
    --------
    >>> phases(5, 2, 1)  # indices 0, 2, 4 -> positions 1, 3, 5 (plane 1); 1, 3 -> plane 0
    [(0, 1, 0, 3), (1, 0, 1, 2)]
    """
    return [
        (r, (r + offset) % step, (r + offset) // step, len(range(r, length, step)))
        for r in range(min(step, length))
    ]


def buffer_shape(
    shape: tuple[int, ...], stride: Pair, hp: int, rp: int
) -> tuple[int, int, int, int, int]:
    """Return the padded buffer's ``(sh, N, C, Hq, R)``: `stride[0]` planes of ``Hq`` rows."""
    sh = stride[0]
    return (sh, shape[0], shape[1], -(-hp // sh), rp)


def buffer_tail(kernel_size: Pair, dilation: Pair, padding: Padding4, rp: int) -> int:
    """Zeros after the last buffer row: what the last rows' windows read past the end.

    The right padding of the last row, the view's offset, and the scratch columns of the
    last output row (at most ``(kw - 1) * dw`` past the buffer) all fit.
    """
    return rp + (kernel_size[1] - 1) * dilation[1] + 2 * max(padding[2], padding[3])


def column_geometry(
    shape: tuple[int, ...], kernel_size: Pair, stride: Pair, padding: Padding4, dilation: Pair
) -> tuple[int, int, int, int, int]:
    """Return ``(Hp, R, OH, OW, pitch)``: padded height, buffer row length, output size, pitch.

    ``R >= W + max(left, right)`` (rows share their zero padding, see the module), and
    ``R = sw * pitch`` when the columns have scratch columns.
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
    row = shape[-1] + max(left, right)
    # With a pitch of ceil(row / sw) columns, output row i + 1 starts exactly one buffer
    # row (of sw * pitch) after output row i: each (channel, offset, image) is then ONE
    # run (contiguous for unit stride); the extra pitch - OW columns are scratch. Only
    # while they are at most half the row: a kernel nearly as wide as the input (999
    # wide on 1000) would otherwise copy ~500x more columns than it has outputs. (A 1x1
    # kernel with padding has more outputs than the row: compact columns then.)
    whole = -(-row // stride[1])
    pitch = whole if ow <= whole <= 2 * ow else ow
    return hp, max(row, stride[1] * pitch), oh, ow, pitch


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
