"""`interpolate` and its backward: apply each axis' sampling (`coordinates`) to a batch of maps.

Finite data go through two GEMMs with the axes' interpolation matrices; data with
NaN or inf through gathers and sums of sorted segments, so a NaN reaches only
the cells that read it, as in torch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, grad_like
from cnnbook.interpolation.coordinates import Axis, check_arguments, matrix, plan, repeats

__all__ = ["interpolate", "interpolate_backward", "sum_into"]


def _image(name: str, x: Any) -> np.ndarray:
    arr = as_numeric_array(name, x)
    if arr.ndim != 4:
        raise ValueError(
            f"{name} has ndim {arr.ndim} (shape {arr.shape}); expected 4 (N, C, H, W): "
            "interpolate resizes the two spatial axes of a batch of images"
        )
    return arr


def _compute_type(dtype: np.dtype, mode: Any) -> type:
    """Torch's accumulation type: float64 for float64 (and integers, made float), else float32."""
    if dtype == np.float64 or (dtype.kind != "f" and mode != "nearest"):
        return np.float64
    return np.float32


def _along(x: np.ndarray, ax: Axis, axis: int) -> np.ndarray:
    """Resample `x` along `axis` (-1 or -2): a gather, and for bilinear a weighted pair."""
    a = np.take(x, ax.index0, axis=axis)
    if ax.weight0 is None or ax.weight1 is None:
        return a
    shape = (-1, 1) if axis == -2 else (-1,)
    b = np.take(x, ax.index1, axis=axis)
    with np.errstate(invalid="ignore"):  # inf * 0 is NaN here as in torch's kernel
        return a * ax.weight0.reshape(shape) + b * ax.weight1.reshape(shape)


def interpolate(
    x: Any,
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
) -> np.ndarray:
    r"""Resize the spatial axes of `x`: nearest-neighbour or bilinear, as torch's ``interpolate``.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Input. ``nearest`` keeps the dtype; ``bilinear`` keeps float dtypes and
        averages integers in float64.
    size : int or pair of int, optional
        Output size ``(OH, OW)``. Exactly one of `size` and `scale_factor` is given.
    scale_factor : float or pair of float, optional
        Multiplier of the input size: ``OH = floor(H * scale_factor)``.
    mode : {'nearest', 'bilinear'}, default 'nearest'
    align_corners : bool or None, default None
        Bilinear only (None means False): map the corner pixels' centres onto each
        other instead of the corners of the image.
    recompute_scale_factor : bool or None, default None
        With True, the coordinate mapping uses ``H / OH`` instead of the given
        `scale_factor` (they differ when ``H * scale_factor`` is not an integer).

    Returns
    -------
    ndarray of shape (N, C, OH, OW)

    Raises
    ------
    TypeError
        Non-numeric input, a non-string `mode`, non-int sizes, non-real factors or
        flags that are not bools.
    ValueError
        Input that is not 4-D; an unknown mode; both or neither of `size` and
        `scale_factor`; `align_corners` with ``mode='nearest'``; sizes or factors
        that are not positive; an output larger than the memory limit.

    Notes
    -----
    Bilinear: with $c(o)$ the input coordinate of output cell $o$ (`cnnbook.interpolation`),
    $i_0 = \lfloor c \rfloor$, $\lambda = c - i_0$,
    $y_o = (1-\lambda)\,x_{i_0} + \lambda\,x_{\min(i_0+1, I-1)}$ along each axis.

    Examples
    --------
    >>> x = np.array([[[[0., 1.], [2., 3.]]]])
    >>> interpolate(x, scale_factor=2)
    array([[[[0., 0., 1., 1.],
             [0., 0., 1., 1.],
             [2., 2., 3., 3.],
             [2., 2., 3., 3.]]]])
    >>> interpolate(x, size=(2, 4), mode="bilinear")
    array([[[[0.  , 0.25, 0.75, 1.  ],
             [2.  , 2.25, 2.75, 3.  ]]]])
    >>> interpolate(x, size=(2, 3), mode="bilinear", align_corners=True)
    array([[[[0. , 0.5, 1. ],
             [2. , 2.5, 3. ]]]])
    """
    args = check_arguments(size, scale_factor, mode, align_corners, recompute_scale_factor)
    xb = _image("x", x)
    ct = _compute_type(xb.dtype, mode)
    rows, cols = plan(xb.shape, args, ct)
    if mode != "nearest" and xb.dtype.kind != "f":
        xb = xb.astype(np.float64)
    if mode == "nearest":
        kh, kw = repeats(rows), repeats(cols)
        if kh and kw:  # integer factors: every pixel repeated (np.repeat: 5x a broadcast copy)
            return np.repeat(np.repeat(xb, kw, axis=-1), kh, axis=-2)
        # two gathers, one axis at a time (3x faster than one 2-D fancy index)
        return np.take(np.take(xb, rows.index0, axis=-2), cols.index0, axis=-1)
    if np.isfinite(xb).all():  # two GEMMs with the sparse-as-dense matrices: fastest
        # The width GEMM as ONE product over every row of the batch (a stack of N*C
        # small products costs a BLAS call each).
        n, c, h, _ = xb.shape
        by_width = (xb.reshape(-1, xb.shape[-1]) @ matrix(cols, ct).T).reshape(n, c, h, -1)
        out = matrix(rows, ct) @ by_width
    else:  # gathers: a NaN or inf reaches only the outputs that read it, as in torch
        out = _along(_along(xb, cols, -1), rows, -2)  # width first, then height, as torch
    return out.astype(xb.dtype, copy=False)


def sum_into(values: np.ndarray, index: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Adjoint of ``np.take(., index, axis)`` for a non-decreasing `index`: sums of segments."""
    uniq, starts = np.unique(index, return_index=True)
    sums = np.add.reduceat(values, starts, axis=axis)
    shape = list(values.shape)
    shape[axis] = length
    out = np.zeros(shape, dtype=values.dtype)
    if axis == -1:
        out[..., uniq] = sums
    else:
        out[..., uniq, :] = sums
    return out


def _along_adjoint(g: np.ndarray, ax: Axis, axis: int) -> np.ndarray:
    if ax.weight0 is None or ax.weight1 is None:
        return sum_into(g, ax.index0, ax.size_in, axis)
    shape = (-1, 1) if axis == -2 else (-1,)
    with np.errstate(invalid="ignore"):
        return sum_into(g * ax.weight0.reshape(shape), ax.index0, ax.size_in, axis) + sum_into(
            g * ax.weight1.reshape(shape), ax.index1, ax.size_in, axis
        )


def interpolate_backward(
    grad_output: Any,
    x: Any,
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
) -> np.ndarray:
    r"""Gradient of `interpolate` with respect to its input.

    Parameters
    ----------
    grad_output : ndarray of shape (N, C, OH, OW)
        Gradient of the loss with respect to the output (exactly that shape).
    x : ndarray of shape (N, C, H, W)
        The forward input (only its shape and dtype are used).
    size, scale_factor, mode, align_corners, recompute_scale_factor
        As passed to `interpolate`.

    Returns
    -------
    ndarray of the shape of `x` (float; float64 for integer `x`)

    Raises
    ------
    TypeError, ValueError
        As `interpolate`, or a `grad_output` of another shape than the output's.

    Notes
    -----
    Interpolation is linear, $y = A_h\,x\,A_w^{\top}$ with sparse $A$ (one or two
    non-zeros per row), so the gradient is $A_h^{\top} g\, A_w$: every output
    gradient is split with the forward weights onto the cells it read.

    Examples
    --------
    >>> g = np.ones((1, 1, 4, 4))
    >>> interpolate_backward(g, np.zeros((1, 1, 2, 2)), scale_factor=2)
    array([[[[4., 4.],
             [4., 4.]]]])
    >>> interpolate_backward(np.ones((1, 1, 1, 3)), np.zeros((1, 1, 1, 2)), size=(1, 3),
    ...                      mode="bilinear", align_corners=True)
    array([[[[1.5, 1.5]]]])
    """
    args = check_arguments(size, scale_factor, mode, align_corners, recompute_scale_factor)
    xb = _image("x", x)
    ct = _compute_type(xb.dtype, mode)
    rows, cols = plan(xb.shape, args, ct)
    g = grad_like("grad_output", grad_output, (*xb.shape[:2], rows.size_out, cols.size_out))
    dtype = xb.dtype if xb.dtype.kind == "f" else np.dtype(np.float64)
    g = g.astype(dtype, copy=False)
    kh, kw = (repeats(rows), repeats(cols)) if mode == "nearest" else (0, 0)
    if kh and kw:  # integer factors: the adjoint of the broadcast copy sums each block
        n, c, h, w = xb.shape
        cols_summed = g.reshape(n, c, h * kh, w, kw)
        # Strided slices added one repeat at a time: far faster than .sum over axes (3, 5).
        by_col = cols_summed[..., 0].copy()
        for j in range(1, kw):
            by_col += cols_summed[..., j]
        blocks = by_col.reshape(n, c, h, kh, w)
        out = blocks[:, :, :, 0].copy()
        for i in range(1, kh):
            out += blocks[:, :, :, i]
        return out
    if np.isfinite(g).all():  # A_h^T g A_w as GEMMs, the width one over the whole batch
        n, c, oh, ow = g.shape
        by_width = (g.reshape(-1, ow) @ matrix(cols, ct)).reshape(n, c, oh, -1)
        grad = matrix(rows, ct).T @ by_width
    else:  # sums of sorted segments: a NaN reaches only the cells it was read from
        grad = _along_adjoint(_along_adjoint(g, rows, -2), cols, -1)
    return grad.astype(dtype, copy=False)
