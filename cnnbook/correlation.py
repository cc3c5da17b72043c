r"""Cross-correlation and convolution of one 2-D image with one 2-D kernel.

What a CNN layer computes is a *cross-correlation*: slide the kernel over the
image and take a dot product at every position. A *convolution* is the same
with the kernel flipped in both axes (rotated by 180°). Both come in SciPy's
three modes, which differ only in how much zero padding surrounds the image:

- ``"valid"``: no padding, only positions where the kernel fits inside the
  image, output $(H - k_h + 1) \times (W - k_w + 1)$;
- ``"full"``: every position where kernel and image overlap at all, output
  $(H + k_h - 1) \times (W + k_w - 1)$;
- ``"same"``: the centre of the full output, cropped to the image's size.

The vectorised functions take every window at once with
`cnnbook.sliding_windows` and contract them with the kernel in one
`numpy.tensordot` (for outputs of 1024 pixels or more: one multiply-add of the
whole output per kernel tap, which copies no windows); the ``*_naive`` twins spell
out the loops for reading, and refuse inputs that would keep them busy for minutes.
Both equal `scipy.signal.correlate2d` / `scipy.signal.convolve2d` with zero fill, and
share the modes' checks, shapes and crops (`cnnbook.correlation_modes`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from cnnbook._validation import check_bytes
from cnnbook.correlation_modes import MODES as MODES
from cnnbook.correlation_modes import Mode as Mode
from cnnbook.correlation_modes import check_operands, full_offset, output_shape
from cnnbook.windows import pad2d, sliding_windows

__all__ = ["convolve2d", "convolve2d_naive", "correlate2d", "correlate2d_naive"]

# The naive twins refuse more loop iterations than this (~1 us each: about ten seconds).
NAIVE_MAX_STEPS = 10**7
# From this many output pixels the vectorised functions loop over kernel taps (each step
# vectorised over the output); below it, one tensordot over copied windows, of at most
# _WINDOW_BYTES per call.
_OFFSET_LOOP_PIXELS = 1024
_WINDOW_BYTES = 64 << 20


def _correlate(x: np.ndarray, k: np.ndarray, mode: str, flipped: bool) -> np.ndarray:
    """Correlate `x` with `k` (already flipped if `flipped`), cropped like SciPy's `mode`."""
    kh, kw = k.shape
    oh, ow = output_shape(x.shape, k.shape, mode)
    oi, oj = full_offset(k.shape, mode, flipped)
    # The full output is the valid correlation of x padded by k-1 on every side;
    # starting the padding `offset` cells later crops it exactly as SciPy does.
    top, left = kh - 1 - oi, kw - 1 - oj
    bottom, right = oh + kh - 1 - x.shape[0] - top, ow + kw - 1 - x.shape[1] - left
    check_bytes("the output", (oh, ow), x.itemsize)
    xp = pad2d(x, (top, bottom, left, right))
    windows = sliding_windows(xp, (kh, kw))
    if oh * ow >= _OFFSET_LOOP_PIXELS:
        # One vectorised multiply-add of the whole output per kernel tap: kh*kw steps
        # over contiguous rows, no copy of the windows (which would be oh*ow*kh*kw values).
        out = np.zeros((oh, ow), dtype=x.dtype)
        for a in range(kh):
            for b in range(kw):
                out += k[a, b] * xp[a : a + oh, b : b + ow]
        return out
    # Few outputs (a kernel nearly as large as the image): one tensordot over the
    # windows, a block of output rows at a time so the copy it makes stays bounded.
    rows = max(1, _WINDOW_BYTES // (ow * kh * kw * x.itemsize))
    if rows >= oh:
        return np.tensordot(windows, k, axes=2)
    out = np.empty((oh, ow), dtype=x.dtype)
    for i in range(0, oh, rows):
        out[i : i + rows] = np.tensordot(windows[i : i + rows], k, axes=2)
    return out


def correlate2d(image: ArrayLike, kernel: ArrayLike, mode: Mode = "valid") -> np.ndarray:
    r"""Cross-correlate a 2-D image with a 2-D kernel: what a convolutional layer computes.

    Parameters
    ----------
    image : array_like of shape (H, W)
        Real numbers (bool, int or float).
    kernel : array_like of shape (kh, kw)
        Real numbers. In ``"same"`` and ``"full"`` mode it may be larger than the image.
    mode : {"valid", "same", "full"}, default "valid"
        Output size: $(H-k_h+1, W-k_w+1)$, $(H, W)$ or $(H+k_h-1, W+k_w-1)$.

    Returns
    -------
    ndarray
        The correlation. Floats keep NumPy's promoted dtype (float32 with float32
        stays float32); integer and bool inputs give int64 (uint64 for uint64).

    Raises
    ------
    TypeError
        If `image` or `kernel` is not a real numeric array.
    ValueError
        If either is not 2-D or is empty, `mode` is unknown, or the kernel does not
        fit inside the image in ``"valid"`` mode.

    Notes
    -----
    $$y_{ij} = \sum_{a=0}^{k_h-1} \sum_{b=0}^{k_w-1} x_{i+a-o_h,\, j+b-o_w}\, k_{ab},$$
    with $x$ zero outside the image and the offset $o = k - 1$ (``"full"``),
    $0$ (``"valid"``) or $\lfloor (k-1)/2 \rfloor$ (``"same"``) per axis: for an
    even kernel, SciPy's ``"same"`` puts the extra padding row/column at the
    bottom/right, as PyTorch's ``padding="same"`` does (see `same_padding`).

    Differences from `scipy.signal.correlate2d`: in ``"valid"`` mode a kernel
    larger than the image is an error here, where SciPy silently swaps the two
    arrays; integers are summed in int64, where SciPy keeps e.g. uint8 and wraps.

    Examples
    --------
    >>> x = np.arange(16).reshape(4, 4)
    >>> k = np.array([[1, 0], [0, -1]])
    >>> correlate2d(x, k)  # x[i, j] - x[i + 1, j + 1]
    array([[-5, -5, -5],
           [-5, -5, -5],
           [-5, -5, -5]])
    >>> [correlate2d(x, k, mode).shape for mode in ("valid", "same", "full")]
    [(3, 3), (4, 4), (5, 5)]
    """
    x, k, _ = check_operands(image, kernel, mode)
    return _correlate(x, k, mode, flipped=False)


def convolve2d(image: ArrayLike, kernel: ArrayLike, mode: Mode = "valid") -> np.ndarray:
    r"""Convolve a 2-D image with a 2-D kernel: correlation with the kernel flipped.

    Parameters
    ----------
    image : array_like of shape (H, W)
        Real numbers (bool, int or float).
    kernel : array_like of shape (kh, kw)
        Real numbers. In ``"same"`` and ``"full"`` mode it may be larger than the image.
    mode : {"valid", "same", "full"}, default "valid"
        Output size: $(H-k_h+1, W-k_w+1)$, $(H, W)$ or $(H+k_h-1, W+k_w-1)$.

    Returns
    -------
    ndarray
        The convolution, with the dtype rules of `correlate2d`.

    Raises
    ------
    TypeError
        If `image` or `kernel` is not a real numeric array.
    ValueError
        If either is not 2-D or is empty, `mode` is unknown, or the kernel does not
        fit inside the image in ``"valid"`` mode.

    Notes
    -----
    $$y_{ij} = \sum_{a,b} x_{i-a+o_h,\, j-b+o_w}\, k_{ab}
             = \sum_{a,b} x_{i+a+o_h-(k_h-1),\, j+b+o_w-(k_w-1)}\, k_{k_h-1-a,\, k_w-1-b},$$
    that is correlation with the flipped kernel. In ``"valid"`` and ``"full"``
    mode ``convolve2d(x, k) == correlate2d(x, k[::-1, ::-1])`` exactly. In
    ``"same"`` mode with an *even* kernel it does not: SciPy crops the centre
    of the full output, and the centre of an even length rounds down for
    convolution ($o = \lfloor (k-1)/2 \rfloor$) but, after the flip, up for
    correlation, so the two differ by a shift of one row (column) — the extra
    padding sits top/left here and bottom/right in `correlate2d`. This function
    follows SciPy's ``convolve2d`` exactly, including that shift.

    Examples
    --------
    >>> x = np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    >>> k = np.array([[1, 2], [3, 4]])
    >>> convolve2d(x, k, "full")  # an impulse reproduces the kernel
    array([[0, 0, 0, 0],
           [0, 1, 2, 0],
           [0, 3, 4, 0],
           [0, 0, 0, 0]])
    >>> correlate2d(x, k, "full")  # correlation reproduces it flipped
    array([[0, 0, 0, 0],
           [0, 4, 3, 0],
           [0, 2, 1, 0],
           [0, 0, 0, 0]])
    """
    x, k, _ = check_operands(image, kernel, mode)
    return _correlate(x, k[::-1, ::-1], mode, flipped=True)


def _naive(image: Any, kernel: Any, mode: Any, convolve: bool) -> np.ndarray:
    x, k, dtype = check_operands(image, kernel, mode)
    h, w = x.shape
    kh, kw = k.shape
    # SciPy defines every mode as a window onto the full output, starting at (oi, oj).
    oi, oj = full_offset(k.shape, mode, flipped=convolve)
    out_h, out_w = output_shape(x.shape, k.shape, mode)
    steps = out_h * out_w * kh * kw
    if steps > NAIVE_MAX_STEPS:
        fast = "convolve2d" if convolve else "correlate2d"
        raise ValueError(
            f"{fast}_naive would loop {steps:,} times (output {out_h}x{out_w} times kernel "
            f"{kh}x{kw}; the limit is {NAIVE_MAX_STEPS:,}, about ten seconds of Python): "
            f"use {fast}, the vectorised function, which gives the same result"
        )
    out = np.zeros((out_h, out_w), dtype=dtype)
    for i in range(out_h):
        for j in range(out_w):
            total = dtype.type(0)
            for a in range(kh):
                for b in range(kw):
                    if convolve:  # image index moves against the kernel index
                        r, c = i + oi - a, j + oj - b
                    else:  # image index moves with the kernel index
                        r, c = i + oi - (kh - 1) + a, j + oj - (kw - 1) + b
                    if 0 <= r < h and 0 <= c < w:  # zero outside the image
                        total += x[r, c] * k[a, b]
            out[i, j] = total
    return out


def correlate2d_naive(image: ArrayLike, kernel: ArrayLike, mode: Mode = "valid") -> np.ndarray:
    r"""Cross-correlate with four plain loops: `correlate2d` written to be read.

    Parameters
    ----------
    image : array_like of shape (H, W)
        Real numbers.
    kernel : array_like of shape (kh, kw)
        Real numbers.
    mode : {"valid", "same", "full"}, default "valid"
        As in `correlate2d`.

    Returns
    -------
    ndarray
        Equal to ``correlate2d(image, kernel, mode)``.

    Raises
    ------
    TypeError, ValueError
        As `correlate2d`; and a ValueError pointing to `correlate2d` when the loops would run more
        than ``NAIVE_MAX_STEPS`` (10**7) times, i.e. minutes for a large image.

    Notes
    -----
    $y_{ij} = \sum_{a,b} x_{i+o_h-(k_h-1)+a,\; j+o_w-(k_w-1)+b}\, k_{ab}$ where
    $(o_h, o_w)$ is where the mode's output starts inside the full output.

    Examples
    --------
    >>> correlate2d_naive([[1, 2, 3], [4, 5, 6]], [[1, 1]])
    array([[ 3,  5],
           [ 9, 11]])
    """
    return _naive(image, kernel, mode, convolve=False)


def convolve2d_naive(image: ArrayLike, kernel: ArrayLike, mode: Mode = "valid") -> np.ndarray:
    r"""Convolve with four plain loops: `convolve2d` written to be read.

    Parameters
    ----------
    image : array_like of shape (H, W)
        Real numbers.
    kernel : array_like of shape (kh, kw)
        Real numbers.
    mode : {"valid", "same", "full"}, default "valid"
        As in `convolve2d`.

    Returns
    -------
    ndarray
        Equal to ``convolve2d(image, kernel, mode)``.

    Raises
    ------
    TypeError, ValueError
        As `convolve2d`; and a ValueError pointing to `convolve2d` when the loops would run more
        than ``NAIVE_MAX_STEPS`` (10**7) times, i.e. minutes for a large image.

    Notes
    -----
    $y_{ij} = \sum_{a,b} x_{i+o_h-a,\; j+o_w-b}\, k_{ab}$: the textbook
    convolution, image index running against the kernel index.

    Examples
    --------
    >>> convolve2d_naive([[1, 2, 3], [4, 5, 6]], [[1, -1]])  # x[i, j+1] - x[i, j]
    array([[1, 1],
           [1, 1]])
    """
    return _naive(image, kernel, mode, convolve=True)
