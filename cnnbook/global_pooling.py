r"""Global pooling: one window per channel, the whole feature map reduced to one number.

A network that ends in global average (or max) pooling forgets *where* each
feature was found, only *whether* (or how strongly): that is what makes it
invariant to circular shifts of its input (`cnnbook.equivariance`). Shapes
follow ``torch.nn.AdaptiveAvgPool2d(1)`` / ``AdaptiveMaxPool2d(1)``: the two
spatial axes are kept with size 1.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook.pooling.windows import batched, check_grad

__all__ = [
    "global_avg_pool2d",
    "global_avg_pool2d_backward",
    "global_max_pool2d",
    "global_max_pool2d_backward",
]


def global_avg_pool2d(x: Any) -> np.ndarray:
    r"""Global average pooling: the mean of each channel, like ``AdaptiveAvgPool2d(1)``.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W) or (C, H, W)
        Input; integers are averaged in float64.

    Returns
    -------
    ndarray of shape (N, C, 1, 1) or (C, 1, 1)

    Notes
    -----
    $\text{out}[n,c] = \frac{1}{HW}\sum_{p,q} x[n,c,p,q]$: it ignores *where* a
    feature is, which is why a CNN ending in it is invariant to circular shifts.

    Examples
    --------
    >>> global_avg_pool2d(np.arange(8.).reshape(2, 2, 2))
    array([[[1.5]],
    <BLANKLINE>
           [[5.5]]])
    """
    xb, unbatched = batched("x", x)
    out = xb.mean(axis=(-2, -1), keepdims=True, dtype=None if xb.dtype.kind == "f" else np.float64)
    return out[0] if unbatched else out


def global_avg_pool2d_backward(grad_output: Any, x: Any) -> np.ndarray:
    r"""Gradient of `global_avg_pool2d`: each cell gets $g_{nc} / (HW)$.

    Examples
    --------
    >>> global_avg_pool2d_backward(np.ones((1, 1, 1)), np.zeros((1, 2, 2)))
    array([[[0.25, 0.25],
            [0.25, 0.25]]])
    """
    xb, unbatched = batched("x", x)
    gb = check_grad(grad_output, (*xb.shape[:2], 1, 1), unbatched)
    dtype = xb.dtype if xb.dtype.kind == "f" else np.dtype(np.float64)
    grad = np.broadcast_to(gb / (xb.shape[-2] * xb.shape[-1]), xb.shape).astype(dtype)
    return grad[0] if unbatched else grad


def global_max_pool2d(x: Any) -> np.ndarray:
    r"""Global max pooling: the maximum of each channel, like ``AdaptiveMaxPool2d(1)``.

    Examples
    --------
    >>> global_max_pool2d(np.array([[[1, 7], [3, 2]]]))
    array([[[7]]])
    """
    xb, unbatched = batched("x", x)
    out = xb.max(axis=(-2, -1), keepdims=True)
    return out[0] if unbatched else out


def global_max_pool2d_backward(grad_output: Any, x: Any) -> np.ndarray:
    r"""Gradient of `global_max_pool2d`: all of $g_{nc}$ to the first maximum of channel $c$.

    As in torch, a NaN counts as the maximum: the gradient goes to the channel's last NaN.

    Examples
    --------
    >>> global_max_pool2d_backward(np.ones((1, 1, 1)), np.array([[[1, 7], [7, 2]]]))
    array([[[0., 1.],
            [0., 0.]]])
    """
    xb, unbatched = batched("x", x)
    gb = check_grad(grad_output, (*xb.shape[:2], 1, 1), unbatched)
    n, c, h, w = xb.shape
    flat = xb.reshape(n, c, h * w)
    arg = flat.argmax(axis=-1)  # first maximum, as torch
    if flat.dtype.kind == "f":  # torch's scan lets a NaN win: the last NaN of the channel
        nan = np.isnan(flat)
        last_nan = h * w - 1 - nan[..., ::-1].argmax(axis=-1)
        arg = np.where(nan.any(axis=-1), last_nan, arg)
    dtype = xb.dtype if xb.dtype.kind == "f" else np.dtype(np.float64)
    grad = np.zeros((n, c, h * w), dtype=dtype)
    np.put_along_axis(grad, arg[..., None], gb.reshape(n, c, 1), axis=-1)
    grad = grad.reshape(xb.shape)
    return grad[0] if unbatched else grad
