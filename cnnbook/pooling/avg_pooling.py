r"""Average pooling forward and backward, as `torch.nn.functional.avg_pool2d` computes them.

Average pooling divides each window sum by the window area including zero padding
(``count_include_pad=True``) or by the number of real input cells only. A
ceil-mode window that runs past the padded input is divided by its part inside
the padded input, even with ``count_include_pad=True``, exactly as torch does.
Integer input is averaged in float64. The backward needs only ``x.shape``:
average pooling is linear, its backward is its adjoint.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import boolean, positive_int
from cnnbook.im2col import fold_windows
from cnnbook.pooling.windows import Geometry, batched, check_grad, geometry, windows

__all__ = ["avg_pool2d", "avg_pool2d_backward"]


def _avg_divisor(size: tuple[int, ...], g: Geometry, count_include_pad: bool) -> np.ndarray:
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
        Divide every window sum by this positive int instead.

    Returns
    -------
    ndarray of shape (N, C, OH, OW) or (C, OH, OW)

    Raises
    ------
    TypeError
        As `cnnbook.max_pool2d`, or a `divisor_override` that is not an int.
    ValueError
        As `cnnbook.max_pool2d`, or a non-positive `divisor_override`.

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
    xb, unbatched = batched("x", x)
    xb = xb if xb.dtype.kind == "f" else xb.astype(np.float64)
    g = geometry(xb.shape, kernel_size, stride, padding, 1, ceil_mode)
    divisor = _divisor(xb.shape[-2:], g, count_include_pad, divisor_override)
    out = windows(xb, g, 0.0).sum(axis=(-2, -1)) / divisor.astype(xb.dtype)
    return out[0] if unbatched else out


def _divisor(
    size: tuple[int, ...], g: Geometry, count_include_pad: Any, divisor_override: int | None
) -> np.ndarray:
    include = boolean("count_include_pad", count_include_pad)
    if divisor_override is None:
        return _avg_divisor(size, g, include)
    return np.full(g.out, positive_int("divisor_override", divisor_override))


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
    xb, unbatched = batched("x", x)
    g = geometry(xb.shape, kernel_size, stride, padding, 1, ceil_mode)
    gb = check_grad(grad_output, (*xb.shape[:2], *g.out), unbatched)
    dtype = xb.dtype if xb.dtype.kind == "f" else np.dtype(np.float64)
    scaled = (gb / _divisor(xb.shape[-2:], g, count_include_pad, divisor_override)).astype(dtype)
    (ph, pw), (eh, ew) = g.padding, g.extra
    h, w = xb.shape[-2:]
    padded_shape = (*xb.shape[:2], h + 2 * ph + eh, w + 2 * pw + ew)
    spread = np.broadcast_to(scaled[..., None, None], (*scaled.shape, *g.kernel))
    grad = fold_windows(spread, padded_shape, g.stride, (1, 1))[..., ph : ph + h, pw : pw + w]
    return grad[0] if unbatched else grad
