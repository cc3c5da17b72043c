r"""Converters between the conventions that differ from one source to another.

cnnbook follows PyTorch: padding is given *per side*, ``dilation=1`` means no
dilation, output sizes are floored, tensors are NCHW and weights
``(out, in/groups, kh, kw)``, and a "convolution" layer computes a
cross-correlation. Other sources say the same things differently. Each function
here translates one of those conventions into cnnbook's, so that a number read
in a paper or another framework can be fed to `cnnbook.conv2d` unchanged in
meaning. The site's *Conventions* page lists which source uses which.

This module converts the numbers (padding, dilation, output sizes); the arrays' axis
orders and the kernel's orientation are converted by `cnnbook.layouts`, whose functions
are importable from here too.
"""

from __future__ import annotations

import numbers
from typing import Any

from cnnbook.layouts import flip_kernel, hwio_to_oihw, nchw_to_nhwc, nhwc_to_nchw, oihw_to_hwio
from cnnbook.output_size import conv_output_size

__all__ = [
    "dilation_from_gap",
    "exact_conv_output_size",
    "flip_kernel",
    "gap_from_dilation",
    "hwio_to_oihw",
    "nchw_to_nhwc",
    "nhwc_to_nchw",
    "oihw_to_hwio",
    "split_padding",
    "tf_same_padding",
]


def _int(name: str, value: Any, minimum: int) -> int:
    """Return `value` as an int ``>= minimum``, or raise naming the argument and the rule."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} (={value!r}) must be an int")
    if value < minimum:
        raise ValueError(f"{name} (={value!r}) must be >= {minimum}")
    return int(value)


def split_padding(total: int) -> tuple[int, int]:
    r"""Split a *total* padding into ``(before, after)``, the odd cell after.

    Parameters
    ----------
    total : int
        Cells of padding along one axis, both sides together, $\ge 0$.

    Returns
    -------
    tuple of int
        ``(before, after)`` = $(\lfloor t/2 \rfloor,\ t - \lfloor t/2 \rfloor)$: the
        split of TensorFlow's ``"SAME"`` and PyTorch's ``padding="same"``, the extra
        cell at the bottom/right. Pass it to `cnnbook.pad2d` as top/bottom or left/right.

    Raises
    ------
    TypeError, ValueError
        If `total` is not a non-negative int.

    Notes
    -----
    Texts that write the output size as $(I - k + P)/s + 1$ use the total $P$;
    PyTorch, Caffe and $(I + 2p - k)/s + 1$ use the per-side $p = P/2$, which
    exists only when $P$ is even.

    Examples
    --------
    >>> split_padding(4), split_padding(3)
    ((2, 2), (1, 2))
    """
    t = _int("total", total, 0)
    return t // 2, t - t // 2


def tf_same_padding(
    input_size: int, kernel_size: int, stride: int = 1, dilation: int = 1
) -> tuple[int, int]:
    r"""Return the padding ``(before, after)`` of TensorFlow's ``padding="SAME"``, any stride.

    Parameters
    ----------
    input_size, kernel_size : int
        $I \ge 1$ and $k \ge 1$ along one axis.
    stride, dilation : int, default 1
        $s \ge 1$ and $d \ge 1$ (1 means none).

    Returns
    -------
    tuple of int
        `split_padding` of the total
        $P = \max\big((\lceil I/s \rceil - 1)s + d(k-1) + 1 - I,\ 0\big)$, so that
        the output has $\lceil I/s \rceil$ cells.

    Raises
    ------
    TypeError, ValueError
        If an argument is not a positive int.

    Notes
    -----
    PyTorch's ``padding="same"`` (and `cnnbook.same_padding`) only exists for
    stride 1, where this equals it. With a stride, TensorFlow's total padding
    depends on the input size, and may be odd.

    Examples
    --------
    >>> tf_same_padding(10, 3), tf_same_padding(10, 3, stride=2), tf_same_padding(9, 3, stride=2)
    ((1, 1), (0, 1), (1, 1))
    """
    i = _int("input_size", input_size, 1)
    k = _int("kernel_size", kernel_size, 1)
    s = _int("stride", stride, 1)
    d = _int("dilation", dilation, 1)
    out = -(-i // s)
    return split_padding(max((out - 1) * s + d * (k - 1) + 1 - i, 0))


def dilation_from_gap(gap: int) -> int:
    r"""Convert a gap count (0 = no dilation) to PyTorch's dilation (1 = no dilation).

    Parameters
    ----------
    gap : int
        Number of skipped input cells (holes) between two neighbouring kernel taps, $\ge 0$.

    Returns
    -------
    int
        $d = \text{gap} + 1$, the ``dilation`` of `cnnbook.conv2d` and PyTorch.

    Raises
    ------
    TypeError, ValueError
        If `gap` is not a non-negative int.

    Notes
    -----
    A dilated kernel spans $d(k - 1) + 1 = k + (k-1)\,\text{gap}$ input cells.

    Examples
    --------
    >>> dilation_from_gap(0), dilation_from_gap(1)
    (1, 2)
    """
    return _int("gap", gap, 0) + 1


def gap_from_dilation(dilation: int) -> int:
    r"""Convert PyTorch's dilation (1 = none) to the number of holes between taps (0 = none).

    Parameters
    ----------
    dilation : int
        ``dilation`` as `cnnbook.conv2d` and PyTorch take it, $\ge 1$.

    Returns
    -------
    int
        ``dilation - 1``.

    Raises
    ------
    TypeError, ValueError
        If `dilation` is not a positive int.

    Examples
    --------
    >>> gap_from_dilation(1), gap_from_dilation(3)
    (0, 2)
    """
    return _int("dilation", dilation, 1) - 1


def exact_conv_output_size(
    input_size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> int:
    r"""Output size under the "must divide" convention: refuse a stride that does not fit.

    Parameters
    ----------
    input_size, kernel_size, stride, padding, dilation : int
        As `cnnbook.conv_output_size` (padding per side).

    Returns
    -------
    int
        $Y = (I + 2p - d(k-1) - 1)/s + 1$, the same value as `cnnbook.conv_output_size`.

    Raises
    ------
    TypeError, ValueError
        As `cnnbook.conv_output_size`; ``ValueError`` also when $s$ does not divide
        $I + 2p - d(k-1) - 1$, i.e. when the windows do not tile the padded input
        and PyTorch would silently drop its last cells.

    Examples
    --------
    >>> exact_conv_output_size(9, 3, stride=2)
    4
    >>> exact_conv_output_size(10, 3, stride=2)
    Traceback (most recent call last):
    ...
    ValueError: stride (=2) must divide I + 2p - d(k-1) - 1 (=7); conv_output_size floors to 4
    """
    y = conv_output_size(input_size, kernel_size, stride, padding, dilation)
    span = input_size + 2 * padding - dilation * (kernel_size - 1) - 1
    if span % stride:
        raise ValueError(
            f"stride (={stride}) must divide I + 2p - d(k-1) - 1 (={span}); "
            f"conv_output_size floors to {y}"
        )
    return y
