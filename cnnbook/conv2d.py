r"""Batched multi-channel 2-D convolution (cross-correlation), forward and backward.

Exactly the semantics of `torch.nn.functional.conv2d`: NCHW input, weight of
shape ``(out_channels, in_channels / groups, kh, kw)``, int-or-pair `stride`,
`padding` (or ``"valid"`` / ``"same"``) and `dilation` (1 means none), `groups`.
Like torch's functional `conv2d`, it pads with zeros only: other padding modes are
`cnnbook.pad` then a convolution with ``padding=0`` (what `cnnbook.nn.Conv2d` does
for ``padding_mode="reflect"`` etc.).

Each call is *im2col* plus ONE matrix product per group, in the engine of
`cnnbook.convolution_engine`; the backward pass is two more products plus *col2im*,
its adjoint. The cached pair a layer uses, `conv2d_forward` /
`conv2d_backward_from_cache` (in `cnnbook.conv2d_cache`), is importable from here.

Public names
------------
- `conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)` -> output.
- `conv2d_backward(grad_output, x, weight, stride=1, padding=0, dilation=1, groups=1)`
  -> ``(grad_x, grad_weight, grad_bias)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook.conv2d_cache import Conv2dCache as Conv2dCache
from cnnbook.conv2d_cache import conv2d_backward_from_cache as conv2d_backward_from_cache
from cnnbook.conv2d_cache import conv2d_forward as conv2d_forward
from cnnbook.conv_arguments import kernel_size_of, prepare
from cnnbook.convolution_engine import forward
from cnnbook.im2col import im2col

__all__ = ["conv2d", "conv2d_backward"]


def conv2d(
    x: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> np.ndarray:
    r"""Batched multi-channel 2-D cross-correlation, exactly `torch.nn.functional.conv2d`.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W) or (C, H, W)
        Input batch (or one image). Integer input is computed in float64.
    weight : ndarray of shape (out_channels, C / groups, kh, kw)
        One kernel per output channel, over the input channels of its group.
    bias : ndarray of shape (out_channels,), optional
        Added to every pixel of each output channel.
    stride, dilation : int or pair of int, default 1
        Step between windows; spacing between kernel taps (1 means none).
    padding : int, pair of int, "valid" or "same", default 0
        Zeros added on both sides. ``"same"`` (stride 1 only) pads $d(k-1)$ in
        total, ``d(k-1) // 2`` at the top/left and the rest at the bottom/right.
    groups : int, default 1
        Channels are split into `groups` independent convolutions.

    Returns
    -------
    ndarray of shape (N, out_channels, OH, OW) or (out_channels, OH, OW)
        C-contiguous, of dtype ``np.result_type(x, weight, bias)`` (float64 if that is
        not a float type).

    Raises
    ------
    ValueError
        Wrong ndim, empty arrays, non-positive stride or dilation, negative padding,
        an unknown padding string, ``"same"`` with stride > 1, `groups` not dividing
        the channels, weight channels not ``C / groups``, a bias of the wrong length,
        a kernel larger than the padded input (output size below 1), or an output (or
        one image's columns) above 4 GiB: refused before anything is allocated.
    TypeError
        Non-numeric arrays, or stride/padding/dilation not an int or a pair of ints.

    Notes
    -----
    With $g(o)$ the group of output channel $o$ and $C_g = C / \text{groups}$,

    $$y[n, o, i, j] = b[o] + \sum_{c < C_g} \sum_{a, b'} w[o, c, a, b']\,
      x_p[n, g(o) C_g + c,\; i s_h + a d_h,\; j s_w + b' d_w],$$

    $x_p$ the zero-padded input, and $OH = \lfloor (H + 2p - d(k-1) - 1)/s \rfloor + 1$
    (likewise $OW$). Computed as im2col plus one matrix product per group, a block
    of images at a time. The columns hold $C_g k_h k_w$ values per output pixel (scratch
    columns at most double that), never whole padded rows per output: a 999 x 999
    kernel on a 1000 x 1000 image takes 32 MB of columns for its 2 x 2 output.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> conv2d(x, np.ones((1, 1, 2, 2)), stride=2)  # sums of 2x2 blocks
    array([[[[10., 18.],
             [42., 50.]]]])
    >>> conv2d(x, np.ones((2, 1, 3, 3)), padding="same").shape
    (1, 2, 4, 4)
    """
    x, weight, bias, stride, pad, dilation, groups, batched = prepare(
        x, weight, bias, stride, padding, dilation, groups
    )
    out = forward(x, weight, bias, (stride, pad, dilation, groups))
    return out if batched else out[0]


def conv2d_backward(
    grad_output: Any,
    x: Any,
    weight: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of a loss through `conv2d`, equal to torch autograd.

    Parameters
    ----------
    grad_output : ndarray of shape (N, out_channels, OH, OW) or (out_channels, OH, OW)
        Gradient of the loss with respect to ``conv2d(x, weight, ...)``.
    x, weight, stride, padding, dilation, groups
        As passed to `conv2d`.

    Returns
    -------
    grad_x : ndarray of the shape of `x`
    grad_weight : ndarray of the shape of `weight`
    grad_bias : ndarray of shape (out_channels,)
        The gradient a bias would get (whether or not the forward used one).

    Raises
    ------
    ValueError, TypeError
        As `conv2d`, and if `grad_output` does not have the output's shape.

    Notes
    -----
    With $X$ the im2col matrix of $x$, $W$ the weight as a matrix and $G$ the
    output gradient as a matrix (per group):
    $\partial L/\partial W = G X^\top$, $\partial L/\partial b = \sum_{n,i,j} G$,
    $\partial L/\partial x = \mathrm{col2im}(W^\top G)$.

    Examples
    --------
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3); w = np.ones((1, 1, 2, 2))
    >>> gx, gw, gb = conv2d_backward(np.ones((1, 1, 2, 2)), x, w)
    >>> gw[0, 0]  # sum of the pixels each tap read
    array([[ 8., 12.],
           [20., 24.]])
    """
    x, weight, _, stride, pad, dilation, groups, batched = prepare(
        x, weight, None, stride, padding, dilation, groups
    )
    cols = im2col(x, kernel_size_of(weight), stride, pad, dilation)
    cache = Conv2dCache(cols, weight, x.shape, batched, stride, pad, dilation, groups)
    grad_x, grad_weight, grad_bias = conv2d_backward_from_cache(grad_output, cache)
    assert grad_x is not None
    return grad_x, grad_weight, grad_bias
