r"""The convolution engine and the cached forward/backward pair a layer uses.

One engine computes every convolution of the package (`conv2d`, its backward,
`conv_transpose2d` and its backward): *im2col* (:func:`cnnbook.im2col.im2col_blocks`:
every window copied into one column of a matrix) followed by ONE matrix product per
group; the input gradient is the transposed product plus *col2im*, its adjoint. For
speed the batch is cut into blocks of a few images (about 8 MB of columns each): each
block is im2col'd and multiplied while it is still in cache, into scratch buffers
reused between calls (per thread; results never share memory with them). Without
groups a bias rides in the product (a row of ones under the columns). A forward pass
on images of at least 512 output pixels runs one product per image straight into the
NCHW output.

Public names
------------
- `conv2d_forward(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`
  -> ``(output, cache)``, where `cache` is a `Conv2dCache` holding the columns;
- `conv2d_backward_from_cache(grad_output, cache, need_grad_x=True)`
  -> ``(grad_x, grad_weight, grad_bias)``; ``grad_x`` is ``None`` when
  ``need_grad_x=False`` (a first layer skips col2im that way).

A training step im2cols each input once this way. A cache may be used for any
number of backward calls; it keeps a reference to `weight` (not a copy), so update
weights after the backward pass.

Non-finite values are handled as torch handles them: the scratch columns of the
im2col layout are zero and ignored by col2im, so an inf or NaN pixel (or weight)
reaches exactly the gradients torch gives it, never one more (``0 * inf`` is NaN).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cnnbook._validation import check_bytes, grad_like
from cnnbook.col2im import fold_columns
from cnnbook.column_layout import column_geometry
from cnnbook.conv_arguments import Padding4, Pair, kernel_size_of, prepare
from cnnbook.im2col import column_blocks
from cnnbook.scratch import scratch_buffer

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


# Column bytes per GEMM: a block this size is still in the (shared) L3 cache when the
# GEMM reads it, right after im2col wrote it; a few MB also keep the GEMM wide enough for
# every BLAS thread.
_BLOCK_BYTES = 8 << 20
# Output pixels per image from which `conv2d` runs one GEMM per image (see `_forward`).
_DIRECT_PIXELS = 512


def _forward(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None,
    geometry: tuple[Pair, Padding4, Pair, int],
    cols: np.ndarray | None = None,
) -> np.ndarray:
    """im2col and GEMM a block of images at a time, each product copied into NCHW.

    With `cols` (an empty array of :func:`im2col`'s result shape, with one more row
    when there is a bias and ``groups == 1``) the columns are kept there for the
    backward pass; otherwise one small scratch block is reused.
    """
    stride, pad, dil, g = geometry
    n, o = x.shape[0], weight.shape[0]
    k = weight[0].size * g
    w_g = weight.reshape(g, o // g, k // g)
    kernel_size = kernel_size_of(weight)
    _, _, oh, _, pitch = column_geometry(x.shape, kernel_size, stride, pad, dil)
    ow = (x.shape[3] + pad[2] + pad[3] - dil[1] * (kernel_size[1] - 1) - 1) // stride[1] + 1
    check_bytes("the output", (n, o, oh, ow), x.itemsize)
    out = np.empty((n, o, oh, ow), dtype=x.dtype)  # fresh: never aliases the scratch
    # Without groups the bias rides in the GEMM (a row of ones under the columns): no
    # extra pass over the output. With groups it is added in place to a contiguous
    # array (a ufunc reading a strided view with a broadcast bias is ~3x slower).
    fold_bias = bias is not None and g == 1
    if fold_bias:
        assert bias is not None
        w_g = np.concatenate([w_g[0], bias[:, None]], axis=1)[None]
    # Forward only, with images of many output pixels: scratch-free columns, one GEMM per
    # image straight into `out` (already NCHW), sparing a strided copy of the output.
    # Small images keep one wide GEMM per block (per-image GEMMs would be too narrow).
    direct = cols is None and oh * ow >= _DIRECT_PIXELS
    pitch = ow if direct else pitch
    images = max(1, _BLOCK_BYTES // (k * oh * pitch * x.itemsize))
    blocks = column_blocks(
        x, kernel_size, stride, pad, dil, images, cols, ones_row=fold_bias, compact=direct
    )
    if direct:
        for batch, block in blocks:
            m = block.shape[1]
            per_image = block.reshape(g, -1, m, oh * ow).transpose(2, 0, 1, 3)
            np.matmul(w_g, per_image, out=out[batch].reshape(m, g, o // g, oh * ow))
            if bias is not None and not fold_bias:
                out[batch] += bias.reshape(1, o, 1, 1)
        return out
    products = scratch_buffer("conv2d_products", (g, o // g, images * oh * pitch), x.dtype)
    for batch, block in blocks:
        m = block.shape[1]
        y = products[:, :, : m * oh * pitch]
        np.matmul(w_g, block.reshape(g, -1, m * oh * pitch), out=y)
        if bias is not None and not fold_bias:
            y += bias.reshape(g, o // g, 1)
        np.copyto(out[batch], y.reshape(o, m, oh, pitch)[..., :ow].transpose(1, 0, 2, 3))
    return out


def input_gradient(
    g2: np.ndarray,
    weight: np.ndarray,
    x_shape: tuple[int, int, int, int],
    geometry: tuple[Pair, Padding4, Pair, int],
    pitch: int,
) -> np.ndarray:
    """col2im(W^T G): the input gradient of a convolution (and a transposed convolution).

    `g2` is the output gradient as ``(groups, O / groups, N * OH * pitch)`` (columns in
    im2col's layout, `pitch` per output row), `weight` ``(O, C / groups, kh, kw)``,
    `x_shape` the batched input's ``(N, C, H, W)``. W^T G is computed for a block of
    images at a time (one GEMM per group with all ``C * kh * kw`` rows) and folded back
    by col2im while still in cache: the full column gradient is never allocated.
    """
    stride, pad, dil, groups = geometry
    n, c, h, w = x_shape
    o, k = weight.shape[0], weight[0].size * groups
    kh, kw = kernel_size_of(weight)
    _, _, oh, ow, _ = column_geometry(x_shape, (kh, kw), stride, pad, dil)
    dtype = weight.dtype
    w_t = weight.reshape(groups, o // groups, k // groups).transpose(0, 2, 1)
    per_image = oh * pitch
    images = max(1, _BLOCK_BYTES // (k * per_image * dtype.itemsize))
    check_bytes("the column gradient of one image", (k, per_image), dtype.itemsize)
    g_block = scratch_buffer("conv2d_grad_cols", (groups, k // groups, images * per_image), dtype)
    finite_weight = bool(np.isfinite(weight).all())
    parts = []
    for start in range(0, n, images):
        m = min(images, n - start)
        block = g_block[:, :, : m * per_image]
        np.matmul(w_t, g2[:, :, start * per_image : (start + m) * per_image], out=block)
        rows = block.reshape(c, kh, kw, m, oh, pitch)
        if pitch > ow and not finite_weight:
            # Scratch columns: W^T 0 is NaN where a weight is inf or NaN; zero them so that
            # whole rows can be folded (a NaN there would reach a real pixel). With finite
            # weights they are exactly zero already (G's scratch columns are zero).
            rows[..., ow:] = 0
        parts.append(
            fold_columns(rows, (m, c, h, w), (kh, kw), stride, pad, dil, pitch, pitch > ow)
        )
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


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
    _, _, oh, _, pitch = column_geometry(x.shape, kernel_size_of(weight), stride, pad, dilation)
    k, rest = x.shape[1] * weight.shape[2] * weight.shape[3], (x.shape[0], oh, pitch)
    # With a bias and no groups `_forward` wants a row of ones under the columns; the
    # cache keeps the first k rows (a contiguous view).
    ones_row = bias is not None and groups == 1
    check_bytes("the columns kept for the backward pass", (k + ones_row, *rest), x.itemsize)
    cols = np.empty((k + ones_row, *rest), x.dtype)
    out = _forward(x, weight, bias, (stride, pad, dilation, groups), cols)
    cache = Conv2dCache(cols[:k], weight, x.shape, batched, stride, pad, dilation, groups)
    return (out if batched else out[0]), cache


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
    g_cols = scratch_buffer("conv2d_grad_output", (o, n, oh, pitch), dtype, ow)
    g_cols[..., :ow] = g_out.transpose(1, 0, 2, 3)
    g2 = g_cols.reshape(groups, o // groups, -1)
    # Summed along contiguous rows (the zero scratch columns add nothing): faster than
    # summing g_out over three strided axes.
    grad_bias = g_cols.reshape(o, -1).sum(axis=1)
    c2 = cols.reshape(groups, k // groups, -1)
    grad_weight = np.matmul(g2, c2.transpose(0, 2, 1)).reshape(weight.shape)
    if not need_grad_x:
        return None, grad_weight, grad_bias
    geometry = (cache.stride, cache.padding, cache.dilation, groups)
    grad_x = input_gradient(g2, weight, cache.x_shape, geometry, pitch)
    return (grad_x if cache.batched else grad_x[0]), grad_weight, grad_bias
