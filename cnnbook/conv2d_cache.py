r"""The cached forward/backward pair a layer uses: `conv2d_forward`, `conv2d_backward_from_cache`.

Both run on the one engine of `cnnbook.convolution_engine` (im2col and one matrix
product per group; the input gradient by the transposed product and col2im). The
forward pass keeps its columns in a `Conv2dCache`, so a training step im2cols each
input once.

Public names
------------
- `conv2d_forward(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`
  -> ``(output, cache)``, where `cache` is a `Conv2dCache` holding the columns;
- `conv2d_backward_from_cache(grad_output, cache, need_grad_x=True)`
  -> ``(grad_x, grad_weight, grad_bias)``; ``grad_x`` is ``None`` when
  ``need_grad_x=False`` (a first layer skips col2im that way).

A cache may be used for any number of backward calls; it keeps a reference to
`weight` (not a copy), so update weights after the backward pass.

Non-finite values are handled as torch handles them: the scratch columns of the
im2col layout are zero and ignored by col2im, so an inf or NaN pixel (or weight)
reaches exactly the gradients torch gives it, never one more (``0 * inf`` is NaN).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from cnnbook._validation import check_bytes, grad_like
from cnnbook.column_layout import column_geometry
from cnnbook.conv_arguments import Padding4, Pair, kernel_size_of, prepare
from cnnbook.convolution_engine import forward, input_gradient
from cnnbook.row_padding import empty_rows
from cnnbook.scratch import scratch_rows

__all__ = ["Conv2dCache", "conv2d_backward_from_cache", "conv2d_forward"]


@dataclass(frozen=True)
class Conv2dCache:
    """What the backward pass needs from the forward pass (made by `conv2d_forward`).

    Attributes
    ----------
    cols : ndarray of shape (C * kh * kw, N, OH, P)
        The im2col matrix of the input (see `cnnbook.im2col.im2col`).
    weight : ndarray of shape (out_channels, C / groups, kh, kw)
        The weight, in the compute dtype.
    x_shape : tuple of 4 int
        ``(N, C, H, W)`` of the (batched) input.
    batched : bool
        False when the input was a single ``(C, H, W)`` image.
    stride, dilation : pair of int
    padding : tuple of 4 int
        ``(top, bottom, left, right)``.
    groups : int
    """

    cols: np.ndarray
    weight: np.ndarray
    x_shape: tuple[int, int, int, int]
    batched: bool
    stride: Pair
    padding: Padding4
    dilation: Pair
    groups: int

    def __post_init__(self) -> None:
        """Refuse a cache that `conv2d_forward` cannot have made (a named error, not a crash)."""
        if not (isinstance(self.cols, np.ndarray) and self.cols.ndim == 4):
            raise TypeError(
                f"cols must be a 4-D ndarray (C*kh*kw, N, OH, P); got {self.cols!r:.60}"
            )
        if not (isinstance(self.weight, np.ndarray) and self.weight.ndim == 4):
            raise TypeError(f"weight must be a 4-D ndarray; got {self.weight!r:.60}")
        if len(self.x_shape) != 4 or self.cols.shape[0] != self.weight[0].size * self.groups:
            raise ValueError(
                f"cols of shape {self.cols.shape} do not match weight {self.weight.shape}, "
                f"groups {self.groups} and x_shape {self.x_shape}"
            )

    @property
    def output_shape(self) -> tuple[int, ...]:
        """Shape of the forward output (and of the gradient the backward pass takes)."""
        n = self.x_shape[0]
        oh = self.cols.shape[2]
        kw, (sw, dw) = self.weight.shape[3], (self.stride[1], self.dilation[1])
        wp = self.x_shape[3] + self.padding[2] + self.padding[3]
        ow = (wp - dw * (kw - 1) - 1) // sw + 1
        shape = (n, self.weight.shape[0], oh, ow)
        return shape if self.batched else shape[1:]


def conv2d_forward(
    x: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> tuple[np.ndarray, Conv2dCache]:
    """`conv2d`, also returning the cache that `conv2d_backward_from_cache` takes.

    Parameters and Raises are those of `conv2d`.

    Returns
    -------
    out : ndarray of shape (N, out_channels, OH, OW)
        Exactly ``conv2d(x, weight, bias, ...)``.
    cache : Conv2dCache
        The input's im2col matrix and the geometry, for any number of backward calls.

    Examples
    --------
    >>> x = np.ones((1, 1, 3, 3)); w = np.ones((1, 1, 2, 2))
    >>> y, cache = conv2d_forward(x, w)
    >>> y[0, 0]
    array([[4., 4.],
           [4., 4.]])
    >>> gx, gw, gb = conv2d_backward_from_cache(np.ones_like(y), cache)
    >>> gx[0, 0]  # how many windows read each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> gw[0, 0], gb
    (array([[4., 4.],
           [4., 4.]]), array([4.]))
    """
    x, weight, bias, stride, pad, dilation, groups, batched = prepare(
        x, weight, bias, stride, padding, dilation, groups
    )
    geometry = (stride, pad, dilation, groups)
    cols = empty_rows(columns_shape(x, weight, bias, geometry), 3, x.dtype)
    out, cache = forward_into(x, weight, bias, geometry, cols)
    return (out if batched else out[0]), replace(cache, batched=batched)


def columns_shape(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None,
    geometry: tuple[Pair, Padding4, Pair, int],
) -> tuple[int, int, int, int]:
    """Shape of the columns `forward_into` keeps: im2col's, plus a row of ones for a bias.

    (With a bias and no groups the bias rides in the GEMM, see
    `cnnbook.convolution_engine.forward`.)
    """
    stride, pad, dilation, groups = geometry
    _, _, oh, _, pitch = column_geometry(x.shape, kernel_size_of(weight), stride, pad, dilation)
    k = x.shape[1] * weight.shape[2] * weight.shape[3] + (bias is not None and groups == 1)
    check_bytes("the columns kept for the backward pass", (k, x.shape[0], oh, pitch), x.itemsize)
    return (k, x.shape[0], oh, pitch)


def forward_into(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None,
    geometry: tuple[Pair, Padding4, Pair, int],
    cols: np.ndarray,
) -> tuple[np.ndarray, Conv2dCache]:
    """Unchecked `conv2d_forward` of a batch, its columns kept in `cols` (`columns_shape`).

    The cache refers to `cols`: a caller that passes a reused buffer uses the cache
    before the buffer's next use.
    """
    stride, pad, dilation, groups = geometry
    out = forward(x, weight, bias, geometry, cols)
    k = x.shape[1] * weight.shape[2] * weight.shape[3]
    return out, Conv2dCache(cols[:k], weight, x.shape, True, stride, pad, dilation, groups)


def conv2d_backward_from_cache(
    grad_output: Any, cache: Conv2dCache, need_grad_x: bool = True
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """Gradients of a loss with respect to the input, weight and bias of `conv2d_forward`.

    Parameters
    ----------
    grad_output : ndarray of the forward output's shape
        Gradient of the loss with respect to the output; cast to the forward's dtype.
    cache : Conv2dCache
        From `conv2d_forward`; not modified.
    need_grad_x : bool, default True
        If False, skip the input gradient (returned as None).

    Returns
    -------
    grad_x : ndarray of the input's shape, or None
    grad_weight : ndarray of the weight's shape
    grad_bias : ndarray of shape (out_channels,)

    Raises
    ------
    ValueError
        If `grad_output` does not have the forward output's shape.

    Examples
    --------
    >>> y, cache = conv2d_forward(np.ones((2, 3, 5, 5)), np.ones((4, 3, 3, 3)), padding=1)
    >>> _, gw, gb = conv2d_backward_from_cache(np.ones_like(y), cache, need_grad_x=False)
    >>> gw.shape, gb  # each bias touches 2 * 5 * 5 outputs
    ((4, 3, 3, 3), array([50., 50., 50., 50.]))
    """
    if not isinstance(cache, Conv2dCache):
        raise TypeError(
            f"cache must be the Conv2dCache of conv2d_forward; got {type(cache).__name__}"
        )
    g_out = grad_like("grad_output", grad_output, cache.output_shape)
    weight, cols, groups = cache.weight, cache.cols, cache.groups
    dtype = weight.dtype  # gradients in the forward's compute dtype, as in torch
    g_out = g_out.astype(dtype, copy=False)
    if not cache.batched:
        g_out = g_out[None]
    n, o, oh, ow = g_out.shape
    k, _, _, pitch = cols.shape
    # Output gradient in the columns' layout (O, N, OH, pitch); scratch columns are zero,
    # so they add nothing to grad_weight and their grad-columns are exactly zero. They
    # stay zero from the buffer's allocation: only columns j < OW are ever written (the
    # buffer is kept per OW), sparing a strided write per call.
    check_bytes("grad_output in the columns' layout", (o, n, oh, pitch), dtype.itemsize)
    g_cols = scratch_rows("conv2d_grad_output", (o, n, oh, pitch), 3, dtype, ow)
    g_cols[..., :ow] = g_out.transpose(1, 0, 2, 3)
    g2 = g_cols.reshape(groups, o // groups, -1)
    # Summed along contiguous rows (the zero scratch columns add nothing): faster than
    # summing g_out over three strided axes.
    grad_bias = g_cols.reshape(o, -1).sum(axis=1)
    c2 = cols.reshape(groups, k // groups, -1)
    if k > o:
        # The longer side as the GEMM's rows: OpenBLAS computes C G^T then transposes up
        # to ~2x faster than G C^T when C has more rows (72 x 16 over 13,440 columns:
        # 0.48 against 0.77 ms on one core), and slower when it has far fewer.
        grad_weight = np.matmul(c2, g2.transpose(0, 2, 1)).transpose(0, 2, 1)
    else:
        grad_weight = np.matmul(g2, c2.transpose(0, 2, 1))
    grad_weight = grad_weight.reshape(weight.shape)
    if not need_grad_x:
        return None, grad_weight, grad_bias
    geometry = (cache.stride, cache.padding, cache.dilation, groups)
    grad_x = input_gradient(g2, weight, cache.x_shape, geometry, pitch)
    return (grad_x if cache.batched else grad_x[0]), grad_weight, grad_bias
