r"""A convolution as a matrix, and the transposed convolution as its transpose.

A convolution is linear in its input: for one image $x$ of shape ``(C, H, W)``,
flattened to a vector of $CHW$ values, ``conv2d(x, w)`` flattened is $C_w x$ for a
fixed *connectivity matrix* $C_w$ of shape ``(O * OH * OW, C * H * W)``. Row $r$
holds the kernel taps that output pixel $r$ reads, at the columns of the input
pixels under them, and zeros elsewhere: a sparse matrix whose few non-zero
entries are the same kernel weights over and over (weight sharing).

The *transposed convolution* is $C_w^\top$: it maps the small output space back
to the large input space, so `cnnbook.conv_transpose2d` with the same weight and
arguments equals ``C.T @ y``. That is a statement about shapes and connections,
not values: $C_w^\top C_w \ne I$, so a convolution followed by its transposed
convolution does not give the input back (`round_trip`).

This module builds the matrix from the definition (index arithmetic, no call to
`conv2d`), so that the tests can check `conv2d` and `conv_transpose2d` against it.

Public names
------------
- `conv2d_matrix(weight, input_size, stride=1, padding=0, dilation=1, groups=1)`
- `conv_transpose2d_matrix(weight, input_size, stride=1, padding=0, output_padding=0,
  groups=1, dilation=1)`
- `round_trip(x, weight, stride=1, padding=0, dilation=1)` -> `RoundTrip`
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from cnnbook._validation import as_numeric_array, check_bytes, nonnegative_pair, positive_pair
from cnnbook.conv2d import conv2d
from cnnbook.conv_arguments import prepare
from cnnbook.conv_transpose2d import conv_transpose2d
from cnnbook.output_size import transposed_conv_output_size

__all__ = ["RoundTrip", "conv2d_matrix", "conv_transpose2d_matrix", "round_trip"]


def conv2d_matrix(
    weight: Any,
    input_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> np.ndarray:
    r"""Build the connectivity matrix $C$ of `conv2d`: ``C @ x.ravel() == conv2d(x, ...).ravel()``.

    Parameters
    ----------
    weight : ndarray of shape (out_channels, in_channels / groups, kh, kw)
        `conv2d`'s weight (torch's layout).
    input_size : int or pair of int
        ``(H, W)`` of the input image; its channels are ``weight.shape[1] * groups``.
    stride, padding, dilation, groups
        As for `conv2d` (`padding` may also be ``"valid"`` or ``"same"``).

    Returns
    -------
    ndarray of shape (out_channels * OH * OW, in_channels * H * W)
        Row ``(o * OH + i) * OW + j`` is output pixel ``(o, i, j)``; column
        ``(c * H + r) * W + q`` is input pixel ``(c, r, q)`` (C-order flattening).
        Of the weight's dtype (float64 for integers).

    Raises
    ------
    ValueError, TypeError
        As `conv2d` for the same arguments (with `input_size` for the input), or if
        the matrix would take more than 4 GiB.

    Notes
    -----
    $C[(o, i, j), (g(o) C_g + c,\; i s_h - p_t + a d_h,\; j s_w - p_l + b d_w)] = w[o, c, a, b]$
    for every tap $(c, a, b)$ that lands inside the image (taps on the zero padding
    read nothing), and 0 elsewhere. Each row has at most $C_g k_h k_w$ non-zeros.
    See [[Transposed Convolution]].

    Examples
    --------
    >>> C = conv2d_matrix(np.array([[[[1.0, 2.0]]]]), (1, 3))  # a 1 x 2 kernel on 1 x 3
    >>> C
    array([[1., 2., 0.],
           [0., 1., 2.]])
    >>> C @ np.array([1.0, 10.0, 100.0])
    array([ 21., 210.])
    """
    height, width = positive_pair("input_size", input_size)
    weight = as_numeric_array("weight", weight, ndim=4)
    # in_channels = weight.shape[1] * groups; an invalid `groups` is named by `prepare`.
    channels = weight.shape[1] * (groups if isinstance(groups, int) and groups > 0 else 1)
    # The same validation (and messages) as conv2d, on a stand-in input of that size.
    dummy = np.broadcast_to(np.zeros((), dtype=np.float64), (1, channels, height, width))
    _, weight, _, (sh, sw), (top, bottom, left, right), (dh, dw), groups, _ = prepare(
        dummy, weight, None, stride, padding, dilation, groups
    )
    o_count, cg, kh, kw = weight.shape
    oh = (height + top + bottom - dh * (kh - 1) - 1) // sh + 1
    ow = (width + left + right - dw * (kw - 1) - 1) // sw + 1
    shape = (o_count * oh * ow, channels * height * width)
    check_bytes("the convolution matrix", shape, weight.itemsize)
    o, i, j, c, a, b = np.indices((o_count, oh, ow, cg, kh, kw), sparse=True)
    rows = np.broadcast_to((o * oh + i) * ow + j, (o_count, oh, ow, cg, kh, kw))
    r = i * sh - top + a * dh  # the input row and column under tap (a, b)
    q = j * sw - left + b * dw
    inside = np.broadcast_to((r >= 0) & (r < height) & (q >= 0) & (q < width), rows.shape)
    cin = (o // (o_count // groups)) * cg + c
    cols = np.broadcast_to((cin * height + r) * width + q, rows.shape)
    taps = np.broadcast_to(weight[o, c, a, b], rows.shape)
    matrix = np.zeros(shape, dtype=weight.dtype)
    # Each (row, column) pair occurs once: distinct taps of one output pixel read
    # distinct input pixels (dilation >= 1), so plain assignment is exact.
    matrix[rows[inside], cols[inside]] = taps[inside]
    return matrix


def conv_transpose2d_matrix(
    weight: Any,
    input_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> np.ndarray:
    r"""Build the matrix of `conv_transpose2d`: the transpose of its convolution's matrix.

    Parameters
    ----------
    weight : ndarray of shape (in_channels, out_channels / groups, kh, kw)
        `conv_transpose2d`'s weight (torch's layout).
    input_size : int or pair of int
        ``(H, W)`` of the transposed convolution's input.
    stride, padding, output_padding, groups, dilation
        As for `conv_transpose2d` (argument order too).

    Returns
    -------
    ndarray of shape (out_channels * H_out * W_out, in_channels * H * W)
        ``M @ y.ravel() == conv_transpose2d(y, weight, ...).ravel()``; it is
        ``conv2d_matrix(weight, (H_out, W_out), stride, padding, dilation, groups).T``.

    Raises
    ------
    ValueError, TypeError
        As `conv_transpose2d` for the same arguments.

    Examples
    --------
    >>> conv_transpose2d_matrix(np.array([[[[1.0, 2.0]]]]), (1, 2))  # 1 x 2 -> 1 x 3
    array([[1., 0.],
           [2., 1.],
           [0., 2.]])
    """
    size = positive_pair("input_size", input_size)
    weight = as_numeric_array("weight", weight, ndim=4)
    # Validate exactly as conv_transpose2d does, on a stand-in input of that size.
    dummy = np.broadcast_to(np.zeros((), dtype=np.float64), (1, weight.shape[0], *size))
    out = conv_transpose2d(dummy, weight, None, stride, padding, output_padding, groups, dilation)
    stride_, pad, dil = (
        positive_pair("stride", stride),
        nonnegative_pair("padding", padding),
        positive_pair("dilation", dilation),
    )
    return conv2d_matrix(weight, out.shape[2:], stride_, pad, dil, groups).T


class RoundTrip(NamedTuple):
    """A convolution followed by its transposed convolution (see `round_trip`)."""

    output: np.ndarray
    """``conv_transpose2d(conv2d(x))``, of the shape of `x`."""
    relative_error: float
    r"""$\lVert C^\top C x - x \rVert / \lVert x \rVert$."""
    best_scale: float
    r"""The scalar $\alpha$ that brings $\alpha\,C^\top C x$ closest to $x$."""
    scaled_error: float
    r"""$\lVert \alpha C^\top C x - x \rVert / \lVert x \rVert$: what no rescaling removes."""


def round_trip(
    x: Any, weight: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1
) -> RoundTrip:
    r"""Convolve `x`, then apply the transposed convolution with the same weight: not `x`.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W) or (C, H, W)
    weight : ndarray of shape (O, C, kh, kw)
        Used by both (a transposed convolution reads it as ``(in=O, out=C, kh, kw)``).
    stride, padding, dilation
        Of the convolution (integers or pairs); the transposed convolution takes the
        same, with the `output_padding` that gives back the size of `x`.

    Returns
    -------
    RoundTrip
        The output $C^\top C x$ and how far it is from $x$, before and after the best
        rescaling.

    Raises
    ------
    ValueError, TypeError
        As `conv2d` and `conv_transpose2d`; a ValueError if `x` is all zeros.

    Examples
    --------
    >>> x = np.arange(1.0, 5.0).reshape(1, 1, 2, 2)
    >>> rt = round_trip(x, np.array([[[[1.0]]]]))  # a 1 x 1 kernel of 1: C = I
    >>> rt.relative_error
    0.0
    >>> rt = round_trip(x, np.ones((1, 1, 2, 2)), padding=1)  # sums of 2 x 2 windows
    >>> rt.output[0, 0]  # each pixel gets the sum of the windows it was in
    array([[18., 21.],
           [24., 27.]])
    >>> round(rt.relative_error, 3), round(rt.scaled_error, 3)  # no rescaling fixes it
    (7.348, 0.269)
    """
    y = conv2d(x, weight, None, stride, padding, dilation)
    x_arr = as_numeric_array("x", x).astype(y.dtype)
    norm = float(np.linalg.norm(x_arr))
    if norm == 0:
        raise ValueError("x (all zeros) must have a non-zero value: the error is relative to it")
    s, p, d = (
        positive_pair("stride", stride),
        nonnegative_pair("padding", padding),
        positive_pair("dilation", dilation),
    )
    w_arr = np.asarray(weight)
    kernel = w_arr.shape[2:]
    # The output padding that gives back x's size (strided convolutions drop a remainder).
    op = tuple(
        n - transposed_conv_output_size(m, k, si, pi, 0, di)
        for n, m, k, si, pi, di in zip(x_arr.shape[-2:], y.shape[-2:], kernel, s, p, d, strict=True)
    )
    back = conv_transpose2d(y, w_arr, None, s, p, op, 1, d)
    scale = float(np.vdot(back, x_arr) / np.vdot(back, back)) if np.any(back) else 0.0
    return RoundTrip(
        back,
        float(np.linalg.norm(back - x_arr)) / norm,
        scale,
        float(np.linalg.norm(scale * back - x_arr)) / norm,
    )
