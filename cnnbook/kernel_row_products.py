r"""A unit-stride convolution's forward pass as ONE GEMM of kernel-row products.

im2col copies every window: ``C * kh * kw`` rows per output pixel, ``kh * kw`` times
the input's bytes, written and then read again by the GEMM. For a forward pass alone
(no columns to keep for a backward pass) of a large layer with many channels, those
copies cost a fifth of the call. Here only ``kw`` shifted copies of each padded image are
made (row ``(c, b)`` is the padded image of channel ``c`` read from column ``b`` on), and
the weight is stacked by kernel row, ``(kh * O, C * kw)``: one GEMM then gives, for each
kernel row ``a``, the products of that row of every window, and the output is their sum
read ``a`` padded rows apart,

$$y[o, i, j] = \sum_a P[(a, o),\, (i + a) p + j],\qquad P = W_{\text{stacked}} X_{\text{shifted}},$$

where $p$ is the padded width. A padded row is ``p`` long, so an output column ``j <
OW`` reads only pixels of its own rows, and the products past ``OW`` (which wrap into the
next row) are never read: an inf or NaN pixel reaches exactly the outputs whose windows
hold it. A bias rides in the GEMM as a row of ones under the shifted images.

`cnnbook.convolution_engine.forward` runs it for unit stride and dilation, no groups and
at least `MIN_ROW_WIDTH` rows of ``C * kw`` (with fewer channels the per-image GEMMs are
too small to pay for themselves), on images of many output pixels; it is unchecked (the
public functions validate their arguments first).
"""

from __future__ import annotations

import numpy as np

from cnnbook._validation import check_bytes
from cnnbook.conv_arguments import Padding4, Pair
from cnnbook.scratch import scratch_buffer, scratch_rows

__all__ = ["MIN_ROW_WIDTH", "applies", "forward"]

#: The fewest ``C * kw`` for which this forward beats im2col's (measured: 3x3 kernels on
#: 32 and 64 channels 0.75-0.90x, on 1 and 3 channels 1.7-2.4x, at 2 threads).
MIN_ROW_WIDTH = 96


def applies(channels: int, kernel_size: Pair, stride: Pair, dilation: Pair, groups: int) -> bool:
    """Tell whether a forward-only call of this geometry runs here (the engine's rule).

    It does with unit stride and dilation, no groups and at least `MIN_ROW_WIDTH` rows of
    ``channels * kw``.

    Examples
    --------
    >>> applies(64, (3, 3), (1, 1), (1, 1), 1), applies(3, (3, 3), (1, 1), (1, 1), 1)
    (True, False)
    """
    unit = stride == dilation == (1, 1)
    return unit and groups == 1 and channels * kernel_size[1] >= MIN_ROW_WIDTH


def forward(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None,
    pad: Padding4,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Unchecked unit-stride, undilated, ungrouped ``conv2d`` of `x` (N, C, H, W).

    Writes into `out` (N, O, OH, OW) if given, else into a new array; returns it.

    Examples
    --------
    >>> from cnnbook.im2col import sliding_windows, pad2d
    >>> x = np.arange(32.0).reshape(1, 2, 4, 4); w = np.ones((3, 2, 2, 3))
    >>> y = forward(x, w, np.array([0.0, 1.0, 2.0]), (1, 0, 1, 1))
    >>> windows = sliding_windows(pad2d(x, (1, 0, 1, 1)), (2, 3))  # (N, C, OH, OW, 2, 3)
    >>> bool(np.array_equal(y[0, 0], windows[0].sum(axis=(0, 3, 4))))
    True
    >>> y[:, 2] - y[:, 0]  # the bias
    array([[[2., 2., 2., 2.],
            [2., 2., 2., 2.],
            [2., 2., 2., 2.],
            [2., 2., 2., 2.]]])
    """
    n, c, h, w = x.shape
    o, _, kh, kw = weight.shape
    top, bottom, left, right = pad
    hp, p = h + top + bottom, w + left + right
    oh, ow = hp - kh + 1, p - kw + 1
    k = c * kw + (bias is not None)
    check_bytes("the shifted copies of one image", (k, hp * p), x.itemsize)
    check_bytes("the kernel-row products of one image", (kh * o, hp * p), x.itemsize)
    stacked = np.zeros((kh * o, k), dtype=x.dtype)
    stacked[:, : c * kw] = weight.transpose(2, 0, 1, 3).reshape(kh * o, c * kw)
    if bias is not None:
        stacked[:o, -1] = bias  # once per output: with the first kernel row's products
    # The padded image, with kw - 1 zeros after it for the last shifted copy; its borders
    # are zero from allocation and never written (only the interior is refilled).
    flat = scratch_buffer("row_products_padded", (c, hp * p + kw - 1), x.dtype, (h, w, pad))
    # The GEMM's operands: rows padded apart (cnnbook.row_padding; a 30x30 image with
    # padding 1 makes rows of 32 * 32 floats, 4 KB).
    shifted = scratch_rows("row_products_shifted", (k, hp * p), 1, x.dtype)
    products = scratch_rows("row_products", (kh * o, hp * p), 1, x.dtype)
    image = flat[:, : hp * p].reshape(c, hp, p)
    copies = shifted[: c * kw].reshape(c, kw, hp * p)
    if bias is not None:
        shifted[-1] = 1
    if out is None:
        out = np.empty((n, o, oh, ow), dtype=x.dtype)  # fresh: never aliases the scratch
    for i in range(n):
        image[:, top : top + h, left : left + w] = x[i]
        for b in range(kw):
            copies[:, b] = flat[:, b : b + hp * p]
        np.matmul(stacked, shifted, out=products)
        rows = [
            products[a * o : (a + 1) * o, a * p : (a + oh) * p].reshape(o, oh, p)[..., :ow]
            for a in range(kh)
        ]
        if kh == 1:
            np.copyto(out[i], rows[0])
            continue
        np.add(rows[0], rows[1], out=out[i])
        for row in rows[2:]:
            np.add(out[i], row, out=out[i])
    return out
