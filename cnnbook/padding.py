"""Padding modes: what a convolution reads beyond the border of its input.

Zero padding pretends the image is surrounded by black; the other modes
continue it: ``"reflect"`` mirrors it about the border pixel (``d c b | a b c d |
c b a``), ``"replicate"`` repeats the border pixel (``a a a | a b c d | d d d``),
``"circular"`` wraps around to the other side (``b c d | a b c d | a b c``), as if
the image tiled the plane. `pad` is `torch.nn.functional.pad` for those modes,
and `pad_backward` its gradient: every padded cell is a copy of one input pixel
(or a constant), so the gradient adds each cell's gradient back onto the pixel it
copied.

`cnnbook.nn.Conv2d` with ``padding_mode="reflect"`` (etc.) is `pad` followed by
a convolution without padding, as in torch; the functional `cnnbook.conv2d`
pads with zeros only, like torch's.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, check_bytes, grad_like

__all__ = ["PAD_MODES", "pad", "pad_backward"]

PAD_MODES = ("constant", "reflect", "replicate", "circular")


def _check(
    shape: tuple[int, ...], pad: Any, mode: Any
) -> tuple[list[tuple[int, int, int]], tuple[int, ...]]:
    """Validate `pad` and `mode` for an input of `shape`.

    Returns ``[(axis, before, after), ...]`` and the output shape. torch's `pad`
    lists the last axis first: ``(left, right, top, bottom, ...)``.
    """
    if not isinstance(mode, str) or mode not in PAD_MODES:
        raise ValueError(f"mode (={mode!r}) must be one of {', '.join(map(repr, PAD_MODES))}")
    if (
        not isinstance(pad, Sequence | np.ndarray)
        or isinstance(pad, str)
        or not all(isinstance(p, numbers.Integral) and not isinstance(p, bool) for p in pad)
    ):
        raise TypeError(f"pad (={pad!r}) must be a sequence of ints (left, right, top, bottom)")
    pad = [int(p) for p in pad]
    ndim = len(shape)
    if not pad or len(pad) % 2 or len(pad) // 2 > ndim:
        raise ValueError(
            f"pad (={tuple(pad)}) must have an even length of at most 2 * x.ndim "
            f"(= {2 * ndim}): (left, right) per axis, last axis first"
        )
    k = len(pad) // 2
    if mode != "constant" and not (k <= 3 and ndim in (k + 1, k + 2)):
        raise ValueError(
            f"mode={mode!r} pads the last 1 to 3 axes of an input with one or two more "
            f"axes (batch, channels), as in torch; got pad of length {len(pad)} for an "
            f"input of ndim {ndim}"
        )
    axes = []
    out = list(shape)
    for i in range(k):
        axis, before, after = ndim - 1 - i, pad[2 * i], pad[2 * i + 1]
        n = shape[axis]
        if mode == "reflect" and max(before, after) >= n:
            raise ValueError(
                f"pad (={tuple(pad)}) must be smaller than the input's size {n} along axis "
                f"{axis} for mode='reflect' (a reflection cannot reach past the far border)"
            )
        if mode == "circular" and n - max(-before, 0) - max(-after, 0) < 1:
            raise ValueError(
                f"pad (={tuple(pad)}) crops all {n} cells of axis {axis}; mode='circular' "
                "needs at least one left to wrap around"
            )
        if mode == "circular" and max(before, after) > n:
            raise ValueError(
                f"pad (={tuple(pad)}) must be at most the input's size {n} along axis "
                f"{axis} for mode='circular' (it would wrap around more than once)"
            )
        out[axis] = n + before + after
        if out[axis] < 1:
            raise ValueError(
                f"pad (={tuple(pad)}) crops axis {axis} of size {n} to {out[axis]}; "
                "expected at least 1"
            )
        axes.append((axis, before, after))
    return axes, tuple(out)


def _source(n: int, before: int, after: int, mode: str) -> np.ndarray:
    """For every cell of a padded axis, the index of the input cell it copies."""
    if mode == "circular":
        # torch crops first (negative pads), then wraps around what is left.
        start, m = max(-before, 0), n - max(-before, 0) - max(-after, 0)
        return start + np.arange(-max(before, 0), m + max(after, 0)) % m
    idx = np.arange(-before, n + after)
    if mode == "reflect":
        idx = np.abs(idx)
        return np.where(idx >= n, 2 * (n - 1) - idx, idx)
    return np.clip(idx, 0, n - 1)  # replicate


def _overlap(n: int, before: int, after: int) -> tuple[slice, slice]:
    """Constant mode: the input slice that survives and where it lands in the output."""
    start, stop = max(-before, 0), n - max(-after, 0)
    dst = max(before, 0)
    return slice(start, max(start, stop)), slice(dst, dst + max(0, stop - start))


def pad(x: Any, pad: Any, mode: str = "constant", value: float = 0.0) -> np.ndarray:
    """Pad the last axes of `x`, exactly `torch.nn.functional.pad`.

    Parameters
    ----------
    x : ndarray
        Input; for the modes other than ``"constant"``, ``(C, H, W)`` or ``(N, C, H, W)``
        with a `pad` of length 4 (or one axis fewer with length 2, one more with 6).
    pad : sequence of int
        ``(left, right, top, bottom, ...)``: before and after, last axis first (torch's
        order). Negative values crop.
    mode : {"constant", "reflect", "replicate", "circular"}, default "constant"
        ``"reflect"`` mirrors about the border pixel (pads smaller than the size),
        ``"replicate"`` repeats it, ``"circular"`` wraps around (pads at most the size).
    value : float, default 0.0
        The fill of ``"constant"`` mode.

    Returns
    -------
    ndarray
        A new array (never a view of `x`), of `x`'s dtype.

    Raises
    ------
    ValueError
        An unknown mode, a pad of odd length or longer than ``2 * x.ndim``, sizes the
        mode cannot pad, an output size below 1 or above 4 GiB, or a non-zero `value`
        with another mode than ``"constant"`` (as torch).
    TypeError
        Non-numeric `x`, `pad` not a sequence of ints, `value` not a real number.

    Examples
    --------
    >>> x = np.array([[[[1.0, 2.0, 3.0]]]])
    >>> for mode in ("constant", "reflect", "replicate", "circular"):
    ...     print(mode, pad(x, (2, 2, 0, 0), mode)[0, 0, 0])
    constant [0. 0. 1. 2. 3. 0. 0.]
    reflect [3. 2. 1. 2. 3. 2. 1.]
    replicate [1. 1. 1. 2. 3. 3. 3.]
    circular [2. 3. 1. 2. 3. 1. 2.]
    """
    x = as_numeric_array("x", x)
    axes, out_shape = _check(x.shape, pad, mode)
    if not isinstance(value, numbers.Real) or isinstance(value, bool | np.bool_):
        raise TypeError(f"value (={value!r}) must be a real number")
    if mode != "constant" and value != 0:
        raise ValueError(f"value (={value!r}) is only used by mode='constant'; got mode={mode!r}")
    check_bytes("the padded output", out_shape, x.itemsize)
    if mode == "constant":
        if x.dtype.kind in "biu" and not (np.isfinite(value) and float(value).is_integer()):
            raise ValueError(f"value (={value!r}) must be an integer to pad an array of {x.dtype}")
        out = np.full(out_shape, value, dtype=x.dtype)
        src, dst = [slice(None)] * x.ndim, [slice(None)] * x.ndim
        for axis, before, after in axes:
            src[axis], dst[axis] = _overlap(x.shape[axis], before, after)
        out[tuple(dst)] = x[tuple(src)]
        return out
    y = x
    for axis, before, after in axes:  # one gather per padded axis
        y = np.take(y, _source(x.shape[axis], before, after, mode), axis=axis)
    return y if y is not x else x.copy()


def pad_backward(
    grad_output: Any, input_shape: tuple[int, ...], pad: Any, mode: str = "constant"
) -> np.ndarray:
    """Gradient of a loss with respect to the input of `pad`, equal to torch autograd.

    Parameters
    ----------
    grad_output : ndarray of the padded output's shape
        Gradient of the loss with respect to ``pad(x, pad, mode)``.
    input_shape : tuple of int
        The shape of `x`.
    pad, mode
        As passed to `pad` (the fill value has no gradient).

    Returns
    -------
    ndarray of shape `input_shape`
        Each input pixel's gradient: the sum of the gradients of every cell that copies it.

    Raises
    ------
    ValueError, TypeError
        As `pad`, and if `grad_output` does not have exactly the padded shape.

    Examples
    --------
    >>> pad_backward(np.ones((1, 1, 1, 7)), (1, 1, 1, 3), (2, 2, 0, 0), "reflect")[0, 0, 0]
    array([2., 3., 2.])
    """
    if not (
        isinstance(input_shape, tuple | list)
        and all(isinstance(s, numbers.Integral) and not isinstance(s, bool) for s in input_shape)
        and all(s >= 1 for s in input_shape)
    ):
        raise TypeError(f"input_shape (={input_shape!r}) must be a tuple of positive ints")
    input_shape = tuple(int(s) for s in input_shape)
    axes, out_shape = _check(input_shape, pad, mode)
    g = grad_like("grad_output", grad_output, out_shape)
    dtype = g.dtype if g.dtype.kind == "f" else np.dtype(np.float64)
    g = g.astype(dtype, copy=False)
    if mode == "constant":
        out = np.zeros(input_shape, dtype=dtype)
        src, dst = [slice(None)] * len(input_shape), [slice(None)] * len(input_shape)
        for axis, before, after in axes:
            src[axis], dst[axis] = _overlap(input_shape[axis], before, after)
        out[tuple(src)] = g[tuple(dst)]
        return out
    for axis, before, after in reversed(axes):  # undo the gathers, last first
        n = input_shape[axis]
        idx = _source(n, before, after, mode)
        gm = np.moveaxis(g, axis, -1)
        acc = np.zeros((*gm.shape[:-1], n), dtype=dtype)
        # Cells that copy "their own" pixel (the unpadded middle) are one slice
        # assignment; each padding cell is one vectorised add onto the pixel it copies.
        straight = idx == np.arange(idx.size) - before
        acc[..., idx[straight]] = gm[..., straight]
        for p in np.flatnonzero(~straight):
            acc[..., idx[p]] += gm[..., p]
        g = np.moveaxis(acc, -1, axis)
    return np.ascontiguousarray(g)
