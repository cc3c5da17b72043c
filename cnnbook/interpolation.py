r"""Interpolation: resizing feature maps with nearest-neighbour or bilinear sampling, as torch.

`interpolate` makes a map larger (upsampling, as in a U-Net's decoder or a
super-resolution network) or smaller, with the semantics of
`torch.nn.functional.interpolate` for 4-D ``(N, C, H, W)`` input, down to its
rounding:

- **Output size**: `size`, or $\lfloor I \cdot s \rfloor$ for a `scale_factor` $s$.
- **Coordinate mapping** (torch's ``recompute_scale_factor=None``): output cell
  $o$ reads input coordinate $o / s$ (nearest) or $(o + \tfrac12)/s - \tfrac12$
  (bilinear, ``align_corners=False``, clamped at 0), where $1/s$ is the *given*
  scale factor, or $I/O$ when a `size` was given or the factor is recomputed.
  With ``align_corners=True`` it is $o\,(I-1)/(O-1)$: the corner pixels' centres
  line up. An axis whose size does not change is copied.
- **Nearest** takes input cell $\min(\lfloor o \cdot (1/s) \rfloor, I-1)$, with the
  product in float32 as torch computes it; doubling takes $o \gg 1$.
- **Bilinear** is separable: interpolate along the width between the two nearest
  columns, then along the height between the two nearest rows, each with weights
  $(1-\lambda, \lambda)$. A NaN reaches only the outputs that read it, as in torch.

The backward is the adjoint: each output gradient, times the weights, is added
back onto the input cells it read. Both passes work one axis at a time: for finite
data as two GEMMs with the axis' interpolation matrix $A$ (one or two non-zeros
per row, $y = A_h x A_w^\top$, gradient $A_h^\top g A_w$); when the data hold NaN
or inf, as gathers and sums of sorted segments, so that (as in torch) a NaN
reaches only the cells that read it instead of spreading through $0 \cdot \text{NaN}$.
"""

from __future__ import annotations

import numbers
from typing import Any, NamedTuple

import numpy as np

from cnnbook._validation import as_numeric_array, boolean, check_bytes, grad_like, positive_pair

__all__ = ["interpolate", "interpolate_backward"]

MODES = ("nearest", "bilinear")


class _Axis(NamedTuple):
    """How one spatial axis is resampled: the input cells and weights of every output cell."""

    size_in: int
    size_out: int
    index0: np.ndarray
    index1: np.ndarray  # == index0 for nearest
    weight0: np.ndarray | None  # None for nearest
    weight1: np.ndarray | None


def _matrix(ax: _Axis, dtype: Any) -> np.ndarray:
    """Return the axis' interpolation matrix ``(size_out, size_in)``: one or two weights per row."""
    a = np.zeros((ax.size_out, ax.size_in), dtype=dtype)
    o = np.arange(ax.size_out)
    if ax.weight0 is None or ax.weight1 is None:
        a[o, ax.index0] = 1
    else:  # index0 == index1 at the last cell: the two weights add up
        np.add.at(a, (o, ax.index0), ax.weight0)
        np.add.at(a, (o, ax.index1), ax.weight1)
    return a


def _scale_factors(scale_factor: Any) -> tuple[float, float]:
    values = scale_factor if isinstance(scale_factor, tuple | list) else (scale_factor,) * 2
    if len(values) != 2 or not all(
        isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_) for v in values
    ):
        raise TypeError(
            f"scale_factor (={scale_factor!r}) must be a positive real number or a pair of them"
        )
    factors = (float(values[0]), float(values[1]))
    if not all(np.isfinite(f) and f > 0 for f in factors):
        raise ValueError(f"scale_factor (={scale_factor!r}) must be finite and positive")
    return factors


def _nearest_axis(size_in: int, size_out: int, scale: float | None) -> _Axis:
    o = np.arange(size_out)
    if size_out == size_in:
        src = o
    elif size_out == 2 * size_in:
        src = o >> 1
    else:
        # torch: floorf(o * float(1/s or I/O)), all in float32
        step = np.float32(1.0 / scale) if scale else np.float32(size_in) / np.float32(size_out)
        src = np.minimum(np.floor(o.astype(np.float32) * step).astype(np.int64), size_in - 1)
    return _Axis(size_in, size_out, src, src, None, None)


def _bilinear_axis(
    size_in: int, size_out: int, scale: float | None, align_corners: bool, ct: type
) -> _Axis:
    o = np.arange(size_out)
    if size_out == size_in:  # torch copies an unchanged axis
        one: np.ndarray = np.ones(size_out, ct)
        return _Axis(size_in, size_out, o, o, one, np.zeros(size_out, ct))
    if align_corners:
        step = ct(size_in - 1) / ct(size_out - 1) if size_out > 1 else ct(0)
        src = step * o.astype(ct)
    else:
        step = ct(1.0 / scale) if scale else ct(size_in) / ct(size_out)
        # torch: step * (o + 0.5) - 0.5 evaluated in double, then rounded to the compute type
        src = np.maximum((np.float64(step) * (o + 0.5) - 0.5).astype(ct), ct(0))
    # torch floors the coordinate in float32 (floorf), then clamps index and weight
    i0 = np.minimum(np.floor(src.astype(np.float32)).astype(np.int64), size_in - 1)
    w1 = np.clip(src - i0.astype(ct), ct(0), ct(1)).astype(ct)
    i1 = i0 + (i0 < size_in - 1)
    return _Axis(size_in, size_out, i0, i1, (ct(1) - w1).astype(ct), w1)


class _Arguments(NamedTuple):
    size: tuple[int, int] | None
    factors: tuple[float, float] | None
    mode: str
    align_corners: bool
    recompute: bool


def check_arguments(
    size: Any, scale_factor: Any, mode: Any, align_corners: Any, recompute_scale_factor: Any
) -> _Arguments:
    """Check `interpolate`'s arguments (torch's rules, named messages) before any input is seen."""
    if not isinstance(mode, str):
        raise TypeError(f"mode (={mode!r}) must be a string: one of {MODES}")
    if mode not in MODES:
        raise ValueError(f"mode (={mode!r}) must be one of {MODES}")
    if mode == "nearest":
        if align_corners is not None:
            raise ValueError(
                f"align_corners (={align_corners!r}) can only be set with the interpolating "
                "mode 'bilinear'; leave it None with mode 'nearest'"
            )
        align = False
    else:
        align = False if align_corners is None else boolean("align_corners", align_corners)
    recompute = (
        False
        if recompute_scale_factor is None
        else boolean("recompute_scale_factor", recompute_scale_factor)
    )
    if size is not None and scale_factor is not None:
        raise ValueError(
            f"only one of size (={size!r}) or scale_factor (={scale_factor!r}) should be defined"
        )
    if size is not None:
        if recompute:
            raise ValueError(
                "recompute_scale_factor (=True) is not meaningful with an explicit size"
            )
        return _Arguments(positive_pair("size", size), None, mode, align, recompute)
    if scale_factor is not None:
        return _Arguments(None, _scale_factors(scale_factor), mode, align, recompute)
    raise ValueError("either size or scale_factor should be defined (both are None)")


def _plan(shape: tuple[int, ...], args: _Arguments, ct: type) -> tuple[_Axis, _Axis]:
    """Return the per-axis sampling of an input of `shape`."""
    size_in = shape[-2:]
    scales: tuple[float | None, float | None] = (None, None)
    if args.factors is None:
        assert args.size is not None
        size_out = args.size
    else:
        factors = args.factors
        size_out = (int(np.floor(size_in[0] * factors[0])), int(np.floor(size_in[1] * factors[1])))
        if min(size_out) < 1:
            raise ValueError(
                f"scale_factor (={factors!r}) gives output size {size_out} for input size "
                f"{tuple(size_in)}: floor(input * scale_factor) must be at least 1"
            )
        if not args.recompute:
            scales = factors
    check_bytes("the output", (*shape[:-2], *size_out), np.dtype(ct).itemsize)
    if args.mode == "nearest":
        return _nearest_axis(size_in[0], size_out[0], scales[0]), _nearest_axis(
            size_in[1], size_out[1], scales[1]
        )
    return (
        _bilinear_axis(size_in[0], size_out[0], scales[0], args.align_corners, ct),
        _bilinear_axis(size_in[1], size_out[1], scales[1], args.align_corners, ct),
    )


def _repeats(ax: _Axis) -> int:
    """Return k if the axis repeats every input cell k times (nearest, integer factor), else 0."""
    k = ax.size_out // ax.size_in
    same = k * ax.size_in == ax.size_out and ax.weight0 is None
    return k if same and np.array_equal(ax.index0, np.arange(ax.size_out) // k) else 0


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


def _along(x: np.ndarray, ax: _Axis, axis: int) -> np.ndarray:
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
    Bilinear: with $c(o)$ the input coordinate of output cell $o$ (module docstring),
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
    rows, cols = _plan(xb.shape, args, ct)
    if mode != "nearest" and xb.dtype.kind != "f":
        xb = xb.astype(np.float64)
    if mode == "nearest":
        kh, kw = _repeats(rows), _repeats(cols)
        if kh and kw:  # integer factors: every pixel repeated, a broadcast copy
            n, c, h, w = xb.shape
            out = np.empty((n, c, h * kh, w * kw), dtype=xb.dtype)
            out.reshape(n, c, h, kh, w, kw)[...] = xb[:, :, :, None, :, None]
            return out
        # one gather; torch's index arithmetic already chose the cells
        return xb[..., rows.index0[:, None], cols.index0[None, :]]
    if np.isfinite(xb).all():  # two GEMMs with the sparse-as-dense matrices: fastest
        out = _matrix(rows, ct) @ (xb @ _matrix(cols, ct).T)
    else:  # gathers: a NaN or inf reaches only the outputs that read it, as in torch
        out = _along(_along(xb, cols, -1), rows, -2)  # width first, then height, as torch
    return out.astype(xb.dtype, copy=False)


def _sum_into(values: np.ndarray, index: np.ndarray, length: int, axis: int) -> np.ndarray:
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


def _along_adjoint(g: np.ndarray, ax: _Axis, axis: int) -> np.ndarray:
    if ax.weight0 is None or ax.weight1 is None:
        return _sum_into(g, ax.index0, ax.size_in, axis)
    shape = (-1, 1) if axis == -2 else (-1,)
    with np.errstate(invalid="ignore"):
        return _sum_into(g * ax.weight0.reshape(shape), ax.index0, ax.size_in, axis) + _sum_into(
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
    rows, cols = _plan(xb.shape, args, ct)
    g = grad_like("grad_output", grad_output, (*xb.shape[:2], rows.size_out, cols.size_out))
    dtype = xb.dtype if xb.dtype.kind == "f" else np.dtype(np.float64)
    g = g.astype(dtype, copy=False)
    if np.isfinite(g).all():  # A_h^T g A_w as GEMMs
        grad = (_matrix(rows, ct).T @ g) @ _matrix(cols, ct)
    else:  # sums of sorted segments: a NaN reaches only the cells it was read from
        grad = _along_adjoint(_along_adjoint(g, rows, -2), cols, -1)
    return grad.astype(dtype, copy=False)
