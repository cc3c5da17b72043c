"""Sliding windows: the one vectorisation primitive behind convolution and pooling.

A convolution or a pooling layer reads the same thing: for every output
position, a ``kh x kw`` window of the (padded) input, possibly strided and
dilated. :func:`sliding_windows` returns all of those windows at once as a
*view* (no copy) of the input, so a convolution becomes one matrix product
(the *im2col* trick) and a pooling layer one reduction. :func:`fold_windows`
is its adjoint (*col2im*): it adds window-shaped gradients back onto the
input, looping only over the ``kh * kw`` kernel offsets, never over pixels.

:func:`im2col` / :func:`col2im` are the batched, GEMM-ready versions that
`cnnbook.conv2d` uses: one row per (channel, kernel offset), one column per
output pixel, laid out so that the copy reads long contiguous runs (see
:func:`im2col`, Notes).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator

import numpy as np
from numpy.lib.stride_tricks import as_strided
from numpy.typing import DTypeLike

__all__ = [
    "col2im",
    "col2im_by_offset",
    "fold_windows",
    "im2col",
    "im2col_blocks",
    "im2col_shape",
    "pad2d",
    "sliding_windows",
]

Pair = tuple[int, int]
Padding4 = tuple[int, int, int, int]  # (top, bottom, left, right)


def pad2d(x: np.ndarray, padding: Padding4, value: float = 0.0) -> np.ndarray:
    """Pad the last two axes of `x` with a constant.

    Parameters
    ----------
    x : ndarray of shape (..., H, W)
        Array to pad.
    padding : tuple of 4 int
        ``(top, bottom, left, right)``, each ``>= 0``.
    value : float, default 0.0
        Fill value (``-inf`` for max pooling).

    Returns
    -------
    ndarray of shape (..., H + top + bottom, W + left + right)
        `x` itself when all padding is zero (no copy), otherwise a new array.

    Examples
    --------
    >>> pad2d(np.ones((2, 2)), (1, 0, 0, 1))
    array([[0., 0., 0.],
           [1., 1., 0.],
           [1., 1., 0.]])
    """
    top, bottom, left, right = padding
    if top == bottom == left == right == 0:
        return x
    h, w = x.shape[-2:]
    out = np.full((*x.shape[:-2], h + top + bottom, w + left + right), value, dtype=x.dtype)
    out[..., top : top + h, left : left + w] = x
    return out


def sliding_windows(
    x: np.ndarray, kernel_size: Pair, stride: Pair = (1, 1), dilation: Pair = (1, 1)
) -> np.ndarray:
    """Every strided, dilated ``kh x kw`` window of the last two axes, as a view.

    Parameters
    ----------
    x : ndarray of shape (..., H, W)
        Input, already padded.
    kernel_size, stride, dilation : pair of int
        ``(kh, kw)``, ``(sh, sw)``, ``(dh, dw)``; ``dilation=1`` means none.

    Returns
    -------
    ndarray of shape (..., OH, OW, kh, kw)
        A read-only view: ``out[..., i, j, a, b] == x[..., i*sh + a*dh, j*sw + b*dw]``,
        with ``OH = (H - dh*(kh-1) - 1) // sh + 1`` (likewise ``OW``).

    Examples
    --------
    >>> x = np.arange(16).reshape(4, 4)
    >>> w = sliding_windows(x, (2, 2), stride=(2, 2))
    >>> w.shape
    (2, 2, 2, 2)
    >>> w[1, 0]
    array([[ 8,  9],
           [12, 13]])
    """
    kh, kw = kernel_size
    sh, sw = stride
    dh, dw = dilation
    h, w = x.shape[-2:]
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (w - dw * (kw - 1) - 1) // sw + 1
    if oh < 1 or ow < 1:
        raise ValueError(
            f"window (kernel_size={kernel_size}, dilation={dilation}) does not fit "
            f"in the padded input of size {(h, w)}; expected an output of at least 1x1"
        )
    s = x.strides
    return as_strided(
        x,
        shape=(*x.shape[:-2], oh, ow, kh, kw),
        strides=(*s[:-2], s[-2] * sh, s[-1] * sw, s[-2] * dh, s[-1] * dw),
        writeable=False,
    )


def fold_windows(
    windows: np.ndarray,
    input_shape: tuple[int, ...],
    stride: Pair = (1, 1),
    dilation: Pair = (1, 1),
) -> np.ndarray:
    """Add window-shaped values back onto an input-shaped array (adjoint of `sliding_windows`).

    Parameters
    ----------
    windows : ndarray of shape (..., OH, OW, kh, kw)
        A value for every element of every window (e.g. a gradient).
    input_shape : tuple of int
        Shape ``(..., H, W)`` of the (padded) input the windows were taken from.
    stride, dilation : pair of int
        As passed to :func:`sliding_windows`.

    Returns
    -------
    ndarray of shape `input_shape`
        ``out[..., p, q]`` is the sum of every window element that read ``x[..., p, q]``.

    Examples
    --------
    >>> x = np.zeros((3, 3))
    >>> fold_windows(np.ones((2, 2, 2, 2)), x.shape)  # how many 2x2 windows cover each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    oh, ow, kh, kw = windows.shape[-4:]
    sh, sw = stride
    dh, dw = dilation
    out = np.zeros(input_shape, dtype=windows.dtype)
    # One strided slice-add per kernel offset: kh*kw iterations, each vectorised over pixels.
    for a in range(kh):
        for b in range(kw):
            out[
                ...,
                a * dh : a * dh + sh * (oh - 1) + 1 : sh,
                b * dw : b * dw + sw * (ow - 1) + 1 : sw,
            ] += windows[..., a, b]
    return out


def _column_view(
    flat: np.ndarray,
    shape: tuple[int, int, int, int],
    kernel_size: Pair,
    stride: Pair,
    dilation: Pair,
    oh: int,
    pitch: int,
) -> np.ndarray:
    """View a flat padded ``(N, C, Hp, Wp)`` buffer as the columns ``(C, kh, kw, N, OH, pitch)``."""
    n, c, hp, wp = shape
    kh, kw = kernel_size
    sh, sw = stride
    dh, dw = dilation
    last = (n * c - 1) * hp * wp + ((kh - 1) * dh + (oh - 1) * sh) * wp + (kw - 1) * dw
    # as_strided does not check bounds: the tail must hold the last scratch column.
    assert last + (pitch - 1) * sw < flat.size, "column view overruns its buffer"
    it = flat.itemsize
    return as_strided(
        flat,
        shape=(c, kh, kw, n, oh, pitch),
        strides=(hp * wp * it, dh * wp * it, dw * it, c * hp * wp * it, sh * wp * it, sw * it),
    )


def _geometry(
    shape: tuple[int, ...], kernel_size: Pair, stride: Pair, padding: Padding4, dilation: Pair
) -> tuple[int, int, int, int, int]:
    """Return the padded size, output size and column pitch ``(Hp, Wp, OH, OW, pitch)``."""
    top, bottom, left, right = padding
    hp, wp = shape[-2] + top + bottom, shape[-1] + left + right
    oh = (hp - dilation[0] * (kernel_size[0] - 1) - 1) // stride[0] + 1
    ow = (wp - dilation[1] * (kernel_size[1] - 1) - 1) // stride[1] + 1
    if oh < 1 or ow < 1:
        raise ValueError(
            f"window (kernel_size={kernel_size}, dilation={dilation}) does not fit "
            f"in the padded input of size {(hp, wp)}; expected an output of at least 1x1"
        )
    # With unit column stride every row of the padded input is copied whole, so the
    # copy is one long run per (channel, offset, image); the extra wp - ow columns are scratch.
    pitch = wp if stride[1] == 1 else ow
    return hp, wp, oh, ow, pitch


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
    n, c = input_shape[:2]
    _, _, oh, _, pitch = _geometry(input_shape, kernel_size, stride, padding, dilation)
    return (c * kernel_size[0] * kernel_size[1], n, oh, pitch)


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
        ``j < OW``, where ``xp`` is the zero-padded input. ``P = Wp`` (the padded width)
        when ``sw == 1``, else ``P = OW``.

    Notes
    -----
    With ``sw == 1`` each row of the matrix is ``N`` contiguous slices of the padded
    input (of length ``OH * Wp`` when ``sh == 1``), copied at memory speed instead of
    ``kw``-element fragments. The price is ``Wp - OW`` scratch columns per output row
    (columns $j \ge OW$), which read real or padding pixels and must be discarded by
    the caller. The GEMM then does $Wp / OW$ times the work (1.07 for a 56-wide input
    with padding 1). :func:`col2im` is the exact adjoint, scratch columns included.

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
    n, c, h, w = x.shape
    hp, wp, oh, _, pitch = _geometry(x.shape, kernel_size, stride, padding, dilation)
    top, _, left, _ = padding
    # The tail lets the last image's scratch columns read past its final row.
    tail = (kernel_size[1] - 1) * dilation[1]
    flat = np.zeros(n * c * hp * wp + tail, dtype=x.dtype)
    flat[: n * c * hp * wp].reshape(n, c, hp, wp)[:, :, top : top + h, left : left + w] = x
    view = _column_view(flat, (n, c, hp, wp), kernel_size, stride, dilation, oh, pitch)
    cols = np.empty(view.shape, dtype=x.dtype)
    np.copyto(cols, view)
    return cols.reshape(c * kernel_size[0] * kernel_size[1], n, oh, pitch)


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
    store: OrderedDict[Hashable, np.ndarray] = _scratch.__dict__.setdefault(
        "buffers", OrderedDict()
    )
    key = (name, shape, np.dtype(dtype), layout)
    buffer = store.get(key)
    if buffer is None:
        buffer = store[key] = np.zeros(shape, dtype=dtype)
        while len(store) > _SCRATCH_SLOTS:
            store.popitem(last=False)
    else:
        store.move_to_end(key)
    return buffer


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
    ``j >= OW``, which are finite but may differ. With `out` (the shape and dtype of
    :func:`im2col`'s result) every block is a view of `out`, filled in place. Without
    it, every block is written into one scratch buffer reused across blocks and calls:
    use each block before requesting the next, and never keep or return it.

    With ``ones_row=True`` every block (and `out`, if given) has one more row, set to
    ones, so that a bias can ride along in the GEMM as one more weight column. With
    ``compact=True`` the blocks have no scratch columns (``P = OW`` always, so each
    image's columns are its output pixels in order), at the price of shorter copy runs.

    Examples
    --------
    >>> x = np.arange(18.0).reshape(2, 1, 3, 3)
    >>> full = im2col(x, (2, 2))
    >>> all(np.array_equal(b[..., :2], full[:, s, :, :2]) for s, b in im2col_blocks(x, (2, 2)))
    True
    """
    n, c, h, w = x.shape
    hp, wp, oh, ow, pitch = _geometry(x.shape, kernel_size, stride, padding, dilation)
    pitch = ow if compact else pitch
    top, _, left, _ = padding
    images = max(1, min(images, n))
    tail = (kernel_size[1] - 1) * dilation[1]
    size = c * hp * wp
    # Borders are zero from allocation and never written; only the interior is refilled.
    flat = scratch_buffer("im2col_padded", (images * size + tail,), x.dtype, (c, h, w, padding))
    k = c * kernel_size[0] * kernel_size[1]
    if out is None:
        name = "im2col_block_ones" if ones_row else "im2col_block"
        cols = scratch_buffer(name, (k + ones_row, images, oh, pitch), x.dtype, compact)
    for start in range(0, n, images):
        m = min(images, n - start)
        batch = slice(start, start + m)
        padded = flat[: m * size + tail]
        padded[m * size :] = 0  # the last scratch columns read here: keep them finite
        padded[: m * size].reshape(m, c, hp, wp)[:, :, top : top + h, left : left + w] = x[batch]
        view = _column_view(padded, (m, c, hp, wp), kernel_size, stride, dilation, oh, pitch)
        block = out[:, batch] if out is not None else cols[:, :m]
        np.copyto(block[:k].reshape(view.shape), view)
        if ones_row:
            block[k] = 1
        yield batch, block


def col2im(
    cols: np.ndarray,
    input_shape: tuple[int, int, int, int],
    kernel_size: Pair,
    stride: Pair = (1, 1),
    padding: Padding4 = (0, 0, 0, 0),
    dilation: Pair = (1, 1),
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

    Returns
    -------
    ndarray of shape `input_shape`
        ``out[n, c, p, q]`` is the sum of every column entry that read ``x[n, c, p, q]``
        (entries that read padding are dropped).

    Examples
    --------
    >>> x = np.zeros((1, 1, 3, 3))
    >>> cols = np.ones(im2col(x, (2, 2)).shape)
    >>> cols[:, :, :, 2:] = 0  # scratch columns carry no gradient
    >>> col2im(cols, x.shape, (2, 2))[0, 0]  # how many 2x2 windows cover each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    c, (kh, kw) = input_shape[1], kernel_size
    g = cols.reshape(c, kh, kw, *cols.shape[1:])
    return col2im_by_offset(
        lambda a, b: g[:, a, b], input_shape, kernel_size, stride, padding, dilation, cols.dtype
    )


def col2im_by_offset(
    block: Callable[[int, int], np.ndarray],
    input_shape: tuple[int, int, int, int],
    kernel_size: Pair,
    stride: Pair = (1, 1),
    padding: Padding4 = (0, 0, 0, 0),
    dilation: Pair = (1, 1),
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """:func:`col2im`, taking the columns one kernel offset at a time.

    ``block(a, b)`` returns the rows ``(c, a, b)`` of the column matrix for every
    channel ``c``, shape ``(C, N, OH, P)``; it may reuse one buffer between calls
    (each block is added before the next is requested). A backward pass uses this to
    produce the input gradient offset by offset, never holding the whole
    ``(C * kh * kw, N * OH * P)`` matrix.

    Examples
    --------
    >>> x = np.zeros((1, 1, 3, 3))
    >>> one = np.ones((1, 1, 2, 3)); one[..., 2] = 0  # one offset's columns, no scratch
    >>> col2im_by_offset(lambda a, b: one, x.shape, (2, 2))[0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    n, c, h, w = input_shape
    kh, kw = kernel_size
    hp, wp, oh, _, pitch = _geometry(input_shape, kernel_size, stride, padding, dilation)
    top, _, left, _ = padding
    flat = np.zeros(n * c * hp * wp + (kw - 1) * dilation[1], dtype=dtype)
    view = _column_view(flat, (n, c, hp, wp), kernel_size, stride, dilation, oh, pitch)
    # One vectorised add per kernel offset: the windows of one offset never overlap.
    for a in range(kh):
        for b in range(kw):
            view[:, a, b] += block(a, b)
    padded = flat[: n * c * hp * wp].reshape(n, c, hp, wp)
    return np.ascontiguousarray(padded[:, :, top : top + h, left : left + w])
