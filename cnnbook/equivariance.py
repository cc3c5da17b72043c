r"""Translation: convolution is shift-*equivariant*; invariance needs position thrown away.

A map $f$ is **equivariant** to shifts $T$ if shifting the input shifts the
output, $f(T x) = T' f(x)$ (with $T'$ the shift scaled down by $f$'s stride),
and **invariant** if the output does not move at all, $f(T x) = f(x)$. We
measure how far a map is from either as a normalised error,

$$e_{\mathrm{equi}} = \frac{\lVert f(Tx) - T' f(x) \rVert}{\lVert f(x) \rVert},
\qquad e_{\mathrm{inv}} = \frac{\lVert f(Tx) - f(x) \rVert}{\lVert f(x) \rVert},$$

(Frobenius norms over every axis, optionally after cropping a border of the
output), and the tests turn the classic claims into numbers:

- convolution with circular padding is exactly equivariant to circular shifts;
- with zero padding it is equivariant away from the borders (crop them);
- a stride $s$ keeps equivariance only for shifts that are multiples of $s$;
- max pooling with stride $s$ is exactly equivariant at its own scale (a shift
  by $s k$ moves the pooled map by $k$), hence not invariant: its invariance
  error is large even for a one-pixel shift;
- global pooling after a stride-1 (circular) convolution is exactly invariant;
  after strided layers, only for shifts that are multiples of the total
  stride (`cnnbook.global_invariance`).
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Callable, Iterable
from typing import Any, Literal

import numpy as np

from cnnbook._validation import as_numeric_array, nonnegative_pair, pair, positive_pair
from cnnbook.conv2d import conv2d

__all__ = [
    "conv2d_circular",
    "equivariance_error",
    "error_vs_shift",
    "invariance_error",
    "shift",
]

ShiftMode = Literal["zero", "circular"]


def shift(x: Any, dy: int, dx: int, mode: ShiftMode = "zero") -> np.ndarray:
    """Translate the last two axes of `x` by `dy` rows (down) and `dx` columns (right).

    Parameters
    ----------
    x : ndarray of shape (..., H, W)
        Image or feature maps.
    dy, dx : int
        Shift in cells; negative values shift up / left.
    mode : {"zero", "circular"}, default "zero"
        Fill the cells that come in with zeros, or wrap around (`np.roll`).

    Returns
    -------
    ndarray, shape and dtype of `x`

    Raises
    ------
    ValueError
        An unknown `mode`.

    Examples
    --------
    >>> x = np.arange(1, 7).reshape(2, 3)
    >>> shift(x, 0, 1)
    array([[0, 1, 2],
           [0, 4, 5]])
    >>> shift(x, 1, -1, mode="circular")
    array([[5, 6, 4],
           [2, 3, 1]])
    """
    arr = as_numeric_array("x", x)
    dy, dx = pair("shift", (dy, dx))
    if mode == "circular":
        return np.roll(arr, (dy, dx), axis=(-2, -1))
    if mode != "zero":
        raise ValueError(f'mode (={mode!r}) must be "zero" or "circular"')
    h, w = arr.shape[-2:]
    out = np.zeros_like(arr)
    src = (slice(max(0, -dy), max(0, h - dy)), slice(max(0, -dx), max(0, w - dx)))
    dst = (slice(max(0, dy), max(0, h + dy)), slice(max(0, dx), max(0, w + dx)))
    out[..., dst[0], dst[1]] = arr[..., src[0], src[1]]
    return out


def conv2d_circular(x: Any, weight: Any, bias: Any = None, stride: Any = 1) -> np.ndarray:
    """`cnnbook.conv2d` on a circularly padded input (torch's ``padding_mode="circular"``).

    The padding is ``kernel_size // 2`` before and the rest after, so a
    stride-1 output has the input's size, and the image behaves as if drawn on
    a torus: no border, hence exact shift equivariance.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    weight : ndarray of shape (out_channels, C, kh, kw)
    bias : ndarray of shape (out_channels,), optional
    stride : int or pair of int, default 1

    Returns
    -------
    ndarray of shape (N, out_channels, ceil(H / sh), ceil(W / sw))

    Examples
    --------
    >>> x = np.arange(9.).reshape(1, 1, 3, 3)
    >>> conv2d_circular(x, np.ones((1, 1, 1, 3)))[0, 0]  # row sums, wrapping around
    array([[ 3.,  3.,  3.],
           [12., 12., 12.],
           [21., 21., 21.]])
    """
    arr = as_numeric_array("x", x)
    w = as_numeric_array("weight", weight)
    if arr.ndim != 4 or w.ndim != 4:
        raise ValueError(
            f"x (shape {arr.shape}) and weight (shape {w.shape}) must both be 4-D: "
            "(N, C, H, W) and (out_channels, C, kh, kw)"
        )
    kh, kw = w.shape[-2:]
    padded = np.pad(
        arr, ((0, 0), (0, 0), (kh // 2, kh - 1 - kh // 2), (kw // 2, kw - 1 - kw // 2)),
        mode="wrap",
    )  # fmt: skip
    return conv2d(padded, w, bias, stride=stride)


def _norm_ratio(a: np.ndarray, b: np.ndarray, crop: tuple[int, int]) -> float:
    cy, cx = crop
    h, w = a.shape[-2:]
    if 2 * cy >= h or 2 * cx >= w:
        raise ValueError(f"crop (={crop}) leaves nothing of an output of size {(h, w)}")
    region = (..., slice(cy, h - cy), slice(cx, w - cx))
    denom = float(np.linalg.norm(b[region]))
    if denom == 0.0:
        raise ValueError("f(x) is zero (after cropping); the relative error is undefined")
    return float(np.linalg.norm(a[region] - b[region])) / denom


def equivariance_error(
    f: Callable[[np.ndarray], np.ndarray],
    x: Any,
    shift_by: tuple[int, int],
    stride: Any = 1,
    crop: Any = 0,
    mode: ShiftMode = "circular",
) -> float:
    r"""Relative distance of $f(T x)$ from $T' f(x)$: zero for an equivariant map.

    Parameters
    ----------
    f : callable
        Map from `x`'s shape to an output whose last two axes are spatial.
    x : ndarray of shape (..., H, W)
    shift_by : pair of int
        Input shift ``(dy, dx)``.
    stride : int or pair of int, default 1
        Total stride of `f`: the output shift is ``shift_by / stride``. When that
        is not an integer, the smallest error over the rounded-down and
        rounded-up output shifts is returned (no output shift can match).
    crop : int or pair of int, default 0
        Output cells ignored at each border (where zero padding breaks equivariance).
    mode : {"circular", "zero"}, default "circular"
        How `shift` fills the cells that come in, for input and output alike.

    Returns
    -------
    float
        $\lVert f(Tx) - T'f(x) \rVert / \lVert f(x) \rVert$ over the cropped output.

    Raises
    ------
    ValueError
        A negative crop, a crop larger than the output, $f(x) = 0$, a bad stride or mode.

    Examples
    --------
    >>> x = np.random.default_rng(0).standard_normal((1, 1, 8, 8))
    >>> w = np.ones((1, 1, 3, 3))
    >>> equivariance_error(lambda v: conv2d_circular(v, w), x, (2, 3)) < 1e-12
    True
    >>> equivariance_error(lambda v: conv2d_circular(v, w, stride=2), x, (1, 0), stride=2) > 0.1
    True
    """
    s = positive_pair("stride", stride)
    c = nonnegative_pair("crop", crop)
    dy, dx = pair("shift_by", shift_by)
    fx, fshift = f(np.asarray(x)), f(shift(x, dy, dx, mode))
    candidates = itertools.product(*({d // st, -(-d // st)} for d, st in ((dy, s[0]), (dx, s[1]))))
    return min(_norm_ratio(fshift, shift(fx, oy, ox, mode), c) for oy, ox in candidates)


def invariance_error(
    f: Callable[[np.ndarray], np.ndarray],
    x: Any,
    shift_by: tuple[int, int],
    mode: ShiftMode = "circular",
) -> float:
    r"""Relative change of $f(x)$ when $x$ is shifted: zero for an invariant map.

    Parameters
    ----------
    f : callable
        Any map of arrays.
    x : ndarray of shape (..., H, W)
    shift_by : pair of int
        Input shift ``(dy, dx)``.
    mode : {"circular", "zero"}, default "circular"

    Returns
    -------
    float
        $\lVert f(Tx) - f(x) \rVert / \lVert f(x) \rVert$.

    Examples
    --------
    >>> from cnnbook import global_avg_pool2d, max_pool2d
    >>> x = np.random.default_rng(0).standard_normal((1, 1, 8, 8))
    >>> invariance_error(global_avg_pool2d, x, (3, -2)) < 1e-12
    True
    >>> invariance_error(lambda v: max_pool2d(v, 2), x, (0, 1)) > 0.1
    True
    """
    dy, dx = pair("shift_by", shift_by)
    fx = np.asarray(f(np.asarray(x)))
    fs = np.asarray(f(shift(x, dy, dx, mode)))
    denom = float(np.linalg.norm(fx))
    if denom == 0.0:
        raise ValueError("f(x) is zero; the relative error is undefined")
    return float(np.linalg.norm(fs - fx)) / denom


def error_vs_shift(
    f: Callable[[np.ndarray], np.ndarray],
    x: Any,
    shifts: Iterable[int],
    measure: Literal["equivariance", "invariance"] = "invariance",
    axis: int = -1,
    **kwargs: Any,
) -> tuple[np.ndarray, np.ndarray]:
    """Measure the error of `f` for each shift distance along one axis (the curve the docs plot).

    Parameters
    ----------
    f, x
        As for `equivariance_error` / `invariance_error`.
    shifts : iterable of int
        Shift distances, e.g. ``range(9)``.
    measure : {"invariance", "equivariance"}, default "invariance"
    axis : {-1, -2}, default -1
        Shift along columns (-1, to the right) or rows (-2, down).
    **kwargs
        Passed to the measure (``mode``, and ``stride``/``crop`` for equivariance).

    Returns
    -------
    shifts : ndarray of int
    errors : ndarray of float

    Examples
    --------
    >>> from cnnbook import global_max_pool2d
    >>> x = np.random.default_rng(0).standard_normal((1, 1, 6, 6))
    >>> error_vs_shift(global_max_pool2d, x, range(3))[1]
    array([0., 0., 0.])
    """
    if axis not in (-1, -2):
        raise ValueError(f"axis (={axis!r}) must be -1 (columns) or -2 (rows)")
    if measure not in ("equivariance", "invariance"):
        raise ValueError(f'measure (={measure!r}) must be "equivariance" or "invariance"')
    fn = equivariance_error if measure == "equivariance" else invariance_error
    values = list(shifts)
    bad = [d for d in values if not isinstance(d, numbers.Integral) or isinstance(d, bool)]
    if bad or not values:
        raise TypeError(f"shifts (={values!r}) must be a non-empty sequence of ints")
    s = np.array(values, dtype=int)
    errors = [fn(f, x, (0, int(d)) if axis == -1 else (int(d), 0), **kwargs) for d in s]
    return s, np.array(errors)
