r"""Backpropagation through a convolution, written as correlations and convolutions.

The teaching twin of `cnnbook.conv2d_backward`: the same three gradients, each
computed the way the derivation reads, with `cnnbook.correlate2d` and
`cnnbook.convolve2d` over channel pairs.

* $\partial L/\partial w$ — the *valid correlation* of the (padded) input with
  the output gradient;
* $\partial L/\partial x$ — the *full convolution* of the output gradient with
  the kernel, summed over output channels, then cropped of its padding;
* $\partial L/\partial b$ — the sum of the output gradient.

A stride $s$ enters as the output gradient *dilated* by $s$ (`dilate`):
$s - 1$ zeros between its entries, one per position the strided forward skipped.
`numerical_gradient` gives the central finite differences the formulas are checked
against.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from cnnbook._validation import (
    as_numeric_array,
    finite_real,
    grad_like,
    nonnegative_pair,
    positive_pair,
)
from cnnbook.correlation import convolve2d, correlate2d
from cnnbook.output_size import conv_output_size

__all__ = ["conv2d_backward_by_correlation", "dilate", "numerical_gradient"]


def dilate(grad: Any, stride: Any) -> np.ndarray:
    """Insert ``stride - 1`` zeros between neighbouring entries of the last two axes.

    Parameters
    ----------
    grad : ndarray of shape (..., OH, OW)
        An output gradient.
    stride : int or pair of int, >= 1
        The forward's stride.

    Returns
    -------
    ndarray of shape (..., (OH - 1) * s_h + 1, (OW - 1) * s_w + 1)
        `grad` at the positions the strided forward computed, zero in between.

    Raises
    ------
    ValueError, TypeError
        For a non-numeric or 0-/1-dimensional `grad`, or a stride below 1.

    Examples
    --------
    >>> dilate(np.array([[1.0, 2.0], [3.0, 4.0]]), 2)
    array([[1., 0., 2.],
           [0., 0., 0.],
           [3., 0., 4.]])
    """
    g = as_numeric_array("grad", grad)
    if g.ndim < 2:
        raise ValueError(f"grad must have at least 2 dimensions (got shape {g.shape})")
    sh, sw = positive_pair("stride", stride)
    oh, ow = g.shape[-2:]
    out = np.zeros(
        (*g.shape[:-2], (oh - 1) * sh + 1, (ow - 1) * sw + 1), dtype=np.result_type(g, float)
    )
    out[..., ::sh, ::sw] = g
    return out


def conv2d_backward_by_correlation(
    grad_output: Any, x: Any, weight: Any, stride: Any = 1, padding: Any = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Compute the three gradients of `cnnbook.conv2d` as correlations and convolutions.

    Parameters
    ----------
    grad_output : ndarray of shape (N, O, OH, OW) or (O, OH, OW)
        Gradient of the loss with respect to ``conv2d(x, weight, stride=..., padding=...)``.
    x : ndarray of shape (N, C, H, W) or (C, H, W)
        The forward input.
    weight : ndarray of shape (O, C, kh, kw)
        The forward kernels.
    stride : int or pair of int, default 1
    padding : int or pair of int, default 0
        Zeros on both sides, as in `cnnbook.conv2d` (no dilation, no groups here).

    Returns
    -------
    grad_x : ndarray of the shape of `x`
    grad_weight : ndarray of the shape of `weight`
    grad_bias : ndarray of shape (O,)

    Raises
    ------
    ValueError, TypeError
        For wrong ndim, channel counts that do not match, a kernel larger than the padded
        input, a stride below 1, negative padding, or a `grad_output` not of the output's shape.

    Notes
    -----
    With $g^{(s)}$ the output gradient dilated by the stride and $x_p$ the padded input,

    $$\frac{\partial L}{\partial w_{oc}} = \sum_n x_{p,nc} \star g^{(s)}_{no}
      \ (\text{valid}),\qquad
      \frac{\partial L}{\partial x_{p,nc}} = \sum_o g^{(s)}_{no} * w_{oc}
      \ (\text{full}),\qquad
      \frac{\partial L}{\partial b_o} = \sum_{n,i,j} g_{noij},$$

    $\star$ correlation and $*$ convolution; the weight gradient keeps its first
    $k_h \times k_w$ entries and the input gradient drops the padding. One
    `correlate2d`/`convolve2d` per (image, output channel, input channel): a loop
    for reading, not for speed (`cnnbook.conv2d_backward` is the engine).

    Examples
    --------
    >>> x = np.arange(9.0).reshape(1, 3, 3); w = np.ones((1, 1, 2, 2))
    >>> gx, gw, gb = conv2d_backward_by_correlation(np.ones((1, 2, 2)), x, w)
    >>> gw[0, 0]  # the valid correlation of x with a 2x2 gradient of ones
    array([[ 8., 12.],
           [20., 24.]])
    >>> gx[0]  # the full convolution of the gradient with the kernel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    xa = as_numeric_array("x", x)
    if xa.ndim not in (3, 4):
        raise ValueError(f"x must be (C, H, W) or (N, C, H, W) (got shape {xa.shape})")
    batched = xa.ndim == 4
    xb = (xa if batched else xa[None]).astype(np.result_type(xa, float))
    w = as_numeric_array("weight", weight, ndim=4).astype(np.result_type(xb, weight))
    n, c, h, wd = xb.shape
    o, wc, kh, kw = w.shape
    if wc != c:
        raise ValueError(f"weight has {wc} input channels; x has {c} (groups are not handled here)")
    sh, sw = positive_pair("stride", stride)
    ph, pw = nonnegative_pair("padding", padding)
    hp, wp = h + 2 * ph, wd + 2 * pw
    if kh > hp or kw > wp:
        raise ValueError(f"weight of size {(kh, kw)} is larger than the padded input {(hp, wp)}")
    oh, ow = conv_output_size(h, kh, sh, ph), conv_output_size(wd, kw, sw, pw)
    expected = (n, o, oh, ow) if batched else (o, oh, ow)
    g = grad_like("grad_output", grad_output, expected).astype(w.dtype)
    g = g if batched else g[None]
    xp = np.pad(xb, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    gd = dilate(g, (sh, sw))  # (N, O, (OH-1)s+1, (OW-1)s+1)
    grad_w = np.zeros_like(w)
    grad_xp = np.zeros_like(xp, dtype=w.dtype)
    dh, dw = gd.shape[-2:]
    for i in range(n):
        for oc in range(o):
            for ic in range(c):
                # A stride that does not divide (padded size - k) leaves rows/columns the
                # forward never read: the valid correlation is larger than the kernel there.
                grad_w[oc, ic] += correlate2d(xp[i, ic], gd[i, oc], "valid")[:kh, :kw]
                grad_xp[i, ic, : dh + kh - 1, : dw + kw - 1] += convolve2d(
                    gd[i, oc], w[oc, ic], "full"
                )
    grad_x = grad_xp[:, :, ph : ph + h, pw : pw + wd]
    grad_b = g.sum(axis=(0, 2, 3))
    return (grad_x if batched else grad_x[0]), grad_w, grad_b


def numerical_gradient(f: Callable[[np.ndarray], float], x: Any, eps: float = 1e-6) -> np.ndarray:
    r"""Estimate the gradient of a scalar function by central finite differences.

    Entry $k$ is $(f(x + \varepsilon e_k) - f(x - \varepsilon e_k)) / 2\varepsilon$.

    Parameters
    ----------
    f : callable
        Takes an array of the shape of `x`, returns a real number.
    x : array_like of float
        The point; not modified (`f` sees perturbed copies).
    eps : float, default 1e-6
        The step, finite and > 0.

    Returns
    -------
    ndarray of float64, shape of `x`
        Two evaluations of `f` per entry: for small arrays only.

    Raises
    ------
    TypeError
        If `f` is not callable or `eps` is not a real number.
    ValueError
        If `eps` is not finite and positive, or `x` is empty or non-numeric.

    Examples
    --------
    >>> numerical_gradient(lambda v: float((v**2).sum()), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    if not callable(f):
        raise TypeError(f"f must be callable (got {type(f).__name__})")
    step = finite_real("eps", eps, minimum=0.0)
    if step == 0.0:
        raise ValueError("eps must be > 0 (got 0.0)")
    point = as_numeric_array("x", x).astype(np.float64)  # a copy: the caller's array is left alone
    grad = np.zeros_like(point)
    flat, gflat = point.reshape(-1), grad.reshape(-1)
    for k in range(flat.size):
        keep = flat[k]
        flat[k] = keep + step
        up = float(f(point))
        flat[k] = keep - step
        down = float(f(point))
        flat[k] = keep
        gflat[k] = (up - down) / (2 * step)
    return grad
