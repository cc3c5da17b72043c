r"""Max pooling forward (with torch's argmax indices) and backward.

Semantics are those of `torch.nn.functional.max_pool2d`, edge cases included
(torch 2.x CPU kernel):

- The window is scanned in row-major order over its cells *inside* the input;
  a cell wins if it is larger than the best so far **or is NaN**. So a NaN
  propagates to every window it falls in and the index is that of the window's
  *last* NaN; without NaN, ties go to the *first* maximum.
- Before the scan the best is $-\infty$ and the index is the window's first
  cell inside the input (its start moved forward by whole dilation steps). A
  window of $-\infty$ values keeps that index; a window made only of padding
  (possible with dilation) gives $-\infty$ and the index torch computes from
  the same rule, which may point at a cell outside the window.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, boolean
from cnnbook.pooling.windows import Geometry, batched, check_grad, geometry, windows

__all__ = ["max_pool2d", "max_pool2d_backward"]


def _is_2x2_stride2(g: Geometry) -> bool:
    return (
        g.kernel == g.stride == (2, 2) and g.padding == g.extra == (0, 0) and g.dilation == (1, 1)
    )


def _lowest(dtype: np.dtype) -> Any:
    if dtype.kind == "f":
        return -np.inf
    if dtype.kind == "b":
        return False
    return np.iinfo(dtype).min


def max_pool2d(
    x: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    r"""Max pooling: the largest value in every (strided, dilated, padded) window.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W) or (C, H, W)
        Input; the dtype is kept.
    kernel_size : int or pair of int
        Window size $(k_h, k_w)$.
    stride : int, pair of int or None, default None
        Step between windows; ``None`` means `kernel_size`.
    padding : int or pair of int, default 0
        $-\infty$ cells added on each side, at most ``kernel_size // 2``.
    dilation : int or pair of int, default 1
        Spacing between window taps (1 means none).
    ceil_mode : bool, default False
        Keep a last partial window (see `cnnbook.pool_output_size`).
    return_indices : bool, default False
        Also return the flat index ``row * W + col`` of each window's maximum in
        the unpadded input (torch's convention), to pass to `max_pool2d_backward`.

    Returns
    -------
    out : ndarray of shape (N, C, OH, OW) or (C, OH, OW)
    indices : ndarray of int64, same shape as `out`
        Only if `return_indices`.

    Raises
    ------
    TypeError
        Non-numeric input, non-int sizes, or a flag that is not a bool.
    ValueError
        Wrong ndim, non-positive kernel/stride/dilation, negative padding or padding
        larger than half the kernel, or an output size below 1 (torch's rule).

    Notes
    -----
    $\text{out}[n,c,i,j] = \max_{a,b} x_p[n,c,\,i s_h + a d_h,\, j s_w + b d_w]$,
    with $x_p$ the input padded by $-\infty$. Ties go to the first maximum in
    row-major window order and a NaN wins (the last NaN of the window), as in torch
    (see the module docstring for windows of padding only).

    Examples
    --------
    >>> x = np.array([[[[1, 3, 2, 0], [4, 4, 1, 5], [0, 2, 7, 7], [1, 8, 7, 6]]]])
    >>> max_pool2d(x, 2)
    array([[[[4, 5],
             [8, 7]]]])
    >>> max_pool2d(x, 2, return_indices=True)[1]  # ties: the first maximum wins
    array([[[[ 4,  7],
             [13, 10]]]])
    >>> max_pool2d(np.array([[[3., np.nan, 4.]]]), (1, 2), stride=1, return_indices=True)
    (array([[[nan, nan]]]), array([[[1, 1]]]))
    """
    xb, unbatched = batched("x", x)
    g = geometry(xb.shape, kernel_size, stride, padding, dilation, ceil_mode)
    if boolean("return_indices", return_indices):
        out, idx = _max_with_indices(xb, g)
        return (out[0], idx[0]) if unbatched else (out, idx)
    if _is_2x2_stride2(g):  # four strided slices: np.maximum propagates NaN like torch
        h, w = 2 * g.out[0], 2 * g.out[1]
        top = np.maximum(xb[..., 0:h:2, 0:w:2], xb[..., 0:h:2, 1:w:2])
        out = np.maximum(top, np.maximum(xb[..., 1:h:2, 0:w:2], xb[..., 1:h:2, 1:w:2]))
    else:
        out = windows(xb, g, _lowest(xb.dtype)).max(axis=(-2, -1))
    return out[0] if unbatched else out


def _first_inside(g: Geometry, axis: int) -> np.ndarray:
    """Each window's first tap at or after 0 along `axis` (torch's starting index)."""
    start = np.arange(g.out[axis]) * g.stride[axis] - g.padding[axis]
    d = g.dilation[axis]
    return np.where(start < 0, start + (-(start // d)) * d, start)


def _every_window_touches_input(g: Geometry, size: tuple[int, ...]) -> bool:
    """Whether every window has a tap inside the input (then its index lies in the window)."""
    if g.padding == g.extra == (0, 0):  # every window starts at a cell of the input
        return True
    return all(bool((_first_inside(g, a) < size[a]).all()) for a in range(2))


def _max_with_indices(x: np.ndarray, g: Geometry) -> tuple[np.ndarray, np.ndarray]:
    """Maximum and torch's flat index of every window (the scan in the module docstring)."""
    kh, kw = g.kernel
    width = x.shape[-1]
    if _is_2x2_stride2(g):
        out, bottom, right = _tournament_2x2(x, g)
        # row * W + col = (2i + bottom) * W + 2j + right: the offset inside the window in
        # the smallest integer type that holds W + 1 (cheap passes), the rest added once.
        small = np.min_scalar_type(width + 1)
        offset = np.multiply(bottom, width, dtype=small)
        offset += right
        corner = np.arange(g.out[0])[:, None] * (2 * width) + np.arange(0, 2 * g.out[1], 2)
        plane = corner.size
        idx = np.add(offset.reshape(-1, plane), corner.reshape(plane), dtype=np.int64)
        return out, idx.reshape(out.shape)
    # NaN wins in torch's scan; one pass to know whether any is there spares a test per tap
    nan_wins = x.dtype.kind == "f" and bool(np.isnan(x).any())
    lowest = _lowest(x.dtype)
    win = windows(x, g, lowest)
    if g.padding == (0, 0):  # the first tap is inside the input: torch's start value
        out, arg, first = win[..., 0, 0].copy(), np.zeros(win.shape[:-2], np.int64), 1
    else:  # -1: no cell beat the start value (-inf), the index is the window's first cell
        out = np.full(win.shape[:-2], lowest, dtype=x.dtype)
        arg, first = np.full(out.shape, -1, dtype=np.int64), 0
    for t in range(first, kh * kw):  # loop over window offsets, vectorised over pixels
        v = win[..., t // kw, t % kw]
        better = v > out  # strict: ties keep the first maximum, as torch
        if nan_wins:
            better |= np.isnan(v)
        np.copyto(out, v, where=better)
        np.copyto(arg, t, where=better)
    rows = (np.arange(g.out[0]) * g.stride[0] - g.padding[0])[:, None] + (arg // kw) * g.dilation[0]
    cols = (np.arange(g.out[1]) * g.stride[1] - g.padding[1])[None, :] + (arg % kw) * g.dilation[1]
    idx = rows * width + cols
    if g.padding != (0, 0):
        start = _first_inside(g, 0)[:, None] * width + _first_inside(g, 1)[None, :]
        idx = np.where(arg < 0, start, idx)
    return out, idx


def _tournament_2x2(x: np.ndarray, g: Geometry) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """2x2 windows, stride 2: the scan as a tournament over the four strided slices.

    Returns the maxima and, per window, whether the winner is in its bottom row and
    in its right column. The maxima are `max_pool2d`'s index-free ones; a NaN among
    them (``np.maximum`` propagates it) is the one sign that the NaN-aware scan must run,
    so the input itself is never searched for NaN.
    """
    h, w = 2 * g.out[0], 2 * g.out[1]
    # One strided copy puts the four cells of every window in four contiguous planes:
    # the passes that follow are contiguous (a strided NumPy pass costs several times more).
    q = np.empty((4, *x.shape[:-2], *g.out), dtype=x.dtype)
    for k, (a, b) in enumerate(((0, 0), (0, 1), (1, 0), (1, 1))):
        np.copyto(q[k], x[..., a:h:2, b:w:2])
    top, bottom = np.maximum(q[0], q[1]), np.maximum(q[2], q[3])
    out = np.maximum(top, bottom)
    if not (x.dtype.kind == "f" and np.isnan(out).any()):  # strict ">" keeps the first maximum
        below = bottom > top
        return out, below, np.where(below, q[3] > q[2], q[1] > q[0])

    def later_wins(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (b > a) | np.isnan(b)  # the later cell wins if larger or NaN (the last NaN)

    top_b, bottom_b = later_wins(q[0], q[1]), later_wins(q[2], q[3])
    top, bottom = np.where(top_b, q[1], q[0]), np.where(bottom_b, q[3], q[2])
    take_bottom = later_wins(top, bottom)
    return np.where(take_bottom, bottom, top), take_bottom, np.where(take_bottom, bottom_b, top_b)


def max_pool2d_backward(
    grad_output: Any,
    x: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    indices: Any = None,
) -> np.ndarray:
    r"""Gradient of `max_pool2d` with respect to its input.

    Parameters
    ----------
    grad_output : ndarray of shape (N, C, OH, OW) or (C, OH, OW)
        Gradient of the loss with respect to the pooled output (exactly that shape).
    x : ndarray of shape (N, C, H, W) or (C, H, W)
        The forward input.
    kernel_size, stride, padding, dilation, ceil_mode
        As passed to `max_pool2d`.
    indices : ndarray of int, optional
        The indices from ``max_pool2d(..., return_indices=True)``; when given, the
        windows are not searched again (the cached fast path for layers).

    Returns
    -------
    ndarray, shape and dtype of `x` (float64 for integer `x`)
        Each output gradient added to the cell of its window's index.

    Raises
    ------
    TypeError, ValueError
        As `max_pool2d`, or if `grad_output`/`indices` do not have the output's shape.

    Notes
    -----
    $\partial L/\partial x_{p} = \sum_{(i,j):\ \text{index of window } (i,j) = p}
    \partial L/\partial \text{out}_{ij}$; overlapping windows that share a
    maximum add their gradients. An index outside the input plane (a window of
    padding only) sends its gradient nowhere; torch's CPU kernel writes it into
    the neighbouring channel's plane, which no gradient should reach.

    Examples
    --------
    >>> x = np.array([[[[1., 3., 2.], [4., 0., 5.], [6., 2., 1.]]]])
    >>> max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2, stride=1)
    array([[[[0., 0., 0.],
             [1., 0., 2.],
             [1., 0., 0.]]]])
    """
    xb, unbatched = batched("x", x)
    g = geometry(xb.shape, kernel_size, stride, padding, dilation, ceil_mode)
    gb = check_grad(grad_output, (*xb.shape[:2], *g.out), unbatched)
    if indices is None:
        idx = _max_with_indices(xb, g)[1]
    else:
        idx = as_numeric_array("indices", indices)
        if idx.dtype.kind not in "iu":
            raise TypeError(f"indices has dtype {idx.dtype}; expected integers")
        idx = idx[None] if unbatched else idx
        if idx.shape != gb.shape:
            raise ValueError(
                f"indices has shape {idx.shape[1:] if unbatched else idx.shape}; "
                f"expected the output shape {gb.shape[1:] if unbatched else gb.shape}"
            )
    dtype = xb.dtype if xb.dtype.kind == "f" else np.dtype(np.float64)
    n, c, h, w = xb.shape
    # a window of padding only has nowhere to send its gradient (two reductions, no mask)
    inside = idx.size == 0 or (int(idx.min()) >= 0 and int(idx.max()) < h * w)
    overlap = any(g.stride[a] < g.dilation[a] * (g.kernel[a] - 1) + 1 for a in range(2))
    if overlap or not inside or not _every_window_touches_input(g, (h, w)):
        valid = (idx >= 0) & (idx < h * w)
        flat = (np.arange(n * c).reshape(n, c, 1, 1) * (h * w) + idx)[valid]
        grad = np.bincount(flat, weights=gb[valid], minlength=n * c * h * w).astype(dtype)
    else:  # disjoint windows: every index is hit at most once, a plain scatter suffices
        grad = np.zeros(n * c * h * w, dtype=dtype)
        plane = idx.shape[-2] * idx.shape[-1]
        flat = idx.reshape(n * c, plane).astype(np.int64, copy=False)
        flat = flat + (np.arange(n * c) * (h * w))[:, None]
        grad[flat] = gb.reshape(n * c, plane)
    grad = grad.reshape(xb.shape)
    return grad[0] if unbatched else grad
