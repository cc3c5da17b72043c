"""Sliding windows: the one vectorisation primitive behind convolution and pooling.

A convolution or a pooling layer reads the same thing: for every output
position, a ``kh x kw`` window of the (padded) input, possibly strided and
dilated. :func:`sliding_windows` returns all of those windows at once as a
*view* (no copy) of the input, so a convolution becomes one matrix product
(the *im2col* trick, see `cnnbook.im2col`) and a pooling layer one reduction.
:func:`fold_windows` is its adjoint (*col2im*): it adds window-shaped gradients
back onto the input, looping only over the ``kh * kw`` kernel offsets, never
over pixels. :func:`pad2d` surrounds an image with a constant.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from cnnbook._validation import as_numeric_array, positive_pair

__all__ = ["fold_windows", "pad2d", "sliding_windows"]

Pair = tuple[int, int]
Padding4 = tuple[int, int, int, int]  # (top, bottom, left, right)


def padding4(name: str, value: Any) -> Padding4:
    """Return `value` as ``(top, bottom, left, right)``, four ints ``>= 0``.

    Examples
    --------
    >>> padding4("padding", [1, 0, 2, 2])
    (1, 0, 2, 2)
    """
    if (
        isinstance(value, tuple | list | np.ndarray)
        and len(value) == 4
        and all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value)
    ):
        p = tuple(int(v) for v in value)
        if min(p) < 0:
            raise ValueError(f"{name} (={value!r}) must be non-negative (>= 0)")
        return p  # type: ignore[return-value]
    raise TypeError(f"{name} (={value!r}) must be 4 ints (top, bottom, left, right)")


def _spatial(name: str, x: Any) -> np.ndarray:
    """`x` as a real numeric array with at least two (spatial) axes."""
    arr = as_numeric_array(name, x)
    if arr.ndim < 2:
        raise ValueError(f"{name} has ndim {arr.ndim} (shape {arr.shape}); expected (..., H, W)")
    return arr


def pad2d(x: Any, padding: Padding4, value: float = 0.0) -> np.ndarray:
    """Pad the last two axes of `x` with a constant.

    Parameters
    ----------
    x : ndarray of shape (..., H, W)
        Array to pad (real numeric).
    padding : tuple of 4 int
        ``(top, bottom, left, right)``, each ``>= 0``.
    value : float, default 0.0
        Fill value (``-inf`` for max pooling); must fit `x`'s dtype.

    Returns
    -------
    ndarray of shape (..., H + top + bottom, W + left + right)
        `x` itself when all padding is zero (no copy), otherwise a new array.

    Raises
    ------
    TypeError
        Non-numeric `x` (complex, str, object), `padding` not 4 ints, `value` not real.
    ValueError
        Negative padding, `x` with fewer than 2 axes, or a `value` an integer `x` cannot hold.

    Examples
    --------
    >>> pad2d(np.ones((2, 2)), (1, 0, 0, 1))
    array([[0., 0., 0.],
           [1., 1., 0.],
           [1., 1., 0.]])
    """
    x = _spatial("x", x)
    top, bottom, left, right = padding4("padding", padding)
    if not isinstance(value, numbers.Real) or isinstance(value, bool | np.bool_):
        raise TypeError(f"value (={value!r}) must be a real number")
    if x.dtype.kind in "biu" and not (np.isfinite(value) and float(value).is_integer()):
        raise ValueError(f"value (={value!r}) must be an integer to pad an array of {x.dtype}")
    if top == bottom == left == right == 0:
        return x
    h, w = x.shape[-2:]
    out = np.full((*x.shape[:-2], h + top + bottom, w + left + right), value, dtype=x.dtype)
    out[..., top : top + h, left : left + w] = x
    return out


def sliding_windows(
    x: Any, kernel_size: Pair, stride: Pair = (1, 1), dilation: Pair = (1, 1)
) -> np.ndarray:
    """Every strided, dilated ``kh x kw`` window of the last two axes, as a view.

    Parameters
    ----------
    x : ndarray of shape (..., H, W)
        Input, already padded (real numeric).
    kernel_size, stride, dilation : int or pair of int, each ``>= 1``
        ``(kh, kw)``, ``(sh, sw)``, ``(dh, dw)``; ``dilation=1`` means none.

    Returns
    -------
    ndarray of shape (..., OH, OW, kh, kw)
        A read-only view: ``out[..., i, j, a, b] == x[..., i*sh + a*dh, j*sw + b*dw]``,
        with ``OH = (H - dh*(kh-1) - 1) // sh + 1`` (likewise ``OW``).

    Raises
    ------
    TypeError
        Non-numeric `x`; sizes not ints or pairs of ints.
    ValueError
        Sizes below 1 (a negative stride would read outside the array), fewer than
        2 axes, or a window larger than the input.

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
    x = _spatial("x", x)
    kh, kw = kernel_size = positive_pair("kernel_size", kernel_size)
    sh, sw = positive_pair("stride", stride)
    dh, dw = dilation = positive_pair("dilation", dilation)
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
    windows: Any,
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
    stride, dilation : int or pair of int, each ``>= 1``
        As passed to :func:`sliding_windows`.

    Returns
    -------
    ndarray of shape `input_shape`
        ``out[..., p, q]`` is the sum of every window element that read ``x[..., p, q]``.

    Raises
    ------
    TypeError, ValueError
        As :func:`sliding_windows`, and if `windows` is not the windows of an input
        of `input_shape` (leading axes, or ``OH``/``OW``, differ).

    Examples
    --------
    >>> x = np.zeros((3, 3))
    >>> fold_windows(np.ones((2, 2, 2, 2)), x.shape)  # how many 2x2 windows cover each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    windows = as_numeric_array("windows", windows)
    if windows.ndim < 4:
        raise ValueError(
            f"windows has ndim {windows.ndim} (shape {windows.shape}); "
            "expected (..., OH, OW, kh, kw)"
        )
    if not (
        isinstance(input_shape, tuple | list)
        and all(isinstance(s, numbers.Integral) and not isinstance(s, bool) for s in input_shape)
    ):
        raise TypeError(f"input_shape (={input_shape!r}) must be a tuple of ints")
    input_shape = tuple(int(s) for s in input_shape)
    oh, ow, kh, kw = windows.shape[-4:]
    sh, sw = positive_pair("stride", stride)
    dh, dw = positive_pair("dilation", dilation)
    lead = windows.shape[:-4]
    expected = None
    if len(input_shape) == len(lead) + 2 and input_shape[:-2] == lead:
        h, w = input_shape[-2:]
        expected = ((h - dh * (kh - 1) - 1) // sh + 1, (w - dw * (kw - 1) - 1) // sw + 1)
    if expected != (oh, ow):
        raise ValueError(
            f"windows of shape {windows.shape} are not the {kh}x{kw} windows (stride "
            f"{(sh, sw)}, dilation {(dh, dw)}) of an input of input_shape {input_shape}"
        )
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
