"""Sliding windows: the one vectorisation primitive behind convolution and pooling.

A convolution or a pooling layer reads the same thing: for every output
position, a ``kh x kw`` window of the (padded) input, possibly strided and
dilated. :func:`sliding_windows` returns all of those windows at once as a
*view* (no copy) of the input, so a convolution becomes one matrix product
(the *im2col* trick) and a pooling layer one reduction. :func:`fold_windows`
is its adjoint (*col2im*): it adds window-shaped gradients back onto the
input, looping only over the ``kh * kw`` kernel offsets, never over pixels.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = ["fold_windows", "pad2d", "sliding_windows"]

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
            out[..., a * dh : a * dh + sh * (oh - 1) + 1 : sh, b * dw : b * dw + sw * (ow - 1) + 1 : sw] += (
                windows[..., a, b]
            )
    return out
