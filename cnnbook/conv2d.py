r"""Batched multi-channel 2-D convolution (cross-correlation), forward and backward.

Exactly the semantics of `torch.nn.functional.conv2d`: NCHW input, weight of
shape ``(out_channels, in_channels / groups, kh, kw)``, int-or-pair `stride`,
`padding` (or ``"valid"`` / ``"same"``) and `dilation` (1 means none), `groups`.

Each call is *im2col* (:func:`cnnbook.im2col.im2col`: every window copied into
one column of a matrix) followed by ONE matrix product per group; the backward
pass is two more products plus *col2im*, its adjoint. For speed the batch is cut
into blocks of a few images (about 8 MB of columns each): each block is im2col'd
and multiplied while it is still in cache, into scratch buffers reused between
calls (per thread; results never share memory with them). Without groups a bias
rides in the product (a row of ones under the columns). `conv2d` on images of at
least 512 output pixels runs one product per image straight into the NCHW output.

Public names
------------
- `conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)` -> output.
- `conv2d_backward(grad_output, x, weight, stride=1, padding=0, dilation=1, groups=1)`
  -> ``(grad_x, grad_weight, grad_bias)``.
- The cached pair, for layers (a training step im2cols each input once):

  - `conv2d_forward(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`
    -> ``(output, cache)``, where `cache` is a `Conv2dCache` holding the columns;
  - `conv2d_backward_from_cache(grad_output, cache, need_grad_x=True)`
    -> ``(grad_x, grad_weight, grad_bias)``; ``grad_x`` is ``None`` when
    ``need_grad_x=False`` (a first layer skips col2im that way).

  A cache may be used for any number of backward calls; it keeps a reference
  to `weight` (not a copy), so update weights after the backward pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, nonnegative_pair, positive_pair
from cnnbook.im2col import (
    col2im_by_offset,
    im2col,
    im2col_blocks,
    im2col_shape,
    scratch_buffer,
)

__all__ = [
    "Conv2dCache",
    "conv2d",
    "conv2d_backward",
    "conv2d_backward_from_cache",
    "conv2d_forward",
]

Pair = tuple[int, int]
Padding4 = tuple[int, int, int, int]


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


def _kernel_size(weight: np.ndarray) -> Pair:
    return (weight.shape[2], weight.shape[3])


def _padding4(padding: Any, kernel_size: Pair, stride: Pair, dilation: Pair) -> Padding4:
    """Resolve `padding` (int, pair, "valid" or "same") to ``(top, bottom, left, right)``."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding == "same":
            if stride != (1, 1):
                raise ValueError(
                    f"padding='same' needs stride 1, got stride (={stride}) (as in torch)"
                )
            # torch: total d*(k-1); the odd extra pixel goes to the bottom/right.
            th, tw = (d * (k - 1) for d, k in zip(dilation, kernel_size, strict=True))
            return (th // 2, th - th // 2, tw // 2, tw - tw // 2)
        raise ValueError(f"padding (={padding!r}) must be 'valid', 'same', an int or a pair")
    ph, pw = nonnegative_pair("padding", padding)
    return (ph, ph, pw, pw)


def _prepare(
    x: Any, weight: Any, bias: Any, stride: Any, padding: Any, dilation: Any, groups: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, Pair, Padding4, Pair, int, bool]:
    """Validate every argument; return arrays in the compute dtype and resolved geometry."""
    x = as_numeric_array("x", x)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"x has ndim {x.ndim} (shape {x.shape}); expected 4 (N, C, H, W) or 3 (C, H, W)"
        )
    weight = as_numeric_array("weight", weight, ndim=4)
    arrays = [x, weight]
    if bias is not None:
        bias = as_numeric_array("bias", bias, ndim=1)
        arrays.append(bias)
    dtype = np.result_type(*arrays)
    if dtype.kind != "f":
        dtype = np.dtype(np.float64)
    if isinstance(groups, bool) or not isinstance(groups, int | np.integer) or groups < 1:
        raise ValueError(f"groups (={groups!r}) must be a positive int")
    groups = int(groups)
    batched = x.ndim == 4
    if not batched:
        x = x[None]
    c, (o, cg, kh, kw) = x.shape[1], weight.shape
    if c % groups:
        raise ValueError(f"groups (={groups}) must divide in_channels (={c})")
    if o % groups:
        raise ValueError(f"groups (={groups}) must divide out_channels (={o})")
    if cg * groups != c:
        raise ValueError(
            f"weight has {cg} input channels (shape {weight.shape}); expected "
            f"in_channels / groups = {c} / {groups} = {c // groups}"
        )
    if bias is not None and bias.shape[0] != o:
        raise ValueError(f"bias has length {bias.shape[0]}; expected out_channels = {o}")
    stride = positive_pair("stride", stride)
    dilation = positive_pair("dilation", dilation)
    pad = _padding4(padding, (kh, kw), stride, dilation)
    hp, wp = x.shape[2] + pad[0] + pad[1], x.shape[3] + pad[2] + pad[3]
    eh, ew = dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1
    if eh > hp or ew > wp:
        raise ValueError(
            f"kernel of size {(kh, kw)} with dilation {dilation} spans {(eh, ew)}, more than "
            f"the padded input {(hp, wp)}; the output size would be below 1"
        )
    x = x.astype(dtype, copy=False)
    weight = weight.astype(dtype, copy=False)
    bias = None if bias is None else bias.astype(dtype, copy=False)
    return x, weight, bias, stride, pad, dilation, groups, batched


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
    kernel_size = _kernel_size(weight)
    _, _, oh, pitch = im2col_shape(x.shape, kernel_size, stride, pad, dil)
    ow = (x.shape[3] + pad[2] + pad[3] - dil[1] * (kernel_size[1] - 1) - 1) // stride[1] + 1
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
    blocks = im2col_blocks(
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
    x, weight, bias, stride, pad, dilation, groups, batched = _prepare(
        x, weight, bias, stride, padding, dilation, groups
    )
    k, *rest = im2col_shape(x.shape, _kernel_size(weight), stride, pad, dilation)
    # With a bias and no groups `_forward` wants a row of ones under the columns; the
    # cache keeps the first k rows (a contiguous view).
    ones_row = bias is not None and groups == 1
    cols = np.empty((k + ones_row, *rest), x.dtype)
    out = _forward(x, weight, bias, (stride, pad, dilation, groups), cols)
    cache = Conv2dCache(cols[:k], weight, x.shape, batched, stride, pad, dilation, groups)
    return (out if batched else out[0]), cache


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
        or a kernel larger than the padded input (output size below 1).
    TypeError
        Non-numeric arrays, or stride/padding/dilation not an int or a pair of ints.

    Notes
    -----
    With $g(o)$ the group of output channel $o$ and $C_g = C / \text{groups}$,

    $$y[n, o, i, j] = b[o] + \sum_{c < C_g} \sum_{a, b'} w[o, c, a, b']\,
      x_p[n, g(o) C_g + c,\; i s_h + a d_h,\; j s_w + b' d_w],$$

    $x_p$ the zero-padded input, and $OH = \lfloor (H + 2p - d(k-1) - 1)/s \rfloor + 1$
    (likewise $OW$). Computed as im2col plus one matrix product per group, a block
    of images at a time.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> conv2d(x, np.ones((1, 1, 2, 2)), stride=2)  # sums of 2x2 blocks
    array([[[[10., 18.],
             [42., 50.]]]])
    >>> conv2d(x, np.ones((2, 1, 3, 3)), padding="same").shape
    (1, 2, 4, 4)
    """
    x, weight, bias, stride, pad, dilation, groups, batched = _prepare(
        x, weight, bias, stride, padding, dilation, groups
    )
    out = _forward(x, weight, bias, (stride, pad, dilation, groups))
    return out if batched else out[0]


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
    g_out = as_numeric_array("grad_output", grad_output)
    if g_out.shape != cache.output_shape:
        raise ValueError(
            f"grad_output has shape {g_out.shape}; expected the output shape {cache.output_shape}"
        )
    weight, cols, groups = cache.weight, cache.cols, cache.groups
    dtype = weight.dtype  # gradients in the forward's compute dtype, as in torch
    g_out = g_out.astype(dtype, copy=False)
    if not cache.batched:
        g_out = g_out[None]
    n, o, oh, ow = g_out.shape
    k, _, _, pitch = cols.shape
    # Output gradient in the columns' layout (O, N, OH, pitch); scratch columns get zero,
    # so they add nothing to grad_weight and their grad-columns are exactly zero.
    g_cols = scratch_buffer("conv2d_grad_output", (o, n, oh, pitch), dtype)
    g_cols[..., ow:] = 0
    g_cols[..., :ow] = g_out.transpose(1, 0, 2, 3)
    grad_bias = g_out.sum(axis=(0, 2, 3))
    g2 = g_cols.reshape(groups, o // groups, -1)
    c2 = cols.reshape(groups, k // groups, -1)
    grad_weight = np.matmul(g2, c2.transpose(0, 2, 1)).reshape(weight.shape)
    if not need_grad_x:
        return None, grad_weight, grad_bias
    # W^T G for a block of images at a time (one GEMM with all C*kh*kw rows), folded
    # back by col2im while still in cache: the full column gradient is never allocated.
    kh, kw = _kernel_size(weight)
    c, h, w = cache.x_shape[1:]
    w_t = weight.reshape(groups, o // groups, k // groups).transpose(0, 2, 1)
    per_image = oh * pitch
    images = max(1, _BLOCK_BYTES // (k * per_image * dtype.itemsize))
    g_block = scratch_buffer("conv2d_grad_cols", (groups, k // groups, images * per_image), dtype)
    parts = []
    for start in range(0, n, images):
        m = min(images, n - start)
        block = g_block[:, :, : m * per_image]
        np.matmul(w_t, g2[:, :, start * per_image : (start + m) * per_image], out=block)
        rows = block.reshape(c, kh, kw, m, oh, pitch)

        def offset(a: int, b: int, rows: np.ndarray = rows) -> np.ndarray:
            return rows[:, a, b]

        parts.append(
            col2im_by_offset(
                offset, (m, c, h, w), (kh, kw), cache.stride, cache.padding, cache.dilation, dtype
            )
        )
    grad_x = parts[0] if len(parts) == 1 else np.concatenate(parts)
    return (grad_x if cache.batched else grad_x[0]), grad_weight, grad_bias


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
    x, weight, _, stride, pad, dilation, groups, batched = _prepare(
        x, weight, None, stride, padding, dilation, groups
    )
    cols = im2col(x, _kernel_size(weight), stride, pad, dilation)
    cache = Conv2dCache(cols, weight, x.shape, batched, stride, pad, dilation, groups)
    grad_x, grad_weight, grad_bias = conv2d_backward_from_cache(grad_output, cache)
    assert grad_x is not None
    return grad_x, grad_weight, grad_bias
