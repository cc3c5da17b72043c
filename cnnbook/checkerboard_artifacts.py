r"""Checkerboard artefacts: why a strided transposed convolution paints a grid.

Odena, Dumoulin & Olah (2016, *Deconvolution and Checkerboard Artifacts*): a
transposed convolution with stride $s$ stamps one copy of its kernel per input
pixel, $s$ pixels apart. When the kernel size $k$ is not a multiple of $s$, the
copies overlap *unevenly*: some output pixels are covered by more copies than
their neighbours, in a pattern that repeats every $s$ pixels. Even on a constant
input the output then varies with period $s$: a checkerboard. Resizing first
(nearest-neighbour upsampling by $s$) and then convolving gives every output
pixel the same number of inputs, so a constant input stays constant.

This module measures both on a constant input. The layers are cnnbook's own:
`conv_transpose2d`, `interpolate` then `conv2d`.

Public names
------------
- `overlap_counts(kernel_size, stride, size=8)`: kernel copies covering each pixel.
- `upsampled_constant(weight, stride, size=8, method="transposed")`: both upsamplers
  on an image of ones.
- `interior_spread(y, margin)` -> `Spread`: max, min, their ratio and the std of the
  interior.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from cnnbook._validation import as_numeric_array, nonnegative_pair, positive_int
from cnnbook.conv2d import conv2d
from cnnbook.conv_transpose2d import conv_transpose2d
from cnnbook.interpolation import interpolate

__all__ = [
    "UPSAMPLING_METHODS",
    "Spread",
    "interior_spread",
    "overlap_counts",
    "upsampled_constant",
]

UPSAMPLING_METHODS = ("transposed", "resize-convolution")


def overlap_counts(kernel_size: int, stride: int, size: int = 8) -> np.ndarray:
    r"""Count the kernel copies a stride-`stride` transposed convolution stamps on each pixel.

    Parameters
    ----------
    kernel_size, stride : int
        Of the transposed convolution (square kernel, no padding).
    size : int, default 8
        Side of the input image.

    Returns
    -------
    ndarray of int64, shape (H_out, H_out)
        ``conv_transpose2d`` of a ``size x size`` image of ones with a kernel of ones:
        $H_{out} = (\text{size} - 1)s + k$ (`transposed_conv_output_size`).

    Raises
    ------
    ValueError, TypeError
        If a size is not a positive int.

    Examples
    --------
    >>> overlap_counts(3, 2, size=3)  # kernel 3, stride 2: 1, 2 and 4 copies
    array([[1, 1, 2, 1, 2, 1, 1],
           [1, 1, 2, 1, 2, 1, 1],
           [2, 2, 4, 2, 4, 2, 2],
           [1, 1, 2, 1, 2, 1, 1],
           [2, 2, 4, 2, 4, 2, 2],
           [1, 1, 2, 1, 2, 1, 1],
           [1, 1, 2, 1, 2, 1, 1]])
    """
    k = positive_int("kernel_size", kernel_size)
    s = positive_int("stride", stride)
    n = positive_int("size", size)
    counts = conv_transpose2d(np.ones((1, 1, n, n)), np.ones((1, 1, k, k)), stride=s)
    return np.rint(counts[0, 0]).astype(np.int64)


def upsampled_constant(
    weight: Any, stride: int, size: int = 8, method: str = "transposed"
) -> np.ndarray:
    """Upsample a ``size x size`` image of ones by `stride` with a learned kernel.

    Parameters
    ----------
    weight : ndarray of shape (kh, kw)
        One kernel, used by both methods.
    stride : int
        The upsampling factor.
    size : int, default 8
    method : {"transposed", "resize-convolution"}, default "transposed"
        ``"transposed"``: `conv_transpose2d` with `stride` (no padding), output
        ``(size - 1) * stride + k``. ``"resize-convolution"``: `interpolate` by
        `stride` (``mode="nearest"``, what ``nn.Upsample(scale_factor=stride)``
        does), then `conv2d` with zero padding ``k // 2`` (``"same"`` for odd `k`).

    Returns
    -------
    ndarray of shape (H_out, W_out)

    Raises
    ------
    ValueError, TypeError
        A weight that is not 2-D, a size that is not a positive int, or an unknown
        `method`.

    Examples
    --------
    >>> w = np.ones((3, 3))
    >>> upsampled_constant(w, 2, size=3)[2:5, 2:5]  # uneven overlap: 4, 2, 4 / 2, 1, 2
    array([[4., 2., 4.],
           [2., 1., 2.],
           [4., 2., 4.]])
    >>> upsampled_constant(w, 2, size=3, method="resize-convolution")[2:5, 2:5]
    array([[9., 9., 9.],
           [9., 9., 9.],
           [9., 9., 9.]])
    """
    w = as_numeric_array("weight", weight, ndim=2)
    s = positive_int("stride", stride)
    n = positive_int("size", size)
    if method not in UPSAMPLING_METHODS:
        raise ValueError(
            f"method (={method!r}) must be one of {', '.join(map(repr, UPSAMPLING_METHODS))}"
        )
    ones = np.ones((1, 1, n, n))
    kernel = w.astype(np.float64)[None, None]
    if method == "transposed":
        return conv_transpose2d(ones, kernel, stride=s)[0, 0]
    padding = (kernel.shape[2] // 2, kernel.shape[3] // 2)
    return conv2d(interpolate(ones, scale_factor=s, mode="nearest"), kernel, padding=padding)[0, 0]


class Spread(NamedTuple):
    """How much the interior of an upsampled constant image varies (see `interior_spread`)."""

    max: float
    min: float
    ratio: float
    """max / min: 1 for a constant interior."""
    std: float
    """Standard deviation of the interior values: 0 for a constant interior."""


def interior_spread(y: Any, margin: Any) -> Spread:
    """Measure max, min, max/min and standard deviation of `y` inside a border of `margin`.

    The border is left out because there fewer kernel copies (or zero padding) reach
    a pixel whatever the method: only the interior shows the artefact.

    Parameters
    ----------
    y : ndarray of shape (H, W)
    margin : int or pair of int
        Rows and columns left out on each side.

    Returns
    -------
    Spread

    Raises
    ------
    ValueError, TypeError
        If `y` is not 2-D, `margin` negative, or nothing is left inside.

    Examples
    --------
    >>> spread = interior_spread(upsampled_constant(np.ones((3, 3)), 2), 2)
    >>> spread.max, spread.min, spread.ratio
    (4.0, 1.0, 4.0)
    """
    arr = as_numeric_array("y", y, ndim=2)
    mh, mw = nonnegative_pair("margin", margin)
    inner = arr[mh : arr.shape[0] - mh, mw : arr.shape[1] - mw]
    if inner.size == 0:
        raise ValueError(f"margin (={margin!r}) leaves nothing inside y of shape {arr.shape}")
    high, low = float(inner.max()), float(inner.min())
    ratio = high / low if low != 0 else float("inf")
    return Spread(high, low, ratio, float(inner.std()))
