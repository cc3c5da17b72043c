r"""Pooling: max and average over sliding windows, forward and backward, as PyTorch does it.

A pooling layer reads the same windows as a convolution (`cnnbook.sliding_windows`
over the padded input) and reduces each one to a number: its maximum or its mean.
Both reductions share one windowing core, `_windows`, and both backward passes
add window-shaped gradients back onto the input (`cnnbook.fold_windows`, or a
scatter of the argmax positions).

Semantics are those of `torch.nn.functional.max_pool2d` / `avg_pool2d`:

- NCHW input (an unbatched CHW input gives a CHW output); ``stride=None`` means
  `kernel_size`; padding at most half the kernel ($p \le \lfloor k/2 \rfloor$).
- ``ceil_mode=True`` keeps a last partial window, provided it starts inside the
  input or its left padding (see `cnnbook.pool_output_size`).
- Max pooling pads with $-\infty$; ties go to the *first* maximum of the
  window in row-major order. A NaN in a window propagates to its maximum.
- Average pooling divides by the window area including zero padding
  (``count_include_pad=True``) or by the number of real input cells only.
  A ceil-mode window that runs past the padded input is divided by its part
  inside the padded input, even with ``count_include_pad=True``, exactly as
  torch does. Integer input is averaged in float64.

**Cached fast path for layers.** ``max_pool2d(..., return_indices=True)``
returns ``(out, indices)``, where ``indices[n, c, i, j]`` is the flat index
``row * W + col`` of the winning cell in the *unpadded* input (torch's
convention). Pass it back as ``max_pool2d_backward(grad, x, ..., indices=indices)``
and the backward is a single scatter-add, with no second pass over the windows.
Average pooling needs nothing cached: its backward uses only ``x.shape``.
Global pooling (one window per channel) is in `cnnbook.global_pooling`.
Non-overlapping 2x2 windows with stride 2 (the common case) use four strided
slices and `np.maximum` instead of the generic window reduction
(``scripts/bench_pooling.py`` measures the difference).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from cnnbook._validation import as_numeric_array, nonnegative_pair, positive_pair
from cnnbook.im2col import fold_windows, pad2d, sliding_windows
from cnnbook.output_size import pool_output_size

__all__ = [
    "avg_pool2d",
    "avg_pool2d_backward",
    "max_pool2d",
    "max_pool2d_backward",
]


class _Geometry(NamedTuple):
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    out: tuple[int, int]
    extra: tuple[int, int]  # cells appended bottom/right so ceil-mode windows fit


def _batched(name: str, x: Any) -> tuple[np.ndarray, bool]:
    """Return `x` as NCHW and whether it was unbatched (CHW)."""
    arr = as_numeric_array(name, x)
    if arr.ndim not in (3, 4):
        raise ValueError(
            f"{name} has ndim {arr.ndim} (shape {arr.shape}); "
            "expected 4 (N, C, H, W) or 3 (C, H, W)"
        )
    return (arr[None], True) if arr.ndim == 3 else (arr, False)


def _geometry(
    shape: tuple[int, ...],
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
) -> _Geometry:
    k = positive_pair("kernel_size", kernel_size)
    s = k if stride is None else positive_pair("stride", stride)
    p = nonnegative_pair("padding", padding)
    d = positive_pair("dilation", dilation)
    if p[0] > k[0] // 2 or p[1] > k[1] // 2:
        raise ValueError(
            f"padding (={padding!r}) must be at most half of kernel_size (={kernel_size!r}): "
            "padding <= kernel_size // 2"
        )
    size = shape[-2:]
    for axis in range(2):
        span = d[axis] * (k[axis] - 1) + 1
        if span > size[axis] + 2 * p[axis]:
            raise ValueError(
                f"kernel_size (={kernel_size!r}) with dilation (={dilation!r}) spans {span} cells, "
                f"larger than the padded input ({size[axis]} + 2*{p[axis]} = "
                f"{size[axis] + 2 * p[axis]}) along axis {axis - 2}"
            )
    out = tuple(pool_output_size(size[a], k[a], s[a], p[a], d[a], ceil_mode) for a in range(2))
    extra = tuple(
        max(0, (out[a] - 1) * s[a] + d[a] * (k[a] - 1) + 1 - (size[a] + 2 * p[a])) for a in range(2)
    )
    return _Geometry(k, s, p, d, out, extra)  # type: ignore[arg-type]


def _windows(x: np.ndarray, g: _Geometry, fill: float) -> np.ndarray:
    """Return every pooling window of `x` padded with `fill`: (..., OH, OW, kh, kw), a view."""
    (ph, pw), (eh, ew) = g.padding, g.extra
    padded = pad2d(x, (ph, ph + eh, pw, pw + ew), fill)
    return sliding_windows(padded, g.kernel, g.stride, g.dilation)


def _is_2x2_stride2(g: _Geometry) -> bool:
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
    ValueError
        Wrong ndim, non-positive kernel/stride/dilation, negative padding or padding
        larger than half the kernel, or a window larger than the padded input.

    Notes
    -----
    $\text{out}[n,c,i,j] = \max_{a,b} x_p[n,c,\,i s_h + a d_h,\, j s_w + b d_w]$,
    with $x_p$ the input padded by $-\infty$. Ties go to the first maximum in
    row-major window order, like torch. A window made only of padding gives
    $-\infty$ (and an index outside the input).

    Examples
    --------
    >>> x = np.array([[[[1, 3, 2, 0], [4, 4, 1, 5], [0, 2, 7, 7], [1, 8, 7, 6]]]])
    >>> max_pool2d(x, 2)
    array([[[[4, 5],
             [8, 7]]]])
    >>> max_pool2d(x, 2, return_indices=True)[1]  # ties: the first maximum wins
    array([[[[ 4,  7],
             [13, 10]]]])
    """
    xb, unbatched = _batched("x", x)
    g = _geometry(xb.shape, kernel_size, stride, padding, dilation, ceil_mode)
    if return_indices:
        out, idx = _max_with_indices(xb, g)
        return (out[0], idx[0]) if unbatched else (out, idx)
    if _is_2x2_stride2(g):
        h, w = 2 * g.out[0], 2 * g.out[1]
        top = np.maximum(xb[..., 0:h:2, 0:w:2], xb[..., 0:h:2, 1:w:2])
        out = np.maximum(top, np.maximum(xb[..., 1:h:2, 0:w:2], xb[..., 1:h:2, 1:w:2]))
    else:
        out = _windows(xb, g, _lowest(xb.dtype)).max(axis=(-2, -1))
    return out[0] if unbatched else out


def _max_with_indices(x: np.ndarray, g: _Geometry) -> tuple[np.ndarray, np.ndarray]:
    """Maximum and torch-style flat argmax index of every window."""
    kh, kw = g.kernel
    if _is_2x2_stride2(g):
        # A tournament over the four strided slices: strict ">" keeps the first maximum.
        h, w = 2 * g.out[0], 2 * g.out[1]
        q = [x[..., a:h:2, b:w:2] for a in (0, 1) for b in (0, 1)]
        top, bottom = np.maximum(q[0], q[1]), np.maximum(q[2], q[3])
        arg = np.where(bottom > top, (q[3] > q[2]) + 2, (q[1] > q[0]).astype(np.int64))
        out = np.maximum(top, bottom)
    else:
        win = _windows(x, g, _lowest(x.dtype))
        out = win[..., 0, 0].copy()
        arg = np.zeros(out.shape, dtype=np.int64)
        for t in range(1, kh * kw):  # loop over window offsets, vectorised over pixels
            v = win[..., t // kw, t % kw]
            better = v > out  # strict: ties keep the first maximum, as torch
            np.copyto(out, v, where=better)
            np.copyto(arg, t, where=better)
    rows = (np.arange(g.out[0]) * g.stride[0] - g.padding[0])[:, None] + (arg // kw) * g.dilation[0]
    cols = (np.arange(g.out[1]) * g.stride[1] - g.padding[1])[None, :] + (arg % kw) * g.dilation[1]
    return out, rows * x.shape[-1] + cols


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
        Gradient of the loss with respect to the pooled output.
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
        Each output gradient added to the cell that won its window.

    Raises
    ------
    ValueError
        As `max_pool2d`, or if `grad_output`/`indices` do not have the output's shape.

    Notes
    -----
    $\partial L/\partial x_{p} = \sum_{(i,j):\ \arg\max \text{ of window } (i,j) = p}
    \partial L/\partial \text{out}_{ij}$; overlapping windows that share a
    maximum add their gradients.

    Examples
    --------
    >>> x = np.array([[[[1., 3., 2.], [4., 0., 5.], [6., 2., 1.]]]])
    >>> max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2, stride=1)
    array([[[[0., 0., 0.],
             [1., 0., 2.],
             [1., 0., 0.]]]])
    """
    xb, unbatched = _batched("x", x)
    gb, _ = _batched("grad_output", grad_output)
    g = _geometry(xb.shape, kernel_size, stride, padding, dilation, ceil_mode)
    _check_shape("grad_output", gb.shape, (*xb.shape[:2], *g.out))
    if indices is None:
        idx = _max_with_indices(xb, g)[1]
    else:
        idx = np.asarray(indices)
        idx = idx[None] if unbatched else idx
        _check_shape("indices", idx.shape, gb.shape)
    dtype = xb.dtype if xb.dtype.kind == "f" else np.dtype(np.float64)
    n, c, h, w = xb.shape
    valid = (idx >= 0) & (idx < h * w)  # a window of padding only has nowhere to send its gradient
    overlap = any(g.stride[a] < g.dilation[a] * (g.kernel[a] - 1) + 1 for a in range(2))
    if overlap or not valid.all():
        flat = (np.arange(n * c).reshape(n, c, 1, 1) * (h * w) + idx)[valid]
        grad = np.bincount(flat, weights=gb[valid], minlength=n * c * h * w).astype(dtype)
    else:  # disjoint windows: every index is hit at most once, a plain scatter suffices
        grad = np.zeros((n * c, h * w), dtype=dtype)
        np.put_along_axis(grad, idx.reshape(n * c, -1), gb.reshape(n * c, -1), axis=-1)
    grad = grad.reshape(xb.shape)
    return grad[0] if unbatched else grad


def _check_shape(name: str, got: tuple[int, ...], expected: tuple[int, ...]) -> None:
    if tuple(got) != tuple(expected):
        raise ValueError(f"{name} has shape {tuple(got)}; expected the output shape {expected}")


def _avg_divisor(size: tuple[int, ...], g: _Geometry, count_include_pad: bool) -> np.ndarray:
    """Per-window divisor, shape (OH, OW): torch's rule, one axis at a time (windows are boxes)."""
    counts = []
    for a in range(2):
        start = np.arange(g.out[a]) * g.stride[a] - g.padding[a]
        end = np.minimum(start + g.kernel[a], size[a] + g.padding[a])  # clipped to padded input
        if not count_include_pad:
            start, end = np.maximum(start, 0), np.minimum(end, size[a])
        counts.append(end - start)
    return np.outer(counts[0], counts[1])


def avg_pool2d(
    x: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> np.ndarray:
    r"""Average pooling: the mean of every (strided, padded) window.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W) or (C, H, W)
        Input; float dtypes are kept, integers are averaged in float64.
    kernel_size, stride, padding, ceil_mode
        As for `max_pool2d` (zero padding, no dilation).
    count_include_pad : bool, default True
        Divide by the window area including zero padding, or only by the real cells.
    divisor_override : int, optional
        Divide every window sum by this instead.

    Returns
    -------
    ndarray of shape (N, C, OH, OW) or (C, OH, OW)

    Raises
    ------
    ValueError
        As `max_pool2d`, or a non-positive `divisor_override`.

    Notes
    -----
    $\text{out}[n,c,i,j] = \frac{1}{D_{ij}} \sum_{a,b} x_p[n,c,\,i s_h + a,\, j s_w + b]$
    where $D_{ij}$ is the window's area clipped to the padded input
    (``count_include_pad``) or to the input itself.

    Examples
    --------
    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> avg_pool2d(x, 2)
    array([[[[ 2.5,  4.5],
             [10.5, 12.5]]]])
    >>> avg_pool2d(x[:, :, :1, :3], (1, 2), padding=(0, 1), count_include_pad=False)
    array([[[[0. , 1.5]]]])
    """
    xb, unbatched = _batched("x", x)
    xb = xb if xb.dtype.kind == "f" else xb.astype(np.float64)
    g = _geometry(xb.shape, kernel_size, stride, padding, 1, ceil_mode)
    total = _windows(xb, g, 0.0).sum(axis=(-2, -1))
    out = total / _divisor(xb.shape[-2:], g, count_include_pad, divisor_override).astype(xb.dtype)
    return out[0] if unbatched else out


def _divisor(
    size: tuple[int, ...], g: _Geometry, count_include_pad: bool, divisor_override: int | None
) -> np.ndarray:
    if divisor_override is None:
        return _avg_divisor(size, g, count_include_pad)
    if int(divisor_override) < 1:
        raise ValueError(f"divisor_override (={divisor_override!r}) must be positive (>= 1)")
    return np.full(g.out, int(divisor_override))


def avg_pool2d_backward(
    grad_output: Any,
    x: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> np.ndarray:
    r"""Gradient of `avg_pool2d` with respect to its input (only ``x.shape`` and dtype are used).

    Parameters
    ----------
    grad_output : ndarray of shape (N, C, OH, OW) or (C, OH, OW)
        Gradient of the loss with respect to the pooled output.
    x : ndarray of shape (N, C, H, W) or (C, H, W)
        The forward input.
    kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
        As passed to `avg_pool2d`.

    Returns
    -------
    ndarray, shape of `x`
        Every cell receives $\sum$ over the windows covering it of $g_{ij} / D_{ij}$.

    Raises
    ------
    ValueError
        As `avg_pool2d`, or if `grad_output` does not have the output's shape.

    Notes
    -----
    Average pooling is linear, so its backward is its adjoint: spread
    $g_{ij}/D_{ij}$ over window $(i, j)$ and add (`cnnbook.fold_windows`), then
    drop the padding.

    Examples
    --------
    >>> avg_pool2d_backward(np.ones((1, 1, 1, 2)), np.zeros((1, 1, 2, 3)), 2, stride=1)
    array([[[[0.25, 0.5 , 0.25],
             [0.25, 0.5 , 0.25]]]])
    """
    xb, unbatched = _batched("x", x)
    gb, _ = _batched("grad_output", grad_output)
    g = _geometry(xb.shape, kernel_size, stride, padding, 1, ceil_mode)
    _check_shape("grad_output", gb.shape, (*xb.shape[:2], *g.out))
    dtype = xb.dtype if xb.dtype.kind == "f" else np.dtype(np.float64)
    scaled = (gb / _divisor(xb.shape[-2:], g, count_include_pad, divisor_override)).astype(dtype)
    (ph, pw), (eh, ew) = g.padding, g.extra
    h, w = xb.shape[-2:]
    padded_shape = (*xb.shape[:2], h + 2 * ph + eh, w + 2 * pw + ew)
    spread = np.broadcast_to(scaled[..., None, None], (*scaled.shape, *g.kernel))
    grad = fold_windows(spread, padded_shape, g.stride, (1, 1))[..., ph : ph + h, pw : pw + w]
    return grad[0] if unbatched else grad
