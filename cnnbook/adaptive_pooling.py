r"""Adaptive average pooling: choose the output size, let the windows follow (torch's rule).

Instead of a kernel and a stride, adaptive pooling takes the output size $O$ and
gives output cell $o$ the window $[\lfloor oI/O \rfloor, \lceil (o+1)I/O \rceil)$ of
an axis of size $I$: windows of nearly equal size that tile the input (they
overlap by a cell when $O$ does not divide $I$). With $O = 1$ it is global
average pooling (`cnnbook.global_avg_pool2d`); with $O$ dividing $I$ it is
`cnnbook.avg_pool2d` with kernel and stride $I/O$. This is how a network accepts
images of any size and still ends in a fixed-size classifier.

The windows are boxes, so both passes work one axis at a time: a loop over the
(few) offsets inside a window, vectorised over pixels; the backward adds each
gradient share back with sums of sorted segments.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from cnnbook._validation import check_bytes
from cnnbook.interpolation.resize import sum_into
from cnnbook.pooling.windows import batched, check_grad

__all__ = ["adaptive_avg_pool2d", "adaptive_avg_pool2d_backward"]


def output_size_of(output_size: Any, size_in: tuple[int, ...]) -> tuple[int, int]:
    """Check `output_size` and return it for an input of spatial size `size_in`."""
    values = output_size if isinstance(output_size, tuple | list) else (output_size,) * 2
    if len(values) != 2 or not all(
        v is None or (isinstance(v, numbers.Integral) and not isinstance(v, bool)) for v in values
    ):
        raise TypeError(
            f"output_size (={output_size!r}) must be an int or a pair of ints (None keeps "
            "the input size)"
        )
    out = tuple(size_in[a] if values[a] is None else int(values[a]) for a in range(2))
    if min(out) < 1:
        raise ValueError(f"output_size (={output_size!r}) must be positive (>= 1)")
    return out  # type: ignore[return-value]


def _windows(size_in: int, size_out: int) -> tuple[np.ndarray, np.ndarray]:
    """Torch's adaptive windows along one axis: start and length of every output cell."""
    o = np.arange(size_out)
    start = (o * size_in) // size_out
    end = ((o + 1) * size_in + size_out - 1) // size_out  # ceil((o + 1) I / O)
    return start, end - start


def _taps(start: np.ndarray, length: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(index, inside) for every offset t of the windows: index is clamped into the window."""
    return [
        (np.minimum(start + t, start + length - 1), t < length) for t in range(int(length.max()))
    ]


def _sum_along(x: np.ndarray, start: np.ndarray, length: np.ndarray, axis: int) -> np.ndarray:
    shape = (-1, 1) if axis == -2 else (-1,)
    total = None
    for index, inside in _taps(start, length):
        v = np.take(x, index, axis=axis)
        v = v if inside.all() else np.where(inside.reshape(shape), v, 0)
        total = v if total is None else total + v
    assert total is not None  # length.max() >= 1
    return total


def _sum_along_adjoint(
    g: np.ndarray, start: np.ndarray, length: np.ndarray, size_in: int, axis: int
) -> np.ndarray:
    shape = (-1, 1) if axis == -2 else (-1,)
    total = None
    for index, inside in _taps(start, length):
        v = g if inside.all() else np.where(inside.reshape(shape), g, 0)
        part = sum_into(v, index, size_in, axis)
        total = part if total is None else total + part
    assert total is not None
    return total


def adaptive_avg_pool2d(x: Any, output_size: Any) -> np.ndarray:
    r"""Adaptive average pooling to a chosen output size, like ``torch.nn.functional``'s.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W) or (C, H, W)
        Input; float dtypes are kept, integers are averaged in float64.
    output_size : int or pair of (int or None)
        ``(OH, OW)``; an int is used for both; None keeps that input size.

    Returns
    -------
    ndarray of shape (N, C, OH, OW) or (C, OH, OW)

    Raises
    ------
    TypeError
        Non-numeric input or an `output_size` that is not an int or a pair.
    ValueError
        Wrong ndim, empty input, a non-positive output size, or an output larger
        than the memory limit.

    Notes
    -----
    $\text{out}[o_h, o_w] = \frac{1}{|R_{o_h}|\,|C_{o_w}|}
    \sum_{i \in R_{o_h}}\sum_{j \in C_{o_w}} x_{ij}$
    with $R_o = [\lfloor oH/O_H \rfloor, \lceil (o+1)H/O_H \rceil)$ and likewise $C_o$.

    Examples
    --------
    >>> x = np.arange(25.).reshape(1, 5, 5)
    >>> adaptive_avg_pool2d(x, 1)
    array([[[12.]]])
    >>> adaptive_avg_pool2d(x, (2, 3))  # rows [0, 3) and [2, 5); columns [0,2) [1,4) [3,5)
    array([[[ 5.5,  7. ,  8.5],
            [15.5, 17. , 18.5]]])
    """
    xb, unbatched = batched("x", x)
    xb = xb if xb.dtype.kind == "f" else xb.astype(np.float64)
    out_size = output_size_of(output_size, xb.shape[-2:])
    check_bytes("the output", (*xb.shape[:2], *out_size), xb.dtype.itemsize)
    (r0, rn), (c0, cn) = (_windows(xb.shape[-2 + a], out_size[a]) for a in range(2))
    total = _sum_along(_sum_along(xb, c0, cn, -1), r0, rn, -2)
    out = total / np.outer(rn, cn).astype(xb.dtype)
    return out[0] if unbatched else out


def adaptive_avg_pool2d_backward(grad_output: Any, x: Any, output_size: Any) -> np.ndarray:
    r"""Gradient of `adaptive_avg_pool2d`: $g_o / |\text{window}_o|$ to each cell of each window.

    Parameters
    ----------
    grad_output : ndarray of shape (N, C, OH, OW) or (C, OH, OW)
        Gradient of the loss with respect to the output (exactly that shape).
    x : ndarray of shape (N, C, H, W) or (C, H, W)
        The forward input (only its shape and dtype are used).
    output_size : int or pair of (int or None)
        As passed to `adaptive_avg_pool2d`.

    Returns
    -------
    ndarray of the shape of `x` (float64 for integer `x`)

    Raises
    ------
    TypeError, ValueError
        As `adaptive_avg_pool2d`, or a `grad_output` of another shape than the output's.

    Examples
    --------
    >>> adaptive_avg_pool2d_backward(np.ones((1, 1, 2)), np.zeros((1, 1, 3)), (1, 2))
    array([[[0.5, 1. , 0.5]]])
    """
    xb, unbatched = batched("x", x)
    out_size = output_size_of(output_size, xb.shape[-2:])
    gb = check_grad(grad_output, (*xb.shape[:2], *out_size), unbatched)
    dtype = xb.dtype if xb.dtype.kind == "f" else np.dtype(np.float64)
    h, w = xb.shape[-2:]
    (r0, rn), (c0, cn) = _windows(h, out_size[0]), _windows(w, out_size[1])
    share = gb.astype(dtype) / np.outer(rn, cn).astype(dtype)
    grad = _sum_along_adjoint(_sum_along_adjoint(share, r0, rn, h, -2), c0, cn, w, -1)
    return grad[0] if unbatched else grad
