r"""Where each output cell of a resize reads from: torch's coordinate mapping, one axis at a time.

For every output cell of an axis, the input cells it reads and their weights
(nearest: one cell; bilinear: two cells and $(1-\lambda, \lambda)$), computed with
torch's arithmetic (float32 where torch uses float32), and the axis' dense
interpolation matrix. `cnnbook.interpolation.resize` applies them.
"""

from __future__ import annotations

import numbers
from typing import Any, NamedTuple

import numpy as np

from cnnbook._validation import boolean, check_bytes, positive_pair

__all__ = ["MODES", "Arguments", "Axis", "check_arguments", "matrix", "plan", "repeats"]

MODES = ("nearest", "bilinear")


class Axis(NamedTuple):
    """How one spatial axis is resampled: the input cells and weights of every output cell."""

    size_in: int
    size_out: int
    index0: np.ndarray
    index1: np.ndarray  # == index0 for nearest
    weight0: np.ndarray | None  # None for nearest
    weight1: np.ndarray | None


def matrix(ax: Axis, dtype: Any) -> np.ndarray:
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


def _nearest_axis(size_in: int, size_out: int, scale: float | None) -> Axis:
    o = np.arange(size_out)
    if size_out == size_in:
        src = o
    elif size_out == 2 * size_in:
        src = o >> 1
    else:
        # torch: floorf(o * float(1/s or I/O)), all in float32
        step = np.float32(1.0 / scale) if scale else np.float32(size_in) / np.float32(size_out)
        src = np.minimum(np.floor(o.astype(np.float32) * step).astype(np.int64), size_in - 1)
    return Axis(size_in, size_out, src, src, None, None)


def _bilinear_axis(
    size_in: int, size_out: int, scale: float | None, align_corners: bool, ct: type
) -> Axis:
    o = np.arange(size_out)
    if size_out == size_in:  # torch copies an unchanged axis
        one: np.ndarray = np.ones(size_out, ct)
        return Axis(size_in, size_out, o, o, one, np.zeros(size_out, ct))
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
    return Axis(size_in, size_out, i0, i1, (ct(1) - w1).astype(ct), w1)


class Arguments(NamedTuple):
    """`interpolate`'s arguments, checked and normalised (no input seen yet)."""

    size: tuple[int, int] | None
    factors: tuple[float, float] | None
    mode: str
    align_corners: bool
    recompute: bool


def check_arguments(
    size: Any, scale_factor: Any, mode: Any, align_corners: Any, recompute_scale_factor: Any
) -> Arguments:
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
        return Arguments(positive_pair("size", size), None, mode, align, recompute)
    if scale_factor is not None:
        return Arguments(None, _scale_factors(scale_factor), mode, align, recompute)
    raise ValueError("either size or scale_factor should be defined (both are None)")


def plan(shape: tuple[int, ...], args: Arguments, ct: type) -> tuple[Axis, Axis]:
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


def repeats(ax: Axis) -> int:
    """Return k if the axis repeats every input cell k times (nearest, integer factor), else 0."""
    k = ax.size_out // ax.size_in
    same = k * ax.size_in == ax.size_out and ax.weight0 is None
    return k if same and np.array_equal(ax.index0, np.arange(ax.size_out) // k) else 0
