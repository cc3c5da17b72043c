"""im2col and col2im: every window of a batch copied into the columns of one matrix, and back.

A convolution reads, for every output pixel, a ``C x kh x kw`` window of the padded
input. :func:`im2col` copies each window into one column of a matrix, so that the
whole convolution becomes ONE matrix product (GEMM) with the weight; :func:`col2im`
is its exact adjoint (it adds every column back onto the pixels its window read),
which is what a backward pass and a transposed convolution need. The layout is
chosen so the copy reads long contiguous runs (see :func:`im2col`, Notes);
:func:`im2col_blocks` / :func:`col2im_by_offset` do the same a block of images or
one kernel offset at a time, so the full matrix is never held when not needed.

The view-level primitives (`sliding_windows`, `fold_windows`, `pad2d`) live in
`cnnbook.windows`, the reused buffers in `cnnbook.scratch`; both are importable
from here too, as before.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator

import numpy as np

from cnnbook._validation import check_bytes
from cnnbook.col2im import col2im as col2im
from cnnbook.col2im import col2im_by_offset as col2im_by_offset
from cnnbook.column_layout import (
    Padding4,
    Pair,
    as_batch,
    buffer_shape,
    buffer_tail,
    checked_geometry,
    column_geometry,
    interior,
    kernel_row_views,
)
from cnnbook.column_layout import im2col_shape as im2col_shape
from cnnbook.scratch import scratch_buffer as scratch_buffer
from cnnbook.scratch import scratch_rows
from cnnbook.windows import fold_windows as fold_windows
from cnnbook.windows import pad2d as pad2d
from cnnbook.windows import sliding_windows as sliding_windows

__all__ = [
    "col2im",
    "col2im_by_offset",
    "im2col",
    "im2col_blocks",
    "im2col_shape",
]


def im2col(
    x: np.ndarray,
    kernel_size: Pair,
    stride: Pair = (1, 1),
    padding: Padding4 = (0, 0, 0, 0),
    dilation: Pair = (1, 1),
) -> np.ndarray:
    r"""Copy every window of a padded NCHW batch into the columns of a matrix.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Input batch (not yet padded).
    kernel_size, stride, dilation : pair of int
        ``(kh, kw)``, ``(sh, sw)``, ``(dh, dw)``; ``dilation=1`` means none.
    padding : tuple of 4 int
        Zero padding ``(top, bottom, left, right)``.

    Returns
    -------
    ndarray of shape (C * kh * kw, N, OH, P)
        C-contiguous; row ``(c, a, b)`` (row-major), column ``(n, i, j)``:
        ``cols[(c, a, b), n, i, j] == xp[n, c, i*sh + a*dh, j*sw + b*dw]`` for
        ``j < OW``, where ``xp`` is the zero-padded input; the scratch columns
        ``j >= OW`` are zero. ``P = ceil(R / sw)`` with ``R = W + max(left, right)``
        (the row length of the padded buffer, whose rows share their zero padding)
        when ``OW <= P <= 2 OW``, else ``P = OW``.

    Notes
    -----
    With that pitch each row of the matrix is ``N`` slices of the padded buffer, one
    per image, of length ``OH * P`` (see `cnnbook.column_layout`; contiguous when
    ``sw == 1``), copied at memory speed instead of ``OH`` fragments of ``OW``
    pixels. The price is ``P - OW`` scratch columns per output row (columns
    $j \ge OW$), set to zero here (:func:`col2im` ignores them), so that an inf or
    NaN pixel they would read never reaches a product (``0 * inf`` is NaN). The GEMM
    then does $P / OW$ times the work (57/56 for a 56-wide input with padding 1, 5/4
    for a 4-wide one, 17/16 for stride 2 on a 32-wide one); above 2 the columns are
    compact instead (a kernel nearly as wide as the input would otherwise need
    hundreds of times its outputs' memory).

    Raises
    ------
    TypeError, ValueError
        Non-numeric or non-4-D `x`, sizes that are not positive (padding: non-negative)
        ints, a window larger than the padded input, or columns above 4 GiB.

    Examples
    --------
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> cols = im2col(x, (2, 2))
    >>> cols.shape  # 4 kernel offsets; 1 image x 2 output rows x 3 columns (one scratch)
    (4, 1, 2, 3)
    >>> cols[:, 0, 1, :2]  # the two windows of output row 1, one per column
    array([[3., 4.],
           [4., 5.],
           [6., 7.],
           [7., 8.]])
    """
    x = as_batch(x)
    shape, kernel_size, stride, padding, dilation = checked_geometry(
        "x.shape", x.shape, kernel_size, stride, padding, dilation
    )
    n, c, h, w = shape
    kh, kw = kernel_size
    hp, rp, oh, ow, pitch = column_geometry(shape, kernel_size, stride, padding, dilation)
    k = c * kh * kw
    check_bytes("im2col's columns", (k, n, oh, pitch), x.itemsize)
    planes = buffer_shape(shape, stride, hp, rp)
    # The tail lets the last image's scratch columns read past its final row.
    flat = np.zeros(math.prod(planes) + buffer_tail(kernel_size, dilation, padding, rp), x.dtype)
    for rows, view in interior(flat, planes, padding, h, w):
        view[...] = x[:, :, rows]
    cols = np.empty((c, kh, kw, n, oh, pitch), dtype=x.dtype)
    for rows, view in kernel_row_views(
        flat, planes, kernel_size, stride, dilation, oh, pitch, padding
    ):
        np.copyto(cols[:, rows], view)
    cols[..., ow:] = 0  # scratch columns: zero, so no inf/NaN pixel leaks into a product
    return cols.reshape(k, n, oh, pitch)


def im2col_blocks(
    x: np.ndarray,
    kernel_size: Pair,
    stride: Pair = (1, 1),
    padding: Padding4 = (0, 0, 0, 0),
    dilation: Pair = (1, 1),
    images: int = 1,
    out: np.ndarray | None = None,
    ones_row: bool = False,
    compact: bool = False,
) -> Iterator[tuple[slice, np.ndarray]]:
    """:func:`im2col`, `images` images at a time, each block used while still in cache.

    Yields ``(batch, block)``: ``block`` equals ``im2col(x, ...)[:, batch]`` (of shape
    ``(C * kh * kw, m, OH, P)``, ``m <= images``) except in the scratch columns
    ``j >= OW``, which read neighbouring pixels (so may hold an inf or NaN of the input)
    unless `out` is given (then they are finite: zero in a block whose input has an inf
    or NaN). With `out` (the shape and dtype of
    :func:`im2col`'s result) every block is a view of `out`, filled in place. Without
    it, every block is written into one scratch buffer reused across blocks and calls:
    use each block before requesting the next, and never keep or return it.

    With ``ones_row=True`` every block (and `out`, if given) has one more row, set to
    ones, so that a bias can ride along in the GEMM as one more weight column. With
    ``compact=True`` the blocks have no scratch columns (``P = OW`` always, so each
    image's columns are its output pixels in order), at the price of shorter copy runs.

    Raises
    ------
    TypeError, ValueError
        As :func:`im2col`, and if `out` does not have im2col's shape (plus the ones row)
        and `x`'s dtype, or one image's block of columns would exceed 4 GiB.

    Examples
    --------
    >>> x = np.arange(18.0).reshape(2, 1, 3, 3)
    >>> full = im2col(x, (2, 2))
    >>> all(np.array_equal(b[..., :2], full[:, s, :, :2]) for s, b in im2col_blocks(x, (2, 2)))
    True
    """
    x = as_batch(x)
    _, kernel_size, stride, padding, dilation = checked_geometry(
        "x.shape", x.shape, kernel_size, stride, padding, dilation
    )
    if isinstance(images, bool) or not isinstance(images, numbers.Integral):
        raise TypeError(f"images (={images!r}) must be an int")
    return column_blocks(
        x, kernel_size, stride, padding, dilation, int(images), out, ones_row, compact
    )


def column_blocks(
    x: np.ndarray,
    kernel_size: Pair,
    stride: Pair,
    padding: Padding4,
    dilation: Pair,
    images: int,
    out: np.ndarray | None = None,
    ones_row: bool = False,
    compact: bool = False,
) -> Iterator[tuple[slice, np.ndarray]]:
    """Unchecked :func:`im2col_blocks` (the engine's per-call path: arguments already valid)."""
    n, c, h, w = x.shape
    hp, rp, oh, ow, pitch = column_geometry(x.shape, kernel_size, stride, padding, dilation)
    pitch = ow if compact else pitch
    images = max(1, min(images, n))
    k = c * kernel_size[0] * kernel_size[1]
    expected = (k + ones_row, n, oh, pitch)
    if out is not None and (out.shape != expected or out.dtype != x.dtype):
        raise ValueError(
            f"out has shape {out.shape} and dtype {out.dtype}; expected {expected}, {x.dtype}"
        )
    check_bytes("im2col's column block", (k + ones_row, images, oh, pitch), x.itemsize)
    planes = buffer_shape((images, c), stride, hp, rp)
    size, tail = math.prod(planes), buffer_tail(kernel_size, dilation, padding, rp)
    # Borders are zero from allocation and never written; only the interior is refilled.
    flat = scratch_buffer("im2col_padded", (size + tail,), x.dtype, (c, h, w, padding, stride))
    spots = interior(flat, planes, padding, h, w)
    views = kernel_row_views(flat, planes, kernel_size, stride, dilation, oh, pitch, padding)
    if out is None:
        name = "im2col_block_ones" if ones_row else "im2col_block"
        cols = scratch_rows(name, (k + ones_row, images, oh, pitch), 3, x.dtype, compact)
    for start in range(0, n, images):
        m = min(images, n - start)
        batch = slice(start, start + m)
        if m < images:  # the last scratch columns read the images after m: keep them finite
            flat[size:] = 0
            flat[:size].reshape(planes)[:, m:] = 0
        for rows, view in spots:
            view[:m] = x[batch, :, rows]
        block = out[:, batch] if out is not None else cols[:, :m]
        by_row = block[:k].reshape(c, *kernel_size, m, oh, pitch)
        for rows, view in views:
            np.copyto(by_row[:, rows], view[:, :, :, :m])
        if out is not None and pitch > ow and not np.isfinite(x[batch]).all():
            # Kept for a backward pass, whose zero gradient columns meet these: 0 * inf is
            # NaN, so an inf/NaN pixel read here must not stay. Finite values times those
            # zeros add exactly nothing, so a finite block skips this strided write (it
            # costs more than a fill of the whole block).
            block[..., ow:] = 0
        if ones_row:
            block[k] = 1
        yield batch, block
