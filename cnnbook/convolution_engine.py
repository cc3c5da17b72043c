r"""The convolution engine: every convolution of the package is computed here.

`conv2d`, its backward, `conv_transpose2d` and its backward all run on one engine:
*im2col* (:func:`cnnbook.im2col.im2col_blocks`: every window copied into one column of
a matrix) followed by ONE matrix product per group (`forward`); the input gradient is
the transposed product plus *col2im*, its adjoint (`input_gradient`). For speed the
batch is cut into blocks of a few images (about 2 MB of columns each): each block is
im2col'd and multiplied while it is still in cache, into scratch buffers reused
between calls (per thread; results never share memory with them). Without groups a
bias rides in the product (a row of ones under the columns). A forward pass on images
of at least 512 output pixels runs one product per image straight into the NCHW output;
with unit stride and dilation, no groups and many channels it copies ``kw`` shifted
images instead of ``kh * kw`` (`cnnbook.kernel_row_products`, one GEMM per image).

Both functions are unchecked: the public functions (`cnnbook.conv2d`,
`cnnbook.conv2d_forward`, `cnnbook.conv_transpose2d`) validate their arguments first.
"""

from __future__ import annotations

import numpy as np

from cnnbook import kernel_row_products
from cnnbook._validation import check_bytes
from cnnbook.col2im import fold_columns
from cnnbook.column_layout import column_geometry
from cnnbook.conv_arguments import Padding4, Pair, kernel_size_of
from cnnbook.im2col import column_blocks
from cnnbook.scratch import scratch_rows

__all__ = ["BLOCK_BYTES", "DIRECT_PIXELS", "forward", "input_gradient"]

# Column bytes per GEMM: a block this size is still in cache when the GEMM reads it, right
# after im2col wrote it (on a shared machine the L3 holds much less than its size), and
# the GEMM stays wide enough for every BLAS thread. 2 MB against 8 MB: the stride-2
# (64,16,28,28)->32 forward took 2.5 against 3.4 ms on one core (AMD EPYC, 1 MB of L2
# per core); the other layers of the bench moved by less than their noise. 1 MB is as
# fast; 0.5 and 4 MB are 3-10 % slower (one thread, CPU time, four layers of the bench).
# Public, like DIRECT_PIXELS, so that the profiles (scripts/) mirror the engine's plan.
BLOCK_BYTES = 2 << 20
# Output pixels per image from which `conv2d` runs one GEMM per image (see `forward`).
DIRECT_PIXELS = 512


def forward(
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
    # Forward only, with images of many output pixels: scratch-free columns, one GEMM per
    # image straight into `out` (already NCHW), sparing a strided copy of the output.
    # Small images keep one wide GEMM per block (per-image GEMMs would be too narrow).
    direct = cols is None and oh * ow >= DIRECT_PIXELS
    if direct and kernel_row_products.applies(x.shape[1], kernel_size, stride, dil, g):
        # kw shifted copies of each image instead of im2col's kh * kw (kernel_row_products).
        return kernel_row_products.forward(x, weight, bias, pad, out)
    # Without groups the bias rides in the GEMM (a row of ones under the columns): no
    # extra pass over the output. With groups it is added in place to a contiguous
    # array (a ufunc reading a strided view with a broadcast bias is ~3x slower).
    fold_bias = bias is not None and g == 1
    if fold_bias:
        assert bias is not None
        w_g = np.concatenate([w_g[0], bias[:, None]], axis=1)[None]
    pitch = ow if direct else pitch
    images = max(1, BLOCK_BYTES // (k * oh * pitch * x.itemsize))
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
    products = scratch_rows("conv2d_products", (g, o // g, images * oh * pitch), 1, x.dtype)
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
    initial: np.ndarray | None = None,
) -> np.ndarray:
    """col2im(W^T G): the input gradient of a convolution (and a transposed convolution).

    `g2` is the output gradient as ``(groups, O / groups, N * OH * pitch)`` (columns in
    im2col's layout, `pitch` per output row), `weight` ``(O, C / groups, kh, kw)``,
    `x_shape` the batched input's ``(N, C, H, W)``. W^T G is computed for a block of
    images at a time (one GEMM per group with all ``C * kh * kw`` rows) and folded back
    by col2im while still in cache: the full column gradient is never allocated. With
    `initial` (``(C,)``, a transposed convolution's bias) channel ``c`` starts from
    ``initial[c]`` instead of zero.
    """
    stride, pad, dil, groups = geometry
    n, c, h, w = x_shape
    o, k = weight.shape[0], weight[0].size * groups
    kh, kw = kernel_size_of(weight)
    _, _, oh, ow, _ = column_geometry(x_shape, (kh, kw), stride, pad, dil)
    dtype = weight.dtype
    w_t = weight.reshape(groups, o // groups, k // groups).transpose(0, 2, 1)
    per_image = oh * pitch
    images = max(1, BLOCK_BYTES // (k * per_image * dtype.itemsize))
    check_bytes("the column gradient of one image", (k, per_image), dtype.itemsize)
    g_block = scratch_rows("conv2d_grad_cols", (groups, k // groups, images * per_image), 1, dtype)
    finite_weight = bool(np.isfinite(weight).all())
    # Each block's pixels go straight into the output: no per-block arrays to concatenate
    # (fresh multi-MB arrays cost page faults on every call).
    out = np.empty(x_shape, dtype)
    fold = ((kh, kw), stride, pad, dil, pitch, pitch > ow, initial)
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
        fold_columns(rows, (m, c, h, w), *fold, out=out[start : start + m])
    return out
