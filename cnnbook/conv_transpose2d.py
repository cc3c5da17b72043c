r"""Transposed convolution: the adjoint of `conv2d`, which makes feature maps larger.

A strided convolution maps a large map to a small one through a linear map $C$
(its connectivity matrix). The *transposed convolution* applies $C^\top$: every
input pixel scatters a copy of the kernel, scaled by its value, onto an output
`stride` times larger, and overlapping copies add. It is therefore exactly the
input gradient of a convolution, and is computed that way, by the one engine of
`cnnbook.convolution_engine`: ``W^T X`` (one matrix product per group) folded back by
*col2im*. Its gradients are a convolution again: with respect to the input, `conv2d`
of the output gradient; with respect to the weight, the weight gradient of that
convolution (one im2col serves both).

Semantics, argument order and weight layout ``(in_channels, out_channels / groups,
kh, kw)`` are `torch.nn.functional.conv_transpose2d`'s; the output size is
`cnnbook.transposed_conv_output_size` per axis.

Public names
------------
- `conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0,
  groups=1, dilation=1)` -> output.
- `conv_transpose2d_backward(grad_output, x, weight, stride=1, padding=0,
  output_padding=0, groups=1, dilation=1)` -> ``(grad_x, grad_weight, grad_bias)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import check_bytes, grad_like, nonnegative_pair, positive_pair
from cnnbook.column_layout import column_geometry
from cnnbook.conv2d_cache import columns_shape, conv2d_backward_from_cache, forward_into
from cnnbook.conv_arguments import (
    Pair,
    check_bias_length,
    output_padding_pair,
    prepare_arrays,
)
from cnnbook.convolution_engine import input_gradient
from cnnbook.output_size import transposed_conv_output_size
from cnnbook.scratch import scratch_rows

__all__ = ["conv_transpose2d", "conv_transpose2d_backward"]

_Geometry = tuple[Pair, Pair, Pair, int, Pair, tuple[int, int]]


def _prepare(
    x: Any,
    weight: Any,
    bias: Any,
    stride: Any,
    padding: Any,
    output_padding: Any,
    groups: Any,
    dilation: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, _Geometry, bool]:
    """Validate every argument; return arrays in the compute dtype and the geometry.

    The geometry is ``(stride, padding, dilation, groups, output_padding, (H_out, W_out))``.
    """
    x, weight, bias, groups, batched = prepare_arrays(x, weight, bias, groups)
    c, (wc, og, kh, kw) = x.shape[1], weight.shape
    if wc != c:
        raise ValueError(
            f"weight has {wc} input channels (shape {weight.shape}); expected in_channels = "
            f"{c} (a transposed convolution's weight is (in_channels, out_channels / groups, "
            "kh, kw), as in torch)"
        )
    if c % groups:
        raise ValueError(f"groups (={groups}) must divide in_channels (={c})")
    check_bias_length(bias, og * groups)
    stride = positive_pair("stride", stride)
    dilation = positive_pair("dilation", dilation)
    pad = nonnegative_pair("padding", padding)
    out_pad = output_padding_pair(output_padding, stride, dilation)
    size = tuple(
        transposed_conv_output_size(i, k, s, p, op, d)
        for i, k, s, p, op, d in zip(
            x.shape[2:], (kh, kw), stride, pad, out_pad, dilation, strict=True
        )
    )
    geometry = (stride, pad, dilation, groups, out_pad, size)
    return x, weight, bias, geometry, batched  # type: ignore[return-value]


def _forward(
    x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, geometry: _Geometry
) -> np.ndarray:
    """col2im(W^T X): the input gradient of the convolution it transposes (module docstring)."""
    stride, (ph, pw), dil, groups, out_pad, (out_h, out_w) = geometry
    n, c, h, w = x.shape
    o = weight.shape[1] * groups
    check_bytes("the output", (n, o, out_h, out_w), x.itemsize)
    # The convolution being transposed maps an (out_h, out_w) map, padded by `padding`,
    # to x's size. output_padding (rows nothing reaches) comes off its bottom/right
    # padding; where it exceeds that padding (possible when it is at least the stride),
    # the last rows are beyond every window: they get only the bias.
    bottom = ph - stride[0] * (out_pad[0] // stride[0])
    right = pw - stride[1] * (out_pad[1] // stride[1])
    fh, fw = out_h + min(bottom, 0), out_w + min(right, 0)
    # The bias is where col2im's sums start (no pass over the output) unless rows or
    # columns lie beyond every window.
    folded = (fh, fw) == (out_h, out_w)
    if fh < 1 or fw < 1:
        out = np.zeros((n, o, out_h, out_w), dtype=x.dtype)
    else:
        pad4 = (ph, max(bottom, 0), pw, max(right, 0))
        # X in the columns' layout (groups, C / groups, N * H * pitch), what conv2d's
        # backward gets as its output gradient; zero scratch columns up to a pitch that
        # lets col2im add whole runs.
        pitch = column_geometry((n, o, fh, fw), weight.shape[2:], stride, pad4, dil)[4]
        # Its scratch columns are zero from allocation and never written.
        g2 = scratch_rows("conv_transpose2d_input", (c, n, h, pitch), 3, x.dtype, w)
        g2[..., :w] = x.transpose(1, 0, 2, 3)
        g2 = g2.reshape(groups, c // groups, n * h * pitch)
        geometry4 = (stride, pad4, dil, groups)
        initial = bias if folded else None
        out = input_gradient(g2, weight, (n, o, fh, fw), geometry4, pitch, initial)
        if (fh, fw) != (out_h, out_w):
            out = np.pad(out, ((0, 0), (0, 0), (0, out_h - fh), (0, out_w - fw)))
    if bias is not None and not folded:
        out += bias.reshape(1, o, 1, 1)
    return out


def conv_transpose2d(
    x: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> np.ndarray:
    r"""Batched 2-D transposed convolution, exactly `torch.nn.functional.conv_transpose2d`.

    Parameters
    ----------
    x : ndarray of shape (N, in_channels, H, W) or (in_channels, H, W)
        Input batch (or one image). Integer input is computed in float64.
    weight : ndarray of shape (in_channels, out_channels / groups, kh, kw)
        torch's layout for a transposed convolution (in and out swapped against `conv2d`).
    bias : ndarray of shape (out_channels,), optional
    stride, dilation : int or pair of int, default 1
        Of the convolution being transposed: the output is about `stride` times larger.
    padding : int or pair of int, default 0
        Of the convolution being transposed: ``dilation * (k - 1) - padding`` zeros
        are in effect added, i.e. `padding` rows and columns are cropped from the output.
    output_padding : int or pair of int, default 0
        Rows/columns added at the bottom/right, to pick one of the sizes a strided
        convolution maps to the same size; smaller than `stride` or `dilation`.
    groups : int, default 1

    Returns
    -------
    ndarray of shape (N, out_channels, H_out, W_out) or (out_channels, H_out, W_out)
        $H_{out} = (H - 1)s - 2p + d(k - 1) + o + 1$ (`transposed_conv_output_size`).

    Raises
    ------
    ValueError
        Wrong ndim, empty arrays, weight not ``(in_channels, ...)``, `groups` not
        dividing the channels, a bias of the wrong length, non-positive stride or
        dilation, negative padding, `output_padding` not smaller than stride or
        dilation, an output below 1 pixel, or an output above 4 GiB.
    TypeError
        Non-numeric arrays, or sizes not ints or pairs of ints.

    Notes
    -----
    It is the adjoint of `conv2d` with the same arguments: for every ``y`` of
    the transposed output's shape, $\langle \mathrm{conv2d}(y, w), x\rangle =
    \langle y, \mathrm{conv\_transpose2d}(x, w)\rangle$. It is not an inverse.

    Examples
    --------
    >>> x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    >>> conv_transpose2d(x, np.ones((1, 1, 2, 2)), stride=2)[0, 0]  # each pixel -> a 2x2 block
    array([[1., 1., 2., 2.],
           [1., 1., 2., 2.],
           [3., 3., 4., 4.],
           [3., 3., 4., 4.]])
    >>> conv_transpose2d(x, np.ones((1, 1, 3, 3)), stride=2, padding=1, output_padding=1).shape
    (1, 1, 4, 4)
    """
    x, weight, bias, geometry, batched = _prepare(
        x, weight, bias, stride, padding, output_padding, groups, dilation
    )
    out = _forward(x, weight, bias, geometry)
    return out if batched else out[0]


def conv_transpose2d_backward(
    grad_output: Any,
    x: Any,
    weight: Any,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of a loss through `conv_transpose2d`, equal to torch autograd.

    Parameters
    ----------
    grad_output : ndarray of the output's shape
        Gradient of the loss with respect to ``conv_transpose2d(x, weight, ...)``.
    x, weight, stride, padding, output_padding, groups, dilation
        As passed to `conv_transpose2d`.

    Returns
    -------
    grad_x : ndarray of the shape of `x`
    grad_weight : ndarray of the shape of `weight`
    grad_bias : ndarray of shape (out_channels,)
        The gradient a bias would get (whether or not the forward used one).

    Raises
    ------
    ValueError, TypeError
        As `conv_transpose2d`, and if `grad_output` does not have exactly the output's shape.

    Notes
    -----
    The transposed convolution is $y = C^\top x$, so $\partial L/\partial x = C\,G$:
    `conv2d` of the output gradient $G$ with the same weight and arguments; and
    $\partial L/\partial w$ is that convolution's weight gradient with $x$ as its
    output gradient. Both come from one im2col of $G$.

    Examples
    --------
    >>> x, w = np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2))
    >>> gx, gw, gb = conv_transpose2d_backward(np.ones((1, 1, 4, 4)), x, w, stride=2)
    >>> gx[0, 0], gw[0, 0], gb  # each input pixel scattered onto 4 outputs
    (array([[4., 4.],
           [4., 4.]]), array([[4., 4.],
           [4., 4.]]), array([16.]))
    """
    x, weight, _, geometry, batched = _prepare(
        x, weight, None, stride, padding, output_padding, groups, dilation
    )
    stride_, pad, dil, groups_, _, (out_h, out_w) = geometry
    n, _, h, w = x.shape
    o = weight.shape[1] * groups_
    shape = (n, o, out_h, out_w) if batched else (o, out_h, out_w)
    g = grad_like("grad_output", grad_output, shape).astype(x.dtype, copy=False)
    if not batched:
        g = g[None]
    # dL/dx = conv2d(G, w): the same weight read as conv2d's (O = in_channels, ...). Its
    # columns live only in this call: a reused buffer spares their page faults.
    conv = (stride_, (pad[0], pad[0], pad[1], pad[1]), dil, groups_)
    cols = scratch_rows(
        "conv_transpose2d_grad_columns", columns_shape(g, weight, None, conv), 3, g.dtype
    )
    gx, cache = forward_into(g, weight, None, conv, cols)
    if gx.shape[2:] != (h, w):
        # output_padding >= stride (allowed when < dilation): the convolution of G has
        # more rows than x; the extra ones pair with nothing in x.
        gx = np.ascontiguousarray(gx[:, :, :h, :w])
        x_full = np.zeros(cache.output_shape, dtype=x.dtype)
        x_full[:, :, :h, :w] = x
        x = x_full
    # dL/dw: conv2d's weight gradient with x in the role of its output gradient.
    _, grad_weight, _ = conv2d_backward_from_cache(x, cache, need_grad_x=False)
    # One matrix-vector product per image and channel row: ~3x faster than NumPy's sum
    # over three strided axes ((32,16,32,32): 18 against 90 us).
    n_g, o_g = g.shape[:2]
    per_map = g.reshape(n_g * o_g, -1) @ np.ones(g.shape[2] * g.shape[3], g.dtype)
    grad_bias = per_map.reshape(n_g, o_g).sum(axis=0)
    return (gx if batched else gx[0]), grad_weight, grad_bias
