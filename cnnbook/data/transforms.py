r"""Image transforms for data sets: bilinear resizing and random shifts (augmentation)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, check_bytes, finite_real, positive_pair

__all__ = ["random_shifts", "resize"]


def resize(x: np.ndarray, size: int | tuple[int, int]) -> np.ndarray:
    r"""Resize images bilinearly, like ``torch.nn.functional.interpolate(mode="bilinear")``.

    Parameters
    ----------
    x : ndarray of shape (..., H, W)
        Images (any leading axes, e.g. ``(N, C, H, W)``); integers and booleans
        are converted to float64.
    size : int or (int, int)
        Output height and width.

    Returns
    -------
    ndarray of shape (..., out_h, out_w), floating.

    Raises
    ------
    ValueError
        If `x` has fewer than two axes or is empty, `size` is not positive, or the
        output would need more than 4 GiB.
    TypeError
        If `x` is not real numeric or `size` not an int or a pair of ints.

    Notes
    -----
    Half-pixel centres (``align_corners=False``): output pixel $i$ samples the
    input at $s = (i + \tfrac12)\,\tfrac{H}{H_\text{out}} - \tfrac12$ (clamped at 0),
    mixing its two neighbours $\lfloor s \rfloor$ and $\lfloor s \rfloor + 1$ linearly.
    Each output pixel reads only those 2 × 2 neighbours, as torch does, so a NaN
    or an infinity in the input reaches only the output pixels that read it.

    Examples
    --------
    >>> resize(np.array([[0.0, 1.0]]), (1, 4))
    array([[0.  , 0.25, 0.75, 1.  ]])
    """
    out_h, out_w = positive_pair("size", size)
    arr = as_numeric_array("x", x)
    if arr.ndim < 2:
        raise ValueError(f"x has shape {arr.shape}; expected (..., H, W), at least 2 axes")
    arr = arr if arr.dtype.kind == "f" else arr.astype(np.float64)
    check_bytes("the resized images", (*arr.shape[:-2], out_h, out_w), arr.itemsize)
    check_bytes("the resized images", (*arr.shape[:-1], out_w), arr.itemsize)
    # Columns first, then rows, in torch's order of operations: a gather of the two
    # neighbours, not a matrix product, whose zero weights would spread 0 * NaN = NaN.
    lo, hi, w_hi = _neighbours(arr.shape[-1], out_w, arr.dtype)
    cols = arr[..., lo] * (1 - w_hi) + arr[..., hi] * w_hi
    lo, hi, w_hi = _neighbours(arr.shape[-2], out_h, arr.dtype)
    return cols[..., lo, :] * (1 - w_hi)[:, None] + cols[..., hi, :] * w_hi[:, None]


def _neighbours(n_in: int, n_out: int, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray, Any]:
    """Left/top neighbour, right/bottom neighbour and the weight of the second, per output cell."""
    src = np.maximum((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0.0)
    lo = np.minimum(np.floor(src).astype(np.intp), n_in - 1)
    hi = np.minimum(lo + 1, n_in - 1)
    return lo, hi, (src - lo).astype(dtype)


def random_shifts(
    x: np.ndarray, rng: np.random.Generator, max_shift: int = 1, fraction: float = 0.5
) -> np.ndarray:
    """Move a random `fraction` of the images by up to `max_shift` pixels (augmentation).

    Each chosen image is shifted by a uniform ``(dy, dx)`` in
    ``[-max_shift, max_shift]²``, zeros entering at the border; the others are
    unchanged. A network trained this way sees each digit at several positions,
    which teaches it the translation invariance that pooling only approximates.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    rng : numpy.random.Generator
    max_shift : int, default 1
    fraction : float in [0, 1], default 0.5

    Returns
    -------
    ndarray of the shape and dtype of `x` (a new array).

    Examples
    --------
    >>> x = np.zeros((1, 1, 3, 3)); x[0, 0, 1, 1] = 1
    >>> moved = random_shifts(x, np.random.default_rng(1), fraction=1.0)
    >>> float(moved.sum()), moved.shape  # the centre pixel cannot fall off a 3×3 image
    (1.0, (1, 1, 3, 3))
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng (={rng!r}) must be a numpy.random.Generator")
    if (
        not isinstance(max_shift, numbers.Integral)
        or isinstance(max_shift, bool | np.bool_)
        or max_shift < 0
    ):
        raise ValueError(f"max_shift (={max_shift!r}) must be a non-negative int")
    if not 0.0 <= finite_real("fraction", fraction) <= 1.0:
        raise ValueError(f"fraction (={fraction!r}) must be in [0, 1]")
    x = as_numeric_array("x", x, ndim=4)
    n, c, h, w = x.shape
    m = int(max_shift)
    check_bytes("the padded images", (n, c, h + 2 * m, w + 2 * m), x.itemsize)
    padded = np.pad(x, ((0, 0), (0, 0), (m, m), (m, m)))
    offsets = rng.integers(0, 2 * m + 1, size=(2, n))
    offsets[:, rng.random(n) >= fraction] = m  # offset m = no shift
    rows = (offsets[0][:, None] + np.arange(h))[:, :, None]
    cols = (offsets[1][:, None] + np.arange(w))[:, None, :]
    # Advanced indexing puts the (N, H, W) index axes first: move channels back.
    return padded[np.arange(n)[:, None, None], :, rows, cols].transpose(0, 3, 1, 2).copy()
