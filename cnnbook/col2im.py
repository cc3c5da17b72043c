"""col2im: add every column back onto the pixels its window read, the adjoint of im2col.

A convolution's input gradient (and a transposed convolution's output) is ``W^T G``
folded back onto the input: every entry of column ``(n, i, j)``, row ``(c, a, b)``
is added to the pixel that kernel tap ``(a, b)`` read there. Windows of one kernel
offset never overlap, so the fold is one vectorised add per offset (``kh * kw``
adds), never a loop over pixels. Scratch columns (see `cnnbook.im2col.im2col`) are
ignored; entries that read padding are dropped.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import DTypeLike

from cnnbook._validation import as_numeric_array, boolean, check_bytes
from cnnbook.column_layout import (
    Padding4,
    Pair,
    buffer_tail,
    checked_geometry,
    column_geometry,
    column_view,
    im2col_shape,
    interior,
)

__all__ = ["col2im", "col2im_by_offset"]


def fold_columns(
    rows: np.ndarray,
    input_shape: tuple[int, int, int, int],
    kernel_size: Pair,
    stride: Pair,
    padding: Padding4,
    dilation: Pair,
    pitch: int,
    scratch_is_zero: bool = False,
) -> np.ndarray:
    """Unchecked col2im of `rows` ``(C, kh, kw, N, OH, pitch)`` (arguments already valid).

    With ``scratch_is_zero=True`` (the caller zeroed the scratch columns ``j >= OW``)
    whole rows are added: one long contiguous run per ``(channel, image)`` instead of
    ``OW``-long pieces, several times faster for small images; adding zeros changes
    no pixel.

    Loops over whichever is fewer: kernel offsets (the windows of one offset never
    overlap) or output pixels (the taps of one window never overlap), each step one
    vectorised add; a 999x999 kernel with a 2x2 output takes 4 steps, not 998,001.
    """
    n, c, h, w = input_shape
    kh, kw = kernel_size
    hp, rp, oh, ow, _ = column_geometry(input_shape, kernel_size, stride, padding, dilation)
    check_bytes("col2im's padded input", (n, c, hp, rp), rows.itemsize)
    tail = buffer_tail(kernel_size, dilation, padding)
    flat = np.zeros(n * c * hp * rp + tail, dtype=rows.dtype)
    view = column_view(flat, (n, c, hp, rp), kernel_size, stride, dilation, oh, pitch, padding)
    # Scratch columns (j >= OW) are skipped: the products there (0 * inf = NaN) are no
    # gradient of any pixel.
    if kh * kw <= oh * ow:
        if not scratch_is_zero and pitch > ow:
            view, rows = view[..., :ow], rows[..., :ow]
        for a in range(kh):
            for b in range(kw):
                view[:, a, b] += rows[:, a, b]
    else:
        for i in range(oh):
            for j in range(ow):
                view[..., i, j] += rows[..., i, j]
    padded = flat[: n * c * hp * rp].reshape(n, c, hp, rp)
    return np.ascontiguousarray(interior(padded, padding, h, w))


def col2im(
    cols: np.ndarray,
    input_shape: tuple[int, int, int, int],
    kernel_size: Pair,
    stride: Pair = (1, 1),
    padding: Padding4 = (0, 0, 0, 0),
    dilation: Pair = (1, 1),
    compact: bool = False,
) -> np.ndarray:
    """Add every column back onto the pixels its window read: the adjoint of :func:`im2col`.

    Parameters
    ----------
    cols : ndarray of shape (C * kh * kw, N, OH, P)
        As returned by :func:`im2col` for an input of shape `input_shape`
        (e.g. the gradient of a loss with respect to those columns).
    input_shape : tuple of 4 int
        ``(N, C, H, W)``, the unpadded input's shape.
    kernel_size, stride, padding, dilation
        As passed to :func:`im2col`.
    compact : bool, default False
        True for columns without scratch columns (``P = OW``).

    Returns
    -------
    ndarray of shape `input_shape`
        ``out[n, c, p, q]`` is the sum of every column entry that read ``x[n, c, p, q]``
        (entries that read padding, and the scratch columns ``j >= OW``, are dropped).

    Raises
    ------
    TypeError, ValueError
        Non-numeric `cols`, sizes that are not positive ints (padding: non-negative),
        or `cols` not of im2col's shape for `input_shape`.

    Examples
    --------
    >>> from cnnbook.im2col import im2col
    >>> x = np.zeros((1, 1, 3, 3))
    >>> cols = np.ones(im2col(x, (2, 2)).shape)  # scratch columns are ignored
    >>> col2im(cols, x.shape, (2, 2))[0, 0]  # how many 2x2 windows cover each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    input_shape, kernel_size, stride, padding, dilation = checked_geometry(
        "input_shape", input_shape, kernel_size, stride, padding, dilation
    )
    cols = as_numeric_array("cols", cols)
    k, n, oh, pitch = im2col_shape(input_shape, kernel_size, stride, padding, dilation)
    _, _, _, ow, _ = column_geometry(input_shape, kernel_size, stride, padding, dilation)
    expected = (k, n, oh, ow if boolean("compact", compact) else pitch)
    if cols.shape != expected:
        raise ValueError(
            f"cols has shape {cols.shape}; expected {expected}, im2col's shape for "
            f"input_shape {input_shape}"
        )
    c, (kh, kw) = input_shape[1], kernel_size
    rows = cols.reshape(c, kh, kw, *cols.shape[1:])
    return fold_columns(rows, input_shape, kernel_size, stride, padding, dilation, expected[3])


def col2im_by_offset(
    block: Callable[[int, int], np.ndarray],
    input_shape: tuple[int, int, int, int],
    kernel_size: Pair,
    stride: Pair = (1, 1),
    padding: Padding4 = (0, 0, 0, 0),
    dilation: Pair = (1, 1),
    dtype: DTypeLike = np.float64,
    compact: bool = False,
) -> np.ndarray:
    """:func:`col2im`, taking the columns one kernel offset at a time.

    ``block(a, b)`` returns the rows ``(c, a, b)`` of the column matrix for every
    channel ``c``, shape ``(C, N, OH, P)``; it may reuse one buffer between calls
    (each block is added before the next is requested). A backward pass uses this to
    produce the input gradient offset by offset, never holding the whole
    ``(C * kh * kw, N * OH * P)`` matrix. With ``compact=True`` the blocks have
    ``P = OW`` (as :func:`im2col_blocks` ``(compact=True)`` makes them).

    Examples
    --------
    >>> x = np.zeros((1, 1, 3, 3))
    >>> one = np.ones((1, 1, 2, 3)); one[..., 2] = 0  # one offset's columns, no scratch
    >>> col2im_by_offset(lambda a, b: one, x.shape, (2, 2))[0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    if not callable(block):
        raise TypeError(f"block (={block!r}) must be a function (a, b) -> rows of offset (a, b)")
    input_shape, kernel_size, stride, padding, dilation = checked_geometry(
        "input_shape", input_shape, kernel_size, stride, padding, dilation
    )
    n, c, h, w = input_shape
    kh, kw = kernel_size
    hp, rp, oh, ow, pitch = column_geometry(input_shape, kernel_size, stride, padding, dilation)
    pitch = ow if compact else pitch
    check_bytes("col2im's padded input", (n, c, hp, rp), np.dtype(dtype).itemsize)
    tail = buffer_tail(kernel_size, dilation, padding)
    flat = np.zeros(n * c * hp * rp + tail, dtype=dtype)
    view = column_view(flat, (n, c, hp, rp), kernel_size, stride, dilation, oh, pitch, padding)
    # One vectorised add per kernel offset: the windows of one offset never overlap.
    # Scratch columns (j >= OW) are skipped: the products there (0 * inf = NaN) are no
    # gradient of any pixel.
    expected = (c, n, oh, pitch)
    for a in range(kh):
        for b in range(kw):
            rows = block(a, b)
            if rows.shape != expected:
                raise ValueError(
                    f"block({a}, {b}) has shape {rows.shape}; expected (C, N, OH, P) = {expected}"
                )
            view[:, a, b, ..., :ow] += rows[..., :ow]
    padded = flat[: n * c * hp * rp].reshape(n, c, hp, rp)
    return np.ascontiguousarray(interior(padded, padding, h, w))
